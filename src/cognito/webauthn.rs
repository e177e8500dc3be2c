//! Passkeys on the wire: the four WebAuthn operations of Cognito's API and the W3C
//! WebAuthn Level 3 JSON forms their documents carry.
//!
//! Cognito passes WebAuthn's own JSON through untouched: StartWebAuthnRegistration's
//! `CredentialCreationOptions` is a PublicKeyCredentialCreationOptionsJSON,
//! CompleteWebAuthnRegistration's `Credential` a RegistrationResponseJSON, the
//! WEB_AUTHN challenge's `CREDENTIAL_REQUEST_OPTIONS` a
//! PublicKeyCredentialRequestOptionsJSON (as a string), and the answer's `CREDENTIAL`
//! an AuthenticationResponseJSON (as a string). Binary values in them are base64url
//! without padding (WebAuthn §5.1.x, "Base64URLString"). Both the console (which plays
//! the browser and the authenticator) and the local pool (which plays Cognito) use
//! these types, so the two speak exactly the same document.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sensitive::SensitiveString;

/// COSE algorithm ES256 (ECDSA P-256 with SHA-256), RFC 9053 §2.1.
pub const COSE_ES256: i64 = -7;
/// COSE algorithm RS256 (RSASSA-PKCS1-v1_5 with SHA-256), RFC 8812 §2.
pub const COSE_RS256: i64 = -257;
/// authenticatorData flag UP (WebAuthn §6.1): the user was present.
pub const FLAG_USER_PRESENT: u8 = 0x01;
/// Flag UV: the user was verified.
pub const FLAG_USER_VERIFIED: u8 = 0x04;
/// Flag BE: the credential may be backed up.
pub const FLAG_BACKUP_ELIGIBLE: u8 = 0x08;
/// Flag BS: the credential is backed up.
pub const FLAG_BACKED_UP: u8 = 0x10;
/// Flag AT: attested credential data follows the counter (registration).
pub const FLAG_ATTESTED_CREDENTIAL_DATA: u8 = 0x40;
/// Flag ED: extension data follows.
pub const FLAG_EXTENSION_DATA: u8 = 0x80;

/// rpIdHash = SHA-256(rpId), the first 32 bytes of authenticatorData (WebAuthn §6.1):
/// the authenticator writes it, the relying party checks it.
pub fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(rp_id.as_bytes()).into()
}

/// The only credential type WebAuthn defines.
pub const PUBLIC_KEY: &str = "public-key";
/// `CollectedClientData.type` of a registration (WebAuthn §7.1 step 7).
pub const CLIENT_DATA_CREATE: &str = "webauthn.create";
/// `CollectedClientData.type` of an authentication (WebAuthn §7.2 step 11).
pub const CLIENT_DATA_GET: &str = "webauthn.get";

/// PublicKeyCredentialCreationOptionsJSON (WebAuthn §5.4): what an authenticator needs
/// to make a credential. Cognito's `CredentialCreationOptions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptions {
    /// The relying party: `id` is the domain credentials are scoped to.
    pub rp: RelyingParty,
    /// The account the credential is for; `id` is the opaque user handle.
    pub user: UserEntity,
    /// Base64url of the single-use challenge the signed clientDataJSON must echo.
    pub challenge: String,
    /// Acceptable key types, most preferred first.
    pub pub_key_cred_params: Vec<CredentialParameters>,
    /// Milliseconds the relying party waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// Credentials the user already has: an authenticator holding one must not make another.
    #[serde(default)]
    pub exclude_credentials: Vec<CredentialDescriptor>,
    /// Resident key and user verification requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelection>,
    /// "none", "indirect", "direct" or "enterprise".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Extensions, kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Value>,
}

/// PublicKeyCredentialRpEntity (WebAuthn §5.4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelyingParty {
    /// The RP ID, a domain; absent means the caller's origin's effective domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A name to show.
    pub name: String,
}

