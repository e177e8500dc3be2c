//! The sign-in story through the real auth task and wire client: against the local
//! pool for the happy and unhappy paths, and against the scripted fake endpoint for
//! what a broken or hostile server can send.

use cognito_signin::auth::{self, Answer, AuthFlow, Command, Enrolment, FlowSettings, Note, Step};
use cognito_signin::cognito::ErrorType;
use cognito_signin::local_pool::{RunningPool, demo};
use serde_json::json;

use crate::support::fake::{FakeCognito, Reply};
use crate::support::flow::{
    DemoClient, Flow, code, code_prompt, refusal, signed_in, step, step_and_note,
};
use crate::support::jwks::verified_claims;
use crate::support::pool::{client_of, demo_pool};
use crate::support::{bounded, client_at, closed_port_url};

/// Checks a token against the pool's JWKS (signature, issuer, audience, token_use).
async fn verify(pool: &RunningPool, pool_id: &str, client_id: &str, token: &str, token_use: &str) {
    let jwks_url = format!("{}/{pool_id}/.well-known/jwks.json", pool.url());
    let issuer = format!("{}/{pool_id}", pool.url());
    let audience = (token_use == "id").then_some(client_id);
    let claims = verified_claims(&jwks_url, token, Some(&issuer), audience).await;
    assert_eq!(claims["token_use"], token_use);
    if token_use == "access" {
        assert_eq!(claims["client_id"], client_id);
    }
}

#[tokio::test]
async fn srp_sign_in_gives_tokens_that_verify_against_the_pools_jwks() {
    let pool = demo_pool().await;
    let mut flow = Flow::start(
        DemoClient::Public.settings(AuthFlow::UserSrp),
        client_of(&pool),
    )
    .await;

    let tokens = signed_in(flow.sign_in("alice", demo::PASSWORD).await);

    assert_eq!(tokens.issued(), vec!["access", "id", "refresh"]);
    let claims = tokens.id_claims().unwrap();
    assert_eq!(claims.username.as_deref(), Some("alice"));
    assert_eq!(claims.email.as_deref(), Some("alice@example.com"));
    let result = &tokens.result;
    verify(
        &pool,
        demo::POOL_ID,
        demo::PUBLIC_CLIENT_ID,
        result.id_token.as_ref().unwrap().expose(),
        "id",
    )
    .await;
    verify(
        &pool,
        demo::POOL_ID,
        demo::PUBLIC_CLIENT_ID,
        result.access_token.expose(),
        "access",
    )
    .await;
    pool.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_keeps_the_sign_in_screen_and_a_retry_works() {
    let pool = demo_pool().await;
    let mut flow = Flow::start(
        DemoClient::Public.settings(AuthFlow::UserSrp),
        client_of(&pool),
    )
    .await;

    let refused = flow.sign_in("alice", "not-the-password").await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    assert!(
        refusal(&refused)
            .sentence
            .contains("Incorrect username or password.")
    );

    signed_in(flow.sign_in("alice", demo::PASSWORD).await);
    pool.shutdown().await;
}

#[tokio::test]
async fn an_unknown_user_is_told_incorrect_username_or_password() {
    let pool = demo_pool().await;
    let mut flow = Flow::start(
        DemoClient::Public.settings(AuthFlow::UserSrp),
        client_of(&pool),
    )
    .await;
    // The demo's clients prevent user-existence errors.
    let refused = flow.sign_in("nobody", "whatever-1").await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    pool.shutdown().await;
}

#[tokio::test]
async fn user_password_auth_signs_in_too() {
    let pool = demo_pool().await;
    let mut flow = Flow::start(
        DemoClient::Public.settings(AuthFlow::UserPassword),
        client_of(&pool),
    )
    .await;
    signed_in(flow.sign_in("alice", demo::PASSWORD).await);
    let refused = flow.sign_in("alice", "wrong").await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    pool.shutdown().await;
}

#[tokio::test]
async fn a_client_with_a_secret_signs_in_with_secret_hash_in_both_flows() {
    let pool = demo_pool().await;
    for auth_flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
        let mut flow =
            Flow::start(DemoClient::WithSecret.settings(auth_flow), client_of(&pool)).await;
        signed_in(flow.sign_in("alice", demo::PASSWORD).await);
    }
    // Without the secret the same client is refused.
    let mut settings = DemoClient::WithSecret.settings(AuthFlow::UserSrp);
    settings.client_secret = None;
    let mut flow = Flow::start(settings, client_of(&pool)).await;
    let refused = flow.sign_in("alice", demo::PASSWORD).await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    pool.shutdown().await;
}

