//! What a call sent and received, said without a secret: for the debug trace. Every
//! parameter is named; a value is shown only for the names known to hold nothing secret
//! (USERNAME, CHALLENGE_NAME, CODE_DELIVERY_DESTINATION, AvailableChallenges, …), and
//! every other value is replaced by its kind and length (`SRP_A: 768 hex`,
//! `Session: 920 chars`, `AccessToken: JWT of 1024 chars`).
//!
//! The lines are joined with [`SEPARATOR`] in one trace field, and split back by the
//! console's wire panel: a shown value never holds the separator, nor a control
//! character a terminal would act on.

use serde_json::Value;

/// Names whose values are shown as they are: identifiers, choices and masked
/// destinations, never a password, code, answer, session, token or key.
const SHOWN: &[&str] = &[
    "AuthFlow",
    "AvailableChallenges",
    "ChallengeName",
    "CHALLENGE_NAME",
    "ClientId",
    "CODE_DELIVERY_DELIVERY_MEDIUM",
    "CODE_DELIVERY_DESTINATION",
    "ExpiresIn",
    "FRIENDLY_DEVICE_NAME",
    "MFAS_CAN_CHOOSE",
    "MFAS_CAN_SETUP",
    "PREFERRED_CHALLENGE",
    "TIMESTAMP",
    "TokenType",
    "USERNAME",
    "USER_ID_FOR_SRP",
    "UserPoolId",
    "Username",
    "__type",
    "requiredAttributes",
];

/// What joins the lines of one summary in a trace field.
pub const SEPARATOR: &str = ", ";

/// The objects whose members are listed one by one (`AuthParameters.USERNAME=alice`).
const LISTED: &[&str] = &[
    "AuthParameters",
    "ChallengeParameters",
    "ChallengeResponses",
    "AuthenticationResult",
    "CodeDeliveryDetails",
];

/// One line per parameter of a request or response body: `name=value` where the value
/// is safe to show, `name: kind, length` where it is not.
pub fn summarize(body: &Value) -> Vec<String> {
    let Value::Object(members) = body else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (name, value) in members {
        match value {
            Value::Object(inner) if LISTED.contains(&name.as_str()) => {
                for (key, value) in inner {
                    lines.push(describe(&format!("{name}.{key}"), key, value));
                }
            }
            _ => lines.push(describe(name, name, value)),
        }
    }
    lines
}

/// The lines of a summary as one trace field.
pub fn join(lines: &[String]) -> String {
    lines.join(SEPARATOR)
}

/// The lines of a summary back from its trace field.
pub fn split(joined: &str) -> Vec<String> {
    if joined.is_empty() {
        return Vec::new();
    }
    joined.split(SEPARATOR).map(str::to_owned).collect()
}

/// `label=value` for a shown name, else `label: kind`.
fn describe(label: &str, name: &str, value: &Value) -> String {
    let shown = SHOWN.contains(&name);
    match value {
        Value::String(text) if shown => format!("{label}={}", printable(text)),
        Value::Number(number) if shown => format!("{label}={number}"),
        Value::Array(items) if shown && items.iter().all(Value::is_string) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(printable)
                .collect();
            format!("{label}=[{}]", items.join(","))
        }
        Value::Bool(flag) => format!("{label}={flag}"),
        Value::Null => format!("{label}=null"),
        Value::String(text) => format!("{label}: {}", kind_of(text)),
        Value::Number(_) => format!("{label}: number"),
        Value::Array(items) => format!("{label}: {} items", items.len()),
        Value::Object(members) => format!("{label}: {} members", members.len()),
    }
}

/// A shown value as it may be printed: control characters become `?`, and ", " loses
/// its space so the value cannot be taken for two lines.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect::<String>()
        .replace(SEPARATOR, ",")
}

/// What a hidden string looks like, without any of it: `768 hex`, `JWT of 1024 chars`,
/// `6 digits`, `40 chars`.
pub fn kind_of(text: &str) -> String {
    let length = text.chars().count();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{length} digits")
    } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{length} hex")
    } else if text.split('.').count() == 3 && text.starts_with("eyJ") {
        format!("JWT of {length} chars")
    } else {
        format!("{length} chars")
    }
}

/// The challenge a response names, if any.
pub fn challenge_name(body: &Value) -> Option<&str> {
    body.get("ChallengeName").and_then(Value::as_str)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_are_listed_and_only_safe_values_shown() {
        let sent = json!({
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": "client1",
            "AuthParameters": {"USERNAME": "alice", "SRP_A": "ab".repeat(384), "SECRET_HASH": "c2VjcmV0aGFzaA=="},
            "Session": "AYABeQ-long-session",
        });
        let lines = summarize(&sent).join("\n");
        assert!(lines.contains("AuthFlow=USER_SRP_AUTH"), "{lines}");
        assert!(lines.contains("AuthParameters.USERNAME=alice"), "{lines}");
        assert!(lines.contains("AuthParameters.SRP_A: 768 hex"), "{lines}");
        assert!(
            lines.contains("AuthParameters.SECRET_HASH: 16 chars"),
            "{lines}"
        );
        assert!(lines.contains("Session: 19 chars"), "{lines}");
        assert!(
            !lines.contains("c2VjcmV0aGFzaA") && !lines.contains("AYABeQ"),
            "{lines}"
        );

        let received = json!({
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "ChallengeParameters": {"CODE_DELIVERY_DESTINATION": "+*******0101", "ANSWER": "4831"},
            "AuthenticationResult": {"AccessToken": "eyJhbGciOi.eyJzdWIi.c2ln", "ExpiresIn": 3600},
        });
        let lines = summarize(&received).join("\n");
        assert!(
            lines.contains("ChallengeName=SOFTWARE_TOKEN_MFA"),
            "{lines}"
        );
        assert!(
            lines.contains("ChallengeParameters.CODE_DELIVERY_DESTINATION=+*******0101"),
            "{lines}"
        );
        assert!(
            lines.contains("ChallengeParameters.ANSWER: 4 digits"),
            "{lines}"
        );
        assert!(
            lines.contains("AuthenticationResult.AccessToken: JWT of 24 chars"),
            "{lines}"
        );
        assert!(
            lines.contains("AuthenticationResult.ExpiresIn=3600"),
            "{lines}"
        );
        assert_eq!(challenge_name(&received), Some("SOFTWARE_TOKEN_MFA"));
    }

    #[test]
    fn shown_lists_and_error_types_are_shown_and_split_back_whole() {
        let received = json!({
            "AvailableChallenges": ["PASSWORD", "EMAIL_OTP"],
            "__type": "NotAuthorizedException",
            "message": "Incorrect username or password.",
            "ChallengeParameters": {"MFAS_CAN_SETUP": "[\"SMS_MFA\", \"SOFTWARE_TOKEN_MFA\"]", "USERNAME": "a\u{1b}[2Jb"},
        });
        let lines = summarize(&received);
        assert!(
            lines.contains(&"AvailableChallenges=[PASSWORD,EMAIL_OTP]".to_owned()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"__type=NotAuthorizedException".to_owned()),
            "{lines:?}"
        );
        assert!(lines.contains(&"message: 31 chars".to_owned()), "{lines:?}");
        assert!(
            lines.contains(&"ChallengeParameters.USERNAME=a?[2Jb".to_owned()),
            "{lines:?}"
        );
        // A value holding ", " comes back as one line; no kind holds the separator.
        assert_eq!(split(&join(&lines)), lines);
        assert!(!kind_of("eyJhbGciOi.eyJzdWIi.c2ln").contains(SEPARATOR));
        assert!(split("").is_empty());
    }
}
