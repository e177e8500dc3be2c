//! The codes the pool "sends" by SMS and e-mail: random digits (8 for a passwordless
//! sign-in, 6 for everything else), the masked destination the challenge shows, the
//! outbox that keeps every message, and the codes kept outside a sign-in (password
//! resets, attribute verification) with the one check every such code goes through.

use std::collections::VecDeque;
use std::sync::Mutex;

use rand::Rng;
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use tokio::sync::broadcast;

use crate::cognito::types::CodeDeliveryDetailsType;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::CodePurpose;
use crate::outbox::{Delivery, Medium, OutboxFeed};
use crate::sensitive::SensitiveString;

/// How long a password-reset code stays valid: Cognito's one hour.
pub const RESET_CODE_LIFETIME: Duration = Duration::hours(1);

/// How long an attribute verification code stays valid. Cognito documents no lifetime
/// for these; 24 hours is the lifetime widely reported for its sign-up confirmation
/// codes, sent by the same verification message (see docs/cognito-compatibility.md).
pub const VERIFICATION_CODE_LIFETIME: Duration = Duration::hours(24);

/// Wrong tries after which a kept code is discarded (LimitExceededException).
pub const MAX_WRONG_CODES: u32 = 5;

/// How many messages a slow outbox subscriber may fall behind before it loses some.
const FEED_CAPACITY: usize = 256;

/// The most messages the pool keeps to list (`GET /_aws/cognito-idp/messages`): the
/// newest, so a flood of sign-ins that each send a code cannot grow its memory without
/// bound. A message is a few hundred bytes: a few MB at most.
pub const MAX_KEPT_MESSAGES: usize = 10_000;

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

/// CodeDeliveryDetails of a code sent by `medium` to `destination` for `attribute`,
/// the destination masked as Cognito masks it.
pub fn delivery_details(
    medium: Medium,
    attribute: &str,
    destination: &str,
) -> CodeDeliveryDetailsType {
    let masked = match medium {
        Medium::Sms => mask_phone(destination),
        Medium::Email => mask_email(destination),
    };
    CodeDeliveryDetailsType {
        destination: Some(masked),
        delivery_medium: Some(medium.api_name().to_owned()),
        attribute_name: Some(attribute.to_owned()),
    }
}

/// The message text: the template with `{####}` replaced by the code.
pub fn message(template: Option<&str>, code: &str) -> String {
    let template = template
        .filter(|text| text.contains("{####}"))
        .unwrap_or(DEFAULT_MESSAGE);
    template.replace("{####}", code)
}

/// The messages the pool sent: the newest [`MAX_KEPT_MESSAGES`] kept, every one broadcast.
pub struct Outbox {
    sent: Mutex<VecDeque<Delivery>>,
    feed: broadcast::Sender<Delivery>,
}

impl Default for Outbox {
    fn default() -> Self {
        let (feed, _) = broadcast::channel(FEED_CAPACITY);
        Self {
            sent: Mutex::new(VecDeque::new()),
            feed,
        }
    }
}

impl Outbox {
    /// "Sends" a message: keeps it (forgetting the oldest kept when there are
    /// [`MAX_KEPT_MESSAGES`]) and tells every subscriber.
    pub fn deliver(&self, delivery: Delivery) {
        let mut sent = self
            .sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if sent.len() == MAX_KEPT_MESSAGES {
            sent.pop_front();
        }
        sent.push_back(delivery.clone());
        drop(sent);
        // Nobody listening is fine: the message is kept all the same.
        let _ = self.feed.send(delivery);
    }

    /// The messages kept, oldest first.
    pub fn all(&self) -> Vec<Delivery> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// A feed of the messages sent from now on.
    pub fn subscribe(&self) -> OutboxFeed {
        self.feed.subscribe()
    }
}

/// What a code kept outside a sign-in was sent for; a user has at most one of each.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SentFor {
    /// ForgotPassword's code, taken back by ConfirmForgotPassword.
    PasswordReset,
    /// The code that verifies this attribute (`email` or `phone_number`), sent by
    /// GetUserAttributeVerificationCode or UpdateUserAttributes and taken back by
    /// VerifyUserAttribute.
    Verification(String),
}

impl SentFor {
    /// How long a code sent for this stays valid.
    pub fn lifetime(&self) -> Duration {
        match self {
            Self::PasswordReset => RESET_CODE_LIFETIME,
            Self::Verification(_) => VERIFICATION_CODE_LIFETIME,
        }
    }
}

/// A code the pool sent and keeps until it is used, expires, or is tried too often.
pub struct SentCode {
    pub code: SensitiveString,
    pub sent: OffsetDateTime,
    /// The address or number it went to: a code sent to an earlier value of an
    /// attribute verifies nothing once the value has changed.
    pub destination: String,
    /// Wrong codes tried against this one so far.
    pub wrong_attempts: u32,
}

/// The verdict on one try of a kept code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Right,
    /// Wrong, and counted; the code stays for another try.
    Wrong,
    /// Past its lifetime, or none was sent (or it was used): a new one is needed.
    Expired,
    /// The try that used up the wrong attempts allowed: the code is gone.
    Exhausted,
}

