//! The sign-in flow through the real auth task and wire client, as a front end drives
//! it: against the local pool, and against the scripted fake endpoint.

mod account;
mod as_cognito;
mod challenges;
mod passkeys;
#[cfg(feature = "security-key")]
mod security_keys;
mod sign_in;
mod trace;
