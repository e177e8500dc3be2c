//! What one sign-in remembers: the person's earlier answers (so a code can be resent by
//! replaying the sign-in), and the challenge the current step answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::auth::devices::RememberedDevice;
use crate::auth::error::Answering;
use crate::auth::{
    AuthenticatorKind, CodeKind, CodeLength, CodeMedium, ContactKind, FirstFactor, KeyPinPrompt,
    MfaKind, Note, Problem, Security, Tokens,
};
use crate::cognito::types::AuthResponse;
use crate::cognito::webauthn::{AuthenticationResponse, RegistrationResponse};
use crate::passkey::security_key::KeyCeremony;
use crate::sensitive::SensitiveString;

/// The answers given so far in this sign-in, replayed to get a fresh code.
#[derive(Debug, Default)]
pub(super) struct Attempt {
    /// The username as typed on the sign-in form.
    pub username: String,
    /// The password given (on the form, on the Password step, or as a new password).
    pub password: Option<SensitiveString>,
    /// The first factor chosen on SELECT_CHALLENGE (USER_AUTH).
    pub first_factor: Option<FirstFactor>,
    /// The second factor chosen on SELECT_MFA_TYPE.
    pub mfa: Option<MfaKind>,
    /// The address given for e-mail MFA enrolment.
    pub email: Option<String>,
    /// This machine's remembered device for the username, sent as DEVICE_KEY.
    pub device: Option<RememberedDevice>,
}

/// A challenge the server is waiting for an answer to.
#[derive(Debug, Clone)]
pub(super) struct Challenge {
    /// ChallengeName.
    pub name: String,
    /// The Session the answer must carry (the latest one the server gave).
    pub session: Option<SensitiveString>,
    /// ChallengeParameters.
    pub parameters: BTreeMap<String, String>,
    /// AvailableChallenges (USER_AUTH's SELECT_CHALLENGE).
    pub available: Vec<String>,
    /// USERNAME as the challenge gave it, else the one the sign-in used so far: answers
    /// and SECRET_HASH use this one, which may differ from the typed alias.
    pub username: String,
    /// When the response carrying it arrived: its Session's life counts from then.
    pub received_at: OffsetDateTime,
}

impl Challenge {
    /// The challenge of `response`, or `None` when it has none.
    pub fn from_response(response: AuthResponse, username_so_far: &str) -> Option<Self> {
        let name = response.challenge_name?;
        let username = response
            .challenge_parameters
            .get("USERNAME")
            .filter(|name| !name.is_empty())
            .cloned()
            .unwrap_or_else(|| username_so_far.to_owned());
        Some(Self {
            name,
            session: response.session,
            parameters: response.challenge_parameters,
            available: response.available_challenges.unwrap_or_default(),
            username,
            received_at: OffsetDateTime::now_utc(),
        })
    }

    /// A challenge parameter, if present.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.get(name).map(String::as_str)
    }

    /// What a CUSTOM_CHALLENGE asks: its public parameters but USERNAME, which is how
    /// the server addresses the answer, not part of the question.
    pub fn question(&self) -> BTreeMap<String, String> {
        self.parameters
            .iter()
            .filter(|(name, _)| name.as_str() != "USERNAME")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }
}

/// Which step the person is on, with the challenge its answer goes to and everything
/// its `Step` shows (`Flow::step` derives the one from the other).
#[derive(Debug)]
pub(super) enum Awaiting {
    /// The sign-in form, `username` pre-filled.
    SignIn { username: String },
    /// SELECT_CHALLENGE: a first factor.
    FirstFactor(Challenge),
    /// The password for the PASSWORD or PASSWORD_SRP factor chosen on SELECT_CHALLENGE.
    Password(Challenge, FirstFactor),
    /// A one-time code, and how many digits it has.
    Code(Challenge, CodeKind, CodeLength),
    /// WEB_AUTHN, its CREDENTIAL_REQUEST_OPTIONS, and the authenticator the person
    /// switched to (`None`: the flow's own choice).
    WebAuthn(
        Challenge,
        Box<crate::cognito::webauthn::RequestOptions>,
        Option<AuthenticatorKind>,
    ),
    /// WEB_AUTHN on a security key that asked for its PIN.
    KeyPin(Box<SignInKeyPin>),
    /// SELECT_MFA_TYPE.
    SelectMfa(Challenge),
    /// MFA_SETUP with several factors on offer.
    SelectMfaSetup(Challenge),
    /// MFA_SETUP for an authenticator app; the Session is AssociateSoftwareToken's, and
    /// the secret is the one it gave.
    TotpSetup(Challenge, SensitiveString),
    /// MFA_SETUP for e-mail.
    EmailSetup(Challenge),
    /// NEW_PASSWORD_REQUIRED.
    NewPassword(Challenge),
    /// CUSTOM_CHALLENGE, and which round (question) it is.
    Custom(Challenge, CustomRound),
    /// "Remember this device?" after ConfirmDevice; the tokens wait for the answer.
    RememberDevice(Box<PendingDevice>),
    /// The code ForgotPassword sent.
    ResetCode(Reset),
    /// The new password, to send with the code already given.
    ResetPassword(Reset, SensitiveString),
    /// Signed in: only a fresh sign-in goes on, or account security.
    SignedIn(Box<Tokens>),
    /// Account security, or one of the steps it leads to; the tokens ride along.
    Account(Box<Account>),
    /// The sign-in cannot go on (a challenge this version cannot answer, a session that
    /// ended): only a fresh sign-in goes on.
    Failed(Problem),
}

