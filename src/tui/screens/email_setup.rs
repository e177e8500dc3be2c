//! MFA_SETUP for e-mail: the address codes will go to. An EMAIL_OTP code screen follows.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, ContactKind, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_EMAIL_SETUP;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Restart,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SEND,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: Action::Restart,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The e-mail enrolment screen's state.
#[derive(Debug)]
pub struct EmailSetup {
    username: String,
    email: TextInput,
    message: Option<String>,
}

impl EmailSetup {
    /// The screen for this username.
    pub fn new(username: String) -> Self {
        Self {
            username,
            email: TextInput::new(strings::LABEL_EMAIL_ADDRESS),
            message: None,
        }
    }

    /// The address typed so far.
    pub fn email(&self) -> &str {
        self.email.value()
    }

    /// The message under the field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: keep the address to correct it, show why.
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Submit) => {
                let email = self.email.value().trim().to_owned();
                // The server checks the address; this only catches an obvious slip.
                if !ContactKind::Email.looks_valid(&email) {
                    self.message = Some(strings::NEED_EMAIL.to_owned());
                    return Reaction::Changed;
                }
                self.message = None;
                Reaction::Send(Command::Answer(Answer::EmailSetup { email }))
            }
            Some(Action::Restart) => restart(&self.username),
            None => type_into(&mut self.email, key, &mut self.message),
        }
    }

    /// The form: the explanation, the address field and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        Form {
            intro: vec![
                Line::styled(strings::signing_in_as(&self.username), view.theme.muted()),
                Line::raw(strings::EMAIL_SETUP_INTRO),
            ],
            inputs: vec![&self.email],
            focus: 0,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the explanation, the field and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }
}

#[cfg(test)]
mod tests {
    //! E-mail enrolment: an address is checked before it is sent and kept when refused.

    use crossterm::event::KeyCode;

    use crate::auth::Answer;
    use crate::test_support::email_setup;
    use crate::test_support::tui::{
        answer, at, key, refuse, screen, snapshot_both_sizes, type_text,
    };
    use crate::tui::app::Effect;

    #[test]
    fn email_setup_checks_for_an_address_and_sends_it() {
        let mut app = at(email_setup());
        type_text(&mut app, "alice");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        type_text(&mut app, "@example.com");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::EmailSetup {
                email: "alice@example.com".into()
            })
        );
        refuse(
            &mut app,
            "InvalidParameterException",
            "Invalid email address format.",
        );
        let screen = screen!(app, EmailSetup);
        assert_eq!(screen.email(), "alice@example.com", "kept to correct it");
    }

    #[test]
    fn snapshot_email_setup() {
        let mut app = at(email_setup());
        type_text(&mut app, "alice@example.com");
        snapshot_both_sizes!("email_setup", &app);
    }
}
