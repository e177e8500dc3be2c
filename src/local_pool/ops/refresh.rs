//! Refreshing tokens, by both operations Cognito offers:
//! - `GetTokensFromRefreshToken`: new ID and access tokens, and with refresh token
//!   rotation on (see `local_pool::rotation`) a new refresh token too; the one sent
//!   is then replaced, kept for the client's grace period, and refused after with
//!   RefreshTokenReuseException;
//! - REFRESH_TOKEN_AUTH (InitiateAuth and AdminInitiateAuth): new ID and access tokens
//!   only, and refused on a client that rotates refresh tokens.
//!
//! Either way a refresh token issued to a sign-in with a device refreshes only with
//! that DEVICE_KEY, while the device exists; anything else is Cognito's "Invalid
//! Refresh Token.".
//!
//! The token carries its own grant, sealed (`local_pool::refresh_token`): it is opened,
//! not looked up. What the pool remembers is checked after: its chain revoked by
//! RevokeToken or a later global sign-out, or the token replaced by rotation.

use std::collections::BTreeMap;

use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::cognito::types::{
    AuthResponse, GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse,
};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::refresh_token::{self, RefreshGrant};
use crate::local_pool::state::{AppClient, Shared, User};

use super::{required, secret_hash, session_tokens};

/// Cognito's answer to a refresh token it does not accept (unknown, another client's,
/// expired, or sent without the device it was issued with).
fn invalid_token() -> ApiError {
    ApiError::new(ErrorType::NotAuthorized, "Invalid Refresh Token.")
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens, the same refresh token. AuthParameters:
/// REFRESH_TOKEN, SECRET_HASH (for a client with a secret), DEVICE_KEY.
pub fn refresh_token_auth(
    shared: &Shared,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    if client.refresh_token_rotation.enabled {
        // Rotation has to go through GetTokensFromRefreshToken: the developer guide has
        // the flow disabled on such clients, so it is refused as a disabled flow is.
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ));
    }
    let token = required(parameters, "REFRESH_TOKEN")?;
    let now = shared.clock.now();
    let (grant, user) = usable_grant(shared, client, token, now)?;
    // SECRET_HASH is computed over the username (or the sub) the token belongs to.
    let names: Vec<&str> = match parameters.get("USERNAME") {
        Some(name) if name == &user.username || name == &user.sub => vec![name.as_str()],
        Some(_) => Vec::new(),
        None => vec![user.username.as_str(), user.sub.as_str()],
    };
    secret_hash::check(client, parameters, &names)?;
    let device_key = parameters.get("DEVICE_KEY").map(String::as_str);
    check_device(shared, &grant, device_key)?;
    let mut state = shared.lock();
    session_tokens::refresh(shared, &mut state, &grant, &user, false)
}

/// `GetTokensFromRefreshToken`: new ID and access tokens; with rotation on, a new
/// refresh token as well, and the one sent is replaced.
pub fn get_tokens_from_refresh_token(
    shared: &Shared,
    request: GetTokensFromRefreshTokenRequest,
) -> ApiResult<GetTokensFromRefreshTokenResponse> {
    let client = shared.lock().client(&request.client_id)?.1.clone();
    let token = request.refresh_token.expose().as_str();
    if token.is_empty() {
        return Err(ApiError::missing("RefreshToken"));
    }
    check_client_secret(&client, request.client_secret.as_ref().map(|s| s.expose()))?;
    let now = shared.clock.now();
    let (grant, user) = usable_grant(shared, &client, token, now)?;
    check_device(shared, &grant, request.device_key.as_deref())?;
    let rotation = client.refresh_token_rotation;
    let mut state = shared.lock();
    let answer = session_tokens::refresh(shared, &mut state, &grant, &user, rotation.enabled)?;
    if rotation.enabled {
        state.replace_refresh(&grant, rotation.grace(), now);
    }
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: answer.authentication_result,
    })
}

/// The grant of `token` and its user, if the token may refresh for `client` now: known,
/// this client's, not expired, not revoked, not replaced by rotation longer ago than
/// the grace period, and its user still there and enabled.
fn usable_grant(
    shared: &Shared,
    client: &AppClient,
    token: &str,
    now: OffsetDateTime,
) -> ApiResult<(RefreshGrant, User)> {
    let grant = refresh_token::open(&shared.sealer, token)
        .filter(|grant| !grant.expired(now))
        .ok_or_else(invalid_token)?;
    if grant.client_id != client.id {
        return Err(invalid_token());
    }
    let state = shared.lock();
    if state.chain_revoked(&grant.pool_id, &grant.username, &grant.origin_jti) {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            "Refresh Token has been revoked",
        ));
    }
    if state.replaced_refresh(&grant, now) {
        return Err(ApiError::new(
            ErrorType::RefreshTokenReuse,
            "Refresh token has been invalidated by refresh token rotation.",
        ));
    }
    let user = state
        .user(&grant.pool_id, &grant.username)
        .map_err(|_| invalid_token())?
        .clone();
    if !user.enabled {
        return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
    }
    Ok((grant, user))
}

/// A token issued with a device needs that device's key, and the device must still
/// exist (ForgetDevice ends its refresh tokens). A token issued without one ignores
/// any key sent.
fn check_device(shared: &Shared, grant: &RefreshGrant, sent: Option<&str>) -> ApiResult<()> {
    let Some(bound) = &grant.device_key else {
        return Ok(());
    };
    if sent != Some(bound.as_str()) {
        return Err(invalid_token());
    }
    let state = shared.lock();
    let exists = state
        .pool(&grant.pool_id)
        .is_ok_and(|pool| pool.device_of(&grant.username, bound).is_ok());
    if exists { Ok(()) } else { Err(invalid_token()) }
}

/// GetTokensFromRefreshToken carries the client secret itself (not a SECRET_HASH): a
/// client with a secret needs it, compared in constant time. A client without one
/// ignores any sent.
fn check_client_secret(client: &AppClient, sent: Option<&String>) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(sent) = sent.filter(|sent| !sent.is_empty()) else {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            format!(
                "Client {} is configured with secret but ClientSecret was not received",
                client.id
            ),
        ));
    };
    if bool::from(secret.expose().as_bytes().ct_eq(sent.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorType::NotAuthorized,
            format!(
                "Unable to verify the client secret for client {}",
                client.id
            ),
        ))
    }
}
