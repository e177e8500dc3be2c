//! The signed-in user's passkeys: StartWebAuthnRegistration,
//! CompleteWebAuthnRegistration, ListWebAuthnCredentials and DeleteWebAuthnCredential,
//! each authorised by the user's AccessToken (`ops::access`).
//!
//! - Passkeys need WEB_AUTHN in the pool's sign-in policy (AllowedFirstAuthFactors);
//!   otherwise WebAuthnNotEnabledException.
//! - Start issues a fresh challenge, kept for the user for [`CHALLENGE_TIMEOUT_MS`]
//!   and used once: Complete takes it whatever its verdict, and a second Start
//!   replaces it. No challenge (or an expired one) is WebAuthnChallengeNotFoundException;
//!   a token of another app client than the start's is WebAuthnClientMismatchException.
//! - Complete verifies everything (`webauthn::registration`) before the passkey is
//!   kept; a credential id the pool already holds is refused; a user holds at most
//!   [`MAX_PASSKEYS`] (Cognito's quota), LimitExceededException past it.

use serde_json::json;
use time::Duration;

use crate::cognito::FirstFactor;
use crate::cognito::types::{AccessTokenRequest, Empty};
use crate::cognito::webauthn::{
    AuthenticatorSelection, COSE_ES256, COSE_RS256, CompleteWebAuthnRegistrationRequest,
    CreationOptions, CredentialParameters, DeleteWebAuthnCredentialRequest,
    ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse, PUBLIC_KEY, RelyingParty,
    StartWebAuthnRegistrationResponse, UserEntity,
};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{PendingRegistration, Pool, Shared};
use crate::local_pool::webauthn::passkey::{Passkey, friendly_name};
use crate::local_pool::webauthn::registration::{self, Expected};
use crate::local_pool::webauthn::{CHALLENGE_TIMEOUT_MS, new_challenge, user_handle};

use super::access::token_signed_in;

/// The most passkeys one user may register (Cognito's quota).
pub const MAX_PASSKEYS: usize = 20;

/// ListWebAuthnCredentials' MaxResults: 1 to 20, 20 when not sent.
const MAX_PAGE: u32 = 20;

/// WebAuthnNotEnabledException unless the pool's sign-in policy allows WEB_AUTHN.
pub fn require_enabled(pool: &Pool) -> ApiResult<()> {
    if pool.first_factors.contains(&FirstFactor::WebAuthn) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorType::WebAuthnNotEnabled,
        "Passkeys are not enabled for this user pool: add WEB_AUTHN to its AllowedFirstAuthFactors.",
    ))
}

/// `StartWebAuthnRegistration`: creation options with a fresh challenge.
pub fn start(
    shared: &Shared,
    request: AccessTokenRequest,
) -> ApiResult<StartWebAuthnRegistrationResponse> {
    let signed_in = token_signed_in(shared, request.access_token.expose())?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let user = state.user(&signed_in.pool_id, &signed_in.username)?.clone();
    let pool = state.pool_mut(&signed_in.pool_id)?;
    require_enabled(pool)?;
    let challenge = new_challenge();
    let options = CreationOptions {
        rp: RelyingParty {
            id: Some(pool.web_authn.rp_id().to_owned()),
            name: pool.name.clone(),
        },
        user: UserEntity {
            id: user_handle(&user.sub),
            name: user.username.clone(),
            display_name: user.username.clone(),
        },
        challenge: challenge.clone(),
        pub_key_cred_params: [COSE_ES256, COSE_RS256]
            .into_iter()
            .map(|alg| CredentialParameters {
                kind: PUBLIC_KEY.to_owned(),
                alg,
            })
            .collect(),
        timeout: Some(CHALLENGE_TIMEOUT_MS),
        exclude_credentials: pool
            .passkeys_of(&user.username)
            .into_iter()
            .map(Passkey::descriptor)
            .collect(),
        authenticator_selection: Some(AuthenticatorSelection {
            authenticator_attachment: None,
            resident_key: Some("required".to_owned()),
            require_resident_key: Some(true),
            user_verification: Some(pool.web_authn.user_verification.as_str().to_owned()),
        }),
        attestation: None,
        extensions: Some(json!({ "credProps": true })),
    };
    pool.start_registration(
        &user.username,
        PendingRegistration {
            challenge,
            client_id: signed_in.client_id,
            expires: now + challenge_lifetime(),
        },
    );
    Ok(StartWebAuthnRegistrationResponse {
        credential_creation_options: options,
    })
}

