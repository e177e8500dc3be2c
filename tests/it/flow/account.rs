//! Account security end to end: the real auth task and wire client against the local
//! pool's demo user olive (optional-MFA pool, no second factor, e-mail and phone not
//! verified), codes read from the pool's outbox and TOTP codes computed from the secret.

use cognito_signin::auth::{
    AccountAction, Answer, AuthFlow, CodeMedium, Command, ContactKind, Enrolment, Event, MfaKind,
    Note, Security, Step,
};
use cognito_signin::cognito::ErrorType;
use cognito_signin::local_pool::{RunningPool, demo};
use cognito_signin::outbox::Medium;

use crate::support::flow::{
    DemoClient, Flow, code, code_prompt, demo_flow, refusal, signed_in, signed_in_as, step,
    step_and_note,
};
use crate::support::pool::last_code;
use crate::support::{other_code, totp_code};

/// olive, signed in, on account security.
async fn olive_on_account_security() -> (RunningPool, Flow, Box<Security>) {
    let (pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserSrp)).await;
    signed_in_as(flow.sign_in("olive", demo::PASSWORD).await, "olive");
    let security = overview(flow.answer(Answer::Account(AccountAction::Open)).await);
    (pool, flow, security)
}

/// The overview an event shows.
fn overview(event: Event) -> Box<Security> {
    match step(event) {
        Step::Security(security) => security,
        other => panic!("expected account security, got {other:?}"),
    }
}

/// The overview an event shows, and its notice.
fn overview_saying(event: Event) -> (Box<Security>, String) {
    match step_and_note(event) {
        (Step::Security(security), Some(Note::Notice(notice))) => (security, notice),
        other => panic!("expected account security with a notice, got {other:?}"),
    }
}

fn enabled(security: &Security, kind: MfaKind) -> (bool, bool) {
    let factor = security.factor(kind).expect("every factor is listed");
    (factor.enabled, factor.preferred)
}

#[tokio::test]
async fn account_security_shows_the_factors_and_contact_details_and_goes_back() {
    let (_pool, mut flow, security) = olive_on_account_security().await;
    assert_eq!(security.username, "olive");
    for kind in MfaKind::ALL {
        assert_eq!(enabled(&security, kind), (false, false), "{kind:?}");
    }
    let email = security.email.as_ref().expect("olive has an address");
    assert_eq!(email.value, "olive@example.com");
    assert!(!email.verified);
    assert!(security.phone.as_ref().is_some_and(|phone| !phone.verified));
    // Back to the signed-in screen, with the same tokens.
    let back = step(flow.answer(Answer::Account(AccountAction::Close)).await);
    assert!(matches!(back, Step::SignedIn { .. }), "{back:?}");
}

#[tokio::test]
async fn an_authenticator_added_after_sign_in_is_asked_for_at_the_next() {
    let (_pool, mut flow, _) = olive_on_account_security().await;
    let shown = step(flow.answer(Answer::Account(AccountAction::AddTotp)).await);
    let Step::TotpSetup {
        secret,
        uri,
        enrolment: Enrolment::Account,
        username,
        ..
    } = shown
    else {
        panic!("expected the authenticator's enrolment, got {shown:?}");
    };
    assert_eq!(username, "olive");
    assert!(uri.expose().starts_with("otpauth://totp/"));
    let secret = secret.expose().clone();
    // A wrong code keeps the step.
    let right = totp_code(&secret, 0);
    let wrong = flow
        .answer(Answer::TotpSetup {
            code: other_code(&right).into(),
            device_name: Some("my phone".into()),
        })
        .await;
    assert!(matches!(wrong, Event::Refused(_)), "{wrong:?}");
    let (security, notice) = overview_saying(
        flow.answer(Answer::TotpSetup {
            code: right.into(),
            device_name: Some("my phone".into()),
        })
        .await,
    );
    assert_eq!(enabled(&security, MfaKind::SoftwareToken), (true, true));
    assert_eq!(notice, "The authenticator app is on, and preferred.");

    // The next sign-in asks for it.
    flow.command(Command::Restart {
        username: "olive".into(),
    })
    .await;
    let prompt = code_prompt(flow.sign_in("olive", demo::PASSWORD).await);
    assert_eq!(prompt.device_name.as_deref(), Some("my phone"));
    signed_in_as(flow.answer(code(&totp_code(&secret, 1))).await, "olive");
}

