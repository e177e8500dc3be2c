//! The errors the pool answers with, in Cognito's JSON 1.1 shape: HTTP 400 (500 for
//! our own faults), `{"__type": …, "message": …}`, and the `x-amzn-errortype` header.
//! Messages are Cognito's own wording where Cognito has one, and never carry a secret.

use axum::http::StatusCode;

/// The `__type` of an error, as Cognito names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    /// Wrong password, bad session, bad SECRET_HASH, disabled user.
    NotAuthorized,
    /// No such user in the pool.
    UserNotFound,
    /// AdminCreateUser for a name already taken.
    UsernameExists,
    /// A missing or malformed parameter.
    InvalidParameter,
    /// A password that does not meet the pool's policy.
    InvalidPassword,
    /// No such pool or client.
    ResourceNotFound,
    /// A wrong SMS, e-mail or TOTP code.
    CodeMismatch,
    /// ConfirmForgotPassword with a code older than its hour.
    ExpiredCode,
    /// Too many wrong password-reset codes.
    LimitExceeded,
    /// RevokeToken from a client that is unknown or did not prove its secret.
    Unauthorized,
    /// RevokeToken with an ID or access token instead of a refresh token.
    UnsupportedTokenType,
    /// VerifySoftwareToken with a wrong code.
    EnableSoftwareTokenMfa,
    /// VerifySoftwareToken before AssociateSoftwareToken.
    SoftwareTokenMfaNotFound,
    /// An X-Amz-Target the pool does not serve.
    UnknownOperation,
    /// A body that is not JSON.
    Serialization,
    /// Something went wrong inside the pool itself.
    InternalError,
    /// A SigV4 signature that does not match, or has expired.
    InvalidSignature,
    /// An operation that needs a signature, sent without one.
    MissingAuthenticationToken,
    /// A signature by an access key the pool does not know.
    UnrecognizedClient,
}

impl ErrorType {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAuthorized => "NotAuthorizedException",
            Self::UserNotFound => "UserNotFoundException",
            Self::UsernameExists => "UsernameExistsException",
            Self::InvalidParameter => "InvalidParameterException",
            Self::InvalidPassword => "InvalidPasswordException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::CodeMismatch => "CodeMismatchException",
            Self::ExpiredCode => "ExpiredCodeException",
            Self::LimitExceeded => "LimitExceededException",
            Self::Unauthorized => "UnauthorizedException",
            Self::UnsupportedTokenType => "UnsupportedTokenTypeException",
            Self::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            Self::SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            Self::UnknownOperation => "UnknownOperationException",
            Self::Serialization => "SerializationException",
            Self::InternalError => "InternalErrorException",
            Self::InvalidSignature => "InvalidSignatureException",
            Self::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            Self::UnrecognizedClient => "UnrecognizedClientException",
        }
    }

    /// Client faults are 400, the pool's own faults 500.
    pub fn status(self) -> StatusCode {
        match self {
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
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
        Self::new(ErrorType::NotAuthorized, "Incorrect username or password.")
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

    /// A wrong code: the session stays usable for another try.
    pub fn code_mismatch() -> Self {
        Self::new(ErrorType::CodeMismatch, "Invalid code received for user")
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
