//! The top two lines: the application, the pool/client title and the endpoint, so the
//! person always knows where their password is going.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::auth::SessionInfo;
use crate::tui::strings;
use crate::tui::theme::Theme;

/// The header's height in rows.
pub const HEIGHT: u16 = 2;

/// Draws the header.
pub fn render(frame: &mut Frame, area: Rect, info: &SessionInfo, theme: Theme) {
    let first = Line::from(vec![
        Span::styled(strings::APP_NAME, theme.app_name()),
        Span::raw("  "),
        Span::styled(info.title.as_str(), theme.title()),
    ]);
    let second = Line::styled(info.endpoint.as_str(), theme.muted());
    frame.render_widget(Paragraph::new(vec![first, second]), area);
}
