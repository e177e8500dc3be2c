//! The authenticator's bytes (WebAuthn §6.1, §6.5): authenticatorData, the credential's
//! public key as a COSE_Key, and the "none" attestation object around them.

use ciborium::Value;
use coset::iana;
use coset::{CborSerializable, CoseKeyBuilder};

use super::PasskeyError;

// The flags the software passkey sets: UP (the person asked the console to sign in or
// register), UV (see `docs/passkeys.md` for what that means here), and AT on
// registration. BE and BS stay 0: the key lives in one file on one machine, never synced.
pub use crate::cognito::webauthn::{
    FLAG_ATTESTED_CREDENTIAL_DATA, FLAG_BACKED_UP, FLAG_BACKUP_ELIGIBLE, FLAG_USER_PRESENT,
    FLAG_USER_VERIFIED, rp_id_hash,
};

/// The software passkey's AAGUID: 16 zero bytes, WebAuthn's "no model named", which is
/// what a "none" attestation carries (§5.4.7: the client may zero it). A made-up AAGUID
/// would name a model no metadata service knows.
pub const AAGUID: [u8; 16] = [0; 16];

/// The length of an uncompressed P-256 point: 0x04 ‖ x (32) ‖ y (32).
const P256_POINT_LEN: usize = 65;

/// authenticatorData of a sign-in:
/// rpIdHash (32) ‖ flags = UP|UV (1) ‖ signCount (4, big-endian).
pub fn assertion_data(rp_id: &str, sign_count: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity(37);
    data.extend_from_slice(&rp_id_hash(rp_id));
    data.push(FLAG_USER_PRESENT | FLAG_USER_VERIFIED);
    data.extend_from_slice(&sign_count.to_be_bytes());
    data
}

/// authenticatorData of a registration:
/// rpIdHash (32) ‖ flags = UP|UV|AT (1) ‖ signCount = 0 (4) ‖ attestedCredentialData,
/// where attestedCredentialData = AAGUID (16) ‖ credentialIdLength (2, big-endian) ‖
/// credentialId ‖ credentialPublicKey (COSE_Key, [`cose_es256_key`]).
pub fn registration_data(
    rp_id: &str,
    credential_id: &[u8],
    public_point: &[u8],
) -> Result<Vec<u8>, PasskeyError> {
    let id_length = u16::try_from(credential_id.len()).map_err(|_| PasskeyError::Crypto {
        action: "encode a credential id longer than 65535 bytes",
    })?;
    let cose_key = cose_es256_key(public_point)?;
    let mut data = Vec::with_capacity(55 + credential_id.len() + cose_key.len());
    data.extend_from_slice(&rp_id_hash(rp_id));
    data.push(FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED_CREDENTIAL_DATA);
    data.extend_from_slice(&0u32.to_be_bytes());
    data.extend_from_slice(&AAGUID);
    data.extend_from_slice(&id_length.to_be_bytes());
    data.extend_from_slice(credential_id);
    data.extend_from_slice(&cose_key);
    Ok(data)
}

/// The COSE_Key of an ES256 public key (RFC 9052 §7, RFC 9053 §7.1.1):
/// {1 (kty): 2 (EC2), 3 (alg): -7 (ES256), -1 (crv): 1 (P-256), -2 (x): bytes, -3 (y): bytes},
/// from the uncompressed point 0x04 ‖ x ‖ y that aws-lc-rs gives.
pub fn cose_es256_key(public_point: &[u8]) -> Result<Vec<u8>, PasskeyError> {
    let not_a_point = PasskeyError::Crypto {
        action: "read its public key (not an uncompressed P-256 point)",
    };
    if public_point.len() != P256_POINT_LEN || public_point.first() != Some(&0x04) {
        return Err(not_a_point);
    }
    let (x, y) = public_point[1..].split_at(32);
    CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_256, x.to_vec(), y.to_vec())
        .algorithm(iana::Algorithm::ES256)
        .build()
        .to_vec()
        .map_err(|_| PasskeyError::Crypto {
            action: "encode its public key as a COSE key",
        })
}

/// The attestation object of "none" attestation (WebAuthn §6.5.4, §8.7):
/// CBOR {"fmt": "none", "attStmt": {}, "authData": bytes}, keys in CTAP2's canonical
/// order (shorter first).
pub fn none_attestation_object(auth_data: &[u8]) -> Result<Vec<u8>, PasskeyError> {
    let object = Value::Map(vec![
        (Value::Text("fmt".into()), Value::Text("none".into())),
        (Value::Text("attStmt".into()), Value::Map(Vec::new())),
        (
            Value::Text("authData".into()),
            Value::Bytes(auth_data.to_vec()),
        ),
    ]);
    let mut bytes = Vec::new();
    ciborium::into_writer(&object, &mut bytes).map_err(|_| PasskeyError::Crypto {
        action: "encode the attestation object",
    })?;
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn assertion_data_is_hash_flags_and_counter() {
        let data = assertion_data("example.com", 0x0102_0304);
        assert_eq!(data.len(), 37);
        assert_eq!(data[..32], Sha256::digest(b"example.com")[..]);
        assert_eq!(data[32], 0x05);
        assert_eq!(data[33..], [1, 2, 3, 4]);
    }

    #[test]
    fn the_cose_key_has_ctap2s_canonical_labels_in_order() {
        let mut point = vec![0x04];
        point.extend(1..=64u8);
        let cose = cose_es256_key(&point).unwrap();
        let entries = ciborium::from_reader::<Value, _>(cose.as_slice())
            .unwrap()
            .into_map()
            .unwrap();
        let labels: Vec<i128> = entries
            .iter()
            .map(|(label, _)| label.as_integer().unwrap().into())
            .collect();
        assert_eq!(labels, [1, 3, -1, -2, -3]);
        assert_eq!(entries[0].1, Value::Integer(2.into()));
        assert_eq!(entries[1].1, Value::Integer((-7).into()));
        assert_eq!(entries[2].1, Value::Integer(1.into()));
        assert_eq!(entries[3].1, Value::Bytes(point[1..33].to_vec()));
        assert_eq!(entries[4].1, Value::Bytes(point[33..].to_vec()));
    }

    #[test]
    fn a_compressed_or_short_point_is_refused() {
        assert!(cose_es256_key(&[0x02; 33]).is_err());
        assert!(cose_es256_key(&[0x04; 64]).is_err());
    }
}
