//! A one-time code (SMS_MFA, SMS_OTP, EMAIL_OTP, SOFTWARE_TOKEN_MFA): says where the code
//! went or which authenticator to open, and takes digits only. A code of known length
//! (an authenticator's six, a passwordless eight) goes out as soon as its last digit is
//! typed; one whose length is not known (six to eight) goes out on Enter. A wrong code
//! keeps the screen, clears the field and shows the server's sentence. "Resend code" is
//! offered only where Cognito sends codes; once the new code is out the screen says
//! where it went. In the last minute of the sign-in's Session the screen counts down,
//! and once it has ended it says so (Esc starts again).
//! The same screen takes the code of a password reset (ForgotPassword), and, once signed
//! in, the code that verifies an e-mail address or phone number (Esc goes back to
//! account security then, not to a fresh sign-in).

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use time::OffsetDateTime;

use crate::auth::{
    Answer, CodeLength, CodeMedium, CodePrompt, Command, ContactKind, MfaKind, Problem,
};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::rows_of;
use crate::tui::screens::{
    Reaction, ViewContext, countdown, form, open_account, restart, security, status_or_notice,
};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The widest the screen's text grows.
const WIDTH: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Resend,
    Leave,
}

/// The keys of the screen's bindings (built per purpose, so named once here).
const ENTER: &[Key] = &[Key::plain(KeyCode::Enter)];
const CTRL_R: &[Key] = &[Key::ctrl(KeyCode::Char('r'))];
const ESC: &[Key] = &[Key::plain(KeyCode::Esc)];

/// What the code is for: it decides the title, the intro and where Esc leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A challenge of the sign-in.
    SignIn,
    /// A password reset's code (ForgotPassword).
    Reset,
    /// Proving a contact detail of a signed-in person (VerifyUserAttribute), perhaps to
    /// turn a factor on once it is proven.
    Contact {
        contact: ContactKind,
        then_enable: Option<MfaKind>,
    },
}

/// The title for a code that came this way.
pub fn title(medium: CodeMedium) -> &'static str {
    match medium {
        CodeMedium::Sms => strings::TITLE_CODE_SMS,
        CodeMedium::Email => strings::TITLE_CODE_EMAIL,
        CodeMedium::Authenticator => strings::TITLE_CODE_AUTHENTICATOR,
    }
}

/// The code screen's state. Debug leaves the digits out.
pub struct Code {
    username: String,
    purpose: Purpose,
    prompt: CodePrompt,
    digits: TextInput,
    /// A refusal (local or from the server), in red under the code.
    message: Option<String>,
    /// Good news (a new code was sent), under the code until the person types.
    notice: Option<String>,
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code")
            .field("prompt", &self.prompt)
            .field("digits", &self.digits)
            .finish_non_exhaustive()
    }
}

impl Code {
    /// The screen for a prompt; `username` is kept for starting again.
    pub fn new(prompt: CodePrompt, username: &str) -> Self {
        Self {
            username: username.to_owned(),
            purpose: Purpose::SignIn,
            digits: TextInput::digits(strings::LABEL_CODE, prompt.length.max()),
            prompt,
            message: None,
            notice: None,
        }
    }

    /// The code of a password reset (it can always be sent again: ForgotPassword once more).
    pub fn for_reset(username: &str, prompt: CodePrompt) -> Self {
        Self {
            purpose: Purpose::Reset,
            ..Self::new(prompt, username)
        }
    }

    /// The code that proves `contact` is the person's (`then_enable`: the factor turned
    /// on once it is).
    pub fn for_contact(
        contact: ContactKind,
        prompt: CodePrompt,
        then_enable: Option<MfaKind>,
    ) -> Self {
        Self {
            purpose: Purpose::Contact {
                contact,
                then_enable,
            },
            ..Self::new(prompt, "")
        }
    }

