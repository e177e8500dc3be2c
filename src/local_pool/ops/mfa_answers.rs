//! The answers to the MFA challenges: a code (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
//! SMS_OTP), SELECT_MFA_TYPE's choice, and MFA_SETUP's completion.

use subtle::ConstantTimeEq;

use crate::cognito::types::AuthResponse;
use crate::crypto::totp;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::mfa::MfaKind;
use crate::local_pool::state::{CodePurpose, Locked, Pending, User};

use super::challenge::Answering;
use super::next_step;

/// TOTP codes of one step either side of now are accepted (clock drift).
pub const TOTP_DRIFT_STEPS: u64 = 1;

/// Checks a TOTP code for a user at `unix_seconds`: the counter it matches, newer than
/// the last one accepted. Err(true) when the code is right but was already used.
pub fn check_totp(user: &User, code: &str, unix_seconds: u64) -> Result<u64, bool> {
    let Some(token) = &user.mfa.software_token else {
        return Err(false);
    };
    let Ok(secret) = totp::decode_secret(token.secret.expose()) else {
        return Err(false);
    };
    match totp::matching_counter(&secret, code, unix_seconds, TOTP_DRIFT_STEPS) {
        Some(counter) if token.last_counter.is_none_or(|last| counter > last) => Ok(counter),
        Some(_) => Err(true),
        None => Err(false),
    }
}

/// The pool's time as unix seconds (never before 1970 in practice).
pub fn unix_seconds(now: time::OffsetDateTime) -> u64 {
    u64::try_from(now.unix_timestamp()).unwrap_or(0)
}

/// Whether wrong codes of this challenge count towards the lockout: MFA codes do
/// ("Adding MFA to a user pool": five unsuccessful attempts start the lockout);
/// passwordless codes (USER_AUTH's SMS_OTP and EMAIL_OTP) are not documented to, and
/// do not here.
fn counts_towards_lockout(purpose: CodePurpose) -> bool {
    !matches!(purpose, CodePurpose::SmsOtp | CodePurpose::EmailOtp)
}

/// A code challenge's answer. A wrong code keeps the session for another try, and a
/// wrong MFA code counts towards the lockout, during which every code is refused
/// with "Password attempts exceeded".
pub fn code(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::Code { purpose, code } = &pending else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let purpose = *purpose;
    let response_key = purpose.kind().response_key();
    let Some(sent) = answering
        .responses
        .get(response_key)
        .filter(|code| !code.is_empty())
        .cloned()
    else {
        return Err(answering.refuse(state, pending, ApiError::missing(response_key)));
    };
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    let pool_id = answering.session.pool_id.clone();
    let username = answering.session.username.clone();
    let counted = counts_towards_lockout(purpose);
    if counted && let Err(error) = state.admit_attempt(&pool_id, &username, answering.now) {
        return Err(answering.refuse(state, pending, error));
    }
    match purpose {
        CodePurpose::SoftwareToken => match check_totp(&user, &sent, unix_seconds(answering.now)) {
            Ok(counter) => {
                let stored = state.user_mut(&pool_id, &username)?;
                if let Some(token) = stored.mfa.software_token.as_mut() {
                    token.last_counter = Some(counter);
                }
            }
            Err(true) => {
                let error = ApiError::new(
                    ErrorType::CodeMismatch,
                    "Your software token has already been used once.",
                );
                return Err(wrong_code(answering, state, pending, counted, error));
            }
            Err(false) => {
                return Err(wrong_code(
                    answering,
                    state,
                    pending,
                    counted,
                    ApiError::code_mismatch(),
                ));
            }
        },
        _ => {
            let expected = code.as_ref().map(|code| code.expose().as_bytes().to_vec());
            let matches = expected
                .is_some_and(|expected| bool::from(expected.as_slice().ct_eq(sent.as_bytes())));
            if !matches {
                return Err(wrong_code(
                    answering,
                    state,
                    pending,
                    counted,
                    ApiError::code_mismatch(),
                ));
            }
        }
    }
    // Only a change is written (`serve --data`): most sign-ins find it verified already.
    if let Some(attribute) = verified_by(purpose)
        && state.user(&pool_id, &username)?.attribute(attribute) != Some("true")
    {
        state
            .user_mut(&pool_id, &username)?
            .set_attribute(attribute, "true");
    }
    if purpose == CodePurpose::EmailSetup {
        let stored = state.user_mut(&pool_id, &username)?;
        stored.mfa.enabled.insert(MfaKind::Email);
        stored.mfa.preferred.get_or_insert(MfaKind::Email);
    }
    let user = state.user(&pool_id, &username)?.clone();
    next_step::tokens(answering.shared, state, answering.who(), &user)
}

