//! The software passkey: the console plays both WebAuthn's client (it writes
//! clientDataJSON) and, for machines without a security key, the authenticator (a P-256
//! key in a 0600 file). No UI and no network: the auth flow hands it Cognito's options
//! and sends back what it returns.
//!
//! - [`client_data`]: the origin the console claims and the clientDataJSON bytes.
//! - [`authenticator_data`]: authenticatorData, the COSE key and the attestation object.
//! - [`store`]: the key files, one per credential.
//! - [`ceremonies`]: `create` (registration) and `get` (sign-in) on the store.
//! - [`security_key`]: the same two ceremonies on a FIDO2 security key (CTAP2 over USB).

pub mod authenticator_data;
pub mod ceremonies;
pub mod client_data;
pub mod error;
pub mod security_key;
pub mod store;

pub use client_data::{Ceremony, client_data_json, origin_for};
pub use error::PasskeyError;
pub use store::{HeldPasskey, SoftwarePasskeys};

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// WebAuthn's Base64URLString: base64url, written without padding, read with or without
/// it (a server that re-encodes an id with `=` still names the same credential).
pub(crate) const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
