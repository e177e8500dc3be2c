//! A signed-in person manages their own account with their access token, against the
//! local pool over HTTP: changing attributes, verifying an e-mail address or phone
//! number with the code the pool "sent", turning MFA factors on and off within what the
//! pool allows, enrolling an authenticator, and changing the password. The typed wire
//! client (`cognito::Client`) is what the console calls, so the stories that end in a
//! sign-in go through it.

use std::time::Duration;

use cognito_signin::cognito::types::{
    AccessTokenRequest, AssociateSoftwareTokenRequest, AttributeType, ChangePasswordRequest,
    CodeDeliveryDetailsType, GetUserAttributeVerificationCodeRequest, MfaSettingsType,
    SetUserMfaPreferenceRequest, UpdateUserAttributesRequest, VerifySoftwareTokenRequest,
    VerifyUserAttributeRequest,
};
use cognito_signin::cognito::{ApiError, ErrorType};
use cognito_signin::local_pool::RunningPool;
use cognito_signin::local_pool::demo::{MFA_ON_CLIENT_ID, PASSWORD, POOL_ID, PUBLIC_CLIENT_ID};
use cognito_signin::outbox::Medium;
use cognito_signin::sensitive::SensitiveString;
use serde_json::{Value, json};

use crate::support::pool::{
    Answer, call, client_of, demo_pool, last_code, last_delivery, password_access_token,
    password_sign_in, respond,
};
use crate::support::{other_code, totp_code};

const WRONG_CODE: &str = "Invalid verification code provided, please try again.";
const EXPIRED_CODE: &str = "Invalid code provided, please request a code again.";

/// A demo user's access token from a password sign-in with `client` (no MFA asked).
async fn access_token(pool: &RunningPool, client: &str, username: &str) -> String {
    password_access_token(pool, client, username, PASSWORD).await
}

/// mona's access token: her pool requires MFA, so the e-mailed code follows the password.
async fn mona_access_token(pool: &RunningPool) -> String {
    let challenge = password_sign_in(pool, MFA_ON_CLIENT_ID, "mona", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    let code = last_code(pool, "mona", Medium::Email);
    let done = respond(
        pool,
        MFA_ON_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "mona", "EMAIL_OTP_CODE": code}),
    )
    .await
    .ok();
    done["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn update(pool: &RunningPool, access: &str, attributes: Value) -> Answer {
    call(
        pool,
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": attributes}),
    )
    .await
}

async fn send_code(pool: &RunningPool, access: &str, attribute: &str) -> Answer {
    call(
        pool,
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": attribute}),
    )
    .await
}

async fn verify(pool: &RunningPool, access: &str, attribute: &str, code: &str) -> Answer {
    call(
        pool,
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": attribute, "Code": code}),
    )
    .await
}

async fn set_mfa(pool: &RunningPool, access: &str, settings: Value) -> Answer {
    let mut body = json!({"AccessToken": access});
    crate::support::pool::merge(&mut body, settings);
    call(pool, "SetUserMFAPreference", body).await
}

/// GetUser's value of one attribute.
async fn attribute(pool: &RunningPool, access: &str, name: &str) -> Option<String> {
    let user = call(pool, "GetUser", json!({"AccessToken": access}))
        .await
        .ok();
    user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|attribute| attribute["Name"] == name)
        .and_then(|attribute| attribute["Value"].as_str())
        .map(str::to_owned)
}

fn sensitive(value: &str) -> SensitiveString {
    SensitiveString::from(value)
}

fn turned_on(preferred: bool) -> Option<MfaSettingsType> {
    Some(MfaSettingsType {
        enabled: true,
        preferred_mfa: preferred,
    })
}

// ---------------------------------------------------------------- attributes and codes

