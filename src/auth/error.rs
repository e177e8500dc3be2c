//! What can stop a sign-in, typed where it happens; `Problem::from` (or, knowing the app
//! client, `FlowError::into_problem`) turns each into the sentence a person sees: the
//! console's own words where it knows better ones than the service's, which then follow.

use crate::auth::Problem;
use crate::cognito::names::{
    INCORRECT_USERNAME_OR_PASSWORD, PASSWORD_ATTEMPTS_EXCEEDED, secret_hash_not_received,
    secret_hash_not_verified,
};
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
    /// The software passkey could not sign (none held for the account, a broken key
    /// file…): the sentence it gave, which names no secret.
    #[error("{0}")]
    Passkey(String),
    /// The security key gave no answer: the sentence saying what to do, naming no secret.
    #[error("{0}")]
    SecurityKey(#[from] crate::passkey::security_key::SecurityKeyError),
    /// A WEB_AUTHN challenge whose CREDENTIAL_REQUEST_OPTIONS is not WebAuthn's JSON.
    #[error(
        "the server's passkey options could not be read ({0}), so the passkey cannot answer them"
    )]
    PasskeyOptions(String),
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
    /// The server asked for a challenge this version cannot answer.
    #[error("this challenge is not supported yet: {0}")]
    Unsupported(String),
    /// The server kept asking for steps this console answers itself; it gave up.
    #[error("the server kept repeating the {0} challenge, so the sign-in stopped")]
    Looping(String),
    /// A custom challenge's answer was followed by the same question: the pool did not
    /// accept it and asks again.
    #[error(
        "that answer was not accepted: the pool asks the same question again (wrong answers to it so far: {wrong_answers})"
    )]
    CustomAnswerNotAccepted { wrong_answers: u32 },
}

/// What a sentence may say about the app client the sign-in uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientContext<'a> {
    /// The app client id, which Cognito's secret-hash messages name.
    pub client_id: &'a str,
    /// Whether a client secret was given (`--client-secret` or COGNITO_CLIENT_SECRET).
    pub secret_given: bool,
}

/// Which kind of step an answer was given on, as far as ending the sign-in goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answering {
    /// A server challenge: the answer carries the challenge's Session.
    Challenge,
    /// The Password step (PASSWORD or PASSWORD_SRP chosen after SELECT_CHALLENGE). Its
    /// retry starts a fresh sign-in with the same factor, so nothing refused here ends
    /// the sign-in: a wrong password (NotAuthorizedException, the same type as a dead
    /// Session) leaves the person on the step to try again.
    Password,
    /// Anything else (the sign-in form, a password reset, "remember this device?"):
    /// there is no challenge Session to lose.
    Other,
}

/// Whether an error type, answering a challenge, means its Session can no longer be
/// used: it expired, was used up by too many wrong answers, or the server no longer
/// knows it.
fn ends_a_session(kind: &ErrorType) -> bool {
    matches!(
        kind,
        ErrorType::NotAuthorized | ErrorType::ExpiredCode | ErrorType::ResourceNotFound
    )
}

impl FlowError {
    /// Whether this error, refusing an answer given on `answering`, means the sign-in
    /// must start again. Decided on the error type and the step, never on the message.
    pub fn ends_session(&self, answering: Answering) -> bool {
        match self {
            Self::Api(api) if answering == Answering::Challenge => {
                api.kind().is_some_and(ends_a_session)
            }
            _ => false,
        }
    }

    /// The problem a person sees, for a sign-in through `client`: as `Problem::from`
    /// says it, except that a refused SECRET_HASH says what to pass, with the service's
    /// words after.
    pub fn into_problem(self, client: ClientContext<'_>) -> Problem {
        match &self {
            Self::Api(api) => match secret_hash_sentence(api, client) {
                Some(known) => Problem {
                    kind: api.kind().cloned(),
                    sentence: with_service_text(known, api),
                },
                None => Problem::from(self),
            },
            _ => Problem::from(self),
        }
    }

    /// The problem to show on the Failed screen when the session has ended.
    pub fn into_ended_session(self, client: ClientContext<'_>) -> Problem {
        let mut problem = self.into_problem(client);
        problem
            .sentence
            .push_str(" This sign-in has ended: start it again.");
        problem
    }

