//! Every challenge end to end: the real auth task and wire client against the local
//! pool's demo users, one flow per test, codes read from the pool's outbox and TOTP
//! codes computed from the secret.

use cognito_signin::auth::devices::{DeviceSettings, DeviceStore, RememberedDevice};
use cognito_signin::auth::{
    self, Answer, AuthFlow, CodeKind, CodeLength, CodeMedium, CodePrompt, Command, Enrolment,
    Event, FirstFactor, MfaKind, Note, Step,
};
use cognito_signin::cognito::ErrorType;
use cognito_signin::cognito::types::{
    AdminListDevicesRequest, ForgetDeviceRequest, ListDevicesRequest, ListDevicesResponse,
};
use cognito_signin::local_pool::{RunningPool, demo};
use cognito_signin::outbox::Medium;

use crate::support::flow::{
    DemoClient, Flow, code, code_prompt, demo_flow, refusal, signed_in_as, step, step_and_note,
};
use crate::support::pool::{client_of, last_code};
use crate::support::{other_code, totp_code};

#[tokio::test]
async fn a_temporary_password_is_replaced_and_the_required_attribute_given() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let shown = step(flow.sign_in("bob", demo::BOB_TEMPORARY_PASSWORD).await);
    let Step::NewPassword {
        username,
        required_attributes,
        ..
    } = shown
    else {
        panic!("expected NEW_PASSWORD_REQUIRED, got {shown:?}");
    };
    assert_eq!(username, "bob");
    assert_eq!(required_attributes, ["name"]);

    let weak = flow
        .answer(Answer::NewPassword {
            password: "short".into(),
            attributes: [("name".to_owned(), "Bob Example".to_owned())].into(),
        })
        .await;
    assert_eq!(refusal(&weak).kind, Some(ErrorType::InvalidPassword));

    let done = flow
        .answer(Answer::NewPassword {
            password: "New-Password-2!".into(),
            attributes: [("name".to_owned(), "Bob Example".to_owned())].into(),
        })
        .await;
    let tokens = signed_in_as(done, "bob");
    let id_token = tokens.result.id_token.as_ref().unwrap();
    let claims: serde_json::Value = auth::tokens::unverified_claims(id_token.expose()).unwrap();
    assert_eq!(claims["name"], "Bob Example");
}

#[tokio::test]
async fn an_enrolled_authenticator_is_asked_for_and_a_wrong_code_keeps_the_step() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let prompt = code_prompt(flow.sign_in("carol", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SoftwareToken));
    assert_eq!(prompt.device_name.as_deref(), Some("Demo authenticator"));
    assert!(!prompt.can_resend, "an authenticator code cannot be resent");

    let right = totp_code(demo::CAROL_TOTP_SECRET, 0);
    let wrong = flow.answer(code(&other_code(&right))).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    signed_in_as(flow.answer(code(&right)).await, "carol");
}

#[tokio::test]
async fn sms_mfa_takes_the_code_from_the_outbox_and_a_resend_sends_a_new_one() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let prompt = code_prompt(flow.sign_in("sam", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SmsMfa));
    assert_eq!(prompt.medium, CodeMedium::Sms);
    let destination = prompt.destination.unwrap();
    assert!(destination.ends_with("0101"), "{destination}");
    assert!(!destination.contains("5555550101"), "the number is masked");
    assert!(prompt.can_resend);

    let sent = pool.outbox().len();
    let (again, note) = step_and_note(flow.answer(Answer::ResendCode).await);
    let Step::Code(again) = again else {
        panic!("expected the code step again, got {again:?}");
    };
    assert_eq!(again.challenge, Some(CodeKind::SmsMfa));
    assert_eq!(pool.outbox().len(), sent + 1, "a second message was sent");
    // The step says so, and where it went.
    assert_eq!(
        note,
        Some(Note::Notice(format!(
            "A new code was sent by SMS to {destination}."
        )))
    );
    let fresh = last_code(&pool, "sam", Medium::Sms);
    signed_in_as(flow.answer(code(&fresh)).await, "sam");
}

