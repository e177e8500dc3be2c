//! A body taller than the terminal, scrolled. The screen draws itself on an off-screen
//! canvas as tall as it needs (so its layout is the one it has room for), and the rows
//! that keep its focus in sight are copied into the terminal: the cursor's row, the two
//! below it (the rest of a field's box, the status) and as much above it as fits.

use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Position, Rect};

/// Where the window over the canvas starts, and whether anything is hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrolled {
    /// The canvas row shown on the area's first row.
    pub offset: u16,
    /// The canvas is taller than the area.
    pub overflows: bool,
    /// The last row the window can start at: rows − height.
    pub last: u16,
}

/// Rows kept in sight below the cursor: the rest of a field's box and a status line.
const BELOW_CURSOR: u16 = 2;

/// The first canvas row to show in a window of `height` rows over a canvas of `rows`:
/// with a cursor on row `y`, offset = y + 1 + BELOW_CURSOR − height (at least 0, at
/// most y), as much of what explains the field above it as fits, with the field whole
/// and its status below; without one, `wanted` (the person's own scrolling). Never
/// past the canvas: at most rows − height.
pub fn offset_for(cursor: Option<u16>, wanted: u16, rows: u16, height: u16) -> u16 {
    let last = rows.saturating_sub(height);
    match cursor {
        Some(y) => (y + 1 + BELOW_CURSOR)
            .saturating_sub(height)
            .min(y)
            .min(last),
        None => wanted.min(last),
    }
}

