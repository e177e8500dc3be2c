//! The sign-in form: a username and a masked password, or the username alone when the
//! flow starts without one (USER_AUTH, CUSTOM_AUTH without SRP). Empty fields are refused
//! here, before anything is sent; a refused answer shows in red with the password cleared
//! (a refused reset, about the username, keeps the password and the focus on the username).
//! Typing into a field clears the message: it was about the old text.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::auth::{Answer, Command, Outcome, Problem, SessionInfo};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::rows_of;
use crate::tui::screens::{Reaction, ViewContext, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_SIGN_IN;

/// The widest the form grows.
const FORM_WIDTH: u16 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    NextField,
    PreviousField,
    ForgotPassword,
    Quit,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SIGN_IN,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        does: strings::KEY_NEXT,
        action: Action::NextField,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        does: strings::KEY_PREVIOUS,
        action: Action::PreviousField,
    },
    // Ctrl-F: ForgotPassword for the username typed (password forms only).
    Binding {
        keys: &[Key::ctrl(KeyCode::Char('f'))],
        does: strings::KEY_FORGOT_PASSWORD,
        action: Action::ForgotPassword,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_QUIT,
        action: Action::Quit,
    },
];

/// The keys of the username-only form (nothing to move between).
const USERNAME_ONLY_BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SIGN_IN,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_QUIT,
        action: Action::Quit,
    },
];

/// Which field has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Username,
    Password,
}

/// The sign-in form's state.
#[derive(Debug)]
pub struct SignIn {
    username: TextInput,
    password: TextInput,
    focus: Field,
    /// Whether the flow asks for the password on this form.
    needs_password: bool,
    /// A refusal (local or from the server), shown in red under the form.
    message: Option<String>,
    /// Good news (the password was reset), shown under the form until it is sent.
    notice: Option<String>,
    /// What the form last sent, so a refusal lands on the field it is about.
    sent: Option<Sent>,
}

/// What the form sent to the auth task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    /// The username and password (Enter).
    SignIn,
    /// A password reset for the username (Ctrl-F).
    ForgotPassword,
}

impl SignIn {
    /// The form, with the username pre-filled; the focus goes to the first empty field.
    /// Without `needs_password` there is no password field.
    pub fn new(username: &str, needs_password: bool) -> Self {
        let focus = if username.is_empty() || !needs_password {
            Field::Username
        } else {
            Field::Password
        };
        Self {
            username: TextInput::new(strings::LABEL_USERNAME).with_value(username),
            password: TextInput::masked(strings::LABEL_PASSWORD),
            focus,
            needs_password,
            message: None,
            notice: None,
            sent: None,
        }
    }

    /// Good news for this form, such as "your password was changed".
    pub fn show_notice(&mut self, notice: String) {
        self.message = None;
        self.notice = Some(notice);
    }

