//! A software authenticator for the WebAuthn tests, and the browser's part with it:
//! it makes clientDataJSON, authenticatorData and attestation objects (CBOR, with the
//! COSE key) as WebAuthn Level 3 lays them out, and signs with a P-256 or RSA-2048
//! key from aws-lc-rs. Every field can be bent ([`Bend`]) so the tests can show the
//! pool refusing each one.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair, RSA_PKCS1_SHA256,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value as Cbor;
use coset::iana;
use coset::{Algorithm, CborSerializable, CoseKey, CoseKeyBuilder, KeyType, Label};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// authenticatorData flags (WebAuthn §6.1).
pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
const AT: u8 = 0x40;

/// The key algorithm of an authenticator.
#[derive(Debug, Clone, Copy)]
pub enum Alg {
    Es256,
    Rs256,
}

enum Key {
    Es256(EcdsaKeyPair),
    Rs256(RsaKeyPair),
}

/// How the attestation statement is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    None,
    /// Packed self-attestation, signed right.
    Packed,
    /// Packed self-attestation whose signature is over other bytes.
    PackedBadSignature,
}

/// What a ceremony says, each part open to bending.
#[derive(Debug, Clone)]
pub struct Bend {
    /// clientDataJSON's type; `None`: the right one for the ceremony.
    pub kind: Option<&'static str>,
    pub origin: String,
    /// The RP ID whose hash goes into authenticatorData.
    pub rp_id: String,
    pub flags: u8,
    /// The signCount to report; `None`: one more than the last.
    pub count: Option<u32>,
    pub fmt: Fmt,
    /// Signs other bytes than WebAuthn's.
    pub bad_signature: bool,
}

impl Default for Bend {
    fn default() -> Self {
        Self {
            kind: None,
            origin: "https://localhost".to_owned(),
            rp_id: "localhost".to_owned(),
            flags: UP | UV,
            count: None,
            fmt: Fmt::None,
            bad_signature: false,
        }
    }
}

/// One credential on a software authenticator.
pub struct Authenticator {
    key: Key,
    pub credential_id: Vec<u8>,
    /// The last signCount reported.
    pub sign_count: u32,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).unwrap();
    bytes
}

impl Authenticator {
    /// A new credential with a random 16-byte id.
    pub fn new(alg: Alg) -> Self {
        let rng = SystemRandom::new();
        let key = match alg {
            Alg::Es256 => {
                let pkcs8 =
                    EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
                Key::Es256(
                    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref())
                        .unwrap(),
                )
            }
            Alg::Rs256 => Key::Rs256(RsaKeyPair::generate(KeySize::Rsa2048).unwrap()),
        };
        let mut credential_id = vec![0u8; 16];
        aws_lc_rs::rand::fill(&mut credential_id).unwrap();
        Self {
            key,
            credential_id,
            sign_count: 0,
        }
    }

    /// The credential id, base64url.
    pub fn id(&self) -> String {
        b64(&self.credential_id)
    }

    /// The public key as a COSE_Key.
    fn cose_key(&self) -> Vec<u8> {
        let key = match &self.key {
            Key::Es256(pair) => {
                let point = pair.public_key().as_ref();
                CoseKeyBuilder::new_ec2_pub_key(
                    iana::EllipticCurve::P_256,
                    point[1..33].to_vec(),
                    point[33..65].to_vec(),
                )
                .algorithm(iana::Algorithm::ES256)
                .build()
            }
            Key::Rs256(pair) => {
                let components = PublicKeyComponents::<Vec<u8>>::from(pair.public_key());
                CoseKey {
                    kty: KeyType::Assigned(iana::KeyType::RSA),
                    alg: Some(Algorithm::Assigned(iana::Algorithm::RS256)),
                    params: vec![
                        (Label::Int(-1), Cbor::Bytes(components.n)),
                        (Label::Int(-2), Cbor::Bytes(components.e)),
                    ],
                    ..CoseKey::default()
                }
            }
        };
        key.to_vec().unwrap()
    }

    fn alg(&self) -> i64 {
        match self.key {
            Key::Es256(_) => -7,
            Key::Rs256(_) => -257,
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        let rng = SystemRandom::new();
        match &self.key {
            Key::Es256(pair) => pair.sign(&rng, message).unwrap().as_ref().to_vec(),
            Key::Rs256(pair) => {
                let mut signature = vec![0u8; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
                    .unwrap();
                signature
            }
        }
    }

    /// authenticatorData ‖ SHA-256(clientDataJSON), or other bytes when bent.
    fn signature_over(&self, auth_data: &[u8], client_data: &[u8], bend: &Bend) -> Vec<u8> {
        let mut message = auth_data.to_vec();
        message.extend_from_slice(&Sha256::digest(client_data));
        if bend.bad_signature {
            message.push(0);
        }
        self.sign(&message)
    }

    fn next_count(&mut self, bend: &Bend) -> u32 {
        let count = bend.count.unwrap_or(self.sign_count + 1);
        self.sign_count = count;
        count
    }

    /// A RegistrationResponseJSON for the creation options' `challenge`.
    pub fn register(&mut self, challenge: &str, bend: &Bend) -> Value {
        let client_data = client_data(bend.kind.unwrap_or("webauthn.create"), challenge, bend);
        let count = self.next_count(bend);
        let mut auth_data = auth_data_header(&bend.rp_id, bend.flags | AT, count);
        auth_data.extend_from_slice(&[0u8; 16]);
        auth_data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&self.cose_key());
        let statement = match bend.fmt {
            Fmt::None => Cbor::Map(vec![]),
            Fmt::Packed | Fmt::PackedBadSignature => {
                let bent = Bend {
                    bad_signature: bend.fmt == Fmt::PackedBadSignature,
                    ..bend.clone()
                };
                let signature = self.signature_over(&auth_data, &client_data, &bent);
                Cbor::Map(vec![
                    (Cbor::Text("alg".into()), Cbor::Integer(self.alg().into())),
                    (Cbor::Text("sig".into()), Cbor::Bytes(signature)),
                ])
            }
        };
        let fmt = if bend.fmt == Fmt::None {
            "none"
        } else {
            "packed"
        };
        let object = Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text(fmt.into())),
            (Cbor::Text("attStmt".into()), statement),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]);
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&cbor(&object)),
                "transports": ["internal"],
            },
        })
    }

    /// An AuthenticationResponseJSON for the request options' `challenge`.
    pub fn assert(&mut self, challenge: &str, bend: &Bend) -> Value {
        let client_data = client_data(bend.kind.unwrap_or("webauthn.get"), challenge, bend);
        let count = self.next_count(bend);
        let auth_data = auth_data_header(&bend.rp_id, bend.flags, count);
        let signature = self.signature_over(&auth_data, &client_data, bend);
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(&signature),
            },
        })
    }
}

/// clientDataJSON as a browser writes it.
fn client_data(kind: &str, challenge: &str, bend: &Bend) -> Vec<u8> {
    json!({"type": kind, "challenge": challenge, "origin": bend.origin, "crossOrigin": false})
        .to_string()
        .into_bytes()
}

/// rpIdHash ‖ flags ‖ signCount.
fn auth_data_header(rp_id: &str, flags: u8, count: u32) -> Vec<u8> {
    let mut bytes = Sha256::digest(rp_id.as_bytes()).to_vec();
    bytes.push(flags);
    bytes.extend_from_slice(&count.to_be_bytes());
    bytes
}
