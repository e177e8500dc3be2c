//! Verifying a signed-in user's e-mail address or phone number, by AccessToken:
//! `GetUserAttributeVerificationCode` sends a 6-digit code through the outbox (e-mail
//! for `email`, SMS for `phone_number`) and `VerifyUserAttribute` takes it back, which
//! sets `email_verified` or `phone_number_verified` to "true".
//!
//! As Cognito does it (see docs/cognito-compatibility.md for each source):
//! - any other attribute, or one the user does not have, is InvalidParameterException;
//! - a wrong code is CodeMismatchException "Invalid verification code provided, please
//!   try again." and can be retried; the fifth wrong one discards the code
//!   (LimitExceededException), as the pool does for password-reset codes;
//! - an expired code (24 hours), a code already used, none sent, or a code sent to a
//!   value the attribute no longer has is ExpiredCodeException "Invalid code provided,
//!   please request a code again.";
//! - a newer code replaces the earlier one.

use crate::cognito::types::{
    CodeDeliveryDetailsType, Empty, GetUserAttributeVerificationCodeRequest,
    GetUserAttributeVerificationCodeResponse, VerifyUserAttributeRequest,
};
use crate::local_pool::codes::{self, SentCode, SentFor};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{Locked, Shared, User};
use crate::outbox::{Delivery, Medium};

use super::access::token_user;
use super::attributes::VERIFIABLE;
use super::printable;

/// `GetUserAttributeVerificationCode`.
pub fn get_code(
    shared: &Shared,
    request: GetUserAttributeVerificationCodeRequest,
) -> ApiResult<GetUserAttributeVerificationCodeResponse> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let attribute = verifiable(&request.attribute_name)?;
    let mut state = shared.lock();
    let user = state.user(&pool_id, &username)?.clone();
    let details = send_code(shared, &mut state, &pool_id, &user, attribute)?;
    Ok(GetUserAttributeVerificationCodeResponse {
        code_delivery_details: Some(details),
    })
}

/// `VerifyUserAttribute`.
pub fn verify(shared: &Shared, request: VerifyUserAttributeRequest) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let attribute = verifiable(&request.attribute_name)?;
    let given = request.code.expose();
    if given.is_empty() || given.chars().any(char::is_whitespace) {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "1 validation error detected: Value at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
        ));
    }
    let now = shared.clock.now();
    let purpose = SentFor::Verification(attribute.to_owned());
    let mut state = shared.lock();
    let user = state.user(&pool_id, &username)?;
    let current = destination(user, attribute)?.to_owned();
    let stale = state
        .sent_code(&pool_id, &username, &purpose)
        .is_some_and(|sent| sent.destination != current);
    if stale {
        state.forget_code(&pool_id, &username, &purpose);
        return Err(codes::expired_code());
    }
    state
        .check_code(&pool_id, &username, &purpose, given, now)
        .answer()?;
    state.forget_code(&pool_id, &username, &purpose);
    state
        .user_mut(&pool_id, &username)?
        .set_attribute(&format!("{attribute}_verified"), "true");
    Ok(Empty {})
}

/// Sends `user` a fresh code for `attribute` (`email` or `phone_number`) through the
/// outbox, keeps it for VerifyUserAttribute, and says where it went.
pub(super) fn send_code(
    shared: &Shared,
    state: &mut Locked<'_>,
    pool_id: &str,
    user: &User,
    attribute: &str,
) -> ApiResult<CodeDeliveryDetailsType> {
    let address = destination(user, attribute)?;
    let medium = if attribute == "email" {
        Medium::Email
    } else {
        Medium::Sms
    };
    let code = codes::new_code();
    let now = shared.clock.now();
    state.remember_code(
        pool_id,
        &user.username,
        SentFor::Verification(attribute.to_owned()),
        SentCode::new(&code, address, now),
    );
    shared.outbox.deliver(Delivery {
        sent: now,
        pool_id: pool_id.to_owned(),
        medium,
        username: user.username.clone(),
        destination: address.to_owned(),
        text: codes::message(None, &code),
        code,
    });
    Ok(codes::delivery_details(medium, attribute, address))
}

/// The attribute name if a code can verify it (`email`, `phone_number`).
fn verifiable(name: &str) -> ApiResult<&'static str> {
    VERIFIABLE
        .iter()
        .copied()
        .find(|verifiable| *verifiable == name)
        .ok_or_else(|| {
            ApiError::new(
                ErrorType::InvalidParameter,
                format!(
                    "{} cannot be verified: only email and phone_number are verified with a code.",
                    printable(name)
                ),
            )
        })
}

/// The user's value of `attribute`, or InvalidParameterException when they have none.
fn destination<'a>(user: &'a User, attribute: &str) -> ApiResult<&'a str> {
    user.attribute(attribute).ok_or_else(|| {
        ApiError::new(
            ErrorType::InvalidParameter,
            format!("The user has no {attribute} to verify; add one with UpdateUserAttributes."),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_email_and_phone_number_are_verified_and_names_are_printed_safely() {
        assert_eq!(verifiable("email").unwrap(), "email");
        assert_eq!(verifiable("phone_number").unwrap(), "phone_number");
        let refused = verifiable("name\u{1b}[2J").unwrap_err();
        assert_eq!(refused.error_type, ErrorType::InvalidParameter);
        assert_eq!(
            refused.message,
            "name[2J cannot be verified: only email and phone_number are verified with a code."
        );
    }

    #[test]
    fn a_user_without_the_attribute_has_nothing_to_verify() {
        let mut user = User::example("cody");
        let missing = destination(&user, "email").unwrap_err();
        assert_eq!(
            missing.message,
            "The user has no email to verify; add one with UpdateUserAttributes."
        );
        user.set_attribute("email", "cody@example.com");
        assert_eq!(destination(&user, "email").unwrap(), "cody@example.com");
    }
}
