//! WEB_AUTHN: sign in with a passkey. On a security key, Enter starts the key's
//! ceremony (the spinner then says "Touch your security key"; a PIN it asks for has a
//! screen of its own). Where this machine holds a software passkey for the account and
//! relying party, Enter has it sign Cognito's challenge (the auth task does the signing;
//! the screen is busy meanwhile). A refusal shows its sentence here. Where the software
//! passkey holds none, the screen says so and how to get one; Enter only says it again,
//! since nothing could sign. `s` switches between the two authenticators unless
//! `--authenticator` chose one. Esc starts a fresh sign-in, as on every challenge
//! screen. In the last minute of the sign-in's Session the screen counts down, as the
//! code screen does.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;

use crate::auth::{Answer, Command, PasskeyAuthenticator, PasskeyPrompt, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::rows_of;
use crate::tui::screens::{Reaction, ViewContext, countdown, restart, status_line};
use crate::tui::strings;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_WEB_AUTHN;

/// The widest the screen's text grows (as the code screen's).
const WIDTH: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    SignIn,
    Switch,
    Restart,
}

/// Enter, offered only where a passkey can sign.
const SIGN_IN: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Enter)],
    does: strings::KEY_SIGN_IN,
    action: Action::SignIn,
};

/// Esc, on every passkey screen.
const START_AGAIN: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Esc)],
    does: strings::KEY_START_AGAIN,
    action: Action::Restart,
};

/// `s`, from a security key to the software passkey.
const TO_SOFTWARE: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Char('s'))],
    does: strings::switch_authenticator_to(true),
    action: Action::Switch,
};

/// `s`, from the software passkey to a security key.
const TO_SECURITY_KEY: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Char('s'))],
    does: strings::switch_authenticator_to(false),
    action: Action::Switch,
};

/// The keys with a passkey to sign with, and without one; then the same where the
/// person may switch authenticators.
const WITH_PASSKEY: &[Binding<Action>] = &[SIGN_IN, START_AGAIN];
const WITHOUT_PASSKEY: &[Binding<Action>] = &[START_AGAIN];
const KEY_OR_SOFTWARE: &[Binding<Action>] = &[SIGN_IN, TO_SOFTWARE, START_AGAIN];
const SOFTWARE_OR_KEY: &[Binding<Action>] = &[SIGN_IN, TO_SECURITY_KEY, START_AGAIN];
const NO_SOFTWARE_OR_KEY: &[Binding<Action>] = &[TO_SECURITY_KEY, START_AGAIN];

/// The passkey screen's state.
#[derive(Debug)]
pub struct WebAuthn {
    prompt: PasskeyPrompt,
    /// A refusal from the auth task, or (without a passkey) what Enter said, in red
    /// under the text.
    message: Option<String>,
}

impl WebAuthn {
    /// The screen for the flow's prompt.
    pub fn new(prompt: PasskeyPrompt) -> Self {
        Self {
            prompt,
            message: None,
        }
    }

    /// Whether Enter can sign: always on a security key (the key itself tells whether
    /// it holds the account's passkey), and where this machine holds a software passkey.
    pub fn held(&self) -> bool {
        match self.prompt.authenticator {
            PasskeyAuthenticator::Software { held } => held,
            PasskeyAuthenticator::SecurityKey { .. } => true,
        }
    }

    /// Whether the screen is on a security key.
    fn on_security_key(&self) -> bool {
        matches!(
            self.prompt.authenticator,
            PasskeyAuthenticator::SecurityKey { .. }
        )
    }

