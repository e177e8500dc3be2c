//! clientDataJSON (WebAuthn §5.8.1), the part of the signed data the client writes:
//! the ceremony's type, the challenge it answers, and the origin it ran for.
//!
//! Origins (WebAuthn §7.1 step 9, §7.2 step 13): Cognito refuses an origin that does
//! not align with the pool's RP ID (WebAuthnOriginNotAllowedException). The local pool
//! takes an `https` origin whose host is the RP ID or a subdomain of it, any port;
//! and, as browsers treat it as a secure context, `http` when the host is `localhost`.

use subtle::ConstantTimeEq;

use crate::cognito::webauthn::ClientData;

use super::Refusal;

/// What the clientDataJSON must say.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// `webauthn.create` or `webauthn.get`.
    pub kind: &'static str,
    /// The challenge the pool issued, base64url.
    pub challenge: &'a str,
    /// The pool's RP ID.
    pub rp_id: &'a str,
}

/// Reads clientDataJSON and checks type, then challenge, then origin.
pub fn check(client_data_json: &[u8], expected: Expected<'_>) -> Result<(), Refusal> {
    let data: ClientData = serde_json::from_slice(client_data_json)
        .map_err(|_| Refusal::Malformed("clientDataJSON"))?;
    if data.kind != expected.kind {
        return Err(Refusal::WrongType);
    }
    let same = data
        .challenge
        .as_bytes()
        .ct_eq(expected.challenge.as_bytes());
    if !bool::from(same) {
        return Err(Refusal::ChallengeMismatch);
    }
    if !origin_allowed(&data.origin, expected.rp_id) {
        return Err(Refusal::OriginNotAllowed);
    }
    Ok(())
}

/// Whether `origin` (`scheme://host[:port]`) is covered by `rp_id`.
pub fn origin_allowed(origin: &str, rp_id: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    if host.is_empty() || host.contains(['/', '?', '#', '@', ':']) {
        return false;
    }
    let host = host.to_ascii_lowercase();
    let secure = scheme == "https" || (scheme == "http" && host == "localhost");
    let covered = host == rp_id
        || host
            .strip_suffix(rp_id)
            .is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1);
    secure && covered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_on_the_rp_id_or_a_subdomain_is_allowed() {
        assert!(origin_allowed("https://example.com", "example.com"));
        assert!(origin_allowed(
            "https://auth.example.com:8443",
            "example.com"
        ));
        assert!(origin_allowed("https://localhost", "localhost"));
        assert!(origin_allowed("http://localhost:3000", "localhost"));
    }

    #[test]
    fn other_origins_are_refused() {
        for origin in [
            "http://example.com",
            "https://evil-example.com",
            "https://example.com.evil.net",
            "https://.example.com",
            "https://example.com/path",
            "https://user@example.com",
            "example.com",
            "https://",
        ] {
            assert!(!origin_allowed(origin, "example.com"), "{origin}");
        }
    }

    fn json(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        format!(r#"{{"type":"{kind}","challenge":"{challenge}","origin":"{origin}"}}"#).into_bytes()
    }

    #[test]
    fn type_challenge_and_origin_are_each_checked() {
        let expected = Expected {
            kind: "webauthn.get",
            challenge: "abc",
            rp_id: "localhost",
        };
        let good = json("webauthn.get", "abc", "https://localhost");
        assert_eq!(check(&good, expected), Ok(()));
        let cases = [
            (
                json("webauthn.create", "abc", "https://localhost"),
                Refusal::WrongType,
            ),
            (
                json("webauthn.get", "abd", "https://localhost"),
                Refusal::ChallengeMismatch,
            ),
            (
                json("webauthn.get", "abc", "https://evil.test"),
                Refusal::OriginNotAllowed,
            ),
            (b"not json".to_vec(), Refusal::Malformed("clientDataJSON")),
        ];
        for (bytes, refusal) in cases {
            assert_eq!(check(&bytes, expected), Err(refusal));
        }
    }
}
