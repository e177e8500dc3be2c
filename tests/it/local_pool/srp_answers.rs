//! The SRP answers (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) with
//! and without a Session, as pycognito sends them; the sealed SECRET_BLOCK that makes
//! that safe (forged, foreign, expired and replayed blocks are refused); and TIMESTAMP
//! in Cognito's exact form.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_signin::crypto::{
    DeviceVerifier, PasswordVerifierInput, SrpClient, format_timestamp, secret_hash,
};
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{
    CLIENT_SECRET, MFA_ON_CLIENT_ID, MFA_ON_POOL_ID, PASSWORD, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID,
};
use cognito_signin::outbox::Medium;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::support::pool::{
    Answer, call, demo_pool, initiate, last_code, now_timestamp, password_verifier_responses,
    respond,
};

/// RespondToAuthChallenge with no Session at all, as pycognito sends its SRP answers.
async fn answer_without_session(
    pool: &RunningPool,
    client_id: &str,
    challenge: &str,
    responses: Value,
) -> Answer {
    call(
        pool,
        "RespondToAuthChallenge",
        json!({"ClientId": client_id, "ChallengeName": challenge, "ChallengeResponses": responses}),
    )
    .await
}

/// A challenge parameter, as text.
fn parameter(body: &Value, name: &str) -> String {
    body["ChallengeParameters"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body:?}"))
        .to_owned()
}

fn assert_tokens(body: &Value) {
    assert!(
        body["AuthenticationResult"]["AccessToken"].is_string(),
        "{body:?}"
    );
}

/// USER_SRP_AUTH for alice with the public client: the SRP client and the challenge.
async fn alice_srp(pool: &RunningPool) -> (SrpClient, Value) {
    let client = SrpClient::new();
    let challenge = initiate(
        pool,
        PUBLIC_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": "alice", "SRP_A": client.public_a_hex()}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    (client, challenge)
}

/// The same answer with one response replaced.
fn with(responses: &Value, name: &str, value: &str) -> Value {
    let mut changed = responses.clone();
    changed[name] = json!(value);
    changed
}

// ------------------------------------------------------- without a Session

#[tokio::test]
async fn password_verifier_without_a_session_signs_in() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    assert!(
        challenge["Session"].is_string(),
        "a Session is still issued"
    );
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    let body = answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .ok();
    assert_tokens(&body);
}

#[tokio::test]
async fn password_verifier_with_its_session_still_signs_in() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    let body = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge["Session"],
        responses,
    )
    .await
    .ok();
    assert_tokens(&body);
}

/// Signs mona in with e-mail MFA, confirms the new device and remembers it: the
/// device key, its group key and its password.
async fn mona_remembers_a_device(pool: &RunningPool) -> (String, String, String) {
    let challenge = initiate(
        pool,
        MFA_ON_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "mona", "PASSWORD": PASSWORD}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    let code = last_code(pool, "mona", Medium::Email);
    let body = respond(
        pool,
        MFA_ON_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "mona", "EMAIL_OTP_CODE": code}),
    )
    .await
    .ok();
    let result = &body["AuthenticationResult"];
    let access_token = result["AccessToken"].as_str().unwrap().to_owned();
    let metadata = &result["NewDeviceMetadata"];
    let device_key = metadata["DeviceKey"].as_str().unwrap().to_owned();
    let group_key = metadata["DeviceGroupKey"].as_str().unwrap().to_owned();
    let (verifier, device_password) = DeviceVerifier::random(&group_key, &device_key);
    call(
        pool,
        "ConfirmDevice",
        json!({
            "AccessToken": access_token,
            "DeviceKey": device_key,
            "DeviceName": "pycognito-box",
            "DeviceSecretVerifierConfig": {
                "PasswordVerifier": verifier.password_verifier_b64,
                "Salt": verifier.salt_b64,
            },
        }),
    )
    .await
    .ok();
    call(
        pool,
        "UpdateDeviceStatus",
        json!({
            "AccessToken": access_token,
            "DeviceKey": device_key,
            "DeviceRememberedStatus": "remembered",
        }),
    )
    .await
    .ok();
    (device_key, group_key, device_password.expose().to_owned())
}

/// PASSWORD_CLAIM_SIGNATURE for a challenge of `challenge`, signed as `user_id` in `realm`.
fn claim_signature(
    client: &SrpClient,
    challenge: &Value,
    realm: &str,
    user_id: &str,
    password: &str,
    timestamp: &str,
) -> String {
    client
        .password_claim_signature(&PasswordVerifierInput {
            realm,
            user_id,
            password,
            srp_b_hex: &parameter(challenge, "SRP_B"),
            salt_hex: &parameter(challenge, "SALT"),
            secret_block_b64: &parameter(challenge, "SECRET_BLOCK"),
            timestamp,
        })
        .unwrap()
}

