//! SECRET_HASH. CONTRACT — body by the crypto helper.

/// SECRET_HASH = base64(HMAC-SHA256(key = client secret, message = username | client id)).
pub fn secret_hash(_username: &str, _client_id: &str, _client_secret: &str) -> String {
    todo!()
}
