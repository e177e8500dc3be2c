//! Error messages in Cognito's own words, where they are documented or widely quoted
//! (see docs/compat/guard.md for where each was found).

use serde_json::json;

use crate::support::pool::{call, empty_pool};

#[tokio::test]
async fn a_flow_the_client_does_not_allow_gets_cognitos_message() {
    let pool = empty_pool().await;
    let created = call(&pool, "CreateUserPool", json!({"PoolName": "srp-only"}))
        .await
        .ok();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "srp", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await
    .ok();
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    call(
        &pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": "ann", "PASSWORD": "Some-Pass-1!"}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    call(
        &pool,
        "AdminInitiateAuth",
        json!({"UserPoolId": pool_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": "ann", "PASSWORD": "Some-Pass-1!"}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "Auth flow not enabled for this client",
    );
}
