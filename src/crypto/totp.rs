//! TOTP as RFC 6238 defines it and Cognito uses it: HMAC-SHA-1, 6 digits, 30-second
//! steps, secrets exchanged in base32 (RFC 4648).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::crypto::CryptoError;

/// Digits in a code.
pub const DIGITS: usize = 6;
/// Seconds a code lives (the "time step" X of RFC 6238).
pub const STEP_SECONDS: u64 = 30;
/// Bytes of a fresh secret: 160 bits, RFC 4226's recommended length, 32 base32 characters.
const SECRET_BYTES: usize = 20;

const BASE32: base32::Alphabet = base32::Alphabet::Rfc4648 { padding: false };

/// A fresh random secret, base32 without padding (32 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base32::encode(BASE32, &bytes)
}

/// The secret's bytes from base32, forgiving case, spaces and `=` padding as
/// authenticator apps are (servers send secrets whose length is not a multiple of 8).
pub fn decode_secret(secret: &str) -> Result<Vec<u8>, CryptoError> {
    let cleaned: String = secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match base32::decode(BASE32, &cleaned) {
        Some(bytes) if !bytes.is_empty() => Ok(bytes),
        _ => Err(CryptoError::Malformed("TOTP secret")),
    }
}

/// The step counter at a time: T = floor(unix_seconds / 30).
pub fn counter_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// HOTP(K, T) truncated to 6 digits (RFC 4226 §5.3):
/// h = HMAC-SHA-1(K, T as 8 big-endian bytes); o = h[19] & 0xf;
/// code = (h[o..o+4] as big-endian u32 & 0x7fff_ffff) mod 10^6, zero-padded.
pub fn code_for_counter(secret: &[u8], counter: u64) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let word = u32::from_be_bytes([
        hash[offset],
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]) & 0x7fff_ffff;
    format!("{:0width$}", word % 1_000_000, width = DIGITS)
}

/// The code for a moment in time.
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    code_for_counter(secret, counter_at(unix_seconds))
}

/// The counter whose code matches `code` within `drift` steps either side of
/// `unix_seconds`, compared in constant time; `None` if none does. Callers keep the
/// counter to refuse the same code twice.
pub fn matching_counter(secret: &[u8], code: &str, unix_seconds: u64, drift: u64) -> Option<u64> {
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = counter_at(unix_seconds);
    let mut found = None;
    for counter in now.saturating_sub(drift)..=now.saturating_add(drift) {
        let expected = code_for_counter(secret, counter);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && found.is_none() {
            found = Some(counter);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890".
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn reproduces_rfc_6238_sha1_vectors_truncated_to_six_digits() {
        // The RFC lists 8 digits; the last 6 of each are the 6-digit codes.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(RFC_KEY, time), code, "at {time}");
        }
    }

    #[test]
    fn one_step_of_drift_is_accepted_and_two_are_not() {
        let now = 1_111_111_111;
        let previous = code_at(RFC_KEY, now - 30);
        let next = code_at(RFC_KEY, now + 30);
        let too_old = code_at(RFC_KEY, now - 60);
        assert_eq!(
            matching_counter(RFC_KEY, &previous, now, 1),
            Some(counter_at(now) - 1)
        );
        assert_eq!(
            matching_counter(RFC_KEY, &next, now, 1),
            Some(counter_at(now) + 1)
        );
        assert_eq!(matching_counter(RFC_KEY, &too_old, now, 1), None);
        assert_eq!(matching_counter(RFC_KEY, "12345", now, 1), None);
        assert_eq!(matching_counter(RFC_KEY, "abcdef", now, 1), None);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(decode_secret(&secret).map(|b| b.len()), Ok(SECRET_BYTES));
        // "GEZDGNBVGY3TQOJQ" is base32 of "1234567890"; lower case and spaces are forgiven.
        assert_eq!(
            decode_secret("gezd gnbv gy3t qojq").as_deref(),
            Ok(&b"1234567890"[..])
        );
    }

    #[test]
    fn short_unpadded_secrets_decode_like_authenticator_apps() {
        // moto hands out "asdfasdfasdf": 12 characters, 60 bits, no padding.
        assert_eq!(decode_secret("asdfasdfasdf").map(|b| b.len()), Ok(7));
        assert!(decode_secret("not base32 !").is_err());
        assert!(decode_secret("").is_err());
    }
}
