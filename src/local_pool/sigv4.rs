//! SigV4 checks for the operations Cognito answers only for AWS credentials (Admin*,
//! and creating or describing pools and clients). A pool with no access keys is open,
//! as moto is; once keys are configured (pool file `[[access_key]]`, `serve
//! --access-key`), such a call must be signed by one of them:
//! - no Authorization header → MissingAuthenticationTokenException;
//! - an unknown key id → UnrecognizedClientException;
//! - a signature that differs, or a date more than 15 minutes from the pool's clock →
//!   InvalidSignatureException.
//!
//! Signing is done by the `aws-sigv4` crate on the client side; this is the check,
//! which no crate offers, written out from the SigV4 definition:
//!   canonical request = METHOD \n PATH \n QUERY \n name:value\n per signed header \n
//!                       signed header names ; joined \n hex(SHA-256(body))
//!   string to sign    = "AWS4-HMAC-SHA256" \n X-Amz-Date \n scope \n hex(SHA-256(canonical request))
//!   key               = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
//!   signature         = hex(HMAC(key, string to sign))

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use time::macros::format_description;

use super::error::{ApiError, ErrorType};
use crate::cognito::signing;
use crate::sensitive::SensitiveString;

/// How far X-Amz-Date may be from the pool's clock, either way.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// Whether `operation` needs a signature: every operation but a user's own.
pub fn needs_signature(operation: &str) -> bool {
    !signing::is_public(operation)
}

/// Checks the request's signature against `keys` (access key id → secret).
pub fn verify(
    keys: &BTreeMap<String, SensitiveString>,
    headers: &HeaderMap,
    body: &[u8],
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let authorization = header(headers, "authorization").ok_or_else(|| {
        ApiError::new(
            ErrorType::MissingAuthenticationToken,
            "Missing Authentication Token",
        )
    })?;
    let parts = Authorization::parse(authorization).ok_or_else(|| {
        ApiError::new(
            ErrorType::InvalidSignature,
            "The Authorization header is not an AWS4-HMAC-SHA256 signature.",
        )
    })?;
    let secret = keys.get(parts.access_key_id).ok_or_else(|| {
        ApiError::new(
            ErrorType::UnrecognizedClient,
            "The security token included in the request is invalid.",
        )
    })?;
    let amz_date = header(headers, "x-amz-date").ok_or_else(invalid_signature)?;
    let signed_at = parse_amz_date(amz_date).ok_or_else(invalid_signature)?;
    if (signed_at - now).abs() > CLOCK_SKEW {
        return Err(ApiError::new(
            ErrorType::InvalidSignature,
            "Signature expired: the request's X-Amz-Date is more than 15 minutes from the server's time.",
        ));
    }
    let scope = format!(
        "{}/{}/{}/aws4_request",
        parts.date, parts.region, parts.service
    );
    if !amz_date.starts_with(parts.date) {
        return Err(invalid_signature());
    }
    // The pool answers POST / only, with no query string.
    let mut canonical = String::from("POST\n/\n\n");
    for name in &parts.signed_headers {
        let value = header(headers, name).ok_or_else(invalid_signature)?;
        canonical.push_str(&format!("{name}:{}\n", value.trim()));
    }
    canonical.push_str(&format!(
        "\n{}\n{}",
        parts.signed_headers.join(";"),
        hex::encode(Sha256::digest(body))
    ));
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", secret.expose()).as_bytes(),
        parts.date.as_bytes(),
    );
    for part in [parts.region, parts.service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    if expected.as_bytes().ct_eq(parts.signature.as_bytes()).into() {
        Ok(())
    } else {
        Err(invalid_signature())
    }
}

/// Cognito's words for a signature that does not match.
fn invalid_signature() -> ApiError {
    ApiError::new(
        ErrorType::InvalidSignature,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    )
}

/// HMAC-SHA-256(key, data).
fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// `20261122T101500Z`.
fn parse_amz_date(text: &str) -> Option<OffsetDateTime> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request,
/// SignedHeaders=a;b, Signature=hex`.
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<String>,
    signature: &'a str,
}

