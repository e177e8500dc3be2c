//! The terminal front end (ratatui + crossterm). CONTRACT — the TUI helper writes it.

use crate::auth::{FrontEndChannels, Outcome, SessionInfo};

/// Runs the console on the terminal (drawn on stderr/tty, never stdout) until the
/// person signs in or quits. The terminal is restored on every exit path.
pub async fn run(_channels: FrontEndChannels, _info: SessionInfo) -> std::io::Result<Outcome> {
    todo!()
}