#[tokio::test]
async fn e_mail_codes_are_turned_on_after_the_address_is_verified_then_preferred() {
    let (pool, mut flow, _) = olive_on_account_security().await;
    // The address is not verified: a code goes to it first.
    let shown = step(
        flow.answer(Answer::Account(AccountAction::Enable(MfaKind::Email)))
            .await,
    );
    let Step::ContactCode {
        contact: ContactKind::Email,
        prompt,
        then_enable: Some(MfaKind::Email),
    } = shown
    else {
        panic!("expected the verification code, got {shown:?}");
    };
    assert_eq!(prompt.medium, CodeMedium::Email);
    let sent = last_code(&pool, "olive", Medium::Email);
    let wrong = flow.answer(code(&other_code(&sent))).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    let (security, notice) = overview_saying(flow.answer(code(&sent)).await);
    assert!(security.email.as_ref().is_some_and(|email| email.verified));
    // No other factor was preferred: this one is.
    assert_eq!(enabled(&security, MfaKind::Email), (true, true));
    assert_eq!(
        notice,
        "Your e-mail address is verified. E-mail codes are on, and preferred."
    );

    // An authenticator too, then e-mail made preferred again.
    let Step::TotpSetup { secret, .. } =
        step(flow.answer(Answer::Account(AccountAction::AddTotp)).await)
    else {
        panic!("expected the authenticator's enrolment");
    };
    let (security, _) = overview_saying(
        flow.answer(Answer::TotpSetup {
            code: totp_code(secret.expose(), 0).into(),
            device_name: None,
        })
        .await,
    );
    assert_eq!(enabled(&security, MfaKind::SoftwareToken), (true, false));
    let (security, _) = overview_saying(
        flow.answer(Answer::Account(AccountAction::Prefer(
            MfaKind::SoftwareToken,
        )))
        .await,
    );
    assert_eq!(enabled(&security, MfaKind::SoftwareToken), (true, true));
    assert_eq!(enabled(&security, MfaKind::Email), (true, false));
    // Turned off: no longer enabled.
    let (security, notice) = overview_saying(
        flow.answer(Answer::Account(AccountAction::Disable(MfaKind::Email)))
            .await,
    );
    assert_eq!(enabled(&security, MfaKind::Email), (false, false));
    assert_eq!(notice, "E-mail codes are off.");
}

#[tokio::test]
async fn a_new_phone_number_is_verified_by_the_code_sent_to_it() {
    let (pool, mut flow, _) = olive_on_account_security().await;
    let shown = step(
        flow.answer(Answer::Account(AccountAction::Change(ContactKind::Phone)))
            .await,
    );
    assert!(
        matches!(
            &shown,
            Step::ContactForm { contact: ContactKind::Phone, current: Some(number) } if number == "+15555550105"
        ),
        "{shown:?}"
    );
    let shown = step(flow.answer(Answer::Contact("+15555550199".into())).await);
    let Step::ContactCode { prompt, .. } = shown else {
        panic!("expected the verification code, got {shown:?}");
    };
    assert_eq!(prompt.medium, CodeMedium::Sms);
    let sent = last_code(&pool, "olive", Medium::Sms);
    let (security, notice) = overview_saying(flow.answer(code(&sent)).await);
    let phone = security.phone.expect("the new number");
    assert_eq!(
        (phone.value.as_str(), phone.verified),
        ("+15555550199", true)
    );
    assert_eq!(notice, "Your phone number is verified.");
}