/// The flag a right code of this challenge sets: Cognito sends MFA codes to unverified
/// addresses and numbers, and marks them verified once the user completes their first
/// MFA with one ("SMS and email message MFA", Amazon Cognito Developer Guide).
fn verified_by(purpose: CodePurpose) -> Option<&'static str> {
    match purpose {
        CodePurpose::SmsMfa => Some("phone_number_verified"),
        CodePurpose::EmailMfa | CodePurpose::EmailSetup => Some("email_verified"),
        CodePurpose::SoftwareToken | CodePurpose::SmsOtp | CodePurpose::EmailOtp => None,
    }
}

/// A wrong code: counted towards the lockout when `counted`, then the session is kept
/// for another try (until its third wrong answer).
fn wrong_code(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
    counted: bool,
    error: ApiError,
) -> ApiError {
    if counted {
        let session = &answering.session;
        state.failed_attempt(&session.pool_id, &session.username, answering.now);
    }
    answering.wrong(state, pending, error)
}

/// SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; its code challenge follows.
pub fn select_mfa_type(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::SelectMfa { choices } = &pending else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let chosen = answering
        .responses
        .get("ANSWER")
        .and_then(|answer| MfaKind::from_api_name(answer))
        .filter(|factor| choices.contains(factor));
    let Some(factor) = chosen else {
        let names: Vec<&str> = choices.iter().map(|factor| factor.api_name()).collect();
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            format!("ANSWER must be one of {}.", names.join(", ")),
        );
        return Err(answering.refuse(state, pending, error));
    };
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    next_step::code_challenge(
        answering.shared,
        state,
        answering.who(),
        &user,
        CodePurpose::of_mfa(factor),
    )
}

/// MFA_SETUP: after VerifySoftwareToken (with the Session it returned) the tokens;
/// or EMAIL = an address, which becomes the user's e-mail and gets an EMAIL_OTP code.
pub fn mfa_setup(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    if matches!(pending, Pending::SoftwareTokenVerified) {
        return next_step::tokens(answering.shared, state, answering.who(), &user);
    }
    let Some(address) = answering
        .responses
        .get("EMAIL")
        .filter(|a| !a.is_empty())
        .cloned()
    else {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            "Set up a factor first: verify an authenticator (AssociateSoftwareToken, then VerifySoftwareToken) and answer with the Session VerifySoftwareToken returned, or answer EMAIL with an e-mail address.",
        );
        return Err(answering.refuse(state, pending, error));
    };
    let email_on = state
        .pool(&answering.session.pool_id)?
        .mfa
        .factors
        .contains(&MfaKind::Email);
    if !email_on {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            "E-mail MFA is not enabled for this user pool; set up an authenticator instead.",
        );
        return Err(answering.refuse(state, pending, error));
    }
    let well_formed = address
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !address.chars().any(char::is_whitespace);
    if !well_formed {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            "EMAIL is not a valid e-mail address; write it as name@example.com.",
        );
        return Err(answering.refuse(state, pending, error));
    }
    let stored = state.user_mut(&answering.session.pool_id, &answering.session.username)?;
    stored.set_attribute("email", &address);
    stored.set_attribute("email_verified", "false");
    let user = stored.clone();
    next_step::code_challenge(
        answering.shared,
        state,
        answering.who(),
        &user,
        CodePurpose::EmailSetup,
    )
}
