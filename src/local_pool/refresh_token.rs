//! Refresh tokens that carry their own grant, as Cognito's do (its refresh tokens are
//! encrypted JWE blobs the client cannot read): the grant is sealed with the pool's
//! XChaCha20-Poly1305 key under the refresh-token purpose (see
//! `local_pool::secret_block`), so the pool keeps no record per sign-in. A client can
//! neither read nor change one, and a SECRET_BLOCK never opens as one.
//!
//! What the pool still remembers is bounded by time, not by sign-ins (see
//! `State`): revoked chains until no token of theirs can be valid, tokens replaced by
//! rotation until they expire, and one "signed out at" stamp per user.
//!
//! Wire form: URL-safe base64, without padding, of the sealed grant (no dots, so it is
//! never taken for a JWT).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::secret_block::{BlockSealer, SealPurpose};

/// Bytes of a token's own id.
const TOKEN_ID_BYTES: usize = 16;

/// What a refresh token grants: who, for which client, in which chain, until when.
/// Field names are short on purpose: they travel in every token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshGrant {
    #[serde(rename = "p")]
    pub pool_id: String,
    #[serde(rename = "c")]
    pub client_id: String,
    #[serde(rename = "u")]
    pub username: String,
    /// `auth_time` of the sign-in that started the chain, Unix seconds.
    #[serde(rename = "a")]
    pub auth_time: i64,
    /// The chain's id, with its start stamp (see `local_pool::chain_stamp`).
    #[serde(rename = "o")]
    pub origin_jti: String,
    /// When the chain's refresh tokens stop working.
    #[serde(rename = "e", with = "time::serde::timestamp::nanoseconds")]
    pub expires: OffsetDateTime,
    /// The device the sign-in had (the DEVICE_KEY it proved, or the device it was
    /// given): refreshing needs that DEVICE_KEY, and the device must still exist.
    #[serde(rename = "d")]
    pub device_key: Option<String>,
    /// This token's own id, random, hex: what rotation remembers it by.
    #[serde(rename = "t")]
    pub token_id: String,
}

impl RefreshGrant {
    /// The same grant under a fresh token id: a new token of the same chain.
    pub fn renewed(&self) -> Self {
        Self {
            token_id: new_token_id(),
            ..self.clone()
        }
    }

    /// Whether the token has expired at `now`.
    pub fn expired(&self, now: OffsetDateTime) -> bool {
        self.expires <= now
    }
}

/// A fresh random token id.
pub fn new_token_id() -> String {
    let mut id = [0u8; TOKEN_ID_BYTES];
    OsRng.fill_bytes(&mut id);
    hex::encode(id)
}

/// The refresh token that carries `grant`.
pub fn seal(sealer: &BlockSealer, grant: &RefreshGrant) -> String {
    URL_SAFE_NO_PAD.encode(sealer.seal_value(SealPurpose::RefreshToken, grant))
}

/// The grant a refresh token carries, when this pool sealed it as a refresh token;
/// `None` for anything else (garbage, changed, another run's, a SECRET_BLOCK).
pub fn open(sealer: &BlockSealer, token: &str) -> Option<RefreshGrant> {
    let sealed = URL_SAFE_NO_PAD.decode(token).ok()?;
    sealer.open_value(SealPurpose::RefreshToken, &sealed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use base64::engine::general_purpose::STANDARD;

    use super::*;
    use crate::local_pool::secret_block::{BlockClaims, BlockPurpose};

    fn grant() -> RefreshGrant {
        RefreshGrant {
            pool_id: "us-east-1_P".to_owned(),
            client_id: "client".to_owned(),
            username: "alice".to_owned(),
            auth_time: 1_700_000_000,
            origin_jti: "origin".to_owned(),
            expires: OffsetDateTime::now_utc() + time::Duration::days(30),
            device_key: Some("us-east-1_dev".to_owned()),
            token_id: new_token_id(),
        }
    }

    #[test]
    fn a_refresh_token_opens_to_its_grant_and_hides_it() {
        let sealer = BlockSealer::new();
        let grant = grant();
        let token = seal(&sealer, &grant);
        assert_eq!(open(&sealer, &token), Some(grant));
        assert!(!token.contains('.'), "never taken for a JWT");
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("alice") && !text.contains("client"));
    }

    #[test]
    fn a_changed_token_another_run_or_another_purpose_does_not_open() {
        let sealer = BlockSealer::new();
        let token = seal(&sealer, &grant());
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for index in [0, 24, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[index] ^= 1;
            assert_eq!(open(&sealer, &URL_SAFE_NO_PAD.encode(changed)), None);
        }
        assert_eq!(open(&BlockSealer::new(), &token), None);
        assert_eq!(open(&sealer, "not base64!"), None);
        assert_eq!(open(&sealer, ""), None);
        // A refresh token is no SECRET_BLOCK, and a SECRET_BLOCK no refresh token.
        assert_eq!(sealer.open(BlockPurpose::Password, &bytes), None);
        assert_eq!(sealer.open(BlockPurpose::Device, &bytes), None);
        let claims = BlockClaims::new("us-east-1_P", "client", "alice", None, grant().expires);
        let block = sealer.seal(BlockPurpose::Password, &claims);
        assert_eq!(open(&sealer, &URL_SAFE_NO_PAD.encode(&block)), None);
        assert!(STANDARD.encode(&block) != token);
    }

    #[test]
    fn a_renewed_grant_is_the_same_chain_under_a_new_id() {
        let first = grant();
        let next = first.renewed();
        assert_ne!(first.token_id, next.token_id);
        assert_eq!(
            RefreshGrant {
                token_id: first.token_id.clone(),
                ..next
            },
            first
        );
    }
}
