//! The harnesses the stories share.

pub mod fake;
pub mod pool;
pub mod pty;
