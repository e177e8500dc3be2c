//! Registering a credential (WebAuthn §7.1): the checks CompleteWebAuthnRegistration
//! makes before a passkey is kept.
//!
//! In order: the response's type and ids; clientDataJSON (type `webauthn.create`, the
//! pending challenge, an allowed origin); the attestation object (CBOR: `fmt`,
//! `attStmt`, `authData`); authData's rpIdHash = SHA-256(rpId), UP, UV when required,
//! attested credential data whose id is the response's id; the COSE key (ES256 or
//! RS256); the attestation statement: `none` (empty attStmt) or `packed`
//! self-attestation (`alg` = the key's, `sig` over authData ‖ SHA-256(clientDataJSON)
//! verified with the credential's own key, no `x5c`). Other formats and certificate
//! chains are WebAuthnCredentialNotSupportedException.

use ciborium::Value;
use sha2::{Digest, Sha256};

use crate::cognito::webauthn::{CLIENT_DATA_CREATE, PUBLIC_KEY, RegistrationResponse};

use super::authenticator_data::{self, AttestedCredential};
use super::client_data;
use super::cose::{self, PublicKey};
use super::{Refusal, b64url, from_b64url};

/// What the registration must match.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The challenge StartWebAuthnRegistration issued.
    pub challenge: &'a str,
    pub rp_id: &'a str,
    pub uv_required: bool,
}

/// A verified new credential.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCredential {
    /// Base64url of the credential id.
    pub credential_id: String,
    pub public_key: PublicKey,
    pub sign_count: u32,
    pub aaguid: [u8; 16],
}

/// The three members of an attestation object.
struct Attestation {
    fmt: String,
    statement: Vec<(Value, Value)>,
    auth_data: Vec<u8>,
}

/// Verifies a RegistrationResponseJSON against the pending challenge.
pub fn verify(
    response: &RegistrationResponse,
    expected: Expected<'_>,
) -> Result<NewCredential, Refusal> {
    if response.kind != PUBLIC_KEY || response.id != response.raw_id {
        return Err(Refusal::Malformed("id or type"));
    }
    let id = from_b64url(&response.id, "id")?;
    let client_data_json = from_b64url(&response.response.client_data_json, "clientDataJSON")?;
    client_data::check(
        &client_data_json,
        client_data::Expected {
            kind: CLIENT_DATA_CREATE,
            challenge: expected.challenge,
            rp_id: expected.rp_id,
        },
    )?;
    let object = from_b64url(&response.response.attestation_object, "attestationObject")?;
    let attestation = read_attestation(&object)?;
    let data = authenticator_data::parse(&attestation.auth_data)?;
    data.check(expected.rp_id, expected.uv_required)?;
    let Some(AttestedCredential {
        aaguid,
        credential_id,
        cose_key,
    }) = data.attested
    else {
        return Err(Refusal::Malformed("attested credential data"));
    };
    if credential_id != id {
        return Err(Refusal::Malformed(
            "id (it is not the attested credential's)",
        ));
    }
    let public_key = cose::parse(&cose_key)?;
    check_statement(&attestation, &public_key, &client_data_json)?;
    Ok(NewCredential {
        credential_id: b64url(&credential_id),
        public_key,
        sign_count: data.sign_count,
        aaguid,
    })
}

/// Reads the CBOR attestation object.
fn read_attestation(object: &[u8]) -> Result<Attestation, Refusal> {
    let malformed = Refusal::Malformed("attestationObject");
    let value: Value = ciborium::from_reader(object).map_err(|_| malformed)?;
    let Value::Map(entries) = value else {
        return Err(malformed);
    };
    let member = |name: &str| {
        entries
            .iter()
            .find(|(key, _)| key.as_text() == Some(name))
            .map(|(_, value)| value.clone())
    };
    match (member("fmt"), member("attStmt"), member("authData")) {
        (Some(Value::Text(fmt)), Some(Value::Map(statement)), Some(Value::Bytes(auth_data))) => {
            Ok(Attestation {
                fmt,
                statement,
                auth_data,
            })
        }
        _ => Err(malformed),
    }
}

/// Checks the attestation statement: `none`, or `packed` self-attestation.
fn check_statement(
    attestation: &Attestation,
    key: &PublicKey,
    client_data_json: &[u8],
) -> Result<(), Refusal> {
    match attestation.fmt.as_str() {
        "none" if attestation.statement.is_empty() => Ok(()),
        "none" => Err(Refusal::Malformed("attStmt")),
        "packed" => check_packed(attestation, key, client_data_json),
        _ => Err(Refusal::Unsupported(
            "this attestation format; use \"none\" or \"packed\" self-attestation",
        )),
    }
}

/// Packed self-attestation (WebAuthn §8.2): no x5c; `alg` is the credential's;
/// `sig` verifies with the credential's key over authData ‖ SHA-256(clientDataJSON).
fn check_packed(
    attestation: &Attestation,
    key: &PublicKey,
    client_data_json: &[u8],
) -> Result<(), Refusal> {
    let member = |name: &str| {
        attestation
            .statement
            .iter()
            .find(|(key, _)| key.as_text() == Some(name))
            .map(|(_, value)| value)
    };
    if member("x5c").is_some() {
        return Err(Refusal::Unsupported(
            "attestation certificates (x5c); use self-attestation or \"none\"",
        ));
    }
    let alg = member("alg")
        .and_then(Value::as_integer)
        .and_then(|alg| i64::try_from(alg).ok());
    let Some(Value::Bytes(signature)) = member("sig") else {
        return Err(Refusal::Malformed("attStmt"));
    };
    if alg != Some(key.alg()) {
        return Err(Refusal::Malformed("attStmt alg"));
    }
    let message = signed_data(&attestation.auth_data, client_data_json);
    if key.verifies(&message, signature) {
        Ok(())
    } else {
        Err(Refusal::BadSignature)
    }
}

/// What an authenticator signs: authenticatorData ‖ SHA-256(clientDataJSON).
pub fn signed_data(auth_data: &[u8], client_data_json: &[u8]) -> Vec<u8> {
    let mut message = auth_data.to_vec();
    message.extend_from_slice(&Sha256::digest(client_data_json));
    message
}
