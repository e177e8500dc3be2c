//! Cognito's cryptography, free of I/O: SRP-6a (client and server halves, user and
//! device), SECRET_HASH, the TIMESTAMP format the PASSWORD_VERIFIER answer signs, and TOTP.

mod group;
pub mod secret_hash;
pub mod srp;
pub mod timestamp;
pub mod totp;

pub use secret_hash::secret_hash;
pub use srp::{
    DeviceVerifier, PasswordVerifierInput, SrpClient, SrpServer, UserVerifier, pool_name,
};
pub use timestamp::{format_timestamp, parse_timestamp, reads_as_timestamp};

/// A public value or input that must be refused before any secret is used with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// SRP_B ≡ 0 (mod N): answering would reveal the password.
    #[error(
        "the server sent an unsafe SRP_B (a multiple of the group modulus), so the password was not used"
    )]
    UnsafeB,
    /// SRP_A ≡ 0 (mod N): a client trying to sign in without the password.
    #[error("SRP_A is a multiple of the group modulus")]
    UnsafeA,
    /// u = H(PAD(A) | PAD(B)) = 0.
    #[error("the SRP scrambling value u is zero, so the exchange was abandoned")]
    ZeroU,
    /// A field that should be hex or base64 was not.
    #[error("the {0} value is not well formed")]
    Malformed(&'static str),
}