#[tokio::test]
async fn email_mfa_takes_the_code_from_the_outbox() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let prompt = code_prompt(flow.sign_in("erin", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    assert_eq!(prompt.medium, CodeMedium::Email);
    let sent = last_code(&pool, "erin", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "erin");
}

#[tokio::test]
async fn a_user_with_two_factors_chooses_one_then_enters_its_code() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let shown = step(flow.sign_in("chad", demo::PASSWORD).await);
    let Step::SelectMfa { options } = shown else {
        panic!("expected SELECT_MFA_TYPE, got {shown:?}");
    };
    assert!(options.contains(&MfaKind::Sms) && options.contains(&MfaKind::Email));
    let prompt = code_prompt(flow.answer(Answer::Mfa(MfaKind::Sms)).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SmsMfa));
    let sent = last_code(&pool, "chad", Medium::Sms);
    signed_in_as(flow.answer(code(&sent)).await, "chad");
}

#[tokio::test]
async fn three_wrong_codes_end_the_sign_in() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    code_prompt(flow.sign_in("erin", demo::PASSWORD).await);
    let sent = last_code(&pool, "erin", Medium::Email);
    let wrong = other_code(&sent);
    let mut last = flow.answer(code(&wrong)).await;
    for _ in 0..3 {
        if matches!(
            last,
            Event::Step {
                step: Step::Failed { .. },
                ..
            }
        ) {
            break;
        }
        assert_eq!(refusal(&last).kind, Some(ErrorType::CodeMismatch));
        last = flow.answer(code(&wrong)).await;
    }
    let Step::Failed { problem } = step(last.clone()) else {
        panic!("expected the sign-in to end, got {last:?}");
    };
    assert!(
        problem.sentence.to_lowercase().contains("start again")
            || problem.sentence.to_lowercase().contains("sign in again"),
        "{}",
        problem.sentence
    );
    // Starting again works.
    let fresh = step(
        flow.command(Command::Restart {
            username: "erin".into(),
        })
        .await,
    );
    assert!(matches!(fresh, Step::SignIn { .. }), "{fresh:?}");
}

#[tokio::test]
async fn an_expired_session_says_so_and_offers_to_start_again() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    code_prompt(flow.sign_in("erin", demo::PASSWORD).await);
    let sent = last_code(&pool, "erin", Medium::Email);
    pool.advance_clock(std::time::Duration::from_secs(4 * 60));
    let expired = step(flow.answer(code(&sent)).await);
    let Step::Failed { problem } = expired else {
        panic!("expected the sign-in to end, got {expired:?}");
    };
    assert!(
        problem.sentence.to_lowercase().contains("expired"),
        "{}",
        problem.sentence
    );
}

