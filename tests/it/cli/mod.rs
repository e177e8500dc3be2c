//! The real binary's command line, run in a clean environment: its arguments, plain
//! mode, the token commands, remembered devices, account security (`mfa`, `password`),
//! and what `serve` shows of what it sends.

mod account;
mod args;
mod config;
mod data_dir;
mod devices;
mod manual;
mod passkeys;
mod plain;
mod serve;
mod sign_in_names;
mod tokens;
