//! Signed in: who (the ID token's claims), which tokens were issued, and how long they
//! last, counting down once a second. Account security is one key away.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::auth::tokens::IdClaims;
use crate::auth::{Command, Outcome, Problem, Tokens};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::{Reaction, ViewContext, body_width, form, open_account, status_line};
use crate::tui::strings;
use crate::tui::theme::Theme;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_SIGNED_IN;

/// The countdown changes once a second.
pub const TICK: Duration = Duration::from_secs(1);

/// Width of the label column.
const LABEL_WIDTH: usize = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Finish,
    Account,
    SignInAgain,
}

// Every key that leaves keeps the sign-in: Enter finishes, and q and Esc quit as they do
// on the other screens (the footer names them so), to the same end.
const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_FINISH,
        action: Action::Finish,
    },
    // The person's second factors, contact details and password (the sign-in stands).
    Binding {
        keys: &[Key::plain(KeyCode::Char('a'))],
        does: strings::KEY_ACCOUNT,
        action: Action::Account,
    },
    // Another user, or the same one again (a demo walks through several flows).
    Binding {
        keys: &[Key::plain(KeyCode::Char('n'))],
        does: strings::KEY_SIGN_IN_AGAIN,
        action: Action::SignInAgain,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Char('q')), Key::plain(KeyCode::Esc)],
        does: strings::KEY_QUIT,
        action: Action::Finish,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The signed-in screen's offer, after a sign-in with flags alone, to save them as a
/// saved pool: a yes/no question whose answer is no unless `y` is pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOffer {
    /// Asked and not answered: the name the entry would take.
    Asked(String),
    /// Saved: the sentence that says where, and how to use it.
    Saved(String),
    /// Could not be saved: why.
    Failed(String),
}

/// The key that answers yes.
pub const SAVE_BINDING: Binding<()> = Binding {
    keys: &[Key::plain(KeyCode::Char('y'))],
    does: strings::KEY_SAVE_FLAGS,
    action: (),
};

/// The signed-in screen's state.
#[derive(Debug)]
pub struct SignedIn {
    tokens: Box<Tokens>,
    claims: Option<IdClaims>,
    /// Something that went wrong after the tokens arrived (a device not registered).
    notice: Option<String>,
    /// Why account security could not open (a refusal), in red.
    message: Option<String>,
}

impl SignedIn {
    /// The screen for these tokens; the claims are read once.
    pub fn new(tokens: Box<Tokens>) -> Self {
        let claims = tokens.id_claims();
        Self {
            tokens,
            claims,
            notice: None,
            message: None,
        }
    }

    /// A note under the greeting, such as a device the pool did not register.
    pub fn show_notice(&mut self, notice: String) {
        self.notice = Some(notice);
    }

