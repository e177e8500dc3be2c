//! The wire panel's feed: the wire client's two trace events per call (`call`, and at
//! the most detailed level `parameters`; see `cognito::trace_call`) turned back into
//! values the console can show. The panel is drawn from the same events as the debug
//! trace, so it cannot show anything the trace would not: names, and values only where
//! they are not secret.

use std::fmt::Debug;
use std::sync::OnceLock;

use tokio::sync::broadcast;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::Context;

use crate::cognito::{WIRE, wire_summary};

/// How many events the feed holds for a console that has not read them yet.
const CAPACITY: usize = 256;

/// One call as the `call` event says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireCall {
    /// The process's number for the call, shared with its `parameters` event.
    pub call: u64,
    /// `InitiateAuth`, `RespondToAuthChallenge`, …
    pub operation: String,
    /// The HTTP status; `None` when no answer came (see `failed`).
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// The challenge the answer names (`PASSWORD_VERIFIER`).
    pub challenge: Option<String>,
    /// The error type of a refusal (`NotAuthorizedException`).
    pub error_type: Option<String>,
    /// Why no answer came (unreachable, timed out), as the error says it.
    pub failed: Option<String>,
}

/// What the feed carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireEvent {
    /// A call ended.
    Call(WireCall),
    /// What that call sent and received, one line per parameter (`wire_summary`).
    Parameters {
        call: u64,
        sent: Vec<String>,
        received: Vec<String>,
    },
}

/// The console's end of the feed.
pub type WireFeed = broadcast::Receiver<WireEvent>;

/// The feed's sending end, once the layer is installed.
static SENDER: OnceLock<broadcast::Sender<WireEvent>> = OnceLock::new();

/// A new reader of this process's calls, from now on; `None` when no wire layer was
/// installed (plain commands, or a second subscriber in tests).
pub fn subscribe() -> Option<WireFeed> {
    SENDER.get().map(broadcast::Sender::subscribe)
}

/// The layer that feeds the wire panel, for this process's subscriber: it takes the
/// wire target's events at every level, whatever the debug trace's own filter.
pub fn layer<S>() -> Filtered<WireLayer, Targets, S>
where
    S: Subscriber + for<'lookup> tracing_subscriber::registry::LookupSpan<'lookup>,
{
    let sender = SENDER
        .get_or_init(|| broadcast::channel(CAPACITY).0)
        .clone();
    WireLayer::new(sender).with_filter(Targets::new().with_target(WIRE, Level::TRACE))
}

/// Turns the wire target's events into [`WireEvent`]s on a channel.
#[derive(Debug, Clone)]
pub struct WireLayer {
    sender: broadcast::Sender<WireEvent>,
}

impl WireLayer {
    /// A layer sending to `sender` (tests give their own channel).
    pub fn new(sender: broadcast::Sender<WireEvent>) -> Self {
        Self { sender }
    }
}

impl<S: Subscriber> Layer<S> for WireLayer {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(wire_event) = fields.into_event() {
            // No reader (the console has not started, or has gone): nothing to keep.
            let _ = self.sender.send(wire_event);
        }
    }
}

/// The fields of one wire event, as recorded.
#[derive(Debug, Default)]
struct Fields {
    message: String,
    call: Option<u64>,
    operation: String,
    status: Option<u16>,
    duration_ms: u64,
    challenge: Option<String>,
    error_type: Option<String>,
    failed: Option<String>,
    sent: Option<String>,
    received: Option<String>,
}

impl Fields {
    /// The event these fields make, if they are a `call` or `parameters` event.
    fn into_event(self) -> Option<WireEvent> {
        let call = self.call?;
        match self.message.as_str() {
            "call" => Some(WireEvent::Call(WireCall {
                call,
                operation: self.operation,
                status: self.status,
                duration_ms: self.duration_ms,
                challenge: self.challenge,
                error_type: self.error_type,
                failed: self.failed,
            })),
            "parameters" => Some(WireEvent::Parameters {
                call,
                sent: wire_summary::split(self.sent.as_deref().unwrap_or_default()),
                received: wire_summary::split(self.received.as_deref().unwrap_or_default()),
            }),
            _ => None,
        }
    }

    /// Keeps a text field; "-" is the trace's word for "none".
    fn keep(&mut self, name: &str, value: String) {
        let some = (value != "-").then_some(value);
        match name {
            "message" => self.message = some.unwrap_or_default(),
            "operation" => self.operation = some.unwrap_or_default(),
            "challenge" => self.challenge = some,
            "error_type" => self.error_type = some,
            "failed" => self.failed = some,
            "sent" => self.sent = some,
            "received" => self.received = some,
            _ => {}
        }
    }
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "call" => self.call = Some(value),
            "status" => self.status = u16::try_from(value).ok(),
            "duration_ms" => self.duration_ms = value,
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.keep(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        // `%value` fields (failed, sent, received) and the message arrive here.
        self.keep(field.name(), format!("{value:?}"));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    //! The layer reads the wire client's events back into values, and ignores the rest.

    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    #[test]
    fn call_and_parameters_events_become_wire_events() {
        let (sender, mut feed) = broadcast::channel(8);
        let subscriber = tracing_subscriber::registry().with(
            WireLayer::new(sender).with_filter(Targets::new().with_target(WIRE, Level::TRACE)),
        );
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(target: WIRE, call = 7_u64, operation = "InitiateAuth", status = 200_u16,
                duration_ms = 41_u64, challenge = "PASSWORD_VERIFIER", error_type = "-", "call");
            tracing::trace!(target: WIRE, call = 7_u64, operation = "InitiateAuth",
                sent = %"AuthFlow=USER_SRP_AUTH, AuthParameters.SRP_A: 768 hex",
                received = %"", "parameters");
            tracing::debug!(target: WIRE, call = 8_u64, operation = "GetUser", duration_ms = 3_u64,
                failed = %"could not reach http://127.0.0.1:9", "call");
            tracing::debug!(target: "cognito_signin::flow", call = 9_u64, "call");
        });
        assert_eq!(
            feed.try_recv().unwrap(),
            WireEvent::Call(WireCall {
                call: 7,
                operation: "InitiateAuth".into(),
                status: Some(200),
                duration_ms: 41,
                challenge: Some("PASSWORD_VERIFIER".into()),
                error_type: None,
                failed: None,
            })
        );
        assert_eq!(
            feed.try_recv().unwrap(),
            WireEvent::Parameters {
                call: 7,
                sent: vec![
                    "AuthFlow=USER_SRP_AUTH".into(),
                    "AuthParameters.SRP_A: 768 hex".into()
                ],
                received: vec![],
            }
        );
        let WireEvent::Call(failed) = feed.try_recv().unwrap() else {
            panic!("a call")
        };
        assert_eq!(failed.status, None);
        assert_eq!(
            failed.failed.as_deref(),
            Some("could not reach http://127.0.0.1:9")
        );
        // Other targets never reach the feed.
        assert!(feed.try_recv().is_err());
    }
}
