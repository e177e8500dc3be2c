//! The ceremonies on Mozilla's `authenticator` crate: WebAuthn's options become its
//! RegisterArgs / SignArgs, its status updates become [`KeyEvent`]s, and its results
//! become WebAuthn's JSON forms.

use std::sync::mpsc::{RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};

use authenticator::authenticatorservice::{AuthenticatorService, RegisterArgs, SignArgs};
use authenticator::crypto::COSEAlgorithm;
use authenticator::ctap2::server::{
    AuthenticationExtensionsClientInputs, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialUserEntity, RelyingParty,
    ResidentKeyRequirement, Transport, UserVerificationRequirement,
};
use authenticator::errors::{AuthenticatorError, HIDError, U2FTokenError};
use authenticator::statecallback::StateCallback;
use authenticator::{Pin, PinError, StatusPinUv, StatusUpdate};
use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::{DEFAULT_TIMEOUT_MS, KeyCeremony, KeyEvent, PinRequest, SecurityKeyError, ceremony};
use crate::cognito::webauthn::{
    AssertionResponse, AttestationResponse, AuthenticationResponse, CreationOptions,
    CredentialDescriptor, PUBLIC_KEY, RegistrationResponse, RequestOptions,
};
use crate::passkey::{BASE64URL, Ceremony, client_data_json};

/// What a key is reached through: the crate's USB transport, or a scripted one in tests
/// (the crate's own extension point, `AuthenticatorService::add_transport`).
pub type KeyTransport = dyn authenticator::authenticatorservice::AuthenticatorTransport + Send;

/// `navigator.credentials.get` on the key.
pub(super) fn sign(
    mut service: AuthenticatorService,
    options: &RequestOptions,
    origin: &str,
) -> Result<KeyCeremony<AuthenticationResponse>, SecurityKeyError> {
    let relying_party = options
        .rp_id
        .clone()
        .ok_or_else(|| SecurityKeyError::Options("they name no relying party ID".to_owned()))?;
    let client_data = client_data_json(Ceremony::Get, &options.challenge, origin);
    let allow_list = descriptors(&options.allow_credentials)?;
    // With one allowed credential and a CTAP2.0 key, the assertion may not name it.
    let only_credential = match allow_list.as_slice() {
        [only] => Some(only.id.clone()),
        _ => None,
    };
    let args = SignArgs {
        client_data_hash: Sha256::digest(&client_data).into(),
        origin: origin.to_owned(),
        relying_party_id: relying_party.clone(),
        allow_list,
        user_verification_req: user_verification(options.user_verification.as_deref()),
        user_presence_req: true,
        extensions: AuthenticationExtensionsClientInputs::default(),
        pin: None,
        use_ctap1_fallback: false,
    };
    let Channels {
        events,
        status,
        pin,
        done,
    } = channels::<AuthenticationResponse>();
    let callback = finish(
        done,
        relying_party,
        move |signed: authenticator::SignResult| assertion(signed, &client_data, only_credential),
    );
    let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT_MS);
    service
        .sign(timeout, args, status, callback)
        .map_err(|error| failure(error, ""))?;
    Ok(started(service, events, pin))
}

