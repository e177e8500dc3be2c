//! The challenge screens without a terminal: keys in, the right `Command` out; refusals
//! kept on the screen that caused them; every screen snapshotted at 80x24 and 120x40;
//! the enrolment QR code read back from the drawn cells; demo mode's outbox panel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::{broadcast, mpsc};

use super::app::{App, Effect, Msg};
use super::screens::Screen;
use super::screens::totp_setup::{Field as TotpField, group_secret};
use super::strings;
use super::tests::{app, key, render, sign_in, snapshot_both_sizes, step, type_ahead, type_text};
use super::widgets::qr;
use super::*;
use crate::auth::{
    Answer, CodeKind, CodePrompt, Command, Event, FirstFactor, MfaKind, Problem, Step,
};
use crate::outbox::{Delivery, Medium};

/// The otpauth URI of the enrolment tests: an issuer with a space, percent-encoded.
const URI: &str =
    "otpauth://totp/My%20Corp:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=My%20Corp";
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// An app signed in as far as "alice", now showing `next`.
fn at(next: Step) -> App {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(step(next));
    app
}

fn answer(answer: Answer) -> Effect {
    Effect::Send(Command::Answer(answer))
}

fn restart_alice() -> Effect {
    Effect::Send(Command::Restart {
        username: "alice".into(),
    })
}

fn refusal(kind: &str, sentence: &str) -> Msg {
    Msg::Auth(Event::Error(Problem {
        kind: Some(kind.into()),
        sentence: sentence.into(),
    }))
}

/// After an answer went out: the task says busy, refuses, and goes idle.
fn refuse(app: &mut App, kind: &str, sentence: &str) {
    app.update(Msg::Auth(Event::Busy));
    assert_eq!(app.update(refusal(kind, sentence)), Effect::Redraw);
    app.update(Msg::Auth(Event::Idle));
}

fn footer_keys(app: &App) -> Vec<String> {
    app.screen()
        .hints()
        .into_iter()
        .map(|hint| hint.keys)
        .collect()
}

fn sms_prompt(can_resend: bool) -> Step {
    Step::Code(CodePrompt {
        kind: CodeKind::SmsMfa,
        destination: Some("+*******0101".into()),
        medium: Some("SMS".into()),
        device_name: None,
        length: 6,
        can_resend,
    })
}

fn email_prompt() -> Step {
    Step::Code(CodePrompt {
        kind: CodeKind::EmailOtp,
        destination: Some("a***@e***".into()),
        medium: Some("EMAIL".into()),
        device_name: None,
        length: 6,
        can_resend: true,
    })
}

fn totp_prompt(device_name: Option<&str>) -> Step {
    Step::Code(CodePrompt {
        kind: CodeKind::SoftwareToken,
        destination: None,
        medium: None,
        device_name: device_name.map(str::to_owned),
        length: 6,
        can_resend: false,
    })
}

fn first_factors() -> Step {
    Step::SelectFirstFactor {
        username: "alice".into(),
        options: vec![
            FirstFactor::WebAuthn,
            FirstFactor::Password,
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::SmsOtp,
            FirstFactor::Other("MAGIC_LINK".into()),
        ],
    }
}

fn totp_setup() -> Step {
    Step::TotpSetup {
        username: "alice".into(),
        issuer: "My Corp".into(),
        secret: SECRET.into(),
        uri: URI.into(),
    }
}

fn new_password() -> Step {
    Step::NewPassword {
        username: "alice".into(),
        required_attributes: vec!["name".into(), "phone_number".into()],
        user_attributes: BTreeMap::from([
            ("email".into(), "alice@example.com".into()),
            ("email_verified".into(), "true".into()),
        ]),
    }
}

fn custom(round: u32) -> Step {
    Step::Custom {
        parameters: BTreeMap::from([
            ("question".into(), "What is six times seven?".into()),
            ("hint".into(), "A famous number".into()),
        ]),
        round,
    }
}