#[tokio::test]
async fn a_temporary_password_asks_for_a_new_one_and_restart_starts_fresh() {
    let pool = demo_pool().await;
    let mut flow = Flow::start(
        DemoClient::Public.settings(AuthFlow::UserSrp),
        client_of(&pool),
    )
    .await;
    match step(flow.sign_in("bob", demo::BOB_TEMPORARY_PASSWORD).await) {
        Step::NewPassword { username, .. } => assert_eq!(username, "bob"),
        other => panic!("expected the new-password step, got {other:?}"),
    }
    flow.send(Command::Restart {
        username: "bob".into(),
    })
    .await;
    assert_eq!(
        step(flow.next().await),
        Step::SignIn {
            needs_password: true,
            username: "bob".into()
        }
    );
    pool.shutdown().await;
}

fn fake_settings() -> FlowSettings {
    FlowSettings {
        user_pool_id: "us-east-1_Fake12345".into(),
        client_id: "fakeclient".into(),
        client_secret: None,
        auth_flow: AuthFlow::UserSrp,
        ..Default::default()
    }
}

#[tokio::test]
async fn an_empty_username_or_password_makes_no_call() {
    let fake = FakeCognito::answering(Reply::json(500, json!({}))).await;
    let mut flow = Flow::start(fake_settings(), fake.client()).await;
    assert!(
        refusal(&flow.sign_in("", "pw").await)
            .sentence
            .contains("username")
    );
    assert!(
        refusal(&flow.sign_in("   ", "pw").await)
            .sentence
            .contains("username")
    );
    assert!(
        refusal(&flow.sign_in("alice", "").await)
            .sentence
            .contains("password")
    );
    assert!(fake.operations().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_names_the_endpoint_and_the_screen_stays() {
    let url = closed_port_url();
    let mut flow = Flow::start(fake_settings(), client_at(&url)).await;
    let refused = flow.sign_in("alice", "pw").await;
    let host_and_port = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(
        refusal(&refused).sentence.contains(host_and_port),
        "{refused:?}"
    );
    // Still on the sign-in step: another answer is taken (and refused the same way).
    let again = flow.sign_in("alice", "pw").await;
    refusal(&again);
}

#[tokio::test]
async fn garbage_json_and_an_html_500_become_sentences() {
    let garbage = FakeCognito::answering(
        Reply::raw(200, "{not json").header("content-type", "application/x-amz-json-1.1"),
    )
    .await;
    let mut flow = Flow::start(fake_settings(), garbage.client()).await;
    let refused = flow.sign_in("alice", "pw").await;
    refusal(&refused);

    let html = FakeCognito::answering(
        Reply::raw(
            500,
            "<html><body><h1>Internal Server Error</h1></body></html>",
        )
        .header("content-type", "text/html"),
    )
    .await;
    let mut flow = Flow::start(fake_settings(), html.client()).await;
    let sentence = refusal(&flow.sign_in("alice", "pw").await).sentence.clone();
    assert!(sentence.contains("500"), "{sentence}");
    assert!(!sentence.contains("<html>"), "{sentence}");
}

fn password_verifier_challenge(srp_b: &str) -> Reply {
    Reply::json(
        200,
        json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": "session-1",
            "ChallengeParameters": {
                "SALT": "0e67761c7025d2585a0019f5476ce4d8",
                "SRP_B": srp_b,
                "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
                "USER_ID_FOR_SRP": "alice",
                "USERNAME": "alice"
            }
        }),
    )
}

#[tokio::test]
async fn an_srp_b_of_zero_is_refused_before_the_password_is_used() {
    // N, the group's modulus, from the repository's copy of the SRP vectors.
    let n_hex =
        serde_json::from_str::<serde_json::Value>(include_str!("../../vectors/cognito-srp.json"))
            .unwrap()["N_hex"]
            .as_str()
            .unwrap()
            .to_owned();
    for hostile_b in ["0", "00", n_hex.as_str()] {
        let b = hostile_b.to_owned();
        let fake = FakeCognito::start(move |_, _| password_verifier_challenge(&b)).await;
        let mut flow = Flow::start(fake_settings(), fake.client()).await;
        let refused = flow.sign_in("alice", "pw").await;
        assert!(refusal(&refused).sentence.contains("SRP_B"), "{refused:?}");
        assert_eq!(
            fake.operations(),
            vec!["InitiateAuth"],
            "no answer was sent"
        );
    }
}