#[tokio::test]
async fn a_changed_address_is_unverified_until_the_code_sent_to_it_comes_back() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    assert_eq!(
        attribute(&pool, &access, "email_verified").await.as_deref(),
        Some("true")
    );

    let sent = update(
        &pool,
        &access,
        json!([{"Name": "email", "Value": "alice.new@example.com"}]),
    )
    .await
    .ok();
    assert_eq!(
        sent["CodeDeliveryDetailsList"],
        json!([{"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    );
    assert_eq!(
        attribute(&pool, &access, "email").await.as_deref(),
        Some("alice.new@example.com")
    );
    assert_eq!(
        attribute(&pool, &access, "email_verified").await.as_deref(),
        Some("false")
    );
    let delivery = last_delivery(&pool, "alice", Medium::Email);
    assert_eq!(delivery.destination, "alice.new@example.com");
    assert_eq!(delivery.code.len(), 6);

    verify(&pool, &access, "email", &delivery.code).await.ok();
    assert_eq!(
        attribute(&pool, &access, "email_verified").await.as_deref(),
        Some("true")
    );
    // A code is used once.
    verify(&pool, &access, "email", &delivery.code)
        .await
        .assert_error("ExpiredCodeException", EXPIRED_CODE);
    // An attribute left as it was needs no code.
    let unchanged = update(
        &pool,
        &access,
        json!([{"Name": "name", "Value": "Alice Example"}]),
    )
    .await
    .ok();
    assert!(
        unchanged["CodeDeliveryDetailsList"].is_null(),
        "{unchanged:?}"
    );
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_the_right_one_still_verifies() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "cody").await;
    update(
        &pool,
        &access,
        json!([{"Name": "phone_number", "Value": "+15555550177"}]),
    )
    .await
    .ok();
    let sent = send_code(&pool, &access, "phone_number").await.ok();
    assert_eq!(
        sent["CodeDeliveryDetails"],
        json!({"Destination": "+*******0177", "DeliveryMedium": "SMS", "AttributeName": "phone_number"})
    );
    let code = last_code(&pool, "cody", Medium::Sms);

    verify(&pool, &access, "phone_number", &other_code(&code))
        .await
        .assert_error("CodeMismatchException", WRONG_CODE);
    assert_eq!(
        attribute(&pool, &access, "phone_number_verified")
            .await
            .as_deref(),
        Some("false")
    );
    verify(&pool, &access, "phone_number", &code).await.ok();
    assert_eq!(
        attribute(&pool, &access, "phone_number_verified")
            .await
            .as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn five_wrong_codes_use_the_code_up() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    send_code(&pool, &access, "email").await.ok();
    let code = last_code(&pool, "alice", Medium::Email);
    for _ in 0..4 {
        verify(&pool, &access, "email", &other_code(&code))
            .await
            .assert_error("CodeMismatchException", WRONG_CODE);
    }
    verify(&pool, &access, "email", &other_code(&code))
        .await
        .assert_error(
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
        );
    verify(&pool, &access, "email", &code)
        .await
        .assert_error("ExpiredCodeException", EXPIRED_CODE);
}

#[tokio::test]
async fn an_expired_code_must_be_requested_again() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    send_code(&pool, &access, "email").await.ok();
    let code = last_code(&pool, "alice", Medium::Email);

    // A day later the first access token has long expired: sign in again.
    pool.advance_clock(Duration::from_secs(24 * 3600 + 60));
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    verify(&pool, &access, "email", &code)
        .await
        .assert_error("ExpiredCodeException", EXPIRED_CODE);

    send_code(&pool, &access, "email").await.ok();
    let fresh = last_code(&pool, "alice", Medium::Email);
    verify(&pool, &access, "email", &fresh).await.ok();
}

#[tokio::test]
async fn a_code_sent_to_an_earlier_address_verifies_nothing() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    send_code(&pool, &access, "email").await.ok();
    let code = last_code(&pool, "alice", Medium::Email);
    // An administrator changes the address meanwhile (and sends nothing).
    call(
        &pool,
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL_ID, "Username": "alice", "UserAttributes": [
            {"Name": "email", "Value": "alice.elsewhere@example.com"},
        ]}),
    )
    .await
    .ok();
    verify(&pool, &access, "email", &code)
        .await
        .assert_error("ExpiredCodeException", EXPIRED_CODE);
    assert_eq!(
        attribute(&pool, &access, "email_verified").await.as_deref(),
        Some("false")
    );
}

