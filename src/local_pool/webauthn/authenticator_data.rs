//! authenticatorData (WebAuthn §6.1): what the authenticator signs about itself.
//!
//! ```text
//! rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian)
//!   [‖ aaguid (16) ‖ credentialIdLength (2, big-endian) ‖ credentialId ‖ COSE key (CBOR)]  when AT
//!   [‖ extensions (CBOR)]                                                                    when ED
//! ```

use subtle::ConstantTimeEq;

use super::Refusal;

use crate::cognito::webauthn::{
    FLAG_ATTESTED_CREDENTIAL_DATA as FLAG_AT, FLAG_EXTENSION_DATA as FLAG_ED,
    FLAG_USER_PRESENT as FLAG_UP, FLAG_USER_VERIFIED as FLAG_UV, rp_id_hash,
};

/// Fixed part: rpIdHash, flags, signCount.
const HEADER_LEN: usize = 32 + 1 + 4;
/// WebAuthn's limit on a credential id (§5.8.3's note: at most 1023 bytes).
const MAX_CREDENTIAL_ID: usize = 1023;

/// A parsed authenticatorData.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    /// The new credential, present when the AT flag is.
    pub attested: Option<AttestedCredential>,
}

/// Attested credential data (§6.5.2): the credential a registration makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    /// The credential's public key, a COSE_Key in CBOR.
    pub cose_key: Vec<u8>,
}

/// Reads authenticatorData; Malformed when it is short or its lengths do not add up.
pub fn parse(bytes: &[u8]) -> Result<AuthenticatorData, Refusal> {
    let malformed = Refusal::Malformed("authenticatorData");
    let header = bytes.get(..HEADER_LEN).ok_or(malformed)?;
    let (rp_id_hash, rest) = header.split_at(32);
    let rp_id_hash: [u8; 32] = rp_id_hash.try_into().map_err(|_| malformed)?;
    let flags = rest[0];
    let sign_count = u32::from_be_bytes(rest[1..5].try_into().map_err(|_| malformed)?);
    let mut tail = &bytes[HEADER_LEN..];
    let attested = if flags & FLAG_AT != 0 {
        Some(attested_credential(&mut tail)?)
    } else {
        None
    };
    if flags & FLAG_ED != 0 {
        skip_cbor(&mut tail)?;
    }
    if !tail.is_empty() {
        return Err(malformed);
    }
    Ok(AuthenticatorData {
        rp_id_hash,
        flags,
        sign_count,
        attested,
    })
}

/// Reads attested credential data from the front of `tail`, and moves past it.
fn attested_credential(tail: &mut &[u8]) -> Result<AttestedCredential, Refusal> {
    let malformed = Refusal::Malformed("authenticatorData");
    let aaguid: [u8; 16] = tail
        .get(..16)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(malformed)?;
    let length = tail
        .get(16..18)
        .map(|bytes| usize::from(u16::from_be_bytes([bytes[0], bytes[1]])))
        .ok_or(malformed)?;
    if length == 0 || length > MAX_CREDENTIAL_ID {
        return Err(malformed);
    }
    let credential_id = tail.get(18..18 + length).ok_or(malformed)?.to_vec();
    *tail = &tail[18 + length..];
    let before = *tail;
    skip_cbor(tail)?;
    let cose_key = before[..before.len() - tail.len()].to_vec();
    Ok(AttestedCredential {
        aaguid,
        credential_id,
        cose_key,
    })
}

/// Moves `tail` past one CBOR item.
fn skip_cbor(tail: &mut &[u8]) -> Result<(), Refusal> {
    ciborium::from_reader::<ciborium::Value, _>(&mut *tail)
        .map(|_| ())
        .map_err(|_| Refusal::Malformed("authenticatorData"))
}

impl AuthenticatorData {
    /// §7.1 steps 13–15 and §7.2 steps 15–17: rpIdHash = SHA-256(rpId), UP set, UV set
    /// when the pool requires it.
    pub fn check(&self, rp_id: &str, uv_required: bool) -> Result<(), Refusal> {
        if !bool::from(self.rp_id_hash.ct_eq(&rp_id_hash(rp_id))) {
            return Err(Refusal::RelyingPartyMismatch);
        }
        if self.flags & FLAG_UP == 0 {
            return Err(Refusal::NoUserPresence);
        }
        if uv_required && self.flags & FLAG_UV == 0 {
            return Err(Refusal::NoUserVerification);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn header(flags: u8, count: u32) -> Vec<u8> {
        let mut bytes = Sha256::digest(b"localhost").to_vec();
        bytes.push(flags);
        bytes.extend_from_slice(&count.to_be_bytes());
        bytes
    }

    #[test]
    fn an_assertions_data_reads_and_checks() {
        let data = parse(&header(FLAG_UP | FLAG_UV, 7)).unwrap();
        assert_eq!(data.sign_count, 7);
        assert!(data.attested.is_none());
        assert_eq!(data.check("localhost", true), Ok(()));
        assert_eq!(
            data.check("example.com", false),
            Err(Refusal::RelyingPartyMismatch)
        );
        let no_uv = parse(&header(FLAG_UP, 7)).unwrap();
        assert_eq!(no_uv.check("localhost", false), Ok(()));
        assert_eq!(
            no_uv.check("localhost", true),
            Err(Refusal::NoUserVerification)
        );
        let no_up = parse(&header(FLAG_UV, 7)).unwrap();
        assert_eq!(
            no_up.check("localhost", false),
            Err(Refusal::NoUserPresence)
        );
    }

    #[test]
    fn attested_data_splits_at_the_end_of_the_key() {
        let mut bytes = header(FLAG_UP | FLAG_AT, 0);
        bytes.extend_from_slice(&[9; 16]);
        bytes.extend_from_slice(&[0, 3, 1, 2, 3]);
        let mut key = Vec::new();
        ciborium::into_writer(&ciborium::Value::Map(vec![]), &mut key).unwrap();
        bytes.extend_from_slice(&key);
        let attested = parse(&bytes).unwrap().attested.unwrap();
        assert_eq!(attested.credential_id, vec![1, 2, 3]);
        assert_eq!(attested.cose_key, key);
        bytes.push(0);
        assert!(parse(&bytes).is_err(), "trailing bytes");
    }

    #[test]
    fn short_or_inconsistent_data_is_malformed() {
        assert!(parse(&[0; 10]).is_err());
        let mut bytes = header(FLAG_UP | FLAG_AT, 0);
        bytes.extend_from_slice(&[9; 16]);
        bytes.extend_from_slice(&[0xff, 0xff, 1]);
        assert!(parse(&bytes).is_err());
    }
}
