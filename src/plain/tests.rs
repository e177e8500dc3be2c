//! The line front end driven with in-memory input and a fake auth task on channels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use tokio::sync::mpsc;

use super::*;
use crate::auth::{CodeKind, CodePrompt, FirstFactor, MfaKind};
use crate::cognito::types::AuthenticationResult;
use crate::outbox::{Delivery, Medium};

/// Every wait in these tests is bounded by this.
const BOUND: Duration = Duration::from_secs(5);

/// The fake auth task's ends of the channels.
struct FakeAuth {
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
}

impl FakeAuth {
    async fn send(&self, event: Event) {
        self.events.send(event).await.unwrap();
    }

    async fn next_command(&mut self) -> Option<Command> {
        tokio::time::timeout(BOUND, self.commands.recv())
            .await
            .expect("the front end answered in time")
    }
}

fn channels() -> (FrontEndChannels, FakeAuth) {
    let (command_tx, command_rx) = mpsc::channel(8);
    let (event_tx, event_rx) = mpsc::channel(8);
    (
        FrontEndChannels {
            commands: command_tx,
            events: event_rx,
        },
        FakeAuth {
            commands: command_rx,
            events: event_tx,
        },
    )
}

fn info() -> SessionInfo {
    SessionInfo {
        title: "us-east-1_Demo · client demo".into(),
        endpoint: "http://127.0.0.1:9229".into(),
        notes: vec!["Demo users: alice, bob".into()],
        ..Default::default()
    }
}

fn sign_in_step(username: &str) -> Event {
    Event::Step(Step::SignIn {
        needs_password: true,
        username: username.into(),
    })
}

fn answer(username: &str, password: &str) -> Command {
    Command::Answer(Answer::SignIn {
        username: username.into(),
        password: password.into(),
    })
}

fn tokens() -> Box<Tokens> {
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"cognito:username":"alice","sub":"s-1"}"#);
    Box::new(Tokens {
        result: AuthenticationResult {
            access_token: "access".into(),
            expires_in: 3600,
            token_type: "Bearer".into(),
            refresh_token: Some("refresh".into()),
            id_token: Some(format!("e30.{payload}.sig").into()),
            new_device_metadata: None,
        },
        received_at: OffsetDateTime::now_utc(),
    })
}

/// Runs the front end on `input` beside `auth`, returning its outcome and what it printed.
async fn drive<F, Fut>(input: &str, auth: F) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    drive_with_outbox(input, None, auth).await
}

