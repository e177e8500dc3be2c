//! Verifying a sign-in assertion (WebAuthn §7.2), the WEB_AUTHN answer's CREDENTIAL.
//!
//! In order: the response's type and ids; clientDataJSON (type `webauthn.get`, the
//! session's challenge, an allowed origin); authenticatorData's rpIdHash, UP, UV when
//! required; the signature over authenticatorData ‖ SHA-256(clientDataJSON) with the
//! stored key; userHandle, when given, is the user's; then signCount (§6.1.1): when
//! the stored or the new count is non-zero the new one must be greater, else the
//! authenticator may be a clone and the assertion is refused.

use crate::cognito::webauthn::{AuthenticationResponse, CLIENT_DATA_GET, PUBLIC_KEY};

use super::cose::PublicKey;
use super::registration::signed_data;
use super::{Refusal, authenticator_data, client_data, from_b64url};

/// What the assertion must match: the session's challenge and the stored credential.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    pub challenge: &'a str,
    pub rp_id: &'a str,
    pub uv_required: bool,
    pub public_key: &'a PublicKey,
    /// The signCount stored with the credential.
    pub sign_count: u32,
    /// The user's handle (base64url).
    pub user_handle: &'a str,
}

/// Verifies an assertion; Ok(the new signCount to store).
pub fn verify(response: &AuthenticationResponse, expected: Expected<'_>) -> Result<u32, Refusal> {
    if response.kind != PUBLIC_KEY || response.id != response.raw_id {
        return Err(Refusal::Malformed("id or type"));
    }
    let answer = &response.response;
    let client_data_json = from_b64url(&answer.client_data_json, "clientDataJSON")?;
    client_data::check(
        &client_data_json,
        client_data::Expected {
            kind: CLIENT_DATA_GET,
            challenge: expected.challenge,
            rp_id: expected.rp_id,
        },
    )?;
    let auth_data = from_b64url(&answer.authenticator_data, "authenticatorData")?;
    let data = authenticator_data::parse(&auth_data)?;
    data.check(expected.rp_id, expected.uv_required)?;
    let signature = from_b64url(&answer.signature, "signature")?;
    if !expected
        .public_key
        .verifies(&signed_data(&auth_data, &client_data_json), &signature)
    {
        return Err(Refusal::BadSignature);
    }
    if let Some(handle) = answer.user_handle.as_deref().filter(|h| !h.is_empty())
        && from_b64url(handle, "userHandle")? != from_b64url(expected.user_handle, "userHandle")?
    {
        return Err(Refusal::UnknownCredential);
    }
    next_sign_count(expected.sign_count, data.sign_count)
}

/// §6.1.1: counts that are both zero mean the authenticator keeps none; otherwise the
/// new count must exceed the stored one.
pub fn next_sign_count(stored: u32, new: u32) -> Result<u32, Refusal> {
    if (stored != 0 || new != 0) && new <= stored {
        return Err(Refusal::SignCountNotIncreased);
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_counts_must_grow_unless_both_are_zero() {
        assert_eq!(next_sign_count(0, 0), Ok(0));
        assert_eq!(next_sign_count(0, 1), Ok(1));
        assert_eq!(next_sign_count(5, 6), Ok(6));
        assert_eq!(next_sign_count(5, 5), Err(Refusal::SignCountNotIncreased));
        assert_eq!(next_sign_count(5, 4), Err(Refusal::SignCountNotIncreased));
        assert_eq!(next_sign_count(5, 0), Err(Refusal::SignCountNotIncreased));
    }
}