#[tokio::test]
async fn mfa_enrolment_with_an_authenticator_then_a_sign_in_with_its_code() {
    let (_pool, mut flow) = demo_flow(DemoClient::MfaOn.settings(AuthFlow::UserSrp)).await;
    let shown = step(flow.sign_in("dave", demo::PASSWORD).await);
    let Step::SelectMfaSetup { options } = shown else {
        panic!("expected MFA_SETUP with a choice, got {shown:?}");
    };
    assert!(options.contains(&MfaKind::SoftwareToken) && options.contains(&MfaKind::Email));
    let shown = step(flow.answer(Answer::MfaSetup(MfaKind::SoftwareToken)).await);
    let Step::TotpSetup {
        username,
        issuer,
        secret,
        uri,
        code_length,
        enrolment: Enrolment::SignIn,
    } = shown
    else {
        panic!("expected the authenticator enrolment, got {shown:?}");
    };
    assert_eq!((username.as_str(), issuer.as_str()), ("dave", "AWSCognito"));
    assert_eq!(code_length, CodeLength::Exactly(6));
    assert_eq!(secret.expose().len(), 32);
    assert_eq!(
        uri.expose(),
        &format!(
            "otpauth://totp/AWSCognito:dave?secret={}&issuer=AWSCognito",
            secret.expose()
        )
    );

    let first = totp_code(secret.expose(), 0);
    let wrong = flow
        .answer(Answer::TotpSetup {
            code: other_code(&first).into(),
            device_name: Some("test phone".into()),
        })
        .await;
    // Cognito's VerifySoftwareToken names a wrong first code this way.
    assert_eq!(
        refusal(&wrong).kind,
        Some(ErrorType::EnableSoftwareTokenMfa)
    );
    let enrolled = flow
        .answer(Answer::TotpSetup {
            code: first.into(),
            device_name: Some("test phone".into()),
        })
        .await;
    signed_in_as(enrolled, "dave");

    // The next sign-in asks for the authenticator's code; the next step's code is
    // within the one step of drift and has not been used.
    let fresh = step(
        flow.command(Command::Restart {
            username: "dave".into(),
        })
        .await,
    );
    assert!(matches!(fresh, Step::SignIn { .. }), "{fresh:?}");
    let prompt = code_prompt(flow.sign_in("dave", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SoftwareToken));
    assert_eq!(prompt.device_name.as_deref(), Some("test phone"));
    signed_in_as(
        flow.answer(code(&totp_code(secret.expose(), 1))).await,
        "dave",
    );
}

#[tokio::test]
async fn mfa_enrolment_by_email_then_the_emailed_code() {
    let (pool, mut flow) = demo_flow(DemoClient::MfaOn.settings(AuthFlow::UserSrp)).await;
    flow.sign_in("dave", demo::PASSWORD).await;
    let shown = step(flow.answer(Answer::MfaSetup(MfaKind::Email)).await);
    assert!(matches!(shown, Step::EmailSetup { .. }), "{shown:?}");
    let prompt = code_prompt(
        flow.answer(Answer::EmailSetup {
            email: "dave@example.com".into(),
        })
        .await,
    );
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    let sent = last_code(&pool, "dave", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "dave");
}

#[tokio::test]
async fn two_rounds_of_a_custom_challenge_without_a_password() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::CustomAuth)).await;
    let shown = step(flow.sign_in("cody", "").await);
    let Step::Custom { parameters, round } = shown else {
        panic!("expected CUSTOM_CHALLENGE, got {shown:?}");
    };
    assert_eq!(round, 1);
    assert_eq!(parameters["question"], "What is 6 times 7?");
    let shown = step(flow.answer(Answer::Custom("42".into())).await);
    let Step::Custom { parameters, round } = shown else {
        panic!("expected a second round, got {shown:?}");
    };
    assert_eq!(round, 2);
    assert_eq!(parameters["question"], "Spell cognito backwards.");
    signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
}

/// The question of a custom round, its number, and the refusal it came with.
fn custom_round(event: Event) -> (String, u32, Option<String>) {
    let (shown, note) = step_and_note(event);
    let Step::Custom { parameters, round } = shown else {
        panic!("expected CUSTOM_CHALLENGE, got {shown:?}");
    };
    let refused = note.map(|note| match note {
        Note::Refused(problem) => problem.sentence,
        Note::Notice(notice) => panic!("expected a refusal, got the notice {notice:?}"),
    });
    (parameters["question"].clone(), round, refused)
}

