//! PASSWORD or PASSWORD_SRP chosen after SELECT_CHALLENGE: the password alone, masked,
//! under the username it is for.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_PASSWORD;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Restart,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SIGN_IN,
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

/// The password screen's state.
#[derive(Debug)]
pub struct Password {
    username: String,
    password: TextInput,
    message: Option<String>,
}

impl Password {
    /// The screen for this username.
    pub fn new(username: String) -> Self {
        Self {
            username,
            password: TextInput::masked(strings::LABEL_PASSWORD),
            message: None,
        }
    }

    /// Whether the password field is empty.
    pub fn password_is_empty(&self) -> bool {
        self.password.is_empty()
    }

    /// The message under the field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: clear the password, show why.
    pub fn show_error(&mut self, problem: Problem) {
        self.password.clear();
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Submit) => {
                if self.password.is_empty() {
                    self.message = Some(strings::NEED_PASSWORD.to_owned());
                    return Reaction::Changed;
                }
                self.message = None;
                let password = SensitiveString::from(self.password.value());
                Reaction::Send(Command::Answer(Answer::Password(password)))
            }
            Some(Action::Restart) => restart(&self.username),
            None => type_into(&mut self.password, key, &mut self.message),
        }
    }

    /// The form: who signs in, the password field and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        Form {
            intro: vec![Line::styled(
                strings::signing_in_as(&self.username),
                view.theme.muted(),
            )],
            inputs: vec![&self.password],
            focus: 0,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the username, the field and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }
}

#[cfg(test)]
mod tests {
    //! The password asked after a chosen first factor: sent once typed, cleared when refused.

    use crossterm::event::KeyCode;

    use crate::auth::Answer;
    use crate::test_support::password;
    use crate::test_support::tui::{
        answer, at, key, refuse, render, screen, snapshot_both_sizes, type_text,
    };
    use crate::tui::app::Effect;

    #[test]
    fn the_password_screen_sends_the_password_and_clears_it_when_refused() {
        let mut app = at(password());
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        type_text(&mut app, "Passw0rd!");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Password("Passw0rd!".into()))
        );
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        let screen = screen!(app, Password);
        assert!(screen.password_is_empty());
        assert_eq!(screen.message(), Some("Incorrect username or password."));
        assert!(!render(&app, 80, 24).contains("Passw0rd!"));
    }

    #[test]
    fn snapshot_password() {
        let mut app = at(password());
        type_text(&mut app, "secret");
        snapshot_both_sizes!("password", &app);
    }
}
