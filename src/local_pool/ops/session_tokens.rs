//! The end of a sign-in or a refresh: tokens signed, a refresh token sealed (it carries
//! its own grant: see `local_pool::refresh_token`), and the `AuthenticationResult`
//! written.
//!
//! Every token of one sign-in belongs to one chain: the same `auth_time`, `origin_jti`
//! and device, across refreshes and rotations, so revoking the chain ends them all.
//! The chain's `origin_jti` carries the stamp of its start (see
//! `local_pool::chain_stamp`), so a global sign-out is judged from the token alone.

use crate::cognito::types::{AuthResponse, AuthenticationResult};
use crate::local_pool::chain_stamp;
use crate::local_pool::error::ApiResult;
use crate::local_pool::refresh_token::{self, RefreshGrant};
use crate::local_pool::state::{REFRESH_LIFETIME, Shared, State, User};
use crate::local_pool::tokens::{TOKEN_LIFETIME_SECONDS, TokenClaims};
use crate::sensitive::SensitiveString;

/// Who a sign-in's tokens are for, and the device it had.
pub struct SignedIn<'a> {
    pub pool_id: &'a str,
    pub client_id: &'a str,
    /// The device the sign-in proved or was just given, when the pool tracks devices.
    pub device_key: Option<&'a str>,
}

/// Signs ID and access tokens for a finished sign-in, and a refresh token that starts
/// a new chain and lives [`REFRESH_LIFETIME`].
pub fn sign_in(
    shared: &Shared,
    state: &mut State,
    who: SignedIn<'_>,
    user: &User,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let chain = RefreshGrant {
        pool_id: who.pool_id.to_owned(),
        client_id: who.client_id.to_owned(),
        username: user.username.clone(),
        auth_time: now.unix_timestamp(),
        origin_jti: chain_stamp::origin_jti(shared.chains.next(now)),
        expires: now + REFRESH_LIFETIME,
        device_key: who.device_key.map(str::to_owned),
        token_id: refresh_token::new_token_id(),
    };
    issue(shared, state, &chain, user, true)
}

/// Signs new ID and access tokens for a refresh, in the chain of `grant`; with
/// `rotate`, also a new refresh token that lives as long as the old one had left.
pub fn refresh(
    shared: &Shared,
    state: &mut State,
    grant: &RefreshGrant,
    user: &User,
    rotate: bool,
) -> ApiResult<AuthResponse> {
    issue(shared, state, grant, user, rotate)
}

/// Signs the tokens of `chain`, with a refresh token for it when `with_refresh_token`.
fn issue(
    shared: &Shared,
    _state: &mut State,
    chain: &RefreshGrant,
    user: &User,
    with_refresh_token: bool,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let issuer = shared.issuer(&chain.pool_id);
    let pair = shared.signer.issue(&TokenClaims {
        issuer: &issuer,
        client_id: &chain.client_id,
        username: &user.username,
        sub: &user.sub,
        attributes: &user.attributes,
        groups: &user.groups,
        auth_time: chain.auth_time,
        origin_jti: &chain.origin_jti,
        now: now.unix_timestamp(),
        device_key: chain.device_key.as_deref(),
    })?;
    let refresh_token = with_refresh_token
        .then(|| SensitiveString::new(refresh_token::seal(&shared.sealer, &chain.renewed())));
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
