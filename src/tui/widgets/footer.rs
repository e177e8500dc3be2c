//! The bottom line: the keys the current screen offers, built from its bindings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::Hint;
use crate::tui::theme::Theme;

/// Draws "␣Enter␣ sign in  ␣Tab␣ next field …" on one line; when that is wider than
/// the line, the padding goes ("Enter sign in Tab next field …") so every key still shows.
pub fn render(frame: &mut Frame, area: Rect, hints: &[Hint], theme: Theme) {
    let roomy = line(hints, theme, " ", "  ");
    let chosen = if roomy.width() <= usize::from(area.width) {
        roomy
    } else {
        line(hints, theme, "", " ")
    };
    frame.render_widget(Paragraph::new(chosen), area);
}

/// The footer line with `pad` around each key and `gap` between entries.
fn line(hints: &[Hint], theme: Theme, pad: &str, gap: &str) -> Line<'static> {
    let mut spans = Vec::with_capacity(hints.len() * 3);
    for (index, hint) in hints.iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw(gap.to_owned()));
        }
        spans.push(Span::styled(
            format!("{pad}{}{pad}", hint.keys),
            theme.key(),
        ));
        spans.push(Span::styled(format!(" {}", hint.does), theme.key_action()));
    }
    Line::from(spans)
}
