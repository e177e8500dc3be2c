//! The end of a sign-in: tokens signed, a refresh token remembered, and the
//! `AuthenticationResult` written.

use crate::cognito::types::{AuthResponse, AuthenticationResult};
use crate::local_pool::error::ApiResult;
use crate::local_pool::ids;
use crate::local_pool::state::{REFRESH_LIFETIME, RefreshGrant, Shared, State, User};
use crate::local_pool::tokens::{TOKEN_LIFETIME_SECONDS, TokenClaims};
use crate::sensitive::SensitiveString;

/// What a refresh keeps from the first sign-in.
pub struct Origin<'a> {
    pub auth_time: i64,
    pub origin_jti: &'a str,
}

/// Signs ID and access tokens for a user, with a refresh token when `origin` is
/// `None` (a fresh sign-in) and without one for a refresh.
pub fn issue(
    shared: &Shared,
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    user: &User,
    origin: Option<Origin<'_>>,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let fresh_jti = ids::uuid();
    let (auth_time, origin_jti) = match &origin {
        Some(origin) => (origin.auth_time, origin.origin_jti),
        None => (now.unix_timestamp(), fresh_jti.as_str()),
    };
    let issuer = shared.issuer(pool_id);
    let pair = shared.signer.issue(&TokenClaims {
        issuer: &issuer,
        client_id,
        username: &user.username,
        sub: &user.sub,
        attributes: &user.attributes,
        groups: &user.groups,
        auth_time,
        origin_jti,
        now: now.unix_timestamp(),
    })?;
    let refresh_token = match origin {
        Some(_) => None,
        None => Some(SensitiveString::new(state.grant_refresh(
            RefreshGrant {
                pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                username: user.username.clone(),
                auth_time,
                origin_jti: origin_jti.to_owned(),
                expires: now + REFRESH_LIFETIME,
                revoked: false,
            },
            now,
        ))),
    };
    Ok(AuthResponse {
        authentication_result: Some(AuthenticationResult {
            access_token: SensitiveString::new(pair.access_token),
            expires_in: TOKEN_LIFETIME_SECONDS,
            token_type: "Bearer".to_owned(),
            refresh_token,
            id_token: Some(SensitiveString::new(pair.id_token)),
            new_device_metadata: None,
        }),
        ..AuthResponse::default()
    })
}
