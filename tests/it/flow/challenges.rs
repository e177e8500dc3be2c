//! Every challenge end to end: the real auth task and wire client against the local
//! pool's demo users, one flow per test, codes read from the pool's outbox and TOTP
//! codes computed from the secret.
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_signin::auth::{
    self, Answer, AuthFlow, CodeKind, CodePrompt, Command, Event, FirstFactor, FlowSettings,
    MfaKind, Step,
};
use cognito_signin::cognito::{Client, Endpoint};
use cognito_signin::crypto::totp;
use cognito_signin::local_pool::{self, RunningPool};
use cognito_signin::outbox::Medium;
use cognito_signin::sensitive::SensitiveString;
use crate::support::fake::next_settled;

const PASSWORD: &str = "Demo-Password-1!";
const MAIN_POOL: &str = "us-east-1_DemoPool1";
const MFA_ON_POOL: &str = "us-east-1_DemoMfaOn";
const CAROL_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A sign-in in progress against one demo pool.
struct SignIn {
    pool: RunningPool,
    channels: auth::FrontEndChannels,
}

impl SignIn {
    /// Starts the demo pool and an auth task for `pool_id`'s public client; the task's
    /// first step (the sign-in form) is checked and consumed.
    async fn start(pool_id: &str, auth_flow: AuthFlow) -> Self {
        Self::start_with(pool_id, auth_flow, |_| {}).await
    }

    async fn start_with(
        pool_id: &str,
        auth_flow: AuthFlow,
        adjust: impl FnOnce(&mut FlowSettings),
    ) -> Self {
        let pool = local_pool::start(Some(local_pool::demo_pool_file()), 0)
            .await
            .unwrap();
        let demo = pool
            .preloaded()
            .iter()
            .find(|p| p.pool_id == pool_id)
            .expect("the demo pool file has this pool");
        let client = demo
            .clients
            .iter()
            .find(|c| c.client_secret.is_none())
            .expect("the pool has a public client");
        let mut settings = FlowSettings {
            user_pool_id: demo.pool_id.clone(),
            client_id: client.client_id.clone(),
            auth_flow,
            ..Default::default()
        };
        adjust(&mut settings);
        let client = Client::new(Endpoint {
            url: format!("{}/", pool.url()),
        })
        .unwrap();
        let mut channels = auth::spawn(settings, client, String::new()).0;
        match next_settled(&mut channels).await {
            Event::Step(Step::SignIn { .. }) => {}
            other => panic!("the first step is the sign-in form, got {other:?}"),
        }
        Self { pool, channels }
    }

    async fn answer(&mut self, answer: Answer) -> Event {
        self.command(Command::Answer(answer)).await
    }

    async fn command(&mut self, command: Command) -> Event {
        self.channels.commands.send(command).await.unwrap();
        next_settled(&mut self.channels).await
    }

    async fn sign_in(&mut self, username: &str, password: &str) -> Event {
        self.answer(Answer::SignIn {
            username: username.into(),
            password: password.into(),
        })
        .await
    }

    /// The code the pool last "sent" to `username`, by `medium`.
    fn sent_code(&self, username: &str, medium: Medium) -> String {
        self.pool
            .outbox()
            .iter()
            .rev()
            .find(|d| d.username == username && d.medium == medium)
            .map(|d| d.code.clone())
            .unwrap_or_else(|| panic!("the outbox has no {medium:?} message for {username}"))
    }

    fn outbox_len(&self) -> usize {
        self.pool.outbox().len()
    }
}

fn code_prompt(event: Event) -> CodePrompt {
    match event {
        Event::Step(Step::Code(prompt)) => prompt,
        other => panic!("expected a code step, got {other:?}"),
    }
}

fn signed_in_as(event: Event, username: &str) -> Box<auth::Tokens> {
    match event {
        Event::Step(Step::SignedIn { tokens }) => {
            let who = tokens.id_claims().and_then(|claims| claims.username);
            assert_eq!(who.as_deref(), Some(username));
            tokens
        }
        other => panic!("expected {username} to be signed in, got {other:?}"),
    }
}

fn refused(event: &Event) -> String {
    match event {
        Event::Error(problem) => problem.kind.clone().unwrap_or_default(),
        other => panic!("expected the answer to be refused on the same step, got {other:?}"),
    }
}

