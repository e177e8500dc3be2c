//! The sign-in story through the real auth task and wire client: against the local
//! pool for the happy and unhappy paths, and against a scripted fake endpoint for
//! what a broken or hostile server can send.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cognito_signin::auth::{self, Answer, AuthFlow, Command, Event, FlowSettings, Step};
use cognito_signin::cognito::{Client, Endpoint};
use cognito_signin::local_pool::{self, RunningPool};
use cognito_signin::sensitive::SensitiveString;
use common::{BOUND, FakeCognito, Reply, next_settled};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::json;

const ALICE_PASSWORD: &str = "Demo-Password-1!";

async fn demo_pool() -> RunningPool {
    local_pool::start(Some(local_pool::demo_pool_file()), 0)
        .await
        .unwrap()
}

/// Settings for the demo pool's public client (or its client with a secret).
fn demo_settings(pool: &RunningPool, with_secret: bool, auth_flow: AuthFlow) -> FlowSettings {
    let demo = &pool.preloaded()[0];
    let client = demo
        .clients
        .iter()
        .find(|c| c.client_secret.is_some() == with_secret)
        .expect("the demo pool has both kinds of client");
    FlowSettings {
        user_pool_id: demo.pool_id.clone(),
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.as_deref().map(SensitiveString::from),
        auth_flow,
        ..Default::default()
    }
}

fn start_flow(settings: FlowSettings, url: &str) -> auth::FrontEndChannels {
    let client = Client::new(Endpoint {
        url: url.to_owned(),
    })
    .unwrap();
    auth::spawn(settings, client, String::new()).0
}

async fn answer(channels: &mut auth::FrontEndChannels, username: &str, password: &str) -> Event {
    channels
        .commands
        .send(Command::Answer(Answer::SignIn {
            username: username.into(),
            password: password.into(),
        }))
        .await
        .unwrap();
    next_settled(channels).await
}

async fn first_step(channels: &mut auth::FrontEndChannels) {
    assert_eq!(
        next_settled(channels).await,
        Event::Step(Step::SignIn {
            needs_password: true,
            username: String::new()
        })
    );
}

fn signed_in(event: Event) -> Box<auth::Tokens> {
    match event {
        Event::Step(Step::SignedIn { tokens }) => tokens,
        other => panic!("expected to be signed in, got {other:?}"),
    }
}

fn error_kind(event: &Event) -> Option<String> {
    match event {
        Event::Error(problem) => problem.kind.clone(),
        other => panic!("expected an error on the same screen, got {other:?}"),
    }
}

fn error_sentence(event: &Event) -> String {
    match event {
        Event::Error(problem) => problem.sentence.clone(),
        other => panic!("expected an error on the same screen, got {other:?}"),
    }
}

