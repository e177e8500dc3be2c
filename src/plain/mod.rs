//! The line front end, for pipes and `--plain`. CONTRACT — the TUI helper writes it.

use crate::auth::{FrontEndChannels, Outcome, SessionInfo};

/// Prompts on stderr and reads one answer per line from stdin until sign-in or failure.
pub async fn run(_channels: FrontEndChannels, _info: SessionInfo) -> std::io::Result<Outcome> {
    todo!()
}
