//! Passkeys (WebAuthn) as Cognito's user pools verify them: the pool's settings
//! (`settings`), the credentials it keeps (`passkey`), and the relying party's checks
//! of WebAuthn Level 3 §7: clientDataJSON (`client_data`), authenticatorData
//! (`authenticator_data`), COSE public keys and signatures (`cose`), a new credential
//! (`registration`, §7.1) and a sign-in assertion (`assertion`, §7.2).
//!
//! Every check answers a [`Refusal`]; the operations turn it into Cognito's error
//! type (a registration and a sign-in answer different types for the same fault).
//! Nothing here panics on what a client sends.

pub mod assertion;
pub mod authenticator_data;
pub mod client_data;
pub mod cose;
pub mod passkey;
pub mod registration;
pub mod settings;

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose::URL_SAFE_NO_PAD};

use rand::RngCore;

use crate::local_pool::error::{ApiError, ErrorType};

/// How long a challenge (registration or sign-in) may be answered, in milliseconds:
/// the options' `timeout`, and the life of a registration challenge. Three minutes,
/// as long as a sign-in Session lives (Cognito documents no other figure).
pub const CHALLENGE_TIMEOUT_MS: u64 = 180_000;

/// Base64url as WebAuthn's JSON writes it: no padding; padding is tolerated on input.
const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Base64url without padding (WebAuthn's `Base64URLString`).
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a `Base64URLString`; `field` names it in the refusal.
pub fn from_b64url(text: &str, field: &'static str) -> Result<Vec<u8>, Refusal> {
    B64URL_LENIENT
        .decode(text)
        .map_err(|_| Refusal::Malformed(field))
}

/// A fresh single-use challenge: 32 random bytes, base64url.
pub fn new_challenge() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    b64url(&bytes)
}

/// The opaque user handle of a user: base64url of their `sub` (a UUID, 36 bytes, no
/// personal data, stable for the user's life).
pub fn user_handle(sub: &str) -> String {
    b64url(sub.as_bytes())
}

/// Why a credential or an assertion was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A field is missing or not in its encoding (base64url, JSON, CBOR).
    Malformed(&'static str),
    /// clientDataJSON's `type` is not this ceremony's.
    WrongType,
    /// clientDataJSON's `challenge` is not the one the pool issued (or it is used up).
    ChallengeMismatch,
    /// clientDataJSON's `origin` is not covered by the relying party ID.
    OriginNotAllowed,
    /// authenticatorData's rpIdHash is not SHA-256 of the relying party ID.
    RelyingPartyMismatch,
    /// The UP flag is not set.
    NoUserPresence,
    /// The UV flag is not set while the pool requires user verification.
    NoUserVerification,
    /// A key type, algorithm or attestation the pool does not take.
    Unsupported(&'static str),
    /// A signature (assertion, or packed self-attestation) does not verify.
    BadSignature,
    /// signCount did not grow: the authenticator may be a clone.
    SignCountNotIncreased,
    /// The credential is not one of this user's.
    UnknownCredential,
}

impl Refusal {
    /// A sentence for the error message: names the fault, never a value.
    pub fn message(self) -> String {
        match self {
            Self::Malformed(field) => format!("The credential's {field} is missing or malformed."),
            Self::WrongType => "The clientDataJSON is for another WebAuthn ceremony.".to_owned(),
            Self::ChallengeMismatch => {
                "The credential does not answer the pool's current challenge.".to_owned()
            }
            Self::OriginNotAllowed => {
                "The credential's origin does not match the user pool's relying party ID."
                    .to_owned()
            }
            Self::RelyingPartyMismatch => {
                "The credential is for another relying party ID than the user pool's.".to_owned()
            }
            Self::NoUserPresence => "The authenticator did not confirm user presence.".to_owned(),
            Self::NoUserVerification => {
                "The user pool requires user verification, and the authenticator did not verify the user."
                    .to_owned()
            }
            Self::Unsupported(what) => format!("The user pool does not support {what}."),
            Self::BadSignature => "The credential's signature is not valid.".to_owned(),
            Self::SignCountNotIncreased => {
                "The authenticator's signature counter did not increase.".to_owned()
            }
            Self::UnknownCredential => "The credential is not registered for this user.".to_owned(),
        }
    }

    /// Cognito's error for this fault in CompleteWebAuthnRegistration.
    pub fn for_registration(self) -> ApiError {
        let error_type = match self {
            Self::Malformed(_) => ErrorType::InvalidParameter,
            Self::ChallengeMismatch => ErrorType::WebAuthnChallengeNotFound,
            Self::OriginNotAllowed => ErrorType::WebAuthnOriginNotAllowed,
            Self::RelyingPartyMismatch => ErrorType::WebAuthnRelyingPartyMismatch,
            Self::NoUserVerification | Self::Unsupported(_) => {
                ErrorType::WebAuthnCredentialNotSupported
            }
            Self::WrongType
            | Self::NoUserPresence
            | Self::BadSignature
            | Self::SignCountNotIncreased
            | Self::UnknownCredential => ErrorType::NotAuthorized,
        };
        ApiError::new(error_type, self.message())
    }

    /// Cognito's error for this fault in a WEB_AUTHN answer: RespondToAuthChallenge
    /// knows no WebAuthn error types, so a malformed answer is InvalidParameterException
    /// and every failed check NotAuthorizedException.
    pub fn for_sign_in(self) -> ApiError {
        let error_type = match self {
            Self::Malformed(_) => ErrorType::InvalidParameter,
            _ => ErrorType::NotAuthorized,
        };
        ApiError::new(error_type, self.message())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base64url_reads_with_and_without_padding() {
        assert_eq!(from_b64url("AQI", "id").unwrap(), vec![1, 2]);
        assert_eq!(from_b64url("AQI=", "id").unwrap(), vec![1, 2]);
        assert_eq!(from_b64url("A+/", "id"), Err(Refusal::Malformed("id")));
    }

    #[test]
    fn challenges_are_fresh_and_32_bytes() {
        let (a, b) = (new_challenge(), new_challenge());
        assert_ne!(a, b);
        assert_eq!(from_b64url(&a, "challenge").unwrap().len(), 32);
    }
}
