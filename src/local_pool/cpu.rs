//! Turns at the processor for the operations that are mostly arithmetic: sign-ins (SRP's
//! exponentiations, RS256 signatures) and password changes (a new SRP verifier).
//!
//! At most one such call per core runs at a time; the others wait their turn without a
//! thread. So however many connections sign in at once, the operating system never has
//! more arithmetic threads than cores to share out, and a cheap call (GetUser, say)
//! is scheduled within a time slice instead of behind dozens of runnable threads.
//! Throughput is the same: the arithmetic could not use more cores than there are.

use std::num::NonZeroUsize;

use tokio::sync::{Semaphore, SemaphorePermit};

/// The operations whose work is mostly cryptography.
const ARITHMETIC: &[&str] = &[
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "ChangePassword",
    "ConfirmForgotPassword",
];

/// One turn per core for the arithmetic operations.
#[derive(Debug)]
pub struct CpuTurns {
    turns: Semaphore,
}

impl Default for CpuTurns {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self {
            turns: Semaphore::new(cores),
        }
    }
}

impl CpuTurns {
    /// Waits for a turn when `operation` is arithmetic; cheap operations go at once
    /// (`None`). The turn ends when the permit is dropped.
    pub async fn wait_for(&self, operation: &str) -> Option<SemaphorePermit<'_>> {
        if !ARITHMETIC.contains(&operation) {
            return None;
        }
        // The semaphore is never closed, so acquiring only fails if it were.
        self.turns.acquire().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_arithmetic_operations_take_a_turn() {
        let turns = CpuTurns::default();
        assert!(turns.wait_for("GetUser").await.is_none());
        assert!(turns.wait_for("InitiateAuth").await.is_some());
    }

    #[tokio::test]
    async fn no_more_turns_than_cores_are_out_at_once() {
        let turns = CpuTurns::default();
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        let mut held = Vec::new();
        for _ in 0..cores {
            held.push(turns.wait_for("RespondToAuthChallenge").await);
        }
        assert_eq!(turns.turns.available_permits(), 0);
        drop(held);
        assert_eq!(turns.turns.available_permits(), cores);
    }
}