#[tokio::test]
async fn a_wrong_custom_answer_is_said_and_the_round_stays_until_the_pool_ends_the_sign_in() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::CustomAuth)).await;
    let (question, round, refused) = custom_round(flow.sign_in("cody", "").await);
    assert_eq!(
        (question.as_str(), round, refused),
        ("What is 6 times 7?", 1, None)
    );
    // The same question comes back: the answer was not accepted, and it is still round 1.
    for wrong_answers in 1..=2 {
        let (again, round, refused) = custom_round(flow.answer(Answer::Custom("41".into())).await);
        assert_eq!((again.as_str(), round), ("What is 6 times 7?", 1));
        let refused = refused.expect("a wrong answer is said");
        assert!(
            refused.starts_with("That answer was not accepted"),
            "{refused}"
        );
        assert!(
            refused.contains(&format!("wrong answers to it so far: {wrong_answers}")),
            "{refused}"
        );
    }
    // The demo pool's Define trigger fails the third wrong answer: the sign-in form comes
    // back with cody, saying so without a word about a password.
    let (shown, note) = step_and_note(flow.answer(Answer::Custom("41".into())).await);
    assert_eq!(
        shown,
        Step::SignIn {
            username: "cody".into(),
            needs_password: false
        }
    );
    let Some(Note::Refused(problem)) = note else {
        panic!("expected why the sign-in ended, got {note:?}");
    };
    assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
    assert!(
        problem
            .sentence
            .starts_with(cognito_signin::auth::error::CUSTOM_SIGN_IN_ENDED),
        "{}",
        problem.sentence
    );
    assert!(
        !problem.sentence.contains("password"),
        "{}",
        problem.sentence
    );
    // A fresh start works.
    let (question, round, _) = custom_round(flow.sign_in("cody", "").await);
    assert_eq!((question.as_str(), round), ("What is 6 times 7?", 1));
    let (question, round, refused) = custom_round(flow.answer(Answer::Custom("42".into())).await);
    assert_eq!(
        (question.as_str(), round, refused),
        ("Spell cognito backwards.", 2, None)
    );
    signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
}

#[tokio::test]
async fn a_custom_challenge_after_srp_proves_the_password_first() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::CustomWithSrp)).await;
    let wrong = flow.sign_in("cody", "not-the-password").await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::NotAuthorized));
    let shown = step(flow.sign_in("cody", demo::PASSWORD).await);
    assert!(matches!(shown, Step::Custom { round: 1, .. }), "{shown:?}");
    flow.answer(Answer::Custom("42".into())).await;
    signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
}

#[tokio::test]
async fn choice_based_sign_in_by_emailed_code() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserAuth)).await;
    let shown = step(flow.sign_in("pat", "").await);
    let Step::SelectFirstFactor { options, .. } = shown else {
        panic!("expected SELECT_CHALLENGE, got {shown:?}");
    };
    for factor in [
        FirstFactor::Password,
        FirstFactor::PasswordSrp,
        FirstFactor::EmailOtp,
        FirstFactor::SmsOtp,
    ] {
        assert!(options.contains(&factor), "{factor:?} offered: {options:?}");
    }
    let prompt = code_prompt(
        flow.answer(Answer::FirstFactor(FirstFactor::EmailOtp))
            .await,
    );
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    assert_eq!(prompt.length, CodeLength::Exactly(8), "a passwordless code");
    let sent = last_code(&pool, "pat", Medium::Email);
    assert_eq!(sent.len(), 8, "{sent}");
    signed_in_as(flow.answer(code(&sent)).await, "pat");
}

#[tokio::test]
async fn choice_based_sign_in_by_password_srp() {
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserAuth)).await;
    flow.sign_in("pat", "").await;
    let shown = step(
        flow.answer(Answer::FirstFactor(FirstFactor::PasswordSrp))
            .await,
    );
    assert!(matches!(shown, Step::Password { .. }), "{shown:?}");
    let wrong = flow.answer(Answer::Password("wrong-password".into())).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::NotAuthorized));
    signed_in_as(
        flow.answer(Answer::Password(demo::PASSWORD.into())).await,
        "pat",
    );
}