    /// The notice under the form, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Whether the form has a password field.
    pub fn needs_password(&self) -> bool {
        self.needs_password
    }

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.needs_password {
            BINDINGS
        } else {
            USERNAME_ONLY_BINDINGS
        }
    }

    /// The footer entries of this form.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(self.bindings())
    }

    /// Which field has the focus.
    pub fn focus(&self) -> Field {
        self.focus
    }

    /// The username typed so far.
    pub fn username(&self) -> &str {
        self.username.value()
    }

    /// Whether the password field is empty.
    pub fn password_is_empty(&self) -> bool {
        self.password.is_empty()
    }

    /// The message under the form, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: keep the username and show why. A refused sign-in clears the
    /// password and focuses it; a refused reset (Ctrl-F) is about the username, so the
    /// focus goes there and the password stays as typed.
    pub fn show_error(&mut self, problem: Problem) {
        let reset = self.sent.take() == Some(Sent::ForgotPassword);
        self.focus = if self.needs_password && !reset {
            self.password.clear();
            Field::Password
        } else {
            Field::Username
        };
        self.notice = None;
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(self.bindings(), key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::ForgotPassword) => self.forgot_password(),
            Some(Action::NextField | Action::PreviousField) => {
                // Two fields: next and previous are the same move.
                self.focus = match self.focus {
                    Field::Username => Field::Password,
                    Field::Password => Field::Username,
                };
                Reaction::Changed
            }
            Some(Action::Quit) => Reaction::Finish(Outcome::Quit),
            None => {
                let input = match self.focus {
                    Field::Username => &mut self.username,
                    Field::Password => &mut self.password,
                };
                type_into(input, key, &mut self.message)
            }
        }
    }

    /// Ctrl-F: a reset for the username typed, or a sentence asking for it.
    fn forgot_password(&mut self) -> Reaction {
        let username = self.username.value().trim().to_owned();
        self.notice = None;
        if username.is_empty() {
            self.focus = Field::Username;
            self.message = Some(strings::NEED_USERNAME_TO_RESET.to_owned());
            return Reaction::Changed;
        }
        self.message = None;
        self.sent = Some(Sent::ForgotPassword);
        Reaction::Send(Command::Answer(Answer::ForgotPassword { username }))
    }

    /// Enter: checks both fields and sends the answer, or says what is missing.
    fn submit(&mut self) -> Reaction {
        self.notice = None;
        let username = self.username.value().trim().to_owned();
        if username.is_empty() {
            self.focus = Field::Username;
            self.message = Some(strings::NEED_USERNAME.to_owned());
            return Reaction::Changed;
        }
        if !self.needs_password {
            self.message = None;
            self.sent = Some(Sent::SignIn);
            return Reaction::Send(Command::Answer(Answer::SignIn {
                username,
                password: SensitiveString::from(""),
            }));
        }
        if self.password.is_empty() {
            if self.focus == Field::Username {
                // Enter in the username field simply moves on.
                self.focus = Field::Password;
            } else {
                self.message = Some(strings::NEED_PASSWORD.to_owned());
            }
            return Reaction::Changed;
        }
        self.message = None;
        self.sent = Some(Sent::SignIn);
        // The password stays (masked) while the call is in flight; a refusal clears it.
        let password = SensitiveString::from(self.password.value());
        Reaction::Send(Command::Answer(Answer::SignIn { username, password }))
    }

    /// The line under the fields: the spinner, else the message (red), else the notice.
    fn status_line(&self, view: &ViewContext<'_>) -> Line<'_> {
        let theme = view.theme;
        match (view.busy, &self.message) {
            (Some(spinner), _) => Line::styled(
                format!("{spinner} {}", strings::SIGNING_IN),
                theme.spinner(),
            ),
            (None, Some(message)) => Line::styled(message.as_str(), theme.error()),
            (None, None) => match &self.notice {
                Some(notice) => Line::styled(notice.as_str(), theme.success()),
                None => Line::default(),
            },
        }
    }

    /// Rows of the status line at the form's width: as many as its sentence needs, at
    /// least two (the form does not jump when a one-line message appears).
    fn status_rows(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        rows_of(self.status_line(view), width.min(FORM_WIDTH), true).max(2)
    }

    /// The rows the form needs at `width`: margin, the boxed fields, the status and the
    /// gap under it (the notes below take whatever is left).
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let password_rows = if self.needs_password { 3 } else { 0 };
        1 + 3 + password_rows + self.status_rows(width, view) + 1
    }

    /// Draws the form, the message or spinner line, and the notes.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let password_rows = if self.needs_password { 3 } else { 0 };
        let [_, username, password, status, _, notes] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(password_rows),
            Constraint::Length(self.status_rows(area.width, view)),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        let form_width = Constraint::Max(FORM_WIDTH);
        let [username, password, status] =
            [username, password, status].map(|row| row.centered_horizontally(form_width));
        // The notes (the demo users) may use the whole width: their lines are long.
        let notes_width = NOTES_WIDTH.min(notes.width.saturating_sub(4));
        let notes = notes.centered_horizontally(Constraint::Max(notes_width));
        let editable = view.busy.is_none();
        self.username.render(
            frame,
            username,
            editable && self.focus == Field::Username,
            theme,
        );
        if self.needs_password {
            self.password.render(
                frame,
                password,
                editable && self.focus == Field::Password,
                theme,
            );
        }
        frame.render_widget(
            Paragraph::new(self.status_line(view)).wrap(Wrap { trim: true }),
            status,
        );
        let lines: Vec<Line> = fitting_notes(view.info, notes)
            .iter()
            .map(|note| Line::from(Span::styled(note.as_str(), theme.muted())))
            .collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), notes);
    }
}

/// The widest the notes are drawn (they are centred in wider terminals).
const NOTES_WIDTH: u16 = 100;

/// The notes if they fit `area` (a line longer than the width wraps onto more rows),
/// else their short form.
fn fitting_notes(info: &SessionInfo, area: Rect) -> &[String] {
    let width = usize::from(area.width.max(1));
    let rows: usize = info
        .notes
        .iter()
        .map(|note| note.chars().count().div_ceil(width).max(1))
        .sum();
    if rows <= usize::from(area.height) || info.short_notes.is_empty() {
        &info.notes
    } else {
        &info.short_notes
    }
}

#[cfg(test)]
mod tests {
    //! The sign-in form: its fields and focus, what it sends, what it says when something
    //! is missing or refused, the notes, Ctrl-F for a reset and the notice after one.