/// `navigator.credentials.create` on the key.
pub(super) fn register(
    mut service: AuthenticatorService,
    options: &CreationOptions,
    origin: &str,
) -> Result<KeyCeremony<RegistrationResponse>, SecurityKeyError> {
    let relying_party = options
        .rp
        .id
        .clone()
        .ok_or_else(|| SecurityKeyError::Options("they name no relying party ID".to_owned()))?;
    let pub_cred_params: Vec<PublicKeyCredentialParameters> = options
        .pub_key_cred_params
        .iter()
        .filter(|parameters| parameters.kind == PUBLIC_KEY)
        .filter_map(|parameters| COSEAlgorithm::try_from(parameters.alg).ok())
        .map(|alg| PublicKeyCredentialParameters { alg })
        .collect();
    if pub_cred_params.is_empty() {
        return Err(SecurityKeyError::Options(
            "they offer no key type a security key makes".to_owned(),
        ));
    }
    let user_id = BASE64URL
        .decode(&options.user.id)
        .map_err(|_| SecurityKeyError::Options("the user handle is not base64url".to_owned()))?;
    let selection = options.authenticator_selection.as_ref();
    let resident_key = match selection.and_then(|selection| selection.resident_key.as_deref()) {
        Some("required") => ResidentKeyRequirement::Required,
        Some("preferred") => ResidentKeyRequirement::Preferred,
        Some(_) => ResidentKeyRequirement::Discouraged,
        None if selection.and_then(|selection| selection.require_resident_key) == Some(true) => {
            ResidentKeyRequirement::Required
        }
        None => ResidentKeyRequirement::Discouraged,
    };
    let client_data = client_data_json(Ceremony::Create, &options.challenge, origin);
    let args = RegisterArgs {
        client_data_hash: Sha256::digest(&client_data).into(),
        relying_party: RelyingParty {
            id: relying_party.clone(),
            name: Some(options.rp.name.clone()),
        },
        origin: origin.to_owned(),
        user: PublicKeyCredentialUserEntity {
            id: user_id,
            name: Some(options.user.name.clone()),
            display_name: Some(options.user.display_name.clone()),
        },
        pub_cred_params,
        exclude_list: descriptors(&options.exclude_credentials)?,
        user_verification_req: user_verification(
            selection.and_then(|selection| selection.user_verification.as_deref()),
        ),
        resident_key_req: resident_key,
        extensions: AuthenticationExtensionsClientInputs::default(),
        pin: None,
        use_ctap1_fallback: false,
    };
    let Channels {
        events,
        status,
        pin,
        done,
    } = channels::<RegistrationResponse>();
    let callback = finish(
        done,
        relying_party,
        move |made: authenticator::RegisterResult| registration(made, &client_data),
    );
    let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT_MS);
    service
        .register(timeout, args, status, callback)
        .map_err(|error| failure(error, ""))?;
    Ok(started(service, events, pin))
}

/// The crate's final callback: its result, turned into the answer by `answer`, or its
/// error as a sentence, goes to the ceremony's forwarding thread.
fn finish<R: 'static, T: Send + 'static>(
    done: Sender<KeyEvent<T>>,
    relying_party: String,
    answer: impl FnOnce(R) -> Result<T, SecurityKeyError> + Send + 'static,
) -> StateCallback<authenticator::Result<R>> {
    StateCallback::new(Box::new(move |result: authenticator::Result<R>| {
        let event = match result.map_err(|error| failure(error, &relying_party)) {
            Ok(made) => answer(made)
                .map_or_else(KeyEvent::Failed, |answer| KeyEvent::Done(Box::new(answer))),
            Err(error) => KeyEvent::Failed(error),
        };
        let _ = done.send(event);
    }))
}

/// AuthenticationResponseJSON from the key's assertion: the credential it names (a
/// CTAP2.0 key may name none when only one was allowed), its authenticatorData and
/// signature, and the user handle when it gave one.
fn assertion(
    signed: authenticator::SignResult,
    client_data: &[u8],
    only_credential: Option<Vec<u8>>,
) -> Result<AuthenticationResponse, SecurityKeyError> {
    let assertion = signed.assertion;
    let id = assertion
        .credentials
        .map(|credential| credential.id)
        .or(only_credential)
        .ok_or_else(|| {
            SecurityKeyError::Other("the key's assertion names no credential".to_owned())
        })?;
    Ok(AuthenticationResponse {
        id: BASE64URL.encode(&id),
        raw_id: BASE64URL.encode(&id),
        response: AssertionResponse {
            client_data_json: BASE64URL.encode(client_data),
            authenticator_data: BASE64URL.encode(assertion.auth_data.to_vec()),
            signature: BASE64URL.encode(&assertion.signature),
            user_handle: assertion.user.map(|user| BASE64URL.encode(&user.id)),
        },
        authenticator_attachment: Some("cross-platform".to_owned()),
        client_extension_results: serde_json::json!({}),
        kind: PUBLIC_KEY.to_owned(),
    })
}

