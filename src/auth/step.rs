//! The one contract between the auth task and the front ends: a `Step` says what the
//! person must do next, an `Answer` is what they gave. Front ends send `Command`s and
//! receive `Event`s over tokio channels; neither side ever awaits the other's I/O.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::auth::tokens::Tokens;
use crate::cognito::ErrorType;
use crate::sensitive::SensitiveString;

/// What the person must do next. Each variant has a screen in both front ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Username, and the password when the flow starts with one (`needs_password`):
    /// USER_AUTH without a preferred password challenge and CUSTOM_AUTH without SRP
    /// ask for the username only. `username` pre-fills the field.
    SignIn {
        username: String,
        needs_password: bool,
    },
    /// SELECT_CHALLENGE (USER_AUTH): the first factors Cognito offers this user.
    SelectFirstFactor {
        username: String,
        options: Vec<FirstFactor>,
    },
    /// PASSWORD or PASSWORD_SRP chosen after SELECT_CHALLENGE: the password alone.
    Password { username: String },
    /// A one-time code: SMS_MFA, SMS_OTP, EMAIL_OTP or SOFTWARE_TOKEN_MFA.
    Code(CodePrompt),
    /// SELECT_MFA_TYPE: which second factor to use this time.
    SelectMfa { options: Vec<MfaKind> },
    /// MFA_SETUP offering several factors: which one to enrol. An SMS entry can only be
    /// explained (an administrator must add a phone number first).
    SelectMfaSetup { options: Vec<MfaKind> },
    /// An authenticator app to enrol: AssociateSoftwareToken gave `secret`; `uri` is
    /// the otpauth URI the QR code carries. Answered by the first code
    /// (`Answer::TotpSetup`).
    TotpSetup {
        username: String,
        issuer: String,
        secret: SensitiveString,
        uri: SensitiveString,
        /// How many digits the authenticator's codes have.
        code_length: CodeLength,
        /// MFA_SETUP during a sign-in, or a signed-in person adding one: what "back"
        /// means differs (a fresh sign-in, or account security).
        enrolment: Enrolment,
    },
    /// MFA_SETUP for e-mail: the address to send codes to.
    EmailSetup { username: String },
    /// NEW_PASSWORD_REQUIRED: a new password, plus a value for each required attribute
    /// (names without the `userAttributes.` prefix). `user_attributes` are the current ones.
    NewPassword {
        username: String,
        required_attributes: Vec<String>,
        user_attributes: BTreeMap<String, String>,
    },
    /// CUSTOM_CHALLENGE: the public challenge parameters, shown as a labelled list, and
    /// one ANSWER. `round` counts from 1.
    Custom {
        parameters: BTreeMap<String, String>,
        round: u32,
    },
    /// WEB_AUTHN: sign in with a passkey. Answered by `Answer::WebAuthn`, on which the
    /// console's authenticator signs Cognito's challenge; a refusal (no passkey for this
    /// account here, Cognito refusing the assertion) keeps the person on this step.
    WebAuthn(PasskeyPrompt),
    /// The security key asks for its PIN (sign-in, or adding a passkey from account
    /// security). Answered by `Answer::KeyPin`; a wrong PIN comes back as this step with
    /// `wrong` set and the retries left. On a sign-in, `Command::Restart` gives up; from
    /// account security, `AccountAction::Open` goes back.
    KeyPin(KeyPinPrompt),
    /// Cognito confirmed this machine as a device of the user and leaves it to the
    /// person whether to remember it (UserConfirmationNecessary). Answered by
    /// `Answer::RememberDevice`; `SignedIn` follows either way.
    RememberDevice { device_name: String },
    /// ForgotPassword sent a reset code: where it went, as CodeDeliveryDetails said.
    /// Answered by `Answer::Code` (or `Answer::ResendCode`, which asks again).
    ResetCode {
        username: String,
        prompt: CodePrompt,
    },
    /// The new password for ConfirmForgotPassword, with the code just given. Answered
    /// by `Answer::NewPassword` with no attributes. Success leads back to `SignIn` with
    /// the username filled in, just after an `Event::Notice`.
    ResetPassword { username: String },
    /// Signed in: the tokens Cognito issued.
    SignedIn { tokens: Box<Tokens> },
    /// Account security, one key away once signed in: the person's second factors and
    /// contact details as GetUser gives them, and what the pool allows. Answered by
    /// `Answer::Account`. The sign-in's tokens stay valid throughout.
    Security(Box<Security>),
    /// The code GetUserAttributeVerificationCode (or UpdateUserAttributes) sent to the
    /// e-mail address or phone number, for VerifyUserAttribute. Answered by
    /// `Answer::Code` or `Answer::ResendCode`; `AccountAction::Open` goes back.
    ContactCode {
        contact: ContactKind,
        prompt: CodePrompt,
        /// The factor to turn on once the address or number is verified, if that is
        /// why it is being verified.
        then_enable: Option<MfaKind>,
    },
    /// A new e-mail address or phone number for UpdateUserAttributes, `current`
    /// pre-filled. Answered by `Answer::Contact`; `AccountAction::Open` goes back.
    ContactForm {
        contact: ContactKind,
        current: Option<String>,
    },
    /// ChangePassword: the current password and a new one (the front end has it typed
    /// twice). Answered by `Answer::ChangePassword`; `AccountAction::Open` goes back.
    /// A refusal names the pool's rule (InvalidPasswordException's message).
    ChangePassword { username: String },
    /// The sign-in cannot go on (a challenge this version cannot answer, a session that
    /// ended); the person may start again.
    Failed { problem: Problem },
}

