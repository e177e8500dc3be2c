//! WEB_AUTHN, USER_AUTH's passkey first factor: the challenge (ChallengeParameters'
//! `CREDENTIAL_REQUEST_OPTIONS`, a PublicKeyCredentialRequestOptionsJSON as a string)
//! and the answer (ChallengeResponses' `CREDENTIAL`, an AuthenticationResponseJSON as
//! a string), verified by `webauthn::assertion`.
//!
//! A right assertion signs the user in with no further MFA, as EMAIL_OTP and SMS_OTP
//! do (Cognito's choice-based sign-in: a passwordless first factor is not followed by
//! MFA). A failed check is a wrong answer (NotAuthorizedException): the session stays
//! for another try, until the third; a CREDENTIAL that is not JSON of the right shape
//! is refused (InvalidParameterException) without counting. Like the passwordless
//! codes, passkey answers do not count towards the password lockout.

use std::collections::BTreeMap;

use crate::cognito::types::AuthResponse;
use crate::cognito::webauthn::{AuthenticationResponse, RequestOptions};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{Locked, Pending, Pool, Shared, User, unlocked};
use crate::local_pool::webauthn::assertion::{self, Expected, next_sign_count};
use crate::local_pool::webauthn::passkey::Passkey;
use crate::local_pool::webauthn::{CHALLENGE_TIMEOUT_MS, Refusal, new_challenge, user_handle};

use super::challenge::Answering;
use super::next_step::{self, Who};

/// The ChallengeParameters key of the request options.
pub const OPTIONS_PARAMETER: &str = "CREDENTIAL_REQUEST_OPTIONS";
/// The ChallengeResponses key of the assertion.
pub const CREDENTIAL_RESPONSE: &str = "CREDENTIAL";

/// The request options for `username`: the challenge, the pool's RP ID and user
/// verification, and the user's passkeys as allowCredentials.
pub fn request_options(pool: &Pool, username: &str, challenge: &str) -> RequestOptions {
    RequestOptions {
        challenge: challenge.to_owned(),
        timeout: Some(CHALLENGE_TIMEOUT_MS),
        rp_id: Some(pool.web_authn.rp_id().to_owned()),
        allow_credentials: pool
            .passkeys_of(username)
            .into_iter()
            .map(Passkey::descriptor)
            .collect(),
        user_verification: Some(pool.web_authn.user_verification.as_str().to_owned()),
        extensions: None,
    }
}

/// ChallengeParameters carrying fresh request options for `user`; Ok(parameters,
/// the challenge).
pub fn parameters(pool: &Pool, user: &User) -> ApiResult<(BTreeMap<String, String>, String)> {
    let challenge = new_challenge();
    let options = request_options(pool, &user.username, &challenge);
    let json = serde_json::to_string(&options).map_err(|error| {
        ApiError::new(
            ErrorType::InternalError,
            format!("The local pool could not write the request options: {error}"),
        )
    })?;
    let parameters = BTreeMap::from([
        (OPTIONS_PARAMETER.to_owned(), json),
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
    ]);
    Ok((parameters, challenge))
}

/// Opens the WEB_AUTHN challenge.
pub fn challenge(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
) -> ApiResult<AuthResponse> {
    let (parameters, challenge) = parameters(state.pool(who.pool_id)?, user)?;
    let now = shared.clock.now();
    Ok(next_step::challenge(
        state,
        now,
        who,
        Pending::WebAuthn { challenge },
        parameters,
    ))
}

/// The answer to WEB_AUTHN.
pub fn answer(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::WebAuthn { challenge } = &pending else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let challenge = challenge.clone();
    judge(answering, state, pending, &challenge)
}

/// Judges a CREDENTIAL against `challenge` for the session's user; `pending` is what
/// the session goes back to after a wrong answer.
pub fn judge(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
    challenge: &str,
) -> ApiResult<AuthResponse> {
    let Some(text) = answering
        .responses
        .get(CREDENTIAL_RESPONSE)
        .filter(|text| !text.is_empty())
    else {
        return Err(answering.refuse(state, pending, ApiError::missing(CREDENTIAL_RESPONSE)));
    };
    let Ok(response) = serde_json::from_str::<AuthenticationResponse>(text) else {
        let error = Refusal::Malformed("CREDENTIAL (an AuthenticationResponseJSON)").for_sign_in();
        return Err(answering.refuse(state, pending, error));
    };
    let pool_id = answering.session.pool_id.clone();
    let user = state.enabled_user(&pool_id, &answering.session.username)?;
    let pool = state.pool(&pool_id)?;
    let Some(passkey) = pool
        .passkeys()
        .get(&response.id)
        .filter(|passkey| passkey.username == user.username)
        .cloned()
    else {
        let error = Refusal::UnknownCredential.for_sign_in();
        return Err(answering.wrong(state, pending, error));
    };
    let settings = pool.web_authn.clone();
    let handle = user_handle(&user.sub);
    // The signature is checked with the state unlocked.
    let verdict = unlocked(state, || {
        assertion::verify(
            &response,
            Expected {
                challenge,
                rp_id: settings.rp_id(),
                uv_required: settings.uv_required(),
                public_key: &passkey.public_key,
                sign_count: passkey.sign_count,
                user_handle: &handle,
            },
        )
    });
    // Another sign-in may have moved the counter while the state was unlocked.
    let verdict = verdict.and_then(|count| {
        let stored = state
            .pool(&pool_id)
            .ok()
            .and_then(|pool| pool.passkeys().get(&passkey.credential_id))
            .map_or(0, |passkey| passkey.sign_count);
        next_sign_count(stored, count)
    });
    let count = match verdict {
        Ok(count) => count,
        Err(refusal @ Refusal::Malformed(_)) => {
            return Err(answering.refuse(state, pending, refusal.for_sign_in()));
        }
        Err(refusal) => return Err(answering.wrong(state, pending, refusal.for_sign_in())),
    };
    let now = answering.now;
    if let Some(stored) = state
        .pool_mut(&pool_id)?
        .passkey_of_mut(&user.username, &passkey.credential_id)
    {
        stored.sign_count = count;
        stored.last_used = Some(now);
    }
    next_step::tokens(answering.shared, state, answering.who(), &user)
}
