//! The SRP proofs PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER wait for, with or
//! without the Session: issuing the sealed SECRET_BLOCK that names a proof, redeeming
//! it once, and reading TIMESTAMP. See `local_pool::secret_block` for the block itself.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use crate::crypto::{self, SrpServer};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::secret_block::{BlockClaims, BlockPurpose};
use crate::local_pool::state::{
    AfterProof, AppClient, Locked, Pending, SESSION_LIFETIME, Shared, WaitingProof,
};

use super::next_step::Who;
use super::{required, secret_hash};

/// How far TIMESTAMP may be from the pool's clock, either way. Cognito documents no
/// number; clients whose clocks are more than about 5 minutes off are refused.
pub const TIMESTAMP_TOLERANCE: time::Duration = time::Duration::minutes(5);

/// Cognito's answer to a TIMESTAMP it cannot read at all.
pub fn malformed_timestamp() -> ApiError {
    ApiError::new(
        ErrorType::InvalidParameter,
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
    )
}

/// Seals a SECRET_BLOCK for `who`, keeps `server` (its session key) under the block's
/// one-time id until the block expires, and gives back the pending step that waits for
/// the answer and the block in base64.
pub fn issue(
    shared: &Shared,
    state: &mut Locked<'_>,
    purpose: BlockPurpose,
    who: Who<'_>,
    server: SrpServer,
    after: AfterProof,
) -> (Pending, String) {
    let now = shared.clock.now();
    let expires = now + SESSION_LIFETIME;
    let claims = BlockClaims::new(
        who.pool_id,
        who.client_id,
        who.username,
        who.device_key,
        expires,
    );
    let block = shared.sealer.seal(purpose, &claims);
    let proof = WaitingProof {
        server: Box::new(server),
        after,
        expires,
    };
    state.remember_proof(claims.id.clone(), proof, now);
    let block_id = claims.id;
    let pending = match purpose {
        BlockPurpose::Password => Pending::PasswordVerifier { block_id },
        BlockPurpose::Device => Pending::DevicePasswordVerifier { block_id },
    };
    (pending, STANDARD.encode(block))
}

/// A PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER answer, its fields read and its
/// SECRET_HASH and TIMESTAMP format checked (nothing used yet).
pub struct ProofAnswer<'a> {
    pub username: &'a str,
    pub block: Vec<u8>,
    pub signature: &'a str,
    pub timestamp: &'a str,
}

impl<'a> ProofAnswer<'a> {
    /// Reads the answer. A TIMESTAMP that is not `EEE MMM d HH:mm:ss z yyyy` at all is
    /// InvalidParameterException, as Cognito answers; a block that is not base64 cannot
    /// be one the pool issued.
    pub fn read(client: &AppClient, responses: &'a BTreeMap<String, String>) -> ApiResult<Self> {
        let username = required(responses, "USERNAME")?;
        let block_b64 = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
        let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
        let timestamp = required(responses, "TIMESTAMP")?;
        secret_hash::check(client, responses, &[username])?;
        if !crypto::reads_as_timestamp(timestamp) {
            return Err(malformed_timestamp());
        }
        let block = STANDARD
            .decode(block_b64)
            .map_err(|_| ApiError::incorrect_password())?;
        Ok(Self {
            username,
            block,
            signature,
            timestamp,
        })
    }

    /// Whether TIMESTAMP is in Cognito's exact form (day not zero-padded, the weekday
    /// of the date) and within [`TIMESTAMP_TOLERANCE`] of `now`. A padded day is
    /// refused as a wrong proof, as Cognito refuses it.
    pub fn timestamp_fresh(&self, now: OffsetDateTime) -> bool {
        crypto::parse_timestamp(self.timestamp)
            .is_some_and(|at| (at - now).abs() <= TIMESTAMP_TOLERANCE)
    }
}

/// Redeems the block of an answer, once: it must be one this pool sealed for
/// `purpose`, for this client and user, not expired, and not used before. When the
/// Session is sent too, it must be the one issued with this block (and is used up).
/// Gives back the block's claims and the proof it names; the proof is forgotten, so
/// the same block is refused from now on, whatever the verdict.
pub fn redeem(
    state: &mut Locked<'_>,
    shared: &Shared,
    purpose: BlockPurpose,
    client: &AppClient,
    answer: &ProofAnswer<'_>,
    session: Option<&str>,
    now: OffsetDateTime,
) -> ApiResult<(BlockClaims, WaitingProof)> {
    let claims = shared
        .sealer
        .open(purpose, &answer.block)
        .filter(|claims| {
            // USERNAME may be USER_ID_FOR_SRP or the name typed (an e-mail address, say).
            claims.client_id == client.id
                && state.names_user(&claims.pool_id, answer.username, &claims.username)
        })
        .ok_or_else(ApiError::incorrect_password)?;
    if claims.expired(now) {
        return Err(ApiError::expired_session());
    }
    if let Some(session_id) = session {
        let (_, pending) = state.take_session(session_id, &client.id, now)?;
        let issued_with = match &pending {
            Pending::PasswordVerifier { block_id }
            | Pending::DevicePasswordVerifier { block_id } => Some(block_id),
            _ => None,
        };
        if issued_with != Some(&claims.id) {
            return Err(ApiError::invalid_session());
        }
    }
    let proof = state
        .take_proof(&claims.id, now)
        .ok_or_else(ApiError::reused_session)?;
    Ok((claims, proof))
}
