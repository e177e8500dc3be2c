//! Resetting a forgotten password: `ForgotPassword` sends a 6-digit code and
//! `ConfirmForgotPassword` takes it back with the new password.
//!
//! As Cognito does it:
//! - the code goes to the verified email, or else to the verified phone_number
//!   (Cognito's AccountRecoverySetting can change that order; the local pool has
//!   none), through the outbox; the answer says where, masked;
//! - a user with neither gets InvalidParameterException; a disabled user, or one
//!   still on a temporary password (FORCE_CHANGE_PASSWORD), NotAuthorizedException;
//! - an unknown username gets UserNotFoundException when the app client's
//!   PreventUserExistenceErrors is LEGACY; when it is ENABLED, an unknown or disabled
//!   user gets a simulated delivery (CodeDeliveryDetails that look real, nothing
//!   sent: e-mail, or SMS when the username is a phone number), and
//!   ConfirmForgotPassword for them CodeMismatchException (Cognito's "Managing user
//!   existence error responses");
//! - a code lives one hour and is used once; a newer ForgotPassword replaces it;
//!   five wrong codes discard it (LimitExceededException);
//! - success sets the password (a new SRP verifier) and CONFIRMED status. Tokens
//!   already issued stay valid, as in Cognito.

use std::collections::BTreeMap;

use crate::cognito::types::{
    CodeDeliveryDetailsType, ConfirmForgotPasswordRequest, Empty, ForgotPasswordRequest,
    ForgotPasswordResponse,
};
use crate::crypto::UserVerifier;
use crate::crypto::srp::pool_name;
use crate::local_pool::codes::{self, SentCode, SentFor};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::phantom;
use crate::local_pool::state::{AppClient, Shared, User, UserStatus};
use crate::outbox::{Delivery, Medium};
use crate::sensitive::SensitiveString;

use super::{password_policy, secret_hash};

/// `ForgotPassword`: sends a reset code and says where it went.
pub fn forgot_password(
    shared: &Shared,
    request: ForgotPasswordRequest,
) -> ApiResult<ForgotPasswordResponse> {
    let (pool_id, user) = match client_user(
        shared,
        &request.client_id,
        &request.username,
        request.secret_hash.as_ref(),
    )? {
        Found::User(pool_id, user) if user.enabled => (pool_id, *user),
        Found::User(pool_id, _) if hides_unknown(shared, &request.client_id) => {
            return Ok(simulated_delivery(&pool_id, &request.username));
        }
        Found::User(..) => {
            return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
        }
        Found::Unknown(pool_id) => return Ok(simulated_delivery(&pool_id, &request.username)),
    };
    if user.status == UserStatus::ForceChangePassword {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            "User password cannot be reset in the current state.",
        ));
    }
    let (medium, attribute, destination) = recovery_destination(&user).ok_or_else(|| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        )
    })?;
    let code = codes::new_code();
    let now = shared.clock.now();
    shared.lock().remember_code(
        &pool_id,
        &user.username,
        SentFor::PasswordReset,
        SentCode::new(&code, destination, now),
    );
    shared.outbox.deliver(Delivery {
        sent: now,
        pool_id,
        medium,
        username: user.username.clone(),
        destination: destination.to_owned(),
        text: codes::message(None, &code),
        code,
    });
    Ok(ForgotPasswordResponse {
        code_delivery_details: Some(codes::delivery_details(medium, attribute, destination)),
    })
}