#[tokio::test]
async fn choice_based_sign_in_by_sms_with_a_preferred_challenge() {
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.preferred_challenge = Some("SMS_OTP".into());
    let (pool, mut flow) = demo_flow(settings).await;
    let prompt = code_prompt(flow.sign_in("pat", "").await);
    assert_eq!(prompt.challenge, Some(CodeKind::SmsOtp));
    assert_eq!(prompt.length, CodeLength::Exactly(8), "a passwordless code");
    let sent = last_code(&pool, "pat", Medium::Sms);
    assert_eq!(sent.len(), 8, "{sent}");
    signed_in_as(flow.answer(code(&sent)).await, "pat");
}

#[tokio::test]
async fn request_options_are_accepted_on_every_call() {
    let mut settings = DemoClient::Public.settings(AuthFlow::UserSrp);
    settings.request_options.client_metadata = [("source".to_owned(), "test".to_owned())].into();
    settings.request_options.analytics_endpoint_id = Some("endpoint-1".into());
    settings.request_options.user_context_data = Some("encoded".into());
    let (pool, mut flow) = demo_flow(settings).await;
    let prompt = code_prompt(flow.sign_in("erin", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    let sent = last_code(&pool, "erin", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "erin");
}

/// Asks for a reset from the sign-in form: the code step says where the code went.
async fn forgot(flow: &mut Flow, username: &str) -> CodePrompt {
    let asked_for = Answer::ForgotPassword {
        username: username.into(),
    };
    match step(flow.answer(asked_for).await) {
        Step::ResetCode {
            username: asked,
            prompt,
        } => {
            assert_eq!(asked, username);
            prompt
        }
        other => panic!("expected the reset-code step, got {other:?}"),
    }
}

fn new_password(password: &str) -> Answer {
    Answer::NewPassword {
        password: password.into(),
        attributes: Default::default(),
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_sign_in_form() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let prompt = forgot(&mut flow, "alice").await;
    assert_eq!(prompt.medium, CodeMedium::Email);
    assert_eq!(prompt.destination.as_deref(), Some("a***@e***"));
    assert_eq!(
        (prompt.challenge, prompt.length),
        (None, CodeLength::Between { min: 6, max: 8 })
    );
    assert!(prompt.can_resend);
    let sent = last_code(&pool, "alice", Medium::Email);
    match step(flow.answer(code(&sent)).await) {
        Step::ResetPassword { username } => assert_eq!(username, "alice"),
        other => panic!("expected the new-password step, got {other:?}"),
    }
    // The sign-in form comes back with the username filled in, and a notice with it.
    match step_and_note(flow.answer(new_password("Reset-Password-2!")).await) {
        (Step::SignIn { username, .. }, Some(Note::Notice(notice))) => {
            assert_eq!(username, "alice");
            assert!(notice.contains("password was changed"), "{notice}");
        }
        other => panic!("expected the sign-in form with a notice, got {other:?}"),
    }
    let old = flow.sign_in("alice", demo::PASSWORD).await;
    assert_eq!(refusal(&old).kind, Some(ErrorType::NotAuthorized));
    signed_in_as(flow.sign_in("alice", "Reset-Password-2!").await, "alice");
}

#[tokio::test]
async fn a_wrong_reset_code_goes_back_to_the_code_with_the_servers_sentence() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    forgot(&mut flow, "alice").await;
    let sent = last_code(&pool, "alice", Medium::Email);
    let wrong = other_code(&sent);
    assert!(matches!(
        step(flow.answer(code(&wrong)).await),
        Step::ResetPassword { .. }
    ));
    // Back to the code step, with the server's refusal on it.
    match step_and_note(flow.answer(new_password("Reset-Password-2!")).await) {
        (Step::ResetCode { .. }, Some(Note::Refused(problem))) => {
            assert_eq!(problem.kind, Some(ErrorType::CodeMismatch));
        }
        other => panic!("expected the code step with the refusal, got {other:?}"),
    }
    // The right code now goes through.
    assert!(matches!(
        step(flow.answer(code(&sent)).await),
        Step::ResetPassword { .. }
    ));
    assert!(matches!(
        step_and_note(flow.answer(new_password("Reset-Password-2!")).await),
        (Step::SignIn { .. }, Some(Note::Notice(_)))
    ));
}

#[tokio::test]
async fn a_weak_new_password_keeps_the_password_step_and_resend_sends_a_new_code() {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    forgot(&mut flow, "alice").await;
    let before = pool.outbox().len();
    // Ask again: a second message, with a code that replaces the first, and a notice.
    let (again, note) = step_and_note(flow.answer(Answer::ResendCode).await);
    let Step::ResetCode { prompt, .. } = again else {
        panic!("expected the reset code step again, got {again:?}");
    };
    assert_eq!(
        prompt.expires_at, None,
        "a reset code has no Session to run out"
    );
    assert_eq!(
        note,
        Some(Note::Notice(format!(
            "A new code was sent by e-mail to {}.",
            prompt.destination.unwrap()
        )))
    );
    assert_eq!(pool.outbox().len(), before + 1);
    let sent = last_code(&pool, "alice", Medium::Email);
    flow.answer(code(&sent)).await;
    let weak = flow.answer(new_password("short")).await;
    assert_eq!(refusal(&weak).kind, Some(ErrorType::InvalidPassword));
    // Still on the password step: a good password is taken with the same code.
    assert!(matches!(
        step_and_note(flow.answer(new_password("Reset-Password-2!")).await),
        (Step::SignIn { .. }, Some(Note::Notice(_)))
    ));
}

#[tokio::test]
async fn a_reset_for_an_unknown_user_looks_like_any_other() {
    // The demo's clients prevent user-existence errors: ForgotPassword answers with a
    // simulated delivery, and no code can finish the reset.
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    let prompt = forgot(&mut flow, "nobody").await;
    assert_eq!(prompt.medium, CodeMedium::Email);
    assert_eq!(prompt.destination.as_deref(), Some("n***@e***"));
}

/// A sign-in of mona (e-mail MFA) in the MFA-ON pool, which tracks devices, keeping
/// devices in `store`.
async fn mona_with(store: &DeviceStore) -> (RunningPool, Flow) {
    let mut settings = DemoClient::MfaOn.settings(AuthFlow::UserSrp);
    settings.devices = Some(DeviceSettings {
        store: store.clone(),
        device_name: "build-box".into(),
    });
    demo_flow(settings).await
}

/// Signs mona in through e-mail MFA; the next event is returned (RememberDevice here).
async fn mona_through_mfa(pool: &RunningPool, flow: &mut Flow) -> Event {
    let prompt = code_prompt(flow.sign_in("mona", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    assert_eq!(prompt.length, CodeLength::Between { min: 6, max: 8 }, "MFA");
    let sent = last_code(pool, "mona", Medium::Email);
    flow.answer(code(&sent)).await
}

/// mona's device as `store` keeps it.
fn stored_device(store: &DeviceStore) -> Option<RememberedDevice> {
    store
        .load(demo::MFA_ON_POOL_ID, demo::MFA_ON_CLIENT_ID, "mona")
        .unwrap()
}

/// The device keys ListDevices gives for these tokens.
async fn listed_devices(pool: &RunningPool, tokens: &auth::Tokens) -> Vec<(String, String)> {
    client_of(pool)
        .list_devices(&ListDevicesRequest {
            access_token: tokens.result.access_token.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .devices
        .iter()
        .map(|device| {
            (
                device.device_key.clone().unwrap_or_default(),
                device
                    .attribute("dev:device_remembered_status")
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_remembered_device_skips_mfa_until_it_is_forgotten() {
    let store = DeviceStore::in_memory();
    let (pool, mut flow) = mona_with(&store).await;
    // First sign-in: MFA, then "Remember this device?".
    match step(mona_through_mfa(&pool, &mut flow).await) {
        Step::RememberDevice { device_name } => assert_eq!(device_name, "build-box"),
        other => panic!("expected the remember-device question, got {other:?}"),
    }
    let tokens = signed_in_as(flow.answer(Answer::RememberDevice(true)).await, "mona");
    let stored = stored_device(&store).expect("the device is stored");
    assert_eq!(
        listed_devices(&pool, &tokens).await,
        [(stored.device_key.clone(), "remembered".to_owned())]
    );
    // An administrator sees the same device (AdminListDevices).
    let admin_view = client_of(&pool)
        .call::<_, ListDevicesResponse>(
            "AdminListDevices",
            &AdminListDevicesRequest {
                user_pool_id: demo::MFA_ON_POOL_ID.into(),
                username: "mona".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        admin_view.devices[0].device_key.as_deref(),
        Some(stored.device_key.as_str())
    );
    assert_eq!(
        admin_view.devices[0].attribute("device_name"),
        Some("build-box")
    );

    // Second sign-in: the device proves itself by SRP; no code is sent, no new device.
    let sent_before = pool.outbox().len();
    let tokens = signed_in_as(flow.sign_in("mona", demo::PASSWORD).await, "mona");
    assert_eq!(pool.outbox().len(), sent_before, "no MFA code was sent");
    assert!(tokens.result.new_device_metadata.is_none());

    // Forgotten by the pool: MFA again, and the stale device is replaced by a new one.
    client_of(&pool)
        .forget_device(&ForgetDeviceRequest {
            access_token: Some(tokens.result.access_token.clone()),
            device_key: stored.device_key.clone(),
        })
        .await
        .unwrap();
    assert!(matches!(
        step(mona_through_mfa(&pool, &mut flow).await),
        Step::RememberDevice { .. }
    ));
    let tokens = signed_in_as(flow.answer(Answer::RememberDevice(false)).await, "mona");
    let replaced = stored_device(&store).expect("a new device is stored");
    assert_ne!(replaced.device_key, stored.device_key);
    assert_eq!(
        listed_devices(&pool, &tokens).await,
        [(replaced.device_key.clone(), "not_remembered".to_owned())]
    );

    // A device that is not remembered still gets MFA, and no new device is made.
    let prompt = code_prompt(flow.sign_in("mona", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::EmailOtp));
    assert_eq!(prompt.length, CodeLength::Between { min: 6, max: 8 }, "MFA");
    let sent = last_code(&pool, "mona", Medium::Email);
    let tokens = signed_in_as(flow.answer(code(&sent)).await, "mona");
    assert!(tokens.result.new_device_metadata.is_none());
}

#[tokio::test]
async fn a_stored_device_whose_password_the_pool_refuses_is_replaced() {
    let store = DeviceStore::in_memory();
    let (pool, mut flow) = mona_with(&store).await;
    mona_through_mfa(&pool, &mut flow).await;
    signed_in_as(flow.answer(Answer::RememberDevice(true)).await, "mona");
    let mut stored = stored_device(&store).unwrap();
    stored.device_password = "not-the-device-password".into();
    store
        .save(
            demo::MFA_ON_POOL_ID,
            demo::MFA_ON_CLIENT_ID,
            "mona",
            &stored,
        )
        .unwrap();
    // The device proof fails: the device is dropped here and the sign-in goes on with MFA.
    assert!(matches!(
        step(mona_through_mfa(&pool, &mut flow).await),
        Step::RememberDevice { .. }
    ));
    let fresh = stored_device(&store).unwrap();
    assert_ne!(fresh.device_key, stored.device_key);
}

#[tokio::test]
async fn without_a_device_store_no_device_is_confirmed() {
    let (pool, mut flow) = demo_flow(DemoClient::MfaOn.settings(AuthFlow::UserSrp)).await;
    let tokens = signed_in_as(mona_through_mfa(&pool, &mut flow).await, "mona");
    // The pool offered a device; nothing was confirmed, so none is listed.
    assert!(tokens.result.new_device_metadata.is_some());
    assert!(listed_devices(&pool, &tokens).await.is_empty());
}
