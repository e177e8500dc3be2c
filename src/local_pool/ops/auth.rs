//! `InitiateAuth`: USER_SRP_AUTH and USER_PASSWORD_AUTH here; USER_AUTH, CUSTOM_AUTH
//! and REFRESH_TOKEN_AUTH (`refresh`) in their own modules.

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use crate::cognito::AuthFlowType;
use crate::cognito::types::{AdminInitiateAuthRequest, AuthResponse, InitiateAuthRequest};
use crate::crypto::SrpServer;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::phantom;
use crate::local_pool::secret_block::BlockPurpose;
use crate::local_pool::state::{
    AfterPassword, AfterProof, AppClient, Locked, Shared, User, unlocked,
};

use super::next_step::{self, Who};
use super::{custom, refresh, required, secret_hash, srp_proof, user_auth};

/// Cognito's answer to an AuthFlow the API does not define: it lists the ones it does.
fn unknown_flow() -> ApiError {
    let all: Vec<&str> = AuthFlowType::ALL.iter().map(AuthFlowType::as_str).collect();
    ApiError::new(
        ErrorType::InvalidParameter,
        format!(
            "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            all.join(", ")
        ),
    )
}

/// `InitiateAuth`: finds the client, checks the flow is allowed, and runs it.
pub fn initiate_auth(shared: &Shared, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    let (pool_id, client) = {
        let state = shared.lock();
        let (pool, client) = state.client(&request.client_id)?;
        (pool.id.clone(), client.clone())
    };
    let flow = match request.auth_flow {
        AuthFlowType::RefreshToken => AuthFlowType::RefreshTokenAuth,
        other => other,
    };
    let parameters = request.auth_parameters.expose();
    match &flow {
        AuthFlowType::UserSrpAuth
        | AuthFlowType::UserPasswordAuth
        | AuthFlowType::RefreshTokenAuth
        | AuthFlowType::CustomAuth
        | AuthFlowType::UserAuth => {
            if !client.allows(flow.as_str()) {
                return Err(ApiError::new(
                    ErrorType::InvalidParameter,
                    format!("{} flow not enabled for this client", flow.as_str()),
                ));
            }
        }
        AuthFlowType::AdminNoSrpAuth | AuthFlowType::AdminUserPasswordAuth => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "Initiate Auth method not supported.",
            ));
        }
        // REFRESH_TOKEN was read as REFRESH_TOKEN_AUTH above.
        AuthFlowType::RefreshToken | AuthFlowType::Unknown(_) => return Err(unknown_flow()),
    }
    match flow {
        AuthFlowType::UserSrpAuth => user_srp_auth(shared, &pool_id, &client, parameters),
        AuthFlowType::UserPasswordAuth => user_password_auth(shared, &pool_id, &client, parameters),
        AuthFlowType::CustomAuth => custom::initiate(shared, &pool_id, &client, parameters),
        AuthFlowType::UserAuth => user_auth::initiate(shared, &pool_id, &client, parameters),
        _ => refresh::refresh_token_auth(shared, &client, parameters),
    }
}

/// `AdminInitiateAuth` (signed; the server checks the signature first): the client must
/// belong to UserPoolId. ADMIN_USER_PASSWORD_AUTH (and its older name ADMIN_NO_SRP_AUTH)
/// checks the password like USER_PASSWORD_AUTH, and needs the client to allow it; the
/// flows both APIs share (USER_SRP_AUTH, CUSTOM_AUTH, USER_AUTH, REFRESH_TOKEN_AUTH)
/// run as InitiateAuth runs them; USER_PASSWORD_AUTH is InitiateAuth's alone.
pub fn admin_initiate_auth(
    shared: &Shared,
    request: AdminInitiateAuthRequest,
) -> ApiResult<AuthResponse> {
    let client = admin_client(shared, &request.user_pool_id, &request.client_id)?;
    match request.auth_flow {
        AuthFlowType::AdminUserPasswordAuth | AuthFlowType::AdminNoSrpAuth => {
            if !client.allows("ADMIN_USER_PASSWORD_AUTH") {
                return Err(ApiError::new(
                    ErrorType::InvalidParameter,
                    "Auth flow not enabled for this client",
                ));
            }
            user_password_auth(
                shared,
                &request.user_pool_id,
                &client,
                request.auth_parameters.expose(),
            )
        }
        AuthFlowType::UserSrpAuth
        | AuthFlowType::CustomAuth
        | AuthFlowType::UserAuth
        | AuthFlowType::RefreshTokenAuth
        | AuthFlowType::RefreshToken => initiate_auth(
            shared,
            InitiateAuthRequest {
                auth_flow: request.auth_flow,
                client_id: request.client_id,
                auth_parameters: request.auth_parameters,
                client_metadata: request.client_metadata,
                analytics_metadata: request.analytics_metadata,
                user_context_data: None,
                session: None,
            },
        ),
        AuthFlowType::UserPasswordAuth => Err(ApiError::new(
            ErrorType::InvalidParameter,
            "Initiate Auth method not supported.",
        )),
        AuthFlowType::Unknown(_) => Err(unknown_flow()),
    }
}

/// The app client `client_id`, which must belong to `pool_id` (the Admin* calls name both).
pub(super) fn admin_client(
    shared: &Shared,
    pool_id: &str,
    client_id: &str,
) -> ApiResult<AppClient> {
    let state = shared.lock();
    let (pool, client) = state.client(client_id)?;
    if pool.id != pool_id {
        return Err(ApiError::client_not_found(client_id));
    }
    Ok(client.clone())
}

