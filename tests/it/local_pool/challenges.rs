//! Every challenge the local pool issues, and how it checks each answer: MFA (SMS,
//! e-mail, TOTP, choosing, enrolling), new passwords with required attributes,
//! USER_AUTH and CUSTOM_AUTH; spoken to over HTTP as any Cognito client would.

use std::time::Duration;

use cognito_signin::crypto::{SrpClient, secret_hash, totp};
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{
    BOB_TEMPORARY_PASSWORD, CAROL_TOTP_SECRET, CLIENT_SECRET, MFA_ON_CLIENT_ID, MFA_ON_POOL_ID,
    PASSWORD, POOL_ID, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID,
};
use cognito_signin::outbox::Medium;
use serde_json::{Value, json};

use crate::support::pool::{
    Answer, call, client_of, demo_pool, empty_pool, initiate, last_delivery, now_timestamp,
    password_sign_in, password_verifier_responses, respond,
};
use crate::support::{other_code, totp_code, unix_now};

/// A demo user's USER_PASSWORD_AUTH sign-in with `client`: the successful answer.
async fn sign_in(pool: &RunningPool, client: &str, username: &str) -> Value {
    password_sign_in(pool, client, username, PASSWORD)
        .await
        .ok()
}

/// The code of the last message the pool "sent" to a user, in the pool's own words.
fn last_code(pool: &RunningPool, username: &str, medium: Medium) -> String {
    let delivery = last_delivery(pool, username, medium);
    assert_eq!(
        delivery.text,
        format!("Your verification code is {}.", delivery.code)
    );
    delivery.code
}

fn assert_tokens(body: &Value) {
    assert!(
        body["AuthenticationResult"]["AccessToken"].is_string(),
        "{body:?}"
    );
    assert!(body["ChallengeName"].is_null(), "{body:?}");
}

/// A 6-digit code that no step within the drift window accepts now.
fn wrong_totp_code(secret: &str) -> String {
    let bytes = totp::decode_secret(secret).unwrap();
    let now = unix_now();
    let valid: Vec<String> = [now - 60, now - 30, now, now + 30, now + 60]
        .iter()
        .map(|at| totp::code_at(&bytes, *at))
        .collect();
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|code| !valid.iter().any(|valid| valid == code))
        .unwrap()
        .to_owned()
}

fn parameter(body: &Value, name: &str) -> String {
    body["ChallengeParameters"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body:?}"))
        .to_owned()
}

// ---------------------------------------------------------------- MFA_SETUP

#[tokio::test]
async fn mfa_setup_enrols_an_authenticator_then_totp_signs_in() {
    let pool = demo_pool().await;
    let setup = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        parameter(&setup, "MFAS_CAN_SETUP"),
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );

    // Answering MFA_SETUP before anything is verified is refused, and the session survives.
    respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "MFA_SETUP",
        &setup["Session"],
        json!({"USERNAME": "dave"}),
    )
    .await
    .assert_error_type("InvalidParameterException");

    let associated = call(
        &pool,
        "AssociateSoftwareToken",
        json!({"Session": setup["Session"]}),
    )
    .await
    .ok();
    let secret = associated["SecretCode"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    assert!(totp::decode_secret(&secret).is_ok());
    assert_ne!(associated["Session"], setup["Session"]);

    // A wrong first code: EnableSoftwareTokenMFAException, the session stays usable.
    call(
        &pool,
        "VerifySoftwareToken",
        json!({"Session": associated["Session"], "UserCode": wrong_totp_code(&secret)}),
    )
    .await
    .assert_error(
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    );
    let first_code = totp_code(&secret, 0);
    let verified = call(
        &pool,
        "VerifySoftwareToken",
        json!({"Session": associated["Session"], "UserCode": first_code, "FriendlyDeviceName": "Dave's phone"}),
    )
    .await
    .ok();
    assert_eq!(verified["Status"], "SUCCESS");
    let done = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "MFA_SETUP",
        &verified["Session"],
        json!({"USERNAME": "dave"}),
    )
    .await
    .ok();
    assert_tokens(&done);

    // Enrolled: the next sign-in asks for a TOTP code from that device.
    let challenge = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        parameter(&challenge, "FRIENDLY_DEVICE_NAME"),
        "Dave's phone"
    );
    // The code used to verify cannot be used again…
    respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        &challenge["Session"],
        json!({"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": first_code}),
    )
    .await
    .assert_error_type("CodeMismatchException");
    // …the next step's code signs in.
    pool.advance_clock(Duration::from_secs(totp::STEP_SECONDS));
    let done = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        &challenge["Session"],
        json!({"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&secret, 1)}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn mfa_setup_by_email_sends_an_email_otp() {
    let pool = demo_pool().await;
    let setup = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    let challenge = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "MFA_SETUP",
        &setup["Session"],
        json!({"USERNAME": "dave", "EMAIL": "dave@example.com"}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        "d***@e***"
    );
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DELIVERY_MEDIUM"),
        "EMAIL"
    );
    let code = last_code(&pool, "dave", Medium::Email);
    let done = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "dave", "EMAIL_OTP_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);
    let again = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    assert_eq!(again["ChallengeName"], "EMAIL_OTP");
}

