//! Cognito's input limits, over loopback: a megabyte-long pool id gets a short
//! InvalidParameterException that never echoes it, a username or an app client name
//! with an invisible format or bidi control is refused, and honest calls still work.

use cognito_signin::cognito::protocol;
use cognito_signin::local_pool::{RunningPool, demo};
use serde_json::{Value, json};

use crate::support::pool::{call, demo_pool};

/// The status and the raw body of one call, as the pool sent them.
async fn raw_call(pool: &RunningPool, operation: &str, body: String) -> (u16, Vec<u8>) {
    let response = reqwest::Client::new()
        .post(format!("{}/", pool.url()))
        .header("Content-Type", protocol::CONTENT_TYPE)
        .header("X-Amz-Target", protocol::target(operation))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_megabyte_pool_id_gets_a_short_invalid_parameter_answer() {
    let pool = demo_pool().await;
    let huge = format!("us-east-1_{}", "A".repeat(1_500_000));
    let body = json!({ "UserPoolId": huge }).to_string();
    let (status, answer) = raw_call(&pool, "DescribeUserPool", body).await;
    assert_eq!(status, 400);
    assert!(answer.len() < 1024, "{} bytes", answer.len());
    let answer: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["__type"], "InvalidParameterException");
    assert_eq!(
        answer["message"],
        "1 validation error detected: Value at 'userPoolId' failed to satisfy constraint: \
         Member must have length less than or equal to 55"
    );
}

#[tokio::test]
async fn a_username_with_a_bidi_override_is_not_created() {
    let pool = demo_pool().await;
    // "alice" then RIGHT-TO-LEFT OVERRIDE: it would print as another name.
    let spoof = "alice\u{202E}ecila";
    let refused = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": demo::POOL_ID, "Username": spoof}),
    )
    .await;
    refused.assert_error(
        "InvalidParameterException",
        r"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+",
    );

    // The same name without the control is an ordinary user.
    let created = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": demo::POOL_ID, "Username": "aliceecila"}),
    )
    .await
    .ok();
    assert_eq!(created["User"]["Username"], "aliceecila");
    let found = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": demo::POOL_ID, "Username": "aliceecila"}),
    )
    .await
    .ok();
    assert_eq!(found["Username"], "aliceecila");
}

#[tokio::test]
async fn a_client_name_with_a_zero_width_space_is_refused() {
    let pool = demo_pool().await;
    let refused = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": demo::POOL_ID, "ClientName": "web\u{200B}app"}),
    )
    .await;
    refused.assert_error(
        "InvalidParameterException",
        r"1 validation error detected: Value at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+",
    );

    let made = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": demo::POOL_ID, "ClientName": "web app"}),
    )
    .await
    .ok();
    assert_eq!(made["UserPoolClient"]["ClientName"], "web app");
    let client_id = made["UserPoolClient"]["ClientId"].clone();
    let renamed = call(
        &pool,
        "UpdateUserPoolClient",
        json!({"UserPoolId": demo::POOL_ID, "ClientId": client_id, "ClientName": "web\u{200B}"}),
    )
    .await;
    refused_as_invalid(&renamed);
}

#[tokio::test]
async fn several_broken_limits_are_listed_together_without_their_values() {
    let pool = demo_pool().await;
    let answer = call(
        &pool,
        "AdminSetUserPassword",
        json!({
            "UserPoolId": "no-underscore",
            "Username": "alice",
            "Password": format!("hunter2 {}", "x".repeat(300)),
        }),
    )
    .await;
    answer.assert_error(
        "InvalidParameterException",
        r"2 validation errors detected: Value at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+; Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    assert!(!answer.body.to_string().contains("hunter2"));
}

/// Checks that `answer` is Cognito's refusal of a parameter.
fn refused_as_invalid(answer: &crate::support::pool::Answer) {
    answer.assert_error_type("InvalidParameterException");
    assert!(
        answer.body["message"]
            .as_str()
            .unwrap()
            .starts_with("1 validation error detected: "),
        "{:?}",
        answer.body
    );
}
