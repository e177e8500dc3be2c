//! MFA_SETUP offering several factors: which one to enrol. SMS is only explained (an
//! administrator must add a phone number to the account first) and never sent.

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
pub const TITLE: &str = strings::TITLE_SELECT_MFA_SETUP;

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(LIST_BINDINGS)
}

/// Whether this console can enrol the factor (SMS needs an administrator).
fn can_set_up(kind: MfaKind) -> bool {
    kind != MfaKind::Sms
}

/// The MFA_SETUP list's state.
#[derive(Debug)]
pub struct SelectMfaSetup {
    list: MfaList,
}

impl SelectMfaSetup {
    /// The list for MFAS_CAN_SETUP; `username` is kept for starting again.
    pub fn new(options: Vec<MfaKind>, username: &str) -> Self {
        let mut list = MfaList::new(username, options);
        if let Some(first) = list.options.iter().position(|kind| can_set_up(*kind)) {
            list.list = ChoiceList::with_selected(list.options.len(), first);
        }
        Self { list }
    }

    /// The factor under the cursor.
    pub fn selected(&self) -> Option<MfaKind> {
        self.list.selected()
    }

    /// The explanation or error on show, if any.
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
                Some(MfaKind::Sms) => {
                    self.list.message = Some(strings::SMS_SETUP_NEEDS_ADMIN.to_owned());
                    Reaction::Changed
                }
                Some(kind) => {
                    self.list.message = None;
                    Reaction::Send(Command::Answer(Answer::MfaSetup(kind)))
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
        self.list
            .rows_needed(width, view, strings::CHOOSE_MFA_SETUP)
    }

    /// Draws the question, the list and the message.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.list
            .render(frame, area, view, strings::CHOOSE_MFA_SETUP, can_set_up);
    }
}

#[cfg(test)]
mod tests {
    //! MFA_SETUP's list: SMS is explained and never sent; another factor is.

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, MfaKind, Step};
    use crate::test_support::every_mfa;
    use crate::test_support::tui::{answer, at, key, screen, snapshot_both_sizes};
    use crate::tui::app::Effect;
    use crate::tui::strings;

    #[test]
    fn mfa_setup_explains_sms_and_never_sends_it() {
        let mut app = at(Step::SelectMfaSetup {
            options: every_mfa(),
        });
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Down));
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        let screen = screen!(app, SelectMfaSetup);
        assert_eq!(screen.message(), Some(strings::SMS_SETUP_NEEDS_ADMIN));
        app.update(key(KeyCode::Up));
        app.update(key(KeyCode::Up));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::MfaSetup(MfaKind::SoftwareToken))
        );
    }

    #[test]
    fn snapshot_select_mfa_setup_with_sms_explained() {
        let mut app = at(Step::SelectMfaSetup {
            options: every_mfa(),
        });
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Enter));
        snapshot_both_sizes!("select_mfa_setup", &app);
    }
}
