//! The codes the pool "sends" by SMS and e-mail: random digits (8 for a passwordless
//! sign-in, 6 for everything else), the masked destination the challenge shows, and the
//! outbox that keeps every message.

use std::sync::Mutex;

use rand::Rng;
use tokio::sync::broadcast;

use crate::local_pool::state::CodePurpose;
use crate::outbox::{Delivery, OutboxFeed};

/// How many messages a slow outbox subscriber may fall behind before it loses some.
const FEED_CAPACITY: usize = 256;

/// The message when the pool sets no template of its own.
const DEFAULT_MESSAGE: &str = "Your verification code is {####}.";

/// Digits in a code sent for MFA, a password reset or a confirmation: the six of
/// Cognito's default messages (`{####}`).
pub const SENT_CODE_DIGITS: u32 = 6;

/// Digits in a passwordless sign-in code (SMS_OTP or EMAIL_OTP as USER_AUTH's first
/// factor): Cognito always sends eight and no setting changes it (amplify-js issue
/// 14428, confirmed by a maintainer).
pub const PASSWORDLESS_CODE_DIGITS: u32 = 8;

/// A code of `SENT_CODE_DIGITS` digits, for MFA and password resets.
pub fn new_code() -> String {
    new_code_of(SENT_CODE_DIGITS)
}

/// A code for a code challenge: eight digits for a passwordless first factor, else six.
pub fn new_code_for(purpose: CodePurpose) -> String {
    let digits = match purpose {
        CodePurpose::EmailOtp | CodePurpose::SmsOtp => PASSWORDLESS_CODE_DIGITS,
        CodePurpose::SmsMfa
        | CodePurpose::EmailMfa
        | CodePurpose::EmailSetup
        | CodePurpose::SoftwareToken => SENT_CODE_DIGITS,
    };
    new_code_of(digits)
}

/// `digits` random digits (at most 9), zero-padded, from the OS's random source: a
/// value drawn uniformly from 0 to 10^digits - 1.
fn new_code_of(digits: u32) -> String {
    let digits = digits.clamp(1, 9);
    let value: u32 = rand::rngs::OsRng.gen_range(0..10u32.pow(digits));
    let width = usize::try_from(digits).unwrap_or(9);
    format!("{value:0width$}")
}

/// A phone number as CODE_DELIVERY_DESTINATION shows it: the first character and
/// the last four kept, everything between starred (`+15555550101` → `+*******0101`).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let first = chars.first().copied().unwrap_or('*');
    let tail: String = chars.iter().skip(chars.len() - 4).collect();
    format!("{first}{}{tail}", "*".repeat(chars.len() - 5))
}

/// An e-mail address as CODE_DELIVERY_DESTINATION shows it: the first character of
/// each side kept (`erin@example.com` → `e***@e***`).
pub fn mask_email(address: &str) -> String {
    let initial = |part: &str| part.chars().next().map(String::from).unwrap_or_default();
    match address.split_once('@') {
        Some((local, domain)) => format!("{}***@{}***", initial(local), initial(domain)),
        None => format!("{}***", initial(address)),
    }
}

/// The message text: the template with `{####}` replaced by the code.
pub fn message(template: Option<&str>, code: &str) -> String {
    let template = template
        .filter(|text| text.contains("{####}"))
        .unwrap_or(DEFAULT_MESSAGE);
    template.replace("{####}", code)
}

/// Every message the pool sent, kept and broadcast.
pub struct Outbox {
    sent: Mutex<Vec<Delivery>>,
    feed: broadcast::Sender<Delivery>,
}

impl Default for Outbox {
    fn default() -> Self {
        let (feed, _) = broadcast::channel(FEED_CAPACITY);
        Self {
            sent: Mutex::new(Vec::new()),
            feed,
        }
    }
}

impl Outbox {
    /// "Sends" a message: keeps it and tells every subscriber.
    pub fn deliver(&self, delivery: Delivery) {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(delivery.clone());
        // Nobody listening is fine: the message is kept all the same.
        let _ = self.feed.send(delivery);
    }

    /// Every message sent so far, oldest first.
    pub fn all(&self) -> Vec<Delivery> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// A feed of the messages sent from now on.
    pub fn subscribe(&self) -> OutboxFeed {
        self.feed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::Medium;

    #[test]
    fn mfa_and_reset_codes_are_six_digits() {
        for _ in 0..50 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        for purpose in [
            CodePurpose::SmsMfa,
            CodePurpose::EmailMfa,
            CodePurpose::EmailSetup,
        ] {
            assert_eq!(new_code_for(purpose).len(), 6, "{purpose:?}");
        }
    }

    #[test]
    fn passwordless_codes_are_eight_digits() {
        for purpose in [CodePurpose::EmailOtp, CodePurpose::SmsOtp] {
            for _ in 0..50 {
                let code = new_code_for(purpose);
                assert_eq!(code.len(), 8, "{purpose:?}");
                assert!(code.bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }

    #[test]
    fn destinations_are_masked_as_cognito_masks_them() {
        assert_eq!(mask_phone("+15555550101"), "+*******0101");
        assert_eq!(mask_email("erin@example.com"), "e***@e***");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn templates_carry_the_code() {
        assert_eq!(message(None, "123456"), "Your verification code is 123456.");
        assert_eq!(message(Some("Code: {####}"), "000001"), "Code: 000001");
        assert_eq!(
            message(Some("no placeholder"), "1"),
            "Your verification code is 1."
        );
    }

    #[test]
    fn the_outbox_keeps_and_broadcasts() {
        let outbox = Outbox::default();
        let mut feed = outbox.subscribe();
        outbox.deliver(Delivery {
            sent: time::OffsetDateTime::UNIX_EPOCH,
            pool_id: "us-east-1_Pool".into(),
            medium: Medium::Sms,
            username: "sam".into(),
            destination: "+15555550101".into(),
            text: message(None, "123456"),
            code: "123456".into(),
        });
        assert_eq!(outbox.all().len(), 1);
        let received = feed.try_recv().ok();
        assert_eq!(received.map(|d| d.code), Some("123456".to_owned()));
    }
}
