//! SECRET_BLOCK, sealed: the opaque block PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER
//! hand the client, which the client signs and sends back. Cognito lets the answer come
//! without a Session because the block itself says which sign-in it belongs to; so does
//! this pool. The block is XChaCha20-Poly1305 (an AEAD) over the [`BlockClaims`], under
//! a 256-bit key made at start-up that never leaves the process (but for `serve --data`,
//! which keeps it in the data file, 0600): a client can neither read the block nor change
//! a byte of it, and a block from an earlier run of the pool opens nowhere (with
//! `--data`, only in the pool that made it).
//!
//! Wire form: `base64(nonce (24 random bytes) | ciphertext | tag (16 bytes))`, with the
//! purpose of the block as associated data, so a PASSWORD_VERIFIER block cannot answer
//! DEVICE_PASSWORD_VERIFIER. The same sealer seals refresh tokens (see
//! `local_pool::refresh_token`) under a purpose of their own: a refresh token never
//! opens as a SECRET_BLOCK, nor a SECRET_BLOCK as a refresh token.
//!
//! The SRP server's secret does not travel in the block: `b` is wiped as soon as the
//! session key K is derived (see `crypto::SrpServer`), and K is kept in the pool's memory
//! under the block's one-time id (`State::remember_proof`). The pool must remember
//! something per block anyway to refuse a replayed one; remembering K there, and
//! forgetting it when the block is used, makes "used once already" and "never issued"
//! the same lookup, and K never leaves the pool, even encrypted.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Bytes of the random nonce at the front of a sealed block (XChaCha20's 192 bits:
/// random nonces never collide in practice).
const NONCE_BYTES: usize = 24;

/// Bytes of the one-time id inside a block.
const ID_BYTES: usize = 16;

/// Which answer a block belongs to; also the associated data of the seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockPurpose {
    /// PASSWORD_VERIFIER: the user's password proof.
    Password,
    /// DEVICE_PASSWORD_VERIFIER: the device's proof.
    Device,
}

/// What anything the sealer seals is for: a SECRET_BLOCK of either kind, or a refresh
/// token. It is the associated data of the seal, so one never opens as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealPurpose {
    /// A SECRET_BLOCK.
    Block(BlockPurpose),
    /// A refresh token: the grant it carries.
    RefreshToken,
}

impl SealPurpose {
    fn associated_data(self) -> &'static [u8] {
        match self {
            Self::Block(BlockPurpose::Password) => {
                b"cognito-signin SECRET_BLOCK v1 PASSWORD_VERIFIER"
            }
            Self::Block(BlockPurpose::Device) => {
                b"cognito-signin SECRET_BLOCK v1 DEVICE_PASSWORD_VERIFIER"
            }
            Self::RefreshToken => b"cognito-signin refresh token v1",
        }
    }
}

/// What a sealed block says: whose sign-in it is, until when, and its one-time id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockClaims {
    pub pool_id: String,
    pub client_id: String,
    /// The user's real username (USER_ID_FOR_SRP).
    pub username: String,
    /// The DEVICE_KEY the sign-in named (InitiateAuth or the PASSWORD_VERIFIER answer);
    /// for a device block, the device being proved.
    pub device_key: Option<String>,
    /// Unix seconds after which the block is refused as expired.
    pub expires: i64,
    /// Random, hex: the key of the proof the pool keeps for this block, forgotten on use.
    pub id: String,
}

impl BlockClaims {
    /// Claims for a new block, with a fresh one-time id, good until `expires`.
    pub fn new(
        pool_id: &str,
        client_id: &str,
        username: &str,
        device_key: Option<&str>,
        expires: OffsetDateTime,
    ) -> Self {
        let mut id = [0u8; ID_BYTES];
        OsRng.fill_bytes(&mut id);
        Self {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            device_key: device_key.map(str::to_owned),
            expires: expires.unix_timestamp(),
            id: hex::encode(id),
        }
    }

    /// Whether the block is past its expiry at `now`.
    pub fn expired(&self, now: OffsetDateTime) -> bool {
        now.unix_timestamp() > self.expires
    }
}

/// Seals and opens blocks under the pool's own key. Its Debug never shows the key.
pub struct BlockSealer {
    cipher: XChaCha20Poly1305,
    /// The key itself, for `serve --data` to keep (wiped on drop).
    key: zeroize::Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for BlockSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlockSealer(<key redacted>)")
    }
}

