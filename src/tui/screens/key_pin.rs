//! A security key asking for its PIN, on a passkey sign-in or while adding a passkey:
//! one masked field. A wrong PIN comes back as this screen with the tries the key has
//! left. Esc gives up: a fresh sign-in, or back to account security.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, KeyPinPrompt, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, open_account, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_KEY_PIN;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Leave,
}

/// Enter, on both kinds of PIN screen.
const GIVE_PIN: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Enter)],
    does: strings::KEY_GIVE_PIN,
    action: Action::Submit,
};

/// Esc starts a fresh sign-in, or goes back to account security.
const ON_SIGN_IN: &[Binding<Action>] = &[
    GIVE_PIN,
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: Action::Leave,
    },
];
const ON_ENROLMENT: &[Binding<Action>] = &[
    GIVE_PIN,
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_BACK,
        action: Action::Leave,
    },
];

/// The PIN screen's state.
#[derive(Debug)]
pub struct KeyPin {
    prompt: KeyPinPrompt,
    username: String,
    pin: TextInput,
    message: Option<String>,
}

impl KeyPin {
    /// The screen for the key's request; `username` for "start again".
    pub fn new(prompt: KeyPinPrompt, username: &str) -> Self {
        let message = prompt.wrong.then(|| strings::wrong_key_pin(prompt.retries));
        Self {
            prompt,
            username: username.to_owned(),
            pin: TextInput::masked(strings::LABEL_KEY_PIN),
            message,
        }
    }

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.prompt.enrolling {
            ON_ENROLMENT
        } else {
            ON_SIGN_IN
        }
    }

    /// The footer entries.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(self.bindings())
    }

    /// The message under the field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer (an empty PIN): clear the field, say why.
    pub fn show_error(&mut self, problem: Problem) {
        self.pin.clear();
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(self.bindings(), key) {
            Some(Action::Submit) => {
                if self.pin.is_empty() {
                    self.message = Some(strings::NEED_KEY_PIN.to_owned());
                    return Reaction::Changed;
                }
                self.message = None;
                let pin = SensitiveString::from(self.pin.value());
                self.pin.clear();
                Reaction::Send(Command::Answer(Answer::KeyPin(pin)))
            }
            Some(Action::Leave) if self.prompt.enrolling => open_account(),
            Some(Action::Leave) => restart(&self.username),
            None => type_into(&mut self.pin, key, &mut self.message),
        }
    }

    /// The form: what the key asks, the PIN field and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        Form {
            intro: vec![Line::styled(
                strings::key_pin_intro(&self.prompt.relying_party),
                view.theme.muted(),
            )],
            inputs: vec![&self.pin],
            focus: 0,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the text, the field and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }
}

#[cfg(test)]
mod tests {
    //! The PIN goes to the auth task once typed, never onto the screen; a wrong one
    //! comes back with the tries left; Esc leaves the way the step came.

    use crossterm::event::KeyCode;

    use crate::auth::{AccountAction, Answer, Command, KeyPinPrompt, Step};
    use crate::test_support::tui::{answer, at, key, render, screen, type_text};
    use crate::tui::app::Effect;

    fn pin_step(wrong: bool, retries: Option<u8>, enrolling: bool) -> Step {
        Step::KeyPin(KeyPinPrompt {
            relying_party: "auth.example.com".to_owned(),
            enrolling,
            wrong,
            retries,
        })
    }

    #[test]
    fn the_pin_is_sent_masked_and_never_drawn() {
        let mut app = at(pin_step(false, None, false));
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(
            screen!(app, KeyPin).message(),
            Some("Enter the security key's PIN.")
        );
        type_text(&mut app, "4831");
        assert!(!render(&app, 80, 24).contains("4831"));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::KeyPin("4831".into()))
        );
    }

    #[test]
    fn a_wrong_pin_says_how_many_tries_are_left() {
        let app = at(pin_step(true, Some(2), false));
        assert_eq!(
            screen!(app, KeyPin).message(),
            Some("Wrong PIN: 2 tries left before the key blocks its PIN.")
        );
        assert!(render(&app, 80, 24).contains("2 tries left"));
    }

    #[test]
    fn esc_starts_again_on_a_sign_in_and_goes_back_while_enrolling() {
        let mut app = at(pin_step(false, None, false));
        assert!(matches!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Restart { .. })
        ));
        let mut app = at(pin_step(false, None, true));
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Answer(Answer::Account(AccountAction::Open)))
        );
    }
}
