//! One registered passkey of one user, as the pool keeps it (a `passkey` record with
//! `serve --data`) and as ListWebAuthnCredentials describes it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cognito::webauthn::{CredentialDescriptor, PUBLIC_KEY, WebAuthnCredentialDescription};
use crate::local_pool::error::{ApiError, ErrorType};

use super::cose::PublicKey;

/// A registered credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passkey {
    /// Base64url of the credential id (the key the pool keeps it under).
    pub credential_id: String,
    pub username: String,
    pub public_key: PublicKey,
    /// The last signCount the authenticator reported.
    pub sign_count: u32,
    /// The RP ID it was registered for.
    pub relying_party_id: String,
    /// A name for people: from the AAGUID, as Cognito names passkeys by provider.
    pub friendly_name: String,
    /// "platform" or "cross-platform", as the client said.
    #[serde(default)]
    pub attachment: Option<String>,
    /// How the client can reach the authenticator, as it said.
    #[serde(default)]
    pub transports: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_used: Option<OffsetDateTime>,
}

impl Passkey {
    /// The credential as ListWebAuthnCredentials shows it.
    pub fn description(&self) -> WebAuthnCredentialDescription {
        WebAuthnCredentialDescription {
            credential_id: self.credential_id.clone(),
            friendly_credential_name: self.friendly_name.clone(),
            relying_party_id: self.relying_party_id.clone(),
            authenticator_attachment: self.attachment.clone(),
            authenticator_transports: self.transports.clone(),
            created_at: self.created.unix_timestamp() as f64,
        }
    }

    /// The credential as excludeCredentials and allowCredentials name it.
    pub fn descriptor(&self) -> CredentialDescriptor {
        CredentialDescriptor {
            kind: PUBLIC_KEY.to_owned(),
            id: self.credential_id.clone(),
            transports: (!self.transports.is_empty()).then(|| self.transports.clone()),
        }
    }
}

/// The name a passkey is listed under: "Passkey" when the authenticator gives no
/// AAGUID (all zeros, as "none" attestation often does), else "Passkey (AAGUID)".
pub fn friendly_name(aaguid: &[u8; 16]) -> String {
    if aaguid.iter().all(|byte| *byte == 0) {
        return "Passkey".to_owned();
    }
    let hex: String = aaguid.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "Passkey ({}-{}-{}-{}-{})",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What DeleteWebAuthnCredential answers for a credential id the user does not have.
pub fn unknown_credential() -> ApiError {
    ApiError::new(
        ErrorType::ResourceNotFound,
        "The credential does not exist for this user.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_names_show_the_aaguid_when_there_is_one() {
        assert_eq!(friendly_name(&[0; 16]), "Passkey");
        let mut aaguid = [0u8; 16];
        aaguid[0] = 0xab;
        assert_eq!(
            friendly_name(&aaguid),
            "Passkey (ab000000-0000-0000-0000-000000000000)"
        );
    }
}
