//! What a local pool "sent": the text messages and e-mails carrying codes. The pool
//! publishes each one; the demo's front ends show them, and tests read them.

use time::OffsetDateTime;
use time::macros::format_description;
use tokio::sync::broadcast;

/// How a message was "sent".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Sms,
    Email,
}

impl Medium {
    /// `SMS` or `EMAIL`, as CODE_DELIVERY_DELIVERY_MEDIUM spells it.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Email => "EMAIL",
        }
    }
}

/// One message in the outbox. Its text holds a code, so Debug leaves it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    /// When the pool sent it, by the pool's clock.
    pub sent: OffsetDateTime,
    /// The user pool it was sent from.
    pub pool_id: String,
    pub medium: Medium,
    /// The user it was for.
    pub username: String,
    /// The full phone number or address (the local pool is the only reader).
    pub destination: String,
    /// The message, code included.
    pub text: String,
    /// The code alone, for tests and for the demo's panel.
    pub code: String,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("sent", &self.sent)
            .field("pool_id", &self.pool_id)
            .field("medium", &self.medium)
            .field("username", &self.username)
            .field("destination", &self.destination)
            .finish_non_exhaustive()
    }
}

impl Delivery {
    /// When it was sent, in UTC as RFC 3339 to the millisecond:
    /// `2026-11-22T03:00:00.000Z`.
    pub fn sent_rfc3339(&self) -> String {
        #[expect(
            clippy::expect_used,
            reason = "a four-digit year, fixed fields and UTC always format"
        )]
        self.sent
            .to_offset(time::UtcOffset::UTC)
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            ))
            .expect("an RFC 3339 time formats")
    }
}

/// A front end's view of the outbox: every message sent from now on.
pub type OutboxFeed = broadcast::Receiver<Delivery>;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn sent_at(sent: OffsetDateTime) -> Delivery {
        Delivery {
            sent,
            pool_id: "us-east-1_Pool".into(),
            medium: Medium::Sms,
            username: "sam".into(),
            destination: "+15555550101".into(),
            text: "Your verification code is 123456.".into(),
            code: "123456".into(),
        }
    }

    #[test]
    fn the_time_sent_is_utc_to_the_millisecond() {
        let delivery = sent_at(datetime!(2026-11-22 04:00:00.123456 +01:00));
        assert_eq!(delivery.sent_rfc3339(), "2026-11-22T03:00:00.123Z");
        let on_the_second = sent_at(datetime!(2026-11-22 03:00:00 UTC));
        assert_eq!(on_the_second.sent_rfc3339(), "2026-11-22T03:00:00.000Z");
    }

    #[test]
    fn debug_shows_neither_the_text_nor_the_code() {
        let shown = format!("{:?}", sent_at(datetime!(2026-11-22 03:00:00 UTC)));
        assert!(!shown.contains("123456"), "{shown}");
        assert!(shown.contains("us-east-1_Pool"), "{shown}");
    }
}
