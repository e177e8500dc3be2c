//! `InitiateAuth`: USER_SRP_AUTH, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH.

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use crate::cognito::types::{AuthResponse, InitiateAuthRequest};
use crate::crypto::SrpServer;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::ids;
use crate::local_pool::state::{AppClient, Pending, Session, Shared, State, User, UserStatus};
use crate::sensitive::SensitiveString;

use super::session_tokens::{self, Origin};
use super::{required, secret_hash};

/// The flows the API defines (for the validation message of an unknown one).
const ALL_FLOWS: &str = "USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH";

/// `InitiateAuth`: finds the client, checks the flow is allowed, and runs it.
pub fn initiate_auth(shared: &Shared, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    let (pool_id, client) = {
        let state = shared.lock();
        let (pool, client) = state.client(&request.client_id)?;
        (pool.id.clone(), client.clone())
    };
    let flow = match request.auth_flow.as_str() {
        "REFRESH_TOKEN" => "REFRESH_TOKEN_AUTH",
        other => other,
    };
    let parameters = request.auth_parameters.expose();
    match flow {
        "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH" => {
            if !client.allows(flow) {
                return Err(ApiError::new(
                    ErrorType::InvalidParameter,
                    format!("{flow} flow not enabled for this client"),
                ));
            }
        }
        "CUSTOM_AUTH" | "USER_AUTH" => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                format!(
                    "The local pool does not serve the {flow} flow yet; use USER_SRP_AUTH or USER_PASSWORD_AUTH."
                ),
            ));
        }
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "Initiate Auth method not supported.",
            ));
        }
        _ => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                format!(
                    "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [{ALL_FLOWS}]"
                ),
            ));
        }
    }
    match flow {
        "USER_SRP_AUTH" => user_srp_auth(shared, &pool_id, &client, parameters),
        "USER_PASSWORD_AUTH" => user_password_auth(shared, &pool_id, &client, parameters),
        _ => refresh_token_auth(shared, &client, parameters),
    }
}

/// Finds an enabled user; the error Cognito gives otherwise.
pub(super) fn enabled_user(state: &State, pool_id: &str, username: &str) -> ApiResult<User> {
    let user = state
        .pool(pool_id)?
        .users
        .get(username)
        .ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
    }
    Ok(user.clone())
}

/// USER_SRP_AUTH: answers SRP_A with the PASSWORD_VERIFIER challenge.
fn user_srp_auth(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let username = required(parameters, "USERNAME")?;
    let srp_a = required(parameters, "SRP_A")?;
    secret_hash::check(client, parameters, &[username])?;
    let user = enabled_user(&shared.lock(), pool_id, username)?;
    let server = SrpServer::new(&user.verifier, srp_a).map_err(|_| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "SRP_A is not a valid SRP public value; send A = g^a mod N in hex, with a non-zero a.",
        )
    })?;
    let srp_b = server.public_b_hex();
    let (secret_block, secret_block_b64) = ids::secret_block();
    let now = shared.clock.now();
    let session = shared.lock().open_session(
        Session {
            pool_id: pool_id.to_owned(),
            client_id: client.id.clone(),
            username: user.username.clone(),
            created: now,
            pending: Some(Pending::PasswordVerifier {
                server: Box::new(server),
                secret_block,
            }),
        },
        now,
    );
    let challenge_parameters = BTreeMap::from([
        ("SALT".to_owned(), user.verifier.salt_hex()),
        ("SRP_B".to_owned(), srp_b),
        ("SECRET_BLOCK".to_owned(), secret_block_b64),
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        ("USERNAME".to_owned(), user.username.clone()),
    ]);
    Ok(AuthResponse {
        challenge_name: Some("PASSWORD_VERIFIER".to_owned()),
        session: Some(SensitiveString::new(session)),
        challenge_parameters,
        ..AuthResponse::default()
    })
}

/// USER_PASSWORD_AUTH: the password itself, checked against the stored verifier.
fn user_password_auth(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let username = required(parameters, "USERNAME")?;
    let password = required(parameters, "PASSWORD")?;
    secret_hash::check(client, parameters, &[username])?;
    let user = enabled_user(&shared.lock(), pool_id, username)?;
    let realm = pool_name(pool_id);
    if !user
        .verifier
        .matches_password(realm, &user.username, password)
    {
        return Err(ApiError::incorrect_password());
    }
    password_proved(shared, pool_id, &client.id, &user)
}

/// After the password is proved: NEW_PASSWORD_REQUIRED for a temporary password,
/// otherwise the tokens.
pub(super) fn password_proved(
    shared: &Shared,
    pool_id: &str,
    client_id: &str,
    user: &User,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let mut state = shared.lock();
    if user.status != UserStatus::ForceChangePassword {
        return session_tokens::issue(shared, &mut state, pool_id, client_id, user, None);
    }
    let session = state.open_session(
        Session {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: user.username.clone(),
            created: now,
            pending: Some(Pending::NewPassword),
        },
        now,
    );
    let current: BTreeMap<&str, &str> = user
        .attributes
        .iter()
        .filter(|(name, _)| name != "sub")
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let user_attributes = serde_json::to_string(&current).unwrap_or_else(|_| "{}".to_owned());
    Ok(AuthResponse {
        challenge_name: Some("NEW_PASSWORD_REQUIRED".to_owned()),
        session: Some(SensitiveString::new(session)),
        challenge_parameters: BTreeMap::from([
            ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
            ("requiredAttributes".to_owned(), "[]".to_owned()),
            ("userAttributes".to_owned(), user_attributes),
        ]),
        ..AuthResponse::default()
    })
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens, the same refresh token.
fn refresh_token_auth(
    shared: &Shared,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let token = required(parameters, "REFRESH_TOKEN")?;
    let now = shared.clock.now();
    let invalid = || ApiError::new(ErrorType::NotAuthorized, "Invalid Refresh Token");
    let grant = shared
        .lock()
        .refresh_grant(token, now)
        .cloned()
        .ok_or_else(invalid)?;
    if grant.client_id != client.id {
        return Err(invalid());
    }
    let user = {
        let state = shared.lock();
        match state.pool(&grant.pool_id)?.users.get(&grant.username) {
            Some(user) => user.clone(),
            None => return Err(invalid()),
        }
    };
    // SECRET_HASH is computed over the username (or the sub) the token belongs to.
    let names: Vec<&str> = match parameters.get("USERNAME") {
        Some(name) if name == &user.username || name == &user.sub => vec![name.as_str()],
        Some(_) => Vec::new(),
        None => vec![user.username.as_str(), user.sub.as_str()],
    };
    secret_hash::check(client, parameters, &names)?;
    if !user.enabled {
        return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
    }
    let mut state = shared.lock();
    session_tokens::issue(
        shared,
        &mut state,
        &grant.pool_id,
        &client.id,
        &user,
        Some(Origin {
            auth_time: grant.auth_time,
            origin_jti: &grant.origin_jti,
        }),
    )
}
