//! The auth task: it owns one sign-in at a time, turns the person's `Answer`s into
//! Cognito calls, answers PASSWORD_VERIFIER itself, and turns Cognito's answers into
//! the next `Step`. It never touches a terminal.
//!
//! - [`calls`]: every request, with SECRET_HASH, USERNAME and the request options added;
//! - [`start`]: InitiateAuth for each flow, and USER_AUTH's first-factor choice;
//! - [`settle`]: a response into the next `Step`, answering what needs no person;
//! - [`answers`]: each `Answer` on the step it belongs to;
//! - [`devices`]: DEVICE_KEY, device SRP, ConfirmDevice and "remember this device?";
//! - [`account`]: account security once signed in (factors, contact details, password);
//! - [`passkey`]: WEB_AUTHN answered by the software passkey;
//! - [`forgot`]: "forgot password" from the sign-in form (ForgotPassword, ConfirmForgotPassword);
//! - [`state`]: what one sign-in remembers; [`parse`]: challenge parameters and the otpauth URI.

mod account;
mod answers;
mod calls;
mod devices;
mod forgot;
mod parse;
mod passkey;
mod settle;
mod start;
mod state;

use std::collections::BTreeMap;

use tokio::sync::mpsc;

use crate::auth::devices::DeviceSettings;
use crate::auth::error::{ClientContext, FlowError};
use crate::auth::{
    Answer, AuthenticatorKind, Command, Event, FirstFactor, FrontEndChannels, Note, Step, Tokens,
};
use crate::cognito::types::ContextDataType;
use crate::cognito::{AuthFlowType, Client};
use crate::passkey::SoftwarePasskeys;
use crate::passkey::security_key::SecurityKeys;
use crate::sensitive::SensitiveString;

use settle::Settled;
use state::{Attempt, Awaiting, Reached};

/// The first-factor flow InitiateAuth starts with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuthFlow {
    /// SRP: the password never leaves the machine (Cognito's default for SDKs).
    #[default]
    UserSrp,
    /// The password is sent over TLS to Cognito, which checks it.
    UserPassword,
    /// CUSTOM_AUTH without a password: only the custom challenge rounds.
    CustomAuth,
    /// CUSTOM_AUTH that proves the password by SRP first (SRP_A with
    /// CHALLENGE_NAME=SRP_A, then PASSWORD_VERIFIER), then the custom rounds.
    CustomWithSrp,
    /// USER_AUTH: choice-based sign-in (SELECT_CHALLENGE), passwordless included.
    UserAuth,
    /// ADMIN_USER_PASSWORD_AUTH by its own name (`--admin` only): the password is sent
    /// to Cognito, which checks it.
    AdminUserPassword,
    /// ADMIN_NO_SRP_AUTH: the older name of ADMIN_USER_PASSWORD_AUTH (`--admin` only).
    AdminNoSrp,
}

impl AuthFlow {
    /// Whether the sign-in screen asks for a password: USER_AUTH only when the preferred
    /// first factor is a password, CUSTOM_AUTH only with SRP.
    pub fn needs_password(self, preferred_challenge: Option<&FirstFactor>) -> bool {
        match self {
            Self::UserSrp
            | Self::UserPassword
            | Self::CustomWithSrp
            | Self::AdminUserPassword
            | Self::AdminNoSrp => true,
            Self::CustomAuth => false,
            Self::UserAuth => matches!(
                preferred_challenge,
                Some(FirstFactor::Password | FirstFactor::PasswordSrp)
            ),
        }
    }

    /// The AuthFlow InitiateAuth takes.
    pub fn initiate_flow(self) -> AuthFlowType {
        match self {
            Self::UserSrp => AuthFlowType::UserSrpAuth,
            Self::UserPassword => AuthFlowType::UserPasswordAuth,
            Self::CustomAuth | Self::CustomWithSrp => AuthFlowType::CustomAuth,
            Self::UserAuth => AuthFlowType::UserAuth,
            Self::AdminUserPassword => AuthFlowType::AdminUserPasswordAuth,
            Self::AdminNoSrp => AuthFlowType::AdminNoSrpAuth,
        }
    }

    /// The flow's name when only AdminInitiateAuth takes it (`--admin` is then needed).
    pub fn admin_only_name(self) -> Option<&'static str> {
        match self {
            Self::AdminUserPassword => Some("ADMIN_USER_PASSWORD_AUTH"),
            Self::AdminNoSrp => Some("ADMIN_NO_SRP_AUTH"),
            _ => None,
        }
    }

    /// The AuthFlow AdminInitiateAuth takes (`--admin`): the password flow has its own.
    pub fn admin_initiate_flow(self) -> AuthFlowType {
        match self {
            Self::UserPassword => AuthFlowType::AdminUserPasswordAuth,
            other => other.initiate_flow(),
        }
    }
}