/// One of every challenge step (the screens with inputs).
fn challenge_steps() -> Vec<Step> {
    vec![
        first_factors(),
        Step::Password {
            username: "alice".into(),
        },
        sms_prompt(true),
        Step::SelectMfa {
            options: vec![MfaKind::SoftwareToken, MfaKind::Sms],
        },
        Step::SelectMfaSetup {
            options: vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms],
        },
        totp_setup(),
        Step::EmailSetup {
            username: "alice".into(),
        },
        new_password(),
        custom(1),
    ]
}

// ---- every screen ----

#[test]
fn esc_on_every_challenge_screen_starts_a_fresh_sign_in_and_the_footer_says_so() {
    for next in challenge_steps() {
        let mut app = at(next.clone());
        assert_eq!(app.update(key(KeyCode::Esc)), restart_alice(), "{next:?}");
        assert!(footer_keys(&at(next)).contains(&"Esc".to_owned()));
    }
}

#[test]
fn an_error_stays_on_every_challenge_screen_with_its_sentence() {
    for next in challenge_steps() {
        let mut app = at(next.clone());
        let title = app.screen().title();
        refuse(
            &mut app,
            "CodeMismatchException",
            "That was not the right answer.",
        );
        assert_eq!(app.screen().title(), title, "{next:?}");
        assert!(!app.is_busy());
        let drawn = render(&app, 120, 40);
        assert!(drawn.contains("That was not the right answer."), "{drawn}");
    }
}

// ---- sign-in without a password ----

#[test]
fn a_username_only_sign_in_sends_an_empty_password() {
    let mut app = app();
    app.update(step(Step::SignIn {
        username: String::new(),
        needs_password: false,
    }));
    assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
    type_text(&mut app, "alice");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::SignIn {
            username: "alice".into(),
            password: "".into(),
        })
    );
}

#[test]
fn typing_kept_before_a_username_only_first_step_drops_the_password_field() {
    let mut app = app();
    type_ahead(&mut app, "alice");
    app.update(step(Step::SignIn {
        username: String::new(),
        needs_password: false,
    }));
    let Screen::SignIn(form) = app.screen() else {
        panic!("{:?}", app.screen());
    };
    assert_eq!(form.username(), "alice");
    assert!(!form.needs_password());
}

#[test]
fn enter_typed_ahead_sends_a_username_only_form_once_it_arrives() {
    // A fast typist (or a paste) finishes before the task says the form has no
    // password field: the Enter must send, not move to a password field.
    let mut app = app();
    type_ahead(&mut app, "pat");
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
    assert_eq!(
        app.update(step(Step::SignIn {
            username: String::new(),
            needs_password: false,
        })),
        Effect::Send(Command::Answer(Answer::SignIn {
            username: "pat".into(),
            password: crate::sensitive::SensitiveString::default(),
        }))
    );
    assert!(app.is_busy());
}

// ---- SELECT_CHALLENGE ----

#[test]
fn first_factor_list_moves_with_arrows_and_j_k_and_sends_the_choice() {
    let mut app = at(first_factors());
    // The first usable factor is chosen to begin with.
    assert_eq!(app.update(key(KeyCode::Char('j'))), Effect::Redraw);
    assert_eq!(app.update(key(KeyCode::Down)), Effect::Redraw);
    assert_eq!(app.update(key(KeyCode::Up)), Effect::Redraw);
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::FirstFactor(FirstFactor::PasswordSrp))
    );
}

#[test]
fn a_passkey_or_unknown_factor_is_explained_and_nothing_is_sent() {
    let mut app = at(first_factors());
    app.update(key(KeyCode::Char('k')));
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert!(!app.is_busy());
    let Screen::SelectFirstFactor(screen) = app.screen() else {
        panic!()
    };
    assert_eq!(screen.message(), Some(strings::PASSKEY_NEEDS_BROWSER));
    for _ in 0..10 {
        app.update(key(KeyCode::Char('j')));
    }
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert!(render(&app, 120, 40).contains("MAGIC_LINK cannot be used in this console"));
    // Another choice still works.
    app.update(key(KeyCode::Up));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::FirstFactor(FirstFactor::SmsOtp))
    );
}