#[tokio::test]
async fn a_password_change_refused_by_the_policy_keeps_the_form_then_succeeds() {
    let (_pool, mut flow, _) = olive_on_account_security().await;
    let shown = step(
        flow.answer(Answer::Account(AccountAction::ChangePassword))
            .await,
    );
    assert_eq!(
        shown,
        Step::ChangePassword {
            username: "olive".into()
        }
    );
    let weak = flow
        .answer(Answer::ChangePassword {
            current: demo::PASSWORD.into(),
            proposed: "short".into(),
        })
        .await;
    assert_eq!(refusal(&weak).kind, Some(ErrorType::InvalidPassword));
    let wrong = flow
        .answer(Answer::ChangePassword {
            current: "Not-The-Password-1!".into(),
            proposed: "New-Password-2!".into(),
        })
        .await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::NotAuthorized));
    let (_, notice) = overview_saying(
        flow.answer(Answer::ChangePassword {
            current: demo::PASSWORD.into(),
            proposed: "New-Password-2!".into(),
        })
        .await,
    );
    assert!(notice.starts_with("Your password was changed"), "{notice}");
}

#[tokio::test]
async fn a_factor_the_pool_does_not_allow_is_refused_and_then_shown_as_not_allowed() {
    // The e-mail pool has MFA off: Cognito refuses every factor.
    let settings = cognito_signin::auth::FlowSettings {
        user_pool_id: demo::EMAIL_POOL_ID.into(),
        client_id: demo::EMAIL_CLIENT_ID.into(),
        ..Default::default()
    };
    let (_pool, mut flow) = demo_flow(settings).await;
    signed_in(flow.sign_in(demo::EMMA_EMAIL, demo::PASSWORD).await);
    let security = overview(flow.answer(Answer::Account(AccountAction::Open)).await);
    // A signed-in user cannot read the pool's configuration: not known yet.
    assert!(
        security
            .factors
            .iter()
            .all(|factor| factor.allowed.is_none())
    );

    let (shown, note) = step_and_note(flow.answer(Answer::Account(AccountAction::AddTotp)).await);
    let Step::Security(security) = shown else {
        panic!("expected account security again, got {shown:?}");
    };
    let Some(Note::Refused(problem)) = note else {
        panic!("expected Cognito's refusal, got {note:?}");
    };
    assert_eq!(problem.kind, Some(ErrorType::SoftwareTokenMfaNotFound));
    let allowed = |security: &Security, kind| security.factor(kind).and_then(|f| f.allowed);
    assert_eq!(allowed(&security, MfaKind::SoftwareToken), Some(false));

    // E-mail codes too; what was learnt stays through a fresh read.
    let (shown, note) = step_and_note(
        flow.answer(Answer::Account(AccountAction::Enable(MfaKind::Email)))
            .await,
    );
    let Step::Security(security) = shown else {
        panic!("expected account security again, got {shown:?}");
    };
    assert!(
        matches!(&note, Some(Note::Refused(problem)) if problem.sentence.contains("not enabled")),
        "{note:?}"
    );
    assert_eq!(allowed(&security, MfaKind::Email), Some(false));
    let security = overview(flow.answer(Answer::Account(AccountAction::Open)).await);
    assert_eq!(allowed(&security, MfaKind::SoftwareToken), Some(false));
    assert_eq!(allowed(&security, MfaKind::Email), Some(false));
}

#[tokio::test]
async fn where_mfa_is_required_the_last_factor_cannot_be_turned_off() {
    let (pool, mut flow) = demo_flow(DemoClient::MfaOn.settings(AuthFlow::UserSrp)).await;
    code_prompt(flow.sign_in("mona", demo::PASSWORD).await);
    let sent = last_code(&pool, "mona", Medium::Email);
    // Without device settings, no device is confirmed or remembered.
    signed_in_as(flow.answer(code(&sent)).await, "mona");
    overview(flow.answer(Answer::Account(AccountAction::Open)).await);
    let refused = flow
        .answer(Answer::Account(AccountAction::Disable(MfaKind::Email)))
        .await;
    let problem = refusal(&refused);
    assert_eq!(problem.kind, Some(ErrorType::InvalidParameter));
    assert!(
        problem.sentence.contains("MFA is required"),
        "{}",
        problem.sentence
    );
    // Still on, and the person still on account security.
    let security = overview(flow.answer(Answer::Account(AccountAction::Open)).await);
    assert_eq!(enabled(&security, MfaKind::Email), (true, false));
}
