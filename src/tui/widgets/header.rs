//! The top lines: the application, the pool/client title and the endpoint, so the
//! person always knows where their password is going. Each wraps to as many rows as it
//! needs; in a terminal too short for that, one line holds the endpoint and the title,
//! ending in "…" where it is cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::auth::SessionInfo;
use crate::tui::strings;
use crate::tui::theme::Theme;

/// The compact header's height in rows.
pub const COMPACT_HEIGHT: u16 = 1;

/// The header's lines in full: the application and title, then the endpoint.
fn full_lines(info: &SessionInfo, theme: Theme) -> Vec<Line<'_>> {
    vec![
        Line::from(vec![
            Span::styled(strings::APP_NAME, theme.app_name()),
            Span::raw("  "),
            Span::styled(info.title.as_str(), theme.title()),
        ]),
        Line::styled(info.endpoint.as_str(), theme.muted()),
    ]
}

/// Rows of the full header at `width`, every line wrapped whole.
pub fn rows(info: &SessionInfo, width: u16) -> u16 {
    let rows = Paragraph::new(full_lines(info, Theme::monochrome()))
        .wrap(Wrap { trim: false })
        .line_count(width.max(1));
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Draws the full header, wrapped.
pub fn render(frame: &mut Frame, area: Rect, info: &SessionInfo, theme: Theme) {
    frame.render_widget(
        Paragraph::new(full_lines(info, theme)).wrap(Wrap { trim: false }),
        area,
    );
}

/// Draws the one-line header: "endpoint · title", cut with "…" to the width.
pub fn render_compact(frame: &mut Frame, area: Rect, info: &SessionInfo, theme: Theme) {
    let text = format!("{} · {}", info.endpoint, info.title);
    frame.render_widget(
        Line::styled(ellipsize(&text, area.width), theme.muted()),
        area,
    );
}

/// `text` in at most `width` columns, its end replaced by "…" when cut.
pub fn ellipsize(text: &str, width: u16) -> String {
    let width = usize::from(width);
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    //! The header wraps rather than cuts; the compact one says where it is cut.

    use super::*;

    #[test]
    fn a_cut_line_ends_in_an_ellipsis() {
        assert_eq!(
            ellipsize("http://127.0.0.1:9229/", 40),
            "http://127.0.0.1:9229/"
        );
        assert_eq!(ellipsize("abcdef", 4), "abc…");
    }
}
