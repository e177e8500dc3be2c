//! The bottom line: the keys the current screen offers, built from its bindings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::Hint;
use crate::tui::theme::Theme;

/// Draws "␣Enter␣ sign in  ␣Tab␣ next field …" on one line.
pub fn render(frame: &mut Frame, area: Rect, hints: &[Hint], theme: Theme) {
    let mut spans = Vec::with_capacity(hints.len() * 3);
    for (index, hint) in hints.iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(format!(" {} ", hint.keys), theme.key()));
        spans.push(Span::styled(format!(" {}", hint.does), theme.key_action()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
