//! Refreshing against the local pool, over HTTP as any Cognito client would:
//! GetTokensFromRefreshToken and REFRESH_TOKEN_AUTH, refresh token rotation per app
//! client (RefreshTokenRotation), refresh tokens bound to the sign-in's device, and
//! the two signing keys of the JWKS.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{
    CLIENT_SECRET, PASSWORD, POOL_ID, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID,
};
use serde_json::{Value, json};

use crate::support::jwks::verified_claims;
use crate::support::pool::{
    Answer, api_pool, call, demo_pool, empty_pool, initiate, password_sign_in,
};

/// A pool made through the API, with one app client and alice in it.
struct Made {
    pool: RunningPool,
    pool_id: String,
    client_id: String,
}

/// A new pool (tracking devices when `devices`), an app client created with
/// `rotation` as its RefreshTokenRotation (none: the default), and alice.
async fn made_pool(rotation: Option<Value>, devices: bool) -> Made {
    let pool = empty_pool().await;
    let mut create = json!({});
    if devices {
        create["DeviceConfiguration"] = json!({
            "ChallengeRequiredOnNewDevice": false,
            "DeviceOnlyRememberedOnUserPrompt": false,
        });
    }
    let mut client = json!({
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    if let Some(rotation) = rotation {
        client["RefreshTokenRotation"] = rotation;
    }
    let (pool_id, client_id) = api_pool(&pool, create, client).await;
    call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "alice", "MessageAction": "SUPPRESS"}),
    )
    .await
    .ok();
    call(
        &pool,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
    )
    .await
    .ok();
    Made {
        pool,
        pool_id,
        client_id,
    }
}

/// Rotation on, with this grace period.
fn rotating(grace: u64) -> Option<Value> {
    Some(json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}))
}

impl Made {
    /// alice signs in by password: the whole AuthenticationResult.
    async fn sign_in(&self) -> Value {
        password_sign_in(&self.pool, &self.client_id, "alice", PASSWORD)
            .await
            .ok()["AuthenticationResult"]
            .clone()
    }

    /// GetTokensFromRefreshToken for this pool's client.
    async fn get_tokens(&self, refresh_token: &Value, device_key: Option<&Value>) -> Answer {
        let mut body = json!({"RefreshToken": refresh_token, "ClientId": self.client_id});
        if let Some(device_key) = device_key {
            body["DeviceKey"] = device_key.clone();
        }
        call(&self.pool, "GetTokensFromRefreshToken", body).await
    }

    /// REFRESH_TOKEN_AUTH by InitiateAuth for this pool's client.
    async fn refresh_token_auth(
        &self,
        refresh_token: &Value,
        device_key: Option<&Value>,
    ) -> Answer {
        let mut parameters = json!({"REFRESH_TOKEN": refresh_token});
        if let Some(device_key) = device_key {
            parameters["DEVICE_KEY"] = device_key.clone();
        }
        initiate(
            &self.pool,
            &self.client_id,
            "REFRESH_TOKEN_AUTH",
            parameters,
        )
        .await
    }
}

