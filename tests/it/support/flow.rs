//! The auth-task driver: the real auth task and wire client, driven as a front end
//! drives them, one command in and the next settled event out, every wait bounded.

use cognito_signin::auth::{
    self, Answer, AuthFlow, CodePrompt, Command, Event, FirstFactor, FlowSettings,
    FrontEndChannels, Note, Problem, Step, Tokens,
};
use cognito_signin::cognito::Client;
use cognito_signin::local_pool::{RunningPool, demo};
use cognito_signin::passkey::security_key::SecurityKeys;
use cognito_signin::sensitive::SensitiveString;
use tokio::task::JoinHandle;

use super::bounded;
use super::pool::{client_of, demo_pool};

/// An auth task, and the channels a front end holds to it.
pub struct Flow {
    pub channels: FrontEndChannels,
    pub task: JoinHandle<()>,
    /// Every `Event::Progress` the task sent ("Touch your security key."), in order.
    pub progress: Vec<String>,
}

impl Flow {
    /// Spawns the task for `settings` over `client`, and checks that its first step is
    /// the empty sign-in form (asking for a password when the flow needs one).
    pub async fn start(settings: FlowSettings, client: Client) -> Self {
        let needs_password = settings
            .auth_flow
            .needs_password(settings.preferred_challenge.as_ref());
        let (channels, task) = auth::spawn(settings, client, String::new());
        let mut flow = Self {
            channels,
            task,
            progress: Vec::new(),
        };
        assert_eq!(
            flow.next().await,
            Event::step(Step::SignIn {
                username: String::new(),
                needs_password,
            })
        );
        flow
    }

    /// The next event: the one that answers the last command.
    pub async fn next(&mut self) -> Event {
        loop {
            let event = bounded("an event from the auth task", self.channels.events.recv())
                .await
                .expect("the auth task ended");
            match event {
                Event::Progress(progress) => self.progress.push(progress),
                settled => return settled,
            }
        }
    }

    /// Sends `command` without waiting for what it brings.
    pub async fn send(&mut self, command: Command) {
        self.channels
            .commands
            .send(command)
            .await
            .expect("the auth task takes commands");
    }

    /// Sends `command`; the event that answers it.
    pub async fn command(&mut self, command: Command) -> Event {
        self.send(command).await;
        self.next().await
    }

    /// Gives `answer` to the current step; the next settled event.
    pub async fn answer(&mut self, answer: Answer) -> Event {
        self.command(Command::Answer(answer)).await
    }

    /// Fills in the sign-in form; the next settled event.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Event {
        self.answer(Answer::SignIn {
            username: username.into(),
            password: password.into(),
        })
        .await
    }
}

/// A demo app client, as the auth task is set up for it.
#[derive(Clone, Copy, Debug)]
pub enum DemoClient {
    /// The main demo pool's client without a secret.
    Public,
    /// The main demo pool's client with a secret: every call carries SECRET_HASH.
    WithSecret,
    /// The MFA-ON pool's client (dave, mona), whose pool tracks devices.
    MfaOn,
}

impl DemoClient {
    /// Settings for this client with `auth_flow`, the rest left at their defaults.
    pub fn settings(self, auth_flow: AuthFlow) -> FlowSettings {
        let (pool_id, client_id, secret) = match self {
            Self::Public => (demo::POOL_ID, demo::PUBLIC_CLIENT_ID, None),
            Self::WithSecret => (
                demo::POOL_ID,
                demo::SECRET_CLIENT_ID,
                Some(demo::CLIENT_SECRET),
            ),
            Self::MfaOn => (demo::MFA_ON_POOL_ID, demo::MFA_ON_CLIENT_ID, None),
        };
        FlowSettings {
            user_pool_id: pool_id.into(),
            client_id: client_id.into(),
            client_secret: secret.map(SensitiveString::from),
            auth_flow,
            // Whatever is plugged into the machine running the tests.
            security_keys: SecurityKeys::none(),
            ..Default::default()
        }
    }
}

/// Signs `username` in with the password chosen on SELECT_CHALLENGE (USER_AUTH).
pub async fn sign_in_with_chosen_password(flow: &mut Flow, username: &str) {
    flow.sign_in(username, "").await;
    flow.answer(Answer::FirstFactor(FirstFactor::Password))
        .await;
    signed_in_as(
        flow.answer(Answer::Password(demo::PASSWORD.into())).await,
        username,
    );
}

/// A demo pool of its own and an auth task for `settings` against it, at the sign-in
/// form.
pub async fn demo_flow(settings: FlowSettings) -> (RunningPool, Flow) {
    let pool = demo_pool().await;
    let flow = Flow::start(settings, client_of(&pool)).await;
    (pool, flow)
}

/// The step an event shows.
pub fn step(event: Event) -> Step {
    match event {
        Event::Step { step, .. } => step,
        other => panic!("expected a step, got {other:?}"),
    }
}

/// The step an event shows, and the note it came with.
pub fn step_and_note(event: Event) -> (Step, Option<Note>) {
    match event {
        Event::Step { step, note } => (step, note),
        other => panic!("expected a step, got {other:?}"),
    }
}

/// The tokens of a signed-in step.
pub fn signed_in(event: Event) -> Box<Tokens> {
    match event {
        Event::Step {
            step: Step::SignedIn { tokens },
            ..
        } => tokens,
        other => panic!("expected to be signed in, got {other:?}"),
    }
}

/// The tokens of a signed-in step, whose ID token names `username`.
pub fn signed_in_as(event: Event, username: &str) -> Box<Tokens> {
    let tokens = signed_in(event);
    let who = tokens.id_claims().and_then(|claims| claims.username);
    assert_eq!(who.as_deref(), Some(username));
    tokens
}

/// The prompt of a code step.
pub fn code_prompt(event: Event) -> CodePrompt {
    match event {
        Event::Step {
            step: Step::Code(prompt),
            ..
        } => prompt,
        other => panic!("expected a code step, got {other:?}"),
    }
}

/// The problem of an answer refused on the same step.
pub fn refusal(event: &Event) -> &Problem {
    match event {
        Event::Refused(problem) => problem,
        other => panic!("expected the answer to be refused on the same step, got {other:?}"),
    }
}

/// A code, as the person types it.
pub fn code(text: &str) -> Answer {
    Answer::Code(SensitiveString::from(text))
}
