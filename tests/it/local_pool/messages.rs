//! Error messages in Cognito's own words, where they are documented or widely quoted
//! (see docs/cognito-compatibility.md for where each was found).

use serde_json::json;

use crate::support::pool::{api_pool, call, empty_pool};

#[tokio::test]
async fn a_flow_the_client_does_not_allow_gets_cognitos_message() {
    let pool = empty_pool().await;
    let (pool_id, client_id) = api_pool(
        &pool,
        json!({}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await;
    let client_id = client_id.as_str();
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
