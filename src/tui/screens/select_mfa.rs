//! SELECT_MFA_TYPE: which of the enrolled second factors to use this time. The choice
//! is sent as the ANSWER.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::auth::{Answer, Command, MfaKind, Problem};
use crate::tui::keys::{self, Binding, Hint};
use crate::tui::screens::mfa_list::MfaList;
use crate::tui::screens::{Reaction, ViewContext, restart};
use crate::tui::strings;
use crate::tui::widgets::ChoiceList;
use crate::tui::widgets::choice_list::{LIST_BINDINGS, ListAction};

/// The screen's title.
pub const TITLE: &str = strings::TITLE_SELECT_MFA;

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(LIST_BINDINGS)
}

/// The SELECT_MFA_TYPE list's state.
#[derive(Debug)]
pub struct SelectMfa {
    list: MfaList,
}

impl SelectMfa {
    /// The list for MFAS_CAN_CHOOSE; `username` is kept for starting again.
    pub fn new(options: Vec<MfaKind>, username: &str) -> Self {
        Self {
            list: MfaList::new(username, options),
        }
    }

    /// The factor under the cursor.
    pub fn selected(&self) -> Option<MfaKind> {
        self.list.selected()
    }

    /// The error on show, if any.
    pub fn message(&self) -> Option<&str> {
        self.list.message.as_deref()
    }

    /// A refused answer: stay on the list and say why.
    pub fn show_error(&mut self, problem: Problem) {
        self.list.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(LIST_BINDINGS, key) {
            Some(ListAction::Choose) => match self.list.selected() {
                Some(kind) => {
                    self.list.message = None;
                    Reaction::Send(Command::Answer(Answer::Mfa(kind)))
                }
                None => Reaction::Ignored,
            },
            Some(ListAction::Up) => self.list.moved(ChoiceList::up),
            Some(ListAction::Down) => self.list.moved(ChoiceList::down),
            Some(ListAction::Restart) => restart(&self.list.username),
            None => Reaction::Ignored,
        }
    }

    /// The rows the screen needs at `width`.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        self.list.rows_needed(width, view, strings::CHOOSE_MFA)
    }

    /// Draws the question, the list and the message.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.list
            .render(frame, area, view, strings::CHOOSE_MFA, |_| true);
    }
}

#[cfg(test)]
mod tests {
    //! SELECT_MFA_TYPE's list: moving within it and sending the chosen second factor.

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, MfaKind, Step};
    use crate::test_support::every_mfa;
    use crate::test_support::tui::{answer, at, key, snapshot_both_sizes};
    use crate::tui::app::Effect;

    #[test]
    fn select_mfa_sends_the_chosen_factor() {
        let mut app = at(Step::SelectMfa {
            options: every_mfa(),
        });
        app.update(key(KeyCode::Char('j')));
        app.update(key(KeyCode::Down));
        assert_eq!(
            app.update(key(KeyCode::Down)),
            Effect::None,
            "the list ends"
        );
        app.update(key(KeyCode::Char('k')));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Mfa(MfaKind::Email))
        );
    }

    #[test]
    fn snapshot_select_mfa() {
        let mut app = at(Step::SelectMfa {
            options: every_mfa(),
        });
        app.update(key(KeyCode::Down));
        snapshot_both_sizes!("select_mfa", &app);
    }
}
