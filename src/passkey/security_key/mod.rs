//! A FIDO2 security key as the passkey's authenticator (CTAP2 over USB, through Mozilla's
//! `authenticator` crate, Firefox's own). The console is WebAuthn's client: it writes
//! clientDataJSON itself (with the origin `passkey::origin_for` derives), hands the key
//! its hash, and turns what the key returns into WebAuthn's JSON forms.
//!
//! A ceremony runs on the crate's threads; the auth flow follows it through
//! [`KeyCeremony::next`]: "touch your key", "touch the key you want" (several keys), a
//! PIN to give (with the retries left), then the answer or a [`SecurityKeyError`] that
//! says what to do. Built without the `security-key` feature, every ceremony fails with
//! [`SecurityKeyError::NotBuilt`].

mod error;
mod presence;

#[cfg(feature = "security-key")]
mod ctap;

#[cfg(feature = "security-key")]
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};

use crate::cognito::webauthn::{
    AuthenticationResponse, CreationOptions, RegistrationResponse, RequestOptions,
};
use crate::sensitive::SensitiveString;

#[cfg(feature = "security-key")]
pub use ctap::KeyTransport;
pub use error::SecurityKeyError;
pub use presence::fido_device_plugged_in;

/// How long the console waits for a key to be plugged in, touched, or to answer: the
/// server's own timeout when the options give one, else two minutes (within Cognito's
/// shortest challenge Session of three).
pub const DEFAULT_TIMEOUT_MS: u64 = 120_000;

/// Where the console finds security keys: the machine's USB keys, or (in tests) a key
/// whose exchanges are scripted.
#[derive(Clone)]
pub struct SecurityKeys {
    #[cfg(feature = "security-key")]
    transport: Option<Arc<dyn Fn() -> Box<KeyTransport> + Send + Sync>>,
    /// No key at all: nothing is plugged in and every ceremony finds none.
    none: bool,
}

impl std::fmt::Debug for SecurityKeys {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(if self.none {
            "SecurityKeys(none)"
        } else if self.is_scripted() {
            "SecurityKeys(scripted)"
        } else {
            "SecurityKeys(usb)"
        })
    }
}

impl Default for SecurityKeys {
    fn default() -> Self {
        Self::usb()
    }
}

impl SecurityKeys {
    /// The security keys plugged into this machine.
    pub fn usb() -> Self {
        Self {
            #[cfg(feature = "security-key")]
            transport: None,
            none: false,
        }
    }

    /// No security key, whatever is plugged in: for runs that must not depend on the
    /// machine's USB ports (tests).
    pub fn none() -> Self {
        Self {
            #[cfg(feature = "security-key")]
            transport: None,
            none: true,
        }
    }

    /// A key that is not on USB: each ceremony gets a fresh transport from `make`
    /// (tests give one that plays a key's side of the exchanges).
    #[cfg(feature = "security-key")]
    pub fn with_transport(make: impl Fn() -> Box<KeyTransport> + Send + Sync + 'static) -> Self {
        Self {
            transport: Some(Arc::new(make)),
            none: false,
        }
    }

    fn is_scripted(&self) -> bool {
        #[cfg(feature = "security-key")]
        return self.transport.is_some();
        #[cfg(not(feature = "security-key"))]
        return false;
    }

    /// Whether a security key is plugged in: `Some(false)` when none is, `None` when
    /// this system cannot tell (then the person is asked). Always `Some(false)` in a
    /// build without the `security-key` feature.
    pub fn plugged_in(&self) -> Option<bool> {
        if self.none || !cfg!(feature = "security-key") {
            return Some(false);
        }
        if self.is_scripted() {
            return Some(true);
        }
        fido_device_plugged_in()
    }

    /// Starts a sign-in on the key (authenticatorGetAssertion) for these options, as
    /// `origin`. The key's events and its answer come through the ceremony.
    pub fn sign(
        &self,
        options: &RequestOptions,
        origin: &str,
    ) -> Result<KeyCeremony<AuthenticationResponse>, SecurityKeyError> {
        self.check_plugged_in()?;
        #[cfg(feature = "security-key")]
        return ctap::sign(self.service()?, options, origin);
        #[cfg(not(feature = "security-key"))]
        {
            let _ = (options, origin);
            Err(SecurityKeyError::NotBuilt)
        }
    }

    /// Starts an enrolment on the key (authenticatorMakeCredential) for these options,
    /// as `origin`.
    pub fn register(
        &self,
        options: &CreationOptions,
        origin: &str,
    ) -> Result<KeyCeremony<RegistrationResponse>, SecurityKeyError> {
        self.check_plugged_in()?;
        #[cfg(feature = "security-key")]
        return ctap::register(self.service()?, options, origin);
        #[cfg(not(feature = "security-key"))]
        {
            let _ = (options, origin);
            Err(SecurityKeyError::NotBuilt)
        }
    }

    /// A ceremony with no key plugged in would only wait for one until it times out:
    /// say at once that there is none (where the system can tell). A build without the
    /// feature says that instead.
    fn check_plugged_in(&self) -> Result<(), SecurityKeyError> {
        if !cfg!(feature = "security-key") {
            return Err(SecurityKeyError::NotBuilt);
        }
        match self.plugged_in() {
            Some(false) => Err(SecurityKeyError::NoKey),
            _ => Ok(()),
        }
    }

    #[cfg(feature = "security-key")]
    fn service(
        &self,
    ) -> Result<authenticator::authenticatorservice::AuthenticatorService, SecurityKeyError> {
        let mut service = authenticator::authenticatorservice::AuthenticatorService::new()
            .map_err(|error| SecurityKeyError::Other(error.to_string()))?;
        match &self.transport {
            Some(make) => service.add_transport(make()),
            None => service.add_detected_transports(),
        }
        Ok(service)
    }
}

