//! The pool's clock: the system time plus an offset that tests may push forward, so
//! session expiry and TIMESTAMP checks are tested without sleeping.

use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;

/// Wall-clock time as the pool sees it.
#[derive(Debug, Default)]
pub struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    /// Now, in UTC, plus whatever tests have advanced the clock by.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset()
    }

    /// Moves the pool's clock forward (tests only).
    pub fn advance(&self, by: Duration) {
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset = offset.saturating_add(by);
    }

    fn offset(&self) -> Duration {
        *self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(600));
        let after = clock.now();
        assert!(after - before >= time::Duration::seconds(600));
    }
}
