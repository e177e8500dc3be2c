//! Checks Cognito's ID and access tokens against the pool's JWKS, the way an API that
//! accepts them should: RS256 signature by a key the pool publishes (found by `kid`),
//! `iss`, `aud` (ID token) or `client_id` (access token), `token_use`, and `exp`.
//!
//! Each check is made here rather than by the JWT library's validation, so a failure
//! says precisely which claim is wrong and what was expected.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Which of Cognito's two JWTs a token should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The ID token: `token_use` = id, the client in `aud`.
    Id,
    /// The access token: `token_use` = access, the client in `client_id`.
    Access,
}

impl TokenKind {
    /// "ID token" / "access token", for sentences.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "ID token",
            Self::Access => "access token",
        }
    }

    /// The `token_use` claim this kind carries.
    pub fn token_use(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }

    /// The claim that names the app client: `aud` for ID tokens, `client_id` for access tokens.
    pub fn client_claim(self) -> &'static str {
        match self {
            Self::Id => "aud",
            Self::Access => "client_id",
        }
    }
}

/// What a token of this pool and client must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// `iss`: see [`issuer`].
    pub issuer: String,
    /// The app client the token was issued to.
    pub client_id: String,
}

/// The issuer of a pool's tokens: `<endpoint without trailing slash>/<pool id>`. For
/// the regional endpoint that is `https://cognito-idp.<region>.amazonaws.com/<pool>`,
/// Cognito's own issuer; with an endpoint override (a local pool), the override's URL.
pub fn issuer(endpoint_url: &str, user_pool_id: &str) -> String {
    format!(
        "{}/{user_pool_id}",
        endpoint_url.trim().trim_end_matches('/')
    )
}

/// Where the pool publishes its keys: `<issuer>/.well-known/jwks.json`.
pub fn jwks_url(issuer: &str) -> String {
    format!("{issuer}/.well-known/jwks.json")
}

/// Why a token is not valid. Display is the precise reason, as a sentence; it quotes
/// claims (which are not secret) but never the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenProblem {
    /// Not three base64url parts with a JSON header.
    #[error("the {} is not a readable JWT ({detail})", kind.name())]
    Malformed { kind: TokenKind, detail: String },
    /// Signed with another algorithm than RS256.
    #[error("the {} is signed with {alg}, but Cognito signs with RS256", kind.name())]
    WrongAlgorithm { kind: TokenKind, alg: String },
    /// The header names no key.
    #[error("the {}'s header has no kid, so no key of the pool's JWKS can check it", kind.name())]
    NoKeyId { kind: TokenKind },
    /// The `kid` is not in the JWKS.
    #[error(
        "the {}'s signature does not match any key of the pool's JWKS (its kid {kid} is not among them)",
        kind.name()
    )]
    UnknownKey { kind: TokenKind, kid: String },
    /// The key with that `kid` does not verify the signature.
    #[error(
        "the {}'s signature does not match any key of the pool's JWKS (the key {kid} does not verify it)",
        kind.name()
    )]
    BadSignature { kind: TokenKind, kid: String },
    /// The key the JWKS gives for the kid is not a usable RSA key.
    #[error("the pool's JWKS key {kid} is not a usable RSA key ({detail})")]
    BadKey { kid: String, detail: String },
    /// A claim the checks need is missing.
    #[error("the {} has no {claim} claim", kind.name())]
    MissingClaim {
        kind: TokenKind,
        claim: &'static str,
    },
    /// `iss` is another pool's (or another endpoint's).
    #[error("the {}'s iss is {found}, expected {expected}", kind.name())]
    WrongIssuer {
        kind: TokenKind,
        found: String,
        expected: String,
    },
    /// `aud` / `client_id` is another app client.
    #[error("the {}'s {claim} is {found}, expected the client {expected}", kind.name())]
    WrongClient {
        kind: TokenKind,
        claim: &'static str,
        found: String,
        expected: String,
    },
    /// `token_use` says it is the other kind of token.
    #[error("the {}'s token_use is {found}, expected {}", kind.name(), kind.token_use())]
    WrongTokenUse { kind: TokenKind, found: String },
    /// `exp` has passed.
    #[error("the {} expired at {}", kind.name(), moment(*exp))]
    Expired { kind: TokenKind, exp: i64 },
}