/// What the key asks of the person, or how the ceremony ended.
#[derive(Debug)]
pub enum KeyEvent<T> {
    /// The key waits for a touch.
    Touch,
    /// Several keys are plugged in: the one touched is used.
    ChooseKey,
    /// The key wants its PIN ([`KeyCeremony::give_pin`]).
    Pin(PinRequest),
    /// The key's fingerprint reader did not recognise the finger; it asks again.
    NotRecognised { retries: Option<u8> },
    /// The key answered.
    Done(Box<T>),
    /// The ceremony ended without an answer.
    Failed(SecurityKeyError),
}

impl<T> KeyEvent<T> {
    /// What to tell the person while the key waits for them, for the events that only
    /// need a touch (the console's spinner line, or a line on stderr).
    pub fn progress(&self) -> Option<String> {
        match self {
            Self::Touch => Some("Touch your security key.".to_owned()),
            Self::ChooseKey => {
                Some("Several security keys are plugged in: touch the one to use.".to_owned())
            }
            Self::NotRecognised { retries } => Some(format!(
                "The security key did not recognise your fingerprint{}: touch it again.",
                match retries {
                    Some(1) => " (1 try left)".to_owned(),
                    Some(retries) => format!(" ({retries} tries left)"),
                    None => String::new(),
                }
            )),
            Self::Pin(_) | Self::Done(_) | Self::Failed(_) => None,
        }
    }
}

/// A key asking for its PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinRequest {
    /// True when the PIN just given was wrong.
    pub wrong: bool,
    /// How many tries the key has left before it blocks its PIN, when it said.
    pub retries: Option<u8>,
}

/// One ceremony on the key, running on the crate's threads until it ends or this is
/// dropped (which cancels it, so the key stops blinking).
pub struct KeyCeremony<T> {
    events: Mutex<mpsc::UnboundedReceiver<KeyEvent<T>>>,
    pin: Box<dyn Fn(String) -> bool + Send + Sync>,
    cancel: std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl<T> std::fmt::Debug for KeyCeremony<T> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("KeyCeremony")
    }
}

impl<T> KeyCeremony<T> {
    /// The ceremony's next event. After `Done` or `Failed` every call says the ceremony
    /// ended.
    pub async fn next(&self) -> KeyEvent<T> {
        let mut events = self.events.lock().await;
        events
            .recv()
            .await
            .unwrap_or(KeyEvent::Failed(SecurityKeyError::Ended))
    }

    /// Gives the key the PIN it asked for. The PIN goes only to the key (the crate
    /// hashes it into CTAP2's PIN protocol); it is never kept here.
    pub fn give_pin(&self, pin: &SensitiveString) -> Result<(), SecurityKeyError> {
        if pin.expose().is_empty() {
            return Err(SecurityKeyError::EmptyPin);
        }
        if (self.pin)(pin.expose().clone()) {
            Ok(())
        } else {
            Err(SecurityKeyError::Ended)
        }
    }
}

impl<T> Drop for KeyCeremony<T> {
    fn drop(&mut self) {
        let cancel = self
            .cancel
            .get_mut()
            .map(Option::take)
            .unwrap_or_else(|poisoned| poisoned.into_inner().take());
        if let Some(cancel) = cancel {
            cancel();
        }
    }
}

/// Shared by the ceremonies: a ceremony over `events`, `pin` and `cancel`.
#[cfg_attr(not(feature = "security-key"), allow(dead_code))]
fn ceremony<T>(
    events: mpsc::UnboundedReceiver<KeyEvent<T>>,
    pin: impl Fn(String) -> bool + Send + Sync + 'static,
    cancel: impl FnOnce() + Send + 'static,
) -> KeyCeremony<T> {
    KeyCeremony {
        events: Mutex::new(events),
        pin: Box::new(pin),
        cancel: std::sync::Mutex::new(Some(Box::new(cancel))),
    }
}

#[cfg(test)]
mod tests {
    //! Without a key to use, a ceremony says so at once instead of waiting for one.

    use super::*;
    use crate::cognito::webauthn::RequestOptions;

    fn options() -> RequestOptions {
        RequestOptions {
            challenge: "Y2hhbGxlbmdl".to_owned(),
            timeout: None,
            rp_id: Some("localhost".to_owned()),
            allow_credentials: Vec::new(),
            user_verification: None,
            extensions: None,
        }
    }

    #[test]
    fn with_no_key_a_ceremony_fails_at_once_saying_why() {
        let keys = SecurityKeys::none();
        assert_eq!(keys.plugged_in(), Some(false));
        let expected = if cfg!(feature = "security-key") {
            SecurityKeyError::NoKey
        } else {
            SecurityKeyError::NotBuilt
        };
        assert_eq!(
            keys.sign(&options(), "https://localhost").err(),
            Some(expected)
        );
        assert_eq!(format!("{keys:?}"), "SecurityKeys(none)");
    }

    #[test]
    fn what_the_key_wants_is_said_and_nothing_else() {
        assert_eq!(
            KeyEvent::<()>::Touch.progress().as_deref(),
            Some("Touch your security key.")
        );
        assert_eq!(
            KeyEvent::<()>::NotRecognised { retries: Some(2) }
                .progress()
                .as_deref(),
            Some(
                "The security key did not recognise your fingerprint (2 tries left): touch it again."
            )
        );
        assert!(
            KeyEvent::<()>::Pin(PinRequest {
                wrong: false,
                retries: None
            })
            .progress()
            .is_none()
        );
    }
}
