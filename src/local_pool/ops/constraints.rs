//! Cognito's limits on request members, checked before an operation reads its body: each
//! string member's length and pattern as the API reference gives them (the
//! `Length Constraints` and `Pattern` lines of each operation's page, the same model the
//! AWS SDKs are built from). A value out of bounds gets Cognito's validation message,
//! which names the member and the broken constraint but never the value: it may be huge,
//! or a secret.
//!
//! The patterns exclude what the reference excludes: the `\p{L}\p{M}\p{S}\p{N}\p{P}`
//! classes of Username and attribute names leave out format and bidi controls (category
//! Cf, e.g. U+202E, U+200B), separators and control characters.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::lower_first;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};

/// One member's limits: length in Unicode scalar values (as Smithy's `@length` counts
/// a string), and a pattern the whole value must match.
struct Limits {
    member: &'static str,
    min: usize,
    max: Option<usize>,
    pattern: Option<&'static str>,
}

const fn limits(
    member: &'static str,
    min: usize,
    max: Option<usize>,
    pattern: Option<&'static str>,
) -> Limits {
    Limits {
        member,
        min,
        max,
        pattern,
    }
}

const USER_POOL_ID: &str = r"[\w-]+_[0-9a-zA-Z]+";
const CLIENT_ID: &str = r"[\w+]+";
const NAME: &str = r"[\w\s+=,.@-]+";
const USERNAME: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+";
const TOKEN: &str = r"[A-Za-z0-9-_=.]+";
const NOT_SPACE: &str = r"[\S]+";
const DEVICE_KEY: &str = r"[\w-]+_[0-9a-f-]+";
const ATTRIBUTE_NAME: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+";
const SMS_MESSAGE: &str = r".*\{####\}.*";
const EMAIL_MESSAGE: &str =
    r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*";
const EMAIL_SUBJECT: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+";

/// The top-level string members of the operations the pool serves that the reference
/// limits (each name has the same limits in every one of those operations).
const MEMBERS: &[Limits] = &[
    limits("UserPoolId", 1, Some(55), Some(USER_POOL_ID)),
    limits("ClientId", 1, Some(128), Some(CLIENT_ID)),
    limits("ClientSecret", 24, Some(64), Some(CLIENT_ID)),
    limits("ClientName", 1, Some(128), Some(NAME)),
    limits("PoolName", 1, Some(128), Some(NAME)),
    limits("Username", 1, Some(128), Some(USERNAME)),
    limits("Session", 20, Some(2048), None),
    limits("AccessToken", 0, None, Some(TOKEN)),
    limits("RefreshToken", 0, None, Some(TOKEN)),
    limits("Token", 0, None, Some(TOKEN)),
    limits("SecretHash", 1, Some(128), Some(r"[\w+=/]+")),
    limits("ConfirmationCode", 1, Some(2048), Some(NOT_SPACE)),
    limits("Code", 1, Some(2048), Some(NOT_SPACE)),
    limits("UserCode", 6, Some(6), Some("[0-9]+")),
    limits("Password", 0, Some(256), Some(NOT_SPACE)),
    limits("TemporaryPassword", 0, Some(256), Some(NOT_SPACE)),
    limits("PreviousPassword", 0, Some(256), Some(NOT_SPACE)),
    limits("ProposedPassword", 0, Some(256), Some(NOT_SPACE)),
    limits("AttributeName", 1, Some(32), Some(ATTRIBUTE_NAME)),
    limits("DeviceKey", 1, Some(55), Some(DEVICE_KEY)),
    limits("DeviceName", 1, Some(1024), None),
    limits("FriendlyDeviceName", 0, Some(131_072), None),
    limits("PaginationToken", 1, None, Some(NOT_SPACE)),
    limits("DefaultRedirectURI", 1, Some(1024), Some(USERNAME)),
    limits("SmsVerificationMessage", 6, Some(140), Some(SMS_MESSAGE)),
    limits("SmsAuthenticationMessage", 6, Some(140), Some(SMS_MESSAGE)),
    limits(
        "EmailVerificationMessage",
        6,
        Some(20_000),
        Some(EMAIL_MESSAGE),
    ),
    limits(
        "EmailVerificationSubject",
        1,
        Some(140),
        Some(EMAIL_SUBJECT),
    ),
];

/// The lists of AttributeType (`{"Name", "Value"}`) the reference limits item by item.
const ATTRIBUTE_LISTS: &[&str] = &["UserAttributes", "ValidationData"];

/// The members of one AttributeType.
const ATTRIBUTE_MEMBERS: &[Limits] = &[
    limits("Name", 1, Some(32), Some(ATTRIBUTE_NAME)),
    limits("Value", 0, Some(2048), None),
];

/// How many violations one message lists; the count before them is always the full one.
const MAX_LISTED: usize = 5;

/// Every pattern, compiled once, by its reference text.
static COMPILED: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
    MEMBERS
        .iter()
        .chain(ATTRIBUTE_MEMBERS)
        .filter_map(|limits| limits.pattern)
        .map(|pattern| (pattern, compile(pattern)))
        .collect()
});

