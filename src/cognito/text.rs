//! Turning what a server sent into short, safe, one-line text for error messages.
//!
//! A server is not trusted with the terminal: control characters (which could steer
//! it) and markup are dropped, length is bounded, and any secret the request carried
//! is masked before a server's words reach a person, because servers do echo requests
//! back (moto, for one, puts an unknown Session in the error message).

use serde_json::Value;
use zeroize::Zeroize;

use crate::sensitive::SensitiveString;

/// How many characters of a server's text an error message quotes at most.
pub(crate) const MAX_EXCERPT: usize = 160;

/// What stands where a secret was.
const MASK: &str = "[redacted]";

/// Secrets shorter than this are not searched for: masking every "a" would mangle the
/// text, and Cognito refuses passwords, codes and tokens this short anyway.
const MIN_SECRET_LEN: usize = 4;

/// Request fields whose value is a secret (the API marks them SENSITIVE).
const SECRET_FIELDS: &[&str] = &[
    "Session",
    "Password",
    "TemporaryPassword",
    "ProposedPassword",
    "PreviousPassword",
    "AccessToken",
    "RefreshToken",
    "IdToken",
    "Token",
    "ClientSecret",
    "ConfirmationCode",
    "UserCode",
    // VerifyUserAttribute's code: not marked SENSITIVE by the API, a secret all the same.
    "Code",
    "SecretCode",
];

/// Request maps whose every value is treated as a secret, except the keys below.
const SECRET_MAPS: &[&str] = &["AuthParameters", "ChallengeResponses"];

/// Keys of those maps that name rather than prove, and help a person read a message.
const PUBLIC_MAP_KEYS: &[&str] = &["USERNAME"];

/// One line: control characters become spaces, runs of whitespace collapse, and the
/// text is cut at `max` characters with an ellipsis.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// The readable text of an HTML (or any) page: tags and the bodies of `<script>` and
/// `<style>` removed, the common entities decoded.
pub(crate) fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[1..end].trim_start().to_ascii_lowercase();
        rest = &after[end + 1..];
        for skipped in ["script", "style"] {
            if tag.starts_with(skipped) {
                let closing = format!("</{skipped}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&closing) {
                    Some(at) => &rest[at..],
                    None => "",
                };
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The secrets one request carried, kept (wiped on drop) only to mask them in what the
/// server answers.
#[derive(Default)]
pub(crate) struct Redactor {
    secrets: Vec<SensitiveString>,
}

impl Redactor {
    /// Collects the secret values of a request already turned into JSON.
    pub(crate) fn from_request(request: &Value) -> Self {
        let mut redactor = Self::default();
        redactor.collect(request);
        // Longest first, so a secret that contains another is masked whole.
        redactor
            .secrets
            .sort_by_key(|secret| std::cmp::Reverse(secret.expose().len()));
        redactor
    }

    fn collect(&mut self, value: &Value) {
        match value {
            Value::Object(fields) => {
                for (name, field) in fields {
                    if SECRET_FIELDS.contains(&name.as_str()) {
                        self.keep(field);
                    } else if SECRET_MAPS.contains(&name.as_str()) {
                        if let Value::Object(entries) = field {
                            entries
                                .iter()
                                .filter(|(key, _)| !PUBLIC_MAP_KEYS.contains(&key.as_str()))
                                .for_each(|(_, entry)| self.keep(entry));
                        }
                    } else {
                        self.collect(field);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.collect(item)),
            _ => {}
        }
    }

    fn keep(&mut self, value: &Value) {
        if let Value::String(text) = value
            && text.chars().count() >= MIN_SECRET_LEN
        {
            self.secrets.push(SensitiveString::from(text.as_str()));
        }
    }

    /// `text` with every secret of the request replaced by a mask.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.expose().as_str()) {
                out = out.replace(secret.expose().as_str(), MASK);
            }
        }
        out
    }
}

/// Overwrites every string inside a JSON value, so a request's secrets do not linger
/// in freed memory after it is sent.
pub(crate) fn wipe_json(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_json),
        Value::Object(fields) => fields.values_mut().for_each(wipe_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_flattens_controls_and_bounds_length() {
        assert_eq!(one_line("a\n\tb  \x1b[31mc", 100), "a b [31mc");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("   ", 10), "");
    }

    #[test]
    fn strip_tags_keeps_only_text() {
        let page = "<!doctype html><html><head><style>p{color:red}</style><title>500 Internal Server Error</title></head>\
                    <body><script>alert(1)</script><h1>Oops &amp; sorry</h1></body></html>";
        assert_eq!(
            one_line(&strip_tags(page), 100),
            "500 Internal Server Error Oops & sorry"
        );
        assert_eq!(one_line(&strip_tags("a < b"), 100), "a");
    }

    #[test]
    fn redactor_masks_secret_fields_but_not_the_username() {
        let request = serde_json::json!({
            "ClientId": "client123",
            "Session": "session-secret",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "hunter22"},
            "Nested": [{"Password": "deep-secret"}],
            "Code": "246810",
        });
        let redactor = Redactor::from_request(&request);
        assert_eq!(
            redactor.scrub("alice hunter22 session-secret deep-secret client123 246810"),
            "alice [redacted] [redacted] [redacted] client123 [redacted]"
        );
    }

    #[test]
    fn wipe_json_blanks_strings() {
        let mut value = serde_json::json!({"A": ["secret"], "B": "x"});
        wipe_json(&mut value);
        assert_eq!(value, serde_json::json!({"A": [""], "B": ""}));
    }
}
