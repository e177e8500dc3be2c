//! One harness per kind of test, shared by every story in this crate: the binary in a
//! clean environment, raw calls to the local pool, the scripted fake endpoint, the
//! pseudo-terminal, and the auth-task driver.

pub mod binary;
pub mod fake;
pub mod flow;
pub mod jwks;
pub mod pool;
pub mod pty;
#[cfg(feature = "security-key")]
pub mod security_key;

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_signin::cognito::{Client, Endpoint};
use cognito_signin::crypto::totp;

/// How long any single wait in a test may take before it fails.
pub const BOUND: Duration = Duration::from_secs(60);

/// Awaits `future` for at most [`BOUND`], so a wait for something that never comes
/// fails the test instead of hanging it.
pub async fn bounded<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not come within {BOUND:?}"))
}

/// The console's own wire client, pointed at `url`.
pub fn client_at(url: &str) -> Client {
    Client::new(Endpoint {
        url: url.to_owned(),
    })
    .expect("an http:// URL on 127.0.0.1 makes a client")
}

/// The URL of a port on 127.0.0.1 that nothing listens on: the OS picks it, and it is
/// let go at once.
pub fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/")
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