#[tokio::test]
async fn a_remembered_device_signs_in_with_no_session_on_any_srp_answer_as_pycognito_sends_them() {
    let pool = demo_pool().await;
    let (device_key, group_key, device_password) = mona_remembers_a_device(&pool).await;
    let realm = MFA_ON_POOL_ID.split_once('_').unwrap().1;

    // AWSSRP.authenticate_user: USER_SRP_AUTH with DEVICE_KEY ...
    let user_srp = SrpClient::new();
    let challenge = initiate(
        &pool,
        MFA_ON_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": "mona", "SRP_A": user_srp.public_a_hex(), "DEVICE_KEY": device_key}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    // ... and PASSWORD_VERIFIER with DEVICE_KEY in ChallengeResponses, no Session.
    let timestamp = now_timestamp();
    let user_id = parameter(&challenge, "USER_ID_FOR_SRP");
    let answer = answer_without_session(
        &pool,
        MFA_ON_CLIENT_ID,
        "PASSWORD_VERIFIER",
        json!({
            "TIMESTAMP": timestamp,
            "USERNAME": parameter(&challenge, "USERNAME"),
            "PASSWORD_CLAIM_SECRET_BLOCK": parameter(&challenge, "SECRET_BLOCK"),
            "PASSWORD_CLAIM_SIGNATURE":
                claim_signature(&user_srp, &challenge, realm, &user_id, PASSWORD, &timestamp),
            "DEVICE_KEY": device_key,
        }),
    )
    .await
    .ok();
    assert_eq!(answer["ChallengeName"], "DEVICE_SRP_AUTH", "{answer:?}");

    // AWSSRP.authenticate_device: DEVICE_SRP_AUTH with USERNAME, SRP_A, DEVICE_KEY ...
    let device_srp = SrpClient::new();
    let device_challenge = answer_without_session(
        &pool,
        MFA_ON_CLIENT_ID,
        "DEVICE_SRP_AUTH",
        json!({"USERNAME": "mona", "SRP_A": device_srp.public_a_hex(), "DEVICE_KEY": device_key}),
    )
    .await
    .ok();
    assert_eq!(
        device_challenge["ChallengeName"],
        "DEVICE_PASSWORD_VERIFIER"
    );
    assert_eq!(parameter(&device_challenge, "DEVICE_KEY"), device_key);
    // ... then DEVICE_PASSWORD_VERIFIER, signed with the device's own password.
    let timestamp = now_timestamp();
    let body = answer_without_session(
        &pool,
        MFA_ON_CLIENT_ID,
        "DEVICE_PASSWORD_VERIFIER",
        json!({
            "TIMESTAMP": timestamp,
            "USERNAME": "mona",
            "PASSWORD_CLAIM_SECRET_BLOCK": parameter(&device_challenge, "SECRET_BLOCK"),
            "PASSWORD_CLAIM_SIGNATURE": claim_signature(
                &device_srp, &device_challenge, &group_key, &device_key, &device_password, &timestamp,
            ),
            "DEVICE_KEY": device_key,
        }),
    )
    .await
    .ok();
    // The remembered device stands in for MFA: tokens, and no new device.
    assert_tokens(&body);
    assert!(body["AuthenticationResult"]["NewDeviceMetadata"].is_null());
}

#[tokio::test]
async fn device_srp_auth_without_a_session_needs_a_password_proved_for_that_device() {
    let pool = demo_pool().await;
    let (device_key, _, _) = mona_remembers_a_device(&pool).await;
    let answer = answer_without_session(
        &pool,
        MFA_ON_CLIENT_ID,
        "DEVICE_SRP_AUTH",
        json!({"USERNAME": "mona", "SRP_A": SrpClient::new().public_a_hex(), "DEVICE_KEY": device_key}),
    )
    .await;
    answer.assert_error("NotAuthorizedException", "Invalid session for the user.");
}

#[tokio::test]
async fn other_answers_still_need_their_session() {
    let pool = demo_pool().await;
    let answer = answer_without_session(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        json!({"USERNAME": "sam", "SMS_MFA_CODE": "123456"}),
    )
    .await;
    answer.assert_error(
        "InvalidParameterException",
        "Missing required parameter Session",
    );
}

// ------------------------------------------------------- the sealed block

#[tokio::test]
async fn a_secret_block_is_used_once() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    let first = answer_without_session(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        responses.clone(),
    )
    .await;
    assert_tokens(&first.ok());
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .assert_error(
            "NotAuthorizedException",
            "Invalid session for the user, session can only be used once.",
        );
}

