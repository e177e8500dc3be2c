//! Challenge parameters read forgivingly (they are strings holding JSON, and some
//! servers send Python lists), and the otpauth URI an authenticator app scans.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::auth::MfaKind;

/// What stays unencoded in a URI component: RFC 3986's unreserved characters
/// (ALPHA / DIGIT / "-" / "." / "_" / "~"); everything else, spaces included, is %XX.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The prefix Cognito puts before attribute names in `requiredAttributes`.
const ATTRIBUTE_PREFIX: &str = "userAttributes.";

/// A list of names from a JSON array (`["A","B"]`) or a Python list (`['A', 'B']`),
/// as moto sends MFAS_CAN_SETUP. Anything else is read as comma-separated names.
pub(super) fn name_list(text: &str) -> Vec<String> {
    if let Ok(names) = serde_json::from_str::<Vec<String>>(text) {
        return names;
    }
    let inner = text.trim();
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    inner
        .split(',')
        .map(|name| name.trim().trim_matches(|c| c == '\'' || c == '"').trim())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The second factors named in MFAS_CAN_CHOOSE or MFAS_CAN_SETUP, in the server's
/// order, once each; names this version does not know are left out.
pub(super) fn mfa_kinds(text: &str) -> Vec<MfaKind> {
    let mut kinds = Vec::new();
    for kind in name_list(text)
        .iter()
        .filter_map(|name| MfaKind::from_api_name(name))
    {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// NEW_PASSWORD_REQUIRED's `requiredAttributes`, without the `userAttributes.` prefix;
/// empty when the server leaves it out (moto does).
pub(super) fn required_attributes(text: Option<&str>) -> Vec<String> {
    text.map(name_list)
        .unwrap_or_default()
        .into_iter()
        .map(|name| match name.strip_prefix(ATTRIBUTE_PREFIX) {
            Some(bare) => bare.to_owned(),
            None => name,
        })
        .collect()
}

/// NEW_PASSWORD_REQUIRED's `userAttributes` (a JSON object in a string); values that
/// are not strings are shown as JSON. Empty when missing or unreadable.
pub(super) fn user_attributes(text: Option<&str>) -> BTreeMap<String, String> {
    let Some(object) = text
        .and_then(|text| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(text).ok())
    else {
        return BTreeMap::new();
    };
    object
        .into_iter()
        .map(|(name, value)| {
            let shown = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (name, shown)
        })
        .collect()
}

/// `otpauth://totp/<issuer>:<username>?secret=<secret>&issuer=<issuer>`, the URI
/// authenticator apps read from a QR code; label parts and issuer are percent-encoded.
pub(super) fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    let issuer = utf8_percent_encode(issuer, COMPONENT);
    let username = utf8_percent_encode(username, COMPONENT);
    let secret = utf8_percent_encode(secret.trim(), COMPONENT);
    format!("otpauth://totp/{issuer}:{username}?secret={secret}&issuer={issuer}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_as_json_and_as_python_lists() {
        assert_eq!(
            name_list(r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#),
            ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
        );
        assert_eq!(
            name_list("['SOFTWARE_TOKEN_MFA', 'SMS_MFA']"),
            ["SOFTWARE_TOKEN_MFA", "SMS_MFA"]
        );
        assert_eq!(name_list("[]"), Vec::<String>::new());
        assert_eq!(name_list(""), Vec::<String>::new());
    }

    #[test]
    fn unknown_and_repeated_factors_are_left_out() {
        assert_eq!(
            mfa_kinds(r#"["WEB_AUTHN","SMS_MFA","SMS_MFA","SOFTWARE_TOKEN_MFA"]"#),
            [MfaKind::Sms, MfaKind::SoftwareToken]
        );
    }

    #[test]
    fn required_attributes_lose_their_prefix() {
        assert_eq!(
            required_attributes(Some(
                r#"["userAttributes.name","userAttributes.phone_number"]"#
            )),
            ["name", "phone_number"]
        );
        assert!(required_attributes(None).is_empty());
    }

    #[test]
    fn user_attributes_are_read_and_missing_ones_are_empty() {
        let attributes =
            user_attributes(Some(r#"{"email":"a@example.com","email_verified":true}"#));
        assert_eq!(attributes["email"], "a@example.com");
        assert_eq!(attributes["email_verified"], "true");
        assert!(user_attributes(Some("not json")).is_empty());
        assert!(user_attributes(None).is_empty());
    }

    #[test]
    fn the_uri_encodes_spaces_and_reserved_characters() {
        assert_eq!(
            otpauth_uri("My Company", "alice@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/My%20Company:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Company"
        );
    }
}
