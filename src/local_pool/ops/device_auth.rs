//! The device half of a sign-in with DEVICE_KEY (see `local_pool::devices`):
//! DEVICE_SRP_AUTH takes the device's SRP_A and answers DEVICE_PASSWORD_VERIFIER with
//! SRP_B, SALT and SECRET_BLOCK; the proof is checked like PASSWORD_VERIFIER's, with
//! the device group key as realm and the device key as user id. A remembered device
//! then skips MFA where the pool allows it; any other goes on to MFA.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::cognito::types::AuthResponse;
use crate::crypto::{self, SrpServer};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::ids;
use crate::local_pool::state::{Pending, Shared, State};

use super::challenge::Answering;
use super::next_step::{self, Who};
use super::required;

/// How far TIMESTAMP may be from the pool's clock, either way (as for PASSWORD_VERIFIER).
const TIMESTAMP_TOLERANCE: time::Duration = time::Duration::minutes(5);

/// After the password of a sign-in that named a device: DEVICE_SRP_AUTH.
pub fn challenge(shared: &Shared, state: &mut State, who: Who<'_>) -> AuthResponse {
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
    state: &mut State,
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
    let server = SrpServer::new(&verifier, &srp_a).map_err(|_| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "SRP_A is not a valid SRP public value; send A = g^a mod N in hex, with a non-zero a.",
        )
    })?;
    let (secret_block, secret_block_b64) = ids::secret_block();
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), verifier.salt_hex()),
        ("SRP_B".to_owned(), server.public_b_hex()),
        ("SECRET_BLOCK".to_owned(), secret_block_b64),
        ("USERNAME".to_owned(), answering.session.username.clone()),
        ("DEVICE_KEY".to_owned(), device_key.clone()),
    ]);
    let pending = Pending::DevicePasswordVerifier {
        server: Box::new(server),
        secret_block,
        device_key,
    };
    Ok(next_step::challenge(
        state,
        answering.now,
        answering.who(),
        pending,
        parameters,
    ))
}

/// DEVICE_PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE =
/// HMAC(K, device group key | device key | secret block | timestamp), the block the
/// one issued, TIMESTAMP within 5 minutes. Then tokens (a remembered device where the
/// pool lets it stand in for MFA) or the MFA rules.
pub fn device_password_verifier(
    answering: Answering<'_>,
    state: &mut State,
    pending: Pending,
) -> ApiResult<AuthResponse> {
    let Pending::DevicePasswordVerifier {
        server,
        secret_block,
        device_key,
    } = &pending
    else {
        return Err(answering.refuse(state, pending, ApiError::invalid_session()));
    };
    let responses = answering.responses;
    let fields = [
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE",
        "TIMESTAMP",
    ]
    .map(|name| required(responses, name).map(str::to_owned));
    let [block_b64, signature, timestamp] = match fields {
        [Ok(block), Ok(signature), Ok(timestamp)] => [block, signature, timestamp],
        [Err(error), ..] | [_, Err(error), _] | [.., Err(error)] => {
            return Err(answering.refuse(state, pending, error));
        }
    };
    let pool_id = answering.session.pool_id.clone();
    let username = answering.session.username.clone();
    let device = state
        .pool(&pool_id)?
        .device_of(&username, device_key)?
        .clone();
    // A block that is not base64 cannot be the one the pool issued.
    let block = STANDARD
        .decode(&block_b64)
        .ok()
        .filter(|block| block == secret_block);
    let fresh = crypto::parse_timestamp(&timestamp)
        .is_some_and(|at| (at - answering.now).abs() <= TIMESTAMP_TOLERANCE);
    let valid = fresh
        && block.is_some_and(|block| {
            server
                .verify_signature(
                    &device.group_key,
                    &device.key,
                    &block,
                    &timestamp,
                    &signature,
                )
                .unwrap_or(false)
        });
    if !valid {
        let error = ApiError::incorrect_password();
        return Err(answering.wrong(state, pending, error));
    }
    let pool = state.pool_mut(&pool_id)?;
    let skips_mfa = pool
        .device_tracking
        .is_some_and(|config| device.skips_mfa(&config));
    pool.device_of_mut(&username, device_key)?
        .last_authenticated = Some(answering.now);
    let user = state.enabled_user(&pool_id, &username)?;
    let who = answering.who();
    if skips_mfa {
        next_step::tokens(answering.shared, state, who, &user)
    } else {
        next_step::second_factor(answering.shared, state, who, &user)
    }
}
