//! `RespondToAuthChallenge`: PASSWORD_VERIFIER (the SRP proof) and
//! NEW_PASSWORD_REQUIRED (a user with a temporary password choosing one).

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::cognito::types::{AuthResponse, RespondToAuthChallengeRequest};
use crate::crypto::{self, UserVerifier};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{Pending, Shared, UserStatus};

use super::auth::{enabled_user, password_proved};
use super::session_tokens;
use super::{password_policy, required, secret_hash};

/// How far TIMESTAMP may be from the pool's clock, either way.
const TIMESTAMP_TOLERANCE: time::Duration = time::Duration::minutes(5);

/// `RespondToAuthChallenge`.
pub fn respond_to_auth_challenge(
    shared: &Shared,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let client = {
        let state = shared.lock();
        state.client(&request.client_id)?.1.clone()
    };
    let responses = request.challenge_responses.expose();
    let session = request
        .session
        .as_ref()
        .map(|session| session.expose().as_str());
    match request.challenge_name.as_str() {
        "PASSWORD_VERIFIER" => password_verifier(shared, &client.id, session, responses, &client),
        "NEW_PASSWORD_REQUIRED" => new_password(shared, session, responses, &client),
        other => Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "The local pool does not serve the {} challenge.",
                other
                    .chars()
                    .filter(char::is_ascii_graphic)
                    .take(64)
                    .collect::<String>()
            ),
        )),
    }
}

/// PASSWORD_VERIFIER: checks the secret block is the one issued, TIMESTAMP is within
/// 5 minutes of now, and PASSWORD_CLAIM_SIGNATURE = HMAC(K, realm | user | block | timestamp).
/// The Session may be left out (some clients do): the secret block then finds it.
fn password_verifier(
    shared: &Shared,
    client_id: &str,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
    client: &crate::local_pool::state::AppClient,
) -> ApiResult<AuthResponse> {
    let username = required(responses, "USERNAME")?;
    let block_b64 = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    secret_hash::check(client, responses, &[username])?;
    let block = STANDARD
        .decode(block_b64)
        .map_err(|_| ApiError::incorrect_password())?;
    let now = shared.clock.now();

    let (session, pending) = {
        let mut state = shared.lock();
        let session_id = match session {
            Some(id) => id.to_owned(),
            None => state
                .session_for_secret_block(&block)
                .ok_or_else(ApiError::incorrect_password)?,
        };
        state.take_session(&session_id, client_id, now)?
    };
    let Pending::PasswordVerifier {
        server,
        secret_block,
    } = pending
    else {
        return Err(ApiError::invalid_session());
    };
    if session.username != username || secret_block != block {
        return Err(ApiError::incorrect_password());
    }
    let fresh = crypto::parse_timestamp(timestamp)
        .is_some_and(|at| (at - now).abs() <= TIMESTAMP_TOLERANCE);
    if !fresh {
        return Err(ApiError::incorrect_password());
    }
    let realm = pool_name(&session.pool_id);
    let valid = server
        .verify_signature(realm, &session.username, &block, timestamp, signature)
        .unwrap_or(false);
    if !valid {
        return Err(ApiError::incorrect_password());
    }
    let user = enabled_user(&shared.lock(), &session.pool_id, &session.username)?;
    password_proved(shared, &session.pool_id, client_id, &user)
}

/// NEW_PASSWORD_REQUIRED: sets the new password (and any `userAttributes.<name>`),
/// confirms the user and signs them in. A password the policy refuses leaves the
/// session usable, so the person can try another.
fn new_password(
    shared: &Shared,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
    client: &crate::local_pool::state::AppClient,
) -> ApiResult<AuthResponse> {
    let session_id = session.ok_or_else(|| ApiError::missing("Session"))?;
    let username = required(responses, "USERNAME")?;
    let new_password = required(responses, "NEW_PASSWORD")?;
    secret_hash::check(client, responses, &[username])?;
    let now = shared.clock.now();
    let pool_id = {
        let state = shared.lock();
        let session = state.check_session(session_id, &client.id, now)?;
        if session.username != username {
            return Err(ApiError::invalid_session());
        }
        session.pool_id.clone()
    };
    password_policy::check(new_password)?;
    let attributes: Vec<(&str, &str)> = responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.")
                .map(|name| (name, value.as_str()))
        })
        .collect();
    if attributes.iter().any(|(name, _)| *name == "sub") {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "Cannot modify an immutable attribute: sub",
        ));
    }
    let verifier = UserVerifier::generate(pool_name(&pool_id), username, new_password);

    let mut state = shared.lock();
    let (session, pending) = state.take_session(session_id, &client.id, now)?;
    if !matches!(pending, Pending::NewPassword) {
        return Err(ApiError::invalid_session());
    }
    let user = state
        .pool_mut(&session.pool_id)?
        .users
        .get_mut(&session.username)
        .ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
    }
    user.verifier = verifier;
    user.status = UserStatus::Confirmed;
    for (name, value) in attributes {
        user.set_attribute(name, value);
    }
    let user = user.clone();
    session_tokens::issue(
        shared,
        &mut state,
        &session.pool_id,
        &client.id,
        &user,
        None,
    )
}