#[tokio::test]
async fn an_expired_session_shows_the_servers_message_on_the_same_screen() {
    let fake = FakeCognito::start(|operation, _| match operation {
        "InitiateAuth" => password_verifier_challenge("a0da89c9b2c3"),
        _ => Reply::error(
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        ),
    })
    .await;
    let mut flow = Flow::start(fake_settings(), fake.client()).await;
    let refused = flow.sign_in("alice", "pw").await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::NotAuthorized));
    assert!(refusal(&refused).sentence.contains("session is expired"));
    assert_eq!(
        fake.operations(),
        vec!["InitiateAuth", "RespondToAuthChallenge"]
    );
    let answered = fake.body(1);
    assert_eq!(answered["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(answered["Session"], "session-1");
    assert_eq!(answered["ChallengeResponses"]["USERNAME"], "alice");
    assert_eq!(
        answered["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"],
        "c2VjcmV0LWJsb2Nr"
    );
}

#[tokio::test]
async fn quitting_during_a_call_stops_the_task() {
    let fake = FakeCognito::answering(Reply::Hang).await;
    let mut flow = Flow::start(fake_settings(), fake.client()).await;
    flow.send(Command::Answer(Answer::SignIn {
        username: "alice".into(),
        password: "pw".into(),
    }))
    .await;
    // The call is in flight once the fake has it (it never answers).
    fake.received(1).await;
    assert!(flow.channels.events.try_recv().is_err(), "no answer yet");
    let Flow { channels, task, .. } = flow;
    drop(channels);
    bounded("the task ending once the front end goes away", task)
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------
// Every challenge, against a scripted server: the step each one becomes, and the
// requests each answer sends.
// ---------------------------------------------------------------------------------

const SECRET: &str = "fake-client-secret";

/// A client with a secret (so SECRET_HASH is on every call) and every request option.
fn scripted_settings(auth_flow: AuthFlow) -> FlowSettings {
    FlowSettings {
        user_pool_id: "us-east-1_Fake12345".into(),
        client_id: "fakeclient".into(),
        client_secret: Some(SECRET.into()),
        auth_flow,
        totp_issuer: "My Company".into(),
        request_options: auth::RequestOptions {
            client_metadata: [("source".to_owned(), "console".to_owned())].into(),
            analytics_endpoint_id: Some("endpoint-1".into()),
            user_context_data: Some("encoded-context".into()),
        },
        ..Default::default()
    }
}

/// The fake with `replies` in order, and the task at its sign-in step.
async fn scripted(settings: FlowSettings, replies: Vec<Reply>) -> (FakeCognito, Flow) {
    let fake = FakeCognito::sequence(replies).await;
    let flow = Flow::start(settings, fake.client()).await;
    (fake, flow)
}

fn challenge(name: &str, session: &str, parameters: serde_json::Value) -> Reply {
    Reply::json(
        200,
        json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}),
    )
}

fn tokens() -> Reply {
    Reply::json(
        200,
        json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600, "TokenType": "Bearer"}}),
    )
}

/// Base64(HMAC-SHA256(secret, username | client id)), as the task must send it.
fn hash_for(username: &str) -> String {
    cognito_signin::crypto::secret_hash(username, "fakeclient", SECRET)
}

/// Asserts a RespondToAuthChallenge body: name, Session, the responses (USERNAME and
/// SECRET_HASH always), and the request options.
fn assert_answered(
    body: &serde_json::Value,
    name: &str,
    session: &str,
    responses: &[(&str, &str)],
) {
    assert_eq!(body["ChallengeName"], name, "{body}");
    assert_eq!(body["Session"], session, "{body}");
    let sent = body["ChallengeResponses"].as_object().unwrap();
    let mut expected: Vec<(String, String)> = responses
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    expected.push(("USERNAME".into(), "alice".into()));
    expected.push(("SECRET_HASH".into(), hash_for("alice")));
    expected.sort();
    let mut got: Vec<(String, String)> = sent
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert_options(body);
}

/// ClientMetadata, AnalyticsMetadata and UserContextData as configured.
fn assert_options(body: &serde_json::Value) {
    assert_eq!(
        body["ClientMetadata"],
        json!({"source": "console"}),
        "{body}"
    );
    assert_eq!(
        body["AnalyticsMetadata"],
        json!({"AnalyticsEndpointId": "endpoint-1"})
    );
    assert_eq!(
        body["UserContextData"],
        json!({"EncodedData": "encoded-context"})
    );
}

