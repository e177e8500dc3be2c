//! Stand-ins for usernames a pool does not know, for app clients with
//! PreventUserExistenceErrors = ENABLED ("Managing user existence error responses" in
//! Cognito's developer guide): the sign-in goes on as if the user existed and fails
//! where a wrong password would.
//!
//! - SRP answers with a simulated PASSWORD_VERIFIER challenge (RFC 5054 §2.5.1.3): the
//!   SALT and the user id (a UUID) are the same on every try for the same pool and
//!   username, B is computed from a verifier nobody knows the password of, so it looks
//!   like any other B; the proof of password is then refused.
//! - A code "sent" to an unknown user goes nowhere; its delivery details look real.
//!
//! Everything stable is derived from a secret the process draws once:
//! `HMAC-SHA256(seed, purpose | 0 | pool id | 0 | username)`.

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::Sha256;

use super::codes;
use super::mfa::UserMfa;
use super::state::{User, UserStatus};
use crate::crypto::UserVerifier;
use crate::crypto::srp::pool_name;
use crate::outbox::Medium;

/// Bytes of an SRP salt, as real users' salts have.
const SALT_BYTES: usize = 16;

/// The process's secret for stand-ins.
fn seed() -> &'static [u8; 32] {
    static SEED: OnceLock<[u8; 32]> = OnceLock::new();
    SEED.get_or_init(|| {
        let mut seed = [0u8; 32];
        OsRng.fill_bytes(&mut seed);
        seed
    })
}

/// HMAC-SHA256(seed, purpose | 0 | pool_id | 0 | username).
fn derive(purpose: &str, pool_id: &str, username: &str) -> [u8; 32] {
    #[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
    let mut mac = Hmac::<Sha256>::new_from_slice(seed()).expect("HMAC takes any key length");
    for part in [purpose, pool_id, username] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    mac.finalize().into_bytes().into()
}

/// The user id a stand-in shows as USER_ID_FOR_SRP: a version-4-shaped UUID, the same
/// for the same pool and username.
pub fn user_id(pool_id: &str, username: &str) -> String {
    let bytes = derive("user id", pool_id, username);
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes[..16]);
    uuid::Builder::from_random_bytes(id).into_uuid().to_string()
}

/// SALT in the pad-hex form real salts have: 16 bytes, a zero byte in front when
/// the first one has its top bit set.
fn salt_hex(pool_id: &str, username: &str) -> String {
    let bytes = derive("salt", pool_id, username);
    let salt = &bytes[..SALT_BYTES];
    if salt[0] >= 0x80 {
        format!("00{}", hex::encode(salt))
    } else {
        hex::encode(salt)
    }
}

/// A stand-in user for `username`: named by its UUID, with a stable salt and a verifier
/// of a password nobody knows. It lives only for the call; the pool never stores it.
pub fn user(pool_id: &str, username: &str) -> User {
    let id = user_id(pool_id, username);
    let unknowable = hex::encode(derive("password", pool_id, username));
    // v = g^x for a password nobody is told, put with the stable salt.
    let random_salted = UserVerifier::generate(pool_name(pool_id), &id, &unknowable);
    let verifier =
        UserVerifier::from_parts(&salt_hex(pool_id, username), &random_salted.verifier_hex())
            .unwrap_or(random_salted);
    User {
        username: id.clone(),
        sub: id.clone(),
        attributes: vec![("sub".to_owned(), id)],
        groups: Vec::new(),
        verifier,
        status: UserStatus::Confirmed,
        enabled: true,
        mfa: UserMfa::default(),
        signed_out_at: None,
    }
}

/// Where a code for an unknown username "went", masked as real destinations are: the
/// username itself when it is an e-mail address (or, for SMS, a phone number), else
/// a made-up address or number that stays the same for the same username.
pub fn destination(pool_id: &str, username: &str, medium: Medium) -> String {
    match medium {
        Medium::Email if username.contains('@') => codes::mask_email(username),
        Medium::Email => codes::mask_email(&format!("{username}@example.com")),
        Medium::Sms if looks_like_phone(username) => codes::mask_phone(username),
        Medium::Sms => {
            let bytes = derive("phone", pool_id, username);
            let last_four = u16::from_be_bytes([bytes[0], bytes[1]]) % 10_000;
            codes::mask_phone(&format!("+1555555{last_four:04}"))
        }
    }
}

/// The medium a reset code for an unknown username "goes" by: SMS when the username
/// is a phone number, else e-mail (the local pool verifies e-mail first).
pub fn recovery_medium(username: &str) -> Medium {
    if looks_like_phone(username) {
        Medium::Sms
    } else {
        Medium::Email
    }
}

/// `+` and digits only.
fn looks_like_phone(text: &str) -> bool {
    text.strip_prefix('+')
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stand_in_is_the_same_on_every_try_and_differs_between_names() {
        let first = user("us-east-1_A", "nobody");
        let again = user("us-east-1_A", "nobody");
        assert_eq!(first.verifier.salt_hex(), again.verifier.salt_hex());
        assert_eq!(first.username, again.username);
        assert_eq!(first.username.len(), 36);
        let other = user("us-east-1_A", "someone");
        assert_ne!(first.verifier.salt_hex(), other.verifier.salt_hex());
        let elsewhere = user("us-east-1_B", "nobody");
        assert_ne!(first.username, elsewhere.username);
    }

    #[test]
    fn stand_in_destinations_look_masked() {
        assert_eq!(
            destination("us-east-1_A", "ann@example.org", Medium::Email),
            "a***@e***"
        );
        assert_eq!(
            destination("us-east-1_A", "nobody", Medium::Email),
            "n***@e***"
        );
        let phone = destination("us-east-1_A", "nobody", Medium::Sms);
        assert!(phone.starts_with("+*******"), "{phone}");
        assert_eq!(recovery_medium("+15550100"), Medium::Sms);
        assert_eq!(recovery_medium("nobody"), Medium::Email);
    }
}
