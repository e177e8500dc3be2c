//! The pool's tokens: RS256 JWTs signed by an RSA-2048 key made at start, with
//! Cognito's claims, and the JWKS that lets anyone check them.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::error::{ApiError, ErrorType};
use super::ids;

/// How long ID and access tokens live, in seconds (`ExpiresIn`).
pub const TOKEN_LIFETIME_SECONDS: i64 = 3600;

/// The access token's scope for a user-pool sign-in.
const ACCESS_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The pool's signing key. Debug never shows the private half.
pub struct Signer {
    kid: String,
    key: EncodingKey,
    modulus_b64: String,
    exponent_b64: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Everything a pair of tokens says about one sign-in.
pub struct TokenClaims<'a> {
    /// `iss`: the pool's URL + "/" + pool id.
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub username: &'a str,
    pub sub: &'a str,
    /// The user's attributes (`sub` among them is ignored: it has its own claim).
    pub attributes: &'a [(String, String)],
    pub groups: &'a [String],
    /// When the user proved who they are (kept across refreshes).
    pub auth_time: i64,
    /// The `jti` of the sign-in that started this chain of tokens.
    pub origin_jti: &'a str,
    /// `iat`.
    pub now: i64,
}

/// What a checked access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub issuer: String,
    pub username: String,
    pub client_id: String,
    /// The `jti` of the sign-in this token descends from (what revocation names).
    pub origin_jti: String,
}

/// The signed ID and access tokens.
pub struct TokenPair {
    pub id_token: String,
    pub access_token: String,
}

impl Signer {
    /// Makes a fresh RSA-2048 key from the OS's random source (takes a moment).
    pub fn generate() -> Result<Self, String> {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
            .map_err(|error| format!("could not make the pool's RSA key: {error}"))?;
        let der = private
            .to_pkcs1_der()
            .map_err(|error| format!("could not encode the pool's RSA key: {error}"))?;
        let modulus = private.n().to_bytes_be();
        // kid = base64(SHA-256(n)), so the id follows the key.
        let kid = STANDARD.encode(Sha256::digest(&modulus));
        Ok(Self {
            kid,
            key: EncodingKey::from_rsa_der(der.as_bytes()),
            modulus_b64: URL_SAFE_NO_PAD.encode(&modulus),
            exponent_b64: URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        })
    }

    /// The JWKS document: `{"keys": [{kty, kid, alg, use, n, e}]}`.
    pub fn jwks(&self) -> Value {
        json!({
            "keys": [{
                "kty": "RSA",
                "kid": self.kid,
                "alg": "RS256",
                "use": "sig",
                "n": self.modulus_b64,
                "e": self.exponent_b64,
            }]
        })
    }

    /// Signs an ID token and an access token for one sign-in (or refresh).
    pub fn issue(&self, claims: &TokenClaims<'_>) -> Result<TokenPair, ApiError> {
        let event_id = ids::uuid();
        let exp = claims.now + TOKEN_LIFETIME_SECONDS;

        let mut id = Map::new();
        id.insert("sub".into(), json!(claims.sub));
        if !claims.groups.is_empty() {
            id.insert("cognito:groups".into(), json!(claims.groups));
        }
        for (name, value) in claims.attributes {
            if name == "sub" {
                continue;
            }
            id.insert(name.clone(), attribute_claim(name, value));
        }
        id.insert("iss".into(), json!(claims.issuer));
        id.insert("cognito:username".into(), json!(claims.username));
        id.insert("origin_jti".into(), json!(claims.origin_jti));
        id.insert("aud".into(), json!(claims.client_id));
        id.insert("event_id".into(), json!(event_id));
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(claims.auth_time));
        id.insert("exp".into(), json!(exp));
        id.insert("iat".into(), json!(claims.now));
        id.insert("jti".into(), json!(ids::uuid()));