    /// The problem to show on a fresh sign-in form when the pool ended a custom sign-in
    /// (CUSTOM_AUTH) after an answer. Cognito then answers NotAuthorizedException
    /// "Incorrect username or password." (its Define auth challenge trigger chose
    /// `failAuthentication`), words that mislead where no password was asked, so only
    /// the error type follows; any other words (an expired session) are quoted.
    pub fn into_ended_custom_sign_in(self) -> Problem {
        let kind = match &self {
            Self::Api(api) => api.kind().cloned(),
            _ => None,
        };
        let sentence = match &self {
            Self::Api(api @ ApiError::Service { kind, .. })
                if is_message(
                    api,
                    ErrorType::NotAuthorized,
                    INCORRECT_USERNAME_OR_PASSWORD,
                ) =>
            {
                format!("{CUSTOM_SIGN_IN_ENDED} ({kind})")
            }
            Self::Api(api) => with_service_text(CUSTOM_SIGN_IN_ENDED, api),
            _ => format!("{CUSTOM_SIGN_IN_ENDED} {}", Problem::from(self).sentence),
        };
        Problem { kind, sentence }
    }
}

/// Said when the pool ends a custom sign-in after an answer.
pub const CUSTOM_SIGN_IN_ENDED: &str = "The pool ended the sign-in after that answer: it takes no more answers to this challenge. Sign in again to start over.";

/// Said for a refused first code of a new authenticator (VerifySoftwareToken's
/// EnableSoftwareTokenMFAException, "Code mismatch and fail enable Software Token MFA.").
pub const TOTP_CODE_NOT_ACCEPTED: &str =
    "That code was not right. Try the next code your authenticator app shows.";

/// Said when the app client has a secret and none was given.
pub const CLIENT_SECRET_NEEDED: &str =
    "This app client has a secret: pass it with --client-secret or COGNITO_CLIENT_SECRET.";

/// Said when the app client has a secret and the one given does not match it.
pub const CLIENT_SECRET_NOT_VERIFIED: &str = "The pool could not verify the client secret: check that --client-secret (or COGNITO_CLIENT_SECRET) is this app client's secret.";

/// `known`, then the service's own words: "… The pool said: Code mismatch and fail
/// enable Software Token MFA. (EnableSoftwareTokenMFAException)".
fn with_service_text(known: &str, api: &ApiError) -> String {
    format!("{known} The pool said: {api}")
}

/// Whether the service refused with `kind` and exactly `message` (a full stop at the
/// end or not).
fn is_message(api: &ApiError, expected: ErrorType, message: &str) -> bool {
    let words = |text: &str| text.trim().trim_end_matches('.').to_owned();
    match api {
        ApiError::Service {
            kind,
            message: said,
            ..
        } => *kind == expected && words(said) == words(message),
        _ => false,
    }
}

