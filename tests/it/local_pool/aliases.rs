//! Sign-in names: pools whose people sign in with an e-mail address or phone number
//! (UsernameAttributes), with aliases beside the username (AliasAttributes), and with
//! usernames that match in any case (UsernameConfiguration.CaseSensitive=false).

use cognito_signin::crypto::SrpClient;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{
    EMAIL_CLIENT_ID, EMAIL_POOL_ID, EMMA_EMAIL, PASSWORD, PUBLIC_CLIENT_ID,
};
use serde_json::{Value, json};

use crate::support::pool::{
    Answer, api_pool, call, demo_pool, empty_pool, initiate, now_timestamp, password_sign_in,
    password_verifier_responses_in, respond,
};

/// The claims of a JWT, unverified (the pool's own tests verify signatures elsewhere).
fn claims(token: &Value) -> Value {
    use base64::Engine;
    let payload = token.as_str().unwrap().split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A new pool made by CreateUserPool with `settings`, a client allowing the password
/// and SRP flows, and its ids.
async fn pool_with(pool: &RunningPool, settings: Value) -> (String, String) {
    let flows = json!({"ExplicitAuthFlows": [
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"
    ]});
    api_pool(pool, settings, flows).await
}

/// AdminCreateUser then AdminSetUserPassword (permanent), by `username`; gives the answer
/// of AdminCreateUser.
async fn confirmed_user(
    pool: &RunningPool,
    pool_id: &str,
    username: &str,
    attributes: Value,
) -> Value {
    let created = call(
        pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": username, "UserAttributes": attributes}),
    )
    .await
    .ok();
    call(
        pool,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": true}),
    )
    .await
    .ok();
    created
}

/// Whether an answer refused a sign-in (as an unknown user or a wrong password).
fn assert_refused(answer: &Answer) {
    assert_eq!(answer.status, 400, "{:?}", answer.body);
    assert!(
        ["UserNotFoundException", "NotAuthorizedException"].contains(&answer.error_type()),
        "{:?}",
        answer.body
    );
}

#[tokio::test]
async fn an_email_pool_signs_in_by_srp_with_the_address_and_user_id_for_srp_carries_the_generated_username()
 {
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let challenge = initiate(
        &pool,
        EMAIL_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": EMMA_EMAIL, "SRP_A": client.public_a_hex()}),
    )
    .await
    .ok();
    let parameters = &challenge["ChallengeParameters"];
    let user_id = parameters["USER_ID_FOR_SRP"].as_str().unwrap().to_owned();
    assert_ne!(
        user_id, EMMA_EMAIL,
        "the username is generated, not the address"
    );
    assert_eq!(parameters["USERNAME"], user_id.as_str());
    let responses = password_verifier_responses_in(
        EMAIL_POOL_ID,
        &client,
        &challenge,
        PASSWORD,
        &now_timestamp(),
    );
    let signed_in = respond(
        &pool,
        EMAIL_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge["Session"],
        responses,
    )
    .await
    .ok();
    let id = claims(&signed_in["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["cognito:username"], user_id.as_str());
    assert_eq!(id["sub"], user_id.as_str());
    assert_eq!(id["email"], EMMA_EMAIL);
}

#[tokio::test]
async fn a_password_verifier_answer_may_name_the_user_by_the_address_typed() {
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let challenge = initiate(
        &pool,
        EMAIL_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": EMMA_EMAIL, "SRP_A": client.public_a_hex()}),
    )
    .await
    .ok();
    let mut responses = password_verifier_responses_in(
        EMAIL_POOL_ID,
        &client,
        &challenge,
        PASSWORD,
        &now_timestamp(),
    );
    responses["USERNAME"] = json!(EMMA_EMAIL);
    let answer = respond(
        &pool,
        EMAIL_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge["Session"],
        responses,
    )
    .await;
    assert!(answer.ok()["AuthenticationResult"]["IdToken"].is_string());
}

#[tokio::test]
async fn a_case_insensitive_pool_takes_the_address_and_phone_number_in_any_form_they_match() {
    let pool = demo_pool().await;
    let shouted = password_sign_in(&pool, EMAIL_CLIENT_ID, "EMMA@Example.COM", PASSWORD).await;
    assert!(shouted.ok()["AuthenticationResult"]["AccessToken"].is_string());
    let phone = password_sign_in(&pool, EMAIL_CLIENT_ID, "+15555550104", PASSWORD).await;
    let id = claims(&phone.ok()["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["phone_number"], "+15555550104");
}

#[tokio::test]
async fn a_case_sensitive_pool_refuses_a_username_in_another_case() {
    let pool = demo_pool().await;
    let answer = password_sign_in(&pool, PUBLIC_CLIENT_ID, "Alice", PASSWORD).await;
    assert_refused(&answer);
    let answer = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice@example.com", PASSWORD).await;
    assert_refused(&answer);
}

#[tokio::test]
async fn admin_create_user_in_an_email_pool_generates_the_username_and_keeps_addresses_unique() {
    let pool = empty_pool().await;
    let (pool_id, client_id) = pool_with(
        &pool,
        json!({"UsernameAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": false}}),
    )
    .await;
    let created = confirmed_user(&pool, &pool_id, "Zoe@example.com", json!([])).await;
    let username = created["User"]["Username"].as_str().unwrap().to_owned();
    assert_ne!(username, "Zoe@example.com");
    let attributes = created["User"]["Attributes"].as_array().unwrap();
    assert!(attributes.contains(&json!({"Name": "email", "Value": "Zoe@example.com"})));

    let by_address = password_sign_in(&pool, &client_id, "zoe@EXAMPLE.com", PASSWORD).await;
    let id = claims(&by_address.ok()["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["cognito:username"], username.as_str());
    let got = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "zoe@example.com"}),
    )
    .await;
    assert_eq!(got.ok()["Username"], username.as_str());

    let again = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "ZOE@example.com"}),
    )
    .await;
    again.assert_error_type("UsernameExistsException");
    let plain = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "zoe"}),
    )
    .await;
    plain.assert_error("InvalidParameterException", "Username should be an email.");
}

