//! `RespondToAuthChallenge`: finds the session, checks it waits for this challenge,
//! and hands the answer to the module that judges it. PASSWORD_VERIFIER (the SRP
//! proof) and NEW_PASSWORD_REQUIRED are judged here.

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use crate::cognito::types::{
    AdminRespondToAuthChallengeRequest, AuthResponse, RespondToAuthChallengeRequest,
};
use crate::crypto::{self, UserVerifier};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{
    AfterPassword, AppClient, Pending, Session, Shared, State, UserStatus,
};

use super::next_step::{self, Who};
use super::{custom, device_auth, mfa_answers, password_policy, required, secret_hash, user_auth};

/// How far TIMESTAMP may be from the pool's clock, either way.
const TIMESTAMP_TOLERANCE: time::Duration = time::Duration::minutes(5);

/// An answer to a session, taken from the session store while it is judged.
pub(super) struct Answering<'a> {
    pub shared: &'a Shared,
    pub client: &'a AppClient,
    pub session_id: &'a str,
    pub session: Session,
    pub responses: &'a BTreeMap<String, String>,
    pub now: OffsetDateTime,
}

impl Answering<'_> {
    /// Who the sign-in is for.
    pub fn who(&self) -> Who<'_> {
        Who {
            pool_id: &self.session.pool_id,
            client_id: &self.client.id,
            username: &self.session.username,
            device_key: self.session.device_key.as_deref(),
        }
    }

    /// A wrong answer: the session stays usable (until the third), with this error.
    pub fn wrong(self, state: &mut State, pending: Pending, error: ApiError) -> ApiError {
        state.wrong_answer(self.session_id, self.session, pending, error)
    }

    /// An answer refused before it was judged: the session stays as it was.
    pub fn refuse(self, state: &mut State, pending: Pending, error: ApiError) -> ApiError {
        state.put_back(self.session_id, self.session, pending);
        error
    }
}

/// `RespondToAuthChallenge`.
pub fn respond_to_auth_challenge(
    shared: &Shared,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let client = {
        let state = shared.lock();
        state.client(&request.client_id)?.1.clone()
    };
    let responses = request.challenge_responses.expose();
    let session = request
        .session
        .as_ref()
        .map(|session| session.expose().as_str());
    if request.challenge_name == "PASSWORD_VERIFIER" {
        return password_verifier(shared, session, responses, &client);
    }
    let session_id = session.ok_or_else(|| ApiError::missing("Session"))?;
    let username = required(responses, "USERNAME")?;
    secret_hash::check(&client, responses, &[username])?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let (session, pending) = state.take_session(session_id, &client.id, now)?;
    let answering = Answering {
        shared,
        client: &client,
        session_id,
        session,
        responses,
        now,
    };
    if pending.challenge_name() != request.challenge_name {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "This session waits for an answer to {}; send that ChallengeName.",
                pending.challenge_name()
            ),
        );
        return Err(answering.refuse(&mut state, pending, error));
    }
    if answering.session.username != username {
        return Err(answering.refuse(&mut state, pending, ApiError::invalid_session()));
    }
    match pending {
        Pending::NewPassword => new_password(answering, &mut state),
        Pending::Code { .. } => mfa_answers::code(answering, &mut state, pending),
        Pending::SelectMfa { .. } => mfa_answers::select_mfa_type(answering, &mut state, pending),
        Pending::MfaSetup
        | Pending::SoftwareTokenAssociated { .. }
        | Pending::SoftwareTokenVerified => mfa_answers::mfa_setup(answering, &mut state, pending),
        Pending::SelectChallenge { .. } => {
            user_auth::select_challenge(answering, &mut state, pending)
        }
        Pending::Custom { .. } => custom::answer(answering, &mut state, pending),
        // A code that was never sent (an unknown username): every answer is wrong.
        Pending::Phantom { .. } => {
            Err(answering.wrong(&mut state, pending, ApiError::code_mismatch()))
        }
        Pending::DeviceSrpAuth => device_auth::device_srp_auth(answering, &mut state, pending),
        Pending::DevicePasswordVerifier { .. } => {
            device_auth::device_password_verifier(answering, &mut state, pending)
        }
        Pending::PasswordVerifier { .. } => {
            Err(answering.refuse(&mut state, pending, ApiError::invalid_session()))
        }
    }
}

/// `AdminRespondToAuthChallenge` (signed): RespondToAuthChallenge for a client of UserPoolId.
pub fn admin_respond_to_auth_challenge(
    shared: &Shared,
    request: AdminRespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    super::auth::admin_client(shared, &request.user_pool_id, &request.client_id)?;
    respond_to_auth_challenge(
        shared,
        RespondToAuthChallengeRequest {
            client_id: request.client_id,
            challenge_name: request.challenge_name,
            challenge_responses: request.challenge_responses,
            session: request.session,
            client_metadata: request.client_metadata,
            analytics_metadata: request.analytics_metadata,
            user_context_data: None,
        },
    )
}