#[tokio::test]
async fn a_wrong_proof_uses_up_its_block() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let timestamp = now_timestamp();
    let wrong = password_verifier_responses(&client, &challenge, "Not-Her-Password-1!", &timestamp);
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", wrong)
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    let right = password_verifier_responses(&client, &challenge, PASSWORD, &timestamp);
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", right)
        .await
        .assert_error(
            "NotAuthorizedException",
            "Invalid session for the user, session can only be used once.",
        );
}

#[tokio::test]
async fn a_forged_secret_block_is_refused() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let mut block = STANDARD
        .decode(parameter(&challenge, "SECRET_BLOCK"))
        .unwrap();
    let last = block.len() - 1;
    block[last] ^= 1;
    let mut forged = challenge.clone();
    forged["ChallengeParameters"]["SECRET_BLOCK"] = json!(STANDARD.encode(&block));
    // Signed correctly over the forged block: only the seal can tell.
    let responses = password_verifier_responses(&client, &forged, PASSWORD, &now_timestamp());
    answer_without_session(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        responses.clone(),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    let not_base64 = with(&responses, "PASSWORD_CLAIM_SECRET_BLOCK", "not base64!");
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", not_base64)
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn a_secret_block_for_another_user_or_client_is_refused() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    // Another user.
    answer_without_session(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        with(&responses, "USERNAME", "bob"),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    // Another client of the same pool (with its SECRET_HASH right).
    let hash = secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET);
    answer_without_session(
        &pool,
        SECRET_CLIENT_ID,
        "PASSWORD_VERIFIER",
        with(&responses, "SECRET_HASH", &hash),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    // Neither used the block up: the right answer still signs in.
    let body = answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .ok();
    assert_tokens(&body);
}

#[tokio::test]
async fn an_expired_secret_block_says_the_session_expired() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    pool.advance_clock(Duration::from_secs(181));
    let timestamp = format_timestamp(OffsetDateTime::now_utc() + time::Duration::seconds(181));
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &timestamp);
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .assert_error(
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        );
}

#[tokio::test]
async fn a_session_sent_with_a_block_must_be_the_one_issued_with_it() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let (_, other) = alice_srp(&pool).await;
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &other["Session"],
        responses,
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid session for the user.");
}

// ------------------------------------------------------- TIMESTAMP

#[tokio::test]
async fn a_timestamp_of_another_shape_is_an_invalid_parameter_and_uses_nothing() {
    let pool = demo_pool().await;
    let (client, challenge) = alice_srp(&pool).await;
    let iso = "2026-11-03T09:05:07Z";
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, iso);
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .assert_error(
            "InvalidParameterException",
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        );
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &now_timestamp());
    let body = answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .ok();
    assert_tokens(&body);
}

/// The pool's clock moved to a day of the month below 10, and that moment.
fn move_to_a_single_digit_day(pool: &RunningPool) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let days = (0..31)
        .find(|days| (now + time::Duration::days(*days)).day() < 10)
        .unwrap();
    pool.advance_clock(Duration::from_secs(u64::try_from(days).unwrap() * 86_400));
    now + time::Duration::days(days)
}

#[tokio::test]
async fn a_zero_padded_day_is_refused_as_a_wrong_proof() {
    let pool = demo_pool().await;
    let at = move_to_a_single_digit_day(&pool);
    let (client, challenge) = alice_srp(&pool).await;
    let exact = format_timestamp(at);
    let padded = exact.replacen(&format!(" {} ", at.day()), &format!(" 0{} ", at.day()), 1);
    assert_ne!(padded, exact);
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &padded);
    answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    // The same moment, in Cognito's exact form, signs in.
    let (client, challenge) = alice_srp(&pool).await;
    let responses = password_verifier_responses(&client, &challenge, PASSWORD, &exact);
    let body = answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses)
        .await
        .ok();
    assert_tokens(&body);
}

#[tokio::test]
async fn a_timestamp_within_five_minutes_passes_and_one_further_off_is_a_wrong_proof() {
    let pool = demo_pool().await;
    let now = OffsetDateTime::now_utc();
    for (offset, signs_in) in [(-270, true), (270, true), (-330, false), (330, false)] {
        let (client, challenge) = alice_srp(&pool).await;
        let timestamp = format_timestamp(now + time::Duration::seconds(offset));
        let responses = password_verifier_responses(&client, &challenge, PASSWORD, &timestamp);
        let answer =
            answer_without_session(&pool, PUBLIC_CLIENT_ID, "PASSWORD_VERIFIER", responses).await;
        if signs_in {
            assert_tokens(&answer.ok());
        } else {
            answer.assert_error("NotAuthorizedException", "Incorrect username or password.");
        }
    }
}
