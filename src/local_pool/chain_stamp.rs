//! When a chain of tokens started, written into its `origin_jti`, so a global sign-out
//! is judged from the token alone: the pool keeps one "signed out at" stamp per user
//! (`User::signed_out_at`), not a record per sign-in, and a chain that started at or
//! before that stamp is revoked.
//!
//! Stamps are nanoseconds since the Unix epoch on the pool's clock, made strictly
//! increasing: `stamp = max(now_nanos, last + 1)`. A sign-out and the sign-ins around it
//! draw from the same counter, so a sign-in straight after a sign-out (the same second,
//! or with a test clock standing still) always has the greater stamp and stays valid.
//!
//! `origin_jti` stays UUID-shaped, as Cognito's is: a UUIDv8 (RFC 9562 §5.8) whose 122
//! free bits carry the 64-bit stamp, then 58 random bits:
//! `stamp[63..16] | version 8 | stamp[15..4] | variant 0b10 | stamp[3..0] | random(58)`.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngCore;
use rand::rngs::OsRng;
use time::OffsetDateTime;

/// Hands out strictly increasing stamps.
#[derive(Debug, Default)]
pub struct ChainStamps {
    last: AtomicU64,
}

impl ChainStamps {
    /// A stamp for something happening `now`: `max(now_nanos, last + 1)`.
    pub fn next(&self, now: OffsetDateTime) -> u64 {
        let now_nanos = u64::try_from(now.unix_timestamp_nanos()).unwrap_or(0);
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let stamp = now_nanos.max(last.saturating_add(1));
            match self
                .last
                .compare_exchange_weak(last, stamp, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return stamp,
                Err(seen) => last = seen,
            }
        }
    }
}

/// The `origin_jti` of a chain started at `stamp`.
pub fn origin_jti(stamp: u64) -> String {
    let random = OsRng.next_u64() >> 6; // 58 bits
    let high = u128::from(stamp >> 16) << 80
        | 0x8u128 << 76
        | u128::from((stamp >> 4) & 0xfff) << 64
        | 0b10u128 << 62
        | u128::from(stamp & 0xf) << 58
        | u128::from(random);
    uuid::Uuid::from_u128(high).to_string()
}

/// The stamp an `origin_jti` carries; `None` for one this pool did not make so.
pub fn stamp_of(origin_jti: &str) -> Option<u64> {
    let bits = uuid::Uuid::parse_str(origin_jti).ok()?.as_u128();
    if (bits >> 76) & 0xf != 0x8 || (bits >> 62) & 0b11 != 0b10 {
        return None;
    }
    // Each cast keeps the bits just masked: 48, 12 and 4 of them.
    let top = ((bits >> 80) & 0xffff_ffff_ffff) as u64;
    let middle = ((bits >> 64) & 0xfff) as u64;
    let low = ((bits >> 58) & 0xf) as u64;
    Some(top << 16 | middle << 4 | low)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stamps_strictly_increase_even_when_the_clock_stands_still() {
        let stamps = ChainStamps::default();
        let now = OffsetDateTime::now_utc();
        let first = stamps.next(now);
        let second = stamps.next(now);
        let third = stamps.next(now - time::Duration::hours(1));
        assert!(first < second && second < third);
        let later = stamps.next(now + time::Duration::seconds(1));
        assert_eq!(
            i128::from(later),
            (now + time::Duration::seconds(1)).unix_timestamp_nanos()
        );
    }

    #[test]
    fn an_origin_jti_is_a_uuid_that_gives_its_stamp_back() {
        for stamp in [0, 1, 0xf, 0x1234_5678_9abc_def0, u64::MAX] {
            let jti = origin_jti(stamp);
            let parsed = uuid::Uuid::parse_str(&jti).unwrap();
            assert_eq!(parsed.get_version_num(), 8);
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
            assert_eq!(stamp_of(&jti), Some(stamp));
        }
        assert_ne!(origin_jti(7), origin_jti(7), "the rest is random");
        assert_eq!(stamp_of(&uuid::Uuid::new_v4().to_string()), None);
        assert_eq!(stamp_of("not a uuid"), None);
    }
}