/// Everything the passkey screen shows, worked out by the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyPrompt {
    /// Who is signing in.
    pub username: String,
    /// The relying party ID the passkey belongs to (CREDENTIAL_REQUEST_OPTIONS' rpId).
    pub relying_party: String,
    /// The authenticator the console will sign with.
    pub authenticator: PasskeyAuthenticator,
    /// Whether the person may switch to the other authenticator (`Answer::SwitchAuthenticator`):
    /// true unless `--authenticator` chose one, or only one was built in.
    pub can_switch: bool,
    /// When the challenge's Session ends: the time the challenge arrived plus the app
    /// client's AuthSessionValidity.
    pub expires_at: Option<OffsetDateTime>,
}

/// Which authenticator answers a passkey challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyAuthenticator {
    /// The software passkey kept in the XDG data dir. `held`: whether this machine holds
    /// one for this account and relying party (when not, the screen says so and how to
    /// enrol one, instead of offering Enter).
    Software { held: bool },
    /// A FIDO2 security key. `plugged_in`: whether one is plugged in now (`None` where the
    /// system cannot tell); the screen says "plug one in" when none is.
    SecurityKey { plugged_in: Option<bool> },
}

impl PasskeyAuthenticator {
    /// Which kind of authenticator this is.
    pub fn kind(self) -> AuthenticatorKind {
        match self {
            Self::Software { .. } => AuthenticatorKind::Software,
            Self::SecurityKey { .. } => AuthenticatorKind::SecurityKey,
        }
    }
}

/// The two authenticators a passkey can live on (`--authenticator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthenticatorKind {
    /// A FIDO2 security key over USB.
    SecurityKey,
    /// The software passkey kept in a file on this machine.
    Software,
}

impl AuthenticatorKind {
    /// The other one, for switching.
    pub fn other(self) -> Self {
        match self {
            Self::SecurityKey => Self::Software,
            Self::Software => Self::SecurityKey,
        }
    }
}

/// A security key asking for its PIN, for the PIN screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPinPrompt {
    /// The relying party the key is signing in to or enrolling for.
    pub relying_party: String,
    /// True when adding a passkey from account security (Esc goes back there), false
    /// on a sign-in (Esc starts again).
    pub enrolling: bool,
    /// True when the PIN just given was wrong.
    pub wrong: bool,
    /// The tries the key has left before it blocks its PIN, when it said.
    pub retries: Option<u8>,
}

/// Why an authenticator app is being enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolment {
    /// MFA_SETUP: the pool asks for a factor before it signs the person in.
    SignIn,
    /// A signed-in person adds one from account security (AccessToken).
    Account,
}

/// Account security: what GetUser says of the person's factors and contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    /// Who is signed in (GetUser's Username).
    pub username: String,
    /// One entry per second factor, in Cognito's order (SMS, authenticator, e-mail).
    pub factors: Vec<Factor>,
    /// The e-mail address, if the person has one.
    pub email: Option<ContactDetail>,
    /// The phone number, if the person has one.
    pub phone: Option<ContactDetail>,
    /// Whether the pool requires MFA (MfaConfiguration ON), when the console can tell
    /// (GetUserPoolMfaConfig needs `--admin`). Cognito then refuses to turn off the
    /// last factor.
    pub mfa_required: Option<bool>,
    /// The person's passkeys (ListWebAuthnCredentials), or `None` where the pool would
    /// not list them (one without passkey support).
    pub passkeys: Option<Vec<PasskeyEntry>>,
    /// Where `AccountAction::AddPasskey` makes the passkey (`--authenticator`, else a
    /// security key when one is plugged in, else this machine's software passkey).
    pub add_passkey_on: AuthenticatorKind,
}

