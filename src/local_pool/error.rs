//! The errors the pool answers with, in Cognito's JSON 1.1 shape: HTTP 400 (500 for
//! our own faults), `{"__type": …, "message": …}`, and the `x-amzn-errortype` header.
//! Messages are Cognito's own wording where Cognito has one, and never carry a secret.

use axum::http::StatusCode;

pub use crate::cognito::ErrorType;

/// The HTTP status of an error answer: client faults are 400, the pool's own 500.
pub fn status_of(error_type: &ErrorType) -> StatusCode {
    match error_type {
        ErrorType::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// One error answer. The message is safe to show: it never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub error_type: ErrorType,
    pub message: String,
}

impl ApiError {
    /// An error of the given type with a message.
    pub fn new(error_type: ErrorType, message: impl Into<String>) -> Self {
        Self {
            error_type,
            message: message.into(),
        }
    }

    /// Cognito's answer to any failed proof of the password.
    pub fn incorrect_password() -> Self {
        Self::new(
            ErrorType::NotAuthorized,
            crate::cognito::names::INCORRECT_USERNAME_OR_PASSWORD,
        )
    }

    /// Cognito's answer for a username the pool does not hold.
    pub fn user_not_found() -> Self {
        Self::new(ErrorType::UserNotFound, "User does not exist.")
    }

    /// A required parameter (AuthParameters, ChallengeResponses) was not sent.
    pub fn missing(parameter: &str) -> Self {
        Self::new(
            ErrorType::InvalidParameter,
            format!("Missing required parameter {parameter}"),
        )
    }

    /// A Session the pool did not issue (or forgot).
    pub fn invalid_session() -> Self {
        Self::new(ErrorType::NotAuthorized, "Invalid session for the user.")
    }

    /// A Session older than its 3 minutes.
    pub fn expired_session() -> Self {
        Self::new(
            ErrorType::NotAuthorized,
            "Invalid session for the user, session is expired.",
        )
    }

    /// A Session sent a second time.
    pub fn reused_session() -> Self {
        Self::new(
            ErrorType::NotAuthorized,
            "Invalid session for the user, session can only be used once.",
        )
    }

    /// A wrong code in a sign-in: the session stays usable for another try. Cognito's
    /// wording, as a real pool answers a wrong EMAIL_OTP code and Amplify UI's end-to-end
    /// tests expect it (amplify-js issues 3066 and 11069 quote it for SMS_MFA too).
    pub fn code_mismatch() -> Self {
        Self::new(
            ErrorType::CodeMismatch,
            "Invalid code or auth state for the user.",
        )
    }

    /// The third wrong answer to one session: the session is closed.
    pub fn too_many_wrong_answers() -> Self {
        Self::new(
            ErrorType::NotAuthorized,
            "Too many invalid attempts: this session is closed; sign in again.",
        )
    }

    /// The pool id names no pool here.
    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::new(
            ErrorType::ResourceNotFound,
            format!("User pool {pool_id} does not exist."),
        )
    }

    /// The client id names no app client here.
    pub fn client_not_found(client_id: &str) -> Self {
        Self::new(
            ErrorType::ResourceNotFound,
            format!("User pool client {client_id} does not exist."),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error_type.as_str(), self.message)
    }
}

impl std::error::Error for ApiError {}

/// What every operation returns.
pub type ApiResult<T> = Result<T, ApiError>;