/// The TOTP issuer shown in authenticator apps unless `--totp-issuer` says otherwise.
pub const DEFAULT_TOTP_ISSUER: &str = "AWSCognito";

/// Options the API lets every InitiateAuth and RespondToAuthChallenge carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// ClientMetadata: passed to the pool's Lambda triggers (`--client-metadata k=v`).
    pub client_metadata: BTreeMap<String, String>,
    /// AnalyticsMetadata.AnalyticsEndpointId (`--analytics-endpoint-id`).
    pub analytics_endpoint_id: Option<String>,
    /// UserContextData.EncodedData for threat protection (`--user-context-data`).
    pub user_context_data: Option<String>,
}

/// Everything the task needs to know about where and how to sign in.
#[derive(Debug, Clone)]
pub struct FlowSettings {
    pub user_pool_id: String,
    pub client_id: String,
    /// Present for app clients that have a secret: every call then carries SECRET_HASH.
    pub client_secret: Option<SensitiveString>,
    pub auth_flow: AuthFlow,
    /// USER_AUTH's PREFERRED_CHALLENGE (`--preferred-challenge`), such as EMAIL_OTP.
    pub preferred_challenge: Option<FirstFactor>,
    /// The issuer in the otpauth URI of TOTP enrolment.
    pub totp_issuer: String,
    /// Sent on every InitiateAuth and RespondToAuthChallenge.
    pub request_options: RequestOptions,
    /// Where remembered devices are kept; `None`: the sign-in neither sends DEVICE_KEY
    /// nor confirms new devices.
    pub devices: Option<DeviceSettings>,
    /// `--admin`: AdminInitiateAuth and AdminRespondToAuthChallenge (the client signs
    /// them), with this ContextData.
    pub admin: Option<AdminSettings>,
    /// How long a challenge's Session lasts: the app client's AuthSessionValidity (3 to
    /// 15 minutes). Only an administrator can read the setting, so the console counts
    /// from Cognito's default unless told otherwise.
    pub session_validity: time::Duration,
    /// Where the software passkeys are kept; `None` when there is no data directory
    /// (a WEB_AUTHN challenge then says this machine holds no passkey).
    pub passkeys: Option<SoftwarePasskeys>,
    /// Where security keys are found: USB, or a scripted key in tests.
    pub security_keys: SecurityKeys,
    /// `--authenticator`: the one authenticator passkey challenges and enrolment use.
    /// `None`: a security key when one is plugged in, else the software passkey, and
    /// the person may switch between them.
    pub authenticator: Option<AuthenticatorKind>,
}

/// Cognito's default AuthSessionValidity: a challenge's Session lasts 3 minutes.
pub const DEFAULT_SESSION_VALIDITY: time::Duration = time::Duration::minutes(3);

/// What the Admin* sign-in calls carry besides the ordinary ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminSettings {
    /// ContextData (`--context-ip-address` and friends), for threat protection.
    pub context_data: Option<ContextDataType>,
}

impl Default for FlowSettings {
    fn default() -> Self {
        Self {
            user_pool_id: String::new(),
            client_id: String::new(),
            client_secret: None,
            auth_flow: AuthFlow::default(),
            preferred_challenge: None,
            totp_issuer: DEFAULT_TOTP_ISSUER.to_owned(),
            request_options: RequestOptions::default(),
            devices: None,
            admin: None,
            session_validity: DEFAULT_SESSION_VALIDITY,
            passkeys: None,
            security_keys: SecurityKeys::usb(),
            authenticator: None,
        }
    }
}

/// Starts the auth task; the returned channels are the front end's ends. The first
/// event is `Step::SignIn` with `username` pre-filled.
pub fn spawn(
    settings: FlowSettings,
    client: Client,
    username: String,
) -> (FrontEndChannels, tokio::task::JoinHandle<()>) {
    let (command_tx, command_rx) = mpsc::channel(8);
    let (event_tx, event_rx) = mpsc::channel(32);
    let flow = Flow {
        settings,
        client,
        progress: event_tx.clone(),
    };
    let handle = tokio::spawn(flow.run(command_rx, event_tx, Awaiting::SignIn { username }));
    (
        FrontEndChannels {
            commands: command_tx,
            events: event_rx,
        },
        handle,
    )
}