fn sign_in_as_alice() -> Answer {
    Answer::SignIn {
        username: "alice".into(),
        password: "pw".into(),
    }
}

#[tokio::test]
async fn new_password_required_lists_attributes_and_answers_with_their_prefix() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge(
                "NEW_PASSWORD_REQUIRED",
                "s1",
                json!({
                    "USERNAME": "alice",
                    "requiredAttributes": "[\"userAttributes.name\"]",
                    "userAttributes": "{\"email\":\"alice@example.com\",\"email_verified\":\"true\"}"
                }),
            ),
            Reply::error("InvalidPasswordException", "Password does not conform to policy."),
            tokens(),
        ],
    )
    .await;
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::NewPassword {
            username: "alice".into(),
            required_attributes: vec!["name".into()],
            user_attributes: [
                ("email".to_owned(), "alice@example.com".to_owned()),
                ("email_verified".to_owned(), "true".to_owned())
            ]
            .into(),
        }
    );
    let initiated = fake.body(0);
    assert_eq!(initiated["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(
        initiated["AuthParameters"]["SECRET_HASH"],
        hash_for("alice")
    );
    assert_options(&initiated);

    let new_password = || Answer::NewPassword {
        password: "New-Password-1".into(),
        attributes: [("name".to_owned(), "Alice".to_owned())].into(),
    };
    // A password-policy error stays on the screen; the same step takes the next try.
    let refused = flow.answer(new_password()).await;
    assert_eq!(refusal(&refused).kind, Some(ErrorType::InvalidPassword));
    signed_in(flow.answer(new_password()).await);
    for index in [1, 2] {
        assert_answered(
            &fake.body(index),
            "NEW_PASSWORD_REQUIRED",
            "s1",
            &[
                ("NEW_PASSWORD", "New-Password-1"),
                ("userAttributes.name", "Alice"),
            ],
        );
    }
}

#[tokio::test]
async fn new_password_required_with_only_a_username_as_moto_sends_it() {
    let (_fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![challenge(
            "NEW_PASSWORD_REQUIRED",
            "s1",
            json!({"USERNAME": "alice"}),
        )],
    )
    .await;
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::NewPassword {
            username: "alice".into(),
            required_attributes: Vec::new(),
            user_attributes: Default::default(),
        }
    );
}

#[tokio::test]
async fn an_sms_code_can_be_wrong_then_resent_and_the_new_session_answers() {
    let sms = |session: &str| {
        challenge(
            "SMS_MFA",
            session,
            json!({"USERNAME": "alice", "CODE_DELIVERY_DESTINATION": "+*******1234", "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}),
        )
    };
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            sms("s1"),
            Reply::error("CodeMismatchException", "Invalid code received for user"),
            sms("s2"),
            tokens(),
        ],
    )
    .await;
    let prompt = |expires_at| auth::CodePrompt {
        challenge: Some(auth::CodeKind::SmsMfa),
        destination: Some("+*******1234".into()),
        medium: auth::CodeMedium::Sms,
        device_name: None,
        length: auth::CodeLength::Between { min: 6, max: 8 },
        can_resend: true,
        expires_at,
    };
    let before = time::OffsetDateTime::now_utc();
    let first = code_prompt(flow.answer(sign_in_as_alice()).await);
    let after = time::OffsetDateTime::now_utc();
    // The Session lasts Cognito's default 3 minutes from the challenge's arrival.
    let deadline = first.expires_at.expect("a challenge's code has a deadline");
    let validity = auth::DEFAULT_SESSION_VALIDITY;
    assert!(
        (before + validity..=after + validity).contains(&deadline),
        "{deadline} is not 3 minutes after the challenge arrived"
    );
    assert_eq!(first, prompt(Some(deadline)));
    let wrong = flow.answer(code("000000")).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    // Resending replays the sign-in: the same username and password, a new Session
    // (which counts from its own arrival), and a notice saying where the code went.
    let (again, note) = step_and_note(flow.answer(Answer::ResendCode).await);
    let Step::Code(again) = again else {
        panic!("expected the code step again, got {again:?}");
    };
    assert!(again.expires_at >= Some(deadline));
    assert_eq!(again, prompt(again.expires_at));
    assert_eq!(
        note,
        Some(Note::Notice(
            "A new code was sent by SMS to +*******1234.".into()
        ))
    );
    signed_in(flow.answer(code(" 123456 ")).await);
    assert_eq!(
        fake.operations(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "InitiateAuth",
            "RespondToAuthChallenge"
        ]
    );
    assert_answered(
        &fake.body(1),
        "SMS_MFA",
        "s1",
        &[("SMS_MFA_CODE", "000000")],
    );
    assert_eq!(
        fake.body(2)["AuthParameters"],
        fake.body(0)["AuthParameters"]
    );
    assert_answered(
        &fake.body(3),
        "SMS_MFA",
        "s2",
        &[("SMS_MFA_CODE", "123456")],
    );
}

