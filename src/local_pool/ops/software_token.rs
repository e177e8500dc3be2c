//! TOTP enrolment: `AssociateSoftwareToken` hands out a secret and
//! `VerifySoftwareToken` proves an authenticator has it, either during MFA_SETUP
//! (with the challenge's Session) or for a signed-in user (with an AccessToken).

use crate::cognito::types::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};
use crate::crypto::totp;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::mfa::{MfaKind, SoftwareToken};
use crate::local_pool::state::{Pending, Session, Shared};
use crate::sensitive::SensitiveString;

use super::access::token_user;
use super::mfa_answers::{TOTP_DRIFT_STEPS, unix_seconds};

/// `AssociateSoftwareToken`: a fresh 32-character base32 secret. With an AccessToken,
/// a pool whose configuration does not turn TOTP on answers
/// SoftwareTokenMFANotFoundException, which the API reference gives for exactly that.
pub fn associate(
    shared: &Shared,
    request: AssociateSoftwareTokenRequest,
) -> ApiResult<AssociateSoftwareTokenResponse> {
    let secret = totp::new_secret();
    if let Some(token) = &request.access_token {
        let (pool_id, username) = token_user(shared, token.expose())?;
        let mut state = shared.lock();
        if !state.pool(&pool_id)?.mfa.allows(MfaKind::SoftwareToken) {
            return Err(ApiError::new(
                ErrorType::SoftwareTokenMfaNotFound,
                "Software token MFA is not enabled for this user pool.",
            ));
        }
        state.user_mut(&pool_id, &username)?.mfa.pending_secret =
            Some(SensitiveString::new(secret.clone()));
        return Ok(AssociateSoftwareTokenResponse {
            secret_code: Some(SensitiveString::new(secret)),
            session: None,
        });
    }
    let session_id = request
        .session
        .as_ref()
        .map(|session| session.expose().clone())
        .ok_or_else(needs_token_or_session)?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let (session, pending) = state.take_any_session(&session_id, now)?;
    if !matches!(
        pending,
        Pending::MfaSetup | Pending::SoftwareTokenAssociated { .. }
    ) {
        state.put_back(&session_id, session, pending);
        return Err(ApiError::invalid_session());
    }
    let offered = state
        .pool(&session.pool_id)
        .is_ok_and(|pool| pool.mfa.factors.contains(&MfaKind::SoftwareToken));
    if !offered {
        state.put_back(&session_id, session, pending);
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "Software token MFA is not enabled for this user pool; set up a factor MFAS_CAN_SETUP lists.",
        ));
    }
    let next = Session::new(
        &session.pool_id,
        &session.client_id,
        &session.username,
        now,
        Pending::SoftwareTokenAssociated {
            secret: SensitiveString::new(secret.clone()),
        },
    );
    let next_id = state.open_session(next, now);
    Ok(AssociateSoftwareTokenResponse {
        secret_code: Some(SensitiveString::new(secret)),
        session: Some(SensitiveString::new(next_id)),
    })
}

/// `VerifySoftwareToken`: the first code from the authenticator. With a Session the
/// token is enrolled, enabled and preferred, and a Session for MFA_SETUP's answer is
/// returned; with an AccessToken the token is enrolled, to be enabled with
/// SetUserMFAPreference. A wrong code is EnableSoftwareTokenMFAException.
pub fn verify(
    shared: &Shared,
    request: VerifySoftwareTokenRequest,
) -> ApiResult<VerifySoftwareTokenResponse> {
    let code = request.user_code.expose().as_str();
    if code.len() != totp::DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must be 6 digits",
        ));
    }
    let device_name = request
        .friendly_device_name
        .clone()
        .filter(|name| !name.trim().is_empty());
    let now = shared.clock.now();
    if let Some(token) = &request.access_token {
        let (pool_id, username) = token_user(shared, token.expose())?;
        let mut state = shared.lock();
        let user = state.user_mut(&pool_id, &username)?;
        let Some(secret) = user.mfa.pending_secret.clone() else {
            return Err(not_associated());
        };
        let counter = matching(&secret, code, now).ok_or_else(mismatch)?;
        user.mfa.software_token = Some(SoftwareToken {
            secret,
            device_name,
            last_counter: Some(counter),
        });
        user.mfa.pending_secret = None;
        return Ok(VerifySoftwareTokenResponse {
            status: Some("SUCCESS".to_owned()),
            session: None,
        });
    }
    let session_id = request
        .session
        .as_ref()
        .map(|session| session.expose().clone())
        .ok_or_else(needs_token_or_session)?;
    let mut state = shared.lock();
    let (session, pending) = state.take_any_session(&session_id, now)?;
    let Pending::SoftwareTokenAssociated { secret } = &pending else {
        state.put_back(&session_id, session, pending);
        return Err(not_associated());
    };
    let secret = secret.clone();
    let Some(counter) = matching(&secret, code, now) else {
        return Err(state.wrong_answer(&session_id, session, pending, mismatch()));
    };
    let user = state.user_mut(&session.pool_id, &session.username)?;
    user.mfa.software_token = Some(SoftwareToken {
        secret,
        device_name,
        last_counter: Some(counter),
    });
    user.mfa.enabled.insert(MfaKind::SoftwareToken);
    user.mfa.preferred.get_or_insert(MfaKind::SoftwareToken);
    let next = Session::new(
        &session.pool_id,
        &session.client_id,
        &session.username,
        now,
        Pending::SoftwareTokenVerified,
    );
    let next_id = state.open_session(next, now);
    Ok(VerifySoftwareTokenResponse {
        status: Some("SUCCESS".to_owned()),
        session: Some(SensitiveString::new(next_id)),
    })
}

/// The TOTP counter a code matches now (one step of drift either way).
fn matching(secret: &SensitiveString, code: &str, now: time::OffsetDateTime) -> Option<u64> {
    let bytes = totp::decode_secret(secret.expose()).ok()?;
    totp::matching_counter(&bytes, code, unix_seconds(now), TOTP_DRIFT_STEPS)
}

fn mismatch() -> ApiError {
    ApiError::new(
        ErrorType::EnableSoftwareTokenMfa,
        "Code mismatch and fail enable Software Token MFA",
    )
}

fn not_associated() -> ApiError {
    ApiError::new(
        ErrorType::SoftwareTokenMfaNotFound,
        "Software Token MFA has not been associated; call AssociateSoftwareToken first.",
    )
}

fn needs_token_or_session() -> ApiError {
    ApiError::new(
        ErrorType::InvalidParameter,
        "Send an AccessToken (a signed-in user) or the Session of an MFA_SETUP challenge.",
    )
}
