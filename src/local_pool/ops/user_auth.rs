//! USER_AUTH, choice-based sign-in: SELECT_CHALLENGE lists the first factors this
//! user can use (AvailableChallenges), or PREFERRED_CHALLENGE picks one at once.
//!
//! - PASSWORD and PASSWORD_SRP: always (every user here has a password); the MFA
//!   rules apply after them, as after USER_PASSWORD_AUTH and USER_SRP_AUTH.
//! - EMAIL_OTP: with a verified email; SMS_OTP: with a verified phone_number. A code
//!   is sent; the right code signs the user in, with no further MFA.

use std::collections::BTreeMap;

use crate::cognito::FirstFactor;
use crate::cognito::types::AuthResponse;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{
    AfterPassword, AppClient, CodePurpose, Pending, Shared, State, User,
};

use super::auth::{check_password, named_user, password_attempt, srp_challenge};
use super::challenge::Answering;
use super::next_step::{self, Who};

/// The first factors a user can use, in the order Cognito lists them.
pub fn available_challenges(user: &User) -> Vec<FirstFactor> {
    let mut available = vec![FirstFactor::Password, FirstFactor::PasswordSrp];
    if user.attribute("email").is_some() && user.verified("email") {
        available.push(FirstFactor::EmailOtp);
    }
    if user.attribute("phone_number").is_some() && user.verified("phone_number") {
        available.push(FirstFactor::SmsOtp);
    }
    available
}

/// AvailableChallenges as the answer names them.
fn api_names(factors: &[FirstFactor]) -> Vec<String> {
    factors
        .iter()
        .map(|factor| factor.api_name().to_owned())
        .collect()
}

/// `InitiateAuth` with USER_AUTH.
pub fn initiate(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let user = named_user(shared, pool_id, client, parameters)?;
    let available = available_challenges(&user);
    let who = Who {
        pool_id,
        client_id: &client.id,
        username: &user.username,
        device_key: None,
    };
    if let Some(preferred) = parameters
        .get("PREFERRED_CHALLENGE")
        .map(|name| FirstFactor::from_api_name(name))
        .filter(|preferred| available.contains(preferred))
    {
        return start_factor(shared, who, &user, &preferred, parameters);
    }
    let now = shared.clock.now();
    let mut response = next_step::challenge(
        &mut shared.lock(),
        now,
        who,
        Pending::SelectChallenge {
            available: available.clone(),
        },
        BTreeMap::new(),
    );
    response.available_challenges = Some(api_names(&available));
    Ok(response)
}

/// Starts one first factor with the parameters sent for it (AuthParameters, or the
/// SELECT_CHALLENGE answer).
fn start_factor(
    shared: &Shared,
    who: Who<'_>,
    user: &User,
    factor: &FirstFactor,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let given = |name: &str| {
        parameters
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| ApiError::missing(name))
    };
    match factor {
        FirstFactor::Password => {
            password_attempt(shared, who.pool_id, user, given("PASSWORD")?)?;
            next_step::password_proved(shared, &mut shared.lock(), who, user)
        }
        FirstFactor::PasswordSrp => srp_challenge(
            shared,
            &mut shared.lock(),
            who,
            user,
            given("SRP_A")?,
            AfterPassword::Mfa,
        ),
        FirstFactor::EmailOtp => {
            next_step::code_challenge(shared, &mut shared.lock(), who, user, CodePurpose::EmailOtp)
        }
        FirstFactor::SmsOtp => {
            next_step::code_challenge(shared, &mut shared.lock(), who, user, CodePurpose::SmsOtp)
        }
        FirstFactor::WebAuthn | FirstFactor::Other(_) => Err(ApiError::new(
            ErrorType::InvalidParameter,
            "The local pool offers PASSWORD, PASSWORD_SRP, EMAIL_OTP and SMS_OTP.",
        )),
    }
}

/// SELECT_CHALLENGE: ANSWER names one of AvailableChallenges. A wrong PASSWORD keeps
/// the session for another try (until the third).
pub fn select_challenge(
    answering: Answering<'_>,
    state: &mut State,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::SelectChallenge { available } = &pending else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let Some(answer) = answering
        .responses
        .get("ANSWER")
        .map(|answer| FirstFactor::from_api_name(answer))
        .filter(|answer| available.contains(answer))
    else {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            format!("ANSWER must be one of {}.", api_names(available).join(", ")),
        );
        return Err(answering.refuse(state, pending, error));
    };
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    let who = answering.who();
    let shared = answering.shared;
    let given = |name: &str| {
        answering
            .responses
            .get(name)
            .filter(|value| !value.is_empty())
            .cloned()
    };
    match answer {
        FirstFactor::Password => {
            let Some(password) = given("PASSWORD") else {
                return Err(answering.refuse(state, pending, ApiError::missing("PASSWORD")));
            };
            // The state is locked here: admit and count the attempt in it directly.
            let (pool_id, now) = (answering.session.pool_id.clone(), answering.now);
            if let Err(error) = state.admit_attempt(&pool_id, &user.username, now) {
                return Err(answering.refuse(state, pending, error));
            }
            if let Err(error) = check_password(&pool_id, &user, &password) {
                state.failed_attempt(&pool_id, &user.username, now);
                return Err(answering.wrong(state, pending, error));
            }
            let who = answering.who();
            next_step::password_proved(shared, state, who, &user)
        }
        FirstFactor::PasswordSrp => {
            let Some(srp_a) = given("SRP_A") else {
                return Err(answering.refuse(state, pending, ApiError::missing("SRP_A")));
            };
            srp_challenge(shared, state, who, &user, &srp_a, AfterPassword::Mfa)
        }
        FirstFactor::EmailOtp => {
            next_step::code_challenge(shared, state, who, &user, CodePurpose::EmailOtp)
        }
        _ => next_step::code_challenge(shared, state, who, &user, CodePurpose::SmsOtp),
    }
}