impl CodeCheck {
    /// Ok for the right code, else Cognito's error for the verdict.
    pub fn answer(self) -> ApiResult<()> {
        match self {
            Self::Right => Ok(()),
            Self::Wrong => Err(wrong_code()),
            Self::Expired => Err(expired_code()),
            Self::Exhausted => Err(ApiError::new(
                ErrorType::LimitExceeded,
                "Attempt limit exceeded, please try after some time.",
            )),
        }
    }
}

impl SentCode {
    /// A code just sent to `destination`.
    pub fn new(code: &str, destination: &str, now: OffsetDateTime) -> Self {
        Self {
            code: SensitiveString::from(code),
            sent: now,
            destination: destination.to_owned(),
            wrong_attempts: 0,
        }
    }

    /// Whether it is past `lifetime` at `now`.
    pub fn expired(&self, lifetime: Duration, now: OffsetDateTime) -> bool {
        now - self.sent > lifetime
    }

    /// Whether `given` is this code (compared in constant time).
    pub fn matches(&self, given: &str) -> bool {
        bool::from(self.code.expose().as_bytes().ct_eq(given.as_bytes()))
    }

    /// Judges one try: expiry first, then the code; a wrong code is counted, and the
    /// [`MAX_WRONG_CODES`]th wrong one exhausts it. The caller forgets an expired or
    /// exhausted code, and a right one once it is used.
    pub fn check(&mut self, given: &str, lifetime: Duration, now: OffsetDateTime) -> CodeCheck {
        if self.expired(lifetime, now) {
            return CodeCheck::Expired;
        }
        if self.matches(given) {
            return CodeCheck::Right;
        }
        self.wrong_attempts += 1;
        if self.wrong_attempts >= MAX_WRONG_CODES {
            CodeCheck::Exhausted
        } else {
            CodeCheck::Wrong
        }
    }
}

/// Cognito's answer to a wrong confirmation or verification code.
pub fn wrong_code() -> ApiError {
    ApiError::new(
        ErrorType::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

/// Cognito's answer to an expired code, or one never sent.
pub fn expired_code() -> ApiError {
    ApiError::new(
        ErrorType::ExpiredCode,
        "Invalid code provided, please request a code again.",
    )
}

#[cfg(test)]
mod outbox_tests {
    use super::*;

    fn message(number: usize) -> Delivery {
        Delivery {
            sent: OffsetDateTime::UNIX_EPOCH,
            pool_id: "us-east-1_P".to_owned(),
            medium: Medium::Email,
            username: format!("user-{number}"),
            destination: "someone@example.com".to_owned(),
            text: "Your code is 123456.".to_owned(),
            code: "123456".to_owned(),
        }
    }

    #[test]
    fn the_outbox_keeps_the_newest_messages_and_forgets_the_oldest() {
        let outbox = Outbox::default();
        for number in 0..MAX_KEPT_MESSAGES + 2 {
            outbox.deliver(message(number));
        }
        let kept = outbox.all();
        assert_eq!(kept.len(), MAX_KEPT_MESSAGES);
        assert_eq!(kept[0].username, "user-2");
        assert_eq!(
            kept[MAX_KEPT_MESSAGES - 1].username,
            format!("user-{}", MAX_KEPT_MESSAGES + 1)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_kept_code_is_right_wrong_expired_or_exhausted() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut sent = SentCode::new("123456", "erin@example.com", now);
        let lifetime = Duration::hours(1);
        assert_eq!(sent.check("654321", lifetime, now), CodeCheck::Wrong);
        assert_eq!(sent.check("123456", lifetime, now), CodeCheck::Right);
        assert_eq!(
            sent.check("123456", lifetime, now + Duration::minutes(61)),
            CodeCheck::Expired
        );
        for _ in 2..MAX_WRONG_CODES {
            assert_eq!(sent.check("000000", lifetime, now), CodeCheck::Wrong);
        }
        assert_eq!(sent.check("000000", lifetime, now), CodeCheck::Exhausted);
    }

    #[test]
    fn each_verdict_has_cognitos_error() {
        let kind = |check: CodeCheck| check.answer().err().map(|e| e.error_type);
        assert_eq!(kind(CodeCheck::Right), None);
        assert_eq!(kind(CodeCheck::Wrong), Some(ErrorType::CodeMismatch));
        assert_eq!(kind(CodeCheck::Expired), Some(ErrorType::ExpiredCode));
        assert_eq!(kind(CodeCheck::Exhausted), Some(ErrorType::LimitExceeded));
        assert_eq!(
            SentFor::Verification("email".into()).lifetime(),
            Duration::hours(24)
        );
    }

    #[test]
    fn delivery_details_mask_the_destination() {
        let details = delivery_details(Medium::Email, "email", "erin@example.com");
        assert_eq!(details.destination.as_deref(), Some("e***@e***"));
        assert_eq!(details.delivery_medium.as_deref(), Some("EMAIL"));
        assert_eq!(details.attribute_name.as_deref(), Some("email"));
    }
}