/// How long a registration challenge may be answered.
fn challenge_lifetime() -> Duration {
    Duration::milliseconds(i64::try_from(CHALLENGE_TIMEOUT_MS).unwrap_or(i64::MAX))
}

/// `CompleteWebAuthnRegistration`: verifies the new credential and keeps it.
pub fn complete(shared: &Shared, request: CompleteWebAuthnRegistrationRequest) -> ApiResult<Empty> {
    let signed_in = token_signed_in(shared, request.access_token.expose())?;
    let now = shared.clock.now();
    let (pending, settings) = {
        let mut state = shared.lock();
        let pool = state.pool_mut(&signed_in.pool_id)?;
        require_enabled(pool)?;
        let pending = pool
            .take_registration(&signed_in.username)
            .filter(|pending| pending.expires >= now)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorType::WebAuthnChallengeNotFound,
                    "No passkey registration is waiting for this user, or it expired: call StartWebAuthnRegistration again.",
                )
            })?;
        (pending, pool.web_authn.clone())
    };
    if pending.client_id != signed_in.client_id {
        return Err(ApiError::new(
            ErrorType::WebAuthnClientMismatch,
            "The access token is for another app client than the one that started this registration.",
        ));
    }
    // Signature checks run with the state unlocked.
    let credential = &request.credential;
    let verified = registration::verify(
        credential,
        Expected {
            challenge: &pending.challenge,
            rp_id: settings.rp_id(),
            uv_required: settings.uv_required(),
        },
    )
    .map_err(|refusal| refusal.for_registration())?;
    let mut state = shared.lock();
    let pool = state.pool_mut(&signed_in.pool_id)?;
    if pool.passkeys().contains_key(&verified.credential_id) {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "This credential is already registered.",
        ));
    }
    if pool.passkeys_of(&signed_in.username).len() >= MAX_PASSKEYS {
        return Err(ApiError::new(
            ErrorType::LimitExceeded,
            format!("A user can register at most {MAX_PASSKEYS} passkeys; delete one first."),
        ));
    }
    pool.insert_passkey(Passkey {
        credential_id: verified.credential_id,
        username: signed_in.username,
        public_key: verified.public_key,
        sign_count: verified.sign_count,
        relying_party_id: settings.rp_id().to_owned(),
        friendly_name: friendly_name(&verified.aaguid),
        attachment: credential.authenticator_attachment.clone(),
        transports: credential.response.transports.clone().unwrap_or_default(),
        created: now,
        last_used: None,
    });
    Ok(Empty {})
}

/// `ListWebAuthnCredentials`: one page of the user's passkeys, oldest first; NextToken
/// is the credential id the next page starts at.
pub fn list(
    shared: &Shared,
    request: ListWebAuthnCredentialsRequest,
) -> ApiResult<ListWebAuthnCredentialsResponse> {
    let signed_in = token_signed_in(shared, request.access_token.expose())?;
    let limit: usize = match request.max_results {
        None => MAX_PAGE as usize,
        Some(limit @ 1..=MAX_PAGE) => limit as usize,
        Some(_) => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 20",
            ));
        }
    };
    let state = shared.lock();
    let passkeys = state
        .pool(&signed_in.pool_id)?
        .passkeys_of(&signed_in.username);
    let start = match request.next_token.as_deref() {
        None => 0,
        Some(token) => passkeys
            .iter()
            .position(|passkey| passkey.credential_id == token)
            .ok_or_else(|| ApiError::new(ErrorType::InvalidParameter, "Invalid NextToken."))?,
    };
    Ok(ListWebAuthnCredentialsResponse {
        credentials: passkeys
            .iter()
            .skip(start)
            .take(limit)
            .map(|passkey| passkey.description())
            .collect(),
        next_token: passkeys
            .get(start + limit)
            .map(|passkey| passkey.credential_id.clone()),
    })
}

/// `DeleteWebAuthnCredential`: ResourceNotFoundException for an id the user lacks.
pub fn delete(shared: &Shared, request: DeleteWebAuthnCredentialRequest) -> ApiResult<Empty> {
    let signed_in = token_signed_in(shared, request.access_token.expose())?;
    let mut state = shared.lock();
    state
        .pool_mut(&signed_in.pool_id)?
        .remove_passkey(&signed_in.username, &request.credential_id)?;
    Ok(Empty {})
}