fn code(text: &str) -> Answer {
    Answer::Code(SensitiveString::from(text))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The TOTP code `steps_ahead` 30-second steps from now.
fn totp_code(secret: &str, steps_ahead: u64) -> String {
    let secret = totp::decode_secret(secret).unwrap();
    totp::code_at(&secret, unix_now() + steps_ahead * totp::STEP_SECONDS)
}

/// A six-digit code that is certainly not `code`.
fn other_than(code: &str) -> String {
    let number: u32 = code.parse().unwrap();
    format!("{:06}", (number + 1) % 1_000_000)
}

#[tokio::test]
async fn a_temporary_password_is_replaced_and_the_required_attribute_given() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let step = flow.sign_in("bob", "Temp-Password-1!").await;
    let Event::Step(Step::NewPassword {
        username,
        required_attributes,
        ..
    }) = step
    else {
        panic!("expected NEW_PASSWORD_REQUIRED, got {step:?}");
    };
    assert_eq!(username, "bob");
    assert_eq!(required_attributes, ["name"]);

    let weak = flow
        .answer(Answer::NewPassword {
            password: "short".into(),
            attributes: [("name".to_owned(), "Bob Example".to_owned())].into(),
        })
        .await;
    assert_eq!(refused(&weak), "InvalidPasswordException");

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
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let prompt = code_prompt(flow.sign_in("carol", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::SoftwareToken);
    assert_eq!(prompt.device_name.as_deref(), Some("Demo authenticator"));
    assert!(!prompt.can_resend, "an authenticator code cannot be resent");

    let right = totp_code(CAROL_SECRET, 0);
    let wrong = flow.answer(code(&other_than(&right))).await;
    assert_eq!(refused(&wrong), "CodeMismatchException");
    signed_in_as(flow.answer(code(&right)).await, "carol");
}

#[tokio::test]
async fn sms_mfa_takes_the_code_from_the_outbox_and_a_resend_sends_a_new_one() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let prompt = code_prompt(flow.sign_in("sam", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::SmsMfa);
    assert_eq!(prompt.medium.as_deref(), Some("SMS"));
    let destination = prompt.destination.unwrap();
    assert!(destination.ends_with("0101"), "{destination}");
    assert!(!destination.contains("5555550101"), "the number is masked");
    assert!(prompt.can_resend);

    let sent = flow.outbox_len();
    let again = code_prompt(flow.answer(Answer::ResendCode).await);
    assert_eq!(again.kind, CodeKind::SmsMfa);
    assert_eq!(flow.outbox_len(), sent + 1, "a second message was sent");
    let fresh = flow.sent_code("sam", Medium::Sms);
    signed_in_as(flow.answer(code(&fresh)).await, "sam");
}

#[tokio::test]
async fn email_mfa_takes_the_code_from_the_outbox() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let prompt = code_prompt(flow.sign_in("erin", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    assert_eq!(prompt.medium.as_deref(), Some("EMAIL"));
    let sent = flow.sent_code("erin", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "erin");
}

#[tokio::test]
async fn a_user_with_two_factors_chooses_one_then_enters_its_code() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let step = flow.sign_in("chad", PASSWORD).await;
    let Event::Step(Step::SelectMfa { options }) = step else {
        panic!("expected SELECT_MFA_TYPE, got {step:?}");
    };
    assert!(options.contains(&MfaKind::Sms) && options.contains(&MfaKind::Email));
    let prompt = code_prompt(flow.answer(Answer::Mfa(MfaKind::Sms)).await);
    assert_eq!(prompt.kind, CodeKind::SmsMfa);
    let sent = flow.sent_code("chad", Medium::Sms);
    signed_in_as(flow.answer(code(&sent)).await, "chad");
}

#[tokio::test]
async fn three_wrong_codes_end_the_sign_in() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    code_prompt(flow.sign_in("erin", PASSWORD).await);
    let sent = flow.sent_code("erin", Medium::Email);
    let wrong = other_than(&sent);
    let mut last = flow.answer(code(&wrong)).await;
    for _ in 0..3 {
        if matches!(last, Event::Step(Step::Failed { .. })) {
            break;
        }
        assert_eq!(refused(&last), "CodeMismatchException");
        last = flow.answer(code(&wrong)).await;
    }
    let Event::Step(Step::Failed { problem }) = last else {
        panic!("expected the sign-in to end, got {last:?}");
    };
    assert!(
        problem.sentence.to_lowercase().contains("start again")
            || problem.sentence.to_lowercase().contains("sign in again"),
        "{}",
        problem.sentence
    );
    // Starting again works.
    let fresh = flow
        .command(Command::Restart {
            username: "erin".into(),
        })
        .await;
    assert!(
        matches!(fresh, Event::Step(Step::SignIn { .. })),
        "{fresh:?}"
    );
}

