//! The operations the pool serves, one module per group, and the dispatch from
//! `X-Amz-Target` to them.

mod access;
mod admin;
mod attributes;
mod auth;
mod challenge;
mod constraints;
mod custom;
mod device_auth;
mod devices;
mod forgot_password;
mod mfa_answers;
mod mfa_config;
mod next_step;
mod passkeys;
mod password_policy;
mod refresh;
mod secret_hash;
mod session_tokens;
mod sign_out;
mod software_token;
mod srp_proof;
mod user;
mod user_auth;
mod verification;
mod web_authn_sign_in;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, ApiResult, ErrorType};
use super::state::Shared;

/// Runs one operation on a JSON body and gives the JSON answer.
pub fn dispatch(shared: &Shared, operation: &str, body: &[u8]) -> ApiResult<Value> {
    match operation {
        "CreateUserPool" => answer(admin::create_user_pool(shared, parse(body)?, parse(body)?)),
        "DescribeUserPool" => answer(admin::describe_user_pool(shared, parse(body)?)),
        "CreateUserPoolClient" => answer(admin::create_user_pool_client(shared, parse(body)?)),
        "DescribeUserPoolClient" => answer(admin::describe_user_pool_client(shared, parse(body)?)),
        "UpdateUserPoolClient" => answer(admin::update_user_pool_client(shared, parse(body)?)),
        "AdminCreateUser" => answer(admin::admin_create_user(shared, parse(body)?)),
        "AdminSetUserPassword" => answer(admin::admin_set_user_password(shared, parse(body)?)),
        "AdminGetUser" => answer(admin::admin_get_user(shared, parse(body)?)),
        "AdminDisableUser" => answer(admin::admin_set_enabled(shared, parse(body)?, false)),
        "AdminEnableUser" => answer(admin::admin_set_enabled(shared, parse(body)?, true)),
        "AdminUpdateUserAttributes" => answer(attributes::admin_update(shared, parse(body)?)),
        "UpdateUserAttributes" => answer(attributes::update(shared, parse(body)?)),
        "GetUserAttributeVerificationCode" => answer(verification::get_code(shared, parse(body)?)),
        "VerifyUserAttribute" => answer(verification::verify(shared, parse(body)?)),
        "SetUserPoolMfaConfig" => answer(mfa_config::set_pool(shared, parse(body)?)),
        "GetUserPoolMfaConfig" => answer(mfa_config::get_pool(shared, parse(body)?)),
        "AdminSetUserMFAPreference" => answer(mfa_config::admin_set_user(shared, parse(body)?)),
        "SetUserMFAPreference" => answer(mfa_config::set_user(shared, parse(body)?)),
        "AssociateSoftwareToken" => answer(software_token::associate(shared, parse(body)?)),
        "VerifySoftwareToken" => answer(software_token::verify(shared, parse(body)?)),
        "InitiateAuth" => answer(auth::initiate_auth(shared, parse(body)?)),
        "AdminInitiateAuth" => answer(auth::admin_initiate_auth(shared, parse(body)?)),
        "AdminRespondToAuthChallenge" => answer(challenge::admin_respond_to_auth_challenge(
            shared,
            parse(body)?,
        )),
        "RespondToAuthChallenge" => {
            answer(challenge::respond_to_auth_challenge(shared, parse(body)?))
        }
        "GetTokensFromRefreshToken" => {
            answer(refresh::get_tokens_from_refresh_token(shared, parse(body)?))
        }
        "GlobalSignOut" => answer(sign_out::global_sign_out(shared, parse(body)?)),
        "AdminUserGlobalSignOut" => {
            answer(sign_out::admin_user_global_sign_out(shared, parse(body)?))
        }
        "RevokeToken" => answer(sign_out::revoke_token(shared, parse(body)?)),
        "ForgotPassword" => answer(forgot_password::forgot_password(shared, parse(body)?)),
        "ConfirmForgotPassword" => answer(forgot_password::confirm_forgot_password(
            shared,
            parse(body)?,
        )),
        "GetUser" => answer(user::get_user(shared, parse(body)?)),
        "ChangePassword" => answer(user::change_password(shared, parse(body)?)),
        "ConfirmDevice" => answer(devices::confirm_device(shared, parse(body)?)),
        "UpdateDeviceStatus" => answer(devices::update_device_status(shared, parse(body)?)),
        "ListDevices" => answer(devices::list_devices(shared, parse(body)?)),
        "ForgetDevice" => answer(devices::forget_device(shared, parse(body)?)),
        "AdminListDevices" => answer(devices::admin_list_devices(shared, parse(body)?)),
        "AdminForgetDevice" => answer(devices::admin_forget_device(shared, parse(body)?)),
        "StartWebAuthnRegistration" => answer(passkeys::start(shared, parse(body)?)),
        "CompleteWebAuthnRegistration" => answer(passkeys::complete(shared, parse(body)?)),
        "ListWebAuthnCredentials" => answer(passkeys::list(shared, parse(body)?)),
        "DeleteWebAuthnCredential" => answer(passkeys::delete(shared, parse(body)?)),
        other => Err(ApiError::new(
            ErrorType::UnknownOperation,
            format!(
                "The local pool does not serve the operation '{}'.",
                printable(other)
            ),
        )),
    }
}