#[tokio::test]
async fn an_expired_session_on_a_code_ends_the_sign_in_and_says_to_start_again() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge(
                "SOFTWARE_TOKEN_MFA",
                "s1",
                json!({"USERNAME": "alice", "FRIENDLY_DEVICE_NAME": "Phone"}),
            ),
            Reply::error(
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.",
            ),
        ],
    )
    .await;
    match step(flow.answer(sign_in_as_alice()).await) {
        Step::Code(prompt) => {
            assert_eq!(prompt.challenge, Some(auth::CodeKind::SoftwareToken));
            assert_eq!(prompt.medium, auth::CodeMedium::Authenticator);
            assert_eq!(prompt.device_name.as_deref(), Some("Phone"));
            assert!(!prompt.can_resend, "authenticator codes are never sent");
        }
        other => panic!("expected a code step, got {other:?}"),
    }
    // An authenticator code cannot be resent: refused without a call.
    refusal(&flow.answer(Answer::ResendCode).await);
    match step(flow.answer(code("123456")).await) {
        Step::Failed { problem } => {
            assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
            assert!(problem.sentence.contains("session is expired"), "{problem}");
            assert!(problem.sentence.contains("start it again"), "{problem}");
        }
        other => panic!("expected the sign-in to fail, got {other:?}"),
    }
    assert_eq!(
        fake.operations(),
        ["InitiateAuth", "RespondToAuthChallenge"]
    );
    assert_answered(
        &fake.body(1),
        "SOFTWARE_TOKEN_MFA",
        "s1",
        &[("SOFTWARE_TOKEN_MFA_CODE", "123456")],
    );
}

#[tokio::test]
async fn too_many_wrong_codes_end_the_sign_in() {
    let (_fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge("EMAIL_OTP", "s1", json!({"USERNAME": "alice"})),
            Reply::error(
                "ExpiredCodeException",
                "Invalid code provided, please request a code again.",
            ),
        ],
    )
    .await;
    assert!(matches!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::Code(_)
    ));
    assert!(matches!(
        step(flow.answer(code("111111")).await),
        Step::Failed { .. }
    ));
    // Only a fresh sign-in goes on from there.
    refusal(&flow.answer(code("111111")).await);
}

#[tokio::test]
async fn select_mfa_type_sends_the_choice_and_a_resend_replays_it() {
    let select = |session: &str| {
        challenge(
            "SELECT_MFA_TYPE",
            session,
            json!({"USERNAME": "alice", "MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
        )
    };
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            select("s1"),
            challenge("SMS_MFA", "s2", json!({"USERNAME": "alice"})),
            select("s3"),
            challenge("SMS_MFA", "s4", json!({"USERNAME": "alice"})),
            tokens(),
        ],
    )
    .await;
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::SelectMfa {
            options: vec![auth::MfaKind::Sms, auth::MfaKind::SoftwareToken]
        }
    );
    assert!(matches!(
        step(flow.answer(Answer::Mfa(auth::MfaKind::Sms)).await),
        Step::Code(_)
    ));
    assert!(matches!(
        step(flow.answer(Answer::ResendCode).await),
        Step::Code(_)
    ));
    signed_in(flow.answer(code("123456")).await);
    assert_answered(
        &fake.body(1),
        "SELECT_MFA_TYPE",
        "s1",
        &[("ANSWER", "SMS_MFA")],
    );
    assert_answered(
        &fake.body(3),
        "SELECT_MFA_TYPE",
        "s3",
        &[("ANSWER", "SMS_MFA")],
    );
    assert_answered(
        &fake.body(4),
        "SMS_MFA",
        "s4",
        &[("SMS_MFA_CODE", "123456")],
    );
}

