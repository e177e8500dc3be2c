//! A FIDO2 security key for tests, since none is plugged in here: the key's side of
//! CTAP2 played through the `authenticator` crate's own extension point
//! (`AuthenticatorService::add_transport`). It asks for its PIN as a key does (with the
//! retries left, blocking after too many), waits for a "touch", and answers
//! makeCredential and getAssertion with CTAP2's bytes: authenticatorData signed by a
//! P-256 key with "packed" self-attestation, CBOR that the crate's own parsers
//! (AttestationObject, AuthenticatorData) then read, as they read a real key's.
//! Each ceremony can be told to see several keys, or to lose the key mid-way.

use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use authenticator::authenticatorservice::{AuthenticatorTransport, RegisterArgs, SignArgs};
use authenticator::ctap2::commands::get_assertion::{Assertion, GetAssertionResult};
use authenticator::ctap2::commands::make_credentials::MakeCredentialsResult;
use authenticator::ctap2::commands::{CommandError, StatusCode};
use authenticator::ctap2::server::{AuthenticatorAttachment, PublicKeyCredentialDescriptor};
use authenticator::errors::{AuthenticatorError, HIDError};
use authenticator::statecallback::StateCallback;
use authenticator::{
    AttestationObject, ManageResult, Pin, PinError, ResetResult, StatusPinUv, StatusUpdate,
};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use ciborium::Value;
use cognito_signin::cognito::webauthn::{
    FLAG_ATTESTED_CREDENTIAL_DATA, FLAG_USER_PRESENT, FLAG_USER_VERIFIED, rp_id_hash,
};
use cognito_signin::passkey::authenticator_data::cose_es256_key;
use cognito_signin::passkey::security_key::SecurityKeys;

/// How many wrong PINs in a row a key takes before it blocks them (CTAP2's
/// pinAuthBlocked after three).
const WRONG_PINS_ALLOWED: u8 = 3;

/// What the key holds and how it behaves; shared by every ceremony on it.
#[derive(Debug, Default)]
pub struct KeyState {
    /// Its PIN, when one is set: every ceremony then asks for it.
    pub pin: Option<String>,
    /// PIN tries left before the PIN blocks (8 on a new key).
    pub pin_retries: u8,
    /// The next ceremony first sees several keys ("touch the one to use").
    pub several_keys: bool,
    /// The next ceremony loses the key after the touch.
    pub removed_mid_way: bool,
    /// The PINs given, in order (to check what reached the key).
    pub pins_given: Vec<String>,
    /// Credentials made on it.
    credentials: Vec<Credential>,
}

#[derive(Debug)]
struct Credential {
    id: Vec<u8>,
    rp_id: String,
    pkcs8: Vec<u8>,
    counter: u32,
}

/// A scripted key; clone the state handle to inspect or change it between ceremonies.
#[derive(Clone, Debug)]
pub struct ScriptedKey {
    pub state: Arc<Mutex<KeyState>>,
}

impl ScriptedKey {
    /// A key with this PIN (or none).
    pub fn new(pin: Option<&str>) -> Self {
        Self {
            state: Arc::new(Mutex::new(KeyState {
                pin: pin.map(str::to_owned),
                pin_retries: 8,
                ..KeyState::default()
            })),
        }
    }

    /// The console's security keys: this one.
    pub fn keys(&self) -> SecurityKeys {
        let key = self.clone();
        SecurityKeys::with_transport(move || Box::new(key.clone()))
    }

    /// How many credentials it holds.
    pub fn credentials(&self) -> usize {
        self.state.lock().unwrap().credentials.len()
    }
}

/// What a ceremony's thread reports at the end.
type Finish<T> = StateCallback<authenticator::Result<T>>;