/// A JWT's claims, unverified (the pool's own tests read what it put there).
fn claims(token: &Value) -> Value {
    let payload = token.as_str().unwrap().split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The `kid` in a JWT's header.
fn kid(token: &Value) -> String {
    jsonwebtoken::decode_header(token.as_str().unwrap())
        .unwrap()
        .kid
        .unwrap()
}

#[tokio::test]
async fn without_rotation_get_tokens_gives_new_id_and_access_tokens_and_keeps_the_refresh_token() {
    let made = made_pool(None, false).await;
    let first = made.sign_in().await;
    let refresh_token = &first["RefreshToken"];
    let answer = made.get_tokens(refresh_token, None).await.ok();
    let result = &answer["AuthenticationResult"];
    assert!(result.get("RefreshToken").is_none(), "{answer}");
    assert_ne!(result["AccessToken"], first["AccessToken"]);
    assert_ne!(result["IdToken"], first["IdToken"]);
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    // The same refresh token goes on working, by either operation.
    made.pool.advance_clock(Duration::from_secs(3600));
    made.get_tokens(refresh_token, None).await.ok();
    made.refresh_token_auth(refresh_token, None).await.ok();
    made.pool.shutdown().await;
}

#[tokio::test]
async fn an_app_clients_rotation_is_described_as_created_and_disabled_by_default() {
    let made = made_pool(rotating(10), false).await;
    let describe = |client_id: &str| {
        call(
            &made.pool,
            "DescribeUserPoolClient",
            json!({"UserPoolId": made.pool_id, "ClientId": client_id}),
        )
    };
    let described = describe(&made.client_id).await.ok();
    assert_eq!(
        described["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 10})
    );
    let plain = call(
        &made.pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": made.pool_id, "ClientName": "plain"}),
    )
    .await
    .ok();
    let plain_id = plain["UserPoolClient"]["ClientId"].as_str().unwrap();
    assert_eq!(
        describe(plain_id).await.ok()["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "DISABLED", "RetryGracePeriodSeconds": 0})
    );
    made.pool.shutdown().await;
}

#[tokio::test]
async fn a_rotation_outside_cognitos_constraints_is_refused_and_no_client_is_made() {
    let made = made_pool(None, false).await;
    let create = |rotation: Value| {
        call(
            &made.pool,
            "CreateUserPoolClient",
            json!({"UserPoolId": made.pool_id, "ClientName": "x", "RefreshTokenRotation": rotation}),
        )
    };
    create(json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 61}))
        .await
        .assert_error(
            "InvalidParameterException",
            "1 validation error detected: Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60",
        );
    create(json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": -1}))
        .await
        .assert_error_type("InvalidParameterException");
    create(json!({"Feature": "SOMETIMES"}))
        .await
        .assert_error(
            "InvalidParameterException",
            "1 validation error detected: Value 'SOMETIMES' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
        );
    create(json!({"RetryGracePeriodSeconds": 5}))
        .await
        .assert_error_type("InvalidParameterException");
    create(json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}))
        .await
        .ok();
    made.pool.shutdown().await;
}

#[tokio::test]
async fn with_rotation_the_old_refresh_token_works_for_the_grace_period_only() {
    let made = made_pool(rotating(10), false).await;
    let first = made.sign_in().await;
    let old = &first["RefreshToken"];
    let answer = made.get_tokens(old, None).await.ok();
    let result = &answer["AuthenticationResult"];
    let new = &result["RefreshToken"];
    assert!(new.is_string(), "a new refresh token: {answer}");
    assert_ne!(new, old);
    assert!(result["AccessToken"].is_string() && result["IdToken"].is_string());

    // Within the grace period a retry with the old token still succeeds.
    made.pool.advance_clock(Duration::from_secs(9));
    made.get_tokens(old, None).await.ok();
    // After it, the old token is refused as rotation refuses it; the new one works.
    made.pool.advance_clock(Duration::from_secs(1));
    made.get_tokens(old, None)
        .await
        .assert_error_type("RefreshTokenReuseException");
    let next = made.get_tokens(new, None).await.ok();
    assert!(next["AuthenticationResult"]["RefreshToken"].is_string());
    made.pool.shutdown().await;
}

#[tokio::test]
async fn with_rotation_and_no_grace_period_the_old_refresh_token_stops_at_once() {
    let made = made_pool(rotating(0), false).await;
    let old = made.sign_in().await["RefreshToken"].clone();
    made.get_tokens(&old, None).await.ok();
    made.get_tokens(&old, None)
        .await
        .assert_error_type("RefreshTokenReuseException");
    made.pool.shutdown().await;
}

#[tokio::test]
async fn with_rotation_refresh_token_auth_is_refused_as_a_disabled_flow() {
    let made = made_pool(rotating(0), false).await;
    let refresh_token = made.sign_in().await["RefreshToken"].clone();
    made.refresh_token_auth(&refresh_token, None)
        .await
        .assert_error(
            "InvalidParameterException",
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        );
    call(
        &made.pool,
        "AdminInitiateAuth",
        json!({
            "UserPoolId": made.pool_id,
            "ClientId": made.client_id,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": refresh_token},
        }),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH flow not enabled for this client",
    );
    // Refused before it was used: the token still refreshes the way rotation wants.
    made.get_tokens(&refresh_token, None).await.ok();
    made.pool.shutdown().await;
}