// ---- password ----

#[test]
fn the_password_screen_sends_the_password_and_clears_it_when_refused() {
    let mut app = at(Step::Password {
        username: "alice".into(),
    });
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
    let Screen::Password(screen) = app.screen() else {
        panic!()
    };
    assert!(screen.password_is_empty());
    assert_eq!(screen.message(), Some("Incorrect username or password."));
    assert!(!render(&app, 80, 24).contains("Passw0rd!"));
}

// ---- codes ----

fn code_screen(app: &App) -> &screens::code::Code {
    match app.screen() {
        Screen::Code(screen) => screen,
        other => panic!("expected the code screen, got {other:?}"),
    }
}

#[test]
fn a_code_takes_digits_only_and_goes_out_on_the_sixth() {
    let mut app = at(sms_prompt(true));
    for ignored in ['a', ' ', '-', 'é'] {
        assert_eq!(app.update(key(KeyCode::Char(ignored))), Effect::None);
    }
    type_text(&mut app, "12");
    assert_eq!(app.update(key(KeyCode::Backspace)), Effect::Redraw);
    assert_eq!(code_screen(&app).typed(), 1);
    type_text(&mut app, "2345");
    assert_eq!(code_screen(&app).typed(), 5);
    assert_eq!(
        app.update(key(KeyCode::Char('6'))),
        answer(Answer::Code("123456".into()))
    );
    assert!(app.is_busy());
}

#[test]
fn enter_on_a_short_code_says_how_many_digits_and_sends_nothing() {
    let mut app = at(totp_prompt(None));
    type_text(&mut app, "123");
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert_eq!(code_screen(&app).message(), Some("Enter all 6 digits."));
    assert!(!app.is_busy());
}

#[test]
fn a_wrong_code_keeps_the_screen_clears_the_field_and_shows_the_message() {
    let mut app = at(sms_prompt(true));
    type_text(&mut app, "00000");
    assert!(matches!(
        app.update(key(KeyCode::Char('0'))),
        Effect::Send(_)
    ));
    refuse(
        &mut app,
        "CodeMismatchException",
        "Invalid code received for user",
    );
    assert_eq!(code_screen(&app).typed(), 0);
    assert_eq!(
        code_screen(&app).message(),
        Some("Invalid code received for user")
    );
    // The next try goes out too.
    type_text(&mut app, "12345");
    assert_eq!(
        app.update(key(KeyCode::Char('6'))),
        answer(Answer::Code("123456".into()))
    );
}

#[test]
fn resend_is_offered_only_where_allowed() {
    let mut app = at(sms_prompt(true));
    assert_eq!(footer_keys(&app), ["Enter", "Ctrl-R", "Esc"]);
    assert_eq!(app.update(ctrl('r')), answer(Answer::ResendCode));

    let mut app = at(totp_prompt(Some("Work phone")));
    assert_eq!(footer_keys(&app), ["Enter", "Esc"]);
    assert_eq!(app.update(ctrl('r')), Effect::None);
    assert!(!app.is_busy());
}

#[test]
fn the_code_screen_says_where_the_code_went_or_which_app_to_open() {
    let drawn = render(&at(sms_prompt(true)), 80, 24);
    assert!(
        drawn.contains("We sent a code by SMS to +*******0101."),
        "{drawn}"
    );
    let drawn = render(&at(email_prompt()), 80, 24);
    assert!(
        drawn.contains("We sent a code by e-mail to a***@e***."),
        "{drawn}"
    );
    let drawn = render(&at(totp_prompt(Some("Work phone"))), 80, 24);
    assert!(
        drawn.contains("Open Work phone and enter the code"),
        "{drawn}"
    );
    let drawn = render(&at(totp_prompt(None)), 80, 24);
    assert!(drawn.contains("Open your authenticator app"), "{drawn}");
}

// ---- SELECT_MFA_TYPE and MFA_SETUP ----