#[tokio::test]
async fn an_expired_session_says_so_and_offers_to_start_again() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    code_prompt(flow.sign_in("erin", PASSWORD).await);
    let sent = flow.sent_code("erin", Medium::Email);
    flow.pool
        .advance_clock(std::time::Duration::from_secs(4 * 60));
    let expired = flow.answer(code(&sent)).await;
    let Event::Step(Step::Failed { problem }) = expired else {
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
    let mut flow = SignIn::start(MFA_ON_POOL, AuthFlow::UserSrp).await;
    let step = flow.sign_in("dave", PASSWORD).await;
    let Event::Step(Step::SelectMfaSetup { options }) = step else {
        panic!("expected MFA_SETUP with a choice, got {step:?}");
    };
    assert!(options.contains(&MfaKind::SoftwareToken) && options.contains(&MfaKind::Email));
    let step = flow.answer(Answer::MfaSetup(MfaKind::SoftwareToken)).await;
    let Event::Step(Step::TotpSetup {
        username,
        issuer,
        secret,
        uri,
    }) = step
    else {
        panic!("expected the authenticator enrolment, got {step:?}");
    };
    assert_eq!((username.as_str(), issuer.as_str()), ("dave", "AWSCognito"));
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
            code: other_than(&first).into(),
            device_name: Some("test phone".into()),
        })
        .await;
    // Cognito's VerifySoftwareToken names a wrong first code this way.
    assert_eq!(refused(&wrong), "EnableSoftwareTokenMFAException");
    let enrolled = flow
        .answer(Answer::TotpSetup {
            code: first.into(),
            device_name: Some("test phone".into()),
        })
        .await;
    signed_in_as(enrolled, "dave");

    // The next sign-in asks for the authenticator's code; the next step's code is
    // within the one step of drift and has not been used.
    let fresh = flow
        .command(Command::Restart {
            username: "dave".into(),
        })
        .await;
    assert!(
        matches!(fresh, Event::Step(Step::SignIn { .. })),
        "{fresh:?}"
    );
    let prompt = code_prompt(flow.sign_in("dave", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::SoftwareToken);
    assert_eq!(prompt.device_name.as_deref(), Some("test phone"));
    signed_in_as(
        flow.answer(code(&totp_code(secret.expose(), 1))).await,
        "dave",
    );
}

#[tokio::test]
async fn mfa_enrolment_by_email_then_the_emailed_code() {
    let mut flow = SignIn::start(MFA_ON_POOL, AuthFlow::UserSrp).await;
    flow.sign_in("dave", PASSWORD).await;
    let step = flow.answer(Answer::MfaSetup(MfaKind::Email)).await;
    assert!(
        matches!(step, Event::Step(Step::EmailSetup { .. })),
        "{step:?}"
    );
    let prompt = code_prompt(
        flow.answer(Answer::EmailSetup {
            email: "dave@example.com".into(),
        })
        .await,
    );
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    let sent = flow.sent_code("dave", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "dave");
}

#[tokio::test]
async fn two_rounds_of_a_custom_challenge_without_a_password() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::CustomAuth).await;
    let step = flow.sign_in("cody", "").await;
    let Event::Step(Step::Custom { parameters, round }) = step else {
        panic!("expected CUSTOM_CHALLENGE, got {step:?}");
    };
    assert_eq!(round, 1);
    assert_eq!(parameters["question"], "What is 6 times 7?");
    let step = flow.answer(Answer::Custom("42".into())).await;
    let Event::Step(Step::Custom { parameters, round }) = step else {
        panic!("expected a second round, got {step:?}");
    };
    assert_eq!(round, 2);
    assert_eq!(parameters["question"], "Spell cognito backwards.");
    signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
}

#[tokio::test]
async fn a_custom_challenge_after_srp_proves_the_password_first() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::CustomWithSrp).await;
    let wrong = flow.sign_in("cody", "not-the-password").await;
    assert_eq!(refused(&wrong), "NotAuthorizedException");
    let step = flow.sign_in("cody", PASSWORD).await;
    assert!(
        matches!(step, Event::Step(Step::Custom { round: 1, .. })),
        "{step:?}"
    );
    flow.answer(Answer::Custom("42".into())).await;
    signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
}