/// PublicKeyCredentialUserEntityJSON (WebAuthn §5.4.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// Base64url of the user handle (at most 64 bytes, no personal data).
    pub id: String,
    /// The account's name, as the person knows it.
    pub name: String,
    /// A friendlier name.
    pub display_name: String,
}

/// PublicKeyCredentialParameters (WebAuthn §5.3): one acceptable key type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialParameters {
    /// Always "public-key".
    #[serde(rename = "type")]
    pub kind: String,
    /// A COSE algorithm identifier ([`COSE_ES256`], [`COSE_RS256`], …).
    pub alg: i64,
}

/// PublicKeyCredentialDescriptorJSON (WebAuthn §5.8.3): a credential named by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialDescriptor {
    /// Always "public-key".
    #[serde(rename = "type")]
    pub kind: String,
    /// Base64url of the credential id.
    pub id: String,
    /// How the client may reach the authenticator ("usb", "internal", …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transports: Option<Vec<String>>,
}

/// AuthenticatorSelectionCriteria (WebAuthn §5.4.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    /// "platform" or "cross-platform".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// "discouraged", "preferred" or "required".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_key: Option<String>,
    /// The Level 1 form of `resident_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_resident_key: Option<bool>,
    /// "discouraged", "preferred" or "required".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
}

/// PublicKeyCredentialRequestOptionsJSON (WebAuthn §5.5): what an authenticator needs to
/// sign in. The WEB_AUTHN challenge's `CREDENTIAL_REQUEST_OPTIONS`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    /// Base64url of the single-use challenge.
    pub challenge: String,
    /// Milliseconds the relying party waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// The RP ID the assertion must be scoped to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp_id: Option<String>,
    /// The user's credentials; empty lets the authenticator choose a discoverable one.
    #[serde(default)]
    pub allow_credentials: Vec<CredentialDescriptor>,
    /// "discouraged", "preferred" or "required".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// Extensions, kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Value>,
}

/// RegistrationResponseJSON (WebAuthn §5.1): a new credential, for
/// CompleteWebAuthnRegistration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationResponse {
    /// Base64url of the credential id.
    pub id: String,
    /// The same, as WebAuthn repeats it.
    pub raw_id: String,
    /// The authenticator's output.
    pub response: AttestationResponse,
    /// "platform" or "cross-platform", when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// Extension outputs; `{}` when none.
    #[serde(default)]
    pub client_extension_results: Value,
    /// Always "public-key".
    #[serde(rename = "type")]
    pub kind: String,
}

/// AuthenticatorAttestationResponseJSON (WebAuthn §5.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponse {
    /// Base64url of the clientDataJSON bytes (a [`ClientData`]).
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// Base64url of the CBOR attestation object: `fmt`, `attStmt`, `authData`.
    pub attestation_object: String,
    /// How the authenticator can be reached again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transports: Option<Vec<String>>,
    /// Base64url of authData, a Level 3 convenience copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_data: Option<String>,
    /// Base64url of the SubjectPublicKeyInfo, a Level 3 convenience copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The key's COSE algorithm, a Level 3 convenience copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_algorithm: Option<i64>,
}

/// AuthenticationResponseJSON (WebAuthn §5.1): an assertion, the WEB_AUTHN answer's
/// `CREDENTIAL`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResponse {
    /// Base64url of the credential id that signed.
    pub id: String,
    /// The same, as WebAuthn repeats it.
    pub raw_id: String,
    /// The authenticator's output.
    pub response: AssertionResponse,
    /// "platform" or "cross-platform", when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// Extension outputs; `{}` when none.
    #[serde(default)]
    pub client_extension_results: Value,
    /// Always "public-key".
    #[serde(rename = "type")]
    pub kind: String,
}

/// AuthenticatorAssertionResponseJSON (WebAuthn §5.2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssertionResponse {
    /// Base64url of the clientDataJSON bytes (a [`ClientData`]).
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// Base64url of authenticatorData: rpIdHash, flags, signCount, ….
    pub authenticator_data: String,
    /// Base64url of the signature over authenticatorData ‖ SHA-256(clientDataJSON).
    pub signature: String,
    /// Base64url of the user handle, for a discoverable credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
}

