//! What can go wrong on the wire, and how a server's error answer becomes one.
//!
//! Servers send errors in several shapes, all handled here:
//! - a JSON body `{"__type": "NotAuthorizedException", "message": "…"}`, where the type
//!   may carry a namespace (`com.amazonaws.cognito#NotAuthorizedException`) and the
//!   message may be spelled `Message`;
//! - the `x-amzn-errortype` header (`NotAuthorizedException:http://internal…`), used
//!   only when the body names no type;
//! - anything else (an HTML 500 page, an empty 502), which is not Cognito speaking.

use serde_json::Value;

use super::error_type::ErrorType;
use super::text::{MAX_EXCERPT, Redactor, one_line, strip_tags};

/// An error from a Cognito call. `Display` is a sentence a person can act on, and
/// never contains a secret (server text is cut to one line and scrubbed of the
/// request's secrets before it is stored here).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error type (`NotAuthorizedException`) and message.
    #[error("{}", service_sentence(kind.as_str(), message, *status))]
    Service {
        /// The error type, read without namespace or suffix (`NotAuthorizedException`).
        kind: ErrorType,
        /// The server's own words (one line, secrets masked); may be empty.
        message: String,
        /// The HTTP status of the answer.
        status: u16,
        /// `x-amzn-requestid`, for a support case.
        request_id: Option<String>,
    },
    /// The endpoint could not be reached.
    #[error(
        "Could not reach {endpoint} ({detail}). Check --endpoint-url, the region, and your network."
    )]
    Unreachable {
        /// The URL that was tried.
        endpoint: String,
        /// Why, in a few words ("connection refused").
        detail: String,
    },
    /// The request could not be signed with the AWS credentials (`--admin`): nothing
    /// was sent, so the network is not to blame.
    #[error(
        "Could not sign the request for {endpoint} with the AWS credentials ({detail}). Check the AWS credentials --admin uses (the environment variables, or the profile) and the region."
    )]
    Signing {
        /// The URL the request was for.
        endpoint: String,
        /// Why, in a few words.
        detail: String,
    },
    /// The request could not be built (written as JSON, or given its headers): nothing
    /// was sent, and nothing the person did caused it.
    #[error(
        "Could not build the request for {endpoint} ({detail}). This is a bug in cognito-signin; please report it."
    )]
    Request {
        /// The URL the request was for.
        endpoint: String,
        /// What could not be built.
        detail: String,
    },
    /// The endpoint did not answer in time.
    #[error(
        "{endpoint} did not answer in time. Check --endpoint-url and your network, then try again."
    )]
    Timeout {
        /// The URL that was tried.
        endpoint: String,
    },
    /// The endpoint answered with something that is not a Cognito answer.
    #[error("{}", bad_response_sentence(endpoint, *status, detail))]
    BadResponse {
        /// The URL that answered.
        endpoint: String,
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong with it: a short, tag-free excerpt or a decoding problem.
        detail: String,
    },
}

impl ApiError {
    /// The service's error type, when the service answered with one.
    pub fn kind(&self) -> Option<&ErrorType> {
        match self {
            Self::Service { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The request id the service gave its error, if any (for a support case).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

/// "Incorrect username or password. (NotAuthorizedException)".
fn service_sentence(kind: &str, message: &str, status: u16) -> String {
    if message.is_empty() {
        return format!("The service refused the request with {kind} (HTTP {status}).");
    }
    let stop = if message.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    format!("{message}{stop} ({kind})")
}

/// A server failure asks for patience; any other odd answer points at a wrong URL.
fn bad_response_sentence(endpoint: &str, status: u16, detail: &str) -> String {
    if status >= 500 {
        format!(
            "{endpoint} failed with HTTP {status} ({detail}). Try again later; if it keeps failing, check --endpoint-url."
        )
    } else {
        format!(
            "{endpoint} sent an answer that is not Cognito's (HTTP {status}: {detail}). Check that --endpoint-url points at a Cognito user pool endpoint."
        )
    }
}

/// An answer with a non-2xx status, as the transport received it.
pub(crate) struct ErrorAnswer<'a> {
    /// The URL it came from, as messages show it.
    pub endpoint: &'a str,
    pub status: u16,
    /// The `x-amzn-errortype` header.
    pub error_type_header: Option<&'a str>,
    /// The `x-amzn-requestid` header.
    pub request_id: Option<&'a str>,
    /// The `Location` header (for a redirect).
    pub location: Option<&'a str>,
    pub body: &'a [u8],
}

impl ErrorAnswer<'_> {
    /// The error this answer means. The body's type wins over the header's.
    pub(crate) fn into_error(self, redactor: &Redactor) -> ApiError {
        let json = serde_json::from_slice::<Value>(self.body).ok();
        let object = json.as_ref().and_then(Value::as_object);
        let field = |names: &[&str]| {
            object.and_then(|fields| {
                names
                    .iter()
                    .find_map(|name| fields.get(*name).and_then(Value::as_str))
            })
        };
        let message = field(&["message", "Message"])
            .map(|text| one_line(&redactor.scrub(text), MAX_EXCERPT * 2))
            .unwrap_or_default();
        let kind = error_type_of(json.as_ref(), self.error_type_header);
        if let Some(kind) = kind {
            return ApiError::Service {
                kind: ErrorType::from_wire(kind),
                message,
                status: self.status,
                request_id: self
                    .request_id
                    .map(|id| one_line(id, 80))
                    .filter(|id| !id.is_empty()),
            };
        }
        let detail = if (300..400).contains(&self.status) {
            match self.location {
                Some(to) => format!("a redirect to {}", one_line(&redactor.scrub(to), 100)),
                None => "a redirect".to_owned(),
            }
        } else if object.is_some() {
            if message.is_empty() {
                "JSON without an error type".to_owned()
            } else {
                format!("JSON without an error type, saying: {message}")
            }
        } else {
            excerpt(self.body, redactor)
        };
        ApiError::BadResponse {
            endpoint: self.endpoint.to_owned(),
            status: self.status,
            detail,
        }
    }
}

/// The error type an answer names: the body's (`__type`, or `code`/`Code` as some
/// servers write it) wins over the `x-amzn-errortype` header's; each cleaned by
/// [`clean_type`]. Shared by the errors themselves and the debug trace.
pub(crate) fn error_type_of<'a>(
    body: Option<&'a Value>,
    header: Option<&'a str>,
) -> Option<&'a str> {
    let object = body.and_then(Value::as_object);
    let body_type = ["__type", "code", "Code"]
        .iter()
        .find_map(|name| object?.get(*name).and_then(Value::as_str))
        .and_then(clean_type);
    body_type.or_else(|| header.and_then(clean_type))
}