impl<'a> Authorization<'a> {
    fn parse(header: &'a str) -> Option<Self> {
        let rest = header.strip_prefix("AWS4-HMAC-SHA256")?.trim();
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (name, value) = part.trim().split_once('=')?;
            match name {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed_headers = Some(value),
                "Signature" => signature = Some(value),
                _ => {}
            }
        }
        let mut scope = credential?.split('/');
        let (access_key_id, date, region, service, terminal) = (
            scope.next()?,
            scope.next()?,
            scope.next()?,
            scope.next()?,
            scope.next()?,
        );
        if terminal != "aws4_request" || scope.next().is_some() {
            return None;
        }
        Some(Self {
            access_key_id,
            date,
            region,
            service,
            signed_headers: signed_headers?
                .split(';')
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: signature?,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::*;
    use crate::cognito::protocol;
    use crate::cognito::signing::{AwsCredentials, Signer};

    const URL: &str = "http://127.0.0.1:9229/";

    fn keys() -> BTreeMap<String, SensitiveString> {
        BTreeMap::from([(
            "AKIDEXAMPLE".to_owned(),
            SensitiveString::from("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        )])
    }

    /// Headers as the console's client (aws-sigv4) signs them, for `secret`.
    fn signed(secret: &str, body: &[u8], at: SystemTime) -> HeaderMap {
        let signer = Signer::new(
            AwsCredentials {
                access_key_id: "AKIDEXAMPLE".into(),
                secret_access_key: secret.into(),
                session_token: None,
            },
            "us-east-1",
        );
        let target = protocol::target("AdminInitiateAuth");
        let sent = [
            ("content-type", protocol::CONTENT_TYPE),
            ("x-amz-target", target.as_str()),
        ];
        let mut headers = HeaderMap::new();
        for (name, value) in sent {
            headers.insert(name, value.parse().unwrap());
        }
        headers.insert("host", "127.0.0.1:9229".parse().unwrap());
        for (name, value) in signer.sign(URL, &sent, body, at).unwrap() {
            headers.insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        headers
    }

    fn at(seconds: u64) -> (SystemTime, OffsetDateTime) {
        let system = UNIX_EPOCH + Duration::from_secs(seconds);
        let offset = OffsetDateTime::from_unix_timestamp(seconds as i64).unwrap();
        (system, offset)
    }

    #[test]
    fn a_signature_made_by_aws_sigv4_is_accepted() {
        let (system, now) = at(1_795_000_000);
        let body = br#"{"UserPoolId":"us-east-1_P"}"#;
        let headers = signed("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", body, system);
        assert_eq!(verify(&keys(), &headers, body, now), Ok(()));
    }

    #[test]
    fn a_wrong_secret_a_changed_body_or_an_old_date_is_refused() {
        let (system, now) = at(1_795_000_000);
        let body = br#"{"UserPoolId":"us-east-1_P"}"#;
        let wrong = signed("not-the-secret", body, system);
        assert_eq!(
            verify(&keys(), &wrong, body, now).unwrap_err().error_type,
            ErrorType::InvalidSignature
        );
        let good = signed("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", body, system);
        assert_eq!(
            verify(&keys(), &good, br#"{"UserPoolId":"us-east-1_Q"}"#, now)
                .unwrap_err()
                .error_type,
            ErrorType::InvalidSignature
        );
        let later = now + time::Duration::minutes(16);
        let expired = verify(&keys(), &good, body, later).unwrap_err();
        assert!(
            expired.message.starts_with("Signature expired"),
            "{expired:?}"
        );
    }

    #[test]
    fn no_signature_and_an_unknown_key_have_their_own_errors() {
        let (system, now) = at(1_795_000_000);
        assert_eq!(
            verify(&keys(), &HeaderMap::new(), b"{}", now)
                .unwrap_err()
                .error_type,
            ErrorType::MissingAuthenticationToken
        );
        let headers = signed("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"{}", system);
        let others = BTreeMap::from([("AKIDOTHER".to_owned(), SensitiveString::from("x"))]);
        assert_eq!(
            verify(&others, &headers, b"{}", now)
                .unwrap_err()
                .error_type,
            ErrorType::UnrecognizedClient
        );
    }

    #[test]
    fn admin_calls_need_a_signature_and_a_users_own_do_not() {
        assert!(needs_signature("AdminInitiateAuth"));
        assert!(needs_signature("CreateUserPool"));
        assert!(!needs_signature("InitiateAuth"));
        assert!(!needs_signature("ListDevices"));
    }
}