/// Starts the auth task already signed in with `tokens` (cached ones, for the account
/// commands): the first event is `Step::SignedIn`, from which `Answer::Account` goes on.
pub fn spawn_signed_in(
    settings: FlowSettings,
    client: Client,
    tokens: Box<Tokens>,
) -> (FrontEndChannels, tokio::task::JoinHandle<()>) {
    let (command_tx, command_rx) = mpsc::channel(8);
    let (event_tx, event_rx) = mpsc::channel(32);
    let flow = Flow {
        settings,
        client,
        progress: event_tx.clone(),
    };
    let handle = tokio::spawn(flow.run(command_rx, event_tx, Awaiting::SignedIn(tokens)));
    (
        FrontEndChannels {
            commands: command_tx,
            events: event_rx,
        },
        handle,
    )
}

/// Where and how to sign in: fixed for the task's life.
struct Flow {
    settings: FlowSettings,
    client: Client,
    /// Where `Event::Progress` goes while an answer is worked on (the events channel).
    progress: mpsc::Sender<Event>,
}

impl Flow {
    /// The task: the first step (the sign-in form, or signed in), then one command at a
    /// time, each answered by one event, until the front end drops its sender or its
    /// receiver.
    async fn run(
        self,
        mut commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<Event>,
        first: Awaiting,
    ) {
        let mut attempt = Attempt::default();
        let mut awaiting = first;
        if !send(&events, Event::step(self.step(&awaiting))).await {
            return;
        }
        while let Some(command) = commands.recv().await {
            let event = match command {
                Command::Restart { username } => {
                    tracing::debug!(target: FLOW, "restart");
                    attempt = Attempt::default();
                    awaiting = Awaiting::SignIn { username };
                    Event::step(self.step(&awaiting))
                }
                Command::Answer(answer) => {
                    tracing::debug!(target: FLOW, answer = answer_kind(&answer), "answer");
                    // A front end that goes away (Ctrl-C) drops its receiver: stop the call.
                    let outcome = tokio::select! {
                        outcome = self.apply(&mut attempt, &awaiting, answer) => outcome,
                        () = events.closed() => return,
                    };
                    let (next, event) = self.answered(&attempt, &awaiting, outcome);
                    if let Some(next) = next {
                        awaiting = next;
                    }
                    event
                }
            };
            trace_event(&event);
            if !send(&events, event).await {
                return;
            }
        }
    }

    /// The event that answers a command, and the state it leads to (`None`: the person
    /// stays where they were).
    fn answered(
        &self,
        attempt: &Attempt,
        awaiting: &Awaiting,
        outcome: Settled,
    ) -> (Option<Awaiting>, Event) {
        match outcome {
            Ok(Reached { awaiting, note }) => {
                let step = self.step(&awaiting);
                (Some(awaiting), Event::Step { step, note })
            }
            Err(error) => self.refused(attempt, awaiting, error),
        }
    }

    /// The event for a refused answer, and the state it leads to.
    fn refused(
        &self,
        attempt: &Attempt,
        awaiting: &Awaiting,
        error: FlowError,
    ) -> (Option<Awaiting>, Event) {
        // A refused reset code is only known once the new password is sent: back to the
        // code, with the server's sentence.
        if let Some(code) = forgot::code_refused(awaiting, &error) {
            let step = self.step(&code);
            let note = Some(Note::Refused(error.into_problem(self.client_context())));
            return (Some(code), Event::Step { step, note });
        }
        if error.ends_session(awaiting.answering()) {
            // The pool ended a custom sign-in after an answer (its Define auth challenge
            // trigger failed it, or the session expired): asking again cannot work, so
            // the sign-in form comes back, saying so.
            if let Awaiting::Custom(..) = awaiting {
                let form = Awaiting::SignIn {
                    username: attempt.username.clone(),
                };
                let step = self.step(&form);
                let note = Some(Note::Refused(error.into_ended_custom_sign_in()));
                return (Some(form), Event::Step { step, note });
            }
            // Any other challenge whose Session has died cannot be answered again.
            let failed = Awaiting::Failed(error.into_ended_session(self.client_context()));
            let step = self.step(&failed);
            return (Some(failed), Event::step(step));
        }
        (
            None,
            Event::Refused(error.into_problem(self.client_context())),
        )
    }