#[tokio::test]
async fn a_rotated_refresh_token_lives_only_as_long_as_the_sign_ins_first_one() {
    let made = made_pool(rotating(0), false).await;
    let first = made.sign_in().await;
    let signed_in_at = claims(&first["AccessToken"])["auth_time"].clone();
    made.pool.advance_clock(Duration::from_secs(29 * 24 * 3600));
    let answer = made.get_tokens(&first["RefreshToken"], None).await.ok();
    let result = &answer["AuthenticationResult"];
    // Still the same sign-in: its auth_time and origin_jti carry over.
    let access = claims(&result["AccessToken"]);
    assert_eq!(access["auth_time"], signed_in_at);
    assert_eq!(
        access["origin_jti"],
        claims(&first["AccessToken"])["origin_jti"]
    );
    // 30 days after the sign-in the rotated token has expired too.
    made.pool.advance_clock(Duration::from_secs(24 * 3600 + 60));
    made.get_tokens(&result["RefreshToken"], None)
        .await
        .assert_error("NotAuthorizedException", "Invalid Refresh Token.");
    made.pool.shutdown().await;
}

#[tokio::test]
async fn revoking_a_rotated_refresh_token_revokes_its_predecessor_still_in_grace() {
    let made = made_pool(rotating(60), false).await;
    let old = made.sign_in().await["RefreshToken"].clone();
    let answer = made.get_tokens(&old, None).await.ok();
    let new = &answer["AuthenticationResult"]["RefreshToken"];
    call(
        &made.pool,
        "RevokeToken",
        json!({"Token": new, "ClientId": made.client_id}),
    )
    .await
    .ok();
    made.get_tokens(&old, None)
        .await
        .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    made.pool.shutdown().await;
}

#[tokio::test]
async fn refresh_tokens_of_a_sign_in_with_a_device_need_that_device_key() {
    let made = made_pool(None, true).await;
    let first = made.sign_in().await;
    let device_key = first["NewDeviceMetadata"]["DeviceKey"].clone();
    assert!(device_key.is_string(), "{first}");
    // The access token names the device; the ID token does not.
    assert_eq!(claims(&first["AccessToken"])["device_key"], device_key);
    assert!(claims(&first["IdToken"]).get("device_key").is_none());

    let refresh_token = &first["RefreshToken"];
    let other_key = json!("us-east-1_00000000-0000-4000-8000-000000000000");
    for refresh in [
        made.refresh_token_auth(refresh_token, None).await,
        made.refresh_token_auth(refresh_token, Some(&other_key))
            .await,
        made.get_tokens(refresh_token, None).await,
        made.get_tokens(refresh_token, Some(&other_key)).await,
    ] {
        refresh.assert_error("NotAuthorizedException", "Invalid Refresh Token.");
    }
    for refreshed in [
        made.refresh_token_auth(refresh_token, Some(&device_key))
            .await
            .ok(),
        made.get_tokens(refresh_token, Some(&device_key)).await.ok(),
    ] {
        let access = &refreshed["AuthenticationResult"]["AccessToken"];
        assert_eq!(claims(access)["device_key"], device_key);
    }

    // Once the device is forgotten, its refresh tokens stop working.
    call(
        &made.pool,
        "ForgetDevice",
        json!({"AccessToken": first["AccessToken"], "DeviceKey": device_key}),
    )
    .await
    .ok();
    made.get_tokens(refresh_token, Some(&device_key))
        .await
        .assert_error("NotAuthorizedException", "Invalid Refresh Token.");
    made.pool.shutdown().await;
}