/// A reference pattern as the `regex` crate reads it, matching the whole value. The
/// reference's patterns are Java's, where `\w` and `\s` are ASCII (`[a-zA-Z_0-9]`,
/// `[ \t\n\x0B\f\r]`) and `\p{..}` is Unicode: the POSIX classes say the same here.
#[expect(
    clippy::expect_used,
    reason = "the patterns are constants; a unit test compiles every one"
)]
fn compile(pattern: &str) -> Regex {
    let mut translated = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            translated.push(c);
            continue;
        }
        match chars.next() {
            Some('w') => translated.push_str("[[:word:]]"),
            Some('s') => translated.push_str("[[:space:]]"),
            Some('S') => translated.push_str("[^[:space:]]"),
            Some(escaped) => {
                translated.push('\\');
                translated.push(escaped);
            }
            None => translated.push('\\'),
        }
    }
    Regex::new(&format!("^(?:{translated})$")).expect("a reference pattern compiles")
}

/// One broken constraint of one member, in Cognito's words.
struct Violation {
    path: String,
    constraint: String,
}

impl Limits {
    /// The constraints `value` breaks, pattern first, as Cognito lists them. An over-long
    /// value is not matched against the pattern: its length alone refuses it, and a
    /// megabyte-long pool id is never scanned.
    fn check(&self, value: &str, path: impl Fn() -> String, found: &mut Vec<Violation>) {
        let length = value.chars().count();
        let too_long = self.max.is_some_and(|max| length > max);
        let mut broken = |constraint: String| {
            found.push(Violation {
                path: path(),
                constraint,
            })
        };
        if let Some(pattern) = self.pattern.filter(|_| !too_long)
            && !COMPILED
                .get(pattern)
                .is_some_and(|regex| regex.is_match(value))
        {
            broken(format!(
                "Member must satisfy regular expression pattern: {pattern}"
            ));
        }
        if length < self.min {
            broken(format!(
                "Member must have length greater than or equal to {}",
                self.min
            ));
        }
        if let Some(max) = self.max.filter(|_| too_long) {
            broken(format!(
                "Member must have length less than or equal to {max}"
            ));
        }
    }
}

/// Checks a request body's members against the reference's limits; refuses it with
/// Cognito's InvalidParameterException naming every broken constraint. Members of the
/// wrong JSON type are left to the operation's own parsing, which names them.
pub(super) fn check(body: &Value) -> ApiResult<()> {
    let mut found = Vec::new();
    for limits in MEMBERS {
        if let Some(Value::String(value)) = body.get(limits.member) {
            limits.check(value, || lower_first(limits.member), &mut found);
        }
    }
    for list in ATTRIBUTE_LISTS {
        let Some(Value::Array(items)) = body.get(*list) else {
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            for limits in ATTRIBUTE_MEMBERS {
                if let Some(Value::String(value)) = item.get(limits.member) {
                    // Cognito counts list items from 1: `userAttributes.1.member.name`.
                    let path = || {
                        format!(
                            "{}.{}.member.{}",
                            lower_first(list),
                            index + 1,
                            lower_first(limits.member)
                        )
                    };
                    limits.check(value, path, &mut found);
                }
            }
        }
    }
    match found.len() {
        0 => Ok(()),
        count => Err(ApiError::new(
            ErrorType::InvalidParameter,
            validation_message(count, &found),
        )),
    }
}

