//! Cognito's error types (`__type`), one enum for the client that reads them and the
//! local pool that answers with them. A type this version does not know is kept by
//! name in `Other`, so nothing the server said is lost.

/// The `__type` of an error answer, without namespace or suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorType {
    /// Wrong password, bad session, bad SECRET_HASH, disabled user, revoked token.
    NotAuthorized,
    /// No such user in the pool.
    UserNotFound,
    /// AdminCreateUser for a name already taken.
    UsernameExists,
    /// A missing or malformed parameter.
    InvalidParameter,
    /// A password that does not meet the pool's policy.
    InvalidPassword,
    /// No such pool, client, device or session.
    ResourceNotFound,
    /// A wrong SMS, e-mail or TOTP code.
    CodeMismatch,
    /// A code (or a challenge's code) that has expired or was used up.
    ExpiredCode,
    /// Too many wrong password-reset codes.
    LimitExceeded,
    /// Too many requests in a short time (throttling).
    TooManyRequests,
    /// RevokeToken from a client that is unknown or did not prove its secret.
    Unauthorized,
    /// RevokeToken with an ID or access token instead of a refresh token.
    UnsupportedTokenType,
    /// VerifySoftwareToken with a wrong code.
    EnableSoftwareTokenMfa,
    /// VerifySoftwareToken before AssociateSoftwareToken.
    SoftwareTokenMfaNotFound,
    /// An X-Amz-Target the server does not serve.
    UnknownOperation,
    /// A body that is not JSON.
    Serialization,
    /// Something went wrong inside the service itself.
    InternalError,
    /// A SigV4 signature that does not match, or has expired.
    InvalidSignature,
    /// An operation that needs a signature, sent without one.
    MissingAuthenticationToken,
    /// A signature by an access key the service does not know.
    UnrecognizedClient,
    /// A refresh token that refresh token rotation has replaced (after any grace period).
    RefreshTokenReuse,
    /// A request whose body did not arrive in time; the AWS SDKs treat it as transient
    /// and retry (botocore's standard retry mode and `@smithy/service-error-classification`
    /// list it among their transient error codes).
    RequestTimeout,
    /// A passkey operation in a pool whose sign-in policy does not allow WEB_AUTHN.
    WebAuthnNotEnabled,
    /// A passkey operation in a pool with neither a relying party ID nor a domain.
    WebAuthnConfigurationMissing,
    /// CompleteWebAuthnRegistration without a live StartWebAuthnRegistration challenge.
    WebAuthnChallengeNotFound,
    /// CompleteWebAuthnRegistration with a token of another app client than the start's.
    WebAuthnClientMismatch,
    /// A passkey made for another relying party ID than the pool's.
    WebAuthnRelyingPartyMismatch,
    /// A passkey ceremony run for an origin the pool's relying party ID does not cover.
    WebAuthnOriginNotAllowed,
    /// A passkey of a kind the pool does not take (key type, attestation, user verification).
    WebAuthnCredentialNotSupported,
    /// A type this version does not know, by its name on the wire.
    Other(String),
}

impl ErrorType {
    /// Every type this version knows, for parsing and tests.
    const KNOWN: [ErrorType; 29] = [
        Self::NotAuthorized,
        Self::UserNotFound,
        Self::UsernameExists,
        Self::InvalidParameter,
        Self::InvalidPassword,
        Self::ResourceNotFound,
        Self::CodeMismatch,
        Self::ExpiredCode,
        Self::LimitExceeded,
        Self::TooManyRequests,
        Self::Unauthorized,
        Self::UnsupportedTokenType,
        Self::EnableSoftwareTokenMfa,
        Self::SoftwareTokenMfaNotFound,
        Self::UnknownOperation,
        Self::Serialization,
        Self::InternalError,
        Self::InvalidSignature,
        Self::MissingAuthenticationToken,
        Self::UnrecognizedClient,
        Self::RefreshTokenReuse,
        Self::RequestTimeout,
        Self::WebAuthnNotEnabled,
        Self::WebAuthnConfigurationMissing,
        Self::WebAuthnChallengeNotFound,
        Self::WebAuthnClientMismatch,
        Self::WebAuthnRelyingPartyMismatch,
        Self::WebAuthnOriginNotAllowed,
        Self::WebAuthnCredentialNotSupported,
    ];

    /// The type a bare name on the wire stands for (`NotAuthorizedException`); the
    /// caller has already cut any `namespace#` prefix and `:…` suffix. Names this
    /// version does not know become `Other`.
    pub fn from_wire(name: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|known| known.as_str() == name)
            .unwrap_or_else(|| Self::Other(name.to_owned()))
    }

    /// The name on the wire.
    pub fn as_str(&self) -> &str {
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
            Self::TooManyRequests => "TooManyRequestsException",
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
            Self::RefreshTokenReuse => "RefreshTokenReuseException",
            Self::RequestTimeout => "RequestTimeoutException",
            Self::WebAuthnNotEnabled => "WebAuthnNotEnabledException",
            Self::WebAuthnConfigurationMissing => "WebAuthnConfigurationMissingException",
            Self::WebAuthnChallengeNotFound => "WebAuthnChallengeNotFoundException",
            Self::WebAuthnClientMismatch => "WebAuthnClientMismatchException",
            Self::WebAuthnRelyingPartyMismatch => "WebAuthnRelyingPartyMismatchException",
            Self::WebAuthnOriginNotAllowed => "WebAuthnOriginNotAllowedException",
            Self::WebAuthnCredentialNotSupported => "WebAuthnCredentialNotSupportedException",
            Self::Other(name) => name,
        }
    }
}

impl std::fmt::Display for ErrorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `"NotAuthorizedException".into()`: [`ErrorType::from_wire`].
impl From<&str> for ErrorType {
    fn from(name: &str) -> Self {
        Self::from_wire(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_reads_back_from_its_name() {
        for known in ErrorType::KNOWN {
            assert_eq!(ErrorType::from_wire(known.as_str()), known);
        }
        assert_eq!(
            ErrorType::from_wire("NotAuthorizedException"),
            ErrorType::NotAuthorized
        );
    }

    #[test]
    fn an_unknown_type_keeps_its_name() {
        let other = ErrorType::from_wire("SomethingElseException");
        assert_eq!(other, ErrorType::Other("SomethingElseException".to_owned()));
        assert_eq!(other.as_str(), "SomethingElseException");
        assert_eq!(other.to_string(), "SomethingElseException");
    }
}
