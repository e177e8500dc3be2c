//! What can go wrong on the wire. CONTRACT — the wire helper fills in parsing.

/// An error from a Cognito call. `Display` is a sentence a person can act on, and
/// never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error type (`NotAuthorizedException`) and message.
    #[error("{message}")]
    Service {
        kind: String,
        message: String,
        status: u16,
        request_id: Option<String>,
    },
    /// The endpoint could not be reached.
    #[error("could not reach {endpoint}: {detail}")]
    Unreachable { endpoint: String, detail: String },
    /// The endpoint did not answer in time.
    #[error("{endpoint} did not answer in time")]
    Timeout { endpoint: String },
    /// The endpoint answered with something that is not a Cognito answer.
    #[error("{endpoint} sent an answer that is not Cognito's (HTTP {status}): {detail}")]
    BadResponse {
        endpoint: String,
        status: u16,
        detail: String,
    },
}

impl ApiError {
    /// The service's error type, without a `namespace#` prefix.
    pub fn kind(&self) -> Option<&str> {
        match self {
            Self::Service { kind, .. } => Some(kind),
            _ => None,
        }
    }
}
