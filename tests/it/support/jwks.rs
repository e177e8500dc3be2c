//! Tokens checked as a relying party checks them: the RS256 signature against the
//! issuer's published JWKS, then the claims.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

/// The claims of `token` once its signature checks out against the key its kid names in
/// the JWKS at `jwks_url`, and its issuer and audience too where they are given.
pub async fn verified_claims(
    jwks_url: &str,
    token: &str,
    issuer: Option<&str>,
    audience: Option<&str>,
) -> Value {
    let jwks: JwkSet = reqwest::get(jwks_url)
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = decode_header(token)
        .unwrap()
        .kid
        .expect("the token names its key");
    let jwk = jwks.find(&kid).expect("the JWKS holds the token's key");
    let mut validation = Validation::new(Algorithm::RS256);
    if let Some(issuer) = issuer {
        validation.set_issuer(&[issuer]);
    }
    match audience {
        Some(audience) => validation.set_audience(&[audience]),
        None => validation.validate_aud = false,
    }
    decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .expect("the token verifies against the JWKS")
        .claims
}
