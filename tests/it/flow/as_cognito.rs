//! The console held to Cognito's documented behaviour (issue 10), through the real auth
//! task and wire client: challenges that come without a Session are answered without
//! one, a refusal never hints whether a user exists, a lockout has its own sentence,
//! ADMIN_USER_PASSWORD_AUTH goes by its AWS name, and each code has the length Cognito
//! gives it.

use cognito_signin::auth::devices::{DeviceSettings, DeviceStore, RememberedDevice};
use cognito_signin::auth::error::LOCKED_OUT;
use cognito_signin::auth::{
    AdminSettings, Answer, AuthFlow, CodeKind, CodeLength, FirstFactor, FlowSettings, Step,
};
use cognito_signin::cognito::ErrorType;
use cognito_signin::local_pool::demo;
use serde_json::{Value, json};

use crate::support::fake::{FakeCognito, Reply};
use crate::support::flow::{
    DemoClient, Flow, code, code_prompt, demo_flow, refusal, signed_in, signed_in_as, step,
};

const POOL_ID: &str = "us-east-1_Fake12345";
const CLIENT_ID: &str = "fakeclient";

/// A client without a secret, for `auth_flow`.
fn settings(auth_flow: AuthFlow) -> FlowSettings {
    FlowSettings {
        user_pool_id: POOL_ID.into(),
        client_id: CLIENT_ID.into(),
        auth_flow,
        ..Default::default()
    }
}

/// The fake with `replies` in order, and the task at its sign-in step.
async fn scripted(settings: FlowSettings, replies: Vec<Reply>) -> (FakeCognito, Flow) {
    let fake = FakeCognito::sequence(replies).await;
    let flow = Flow::start(settings, fake.client()).await;
    (fake, flow)
}

/// A challenge with these parameters and no Session at all, as Cognito may send the
/// SRP and device challenges (their state travels in SECRET_BLOCK).
fn sessionless(name: &str, parameters: Value) -> Reply {
    Reply::json(
        200,
        json!({"ChallengeName": name, "ChallengeParameters": parameters}),
    )
}

/// A challenge with a Session.
fn with_session(name: &str, parameters: Value) -> Reply {
    Reply::json(
        200,
        json!({"ChallengeName": name, "Session": "session-1", "ChallengeParameters": parameters}),
    )
}

/// An SRP verifier challenge's parameters (B is any value that is not 0 mod N).
fn srp_parameters(extra: &[(&str, &str)]) -> Value {
    let mut parameters = json!({
        "SALT": "0e67761c7025d2585a0019f5476ce4d8",
        "SRP_B": "a0da89c9b2c3",
        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
        "USERNAME": "alice",
    });
    for (name, value) in extra {
        parameters[*name] = json!(value);
    }
    parameters
}

fn tokens() -> Reply {
    Reply::json(
        200,
        json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600, "TokenType": "Bearer"}}),
    )
}

/// Asserts a request carried no Session field at all (not even an empty one).
fn assert_no_session(body: &Value) {
    assert!(body.get("Session").is_none(), "a Session was sent: {body}");
}

fn sign_in_as_alice() -> Answer {
    Answer::SignIn {
        username: "alice".into(),
        password: "pw".into(),
    }
}

#[tokio::test]
async fn srp_and_device_challenges_without_a_session_are_answered_without_one() {
    let store = DeviceStore::in_memory();
    store
        .save(
            POOL_ID,
            CLIENT_ID,
            "alice",
            &RememberedDevice {
                device_key: "us-east-1_0f1e2d3c-aaaa-bbbb-cccc-0123456789ab".into(),
                device_group_key: "-grp0123".into(),
                device_password: "device-password".into(),
                device_name: "build-box".into(),
            },
        )
        .unwrap();
    let mut with_device = settings(AuthFlow::UserSrp);
    with_device.devices = Some(DeviceSettings {
        store,
        device_name: "build-box".into(),
    });
    // As pycognito's peers see Cognito: no Session on PASSWORD_VERIFIER, DEVICE_SRP_AUTH
    // or DEVICE_PASSWORD_VERIFIER.
    let (fake, mut flow) = scripted(
        with_device,
        vec![
            sessionless(
                "PASSWORD_VERIFIER",
                srp_parameters(&[("USER_ID_FOR_SRP", "alice")]),
            ),
            sessionless("DEVICE_SRP_AUTH", json!({"USERNAME": "alice"})),
            sessionless("DEVICE_PASSWORD_VERIFIER", srp_parameters(&[])),
            tokens(),
        ],
    )
    .await;

    signed_in(flow.answer(sign_in_as_alice()).await);

    assert_eq!(
        fake.operations(),
        vec![
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge"
        ]
    );
    for (index, name) in [
        (1, "PASSWORD_VERIFIER"),
        (2, "DEVICE_SRP_AUTH"),
        (3, "DEVICE_PASSWORD_VERIFIER"),
    ] {
        let body = fake.body(index);
        assert_eq!(body["ChallengeName"], name, "{body}");
        assert_no_session(&body);
    }
    let device_key = "us-east-1_0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";
    assert_eq!(fake.body(0)["AuthParameters"]["DEVICE_KEY"], device_key);
    assert_eq!(fake.body(2)["ChallengeResponses"]["DEVICE_KEY"], device_key);
    assert_eq!(fake.body(3)["ChallengeResponses"]["DEVICE_KEY"], device_key);
    assert_eq!(
        fake.body(3)["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"],
        "c2VjcmV0LWJsb2Nr"
    );
}