/// Checks a token against the pool's JWKS (signature, issuer, audience, token_use).
async fn verify(pool: &RunningPool, pool_id: &str, client_id: &str, token: &str, token_use: &str) {
    let jwks: JwkSet = reqwest::get(format!("{}/{pool_id}/.well-known/jwks.json", pool.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("the token's key is in the JWKS");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{pool_id}", pool.url())]);
    if token_use == "id" {
        validation.set_audience(&[client_id]);
    } else {
        validation.validate_aud = false;
    }
    let claims = jsonwebtoken::decode::<serde_json::Value>(
        token,
        &DecodingKey::from_jwk(jwk).unwrap(),
        &validation,
    )
    .expect("the token verifies against the pool's JWKS")
    .claims;
    assert_eq!(claims["token_use"], token_use);
    if token_use == "access" {
        assert_eq!(claims["client_id"], client_id);
    }
}

#[tokio::test]
async fn srp_sign_in_gives_tokens_that_verify_against_the_pools_jwks() {
    let pool = demo_pool().await;
    let settings = demo_settings(&pool, false, AuthFlow::UserSrp);
    let (pool_id, client_id) = (settings.user_pool_id.clone(), settings.client_id.clone());
    let mut channels = start_flow(settings, &format!("{}/", pool.url()));
    first_step(&mut channels).await;

    let tokens = signed_in(answer(&mut channels, "alice", ALICE_PASSWORD).await);

    assert_eq!(tokens.issued(), vec!["access", "id", "refresh"]);
    let claims = tokens.id_claims().unwrap();
    assert_eq!(claims.username.as_deref(), Some("alice"));
    assert_eq!(claims.email.as_deref(), Some("alice@example.com"));
    let result = &tokens.result;
    verify(
        &pool,
        &pool_id,
        &client_id,
        result.id_token.as_ref().unwrap().expose(),
        "id",
    )
    .await;
    verify(
        &pool,
        &pool_id,
        &client_id,
        result.access_token.expose(),
        "access",
    )
    .await;
    pool.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_keeps_the_sign_in_screen_and_a_retry_works() {
    let pool = demo_pool().await;
    let mut channels = start_flow(
        demo_settings(&pool, false, AuthFlow::UserSrp),
        &format!("{}/", pool.url()),
    );
    first_step(&mut channels).await;

    let refused = answer(&mut channels, "alice", "not-the-password").await;
    assert_eq!(
        error_kind(&refused).as_deref(),
        Some("NotAuthorizedException")
    );
    assert!(error_sentence(&refused).contains("Incorrect username or password."));

    signed_in(answer(&mut channels, "alice", ALICE_PASSWORD).await);
    pool.shutdown().await;
}

#[tokio::test]
async fn an_unknown_user_is_told_so() {
    let pool = demo_pool().await;
    let mut channels = start_flow(
        demo_settings(&pool, false, AuthFlow::UserSrp),
        &format!("{}/", pool.url()),
    );
    first_step(&mut channels).await;
    let refused = answer(&mut channels, "nobody", "whatever-1").await;
    assert_eq!(
        error_kind(&refused).as_deref(),
        Some("UserNotFoundException")
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn user_password_auth_signs_in_too() {
    let pool = demo_pool().await;
    let mut channels = start_flow(
        demo_settings(&pool, false, AuthFlow::UserPassword),
        &format!("{}/", pool.url()),
    );
    first_step(&mut channels).await;
    signed_in(answer(&mut channels, "alice", ALICE_PASSWORD).await);
    let refused = answer(&mut channels, "alice", "wrong").await;
    assert_eq!(
        error_kind(&refused).as_deref(),
        Some("NotAuthorizedException")
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn a_client_with_a_secret_signs_in_with_secret_hash_in_both_flows() {
    let pool = demo_pool().await;
    for flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
        let mut channels = start_flow(
            demo_settings(&pool, true, flow),
            &format!("{}/", pool.url()),
        );
        first_step(&mut channels).await;
        signed_in(answer(&mut channels, "alice", ALICE_PASSWORD).await);
    }
    // Without the secret the same client is refused.
    let mut settings = demo_settings(&pool, true, AuthFlow::UserSrp);
    settings.client_secret = None;
    let mut channels = start_flow(settings, &format!("{}/", pool.url()));
    first_step(&mut channels).await;
    let refused = answer(&mut channels, "alice", ALICE_PASSWORD).await;
    assert_eq!(
        error_kind(&refused).as_deref(),
        Some("NotAuthorizedException")
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn a_challenge_not_handled_yet_becomes_a_clear_step() {
    let pool = demo_pool().await;
    let mut channels = start_flow(
        demo_settings(&pool, false, AuthFlow::UserSrp),
        &format!("{}/", pool.url()),
    );
    first_step(&mut channels).await;
    let temporary = pool.preloaded()[0]
        .users
        .iter()
        .find(|(name, _, _)| name == "bob")
        .map(|(_, password, _)| password.clone())
        .unwrap();
    assert_eq!(
        answer(&mut channels, "bob", &temporary).await,
        Event::Step(Step::Unsupported {
            challenge: "NEW_PASSWORD_REQUIRED".into()
        })
    );
    channels
        .commands
        .send(Command::Restart {
            username: "bob".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        next_settled(&mut channels).await,
        Event::Step(Step::SignIn {
            needs_password: true,
            username: "bob".into()
        })
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
    let fake = FakeCognito::start(|_, _| Reply::Json(500, json!({}))).await;
    let mut channels = start_flow(fake_settings(), &fake.url);
    first_step(&mut channels).await;
    assert!(error_sentence(&answer(&mut channels, "", "pw").await).contains("username"));
    assert!(error_sentence(&answer(&mut channels, "   ", "pw").await).contains("username"));
    assert!(error_sentence(&answer(&mut channels, "alice", "").await).contains("password"));
    assert!(fake.operations().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_names_the_endpoint_and_the_screen_stays() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let mut channels = start_flow(fake_settings(), &url);
    first_step(&mut channels).await;
    let refused = answer(&mut channels, "alice", "pw").await;
    assert!(
        error_sentence(&refused).contains(&format!("127.0.0.1:{port}")),
        "{refused:?}"
    );
    // Still on the sign-in step: another answer is taken (and refused the same way).
    let again = answer(&mut channels, "alice", "pw").await;
    assert!(matches!(again, Event::Error(_)));
}

#[tokio::test]
async fn garbage_json_and_an_html_500_become_sentences() {
    let garbage =
        FakeCognito::start(|_, _| Reply::Raw(200, "application/x-amz-json-1.1", "{not json")).await;
    let mut channels = start_flow(fake_settings(), &garbage.url);
    first_step(&mut channels).await;
    let refused = answer(&mut channels, "alice", "pw").await;
    assert!(matches!(refused, Event::Error(_)));

    let html = FakeCognito::start(|_, _| {
        Reply::Raw(
            500,
            "text/html",
            "<html><body><h1>Internal Server Error</h1></body></html>",
        )
    })
    .await;
    let mut channels = start_flow(fake_settings(), &html.url);
    first_step(&mut channels).await;
    let sentence = error_sentence(&answer(&mut channels, "alice", "pw").await);
    assert!(sentence.contains("500"), "{sentence}");
    assert!(!sentence.contains("<html>"), "{sentence}");
}

fn password_verifier_challenge(srp_b: &str) -> Reply {
    Reply::Json(
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
    let n_hex = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/vectors/cognito-srp.json"
        ))
        .expect("../shared/vectors/cognito-srp.json is beside the project"),
    )
    .unwrap()["N_hex"]
        .as_str()
        .unwrap()
        .to_owned();
    for hostile_b in ["0", "00", n_hex.as_str()] {
        let b = hostile_b.to_owned();
        let fake = FakeCognito::start(move |_, _| password_verifier_challenge(&b)).await;
        let mut channels = start_flow(fake_settings(), &fake.url);
        first_step(&mut channels).await;
        let refused = answer(&mut channels, "alice", "pw").await;
        assert!(error_sentence(&refused).contains("SRP_B"), "{refused:?}");
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
        _ => Reply::Json(
            400,
            json!({"__type": "NotAuthorizedException", "message": "Invalid session for the user, session is expired."}),
        ),
    })
    .await;
    let mut channels = start_flow(fake_settings(), &fake.url);
    first_step(&mut channels).await;
    let refused = answer(&mut channels, "alice", "pw").await;
    assert_eq!(
        error_kind(&refused).as_deref(),
        Some("NotAuthorizedException")
    );
    assert!(error_sentence(&refused).contains("session is expired"));
    assert_eq!(
        fake.operations(),
        vec!["InitiateAuth", "RespondToAuthChallenge"]
    );
    let answered = &fake.calls.lock().unwrap()[1].1;
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
    let fake = FakeCognito::start(|_, _| Reply::Hang).await;
    let client = Client::new(Endpoint {
        url: fake.url.clone(),
    })
    .unwrap();
    let (mut channels, task) = auth::spawn(fake_settings(), client, String::new());
    first_step(&mut channels).await;
    channels
        .commands
        .send(Command::Answer(Answer::SignIn {
            username: "alice".into(),
            password: "pw".into(),
        }))
        .await
        .unwrap();
    let busy = tokio::time::timeout(BOUND, channels.events.recv())
        .await
        .unwrap();
    assert_eq!(busy, Some(Event::Busy));
    drop(channels);
    tokio::time::timeout(BOUND, task)
        .await
        .expect("the task ends when the front end goes away")
        .unwrap();
}
