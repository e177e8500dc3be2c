//! Ending sessions: `GlobalSignOut` (the user, with an access token),
//! `AdminUserGlobalSignOut` (an administrator, by username) and `RevokeToken` (one
//! refresh token, by the client it was issued to).
//!
//! Revocation follows Cognito: a revoked refresh token is refused by
//! REFRESH_TOKEN_AUTH ("Refresh Token has been revoked"), and the access tokens
//! issued from the same sign-in (same `origin_jti`) are refused by every AccessToken
//! operation ("Access Token has been revoked"). ID tokens are not the pool's to
//! refuse: they stay valid until they expire, as in Cognito.
//!
//! A global sign-out keeps one stamp on the user, not a list of their sign-ins: every
//! chain that started at or before it is revoked (the start is in its `origin_jti`,
//! see `local_pool::chain_stamp`); a sign-in after it, even in the same second, is not.
//!
//! RevokeToken, as chosen here (Cognito documents the error types, not every case):
//! - unknown client, missing or wrong ClientSecret for a client with a secret, or a
//!   ClientSecret sent to a client without one → UnauthorizedException;
//! - a refresh token issued to another client → InvalidParameterException;
//! - an ID or access token (a JWT) → UnsupportedTokenTypeException;
//! - a token the pool does not know, already revoked or expired → `{}` (RFC 7009
//!   §2.2: revoking an invalid token is not an error).

use subtle::ConstantTimeEq;

use crate::cognito::types::{
    AccessTokenRequest, AdminUserGlobalSignOutRequest, Empty, RevokeTokenRequest,
};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::refresh_token;
use crate::local_pool::state::Shared;

use super::access::token_user;

/// `GlobalSignOut`: revokes every refresh token of the token's user, and with them
/// every access token issued before now (this one included).
pub fn global_sign_out(shared: &Shared, request: AccessTokenRequest) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let stamp = shared.chains.next(shared.clock.now());
    shared
        .lock()
        .sign_out_everywhere(&pool_id, &username, stamp)?;
    Ok(Empty {})
}

/// `AdminUserGlobalSignOut`: the same for a user named by an administrator.
/// (SigV4 is not checked here yet: the local pool trusts Admin* callers.)
pub fn admin_user_global_sign_out(
    shared: &Shared,
    request: AdminUserGlobalSignOutRequest,
) -> ApiResult<Empty> {
    let stamp = shared.chains.next(shared.clock.now());
    let mut state = shared.lock();
    state.pool(&request.user_pool_id)?;
    state.sign_out_everywhere(&request.user_pool_id, &request.username, stamp)?;
    Ok(Empty {})
}

/// `RevokeToken`: revokes one refresh token and the access tokens issued from it,
/// by the rules in the module docs.
pub fn revoke_token(shared: &Shared, request: RevokeTokenRequest) -> ApiResult<Empty> {
    let now = shared.clock.now();
    let mut state = shared.lock();
    let client = state
        .client(&request.client_id)
        .map(|(_, client)| client.clone())
        .map_err(|_| unauthorized())?;
    let secret_matches = match (&client.secret, &request.client_secret) {
        (None, None) => true,
        (Some(expected), Some(sent)) => {
            bool::from(expected.expose().as_bytes().ct_eq(sent.expose().as_bytes()))
        }
        _ => false,
    };
    if !secret_matches {
        return Err(unauthorized());
    }
    let token = request.token.expose().as_str();
    if looks_like_jwt(token) {
        return Err(ApiError::new(
            ErrorType::UnsupportedTokenType,
            "Unsupported token type: RevokeToken takes a refresh token.",
        ));
    }
    let Some(grant) =
        refresh_token::open(&shared.sealer, token).filter(|grant| !grant.expired(now))
    else {
        return Ok(Empty {});
    };
    if grant.client_id != client.id {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "The refresh token was not issued to this client; revoke it with the client that signed the user in.",
        ));
    }
    state.revoke_refresh(&grant);
    Ok(Empty {})
}

/// The answer when the client cannot be authenticated. The secret is never echoed.
fn unauthorized() -> ApiError {
    ApiError::new(
        ErrorType::Unauthorized,
        "The client could not be authenticated: check the ClientId, and send the client's secret as ClientSecret if (and only if) it has one.",
    )
}

/// ID and access tokens are JWTs (three base64url parts); the pool's refresh tokens are not.
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwts_are_told_from_refresh_tokens() {
        assert!(looks_like_jwt("eyJh.eyJz.c2ln"));
        assert!(!looks_like_jwt("opaque-refresh-token"));
        assert!(!looks_like_jwt("a..b"));
    }
}