#[test]
fn select_mfa_sends_the_chosen_factor() {
    let mut app = at(Step::SelectMfa {
        options: vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms],
    });
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Down));
    assert_eq!(
        app.update(key(KeyCode::Down)),
        Effect::None,
        "the list ends"
    );
    app.update(key(KeyCode::Char('k')));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::Mfa(MfaKind::Email))
    );
}

#[test]
fn mfa_setup_explains_sms_and_never_sends_it() {
    let mut app = at(Step::SelectMfaSetup {
        options: vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms],
    });
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert!(!app.is_busy());
    let Screen::SelectMfaSetup(screen) = app.screen() else {
        panic!()
    };
    assert_eq!(screen.message(), Some(strings::SMS_SETUP_NEEDS_ADMIN));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Up));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::MfaSetup(MfaKind::SoftwareToken))
    );
}

// ---- TOTP enrolment ----

fn totp_screen(app: &App) -> &screens::totp_setup::TotpSetup {
    match app.screen() {
        Screen::TotpSetup(screen) => screen,
        other => panic!("expected the TOTP screen, got {other:?}"),
    }
}

#[test]
fn totp_setup_sends_the_first_code_and_the_device_name() {
    let mut app = at(totp_setup());
    // Digits only, six at most.
    assert_eq!(app.update(key(KeyCode::Char('x'))), Effect::None);
    type_text(&mut app, "123456");
    assert_eq!(app.update(key(KeyCode::Char('7'))), Effect::None);
    assert_eq!(app.update(key(KeyCode::Tab)), Effect::Redraw);
    assert_eq!(totp_screen(&app).focus(), TotpField::DeviceName);
    type_text(&mut app, " Work phone ");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::TotpSetup {
            code: "123456".into(),
            device_name: Some("Work phone".into()),
        })
    );
}

#[test]
fn totp_setup_without_a_name_sends_none_and_a_refusal_keeps_the_name() {
    let mut app = at(totp_setup());
    type_text(&mut app, "12345");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        Effect::Redraw,
        "short code"
    );
    assert!(!app.is_busy());
    type_text(&mut app, "6");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::TotpSetup {
            code: "123456".into(),
            device_name: None,
        })
    );
    refuse(&mut app, "EnableSoftwareTokenMFAException", "Code mismatch");
    app.update(key(KeyCode::BackTab));
    type_text(&mut app, "Phone");
    app.update(key(KeyCode::Tab));
    assert_eq!(totp_screen(&app).code_typed(), 0);
    refuse(&mut app, "CodeMismatchException", "Code mismatch");
    assert_eq!(totp_screen(&app).device_name(), "Phone");
    assert_eq!(totp_screen(&app).focus(), TotpField::Code);
}

#[test]
fn the_secret_is_grouped_by_four_and_never_in_debug() {
    assert_eq!(group_secret("JBSWY3DPEH"), "JBSW Y3DP EH");
    let app = at(totp_setup());
    let debug = format!("{:?} {:?}", app, app.screen());
    assert!(!debug.contains("JBSWY3DP"), "{debug}");
    assert!(!debug.contains("otpauth"), "{debug}");
}

/// The drawn cells as pixels: each cell is 1 px wide and 2 px tall, its glyph saying
/// which halves are drawn in the foreground colour; a half is dark when its colour is
/// the QR's dark colour. Every other cell is light. Scaled up `scale` times for the decoder.
fn pixels(buffer: &Buffer, scale: usize) -> (usize, usize, Vec<u8>) {
    let area = buffer.area;
    let (width, height) = (usize::from(area.width), usize::from(area.height) * 2);
    let mut grey = vec![255_u8; width * height];
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let (top, bottom) = match cell.symbol() {
                qr::FULL => (cell.fg, cell.fg),
                qr::UPPER => (cell.fg, cell.bg),
                qr::LOWER => (cell.bg, cell.fg),
                qr::EMPTY => (cell.bg, cell.bg),
                _ => continue,
            };
            let (x, y) = (usize::from(x), usize::from(y) * 2);
            if top == theme::QR_DARK {
                grey[y * width + x] = 0;
            }
            if bottom == theme::QR_DARK {
                grey[(y + 1) * width + x] = 0;
            }
        }
    }
    let (scaled_width, scaled_height) = (width * scale, height * scale);
    let scaled = (0..scaled_width * scaled_height)
        .map(|index| {
            let (x, y) = (index % scaled_width / scale, index / scaled_width / scale);
            grey[y * width + x]
        })
        .collect();
    (scaled_width, scaled_height, scaled)
}