/// One passkey on account security.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyEntry {
    /// Base64url of the credential id (DeleteWebAuthnCredential takes it).
    pub credential_id: String,
    /// FriendlyCredentialName, empty when the pool gave none.
    pub name: String,
    /// The relying party ID it signs in to.
    pub relying_party: String,
    /// When it was added (CreatedAt, epoch seconds).
    pub created_at: i64,
    /// Whether this machine's software passkey holds it.
    pub on_this_machine: bool,
}

impl Security {
    /// The entry for `kind`.
    pub fn factor(&self, kind: MfaKind) -> Option<&Factor> {
        self.factors.iter().find(|factor| factor.kind == kind)
    }

    /// The address or number of `contact`, if the person has one.
    pub fn contact(&self, contact: ContactKind) -> Option<&ContactDetail> {
        match contact {
            ContactKind::Email => self.email.as_ref(),
            ContactKind::Phone => self.phone.as_ref(),
        }
    }
}

/// One second factor on account security.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factor {
    pub kind: MfaKind,
    /// In UserMFASettingList: Cognito may ask for it at sign-in.
    pub enabled: bool,
    /// PreferredMfaSetting: asked for first.
    pub preferred: bool,
    /// Whether the pool allows it: `Some(false)` once the console knows it does not
    /// (GetUserPoolMfaConfig with `--admin`, or Cognito refusing to turn it on),
    /// `None` where it cannot tell. A factor known not to be allowed is explained
    /// instead of offered.
    pub allowed: Option<bool>,
}

/// An e-mail address or phone number, and whether the person proved it is theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetail {
    pub value: String,
    /// email_verified / phone_number_verified is "true".
    pub verified: bool,
}

/// Which contact detail: e-mail address or phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    Email,
    Phone,
}

impl ContactKind {
    /// The attribute's name in the API (AttributeName, UserAttributes).
    pub fn attribute_name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone_number",
        }
    }

    /// The attribute that says it is verified.
    pub fn verified_attribute_name(self) -> &'static str {
        match self {
            Self::Email => "email_verified",
            Self::Phone => "phone_number_verified",
        }
    }

    /// The second factor whose codes go to it.
    pub fn factor(self) -> MfaKind {
        match self {
            Self::Email => MfaKind::Email,
            Self::Phone => MfaKind::Sms,
        }
    }

    /// How a code reaches it.
    pub fn medium(self) -> CodeMedium {
        match self {
            Self::Email => CodeMedium::Email,
            Self::Phone => CodeMedium::Sms,
        }
    }

    /// Whether `value` looks like an address or number of this kind: a light check
    /// both front ends make to catch a slip before a round trip (the pool checks it
    /// properly).
    pub fn looks_valid(self, value: &str) -> bool {
        match self {
            Self::Email => looks_like_email(value),
            Self::Phone => is_e164(value),
        }
    }
}

/// Something before the last `@`, and after it a dot with something on each side; no
/// spaces.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !value.contains(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !rest.is_empty())
}

/// A phone number as Cognito stores it (E.164): `+`, then 7 to 15 digits, the first
/// (the country code's) not 0: `+15555550123`.
pub fn is_e164(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len())
            && digits.bytes().all(|byte| byte.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// What a signed-in person chose on account security (or the key that opens it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    /// Show account security, freshly read (GetUser): from the signed-in screen, and
    /// "back" from every account step.
    Open,
    /// Back to the signed-in screen.
    Close,
    /// AssociateSoftwareToken, then `TotpSetup` with `Enrolment::Account`; the first
    /// code verifies it (VerifySoftwareToken) and turns it on (SetUserMFAPreference),
    /// preferred when no other factor is.
    AddTotp,
    /// Turn a factor on (SetUserMFAPreference). E-mail and SMS codes need the address
    /// or number verified: an unverified one gets a code first (`ContactCode`), and
    /// the factor is turned on once it is verified.
    Enable(MfaKind),
    /// Turn a factor off.
    Disable(MfaKind),
    /// Make a factor the preferred one (turning it on if it was off).
    Prefer(MfaKind),
    /// Send a code to prove the address or number (`ContactCode`).
    Verify(ContactKind),
    /// Change the address or number (`ContactForm`, then `ContactCode`).
    Change(ContactKind),
    /// `ChangePassword`.
    ChangePassword,
    /// Enrol a software passkey: StartWebAuthnRegistration, the key made on this
    /// machine, CompleteWebAuthnRegistration.
    AddPasskey,
    /// Delete the passkey at this index of `Security::passkeys` (DeleteWebAuthnCredential),
    /// and this machine's key for it.
    DeletePasskey(usize),
}