#[tokio::test]
async fn mfa_setup_from_a_python_list_enrols_an_authenticator() {
    // The fake's own secret: any base32 text will do.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge(
                "MFA_SETUP",
                "s1",
                json!({"USERNAME": "alice", "MFAS_CAN_SETUP": "['SOFTWARE_TOKEN_MFA', 'SMS_MFA']"}),
            ),
            Reply::json(200, json!({"SecretCode": secret, "Session": "s2"})),
            Reply::error("CodeMismatchException", "Invalid code received for user"),
            Reply::json(200, json!({"Status": "SUCCESS", "Session": "s3"})),
            tokens(),
        ],
    )
    .await;
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::SelectMfaSetup {
            options: vec![auth::MfaKind::SoftwareToken, auth::MfaKind::Sms]
        }
    );
    // SMS can only be explained: nothing is sent.
    let sms = flow.answer(Answer::MfaSetup(auth::MfaKind::Sms)).await;
    assert!(refusal(&sms).sentence.contains("phone number"), "{sms:?}");
    let expected_uri =
        format!("otpauth://totp/My%20Company:alice?secret={secret}&issuer=My%20Company");
    assert_eq!(
        step(
            flow.answer(Answer::MfaSetup(auth::MfaKind::SoftwareToken))
                .await
        ),
        Step::TotpSetup {
            enrolment: Enrolment::SignIn,
            username: "alice".into(),
            issuer: "My Company".into(),
            secret: secret.into(),
            uri: expected_uri.into(),
            code_length: auth::CodeLength::Exactly(6),
        }
    );
    let totp = |text: &str| Answer::TotpSetup {
        code: text.into(),
        device_name: Some("My phone".into()),
    };
    // A wrong first code keeps the enrolment step.
    let wrong = flow.answer(totp("000000")).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    signed_in(flow.answer(totp("123456")).await);

    assert_eq!(
        fake.operations(),
        [
            "InitiateAuth",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge"
        ]
    );
    assert_eq!(fake.body(1), json!({"Session": "s1"}));
    assert_eq!(
        fake.body(3),
        json!({"Session": "s2", "UserCode": "123456", "FriendlyDeviceName": "My phone"})
    );
    // MFA_SETUP is answered with the Session VerifySoftwareToken returned.
    assert_answered(&fake.body(4), "MFA_SETUP", "s3", &[]);
}

#[tokio::test]
async fn mfa_setup_offering_only_an_authenticator_goes_straight_to_enrolment() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge(
                "MFA_SETUP",
                "s1",
                json!({"USERNAME": "alice", "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
            ),
            // A server that sends no Session back: the challenge's own carries on.
            Reply::json(200, json!({"SecretCode": "asdfasdfasdf"})),
        ],
    )
    .await;
    match step(flow.answer(sign_in_as_alice()).await) {
        Step::TotpSetup {
            enrolment: Enrolment::SignIn,
            uri,
            ..
        } => assert!(uri.expose().contains("secret=asdfasdfasdf")),
        other => panic!("expected TOTP enrolment, got {other:?}"),
    }
    assert_eq!(
        fake.operations(),
        ["InitiateAuth", "AssociateSoftwareToken"]
    );
}

#[tokio::test]
async fn e_mail_mfa_setup_sends_the_address_then_asks_for_the_code() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![
            challenge(
                "MFA_SETUP",
                "s1",
                json!({"USERNAME": "alice", "MFAS_CAN_SETUP": "[\"EMAIL_OTP\"]"}),
            ),
            challenge(
                "EMAIL_OTP",
                "s2",
                json!({"USERNAME": "alice", "CODE_DELIVERY_DESTINATION": "a***@e***", "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"}),
            ),
            tokens(),
        ],
    )
    .await;
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::EmailSetup {
            username: "alice".into()
        }
    );
    let email = Answer::EmailSetup {
        email: "alice@example.com".into(),
    };
    match step(flow.answer(email).await) {
        Step::Code(prompt) => {
            assert_eq!(prompt.challenge, Some(auth::CodeKind::EmailOtp));
            assert_eq!(prompt.destination.as_deref(), Some("a***@e***"));
            assert!(prompt.can_resend);
        }
        other => panic!("expected the e-mail code, got {other:?}"),
    }
    signed_in(flow.answer(code("654321")).await);
    assert_answered(
        &fake.body(1),
        "MFA_SETUP",
        "s1",
        &[("EMAIL", "alice@example.com")],
    );
    assert_answered(
        &fake.body(2),
        "EMAIL_OTP",
        "s2",
        &[("EMAIL_OTP_CODE", "654321")],
    );
}