/// A short, one-line, tag-free quote of a body that is not JSON.
pub(crate) fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return "an empty body".to_owned();
    }
    let readable = one_line(&redactor.scrub(&strip_tags(&text)), MAX_EXCERPT);
    if readable.is_empty() {
        "a body with no readable text".to_owned()
    } else {
        format!("\"{readable}\"")
    }
}

/// `com.amazonaws.cognito#NotAuthorizedException:http://internal…` → `NotAuthorizedException`:
/// cut at the first `:`, keep what follows the last `#`. `None` when nothing is left or
/// the name has characters no error type has. [`ErrorType::from_wire`] reads the result.
pub(crate) fn clean_type(raw: &str) -> Option<&str> {
    let before_colon = raw.split_once(':').map_or(raw, |(before, _)| before);
    let name = before_colon
        .rsplit_once('#')
        .map_or(before_colon, |(_, after)| after)
        .trim();
    let plausible = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    plausible.then_some(name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn answer<'a>(status: u16, header: Option<&'a str>, body: &'a str) -> ErrorAnswer<'a> {
        ErrorAnswer {
            endpoint: "http://x/",
            status,
            error_type_header: header,
            request_id: Some("rid-1"),
            location: None,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn clean_type_strips_namespace_and_suffix() {
        assert_eq!(
            clean_type("com.amazonaws.cognito#NotAuthorizedException"),
            Some("NotAuthorizedException")
        );
        assert_eq!(
            clean_type("UserNotFoundException:http://internal.amazon.com/coral/com.amazon/"),
            Some("UserNotFoundException")
        );
        assert_eq!(
            clean_type("ns#CodeMismatchException:http://x"),
            Some("CodeMismatchException")
        );
        assert_eq!(clean_type(""), None);
        assert_eq!(clean_type("<html>"), None);
    }

    #[test]
    fn body_type_wins_over_header() {
        let error = answer(
            400,
            Some("HeaderException"),
            r#"{"__type":"BodyException"}"#,
        )
        .into_error(&Redactor::default());
        assert_eq!(
            error.kind(),
            Some(&ErrorType::Other("BodyException".to_owned()))
        );
        assert_eq!(error.request_id(), Some("rid-1"));
    }

    #[test]
    fn server_message_is_scrubbed_of_request_secrets() {
        let redactor = Redactor::from_request(&serde_json::json!({"Session": "sess-secret-1"}));
        let error = answer(
            400,
            None,
            r#"{"__type":"ResourceNotFoundException","message":"sess-secret-1\n"}"#,
        )
        .into_error(&redactor);
        assert_eq!(error.to_string(), "[redacted]. (ResourceNotFoundException)");
    }

    #[test]
    fn json_without_type_is_a_bad_response() {
        let error =
            answer(403, None, r#"{"message":"Forbidden"}"#).into_error(&Redactor::default());
        assert_eq!(error.kind(), None);
        assert!(
            error
                .to_string()
                .contains("(HTTP 403: JSON without an error type, saying: Forbidden)")
        );
    }

    #[test]
    fn a_signing_failure_points_at_the_credentials_not_the_network() {
        let error = ApiError::Signing {
            endpoint: "https://cognito-idp.us-east-1.amazonaws.com/".into(),
            detail: "invalid header value".into(),
        };
        let sentence = error.to_string();
        assert_eq!(
            sentence,
            "Could not sign the request for https://cognito-idp.us-east-1.amazonaws.com/ with the AWS credentials (invalid header value). Check the AWS credentials --admin uses (the environment variables, or the profile) and the region."
        );
        assert!(!sentence.contains("network"), "{sentence}");
        assert_eq!(error.kind(), None);
    }

    #[test]
    fn a_request_that_cannot_be_built_is_reported_as_a_bug() {
        let error = ApiError::Request {
            endpoint: "http://x/".into(),
            detail: "the InitiateAuth request could not be written as JSON: key must be a string"
                .into(),
        };
        let sentence = error.to_string();
        assert_eq!(
            sentence,
            "Could not build the request for http://x/ (the InitiateAuth request could not be written as JSON: key must be a string). This is a bug in cognito-signin; please report it."
        );
        assert!(!sentence.contains("network"), "{sentence}");
        assert_eq!(error.kind(), None);
    }
}
