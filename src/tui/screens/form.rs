//! The layout every form screen shares: lines of explanation, a stack of fields, then
//! the status line (spinner or message). Fields are boxed when there is room, one row
//! each when there is not. A screen describes its form once (`Form`), and the same
//! description both draws it and says how many rows it needs, so the two cannot differ.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::screens::{ViewContext, status_line};
use crate::tui::widgets::TextInput;
use crate::tui::widgets::text_input::render_stack;

/// The widest a form grows.
pub const FORM_WIDTH: u16 = 72;

/// The narrowest a form works in: a field's box, its label in the border and a few
/// characters of the value.
pub const FORM_MIN_WIDTH: u16 = 24;

/// A form as a screen shows it: what to draw, not yet drawn.
pub struct Form<'a> {
    /// Lines of explanation above the fields.
    pub intro: Vec<Line<'a>>,
    pub inputs: Vec<&'a TextInput>,
    /// The index of the focused field (hidden while busy, since keys are not taken then).
    pub focus: usize,
    /// The sentence under the fields (a refusal), if any.
    pub message: Option<&'a str>,
    /// The widest the form grows: `FORM_WIDTH`, or more for a line that must not wrap.
    pub max_width: u16,
}

impl Form<'_> {
    /// The rows the form needs at `width` to show everything, fields one row each:
    /// top margin 1 + intro + gap 1 + fields + status.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let width = width.min(self.max_width);
        let fields = u16::try_from(self.inputs.len()).unwrap_or(u16::MAX);
        let intro = wrapped_rows(&self.intro, width);
        1 + intro + u16::from(intro > 0) + fields + status_rows(view, self.message, width)
    }

    /// Draws the intro, the fields and the status line in `area`, centred up to
    /// `FORM_WIDTH`.
    pub fn render(self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let area = area.centered_horizontally(Constraint::Max(self.max_width));
        let fields_count = u16::try_from(self.inputs.len()).unwrap_or(u16::MAX);
        let intro_rows = wrapped_rows(&self.intro, area.width);
        let status = status_rows(view, self.message, area.width);
        // Boxed fields when intro, boxes and status fit; one row per field otherwise.
        let boxed_rows = fields_count.saturating_mul(3);
        let needed = 1 + intro_rows + 1 + boxed_rows + status;
        let field_rows = if needed <= area.height {
            boxed_rows
        } else {
            fields_count
        };
        let [_, intro_area, _, fields, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(intro_rows),
            Constraint::Length(u16::from(intro_rows > 0)),
            Constraint::Length(field_rows),
            Constraint::Min(status),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(self.intro).wrap(Wrap { trim: false }),
            intro_area,
        );
        let focus = view.busy.is_none().then_some(self.focus);
        render_stack(frame, fields, &self.inputs, focus, view.theme);
        frame.render_widget(
            Paragraph::new(status_line(view, self.message)).wrap(Wrap { trim: true }),
            status,
        );
    }
}

/// Draws `intro`, the fields and the status line in `area` (see `Form`).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    view: &ViewContext<'_>,
    intro: Vec<Line<'_>>,
    inputs: &[&TextInput],
    focus: usize,
    message: Option<&str>,
) {
    Form {
        intro,
        inputs: inputs.to_vec(),
        focus,
        message,
        max_width: FORM_WIDTH,
    }
    .render(frame, area, view);
}

/// How many rows `text` takes once word-wrapped at `width` by a paragraph that wraps
/// with this `trim`: the one measure every screen's `rows_needed` counts with.
pub fn rows_of<'a>(text: impl Into<Text<'a>>, width: u16, trim: bool) -> u16 {
    let rows = Paragraph::new(text)
        .wrap(Wrap { trim })
        .line_count(width.max(1));
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// How many rows `lines` take once word-wrapped at `width`, as the paragraph wraps them.
pub fn wrapped_rows(lines: &[Line<'_>], width: u16) -> u16 {
    if lines.is_empty() {
        return 0;
    }
    rows_of(lines.to_vec(), width, false)
}

/// Rows of the status line at `width`: the spinner's one, or the message wrapped to as
/// many rows as it needs (a server's sentence is never cut), at least one.
pub fn status_rows(view: &ViewContext<'_>, message: Option<&str>, width: u16) -> u16 {
    rows_of(status_line(view, message), width, true).max(1)
}