#[tokio::test]
async fn custom_auth_without_srp_asks_no_password_and_counts_rounds() {
    let round = |session: &str, question: &str| {
        challenge(
            "CUSTOM_CHALLENGE",
            session,
            json!({"USERNAME": "alice", "question": question}),
        )
    };
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::CustomAuth),
        vec![
            round("s1", "2 + 2?"),
            round("s2", "Capital of France?"),
            tokens(),
        ],
    )
    .await;
    let sign_in = Answer::SignIn {
        username: "alice".into(),
        password: "".into(),
    };
    let custom = |round: u32, question: &str| Step::Custom {
        parameters: [("question".to_owned(), question.to_owned())].into(),
        round,
    };
    assert_eq!(step(flow.answer(sign_in).await), custom(1, "2 + 2?"));
    assert_eq!(
        step(flow.answer(Answer::Custom("4".into())).await),
        custom(2, "Capital of France?")
    );
    signed_in(flow.answer(Answer::Custom("Paris".into())).await);

    let initiated = fake.body(0);
    assert_eq!(initiated["AuthFlow"], "CUSTOM_AUTH");
    assert_eq!(
        initiated["AuthParameters"],
        json!({"USERNAME": "alice", "SECRET_HASH": hash_for("alice")})
    );
    assert_answered(&fake.body(1), "CUSTOM_CHALLENGE", "s1", &[("ANSWER", "4")]);
    assert_answered(
        &fake.body(2),
        "CUSTOM_CHALLENGE",
        "s2",
        &[("ANSWER", "Paris")],
    );
}

#[tokio::test]
async fn custom_auth_with_srp_proves_the_password_then_runs_the_rounds() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::CustomWithSrp),
        vec![
            password_verifier_challenge("a0da89c9b2c3"),
            challenge(
                "CUSTOM_CHALLENGE",
                "s2",
                json!({"USERNAME": "alice", "hint": "h"}),
            ),
        ],
    )
    .await;
    assert!(matches!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::Custom { round: 1, .. }
    ));
    let initiated = fake.body(0);
    assert_eq!(initiated["AuthFlow"], "CUSTOM_AUTH");
    let parameters = initiated["AuthParameters"].as_object().unwrap();
    let mut names: Vec<&str> = parameters.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["CHALLENGE_NAME", "SECRET_HASH", "SRP_A", "USERNAME"]
    );
    assert_eq!(parameters["CHALLENGE_NAME"], "SRP_A");
    let verifier = fake.body(1);
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(verifier["Session"], "session-1");
    assert!(verifier["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
    assert_eq!(
        verifier["ChallengeResponses"]["SECRET_HASH"],
        hash_for("alice")
    );
    assert_options(&verifier);
}

fn select_challenge(session: &str, available: &[&str]) -> Reply {
    Reply::json(
        200,
        json!({"ChallengeName": "SELECT_CHALLENGE", "Session": session, "ChallengeParameters": {}, "AvailableChallenges": available}),
    )
}

#[tokio::test]
async fn user_auth_offers_the_first_factors_and_password_signs_in() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserAuth),
        vec![
            select_challenge(
                "s1",
                &["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"],
            ),
            tokens(),
        ],
    )
    .await;
    let sign_in = Answer::SignIn {
        username: "alice".into(),
        password: "".into(),
    };
    use auth::FirstFactor;
    assert_eq!(
        step(flow.answer(sign_in).await),
        Step::SelectFirstFactor {
            username: "alice".into(),
            options: vec![
                FirstFactor::Password,
                FirstFactor::PasswordSrp,
                FirstFactor::EmailOtp,
                FirstFactor::WebAuthn
            ],
        }
    );
    assert_eq!(
        fake.body(0)["AuthParameters"],
        json!({"USERNAME": "alice", "SECRET_HASH": hash_for("alice")})
    );
    assert_eq!(fake.body(0)["AuthFlow"], "USER_AUTH");
    assert_eq!(
        step(
            flow.answer(Answer::FirstFactor(FirstFactor::Password))
                .await
        ),
        Step::Password {
            username: "alice".into()
        }
    );
    signed_in(flow.answer(Answer::Password("pw".into())).await);
    assert_eq!(
        fake.operations(),
        ["InitiateAuth", "RespondToAuthChallenge"]
    );
    assert_answered(
        &fake.body(1),
        "SELECT_CHALLENGE",
        "s1",
        &[("ANSWER", "PASSWORD"), ("PASSWORD", "pw")],
    );
}