fn decode_qr(buffer: &Buffer) -> Vec<String> {
    let (width, height, grey) = pixels(buffer, 4);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a readable QR code").1)
        .collect()
}

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame)).unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn the_qr_code_reads_back_as_the_exact_otpauth_uri() {
    for theme in [theme::Theme::coloured(), theme::Theme::monochrome()] {
        let mut app = App::new(
            super::tests::info(),
            theme,
            std::sync::Arc::new(|| super::tests::NOW),
        );
        app.update(sign_in("alice"));
        app.update(step(totp_setup()));
        assert_eq!(decode_qr(&draw(&app, 120, 40)), [URI]);
    }
}

#[test]
fn the_qr_code_still_reads_with_the_outbox_panel_below() {
    let mut app = app().with_outbox();
    app.update(sign_in("alice"));
    app.update(step(totp_setup()));
    app.update(Msg::Delivered(delivery(1)));
    assert_eq!(decode_qr(&draw(&app, 120, 40)), [URI]);
}

#[test]
fn at_80x24_the_secret_and_uri_are_text_and_no_code_is_drawn() {
    let app = at(totp_setup());
    let buffer = draw(&app, 80, 24);
    assert!(decode_qr(&buffer).is_empty());
    let drawn = render(&app, 80, 24);
    for glyph in [qr::FULL, qr::UPPER, qr::LOWER] {
        assert!(!drawn.contains(glyph), "{drawn}");
    }
    assert!(
        drawn.contains("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"),
        "{drawn}"
    );
    assert!(drawn.contains(strings::TOTP_LARGER_TERMINAL), "{drawn}");
    // The URI is wrapped across lines: join the rows' insides to find it whole.
    let joined: String = drawn
        .lines()
        .map(|line| line.trim_matches('"').trim_matches('│').trim())
        .collect();
    assert!(joined.contains(URI), "{drawn}");
}

// ---- e-mail enrolment ----

#[test]
fn email_setup_checks_for_an_address_and_sends_it() {
    let mut app = at(Step::EmailSetup {
        username: "alice".into(),
    });
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
    let Screen::EmailSetup(screen) = app.screen() else {
        panic!()
    };
    assert_eq!(screen.email(), "alice@example.com", "kept to correct it");
}

// ---- new password ----

fn new_password_screen(app: &App) -> &screens::new_password::NewPassword {
    match app.screen() {
        Screen::NewPassword(screen) => screen,
        other => panic!("expected the new-password screen, got {other:?}"),
    }
}

#[test]
fn new_password_moves_between_fields_and_sends_password_and_attributes() {
    let mut app = at(new_password());
    type_text(&mut app, "N3w-Passw0rd!");
    app.update(key(KeyCode::Enter));
    assert_eq!(new_password_screen(&app).focus(), 1);
    type_text(&mut app, "N3w-Passw0rd!");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "Alice Liddell");
    app.update(key(KeyCode::Down));
    assert_eq!(new_password_screen(&app).focus(), 3);
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::BackTab));
    assert_eq!(new_password_screen(&app).focus(), 1);
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
    let screen = new_password_screen(&app);
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
    let screen = new_password_screen(&app);
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
    let screen = new_password_screen(&app);
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

// ---- custom challenge ----

#[test]
fn custom_rounds_send_the_answer_and_show_the_parameters() {
    let mut app = at(custom(1));
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert!(!app.is_busy());
    type_text(&mut app, "42");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        answer(Answer::Custom("42".into()))
    );
    app.update(step(custom(2)));
    let drawn = render(&app, 80, 24);
    assert!(drawn.contains("Round 2"), "{drawn}");
    assert!(drawn.contains("What is six times seven?"), "{drawn}");
}

