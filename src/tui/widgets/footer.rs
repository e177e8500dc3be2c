//! The bottom lines: the keys the current screen offers, built from its bindings. Every
//! key is named, whatever the width: entries wrap onto more lines, whole, rather than
//! being cut off the end. A compact frame packs them tighter (`Spacing::Tight`): the
//! key's padding goes, which gives a small terminal's body rows back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::Hint;
use crate::tui::theme::Theme;

/// Columns between two entries.
const GAP: usize = 2;

/// How the entries are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    /// "␣Enter␣ sign in": the key stands out as a button.
    Roomy,
    /// "Enter sign in": for a compact frame, where every row counts.
    Tight,
}

/// The footer's rows at `width`: one line per run of whole entries that fits.
pub fn rows(hints: &[Hint], width: u16, spacing: Spacing) -> u16 {
    u16::try_from(lines(hints, width, Theme::monochrome(), spacing).len()).unwrap_or(u16::MAX)
}

/// Draws "␣Enter␣ sign in  ␣Tab␣ next field …", wrapping between entries.
pub fn render(frame: &mut Frame, area: Rect, hints: &[Hint], theme: Theme, spacing: Spacing) {
    frame.render_widget(
        Paragraph::new(lines(hints, area.width, theme, spacing)),
        area,
    );
}

/// The entries laid out in lines of at most `width` columns (an entry wider than the
/// whole line gets a line of its own).
fn lines(hints: &[Hint], width: u16, theme: Theme, spacing: Spacing) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for hint in hints {
        let key = match spacing {
            Spacing::Roomy => format!(" {} ", hint.keys),
            Spacing::Tight => hint.keys.clone(),
        };
        let does = format!(" {}", hint.does);
        let entry = key.chars().count() + does.chars().count();
        if used > 0 && used + GAP + entry > width {
            lines.push(Line::from(std::mem::take(&mut current)));
            used = 0;
        }
        if used > 0 {
            current.push(Span::raw(" ".repeat(GAP)));
            used += GAP;
        }
        current.push(Span::styled(key, theme.key()));
        current.push(Span::styled(does, theme.key_action()));
        used += entry;
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

#[cfg(test)]
mod tests {
    //! The footer names every key: entries wrap whole onto more lines when narrow.

    use super::*;

    fn hint(keys: &str, does: &'static str) -> Hint {
        Hint {
            keys: keys.to_owned(),
            does,
        }
    }

    #[test]
    fn entries_wrap_whole_and_none_is_lost() {
        let hints = [
            hint("Enter", "sign in"),
            hint("Tab", "next field"),
            hint("Ctrl-F", "forgot password"),
            hint("Esc", "quit"),
        ];
        assert_eq!(rows(&hints, 120, Spacing::Roomy), 1);
        let narrow = lines(&hints, 40, Theme::monochrome(), Spacing::Roomy);
        assert!(narrow.len() > 1);
        let text: Vec<String> = narrow.iter().map(ToString::to_string).collect();
        for line in &text {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        let joined = text.join("\n");
        for entry in [
            " Enter  sign in",
            " Tab  next field",
            " Ctrl-F  forgot password",
            " Esc  quit",
        ] {
            assert!(joined.contains(entry), "{entry:?} in {joined}");
        }
    }

    #[test]
    fn tight_spacing_drops_the_keys_padding_and_takes_fewer_rows() {
        let hints = [
            hint("Enter", "send"),
            hint("Tab", "next"),
            hint("Shift-Tab", "previous"),
            hint("Ctrl-T", "QR code / form"),
            hint("Ctrl-Y", "copy URI"),
            hint("Esc", "start again"),
        ];
        let tight = lines(&hints, 40, Theme::monochrome(), Spacing::Tight);
        let text: Vec<String> = tight.iter().map(ToString::to_string).collect();
        assert_eq!(text[0], "Enter send  Tab next  Shift-Tab previous");
        assert!(rows(&hints, 40, Spacing::Tight) < rows(&hints, 40, Spacing::Roomy));
    }
}