/// `drive`, with the demo's outbox feed.
async fn drive_with_outbox<F, Fut>(
    input: &str,
    outbox: Option<OutboxFeed>,
    auth: F,
) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (front, fake) = channels();
    let mut out = Vec::new();
    let info = info();
    let front_end = run_with(
        front,
        &info,
        input.as_bytes(),
        &mut out,
        PasswordSource::Lines,
        outbox,
    );
    let (outcome, ()) = tokio::time::timeout(BOUND, async { tokio::join!(front_end, auth(fake)) })
        .await
        .expect("the exchange finished in time");
    (outcome.unwrap(), String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn signs_in_with_a_username_and_a_password_line() {
    let (outcome, printed) = drive("alice\nPassw0rd!\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(
            auth.next_command().await,
            Some(answer("alice", "Passw0rd!"))
        );
        auth.send(Event::Busy).await;
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
        auth.send(Event::Idle).await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(printed.contains("Signing in to us-east-1_Demo · client demo (http://127.0.0.1:9229)"));
    assert!(printed.contains("Demo users: alice, bob"));
    assert!(printed.contains("Username: Password (? if you forgot it): "));
    assert!(printed.contains("Signing in…\n"));
    assert!(printed.contains("Signed in as alice.\n"));
    assert!(printed.contains("Tokens issued: access, id, refresh.\n"));
    assert!(printed.contains("They expire in 59 min") || printed.contains("They expire in 60 min"));
    assert!(
        !printed.contains("Passw0rd!"),
        "the password is never echoed: {printed}"
    );
}

#[tokio::test]
async fn empty_answers_are_asked_again_without_a_call() {
    let (outcome, printed) = drive("\n  \nbob\n\nsecret\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        // The only command is the complete answer.
        assert_eq!(auth.next_command().await, Some(answer("bob", "secret")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
    assert_eq!(
        printed.matches("A username is needed.").count(),
        2,
        "{printed}"
    );
    assert_eq!(
        printed.matches("A password is needed.").count(),
        1,
        "{printed}"
    );
}

#[tokio::test]
async fn a_refusal_is_printed_and_asked_again_offering_the_username() {
    let refused = Problem {
        kind: Some("NotAuthorizedException".into()),
        sentence: "Incorrect username or password.".into(),
    };
    let sent = refused.clone();
    let (outcome, printed) = drive("alice\nwrong\n\nright\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, Some(answer("alice", "wrong")));
        auth.send(Event::Busy).await;
        auth.send(Event::Error(sent)).await;
        auth.send(Event::Idle).await;
        // An empty line kept the offered username.
        assert_eq!(auth.next_command().await, Some(answer("alice", "right")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
    assert!(
        printed.contains("Incorrect username or password.\nUsername [alice]: "),
        "{printed}"
    );
}

#[tokio::test]
async fn a_refusal_at_the_end_of_input_fails_with_its_sentence() {
    let refused = Problem {
        kind: Some("NotAuthorizedException".into()),
        sentence: "Incorrect username or password.".into(),
    };
    let sent = refused.clone();
    let (outcome, _) = drive("alice\nwrong\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, Some(answer("alice", "wrong")));
        auth.send(Event::Error(sent)).await;
        // The front end gives up and drops its sender.
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(outcome, Outcome::Failed(refused));
}

#[tokio::test]
async fn the_end_of_input_before_any_answer_quits() {
    let (outcome, _) = drive("", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(outcome, Outcome::Quit);
}

#[tokio::test]
async fn a_pre_filled_username_is_kept_by_an_empty_line() {
    let (_, printed) = drive("\npw\n", |mut auth| async move {
        auth.send(sign_in_step("carol")).await;
        assert_eq!(auth.next_command().await, Some(answer("carol", "pw")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(printed.contains("Username [carol]: "));
}

#[tokio::test]
async fn an_unsupported_challenge_fails_naming_it() {
    let (outcome, _) = drive("", |auth| async move {
        auth.send(Event::Step(Step::Unsupported {
            challenge: "CUSTOM_CHALLENGE".into(),
        }))
        .await;
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(
            "This challenge is not supported yet: CUSTOM_CHALLENGE"
        ))
    );
}

#[tokio::test]
async fn a_failed_step_fails_with_its_problem() {
    let problem = Problem::sentence("The user pool does not exist.");
    let sent = problem.clone();
    let (outcome, _) = drive("", |auth| async move {
        auth.send(Event::Step(Step::Failed { problem: sent })).await;
    })
    .await;
    assert_eq!(outcome, Outcome::Failed(problem));
}

#[tokio::test]
async fn the_auth_task_ending_early_is_a_failure_with_a_sentence() {
    let (outcome, _) = drive("", |auth| async move {
        drop(auth);
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))
    );
}

#[tokio::test]
async fn crlf_and_passwords_with_spaces_are_read_as_typed() {
    let (outcome, _) = drive("dave\r\n  pass word \r\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(
            auth.next_command().await,
            Some(answer("dave", "  pass word "))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
}

// ---- One test per step kind ----

/// Shows `step`, expects `expected` as the first and only answer, then signs in; returns what was printed.
async fn answered(step: Step, input: &str, expected: Answer) -> String {
    let (outcome, printed) = drive(input, |mut auth| async move {
        auth.send(Event::Step(step)).await;
        assert_eq!(auth.next_command().await, Some(Command::Answer(expected)));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(
        matches!(outcome, Outcome::SignedIn(_)),
        "{outcome:?}\n{printed}"
    );
    printed
}

fn refusal(kind: &str, sentence: &str) -> Problem {
    Problem {
        kind: Some(kind.into()),
        sentence: sentence.into(),
    }
}

fn code_step(kind: CodeKind, destination: Option<&str>, can_resend: bool) -> Step {
    Step::Code(CodePrompt {
        kind,
        destination: destination.map(Into::into),
        medium: match kind {
            CodeKind::SmsMfa | CodeKind::SmsOtp => Some("SMS".into()),
            CodeKind::EmailOtp => Some("EMAIL".into()),
            CodeKind::SoftwareToken => None,
        },
        device_name: None,
        length: 6,
        can_resend,
    })
}

#[tokio::test]
async fn a_username_only_sign_in_asks_no_password() {
    let printed = answered(
        Step::SignIn {
            username: String::new(),
            needs_password: false,
        },
        "  alice \n",
        Answer::SignIn {
            username: "alice".into(),
            password: "".into(),
        },
    )
    .await;
    assert!(printed.contains("Username: "), "{printed}");
    assert!(!printed.contains("Password"), "{printed}");
}

fn first_factors() -> Step {
    Step::SelectFirstFactor {
        username: "alice".into(),
        options: vec![
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::WebAuthn,
            FirstFactor::Other("FACE_ID".into()),
        ],
    }
}

#[tokio::test]
async fn a_first_factor_is_chosen_by_number_or_by_name() {
    let printed = answered(
        first_factors(),
        "2\n",
        Answer::FirstFactor(FirstFactor::EmailOtp),
    )
    .await;
    assert!(
        printed.contains("Choose how alice signs in:\n"),
        "{printed}"
    );
    assert!(
        printed.contains("1) Password, proven by SRP without sending it (PASSWORD_SRP)\n"),
        "{printed}"
    );
    assert!(
        printed.contains("2) Code by e-mail (EMAIL_OTP)\n"),
        "{printed}"
    );
    assert!(
        printed.contains("3) Passkey (WEB_AUTHN): passkeys need a browser"),
        "{printed}"
    );
    assert!(
        printed.contains("4) FACE_ID: this console does not support it."),
        "{printed}"
    );
    assert!(printed.contains("Choice (number or name): "), "{printed}");

    answered(
        first_factors(),
        " password_srp \n",
        Answer::FirstFactor(FirstFactor::PasswordSrp),
    )
    .await;
}

#[tokio::test]
async fn a_passkey_or_an_unknown_factor_is_explained_and_asked_again_without_a_call() {
    let printed = answered(
        first_factors(),
        "3\nWEB_AUTHN\nface_id\n0\n5\nsomething\n\n1\n",
        Answer::FirstFactor(FirstFactor::PasswordSrp),
    )
    .await;
    assert_eq!(
        printed
            .matches(
                "Passkeys need a browser, so this console cannot use them. Choose another way."
            )
            .count(),
        2,
        "{printed}"
    );
    assert!(
        printed.contains("This console does not support FACE_ID. Choose another way."),
        "{printed}"
    );
    assert_eq!(
        printed
            .matches("Type a number from 1 to 4, or a name from the list.")
            .count(),
        4,
        "{printed}"
    );
}

#[tokio::test]
async fn passkeys_alone_end_the_sign_in_with_a_sentence() {
    let (outcome, printed) = drive("1\n", |mut auth| async move {
        auth.send(Event::Step(Step::SelectFirstFactor {
            username: "alice".into(),
            options: vec![FirstFactor::WebAuthn],
        }))
        .await;
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(strings::NO_USABLE_FIRST_FACTOR))
    );
    assert!(printed.contains("1) Passkey (WEB_AUTHN)"), "{printed}");
}

#[tokio::test]
async fn a_chosen_password_is_asked_naming_the_user() {
    let printed = answered(
        Step::Password {
            username: "alice".into(),
        },
        "\nPassw0rd!\n",
        Answer::Password("Passw0rd!".into()),
    )
    .await;
    assert!(printed.contains("Password for alice: "), "{printed}");
    assert!(printed.contains("A password is needed."), "{printed}");
    assert!(!printed.contains("Passw0rd!"), "{printed}");
}

fn every_mfa() -> Vec<MfaKind> {
    vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms]
}

#[tokio::test]
async fn select_mfa_lists_every_factor_and_takes_a_number_or_a_name() {
    let printed = answered(
        Step::SelectMfa {
            options: every_mfa(),
        },
        "sms_mfa\n",
        Answer::Mfa(MfaKind::Sms),
    )
    .await;
    assert!(
        printed.contains(
            "Choose the second factor for this sign-in:\n  1) Authenticator app (SOFTWARE_TOKEN_MFA)\n  2) Code by e-mail (EMAIL_OTP)\n  3) Code by text message (SMS_MFA)\n"
        ),
        "{printed}"
    );
    answered(
        Step::SelectMfa {
            options: every_mfa(),
        },
        "1\n",
        Answer::Mfa(MfaKind::SoftwareToken),
    )
    .await;
}

#[tokio::test]
async fn mfa_setup_explains_sms_and_asks_again_without_a_call() {
    let printed = answered(
        Step::SelectMfaSetup {
            options: every_mfa(),
        },
        "3\nSMS_MFA\n2\n",
        Answer::MfaSetup(MfaKind::Email),
    )
    .await;
    assert!(
        printed.contains(
            "3) Code by text message (SMS_MFA): an administrator must add a phone number first."
        ),
        "{printed}"
    );
    assert_eq!(
        printed.matches(strings::SMS_NEEDS_PHONE).count(),
        2,
        "{printed}"
    );
}

#[tokio::test]
async fn mfa_setup_offering_sms_alone_ends_with_a_sentence() {
    let (outcome, _) = drive("", |mut auth| async move {
        auth.send(Event::Step(Step::SelectMfaSetup {
            options: vec![MfaKind::Sms],
        }))
        .await;
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(strings::NO_USABLE_MFA_SETUP))
    );
}

#[tokio::test]
async fn a_code_says_where_it_went_and_is_digits_only() {
    let printed = answered(
        code_step(CodeKind::SmsMfa, Some("+*******0101"), false),
        "12345\n12 34 5a\nr\n 123 456 \n",
        Answer::Code("123456".into()),
    )
    .await;
    assert!(
        printed.contains("A code was sent by text message to +*******0101.\nCode: "),
        "{printed}"
    );
    assert_eq!(
        printed
            .matches("The code is 6 digits; type just the digits.")
            .count(),
        3,
        "no resend here, so r is not a code either: {printed}"
    );
    assert!(!printed.contains("resend"), "{printed}");
    assert!(
        !printed.contains("123"),
        "the code is not echoed: {printed}"
    );
}

#[tokio::test]
async fn a_code_of_another_length_follows_the_step() {
    let mut step = code_step(CodeKind::EmailOtp, None, false);
    if let Step::Code(prompt) = &mut step {
        prompt.length = 8;
    }
    let printed = answered(step, "123456\n12345678\n", Answer::Code("12345678".into())).await;
    assert!(
        printed.contains("A code was sent by e-mail.\n"),
        "{printed}"
    );
    assert!(printed.contains("The code is 8 digits"), "{printed}");
}

#[tokio::test]
async fn r_asks_for_a_new_code_where_cognito_sends_one() {
    let step = code_step(CodeKind::EmailOtp, Some("a***@e***"), true);
    let again = step.clone();
    let (outcome, printed) = drive("R\n654321\n", |mut auth| async move {
        auth.send(Event::Step(step)).await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::ResendCode))
        );
        auth.send(Event::Busy).await;
        auth.send(Event::Idle).await;
        auth.send(Event::Step(again)).await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("654321".into())))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert_eq!(
        printed
            .matches("A code was sent by e-mail to a***@e***.\nCode (or r to resend): ")
            .count(),
        2,
        "{printed}"
    );
    assert!(printed.contains("Asking for a new code."), "{printed}");
}

#[tokio::test]
async fn an_authenticator_code_names_the_device() {
    let step = Step::Code(CodePrompt {
        kind: CodeKind::SoftwareToken,
        destination: None,
        medium: None,
        device_name: Some("My phone".into()),
        length: 6,
        can_resend: false,
    });
    let printed = answered(step, "000000\n", Answer::Code("000000".into())).await;
    assert!(
        printed.contains("Enter the code your authenticator app shows for My phone.\nCode: "),
        "{printed}"
    );
}

#[tokio::test]
async fn a_wrong_code_is_shown_and_the_code_asked_again() {
    let step = code_step(CodeKind::SmsOtp, Some("+*******0101"), true);
    let (outcome, printed) = drive("111111\n222222\n", |mut auth| async move {
        auth.send(Event::Step(step)).await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("111111".into())))
        );
        auth.send(Event::Busy).await;
        auth.send(Event::Idle).await;
        auth.send(Event::Error(refusal(
            "CodeMismatchException",
            "Invalid code received for user.",
        )))
        .await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("222222".into())))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains("Invalid code received for user.\nA code was sent by text message to +*******0101.\nCode (or r to resend): "),
        "{printed}"
    );
}

fn totp_setup_step() -> Step {
    Step::TotpSetup {
        username: "alice".into(),
        issuer: "AWSCognito".into(),
        secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into(),
        uri: "otpauth://totp/AWSCognito:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=AWSCognito"
            .into(),
    }
}

#[tokio::test]
async fn totp_setup_shows_the_secret_and_uri_then_asks_the_code_and_a_name() {
    let printed = answered(
        totp_setup_step(),
        "12345\n123456\n  My phone  \n",
        Answer::TotpSetup {
            code: "123456".into(),
            device_name: Some("My phone".into()),
        },
    )
    .await;
    assert!(
        printed.contains("Set up an authenticator app for alice (issuer AWSCognito).\n"),
        "{printed}"
    );
    assert!(
        printed.contains("Secret: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP\n"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "URI:    otpauth://totp/AWSCognito:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=AWSCognito\n"
        ),
        "{printed}"
    );
    assert!(printed.contains("no QR code"), "{printed}");
    assert!(printed.contains("The code is 6 digits"), "{printed}");
    assert!(
        printed.contains("Name for this authenticator (optional, Enter to skip): "),
        "{printed}"
    );
}

#[tokio::test]
async fn totp_setup_without_a_name_sends_none() {
    answered(
        totp_setup_step(),
        "654321\n\n",
        Answer::TotpSetup {
            code: "654321".into(),
            device_name: None,
        },
    )
    .await;
}

#[tokio::test]
async fn email_setup_asks_until_an_address_and_keeps_it_after_a_refusal() {
    let (outcome, printed) = drive(
        "nope\nalice@example\n@example.com\nalice@example.com\n\n",
        |mut auth| async move {
            auth.send(Event::Step(Step::EmailSetup {
                username: "alice".into(),
            }))
            .await;
            let sent = Some(Command::Answer(Answer::EmailSetup {
                email: "alice@example.com".into(),
            }));
            assert_eq!(auth.next_command().await, sent);
            auth.send(Event::Error(refusal(
                "InvalidParameterException",
                "The address was refused.",
            )))
            .await;
            // An empty line kept the address.
            assert_eq!(auth.next_command().await, sent);
            auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
                .await;
        },
    )
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains("Set up codes by e-mail for alice.\nE-mail address: "),
        "{printed}"
    );
    assert_eq!(
        printed.matches(strings::NOT_AN_EMAIL).count(),
        3,
        "{printed}"
    );
    assert!(
        printed.contains("The address was refused.\nSet up codes by e-mail for alice.\nE-mail address [alice@example.com]: "),
        "{printed}"
    );
}

fn new_password_step() -> Step {
    Step::NewPassword {
        username: "alice".into(),
        required_attributes: vec!["name".into(), "phone_number".into()],
        user_attributes: [
            ("email".to_owned(), "alice@example.com".to_owned()),
            ("email_verified".to_owned(), "true".to_owned()),
        ]
        .into(),
    }
}

#[tokio::test]
async fn a_new_password_is_confirmed_then_each_required_attribute_asked() {
    let printed = answered(
        new_password_step(),
        "\nNew-1!\nNew-2!\nNew-1!\nNew-1!\n\nAlice\n+15555550101\n",
        Answer::NewPassword {
            password: "New-1!".into(),
            attributes: [
                ("name".to_owned(), "Alice".to_owned()),
                ("phone_number".to_owned(), "+15555550101".to_owned()),
            ]
            .into(),
        },
    )
    .await;
    assert!(
        printed.contains(
            "alice must choose a new password.\nCurrent attributes:\n  email: alice@example.com\n  email_verified: true\nNew password: "
        ),
        "{printed}"
    );
    assert!(printed.contains("A password is needed."), "{printed}");
    assert_eq!(
        printed.matches(strings::PASSWORDS_DIFFER).count(),
        1,
        "{printed}"
    );
    assert!(printed.contains("New password again: "), "{printed}");
    assert!(
        printed.contains("The user pool needs these attributes:\nname: A value for name is needed.\nname: phone_number: "),
        "{printed}"
    );
    assert!(!printed.contains("New-1!"), "{printed}");
}

#[tokio::test]
async fn a_refused_new_password_is_shown_and_the_attributes_kept() {
    let (outcome, printed) = drive(
        "weak\nweak\nAlice\n+15555550101\nStrong-1!\nStrong-1!\n\n\n",
        |mut auth| async move {
            auth.send(Event::Step(new_password_step())).await;
            let attributes: std::collections::BTreeMap<String, String> = [
                ("name".to_owned(), "Alice".to_owned()),
                ("phone_number".to_owned(), "+15555550101".to_owned()),
            ]
            .into();
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::NewPassword {
                    password: "weak".into(),
                    attributes: attributes.clone(),
                }))
            );
            auth.send(Event::Error(refusal(
                "InvalidPasswordException",
                "Password does not conform to policy: Password not long enough.",
            )))
            .await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::NewPassword {
                    password: "Strong-1!".into(),
                    attributes,
                }))
            );
            auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
                .await;
        },
    )
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains("Password does not conform to policy: Password not long enough.\nalice must choose a new password."),
        "{printed}"
    );
    assert!(
        printed.contains("name [Alice]: phone_number [+15555550101]: "),
        "{printed}"
    );
}

