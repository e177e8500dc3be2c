//! Random identifiers and opaque secrets, in the shapes Cognito uses.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};

/// The region every pool created here claims to live in.
pub const REGION: &str = "us-east-1";

/// The fake account id in ARNs.
pub const ACCOUNT_ID: &str = "000000000000";

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn random_from(alphabet: &[u8], length: usize) -> String {
    let mut rng = OsRng;
    (0..length)
        .map(|_| {
            let index = rng.gen_range(0..alphabet.len());
            char::from(alphabet.get(index).copied().unwrap_or(b'a'))
        })
        .collect()
}

fn random_bytes(length: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; length];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// `us-east-1_` + 9 alphanumerics, as CreateUserPool gives.
pub fn pool_id() -> String {
    format!("{REGION}_{}", random_from(ALPHANUMERIC, 9))
}

/// The ARN of a pool: `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`.
pub fn pool_arn(pool_id: &str) -> String {
    let region = pool_id.split('_').next().unwrap_or(REGION);
    format!("arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{pool_id}")
}

/// 26 lower-case alphanumerics, as CreateUserPoolClient gives.
pub fn client_id() -> String {
    random_from(LOWER_ALPHANUMERIC, 26)
}

/// 51 lower-case alphanumerics, as GenerateSecret gives.
pub fn client_secret() -> String {
    random_from(LOWER_ALPHANUMERIC, 51)
}

/// An opaque Session or refresh token: 64 random bytes, URL-safe base64.
pub fn opaque_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(64))
}

/// A fresh UUID (user `sub`, `jti`, `event_id`, request ids).
pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether a pool id has Cognito's shape: `<region>_<alphanumerics>`, at most 55 characters.
pub fn is_valid_pool_id(pool_id: &str) -> bool {
    let Some((region, name)) = pool_id.split_once('_') else {
        return false;
    };
    pool_id.len() <= 55
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether a client id or secret has Cognito's shape: `[\w+]+`, at most `max` characters.
pub fn is_valid_word(value: &str, max: usize) -> bool {
    !value.is_empty()
        && value.len() <= max
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_cognitos_shapes() {
        let pool = pool_id();
        assert!(pool.starts_with("us-east-1_"));
        assert_eq!(pool.len(), "us-east-1_".len() + 9);
        assert!(is_valid_pool_id(&pool));
        let client = client_id();
        assert_eq!(client.len(), 26);
        assert!(
            client
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(client_secret().len(), 51);
    }

    #[test]
    fn pool_ids_are_checked() {
        assert!(is_valid_pool_id("us-east-1_DemoPool1"));
        assert!(!is_valid_pool_id("DemoPool1"));
        assert!(!is_valid_pool_id("us-east-1_"));
        assert!(!is_valid_pool_id("us-east-1_Demo Pool"));
    }
}