// ---------------------------------------------------------------- code challenges

#[tokio::test]
async fn software_token_mfa_takes_the_right_code_once() {
    let pool = demo_pool().await;
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "carol").await;
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        parameter(&challenge, "FRIENDLY_DEVICE_NAME"),
        "Demo authenticator"
    );
    let session = &challenge["Session"];
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        session,
        json!({"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": wrong_totp_code(CAROL_TOTP_SECRET)}),
    )
    .await
    .assert_error(
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
    );
    let code = totp_code(CAROL_TOTP_SECRET, 0);
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        session,
        json!({"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);

    // The same code in a new sign-in is refused: a code is used once.
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "carol").await;
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        &challenge["Session"],
        json!({"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": code}),
    )
    .await
    .assert_error(
        "CodeMismatchException",
        "Your software token has already been used once.",
    );
    pool.advance_clock(Duration::from_secs(totp::STEP_SECONDS));
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        &challenge["Session"],
        json!({"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totp_code(CAROL_TOTP_SECRET, 1)}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn sms_mfa_sends_a_code_to_the_outbox_and_a_wrong_one_can_be_retried() {
    let pool = demo_pool().await;
    let mut feed = pool.subscribe_outbox();
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "sam").await;
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        "+*******0101"
    );
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DELIVERY_MEDIUM"),
        "SMS"
    );
    let delivered = tokio::time::timeout(Duration::from_secs(5), feed.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(delivered.username, "sam");
    assert_eq!(delivered.destination, "+15555550101");
    assert_eq!(delivered.medium, Medium::Sms);
    let code = last_code(&pool, "sam", Medium::Sms);
    assert_eq!(code, delivered.code);
    assert_eq!(code.len(), 6);

    let wrong = other_code(&code);
    let session = &challenge["Session"];
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        session,
        json!({"USERNAME": "sam", "SMS_MFA_CODE": wrong}),
    )
    .await
    .assert_error(
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
    );
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        session,
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);
    // Single use: the code and its session are spent.
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        session,
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    );
}

#[tokio::test]
async fn email_otp_mfa_sends_a_code_by_email() {
    let pool = demo_pool().await;
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "erin").await;
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        "e***@e***"
    );
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DELIVERY_MEDIUM"),
        "EMAIL"
    );
    let code = last_code(&pool, "erin", Medium::Email);
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "erin", "EMAIL_OTP_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn three_wrong_codes_close_the_session() {
    let pool = demo_pool().await;
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "sam").await;
    let code = last_code(&pool, "sam", Medium::Sms);
    let wrong = other_code(&code);
    let session = &challenge["Session"];
    for _ in 0..2 {
        respond(
            &pool,
            PUBLIC_CLIENT_ID,
            "SMS_MFA",
            session,
            json!({"USERNAME": "sam", "SMS_MFA_CODE": wrong}),
        )
        .await
        .assert_error_type("CodeMismatchException");
    }
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        session,
        json!({"USERNAME": "sam", "SMS_MFA_CODE": wrong}),
    )
    .await
    .assert_error_type("NotAuthorizedException");
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        session,
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid session for the user.");
}