#[tokio::test]
async fn a_code_challenge_without_a_session_is_answered_without_one() {
    let (fake, mut flow) = scripted(
        settings(AuthFlow::UserPassword),
        vec![
            sessionless(
                "SMS_MFA",
                json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234"}),
            ),
            tokens(),
        ],
    )
    .await;
    let prompt = code_prompt(flow.answer(sign_in_as_alice()).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SmsMfa));
    signed_in(flow.answer(code("1234567")).await);
    let answered = fake.body(1);
    assert_no_session(&answered);
    assert_eq!(answered["ChallengeResponses"]["SMS_MFA_CODE"], "1234567");
}

#[tokio::test]
async fn each_code_challenge_has_the_length_cognito_gives_it() {
    // After a password: an authenticator's six digits, else six to eight.
    for (name, expected) in [
        ("SOFTWARE_TOKEN_MFA", CodeLength::Exactly(6)),
        ("SMS_MFA", CodeLength::Between { min: 6, max: 8 }),
        ("EMAIL_OTP", CodeLength::Between { min: 6, max: 8 }),
    ] {
        let (_fake, mut flow) = scripted(
            settings(AuthFlow::UserSrp),
            vec![
                with_session(
                    "PASSWORD_VERIFIER",
                    srp_parameters(&[("USER_ID_FOR_SRP", "alice")]),
                ),
                with_session(name, json!({})),
            ],
        )
        .await;
        let prompt = code_prompt(flow.answer(sign_in_as_alice()).await);
        assert_eq!(prompt.length, expected, "{name}");
    }
    // USER_AUTH: EMAIL_OTP after a chosen password is MFA; as the first factor, eight.
    let (_fake, mut flow) = scripted(
        settings(AuthFlow::UserAuth),
        vec![
            Reply::json(
                200,
                json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "s1", "ChallengeParameters": {}, "AvailableChallenges": ["PASSWORD", "EMAIL_OTP"]}),
            ),
            with_session("EMAIL_OTP", json!({})),
        ],
    )
    .await;
    flow.sign_in("alice", "").await;
    flow.answer(Answer::FirstFactor(FirstFactor::Password))
        .await;
    let prompt = code_prompt(flow.answer(Answer::Password("pw".into())).await);
    assert_eq!(prompt.length, CodeLength::Between { min: 6, max: 8 });

    let mut preferred = settings(AuthFlow::UserAuth);
    preferred.preferred_challenge = Some(FirstFactor::EmailOtp);
    let (_fake, mut flow) = scripted(preferred, vec![with_session("EMAIL_OTP", json!({}))]).await;
    let prompt = code_prompt(flow.sign_in("alice", "").await);
    assert_eq!(prompt.length, CodeLength::Exactly(8));
}

/// Whether a sentence hints that the user does not exist.
fn hints_at_existence(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "exist",
        "not found",
        "unknown user",
        "no such user",
        "usernotfound",
    ]
    .iter()
    .any(|hint| lower.contains(hint))
}

#[tokio::test]
async fn an_unknown_user_refused_after_a_normal_looking_challenge_is_told_incorrect_username_or_password()
 {
    // PreventUserExistenceErrors: SRP answers an unknown user with a challenge, then
    // refuses the proof.
    let (fake, mut flow) = scripted(
        settings(AuthFlow::UserSrp),
        vec![
            with_session(
                "PASSWORD_VERIFIER",
                srp_parameters(&[("USER_ID_FOR_SRP", "nobody"), ("USERNAME", "nobody")]),
            ),
            Reply::error("NotAuthorizedException", "Incorrect username or password."),
            // The sign-in form stays: the next try starts again.
            Reply::error("NotAuthorizedException", "Incorrect username or password."),
        ],
    )
    .await;
    let refused = flow.sign_in("nobody", "whatever-1").await;
    let problem = refusal(&refused);
    assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
    assert!(
        problem
            .sentence
            .starts_with("Incorrect username or password."),
        "{problem:?}"
    );
    assert!(!hints_at_existence(&problem.sentence), "{problem:?}");
    refusal(&flow.sign_in("nobody", "whatever-2").await);
    assert_eq!(fake.operations().len(), 3);
}