    use std::sync::Arc;

    use crossterm::event::KeyCode;

    use super::Field;
    use crate::auth::{Answer, Outcome, SessionInfo};
    use crate::test_support::tui::{
        answer, app, at, ctrl, filled_sign_in, footer_keys, key, refuse, render, screen,
        snapshot_both_sizes, step, type_text,
    };
    use crate::test_support::{
        NOW, info, password_changed, reset_password, sign_in, sign_in_answer,
        sign_in_without_password,
    };
    use crate::tui::app::{App, Effect, Msg};
    use crate::tui::strings;
    use crate::tui::theme::Theme;

    #[test]
    fn tab_and_shift_tab_cycle_between_the_fields() {
        let mut app = app();
        app.update(step(sign_in("")));
        assert_eq!(screen!(app, SignIn).focus(), Field::Username);
        app.update(key(KeyCode::Tab));
        assert_eq!(screen!(app, SignIn).focus(), Field::Password);
        app.update(key(KeyCode::Tab));
        assert_eq!(screen!(app, SignIn).focus(), Field::Username);
        app.update(key(KeyCode::BackTab));
        assert_eq!(screen!(app, SignIn).focus(), Field::Password);
        app.update(key(KeyCode::BackTab));
        assert_eq!(screen!(app, SignIn).focus(), Field::Username);
    }

    #[test]
    fn the_first_step_prefills_an_untouched_form() {
        let mut app = app();
        app.update(step(sign_in("bob")));
        assert_eq!(screen!(app, SignIn).username(), "bob");
        assert_eq!(screen!(app, SignIn).focus(), Field::Password);
    }