/// Draws `draw` into `area` as if it were `rows` tall, showing the window that keeps
/// the cursor in sight when `follow_cursor` (else, or when there is none, the one that
/// starts at `wanted`).
pub fn render_scrolled(
    frame: &mut Frame,
    area: Rect,
    rows: u16,
    wanted: u16,
    follow_cursor: bool,
    draw: impl FnOnce(&mut Frame, Rect),
) -> Scrolled {
    let rows = rows.max(area.height);
    // The canvas's backend keeps cells in memory: drawing on it cannot fail.
    let Ok(mut canvas) = Terminal::new(TestBackend::new(area.width, rows));
    let Ok(_) = canvas.draw(|frame| draw(frame, frame.area()));
    let backend = canvas.backend();
    let cursor = backend.cursor_visible().then(|| backend.cursor_position());
    let followed = cursor.filter(|_| follow_cursor).map(|at| at.y);
    let offset = offset_for(followed, wanted, rows, area.height);
    let drawn = backend.buffer();
    let target = frame.buffer_mut();
    for y in 0..area.height {
        for x in 0..area.width {
            let from = Position::new(x, y + offset);
            let to = Position::new(area.x + x, area.y + y);
            if let (Some(cell), Some(into)) = (drawn.cell(from), target.cell_mut(to)) {
                *into = cell.clone();
            }
        }
    }
    if let Some(at) = cursor
        && (offset..offset + area.height).contains(&at.y)
    {
        frame.set_cursor_position(Position::new(area.x + at.x, area.y + at.y - offset));
    }
    Scrolled {
        offset,
        overflows: rows > area.height,
        last: rows - area.height,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    //! The window keeps the cursor (and the row above it) in sight, else stays where
    //! the person scrolled, never past the canvas; and the whole console at the sizes
    //! people have: every field drawn with the cursor in it at 40x12, the size it needs
    //! said below that, errors wrapped whole, the footer and header never cut.

    use crossterm::event::KeyCode;

    use super::*;
    use crate::test_support::tui::{app, cursor, key, refuse, render, signed_in, step, type_text};
    use crate::test_support::{delivery, sign_in};
    use crate::tui::app::{Effect, Msg};

    /// The drawn row `y` of `drawn`.
    fn row(drawn: &str, y: u16) -> &str {
        drawn.lines().nth(usize::from(y)).unwrap_or_default()
    }

    #[test]
    fn at_40x12_the_sign_in_fields_are_drawn_with_the_cursor_in_the_focused_one() {
        let mut console = app().with_outbox();
        console.update(step(sign_in("")));
        console.update(Msg::Delivered(delivery(1)));
        type_text(&mut console, "bob");
        let drawn = render(&console, 40, 12);
        let (_, y) = cursor(&console, 40, 12).unwrap_or_else(|| panic!("no cursor: {drawn}"));
        assert!(row(&drawn, y).contains("bob"), "{drawn}");
        assert!(drawn.contains("Username"), "{drawn}");
        // The outbox keeps its newest code on one line.
        assert!(drawn.contains("000001"), "{drawn}");
        console.update(key(KeyCode::Tab));
        type_text(&mut console, "pw");
        let drawn = render(&console, 40, 12);
        let (_, y) = cursor(&console, 40, 12).unwrap_or_else(|| panic!("no cursor: {drawn}"));
        assert!(row(&drawn, y).contains("••"), "{drawn}");
        assert!(drawn.contains("Password"), "{drawn}");
    }

    #[test]
    fn below_the_smallest_size_it_says_the_size_it_needs_which_is_measured() {
        let mut console = app().with_outbox();
        console.update(step(sign_in("")));
        let drawn = render(&console, 20, 6);
        let needed = drawn
            .split("need ")
            .nth(1)
            .and_then(|rest| rest.split(['"', ' ']).next())
            .expect("the size it needs")
            .to_owned();
        let (width, height) = needed.split_once('×').expect("W×H");
        let (width, height): (u16, u16) = (width.parse().unwrap(), height.parse().unwrap());
        let fits = render(&console, width, height);
        assert!(!fits.contains("too small"), "{fits}");
        assert!(fits.contains("Username"), "{fits}");
        for (w, h) in [(width - 1, height), (width, height - 1)] {
            assert!(
                render(&console, w, h).contains("terminal too small"),
                "{w}x{h}"
            );
        }
    }

    #[test]
    fn an_error_wraps_to_every_line_it_needs() {
        let sentence = "http://127.0.0.1:9/ did not answer in time: the connection was refused \
                        by the other end. Check that the endpoint is right and that the server \
                        is running, then try again; --endpoint-url sets it.";
        let mut console = app();
        console.update(step(sign_in("bob")));
        type_text(&mut console, "pw");
        console.update(key(KeyCode::Enter));
        refuse(&mut console, "Transport", sentence);
        for (width, height) in [(80, 24), (60, 18)] {
            let drawn = render(&console, width, height);
            let text: String = drawn
                .lines()
                .map(|line| line.trim_matches('"').trim_matches('│').trim())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains("then try again; --endpoint-url sets it."),
                "{drawn}"
            );
        }
    }

    #[test]
    fn at_60x18_the_footer_names_every_key_and_the_header_is_whole() {
        let mut console = app();
        console.update(step(sign_in("")));
        let drawn = render(&console, 60, 18);
        for text in [
            "Esc",
            "quit",
            "Ctrl-F",
            "forgot password",
            "1example23456789",
        ] {
            assert!(drawn.contains(text), "{text}: {drawn}");
        }
    }

    #[test]
    fn a_signed_in_screen_taller_than_the_terminal_scrolls_with_the_arrows() {
        let mut console = app();
        console.update(step(sign_in("alice")));
        console.update(step(signed_in()));
        let drawn = render(&console, 40, 10);
        assert!(drawn.contains("scroll"), "the footer says how: {drawn}");
        let mut seen = drawn.clone();
        for _ in 0..20 {
            if console.update(key(KeyCode::Down)) != Effect::Redraw {
                break;
            }
            seen.push_str(&render(&console, 40, 10));
        }
        assert!(seen.contains("Expires"), "{seen}");
        assert!(!render(&console, 40, 10).contains("Signed in as"));
        // Back up to the top.
        while console.update(key(KeyCode::Up)) == Effect::Redraw {
            render(&console, 40, 10);
        }
        assert!(render(&console, 40, 10).contains("Signed in"));
    }

    #[test]
    fn the_cursor_row_and_the_row_above_it_stay_in_sight() {
        // Rows 7..13: the cursor's row 10, two below it, as much above as fits.
        assert_eq!(offset_for(Some(10), 0, 14, 6), 7);
        assert_eq!(offset_for(Some(13), 0, 14, 6), 8);
        assert_eq!(offset_for(Some(2), 0, 14, 6), 0);
        // A window too short for the rows below: the cursor still shows.
        assert_eq!(offset_for(Some(10), 0, 14, 2), 10);
        assert_eq!(offset_for(None, 3, 14, 6), 3);
        assert_eq!(offset_for(None, 30, 14, 6), 8);
        assert_eq!(offset_for(None, 30, 5, 6), 0);
    }
}