#[tokio::test]
async fn what_a_user_cannot_change_or_verify() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "cody").await;
    update(&pool, &access, json!([{"Name": "sub", "Value": "mine"}]))
        .await
        .assert_error(
            "InvalidParameterException",
            "Cannot modify an immutable attribute: sub",
        );
    update(
        &pool,
        &access,
        json!([{"Name": "favourite_colour", "Value": "blue"}]),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "user.favourite_colour: Attribute does not exist in the schema.",
    );
    update(
        &pool,
        &access,
        json!([{"Name": "email_verified", "Value": "true"}]),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    );
    update(&pool, &access, json!([{"Name": "name", "Value": ""}]))
        .await
        .assert_error(
            "InvalidParameterException",
            "The required attribute name cannot be emptied.",
        );
    // A custom attribute is taken; nothing is sent for it.
    update(
        &pool,
        &access,
        json!([{"Name": "custom:team", "Value": "blue"}]),
    )
    .await
    .ok();

    send_code(&pool, &access, "email").await.assert_error(
        "InvalidParameterException",
        "The user has no email to verify; add one with UpdateUserAttributes.",
    );
    send_code(&pool, &access, "name").await.assert_error(
        "InvalidParameterException",
        "name cannot be verified: only email and phone_number are verified with a code.",
    );
    verify(&pool, &access, "email", "123456")
        .await
        .assert_error_type("InvalidParameterException");
    send_code(&pool, "not-a-token", "email")
        .await
        .assert_error("NotAuthorizedException", "Invalid Access Token");
    let before = pool.outbox().len();
    update(
        &pool,
        "not-a-token",
        json!([{"Name": "email", "Value": "x@example.com"}]),
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid Access Token");
    assert_eq!(
        pool.outbox().len(),
        before,
        "nothing is sent for a refused call"
    );
}

#[tokio::test]
async fn a_pool_closed_to_unsigned_calls_still_takes_a_users_own_calls() {
    let pool = demo_pool().await;
    pool.allow_access_key("AKIAEXAMPLEKEY000001", "example-secret");
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    send_code(&pool, &access, "email").await.ok();
    verify(
        &pool,
        &access,
        "email",
        &last_code(&pool, "alice", Medium::Email),
    )
    .await
    .ok();
    update(&pool, &access, json!([{"Name": "nickname", "Value": "Al"}]))
        .await
        .ok();
}

// ---------------------------------------------------------------- MFA preferences