/// Turns an operation's typed answer into JSON.
fn answer<T: Serialize>(result: ApiResult<T>) -> ApiResult<Value> {
    let value = result?;
    serde_json::to_value(value).map_err(|error| {
        ApiError::new(
            ErrorType::InternalError,
            format!("The local pool could not write its answer: {error}"),
        )
    })
}

/// Reads a request body: not JSON → SerializationException; JSON of the wrong shape →
/// InvalidParameterException naming the field. Values are never echoed (they may be secrets).
fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        ApiError::new(
            ErrorType::Serialization,
            "The request body is not valid JSON; send a JSON object.",
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorType::Serialization,
            "The request body must be a JSON object.",
        ));
    }
    constraints::check(&value)?;
    serde_json::from_value(value).map_err(|error| {
        let text = error.to_string();
        let message = match text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(field) => format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(field)
            ),
            None => "The request has a field of the wrong JSON type; check it against the API reference."
                .to_owned(),
        };
        ApiError::new(ErrorType::InvalidParameter, message)
    })
}

/// `ClientId` → `clientId`, as Cognito names members in validation messages.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An operation name as safe to print back: at most 64 visible ASCII characters.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(64)
        .collect()
}

/// A required string parameter of AuthParameters or ChallengeResponses.
fn required<'a>(
    map: &'a std::collections::BTreeMap<String, String>,
    name: &str,
) -> ApiResult<&'a str> {
    map.get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::missing(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::types::DescribeUserPoolRequest;

    #[test]
    fn bodies_that_are_not_json_are_serialization_errors() {
        let error = parse::<DescribeUserPoolRequest>(b"{not json").err();
        assert_eq!(error.map(|e| e.error_type), Some(ErrorType::Serialization));
        let error = parse::<DescribeUserPoolRequest>(b"[1]").err();
        assert_eq!(error.map(|e| e.error_type), Some(ErrorType::Serialization));
    }

    #[test]
    fn missing_fields_are_named() {
        let error = parse::<DescribeUserPoolRequest>(b"{}").err();
        assert_eq!(
            error.map(|e| e.message),
            Some("1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null".to_owned())
        );
    }

    #[test]
    fn wrong_types_do_not_echo_values() {
        let error = parse::<DescribeUserPoolRequest>(br#"{"UserPoolId": ["hunter2"]}"#).err();
        let error = error.map(|e| e.message).unwrap_or_default();
        assert!(!error.contains("hunter2"));
    }
}
