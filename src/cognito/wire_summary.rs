//! What a call sent and received, said without a secret: for the debug trace. Every
//! parameter is named; a value is shown only for the names known to hold nothing secret
//! (USERNAME, CHALLENGE_NAME, CODE_DELIVERY_DESTINATION, AvailableChallenges, …), and
//! every other value is replaced by its kind and length (`SRP_A: 768 hex`,
//! `Session: 920 chars`, `AccessToken: JWT, 1024 chars`).

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
    "MFAS_CAN_CHOOSE",
    "MFAS_CAN_SETUP",
    "PREFERRED_CHALLENGE",
    "TokenType",
    "USERNAME",
    "USER_ID_FOR_SRP",
    "UserPoolId",
    "Username",
    "requiredAttributes",
];

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

/// `label=value` for a shown name, else `label: kind`.
fn describe(label: &str, name: &str, value: &Value) -> String {
    match value {
        Value::String(text) if SHOWN.contains(&name) => format!("{label}={text}"),
        Value::Number(number) if SHOWN.contains(&name) => format!("{label}={number}"),
        Value::Bool(flag) => format!("{label}={flag}"),
        Value::Null => format!("{label}=null"),
        Value::String(text) => format!("{label}: {}", kind_of(text)),
        Value::Number(_) => format!("{label}: number"),
        Value::Array(items) => format!("{label}: {} items", items.len()),
        Value::Object(members) => format!("{label}: {} members", members.len()),
    }
}

/// What a hidden string looks like, without any of it: `768 hex`, `JWT, 1024 chars`,
/// `6 digits`, `40 chars`.
pub fn kind_of(text: &str) -> String {
    let length = text.chars().count();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{length} digits")
    } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{length} hex")
    } else if text.split('.').count() == 3 && text.starts_with("eyJ") {
        format!("JWT, {length} chars")
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
            lines.contains("AuthenticationResult.AccessToken: JWT, 24 chars"),
            "{lines}"
        );
        assert!(
            lines.contains("AuthenticationResult.ExpiresIn=3600"),
            "{lines}"
        );
        assert_eq!(challenge_name(&received), Some("SOFTWARE_TOKEN_MFA"));
    }
}