/// Whom a sign-in's USERNAME names.
pub(super) enum Named {
    /// An enabled user of the pool (a copy, so the lock can be let go).
    User(Box<User>),
    /// A username the pool does not know, for a client that prevents user-existence
    /// errors: the sign-in goes on with a stand-in (`local_pool::phantom`).
    Unknown(String),
}

/// The USERNAME of AuthParameters, its SECRET_HASH checked, and whom it names. An
/// unknown username is UserNotFoundException, unless the client prevents
/// user-existence errors.
pub(super) fn lookup(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<Named> {
    let username = required(parameters, "USERNAME")?;
    secret_hash::check(client, parameters, &[username])?;
    match shared.lock().enabled_user(pool_id, username) {
        Ok(user) => Ok(Named::User(Box::new(user))),
        Err(error)
            if error.error_type == ErrorType::UserNotFound && client.hides_unknown_users() =>
        {
            Ok(Named::Unknown(username.to_owned()))
        }
        Err(error) => Err(error),
    }
}

/// The enabled user USERNAME names, for the flows that refuse an unknown username at
/// once: UserNotFoundException, or (when the client prevents user-existence errors)
/// "Incorrect username or password.", as a wrong password gets.
pub(super) fn named_user(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<User> {
    match lookup(shared, pool_id, client, parameters)? {
        Named::User(user) => Ok(*user),
        Named::Unknown(_) => Err(ApiError::incorrect_password()),
    }
}

/// USER_SRP_AUTH: answers SRP_A with the PASSWORD_VERIFIER challenge; for an unknown
/// username (client preventing user-existence errors), the same challenge from a
/// stand-in, whose proof is then refused.
fn user_srp_auth(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let user = match lookup(shared, pool_id, client, parameters)? {
        Named::User(user) => *user,
        Named::Unknown(username) => phantom::user(pool_id, &username),
    };
    let srp_a = required(parameters, "SRP_A")?;
    let who = Who {
        pool_id,
        client_id: &client.id,
        username: &user.username,
        device_key: device_key(parameters),
    };
    srp_challenge(
        shared,
        &mut shared.lock(),
        who,
        &user,
        srp_a,
        AfterPassword::Mfa,
    )
}

/// The PASSWORD_VERIFIER challenge for an SRP_A: SALT, SRP_B, the sealed SECRET_BLOCK
/// (which names the proof the pool keeps, with what follows the password) and the
/// user id, with a session for clients that send it back.
pub(super) fn srp_challenge(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
    srp_a: &str,
    then: AfterPassword,
) -> ApiResult<AuthResponse> {
    // B = k·v + g^b and S = (A·v^u)^b: the exponentiations run with the state unlocked.
    let server = unlocked(state, || SrpServer::new(&user.verifier, srp_a)).map_err(|_| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "SRP_A is not a valid SRP public value; send A = g^a mod N in hex, with a non-zero a.",
        )
    })?;
    let public_b = server.public_b_hex();
    let (pending, secret_block_b64) = srp_proof::issue(
        shared,
        state,
        BlockPurpose::Password,
        who,
        server,
        AfterProof::Password(then),
    );
    let challenge_parameters = BTreeMap::from([
        ("SALT".to_owned(), user.verifier.salt_hex()),
        ("SRP_B".to_owned(), public_b),
        ("SECRET_BLOCK".to_owned(), secret_block_b64),
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        ("USERNAME".to_owned(), user.username.clone()),
    ]);
    let now = shared.clock.now();
    Ok(next_step::challenge(
        state,
        now,
        who,
        pending,
        challenge_parameters,
    ))
}

/// USER_PASSWORD_AUTH: the password itself, checked against the stored verifier.
fn user_password_auth(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let user = named_user(shared, pool_id, client, parameters)?;
    let password = required(parameters, "PASSWORD")?;
    password_attempt(shared, pool_id, &user, password)?;
    let who = Who {
        pool_id,
        client_id: &client.id,
        username: &user.username,
        device_key: device_key(parameters),
    };
    next_step::password_proved(shared, &mut shared.lock(), who, &user)
}

/// DEVICE_KEY of AuthParameters, when given and not empty.
fn device_key(parameters: &BTreeMap<String, String>) -> Option<&str> {
    parameters
        .get("DEVICE_KEY")
        .map(String::as_str)
        .filter(|key| !key.is_empty())
}

/// A sign-in's password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's
/// PASSWORD): refused with "Password attempts exceeded" while the user is locked out,
/// right or not; a wrong one counts towards the next lock (`local_pool::lockout`).
pub(super) fn password_attempt(
    shared: &Shared,
    pool_id: &str,
    user: &User,
    password: &str,
) -> ApiResult<()> {
    let now = shared.clock.now();
    shared.lock().admit_attempt(pool_id, &user.username, now)?;
    let checked = check_password(pool_id, user, password);
    if checked.is_err() {
        shared.lock().failed_attempt(pool_id, &user.username, now);
    }
    checked
}

/// Checks a password against the user's stored verifier.
pub(super) fn check_password(pool_id: &str, user: &User, password: &str) -> ApiResult<()> {
    if user
        .verifier
        .matches_password(pool_name(pool_id), &user.username, password)
    {
        Ok(())
    } else {
        Err(ApiError::incorrect_password())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_flow_gets_cognitos_validation_message() {
        assert_eq!(
            unknown_flow().message,
            "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
        );
        assert_eq!(unknown_flow().error_type, ErrorType::InvalidParameter);
    }
}
