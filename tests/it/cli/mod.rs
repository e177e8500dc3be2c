//! The real binary's command line, run in a clean environment: its arguments, plain
//! mode, the token commands and remembered devices.

mod args;
mod devices;
mod plain;
mod sign_in_names;
mod tokens;
