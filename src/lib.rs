//! cognito-signin: a terminal sign-in console for Amazon Cognito user pools, and a
//! Cognito-compatible local pool to try it on. See `ARCHITECTURE.md` for the layers.

pub mod auth;
pub mod cli;
pub mod cognito;
pub mod commands;
pub mod config;
pub mod crypto;
pub mod local_pool;
pub mod outbox;
pub mod passkey;
pub mod plain;
pub mod saved_pools;
pub mod sensitive;
pub mod signals;
#[cfg(test)]
pub(crate) mod test_support;
pub mod toml_errors;
pub mod trace;
pub mod tui;