/// RegistrationResponseJSON from the key's attestation object: the credential id from
/// its attested credential data, the object itself as CBOR (WebAuthn §6.5.4).
fn registration(
    made: authenticator::RegisterResult,
    client_data: &[u8],
) -> Result<RegistrationResponse, SecurityKeyError> {
    let attestation = made.att_obj;
    let credential_id = attestation
        .auth_data
        .credential_data
        .as_ref()
        .map(|data| data.credential_id.clone())
        .ok_or_else(|| {
            SecurityKeyError::Other("the key's answer holds no new credential".to_owned())
        })?;
    let mut object = Vec::new();
    ciborium::into_writer(&attestation, &mut object).map_err(|error| {
        SecurityKeyError::Other(format!("its attestation could not be written: {error}"))
    })?;
    Ok(RegistrationResponse {
        id: BASE64URL.encode(&credential_id),
        raw_id: BASE64URL.encode(&credential_id),
        response: AttestationResponse {
            client_data_json: BASE64URL.encode(client_data),
            attestation_object: BASE64URL.encode(&object),
            transports: Some(vec!["usb".to_owned()]),
            authenticator_data: Some(BASE64URL.encode(attestation.auth_data.to_vec())),
            public_key: None,
            public_key_algorithm: None,
        },
        authenticator_attachment: Some("cross-platform".to_owned()),
        client_extension_results: serde_json::json!({}),
        kind: PUBLIC_KEY.to_owned(),
    })
}

/// WebAuthn's credential descriptors as CTAP2's; ids are base64url.
fn descriptors(
    credentials: &[CredentialDescriptor],
) -> Result<Vec<PublicKeyCredentialDescriptor>, SecurityKeyError> {
    credentials
        .iter()
        .filter(|credential| credential.kind == PUBLIC_KEY)
        .map(|credential| {
            let id = BASE64URL.decode(&credential.id).map_err(|_| {
                SecurityKeyError::Options("a credential id is not base64url".to_owned())
            })?;
            let transports = credential
                .transports
                .iter()
                .flatten()
                .filter_map(|transport| match transport.as_str() {
                    "usb" => Some(Transport::USB),
                    "nfc" => Some(Transport::NFC),
                    "ble" => Some(Transport::BLE),
                    "internal" => Some(Transport::Internal),
                    _ => None,
                })
                .collect();
            Ok(PublicKeyCredentialDescriptor { id, transports })
        })
        .collect()
}

/// WebAuthn's userVerification; "preferred" when absent, as WebAuthn defaults it.
fn user_verification(requirement: Option<&str>) -> UserVerificationRequirement {
    match requirement {
        Some("required") => UserVerificationRequirement::Required,
        Some("discouraged") => UserVerificationRequirement::Discouraged,
        _ => UserVerificationRequirement::Preferred,
    }
}

/// Where the PIN goes: the crate hands a fresh sender with every PIN request.
type PinSlot = Arc<Mutex<Option<Sender<Pin>>>>;

