//! The layout every list screen shares (first factors, second factors, MFA set-up,
//! remembering the device): lines of explanation, the list, then the status line. The
//! same description draws the page and says how many rows it needs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::screens::form::{status_rows, wrapped_rows};
use crate::tui::screens::{LIST_WIDTH, ViewContext, status_line};

/// A list page as a screen shows it: what to draw around the list.
pub struct ListPage<'a> {
    /// Lines of explanation above the list.
    pub intro: Vec<Line<'a>>,
    /// Rows of the list: one per entry.
    pub entries: u16,
    /// The sentence under the list (why a choice cannot be used), if any.
    pub message: Option<&'a str>,
}

impl ListPage<'_> {
    /// The rows the page needs at `width`: margin 1 + intro + gap 1 + list + gap 1 +
    /// status.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let width = width.min(LIST_WIDTH);
        1 + wrapped_rows(&self.intro, width)
            + 1
            + self.entries
            + 1
            + status_rows(view, self.message, width)
    }

    /// Draws the intro and the status in `area`, centred up to `LIST_WIDTH`, and gives
    /// the list's area for the screen to draw its entries in.
    pub fn render(self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) -> Rect {
        let area = area.centered_horizontally(Constraint::Max(LIST_WIDTH));
        let intro_rows = wrapped_rows(&self.intro, area.width);
        let [_, intro, _, list, _, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(intro_rows),
            Constraint::Length(1),
            Constraint::Length(self.entries),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(self.intro).wrap(Wrap { trim: false }), intro);
        frame.render_widget(
            Paragraph::new(status_line(view, self.message)).wrap(Wrap { trim: true }),
            status,
        );
        list
    }
}
