//! A flood of sessions anyone can open (CUSTOM_AUTH needs only a username) against the
//! pool's cap on sessions, over loopback: the flood evicts itself, oldest first, while a
//! person waiting at an MFA code keeps their session, and honest sign-ins succeed
//! beside it. The pool never keeps more sessions than its cap, and after the flood
//! expires a sweep leaves none.

use std::time::Duration;

use cognito_signin::crypto::SrpClient;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{PASSWORD, PUBLIC_CLIENT_ID};
use cognito_signin::outbox::Medium;
use serde_json::{Value, json};

use crate::support::pool::{
    demo_pool, initiate, last_code, now_timestamp, password_sign_in, password_verifier_responses,
    respond,
};

/// The cap set for the test: small, so the flood passes it many times over quickly.
const CAP: usize = 40;

/// Sessions opened by the flood: ten times the cap.
const FLOOD: usize = CAP * 10;

/// Calls in flight at once during the flood.
const AT_ONCE: usize = 8;

/// A CUSTOM_AUTH InitiateAuth for cody (the demo's custom-challenge user): its Session.
async fn custom_session(pool: &RunningPool) -> Value {
    let answer = initiate(
        pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody"}),
    )
    .await
    .ok();
    assert_eq!(answer["ChallengeName"], "CUSTOM_CHALLENGE");
    answer["Session"].clone()
}

/// cody's answer to the first custom round in `session`.
async fn answer_first_round(pool: &RunningPool, session: &Value) -> crate::support::pool::Answer {
    respond(
        pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_CHALLENGE",
        session,
        json!({"USERNAME": "cody", "ANSWER": "42"}),
    )
    .await
}

#[tokio::test]
async fn a_session_flood_past_the_cap_evicts_itself_and_spares_a_user_at_an_mfa_code() {
    let pool = demo_pool().await;
    pool.set_session_cap(CAP);

    // sam passed the password and waits at the SMS code.
    let challenge = password_sign_in(&pool, PUBLIC_CLIENT_ID, "sam", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    let code = last_code(&pool, "sam", Medium::Sms);

    // The flood: sessions that proved nothing, ten times the cap, a few at a time.
    let mut flood = Vec::new();
    while flood.len() < FLOOD {
        let batch = (0..AT_ONCE).map(|_| custom_session(&pool));
        flood.extend(futures::future::join_all(batch).await);
        assert!(
            pool.kept_sessions() <= CAP,
            "{} sessions kept, the cap is {CAP}",
            pool.kept_sessions()
        );
    }

    // The oldest of the flood were evicted: their sessions are refused as unknown ones.
    answer_first_round(&pool, &flood[0])
        .await
        .assert_error("NotAuthorizedException", "Invalid session for the user.");
    // The newest still works: the flood's own sessions are real ones.
    let next = answer_first_round(&pool, &flood[FLOOD - 1]).await.ok();
    assert_eq!(next["ChallengeName"], "CUSTOM_CHALLENGE");

    // sam's session outlived the flood: the code signs in.
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .ok();
    assert!(
        done["AuthenticationResult"]["AccessToken"].is_string(),
        "{done}"
    );

    // Honest sign-ins beside the flood: SRP (its session and its proof are capped too)
    // and a password alone.
    let srp = SrpClient::new();
    let verifier = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": "alice", "SRP_A": srp.public_a_hex()}),
    )
    .await
    .ok();
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    let responses = password_verifier_responses(&srp, &verifier, PASSWORD, &now_timestamp());
    let signed_in = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &verifier["Session"],
        responses,
    )
    .await
    .ok();
    assert!(signed_in["AuthenticationResult"]["RefreshToken"].is_string());
    let by_password = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok();
    assert!(by_password["AuthenticationResult"]["AccessToken"].is_string());
    assert!(pool.kept_sessions() <= CAP);

    // Once the flood's sessions are past their time, one sweep forgets them all.
    pool.advance_clock(Duration::from_secs(7 * 60));
    pool.sweep_now();
    assert_eq!(pool.kept_sessions(), 0);
    pool.shutdown().await;
}
