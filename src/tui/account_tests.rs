//! The screens past a plain sign-in, without a terminal: "forgot password" from the
//! sign-in form (the reset code, the new password, the notice back on the form) and
//! "Remember this device?". Keys in, the right `Command` out; snapshots at 80x24 and 120x40.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Msg};
use super::tests::{app, key, render, sign_in, snapshot_both_sizes, step, type_text};
use crate::auth::{Answer, Command, Event, Problem, Step};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn answer(answer: Answer) -> Effect {
    Effect::Send(Command::Answer(answer))
}

fn reset_code() -> Step {
    Step::ResetCode {
        username: "alice".into(),
        destination: Some("a***@e***".into()),
        medium: Some("EMAIL".into()),
    }
}

/// An app past "alice"'s sign-in form, now showing `next`.
fn at(next: Step) -> App {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(step(next));
    app
}

#[test]
fn ctrl_f_asks_for_a_reset_of_the_username_typed() {
    let mut app = app();
    app.update(sign_in(""));
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
fn the_reset_code_says_where_it_went_sends_on_the_sixth_digit_and_resends() {
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
    type_text(&mut app, "12345");
    assert_eq!(
        app.update(key(KeyCode::Char('6'))),
        answer(Answer::Code("123456".into()))
    );
}

#[test]
fn the_reset_password_is_typed_twice_and_sent_without_attributes() {
    let mut app = at(Step::ResetPassword {
        username: "alice".into(),
    });
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
fn a_refused_code_arriving_with_the_code_step_shows_on_it() {
    let mut app = at(Step::ResetPassword {
        username: "alice".into(),
    });
    app.update(Msg::Auth(Event::Busy));
    app.update(Msg::Auth(Event::Idle));
    app.update(step(reset_code()));
    app.update(Msg::Auth(Event::Error(Problem {
        kind: Some("CodeMismatchException".into()),
        sentence: "Invalid verification code provided, please try again.".into(),
    })));
    let drawn = render(&app, 120, 40);
    assert!(drawn.contains("Reset your password"), "{drawn}");
    assert!(drawn.contains("Invalid verification code"), "{drawn}");
}

#[test]
fn the_notice_shows_on_the_sign_in_form_that_follows_and_goes_when_it_is_sent() {
    let mut app = at(Step::ResetPassword {
        username: "alice".into(),
    });
    app.update(Msg::Auth(Event::Notice(
        "Your password was changed. Sign in with the new one.".into(),
    )));
    app.update(sign_in("alice"));
    assert!(render(&app, 120, 40).contains("Your password was changed."));
    type_text(&mut app, "Reset-Password-2!");
    app.update(key(KeyCode::Enter));
    assert!(!render(&app, 120, 40).contains("Your password was changed."));
}

#[test]
fn remember_device_answers_yes_or_no_and_esc_never_loses_the_sign_in() {
    let device = || Step::RememberDevice {
        device_name: "build-box".into(),
    };
    let mut app = at(device());
    assert!(render(&app, 120, 40).contains("build-box"));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::RememberDevice(true))
    );
    let mut app = at(device());
    assert_eq!(
        app.update(key(KeyCode::Char('n'))),
        answer(Answer::RememberDevice(false))
    );
    let mut app = at(device());
    assert_eq!(
        app.update(key(KeyCode::Esc)),
        answer(Answer::RememberDevice(false))
    );
    let mut app = at(device());
    app.update(key(KeyCode::Down));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::RememberDevice(false))
    );
    let mut app = at(device());
    assert_eq!(
        app.update(key(KeyCode::Char('y'))),
        answer(Answer::RememberDevice(true))
    );
}

#[test]
fn snapshot_reset_code() {
    let mut app = at(reset_code());
    type_text(&mut app, "12");
    snapshot_both_sizes("reset_code", &app);
}

#[test]
fn snapshot_reset_password() {
    let app = at(Step::ResetPassword {
        username: "alice".into(),
    });
    snapshot_both_sizes("reset_password", &app);
}

#[test]
fn snapshot_sign_in_after_a_reset() {
    let mut app = app();
    app.update(Msg::Auth(Event::Notice(
        "Your password was changed. Sign in with the new one.".into(),
    )));
    app.update(sign_in("alice"));
    snapshot_both_sizes("sign_in_after_reset", &app);
}

#[test]
fn snapshot_remember_device() {
    let app = at(Step::RememberDevice {
        device_name: "build-box".into(),
    });
    snapshot_both_sizes("remember_device", &app);
}

#[test]
fn a_notice_before_the_tokens_shows_on_the_signed_in_screen() {
    use crate::auth::Tokens;
    use crate::cognito::types::AuthenticationResult;
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(Msg::Auth(Event::Notice(
        "Signed in, but the pool did not record the choice about this device.".into(),
    )));
    let tokens = Box::new(Tokens::received_now(AuthenticationResult {
        access_token: "access".into(),
        expires_in: 3600,
        token_type: "Bearer".into(),
        refresh_token: None,
        id_token: None,
        new_device_metadata: None,
    }));
    app.update(step(Step::SignedIn { tokens }));
    assert!(render(&app, 120, 40).contains("did not record the choice"));
}