/// Everything a code screen shows, worked out by the flow so that no front end
/// re-derives where the code went or how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePrompt {
    /// The challenge this code answers; `None` for a password reset's code
    /// (ForgotPassword), which answers no challenge.
    pub challenge: Option<CodeKind>,
    /// How the code reached the person.
    pub medium: CodeMedium,
    /// CODE_DELIVERY_DESTINATION (or CodeDeliveryDetails.Destination): where the code
    /// went (`+*******1234`, `a***@e***`).
    pub destination: Option<String>,
    /// FRIENDLY_DEVICE_NAME: the authenticator to open (SOFTWARE_TOKEN_MFA).
    pub device_name: Option<String>,
    /// How many digits the code has, as far as the console can know.
    pub length: CodeLength,
    /// Whether `Answer::ResendCode` may be offered: true where Cognito sends codes.
    pub can_resend: bool,
    /// When the challenge's Session ends, after which no code is taken and only a fresh
    /// sign-in goes on: the time the challenge arrived plus the app client's
    /// AuthSessionValidity. `None` where no Session is involved (a password reset's code).
    pub expires_at: Option<OffsetDateTime>,
}

/// How many digits a one-time code has. Where the length is known (`Exactly`) the code
/// goes out on its last digit; where it is not (`Between`) the person presses Enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeLength {
    /// Exactly this many digits (never 0).
    Exactly(u8),
    /// At least `min` and at most `max` digits (`0 < min < max`).
    Between { min: u8, max: u8 },
}

impl CodeLength {
    /// The fewest digits a code may have.
    pub fn min(self) -> usize {
        match self {
            Self::Exactly(length) => usize::from(length),
            Self::Between { min, .. } => usize::from(min),
        }
    }

    /// The most digits a code may have: a code field takes no more.
    pub fn max(self) -> usize {
        match self {
            Self::Exactly(length) => usize::from(length),
            Self::Between { max, .. } => usize::from(max),
        }
    }

    /// Whether `digits` digits make a whole code.
    pub fn accepts(self, digits: usize) -> bool {
        (self.min()..=self.max()).contains(&digits)
    }

    /// Whether typing the `digits`th digit completes the code, so it may go out at once:
    /// only when the length is known.
    pub fn completed_by(self, digits: usize) -> bool {
        matches!(self, Self::Exactly(length) if usize::from(length) == digits)
    }
}

/// "6" or "6 to 8": the length as a person reads it.
impl std::fmt::Display for CodeLength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exactly(length) => write!(f, "{length}"),
            Self::Between { min, max } => write!(f, "{min} to {max}"),
        }
    }
}

/// How a one-time code reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMedium {
    /// A text message (DeliveryMedium `SMS`).
    Sms,
    /// An e-mail (DeliveryMedium `EMAIL`).
    Email,
    /// The person's authenticator app makes it (TOTP); nothing is sent.
    Authenticator,
}

impl CodeMedium {
    /// The medium a server named (`SMS` or `EMAIL`, as CodeDeliveryDetails and
    /// CODE_DELIVERY_DELIVERY_MEDIUM spell it); `None` for anything else.
    pub fn from_delivery_medium(name: &str) -> Option<Self> {
        match name {
            "SMS" => Some(Self::Sms),
            "EMAIL" => Some(Self::Email),
            _ => None,
        }
    }
}

/// The code challenges, second factors and first factors, as the wire names them.
pub use crate::cognito::names::{CodeKind, FirstFactor, MfaKind};

