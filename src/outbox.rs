//! What a local pool "sent": the text messages and e-mails carrying codes. The pool
//! publishes each one; the demo's front ends show them, and tests read them.

use tokio::sync::broadcast;

/// How a message was "sent".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Sms,
    Email,
}

impl Medium {
    /// `SMS` or `EMAIL`, as CODE_DELIVERY_DELIVERY_MEDIUM spells it.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Email => "EMAIL",
        }
    }
}

/// One message in the outbox. Its text holds a code, so Debug leaves it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    pub medium: Medium,
    /// The user it was for.
    pub username: String,
    /// The full phone number or address (the local pool is the only reader).
    pub destination: String,
    /// The message, code included.
    pub text: String,
    /// The code alone, for tests and for the demo's panel.
    pub code: String,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("medium", &self.medium)
            .field("username", &self.username)
            .field("destination", &self.destination)
            .finish_non_exhaustive()
    }
}

/// A front end's view of the outbox: every message sent from now on.
pub type OutboxFeed = broadcast::Receiver<Delivery>;
