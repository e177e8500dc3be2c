//! NEW_PASSWORD_REQUIRED: a new password typed twice (a mismatch is caught here, nothing
//! is sent), one field per required attribute labelled with its name, and the account's
//! current attributes. A refused password (InvalidPasswordException) shows here, with the
//! password fields cleared and the attributes kept. A password reset's new password
//! uses the same form, without attributes.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::auth::{Answer, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_NEW_PASSWORD;

/// The fields before the attributes: password and confirmation.
const PASSWORD: usize = 0;
const CONFIRMATION: usize = 1;
const FIRST_ATTRIBUTE: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    NextOrSubmit,
    Submit,
    NextField,
    PreviousField,
    Restart,
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
        does: strings::KEY_START_AGAIN,
        action: Action::Restart,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The new-password screen's state.
#[derive(Debug)]
pub struct NewPassword {
    username: String,
    /// Password, confirmation, then one per required attribute.
    inputs: Vec<TextInput>,
    /// The required attributes' names, in the order of their fields.
    attribute_names: Vec<String>,
    user_attributes: BTreeMap<String, String>,
    /// Whether this is a password reset's form (no attributes to show).
    reset: bool,
    focus: usize,
    message: Option<String>,
}

impl NewPassword {
    /// The form for this step. Required attributes that already have a value start with it.
    pub fn new(
        username: String,
        required_attributes: Vec<String>,
        user_attributes: BTreeMap<String, String>,
    ) -> Self {
        let mut inputs = vec![
            TextInput::masked(strings::LABEL_NEW_PASSWORD),
            TextInput::masked(strings::LABEL_CONFIRM_PASSWORD),
        ];
        for name in &required_attributes {
            let mut input = TextInput::new(name.clone());
            if let Some(value) = user_attributes.get(name) {
                input.set_value(value);
            }
            inputs.push(input);
        }
        Self {
            username,
            inputs,
            attribute_names: required_attributes,
            user_attributes,
            reset: false,
            focus: PASSWORD,
            message: None,
        }
    }

    /// The new password of a reset (ConfirmForgotPassword): the two password fields.
    pub fn for_reset(username: String) -> Self {
        Self {
            reset: true,
            ..Self::new(username, Vec::new(), BTreeMap::new())
        }
    }