#[tokio::test]
async fn an_expired_session_says_so() {
    let pool = demo_pool().await;
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "sam").await;
    let code = last_code(&pool, "sam", Medium::Sms);
    pool.advance_clock(Duration::from_secs(181));
    // Someone else signing in meanwhile does not make the late answer "invalid".
    assert_tokens(&sign_in(&pool, PUBLIC_CLIENT_ID, "alice").await);
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    );
}

#[tokio::test]
async fn the_wrong_challenge_name_is_refused_and_the_session_kept() {
    let pool = demo_pool().await;
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "sam").await;
    let code = last_code(&pool, "sam", Medium::Sms);
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "sam", "EMAIL_OTP_CODE": code}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn a_client_with_a_secret_needs_the_secret_hash_on_every_answer() {
    let pool = demo_pool().await;
    let hash = secret_hash("sam", SECRET_CLIENT_ID, CLIENT_SECRET);
    let challenge = initiate(
        &pool,
        SECRET_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "sam", "PASSWORD": PASSWORD, "SECRET_HASH": hash}),
    )
    .await
    .ok();
    let code = last_code(&pool, "sam", Medium::Sms);
    respond(
        &pool,
        SECRET_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code}),
    )
    .await
    .assert_error_type("NotAuthorizedException");
    let done = respond(
        &pool,
        SECRET_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "sam", "SMS_MFA_CODE": code, "SECRET_HASH": hash}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

// ---------------------------------------------------------------- SELECT_MFA_TYPE

#[tokio::test]
async fn select_mfa_type_offers_the_users_factors_and_sends_the_chosen_code() {
    let pool = demo_pool().await;
    let choose = sign_in(&pool, PUBLIC_CLIENT_ID, "chad").await;
    assert_eq!(choose["ChallengeName"], "SELECT_MFA_TYPE");
    assert_eq!(
        parameter(&choose, "MFAS_CAN_CHOOSE"),
        r#"["SMS_MFA","EMAIL_OTP"]"#
    );
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_MFA_TYPE",
        &choose["Session"],
        json!({"USERNAME": "chad", "ANSWER": "SOFTWARE_TOKEN_MFA"}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    let challenge = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_MFA_TYPE",
        &choose["Session"],
        json!({"USERNAME": "chad", "ANSWER": "SMS_MFA"}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        "+*******0102"
    );
    let code = last_code(&pool, "chad", Medium::Sms);
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SMS_MFA",
        &challenge["Session"],
        json!({"USERNAME": "chad", "SMS_MFA_CODE": code}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

// ---------------------------------------------------------------- NEW_PASSWORD_REQUIRED

#[tokio::test]
async fn a_new_password_with_its_required_attribute_then_mfa_setup() {
    let pool = demo_pool().await;
    call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": MFA_ON_POOL_ID, "Username": "newbie", "TemporaryPassword": "Temp-Password-9!"}),
    )
    .await
    .ok();
    let challenge = initiate(
        &pool,
        MFA_ON_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "newbie", "PASSWORD": "Temp-Password-9!"}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(
        parameter(&challenge, "requiredAttributes"),
        r#"["userAttributes.name"]"#
    );
    assert_eq!(parameter(&challenge, "userAttributes"), "{}");
    let session = &challenge["Session"];
    let answer = |password: &str, name: Option<&str>| {
        let mut responses = json!({"USERNAME": "newbie", "NEW_PASSWORD": password});
        if let Some(name) = name {
            responses["userAttributes.name"] = json!(name);
        }
        responses
    };
    respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "NEW_PASSWORD_REQUIRED",
        session,
        answer("weakpassword", Some("New Bie")),
    )
    .await
    .assert_error(
        "InvalidPasswordException",
        "Password does not conform to policy: Password must have uppercase characters",
    );
    respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "NEW_PASSWORD_REQUIRED",
        session,
        answer("Chosen-Password-3!", None),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "Invalid attributes given, name is missing",
    );
    let next = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "NEW_PASSWORD_REQUIRED",
        session,
        answer("Chosen-Password-3!", Some("New Bie")),
    )
    .await
    .ok();
    // The pool requires MFA, so enrolment follows the new password.
    assert_eq!(next["ChallengeName"], "MFA_SETUP");
    let user = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": MFA_ON_POOL_ID, "Username": "newbie"}),
    )
    .await
    .ok();
    assert_eq!(user["UserStatus"], "CONFIRMED");
    assert!(
        user["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["Name"] == "name" && a["Value"] == "New Bie")
    );
}

