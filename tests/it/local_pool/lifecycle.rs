//! The token lifecycle against the local pool, spoken to over HTTP as any Cognito
//! client would: GetUser, GlobalSignOut, RevokeToken, AdminUserGlobalSignOut,
//! ChangePassword, ForgotPassword and ConfirmForgotPassword.

use std::time::Duration;

use cognito_signin::cognito::types::{
    AccessTokenRequest, ChangePasswordRequest, ConfirmForgotPasswordRequest, Empty,
    ForgotPasswordRequest, ForgotPasswordResponse, GetUserResponse, RevokeTokenRequest,
};
use cognito_signin::cognito::{ApiError, ErrorType};
use cognito_signin::crypto::secret_hash;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{
    CLIENT_SECRET, PASSWORD, POOL_ID, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID,
};
use cognito_signin::outbox::Medium;
use cognito_signin::sensitive::SensitiveString;
use serde_json::{Value, json};

use crate::support::other_code;
use crate::support::pool::{
    Answer, call, client_of, demo_pool, initiate, last_code, password_sign_in,
};

const NEW_PASSWORD: &str = "Brand-New-Password-2?";

/// The (access token, refresh token) of a successful sign-in's answer.
fn tokens_of(body: &Value) -> (String, String) {
    let result = &body["AuthenticationResult"];
    (
        result["AccessToken"].as_str().unwrap().to_owned(),
        result["RefreshToken"].as_str().unwrap().to_owned(),
    )
}

/// A signed-in user's tokens: (access token, refresh token).
async fn sign_in(pool: &RunningPool, username: &str) -> (String, String) {
    tokens_of(
        &password_sign_in(pool, PUBLIC_CLIENT_ID, username, PASSWORD)
            .await
            .ok(),
    )
}

/// The same through the client with a secret (SECRET_HASH over the username).
async fn sign_in_secret_client(pool: &RunningPool, username: &str) -> (String, String) {
    let parameters = json!({
        "USERNAME": username,
        "PASSWORD": PASSWORD,
        "SECRET_HASH": secret_hash(username, SECRET_CLIENT_ID, CLIENT_SECRET),
    });
    tokens_of(
        &initiate(pool, SECRET_CLIENT_ID, "USER_PASSWORD_AUTH", parameters)
            .await
            .ok(),
    )
}

async fn refresh(pool: &RunningPool, refresh_token: &str) -> Answer {
    initiate(
        pool,
        PUBLIC_CLIENT_ID,
        "REFRESH_TOKEN_AUTH",
        json!({"REFRESH_TOKEN": refresh_token}),
    )
    .await
}

async fn get_user(pool: &RunningPool, access_token: &str) -> Answer {
    call(pool, "GetUser", json!({"AccessToken": access_token})).await
}

fn attribute<'a>(user: &'a Value, name: &str) -> Option<&'a str> {
    user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|attribute| attribute["Name"] == name)
        .and_then(|attribute| attribute["Value"].as_str())
}

#[tokio::test]
async fn get_user_shows_the_signed_in_user() {
    let pool = demo_pool().await;
    let (access, _) = sign_in(&pool, "alice").await;
    let user = get_user(&pool, &access).await.ok();
    assert_eq!(user["Username"], "alice");
    assert_eq!(attribute(&user, "email"), Some("alice@example.com"));
    assert_eq!(attribute(&user, "name"), Some("Alice Example"));
    assert!(attribute(&user, "sub").is_some_and(|sub| sub.len() == 36));
    assert!(user.get("PreferredMfaSetting").is_none());
    pool.shutdown().await;
}

#[tokio::test]
async fn get_user_reports_mfa_settings() {
    let pool = demo_pool().await;
    // alice turns SMS on for herself with her token, then reads it back.
    let (access, _) = sign_in(&pool, "alice").await;
    call(
        &pool,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "UserAttributes": [
            {"Name": "phone_number", "Value": "+15555550199"},
            {"Name": "phone_number_verified", "Value": "true"},
        ]}),
    )
    .await
    .ok();
    call(
        &pool,
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .ok();
    let user = get_user(&pool, &access).await.ok();
    assert_eq!(user["PreferredMfaSetting"], "SMS_MFA");
    assert_eq!(user["UserMFASettingList"], json!(["SMS_MFA"]));
    pool.shutdown().await;
}