    /// The title on the border.
    pub fn title(&self) -> &'static str {
        match self.purpose {
            Purpose::SignIn => title(self.prompt.medium),
            Purpose::Reset => strings::TITLE_RESET_CODE,
            Purpose::Contact {
                contact: ContactKind::Email,
                ..
            } => strings::TITLE_VERIFY_EMAIL,
            Purpose::Contact {
                contact: ContactKind::Phone,
                ..
            } => strings::TITLE_VERIFY_PHONE,
        }
    }

    /// How the code this screen asks for came.
    pub fn medium(&self) -> CodeMedium {
        self.prompt.medium
    }

    /// Enter; Ctrl-R only where a resend is allowed; Esc, which starts again or, for a
    /// contact detail, goes back to account security.
    fn bindings(&self) -> Vec<Binding<Action>> {
        let mut bindings = vec![Binding {
            keys: ENTER,
            does: strings::KEY_SEND,
            action: Action::Submit,
        }];
        if self.prompt.can_resend {
            bindings.push(Binding {
                keys: CTRL_R,
                does: strings::KEY_RESEND,
                action: Action::Resend,
            });
        }
        bindings.push(Binding {
            keys: ESC,
            does: match self.purpose {
                Purpose::SignIn | Purpose::Reset => strings::KEY_START_AGAIN,
                Purpose::Contact { .. } => strings::KEY_BACK,
            },
            action: Action::Leave,
        });
        bindings
    }

    /// The footer entries: "resend code" only where a resend is allowed.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(&self.bindings())
    }

    /// How many digits have been typed.
    pub fn typed(&self) -> usize {
        self.digits.len()
    }

    /// The message under the code, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The notice under the code, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// A wrong code (or any refusal): clear the digits, show the server's sentence.
    pub fn show_error(&mut self, problem: Problem) {
        self.digits.clear();
        self.notice = None;
        self.message = Some(problem.sentence);
    }

    /// Good news for this screen: a new code was sent, and where.
    pub fn show_notice(&mut self, notice: String) {
        self.message = None;
        self.notice = Some(notice);
    }

    /// Whether the screen changes with time (it has a Session that runs out).
    pub fn counts_down(&self) -> bool {
        self.prompt.expires_at.is_some()
    }

    /// How often to draw again at `now` (see `countdown::tick_rate`).
    pub fn tick_rate(&self, now: OffsetDateTime) -> Option<Duration> {
        countdown::tick_rate(self.prompt.expires_at, now)
    }

    /// The lines under the code: the spinner, the refusal or the notice; then the
    /// Session's countdown.
    fn status(&self, view: &ViewContext<'_>) -> Vec<Line<'_>> {
        let first = status_or_notice(view, self.message.as_deref(), self.notice.as_deref());
        std::iter::once(first)
            .chain(countdown::line(self.prompt.expires_at, view))
            .collect()
    }

    /// Rows of the status lines at `width`, wrapped whole (at least one).
    fn status_rows(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        rows_of(self.status(view), width, true).max(1)
    }

    /// Handles a pressed key: digits (others ignored), Backspace, Enter, resend, Esc.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(&self.bindings(), key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::Resend) => {
                self.digits.clear();
                self.message = None;
                self.notice = None;
                Reaction::Send(Command::Answer(Answer::ResendCode))
            }
            Some(Action::Leave) => match self.purpose {
                Purpose::SignIn | Purpose::Reset => restart(&self.username),
                Purpose::Contact { .. } => open_account(),
            },
            None => {
                let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
                let editing = digit || matches!(key.code, KeyCode::Backspace);
                if !editing {
                    return Reaction::Ignored;
                }
                match self.digits.edit(key) {
                    None => return Reaction::Ignored,
                    Some(true) => {
                        // What was said about the last code no longer holds.
                        self.message = None;
                        self.notice = None;
                    }
                    Some(false) => {}
                }
                if digit && self.prompt.length.completed_by(self.digits.len()) {
                    // The last digit of a code of known length sends it at once.
                    return self.submit();
                }
                Reaction::Changed
            }
        }
    }

    /// Sends the code when it is whole, or says how many digits are needed.
    fn submit(&mut self) -> Reaction {
        if !self.prompt.length.accepts(self.digits.len()) {
            self.message = Some(strings::need_digits(self.prompt.length));
            return Reaction::Changed;
        }
        self.message = None;
        let code = SensitiveString::from(self.digits.value());
        Reaction::Send(Command::Answer(Answer::Code(code)))
    }

    /// Where the code went, or which app to open; and Enter, where the code's last
    /// digit cannot send it.
    fn explanation(&self) -> String {
        let destination = self.prompt.destination.as_deref();
        let mut text = match self.prompt.medium {
            CodeMedium::Authenticator => {
                strings::open_authenticator(self.prompt.device_name.as_deref())
            }
            CodeMedium::Sms => strings::code_sent("by SMS", destination),
            CodeMedium::Email => strings::code_sent("by e-mail", destination),
        };
        if let CodeLength::Between { .. } = self.prompt.length {
            text.push(' ');
            text.push_str(strings::CODE_THEN_ENTER);
        }
        text
    }

    /// Who signs in (or resets, or what is verified) and where the code went; for a
    /// contact detail, the factor it turns on.
    fn intro(&self, view: &ViewContext<'_>) -> Vec<Line<'static>> {
        let who = match self.purpose {
            Purpose::SignIn => strings::signing_in_as(&self.username),
            Purpose::Reset => strings::resetting_password_of(&self.username),
            Purpose::Contact {
                contact: ContactKind::Email,
                ..
            } => strings::VERIFYING_EMAIL.to_owned(),
            Purpose::Contact {
                contact: ContactKind::Phone,
                ..
            } => strings::VERIFYING_PHONE.to_owned(),
        };
        let mut lines = vec![
            Line::styled(who, view.theme.muted()),
            Line::raw(self.explanation()),
        ];
        if let Purpose::Contact {
            then_enable: Some(factor),
            ..
        } = self.purpose
        {
            lines.push(Line::raw(strings::then_enable(security::factor_label(
                factor,
            ))));
        }
        lines
    }

    /// Columns of the code's box: a cell and a space per digit, a margin and borders.
    fn box_width(&self) -> u16 {
        u16::try_from(self.prompt.length.max() * 2 + 3).unwrap_or(u16::MAX)
    }

    /// The narrowest the screen works in: the code's box whole.
    pub fn min_width(&self) -> u16 {
        self.box_width()
    }

    /// The rows the screen needs at `width`: margin, the intro wrapped, a gap, the
    /// code's box and the status wrapped.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let width = width.min(WIDTH);
        1 + form::wrapped_rows(&self.intro(view), width) + 1 + 3 + self.status_rows(width, view)
    }

    /// Draws the explanation, the code as spaced digits with blanks, and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let area = area.centered_horizontally(Constraint::Max(WIDTH));
        let intro = self.intro(view);
        let [_, intro_area, _, field, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(form::wrapped_rows(&intro, area.width)),
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Min(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: false }), intro_area);
        // "1 2 3 _ _ _ · ·": one cell per digit and a space between; a blank a code
        // needs is `_`, one it may do without is `·`.
        let typed: Vec<char> = self.digits.value().chars().collect();
        let length = self.prompt.length;
        let shown: Vec<String> = (0..length.max())
            .map(|index| match typed.get(index) {
                Some(digit) => digit.to_string(),
                None if index < length.min() => "_".to_owned(),
                None => "·".to_owned(),
            })
            .collect();
        let text = shown.join(" ");
        let field =
            field.centered_horizontally(Constraint::Length(self.box_width().min(field.width)));
        let focused = view.busy.is_none();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused {
                theme.focused_border()
            } else {
                theme.unfocused_border()
            })
            .title(Line::styled(
                format!(" {} ", strings::LABEL_CODE),
                theme.label(),
            ));
        let inner = block.inner(field);
        frame.render_widget(
            Paragraph::new(format!(" {text}"))
                .style(theme.label())
                .block(block),
            field,
        );
        if focused && typed.len() < length.max() && inner.width > 0 {
            let column = u16::try_from(1 + typed.len() * 2).unwrap_or(0);
            frame.set_cursor_position(Position::new(inner.x + column, inner.y));
        }
        frame.render_widget(
            Paragraph::new(self.status(view)).wrap(Wrap { trim: true }),
            status,
        );
    }
}

