//! Temporary lockout after failed sign-in attempts, on the pool's clock: five failures
//! are free, then 2^(n−5) seconds, up to 15 minutes; "Password attempts exceeded"
//! during the lock, whatever the password; one count for every password flow and for
//! MFA codes; a sign-in or 15 quiet minutes start the count again.

use std::time::Duration;

use cognito_signin::crypto::SrpClient;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{PASSWORD, PUBLIC_CLIENT_ID};
use cognito_signin::outbox::Medium;
use serde_json::{Value, json};

use crate::support::other_code;
use crate::support::pool::{
    Answer, call, demo_pool, initiate, last_code, now_timestamp, password_sign_in,
    password_verifier_responses, respond,
};

const WRONG: &str = "Not-The-Password-1!";

fn assert_locked(answer: &Answer) {
    answer.assert_error("NotAuthorizedException", "Password attempts exceeded");
}

fn assert_incorrect(answer: &Answer) {
    answer.assert_error("NotAuthorizedException", "Incorrect username or password.");
}

fn assert_tokens(body: &Value) {
    assert!(
        body["AuthenticationResult"]["AccessToken"].is_string(),
        "{body:?}"
    );
}

/// `count` wrong USER_PASSWORD_AUTH passwords for alice, each refused as incorrect.
async fn fail_times(pool: &RunningPool, count: usize) {
    for _ in 0..count {
        assert_incorrect(&password_sign_in(pool, PUBLIC_CLIENT_ID, "alice", WRONG).await);
    }
}

/// An SRP sign-in of alice, proving `password`: the PASSWORD_VERIFIER answer.
async fn srp_attempt(pool: &RunningPool, password: &str) -> Answer {
    let client = SrpClient::new();
    let challenge = initiate(
        pool,
        PUBLIC_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": "alice", "SRP_A": client.public_a_hex()}),
    )
    .await
    .ok();
    let responses = password_verifier_responses(&client, &challenge, password, &now_timestamp());
    respond(
        pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge["Session"],
        responses,
    )
    .await
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_user_even_against_the_right_one() {
    let pool = demo_pool().await;
    fail_times(&pool, 5).await;
    assert_locked(&password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD).await);
    // The fifth failure locks for 2^0 = 1 second; then the right password signs in.
    pool.advance_clock(Duration::from_secs(1));
    assert_tokens(
        &password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
            .await
            .ok(),
    );
    // Signing in started the count again: one more failure does not lock.
    fail_times(&pool, 1).await;
    assert_tokens(
        &password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
            .await
            .ok(),
    );
}

#[tokio::test]
async fn four_wrong_passwords_do_not_lock() {
    let pool = demo_pool().await;
    fail_times(&pool, 4).await;
    assert_tokens(
        &password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
            .await
            .ok(),
    );
}

#[tokio::test]
async fn each_further_failure_doubles_the_lock_up_to_fifteen_minutes() {
    let pool = demo_pool().await;
    fail_times(&pool, 5).await;
    pool.advance_clock(Duration::from_secs(1));
    // Failures 6 to 15, each once the lock before it ended: 2, 4, … 512 s, then 15 minutes.
    for failures in 6..=15u32 {
        fail_times(&pool, 1).await;
        let lock = (1u64 << (failures - 5)).min(15 * 60);
        // An attempt just before the lock ends is refused and does not lengthen it.
        pool.advance_clock(Duration::from_secs(lock - 1));
        assert_locked(&password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD).await);
        pool.advance_clock(Duration::from_secs(1));
    }
    assert_tokens(
        &password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
            .await
            .ok(),
    );
}

#[tokio::test]
async fn fifteen_quiet_minutes_forget_the_failures() {
    let pool = demo_pool().await;
    fail_times(&pool, 4).await;
    pool.advance_clock(Duration::from_secs(15 * 60));
    // Counted from 0 again: four more failures still do not lock.
    fail_times(&pool, 4).await;
    assert_tokens(
        &password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
            .await
            .ok(),
    );
}

#[tokio::test]
async fn srp_and_admin_password_failures_share_the_count() {
    let pool = demo_pool().await;
    for _ in 0..2 {
        assert_incorrect(&srp_attempt(&pool, WRONG).await);
    }
    fail_times(&pool, 2).await;
    let admin = call(
        &pool,
        "AdminInitiateAuth",
        json!({
            "UserPoolId": cognito_signin::local_pool::demo::POOL_ID,
            "ClientId": PUBLIC_CLIENT_ID,
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": WRONG},
        }),
    )
    .await;
    assert_incorrect(&admin);
    // Five failures across three flows: the right SRP proof is refused during the lock.
    assert_locked(&srp_attempt(&pool, PASSWORD).await);
    pool.advance_clock(Duration::from_secs(1));
    assert_tokens(&srp_attempt(&pool, PASSWORD).await.ok());
}

/// sam's SMS_MFA challenge after his password.
async fn sam_mfa_challenge(pool: &RunningPool) -> Value {
    let challenge = password_sign_in(pool, PUBLIC_CLIENT_ID, "sam", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    challenge
}

async fn sms_answer(pool: &RunningPool, challenge: &Value, code: &str) -> Answer {
    respond(
        pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
}

#[tokio::test]
async fn wrong_mfa_codes_lock_like_wrong_passwords() {
    let pool = demo_pool().await;
    // Five wrong codes over three sign-ins (a session takes three wrong answers at most).
    for wrong_in_session in [2, 2, 1] {
        let challenge = sam_mfa_challenge(&pool).await;
        let wrong = other_code(&last_code(&pool, "sam", Medium::Sms));
        for _ in 0..wrong_in_session {
            sms_answer(&pool, &challenge, &wrong)
                .await
                .assert_error_type("CodeMismatchException");
        }
    }
    // Locked: the password is refused, and so is the right code of a live session.
    assert_locked(&password_sign_in(&pool, PUBLIC_CLIENT_ID, "sam", PASSWORD).await);
    pool.advance_clock(Duration::from_secs(1));
    let challenge = sam_mfa_challenge(&pool).await;
    let code = last_code(&pool, "sam", Medium::Sms);
    sms_answer(&pool, &challenge, &other_code(&code))
        .await
        .assert_error_type("CodeMismatchException");
    assert_locked(&sms_answer(&pool, &challenge, &code).await);
    // After the lock (2 s for the sixth failure) the right code signs in.
    pool.advance_clock(Duration::from_secs(2));
    assert_tokens(&sms_answer(&pool, &challenge, &code).await.ok());
}