    /// The index of the focused field (0 password, 1 confirmation, then the attributes).
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// The value typed for a required attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let index = self
            .attribute_names
            .iter()
            .position(|known| known == name)?;
        self.inputs
            .get(FIRST_ATTRIBUTE + index)
            .map(TextInput::value)
    }

    /// Whether both password fields are empty.
    pub fn passwords_are_empty(&self) -> bool {
        self.inputs[PASSWORD].is_empty() && self.inputs[CONFIRMATION].is_empty()
    }

    /// The message under the form, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: clear both passwords (keep the attributes), focus the first.
    pub fn show_error(&mut self, problem: Problem) {
        self.clear_passwords();
        self.message = Some(problem.sentence);
    }

    fn clear_passwords(&mut self) {
        self.inputs[PASSWORD].clear();
        self.inputs[CONFIRMATION].clear();
        self.focus = PASSWORD;
    }

    fn last(&self) -> usize {
        self.inputs.len() - 1
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::NextOrSubmit) if self.focus < self.last() => {
                self.focus += 1;
                Reaction::Changed
            }
            Some(Action::NextOrSubmit | Action::Submit) => self.submit(),
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % self.inputs.len();
                Reaction::Changed
            }
            Some(Action::PreviousField) => {
                self.focus = self.focus.checked_sub(1).unwrap_or(self.last());
                Reaction::Changed
            }
            Some(Action::Restart) => restart(&self.username),
            None => match self.inputs.get_mut(self.focus) {
                Some(input) => type_into(input, key, &mut self.message),
                None => Reaction::Ignored,
            },
        }
    }

    /// Checks the form and sends the answer, or says what to fix (nothing is sent then).
    fn submit(&mut self) -> Reaction {
        if self.inputs[PASSWORD].is_empty() {
            self.focus = PASSWORD;
            self.message = Some(strings::NEED_PASSWORD.to_owned());
            return Reaction::Changed;
        }
        if self.inputs[PASSWORD].value() != self.inputs[CONFIRMATION].value() {
            self.clear_passwords();
            self.message = Some(strings::PASSWORDS_DIFFER.to_owned());
            return Reaction::Changed;
        }
        let mut attributes = BTreeMap::new();
        for (index, name) in self.attribute_names.iter().enumerate() {
            let value = self.inputs[FIRST_ATTRIBUTE + index].value().trim();
            if value.is_empty() {
                self.focus = FIRST_ATTRIBUTE + index;
                self.message = Some(strings::need_attribute(name));
                return Reaction::Changed;
            }
            attributes.insert(name.clone(), value.to_owned());
        }
        self.message = None;
        let password = SensitiveString::from(self.inputs[PASSWORD].value());
        Reaction::Send(Command::Answer(Answer::NewPassword {
            password,
            attributes,
        }))
    }

    /// The form: the explanation, the current attributes, the fields and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        let intro = if self.reset {
            vec![
                Line::styled(
                    strings::resetting_password_of(&self.username),
                    view.theme.muted(),
                ),
                Line::raw(strings::RESET_PASSWORD_INTRO),
            ]
        } else {
            self.challenge_intro(view)
        };
        Form {
            intro,
            inputs: self.inputs.iter().collect(),
            focus: self.focus,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the explanation, the current attributes, the fields and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }

    /// NEW_PASSWORD_REQUIRED's explanation and the account's current attributes.
    fn challenge_intro(&self, view: &ViewContext<'_>) -> Vec<Line<'static>> {
        let theme = view.theme;
        let current = if self.user_attributes.is_empty() {
            strings::NO_ATTRIBUTES.to_owned()
        } else {
            self.user_attributes
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        vec![
            Line::styled(strings::signing_in_as(&self.username), theme.muted()),
            Line::raw(strings::NEW_PASSWORD_INTRO),
            Line::from(vec![
                Span::styled(
                    format!("{}: ", strings::LABEL_CURRENT_ATTRIBUTES),
                    theme.muted(),
                ),
                Span::raw(current),
            ]),
        ]
    }
}

#[cfg(test)]
mod tests {
    //! The new-password screen, for NEW_PASSWORD_REQUIRED and a password reset: moving
    //! between the fields, the password typed twice, required attributes asked for,
    //! refusals that keep the attributes.

    use std::collections::BTreeMap;

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, Step};
    use crate::test_support::tui::{
        answer, at, ctrl, key, refuse, render, screen, snapshot_both_sizes, type_text,
    };
    use crate::test_support::{new_password, reset_password};
    use crate::tui::app::Effect;
    use crate::tui::strings;

    #[test]
    fn new_password_moves_between_fields_and_sends_password_and_attributes() {
        let mut app = at(new_password());
        type_text(&mut app, "N3w-Passw0rd!");
        app.update(key(KeyCode::Enter));
        assert_eq!(screen!(app, NewPassword).focus(), 1);
        type_text(&mut app, "N3w-Passw0rd!");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "Alice Liddell");
        app.update(key(KeyCode::Down));
        assert_eq!(screen!(app, NewPassword).focus(), 3);
        app.update(key(KeyCode::Up));
        app.update(key(KeyCode::BackTab));
        assert_eq!(screen!(app, NewPassword).focus(), 1);
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "+15555550101");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::NewPassword {
                password: "N3w-Passw0rd!".into(),
                attributes: BTreeMap::from([
                    ("name".into(), "Alice Liddell".into()),
                    ("phone_number".into(), "+15555550101".into()),
                ]),
            })
        );
    }

    #[test]
    fn a_password_mismatch_is_caught_on_the_screen_and_nothing_is_sent() {
        let mut app = at(new_password());
        type_text(&mut app, "N3w-Passw0rd!");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "N3w-Passw0rd?");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "Alice");
        assert_eq!(app.update(ctrl('s')), Effect::Redraw);
        assert!(!app.is_busy());
        let screen = screen!(app, NewPassword);
        assert_eq!(screen.message(), Some(strings::PASSWORDS_DIFFER));
        assert!(screen.passwords_are_empty());
        assert_eq!(screen.focus(), 0);
        assert_eq!(screen.attribute("name"), Some("Alice"));
    }

    #[test]
    fn a_missing_attribute_is_asked_for_before_sending() {
        let mut app = at(new_password());
        type_text(&mut app, "pw");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "pw");
        assert_eq!(app.update(ctrl('s')), Effect::Redraw);
        let screen = screen!(app, NewPassword);
        assert_eq!(screen.message(), Some("Enter a value for name."));
        assert_eq!(screen.focus(), 2);
    }

    #[test]
    fn a_refused_password_clears_the_passwords_and_keeps_the_attributes() {
        let mut app = at(new_password());
        type_text(&mut app, "short");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "short");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "Alice");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "+15555550101");
        assert!(matches!(app.update(ctrl('s')), Effect::Send(_)));
        refuse(
            &mut app,
            "InvalidPasswordException",
            "Password does not conform to policy: Password not long enough",
        );
        let screen = screen!(app, NewPassword);
        assert!(screen.passwords_are_empty());
        assert_eq!(screen.attribute("name"), Some("Alice"));
        assert_eq!(screen.attribute("phone_number"), Some("+15555550101"));
        assert!(render(&app, 80, 24).contains("Password not long enough"));
    }

    #[test]
    fn new_password_shows_the_current_attributes_and_labels_fields_by_name() {
        let drawn = render(&at(new_password()), 120, 40);
        assert!(drawn.contains("email=alice@example.com"), "{drawn}");
        assert!(drawn.contains(" name "), "{drawn}");
        assert!(drawn.contains(" phone_number "), "{drawn}");
    }

    #[test]
    fn the_reset_password_is_typed_twice_and_sent_without_attributes() {
        let mut app = at(reset_password());
        assert!(!render(&app, 120, 40).contains("Current attributes"));
        type_text(&mut app, "Reset-Password-2!");
        app.update(key(KeyCode::Enter));
        type_text(&mut app, "Reset-Password-2!");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::NewPassword {
                password: "Reset-Password-2!".into(),
                attributes: Default::default(),
            })
        );
    }

    #[test]
    fn snapshot_new_password_after_a_mismatch() {
        let mut app = at(new_password());
        type_text(&mut app, "one");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "two");
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "Alice Liddell");
        app.update(ctrl('s'));
        snapshot_both_sizes!("new_password", &app);
    }

    #[test]
    fn snapshot_new_password_with_many_attributes_uses_one_row_per_field() {
        let mut app = at(Step::NewPassword {
            username: "alice".into(),
            required_attributes: vec![
                "name".into(),
                "family_name".into(),
                "phone_number".into(),
                "custom:team".into(),
            ],
            user_attributes: BTreeMap::new(),
        });
        type_text(&mut app, "secret");
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "Alice");
        snapshot_both_sizes!("new_password_many_attributes", &app);
    }

    #[test]
    fn snapshot_reset_password() {
        let app = at(reset_password());
        snapshot_both_sizes!("reset_password", &app);
    }
}
