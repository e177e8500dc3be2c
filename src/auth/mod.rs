//! The sign-in flow: a tokio task that owns the sign-in. Front ends send it
//! `Command`s and it answers with `Event`s; it calls Cognito and does the SRP itself.

pub mod cache;
pub mod devices;
pub mod error;
pub mod flow;
pub mod passkeys;
pub mod step;
pub mod tokens;
pub mod verify;

pub use flow::{
    AdminSettings, AuthFlow, DEFAULT_SESSION_VALIDITY, DEFAULT_TOTP_ISSUER, FlowSettings,
    RequestOptions, spawn, spawn_signed_in,
};
pub use step::{
    AccountAction, Answer, AuthenticatorKind, CodeKind, CodeLength, CodeMedium, CodePrompt,
    Command, ContactDetail, ContactKind, Enrolment, Event, Factor, FirstFactor, KeyPinPrompt,
    MfaKind, Note, PasskeyAuthenticator, PasskeyEntry, PasskeyPrompt, Problem, Security, Step,
};
pub use tokens::Tokens;

use tokio::sync::mpsc;

/// A front end's ends of the two channels to the auth task.
#[derive(Debug)]
pub struct FrontEndChannels {
    pub commands: mpsc::Sender<Command>,
    pub events: mpsc::Receiver<Event>,
}

/// How a front end finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Signed in; the caller prints tokens if asked to.
    SignedIn(Box<Tokens>),
    /// The person quit (Esc, Ctrl-C, end of input).
    Quit,
    /// The sign-in ended in a problem the person could not fix here.
    Failed(Problem),
}

/// What every front end shows about where it signs in (title bar, notes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    /// "us-east-1_AbC · client 1example" or similar.
    pub title: String,
    /// The endpoint URL requests go to.
    pub endpoint: String,
    /// Extra lines for the sign-in screen (the demo users, for instance).
    pub notes: Vec<String>,
    /// The same in fewer lines, for a screen too small for `notes`.
    pub short_notes: Vec<String>,
}