    /// A refused request (account security could not be read): said here, in red; the
    /// sign-in stands.
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// The refusal on show, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The sign-in this screen shows, as the console's outcome: whatever key leaves it,
    /// the tokens are printed and kept.
    pub fn outcome(&self) -> Outcome {
        Outcome::SignedIn(self.tokens.clone())
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Finish) => Reaction::Finish(self.outcome()),
            Some(Action::Account) => {
                self.message = None;
                open_account()
            }
            Some(Action::SignInAgain) => Reaction::Send(Command::Restart {
                username: self
                    .claims
                    .as_ref()
                    .and_then(|claims| claims.username.clone())
                    .unwrap_or_default(),
            }),
            None => Reaction::Ignored,
        }
    }

    /// The rows the screen needs at `width`: a margin and every line wrapped.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        1 + form::wrapped_rows(&self.lines(view), body_width(width))
    }

    /// Draws the claims, the tokens and the countdown.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let [_, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let body = body.centered_horizontally(Constraint::Max(body_width(area.width)));
        frame.render_widget(
            Paragraph::new(self.lines(view)).wrap(Wrap { trim: false }),
            body,
        );
    }

    /// Who signed in, the claims, the tokens and the countdown, a line each.
    fn lines(&self, view: &ViewContext<'_>) -> Vec<Line<'_>> {
        let theme = view.theme;
        let mut lines = Vec::new();
        let name = self
            .claims
            .as_ref()
            .and_then(|claims| claims.username.as_deref());
        lines.push(match name {
            Some(name) => Line::from(vec![
                Span::styled(format!("{} ", strings::SIGNED_IN_AS), theme.success()),
                Span::styled(name, theme.title()),
            ]),
            None => Line::styled(strings::SIGNED_IN_NO_NAME, theme.success()),
        });
        if let Some(notice) = &self.notice {
            lines.push(Line::styled(notice.as_str(), theme.warning()));
        }
        // The spinner while account security is read, else why it could not be.
        if view.busy.is_some() || self.message.is_some() {
            lines.push(status_line(view, self.message.as_deref()));
        }
        let offer = view.save_offer.map(|offer| match offer {
            SaveOffer::Asked(name) => (strings::save_flags_question(name), theme.title()),
            SaveOffer::Saved(sentence) => (sentence.clone(), theme.success()),
            SaveOffer::Failed(sentence) => (sentence.clone(), theme.error()),
        });
        if let Some((text, style)) = offer {
            lines.push(Line::default());
            lines.push(Line::styled(text, style));
        }
        lines.push(Line::default());
        match &self.claims {
            Some(claims) => {
                let groups = if claims.groups.is_empty() {
                    strings::NO_GROUPS.to_owned()
                } else {
                    claims.groups.join(", ")
                };
                lines.push(row(
                    strings::LABEL_SUB,
                    or_missing(claims.sub.as_deref()),
                    theme,
                ));
                lines.push(row(
                    strings::LABEL_EMAIL,
                    or_missing(claims.email.as_deref()),
                    theme,
                ));
                lines.push(row(strings::LABEL_GROUPS, &groups, theme));
            }
            None => lines.push(Line::styled(strings::ID_TOKEN_UNREADABLE, theme.warning())),
        }
        lines.push(row(
            strings::LABEL_TOKENS,
            &self.tokens.issued().join(", "),
            theme,
        ));
        let expiry = expiry_text(self.tokens.expires_at(), view.now);
        lines.push(row(strings::LABEL_EXPIRES, &expiry, theme));
        lines
    }
}

fn or_missing(value: Option<&str>) -> &str {
    value.unwrap_or(strings::NOT_IN_TOKEN)
}

/// "Label     value", the label padded to one column.
fn row<'a>(label: &'a str, value: &str, theme: Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL_WIDTH$} "), theme.label()),
        Span::raw(value.to_owned()),
    ])
}

/// "in 59:12 (at 04:41:28 UTC)", or "expired at 04:41:28 UTC".
pub fn expiry_text(expires_at: OffsetDateTime, now: OffsetDateTime) -> String {
    #[expect(
        clippy::expect_used,
        reason = "an OffsetDateTime has an hour, a minute and a second, and the text goes to a String, so formatting cannot fail"
    )]
    let at = expires_at
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!("[hour]:[minute]:[second]"))
        .expect("an OffsetDateTime has every component of [hour]:[minute]:[second]");
    let left = (expires_at - now).whole_seconds();
    if left <= 0 {
        strings::expired_at(&at)
    } else {
        strings::expires_in(&countdown(left), &at)
    }
}