#[tokio::test]
async fn an_expired_or_forged_access_token_is_refused() {
    let pool = demo_pool().await;
    let (access, _) = sign_in(&pool, "alice").await;
    get_user(&pool, "not-a-token")
        .await
        .assert_error("NotAuthorizedException", "Invalid Access Token");
    pool.advance_clock(Duration::from_secs(3601));
    get_user(&pool, &access)
        .await
        .assert_error("NotAuthorizedException", "Access Token has expired");
    pool.shutdown().await;
}

#[tokio::test]
async fn global_sign_out_revokes_refresh_and_access_tokens() {
    let pool = demo_pool().await;
    let (first_access, first_refresh) = sign_in(&pool, "alice").await;
    let (second_access, second_refresh) = sign_in(&pool, "alice").await;
    let (_, other_users_refresh) = sign_in(&pool, "cody").await;
    // A refresh works before the sign-out, and its access token is of the same sign-in.
    let refreshed = refresh(&pool, &first_refresh).await.ok();
    let refreshed_access = refreshed["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    call(
        &pool,
        "GlobalSignOut",
        json!({"AccessToken": second_access}),
    )
    .await
    .ok();

    for refresh_token in [&first_refresh, &second_refresh] {
        refresh(&pool, refresh_token)
            .await
            .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    }
    for access in [&first_access, &second_access, &refreshed_access] {
        get_user(&pool, access)
            .await
            .assert_error("NotAuthorizedException", "Access Token has been revoked");
    }
    call(
        &pool,
        "GlobalSignOut",
        json!({"AccessToken": second_access}),
    )
    .await
    .assert_error("NotAuthorizedException", "Access Token has been revoked");
    // Other users keep their sessions; a new sign-in works again.
    refresh(&pool, &other_users_refresh).await.ok();
    let (fresh_access, fresh_refresh) = sign_in(&pool, "alice").await;
    get_user(&pool, &fresh_access).await.ok();
    refresh(&pool, &fresh_refresh).await.ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn admin_user_global_sign_out_revokes_a_users_tokens() {
    let pool = demo_pool().await;
    let (access, refresh_token) = sign_in(&pool, "alice").await;
    call(
        &pool,
        "AdminUserGlobalSignOut",
        json!({"UserPoolId": POOL_ID, "Username": "alice"}),
    )
    .await
    .ok();
    refresh(&pool, &refresh_token)
        .await
        .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    get_user(&pool, &access)
        .await
        .assert_error("NotAuthorizedException", "Access Token has been revoked");
    call(
        &pool,
        "AdminUserGlobalSignOut",
        json!({"UserPoolId": POOL_ID, "Username": "nobody"}),
    )
    .await
    .assert_error("UserNotFoundException", "User does not exist.");
    pool.shutdown().await;
}

#[tokio::test]
async fn revoke_token_ends_one_session_only() {
    let pool = demo_pool().await;
    let (revoked_access, revoked_refresh) = sign_in(&pool, "alice").await;
    let (kept_access, kept_refresh) = sign_in(&pool, "alice").await;
    let answer = call(
        &pool,
        "RevokeToken",
        json!({"Token": revoked_refresh, "ClientId": PUBLIC_CLIENT_ID}),
    )
    .await
    .ok();
    assert_eq!(answer, json!({}));
    refresh(&pool, &revoked_refresh)
        .await
        .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    get_user(&pool, &revoked_access)
        .await
        .assert_error("NotAuthorizedException", "Access Token has been revoked");
    // The other session goes on.
    refresh(&pool, &kept_refresh).await.ok();
    get_user(&pool, &kept_access).await.ok();
    // Revoking again, or revoking a token the pool never issued, is not an error.
    call(
        &pool,
        "RevokeToken",
        json!({"Token": revoked_refresh, "ClientId": PUBLIC_CLIENT_ID}),
    )
    .await
    .ok();
    call(
        &pool,
        "RevokeToken",
        json!({"Token": "never-issued", "ClientId": PUBLIC_CLIENT_ID}),
    )
    .await
    .ok();
    // An access token is not a refresh token.
    call(
        &pool,
        "RevokeToken",
        json!({"Token": kept_access, "ClientId": PUBLIC_CLIENT_ID}),
    )
    .await
    .assert_error_type("UnsupportedTokenTypeException");
    pool.shutdown().await;
}

#[tokio::test]
async fn revoke_token_checks_the_client_and_its_secret() {
    let pool = demo_pool().await;
    let (_, refresh_token) = sign_in_secret_client(&pool, "alice").await;
    let revoke = |client: &str, secret: Option<&str>| {
        let mut body = json!({"Token": refresh_token, "ClientId": client});
        if let Some(secret) = secret {
            body["ClientSecret"] = json!(secret);
        }
        call(&pool, "RevokeToken", body)
    };
    // Of a secret's shape (24–64 of `[\w+]`), so the pool compares it.
    const WRONG_SECRET: &str = "wrongsecretvaluewrongsecret0";
    let wrong = revoke(SECRET_CLIENT_ID, Some(WRONG_SECRET)).await;
    wrong.assert_error_type("UnauthorizedException");
    assert!(!wrong.body.to_string().contains(WRONG_SECRET));
    revoke(SECRET_CLIENT_ID, None)
        .await
        .assert_error_type("UnauthorizedException");
    revoke("nosuchclient", None)
        .await
        .assert_error_type("UnauthorizedException");
    // The public client did not receive this token.
    revoke(PUBLIC_CLIENT_ID, None)
        .await
        .assert_error_type("InvalidParameterException");
    // None of these revoked it: it still refreshes with its own client.
    let refresh_with_secret = || {
        initiate(
            &pool,
            SECRET_CLIENT_ID,
            "REFRESH_TOKEN_AUTH",
            json!({
                "REFRESH_TOKEN": refresh_token,
                "SECRET_HASH": secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET),
            }),
        )
    };
    refresh_with_secret().await.ok();
    revoke(SECRET_CLIENT_ID, Some(CLIENT_SECRET)).await.ok();
    refresh_with_secret()
        .await
        .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    pool.shutdown().await;
}

