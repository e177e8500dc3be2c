//! The authenticator's two operations on the software passkeys: make a credential
//! (registration, WebAuthn §6.3.2) and get an assertion (sign-in, §6.3.3), each with the
//! client data the console writes as the browser.

use std::path::Path;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::authenticator_data::{assertion_data, none_attestation_object, registration_data};
use super::client_data::{Ceremony, client_data_json};
use super::store::{StoredPasskey, is_named};
use super::{BASE64URL, PasskeyError, SoftwarePasskeys};
use crate::cognito::webauthn::{
    AssertionResponse, AttestationResponse, AuthenticationResponse, COSE_ES256, CreationOptions,
    CredentialDescriptor, PUBLIC_KEY, RegistrationResponse, RequestOptions,
};

/// Bytes of a new credential id: WebAuthn asks for at least 16 bytes with at least 100
/// bits of entropy (§4, "Credential ID"); 16 random bytes give 128.
const CREDENTIAL_ID_LEN: usize = 16;

/// `authenticatorAttachment`: the key is part of this machine, not a removable device.
const PLATFORM: &str = "platform";

/// `transports`: "internal", WebAuthn's name for an authenticator that cannot be removed
/// from the client device (§5.8.4). The key file lives on the machine the console runs
/// on, and only that console reaches it; "hybrid" or "usb" would send a browser looking
/// for a phone or a security key that does not exist.
const INTERNAL: &str = "internal";

