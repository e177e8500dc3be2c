//! One POST of the JSON 1.1 protocol, and the transport failures it can meet, each
//! turned into an [`ApiError`] that names the endpoint.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};

use super::error::ApiError;
use super::protocol::{self, target};
use super::text::{MAX_EXCERPT, one_line};

/// An answer larger than this is not Cognito's (its largest are a few kilobytes), and
/// is refused rather than held in memory.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// What the server sent back, read whole.
pub(crate) struct RawAnswer {
    pub status: u16,
    pub error_type: Option<String>,
    pub request_id: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// A reqwest client with the console's timeouts and User-Agent, following no
/// redirects (a redirected POST would silently turn into a GET).
pub(crate) fn http_client(
    connect: Duration,
    request: Duration,
) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(request)
        .user_agent(concat!("cognito-signin/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// POSTs `body` as `operation`, with `extra` headers (a signature), and reads the
/// whole answer.
pub(crate) async fn post(
    http: &reqwest::Client,
    url: &reqwest::Url,
    shown: &str,
    operation: &str,
    body: Vec<u8>,
    extra: Vec<(String, String)>,
) -> Result<RawAnswer, ApiError> {
    let mut request = http
        .post(url.clone())
        .header(CONTENT_TYPE, protocol::CONTENT_TYPE)
        .header("X-Amz-Target", target(operation));
    for (name, value) in extra {
        request = request.header(name, value);
    }
    let mut response = request
        .body(body)
        .send()
        .await
        .map_err(|error| transport_error(shown, &error))?;
    let status = response.status().as_u16();
    let headers = response.headers();
    let error_type = header(headers, "x-amzn-errortype");
    let request_id =
        header(headers, "x-amzn-requestid").or_else(|| header(headers, "x-amz-request-id"));
    let location = header(headers, LOCATION.as_str());

    let mut answer = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if answer.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(ApiError::BadResponse {
                        endpoint: shown.to_owned(),
                        status,
                        detail: format!(
                            "an answer larger than {} MiB",
                            MAX_ANSWER_BYTES / (1024 * 1024)
                        ),
                    });
                }
                answer.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) if error.is_timeout() => {
                return Err(ApiError::Timeout {
                    endpoint: shown.to_owned(),
                });
            }
            Err(error) => {
                return Err(ApiError::BadResponse {
                    endpoint: shown.to_owned(),
                    status,
                    detail: format!("the answer was cut off: {}", innermost(&error)),
                });
            }
        }
    }
    Ok(RawAnswer {
        status,
        error_type,
        request_id,
        location,
        body: answer,
    })
}

/// A header's value as text, if present and printable.
fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(|value| one_line(value, MAX_EXCERPT))
        .filter(|value| !value.is_empty())
}

/// Why a request got no answer: Timeout, or Unreachable with the cause in a few words;
/// Request when reqwest could not even build it (a header it refused), which no network
/// would fix.
pub(crate) fn transport_error(shown: &str, error: &reqwest::Error) -> ApiError {
    let endpoint = shown.to_owned();
    if error.is_timeout() {
        return ApiError::Timeout { endpoint };
    }
    if error.is_builder() {
        return ApiError::Request {
            endpoint,
            detail: innermost(error),
        };
    }
    let detail = if error.is_dns() {
        "the host name could not be resolved".to_owned()
    } else if let Some(kind) = io_error_kind(error) {
        match kind {
            io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                "the connection was reset".to_owned()
            }
            io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => {
                "no route to the host".to_owned()
            }
            _ => innermost(error),
        }
    } else {
        innermost(error)
    };
    ApiError::Unreachable { endpoint, detail }
}

/// The kind of the first I/O error in the chain of causes.
fn io_error_kind(error: &reqwest::Error) -> Option<io::ErrorKind> {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io_error) = cause.downcast_ref::<io::Error>() {
            return Some(io_error.kind());
        }
        source = cause.source();
    }
    None
}

/// The deepest cause's words, one line: it says what happened without the URL and
/// request wrapping reqwest adds.
fn innermost(error: &reqwest::Error) -> String {
    let mut deepest: &dyn std::error::Error = error;
    while let Some(cause) = deepest.source() {
        deepest = cause;
    }
    one_line(&deepest.to_string(), MAX_EXCERPT)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reqwest_cannot_build_is_not_a_network_problem() {
        let refused = reqwest::Client::new()
            .post("http://127.0.0.1:9/")
            .header("x-bad", "line\nbreak")
            .build()
            .unwrap_err();
        let error = transport_error("http://127.0.0.1:9/", &refused);
        assert!(
            matches!(&error, ApiError::Request { endpoint, .. } if endpoint == "http://127.0.0.1:9/"),
            "{error:?}"
        );
        let sentence = error.to_string();
        assert!(sentence.contains("bug in cognito-signin"), "{sentence}");
        assert!(!sentence.contains("network"), "{sentence}");
    }
}