/// A unix time as RFC 3339 (UTC), or the number when it is out of range.
pub fn moment(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Checks `token` as a `kind` token of the expected pool and client at unix time `now`,
/// against `jwks`. Gives its claims when every check passes.
pub fn verify(
    token: &str,
    kind: TokenKind,
    expected: &Expected,
    jwks: &JwkSet,
    now: i64,
) -> Result<Map<String, Value>, TokenProblem> {
    let header = jsonwebtoken::decode_header(token).map_err(|error| TokenProblem::Malformed {
        kind,
        detail: error.to_string(),
    })?;
    if header.alg != Algorithm::RS256 {
        return Err(TokenProblem::WrongAlgorithm {
            kind,
            alg: format!("{:?}", header.alg),
        });
    }
    let kid = header.kid.ok_or(TokenProblem::NoKeyId { kind })?;
    let jwk = jwks.find(&kid).ok_or_else(|| TokenProblem::UnknownKey {
        kind,
        kid: kid.clone(),
    })?;
    let key = DecodingKey::from_jwk(jwk).map_err(|error| TokenProblem::BadKey {
        kid: kid.clone(),
        detail: error.to_string(),
    })?;

    // Only the signature is left to the library; every claim is checked below.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
        .map_err(|error| match error.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenProblem::BadSignature {
                kind,
                kid: kid.clone(),
            },
            _ => TokenProblem::Malformed {
                kind,
                detail: error.to_string(),
            },
        })?
        .claims;

    let text = |claim: &'static str| {
        claims
            .get(claim)
            .and_then(Value::as_str)
            .ok_or(TokenProblem::MissingClaim { kind, claim })
    };
    let iss = text("iss")?;
    if iss != expected.issuer {
        return Err(TokenProblem::WrongIssuer {
            kind,
            found: iss.to_owned(),
            expected: expected.issuer.clone(),
        });
    }
    let token_use = text("token_use")?;
    if token_use != kind.token_use() {
        return Err(TokenProblem::WrongTokenUse {
            kind,
            found: token_use.to_owned(),
        });
    }
    let client = text(kind.client_claim())?;
    if client != expected.client_id {
        return Err(TokenProblem::WrongClient {
            kind,
            claim: kind.client_claim(),
            found: client.to_owned(),
            expected: expected.client_id.clone(),
        });
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(TokenProblem::MissingClaim { kind, claim: "exp" })?;
    if exp <= now {
        return Err(TokenProblem::Expired { kind, exp });
    }
    Ok(claims)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::OnceLock;

    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{EncodingKey, Header};
    use rsa::RsaPrivateKey;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    use serde_json::json;

    use super::*;

    const ISSUER: &str = "http://127.0.0.1:9/us-east-1_Pool";
    const CLIENT: &str = "client1";
    const NOW: i64 = 1_800_000_000;

    struct Key {
        kid: String,
        encoding: EncodingKey,
        jwk: Value,
    }

    fn make_key(kid: &str) -> Key {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let der = private.to_pkcs1_der().unwrap();
        Key {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            jwk: json!({
                "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
            }),
        }
    }

    /// The pool's key and another one, made once (RSA key generation takes a moment).
    fn keys() -> &'static (Key, Key) {
        static KEYS: OnceLock<(Key, Key)> = OnceLock::new();
        KEYS.get_or_init(|| (make_key("pool-key"), make_key("other-key")))
    }

    fn jwks() -> JwkSet {
        serde_json::from_value(json!({ "keys": [keys().0.jwk] })).unwrap()
    }

    fn expected() -> Expected {
        Expected {
            issuer: ISSUER.into(),
            client_id: CLIENT.into(),
        }
    }

    fn sign(key: &Key, kid: &str, claims: Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, &claims, &key.encoding).unwrap()
    }

    fn id_claims() -> Value {
        json!({"iss": ISSUER, "aud": CLIENT, "token_use": "id", "exp": NOW + 60,
               "sub": "s-1", "cognito:username": "alice"})
    }

    fn access_claims() -> Value {
        json!({"iss": ISSUER, "client_id": CLIENT, "token_use": "access", "exp": NOW + 60,
               "username": "alice"})
    }

    fn check(token: &str, kind: TokenKind) -> Result<Map<String, Value>, TokenProblem> {
        verify(token, kind, &expected(), &jwks(), NOW)
    }

    #[test]
    fn valid_tokens_give_their_claims() {
        let pool = &keys().0;
        let claims = check(&sign(pool, &pool.kid, id_claims()), TokenKind::Id).unwrap();
        assert_eq!(claims["cognito:username"], "alice");
        let claims = check(&sign(pool, &pool.kid, access_claims()), TokenKind::Access).unwrap();
        assert_eq!(claims["username"], "alice");
    }

    #[test]
    fn a_token_signed_by_another_key_is_refused() {
        let (pool, other) = keys();
        // Posing as the pool's key: the signature check fails.
        let posing = sign(other, &pool.kid, id_claims());
        let problem = check(&posing, TokenKind::Id).unwrap_err();
        assert!(matches!(problem, TokenProblem::BadSignature { .. }));
        assert!(
            problem
                .to_string()
                .contains("the ID token's signature does not match any key of the pool's JWKS"),
            "{problem}"
        );
        // Under its own kid: no such key in the JWKS.
        let own = sign(other, &other.kid, access_claims());
        let problem = check(&own, TokenKind::Access).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "the access token's signature does not match any key of the pool's JWKS (its kid other-key is not among them)"
        );
    }

    #[test]
    fn an_expired_token_says_when_it_expired() {
        let pool = &keys().0;
        let mut claims = id_claims();
        claims["exp"] = json!(NOW - 1);
        let problem = check(&sign(pool, &pool.kid, claims), TokenKind::Id).unwrap_err();
        assert_eq!(
            problem.to_string(),
            format!("the ID token expired at {}", moment(NOW - 1))
        );
        assert!(
            moment(NOW - 1).starts_with("2027-01-15T"),
            "{}",
            moment(NOW)
        );
    }

    #[test]
    fn a_wrong_audience_or_client_id_is_refused() {
        let pool = &keys().0;
        let mut claims = id_claims();
        claims["aud"] = json!("someone-else");
        let problem = check(&sign(pool, &pool.kid, claims), TokenKind::Id).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "the ID token's aud is someone-else, expected the client client1"
        );
        let mut claims = access_claims();
        claims["client_id"] = json!("someone-else");
        let problem = check(&sign(pool, &pool.kid, claims), TokenKind::Access).unwrap_err();
        assert!(matches!(
            problem,
            TokenProblem::WrongClient {
                claim: "client_id",
                ..
            }
        ));
    }

    #[test]
    fn a_wrong_token_use_is_refused() {
        let pool = &keys().0;
        let access_as_id = sign(pool, &pool.kid, access_claims());
        let problem = check(&access_as_id, TokenKind::Id).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "the ID token's token_use is access, expected id"
        );
    }

    #[test]
    fn a_wrong_issuer_names_both() {
        let pool = &keys().0;
        let mut claims = id_claims();
        claims["iss"] = json!("https://elsewhere/pool");
        let problem = check(&sign(pool, &pool.kid, claims), TokenKind::Id).unwrap_err();
        assert_eq!(
            problem.to_string(),
            format!("the ID token's iss is https://elsewhere/pool, expected {ISSUER}")
        );
    }

    #[test]
    fn garbage_and_other_algorithms_are_refused() {
        assert!(matches!(
            check("not-a-jwt", TokenKind::Id),
            Err(TokenProblem::Malformed { .. })
        ));
        let hs = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &id_claims(),
            &EncodingKey::from_secret(b"k"),
        )
        .unwrap();
        assert!(matches!(
            check(&hs, TokenKind::Id),
            Err(TokenProblem::WrongAlgorithm { .. })
        ));
    }

    #[test]
    fn the_issuer_follows_the_endpoint() {
        assert_eq!(
            issuer(
                "https://cognito-idp.eu-west-1.amazonaws.com/",
                "eu-west-1_X"
            ),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"
        );
        assert_eq!(
            jwks_url(&issuer("http://127.0.0.1:9339", "p")),
            "http://127.0.0.1:9339/p/.well-known/jwks.json"
        );
    }
}
