//! One harness per kind of test, shared by every story in this crate: the binary in a
//! clean environment, raw calls to the local pool, the scripted fake endpoint, the
//! pseudo-terminal, and the auth-task driver.

pub mod fake;
pub mod jwks;
pub mod pool;
pub mod pty;

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_signin::cognito::{Client, Endpoint};
use cognito_signin::crypto::totp;

/// The console's own wire client, pointed at `url`.
pub fn client_at(url: &str) -> Client {
    Client::new(Endpoint {
        url: url.to_owned(),
    })
    .expect("an http:// URL on 127.0.0.1 makes a client")
}

/// Seconds since the Unix epoch, as TOTP counts them.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The TOTP code of the base32 `secret`, `steps_ahead` 30-second steps from now.
pub fn totp_code(secret: &str, steps_ahead: u64) -> String {
    let secret = totp::decode_secret(secret).unwrap();
    totp::code_at(&secret, unix_now() + steps_ahead * totp::STEP_SECONDS)
}

/// A code as long as `code` that is certainly not `code`.
pub fn other_code(code: &str) -> String {
    let number: u64 = code.parse().expect("a code is digits");
    let width = code.len();
    let modulus = 10u64.pow(u32::try_from(width).unwrap());
    format!("{:0width$}", (number + 1) % modulus)
}