impl ScriptedKey {
    /// The start every ceremony shares: several keys, the PIN, the touch, the removal.
    /// `Err` ends the ceremony with the crate's error, as a key would.
    fn preamble(&self, status: &Sender<StatusUpdate>) -> Result<bool, AuthenticatorError> {
        let (several, pin) = {
            let mut state = self.state.lock().unwrap();
            (std::mem::take(&mut state.several_keys), state.pin.clone())
        };
        if several {
            status.send(StatusUpdate::SelectDeviceNotice).unwrap();
        }
        let verified = pin.is_some();
        if let Some(expected) = pin {
            self.ask_pin(status, &expected)?;
        }
        status.send(StatusUpdate::PresenceRequired).unwrap();
        if std::mem::take(&mut self.state.lock().unwrap().removed_mid_way) {
            return Err(AuthenticatorError::HIDError(HIDError::IO(
                None,
                std::io::Error::new(std::io::ErrorKind::NotFound, "the device was unplugged"),
            )));
        }
        Ok(verified)
    }

    /// Asks for the PIN until it is right, tries run out, or nobody answers.
    fn ask_pin(
        &self,
        status: &Sender<StatusUpdate>,
        expected: &str,
    ) -> Result<(), AuthenticatorError> {
        let mut wrong_in_a_row = 0;
        let mut last_wrong: Option<u8> = None;
        loop {
            let (reply, pins) = channel::<Pin>();
            let asked = match last_wrong {
                None => StatusPinUv::PinRequired(reply),
                Some(retries) => StatusPinUv::InvalidPin(reply, Some(retries)),
            };
            status.send(StatusUpdate::PinUvError(asked)).unwrap();
            let Ok(pin) = pins.recv() else {
                return Err(AuthenticatorError::CancelledByUser);
            };
            let given = String::from_utf8(pin.as_bytes().to_vec()).unwrap();
            let mut state = self.state.lock().unwrap();
            state.pins_given.push(given.clone());
            if given == expected {
                state.pin_retries = 8;
                return Ok(());
            }
            state.pin_retries = state.pin_retries.saturating_sub(1);
            wrong_in_a_row += 1;
            if state.pin_retries == 0 {
                return Err(AuthenticatorError::PinError(PinError::PinBlocked));
            }
            if wrong_in_a_row == WRONG_PINS_ALLOWED {
                return Err(AuthenticatorError::PinError(PinError::PinAuthBlocked));
            }
            last_wrong = Some(state.pin_retries);
        }
    }

    fn make_credential(
        &self,
        args: &RegisterArgs,
        verified: bool,
    ) -> authenticator::Result<MakeCredentialsResult> {
        let mut state = self.state.lock().unwrap();
        let rp_id = &args.relying_party.id;
        if state.credentials.iter().any(|held| {
            &held.rp_id == rp_id
                && args
                    .exclude_list
                    .iter()
                    .any(|excluded| excluded.id == held.id)
        }) {
            return Err(AuthenticatorError::CredentialExcluded);
        }
        let random = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &random).unwrap();
        let key =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
        let mut id = vec![0u8; 32];
        random.fill(&mut id).unwrap();

