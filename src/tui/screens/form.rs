//! The layout every form screen shares: lines of explanation, a stack of fields, then
//! the status line (spinner or message). Fields are boxed when there is room, one row
//! each when there is not.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::screens::{ViewContext, status_line};
use crate::tui::widgets::TextInput;
use crate::tui::widgets::text_input::render_stack;

/// The widest a form grows.
pub const FORM_WIDTH: u16 = 72;

/// Rows the status line may take (a server's sentence can wrap once).
const STATUS_ROWS: u16 = 2;

/// Draws `intro`, the fields and the status line in `area`, centred up to `FORM_WIDTH`.
/// `focus` is the focused field (hidden while busy, since keys are not taken then).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    view: &ViewContext<'_>,
    intro: Vec<Line<'_>>,
    inputs: &[&TextInput],
    focus: usize,
    message: Option<&str>,
) {
    let area = area.centered_horizontally(Constraint::Max(FORM_WIDTH));
    let fields_count = u16::try_from(inputs.len()).unwrap_or(u16::MAX);
    let intro_rows = wrapped_rows(&intro, area.width);
    // Boxed fields when intro, boxes and status fit; one row per field otherwise.
    let boxed_rows = fields_count.saturating_mul(3);
    let needed = 1 + intro_rows + 1 + boxed_rows + STATUS_ROWS;
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
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: false }), intro_area);
    let focus = view.busy.is_none().then_some(focus);
    render_stack(frame, fields, inputs, focus, view.theme);
    frame.render_widget(
        Paragraph::new(status_line(view, message)).wrap(Wrap { trim: true }),
        status,
    );
}

/// How many rows `lines` take once wrapped at `width` (an estimate by characters).
pub fn wrapped_rows(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines
        .iter()
        .map(|line| line.width().div_ceil(width).max(1))
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}