#[tokio::test]
async fn choice_based_sign_in_by_emailed_code() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserAuth).await;
    let step = flow.sign_in("pat", "").await;
    let Event::Step(Step::SelectFirstFactor { options, .. }) = step else {
        panic!("expected SELECT_CHALLENGE, got {step:?}");
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
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    let sent = flow.sent_code("pat", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "pat");
}

#[tokio::test]
async fn choice_based_sign_in_by_password_srp() {
    let mut flow = SignIn::start(MAIN_POOL, AuthFlow::UserAuth).await;
    flow.sign_in("pat", "").await;
    let step = flow
        .answer(Answer::FirstFactor(FirstFactor::PasswordSrp))
        .await;
    assert!(
        matches!(step, Event::Step(Step::Password { .. })),
        "{step:?}"
    );
    let wrong = flow.answer(Answer::Password("wrong-password".into())).await;
    assert_eq!(refused(&wrong), "NotAuthorizedException");
    signed_in_as(flow.answer(Answer::Password(PASSWORD.into())).await, "pat");
}

#[tokio::test]
async fn choice_based_sign_in_by_sms_with_a_preferred_challenge() {
    let mut flow = SignIn::start_with(MAIN_POOL, AuthFlow::UserAuth, |settings| {
        settings.preferred_challenge = Some("SMS_OTP".into());
    })
    .await;
    let prompt = code_prompt(flow.sign_in("pat", "").await);
    assert_eq!(prompt.kind, CodeKind::SmsOtp);
    let sent = flow.sent_code("pat", Medium::Sms);
    signed_in_as(flow.answer(code(&sent)).await, "pat");
}

