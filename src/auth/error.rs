//! What can stop a sign-in, typed where it happens; `Problem::from` turns each into
//! the sentence a person sees.

use crate::auth::Problem;
use crate::cognito::{ApiError, ErrorType};
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
    /// The answer is not one the current step asks for (a front end out of step).
    #[error("this answer does not fit the current step")]
    NotThisStep,
    /// The server asked for a passkey (WEB_AUTHN), which needs a browser.
    #[error(
        "passkeys (WEB_AUTHN) need a browser, so this console cannot use one; choose another way to sign in"
    )]
    Passkey,
    /// A first factor this console cannot answer was chosen.
    #[error("this console cannot sign in with {0}; choose another way to sign in")]
    UnusableFactor(String),
    /// SMS was chosen for MFA enrolment, which needs a phone number on the account.
    #[error(
        "text-message MFA needs a phone number on the account, which an administrator must add first; choose another factor"
    )]
    SmsSetupNeedsPhone,
    /// A SELECT_MFA_TYPE or MFA_SETUP challenge offered no factor this console knows.
    #[error("the server's {0} challenge offers no factor this console can use")]
    NoKnownFactor(String),
    /// AssociateSoftwareToken answered without a secret.
    #[error("the server did not send a secret for the authenticator app")]
    NoSecretCode,
    /// VerifySoftwareToken answered with a status other than SUCCESS.
    #[error("the authenticator's code was not accepted (status {0}); try the next code")]
    TotpNotVerified(String),
    /// The pool no longer takes this machine's remembered device (unknown, or its
    /// password refused); the task forgets it and starts again without it.
    #[error("the pool no longer knows this device")]
    DeviceRefused,
    /// The server kept asking for steps this console answers itself; it gave up.
    #[error("the server kept repeating the {0} challenge, so the sign-in stopped")]
    Looping(String),
}

/// Error types that mean the challenge's Session can no longer be used: it expired,
/// was used up by too many wrong answers, or the server no longer knows it.
const SESSION_ENDING_KINDS: [ErrorType; 3] = [
    ErrorType::NotAuthorized,
    ErrorType::ExpiredCode,
    ErrorType::ResourceNotFound,
];

impl FlowError {
    /// Whether this error, answering a challenge, means the sign-in must start again.
    /// A wrong password (PASSWORD after SELECT_CHALLENGE) is NotAuthorizedException too,
    /// but it leaves the person on the same step: a second try that finds the session
    /// gone ends it then.
    pub fn ends_session(&self) -> bool {
        match self {
            Self::Api(ApiError::Service { message, .. })
                if message.starts_with("Incorrect username or password") =>
            {
                false
            }
            Self::Api(api) => api
                .kind()
                .is_some_and(|kind| SESSION_ENDING_KINDS.contains(kind)),
            _ => false,
        }
    }

    /// The problem to show on the Failed screen when the session has ended.
    pub fn into_ended_session(self) -> Problem {
        let mut problem = Problem::from(self);
        problem
            .sentence
            .push_str(" This sign-in has ended: start it again.");
        problem
    }
}

impl From<FlowError> for Problem {
    fn from(error: FlowError) -> Self {
        let kind = match &error {
            FlowError::Api(api) => api.kind().cloned(),
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
            kind: ErrorType::NotAuthorized,
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: None,
        }));
        assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
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

    #[test]
    fn an_expired_session_ends_the_sign_in_and_says_to_start_again() {
        let error = FlowError::Api(ApiError::Service {
            kind: ErrorType::NotAuthorized,
            message: "Invalid session for the user, session is expired.".into(),
            status: 400,
            request_id: None,
        });
        assert!(error.ends_session());
        let problem = error.into_ended_session();
        assert!(problem.sentence.contains("session is expired"));
        assert!(problem.sentence.ends_with("start it again."));
        let mismatch = FlowError::Api(ApiError::Service {
            kind: ErrorType::CodeMismatch,
            message: "Invalid code received for user".into(),
            status: 400,
            request_id: None,
        });
        assert!(!mismatch.ends_session());
        assert!(!FlowError::NotThisStep.ends_session());
        let wrong_password = FlowError::Api(ApiError::Service {
            kind: ErrorType::NotAuthorized,
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: None,
        });
        assert!(!wrong_password.ends_session());
    }
}