#[tokio::test]
async fn a_custom_round_lists_its_parameters_and_asks_the_answer() {
    let printed = answered(
        Step::Custom {
            parameters: [
                ("hint".to_owned(), "a number".to_owned()),
                ("question".to_owned(), "What is 6 x 7?".to_owned()),
            ]
            .into(),
            round: 2,
        },
        " \n42\n",
        Answer::Custom("42".into()),
    )
    .await;
    assert!(
        printed.contains(
            "Custom challenge, round 2:\n  hint: a number\n  question: What is 6 x 7?\nAnswer: An answer is needed.\nAnswer: "
        ),
        "{printed}"
    );
}

#[tokio::test]
async fn a_custom_round_without_parameters_says_so() {
    let printed = answered(
        Step::Custom {
            parameters: Default::default(),
            round: 1,
        },
        "yes\n",
        Answer::Custom("yes".into()),
    )
    .await;
    assert!(
        printed.contains("round 1:\n  (no parameters)\nAnswer: "),
        "{printed}"
    );
}

#[tokio::test]
async fn the_end_of_input_on_any_step_quits() {
    for step in [
        first_factors(),
        code_step(CodeKind::SmsMfa, None, true),
        totp_setup_step(),
        new_password_step(),
    ] {
        let (outcome, _) = drive("", |mut auth| async move {
            auth.send(Event::Step(step)).await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(outcome, Outcome::Quit);
    }
}

// ---- The demo's outbox ----

fn delivery(code: &str) -> Delivery {
    Delivery {
        medium: Medium::Sms,
        username: "alice".into(),
        destination: "+15555550101".into(),
        text: format!("Your verification code is {code}."),
        code: code.into(),
    }
}

#[tokio::test]
async fn outbox_messages_are_printed_before_the_code_prompt() {
    let (outbox, feed) = tokio::sync::broadcast::channel(8);
    let (outcome, printed) = drive_with_outbox("123456\n", Some(feed), |mut auth| async move {
        // The pool sends the message before the step asking for its code arrives.
        outbox.send(delivery("123456")).unwrap();
        auth.send(Event::Step(code_step(
            CodeKind::SmsMfa,
            Some("+*******0101"),
            false,
        )))
        .await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("123456".into())))
        );
        outbox
            .send(Delivery {
                medium: Medium::Email,
                destination: "alice@example.com".into(),
                ..delivery("999999")
            })
            .unwrap();
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains(
            "[outbox] SMS to +15555550101: Your verification code is 123456.\nA code was sent by text message to +*******0101.\nCode: "
        ),
        "{printed}"
    );
    assert!(
        printed
            .contains("[outbox] E-mail to alice@example.com: Your verification code is 999999.\n"),
        "a message sent while waiting on the auth task is printed: {printed}"
    );
}