#[tokio::test]
async fn request_options_are_accepted_on_every_call() {
    let mut flow = SignIn::start_with(MAIN_POOL, AuthFlow::UserSrp, |settings| {
        settings.request_options.client_metadata =
            [("source".to_owned(), "test".to_owned())].into();
        settings.request_options.analytics_endpoint_id = Some("endpoint-1".into());
        settings.request_options.user_context_data = Some("encoded".into());
    })
    .await;
    let prompt = code_prompt(flow.sign_in("erin", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    let sent = flow.sent_code("erin", Medium::Email);
    signed_in_as(flow.answer(code(&sent)).await, "erin");
}

/// Asks for a reset from the sign-in form: the code step says where the code went.
async fn forgot(sign_in: &mut SignIn, username: &str) -> (Option<String>, Option<String>) {
    match sign_in
        .answer(Answer::ForgotPassword {
            username: username.into(),
        })
        .await
    {
        Event::Step(Step::ResetCode {
            username: asked,
            destination,
            medium,
        }) => {
            assert_eq!(asked, username);
            (destination, medium)
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
    let mut sign_in = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let (destination, medium) = forgot(&mut sign_in, "alice").await;
    assert_eq!(medium.as_deref(), Some("EMAIL"));
    assert_eq!(destination.as_deref(), Some("a***@e***"));
    let sent = sign_in.sent_code("alice", Medium::Email);
    match sign_in.answer(code(&sent)).await {
        Event::Step(Step::ResetPassword { username }) => assert_eq!(username, "alice"),
        other => panic!("expected the new-password step, got {other:?}"),
    }
    sign_in
        .channels
        .commands
        .send(Command::Answer(new_password("Reset-Password-2!")))
        .await
        .unwrap();
    // The notice comes just before the sign-in form, which has the username filled in.
    match next_settled(&mut sign_in.channels).await {
        Event::Notice(notice) => assert!(notice.contains("password was changed"), "{notice}"),
        other => panic!("expected a notice, got {other:?}"),
    }
    match next_settled(&mut sign_in.channels).await {
        Event::Step(Step::SignIn { username, .. }) => assert_eq!(username, "alice"),
        other => panic!("expected the sign-in form, got {other:?}"),
    }
    let old = sign_in.sign_in("alice", PASSWORD).await;
    assert_eq!(refused(&old), "NotAuthorizedException");
    signed_in_as(sign_in.sign_in("alice", "Reset-Password-2!").await, "alice");
}

#[tokio::test]
async fn a_wrong_reset_code_goes_back_to_the_code_with_the_servers_sentence() {
    let mut sign_in = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    forgot(&mut sign_in, "alice").await;
    let sent = sign_in.sent_code("alice", Medium::Email);
    let wrong = if sent == "000000" { "111111" } else { "000000" };
    assert!(matches!(
        sign_in.answer(code(wrong)).await,
        Event::Step(Step::ResetPassword { .. })
    ));
    sign_in
        .channels
        .commands
        .send(Command::Answer(new_password("Reset-Password-2!")))
        .await
        .unwrap();
    assert!(matches!(
        next_settled(&mut sign_in.channels).await,
        Event::Step(Step::ResetCode { .. })
    ));
    let error = next_settled(&mut sign_in.channels).await;
    assert_eq!(refused(&error), "CodeMismatchException");
    // The right code now goes through.
    assert!(matches!(
        sign_in.answer(code(&sent)).await,
        Event::Step(Step::ResetPassword { .. })
    ));
    sign_in
        .channels
        .commands
        .send(Command::Answer(new_password("Reset-Password-2!")))
        .await
        .unwrap();
    assert!(matches!(
        next_settled(&mut sign_in.channels).await,
        Event::Notice(_)
    ));
}

#[tokio::test]
async fn a_weak_new_password_keeps_the_password_step_and_resend_sends_a_new_code() {
    let mut sign_in = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    forgot(&mut sign_in, "alice").await;
    let before = sign_in.outbox_len();
    // Ask again: a second message, with a code that replaces the first.
    assert!(matches!(
        sign_in.answer(Answer::ResendCode).await,
        Event::Step(Step::ResetCode { .. })
    ));
    assert_eq!(sign_in.outbox_len(), before + 1);
    let sent = sign_in.sent_code("alice", Medium::Email);
    sign_in.answer(code(&sent)).await;
    let weak = sign_in.answer(new_password("short")).await;
    assert_eq!(refused(&weak), "InvalidPasswordException");
    // Still on the password step: a good password is taken with the same code.
    sign_in
        .channels
        .commands
        .send(Command::Answer(new_password("Reset-Password-2!")))
        .await
        .unwrap();
    assert!(matches!(
        next_settled(&mut sign_in.channels).await,
        Event::Notice(_)
    ));
}

#[tokio::test]
async fn a_reset_for_an_unknown_user_stays_on_the_sign_in_form() {
    let mut sign_in = SignIn::start(MAIN_POOL, AuthFlow::UserSrp).await;
    let refusal = sign_in
        .answer(Answer::ForgotPassword {
            username: "nobody".into(),
        })
        .await;
    assert_eq!(refused(&refusal), "UserNotFoundException");
    signed_in_as(sign_in.sign_in("alice", PASSWORD).await, "alice");
}

/// A sign-in of mona (e-mail MFA) in the MFA-ON pool, which tracks devices, keeping
/// devices in `store`.
async fn mona_with(store: &cognito_signin::auth::devices::DeviceStore) -> SignIn {
    let store = store.clone();
    SignIn::start_with(MFA_ON_POOL, AuthFlow::UserSrp, move |settings| {
        settings.devices = Some(cognito_signin::auth::devices::DeviceSettings {
            store,
            device_name: "build-box".into(),
        });
    })
    .await
}

/// Signs mona in through e-mail MFA; the next event is returned (RememberDevice here).
async fn mona_through_mfa(sign_in: &mut SignIn) -> Event {
    let prompt = code_prompt(sign_in.sign_in("mona", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    let sent = sign_in.sent_code("mona", Medium::Email);
    sign_in.answer(code(&sent)).await
}

/// The device keys ListDevices gives for these tokens.
async fn listed_devices(sign_in: &SignIn, tokens: &auth::Tokens) -> Vec<(String, String)> {
    use cognito_signin::cognito::types::ListDevicesRequest;
    let client = Client::new(Endpoint {
        url: format!("{}/", sign_in.pool.url()),
    })
    .unwrap();
    client
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
    use cognito_signin::auth::devices::DeviceStore;
    use cognito_signin::cognito::types::ForgetDeviceRequest;
    let store = DeviceStore::in_memory();
    let mut sign_in = mona_with(&store).await;
    // First sign-in: MFA, then "Remember this device?".
    match mona_through_mfa(&mut sign_in).await {
        Event::Step(Step::RememberDevice { device_name }) => assert_eq!(device_name, "build-box"),
        other => panic!("expected the remember-device question, got {other:?}"),
    }
    let tokens = signed_in_as(sign_in.answer(Answer::RememberDevice(true)).await, "mona");
    let stored = store
        .load(MFA_ON_POOL, "demomfaonpublicclient00001", "mona")
        .unwrap()
        .expect("the device is stored");
    assert_eq!(
        listed_devices(&sign_in, &tokens).await,
        [(stored.device_key.clone(), "remembered".to_owned())]
    );
    // An administrator sees the same device (AdminListDevices).
    let admin_view = Client::new(Endpoint {
        url: format!("{}/", sign_in.pool.url()),
    })
    .unwrap()
    .call::<_, cognito_signin::cognito::types::ListDevicesResponse>(
        "AdminListDevices",
        &cognito_signin::cognito::types::AdminListDevicesRequest {
            user_pool_id: MFA_ON_POOL.into(),
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
    let sent_before = sign_in.outbox_len();
    let tokens = signed_in_as(sign_in.sign_in("mona", PASSWORD).await, "mona");
    assert_eq!(sign_in.outbox_len(), sent_before, "no MFA code was sent");
    assert!(tokens.result.new_device_metadata.is_none());

    // Forgotten by the pool: MFA again, and the stale device is replaced by a new one.
    let client = Client::new(Endpoint {
        url: format!("{}/", sign_in.pool.url()),
    })
    .unwrap();
    client
        .forget_device(&ForgetDeviceRequest {
            access_token: Some(tokens.result.access_token.clone()),
            device_key: stored.device_key.clone(),
        })
        .await
        .unwrap();
    assert!(matches!(
        mona_through_mfa(&mut sign_in).await,
        Event::Step(Step::RememberDevice { .. })
    ));
    let tokens = signed_in_as(sign_in.answer(Answer::RememberDevice(false)).await, "mona");
    let replaced = store
        .load(MFA_ON_POOL, "demomfaonpublicclient00001", "mona")
        .unwrap()
        .expect("a new device is stored");
    assert_ne!(replaced.device_key, stored.device_key);
    assert_eq!(
        listed_devices(&sign_in, &tokens).await,
        [(replaced.device_key.clone(), "not_remembered".to_owned())]
    );

    // A device that is not remembered still gets MFA, and no new device is made.
    let prompt = code_prompt(sign_in.sign_in("mona", PASSWORD).await);
    assert_eq!(prompt.kind, CodeKind::EmailOtp);
    let sent = sign_in.sent_code("mona", Medium::Email);
    let tokens = signed_in_as(sign_in.answer(code(&sent)).await, "mona");
    assert!(tokens.result.new_device_metadata.is_none());
}

#[tokio::test]
async fn a_stored_device_whose_password_the_pool_refuses_is_replaced() {
    use cognito_signin::auth::devices::DeviceStore;
    let store = DeviceStore::in_memory();
    let mut sign_in = mona_with(&store).await;
    mona_through_mfa(&mut sign_in).await;
    signed_in_as(sign_in.answer(Answer::RememberDevice(true)).await, "mona");
    let mut stored = store
        .load(MFA_ON_POOL, "demomfaonpublicclient00001", "mona")
        .unwrap()
        .unwrap();
    stored.device_password = "not-the-device-password".into();
    store
        .save(MFA_ON_POOL, "demomfaonpublicclient00001", "mona", &stored)
        .unwrap();
    // The device proof fails: the device is dropped here and the sign-in goes on with MFA.
    assert!(matches!(
        mona_through_mfa(&mut sign_in).await,
        Event::Step(Step::RememberDevice { .. })
    ));
    let fresh = store
        .load(MFA_ON_POOL, "demomfaonpublicclient00001", "mona")
        .unwrap()
        .unwrap();
    assert_ne!(fresh.device_key, stored.device_key);
}

#[tokio::test]
async fn without_a_device_store_no_device_is_confirmed() {
    let mut sign_in = SignIn::start(MFA_ON_POOL, AuthFlow::UserSrp).await;
    let tokens = signed_in_as(mona_through_mfa(&mut sign_in).await, "mona");
    // The pool offered a device; nothing was confirmed, so none is listed.
    assert!(tokens.result.new_device_metadata.is_some());
    assert!(listed_devices(&sign_in, &tokens).await.is_empty());
}
