//! The console once signed in: account security one key away, Esc on every account
//! screen going back, and the sign-in standing whatever way the person leaves (q, Esc,
//! Ctrl-C, the end of the keys), from any screen after it, while a call is in flight
//! too, and when the auth task goes away. Only a fresh sign-in form lets it go.

use crossterm::event::KeyCode;

use super::{Effect, Msg};
use crate::auth::{AccountAction, Answer, Command, ContactKind, Event, MfaKind, Outcome, Step};
use crate::test_support::tui::{
    answer, at, at_account, ctrl, ctrl_c_press, cursor, finish, footer_keys, key, refuse, render,
    screen, signed_in, start_loop, step, text, tokens,
};
use crate::test_support::{
    account_totp_setup, change_password, contact_code, contact_form, refusal, security,
    security_enrolled, sign_in,
};
use crate::tui::strings;

/// One of every account step after the signed-in screen.
fn account_steps() -> Vec<Step> {
    vec![
        security(),
        security_enrolled(),
        contact_code(ContactKind::Email, Some(MfaKind::Email)),
        contact_code(ContactKind::Phone, None),
        contact_form(ContactKind::Email, Some("alice@example.com")),
        contact_form(ContactKind::Phone, None),
        change_password(),
        account_totp_setup(),
    ]
}

/// The tokens as the console's outcome.
fn kept() -> Effect {
    Effect::Finish(Outcome::SignedIn(tokens()))
}

#[test]
fn a_on_the_signed_in_screen_opens_account_security_and_the_footer_says_so() {
    let mut app = at(signed_in());
    assert!(footer_keys(&app).contains(&"a".to_owned()));
    assert!(render(&app, 80, 24).contains(strings::KEY_ACCOUNT));
    assert_eq!(
        app.update(key(KeyCode::Char('a'))),
        answer(Answer::Account(AccountAction::Open))
    );
    assert!(app.is_busy());
    assert!(
        render(&app, 80, 24).contains(strings::CHECKING),
        "the spinner shows"
    );
    app.update(step(security()));
    assert_eq!(app.screen().title(), strings::TITLE_SECURITY);
}

#[test]
fn esc_on_account_security_closes_it_and_on_every_other_account_screen_goes_back_to_it() {
    for next in account_steps() {
        let mut app = at_account(next.clone());
        let back = match next {
            Step::Security(_) => AccountAction::Close,
            _ => AccountAction::Open,
        };
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(back)),
            "{next:?}"
        );
        let hints = at_account(next.clone()).screen().hints();
        let esc = hints.last().map(|hint| (hint.keys.as_str(), hint.does));
        assert_eq!(esc, Some(("Esc", strings::KEY_BACK)), "{next:?}");
    }
}

#[test]
fn every_way_out_of_every_account_screen_keeps_the_tokens() {
    for next in account_steps() {
        let mut app = at_account(next.clone());
        assert_eq!(app.update(ctrl('c')), kept(), "{next:?}");
        assert_eq!(app.outcome_on_leaving(), Outcome::SignedIn(tokens()));
        // While a call is in flight too.
        let mut app = at_account(next.clone());
        app.update(key(KeyCode::Esc));
        assert!(app.is_busy(), "{next:?}");
        assert_eq!(app.update(ctrl('c')), kept(), "{next:?}");
    }
    // Back on the signed-in screen, q and Esc finish with the same tokens.
    for leave in [KeyCode::Char('q'), KeyCode::Esc] {
        let mut app = at_account(security());
        app.update(key(KeyCode::Esc));
        app.update(step(signed_in()));
        assert_eq!(app.update(key(leave)), kept());
    }
}

