//! `RespondToAuthChallenge`: finds the session, checks it waits for this challenge,
//! and hands the answer to the module that judges it. PASSWORD_VERIFIER (the SRP
//! proof) and NEW_PASSWORD_REQUIRED are judged here.
//!
//! Three answers may come without a Session, as Cognito accepts them (pycognito's
//! `AWSSRP.authenticate_user` and `authenticate_device` send none):
//! - PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER carry the sealed SECRET_BLOCK,
//!   which names their sign-in (`ops::srp_proof`);
//! - DEVICE_SRP_AUTH carries USERNAME, DEVICE_KEY and SRP_A only. It finds the
//!   DEVICE_SRP_AUTH step that a proved password opened for this client, user and
//!   device, unused and under 3 minutes old (`State::pending_device_step`). That is
//!   safe: the step exists only after the password was proved, it is used once, and
//!   the answer proves nothing by itself: the device secret must still be proved in
//!   DEVICE_PASSWORD_VERIFIER. The most a stranger who knows a username and a device
//!   key can do is use up someone's pending step (their sign-in then starts again).

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::cognito::types::{
    AdminRespondToAuthChallengeRequest, AuthResponse, RespondToAuthChallengeRequest,
};
use crate::crypto::UserVerifier;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::secret_block::BlockPurpose;
use crate::local_pool::state::{
    AfterPassword, AfterProof, AppClient, Locked, Pending, Session, Shared, UserStatus, unlocked,
};

use super::next_step::{self, Who};
use super::srp_proof::{self, ProofAnswer};
use super::{
    custom, device_auth, mfa_answers, password_policy, required, secret_hash, user_auth,
    web_authn_sign_in,
};

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
    pub fn wrong(self, state: &mut Locked<'_>, pending: Pending, error: ApiError) -> ApiError {
        state.wrong_answer(self.session_id, self.session, pending, error)
    }

    /// An answer refused before it was judged: the session stays as it was.
    pub fn refuse(self, state: &mut Locked<'_>, pending: Pending, error: ApiError) -> ApiError {
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
    match request.challenge_name.as_str() {
        "PASSWORD_VERIFIER" => return password_verifier(shared, session, responses, &client),
        "DEVICE_PASSWORD_VERIFIER" => {
            return device_auth::device_password_verifier(shared, session, responses, &client);
        }
        _ => {}
    }
    let username = required(responses, "USERNAME")?;
    secret_hash::check(&client, responses, &[username])?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let session_id = match session {
        Some(id) => id.to_owned(),
        None if request.challenge_name == "DEVICE_SRP_AUTH" => {
            let device_key = required(responses, "DEVICE_KEY")?;
            state
                .pending_device_step(&client.id, username, device_key, now)
                .ok_or_else(ApiError::invalid_session)?
        }
        None => return Err(ApiError::missing("Session")),
    };
    let session_id = session_id.as_str();
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
    if !state.names_user(
        &answering.session.pool_id,
        username,
        &answering.session.username,
    ) {
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
        Pending::WebAuthn { .. } => web_authn_sign_in::answer(answering, &mut state, pending),
        // A code that was never sent (an unknown username): every answer is wrong.
        Pending::Phantom { .. } => {
            Err(answering.wrong(&mut state, pending, ApiError::code_mismatch()))
        }
        Pending::DeviceSrpAuth => device_auth::device_srp_auth(answering, &mut state, pending),
        // Their answers were routed above, by ChallengeName.
        Pending::PasswordVerifier { .. } | Pending::DevicePasswordVerifier { .. } => {
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

/// PASSWORD_VERIFIER, with or without the Session: redeems the sealed secret block
/// (`srp_proof::redeem`), refuses the attempt while the user is locked out, then checks
/// TIMESTAMP (Cognito's exact form, within 5 minutes of now) and
/// PASSWORD_CLAIM_SIGNATURE = HMAC(K, pool name | user id | block | TIMESTAMP).
/// A wrong proof counts towards the lockout. DEVICE_KEY, when the answer carries it (as
/// the API reference lists it, and pycognito sends it), names the device to prove next;
/// otherwise the one InitiateAuth named, if any.
fn password_verifier(
    shared: &Shared,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
    client: &AppClient,
) -> ApiResult<AuthResponse> {
    let answer = ProofAnswer::read(client, responses)?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let (claims, proof) = srp_proof::redeem(
        &mut state,
        shared,
        BlockPurpose::Password,
        client,
        &answer,
        session,
        now,
    )?;
    let AfterProof::Password(then) = proof.after else {
        return Err(ApiError::invalid_session());
    };
    // A stand-in for an unknown username (the client prevents user-existence errors)
    // is not in the pool: its proof is refused as a wrong password is.
    let user = state
        .enabled_user(&claims.pool_id, &claims.username)
        .map_err(|error| match error.error_type {
            ErrorType::UserNotFound => ApiError::incorrect_password(),
            _ => error,
        })?;
    state.admit_attempt(&claims.pool_id, &claims.username, now)?;
    let realm = pool_name(&claims.pool_id);
    let valid = answer.timestamp_fresh(now)
        && proof
            .server
            .verify_signature(
                realm,
                &claims.username,
                &answer.block,
                answer.timestamp,
                answer.signature,
            )
            .unwrap_or(false);
    if !valid {
        state.failed_attempt(&claims.pool_id, &claims.username, now);
    }
    let device_key = responses
        .get("DEVICE_KEY")
        .map(String::as_str)
        .filter(|key| !key.is_empty())
        .or(claims.device_key.as_deref());
    let who = Who {
        pool_id: &claims.pool_id,
        client_id: &client.id,
        username: &claims.username,
        device_key,
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
fn new_password(answering: Answering<'_>, state: &mut Locked<'_>) -> ApiResult<AuthResponse> {
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
    // One modular exponentiation, with the state unlocked.
    let verifier = unlocked(state, || {
        UserVerifier::generate(
            pool_name(&answering.session.pool_id),
            &answering.session.username,
            new_password,
        )
    });
    let user = state.user_mut(&answering.session.pool_id, &answering.session.username)?;
    user.verifier = verifier;
    user.status = UserStatus::Confirmed;
    for (name, value) in attributes {
        user.set_attribute(name, value);
    }
    let user = user.clone();
    next_step::second_factor(answering.shared, state, answering.who(), &user)
}
