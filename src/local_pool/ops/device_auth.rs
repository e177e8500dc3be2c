//! The device half of a sign-in with DEVICE_KEY (see `local_pool::devices`):
//! DEVICE_SRP_AUTH takes the device's SRP_A and answers DEVICE_PASSWORD_VERIFIER with
//! SRP_B, SALT and a sealed SECRET_BLOCK; the proof is checked like PASSWORD_VERIFIER's,
//! with the device group key as realm and the device key as user id. Both answers may
//! come without a Session (see `ops::challenge`). A remembered device then skips MFA
//! where the pool allows it; any other goes on to MFA.

use std::collections::BTreeMap;

use crate::cognito::types::AuthResponse;
use crate::crypto::SrpServer;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::secret_block::BlockPurpose;
use crate::local_pool::state::{AfterProof, AppClient, Locked, Pending, Shared, unlocked};

use super::challenge::Answering;
use super::next_step::{self, Who};
use super::required;
use super::srp_proof::{self, ProofAnswer};

/// After the password of a sign-in that named a device: DEVICE_SRP_AUTH.
pub fn challenge(shared: &Shared, state: &mut Locked<'_>, who: Who<'_>) -> AuthResponse {
    let parameters = BTreeMap::from([("USERNAME".to_owned(), who.username.to_owned())]);
    next_step::challenge(
        state,
        shared.clock.now(),
        who,
        Pending::DeviceSrpAuth,
        parameters,
    )
}

/// DEVICE_SRP_AUTH: the device's SRP_A for a device of this user that has a verifier.
pub fn device_srp_auth(
    answering: Answering<'_>,
    state: &mut Locked<'_>,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let (device_key, srp_a) = match (
        required(answering.responses, "DEVICE_KEY"),
        required(answering.responses, "SRP_A"),
    ) {
        (Ok(key), Ok(srp_a)) => (key.to_owned(), srp_a.to_owned()),
        (Err(error), _) | (_, Err(error)) => return Err(answering.refuse(state, pending, error)),
    };
    let device = state
        .pool(&answering.session.pool_id)?
        .device_of(&answering.session.username, &device_key)
        .ok()
        .and_then(|device| device.verifier.clone());
    let Some(verifier) = device else {
        // A forgotten or never-confirmed device: the sign-in must start without it.
        return Err(crate::local_pool::devices::unknown_device());
    };
    // B = k·v + g^b and S = (A·v^u)^b: the exponentiations run with the state unlocked.
    let server = unlocked(state, || SrpServer::new(&verifier, &srp_a)).map_err(|_| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "SRP_A is not a valid SRP public value; send A = g^a mod N in hex, with a non-zero a.",
        )
    })?;
    let public_b = server.public_b_hex();
    let who = Who {
        device_key: Some(&device_key),
        ..answering.who()
    };
    let (pending, secret_block_b64) = srp_proof::issue(
        answering.shared,
        state,
        BlockPurpose::Device,
        who,
        server,
        AfterProof::Device,
    );
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), verifier.salt_hex()),
        ("SRP_B".to_owned(), public_b),
        ("SECRET_BLOCK".to_owned(), secret_block_b64),
        ("USERNAME".to_owned(), answering.session.username.clone()),
        ("DEVICE_KEY".to_owned(), device_key.clone()),
    ]);
    Ok(next_step::challenge(
        state,
        answering.now,
        answering.who(),
        pending,
        parameters,
    ))
}

/// DEVICE_PASSWORD_VERIFIER, with or without the Session: redeems the sealed block
/// (`srp_proof::redeem`), then PASSWORD_CLAIM_SIGNATURE =
/// HMAC(K, device group key | device key | block | TIMESTAMP), TIMESTAMP in Cognito's
/// form within 5 minutes. Then tokens (a remembered device where the pool lets it stand
/// in for MFA) or the MFA rules. A wrong proof ends the sign-in: the block was used.
pub fn device_password_verifier(
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
        BlockPurpose::Device,
        client,
        &answer,
        session,
        now,
    )?;
    let (AfterProof::Device, Some(device_key)) = (proof.after, claims.device_key.as_deref()) else {
        return Err(ApiError::invalid_session());
    };
    if responses
        .get("DEVICE_KEY")
        .is_some_and(|sent| !sent.is_empty() && sent != device_key)
    {
        return Err(ApiError::incorrect_password());
    }
    let (pool_id, username) = (claims.pool_id.as_str(), claims.username.as_str());
    let device = state
        .pool(pool_id)?
        .device_of(username, device_key)?
        .clone();
    let valid = answer.timestamp_fresh(now)
        && proof
            .server
            .verify_signature(
                &device.group_key,
                &device.key,
                &answer.block,
                answer.timestamp,
                answer.signature,
            )
            .unwrap_or(false);
    if !valid {
        return Err(ApiError::incorrect_password());
    }
    let pool = state.pool_mut(pool_id)?;
    let skips_mfa = pool
        .device_tracking
        .is_some_and(|config| device.skips_mfa(&config));
    pool.device_of_mut(username, device_key)?.last_authenticated = Some(now);
    let user = state.enabled_user(pool_id, username)?;
    let who = Who {
        pool_id,
        client_id: &client.id,
        username,
        device_key: Some(device_key),
    };
    if skips_mfa {
        next_step::tokens(shared, &mut state, who, &user)
    } else {
        next_step::second_factor(shared, &mut state, who, &user)
    }
}