#[cfg(test)]
mod tests {
    //! The code screen, for sign-in codes and a password reset's code: digits only, sent
    //! on the last one where the length is known and on Enter where it is not, where the
    //! code went, resend where allowed, refusals kept on it.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::time::Duration;

    use crossterm::event::KeyCode;

    use crate::auth::{AccountAction, Answer, Command, ContactKind, Event, MfaKind, Note, Step};
    use crate::test_support::tui::{
        answer, at, at_account, ctrl, footer_keys, key, refuse, render, screen,
        snapshot_both_sizes, step, text, type_text,
    };
    use crate::test_support::{
        NOW, authenticator_code, contact_code, email_code, info, passwordless_email_code, refusal,
        reset_code, reset_password, sign_in, sms_code, sms_code_expiring_in,
    };
    use crate::tui::app::{App, Effect, Msg};
    use crate::tui::strings;
    use crate::tui::theme::Theme;

    /// The code step again after Ctrl-R, with the notice the auth task sends with it.
    fn resent(step: Step, notice: &str) -> Msg {
        Msg::Auth(Event::Step {
            step,
            note: Some(Note::Notice(notice.into())),
        })
    }

    #[test]
    fn an_authenticator_code_takes_digits_only_and_goes_out_on_the_sixth() {
        let mut app = at(authenticator_code(None));
        for ignored in ['a', ' ', '-', 'é'] {
            assert_eq!(app.update(key(KeyCode::Char(ignored))), Effect::None);
        }
        type_text(&mut app, "12");
        assert_eq!(app.update(key(KeyCode::Backspace)), Effect::Redraw);
        assert_eq!(screen!(app, Code).typed(), 1);
        type_text(&mut app, "2345");
        assert_eq!(screen!(app, Code).typed(), 5);
        assert_eq!(
            app.update(key(KeyCode::Char('6'))),
            answer(Answer::Code("123456".into()))
        );
        assert!(app.is_busy());
    }