impl SoftwarePasskeys {
    /// Registration: makes a P-256 key for the options' relying party and user, writes
    /// its file (only once everything else succeeded), and answers with the
    /// RegistrationResponseJSON for CompleteWebAuthnRegistration.
    pub fn create(
        &self,
        options: &CreationOptions,
        origin: &str,
    ) -> Result<RegistrationResponse, PasskeyError> {
        let rp_id = relying_party(options.rp.id.as_deref(), origin)?;
        let offers_es256 = options
            .pub_key_cred_params
            .iter()
            .any(|parameters| parameters.kind == PUBLIC_KEY && parameters.alg == COSE_ES256);
        if !offers_es256 {
            return Err(PasskeyError::UnsupportedAlgorithm {
                offered: options
                    .pub_key_cred_params
                    .iter()
                    .map(|parameters| parameters.alg)
                    .collect(),
            });
        }
        // WebAuthn §6.3.2 step 3: holding any excluded credential is InvalidStateError.
        if !options.exclude_credentials.is_empty()
            && self
                .held_at(&rp_id)?
                .iter()
                .any(|(_, passkey)| is_named(passkey, &options.exclude_credentials))
        {
            return Err(PasskeyError::AlreadyRegistered { rp_id });
        }

        let random = SystemRandom::new();
        let cannot_make_key = || PasskeyError::Crypto {
            action: "make a key",
        };
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &random)
            .map_err(|_| cannot_make_key())?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref())
            .map_err(|_| cannot_make_key())?;
        let mut credential_id = [0u8; CREDENTIAL_ID_LEN];
        random
            .fill(&mut credential_id)
            .map_err(|_| cannot_make_key())?;
        let public_point = key.public_key().as_ref();
        let auth_data = registration_data(&rp_id, &credential_id, public_point)?;
        let attestation_object = none_attestation_object(&auth_data)?;
        let public_key_der = key
            .public_key()
            .as_der()
            .map_err(|_| PasskeyError::Crypto {
                action: "encode its public key as SubjectPublicKeyInfo",
            })?;
        let client_data = client_data_json(Ceremony::Create, &options.challenge, origin);
        let id = BASE64URL.encode(credential_id);

        self.save(&StoredPasskey {
            credential_id: id.clone(),
            rp_id,
            user_handle: options.user.id.clone(),
            user_name: options.user.name.clone(),
            sign_count: 0,
            created_at: OffsetDateTime::now_utc(),
            private_key_pkcs8: STANDARD.encode(pkcs8.as_ref()).into(),
        })?;
        Ok(RegistrationResponse {
            id: id.clone(),
            raw_id: id,
            response: AttestationResponse {
                client_data_json: BASE64URL.encode(&client_data),
                attestation_object: BASE64URL.encode(&attestation_object),
                transports: Some(vec![INTERNAL.to_owned()]),
                authenticator_data: Some(BASE64URL.encode(&auth_data)),
                public_key: Some(BASE64URL.encode(public_key_der.as_ref())),
                public_key_algorithm: Some(COSE_ES256),
            },
            authenticator_attachment: Some(PLATFORM.to_owned()),
            client_extension_results: json!({}),
            kind: PUBLIC_KEY.to_owned(),
        })
    }

    /// Sign-in: signs the options' challenge with the held passkey the server allows,
    /// after saving its raised signature counter, and answers with the
    /// AuthenticationResponseJSON for the WEB_AUTHN challenge's CREDENTIAL.
    ///
    /// signature = ECDSA-P256-SHA256(authenticatorData ‖ SHA-256(clientDataJSON)), DER.
    pub fn get(
        &self,
        options: &RequestOptions,
        origin: &str,
    ) -> Result<AuthenticationResponse, PasskeyError> {
        let rp_id = relying_party(options.rp_id.as_deref(), origin)?;
        // Held from reading the counter to writing it back: two consoles signing at
        // once never send the same counter.
        let _lock = lock_folder(&self.root().join(crate::auth::cache::path_part(&rp_id)))?;
        let (path, mut passkey) = self.choose(&rp_id, &options.allow_credentials)?;
        let broken = |detail: &str| PasskeyError::Broken {
            path: path.clone(),
            detail: detail.to_owned(),
        };
        let pkcs8 = Zeroizing::new(
            STANDARD
                .decode(passkey.private_key_pkcs8.expose())
                .map_err(|_| broken("its private key is not base64"))?,
        );
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8)
            .map_err(|_| broken("its private key is not a P-256 key in PKCS#8"))?;
        passkey.sign_count = passkey
            .sign_count
            .checked_add(1)
            .ok_or_else(|| broken("its signature counter is at its maximum"))?;

        let auth_data = assertion_data(&rp_id, passkey.sign_count);
        let client_data = client_data_json(Ceremony::Get, &options.challenge, origin);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature = key
            .sign(&SystemRandom::new(), &signed)
            .map_err(|_| PasskeyError::Crypto { action: "sign" })?;
        // The raised counter is on disk before any signature carrying it leaves.
        self.save(&passkey)?;
        Ok(AuthenticationResponse {
            id: passkey.credential_id.clone(),
            raw_id: passkey.credential_id.clone(),
            response: AssertionResponse {
                client_data_json: BASE64URL.encode(&client_data),
                authenticator_data: BASE64URL.encode(&auth_data),
                signature: BASE64URL.encode(signature.as_ref()),
                user_handle: Some(passkey.user_handle.clone()),
            },
            authenticator_attachment: Some(PLATFORM.to_owned()),
            client_extension_results: json!({}),
            kind: PUBLIC_KEY.to_owned(),
        })
    }

    /// The passkey to sign with: the newest held one that `allow` names, or, when `allow`
    /// is empty, the only one held for `rp_id`.
    fn choose(
        &self,
        rp_id: &str,
        allow: &[CredentialDescriptor],
    ) -> Result<(std::path::PathBuf, StoredPasskey), PasskeyError> {
        let mut held = self.held_at(rp_id)?;
        if allow.is_empty() && held.len() > 1 {
            return Err(PasskeyError::SeveralKeys {
                rp_id: rp_id.to_owned(),
                count: held.len(),
            });
        }
        held.retain(|(_, passkey)| allow.is_empty() || is_named(passkey, allow));
        held.pop().ok_or_else(|| PasskeyError::NoKeyForAccount {
            rp_id: rp_id.to_owned(),
        })
    }
}

/// The RP ID the options give, else the origin's host (WebAuthn's default: the origin's
/// effective domain).
fn relying_party(from_options: Option<&str>, origin: &str) -> Result<String, PasskeyError> {
    from_options
        .or_else(|| origin.strip_prefix("https://"))
        .filter(|rp_id| !rp_id.is_empty())
        .map(str::to_owned)
        .ok_or(PasskeyError::NoRelyingParty)
}