/// What to pass, when the service refused SECRET_HASH: Cognito's two messages name the
/// client (NotAuthorizedException "Client … is configured with secret but SECRET_HASH
/// was not received", "Unable to verify secret hash for client …").
fn secret_hash_sentence(api: &ApiError, client: ClientContext<'_>) -> Option<&'static str> {
    let not_received = secret_hash_not_received(client.client_id);
    let not_verified = secret_hash_not_verified(client.client_id);
    if is_message(api, ErrorType::NotAuthorized, &not_received)
        || (is_message(api, ErrorType::NotAuthorized, &not_verified) && !client.secret_given)
    {
        Some(CLIENT_SECRET_NEEDED)
    } else if is_message(api, ErrorType::NotAuthorized, &not_verified) {
        Some(CLIENT_SECRET_NOT_VERIFIED)
    } else {
        None
    }
}

/// What a person is told when Cognito has locked the account: that it is locked for a
/// while, and that more failures lock it longer (the lock doubles with each failed try
/// after it, up to about 15 minutes).
pub const LOCKED_OUT: &str = "Too many failed sign-in attempts: this account is locked for a while. Wait a few minutes before trying again; every failed try makes the next lock longer, up to about 15 minutes.";

/// Whether Cognito refused because the user is locked out: NotAuthorizedException with
/// the message "Password attempts exceeded" (with or without a full stop).
fn is_lockout(api: &ApiError) -> bool {
    is_message(api, ErrorType::NotAuthorized, PASSWORD_ATTEMPTS_EXCEEDED)
}

impl From<FlowError> for Problem {
    fn from(error: FlowError) -> Self {
        let kind = match &error {
            FlowError::Api(api) => api.kind().cloned(),
            _ => None,
        };
        let sentence = match &error {
            FlowError::Api(api) if is_lockout(api) => LOCKED_OUT.to_owned(),
            FlowError::Api(api) if kind == Some(ErrorType::EnableSoftwareTokenMfa) => {
                with_service_text(TOTP_CODE_NOT_ACCEPTED, api)
            }
            _ => sentence_case(&error.to_string()),
        };
        Problem { kind, sentence }
    }
}

/// Starts a sentence with a capital letter, as every message on screen does, except a
/// sentence that starts with a URL ("http://127.0.0.1:9229/ did not answer…"): a URL is
/// shown as it is written.
fn sentence_case(text: &str) -> String {
    if starts_with_scheme(text) {
        return text.to_owned();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `text` starts with a URL scheme and `://` (RFC 3986: a letter, then letters,
/// digits, `+`, `-` or `.`).
fn starts_with_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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

    fn not_authorized(message: &str) -> FlowError {
        FlowError::Api(ApiError::Service {
            kind: ErrorType::NotAuthorized,
            message: message.into(),
            status: 400,
            request_id: None,
        })
    }

    #[test]
    fn password_attempts_exceeded_says_the_account_is_locked_and_waiting_helps() {
        for message in ["Password attempts exceeded", "Password attempts exceeded."] {
            let problem = Problem::from(not_authorized(message));
            assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
            assert_eq!(problem.sentence, LOCKED_OUT);
            assert!(problem.sentence.contains("locked for a while"));
            assert!(problem.sentence.contains("longer"));
        }
        // A wrong password, the same error type, keeps Cognito's own words.
        let wrong = Problem::from(not_authorized("Incorrect username or password."));
        assert!(
            wrong
                .sentence
                .starts_with("Incorrect username or password.")
        );
        assert!(!wrong.sentence.contains("locked"));
    }

    #[test]
    fn a_sentence_that_starts_with_a_url_keeps_the_url_as_written() {
        for endpoint in ["http://127.0.0.1:19361/", "https://cognito-idp.example/"] {
            let problem = Problem::from(FlowError::Api(ApiError::Timeout {
                endpoint: endpoint.into(),
            }));
            assert!(
                problem
                    .sentence
                    .starts_with(&format!("{endpoint} did not answer in time")),
                "{}",
                problem.sentence
            );
        }
        // Anything else still starts with a capital, "http" without "://" included.
        assert_eq!(sentence_case("http is down"), "Http is down");
        assert_eq!(sentence_case("a: b://c"), "A: b://c");
        assert_eq!(sentence_case(""), "");
    }

    fn service(kind: ErrorType, message: &str) -> FlowError {
        FlowError::Api(ApiError::Service {
            kind,
            message: message.into(),
            status: 400,
            request_id: None,
        })
    }

    const CLIENT: ClientContext<'static> = ClientContext {
        client_id: "client1",
        secret_given: false,
    };

    #[test]
    fn a_custom_sign_in_the_pool_ended_is_said_without_a_word_about_a_password() {
        let failed = service(ErrorType::NotAuthorized, INCORRECT_USERNAME_OR_PASSWORD);
        assert!(failed.ends_session(Answering::Challenge));
        let problem = failed.into_ended_custom_sign_in();
        assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
        assert_eq!(
            problem.sentence,
            format!("{CUSTOM_SIGN_IN_ENDED} (NotAuthorizedException)")
        );
        assert!(
            !problem.sentence.contains("password"),
            "{}",
            problem.sentence
        );
        // Other words (an expired session) are worth quoting.
        let expired = service(
            ErrorType::NotAuthorized,
            "Invalid session for the user, session is expired.",
        )
        .into_ended_custom_sign_in();
        assert_eq!(
            expired.sentence,
            format!(
                "{CUSTOM_SIGN_IN_ENDED} The pool said: Invalid session for the user, session is expired. (NotAuthorizedException)"
            )
        );
    }

    #[test]
    fn a_wrong_custom_answer_reads_as_a_sentence() {
        let problem = Problem::from(FlowError::CustomAnswerNotAccepted { wrong_answers: 2 });
        assert_eq!(
            problem.sentence,
            "That answer was not accepted: the pool asks the same question again (wrong answers to it so far: 2)"
        );
    }

    #[test]
    fn a_refused_first_authenticator_code_says_to_try_the_next_then_what_the_pool_said() {
        let problem = service(
            ErrorType::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA.",
        )
        .into_problem(CLIENT);
        assert_eq!(problem.kind, Some(ErrorType::EnableSoftwareTokenMfa));
        assert_eq!(
            problem.sentence,
            format!(
                "{TOTP_CODE_NOT_ACCEPTED} The pool said: Code mismatch and fail enable Software Token MFA. (EnableSoftwareTokenMFAException)"
            )
        );
    }

    #[test]
    fn a_refused_secret_hash_says_what_to_pass_then_what_the_pool_said() {
        let missing = service(
            ErrorType::NotAuthorized,
            "Client client1 is configured with secret but SECRET_HASH was not received",
        );
        let problem = missing.into_problem(CLIENT);
        assert_eq!(problem.kind, Some(ErrorType::NotAuthorized));
        assert!(
            problem.sentence.starts_with(CLIENT_SECRET_NEEDED),
            "{}",
            problem.sentence
        );
        assert!(
            problem.sentence.ends_with(
                "The pool said: Client client1 is configured with secret but SECRET_HASH was not received. (NotAuthorizedException)"
            ),
            "{}",
            problem.sentence
        );
        let unverified = || {
            service(
                ErrorType::NotAuthorized,
                "Unable to verify secret hash for client client1",
            )
        };
        // No secret given: pass one; a secret given: it is not this client's.
        assert!(
            unverified()
                .into_problem(CLIENT)
                .sentence
                .starts_with(CLIENT_SECRET_NEEDED)
        );
        let given = ClientContext {
            secret_given: true,
            ..CLIENT
        };
        let problem = unverified().into_problem(given);
        assert!(
            problem.sentence.starts_with(CLIENT_SECRET_NOT_VERIFIED),
            "{}",
            problem.sentence
        );
        assert!(problem.sentence.contains("Unable to verify secret hash"));
        // Another client's words, or a wrong password, keep the pool's own sentence.
        let other = service(
            ErrorType::NotAuthorized,
            "Unable to verify secret hash for client another",
        )
        .into_problem(CLIENT);
        assert!(
            other.sentence.starts_with("Unable to verify"),
            "{}",
            other.sentence
        );
        let wrong =
            service(ErrorType::NotAuthorized, INCORRECT_USERNAME_OR_PASSWORD).into_problem(CLIENT);
        assert_eq!(
            wrong.sentence,
            "Incorrect username or password. (NotAuthorizedException)"
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
        assert!(error.ends_session(Answering::Challenge));
        assert!(!error.ends_session(Answering::Other));
        // The Password step's retry starts a fresh sign-in: it never ends one.
        assert!(!error.ends_session(Answering::Password));
        let problem = error.into_ended_session(ClientContext {
            client_id: "client1",
            secret_given: false,
        });
        assert!(problem.sentence.contains("session is expired"));
        assert!(problem.sentence.ends_with("start it again."));
        let mismatch = FlowError::Api(ApiError::Service {
            kind: ErrorType::CodeMismatch,
            message: "Invalid code received for user".into(),
            status: 400,
            request_id: None,
        });
        assert!(!mismatch.ends_session(Answering::Challenge));
        assert!(!FlowError::NotThisStep.ends_session(Answering::Challenge));
        let wrong_password = FlowError::Api(ApiError::Service {
            kind: ErrorType::NotAuthorized,
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: None,
        });
        assert!(!wrong_password.ends_session(Answering::Password));
    }
}