#[tokio::test]
async fn an_alias_signs_in_only_once_verified_and_preferred_username_once_confirmed() {
    let pool = empty_pool().await;
    let (pool_id, client_id) = pool_with(
        &pool,
        json!({"AliasAttributes": ["email", "preferred_username"]}),
    )
    .await;
    confirmed_user(
        &pool,
        &pool_id,
        "ann",
        json!([{"Name": "email", "Value": "ann@example.com"}, {"Name": "preferred_username", "Value": "annie"}]),
    )
    .await;
    assert_refused(&password_sign_in(&pool, &client_id, "ann@example.com", PASSWORD).await);
    let by_alias = password_sign_in(&pool, &client_id, "annie", PASSWORD).await;
    let id = claims(&by_alias.ok()["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["cognito:username"], "ann");

    call(
        &pool,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": pool_id, "Username": "ann", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    )
    .await
    .ok();
    let by_email = password_sign_in(&pool, &client_id, "ann@example.com", PASSWORD).await;
    assert!(by_email.ok()["AuthenticationResult"]["IdToken"].is_string());
    // Case counts in a pool left case-sensitive.
    assert_refused(&password_sign_in(&pool, &client_id, "ANN@example.com", PASSWORD).await);

    let shaped = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "someone@example.com"}),
    )
    .await;
    shaped.assert_error(
        "InvalidParameterException",
        "Username cannot be of email format, since user pool is configured for email alias.",
    );
}

#[tokio::test]
async fn a_pool_takes_username_attributes_or_alias_attributes_not_both_and_describes_them() {
    let pool = empty_pool().await;
    let both = call(
        &pool,
        "CreateUserPool",
        json!({"PoolName": "both", "UsernameAttributes": ["email"], "AliasAttributes": ["phone_number"]}),
    )
    .await;
    both.assert_error_type("InvalidParameterException");
    let (pool_id, _) = pool_with(
        &pool,
        json!({"UsernameAttributes": ["phone_number", "email"], "UsernameConfiguration": {"CaseSensitive": false}}),
    )
    .await;
    let described = call(&pool, "DescribeUserPool", json!({"UserPoolId": pool_id}))
        .await
        .ok();
    let described = &described["UserPool"];
    assert_eq!(
        described["UsernameAttributes"],
        json!(["phone_number", "email"])
    );
    assert_eq!(
        described["UsernameConfiguration"],
        json!({"CaseSensitive": false})
    );
}
