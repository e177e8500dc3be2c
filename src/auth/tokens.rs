//! The tokens of a finished sign-in, and the ID token's claims read for display.
//! Reading claims here does not verify anything: verification is against the pool's JWKS.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::cognito::types::AuthenticationResult;

/// An AuthenticationResult and the moment it arrived, so the expiry can count down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub result: AuthenticationResult,
    pub received_at: OffsetDateTime,
}

/// The claims of an ID token the signed-in screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct IdClaims {
    #[serde(rename = "cognito:username")]
    pub username: Option<String>,
    pub sub: Option<String>,
    pub email: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
    pub exp: Option<i64>,
}

impl Tokens {
    /// Tokens received now.
    pub fn received_now(result: AuthenticationResult) -> Self {
        Self {
            result,
            received_at: OffsetDateTime::now_utc(),
        }
    }

    /// expires_at = received_at + ExpiresIn seconds.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.received_at + time::Duration::seconds(self.result.expires_in)
    }

    /// The ID token's claims, unverified; `None` when there is no readable ID token.
    pub fn id_claims(&self) -> Option<IdClaims> {
        let token = self.result.id_token.as_ref()?;
        unverified_claims(token.expose())
    }

    /// Which tokens were issued, by name ("access", "id", "refresh").
    pub fn issued(&self) -> Vec<&'static str> {
        let mut names = vec!["access"];
        if self.result.id_token.is_some() {
            names.push("id");
        }
        if self.result.refresh_token.is_some() {
            names.push("refresh");
        }
        names
    }
}

/// Decodes a JWT's payload (the middle, base64url part) without checking its signature.
pub fn unverified_claims<T: serde::de::DeserializeOwned>(jwt: &str) -> Option<T> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt_with(payload: &str) -> String {
        format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_cognito_claims_from_an_id_token() {
        let result = AuthenticationResult {
            id_token: Some(
                jwt_with(r#"{"sub":"s-1","cognito:username":"alice","email":"a@x","cognito:groups":["ops"],"exp":5}"#)
                    .into(),
            ),
            expires_in: 3600,
            ..Default::default()
        };
        let tokens = Tokens::received_now(result);
        let claims = tokens.id_claims();
        assert_eq!(
            claims,
            Some(IdClaims {
                username: Some("alice".into()),
                sub: Some("s-1".into()),
                email: Some("a@x".into()),
                groups: vec!["ops".into()],
                exp: Some(5),
            })
        );
        assert_eq!(tokens.issued(), vec!["access", "id"]);
        assert_eq!(
            tokens.expires_at() - tokens.received_at,
            time::Duration::hours(1)
        );
    }

    #[test]
    fn garbage_id_token_gives_no_claims() {
        let result = AuthenticationResult {
            id_token: Some("not-a-jwt".into()),
            ..Default::default()
        };
        assert_eq!(Tokens::received_now(result).id_claims(), None);
    }
}