#[test]
fn a_refusal_after_the_sign_in_never_loses_it() {
    // Account security could not be read: said on the signed-in screen, which stays.
    let mut app = at(signed_in());
    app.update(key(KeyCode::Char('a')));
    refuse(
        &mut app,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    assert_eq!(app.screen().title(), strings::TITLE_SIGNED_IN);
    assert!(text(&app, 80, 24).contains("Access Token has been revoked"));
    assert_eq!(app.update(key(KeyCode::Char('q'))), kept());
    // A step the console cannot go on from, after the sign-in: leaving keeps it.
    let mut app = at_account(Step::Failed {
        problem: refusal("NotAuthorizedException", "Access Token has expired"),
    });
    assert_eq!(app.update(key(KeyCode::Char('q'))), kept());
}

#[test]
fn a_fresh_sign_in_lets_the_last_one_go() {
    let mut app = at(signed_in());
    app.update(key(KeyCode::Char('n')));
    // Until the fresh form arrives, the sign-in stands.
    assert_eq!(app.outcome_on_leaving(), Outcome::SignedIn(tokens()));
    app.update(step(sign_in("alice")));
    assert!(!app.is_signed_in());
    assert_eq!(app.update(ctrl('c')), Effect::Finish(Outcome::Quit));
}

#[test]
fn the_auth_task_going_away_after_the_sign_in_brings_back_the_signed_in_screen() {
    // From an account screen: the signed-in screen, saying why.
    let mut app = at_account(change_password());
    assert_eq!(app.update(Msg::AuthClosed), Effect::Redraw);
    assert_eq!(app.screen().title(), strings::TITLE_SIGNED_IN);
    assert_eq!(app.screen().message(), Some(strings::ACCOUNT_UNAVAILABLE));
    // A key that would need the task says so instead of waiting for ever.
    assert_eq!(app.update(key(KeyCode::Char('a'))), Effect::Redraw);
    assert!(!app.is_busy());
    assert!(text(&app, 120, 40).contains(strings::ACCOUNT_UNAVAILABLE));
    assert_eq!(app.update(Msg::AuthClosed), Effect::None, "harmless twice");
    assert_eq!(app.update(key(KeyCode::Enter)), kept());

    // With a request in flight, the same.
    let mut app = at(signed_in());
    app.update(key(KeyCode::Char('a')));
    assert_eq!(app.update(Msg::AuthClosed), Effect::Redraw);
    assert!(!app.is_busy());
    assert_eq!(app.update(ctrl('c')), kept());
}

#[tokio::test]
async fn the_loop_keeps_the_tokens_from_account_security_whatever_the_way_out() {
    for leave in ["ctrl-c", "end of keys", "esc then q"] {
        let (mut harness, task) = start_loop();
        harness.auth.step(signed_in()).await;
        harness.settle().await;
        harness.press(KeyCode::Char('a'));
        assert_eq!(
            harness.auth.next_command().await,
            Some(Command::Answer(Answer::Account(AccountAction::Open)))
        );
        harness.auth.step(security()).await;
        harness.settle().await;
        match leave {
            "ctrl-c" => harness.keys.send(ctrl_c_press()).unwrap(),
            "end of keys" => drop(harness.keys),
            _ => {
                harness.press(KeyCode::Esc);
                assert_eq!(
                    harness.auth.next_command().await,
                    Some(Command::Answer(Answer::Account(AccountAction::Close)))
                );
                harness.auth.step(signed_in()).await;
                harness.settle().await;
                harness.press(KeyCode::Char('q'));
            }
        }
        let (outcome, _) = finish(task).await;
        assert_eq!(outcome, Outcome::SignedIn(tokens()), "{leave}");
    }
}

#[tokio::test]
async fn the_loop_stays_signed_in_when_the_task_has_gone_before_a_command() {
    let (harness, task) = start_loop();
    harness.auth.step(signed_in()).await;
    harness.settle().await;
    // The task stops listening but its events stay open: the send is what fails.
    let crate::test_support::FakeAuth { commands, events } = harness.auth;
    drop(commands);
    harness
        .keys
        .send(crate::test_support::tui::press(KeyCode::Char('a')))
        .unwrap();
    harness
        .keys
        .send(crate::test_support::tui::press(KeyCode::Char('q')))
        .unwrap();
    let (outcome, screen) = finish(task).await;
    drop(events);
    assert_eq!(outcome, Outcome::SignedIn(tokens()));
    assert!(screen.contains("Account security is not"), "{screen}");
}

#[test]
fn a_notice_after_a_change_shows_on_account_security() {
    let mut app = at_account(change_password());
    app.update(Msg::Auth(Event::Step {
        step: security(),
        note: Some(crate::auth::Note::Notice(
            "Your password was changed.".into(),
        )),
    }));
    assert_eq!(
        screen!(app, Security).notice(),
        Some("Your password was changed.")
    );
}

#[test]
fn every_account_screen_works_at_80x24_and_40x12_with_its_focus_in_sight() {
    for next in account_steps() {
        let app = at_account(next.clone());
        for (width, height) in [(80, 24), (40, 12)] {
            let drawn = render(&app, width, height);
            assert!(!drawn.contains("too small"), "{width}x{height}: {drawn}");
            let qr_alone = matches!(next, Step::TotpSetup { .. }) && width == 80;
            if !qr_alone {
                let at = cursor(&app, width, height);
                assert!(at.is_some(), "{width}x{height} {next:?}: {drawn}");
            }
            if std::env::var_os("SHOW_ACCOUNT_SCREENS").is_some() {
                eprintln!("{drawn}");
            }
        }
    }
}