    /// The app client, as error sentences may name it.
    fn client_context(&self) -> ClientContext<'_> {
        ClientContext {
            client_id: &self.settings.client_id,
            secret_given: self.settings.client_secret.is_some(),
        }
    }

    /// Whether this flow's sign-in form asks for a password.
    fn needs_password(&self) -> bool {
        self.settings
            .auth_flow
            .needs_password(self.settings.preferred_challenge.as_ref())
    }
}

/// Sends an event; false when the front end has gone (the task then ends).
async fn send(events: &mpsc::Sender<Event>, event: Event) -> bool {
    events.send(event).await.is_ok()
}

/// The trace's target for the flow (`COGNITO_SIGNIN_LOG=cognito_signin::flow=debug`).
const FLOW: &str = "cognito_signin::flow";

/// A step's kind, for the trace: never what it shows.
fn step_kind(step: &Step) -> &'static str {
    match step {
        Step::SignIn { .. } => "SignIn",
        Step::SelectFirstFactor { .. } => "SelectFirstFactor",
        Step::Password { .. } => "Password",
        Step::Code(..) => "Code",
        Step::SelectMfa { .. } => "SelectMfa",
        Step::SelectMfaSetup { .. } => "SelectMfaSetup",
        Step::TotpSetup { .. } => "TotpSetup",
        Step::EmailSetup { .. } => "EmailSetup",
        Step::NewPassword { .. } => "NewPassword",
        Step::Custom { .. } => "Custom",
        Step::WebAuthn(..) => "WebAuthn",
        Step::KeyPin(..) => "KeyPin",
        Step::RememberDevice { .. } => "RememberDevice",
        Step::ResetCode { .. } => "ResetCode",
        Step::ResetPassword { .. } => "ResetPassword",
        Step::SignedIn { .. } => "SignedIn",
        Step::Security(..) => "Security",
        Step::ContactCode { .. } => "ContactCode",
        Step::ContactForm { .. } => "ContactForm",
        Step::ChangePassword { .. } => "ChangePassword",
        Step::Failed { .. } => "Failed",
    }
}

/// An answer's kind, for the trace: never what was typed.
fn answer_kind(answer: &Answer) -> &'static str {
    match answer {
        Answer::SignIn { .. } => "SignIn",
        Answer::FirstFactor(..) => "FirstFactor",
        Answer::Password(..) => "Password",
        Answer::Code(..) => "Code",
        Answer::ResendCode => "ResendCode",
        Answer::WebAuthn => "WebAuthn",
        Answer::SwitchAuthenticator => "SwitchAuthenticator",
        Answer::KeyPin(..) => "KeyPin",
        Answer::Mfa(..) => "Mfa",
        Answer::MfaSetup(..) => "MfaSetup",
        Answer::TotpSetup { .. } => "TotpSetup",
        Answer::EmailSetup { .. } => "EmailSetup",
        Answer::NewPassword { .. } => "NewPassword",
        Answer::Custom(..) => "Custom",
        Answer::RememberDevice(..) => "RememberDevice",
        Answer::ForgotPassword { .. } => "ForgotPassword",
        Answer::Account(..) => "Account",
        Answer::Contact(..) => "Contact",
        Answer::ChangePassword { .. } => "ChangePassword",
    }
}

/// An event in the trace: the step shown, or that the answer was refused (with the
/// error type, never the sentence, which may quote what was typed).
fn trace_event(event: &Event) {
    match event {
        Event::Step { step, .. } => tracing::debug!(target: FLOW, step = step_kind(step), "step"),
        Event::Refused(problem) => tracing::debug!(
            target: FLOW,
            refused = problem.kind.as_ref().map_or("-", |kind| kind.as_str()),
            "refused"
        ),
        Event::Progress(_) => tracing::debug!(target: FLOW, "progress"),
    }
}

#[cfg(test)]
mod tests {
    use super::{AuthFlow, FirstFactor};

    #[test]
    fn only_flows_that_start_with_a_password_ask_for_one() {
        assert!(AuthFlow::UserSrp.needs_password(None));
        assert!(AuthFlow::UserPassword.needs_password(None));
        assert!(AuthFlow::CustomWithSrp.needs_password(None));
        assert!(!AuthFlow::CustomAuth.needs_password(None));
        assert!(!AuthFlow::UserAuth.needs_password(None));
        assert!(!AuthFlow::UserAuth.needs_password(Some(&FirstFactor::EmailOtp)));
        assert!(AuthFlow::UserAuth.needs_password(Some(&FirstFactor::Password)));
        assert!(AuthFlow::UserAuth.needs_password(Some(&FirstFactor::PasswordSrp)));
    }
}