#[tokio::test]
async fn without_device_tracking_tokens_carry_no_device_key_and_refresh_without_one() {
    let pool = demo_pool().await;
    let first = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok()["AuthenticationResult"]
        .clone();
    assert!(first.get("NewDeviceMetadata").is_none());
    assert!(claims(&first["AccessToken"]).get("device_key").is_none());
    call(
        &pool,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": first["RefreshToken"], "ClientId": PUBLIC_CLIENT_ID}),
    )
    .await
    .ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn get_tokens_from_refresh_token_checks_the_client_and_its_secret() {
    let pool = demo_pool().await;
    let parameters = json!({
        "USERNAME": "alice",
        "PASSWORD": PASSWORD,
        "SECRET_HASH": cognito_signin::crypto::secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET),
    });
    let signed_in = initiate(&pool, SECRET_CLIENT_ID, "USER_PASSWORD_AUTH", parameters)
        .await
        .ok();
    let refresh_token = &signed_in["AuthenticationResult"]["RefreshToken"];
    let get_tokens = |client: &str, secret: Option<&str>| {
        let mut body = json!({"RefreshToken": refresh_token, "ClientId": client});
        if let Some(secret) = secret {
            body["ClientSecret"] = json!(secret);
        }
        call(&pool, "GetTokensFromRefreshToken", body)
    };
    get_tokens(SECRET_CLIENT_ID, None).await.assert_error(
        "NotAuthorizedException",
        &format!(
            "Client {SECRET_CLIENT_ID} is configured with secret but ClientSecret was not received"
        ),
    );
    // Of a secret's shape (24–64 of `[\w+]`), so the pool compares it.
    const WRONG_SECRET: &str = "wrongsecretvaluewrongsecret0";
    let wrong = get_tokens(SECRET_CLIENT_ID, Some(WRONG_SECRET)).await;
    wrong.assert_error_type("NotAuthorizedException");
    assert!(!wrong.body.to_string().contains(WRONG_SECRET));
    // Another client's refresh token is not a refresh token of this one.
    get_tokens(PUBLIC_CLIENT_ID, None)
        .await
        .assert_error("NotAuthorizedException", "Invalid Refresh Token.");
    get_tokens("nosuchclient", None)
        .await
        .assert_error_type("ResourceNotFoundException");
    get_tokens(SECRET_CLIENT_ID, Some(CLIENT_SECRET)).await.ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn id_and_access_tokens_are_signed_by_two_keys_of_the_jwks() {
    let pool = demo_pool().await;
    let result = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok()["AuthenticationResult"]
        .clone();
    let jwks_url = format!("{}/{POOL_ID}/.well-known/jwks.json", pool.url());
    let jwks: Value = reqwest::get(&jwks_url).await.unwrap().json().await.unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 2, "{jwks}");
    let (id_kid, access_kid) = (kid(&result["IdToken"]), kid(&result["AccessToken"]));
    assert_ne!(id_kid, access_kid);
    assert!(kids.contains(&id_kid.as_str()) && kids.contains(&access_kid.as_str()));
    // Each verifies against the key its kid names.
    let id = verified_claims(&jwks_url, result["IdToken"].as_str().unwrap(), None, None).await;
    assert_eq!(id["token_use"], "id");
    let access = verified_claims(
        &jwks_url,
        result["AccessToken"].as_str().unwrap(),
        None,
        None,
    )
    .await;
    assert_eq!(access["token_use"], "access");
    pool.shutdown().await;
}

#[tokio::test]
async fn update_user_pool_client_turns_rotation_on_and_leaving_it_out_turns_it_off() {
    let made = made_pool(None, false).await;
    let update = |rotation: Option<Value>| {
        let mut body = json!({
            "UserPoolId": made.pool_id,
            "ClientId": made.client_id,
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        if let Some(rotation) = rotation {
            body["RefreshTokenRotation"] = rotation;
        }
        call(&made.pool, "UpdateUserPoolClient", body)
    };
    let on = update(rotating(0)).await.ok();
    assert_eq!(
        on["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 0})
    );
    let first = made.sign_in().await;
    let rotated = made.get_tokens(&first["RefreshToken"], None).await.ok();
    assert!(rotated["AuthenticationResult"]["RefreshToken"].is_string());

    let off = update(None).await.ok();
    assert_eq!(
        off["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "DISABLED", "RetryGracePeriodSeconds": 0})
    );
    let again = made.sign_in().await;
    let kept = made.get_tokens(&again["RefreshToken"], None).await.ok();
    assert!(kept["AuthenticationResult"].get("RefreshToken").is_none());
    made.pool.shutdown().await;
}
