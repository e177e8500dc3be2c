//! USER_AUTH, choice-based sign-in: SELECT_CHALLENGE lists the first factors this
//! user can use (AvailableChallenges), or PREFERRED_CHALLENGE picks one at once. The
//! client must allow ALLOW_USER_AUTH; the pool's sign-in policy
//! (AllowedFirstAuthFactors) says which factors may be offered at all.
//!
//! - PASSWORD and PASSWORD_SRP: always (the policy always holds PASSWORD, and every
//!   user here has a password); the MFA rules apply after them, as after
//!   USER_PASSWORD_AUTH and USER_SRP_AUTH.
//! - EMAIL_OTP (with a verified email) and SMS_OTP (with a verified phone_number):
//!   when the policy lists them. A code is sent; the right code signs the user in,
//!   with no further MFA.
//! - WEB_AUTHN: when the policy lists it and the user has at least one passkey
//!   (`ops::passkeys`). PREFERRED_CHALLENGE=WEB_AUTHN, or ANSWER=WEB_AUTHN, opens the
//!   WEB_AUTHN challenge (`ops::web_authn_sign_in`). A SELECT_CHALLENGE that offers
//!   WEB_AUTHN also carries CREDENTIAL_REQUEST_OPTIONS, so the answer may bring the
//!   CREDENTIAL at once (`"ANSWER": "WEB_AUTHN", "CREDENTIAL": …`, as the API
//!   reference shows). An unknown username is never offered WEB_AUTHN, as a user
//!   without passkeys is not.
//! - An unknown username, when the client prevents user-existence errors, is offered
//!   every factor the policy allows, and each fails as a wrong answer would:
//!   PASSWORD is refused, PASSWORD_SRP gets a stand-in's challenge (`local_pool::phantom`),
//!   a code challenge sends nothing and accepts no code.

use std::collections::BTreeMap;

use crate::cognito::FirstFactor;
use crate::cognito::types::AuthResponse;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::phantom;
use crate::local_pool::state::{
    AfterPassword, AppClient, CodePurpose, Locked, Pending, Shared, User,
};
use crate::outbox::Medium;

use super::auth::{Named, check_password, lookup, password_attempt, srp_challenge};
use super::challenge::Answering;
use super::next_step::{self, Who};
use super::{required, web_authn_sign_in};

/// The first factors a user can use under the pool's policy, in the order Cognito
/// lists them; WEB_AUTHN when the user has a passkey.
pub fn available_challenges(
    user: &User,
    policy: &[FirstFactor],
    has_passkey: bool,
) -> Vec<FirstFactor> {
    let mut available = vec![FirstFactor::Password, FirstFactor::PasswordSrp];
    if policy.contains(&FirstFactor::EmailOtp)
        && user.attribute("email").is_some()
        && user.verified("email")
    {
        available.push(FirstFactor::EmailOtp);
    }
    if policy.contains(&FirstFactor::SmsOtp)
        && user.attribute("phone_number").is_some()
        && user.verified("phone_number")
    {
        available.push(FirstFactor::SmsOtp);
    }
    if policy.contains(&FirstFactor::WebAuthn) && has_passkey {
        available.push(FirstFactor::WebAuthn);
    }
    available
}

