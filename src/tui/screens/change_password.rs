//! ChangePassword for a signed-in person: the current password, then the new one typed
//! twice (a mismatch is caught here and nothing is sent). A refusal (a wrong current
//! password, or InvalidPasswordException naming the pool's rule) stays on the screen,
//! wrapped whole, with every field cleared. Esc goes back to account security.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, open_account, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_CHANGE_PASSWORD;

/// The fields, in order.
const CURRENT: usize = 0;
const PROPOSED: usize = 1;
const CONFIRMATION: usize = 2;
const FIELDS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    NextOrSubmit,
    Submit,
    NextField,
    PreviousField,
    Back,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_NEXT_OR_SEND,
        action: Action::NextOrSubmit,
    },
    Binding {
        keys: &[Key::ctrl(KeyCode::Char('s'))],
        does: strings::KEY_SEND,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab), Key::plain(KeyCode::Down)],
        does: strings::KEY_NEXT,
        action: Action::NextField,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab), Key::plain(KeyCode::Up)],
        does: strings::KEY_PREVIOUS,
        action: Action::PreviousField,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_BACK,
        action: Action::Back,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The change-password form's state. Debug shows neither password.
pub struct ChangePassword {
    username: String,
    /// Current password, new password, new password again: all masked.
    inputs: [TextInput; FIELDS],
    focus: usize,
    message: Option<String>,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePassword")
            .field("username", &self.username)
            .field("focus", &self.focus)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl ChangePassword {
    /// The form for `username`, its fields empty.
    pub fn new(username: String) -> Self {
        Self {
            username,
            inputs: [
                TextInput::masked(strings::LABEL_CURRENT_PASSWORD),
                TextInput::masked(strings::LABEL_NEW_PASSWORD),
                TextInput::masked(strings::LABEL_CONFIRM_PASSWORD),
            ],
            focus: CURRENT,
            message: None,
        }
    }

    /// The index of the focused field (0 current, 1 new, 2 new again).
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Whether every field is empty.
    pub fn is_empty(&self) -> bool {
        self.inputs.iter().all(TextInput::is_empty)
    }

    /// The message under the form, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused change: clear every field, focus the first, show the pool's sentence.
    pub fn show_error(&mut self, problem: Problem) {
        self.inputs.iter_mut().for_each(TextInput::clear);
        self.focus = CURRENT;
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::NextOrSubmit) if self.focus < CONFIRMATION => {
                self.focus += 1;
                Reaction::Changed
            }
            Some(Action::NextOrSubmit | Action::Submit) => self.submit(),
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % FIELDS;
                Reaction::Changed
            }
            Some(Action::PreviousField) => {
                self.focus = (self.focus + FIELDS - 1) % FIELDS;
                Reaction::Changed
            }
            Some(Action::Back) => open_account(),
            None => match self.inputs.get_mut(self.focus) {
                Some(input) => type_into(input, key, &mut self.message),
                None => Reaction::Ignored,
            },
        }
    }

    /// Checks the form and sends both passwords, or says what to fix (nothing is sent).
    fn submit(&mut self) -> Reaction {
        if self.inputs[CURRENT].is_empty() {
            return self.stop(CURRENT, strings::NEED_CURRENT_PASSWORD);
        }
        if self.inputs[PROPOSED].is_empty() {
            return self.stop(PROPOSED, strings::NEED_NEW_PASSWORD);
        }
        if self.inputs[PROPOSED].value() != self.inputs[CONFIRMATION].value() {
            self.inputs[PROPOSED].clear();
            self.inputs[CONFIRMATION].clear();
            return self.stop(PROPOSED, strings::PASSWORDS_DIFFER);
        }
        self.message = None;
        Reaction::Send(Command::Answer(Answer::ChangePassword {
            current: SensitiveString::from(self.inputs[CURRENT].value()),
            proposed: SensitiveString::from(self.inputs[PROPOSED].value()),
        }))
    }

    /// Nothing is sent: focus `field` and say why.
    fn stop(&mut self, field: usize, why: &str) -> Reaction {
        self.focus = field;
        self.message = Some(why.to_owned());
        Reaction::Changed
    }

    /// The form: whose password, what to type, the fields and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        Form {
            intro: vec![
                Line::styled(
                    strings::signed_in_as_sentence(&self.username),
                    view.theme.muted(),
                ),
                Line::raw(strings::CHANGE_PASSWORD_INTRO),
            ],
            inputs: self.inputs.iter().collect(),
            focus: self.focus,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the explanation, the fields and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }
}

