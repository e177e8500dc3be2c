//! CUSTOM_AUTH: the pool's scripted rounds (`local_pool::custom_auth`), with or
//! without SRP first. Without SRP only USERNAME is sent; with SRP, AuthParameters
//! carry SRP_A and CHALLENGE_NAME = SRP_A, PASSWORD_VERIFIER follows, then the rounds.
//! No MFA follows a custom sign-in (Cognito leaves that to the Define trigger).

use std::collections::BTreeMap;

use crate::cognito::types::AuthResponse;
use crate::local_pool::custom_auth::{Attempt, Decision};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{AfterPassword, AppClient, Locked, Pending, Shared, User};

use super::auth::{named_user, srp_challenge};
use super::challenge::Answering;
use super::next_step::{self, Who};

/// `InitiateAuth` with CUSTOM_AUTH.
pub fn initiate(
    shared: &Shared,
    pool_id: &str,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let user = named_user(shared, pool_id, client, parameters)?;
    let mut state = shared.lock();
    if state.pool(pool_id)?.custom.rounds.is_empty() {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "Custom auth lambda trigger is not configured for the user pool.",
        ));
    }
    let who = Who {
        pool_id,
        client_id: &client.id,
        username: &user.username,
        device_key: None,
    };
    let with_srp = parameters.get("CHALLENGE_NAME").map(String::as_str) == Some("SRP_A");
    if with_srp {
        let srp_a = parameters
            .get("SRP_A")
            .filter(|value| !value.is_empty())
            .ok_or_else(|| ApiError::missing("SRP_A"))?;
        let then = AfterPassword::Custom(vec![Attempt::SrpA]);
        return srp_challenge(shared, &mut state, who, &user, srp_a, then);
    }
    decide(shared, &mut state, who, &user, Vec::new())
}

/// After PASSWORD_VERIFIER in a custom sign-in: the Define trigger decides.
pub fn after_password(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
    mut history: Vec<Attempt>,
    password_proved: bool,
) -> ApiResult<AuthResponse> {
    history.push(Attempt::Password(password_proved));
    decide(shared, state, who, user, history)
}

/// CUSTOM_CHALLENGE: Verify judges ANSWER, then Define decides what follows.
pub fn answer(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::Custom { round, history } = pending else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let Some(given) = answering.responses.get("ANSWER").cloned() else {
        let pending = Pending::Custom { round, history };
        return Err(answering.refuse(state, pending, ApiError::missing("ANSWER")));
    };
    let correct = state
        .pool(&answering.session.pool_id)?
        .custom
        .verify(round, &given);
    let mut history = history;
    history.push(Attempt::Custom { round, correct });
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    decide(answering.shared, state, answering.who(), &user, history)
}

/// The Define trigger's decision, carried out.
fn decide(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
    history: Vec<Attempt>,
) -> ApiResult<AuthResponse> {
    let script = state.pool(who.pool_id)?.custom.clone();
    match script.define(&history) {
        Decision::Tokens => next_step::tokens(shared, state, who, user),
        Decision::Round(round) => {
            let now = shared.clock.now();
            let parameters = script.parameters(round);
            Ok(next_step::challenge(
                state,
                now,
                who,
                Pending::Custom { round, history },
                parameters,
            ))
        }
        Decision::Fail | Decision::PasswordVerifier => Err(ApiError::incorrect_password()),
    }
}