#[tokio::test]
async fn create_user_pool_schema_makes_attributes_required() {
    let pool = empty_pool().await;
    let created = call(
        &pool,
        "CreateUserPool",
        json!({"PoolName": "schema", "Schema": [{"Name": "given_name", "AttributeDataType": "String", "Required": true}]}),
    )
    .await
    .ok();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
    )
    .await
    .ok();
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "u", "TemporaryPassword": "Temp-Password-9!"}),
    )
    .await
    .ok();
    let challenge = initiate(
        &pool,
        &client_id,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "u", "PASSWORD": "Temp-Password-9!"}),
    )
    .await
    .ok();
    assert_eq!(
        parameter(&challenge, "requiredAttributes"),
        r#"["userAttributes.given_name"]"#
    );
    pool.shutdown().await;
}

// ---------------------------------------------------------------- USER_AUTH

async fn user_auth(pool: &RunningPool, parameters: Value) -> Value {
    initiate(pool, PUBLIC_CLIENT_ID, "USER_AUTH", parameters)
        .await
        .ok()
}

#[tokio::test]
async fn user_auth_offers_the_factors_the_user_can_use() {
    let pool = demo_pool().await;
    let select = user_auth(&pool, json!({"USERNAME": "pat"})).await;
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
    );
    let alice = user_auth(&pool, json!({"USERNAME": "alice"})).await;
    assert_eq!(
        alice["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "pat", "ANSWER": "WEB_AUTHN"}),
    )
    .await
    .assert_error_type("InvalidParameterException");
}