    #[test]
    fn a_passwordless_code_goes_out_on_the_eighth_digit() {
        let mut app = at(passwordless_email_code());
        type_text(&mut app, "1234567");
        assert!(!app.is_busy(), "six or seven digits are not a whole code");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, Code).message(), Some("Enter all 8 digits."));
        assert_eq!(
            app.update(key(KeyCode::Char('8'))),
            answer(Answer::Code("12345678".into()))
        );
    }

    #[test]
    fn an_mfa_code_of_six_to_eight_digits_goes_out_on_enter() {
        // Six digits: nothing goes out until Enter.
        let mut app = at(sms_code(true));
        type_text(&mut app, "123456");
        assert!(!app.is_busy());
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Code("123456".into()))
        );
        // Eight digits are taken, a ninth is not.
        let mut app = at(email_code());
        type_text(&mut app, "12345678");
        assert_eq!(app.update(key(KeyCode::Char('9'))), Effect::None);
        assert!(!app.is_busy());
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Code("12345678".into()))
        );
    }

    #[test]
    fn enter_on_a_short_code_says_how_many_digits_and_sends_nothing() {
        let mut app = at(authenticator_code(None));
        type_text(&mut app, "123");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert_eq!(screen!(app, Code).message(), Some("Enter all 6 digits."));
        assert!(!app.is_busy());
        // Where the length is not known, no single length is named.
        let mut app = at(sms_code(true));
        type_text(&mut app, "12345");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        let message = screen!(app, Code).message().unwrap_or_default().to_owned();
        assert_eq!(message, "Enter the whole code (6 to 8 digits).");
        assert!(!app.is_busy());
    }

    #[test]
    fn only_a_code_of_known_length_names_it_on_screen() {
        let drawn = render(&at(sms_code(true)), 80, 24);
        assert!(!drawn.contains("6 digits"), "{drawn}");
        assert!(drawn.contains("Type it, then press"), "{drawn}");
        let drawn = render(&at(authenticator_code(None)), 80, 24);
        assert!(!drawn.contains("press Enter"), "{drawn}");
    }

    #[test]
    fn a_wrong_code_keeps_the_screen_clears_the_field_and_shows_the_message() {
        let mut app = at(sms_code(true));
        type_text(&mut app, "000000");
        assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
        refuse(
            &mut app,
            "CodeMismatchException",
            "Invalid code received for user",
        );
        assert_eq!(screen!(app, Code).typed(), 0);
        assert_eq!(
            screen!(app, Code).message(),
            Some("Invalid code received for user")
        );
        // The next try goes out too.
        type_text(&mut app, "123456");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Code("123456".into()))
        );
    }

    #[test]
    fn resend_is_offered_only_where_allowed() {
        let mut app = at(sms_code(true));
        assert_eq!(footer_keys(&app), ["Enter", "Ctrl-R", "Esc"]);
        assert_eq!(app.update(ctrl('r')), answer(Answer::ResendCode));

        let mut app = at(authenticator_code(Some("Work phone")));
        assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
        assert_eq!(app.update(ctrl('r')), Effect::None);
        assert!(!app.is_busy());
    }

    #[test]
    fn a_resent_code_says_where_it_went_until_the_person_types() {
        let mut app = at(sms_code(true));
        type_text(&mut app, "12");
        assert_eq!(app.update(ctrl('r')), answer(Answer::ResendCode));
        let sent = "A new code was sent by SMS to +*******0101.";
        assert_eq!(app.update(resent(sms_code(true), sent)), Effect::Redraw);
        assert_eq!(screen!(app, Code).notice(), Some(sent));
        assert_eq!(screen!(app, Code).typed(), 0, "the old digits are gone");
        for (width, height) in [(80, 24), (120, 40)] {
            let drawn = render(&app, width, height);
            assert!(drawn.contains(sent), "{drawn}");
        }
        // The first digit of the new code takes its place.
        type_text(&mut app, "4");
        assert_eq!(screen!(app, Code).notice(), None);
        assert!(!render(&app, 80, 24).contains(sent));
    }

    #[test]
    fn a_resent_reset_code_says_so_too() {
        let mut app = at(reset_code());
        app.update(ctrl('r'));
        let sent = "A new code was sent by e-mail to a***@e***.";
        app.update(resent(reset_code(), sent));
        assert!(render(&app, 80, 24).contains(sent));
    }

    #[test]
    fn typing_clears_the_message_about_the_last_code_and_a_cursor_move_does_not() {
        let mut app = at(sms_code(true));
        type_text(&mut app, "000000");
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "CodeMismatchException",
            "Invalid code received for user",
        );
        // Backspace in the emptied field changes nothing: the message stays.
        app.update(key(KeyCode::Backspace));
        assert!(screen!(app, Code).message().is_some());
        type_text(&mut app, "1");
        assert_eq!(screen!(app, Code).message(), None);
        assert!(!render(&app, 80, 24).contains("Invalid code"));
        // The same for the screen's own "Enter all digits".
        app.update(key(KeyCode::Enter));
        assert!(screen!(app, Code).message().is_some());
        app.update(key(KeyCode::Backspace));
        assert_eq!(screen!(app, Code).message(), None);
    }

    /// A console on a clock `seconds` after `NOW`, showing a code whose Session ends
    /// 100 s after `NOW`.
    fn expiring_code() -> (App, Arc<AtomicI64>) {
        let seconds = Arc::new(AtomicI64::new(0));
        let clock = Arc::clone(&seconds);
        let mut app = App::new(
            info(),
            Theme::coloured(),
            Arc::new(move || NOW + time::Duration::seconds(clock.load(Ordering::SeqCst))),
        );
        app.update(step(sign_in("alice")));
        app.update(step(sms_code_expiring_in(100)));
        (app, seconds)
    }

    #[test]
    fn the_last_minute_of_the_session_counts_down_then_says_it_expired() {
        let (mut app, seconds) = expiring_code();
        // 100 s left: nothing said yet; one tick when the last minute begins.
        assert!(!render(&app, 80, 24).contains("expires"));
        assert_eq!(app.tick_rate(), Some(Duration::from_secs(40)));
        seconds.store(58, Ordering::SeqCst);
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("This sign-in expires in 0:42."), "{drawn}");
        assert_eq!(app.tick_rate(), Some(Duration::from_secs(1)));
        // Typing does not hide it.
        type_text(&mut app, "12");
        seconds.store(91, Ordering::SeqCst);
        app.update(Msg::Tick);
        assert!(render(&app, 120, 40).contains("This sign-in expires in 0:09."));
        // Once the Session has ended: said once, then no more ticks.
        seconds.store(100, Ordering::SeqCst);
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        let drawn = render(&app, 80, 24);
        assert!(
            drawn.contains("This sign-in has expired. Press Esc to start again."),
            "{drawn}"
        );
        assert!(!drawn.contains("expires in"), "{drawn}");
        assert_eq!(app.tick_rate(), None);
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Restart {
                username: "alice".into()
            })
        );
    }

    #[test]
    fn the_countdown_shows_under_a_refusal_and_a_code_without_a_session_never_ticks() {
        let (mut app, seconds) = expiring_code();
        seconds.store(70, Ordering::SeqCst);
        type_text(&mut app, "000000");
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "CodeMismatchException",
            "Invalid code received for user",
        );
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("Invalid code received for user"), "{drawn}");
        assert!(drawn.contains("This sign-in expires in 0:30."), "{drawn}");

        let app = at(reset_code());
        assert_eq!(app.tick_rate(), None);
        assert!(!render(&app, 80, 24).contains("expire"));
    }

    #[test]
    fn the_code_screen_says_where_the_code_went_or_which_app_to_open() {
        let drawn = render(&at(sms_code(true)), 80, 24);
        assert!(
            drawn.contains("We sent a code by SMS to +*******0101."),
            "{drawn}"
        );
        let drawn = render(&at(email_code()), 80, 24);
        assert!(
            drawn.contains("We sent a code by e-mail to a***@e***."),
            "{drawn}"
        );
        let drawn = render(&at(authenticator_code(Some("Work phone"))), 80, 24);
        assert!(
            drawn.contains("Open Work phone and enter the code"),
            "{drawn}"
        );
        let drawn = render(&at(authenticator_code(None)), 80, 24);
        assert!(drawn.contains("Open your authenticator app"), "{drawn}");
    }

    #[test]
    fn the_reset_code_says_where_it_went_goes_out_on_enter_and_resends() {
        let mut app = at(reset_code());
        let drawn = render(&app, 120, 40);
        assert!(drawn.contains("Reset your password"), "{drawn}");
        assert!(
            drawn.contains("Resetting the password of alice."),
            "{drawn}"
        );
        assert!(drawn.contains("a***@e***"), "{drawn}");
        assert_eq!(app.update(ctrl('r')), answer(Answer::ResendCode));
        // ForgotPassword again: the same step comes back.
        app.update(step(reset_code()));
        type_text(&mut app, "123456");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Code("123456".into()))
        );
    }

    #[test]
    fn a_refused_code_arriving_with_the_code_step_shows_on_it() {
        let mut app = at(reset_password());
        app.update(step(reset_code()));
        app.update(Msg::Auth(Event::Refused(refusal(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ))));
        let drawn = render(&app, 120, 40);
        assert!(drawn.contains("Reset your password"), "{drawn}");
        assert!(drawn.contains("Invalid verification code"), "{drawn}");
    }

    #[test]
    fn a_contact_code_says_what_is_verified_and_why_and_goes_back_on_esc() {
        let mut app = at_account(contact_code(ContactKind::Email, Some(MfaKind::Email)));
        assert_eq!(app.screen().title(), strings::TITLE_VERIFY_EMAIL);
        let drawn = text(&app, 80, 24);
        for said in [
            "Verifying your e-mail address.",
            "We sent a code by e-mail to a***@e***.",
            "Once it is verified, this turns on: E-mail codes.",
        ] {
            assert!(drawn.contains(said), "{said:?} in {drawn}");
        }
        assert_eq!(footer_keys(&app), ["Enter", "Ctrl-R", "Esc"]);
        let esc = app.screen().hints().pop().map(|hint| hint.does);
        assert_eq!(esc, Some(strings::KEY_BACK));
        // Resent: said where it went.
        assert_eq!(app.update(ctrl('r')), answer(Answer::ResendCode));
        let sent = "A new code was sent by e-mail to a***@e***.";
        app.update(resent(
            contact_code(ContactKind::Email, Some(MfaKind::Email)),
            sent,
        ));
        assert_eq!(screen!(app, Code).notice(), Some(sent));
        // A wrong code stays, cleared; the next one goes out.
        type_text(&mut app, "000000");
        assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
        refuse(
            &mut app,
            "CodeMismatchException",
            "Invalid verification code provided.",
        );
        assert_eq!(app.screen().title(), strings::TITLE_VERIFY_EMAIL);
        assert_eq!(screen!(app, Code).typed(), 0);
        type_text(&mut app, "123456");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Code("123456".into()))
        );
        let mut app = at_account(contact_code(ContactKind::Phone, None));
        assert_eq!(app.screen().title(), strings::TITLE_VERIFY_PHONE);
        let drawn = text(&app, 80, 24);
        assert!(drawn.contains("Verifying your phone number."), "{drawn}");
        assert!(drawn.contains("by SMS to +*******0123"), "{drawn}");
        assert!(!drawn.contains("turns on"), "{drawn}");
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(AccountAction::Open))
        );
    }

    #[test]
    fn snapshot_contact_code() {
        let mut app = at_account(contact_code(ContactKind::Phone, Some(MfaKind::Sms)));
        type_text(&mut app, "12");
        snapshot_both_sizes!("contact_code", &app);
    }

    #[test]
    fn snapshot_code_sms_half_typed() {
        let mut app = at(sms_code(true));
        type_text(&mut app, "123");
        snapshot_both_sizes!("code_sms", &app);
    }

    #[test]
    fn snapshot_code_email_after_a_wrong_code() {
        let mut app = at(email_code());
        type_text(&mut app, "111111");
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "CodeMismatchException",
            "Invalid code received for user",
        );
        snapshot_both_sizes!("code_email_error", &app);
    }

    #[test]
    fn snapshot_code_authenticator_busy() {
        let mut app = at(authenticator_code(Some("Work phone")));
        type_text(&mut app, "12345");
        app.update(key(KeyCode::Char('6')));
        snapshot_both_sizes!("code_authenticator_busy", &app);
    }

    #[test]
    fn snapshot_code_passwordless_email() {
        let mut app = at(passwordless_email_code());
        type_text(&mut app, "1234");
        snapshot_both_sizes!("code_passwordless_email", &app);
    }

    #[test]
    fn snapshot_reset_code() {
        let mut app = at(reset_code());
        type_text(&mut app, "12");
        snapshot_both_sizes!("reset_code", &app);
    }
}
