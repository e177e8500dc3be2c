//! The one contract between the auth task and the front ends: a `Step` says what the
//! person must do next, an `Answer` is what they gave. Front ends send `Command`s and
//! receive `Event`s over tokio channels; neither side ever awaits the other's I/O.

use crate::auth::tokens::Tokens;
use crate::sensitive::SensitiveString;

/// What the person must do next. Each variant has a screen in both front ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Username and password. `username` pre-fills the field (kept after an error or a restart).
    SignIn { username: String },
    /// Signed in: the tokens Cognito issued.
    SignedIn { tokens: Box<Tokens> },
    /// Cognito asked for a challenge this version cannot answer yet.
    Unsupported { challenge: String },
    /// The sign-in cannot go on; the person may start again.
    Failed { problem: Problem },
}

/// What the person gave in answer to the current `Step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The sign-in form.
    SignIn {
        username: String,
        password: SensitiveString,
    },
}

/// From a front end to the auth task. Dropping the sender ends the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The person answered the current step.
    Answer(Answer),
    /// Throw away the sign-in in progress and start a fresh one, keeping this username.
    Restart { username: String },
}

/// From the auth task to a front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Show this step (the previous one is done).
    Step(Step),
    /// A call is in flight: show a spinner, do not accept another answer.
    Busy,
    /// The call finished (a `Step` or an `Error` follows or has followed).
    Idle,
    /// The answer was refused: stay on the same step and show this.
    Error(Problem),
}

/// Something that went wrong, already turned into a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The server's error type when there is one (`NotAuthorizedException`), for logic and tests.
    pub kind: Option<String>,
    /// What to show the person.
    pub sentence: String,
}

impl Problem {
    /// A problem with no server error type behind it.
    pub fn sentence(sentence: impl Into<String>) -> Self {
        Self {
            kind: None,
            sentence: sentence.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence)
    }
}
