//! A vertical list with one entry chosen, moved with the arrows or j/k: the screens that
//! ask the person to pick a factor share it. Entries the console cannot use are drawn dim.

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::{Binding, Key};
use crate::tui::strings;
use crate::tui::theme::Theme;

/// One entry as drawn: its name, the API name beside it, and whether it can be chosen here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The person's name for it ("Authenticator app").
    pub label: String,
    /// The API's name for it ("SOFTWARE_TOKEN_MFA"), drawn dim beside the label.
    pub api_name: String,
    /// Whether choosing it can lead anywhere in this console.
    pub usable: bool,
}

/// Which entry of a list of `len` is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceList {
    selected: usize,
    len: usize,
}

impl ChoiceList {
    /// A list of `len` entries with the first chosen.
    pub fn new(len: usize) -> Self {
        Self { selected: 0, len }
    }

    /// A list with `selected` chosen (kept inside the list).
    pub fn with_selected(len: usize, selected: usize) -> Self {
        Self {
            selected: selected.min(len.saturating_sub(1)),
            len,
        }
    }

    /// The chosen entry's index.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Moves up one entry; `false` at the top.
    pub fn up(&mut self) -> bool {
        if self.selected == 0 {
            return false;
        }
        self.selected -= 1;
        true
    }

    /// Moves down one entry; `false` at the bottom.
    pub fn down(&mut self) -> bool {
        if self.selected + 1 >= self.len {
            return false;
        }
        self.selected += 1;
        true
    }

    /// Draws one line per entry: "› Authenticator app  SOFTWARE_TOKEN_MFA".
    pub fn render(&self, frame: &mut Frame, area: Rect, choices: &[Choice], theme: Theme) {
        let label_width = choices
            .iter()
            .map(|choice| choice.label.chars().count())
            .max()
            .unwrap_or(0);
        let lines: Vec<Line> = choices
            .iter()
            .enumerate()
            .map(|(index, choice)| {
                let chosen = index == self.selected;
                let marker = if chosen { "›" } else { " " };
                let style = match (chosen, choice.usable) {
                    (true, _) => theme.selected(),
                    (false, true) => theme.label(),
                    (false, false) => theme.muted(),
                };
                let mut spans = vec![
                    Span::styled(format!("{marker} {:<label_width$} ", choice.label), style),
                    Span::styled(format!(" {}", choice.api_name), theme.muted()),
                ];
                if !choice.usable {
                    spans.push(Span::styled(
                        format!(" {}", strings::NOT_HERE),
                        theme.muted(),
                    ));
                }
                Line::from(spans)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        // The cursor rests on the chosen entry: a console scrolled to fit a small
        // terminal keeps it in sight, and screen readers follow it.
        if let Ok(row) = u16::try_from(self.selected)
            && row < area.height
            && area.width > 0
        {
            frame.set_cursor_position(Position::new(area.x, area.y + row));
        }
    }
}

#[cfg(test)]
mod tests {
    //! The choice list's cursor: it moves within the list and stops at its ends.

    use super::*;

    #[test]
    fn moves_within_the_list_and_stops_at_its_ends() {
        let mut list = ChoiceList::new(2);
        assert!(!list.up());
        assert!(list.down());
        assert_eq!(list.selected(), 1);
        assert!(!list.down());
        assert!(list.up());
        assert_eq!(list.selected(), 0);
        assert_eq!(ChoiceList::with_selected(2, 7).selected(), 1);
    }
}

/// What a key does on a list screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    Choose,
    Up,
    Down,
    Restart,
}

/// The keys of every list screen (first factors, second factors, MFA set-up).
pub const LIST_BINDINGS: &[Binding<ListAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_CHOOSE,
        action: ListAction::Choose,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::plain(KeyCode::Char('k'))],
        does: strings::KEY_UP,
        action: ListAction::Up,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::plain(KeyCode::Char('j'))],
        does: strings::KEY_DOWN,
        action: ListAction::Down,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: ListAction::Restart,
    },
];
