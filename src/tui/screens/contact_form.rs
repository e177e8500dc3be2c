//! A new e-mail address or phone number for a signed-in person (UpdateUserAttributes,
//! which sends a code to prove it): one field, pre-filled with the current value. An
//! obvious slip (an address without `@`, a number not in E.164 form) is said here and
//! nothing is sent; the pool checks the rest. Esc goes back to account security.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, ContactKind, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, open_account, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// E.164 allows at most 15 digits after the `+`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Back,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SEND,
        action: Action::Submit,
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

/// The contact form's state.
#[derive(Debug)]
pub struct ContactForm {
    contact: ContactKind,
    /// Whether the person has one already (the title says "change", else "add").
    has_current: bool,
    value: TextInput,
    message: Option<String>,
}

impl ContactForm {
    /// The form for `contact`, `current` pre-filled.
    pub fn new(contact: ContactKind, current: Option<String>) -> Self {
        let label = match contact {
            ContactKind::Email => strings::LABEL_ACCOUNT_EMAIL,
            ContactKind::Phone => strings::LABEL_ACCOUNT_PHONE,
        };
        let mut value = TextInput::new(label);
        if let Some(current) = &current {
            value.set_value(current);
        }
        Self {
            contact,
            has_current: current.is_some(),
            value,
            message: None,
        }
    }

    /// The title on the border: change the address or number there is, or add one.
    pub fn title(&self) -> &'static str {
        match (self.contact, self.has_current) {
            (ContactKind::Email, true) => strings::TITLE_CHANGE_EMAIL,
            (ContactKind::Email, false) => strings::TITLE_ADD_EMAIL,
            (ContactKind::Phone, true) => strings::TITLE_CHANGE_PHONE,
            (ContactKind::Phone, false) => strings::TITLE_ADD_PHONE,
        }
    }

    /// The value typed so far.
    pub fn value(&self) -> &str {
        self.value.value()
    }

    /// The message under the field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused value: keep it to correct it, show why.
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::Back) => open_account(),
            None => type_into(&mut self.value, key, &mut self.message),
        }
    }

    /// Sends the value when it passes the light check, or says what it should look like.
    fn submit(&mut self) -> Reaction {
        let value = self.value.value().trim().to_owned();
        let need = match self.contact {
            ContactKind::Email => strings::NEED_EMAIL,
            ContactKind::Phone => strings::NEED_PHONE,
        };
        if !self.contact.looks_valid(&value) {
            self.message = Some(need.to_owned());
            return Reaction::Changed;
        }
        self.message = None;
        Reaction::Send(Command::Answer(Answer::Contact(value)))
    }

    /// The form: what happens next, the field and the status.
    pub fn form(&self, _view: &ViewContext<'_>) -> Form<'_> {
        let intro = match self.contact {
            ContactKind::Email => strings::CONTACT_FORM_EMAIL_INTRO,
            ContactKind::Phone => strings::CONTACT_FORM_PHONE_INTRO,
        };
        Form {
            intro: vec![Line::raw(intro)],
            inputs: vec![&self.value],
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
    //! The contact form: pre-filled, checked lightly before it is sent, kept when
    //! refused, Esc back to account security.

    use crossterm::event::KeyCode;

    use crate::auth::{AccountAction, Answer, ContactKind};
    use crate::test_support::contact_form;
    use crate::test_support::tui::{
        answer, at_account, footer_keys, key, refuse, render, screen, snapshot_both_sizes,
        type_text,
    };
    use crate::tui::app::Effect;
    use crate::tui::strings;

    #[test]
    fn the_current_address_is_pre_filled_and_a_new_one_is_sent() {
        let mut app = at_account(contact_form(ContactKind::Email, Some("alice@example.com")));
        assert_eq!(app.screen().title(), strings::TITLE_CHANGE_EMAIL);
        assert_eq!(screen!(app, ContactForm).value(), "alice@example.com");
        for _ in 0.."example.com".len() {
            app.update(key(KeyCode::Backspace));
        }
        type_text(&mut app, "example.org ");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Contact("alice@example.org".into()))
        );
        refuse(
            &mut app,
            "AliasExistsException",
            "An account with the given email already exists.",
        );
        assert_eq!(screen!(app, ContactForm).value(), "alice@example.org ");
        assert!(render(&app, 80, 24).contains("already exists"));
    }

    #[test]
    fn a_phone_number_not_in_international_form_is_said_and_not_sent() {
        let mut app = at_account(contact_form(ContactKind::Phone, None));
        assert_eq!(app.screen().title(), strings::TITLE_ADD_PHONE);
        type_text(&mut app, "555 555 0123");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        assert_eq!(
            screen!(app, ContactForm).message(),
            Some(strings::NEED_PHONE)
        );
        let drawn = render(&app, 40, 12);
        assert!(drawn.contains("international"), "{drawn}");
        // Typing clears it; a number in E.164 form goes out.
        app.update(key(KeyCode::Backspace));
        assert_eq!(screen!(app, ContactForm).message(), None);
        for _ in 0..20 {
            app.update(key(KeyCode::Backspace));
        }
        type_text(&mut app, "+15555550123");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Contact("+15555550123".into()))
        );
    }

    #[test]
    fn an_address_without_an_at_sign_is_said_and_esc_goes_back() {
        let mut app = at_account(contact_form(ContactKind::Email, None));
        type_text(&mut app, "alice");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(
            screen!(app, ContactForm).message(),
            Some(strings::NEED_EMAIL)
        );
        assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(AccountAction::Open))
        );
    }

    #[test]
    fn snapshot_contact_form_phone() {
        let mut app = at_account(contact_form(ContactKind::Phone, Some("+15555550123")));
        for _ in 0.."+15555550123".len() {
            app.update(key(KeyCode::Backspace));
        }
        type_text(&mut app, "5555550199");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        snapshot_both_sizes!("contact_form_phone", &app);
    }
}