#[tokio::test]
async fn an_unknown_user_given_a_passwordless_challenge_is_refused_without_a_hint() {
    // USER_AUTH answers an unknown user with a challenge the pool allows (here an
    // e-mailed code that never arrives), and refuses the answer.
    let mut preferred = settings(AuthFlow::UserAuth);
    preferred.preferred_challenge = Some(FirstFactor::EmailOtp);
    let (_fake, mut flow) = scripted(
        preferred,
        vec![
            with_session(
                "EMAIL_OTP",
                json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "n***@e***"}),
            ),
            Reply::error("NotAuthorizedException", "Incorrect username or password."),
        ],
    )
    .await;
    code_prompt(flow.sign_in("nobody", "").await);
    let shown = step(flow.answer(code("12345678")).await);
    let Step::Failed { problem } = shown else {
        panic!("expected the sign-in to end, got {shown:?}");
    };
    assert!(
        problem
            .sentence
            .starts_with("Incorrect username or password."),
        "{problem:?}"
    );
    assert!(!hints_at_existence(&problem.sentence), "{problem:?}");
}

#[tokio::test]
async fn password_attempts_exceeded_says_the_account_is_locked_for_a_while() {
    let (_fake, mut flow) = scripted(
        settings(AuthFlow::UserPassword),
        vec![
            Reply::error("NotAuthorizedException", "Password attempts exceeded"),
            // Wrong MFA codes lock the same way: the sign-in then ends with the sentence.
            with_session("SMS_MFA", json!({})),
            Reply::error("NotAuthorizedException", "Password attempts exceeded"),
        ],
    )
    .await;
    let refused = flow.answer(sign_in_as_alice()).await;
    let problem = refusal(&refused);
    assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
    assert_eq!(problem.sentence, LOCKED_OUT);

    code_prompt(flow.answer(sign_in_as_alice()).await);
    let shown = step(flow.answer(code("123456")).await);
    let Step::Failed { problem } = shown else {
        panic!("expected the sign-in to end, got {shown:?}");
    };
    assert!(problem.sentence.starts_with(LOCKED_OUT), "{problem:?}");
}

#[tokio::test]
async fn admin_user_password_auth_by_its_aws_name_signs_in_with_admin_initiate_auth() {
    let settings = FlowSettings {
        admin: Some(AdminSettings::default()),
        ..DemoClient::Public.settings(AuthFlow::AdminUserPassword)
    };
    let (pool, mut flow) = demo_flow(settings).await;
    signed_in_as(flow.sign_in("alice", demo::PASSWORD).await, "alice");
    let refused = flow.sign_in("alice", "not-the-password").await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    pool.shutdown().await;
}

#[tokio::test]
async fn admin_user_password_auth_sends_that_name_and_the_password() {
    let settings = FlowSettings {
        admin: Some(AdminSettings::default()),
        ..settings(AuthFlow::AdminUserPassword)
    };
    let (fake, mut flow) = scripted(settings, vec![tokens()]).await;
    signed_in(flow.answer(sign_in_as_alice()).await);
    assert_eq!(fake.operations(), vec!["AdminInitiateAuth"]);
    let body = fake.body(0);
    assert_eq!(body["AuthFlow"], "ADMIN_USER_PASSWORD_AUTH");
    assert_eq!(body["AuthParameters"]["PASSWORD"], "pw");
    assert_eq!(body["UserPoolId"], POOL_ID);
}

#[tokio::test]
async fn a_legacy_clients_unknown_user_is_told_in_the_pools_own_words() {
    // PreventUserExistenceErrors LEGACY: Cognito says the user does not exist, and the
    // console passes its words on, adding nothing of its own.
    let (_fake, mut flow) = scripted(
        settings(AuthFlow::UserSrp),
        vec![Reply::error(
            "UserNotFoundException",
            "User does not exist.",
        )],
    )
    .await;
    let refused = flow.sign_in("nobody", "whatever-1").await;
    let problem = refusal(&refused);
    assert_eq!(problem.kind, Some(ErrorType::UserNotFound));
    assert!(
        problem.sentence.starts_with("User does not exist."),
        "{problem:?}"
    );
}
