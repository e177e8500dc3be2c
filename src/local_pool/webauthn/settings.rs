//! A pool's passkey settings, Cognito's `WebAuthnConfigurationType`: the relying party
//! ID passkeys are scoped to, and whether authenticators must verify the user.
//!
//! Without a RelyingPartyId Cognito uses the pool's domain (its prefix domain), and
//! answers WebAuthnConfigurationMissingException when the pool has neither. The local
//! pool has no domain: it is reached at 127.0.0.1, so its default RP ID is
//! [`DEFAULT_RELYING_PARTY_ID`], "localhost". UserVerification defaults to
//! "preferred", as Cognito's does.

use serde::{Deserialize, Serialize};

use crate::cognito::webauthn::WebAuthnConfigType;

/// The RP ID of a pool that names none: the local pool's own host.
pub const DEFAULT_RELYING_PARTY_ID: &str = "localhost";

/// Cognito's limit on RelyingPartyId's length.
const MAX_RELYING_PARTY_ID: usize = 127;

/// WebAuthnConfigurationType.UserVerification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserVerification {
    /// Authenticators are asked to verify the user, and may sign in without.
    #[default]
    Preferred,
    /// Only an authenticator that verified the user (UV flag) registers and signs in.
    Required,
}

impl UserVerification {
    /// The value on the wire and in WebAuthn's options.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preferred => "preferred",
            Self::Required => "required",
        }
    }

    /// `required` or `preferred`; anything else is not a value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "preferred" => Some(Self::Preferred),
            "required" => Some(Self::Required),
            _ => None,
        }
    }
}

/// A pool's passkey settings, kept with the pool's other settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebAuthnSettings {
    /// The RP ID set for the pool; `None`: [`DEFAULT_RELYING_PARTY_ID`].
    #[serde(default)]
    pub relying_party_id: Option<String>,
    #[serde(default)]
    pub user_verification: UserVerification,
}

impl WebAuthnSettings {
    /// The RP ID passkeys of this pool are scoped to.
    pub fn rp_id(&self) -> &str {
        self.relying_party_id
            .as_deref()
            .unwrap_or(DEFAULT_RELYING_PARTY_ID)
    }

    /// Whether the UV flag is needed.
    pub fn uv_required(&self) -> bool {
        self.user_verification == UserVerification::Required
    }

    /// The settings as GetUserPoolMfaConfig shows them: the RP ID that was set (none
    /// when the default applies) and the user verification.
    pub fn as_config(&self) -> WebAuthnConfigType {
        WebAuthnConfigType {
            relying_party_id: self.relying_party_id.clone(),
            user_verification: Some(self.user_verification.as_str().to_owned()),
        }
    }
}

/// Checks an RP ID: 1 to 127 characters, a host name (letters, digits, `-`, dots
/// between labels), no scheme, port or path. Lower-cased, as WebAuthn compares
/// domains. Err says what is wrong.
pub fn check_rp_id(text: &str) -> Result<String, String> {
    if text.is_empty() || text.len() > MAX_RELYING_PARTY_ID {
        return Err(format!(
            "the relying party ID must be 1 to {MAX_RELYING_PARTY_ID} characters"
        ));
    }
    let lower = text.to_ascii_lowercase();
    let labels_ok = lower.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    if !labels_ok {
        return Err(
            "the relying party ID must be a domain name such as auth.example.com (no scheme, port or path)"
                .to_owned(),
        );
    }
    Ok(lower)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_localhost_and_preferred() {
        let settings = WebAuthnSettings::default();
        assert_eq!(settings.rp_id(), "localhost");
        assert!(!settings.uv_required());
        assert_eq!(settings.as_config().relying_party_id, None);
        assert_eq!(
            settings.as_config().user_verification.as_deref(),
            Some("preferred")
        );
    }

    #[test]
    fn rp_ids_are_domains() {
        assert_eq!(check_rp_id("Auth.Example.com").unwrap(), "auth.example.com");
        assert_eq!(check_rp_id("localhost").unwrap(), "localhost");
        for bad in [
            "",
            "https://example.com",
            "example.com:443",
            "a..b",
            "-a.com",
            "a/b",
        ] {
            assert!(check_rp_id(bad).is_err(), "{bad}");
        }
        assert!(check_rp_id(&"a".repeat(128)).is_err());
    }
}