// ---- outbox ----

fn delivery(n: u32) -> Delivery {
    Delivery {
        medium: if n.is_multiple_of(2) {
            Medium::Email
        } else {
            Medium::Sms
        },
        username: "bob".into(),
        destination: if n.is_multiple_of(2) {
            "bob@example.com".into()
        } else {
            "+15555550101".into()
        },
        text: format!("Your code is 00000{n}"),
        code: format!("00000{n}"),
    }
}

#[test]
fn the_outbox_panel_keeps_the_last_few_messages() {
    let mut app = app().with_outbox();
    app.update(sign_in("bob"));
    assert!(render(&app, 80, 24).contains(strings::OUTBOX_EMPTY));
    for n in 1..=4 {
        assert_eq!(app.update(Msg::Delivered(delivery(n))), Effect::Redraw);
    }
    let kept: Vec<String> = app
        .outbox()
        .unwrap()
        .deliveries()
        .map(|d| d.code.clone())
        .collect();
    assert_eq!(kept, ["000002", "000003", "000004"]);
    assert_eq!(app.update(Msg::OutboxLagged(5)), Effect::Redraw);
    assert_eq!(app.update(Msg::OutboxClosed), Effect::None);
    let drawn = render(&app, 120, 40);
    assert!(
        drawn.contains("Outbox: messages the local pool \"sent\""),
        "{drawn}"
    );
    assert!(drawn.contains("Your code is 000004"), "{drawn}");
    assert!(drawn.contains("5 earlier messages were missed"), "{drawn}");
}

#[test]
fn without_an_outbox_no_panel_is_drawn() {
    let mut app = app();
    app.update(sign_in("bob"));
    assert_eq!(app.update(Msg::Delivered(delivery(1))), Effect::None);
    assert!(app.outbox().is_none());
    assert!(!render(&app, 120, 40).contains("Outbox"));
}

/// Runs the loop with an outbox feed; keys are sent once the test says so.
async fn run_with_outbox(
    feed: broadcast::Receiver<Delivery>,
    keys: mpsc::UnboundedReceiver<std::io::Result<TermEvent>>,
) -> (Outcome, String) {
    let (commands, _command_rx) = mpsc::channel(8);
    let (events_tx, events) = mpsc::channel(1);
    // The task's first step: keys typed before it are only held.
    events_tx
        .try_send(Event::Step(Step::SignIn {
            username: String::new(),
            needs_password: true,
        }))
        .unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let keys = Box::pin(futures::stream::unfold(keys, |mut keys| async move {
        keys.recv().await.map(|key| (key, keys))
    }));
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        run_loop(
            &mut terminal,
            app().with_outbox(),
            FrontEndChannels { commands, events },
            Some(feed),
            keys,
            std::future::pending::<()>(),
        ),
    )
    .await
    .expect("the loop ended in time")
    .unwrap();
    (outcome, terminal.backend().to_string())
}

fn ctrl_c_event() -> std::io::Result<TermEvent> {
    Ok(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )))
}

// These loop tests run on the current-thread test runtime: a spawned task runs only once
// the loop waits for input, that is after it has taken everything the feed had ready.

#[tokio::test]
async fn the_loop_shows_deliveries_and_survives_a_lagging_feed() {
    // Room for one: of three messages sent before the loop reads, two are dropped.
    let (sender, feed) = broadcast::channel(1);
    for n in 1..=3 {
        sender.send(delivery(n)).unwrap();
    }
    let (key_tx, key_rx) = mpsc::unbounded_channel();
    let typist = tokio::spawn(async move {
        assert!(sender.is_empty(), "the loop took every message first");
        key_tx.send(ctrl_c_event()).unwrap();
        sender
    });
    let (outcome, screen) = run_with_outbox(feed, key_rx).await;
    drop(typist.await.unwrap());
    assert_eq!(outcome, Outcome::Quit);
    assert!(screen.contains("Your code is 000003"), "{screen}");
    assert!(
        screen.contains("2 earlier messages were missed"),
        "{screen}"
    );
}

