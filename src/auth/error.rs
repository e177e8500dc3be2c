//! What can stop a sign-in, typed where it happens; `Problem::from` turns each into
//! the sentence a person sees.

use crate::auth::Problem;
use crate::cognito::ApiError;
use crate::crypto::CryptoError;

/// A sign-in step that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// Cognito (or the network) refused the call.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server sent SRP values that cannot be used safely.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// A challenge arrived without a parameter it must carry.
    #[error("the server's {challenge} challenge has no {parameter}, so it cannot be answered")]
    MissingParameter {
        challenge: String,
        parameter: &'static str,
    },
    /// The server answered with neither tokens nor a challenge.
    #[error("the server answered with neither tokens nor a challenge")]
    EmptyAnswer,
    /// The person left a field empty.
    #[error("{0}")]
    EmptyField(&'static str),
}

impl From<FlowError> for Problem {
    fn from(error: FlowError) -> Self {
        let kind = match &error {
            FlowError::Api(api) => api.kind().map(str::to_owned),
            _ => None,
        };
        Problem {
            kind,
            sentence: sentence_case(&error.to_string()),
        }
    }
}

/// Starts a sentence with a capital letter, as every message on screen does.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_their_kind() {
        let problem = Problem::from(FlowError::Api(ApiError::Service {
            kind: "NotAuthorizedException".into(),
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: None,
        }));
        assert_eq!(problem.kind.as_deref(), Some("NotAuthorizedException"));
        assert!(
            problem
                .sentence
                .starts_with("Incorrect username or password.")
        );
    }

    #[test]
    fn flow_errors_read_as_sentences() {
        let problem = Problem::from(FlowError::MissingParameter {
            challenge: "PASSWORD_VERIFIER".into(),
            parameter: "SRP_B",
        });
        assert_eq!(
            problem.sentence,
            "The server's PASSWORD_VERIFIER challenge has no SRP_B, so it cannot be answered"
        );
        assert_eq!(problem.kind, None);
    }
}