/// Seconds left as "MM:SS", or "H:MM:SS" from an hour up.
pub fn countdown(seconds: i64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    //! The signed-in screen: the countdown, the keys that finish or start again, a notice
    //! that came with the tokens, and how it looks.

    use super::*;
    use crate::auth::{Event, Note};
    use crate::test_support::sign_in;
    use crate::test_support::tui::{
        app, key, render, signed_in, snapshot_both_sizes, step, tokens,
    };
    use crate::tui::app::{Effect, Msg};

    #[test]
    fn counts_down_in_minutes_and_hours() {
        assert_eq!(countdown(3552), "59:12");
        assert_eq!(countdown(59), "00:59");
        assert_eq!(countdown(3600), "1:00:00");
        assert_eq!(countdown(86_399), "23:59:59");
    }

    #[test]
    fn says_expired_once_the_time_has_passed() {
        let at = time::macros::datetime!(2026-11-22 04:00:00 UTC);
        assert_eq!(expiry_text(at, at), "expired at 04:00:00 UTC");
        assert_eq!(
            expiry_text(at, at - time::Duration::seconds(48)),
            "in 00:48 (at 04:00:00 UTC)"
        );
    }

    #[test]
    fn signed_in_finishes_with_the_tokens_and_counts_down_each_second() {
        for finish in [KeyCode::Enter, KeyCode::Char('q'), KeyCode::Esc] {
            let mut app = app();
            app.update(step(signed_in()));
            assert_eq!(app.tick_rate(), Some(Duration::from_secs(1)));
            assert_eq!(app.update(Msg::Tick), Effect::Redraw);
            // The task may end once it has sent the tokens.
            assert_eq!(app.update(Msg::AuthClosed), Effect::None);
            assert_eq!(
                app.update(key(finish)),
                Effect::Finish(Outcome::SignedIn(tokens()))
            );
        }
    }

    #[test]
    fn signed_in_offers_a_fresh_sign_in_for_the_same_user() {
        let mut app = app();
        app.update(step(signed_in()));
        let username = tokens()
            .id_claims()
            .and_then(|claims| claims.username)
            .unwrap_or_default();
        assert!(!username.is_empty());
        assert_eq!(
            app.update(key(KeyCode::Char('n'))),
            Effect::Send(Command::Restart { username })
        );
        assert!(app.is_busy(), "no second key until the task answers");
    }

    #[test]
    fn a_notice_with_the_tokens_shows_on_the_signed_in_screen() {
        let mut app = app();
        app.update(step(sign_in("alice")));
        app.update(Msg::Auth(Event::Step {
            step: signed_in(),
            note: Some(Note::Notice(
                "Signed in, but the pool did not record the choice about this device.".into(),
            )),
        }));
        assert!(render(&app, 120, 40).contains("did not record the choice"));
    }

    #[test]
    fn the_offer_to_save_the_flags_is_answered_with_y_and_asked_once() {
        let mut app = app().with_save_offer("us-east-1_AbC".into());
        app.update(step(sign_in("alice")));
        // On the form, y is a letter of the username.
        assert_eq!(app.update(key(KeyCode::Char('y'))), Effect::Redraw);
        app.update(step(signed_in()));
        let asked = render(&app, 100, 30);
        assert!(asked.contains("saved pool \"us-east-1_AbC\"?"), "{asked}");
        assert!(asked.contains("y  save as a pool"), "{asked}");
        assert_eq!(
            app.update(key(KeyCode::Char('y'))),
            Effect::SaveFlags("alice".into())
        );
        assert_eq!(
            app.update(Msg::FlagsSaved(Ok("Saved as \"us-east-1_AbC\".".into()))),
            Effect::Redraw
        );
        let saved = render(&app, 100, 30);
        assert!(saved.contains("Saved as \"us-east-1_AbC\"."), "{saved}");
        assert!(!saved.contains("save as a pool"), "{saved}");
        assert_eq!(app.update(key(KeyCode::Char('y'))), Effect::None);
        // A fresh sign-in does not ask again.
        app.update(step(sign_in("alice")));
        app.update(step(signed_in()));
        assert!(!render(&app, 100, 30).contains("saved pool"));
    }

    #[test]
    fn a_save_that_failed_is_said_and_leaving_still_keeps_the_tokens() {
        let mut console = app().with_save_offer("work".into());
        console.update(step(signed_in()));
        console.update(key(KeyCode::Char('y')));
        console.update(Msg::FlagsSaved(
            Err("could not write /x/config.toml".into()),
        ));
        assert!(render(&console, 100, 30).contains("could not write /x/config.toml"));
        assert_eq!(
            console.update(key(KeyCode::Enter)),
            Effect::Finish(Outcome::SignedIn(tokens()))
        );
        // Without an offer, y is no key of the signed-in screen.
        let mut plain = app();
        plain.update(step(signed_in()));
        assert_eq!(plain.update(key(KeyCode::Char('y'))), Effect::None);
        assert!(!render(&plain, 100, 30).contains("save as a pool"));
    }

    #[test]
    fn snapshot_signed_in() {
        let mut app = app();
        app.update(step(signed_in()));
        snapshot_both_sizes!("signed_in", &app);
    }

    #[test]
    fn snapshot_signed_in_offering_to_save_the_flags() {
        let mut app = app().with_save_offer("us-east-1_Demo0001".into());
        app.update(step(signed_in()));
        snapshot_both_sizes!("signed_in_save_offer", &app);
    }
}
