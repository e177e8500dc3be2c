//! The auth task: it owns one sign-in at a time, turns the person's `Answer`s into
//! Cognito calls, answers PASSWORD_VERIFIER itself, and turns Cognito's answers into
//! the next `Step`. It never touches a terminal.

use std::collections::BTreeMap;

use tokio::sync::mpsc;

use crate::auth::error::FlowError;
use crate::auth::{Answer, Command, Event, FrontEndChannels, Problem, Step, Tokens};
use crate::cognito::Client;
use crate::cognito::types::{
    AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest, SensitiveMap,
};
use crate::crypto::{PasswordVerifierInput, SrpClient, format_timestamp, secret_hash, srp};
use crate::sensitive::{Sensitive, SensitiveString};

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
}

impl AuthFlow {
    /// The name InitiateAuth takes.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::UserSrp => "USER_SRP_AUTH",
            Self::UserPassword => "USER_PASSWORD_AUTH",
            Self::CustomAuth | Self::CustomWithSrp => "CUSTOM_AUTH",
            Self::UserAuth => "USER_AUTH",
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
    pub preferred_challenge: Option<String>,
    /// The issuer in the otpauth URI of TOTP enrolment.
    pub totp_issuer: String,
    /// Sent on every InitiateAuth and RespondToAuthChallenge.
    pub request_options: RequestOptions,
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
    let flow = Flow { settings, client };
    let handle = tokio::spawn(flow.run(command_rx, event_tx, username));
    (
        FrontEndChannels {
            commands: command_tx,
            events: event_rx,
        },
        handle,
    )
}

/// The task's state: settings and the client; a sign-in's own state lives in `run`.
struct Flow {
    settings: FlowSettings,
    client: Client,
}

/// Where a sign-in ended after one answer.
enum Reached {
    Tokens(Tokens),
    Challenge(String),
}

impl Flow {
    async fn run(
        self,
        mut commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<Event>,
        username: String,
    ) {
        if !send(
            &events,
            Event::Step(Step::SignIn {
                username,
                needs_password: true,
            }),
        )
        .await
        {
            return;
        }
        while let Some(command) = commands.recv().await {
            let event = match command {
                Command::Restart { username } => Event::Step(Step::SignIn {
                    username,
                    needs_password: true,
                }),
                Command::Answer(Answer::SignIn { username, password }) => {
                    if !send(&events, Event::Busy).await {
                        return;
                    }
                    // A front end that goes away (Ctrl-C) drops its receiver: stop the call.
                    let outcome = tokio::select! {
                        outcome = self.sign_in(username.trim(), &password) => outcome,
                        () = events.closed() => return,
                    };
                    if !send(&events, Event::Idle).await {
                        return;
                    }
                    match outcome {
                        Ok(Reached::Tokens(tokens)) => Event::Step(Step::SignedIn {
                            tokens: Box::new(tokens),
                        }),
                        Ok(Reached::Challenge(challenge)) => {
                            Event::Step(Step::Unsupported { challenge })
                        }
                        Err(error) => Event::Error(Problem::from(error)),
                    }
                }
                Command::Answer(_) => Event::Error(Problem::sentence(
                    "This answer does not fit the current step.",
                )),
            };
            if !send(&events, event).await {
                return;
            }
        }
    }