#[tokio::test]
async fn the_loop_goes_on_when_the_outbox_closes() {
    let (sender, feed) = broadcast::channel::<Delivery>(4);
    sender.send(delivery(1)).unwrap();
    drop(sender);
    let (key_tx, key_rx) = mpsc::unbounded_channel();
    let typist = tokio::spawn(async move {
        for c in "bob".chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            key_tx.send(Ok(TermEvent::Key(key))).unwrap();
        }
        key_tx.send(ctrl_c_event()).unwrap();
    });
    let (outcome, screen) = run_with_outbox(feed, key_rx).await;
    typist.await.unwrap();
    // The closed feed ended nothing: the keys typed after it reached the form.
    assert_eq!(outcome, Outcome::Quit);
    assert!(screen.contains("Your code is 000001"), "{screen}");
    assert!(screen.contains("│bob"), "{screen}");
}

// ---- snapshots ----

#[test]
fn snapshot_sign_in_username_only() {
    let mut app = app();
    app.update(step(Step::SignIn {
        username: "alice".into(),
        needs_password: false,
    }));
    snapshot_both_sizes("sign_in_username_only", &app);
}

#[test]
fn snapshot_select_first_factor_with_passkey_explained() {
    let mut app = at(first_factors());
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Enter));
    snapshot_both_sizes("select_first_factor", &app);
}

#[test]
fn snapshot_password() {
    let mut app = at(Step::Password {
        username: "alice".into(),
    });
    type_text(&mut app, "secret");
    snapshot_both_sizes("password", &app);
}

#[test]
fn snapshot_code_sms_half_typed() {
    let mut app = at(sms_prompt(true));
    type_text(&mut app, "123");
    snapshot_both_sizes("code_sms", &app);
}

#[test]
fn snapshot_code_email_after_a_wrong_code() {
    let mut app = at(email_prompt());
    type_text(&mut app, "11111");
    app.update(key(KeyCode::Char('1')));
    refuse(
        &mut app,
        "CodeMismatchException",
        "Invalid code received for user",
    );
    snapshot_both_sizes("code_email_error", &app);
}

#[test]
fn snapshot_code_authenticator_busy() {
    let mut app = at(totp_prompt(Some("Work phone")));
    type_text(&mut app, "12345");
    app.update(key(KeyCode::Char('6')));
    app.update(Msg::Auth(Event::Busy));
    snapshot_both_sizes("code_authenticator_busy", &app);
}

#[test]
fn snapshot_select_mfa() {
    let mut app = at(Step::SelectMfa {
        options: vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms],
    });
    app.update(key(KeyCode::Down));
    snapshot_both_sizes("select_mfa", &app);
}

#[test]
fn snapshot_select_mfa_setup_with_sms_explained() {
    let mut app = at(Step::SelectMfaSetup {
        options: vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms],
    });
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    snapshot_both_sizes("select_mfa_setup", &app);
}

#[test]
fn snapshot_totp_setup() {
    let mut app = at(totp_setup());
    type_text(&mut app, "123");
    snapshot_both_sizes("totp_setup", &app);
}

#[test]
fn snapshot_email_setup() {
    let mut app = at(Step::EmailSetup {
        username: "alice".into(),
    });
    type_text(&mut app, "alice@example.com");
    snapshot_both_sizes("email_setup", &app);
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
    snapshot_both_sizes("new_password", &app);
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
    snapshot_both_sizes("new_password_many_attributes", &app);
}

#[test]
fn snapshot_custom() {
    let mut app = at(custom(2));
    type_text(&mut app, "4");
    snapshot_both_sizes("custom", &app);
}

#[test]
fn snapshot_outbox_panel() {
    let mut app = app().with_outbox();
    app.update(sign_in("bob"));
    app.update(step(sms_prompt(true)));
    app.update(Msg::Delivered(delivery(1)));
    snapshot_both_sizes("outbox", &app);
}
