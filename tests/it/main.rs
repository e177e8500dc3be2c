//! The integration tests, in one crate so the library links once: each theme a module
//! telling its story, and one harness per kind of test in `support`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod cli;
mod conformance;
mod flow;
mod local_pool;
mod pty;
mod support;
mod wire;