impl Default for BlockSealer {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockSealer {
    /// A sealer with a fresh random key, made once when the pool starts.
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key[..]);
        let sealer = Self::from_key(key);
        zeroize::Zeroize::zeroize(&mut key);
        sealer
    }

    /// A sealer under a key kept by `serve --data` (see [`BlockSealer::key`]), so blocks
    /// and tokens sealed before a restart open after it.
    pub fn from_key(key: [u8; 32]) -> Self {
        let key = zeroize::Zeroizing::new(key);
        Self {
            cipher: XChaCha20Poly1305::new(&(*key).into()),
            key,
        }
    }

    /// The 256-bit key, for `serve --data` to keep.
    pub fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The sealed block for `claims`, as raw bytes (the wire carries their base64).
    pub fn seal(&self, purpose: BlockPurpose, claims: &BlockClaims) -> Vec<u8> {
        self.seal_value(SealPurpose::Block(purpose), claims)
    }

    /// The claims of a block this pool sealed for `purpose`; `None` for anything else
    /// (too short, forged, changed, sealed for the other purpose or by another run).
    pub fn open(&self, purpose: BlockPurpose, block: &[u8]) -> Option<BlockClaims> {
        self.open_value(SealPurpose::Block(purpose), block)
    }

    /// Any claims (plain strings and numbers) sealed for `purpose`, as raw bytes.
    pub fn seal_value<T: Serialize>(&self, purpose: SealPurpose, claims: &T) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        #[expect(
            clippy::expect_used,
            reason = "claims are plain strings and numbers, which JSON always serialises"
        )]
        let plain = serde_json::to_vec(claims).expect("claims serialise to JSON");
        let payload = Payload {
            msg: &plain,
            aad: purpose.associated_data(),
        };
        #[expect(
            clippy::expect_used,
            reason = "XChaCha20-Poly1305 only refuses messages of 256 GiB and more; claims are a few hundred bytes"
        )]
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), payload)
            .expect("a few hundred bytes always seal");
        let mut block = nonce.to_vec();
        block.extend_from_slice(&sealed);
        block
    }

    /// The claims sealed in `block` for `purpose`; `None` for anything else.
    pub fn open_value<T: DeserializeOwned>(&self, purpose: SealPurpose, block: &[u8]) -> Option<T> {
        let (nonce, sealed) = block.split_at_checked(NONCE_BYTES)?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let payload = Payload {
            msg: sealed,
            aad: purpose.associated_data(),
        };
        let plain = self.cipher.decrypt(&XNonce::from(nonce), payload).ok()?;
        serde_json::from_slice(&plain).ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn claims() -> BlockClaims {
        BlockClaims::new(
            "us-east-1_P",
            "client",
            "alice",
            Some("us-east-1_dev"),
            OffsetDateTime::now_utc() + time::Duration::minutes(3),
        )
    }

    #[test]
    fn a_sealed_block_opens_to_its_claims() {
        let sealer = BlockSealer::new();
        let claims = claims();
        let block = sealer.seal(BlockPurpose::Password, &claims);
        assert_eq!(sealer.open(BlockPurpose::Password, &block), Some(claims));
    }

    #[test]
    fn the_claims_cannot_be_read_in_the_block() {
        let sealer = BlockSealer::new();
        let block = sealer.seal(BlockPurpose::Password, &claims());
        let text = String::from_utf8_lossy(&block);
        assert!(!text.contains("alice") && !text.contains("client"));
    }

    #[test]
    fn a_sealer_from_the_exported_key_opens_what_the_first_sealed() {
        let first = BlockSealer::new();
        let claims = claims();
        let block = first.seal(BlockPurpose::Password, &claims);
        let again = BlockSealer::from_key(*first.key());
        assert_eq!(again.open(BlockPurpose::Password, &block), Some(claims));
        assert_ne!(first.key(), BlockSealer::new().key());
    }

    #[test]
    fn a_changed_byte_another_key_or_the_other_purpose_does_not_open() {
        let sealer = BlockSealer::new();
        let block = sealer.seal(BlockPurpose::Password, &claims());
        for index in [0, NONCE_BYTES, block.len() - 1] {
            let mut changed = block.clone();
            changed[index] ^= 1;
            assert_eq!(sealer.open(BlockPurpose::Password, &changed), None);
        }
        assert_eq!(
            BlockSealer::new().open(BlockPurpose::Password, &block),
            None
        );
        assert_eq!(sealer.open(BlockPurpose::Device, &block), None);
        let as_refresh_token: Option<BlockClaims> =
            sealer.open_value(SealPurpose::RefreshToken, &block);
        assert_eq!(as_refresh_token, None);
        assert_eq!(sealer.open(BlockPurpose::Password, &block[..10]), None);
        assert_eq!(sealer.open(BlockPurpose::Password, &[]), None);
    }

    #[test]
    fn every_block_has_its_own_id_and_nonce() {
        let sealer = BlockSealer::new();
        let (first, second) = (claims(), claims());
        assert_ne!(first.id, second.id);
        assert_ne!(
            sealer.seal(BlockPurpose::Password, &first),
            sealer.seal(BlockPurpose::Password, &first)
        );
    }

    #[test]
    fn a_block_expires_after_its_time() {
        let claims = claims();
        let expires = OffsetDateTime::from_unix_timestamp(claims.expires).unwrap();
        assert!(!claims.expired(expires));
        assert!(claims.expired(expires + time::Duration::seconds(1)));
    }
}
