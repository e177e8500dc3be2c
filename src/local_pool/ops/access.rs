//! Operations a signed-in user calls with their AccessToken: the token is checked
//! (signature, `token_use`, expiry on the pool's clock, not revoked) and names the
//! pool and the user. Revoked: its chain (`origin_jti`) was revoked by RevokeToken, or
//! started at or before the user's last global sign-out (judged from the stamp the
//! `origin_jti` carries: no record per sign-in is kept).

use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::Shared;

/// The pool id and username an access token from this pool was issued for.
pub fn token_user(shared: &Shared, token: &str) -> ApiResult<(String, String)> {
    token_signed_in(shared, token).map(|signed_in| (signed_in.pool_id, signed_in.username))
}

/// Who an access token speaks for, and through which app client.
pub struct SignedIn {
    pub pool_id: String,
    pub username: String,
    /// The token's `client_id`.
    pub client_id: String,
}

/// [`token_user`], with the app client the token was issued to (passkey registration
/// must be completed by the client that started it).
pub fn token_signed_in(shared: &Shared, token: &str) -> ApiResult<SignedIn> {
    let now = shared.clock.now().unix_timestamp();
    let claims = shared.signer.verify_access(token, now)?;
    let prefix = format!("{}/", shared.url);
    let pool_id = claims
        .issuer
        .strip_prefix(&prefix)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(ErrorType::NotAuthorized, "Invalid Access Token"))?;
    let state = shared.lock();
    if state.chain_revoked(&pool_id, &claims.username, &claims.origin_jti) {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            "Access Token has been revoked",
        ));
    }
    let user = state
        .user(&pool_id, &claims.username)
        .map_err(|_| ApiError::new(ErrorType::NotAuthorized, "Invalid Access Token"))?;
    if !user.enabled {
        return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
    }
    Ok(SignedIn {
        pool_id,
        username: claims.username,
        client_id: claims.client_id,
    })
}
