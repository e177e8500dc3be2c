//! The layout every list screen shares (first factors, second factors, MFA set-up,
//! remembering the device): lines of explanation, the list, then the status line. The
//! same description draws the page and says how many rows it needs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::screens::form::{rows_of, wrapped_rows};
use crate::tui::screens::{LIST_WIDTH, ViewContext, status_or_notice};

/// A list page as a screen shows it: what to draw around the list.
pub struct ListPage<'a> {
    /// Lines of explanation above the list.
    pub intro: Vec<Line<'a>>,
    /// Rows of the list: one per entry.
    pub entries: u16,
    /// The sentence under the list (why a choice cannot be used), if any.
    pub message: Option<&'a str>,
    /// Good news under the list (a change went through), shown when there is no message.
    pub notice: Option<&'a str>,
}

impl<'a> ListPage<'a> {
    /// The rows the page needs at `width`: margin 1 + intro + gap 1 + list + gap 1 +
    /// status.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let width = width.min(LIST_WIDTH);
        1 + wrapped_rows(&self.intro, width)
            + 1
            + self.entries
            + 1
            + rows_of(self.status(view), width, true).max(1)
    }

    /// The line under the list: the spinner, the message or the notice.
    fn status(&self, view: &ViewContext<'_>) -> Line<'a> {
        status_or_notice(view, self.message, self.notice)
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
        let status_text = self.status(view);
        frame.render_widget(Paragraph::new(self.intro).wrap(Wrap { trim: false }), intro);
        frame.render_widget(
            Paragraph::new(status_text).wrap(Wrap { trim: true }),
            status,
        );
        list
    }
}