/// pat chooses `factor` (EMAIL_OTP or SMS_OTP) at SELECT_CHALLENGE: the code goes to
/// `destination` by `medium`, and answering it with `<factor>_CODE` gives tokens.
async fn pat_signs_in_with_a_code(factor: &str, medium: Medium, destination: &str) {
    let pool = demo_pool().await;
    let select = user_auth(&pool, json!({"USERNAME": "pat"})).await;
    let challenge = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "pat", "ANSWER": factor}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], factor);
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        destination
    );
    let code = last_code(&pool, "pat", medium);
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        factor,
        &challenge["Session"],
        json!({"USERNAME": "pat", format!("{factor}_CODE"): code}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn user_auth_with_an_email_code() {
    pat_signs_in_with_a_code("EMAIL_OTP", Medium::Email, "p***@e***").await;
}

#[tokio::test]
async fn user_auth_with_an_sms_code() {
    pat_signs_in_with_a_code("SMS_OTP", Medium::Sms, "+*******0103").await;
}

#[tokio::test]
async fn user_auth_with_a_password_and_a_wrong_one_first() {
    let pool = demo_pool().await;
    let select = user_auth(&pool, json!({"USERNAME": "pat"})).await;
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "pat", "ANSWER": "PASSWORD", "PASSWORD": "Wrong-Password-1!"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "pat", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD}),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn user_auth_with_srp() {
    let pool = demo_pool().await;
    let select = user_auth(&pool, json!({"USERNAME": "pat"})).await;
    let srp = SrpClient::new();
    let verifier = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "pat", "ANSWER": "PASSWORD_SRP", "SRP_A": srp.public_a_hex()}),
    )
    .await
    .ok();
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &verifier["Session"],
        password_verifier_responses(&srp, &verifier, PASSWORD, &now_timestamp()),
    )
    .await
    .ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn user_auth_with_a_preferred_challenge_skips_the_choice() {
    let pool = demo_pool().await;
    let done = user_auth(
        &pool,
        json!({"USERNAME": "pat", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD}),
    )
    .await;
    assert_tokens(&done);
    let email = user_auth(
        &pool,
        json!({"USERNAME": "pat", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
    )
    .await;
    assert_eq!(email["ChallengeName"], "EMAIL_OTP");
    let srp = SrpClient::new();
    let verifier = user_auth(
        &pool,
        json!({"USERNAME": "pat", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": srp.public_a_hex()}),
    )
    .await;
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    // A factor the user cannot use falls back to the choice.
    let select = user_auth(
        &pool,
        json!({"USERNAME": "cody", "PREFERRED_CHALLENGE": "SMS_OTP"}),
    )
    .await;
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    // MFA still follows a password factor.
    let mfa = user_auth(
        &pool,
        json!({"USERNAME": "sam", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD}),
    )
    .await;
    assert_eq!(mfa["ChallengeName"], "SMS_MFA");
}

// ---------------------------------------------------------------- CUSTOM_AUTH

async fn custom_answer(pool: &RunningPool, challenge: &Value, answer: &str) -> Answer {
    respond(
        pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_CHALLENGE",
        &challenge["Session"],
        json!({"USERNAME": "cody", "ANSWER": answer}),
    )
    .await
}

#[tokio::test]
async fn custom_auth_asks_two_rounds_and_repeats_a_round_answered_wrong() {
    let pool = demo_pool().await;
    let first = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody"}),
    )
    .await
    .ok();
    assert_eq!(first["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(
        first["ChallengeParameters"],
        json!({"question": "What is 6 times 7?"})
    );
    let again = custom_answer(&pool, &first, "41").await.ok();
    assert_eq!(again["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(parameter(&again, "question"), "What is 6 times 7?");
    assert_ne!(again["Session"], first["Session"]);
    let second = custom_answer(&pool, &again, "42").await.ok();
    assert_eq!(parameter(&second, "question"), "Spell cognito backwards.");
    let done = custom_answer(&pool, &second, "otingoc").await.ok();
    assert_tokens(&done);
}

#[tokio::test]
async fn custom_auth_fails_after_three_wrong_answers() {
    let pool = demo_pool().await;
    let mut challenge = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody"}),
    )
    .await
    .ok();
    for _ in 0..2 {
        challenge = custom_answer(&pool, &challenge, "no idea").await.ok();
    }
    custom_answer(&pool, &challenge, "still no idea")
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn custom_auth_with_srp_proves_the_password_first() {
    let pool = demo_pool().await;
    let srp = SrpClient::new();
    let verifier = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody", "SRP_A": srp.public_a_hex(), "CHALLENGE_NAME": "SRP_A"}),
    )
    .await
    .ok();
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    let first = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &verifier["Session"],
        password_verifier_responses(&srp, &verifier, PASSWORD, &now_timestamp()),
    )
    .await
    .ok();
    assert_eq!(parameter(&first, "question"), "What is 6 times 7?");
    let second = custom_answer(&pool, &first, "42").await.ok();
    let done = custom_answer(&pool, &second, " otingoc ").await.ok();
    assert_tokens(&done);

    // A wrong password ends a custom sign-in.
    let srp = SrpClient::new();
    let verifier = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody", "SRP_A": srp.public_a_hex(), "CHALLENGE_NAME": "SRP_A"}),
    )
    .await
    .ok();
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &verifier["Session"],
        password_verifier_responses(&srp, &verifier, "Wrong-Password-1!", &now_timestamp()),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn custom_auth_needs_rounds() {
    let pool = demo_pool().await;
    initiate(
        &pool,
        MFA_ON_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "dave"}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    );
}

// ---------------------------------------------------------------- settings

#[tokio::test]
async fn a_signed_in_user_enrols_an_authenticator_with_the_access_token() {
    let pool = demo_pool().await;
    let tokens = sign_in(&pool, PUBLIC_CLIENT_ID, "alice").await;
    let access = tokens["AuthenticationResult"]["AccessToken"].clone();

    // Not associated yet: there is nothing to verify.
    call(
        &pool,
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": "123456"}),
    )
    .await
    .assert_error_type("SoftwareTokenMFANotFoundException");
    // Not verified yet: it cannot be enabled.
    call(
        &pool,
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "User has not verified software token mfa",
    );

    let associated = call(
        &pool,
        "AssociateSoftwareToken",
        json!({"AccessToken": access}),
    )
    .await
    .ok();
    let secret = associated["SecretCode"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    assert!(associated["Session"].is_null());
    let verified = call(
        &pool,
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": totp_code(&secret, 0), "FriendlyDeviceName": "Alice's phone"}),
    )
    .await
    .ok();
    assert_eq!(verified["Status"], "SUCCESS");
    call(
        &pool,
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .ok();
    let user = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": POOL_ID, "Username": "alice"}),
    )
    .await
    .ok();
    assert_eq!(user["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(user["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "alice").await;
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        parameter(&challenge, "FRIENDLY_DEVICE_NAME"),
        "Alice's phone"
    );

    call(
        &pool,
        "AssociateSoftwareToken",
        json!({"AccessToken": "not-a-token"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid Access Token");
}

#[tokio::test]
async fn an_administrator_adds_a_phone_and_turns_sms_mfa_on() {
    let pool = demo_pool().await;
    call(
        &pool,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "SMSMfaSettings": {"Enabled": true}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "User does not have delivery config set to turn on SMS_MFA",
    );
    call(
        &pool,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550199"}]}),
    )
    .await
    .ok();
    call(
        &pool,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .ok();
    let user = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": POOL_ID, "Username": "alice"}),
    )
    .await
    .ok();
    let attributes = user["UserAttributes"].as_array().unwrap();
    assert!(
        attributes
            .iter()
            .any(|a| a["Name"] == "phone_number_verified" && a["Value"] == "false")
    );
    let challenge = sign_in(&pool, PUBLIC_CLIENT_ID, "alice").await;
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    assert_eq!(
        parameter(&challenge, "CODE_DELIVERY_DESTINATION"),
        "+*******0199"
    );
    call(
        &pool,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "UserAttributes": [{"Name": "sub", "Value": "x"}]}),
    )
    .await
    .assert_error_type("InvalidParameterException");
}

#[tokio::test]
async fn pool_mfa_configuration_is_set_and_read() {
    let pool = demo_pool().await;
    let demo = call(
        &pool,
        "GetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID}),
    )
    .await
    .ok();
    assert_eq!(demo["MfaConfiguration"], "OPTIONAL");
    assert_eq!(demo["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    assert!(demo["SmsMfaConfiguration"].is_object());
    assert!(demo["EmailMfaConfiguration"].is_object());

    call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID, "MfaConfiguration": "ON"}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    let set = call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID, "MfaConfiguration": "ON",
               "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    )
    .await
    .ok();
    assert_eq!(set["MfaConfiguration"], "ON");
    assert!(set["SmsMfaConfiguration"].is_null());
    let described = call(&pool, "DescribeUserPool", json!({"UserPoolId": POOL_ID}))
        .await
        .ok();
    assert_eq!(described["UserPool"]["MfaConfiguration"], "ON");
    // SMS is off now, so sam (SMS only) must set up an authenticator.
    let setup = sign_in(&pool, PUBLIC_CLIENT_ID, "sam").await;
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        parameter(&setup, "MFAS_CAN_SETUP"),
        r#"["SOFTWARE_TOKEN_MFA"]"#
    );

    call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OFF"}),
    )
    .await
    .ok();
    let tokens = sign_in(&pool, PUBLIC_CLIENT_ID, "carol").await;
    assert_tokens(&tokens);
    call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID, "MfaConfiguration": "SOMETIMES"}),
    )
    .await
    .assert_error_type("InvalidParameterException");
}

// ---------------------------------------------------------------- the demo's promises

#[tokio::test]
async fn every_demo_user_reaches_the_challenge_it_promises() {
    let pool = demo_pool().await;
    let preloaded = &pool.preloaded()[0];
    assert!(
        preloaded
            .users
            .iter()
            .all(|(_, _, about)| !about.is_empty())
    );
    let carol = preloaded
        .users
        .iter()
        .find(|(name, _, _)| name == "carol")
        .unwrap();
    assert!(carol.2.contains(CAROL_TOTP_SECRET));
    assert_eq!(pool.preloaded()[1].pool_id, MFA_ON_POOL_ID);
    assert_eq!(
        pool.preloaded()[1].pool_name,
        "cognito-signin demo, MFA required"
    );
    assert_eq!(
        pool.preloaded()[1].clients[0].client_name,
        "demo-console-mfa-on"
    );

    assert_tokens(&sign_in(&pool, PUBLIC_CLIENT_ID, "alice").await);
    let bob = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "bob", "PASSWORD": BOB_TEMPORARY_PASSWORD}),
    )
    .await
    .ok();
    assert_eq!(bob["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(
        parameter(&bob, "requiredAttributes"),
        r#"["userAttributes.name"]"#
    );
    let expectations = [
        ("carol", "SOFTWARE_TOKEN_MFA"),
        ("sam", "SMS_MFA"),
        ("erin", "EMAIL_OTP"),
        ("chad", "SELECT_MFA_TYPE"),
        ("cody", ""),
        ("pat", ""),
    ];
    for (username, challenge) in expectations {
        let answer = sign_in(&pool, PUBLIC_CLIENT_ID, username).await;
        if challenge.is_empty() {
            assert_tokens(&answer);
        } else {
            assert_eq!(answer["ChallengeName"], challenge, "{username}");
        }
    }
    let cody = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "cody"}),
    )
    .await
    .ok();
    assert_eq!(parameter(&cody, "question"), "What is 6 times 7?");
    let pat = user_auth(&pool, json!({"USERNAME": "pat"})).await;
    assert_eq!(
        pat["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
    );
    let dave = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    assert_eq!(dave["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        parameter(&dave, "MFAS_CAN_SETUP"),
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );
}

// ---------------------------------------------------------------- through the typed client

#[tokio::test]
async fn the_wire_types_speak_to_the_pool_through_the_real_client() {
    use cognito_signin::cognito::types::{
        AdminGetUserMfaResponse, AdminGetUserRequest, AdminSetUserMfaPreferenceRequest,
        AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthResponse, Empty,
        GetUserPoolMfaConfigRequest, InitiateAuthRequest, MfaSettingsType,
        RespondToAuthChallengeRequest, SetUserPoolMfaConfigRequest, SmsMfaConfigType,
        SoftwareTokenMfaConfigType, UserPoolMfaConfigResponse, VerifySoftwareTokenRequest,
        VerifySoftwareTokenResponse,
    };
    use cognito_signin::sensitive::{Sensitive, SensitiveString};
    use std::collections::BTreeMap;

    let pool = demo_pool().await;
    let client = client_of(&pool);

    let config: UserPoolMfaConfigResponse = client
        .call(
            "SetUserPoolMfaConfig",
            &SetUserPoolMfaConfigRequest {
                user_pool_id: POOL_ID.into(),
                sms_mfa_configuration: Some(SmsMfaConfigType {
                    sms_authentication_message: Some("Demo code {####}".into()),
                    sms_configuration: None,
                }),
                software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType {
                    enabled: true,
                }),
                email_mfa_configuration: None,
                mfa_configuration: Some("OPTIONAL".into()),
                web_authn_configuration: None,
            },
        )
        .await
        .unwrap();
    assert!(config.email_mfa_configuration.is_none());
    let read: UserPoolMfaConfigResponse = client
        .call(
            "GetUserPoolMfaConfig",
            &GetUserPoolMfaConfigRequest {
                user_pool_id: POOL_ID.into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(read, config);

    // The SMS template now shapes the message chad receives.
    let _: Empty = client
        .call(
            "AdminSetUserMFAPreference",
            &AdminSetUserMfaPreferenceRequest {
                user_pool_id: POOL_ID.into(),
                username: "chad".into(),
                sms_mfa_settings: Some(MfaSettingsType {
                    enabled: true,
                    preferred_mfa: true,
                }),
                software_token_mfa_settings: None,
                email_mfa_settings: None,
            },
        )
        .await
        .unwrap();
    let user: AdminGetUserMfaResponse = client
        .call(
            "AdminGetUser",
            &AdminGetUserRequest {
                user_pool_id: POOL_ID.into(),
                username: "chad".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(user.preferred_mfa_setting.as_deref(), Some("SMS_MFA"));
    let sign_in = |username: &str| InitiateAuthRequest {
        auth_flow: "USER_PASSWORD_AUTH".into(),
        client_id: PUBLIC_CLIENT_ID.into(),
        auth_parameters: Sensitive::new(BTreeMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PASSWORD".to_owned(), PASSWORD.to_owned()),
        ])),
        ..InitiateAuthRequest::default()
    };
    let challenge: AuthResponse = client.call("InitiateAuth", &sign_in("chad")).await.unwrap();
    assert_eq!(challenge.challenge_name.as_deref(), Some("SMS_MFA"));
    let message = pool.outbox().last().cloned().unwrap();
    assert_eq!(message.text, format!("Demo code {}", message.code));

    // Tokens, then an authenticator enrolled with the access token.
    let done: AuthResponse = client
        .call(
            "RespondToAuthChallenge",
            &RespondToAuthChallengeRequest {
                client_id: PUBLIC_CLIENT_ID.into(),
                challenge_name: "SMS_MFA".into(),
                challenge_responses: Sensitive::new(BTreeMap::from([
                    ("USERNAME".to_owned(), "chad".to_owned()),
                    ("SMS_MFA_CODE".to_owned(), message.code.clone()),
                ])),
                session: challenge.session.clone(),
                ..RespondToAuthChallengeRequest::default()
            },
        )
        .await
        .unwrap();
    let access = done.authentication_result.unwrap().access_token;
    let associated: AssociateSoftwareTokenResponse = client
        .call(
            "AssociateSoftwareToken",
            &AssociateSoftwareTokenRequest {
                access_token: Some(access.clone()),
                session: None,
            },
        )
        .await
        .unwrap();
    let secret = associated.secret_code.unwrap().expose().clone();
    let verified: VerifySoftwareTokenResponse = client
        .call(
            "VerifySoftwareToken",
            &VerifySoftwareTokenRequest {
                access_token: Some(access),
                session: None,
                user_code: SensitiveString::new(totp_code(&secret, 0)),
                friendly_device_name: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(verified.status.as_deref(), Some("SUCCESS"));
}

#[tokio::test]
async fn mfa_setup_offers_only_the_pools_factors() {
    let pool = demo_pool().await;
    call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": MFA_ON_POOL_ID, "MfaConfiguration": "ON", "EmailMfaConfiguration": {}}),
    )
    .await
    .ok();
    let setup = sign_in(&pool, MFA_ON_CLIENT_ID, "dave").await;
    assert_eq!(parameter(&setup, "MFAS_CAN_SETUP"), r#"["EMAIL_OTP"]"#);
    call(
        &pool,
        "AssociateSoftwareToken",
        json!({"Session": setup["Session"]}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    // The refusal leaves the session for the factor the pool does offer.
    let challenge = respond(
        &pool,
        MFA_ON_CLIENT_ID,
        "MFA_SETUP",
        &setup["Session"],
        json!({"USERNAME": "dave", "EMAIL": "dave@example.com"}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
}