    #[test]
    fn empty_fields_send_nothing_and_say_what_is_missing() {
        let mut app = app();
        app.update(step(sign_in("")));
        // Empty username.
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, SignIn).message(), Some(strings::NEED_USERNAME));
        // Only spaces is empty too.
        type_text(&mut app, "  ");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, SignIn).message(), Some(strings::NEED_USERNAME));
        // A username and Enter: moves to the password, sends nothing.
        type_text(&mut app, "alice");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, SignIn).focus(), Field::Password);
        // Enter on the empty password: a message, nothing sent.
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, SignIn).message(), Some(strings::NEED_PASSWORD));
        assert!(!app.is_busy());
    }

    #[test]
    fn an_error_clears_the_password_keeps_the_username_and_focuses_the_password() {
        let mut app = filled_sign_in("alice", "wrong");
        app.update(key(KeyCode::Tab));
        assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        let screen = screen!(app, SignIn);
        assert_eq!(screen.username(), "alice");
        assert!(screen.password_is_empty());
        assert_eq!(screen.focus(), Field::Password);
        assert_eq!(screen.message(), Some("Incorrect username or password."));
        assert!(!app.is_busy());
    }

    #[test]
    fn a_lockout_shows_its_own_sentence() {
        use crate::auth::error::{FlowError, LOCKED_OUT};
        use crate::auth::{Event, Problem};
        use crate::cognito::{ApiError, ErrorType};

        let mut app = filled_sign_in("alice", "wrong");
        app.update(key(KeyCode::Tab));
        assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
        let locked = Problem::from(FlowError::Api(ApiError::Service {
            kind: ErrorType::NotAuthorized,
            message: "Password attempts exceeded".into(),
            status: 400,
            request_id: None,
        }));
        assert_eq!(
            app.update(Msg::Auth(Event::Refused(locked))),
            Effect::Redraw
        );
        assert_eq!(screen!(app, SignIn).message(), Some(LOCKED_OUT));
        let drawn = render(&app, 120, 40);
        assert!(drawn.contains("this account is locked"), "{drawn}");
    }

    #[test]
    fn esc_on_the_sign_in_form_quits() {
        let mut app = app();
        app.update(step(sign_in("")));
        assert_eq!(app.update(key(KeyCode::Esc)), Effect::Finish(Outcome::Quit));
    }

    #[test]
    fn notes_too_long_for_the_terminal_give_way_to_their_short_form() {
        let info = SessionInfo {
            notes: (1..=20)
                .map(|n| format!("  user{n}  what user {n} shows"))
                .collect(),
            short_notes: vec!["Demo users: user1 … user20".into()],
            ..info()
        };
        let mut app = App::new(info, Theme::coloured(), Arc::new(|| NOW));
        app.update(step(sign_in("")));
        let small = render(&app, 80, 24);
        assert!(small.contains("Demo users: user1 … user20"), "{small}");
        assert!(!small.contains("what user 1 shows"), "{small}");
        let large = render(&app, 120, 40);
        assert!(large.contains("what user 20 shows"), "{large}");
        assert!(!large.contains("Demo users: user1 … user20"), "{large}");
    }

    #[test]
    fn a_username_only_sign_in_sends_an_empty_password() {
        let mut app = app();
        app.update(step(sign_in_without_password("")));
        assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
        type_text(&mut app, "alice");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(sign_in_answer("alice", ""))
        );
    }

    #[test]
    fn ctrl_f_asks_for_a_reset_of_the_username_typed() {
        let mut app = app();
        app.update(step(sign_in("")));
        // No username yet: nothing is sent, the form says what to do.
        assert_eq!(app.update(ctrl('f')), Effect::Redraw);
        assert!(render(&app, 120, 40).contains("Type your username first"));
        type_text(&mut app, "alice");
        assert_eq!(
            app.update(ctrl('f')),
            answer(Answer::ForgotPassword {
                username: "alice".into()
            })
        );
    }

    #[test]
    fn a_refused_reset_keeps_the_focus_and_the_next_keys_in_the_username() {
        let mut app = filled_sign_in("nobdy", "typed");
        app.update(key(KeyCode::Tab));
        assert_eq!(
            app.update(ctrl('f')),
            answer(Answer::ForgotPassword {
                username: "nobdy".into()
            })
        );
        refuse(
            &mut app,
            "UserNotFoundException",
            "Username/client id combination not found.",
        );
        let form = screen!(app, SignIn);
        assert_eq!(form.focus(), Field::Username);
        assert!(!form.password_is_empty(), "the password was not refused");
        assert_eq!(
            form.message(),
            Some("Username/client id combination not found.")
        );
        // The fix goes where the problem is: the username.
        app.update(key(KeyCode::Backspace));
        app.update(key(KeyCode::Backspace));
        type_text(&mut app, "ody");
        assert_eq!(screen!(app, SignIn).username(), "nobody");
        // A refused sign-in after it still clears and focuses the password.
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        assert_eq!(screen!(app, SignIn).focus(), Field::Password);
        assert!(screen!(app, SignIn).password_is_empty());
    }

    #[test]
    fn typing_clears_a_stale_message_and_moving_between_fields_does_not() {
        let mut app = app();
        app.update(step(sign_in("")));
        app.update(key(KeyCode::Enter));
        assert_eq!(screen!(app, SignIn).message(), Some(strings::NEED_USERNAME));
        type_text(&mut app, "a");
        assert_eq!(screen!(app, SignIn).message(), None);
        // A refusal from the server clears the same way, in either field.
        app.update(key(KeyCode::Tab));
        type_text(&mut app, "wrong");
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::BackTab));
        assert!(
            screen!(app, SignIn).message().is_some(),
            "a focus move keeps it"
        );
        // A key that changes nothing (Backspace in the emptied password) keeps it too.
        app.update(key(KeyCode::Backspace));
        assert!(screen!(app, SignIn).message().is_some());
        type_text(&mut app, "P");
        assert_eq!(screen!(app, SignIn).message(), None);
        assert!(!render(&app, 80, 24).contains("Incorrect username"));
    }

    #[test]
    fn the_notice_shows_on_the_sign_in_form_that_follows_and_goes_when_it_is_sent() {
        let mut app = at(reset_password());
        app.update(Msg::Auth(password_changed("alice")));
        assert!(render(&app, 120, 40).contains("Your password was changed."));
        type_text(&mut app, "Reset-Password-2!");
        app.update(key(KeyCode::Enter));
        assert!(!render(&app, 120, 40).contains("Your password was changed."));
    }

    #[test]
    fn snapshot_sign_in_empty() {
        let mut app = app();
        app.update(step(sign_in("")));
        snapshot_both_sizes!("sign_in_empty", &app);
    }

    #[test]
    fn snapshot_sign_in_with_error() {
        let mut app = filled_sign_in("alice", "wrong");
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        snapshot_both_sizes!("sign_in_error", &app);
    }

    #[test]
    fn snapshot_sign_in_busy() {
        let mut app = filled_sign_in("alice", "Passw0rd!");
        app.update(key(KeyCode::Enter));
        snapshot_both_sizes!("sign_in_busy", &app);
    }

    #[test]
    fn snapshot_sign_in_username_only() {
        let mut app = app();
        app.update(step(sign_in_without_password("alice")));
        snapshot_both_sizes!("sign_in_username_only", &app);
    }

    #[test]
    fn snapshot_sign_in_after_a_reset() {
        let mut app = app();
        app.update(Msg::Auth(password_changed("alice")));
        snapshot_both_sizes!("sign_in_after_reset", &app);
    }
}