/// An exclusive lock on a relying party's folder, released when the returned file is
/// dropped; `None` when the folder does not exist (then nothing is held to sign with).
fn lock_folder(dir: &Path) -> Result<Option<std::fs::File>, PasskeyError> {
    #[cfg(unix)]
    {
        let io_error = |source| PasskeyError::Io {
            action: "lock",
            path: dir.to_owned(),
            source,
        };
        let folder = match std::fs::File::open(dir) {
            Ok(folder) => folder,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(io_error(source)),
        };
        folder.lock().map_err(io_error)?;
        Ok(Some(folder))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
    use ciborium::Value;
    use coset::{CborSerializable, CoseKey, Label};

    use super::*;
    use crate::cognito::webauthn::{
        COSE_RS256, ClientData, CredentialParameters, RelyingParty, UserEntity,
    };
    use crate::passkey::authenticator_data::{AAGUID, rp_id_hash};
    use crate::passkey::origin_for;

    const RP: &str = "auth.example.com";

    fn creation_options(algs: &[i64], exclude: &[&str]) -> CreationOptions {
        CreationOptions {
            rp: RelyingParty {
                id: Some(RP.to_owned()),
                name: "Example".to_owned(),
            },
            user: UserEntity {
                id: "dXNlci1oYW5kbGU".to_owned(),
                name: "alice".to_owned(),
                display_name: "Alice".to_owned(),
            },
            challenge: "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ".to_owned(),
            pub_key_cred_params: algs
                .iter()
                .map(|&alg| CredentialParameters {
                    kind: PUBLIC_KEY.to_owned(),
                    alg,
                })
                .collect(),
            timeout: Some(60_000),
            exclude_credentials: exclude.iter().map(|id| descriptor(id)).collect(),
            authenticator_selection: None,
            attestation: Some("none".to_owned()),
            extensions: None,
        }
    }

    fn request_options(allow: &[&str]) -> RequestOptions {
        RequestOptions {
            challenge: "c2lnbi1pbi1jaGFsbGVuZ2U".to_owned(),
            timeout: Some(60_000),
            rp_id: Some(RP.to_owned()),
            allow_credentials: allow.iter().map(|id| descriptor(id)).collect(),
            user_verification: Some("required".to_owned()),
            extensions: None,
        }
    }

    fn descriptor(id: &str) -> CredentialDescriptor {
        CredentialDescriptor {
            kind: PUBLIC_KEY.to_owned(),
            id: id.to_owned(),
            transports: Some(vec![INTERNAL.to_owned()]),
        }
    }

    /// authData's parts, read back by hand (WebAuthn §6.1).
    struct ParsedAuthData {
        rp_id_hash: Vec<u8>,
        flags: u8,
        sign_count: u32,
        aaguid: Vec<u8>,
        credential_id: Vec<u8>,
        cose_key: CoseKey,
    }

    fn parse_registration_auth_data(data: &[u8]) -> ParsedAuthData {
        let id_length = usize::from(u16::from_be_bytes([data[53], data[54]]));
        let key_start = 55 + id_length;
        ParsedAuthData {
            rp_id_hash: data[..32].to_vec(),
            flags: data[32],
            sign_count: u32::from_be_bytes(data[33..37].try_into().unwrap()),
            aaguid: data[37..53].to_vec(),
            credential_id: data[55..key_start].to_vec(),
            // from_slice refuses trailing bytes: the key ends authData (no extensions).
            cose_key: CoseKey::from_slice(&data[key_start..]).unwrap(),
        }
    }

    fn cose_param(key: &CoseKey, label: i64) -> Vec<u8> {
        key.params
            .iter()
            .find(|(l, _)| *l == Label::Int(label))
            .and_then(|(_, value)| value.as_bytes().cloned())
            .unwrap()
    }

    /// The public point 0x04 ‖ x ‖ y of a registered credential, from its COSE key.
    fn public_point(registration: &RegistrationResponse) -> Vec<u8> {
        let object = BASE64URL
            .decode(&registration.response.attestation_object)
            .unwrap();
        let auth_data = auth_data_of(&object);
        let key = parse_registration_auth_data(&auth_data).cose_key;
        let mut point = vec![0x04];
        point.extend(cose_param(&key, -2));
        point.extend(cose_param(&key, -3));
        point
    }

    fn auth_data_of(attestation_object: &[u8]) -> Vec<u8> {
        let map = ciborium::from_reader::<Value, _>(attestation_object)
            .unwrap()
            .into_map()
            .unwrap();
        let field = |name: &str| {
            map.iter()
                .find(|(key, _)| key.as_text() == Some(name))
                .map(|(_, value)| value.clone())
                .unwrap()
        };
        assert_eq!(field("fmt"), Value::Text("none".to_owned()));
        assert_eq!(field("attStmt"), Value::Map(Vec::new()));
        field("authData").into_bytes().unwrap()
    }

    fn verify(point: &[u8], assertion: &AuthenticationResponse) -> Result<(), ()> {
        let auth_data = BASE64URL
            .decode(&assertion.response.authenticator_data)
            .unwrap();
        let client_data = BASE64URL
            .decode(&assertion.response.client_data_json)
            .unwrap();
        let mut signed = auth_data;
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature = BASE64URL.decode(&assertion.response.signature).unwrap();
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
            .verify(&signed, &signature)
            .map_err(|_| ())
    }

    fn counter_of(assertion: &AuthenticationResponse) -> u32 {
        let auth_data = BASE64URL
            .decode(&assertion.response.authenticator_data)
            .unwrap();
        u32::from_be_bytes(auth_data[33..37].try_into().unwrap())
    }

    #[test]
    fn create_answers_an_attestation_whose_auth_data_parses_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let origin = origin_for(RP);
        let registration = store
            .create(&creation_options(&[COSE_RS256, COSE_ES256], &[]), &origin)
            .unwrap();

        let object = BASE64URL
            .decode(&registration.response.attestation_object)
            .unwrap();
        let auth_data = auth_data_of(&object);
        let parsed = parse_registration_auth_data(&auth_data);
        assert_eq!(parsed.rp_id_hash, rp_id_hash(RP));
        assert_eq!(parsed.rp_id_hash, Sha256::digest(RP.as_bytes()).to_vec());
        assert_eq!(parsed.flags, 0x45, "UP, UV and AT; BE and BS clear");
        assert_eq!(parsed.sign_count, 0);
        assert_eq!(parsed.aaguid, AAGUID);
        assert_eq!(parsed.credential_id.len(), CREDENTIAL_ID_LEN);
        assert_eq!(BASE64URL.encode(&parsed.credential_id), registration.id);
        assert_eq!(registration.raw_id, registration.id);
        assert_eq!(
            parsed.cose_key.kty,
            coset::KeyType::Assigned(coset::iana::KeyType::EC2)
        );
        assert_eq!(
            parsed.cose_key.alg,
            Some(coset::Algorithm::Assigned(coset::iana::Algorithm::ES256))
        );

        // The COSE key is the stored key's public point, and the SPKI copy says the same.
        let stored = store.held_at(RP).unwrap().pop().unwrap().1;
        let pkcs8 = STANDARD.decode(stored.private_key_pkcs8.expose()).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8).unwrap();
        assert_eq!(public_point(&registration), key.public_key().as_ref());
        let spki = BASE64URL
            .decode(registration.response.public_key.as_deref().unwrap())
            .unwrap();
        assert!(spki.ends_with(key.public_key().as_ref()));
        assert_eq!(spki.len(), 91, "a P-256 SubjectPublicKeyInfo");

        let response = &registration.response;
        assert_eq!(response.public_key_algorithm, Some(COSE_ES256));
        assert_eq!(
            response.authenticator_data.as_deref(),
            Some(BASE64URL.encode(&auth_data).as_str())
        );
        assert_eq!(response.transports, Some(vec!["internal".to_owned()]));
        assert_eq!(
            registration.authenticator_attachment.as_deref(),
            Some("platform")
        );
        assert_eq!(registration.client_extension_results, json!({}));
        let client_data: ClientData =
            serde_json::from_slice(&BASE64URL.decode(&response.client_data_json).unwrap()).unwrap();
        assert_eq!(client_data.kind, "webauthn.create");
        assert_eq!(client_data.challenge, "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ");
        assert_eq!(client_data.origin, "https://auth.example.com");
        assert_eq!(stored.user_handle, "dXNlci1oYW5kbGU");
        assert_eq!(stored.user_name, "alice");
    }

    #[test]
    fn get_signs_what_the_registered_key_verifies_and_counts_up_across_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let origin = origin_for(RP);
        let registration = SoftwarePasskeys::at(dir.path())
            .create(&creation_options(&[COSE_ES256], &[]), &origin)
            .unwrap();
        let point = public_point(&registration);

        let first = SoftwarePasskeys::at(dir.path())
            .get(&request_options(&[&registration.id]), &origin)
            .unwrap();
        verify(&point, &first).unwrap();
        assert_eq!(first.id, registration.id);
        assert_eq!(
            first.response.user_handle.as_deref(),
            Some("dXNlci1oYW5kbGU")
        );
        let auth_data = BASE64URL
            .decode(&first.response.authenticator_data)
            .unwrap();
        assert_eq!(auth_data.len(), 37);
        assert_eq!(auth_data[..32], rp_id_hash(RP));
        assert_eq!(auth_data[32], 0x05, "UP and UV");
        let client_data: ClientData =
            serde_json::from_slice(&BASE64URL.decode(&first.response.client_data_json).unwrap())
                .unwrap();
        assert_eq!(client_data.kind, "webauthn.get");
        assert_eq!(client_data.challenge, "c2lnbi1pbi1jaGFsbGVuZ2U");
        assert_eq!(client_data.origin, origin);

        // A fresh store reads the counter back from disk; an empty allow list picks the
        // only passkey held.
        let second = SoftwarePasskeys::at(dir.path())
            .get(&request_options(&[]), &origin)
            .unwrap();
        verify(&point, &second).unwrap();
        assert_eq!(counter_of(&first), 1);
        assert_eq!(counter_of(&second), 2);
        let listed = SoftwarePasskeys::at(dir.path()).list().unwrap();
        assert_eq!(listed[0].sign_count, 2);

        // The same signature with another challenge does not verify: the check can fail.
        let mut forged = second.clone();
        forged.response.client_data_json =
            BASE64URL.encode(client_data_json(Ceremony::Get, "b3RoZXI", &origin));
        assert!(verify(&point, &forged).is_err());
    }

    #[test]
    fn concurrent_gets_never_reuse_a_counter() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let origin = origin_for(RP);
        store
            .create(&creation_options(&[COSE_ES256], &[]), &origin)
            .unwrap();
        let counters: Vec<u32> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        (0..10)
                            .map(|_| {
                                counter_of(&store.get(&request_options(&[]), &origin).unwrap())
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap())
                .collect()
        });
        let mut sorted = counters.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=20).collect::<Vec<_>>(), "{counters:?}");
    }

    #[test]
    fn an_excluded_credential_already_held_refuses_a_second_registration() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let origin = origin_for(RP);
        let first = store
            .create(&creation_options(&[COSE_ES256], &["AAAA"]), &origin)
            .unwrap();
        let error = store
            .create(
                &creation_options(&[COSE_ES256], &["AAAA", &first.id]),
                &origin,
            )
            .unwrap_err();
        assert!(
            matches!(error, PasskeyError::AlreadyRegistered { .. }),
            "{error}"
        );
        assert!(error.to_string().contains("already registered"), "{error}");
        assert_eq!(store.list().unwrap().len(), 1, "no second key file");
    }

    #[test]
    fn a_server_without_es256_is_refused_before_any_key_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let error = store
            .create(&creation_options(&[COSE_RS256], &[]), &origin_for(RP))
            .unwrap_err();
        assert!(
            matches!(&error, PasskeyError::UnsupportedAlgorithm { offered } if offered == &[COSE_RS256]),
            "{error}"
        );
        assert!(error.to_string().contains("cannot make"), "{error}");
        assert!(store.list().unwrap().is_empty());
        assert!(
            !dir.path().join("cognito-signin").exists(),
            "nothing written"
        );
    }

    #[test]
    fn an_unknown_allowed_credential_is_the_no_key_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let origin = origin_for(RP);
        let none_yet = store.get(&request_options(&[]), &origin).unwrap_err();
        assert!(
            matches!(none_yet, PasskeyError::NoKeyForAccount { .. }),
            "{none_yet}"
        );
        let registered = store
            .create(&creation_options(&[COSE_ES256], &[]), &origin)
            .unwrap();
        let error = store
            .get(&request_options(&["dW5rbm93bi1jcmVkZW50aWFs"]), &origin)
            .unwrap_err();
        assert!(
            matches!(error, PasskeyError::NoKeyForAccount { .. }),
            "{error}"
        );
        assert!(
            error.to_string().contains("no passkey for this account"),
            "{error}"
        );
        assert!(
            !store
                .held_for(RP, &[descriptor("dW5rbm93bi1jcmVkZW50aWFs")])
                .unwrap()
        );
        assert!(store.held_for(RP, &[]).unwrap());
        assert!(store.held_for(RP, &[descriptor(&registered.id)]).unwrap());
        assert!(!store.held_for("other.example.com", &[]).unwrap());
    }

    #[test]
    fn several_held_passkeys_and_no_allow_list_ask_to_choose() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let origin = origin_for(RP);
        store
            .create(&creation_options(&[COSE_ES256], &[]), &origin)
            .unwrap();
        let second = store
            .create(&creation_options(&[COSE_ES256], &[]), &origin)
            .unwrap();
        let error = store.get(&request_options(&[]), &origin).unwrap_err();
        assert!(
            matches!(error, PasskeyError::SeveralKeys { count: 2, .. }),
            "{error}"
        );
        // A padded id names the same credential.
        let padded = format!("{}==", second.id);
        let chosen = store.get(&request_options(&[&padded]), &origin).unwrap();
        assert_eq!(chosen.id, second.id);
        verify(&public_point(&second), &chosen).unwrap();
    }
}