impl FirstFactor {
    /// Whether this console can sign in with it (unknown factors cannot).
    pub fn is_usable(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

/// What the person gave in answer to the current `Step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The sign-in form; `password` is empty when the step did not ask for one.
    SignIn {
        username: String,
        password: SensitiveString,
    },
    /// The first factor chosen on `SelectFirstFactor`.
    FirstFactor(FirstFactor),
    /// The password asked by `Password`.
    Password(SensitiveString),
    /// The code asked by `Code`.
    Code(SensitiveString),
    /// Send the code again (only where `CodePrompt::can_resend`).
    ResendCode,
    /// Sign in with the passkey (`WebAuthn`): the authenticator signs the challenge.
    WebAuthn,
    /// Use the other authenticator on `WebAuthn` (where `can_switch`).
    SwitchAuthenticator,
    /// The security key's PIN, asked by `KeyPin`. A secret: never logged or shown.
    KeyPin(SensitiveString),
    /// The second factor chosen on `SelectMfa`.
    Mfa(MfaKind),
    /// The factor chosen on `SelectMfaSetup` (never `Sms`: that one is only explained).
    MfaSetup(MfaKind),
    /// The first code of the new authenticator, and the name to give it.
    TotpSetup {
        code: SensitiveString,
        device_name: Option<String>,
    },
    /// The address for e-mail MFA.
    EmailSetup { email: String },
    /// The new password (already confirmed by the front end) and the required
    /// attributes, keyed without the `userAttributes.` prefix.
    NewPassword {
        password: SensitiveString,
        attributes: BTreeMap<String, String>,
    },
    /// The ANSWER to a custom challenge round.
    Custom(SensitiveString),
    /// Whether to remember this device (`RememberDevice`): UpdateDeviceStatus with
    /// `remembered` or `not_remembered`.
    RememberDevice(bool),
    /// "Forgot password?" on the sign-in form: ForgotPassword for this username.
    ForgotPassword { username: String },
    /// What the person chose on account security, or the key that opens it.
    Account(AccountAction),
    /// The address or number asked by `ContactForm`.
    Contact(String),
    /// ChangePassword's passwords (the new one already confirmed by the front end).
    ChangePassword {
        current: SensitiveString,
        proposed: SensitiveString,
    },
}

/// From a front end to the auth task. Dropping the sender ends the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The person answered the current step.
    Answer(Answer),
    /// Throw away the sign-in in progress and start a fresh one, keeping this username.
    Restart { username: String },
}

/// From the auth task to a front end: the first step when the task starts, then exactly
/// one event in answer to each `Command`. A front end is busy from sending a command
/// until its event arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Show this step (the previous one is done), with what to say on it.
    Step { step: Step, note: Option<Note> },
    /// The answer was refused: stay on the same step and show this.
    Refused(Problem),
    /// While an answer is being worked on, what the person must do now ("Touch your
    /// security key."). The answer's own `Step` or `Refused` still follows.
    Progress(String),
}

impl Event {
    /// A step with nothing more to say.
    pub fn step(step: Step) -> Self {
        Self::Step { step, note: None }
    }
}

/// What a step arrives with, shown on its screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Good news, such as "your password was changed": never shown as an error.
    Notice(String),
    /// Why the person is back on this step (a refused reset code): shown as an error.
    Refused(Problem),
}

/// Something that went wrong, already turned into a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The server's error type when there is one (`NotAuthorizedException`), for logic and tests.
    pub kind: Option<ErrorType>,
    /// What to show the person.
    pub sentence: String,
}

impl Problem {
    /// A problem with no server error type behind it.
    pub fn sentence(sentence: impl Into<String>) -> Self {
        Self {
            kind: None,
            sentence: sentence.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence)
    }
}

#[cfg(test)]
mod tests {
    use super::{CodeLength, ContactKind, is_e164, looks_like_email};

    #[test]
    fn the_light_contact_checks_catch_slips_only() {
        for good in ["alice@example.com", "a.b+c@mail.example.co.uk"] {
            assert!(ContactKind::Email.looks_valid(good), "{good}");
        }
        for slip in [
            "",
            "alice",
            "alice@example",
            "@example.com",
            "alice@",
            "alice@.com",
            "alice@example.",
            "a@b@c",
            "al ice@example.com",
        ] {
            assert!(!looks_like_email(slip), "{slip:?}");
        }
        for good in ["+15555550123", "+447700900123", "+2901234"] {
            assert!(ContactKind::Phone.looks_valid(good), "{good}");
        }
        for slip in [
            "",
            "15555550123",
            "+",
            "+1555",
            "+1 555 555 0123",
            "+1-555-555-0123",
            "+05555550123",
            "+1234567890123456",
            "+1555555010a",
            "+١٢٣٤٥٦٧٨",
        ] {
            assert!(!is_e164(slip), "{slip:?}");
        }
    }

    #[test]
    fn a_code_length_is_exact_or_a_range_and_only_an_exact_one_is_completed_by_a_digit() {
        let six = CodeLength::Exactly(6);
        assert!(six.accepts(6));
        assert!(!six.accepts(5) && !six.accepts(7));
        assert!(six.completed_by(6) && !six.completed_by(5));
        assert_eq!((six.min(), six.max(), six.to_string()), (6, 6, "6".into()));

        let sent = CodeLength::Between { min: 6, max: 8 };
        for digits in 6..=8 {
            assert!(sent.accepts(digits), "{digits}");
            assert!(!sent.completed_by(digits), "Enter sends it: {digits}");
        }
        assert!(!sent.accepts(5) && !sent.accepts(9));
        assert_eq!(
            (sent.min(), sent.max(), sent.to_string()),
            (6, 8, "6 to 8".into())
        );
    }
}