/// What an unknown username is offered: every factor the policy allows that the local
/// pool can open a challenge for.
fn unknown_user_challenges(policy: &[FirstFactor]) -> Vec<FirstFactor> {
    let mut available = vec![FirstFactor::Password, FirstFactor::PasswordSrp];
    for factor in [FirstFactor::EmailOtp, FirstFactor::SmsOtp] {
        if policy.contains(&factor) {
            available.push(factor);
        }
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

/// `InitiateAuth` (and `AdminInitiateAuth`) with USER_AUTH.
pub fn initiate(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let named = lookup(shared, pool_id, client, parameters)?;
    let (policy, has_passkey) = {
        let state = shared.lock();
        let pool = state.pool(pool_id)?;
        let has_passkey = match &named {
            Named::User(user) => !pool.passkeys_of(&user.username).is_empty(),
            Named::Unknown(_) => false,
        };
        (pool.first_factors.clone(), has_passkey)
    };
    let (username, available) = match &named {
        Named::User(user) => (
            user.username.as_str(),
            available_challenges(user, &policy, has_passkey),
        ),
        Named::Unknown(username) => (username.as_str(), unknown_user_challenges(&policy)),
    };
    let who = Who {
        pool_id,
        client_id: &client.id,
        username,
        device_key: None,
    };
    if let Some(preferred) = parameters
        .get("PREFERRED_CHALLENGE")
        .map(|name| FirstFactor::from_api_name(name))
        .filter(|preferred| available.contains(preferred))
    {
        return match &named {
            Named::User(user) => start_factor(shared, who, user, &preferred, parameters),
            Named::Unknown(_) => {
                start_unknown_factor(shared, &mut shared.lock(), who, &preferred, parameters)
            }
        };
    }
    let now = shared.clock.now();
    let mut state = shared.lock();
    let (parameters, web_authn_challenge) = match &named {
        Named::User(user) if available.contains(&FirstFactor::WebAuthn) => {
            let (parameters, challenge) =
                web_authn_sign_in::parameters(state.pool(pool_id)?, user)?;
            (parameters, Some(challenge))
        }
        _ => (BTreeMap::new(), None),
    };
    let mut response = next_step::challenge(
        &mut state,
        now,
        who,
        Pending::SelectChallenge {
            available: available.clone(),
            web_authn_challenge,
        },
        parameters,
    );
    response.available_challenges = Some(api_names(&available));
    Ok(response)
}

/// Starts a first factor for an unknown username: it fails where a wrong answer would.
fn start_unknown_factor(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    factor: &FirstFactor,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    match factor {
        FirstFactor::Password => {
            required(parameters, "PASSWORD")?;
            Err(ApiError::incorrect_password())
        }
        FirstFactor::PasswordSrp => {
            let stand_in = phantom::user(who.pool_id, who.username);
            let who = Who {
                username: &stand_in.username,
                ..who
            };
            srp_challenge(
                shared,
                state,
                who,
                &stand_in,
                required(parameters, "SRP_A")?,
                AfterPassword::Mfa,
            )
        }
        FirstFactor::EmailOtp => Ok(unknown_code_challenge(shared, state, who, Medium::Email)),
        _ => Ok(unknown_code_challenge(shared, state, who, Medium::Sms)),
    }
}

/// EMAIL_OTP or SMS_OTP for an unknown username: delivery details that look real, and
/// nothing sent.
fn unknown_code_challenge(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    medium: Medium,
) -> AuthResponse {
    let purpose = match medium {
        Medium::Email => CodePurpose::EmailOtp,
        Medium::Sms => CodePurpose::SmsOtp,
    };
    let parameters = BTreeMap::from([
        (
            "CODE_DELIVERY_DESTINATION".to_owned(),
            phantom::destination(who.pool_id, who.username, medium),
        ),
        (
            "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
            medium.api_name().to_owned(),
        ),
        (
            "USER_ID_FOR_SRP".to_owned(),
            phantom::user_id(who.pool_id, who.username),
        ),
    ]);
    let now = shared.clock.now();
    next_step::challenge(
        state,
        now,
        who,
        Pending::Phantom {
            kind: purpose.kind(),
        },
        parameters,
    )
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
    match factor {
        FirstFactor::Password => {
            password_attempt(shared, who.pool_id, user, required(parameters, "PASSWORD")?)?;
            next_step::password_proved(shared, &mut shared.lock(), who, user)
        }
        FirstFactor::PasswordSrp => srp_challenge(
            shared,
            &mut shared.lock(),
            who,
            user,
            required(parameters, "SRP_A")?,
            AfterPassword::Mfa,
        ),
        FirstFactor::EmailOtp => {
            next_step::code_challenge(shared, &mut shared.lock(), who, user, CodePurpose::EmailOtp)
        }
        FirstFactor::SmsOtp => {
            next_step::code_challenge(shared, &mut shared.lock(), who, user, CodePurpose::SmsOtp)
        }
        FirstFactor::WebAuthn => {
            web_authn_sign_in::challenge(shared, &mut shared.lock(), who, user)
        }
        FirstFactor::Other(_) => Err(ApiError::new(
            ErrorType::InvalidParameter,
            "The local pool offers PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP and WEB_AUTHN.",
        )),
    }
}

/// SELECT_CHALLENGE: ANSWER names one of AvailableChallenges. A wrong PASSWORD keeps
/// the session for another try (until the third).
pub fn select_challenge(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::SelectChallenge {
        available,
        web_authn_challenge,
    } = &pending
    else {
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
    let user = match state.enabled_user(&answering.session.pool_id, &answering.session.username) {
        Ok(user) => user,
        Err(error)
            if error.error_type == ErrorType::UserNotFound
                && answering.client.hides_unknown_users() =>
        {
            return select_for_unknown(answering, state, pending, &answer);
        }
        Err(error) => return Err(error),
    };
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
        FirstFactor::WebAuthn => match (given("CREDENTIAL"), web_authn_challenge.clone()) {
            (Some(_), Some(challenge)) => {
                web_authn_sign_in::judge(answering, state, pending, &challenge)
            }
            _ => web_authn_sign_in::challenge(shared, state, who, &user),
        },
        _ => next_step::code_challenge(shared, state, who, &user, CodePurpose::SmsOtp),
    }
}

/// SELECT_CHALLENGE's answer for an unknown username: a PASSWORD is wrong (the session
/// stays for another try, as for a real user); the other factors open their challenge.
fn select_for_unknown(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
    answer: &FirstFactor,
) -> ApiResult<AuthResponse> {
    let mut parameters = answering.responses.clone();
    parameters.retain(|_, value| !value.is_empty());
    if *answer == FirstFactor::Password {
        if !parameters.contains_key("PASSWORD") {
            return Err(answering.refuse(state, pending, ApiError::missing("PASSWORD")));
        }
        return Err(answering.wrong(state, pending, ApiError::incorrect_password()));
    }
    if *answer == FirstFactor::PasswordSrp && !parameters.contains_key("SRP_A") {
        return Err(answering.refuse(state, pending, ApiError::missing("SRP_A")));
    }
    let shared = answering.shared;
    start_unknown_factor(shared, state, answering.who(), answer, &parameters)
}