    /// The keys on offer: Enter only where a passkey can sign, `s` where the person may
    /// switch.
    fn bindings(&self) -> &'static [Binding<Action>] {
        match (self.prompt.can_switch, self.on_security_key(), self.held()) {
            (true, true, _) => KEY_OR_SOFTWARE,
            (true, false, true) => SOFTWARE_OR_KEY,
            (true, false, false) => NO_SOFTWARE_OR_KEY,
            (false, _, true) => WITH_PASSKEY,
            (false, _, false) => WITHOUT_PASSKEY,
        }
    }

    /// The footer entries.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(self.bindings())
    }

    /// The message under the text, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The auth task refused the passkey (Cognito refused the assertion, the passkey
    /// could not be read): stay, say why; Enter tries again.
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// Whether the screen changes with time (it has a Session that runs out).
    pub fn counts_down(&self) -> bool {
        self.prompt.expires_at.is_some()
    }

    /// How often to draw again at `now` (see `countdown::tick_rate`).
    pub fn tick_rate(&self, now: OffsetDateTime) -> Option<Duration> {
        countdown::tick_rate(self.prompt.expires_at, now)
    }

    /// Handles a pressed key: Enter signs in (or, without a passkey, says again that
    /// there is none), Esc starts again.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(self.bindings(), key) {
            Some(Action::SignIn) => {
                self.message = None;
                Reaction::Send(Command::Answer(Answer::WebAuthn))
            }
            Some(Action::Switch) => {
                self.message = None;
                Reaction::Send(Command::Answer(Answer::SwitchAuthenticator))
            }
            Some(Action::Restart) => restart(&self.prompt.username),
            None if key.code == KeyCode::Enter && !self.held() => {
                self.message = Some(format!(
                    "{} {}",
                    strings::no_software_passkey(&self.prompt.username, &self.prompt.relying_party),
                    strings::PASSKEY_START_AGAIN
                ));
                Reaction::Changed
            }
            None => Reaction::Ignored,
        }
    }

    /// Whose passkey, for which relying party, and what to do: press Enter, or how to
    /// get a passkey.
    fn intro(&self, view: &ViewContext<'_>) -> Vec<Line<'static>> {
        let PasskeyPrompt {
            username,
            relying_party,
            ..
        } = &self.prompt;
        let mut lines = vec![
            Line::styled(
                strings::passkey_for(username, relying_party),
                view.theme.muted(),
            ),
            Line::default(),
        ];
        if let PasskeyAuthenticator::SecurityKey { plugged_in } = self.prompt.authenticator {
            lines.push(Line::raw(strings::using_security_key(plugged_in)));
        } else if self.held() {
            lines.push(Line::raw(strings::using_software_passkey(username)));
        } else {
            lines.extend([
                Line::styled(
                    strings::no_software_passkey(username, relying_party),
                    view.theme.warning(),
                ),
                Line::raw(strings::GET_A_PASSKEY),
                Line::styled(strings::PASSKEY_START_AGAIN, view.theme.muted()),
            ]);
        }
        lines
    }

    /// The lines under the text: the spinner or the message, then the Session's
    /// countdown.
    fn status(&self, view: &ViewContext<'_>) -> Vec<Line<'_>> {
        let first = status_line(view, self.message.as_deref());
        std::iter::once(first)
            .chain(countdown::line(self.prompt.expires_at, view))
            .collect()
    }

    /// The rows the screen needs at `width`: margin, the text wrapped, a gap and the
    /// status wrapped (at least one row).
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        let width = width.min(WIDTH);
        1 + rows_of(self.intro(view), width, true)
            + 1
            + rows_of(self.status(view), width, true).max(1)
    }

    /// Draws the text and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let area = area.centered_horizontally(Constraint::Max(WIDTH));
        let intro = self.intro(view);
        let [_, intro_area, _, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(rows_of(intro.clone(), area.width, true)),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), intro_area);
        frame.render_widget(
            Paragraph::new(self.status(view)).wrap(Wrap { trim: true }),
            status,
        );
    }
}