        // authenticatorData: rpIdHash ‖ flags ‖ signCount ‖ aaguid ‖ len ‖ id ‖ COSE key.
        let mut auth_data = rp_id_hash(rp_id).to_vec();
        let flags = FLAG_USER_PRESENT
            | FLAG_ATTESTED_CREDENTIAL_DATA
            | if verified { FLAG_USER_VERIFIED } else { 0 };
        auth_data.push(flags);
        auth_data.extend_from_slice(&0u32.to_be_bytes());
        auth_data.extend_from_slice(&[0xAB; 16]);
        auth_data.extend_from_slice(&(id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&id);
        auth_data.extend_from_slice(&cose_es256_key(key.public_key().as_ref()).unwrap());

        // "packed" self-attestation: sig over authenticatorData ‖ clientDataHash.
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&args.client_data_hash);
        let sig = key.sign(&random, &signed).unwrap();
        let object = Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text("packed".into())),
            (
                Value::Text("attStmt".into()),
                Value::Map(vec![
                    (Value::Text("alg".into()), Value::Integer((-7).into())),
                    (
                        Value::Text("sig".into()),
                        Value::Bytes(sig.as_ref().to_vec()),
                    ),
                ]),
            ),
            (Value::Text("authData".into()), Value::Bytes(auth_data)),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&object, &mut bytes).unwrap();
        let att_obj: AttestationObject = ciborium::from_reader(bytes.as_slice())
            .expect("the crate reads the key's attestation object");

        state.credentials.push(Credential {
            id,
            rp_id: rp_id.clone(),
            pkcs8: pkcs8.as_ref().to_vec(),
            counter: 0,
        });
        Ok(MakeCredentialsResult {
            att_obj,
            attachment: AuthenticatorAttachment::CrossPlatform,
            extensions: Default::default(),
        })
    }

    fn get_assertion(
        &self,
        args: &SignArgs,
        verified: bool,
    ) -> authenticator::Result<GetAssertionResult> {
        let mut state = self.state.lock().unwrap();
        let Some(credential) = state.credentials.iter_mut().find(|held| {
            held.rp_id == args.relying_party_id
                && args.allow_list.iter().any(|allowed| allowed.id == held.id)
        }) else {
            return Err(AuthenticatorError::HIDError(HIDError::Command(
                CommandError::StatusCode(StatusCode::NoCredentials, None),
            )));
        };
        credential.counter += 1;
        let mut auth_data = rp_id_hash(&args.relying_party_id).to_vec();
        auth_data.push(FLAG_USER_PRESENT | if verified { FLAG_USER_VERIFIED } else { 0 });
        auth_data.extend_from_slice(&credential.counter.to_be_bytes());
        let key =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &credential.pkcs8).unwrap();
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&args.client_data_hash);
        let signature = key.sign(&SystemRandom::new(), &signed).unwrap();
        let mut bytes = Vec::new();
        ciborium::into_writer(&Value::Bytes(auth_data), &mut bytes).unwrap();
        let auth_data = ciborium::from_reader(bytes.as_slice())
            .expect("the crate reads the key's authenticatorData");
        Ok(GetAssertionResult {
            assertion: Assertion {
                credentials: Some(PublicKeyCredentialDescriptor {
                    id: credential.id.clone(),
                    transports: Vec::new(),
                }),
                auth_data,
                signature: signature.as_ref().to_vec(),
                user: None,
            },
            attachment: AuthenticatorAttachment::CrossPlatform,
            extensions: Default::default(),
        })
    }
}

impl AuthenticatorTransport for ScriptedKey {
    fn register(
        &mut self,
        _timeout: u64,
        args: RegisterArgs,
        status: Sender<StatusUpdate>,
        callback: Finish<authenticator::RegisterResult>,
    ) -> authenticator::Result<()> {
        let key = self.clone();
        std::thread::spawn(move || {
            let result = key
                .preamble(&status)
                .and_then(|verified| key.make_credential(&args, verified));
            callback.call(result);
        });
        Ok(())
    }

    fn sign(
        &mut self,
        _timeout: u64,
        args: SignArgs,
        status: Sender<StatusUpdate>,
        callback: Finish<authenticator::SignResult>,
    ) -> authenticator::Result<()> {
        let key = self.clone();
        std::thread::spawn(move || {
            let result = key
                .preamble(&status)
                .and_then(|verified| key.get_assertion(&args, verified));
            callback.call(result);
        });
        Ok(())
    }

    fn cancel(&mut self) -> authenticator::Result<()> {
        Ok(())
    }

    fn reset(
        &mut self,
        _timeout: u64,
        _status: Sender<StatusUpdate>,
        callback: Finish<ResetResult>,
    ) -> authenticator::Result<()> {
        callback.call(Err(AuthenticatorError::Custom("not scripted".into())));
        Ok(())
    }

    fn set_pin(
        &mut self,
        _timeout: u64,
        _new_pin: Pin,
        _status: Sender<StatusUpdate>,
        callback: Finish<ResetResult>,
    ) -> authenticator::Result<()> {
        callback.call(Err(AuthenticatorError::Custom("not scripted".into())));
        Ok(())
    }

    fn manage(
        &mut self,
        _timeout: u64,
        _status: Sender<StatusUpdate>,
        callback: Finish<ManageResult>,
    ) -> authenticator::Result<()> {
        callback.call(Err(AuthenticatorError::Custom("not scripted".into())));
        Ok(())
    }
}
