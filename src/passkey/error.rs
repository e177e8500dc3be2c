//! Why the software passkey could not act, as a sentence for the person at the terminal.
//! No message quotes a key file's content or any key.

use std::path::PathBuf;

/// Why a software passkey could not be made, used, listed or forgotten.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// No XDG data directory (neither XDG_DATA_HOME nor HOME).
    #[error("there is no data directory for software passkeys (set XDG_DATA_HOME or HOME)")]
    NoDataDir,
    /// The options name no relying party, and the origin gives none either.
    #[error(
        "the server's passkey options name no relying party ID, so the software passkey cannot tell which site the key is for"
    )]
    NoRelyingParty,
    /// Sign-in: none of the account's passkeys is held on this machine.
    #[error(
        "this machine holds no passkey for this account on {rp_id}; sign in another way, or use the security key that holds it"
    )]
    NoKeyForAccount { rp_id: String },
    /// Sign-in without a list of the account's credentials, and several are held.
    #[error(
        "this machine holds {count} passkeys for {rp_id} and the server did not say which account's to use; forget the ones you no longer need"
    )]
    SeveralKeys { rp_id: String, count: usize },
    /// Registration: the server accepts no key type the software passkey makes (ES256).
    #[error(
        "the server asked for a key type the software passkey cannot make (COSE algorithms {offered:?}; it makes only ES256, -7)"
    )]
    UnsupportedAlgorithm { offered: Vec<i64> },
    /// Registration: this machine already holds one of the account's passkeys (WebAuthn's
    /// InvalidStateError).
    #[error(
        "this passkey is already registered: this machine already holds a passkey of this account for {rp_id}"
    )]
    AlreadyRegistered { rp_id: String },
    /// A key file that cannot be used.
    #[error(
        "the passkey file {} is broken ({detail}); delete it, and delete the passkey from the account too (it can no longer sign in)",
        path.display()
    )]
    Broken { path: PathBuf, detail: String },
    /// Reading, writing, listing or deleting failed.
    #[error("could not {action} the passkey file {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The system's cryptography failed (no randomness, …), or an encoding it feeds did.
    #[error("the software passkey could not {action}")]
    Crypto { action: &'static str },
}