#[cfg(test)]
mod tests {
    //! The passkey screen: Enter signs in where this machine holds a passkey and only
    //! explains where it does not, Esc starts again, a refusal stays on the screen, and
    //! the Session's last minute is counted down.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::time::Duration;

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, Command, Event};
    use crate::test_support::tui::{
        answer, at, footer_keys, key, refuse, render, screen, snapshot_both_sizes, step, text,
    };
    use crate::test_support::{NOW, info, passkey, passkey_on_key, sign_in};
    use crate::tui::app::{App, Effect, Msg};
    use crate::tui::strings;
    use crate::tui::theme::Theme;

    #[test]
    fn with_a_passkey_enter_signs_in_and_the_screen_is_busy_until_the_task_answers() {
        let mut app = at(passkey(true));
        assert_eq!(app.screen().title(), strings::TITLE_WEB_AUTHN);
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("Passkey for alice at localhost."), "{drawn}");
        assert!(
            drawn.contains("Using the software passkey for alice. Press Enter to sign in."),
            "{drawn}"
        );
        assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
        assert_eq!(app.update(key(KeyCode::Enter)), answer(Answer::WebAuthn));
        assert!(app.is_busy());
        assert!(render(&app, 80, 24).contains(strings::CHECKING));
        // A second Enter while busy sends nothing.
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
    }

    #[test]
    fn on_a_security_key_the_spinner_says_what_the_key_wants_and_s_switches() {
        let mut app = at(passkey_on_key());
        let drawn = text(&app, 80, 24);
        assert!(
            drawn.contains(
                "Using your security key. Press Enter, then touch the key when it blinks."
            ),
            "{drawn}"
        );
        assert_eq!(footer_keys(&app), ["Enter", "s", "Esc"]);
        assert!(render(&app, 80, 24).contains("use the software passkey"));
        assert_eq!(app.update(key(KeyCode::Enter)), answer(Answer::WebAuthn));
        assert!(render(&app, 80, 24).contains(strings::CHECKING));
        app.update(Msg::Auth(Event::Progress(
            "Touch your security key.".into(),
        )));
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("Touch your security key."), "{drawn}");
        assert!(!drawn.contains(strings::CHECKING), "{drawn}");
        // The answer's event ends the busy time and the progress with it.
        refuse(&mut app, "NotAuthorizedException", "Refused.");
        assert!(!render(&app, 80, 24).contains("Touch your security key."));

        let mut app = at(passkey_on_key());
        assert_eq!(
            app.update(key(KeyCode::Char('s'))),
            answer(Answer::SwitchAuthenticator)
        );
    }

    #[test]
    fn a_refusal_shows_its_sentence_and_enter_tries_again() {
        let mut app = at(passkey(true));
        app.update(key(KeyCode::Enter));
        let sentence =
            "Cognito did not accept the passkey's signature. Try again, or sign in another way.";
        refuse(&mut app, "NotAuthorizedException", sentence);
        assert!(!app.is_busy());
        assert_eq!(screen!(app, WebAuthn).message(), Some(sentence));
        assert!(render(&app, 80, 24).contains("Cognito did not accept"));
        assert_eq!(app.update(key(KeyCode::Enter)), answer(Answer::WebAuthn));
        assert_eq!(screen!(app, WebAuthn).message(), None);
    }

    #[test]
    fn without_a_passkey_enter_only_says_so_again_and_esc_starts_again() {
        let mut app = at(passkey(false));
        let drawn = text(&app, 80, 24);
        for said in [
            "This machine holds no software passkey for alice at localhost.",
            "sign in another way, then add a passkey from account security or with",
            "cognito-signin passkeys add",
        ] {
            assert!(drawn.contains(said), "{said:?} in {drawn}");
        }
        assert!(!drawn.contains("Press Enter"), "{drawn}");
        assert_eq!(footer_keys(&app), ["Esc"]);
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        let message = screen!(app, WebAuthn).message().unwrap_or_default();
        assert!(
            message.starts_with("This machine holds no software passkey for alice"),
            "{message}"
        );
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Restart {
                username: "alice".into()
            })
        );
    }

    #[test]
    fn esc_with_a_passkey_starts_again_too() {
        let mut app = at(passkey(true));
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Restart {
                username: "alice".into()
            })
        );
    }

    #[test]
    fn the_last_minute_of_the_session_counts_down_then_says_it_expired() {
        let seconds = Arc::new(AtomicI64::new(0));
        let clock = Arc::clone(&seconds);
        let mut app = App::new(
            info(),
            Theme::coloured(),
            Arc::new(move || NOW + time::Duration::seconds(clock.load(Ordering::SeqCst))),
        );
        app.update(step(sign_in("alice")));
        // The prompt's Session lasts Cognito's default 3 minutes from NOW.
        app.update(step(passkey(true)));
        assert!(!render(&app, 80, 24).contains("expires"));
        assert_eq!(app.tick_rate(), Some(Duration::from_secs(120)));
        seconds.store(150, Ordering::SeqCst);
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("This sign-in expires in 0:30."), "{drawn}");
        assert_eq!(app.tick_rate(), Some(Duration::from_secs(1)));
        seconds.store(180, Ordering::SeqCst);
        app.update(Msg::Tick);
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains(strings::SESSION_EXPIRED), "{drawn}");
        assert_eq!(app.tick_rate(), None);
    }

    #[test]
    fn snapshot_web_authn_held() {
        let app = at(passkey(true));
        snapshot_both_sizes!("web_authn_held", &app);
    }

    #[test]
    fn snapshot_web_authn_not_held() {
        let app = at(passkey(false));
        snapshot_both_sizes!("web_authn_not_held", &app);
    }

    #[test]
    fn snapshot_web_authn_not_held_compact() {
        // A small terminal: compact chrome, the text scrolled.
        let app = at(passkey(false));
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/src/tui/snapshots"),
        }, {
            insta::assert_snapshot!("web_authn_not_held_40x12", render(&app, 40, 12));
        });
    }

    #[test]
    fn snapshot_web_authn_refused() {
        let mut app = at(passkey(true));
        app.update(key(KeyCode::Enter));
        refuse(
            &mut app,
            "NotAuthorizedException",
            "Cognito did not accept the passkey's signature. Try again, or sign in another way.",
        );
        snapshot_both_sizes!("web_authn_refused", &app);
    }
}