#[tokio::test]
async fn user_auth_password_srp_answers_the_verifier_itself() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserAuth),
        vec![
            select_challenge("s1", &["PASSWORD_SRP"]),
            password_verifier_challenge("a0da89c9b2c3"),
            tokens(),
        ],
    )
    .await;
    let sign_in = Answer::SignIn {
        username: "alice".into(),
        password: "".into(),
    };
    flow.answer(sign_in).await;
    flow.answer(Answer::FirstFactor(auth::FirstFactor::PasswordSrp))
        .await;
    signed_in(flow.answer(Answer::Password("pw".into())).await);
    let chosen = fake.body(1);
    assert_eq!(chosen["ChallengeResponses"]["ANSWER"], "PASSWORD_SRP");
    assert!(chosen["ChallengeResponses"]["SRP_A"].is_string());
    assert!(chosen["ChallengeResponses"].get("PASSWORD").is_none());
    assert_eq!(fake.body(2)["ChallengeName"], "PASSWORD_VERIFIER");
}

#[tokio::test]
async fn user_auth_email_otp_sends_the_choice_and_a_resend_replays_it() {
    let email = |session: &str| challenge("EMAIL_OTP", session, json!({"USERNAME": "alice"}));
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserAuth),
        vec![
            select_challenge("s1", &["EMAIL_OTP", "PASSWORD"]),
            email("s2"),
            select_challenge("s3", &["EMAIL_OTP", "PASSWORD"]),
            email("s4"),
            tokens(),
        ],
    )
    .await;
    let sign_in = Answer::SignIn {
        username: "alice".into(),
        password: "".into(),
    };
    flow.answer(sign_in).await;
    match step(
        flow.answer(Answer::FirstFactor(auth::FirstFactor::EmailOtp))
            .await,
    ) {
        Step::Code(prompt) => assert_eq!(prompt.challenge, Some(auth::CodeKind::EmailOtp)),
        other => panic!("expected the e-mail code, got {other:?}"),
    }
    assert!(matches!(
        step(flow.answer(Answer::ResendCode).await),
        Step::Code(_)
    ));
    signed_in(flow.answer(code("123456")).await);
    assert_answered(
        &fake.body(1),
        "SELECT_CHALLENGE",
        "s1",
        &[("ANSWER", "EMAIL_OTP")],
    );
    assert_answered(
        &fake.body(3),
        "SELECT_CHALLENGE",
        "s3",
        &[("ANSWER", "EMAIL_OTP")],
    );
    assert_answered(
        &fake.body(4),
        "EMAIL_OTP",
        "s4",
        &[("EMAIL_OTP_CODE", "123456")],
    );
}

#[tokio::test]
async fn user_auth_with_a_preferred_password_sends_it_at_once() {
    let mut settings = scripted_settings(AuthFlow::UserAuth);
    settings.preferred_challenge = Some("PASSWORD".into());
    let (fake, mut flow) = scripted(settings, vec![tokens()]).await;
    signed_in(flow.answer(sign_in_as_alice()).await);
    assert_eq!(
        fake.body(0)["AuthParameters"],
        json!({"USERNAME": "alice", "PASSWORD": "pw", "PREFERRED_CHALLENGE": "PASSWORD", "SECRET_HASH": hash_for("alice")})
    );
}

#[tokio::test]
async fn a_passkey_challenge_without_request_options_is_refused_with_a_sentence() {
    let mut settings = scripted_settings(AuthFlow::UserAuth);
    settings.preferred_challenge = Some("EMAIL_OTP".into());
    let (_fake, mut flow) = scripted(
        settings,
        vec![challenge("WEB_AUTHN", "s1", json!({"USERNAME": "alice"}))],
    )
    .await;
    let sign_in = Answer::SignIn {
        username: "alice".into(),
        password: "".into(),
    };
    let refused = flow.answer(sign_in).await;
    assert!(
        refusal(&refused)
            .sentence
            .contains("has no CREDENTIAL_REQUEST_OPTIONS"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_unknown_challenge_is_unsupported_and_a_misfit_answer_is_refused() {
    let (fake, mut flow) = scripted(
        scripted_settings(AuthFlow::UserPassword),
        vec![challenge(
            "DEVICE_SRP_AUTH",
            "s1",
            json!({"USERNAME": "alice"}),
        )],
    )
    .await;
    // A code on the sign-in step does not fit: refused, no call.
    refusal(&flow.answer(code("123456")).await);
    assert!(fake.operations().is_empty());
    assert_eq!(
        step(flow.answer(sign_in_as_alice()).await),
        Step::Failed {
            problem: auth::Problem::sentence(
                "This challenge is not supported yet: DEVICE_SRP_AUTH"
            )
        }
    );
}