    /// InitiateAuth with the configured flow, then the PASSWORD_VERIFIER answer for SRP.
    async fn sign_in(
        &self,
        username: &str,
        password: &SensitiveString,
    ) -> Result<Reached, FlowError> {
        if username.is_empty() {
            return Err(FlowError::EmptyField("Enter a username."));
        }
        if password.expose().is_empty() {
            return Err(FlowError::EmptyField("Enter a password."));
        }
        let flow = self.settings.auth_flow;
        let mut parameters = BTreeMap::from([("USERNAME".to_owned(), username.to_owned())]);
        let srp_client = match flow {
            AuthFlow::UserSrp => {
                let srp_client = SrpClient::new();
                parameters.insert("SRP_A".to_owned(), srp_client.public_a_hex());
                Some(srp_client)
            }
            AuthFlow::UserPassword
            | AuthFlow::CustomAuth
            | AuthFlow::CustomWithSrp
            | AuthFlow::UserAuth => {
                parameters.insert("PASSWORD".to_owned(), password.expose().clone());
                None
            }
        };
        self.add_secret_hash(&mut parameters, username);
        let request = InitiateAuthRequest {
            auth_flow: flow.api_name().to_owned(),
            client_id: self.settings.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        };
        let mut response = self.client.initiate_auth(&request).await?;
        if let Some(srp_client) = srp_client
            && response.challenge_name.as_deref() == Some("PASSWORD_VERIFIER")
        {
            response = self
                .answer_password_verifier(&srp_client, &response, username, password)
                .await?;
        }
        reached(response)
    }

    /// PASSWORD_VERIFIER: sign poolName | USER_ID_FOR_SRP | SECRET_BLOCK | TIMESTAMP with
    /// the SRP session key, and answer with USERNAME as the challenge gave it.
    async fn answer_password_verifier(
        &self,
        srp_client: &SrpClient,
        challenge: &AuthResponse,
        typed_username: &str,
        password: &SensitiveString,
    ) -> Result<AuthResponse, FlowError> {
        let parameter = |name: &'static str| {
            challenge
                .challenge_parameters
                .get(name)
                .map(String::as_str)
                .ok_or_else(|| FlowError::MissingParameter {
                    challenge: "PASSWORD_VERIFIER".to_owned(),
                    parameter: name,
                })
        };
        let user_id_for_srp = parameter("USER_ID_FOR_SRP")?;
        let secret_block = parameter("SECRET_BLOCK")?;
        // Cognito names the user in USERNAME; older servers only in USER_ID_FOR_SRP.
        let username = challenge
            .challenge_parameters
            .get("USERNAME")
            .map(String::as_str)
            .unwrap_or(typed_username);
        let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
        let signature = srp_client.password_claim_signature(&PasswordVerifierInput {
            realm: srp::pool_name(&self.settings.user_pool_id),
            user_id: user_id_for_srp,
            password: password.expose(),
            srp_b_hex: parameter("SRP_B")?,
            salt_hex: parameter("SALT")?,
            secret_block_b64: secret_block,
            timestamp: &timestamp,
        })?;
        let mut responses = BTreeMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                secret_block.to_owned(),
            ),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
            ("TIMESTAMP".to_owned(), timestamp),
        ]);
        self.add_secret_hash(&mut responses, username);
        let request = RespondToAuthChallengeRequest {
            client_id: self.settings.client_id.clone(),
            challenge_name: "PASSWORD_VERIFIER".to_owned(),
            challenge_responses: SensitiveMap::new(responses),
            session: challenge.session.clone(),
            ..Default::default()
        };
        Ok(self.client.respond_to_auth_challenge(&request).await?)
    }

    /// Adds SECRET_HASH for `username` when the app client has a secret.
    fn add_secret_hash(&self, parameters: &mut BTreeMap<String, String>, username: &str) {
        if let Some(secret) = &self.settings.client_secret {
            parameters.insert(
                "SECRET_HASH".to_owned(),
                secret_hash(username, &self.settings.client_id, secret.expose()),
            );
        }
    }
}

/// Tokens, or the challenge still to answer.
fn reached(response: AuthResponse) -> Result<Reached, FlowError> {
    if let Some(result) = response.authentication_result {
        return Ok(Reached::Tokens(Tokens::received_now(result)));
    }
    response
        .challenge_name
        .map(Reached::Challenge)
        .ok_or(FlowError::EmptyAnswer)
}

/// Sends an event; false when the front end has gone (the task then ends).
async fn send(events: &mpsc::Sender<Event>, event: Event) -> bool {
    events.send(event).await.is_ok()
}