#[tokio::test]
async fn a_factor_the_pool_does_not_allow_is_refused() {
    let pool = demo_pool().await;
    // mona's pool turns on TOTP and e-mail codes, not SMS.
    let access = mona_access_token(&pool).await;
    update(
        &pool,
        &access,
        json!([{"Name": "phone_number", "Value": "+15555550188"}]),
    )
    .await
    .ok();
    set_mfa(
        &pool,
        &access,
        json!({"SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "SMS_MFA is not enabled for this user pool.",
    );
    // Nor can an authenticator be associated where TOTP is off: alice's pool allows it,
    // so turn it off there first.
    call(
        &pool,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OPTIONAL", "EmailMfaConfiguration": {}}),
    )
    .await
    .ok();
    let alice = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    call(
        &pool,
        "AssociateSoftwareToken",
        json!({"AccessToken": alice}),
    )
    .await
    .assert_error(
        "SoftwareTokenMFANotFoundException",
        "Software token MFA is not enabled for this user pool.",
    );
}

#[tokio::test]
async fn where_mfa_is_on_the_last_factor_cannot_be_turned_off() {
    let pool = demo_pool().await;
    let access = mona_access_token(&pool).await;
    set_mfa(
        &pool,
        &access,
        json!({"EmailMfaSettings": {"Enabled": false, "PreferredMfa": false}}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "MFA is required in this user pool: the user's last MFA factor cannot be turned off.",
    );
    let user = call(&pool, "GetUser", json!({"AccessToken": access}))
        .await
        .ok();
    assert_eq!(user["UserMFASettingList"], json!(["EMAIL_OTP"]));

    // Where MFA is optional, erin may turn her only factor off, and signs in without it.
    let erin = {
        let challenge = password_sign_in(&pool, PUBLIC_CLIENT_ID, "erin", PASSWORD)
            .await
            .ok();
        let code = last_code(&pool, "erin", Medium::Email);
        respond(
            &pool,
            PUBLIC_CLIENT_ID,
            "EMAIL_OTP",
            &challenge["Session"],
            json!({"USERNAME": "erin", "EMAIL_OTP_CODE": code}),
        )
        .await
        .ok()["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    set_mfa(
        &pool,
        &erin,
        json!({"EmailMfaSettings": {"Enabled": false, "PreferredMfa": false}}),
    )
    .await
    .ok();
    access_token(&pool, PUBLIC_CLIENT_ID, "erin").await;
}

#[tokio::test]
async fn an_authenticator_enrolled_after_sign_in_is_asked_for_at_the_next_sign_in() {
    let pool = demo_pool().await;
    let client = client_of(&pool);
    let access = sensitive(&access_token(&pool, PUBLIC_CLIENT_ID, "alice").await);

    let associated = client
        .associate_software_token(&AssociateSoftwareTokenRequest {
            access_token: Some(access.clone()),
            session: None,
        })
        .await
        .unwrap();
    assert!(associated.session.is_none());
    let secret = associated.secret_code.unwrap().expose().clone();
    let verified = client
        .verify_software_token(&VerifySoftwareTokenRequest {
            access_token: Some(access.clone()),
            session: None,
            user_code: sensitive(&totp_code(&secret, 0)),
            friendly_device_name: Some("Alice's phone".into()),
        })
        .await
        .unwrap();
    assert_eq!(verified.status.as_deref(), Some("SUCCESS"));
    assert!(verified.session.is_none());

    // Verifying enrols the authenticator but does not turn MFA on by itself.
    let user = client
        .get_user(&AccessTokenRequest {
            access_token: access.clone(),
        })
        .await
        .unwrap();
    assert!(user.user_mfa_setting_list.is_empty());
    assert_eq!(user.preferred_mfa_setting, None);
    access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;

    client
        .set_user_mfa_preference(&SetUserMfaPreferenceRequest {
            access_token: access.clone(),
            software_token_mfa_settings: turned_on(true),
            ..SetUserMfaPreferenceRequest::default()
        })
        .await
        .unwrap();
    let user = client
        .get_user(&AccessTokenRequest {
            access_token: access,
        })
        .await
        .unwrap();
    assert_eq!(user.user_mfa_setting_list, ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        user.preferred_mfa_setting.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );

    let challenge = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"],
        "Alice's phone"
    );
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SOFTWARE_TOKEN_MFA",
        &challenge["Session"],
        json!({"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&secret, 1)}),
    )
    .await
    .ok();
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
}

#[tokio::test]
async fn email_codes_after_verifying_the_address_through_the_wire_client() {
    let pool = demo_pool().await;
    let client = client_of(&pool);
    let access = sensitive(&access_token(&pool, PUBLIC_CLIENT_ID, "cody").await);

    let sent = client
        .update_user_attributes(&UpdateUserAttributesRequest {
            access_token: access.clone(),
            user_attributes: vec![AttributeType {
                name: "email".into(),
                value: "cody@example.com".into(),
            }],
            client_metadata: None,
        })
        .await
        .unwrap();
    let emailed = CodeDeliveryDetailsType {
        destination: Some("c***@e***".into()),
        delivery_medium: Some("EMAIL".into()),
        attribute_name: Some("email".into()),
    };
    assert_eq!(
        sent.code_delivery_details_list,
        std::slice::from_ref(&emailed)
    );
    // Asking again sends a new code, which replaces the first.
    let first = last_code(&pool, "cody", Medium::Email);
    let again = client
        .get_user_attribute_verification_code(&GetUserAttributeVerificationCodeRequest {
            access_token: access.clone(),
            attribute_name: "email".into(),
            client_metadata: None,
        })
        .await
        .unwrap();
    assert_eq!(again.code_delivery_details, Some(emailed));
    let code = last_code(&pool, "cody", Medium::Email);
    let verify_with = |code: &str| VerifyUserAttributeRequest {
        access_token: access.clone(),
        attribute_name: "email".into(),
        code: sensitive(code),
    };
    if first != code {
        let refused = client.verify_user_attribute(&verify_with(&first)).await;
        assert_eq!(
            refused.err().as_ref().and_then(ApiError::kind),
            Some(&ErrorType::CodeMismatch)
        );
    }
    client
        .verify_user_attribute(&verify_with(&code))
        .await
        .unwrap();

    client
        .set_user_mfa_preference(&SetUserMfaPreferenceRequest {
            access_token: access,
            email_mfa_settings: turned_on(true),
            ..SetUserMfaPreferenceRequest::default()
        })
        .await
        .unwrap();
    let challenge = password_sign_in(&pool, PUBLIC_CLIENT_ID, "cody", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "c***@e***"
    );
}

#[tokio::test]
async fn an_unverified_address_gets_mfa_codes_and_the_first_one_verifies_it() {
    let pool = demo_pool().await;
    let access = access_token(&pool, PUBLIC_CLIENT_ID, "alice").await;
    update(
        &pool,
        &access,
        json!([{"Name": "email", "Value": "alice.new@example.com"}]),
    )
    .await
    .ok();
    set_mfa(
        &pool,
        &access,
        json!({"EmailMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .ok();
    let challenge = password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", PASSWORD)
        .await
        .ok();
    assert_eq!(challenge["ChallengeName"], "EMAIL_OTP");
    let code = last_code(&pool, "alice", Medium::Email);
    let done = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "EMAIL_OTP",
        &challenge["Session"],
        json!({"USERNAME": "alice", "EMAIL_OTP_CODE": code}),
    )
    .await
    .ok();
    let fresh = done["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    assert_eq!(
        attribute(&pool, fresh, "email_verified").await.as_deref(),
        Some("true")
    );
}

// ---------------------------------------------------------------- password

#[tokio::test]
async fn a_new_password_the_policy_refuses_is_named_by_its_rule() {
    let pool = demo_pool().await;
    let client = client_of(&pool);
    let access = sensitive(&access_token(&pool, PUBLIC_CLIENT_ID, "alice").await);
    let change = |proposed: &str| ChangePasswordRequest {
        access_token: access.clone(),
        previous_password: sensitive(PASSWORD),
        proposed_password: sensitive(proposed),
    };
    for (proposed, rule) in [
        ("Sh0rt!", "Password not long enough"),
        ("nouppercase1!", "Password must have uppercase characters"),
        ("NoSymbols123", "Password must have symbol characters"),
    ] {
        match client.change_password(&change(proposed)).await {
            Err(ApiError::Service { kind, message, .. }) => {
                assert_eq!(kind, ErrorType::InvalidPassword);
                assert_eq!(
                    message,
                    format!("Password does not conform to policy: {rule}")
                );
                assert!(!message.contains(proposed));
            }
            other => panic!("{proposed}: {other:?}"),
        }
    }
    client
        .change_password(&change("Brand-New-Password-2?"))
        .await
        .unwrap();
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "alice", "Brand-New-Password-2?")
        .await
        .ok();
}
