//! What the front ends' in-crate tests share: the fixed clock, one session, the steps
//! and events the auth task sends, its end of the channels, bounded waits. Each front
//! end's own driver is a submodule: `tui` (an `App`, keys, drawing, the loop) and
//! `plain` (scripted input lines, the prompts read back).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub(crate) mod plain;
pub(crate) mod tui;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use base64::Engine;
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::sync::mpsc;

use crate::auth::{
    Answer, AuthenticatorKind, CodeKind, CodeLength, CodeMedium, CodePrompt, Command,
    ContactDetail, ContactKind, Enrolment, Event, Factor, FirstFactor, FrontEndChannels, MfaKind,
    Note, PasskeyAuthenticator, PasskeyPrompt, Problem, Security, SessionInfo, Step, Tokens,
};
use crate::cognito::types::AuthenticationResult;
use crate::outbox::{Delivery, Medium};

/// The fixed "now" of every test that shows a time.
pub(crate) const NOW: OffsetDateTime = datetime!(2026-11-22 03:00:00 UTC);

/// Every wait in these tests is bounded by this.
pub(crate) const BOUND: Duration = Duration::from_secs(5);

/// Awaits `future`, failing the test if it takes longer than `BOUND`; `what` names it.
pub(crate) async fn within<F: Future>(what: &str, future: F) -> F::Output {
    tokio::time::timeout(BOUND, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {BOUND:?}"))
}

/// The session both front ends introduce: a pool, its endpoint and the demo users.
pub(crate) fn info() -> SessionInfo {
    SessionInfo {
        title: "us-east-1_Demo0001 · client 1example23456789".into(),
        endpoint: "http://127.0.0.1:9229/".into(),
        notes: vec![
            "Demo users (password Passw0rd!):".into(),
            "  alice  plain password".into(),
            "  bob    SMS code".into(),
        ],
        ..Default::default()
    }
}

// ---- steps, as the auth task sends them ----

/// The sign-in form, `username` filled in (empty for none).
pub(crate) fn sign_in(username: &str) -> Step {
    Step::SignIn {
        needs_password: true,
        username: username.into(),
    }
}

/// The sign-in form without a password field (the password comes later, or never).
pub(crate) fn sign_in_without_password(username: &str) -> Step {
    Step::SignIn {
        needs_password: false,
        username: username.into(),
    }
}

/// What the sign-in form sends.
pub(crate) fn sign_in_answer(username: &str, password: &str) -> Answer {
    Answer::SignIn {
        username: username.into(),
        password: password.into(),
    }
}

/// SELECT_CHALLENGE offering `options` to alice.
pub(crate) fn select_first_factor(options: Vec<FirstFactor>) -> Step {
    Step::SelectFirstFactor {
        username: "alice".into(),
        options,
    }
}

/// SELECT_CHALLENGE offering every kind of first factor, usable or not.
pub(crate) fn first_factors() -> Step {
    select_first_factor(vec![
        FirstFactor::WebAuthn,
        FirstFactor::Password,
        FirstFactor::PasswordSrp,
        FirstFactor::EmailOtp,
        FirstFactor::SmsOtp,
        FirstFactor::Other("MAGIC_LINK".into()),
    ])
}

/// The password asked after alice chose PASSWORD.
pub(crate) fn password() -> Step {
    Step::Password {
        username: "alice".into(),
    }
}

/// Every second factor, authenticator first, SMS last.
pub(crate) fn every_mfa() -> Vec<MfaKind> {
    vec![MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms]
}

/// The length of an MFA or reset code sent by SMS or e-mail: six to eight digits.
pub(crate) const SENT_CODE: CodeLength = CodeLength::Between { min: 6, max: 8 };

/// A code prompt for a second factor that came by `medium`: an authenticator's code of
/// six digits, or a sent code of six to eight; its Session arrived at `NOW` and lasts
/// Cognito's default 3 minutes.
pub(crate) fn code_prompt(medium: CodeMedium, destination: Option<&str>, can_resend: bool) -> Step {
    Step::Code(CodePrompt {
        challenge: Some(match medium {
            CodeMedium::Sms => CodeKind::SmsMfa,
            CodeMedium::Email => CodeKind::EmailOtp,
            CodeMedium::Authenticator => CodeKind::SoftwareToken,
        }),
        medium,
        destination: destination.map(Into::into),
        device_name: None,
        length: match medium {
            CodeMedium::Authenticator => CodeLength::Exactly(6),
            CodeMedium::Sms | CodeMedium::Email => SENT_CODE,
        },
        can_resend,
        expires_at: Some(NOW + crate::auth::DEFAULT_SESSION_VALIDITY),
    })
}

/// SMS_MFA whose Session ends `seconds` after `NOW` (a negative number: it has ended).
pub(crate) fn sms_code_expiring_in(seconds: i64) -> Step {
    let mut step = sms_code(true);
    if let Step::Code(prompt) = &mut step {
        prompt.expires_at = Some(NOW + time::Duration::seconds(seconds));
    }
    step
}

/// SMS_MFA, sent to alice's masked phone number.
pub(crate) fn sms_code(can_resend: bool) -> Step {
    code_prompt(CodeMedium::Sms, Some("+*******0101"), can_resend)
}

/// EMAIL_OTP, sent to alice's masked address; a new one may be asked for.
pub(crate) fn email_code() -> Step {
    code_prompt(CodeMedium::Email, Some("a***@e***"), true)
}

/// EMAIL_OTP as USER_AUTH's first factor: eight digits, sent to alice's masked address.
pub(crate) fn passwordless_email_code() -> Step {
    let mut step = email_code();
    if let Step::Code(prompt) = &mut step {
        prompt.length = CodeLength::Exactly(8);
    }
    step
}

/// SOFTWARE_TOKEN_MFA, naming the authenticator when Cognito does.
pub(crate) fn authenticator_code(device_name: Option<&str>) -> Step {
    let mut step = code_prompt(CodeMedium::Authenticator, None, false);
    if let Step::Code(prompt) = &mut step {
        prompt.device_name = device_name.map(str::to_owned);
    }
    step
}

/// The enrolment secret of `totp_setup`.
pub(crate) const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The otpauth URI of `totp_setup`: an issuer with a space, percent-encoded.
pub(crate) const TOTP_URI: &str =
    "otpauth://totp/My%20Corp:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=My%20Corp";

/// MFA_SETUP's authenticator enrolment for alice.
pub(crate) fn totp_setup() -> Step {
    Step::TotpSetup {
        enrolment: Enrolment::SignIn,
        username: "alice".into(),
        issuer: "My Corp".into(),
        secret: TOTP_SECRET.into(),
        uri: TOTP_URI.into(),
        code_length: CodeLength::Exactly(6),
    }
}

/// MFA_SETUP's e-mail enrolment for alice.
pub(crate) fn email_setup() -> Step {
    Step::EmailSetup {
        username: "alice".into(),
    }
}

/// NEW_PASSWORD_REQUIRED with two required attributes and two current ones.
pub(crate) fn new_password() -> Step {
    Step::NewPassword {
        username: "alice".into(),
        required_attributes: vec!["name".into(), "phone_number".into()],
        user_attributes: BTreeMap::from([
            ("email".into(), "alice@example.com".into()),
            ("email_verified".into(), "true".into()),
        ]),
    }
}

/// Round `round` of a custom challenge with a question and a hint.
pub(crate) fn custom(round: u32) -> Step {
    Step::Custom {
        parameters: BTreeMap::from([
            ("question".into(), "What is six times seven?".into()),
            ("hint".into(), "A famous number".into()),
        ]),
        round,
    }
}

/// The code of a password reset, sent to alice's masked address.
pub(crate) fn reset_code() -> Step {
    Step::ResetCode {
        username: "alice".into(),
        prompt: CodePrompt {
            challenge: None,
            medium: CodeMedium::Email,
            destination: Some("a***@e***".into()),
            device_name: None,
            length: SENT_CODE,
            can_resend: true,
            expires_at: None,
        },
    }
}

/// The new password of a password reset.
pub(crate) fn reset_password() -> Step {
    Step::ResetPassword {
        username: "alice".into(),
    }
}

/// WEB_AUTHN for alice at `localhost`, with (`held`) or without a software passkey
/// here; its Session arrived at `NOW` and lasts Cognito's default 3 minutes.
pub(crate) fn passkey(held: bool) -> Step {
    Step::WebAuthn(PasskeyPrompt {
        username: "alice".into(),
        relying_party: "localhost".into(),
        authenticator: PasskeyAuthenticator::Software { held },
        can_switch: false,
        expires_at: Some(NOW + crate::auth::DEFAULT_SESSION_VALIDITY),
    })
}

/// The passkey step on a security key (plugged in), with the switch offered.
pub(crate) fn passkey_on_key() -> Step {
    Step::WebAuthn(PasskeyPrompt {
        username: "alice".into(),
        relying_party: "localhost".into(),
        authenticator: PasskeyAuthenticator::SecurityKey {
            plugged_in: Some(true),
        },
        can_switch: true,
        expires_at: Some(NOW + crate::auth::DEFAULT_SESSION_VALIDITY),
    })
}

/// The security key asking for its PIN on a sign-in: first, or after a wrong one.
pub(crate) fn key_pin(wrong: bool, retries: Option<u8>) -> Step {
    Step::KeyPin(crate::auth::KeyPinPrompt {
        relying_party: "localhost".into(),
        enrolling: false,
        wrong,
        retries,
    })
}

/// "Remember this device?" for the device `build-box`.
pub(crate) fn remember_device() -> Step {
    Step::RememberDevice {
        device_name: "build-box".into(),
    }
}

// ---- account security, once signed in ----

/// A factor in `Security::factors`.
pub(crate) fn factor(
    kind: MfaKind,
    enabled: bool,
    preferred: bool,
    allowed: Option<bool>,
) -> Factor {
    Factor {
        kind,
        enabled,
        preferred,
        allowed,
    }
}

/// Account security for alice with no second factor (the demo's optional-MFA user): an
/// e-mail address not yet verified, no phone number, SMS known not to be allowed.
pub(crate) fn security() -> Step {
    Step::Security(Box::new(Security {
        username: "alice".into(),
        factors: vec![
            factor(MfaKind::Sms, false, false, Some(false)),
            factor(MfaKind::SoftwareToken, false, false, None),
            factor(MfaKind::Email, false, false, None),
        ],
        email: Some(ContactDetail {
            value: "alice@example.com".into(),
            verified: false,
        }),
        phone: None,
        mfa_required: None,
        passkeys: None,
        add_passkey_on: AuthenticatorKind::Software,
    }))
}

/// Account security for alice in an MFA-required pool: the authenticator on and
/// preferred, e-mail codes on, SMS off; the address verified, the number not.
pub(crate) fn security_enrolled() -> Step {
    Step::Security(Box::new(Security {
        username: "alice".into(),
        factors: vec![
            factor(MfaKind::Sms, false, false, None),
            factor(MfaKind::SoftwareToken, true, true, Some(true)),
            factor(MfaKind::Email, true, false, Some(true)),
        ],
        email: Some(ContactDetail {
            value: "alice@example.com".into(),
            verified: true,
        }),
        phone: Some(ContactDetail {
            value: "+15555550123".into(),
            verified: false,
        }),
        mfa_required: Some(true),
        passkeys: None,
        add_passkey_on: AuthenticatorKind::Software,
    }))
}

/// The code GetUserAttributeVerificationCode sent to alice's address (or number),
/// turning on `then_enable` once verified.
pub(crate) fn contact_code(contact: ContactKind, then_enable: Option<MfaKind>) -> Step {
    let (medium, destination) = match contact {
        ContactKind::Email => (CodeMedium::Email, "a***@e***"),
        ContactKind::Phone => (CodeMedium::Sms, "+*******0123"),
    };
    Step::ContactCode {
        contact,
        prompt: CodePrompt {
            challenge: None,
            medium,
            destination: Some(destination.into()),
            device_name: None,
            length: SENT_CODE,
            can_resend: true,
            expires_at: None,
        },
        then_enable,
    }
}

/// A new address (or number) for alice, `current` pre-filled.
pub(crate) fn contact_form(contact: ContactKind, current: Option<&str>) -> Step {
    Step::ContactForm {
        contact,
        current: current.map(str::to_owned),
    }
}

/// ChangePassword for alice.
pub(crate) fn change_password() -> Step {
    Step::ChangePassword {
        username: "alice".into(),
    }
}

/// A signed-in alice adding an authenticator app from account security.
pub(crate) fn account_totp_setup() -> Step {
    let mut step = totp_setup();
    if let Step::TotpSetup { enrolment, .. } = &mut step {
        *enrolment = Enrolment::Account;
    }
    step
}

/// What the flow shows for a challenge this console cannot answer (CUSTOM_CHALLENGE here).
pub(crate) fn unsupported() -> Step {
    Step::Failed {
        problem: Problem::sentence("This challenge is not supported yet: CUSTOM_CHALLENGE"),
    }
}

/// Tokens for alice whose ID token carries the claims the console shows, received at `at`.
pub(crate) fn tokens_received_at(at: OffsetDateTime) -> Box<Tokens> {
    let claims = r#"{"sub":"7d8f2a1c-0b3e-4c55-9a61-2f0e9c1d4b7a","cognito:username":"alice","email":"alice@example.com","cognito:groups":["admins","ops"],"exp":1795316352}"#;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims);
    Box::new(Tokens {
        result: AuthenticationResult {
            access_token: "access.token.sig".into(),
            expires_in: 3600,
            token_type: "Bearer".into(),
            refresh_token: Some("refresh".into()),
            id_token: Some(format!("e30.{payload}.sig").into()),
            new_device_metadata: None,
        },
        received_at: at,
    })
}

// ---- events ----

/// A refusal as the auth task reports it: the API's error type and a sentence.
pub(crate) fn refusal(kind: &str, sentence: &str) -> Problem {
    Problem {
        kind: Some(kind.into()),
        sentence: sentence.into(),
    }
}

/// The refusal of a wrong username or password.
pub(crate) fn wrong_password() -> Problem {
    refusal("NotAuthorizedException", "Incorrect username or password.")
}

/// The sign-in form after a password reset, with its notice.
pub(crate) fn password_changed(username: &str) -> Event {
    Event::Step {
        step: sign_in(username),
        note: Some(Note::Notice(
            "Your password was changed. Sign in with the new one.".into(),
        )),
    }
}

/// Message `n` of the demo's outbox: odd ones by SMS, even ones by e-mail, to bob.
pub(crate) fn delivery(n: u32) -> Delivery {
    let (medium, destination) = if n.is_multiple_of(2) {
        (Medium::Email, "bob@example.com")
    } else {
        (Medium::Sms, "+15555550101")
    };
    Delivery {
        sent: NOW,
        pool_id: "us-east-1_Demo0001".into(),
        medium,
        username: "bob".into(),
        destination: destination.into(),
        text: format!("Your code is 00000{n}"),
        code: format!("00000{n}"),
    }
}

// ---- the auth task's end of the channels ----

/// The auth task's ends of a front end's channels, for a test to play the auth task.
pub(crate) struct FakeAuth {
    pub(crate) commands: mpsc::Receiver<Command>,
    pub(crate) events: mpsc::Sender<Event>,
}

impl FakeAuth {
    /// Sends `event` to the front end, as the auth task would.
    pub(crate) async fn send(&self, event: Event) {
        self.events.send(event).await.unwrap();
    }

    /// Shows `step` on the front end.
    pub(crate) async fn step(&self, step: Step) {
        self.send(Event::step(step)).await;
    }

    /// The front end's next command; `None` once it has dropped its sender.
    pub(crate) async fn next_command(&mut self) -> Option<Command> {
        within("the front end's next command", self.commands.recv()).await
    }
}

/// A front end's channels and the fake auth task's ends of them; the event channel
/// holds `events` events (1 lets a test know when the front end has taken the last).
pub(crate) fn channels(events: usize) -> (FrontEndChannels, FakeAuth) {
    let (command_tx, command_rx) = mpsc::channel(8);
    let (event_tx, event_rx) = mpsc::channel(events);
    (
        FrontEndChannels {
            commands: command_tx,
            events: event_rx,
        },
        FakeAuth {
            commands: command_rx,
            events: event_tx,
        },
    )
}