#[tokio::test]
async fn a_lagging_or_closed_outbox_does_not_stop_the_sign_in() {
    let (outbox, feed) = tokio::sync::broadcast::channel(1);
    let (outcome, printed) = drive_with_outbox("000000\n", Some(feed), |mut auth| async move {
        for code in ["111111", "222222", "333333"] {
            outbox.send(delivery(code)).unwrap();
        }
        drop(outbox);
        auth.send(Event::Step(code_step(CodeKind::SmsMfa, None, false)))
            .await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("000000".into())))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains(
            "[outbox] 2 message(s) were missed.\n[outbox] SMS to +15555550101: Your verification code is 333333.\nA code was sent by text message.\n"
        ),
        "{printed}"
    );
}

#[tokio::test]
async fn a_question_mark_for_the_password_resets_it_then_signs_in_with_the_new_one() {
    let input =
        "alice\n?\n12345\n123456\nReset-Password-2!\nReset-Password-2!\n\nReset-Password-2!\n";
    let (outcome, printed) = drive(input, |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::ForgotPassword {
                username: "alice".into()
            }))
        );
        auth.send(Event::Step(Step::ResetCode {
            username: "alice".into(),
            destination: Some("a***@e***".into()),
            medium: Some("EMAIL".into()),
        }))
        .await;
        // "12345" is refused here (too short); the six digits go out.
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::Code("123456".into())))
        );
        auth.send(Event::Step(Step::ResetPassword {
            username: "alice".into(),
        }))
        .await;
        assert_eq!(
            auth.next_command().await,
            Some(Command::Answer(Answer::NewPassword {
                password: "Reset-Password-2!".into(),
                attributes: Default::default(),
            }))
        );
        auth.send(Event::Notice(
            "Your password was changed. Sign in with the new one.".into(),
        ))
        .await;
        auth.send(sign_in_step("alice")).await;
        // An empty username line keeps "alice".
        assert_eq!(
            auth.next_command().await,
            Some(answer("alice", "Reset-Password-2!"))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(
        printed.contains("Resetting the password of alice."),
        "{printed}"
    );
    assert!(printed.contains("a***@e***"), "{printed}");
    assert!(printed.contains("(or r to resend)"), "{printed}");
    // The notice is printed before the sign-in prompt it belongs with.
    let notice = printed.find("Your password was changed.").unwrap();
    let prompt = printed.rfind("Username [alice]").unwrap();
    assert!(notice < prompt, "{printed}");
    assert!(!printed.contains("Reset-Password-2!"), "no password echoed");
}

#[tokio::test]
async fn remember_this_device_takes_y_or_n_and_an_empty_line_is_no() {
    for (typed, remember) in [("y\n", true), ("maybe\nn\n", false), ("\n", false)] {
        let (outcome, printed) = drive(typed, |mut auth| async move {
            auth.send(Event::Step(Step::RememberDevice {
                device_name: "build-box".into(),
            }))
            .await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::RememberDevice(remember)))
            );
            auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
                .await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(printed.contains("build-box"), "{printed}");
        assert!(printed.contains("Remember this device? [y/N]"), "{printed}");
        if typed.starts_with("maybe") {
            assert!(printed.contains("Answer y or n."), "{printed}");
        }
    }
}