/// `N validation error(s) detected: Value at '<path>' failed to satisfy constraint: …; …`,
/// listing at most [`MAX_LISTED`] of the `count`.
fn validation_message(count: usize, found: &[Violation]) -> String {
    let listed: Vec<String> = found
        .iter()
        .take(MAX_LISTED)
        .map(|violation| {
            format!(
                "Value at '{}' failed to satisfy constraint: {}",
                violation.path, violation.constraint
            )
        })
        .collect();
    let plural = if count == 1 { "error" } else { "errors" };
    format!(
        "{count} validation {plural} detected: {}",
        listed.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The message `body` is refused with, or None when it passes.
    fn refusal(body: Value) -> Option<String> {
        check(&body).err().map(|error| {
            assert_eq!(error.error_type, ErrorType::InvalidParameter);
            error.message
        })
    }

    #[test]
    fn every_pattern_compiles() {
        for limits in MEMBERS.iter().chain(ATTRIBUTE_MEMBERS) {
            if let Some(pattern) = limits.pattern {
                assert!(COMPILED.contains_key(pattern), "{pattern}");
            }
        }
    }

    #[test]
    fn valid_values_pass() {
        let body = json!({
            "UserPoolId": "us-east-1_DemoPool1",
            "ClientId": "democonsolepublicclient001",
            "ClientName": "My app, v2.0 web@example.com",
            "PoolName": "made",
            "Username": "émilie+test@example.com",
            "Session": "a".repeat(86),
            "AccessToken": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_=",
            "SecretHash": "abc+/=",
            "ConfirmationCode": "123456",
            "UserCode": "123456",
            "Password": "P@ssw0rd!é",
            "DeviceKey": "us-east-1_2f1c0d3e-aaaa-4bbb-8ccc-123456789abc",
            "UserAttributes": [{"Name": "custom:department", "Value": "sales and more"}],
            "AuthFlow": "USER_SRP_AUTH",
            "ClientMetadata": {"anything": "x".repeat(5000)},
        });
        assert_eq!(refusal(body), None);
    }

    #[test]
    fn ids_the_pool_makes_pass() {
        use crate::local_pool::ids;
        let body = json!({
            "UserPoolId": ids::pool_id(),
            "ClientId": ids::client_id(),
            "ClientSecret": ids::client_secret(),
            "Session": ids::opaque_token(),
            "RefreshToken": ids::opaque_token(),
            "Username": ids::uuid(),
            "DeviceKey": format!("{}_{}", ids::REGION, ids::uuid()),
        });
        assert_eq!(refusal(body), None);
    }

    #[test]
    fn too_long_names_the_member_and_the_limit_never_the_value() {
        let huge = "us-east-1_".to_owned() + &"A".repeat(1_500_000);
        let message = refusal(json!({"UserPoolId": huge})).unwrap_or_default();
        assert_eq!(
            message,
            "1 validation error detected: Value at 'userPoolId' failed to satisfy constraint: \
             Member must have length less than or equal to 55"
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 128 two-byte letters: 256 bytes, 128 characters.
        assert_eq!(refusal(json!({"Username": "é".repeat(128)})), None);
        assert!(refusal(json!({"Username": "é".repeat(129)})).is_some());
    }

    #[test]
    fn empty_breaks_both_pattern_and_minimum() {
        let message = refusal(json!({"ClientId": ""})).unwrap_or_default();
        assert_eq!(
            message,
            "2 validation errors detected: Value at 'clientId' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w+]+; Value at 'clientId' \
             failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        let message = refusal(json!({"Session": "short"})).unwrap_or_default();
        assert!(
            message.ends_with("Member must have length greater than or equal to 20"),
            "{message}"
        );
        assert!(!message.contains("short"));
    }

    #[test]
    fn bad_patterns_are_refused_without_echoing() {
        let cases = [
            ("UserPoolId", "DemoPool1"),
            ("UserPoolId", "us-east-1_Demo-Pool"),
            ("ClientId", "demo-client"),
            ("ClientName", "tab\u{e9}"),
            ("Username", "has space"),
            ("AccessToken", "eyJ hunter2"),
            ("Password", "two words"),
            ("ConfirmationCode", "12 34"),
            ("UserCode", "12345a"),
            ("DeviceKey", "us-east-1_ABCDEF"),
            ("SecretHash", "abc-def"),
        ];
        for (member, value) in cases {
            let message = refusal(json!({ member: value })).unwrap_or_default();
            let path = lower_first(member);
            assert!(
                message.starts_with(&format!(
                    "1 validation error detected: Value at '{path}' failed to satisfy constraint: \
                     Member must satisfy regular expression pattern: "
                )),
                "{member}: {message}"
            );
            assert!(!message.contains(value), "{member}: {message}");
        }
    }

    #[test]
    fn format_and_bidi_controls_are_refused_in_names() {
        for control in ['\u{202E}', '\u{200B}', '\u{2066}', '\u{FEFF}'] {
            for member in ["Username", "ClientName", "PoolName"] {
                let value = format!("alice{control}evil");
                assert!(
                    refusal(json!({ member: value })).is_some(),
                    "{member} with U+{:04X}",
                    u32::from(control)
                );
            }
            let attributes =
                json!({"UserAttributes": [{"Name": format!("na{control}me"), "Value": "x"}]});
            assert!(refusal(attributes).is_some());
        }
    }

    #[test]
    fn attribute_lists_are_checked_item_by_item() {
        let body = json!({"UserAttributes": [
            {"Name": "email", "Value": "a@example.com"},
            {"Name": "x".repeat(33), "Value": "v".repeat(2049)},
        ]});
        assert_eq!(
            refusal(body).unwrap_or_default(),
            "2 validation errors detected: Value at 'userAttributes.2.member.name' failed to \
             satisfy constraint: Member must have length less than or equal to 32; Value at \
             'userAttributes.2.member.value' failed to satisfy constraint: Member must have \
             length less than or equal to 2048"
        );
    }

    #[test]
    fn many_violations_are_counted_in_full_and_listed_in_part() {
        let items: Vec<Value> = (0..1000).map(|_| json!({"Name": ""})).collect();
        let message = refusal(json!({"ValidationData": items})).unwrap_or_default();
        assert!(
            message.starts_with("2000 validation errors detected: "),
            "{message}"
        );
        assert_eq!(message.matches("Value at ").count(), MAX_LISTED);
        assert!(message.len() < 1024, "{}", message.len());
    }

    #[test]
    fn members_of_other_types_are_left_to_the_operation() {
        assert_eq!(refusal(json!({"UserPoolId": 7, "Username": null})), None);
    }
}
