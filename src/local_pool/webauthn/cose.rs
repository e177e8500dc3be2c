//! A credential's public key: read from its COSE_Key (RFC 9052 §7, with `coset`), kept
//! in the pool's records, and used to verify signatures with aws-lc-rs.
//!
//! Two algorithms, those StartWebAuthnRegistration offers:
//! - ES256 (COSE -7): kty EC2, crv P-256; the key is the uncompressed point
//!   0x04 ‖ x ‖ y; signatures are ASN.1 DER ECDSA over SHA-256.
//! - RS256 (COSE -257): kty RSA, n and e; RSASSA-PKCS1-v1_5 with SHA-256, 2048 to
//!   8192-bit moduli.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents, UnparsedPublicKey,
};
use coset::iana::{self, EnumI64};
use coset::{CborSerializable, CoseKey, KeyType, Label, RegisteredLabelWithPrivate};
use serde::{Deserialize, Serialize};

use crate::cognito::webauthn::{COSE_ES256, COSE_RS256};

use super::{Refusal, b64url, from_b64url};

/// P-256 coordinates are 32 bytes.
const P256_COORDINATE: usize = 32;

/// A credential's public key, base64url inside (the record is JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "alg")]
pub enum PublicKey {
    /// ES256: the uncompressed P-256 point 0x04 ‖ x ‖ y.
    Es256 { point: String },
    /// RS256: modulus and public exponent, big-endian.
    Rs256 { n: String, e: String },
}

impl PublicKey {
    /// The COSE algorithm number.
    pub fn alg(&self) -> i64 {
        match self {
            Self::Es256 { .. } => COSE_ES256,
            Self::Rs256 { .. } => COSE_RS256,
        }
    }

    /// Whether `signature` is this key's over `message` (a key that does not decode,
    /// which only a damaged record could hold, verifies nothing).
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Es256 { point } => from_b64url(point, "key").is_ok_and(|point| {
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
                    .verify(message, signature)
                    .is_ok()
            }),
            Self::Rs256 { n, e } => match (from_b64url(n, "key"), from_b64url(e, "key")) {
                (Ok(n), Ok(e)) => RsaPublicKeyComponents { n, e }
                    .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
                    .is_ok(),
                _ => false,
            },
        }
    }
}

/// Reads a COSE_Key: ES256 on P-256, or RS256. Another key type or algorithm is
/// Unsupported; a key that is not COSE is Malformed.
pub fn parse(cose_key: &[u8]) -> Result<PublicKey, Refusal> {
    let key = CoseKey::from_slice(cose_key).map_err(|_| Refusal::Malformed("public key"))?;
    let alg = match &key.alg {
        Some(RegisteredLabelWithPrivate::Assigned(alg)) => alg.to_i64(),
        _ => return Err(Refusal::Unsupported("a key without an algorithm")),
    };
    match (&key.kty, alg) {
        (KeyType::Assigned(iana::KeyType::EC2), COSE_ES256) => ec2(&key),
        (KeyType::Assigned(iana::KeyType::RSA), COSE_RS256) => rsa(&key),
        _ => Err(Refusal::Unsupported(
            "this key type; use ES256 (-7) or RS256 (-257)",
        )),
    }
}

/// A byte-string parameter of the key.
fn bytes_param(key: &CoseKey, label: i64) -> Option<&[u8]> {
    key.params
        .iter()
        .find(|(name, _)| *name == Label::Int(label))
        .and_then(|(_, value)| value.as_bytes())
        .map(Vec::as_slice)
}

/// An EC2 key on P-256 with both coordinates.
fn ec2(key: &CoseKey) -> Result<PublicKey, Refusal> {
    let curve = key
        .params
        .iter()
        .find(|(name, _)| *name == Label::Int(iana::Ec2KeyParameter::Crv.to_i64()))
        .and_then(|(_, value)| value.as_integer())
        .and_then(|crv| i64::try_from(crv).ok());
    if curve != Some(iana::EllipticCurve::P_256.to_i64()) {
        return Err(Refusal::Unsupported("this elliptic curve; use P-256"));
    }
    let x = bytes_param(key, iana::Ec2KeyParameter::X.to_i64());
    let y = bytes_param(key, iana::Ec2KeyParameter::Y.to_i64());
    match (x, y) {
        (Some(x), Some(y)) if x.len() == P256_COORDINATE && y.len() == P256_COORDINATE => {
            let point = [&[0x04], x, y].concat();
            Ok(PublicKey::Es256 {
                point: b64url(&point),
            })
        }
        _ => Err(Refusal::Malformed("public key")),
    }
}

/// An RSA key: n (leading zeros dropped) and e.
fn rsa(key: &CoseKey) -> Result<PublicKey, Refusal> {
    let n = bytes_param(key, iana::RsaKeyParameter::N.to_i64());
    let e = bytes_param(key, iana::RsaKeyParameter::E.to_i64());
    let (Some(n), Some(e)) = (n, e) else {
        return Err(Refusal::Malformed("public key"));
    };
    let n = &n[n.iter().take_while(|byte| **byte == 0).count()..];
    if !(256..=1024).contains(&n.len()) || e.is_empty() || e.len() > 8 {
        return Err(Refusal::Unsupported(
            "this RSA key size; use 2048 to 8192 bits",
        ));
    }
    Ok(PublicKey::Rs256 {
        n: b64url(n),
        e: b64url(e),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
    use coset::CoseKeyBuilder;

    fn es256_key() -> (EcdsaKeyPair, Vec<u8>) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
        let point = pair.public_key().as_ref().to_vec();
        let key = CoseKeyBuilder::new_ec2_pub_key(
            iana::EllipticCurve::P_256,
            point[1..33].to_vec(),
            point[33..].to_vec(),
        )
        .algorithm(iana::Algorithm::ES256)
        .build();
        (pair, key.to_vec().unwrap())
    }

    #[test]
    fn an_es256_key_reads_and_verifies_its_signatures() {
        let (pair, cose) = es256_key();
        let key = parse(&cose).unwrap();
        assert_eq!(key.alg(), COSE_ES256);
        let signature = pair.sign(&SystemRandom::new(), b"message").unwrap();
        assert!(key.verifies(b"message", signature.as_ref()));
        assert!(!key.verifies(b"other", signature.as_ref()));
        assert!(!key.verifies(b"message", b"garbage"));
    }

    #[test]
    fn other_curves_algorithms_and_garbage_are_refused() {
        let key =
            CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_384, vec![1; 48], vec![2; 48])
                .algorithm(iana::Algorithm::ES256)
                .build();
        assert!(matches!(
            parse(&key.to_vec().unwrap()),
            Err(Refusal::Unsupported(_))
        ));
        let key =
            CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_256, vec![1; 32], vec![2; 32])
                .algorithm(iana::Algorithm::EdDSA)
                .build();
        assert!(matches!(
            parse(&key.to_vec().unwrap()),
            Err(Refusal::Unsupported(_))
        ));
        let key =
            CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_256, vec![1; 31], vec![2; 32])
                .algorithm(iana::Algorithm::ES256)
                .build();
        assert_eq!(
            parse(&key.to_vec().unwrap()),
            Err(Refusal::Malformed("public key"))
        );
        assert_eq!(parse(b"\xff\x00"), Err(Refusal::Malformed("public key")));
    }
}