#[cfg(test)]
mod tests {
    //! Changing the password: three masked fields, a mismatch caught here, both
    //! passwords sent, a refusal wrapped whole with the fields cleared, Esc back, and
    //! no password in a Debug print.

    use crossterm::event::KeyCode;

    use crate::auth::{AccountAction, Answer};
    use crate::test_support::change_password;
    use crate::test_support::tui::{
        answer, at_account, ctrl, footer_keys, key, refuse, render, screen, snapshot_both_sizes,
        text, type_text,
    };
    use crate::tui::app::Effect;
    use crate::tui::strings;

    /// Types the three fields, moving with Enter between them (not after the last).
    fn fill(app: &mut crate::tui::app::App, current: &str, proposed: &str, again: &str) {
        type_text(app, current);
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        type_text(app, proposed);
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        type_text(app, again);
    }

    #[test]
    fn both_passwords_are_sent_once_the_new_one_is_typed_twice() {
        let mut app = at_account(change_password());
        fill(
            &mut app,
            "Demo-Password-1!",
            "N3w-Passw0rd!",
            "N3w-Passw0rd!",
        );
        assert_eq!(screen!(app, ChangePassword).focus(), 2);
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::ChangePassword {
                current: "Demo-Password-1!".into(),
                proposed: "N3w-Passw0rd!".into(),
            })
        );
        let drawn = render(&app, 80, 24);
        assert!(!drawn.contains("Passw"), "masked: {drawn}");
    }

    #[test]
    fn a_mismatch_or_an_empty_field_is_said_and_nothing_is_sent() {
        let mut app = at_account(change_password());
        assert_eq!(app.update(ctrl('s')), Effect::Redraw);
        assert_eq!(
            screen!(app, ChangePassword).message(),
            Some(strings::NEED_CURRENT_PASSWORD)
        );
        fill(&mut app, "old", "one", "two");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        let screen = screen!(app, ChangePassword);
        assert_eq!(screen.message(), Some(strings::PASSWORDS_DIFFER));
        assert_eq!(screen.focus(), 1, "back to the new password");
        // Up to the current password, which was kept, and down again.
        app.update(key(KeyCode::Up));
        assert_eq!(screen!(app, ChangePassword).focus(), 0);
        app.update(key(KeyCode::BackTab));
        assert_eq!(screen!(app, ChangePassword).focus(), 2);
        app.update(key(KeyCode::Tab));
        assert_eq!(app.update(ctrl('s')), Effect::Redraw);
        assert_eq!(
            screen!(app, ChangePassword).message(),
            Some(strings::NEED_NEW_PASSWORD)
        );
    }

    #[test]
    fn a_refusal_stays_wrapped_whole_with_every_field_cleared() {
        let policy = "Password does not conform to policy: Password must have symbol characters";
        let mut app = at_account(change_password());
        fill(
            &mut app,
            "Demo-Password-1!",
            "weakpassword1",
            "weakpassword1",
        );
        assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
        refuse(&mut app, "InvalidPasswordException", policy);
        let screen = screen!(app, ChangePassword);
        assert!(screen.is_empty());
        assert_eq!(screen.focus(), 0);
        assert_eq!(screen.message(), Some(policy));
        for (width, height) in [(80, 24), (60, 18)] {
            let drawn = text(&app, width, height);
            assert!(drawn.contains(policy), "{width}x{height}: {drawn}");
        }
        // At 40x12 the cleared fields keep the focus; the sentence is a PgDn away, whole.
        let mut seen = text(&app, 40, 12);
        while app.update(key(KeyCode::PageDown)) == Effect::Redraw {
            seen.push_str(&text(&app, 40, 12));
        }
        assert!(seen.contains("symbol characters"), "{seen}");
    }

    #[test]
    fn esc_goes_back_and_debug_shows_no_password() {
        let mut app = at_account(change_password());
        type_text(&mut app, "Demo-Password-1!");
        let debug = format!("{:?}", app.screen());
        assert!(!debug.contains("Demo-Password"), "{debug}");
        assert_eq!(
            footer_keys(&app),
            ["Enter", "Ctrl-S", "Tab/↓", "Shift-Tab/↑", "Esc"]
        );
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(AccountAction::Open))
        );
    }

    #[test]
    fn snapshot_change_password_refused() {
        let mut app = at_account(change_password());
        fill(
            &mut app,
            "Demo-Password-1!",
            "weakpassword1",
            "weakpassword1",
        );
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "InvalidPasswordException",
            "Password does not conform to policy: Password must have symbol characters",
        );
        snapshot_both_sizes!("change_password", &app);
    }
}