        let mut access = Map::new();
        access.insert("sub".into(), json!(claims.sub));
        if !claims.groups.is_empty() {
            access.insert("cognito:groups".into(), json!(claims.groups));
        }
        access.insert("iss".into(), json!(claims.issuer));
        access.insert("client_id".into(), json!(claims.client_id));
        access.insert("origin_jti".into(), json!(claims.origin_jti));
        access.insert("event_id".into(), json!(event_id));
        access.insert("token_use".into(), json!("access"));
        access.insert("scope".into(), json!(ACCESS_SCOPE));
        access.insert("auth_time".into(), json!(claims.auth_time));
        access.insert("exp".into(), json!(exp));
        access.insert("iat".into(), json!(claims.now));
        access.insert("jti".into(), json!(ids::uuid()));
        access.insert("username".into(), json!(claims.username));

        Ok(TokenPair {
            id_token: self.sign(&Value::Object(id))?,
            access_token: self.sign(&Value::Object(access))?,
        })
    }

    /// Checks an access token this pool signed, at the pool's time `now`: the
    /// signature, `token_use` = access, and `exp`. Gives its issuer and username.
    pub fn verify_access(&self, token: &str, now: i64) -> Result<AccessClaims, ApiError> {
        let invalid = || ApiError::new(ErrorType::NotAuthorized, "Invalid Access Token");
        let key =
            jsonwebtoken::DecodingKey::from_rsa_components(&self.modulus_b64, &self.exponent_b64)
                .map_err(|_| invalid())?;
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        // Expiry is judged against the pool's clock below, not the system's.
        validation.validate_exp = false;
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|_| invalid())?
            .claims;
        if claims["token_use"] != "access" {
            return Err(invalid());
        }
        let exp = claims["exp"].as_i64().ok_or_else(invalid)?;
        if exp <= now {
            return Err(ApiError::new(
                ErrorType::NotAuthorized,
                "Access Token has expired",
            ));
        }
        let text = |name: &str| claims[name].as_str().map(str::to_owned).ok_or_else(invalid);
        Ok(AccessClaims {
            issuer: text("iss")?,
            username: text("username")?,
            client_id: text("client_id")?,
            origin_jti: text("origin_jti")?,
        })
    }

    fn sign(&self, claims: &Value) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key).map_err(|error| {
            ApiError::new(
                ErrorType::InternalError,
                format!("The pool could not sign a token: {error}"),
            )
        })
    }
}

/// `*_verified` attributes are booleans in tokens; everything else is a string.
fn attribute_claim(name: &str, value: &str) -> Value {
    if name.ends_with("_verified") {
        match value {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    json!(value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};

    #[test]
    fn tokens_verify_against_the_jwks() {
        let signer = Signer::generate().unwrap();
        let attributes = vec![
            ("sub".to_owned(), "abc".to_owned()),
            ("email".to_owned(), "a@example.com".to_owned()),
            ("email_verified".to_owned(), "true".to_owned()),
        ];
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let pair = signer
            .issue(&TokenClaims {
                issuer: "http://127.0.0.1:1/us-east-1_X",
                client_id: "client",
                username: "alice",
                sub: "abc",
                attributes: &attributes,
                groups: &["operators".to_owned()],
                auth_time: now,
                origin_jti: "o",
                now,
            })
            .unwrap();
        let jwks = signer.jwks();
        let key = &jwks["keys"][0];
        let decoding = DecodingKey::from_rsa_components(
            key["n"].as_str().unwrap(),
            key["e"].as_str().unwrap(),
        )
        .unwrap();
        let header = decode_header(&pair.id_token).unwrap();
        assert_eq!(header.kid.as_deref(), key["kid"].as_str());
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&["client"]);
        validation.set_issuer(&["http://127.0.0.1:1/us-east-1_X"]);
        let id = decode::<Value>(&pair.id_token, &decoding, &validation)
            .unwrap()
            .claims;
        assert_eq!(id["email_verified"], json!(true));
        assert_eq!(id["cognito:groups"], json!(["operators"]));
        assert_eq!(id["token_use"], json!("id"));
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        let access = decode::<Value>(&pair.access_token, &decoding, &validation)
            .unwrap()
            .claims;
        assert_eq!(access["username"], json!("alice"));
        assert_eq!(access["scope"], json!(ACCESS_SCOPE));
    }
}
