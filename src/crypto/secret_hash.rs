//! SECRET_HASH: what an app client with a secret adds to every sign-in call, proving it
//! knows the secret without sending it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::crypto::group::hmac_sha256;

/// SECRET_HASH = base64(HMAC-SHA256(key = client secret, message = username | client id)).
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    BASE64.encode(hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    ))
}