/// How often the forwarding thread looks for the ceremony's end between status updates.
const POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// A ceremony's channels (see [`Channels`]). One thread forwards both into the event channel, in
/// the order the key's thread sent them: the end is forwarded only after every status
/// update sent before it ("touch your key" never arrives after the answer).
fn channels<T: Send + 'static>() -> Channels<T> {
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let (status_tx, status_rx) = std::sync::mpsc::channel::<StatusUpdate>();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<KeyEvent<T>>();
    let pin: PinSlot = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&pin);
    std::thread::spawn(move || {
        let forward = |update: StatusUpdate| match status_event(update, &slot) {
            Some(event) => events_tx.send(event).is_ok(),
            None => true,
        };
        loop {
            match status_rx.recv_timeout(POLL) {
                Ok(update) => {
                    if !forward(update) {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            match done_rx.try_recv() {
                Ok(done) => {
                    // The key's thread sent these before it ended the ceremony.
                    for update in status_rx.try_iter() {
                        forward(update);
                    }
                    let _ = events_tx.send(done);
                    return;
                }
                Err(TryRecvError::Disconnected) => return,
                Err(TryRecvError::Empty) => {}
            }
            if events_tx.is_closed() {
                return;
            }
        }
    });
    Channels {
        events: events_rx,
        status: status_tx,
        pin,
        done: done_tx,
    }
}

/// A ceremony's ends: the console's events, the crate's status sender, where the PIN
/// goes, and where the final callback sends the answer.
struct Channels<T> {
    events: mpsc::UnboundedReceiver<KeyEvent<T>>,
    status: Sender<StatusUpdate>,
    pin: PinSlot,
    done: Sender<KeyEvent<T>>,
}

/// The event a status update means; a PIN request parks its sender in `slot`.
fn status_event<T>(update: StatusUpdate, slot: &PinSlot) -> Option<KeyEvent<T>> {
    let park = |sender: Sender<Pin>| {
        if let Ok(mut parked) = slot.lock() {
            *parked = Some(sender);
        }
    };
    match update {
        StatusUpdate::PresenceRequired => Some(KeyEvent::Touch),
        StatusUpdate::SelectDeviceNotice => Some(KeyEvent::ChooseKey),
        StatusUpdate::PinUvError(StatusPinUv::PinRequired(sender)) => {
            park(sender);
            Some(KeyEvent::Pin(PinRequest {
                wrong: false,
                retries: None,
            }))
        }
        StatusUpdate::PinUvError(StatusPinUv::InvalidPin(sender, retries)) => {
            park(sender);
            Some(KeyEvent::Pin(PinRequest {
                wrong: true,
                retries,
            }))
        }
        StatusUpdate::PinUvError(StatusPinUv::InvalidUv(retries)) => {
            Some(KeyEvent::NotRecognised { retries })
        }
        // The PIN errors that end the ceremony also reach the callback, which reports
        // them; a discoverable credential's account choice never arises (the console
        // always names the account's credentials).
        StatusUpdate::PinUvError(_)
        | StatusUpdate::InteractiveManagement(_)
        | StatusUpdate::SelectResultNotice(..) => None,
    }
}

/// The ceremony over a started service: dropping it cancels the service.
fn started<T>(
    service: AuthenticatorService,
    events: mpsc::UnboundedReceiver<KeyEvent<T>>,
    pin: PinSlot,
) -> KeyCeremony<T> {
    let service = Arc::new(Mutex::new(service));
    ceremony(
        events,
        move |value| {
            pin.lock()
                .ok()
                .and_then(|mut parked| parked.take())
                .is_some_and(|sender| sender.send(Pin::new(&value)).is_ok())
        },
        move || {
            if let Ok(mut service) = service.lock() {
                let _ = service.cancel();
            }
        },
    )
}

/// The crate's error as the sentence for the person.
fn failure(error: AuthenticatorError, relying_party: &str) -> SecurityKeyError {
    use authenticator::ctap2::commands::{CommandError, StatusCode};
    match error {
        // The transaction's own timeout: no key answered (none may have been plugged in).
        AuthenticatorError::U2FToken(U2FTokenError::NotAllowed) => {
            if super::fido_device_plugged_in() == Some(false) {
                SecurityKeyError::NoKey
            } else {
                SecurityKeyError::TimedOut
            }
        }
        AuthenticatorError::CredentialExcluded => SecurityKeyError::AlreadyRegistered,
        AuthenticatorError::CancelledByUser => SecurityKeyError::Ended,
        AuthenticatorError::PinError(pin) => match pin {
            PinError::PinAuthBlocked => SecurityKeyError::PinAuthBlocked,
            PinError::PinBlocked => SecurityKeyError::PinBlocked,
            PinError::PinNotSet => SecurityKeyError::PinNotSet,
            PinError::UvBlocked => SecurityKeyError::UvBlocked,
            PinError::PinIsTooShort | PinError::PinIsTooLong(_) => SecurityKeyError::PinLength,
            other => SecurityKeyError::Other(other.to_string()),
        },
        AuthenticatorError::HIDError(HIDError::IO(..)) | AuthenticatorError::Io(_) => {
            SecurityKeyError::Removed
        }
        AuthenticatorError::HIDError(HIDError::Command(CommandError::StatusCode(status, _))) => {
            match status {
                StatusCode::NoCredentials => SecurityKeyError::NoCredential {
                    relying_party: relying_party.to_owned(),
                },
                StatusCode::UserActionTimeout | StatusCode::ActionTimeout => {
                    SecurityKeyError::TimedOut
                }
                StatusCode::PinAuthBlocked => SecurityKeyError::PinAuthBlocked,
                StatusCode::PinBlocked => SecurityKeyError::PinBlocked,
                StatusCode::PinNotSet => SecurityKeyError::PinNotSet,
                StatusCode::CredentialExcluded => SecurityKeyError::AlreadyRegistered,
                other => SecurityKeyError::Other(format!("it answered {other:?}")),
            }
        }
        other => SecurityKeyError::Other(other.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The crate's errors and status updates as the console says them, and WebAuthn's
    //! options as CTAP2's.

    use authenticator::ctap2::commands::{CommandError, StatusCode};

    use super::*;

    fn status(code: StatusCode) -> AuthenticatorError {
        AuthenticatorError::HIDError(HIDError::Command(CommandError::StatusCode(code, None)))
    }

    #[test]
    fn every_way_a_key_fails_has_its_own_sentence() {
        let cases = [
            (
                AuthenticatorError::CredentialExcluded,
                SecurityKeyError::AlreadyRegistered,
            ),
            (AuthenticatorError::CancelledByUser, SecurityKeyError::Ended),
            (
                AuthenticatorError::PinError(PinError::PinAuthBlocked),
                SecurityKeyError::PinAuthBlocked,
            ),
            (
                AuthenticatorError::PinError(PinError::PinBlocked),
                SecurityKeyError::PinBlocked,
            ),
            (
                AuthenticatorError::PinError(PinError::PinNotSet),
                SecurityKeyError::PinNotSet,
            ),
            (
                AuthenticatorError::PinError(PinError::UvBlocked),
                SecurityKeyError::UvBlocked,
            ),
            (
                AuthenticatorError::PinError(PinError::PinIsTooShort),
                SecurityKeyError::PinLength,
            ),
            (
                AuthenticatorError::HIDError(HIDError::IO(
                    None,
                    std::io::Error::from(std::io::ErrorKind::NotFound),
                )),
                SecurityKeyError::Removed,
            ),
            (
                status(StatusCode::NoCredentials),
                SecurityKeyError::NoCredential {
                    relying_party: "auth.example.com".to_owned(),
                },
            ),
            (
                status(StatusCode::UserActionTimeout),
                SecurityKeyError::TimedOut,
            ),
            (status(StatusCode::PinBlocked), SecurityKeyError::PinBlocked),
        ];
        for (error, expected) in cases {
            assert_eq!(failure(error, "auth.example.com"), expected);
        }
        // The transaction's own timeout: no key found, or one not touched.
        let timed_out = failure(
            AuthenticatorError::U2FToken(U2FTokenError::NotAllowed),
            "auth.example.com",
        );
        assert!(
            matches!(
                timed_out,
                SecurityKeyError::NoKey | SecurityKeyError::TimedOut
            ),
            "{timed_out:?}"
        );
    }

    #[test]
    fn a_pin_request_parks_its_sender_for_the_pin() {
        let slot: PinSlot = Arc::new(Mutex::new(None));
        let (reply, pins) = std::sync::mpsc::channel();
        let asked = status_event::<()>(
            StatusUpdate::PinUvError(StatusPinUv::InvalidPin(reply, Some(5))),
            &slot,
        );
        assert!(matches!(
            asked,
            Some(KeyEvent::Pin(PinRequest {
                wrong: true,
                retries: Some(5)
            }))
        ));
        slot.lock()
            .unwrap()
            .take()
            .unwrap()
            .send(Pin::new("4831"))
            .unwrap();
        assert_eq!(pins.recv().unwrap().as_bytes(), b"4831");
        assert!(matches!(
            status_event::<()>(StatusUpdate::PresenceRequired, &slot),
            Some(KeyEvent::Touch)
        ));
        assert!(matches!(
            status_event::<()>(StatusUpdate::SelectDeviceNotice, &slot),
            Some(KeyEvent::ChooseKey)
        ));
        assert!(
            status_event::<()>(StatusUpdate::PinUvError(StatusPinUv::PinBlocked), &slot).is_none()
        );
    }

    #[test]
    fn credential_descriptors_and_user_verification_become_ctap2s() {
        let listed = [CredentialDescriptor {
            kind: PUBLIC_KEY.to_owned(),
            id: BASE64URL.encode([1, 2, 3]),
            transports: Some(vec!["usb".to_owned(), "hybrid".to_owned()]),
        }];
        let [descriptor] = descriptors(&listed).unwrap().try_into().unwrap();
        assert_eq!(descriptor.id, [1, 2, 3]);
        assert_eq!(descriptor.transports, [Transport::USB]);
        let broken = [CredentialDescriptor {
            id: "not base64url!".to_owned(),
            ..listed[0].clone()
        }];
        assert!(matches!(
            descriptors(&broken),
            Err(SecurityKeyError::Options(_))
        ));
        assert_eq!(
            user_verification(Some("required")),
            UserVerificationRequirement::Required
        );
        assert_eq!(
            user_verification(None),
            UserVerificationRequirement::Preferred
        );
    }
}
