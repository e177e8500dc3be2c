//! Why a security key gave no answer, as a sentence that says what to do next. No
//! message carries a PIN, a challenge or anything the key signed.

/// Why a security-key ceremony ended without an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityKeyError {
    /// The binary was built without the `security-key` feature.
    #[error(
        "this cognito-signin was built without security-key support (cargo feature `security-key`); use the software passkey (--authenticator software)"
    )]
    NotBuilt,
    /// No key was plugged in before the time ran out.
    #[error("no security key was found: plug one in, then try again")]
    NoKey,
    /// A key was there but was not touched (or did not answer) in time.
    #[error("the security key was not touched in time: try again, and touch it when it blinks")]
    TimedOut,
    /// Sign-in: the key holds none of the account's credentials (CTAP2_ERR_NO_CREDENTIALS).
    #[error(
        "this security key holds no passkey for this account on {relying_party}: try another key, or sign in another way"
    )]
    NoCredential { relying_party: String },
    /// Enrolment: the key already holds one of the account's passkeys (CTAP2_ERR_CREDENTIAL_EXCLUDED).
    #[error("this security key already holds a passkey for this account: use another key")]
    AlreadyRegistered,
    /// The PIN was given empty.
    #[error("enter the security key's PIN")]
    EmptyPin,
    /// Three wrong PINs since the key was plugged in (CTAP2_ERR_PIN_AUTH_BLOCKED).
    #[error("three wrong PINs in a row: unplug the security key, plug it back in, and try again")]
    PinAuthBlocked,
    /// Eight wrong PINs in all (CTAP2_ERR_PIN_BLOCKED): only a reset, which deletes the
    /// key's passkeys, unblocks it.
    #[error(
        "the security key's PIN is blocked after too many wrong tries; only resetting the key (which deletes every passkey on it) unblocks it"
    )]
    PinBlocked,
    /// The pool requires user verification and the key has no PIN set.
    #[error(
        "this security key has no PIN, and this pool requires one: set a PIN on the key first (for example `ykman fido access change-pin`), then try again"
    )]
    PinNotSet,
    /// The key's fingerprint reader is blocked.
    #[error(
        "the security key's fingerprint check is blocked after too many tries: give its PIN instead, or unplug it and plug it back in"
    )]
    UvBlocked,
    /// The PIN was refused as too short or too long.
    #[error("the security key refused the PIN's length: PINs are 4 to 63 characters")]
    PinLength,
    /// The key stopped answering mid-way: most often, it was removed.
    #[error(
        "the security key stopped answering (was it removed?): plug it back in, then try again"
    )]
    Removed,
    /// The server's options ask for nothing the key can do.
    #[error("the server's passkey options cannot be used with a security key: {0}")]
    Options(String),
    /// The ceremony was cancelled, or ended before this was asked of it.
    #[error("the security key's ceremony ended; try again")]
    Ended,
    /// Anything else the key or the system reported.
    #[error("the security key failed: {0}")]
    Other(String),
}