/// PASSWORD_VERIFIER: checks the secret block is the one issued, TIMESTAMP is within
/// 5 minutes of now, and PASSWORD_CLAIM_SIGNATURE = HMAC(K, realm | user | block | timestamp).
/// The Session may be left out (some clients do): the secret block then finds it.
fn password_verifier(
    shared: &Shared,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
    client: &AppClient,
) -> ApiResult<AuthResponse> {
    let username = required(responses, "USERNAME")?;
    let block_b64 = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    secret_hash::check(client, responses, &[username])?;
    let block = STANDARD
        .decode(block_b64)
        .map_err(|_| ApiError::incorrect_password())?;
    let now = shared.clock.now();

    let (session, pending) = {
        let mut state = shared.lock();
        let session_id = match session {
            Some(id) => id.to_owned(),
            None => state
                .session_for_secret_block(&block)
                .ok_or_else(ApiError::incorrect_password)?,
        };
        state.take_session(&session_id, &client.id, now)?
    };
    let Pending::PasswordVerifier {
        server,
        secret_block,
        then,
    } = pending
    else {
        return Err(ApiError::invalid_session());
    };
    if session.username != username || secret_block != block {
        return Err(ApiError::incorrect_password());
    }
    let fresh = crypto::parse_timestamp(timestamp)
        .is_some_and(|at| (at - now).abs() <= TIMESTAMP_TOLERANCE);
    let realm = pool_name(&session.pool_id);
    let valid = fresh
        && server
            .verify_signature(realm, &session.username, &block, timestamp, signature)
            .unwrap_or(false);
    let mut state = shared.lock();
    // A stand-in for an unknown username (the client prevents user-existence errors)
    // is not in the pool: its proof is refused as a wrong password is.
    let user = state
        .enabled_user(&session.pool_id, &session.username)
        .map_err(|error| match error.error_type {
            ErrorType::UserNotFound => ApiError::incorrect_password(),
            _ => error,
        })?;
    let who = Who {
        pool_id: &session.pool_id,
        client_id: &client.id,
        username: &session.username,
        device_key: session.device_key.as_deref(),
    };
    match then {
        AfterPassword::Mfa if valid => next_step::password_proved(shared, &mut state, who, &user),
        AfterPassword::Mfa => Err(ApiError::incorrect_password()),
        AfterPassword::Custom(history) => {
            custom::after_password(shared, &mut state, who, &user, history, valid)
        }
    }
}

/// NEW_PASSWORD_REQUIRED: sets the new password and the required attributes
/// (`userAttributes.<name>`), confirms the user, then applies the MFA rules. A
/// password the policy refuses, or a required attribute left out, leaves the session
/// usable, so the person can correct it.
fn new_password(answering: Answering<'_>, state: &mut State) -> ApiResult<AuthResponse> {
    let pending = Pending::NewPassword;
    let Some(new_password) = answering
        .responses
        .get("NEW_PASSWORD")
        .filter(|password| !password.is_empty())
    else {
        return Err(answering.refuse(state, pending, ApiError::missing("NEW_PASSWORD")));
    };
    if let Err(error) = password_policy::check(new_password) {
        return Err(answering.refuse(state, pending, error));
    }
    let attributes: Vec<(&str, &str)> = answering
        .responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.")
                .map(|name| (name, value.as_str()))
        })
        .collect();
    if attributes.iter().any(|(name, _)| *name == "sub") {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            "Cannot modify an immutable attribute: sub",
        );
        return Err(answering.refuse(state, pending, error));
    }
    let user = state.enabled_user(&answering.session.pool_id, &answering.session.username)?;
    let missing = next_step::missing_required(state, &answering.session.pool_id, &user)?;
    if let Some(absent) = missing.iter().find(|name| {
        !attributes
            .iter()
            .any(|(given, value)| given == name && !value.is_empty())
    }) {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            format!("Invalid attributes given, {absent} is missing"),
        );
        return Err(answering.refuse(state, pending, error));
    }
    let verifier = UserVerifier::generate(
        pool_name(&answering.session.pool_id),
        &answering.session.username,
        new_password,
    );
    let user = state.user_mut(&answering.session.pool_id, &answering.session.username)?;
    user.verifier = verifier;
    user.status = UserStatus::Confirmed;
    for (name, value) in attributes {
        user.set_attribute(name, value);
    }
    let user = user.clone();
    next_step::second_factor(answering.shared, state, answering.who(), &user)
}
