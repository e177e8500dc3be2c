//! Temporary lockout after failed sign-in attempts, as the developer guide's
//! "Authentication with Amazon Cognito user pools" describes it (Lockout behavior for
//! failed sign-in attempts): five failures are free; after the n-th failure (n ≥ 5) the
//! user is locked for 2^(n−5) seconds, at most about 15 minutes. An attempt during the
//! lock is refused with NotAuthorizedException "Password attempts exceeded", whether the
//! password is right or not, and does not lengthen the lock. The count goes back to 0
//! when the user signs in, or after 15 minutes without any attempt. Wrong MFA codes
//! count the same way ("Adding MFA to a user pool": after five unsuccessful attempts to
//! present an MFA code, the same lockout begins); this pool keeps one count for both.
//!
//! Everything here runs on the pool's clock, so tests move time instead of sleeping.

use time::{Duration, OffsetDateTime};

use super::error::{ApiError, ErrorType};

/// Failed attempts allowed before the first lock.
pub const FREE_FAILURES: u32 = 5;

/// The longest lock: "approximately 15 minutes".
pub const LONGEST_LOCK: Duration = Duration::minutes(15);

/// Quiet time after which the count starts again from 0.
pub const QUIET_RESET: Duration = Duration::minutes(15);

/// Cognito's answer to an attempt during a lock.
pub fn attempts_exceeded() -> ApiError {
    ApiError::new(ErrorType::NotAuthorized, "Password attempts exceeded")
}

/// How long the n-th failure locks the user: 2^(n−5) seconds from the 5th failure on,
/// capped at [`LONGEST_LOCK`]; nothing before.
pub fn lock_after(failures: u32) -> Duration {
    let Some(exponent) = failures.checked_sub(FREE_FAILURES) else {
        return Duration::ZERO;
    };
    // 2^10 s is already past 15 minutes, so larger exponents need not be computed.
    let seconds = 1i64 << exponent.min(10);
    Duration::seconds(seconds).min(LONGEST_LOCK)
}

/// One user's failed attempts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lockout {
    /// Failed attempts counted so far (refused ones during a lock are not counted).
    failures: u32,
    /// Until when attempts are refused.
    locked_until: Option<OffsetDateTime>,
    /// The last attempt of any kind, for the 15 quiet minutes that reset the count.
    last_attempt: Option<OffsetDateTime>,
}

impl Lockout {
    /// An attempt starts: forgets the count after 15 quiet minutes, then refuses the
    /// attempt while a lock lasts. Either way the attempt is remembered as the last one.
    pub fn admit(&mut self, now: OffsetDateTime) -> Result<(), ApiError> {
        if self
            .last_attempt
            .is_some_and(|last| now - last >= QUIET_RESET)
        {
            *self = Self::default();
        }
        self.last_attempt = Some(now);
        match self.locked_until {
            Some(until) if now < until => Err(attempts_exceeded()),
            _ => Ok(()),
        }
    }

    /// An admitted attempt failed: counts it and locks from the fifth on.
    pub fn failed(&mut self, now: OffsetDateTime) {
        self.failures = self.failures.saturating_add(1);
        self.last_attempt = Some(now);
        let lock = lock_after(self.failures);
        if lock > Duration::ZERO {
            self.locked_until = Some(now + lock);
        }
    }

    /// Whether this record holds nothing worth keeping at `now` (it can be forgotten).
    pub fn is_spent(&self, now: OffsetDateTime) -> bool {
        self.last_attempt
            .is_none_or(|last| now - last >= QUIET_RESET)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_doubles_from_the_fifth_failure_up_to_fifteen_minutes() {
        assert_eq!(lock_after(4), Duration::ZERO);
        assert_eq!(lock_after(5), Duration::seconds(1));
        assert_eq!(lock_after(6), Duration::seconds(2));
        assert_eq!(lock_after(9), Duration::seconds(16));
        assert_eq!(lock_after(14), Duration::seconds(512));
        assert_eq!(lock_after(15), LONGEST_LOCK);
        assert_eq!(lock_after(u32::MAX), LONGEST_LOCK);
    }

    #[test]
    fn attempts_during_a_lock_are_refused_and_do_not_lengthen_it() {
        let start = OffsetDateTime::now_utc();
        let mut lockout = Lockout::default();
        for _ in 0..5 {
            lockout.admit(start).unwrap();
            lockout.failed(start);
        }
        assert_eq!(lockout.admit(start).unwrap_err(), attempts_exceeded());
        // The sixth failure, once the 1 s lock ended: locked for 2 s from then.
        let sixth = start + Duration::seconds(1);
        lockout.admit(sixth).unwrap();
        lockout.failed(sixth);
        let refused = lockout.admit(sixth + Duration::seconds(1)).unwrap_err();
        assert_eq!(refused, attempts_exceeded());
        assert!(lockout.admit(sixth + Duration::seconds(2)).is_ok());
    }

    #[test]
    fn fifteen_quiet_minutes_reset_the_count() {
        let start = OffsetDateTime::now_utc();
        let mut lockout = Lockout::default();
        for _ in 0..5 {
            lockout.admit(start).unwrap();
            lockout.failed(start);
        }
        assert!(!lockout.is_spent(start + Duration::minutes(14)));
        assert!(lockout.is_spent(start + QUIET_RESET));
        let later = start + QUIET_RESET;
        lockout.admit(later).unwrap();
        lockout.failed(later);
        // Counted from 0 again: one failure locks nothing.
        assert!(lockout.admit(later).is_ok());
    }
}