/// CollectedClientData (WebAuthn §5.8.1): what clientDataJSON holds, the part of the
/// signed data the client (here, the console) writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientData {
    /// [`CLIENT_DATA_CREATE`] or [`CLIENT_DATA_GET`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The options' challenge, base64url, unchanged.
    pub challenge: String,
    /// The web origin the client acted for, e.g. `https://auth.example.com`.
    pub origin: String,
    /// Whether the call came from a cross-origin iframe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_origin: Option<bool>,
}

/// `CompleteWebAuthnRegistration`: the new credential, for the signed-in user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompleteWebAuthnRegistrationRequest {
    pub access_token: SensitiveString,
    pub credential: RegistrationResponse,
}

/// The answer of `StartWebAuthnRegistration`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartWebAuthnRegistrationResponse {
    pub credential_creation_options: CreationOptions,
}

/// `ListWebAuthnCredentials`: one page of the signed-in user's passkeys.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWebAuthnCredentialsRequest {
    pub access_token: SensitiveString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// 1 to 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

/// The answer of `ListWebAuthnCredentials`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWebAuthnCredentialsResponse {
    #[serde(default)]
    pub credentials: Vec<WebAuthnCredentialDescription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `WebAuthnCredentialDescription`: one registered passkey, as Cognito lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnCredentialDescription {
    /// Base64url of the credential id.
    pub credential_id: String,
    /// A name for people, from the authenticator's AAGUID or given at registration.
    #[serde(default)]
    pub friendly_credential_name: String,
    /// The RP ID the credential is scoped to.
    #[serde(default)]
    pub relying_party_id: String,
    /// "platform" or "cross-platform", when the client said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// "usb", "internal", … as the client said.
    #[serde(default)]
    pub authenticator_transports: Vec<String>,
    /// Epoch seconds.
    #[serde(default)]
    pub created_at: f64,
}

/// `DeleteWebAuthnCredential`: the signed-in user removes one of their passkeys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteWebAuthnCredentialRequest {
    pub access_token: SensitiveString,
    pub credential_id: String,
}

/// `WebAuthnConfigurationType` of a pool (SetUserPoolMfaConfig, GetUserPoolMfaConfig).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnConfigType {
    /// The domain passkeys are scoped to: the pool's prefix or custom domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    /// "required" or "preferred".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn client_data_json_keeps_webauthn_spelling() {
        let response = AssertionResponse {
            client_data_json: "e30".to_owned(),
            authenticator_data: "AA".to_owned(),
            signature: "AA".to_owned(),
            user_handle: None,
        };
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["clientDataJSON"], "e30");
        assert_eq!(json["authenticatorData"], "AA");
        assert!(json.get("userHandle").is_none());
    }

    #[test]
    fn creation_options_read_what_amplify_reads() {
        let json = r#"{"challenge":"Y2hhbGxlbmdl","rp":{"id":"example.com","name":"Example"},
            "user":{"id":"dXNlcg","name":"alice","displayName":"Alice"},
            "pubKeyCredParams":[{"alg":-7,"type":"public-key"},{"alg":-257,"type":"public-key"}],
            "timeout":60000,"excludeCredentials":[{"type":"public-key","id":"AQ"}],
            "authenticatorSelection":{"requireResidentKey":true,"residentKey":"required","userVerification":"required"}}"#;
        let options: CreationOptions = serde_json::from_str(json).unwrap();
        assert_eq!(options.rp.id.as_deref(), Some("example.com"));
        assert_eq!(options.user.display_name, "Alice");
        assert_eq!(options.pub_key_cred_params[1].alg, COSE_RS256);
        assert_eq!(options.exclude_credentials[0].id, "AQ");
        let selection = options.authenticator_selection.unwrap();
        assert_eq!(selection.user_verification.as_deref(), Some("required"));
    }
}