/// A custom challenge's place in the sign-in. A round is a question asked: the same
/// question asked again after an answer (the Define auth challenge trigger issuing the
/// same challenge after a wrong answer) is the same round, tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CustomRound {
    /// Which question this is, counting from 1.
    pub number: u32,
    /// How many answers to this question were not accepted.
    pub wrong_answers: u32,
}

impl CustomRound {
    /// The round after `rounds_shown` others, not yet answered.
    pub fn after(rounds_shown: u32) -> Self {
        Self {
            number: rounds_shown.saturating_add(1),
            wrong_answers: 0,
        }
    }
}

/// Where an answer led: the step now awaited, and what to say on it (good news, or why
/// the person is asked again).
#[derive(Debug)]
pub(super) struct Reached {
    pub awaiting: Awaiting,
    pub note: Option<Note>,
}

impl From<Awaiting> for Reached {
    fn from(awaiting: Awaiting) -> Self {
        Self {
            awaiting,
            note: None,
        }
    }
}

impl Reached {
    /// `awaiting`, with a notice to show on its step.
    pub fn with_notice(awaiting: Awaiting, notice: String) -> Self {
        Self {
            awaiting,
            note: Some(Note::Notice(notice)),
        }
    }

    /// `awaiting`, with why the person is asked again.
    pub fn with_refusal(awaiting: Awaiting, problem: Problem) -> Self {
        Self {
            awaiting,
            note: Some(Note::Refused(problem)),
        }
    }
}

/// A signed-in person on account security.
#[derive(Debug, Clone)]
pub(super) struct Account {
    /// The sign-in's tokens: the AccessToken authorises every call, and they are the
    /// outcome whenever the person leaves.
    pub tokens: Box<Tokens>,
    /// The overview as last read.
    pub security: Security,
    /// Factors Cognito refused to turn on because the pool does not allow them.
    pub not_allowed: Vec<MfaKind>,
    /// Which account step is on show.
    pub at: AccountStep,
}

impl Account {
    /// The same account on another step.
    pub fn at(&self, step: AccountStep) -> Awaiting {
        Awaiting::Account(Box::new(Self {
            at: step,
            ..self.clone()
        }))
    }
}

/// The steps of account security.
#[derive(Debug, Clone)]
pub(super) enum AccountStep {
    /// The overview and its actions.
    Overview,
    /// A new authenticator: AssociateSoftwareToken gave this secret.
    Totp(SensitiveString),
    /// A verification code sent to the address or number (`destination`, masked), and
    /// the factor to turn on once it is verified.
    Code {
        contact: ContactKind,
        destination: Option<String>,
        then_enable: Option<MfaKind>,
    },
    /// A new address or number, and the factor to turn on once it is verified.
    Form(ContactKind, Option<MfaKind>),
    /// ChangePassword's form.
    Password,
    /// Adding a passkey on a security key that asked for its PIN.
    KeyPin(Arc<KeyCeremony<RegistrationResponse>>, KeyPinPrompt),
}

/// A passkey sign-in on a security key, waiting for the key's PIN.
#[derive(Debug)]
pub(super) struct SignInKeyPin {
    pub challenge: Challenge,
    pub options: Box<crate::cognito::webauthn::RequestOptions>,
    /// The key's ceremony, still running: the PIN goes to it.
    pub ceremony: Arc<KeyCeremony<AuthenticationResponse>>,
    pub prompt: KeyPinPrompt,
}

/// A signed-in device waiting for "remember it?".
#[derive(Debug)]
pub(super) struct PendingDevice {
    pub tokens: Box<Tokens>,
    pub device_key: String,
    /// The name ConfirmDevice gave it, for the question.
    pub device_name: String,
}

/// A password reset under way: who, and where the code went.
#[derive(Debug, Clone)]
pub(super) struct Reset {
    /// The username as typed on the sign-in form.
    pub username: String,
    /// CodeDeliveryDetails.Destination (masked by the server).
    pub destination: Option<String>,
    /// CodeDeliveryDetails.DeliveryMedium: SMS or EMAIL.
    pub medium: Option<CodeMedium>,
}

impl Awaiting {
    /// What kind of step this is, for whether a refused answer ends the sign-in.
    pub fn answering(&self) -> Answering {
        match self {
            Self::SignIn { .. }
            | Self::SignedIn(_)
            | Self::Account(_)
            | Self::Failed(_)
            | Self::RememberDevice(_)
            | Self::ResetCode(_)
            | Self::ResetPassword(..) => Answering::Other,
            Self::Password(..) => Answering::Password,
            _ => Answering::Challenge,
        }
    }

    /// Whether the sign-in form's answers (sign in, forgot password) belong here: on the
    /// form itself, and once a sign-in is over (signed in or failed).
    pub fn takes_sign_in(&self) -> bool {
        matches!(
            self,
            Self::SignIn { .. } | Self::SignedIn(_) | Self::Failed(_)
        )
    }
}