#[tokio::test]
async fn change_password_checks_the_old_one_and_the_new_one_signs_in() {
    let pool = demo_pool().await;
    let (access, refresh_token) = sign_in(&pool, "alice").await;
    let change = |previous: &str, proposed: &str| {
        call(
            &pool,
            "ChangePassword",
            json!({"AccessToken": access, "PreviousPassword": previous, "ProposedPassword": proposed}),
        )
    };
    let wrong = change("Not-The-Password-1!", NEW_PASSWORD).await;
    wrong.assert_error("NotAuthorizedException", "Incorrect username or password.");
    assert!(!wrong.body.to_string().contains("Not-The-Password-1!"));
    change(PASSWORD, "short")
        .await
        .assert_error_type("InvalidPasswordException");
    change(PASSWORD, NEW_PASSWORD).await.ok();

    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    // Tokens issued before the change stay valid, as in Cognito.
    get_user(&pool, &access).await.ok();
    refresh(&pool, &refresh_token).await.ok();
    pool.shutdown().await;
}

async fn forgot(pool: &RunningPool, username: &str) -> Answer {
    call(
        pool,
        "ForgotPassword",
        json!({"ClientId": PUBLIC_CLIENT_ID, "Username": username}),
    )
    .await
}

async fn confirm(pool: &RunningPool, username: &str, code: &str, password: &str) -> Answer {
    call(
        pool,
        "ConfirmForgotPassword",
        json!({"ClientId": PUBLIC_CLIENT_ID, "Username": username, "ConfirmationCode": code, "Password": password}),
    )
    .await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_emailed_code() {
    let pool = demo_pool().await;
    let answer = forgot(&pool, "alice").await.ok();
    assert_eq!(
        answer["CodeDeliveryDetails"],
        json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let code = last_code(&pool, "alice", Medium::Email);
    assert_eq!(code.len(), 6);

    confirm(&pool, "alice", &other_code(&code), NEW_PASSWORD)
        .await
        .assert_error(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        );
    confirm(&pool, "alice", &code, "weak")
        .await
        .assert_error_type("InvalidPasswordException");
    let answer = confirm(&pool, "alice", &code, NEW_PASSWORD).await.ok();
    assert_eq!(answer, json!({}));

    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    // The code was used: it does not work twice.
    confirm(&pool, "alice", &code, "Yet-Another-Password-3#")
        .await
        .assert_error(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        );
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn without_a_verified_email_the_code_goes_by_sms() {
    let pool = demo_pool().await;
    let answer = forgot(&pool, "sam").await.ok();
    assert_eq!(
        answer["CodeDeliveryDetails"],
        json!({"Destination": "+*******0101", "DeliveryMedium": "SMS", "AttributeName": "phone_number"})
    );
    let code = last_code(&pool, "sam", Medium::Sms);
    confirm(&pool, "sam", &code, NEW_PASSWORD).await.ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn forgot_password_refusals() {
    let pool = demo_pool().await;
    // cody has neither an email nor a phone number.
    forgot(&pool, "cody").await.assert_error(
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
    // An unknown user gets a simulated delivery (the demo's clients prevent
    // user-existence errors; see local_pool::sign_in).
    assert_eq!(forgot(&pool, "nobody").await.status, 200);
    // bob still has his temporary password.
    forgot(&pool, "bob").await.assert_error(
        "NotAuthorizedException",
        "User password cannot be reset in the current state.",
    );
    // No code was ever sent to carol.
    confirm(&pool, "carol", "123456", NEW_PASSWORD)
        .await
        .assert_error_type("ExpiredCodeException");
    // The client with a secret needs SECRET_HASH, over the username.
    call(
        &pool,
        "ForgotPassword",
        json!({"ClientId": SECRET_CLIENT_ID, "Username": "alice"}),
    )
    .await
    .assert_error_type("NotAuthorizedException");
    call(
        &pool,
        "ForgotPassword",
        json!({"ClientId": SECRET_CLIENT_ID, "Username": "alice", "SecretHash": secret_hash("bob", SECRET_CLIENT_ID, CLIENT_SECRET)}),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        &format!("Unable to verify secret hash for client {SECRET_CLIENT_ID}"),
    );
    call(
        &pool,
        "ForgotPassword",
        json!({"ClientId": SECRET_CLIENT_ID, "Username": "alice", "SecretHash": secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET)}),
    )
    .await
    .ok();
    let code = last_code(&pool, "alice", Medium::Email);
    call(
        &pool,
        "ConfirmForgotPassword",
        json!({"ClientId": SECRET_CLIENT_ID, "Username": "alice", "ConfirmationCode": code, "Password": NEW_PASSWORD}),
    )
    .await
    .assert_error_type("NotAuthorizedException");
    call(
        &pool,
        "ConfirmForgotPassword",
        json!({"ClientId": SECRET_CLIENT_ID, "Username": "alice", "ConfirmationCode": code, "Password": NEW_PASSWORD, "SecretHash": secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET)}),
    )
    .await
    .ok();
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn reset_codes_expire_after_an_hour_and_a_new_one_replaces_the_old() {
    let pool = demo_pool().await;
    forgot(&pool, "alice").await.ok();
    let first = last_code(&pool, "alice", Medium::Email);
    pool.advance_clock(Duration::from_secs(3601));
    confirm(&pool, "alice", &first, NEW_PASSWORD)
        .await
        .assert_error(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        );
    forgot(&pool, "alice").await.ok();
    let second = last_code(&pool, "alice", Medium::Email);
    forgot(&pool, "alice").await.ok();
    let third = last_code(&pool, "alice", Medium::Email);
    if second != third {
        confirm(&pool, "alice", &second, NEW_PASSWORD)
            .await
            .assert_error_type("CodeMismatchException");
    }
    confirm(&pool, "alice", &third, NEW_PASSWORD).await.ok();
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn five_wrong_codes_discard_the_reset_code() {
    let pool = demo_pool().await;
    forgot(&pool, "alice").await.ok();
    let code = last_code(&pool, "alice", Medium::Email);
    let wrong = other_code(&code);
    for _ in 0..4 {
        confirm(&pool, "alice", &wrong, NEW_PASSWORD)
            .await
            .assert_error_type("CodeMismatchException");
    }
    confirm(&pool, "alice", &wrong, NEW_PASSWORD)
        .await
        .assert_error(
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
        );
    confirm(&pool, "alice", &code, NEW_PASSWORD)
        .await
        .assert_error_type("ExpiredCodeException");
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn a_reset_ends_a_temporary_password_and_confirms_the_user() {
    let pool = demo_pool().await;
    let set_password = |permanent: bool| {
        call(
            &pool,
            "AdminSetUserPassword",
            json!({"UserPoolId": POOL_ID, "Username": "alice", "Password": PASSWORD, "Permanent": permanent}),
        )
    };
    let status = || async {
        call(
            &pool,
            "AdminGetUser",
            json!({"UserPoolId": POOL_ID, "Username": "alice"}),
        )
        .await
        .ok()["UserStatus"]
            .clone()
    };
    // On a temporary password, Cognito refuses to send a reset code.
    set_password(false).await.ok();
    forgot(&pool, "alice").await.assert_error(
        "NotAuthorizedException",
        "User password cannot be reset in the current state.",
    );
    // A code sent before an administrator set a temporary password still resets it.
    set_password(true).await.ok();
    forgot(&pool, "alice").await.ok();
    let code = last_code(&pool, "alice", Medium::Email);
    set_password(false).await.ok();
    assert_eq!(status().await, "FORCE_CHANGE_PASSWORD");
    confirm(&pool, "alice", &code, NEW_PASSWORD).await.ok();
    assert_eq!(status().await, "CONFIRMED");
    // Signed in at once: no NEW_PASSWORD_REQUIRED challenge any more.
    let signed_in = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", NEW_PASSWORD)
        .await
        .ok();
    assert!(signed_in["AuthenticationResult"]["AccessToken"].is_string());
    pool.shutdown().await;
}

/// The library's own client and wire types, end to end: what `sign-out` and the
/// forgot-password screens send, the pool answers in the shapes they read.
#[tokio::test]
async fn the_library_client_speaks_every_lifecycle_operation() {
    let pool = demo_pool().await;
    let client = client_of(&pool);
    let (access, refresh_token) = sign_in(&pool, "alice").await;
    let token = |value: &str| SensitiveString::new(value.to_owned());

    let user: GetUserResponse = client
        .call(
            "GetUser",
            &AccessTokenRequest {
                access_token: token(&access),
            },
        )
        .await
        .unwrap();
    assert_eq!(user.username, "alice");
    assert!(user.user_attributes.iter().any(|a| a.name == "sub"));

    let _: Empty = client
        .call(
            "ChangePassword",
            &ChangePasswordRequest {
                access_token: token(&access),
                previous_password: token(PASSWORD),
                proposed_password: token(NEW_PASSWORD),
            },
        )
        .await
        .unwrap();

    let sent: ForgotPasswordResponse = client
        .call(
            "ForgotPassword",
            &ForgotPasswordRequest {
                client_id: PUBLIC_CLIENT_ID.to_owned(),
                username: "alice".to_owned(),
                ..ForgotPasswordRequest::default()
            },
        )
        .await
        .unwrap();
    let details = sent.code_delivery_details.unwrap();
    assert_eq!(details.delivery_medium.as_deref(), Some("EMAIL"));
    assert_eq!(details.destination.as_deref(), Some("a***@e***"));
    let code = last_code(&pool, "alice", Medium::Email);
    let wrong: Result<Empty, ApiError> = client
        .call(
            "ConfirmForgotPassword",
            &ConfirmForgotPasswordRequest {
                client_id: PUBLIC_CLIENT_ID.to_owned(),
                username: "alice".to_owned(),
                confirmation_code: token(&other_code(&code)),
                password: token(PASSWORD),
                secret_hash: None,
            },
        )
        .await;
    match wrong {
        Err(ApiError::Service { kind, .. }) => assert_eq!(kind, ErrorType::CodeMismatch),
        other => panic!("expected CodeMismatchException, got {other:?}"),
    }
    let _: Empty = client
        .call(
            "ConfirmForgotPassword",
            &ConfirmForgotPasswordRequest {
                client_id: PUBLIC_CLIENT_ID.to_owned(),
                username: "alice".to_owned(),
                confirmation_code: token(&code),
                password: token(PASSWORD),
                secret_hash: None,
            },
        )
        .await
        .unwrap();

    let _: Empty = client
        .call(
            "RevokeToken",
            &RevokeTokenRequest {
                token: token(&refresh_token),
                client_id: PUBLIC_CLIENT_ID.to_owned(),
                client_secret: None,
            },
        )
        .await
        .unwrap();
    let (access, refresh_token) = sign_in(&pool, "alice").await;
    let _: Empty = client
        .call(
            "GlobalSignOut",
            &AccessTokenRequest {
                access_token: token(&access),
            },
        )
        .await
        .unwrap();
    refresh(&pool, &refresh_token)
        .await
        .assert_error("NotAuthorizedException", "Refresh Token has been revoked");
    let revoked: Result<GetUserResponse, ApiError> = client
        .call(
            "GetUser",
            &AccessTokenRequest {
                access_token: token(&access),
            },
        )
        .await;
    match revoked {
        Err(error @ ApiError::Service { .. }) => {
            let sentence = error.to_string();
            assert!(sentence.contains("revoked"), "{sentence}");
            assert!(!sentence.contains(&access));
        }
        other => panic!("expected NotAuthorizedException, got {other:?}"),
    }
    pool.shutdown().await;
}