/// `ConfirmForgotPassword`: the code ForgotPassword sent, and the new password.
pub fn confirm_forgot_password(
    shared: &Shared,
    request: ConfirmForgotPasswordRequest,
) -> ApiResult<Empty> {
    let (pool_id, user) = match client_user(
        shared,
        &request.client_id,
        &request.username,
        request.secret_hash.as_ref(),
    )? {
        Found::User(_, user) if !user.enabled && hides_unknown(shared, &request.client_id) => {
            return Err(wrong_reset_code());
        }
        Found::User(pool_id, user) => (pool_id, *user),
        Found::Unknown(_) => return Err(wrong_reset_code()),
    };
    let now = shared.clock.now();
    let given = request.confirmation_code.expose();
    shared
        .lock()
        .check_code(
            &pool_id,
            &user.username,
            &SentFor::PasswordReset,
            given,
            now,
        )
        .answer()?;
    // A right code with a password the policy refuses is kept for another try.
    password_policy::check(request.password.expose())?;
    // Computed without the lock held: one modular exponentiation.
    let verifier = UserVerifier::generate(
        pool_name(&pool_id),
        &user.username,
        request.password.expose(),
    );
    let mut state = shared.lock();
    // Used once: a second confirmation with the same code is refused. If another
    // request used the code meanwhile, this one is refused the same way.
    let still_there = state
        .sent_code(&pool_id, &user.username, &SentFor::PasswordReset)
        .is_some_and(|sent| sent.matches(given));
    if !still_there {
        return Err(codes::expired_code());
    }
    state.forget_code(&pool_id, &user.username, &SentFor::PasswordReset);
    let stored = state.user_mut(&pool_id, &user.username)?;
    stored.verifier = verifier;
    stored.status = UserStatus::Confirmed;
    Ok(Empty {})
}

/// ConfirmForgotPassword's answer to a wrong code (and, when the client prevents
/// user-existence errors, to any code for an unknown or disabled user).
fn wrong_reset_code() -> ApiError {
    codes::wrong_code()
}

/// Whom a ForgotPassword or ConfirmForgotPassword names.
enum Found {
    /// A user of the pool (whose id comes first).
    User(String, Box<User>),
    /// A username the pool does not know, for a client that prevents user-existence
    /// errors (the pool's id).
    Unknown(String),
}

/// The pool and user a ForgotPassword or ConfirmForgotPassword names, the client's
/// SECRET_HASH checked (over the username) before the user is looked up. An unknown
/// username is UserNotFoundException unless the client prevents user-existence errors.
fn client_user(
    shared: &Shared,
    client_id: &str,
    username: &str,
    sent_hash: Option<&SensitiveString>,
) -> ApiResult<Found> {
    let state = shared.lock();
    let (pool, client): (_, &AppClient) = state.client(client_id)?;
    let mut parameters = BTreeMap::new();
    if let Some(hash) = sent_hash {
        parameters.insert("SECRET_HASH".to_owned(), hash.expose().clone());
    }
    secret_hash::check(client, &parameters, &[username])?;
    match pool.users().get(username) {
        Some(user) => Ok(Found::User(pool.id.clone(), Box::new(user.clone()))),
        None if client.hides_unknown_users() => Ok(Found::Unknown(pool.id.clone())),
        None => Err(ApiError::new(
            ErrorType::UserNotFound,
            "Username/client id combination not found.",
        )),
    }
}

/// Whether the client prevents user-existence errors.
fn hides_unknown(shared: &Shared, client_id: &str) -> bool {
    shared
        .lock()
        .client(client_id)
        .is_ok_and(|(_, client)| client.hides_unknown_users())
}

/// ForgotPassword's answer for a user it must not reveal: where a code "went", made
/// up from the username (`local_pool::phantom`); nothing is sent.
fn simulated_delivery(pool_id: &str, username: &str) -> ForgotPasswordResponse {
    let medium = phantom::recovery_medium(username);
    let attribute = match medium {
        Medium::Email => "email",
        Medium::Sms => "phone_number",
    };
    ForgotPasswordResponse {
        code_delivery_details: Some(CodeDeliveryDetailsType {
            destination: Some(phantom::destination(pool_id, username, medium)),
            delivery_medium: Some(medium.api_name().to_owned()),
            attribute_name: Some(attribute.to_owned()),
        }),
    }
}

/// Where a reset code goes: the verified email, else the verified phone number.
fn recovery_destination(user: &User) -> Option<(Medium, &'static str, &str)> {
    if user.verified("email")
        && let Some(address) = user.attribute("email")
    {
        return Some((Medium::Email, "email", address));
    }
    if user.verified("phone_number")
        && let Some(phone) = user.attribute("phone_number")
    {
        return Some((Medium::Sms, "phone_number", phone));
    }
    None
}
