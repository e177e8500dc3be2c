//! The browser's half of WebAuthn, which the console plays: the origin it acts for and
//! the CollectedClientData it writes (WebAuthn §5.8.1).

use crate::cognito::webauthn::{CLIENT_DATA_CREATE, CLIENT_DATA_GET, ClientData};

/// The origin the console claims for a relying party: `https://{rp_id}`.
///
/// Cognito checks the origin in clientDataJSON against the pool's relying party ID and
/// refuses a mismatch with `WebAuthnOriginNotAllowedException`, "thrown when the passkey
/// credential's registration origin does not align with the user pool relying party id"
/// (https://docs.aws.amazon.com/botocore/latest/reference/services/cognito-idp/client/exceptions/WebAuthnOriginNotAllowedException.html).
/// The RP ID is "the domain, typically your user pool domain" passkeys are scoped to
/// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_WebAuthnConfigurationType.html),
/// so a browser signing in there would be on a page at `https://` that domain, and that
/// is the origin it would report.
pub fn origin_for(rp_id: &str) -> String {
    format!("https://{rp_id}")
}

/// Which ceremony the client data is for: it becomes `CollectedClientData.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// Registration, `navigator.credentials.create` ("webauthn.create").
    Create,
    /// Sign-in, `navigator.credentials.get` ("webauthn.get").
    Get,
}

impl Ceremony {
    /// The `type` member WebAuthn gives this ceremony.
    pub fn client_data_type(self) -> &'static str {
        match self {
            Self::Create => CLIENT_DATA_CREATE,
            Self::Get => CLIENT_DATA_GET,
        }
    }
}

/// The exact clientDataJSON bytes: serialized once, so the bytes hashed into the
/// signature (SHA-256(clientDataJSON)) are the bytes sent. Members in the order browsers
/// write them (`type`, `challenge`, `origin`, `crossOrigin`: WebAuthn §5.8.1.1), so a
/// relying party using the limited verification algorithm reads them too. The challenge
/// is passed through unchanged, as the options gave it.
pub fn client_data_json(ceremony: Ceremony, challenge_b64url: &str, origin: &str) -> Vec<u8> {
    let data = ClientData {
        kind: ceremony.client_data_type().to_owned(),
        challenge: challenge_b64url.to_owned(),
        origin: origin.to_owned(),
        cross_origin: Some(false),
    };
    #[allow(clippy::expect_used)]
    serde_json::to_vec(&data).expect("a struct of strings and a bool always serializes to JSON")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_https_on_the_relying_party_id() {
        assert_eq!(origin_for("auth.example.com"), "https://auth.example.com");
    }

    #[test]
    fn client_data_is_written_in_the_browsers_order_and_reads_back() {
        let bytes = client_data_json(Ceremony::Get, "Y2hhbGxlbmdl", "https://example.com");
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            r#"{"type":"webauthn.get","challenge":"Y2hhbGxlbmdl","origin":"https://example.com","crossOrigin":false}"#
        );
        let data: ClientData = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(data.kind, CLIENT_DATA_GET);
        let create = client_data_json(Ceremony::Create, "AA", "https://example.com");
        let data: ClientData = serde_json::from_slice(&create).unwrap();
        assert_eq!(data.kind, CLIENT_DATA_CREATE);
    }
}
