//! SRP-6a as Cognito does it (3072-bit group of RFC 5054, SHA-256, HKDF "Caldera Derived Key").
//! API CONTRACT — bodies to be written by the crypto helper; signatures are fixed.

use crate::crypto::CryptoError;

/// The inputs of a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) answer.
/// For a user: `realm` is the pool name (the part of the pool id after `_`) and
/// `user_id` is USER_ID_FOR_SRP. For a device: `realm` is the device group key and
/// `user_id` the device key.
pub struct PasswordVerifierInput<'a> {
    pub realm: &'a str,
    pub user_id: &'a str,
    pub password: &'a str,
    /// SRP_B, hex as the server sent it.
    pub srp_b_hex: &'a str,
    /// SALT, hex as the server sent it.
    pub salt_hex: &'a str,
    /// SECRET_BLOCK, base64 as the server sent it.
    pub secret_block_b64: &'a str,
    /// TIMESTAMP, as `format_timestamp` writes it.
    pub timestamp: &'a str,
}

/// The client half: a random secret `a` and its public `A = g^a mod N`.
pub struct SrpClient {}

impl SrpClient {
    /// Draws a fresh 1024-bit `a` from the OS's random source.
    pub fn new() -> Self {
        todo!()
    }

    /// Uses a given `a` (known-answer tests only).
    pub fn from_private_hex(_a_hex: &str) -> Result<Self, CryptoError> {
        todo!()
    }

    /// SRP_A, lower-case hex without padding.
    pub fn public_a_hex(&self) -> String {
        todo!()
    }

    /// PASSWORD_CLAIM_SIGNATURE, base64: HMAC-SHA256(K, realm | user_id | secret block | timestamp).
    pub fn password_claim_signature(
        &self,
        _input: &PasswordVerifierInput<'_>,
    ) -> Result<String, CryptoError> {
        todo!()
    }
}

/// What the server stores for a user instead of the password: salt and `v = g^x mod N`.
#[derive(Clone, PartialEq, Eq)]
pub struct UserVerifier {}

impl UserVerifier {
    /// A fresh random 16-byte salt, then `v = g^x`.
    pub fn generate(_realm: &str, _user_id: &str, _password: &str) -> Self {
        todo!()
    }

    /// Checks a plain password (USER_PASSWORD_AUTH) against this verifier, in constant time.
    pub fn matches_password(&self, _realm: &str, _user_id: &str, _password: &str) -> bool {
        todo!()
    }

    /// SALT as the server sends it (pad_hex form).
    pub fn salt_hex(&self) -> String {
        todo!()
    }
}

/// The server half of one exchange: a random `b`, `B = k·v + g^b mod N`, and what is
/// needed to check the client's signature afterwards. Kept in the Session between calls.
pub struct SrpServer {}

impl SrpServer {
    /// Starts an exchange for the client's SRP_A; refuses A ≡ 0 (mod N).
    pub fn new(_verifier: &UserVerifier, _srp_a_hex: &str) -> Result<Self, CryptoError> {
        todo!()
    }

    /// SRP_B, lower-case hex without padding.
    pub fn public_b_hex(&self) -> String {
        todo!()
    }

    /// Checks PASSWORD_CLAIM_SIGNATURE in constant time.
    pub fn verify_signature(
        &self,
        _realm: &str,
        _user_id: &str,
        _secret_block: &[u8],
        _timestamp: &str,
        _signature_b64: &str,
    ) -> Result<bool, CryptoError> {
        todo!()
    }
}

/// DeviceSecretVerifierConfig for ConfirmDevice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceVerifier {
    /// PasswordVerifier: base64 of pad_hex(g^x).
    pub password_verifier_b64: String,
    /// Salt: base64 of the pad_hex salt.
    pub salt_b64: String,
}

/// The pool name SRP signs with: the part of the pool id after the first `_`.
pub fn pool_name(_pool_id: &str) -> &str {
    todo!()
}
