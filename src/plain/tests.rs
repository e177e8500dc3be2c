//! The line front end driven with in-memory input and a fake auth task on channels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use tokio::sync::mpsc;

use super::*;
use crate::cognito::types::AuthenticationResult;

/// Every wait in these tests is bounded by this.
const BOUND: Duration = Duration::from_secs(5);

/// The fake auth task's ends of the channels.
struct FakeAuth {
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
}

impl FakeAuth {
    async fn send(&self, event: Event) {
        self.events.send(event).await.unwrap();
    }

    async fn next_command(&mut self) -> Option<Command> {
        tokio::time::timeout(BOUND, self.commands.recv())
            .await
            .expect("the front end answered in time")
    }
}

fn channels() -> (FrontEndChannels, FakeAuth) {
    let (command_tx, command_rx) = mpsc::channel(8);
    let (event_tx, event_rx) = mpsc::channel(8);
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

fn info() -> SessionInfo {
    SessionInfo {
        title: "us-east-1_Demo · client demo".into(),
        endpoint: "http://127.0.0.1:9229".into(),
        notes: vec!["Demo users: alice, bob".into()],
    }
}

fn sign_in_step(username: &str) -> Event {
    Event::Step(Step::SignIn {
        needs_password: true,
        username: username.into(),
    })
}

fn answer(username: &str, password: &str) -> Command {
    Command::Answer(Answer::SignIn {
        username: username.into(),
        password: password.into(),
    })
}

fn tokens() -> Box<Tokens> {
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"cognito:username":"alice","sub":"s-1"}"#);
    Box::new(Tokens {
        result: AuthenticationResult {
            access_token: "access".into(),
            expires_in: 3600,
            token_type: "Bearer".into(),
            refresh_token: Some("refresh".into()),
            id_token: Some(format!("e30.{payload}.sig").into()),
            new_device_metadata: None,
        },
        received_at: OffsetDateTime::now_utc(),
    })
}

/// Runs the front end on `input` beside `auth`, returning its outcome and what it printed.
async fn drive<F, Fut>(input: &str, auth: F) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    drive_with_outbox(input, None, auth).await
}

/// `drive`, with the demo's outbox feed.
async fn drive_with_outbox<F, Fut>(
    input: &str,
    outbox: Option<OutboxFeed>,
    auth: F,
) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (front, fake) = channels();
    let mut out = Vec::new();
    let info = info();
    let front_end = run_with(
        front,
        &info,
        input.as_bytes(),
        &mut out,
        PasswordSource::Lines,
        outbox,
    );
    let (outcome, ()) = tokio::time::timeout(BOUND, async { tokio::join!(front_end, auth(fake)) })
        .await
        .expect("the exchange finished in time");
    (outcome.unwrap(), String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn signs_in_with_a_username_and_a_password_line() {
    let (outcome, printed) = drive("alice\nPassw0rd!\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(
            auth.next_command().await,
            Some(answer("alice", "Passw0rd!"))
        );
        auth.send(Event::Busy).await;
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
        auth.send(Event::Idle).await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
    assert!(printed.contains("Signing in to us-east-1_Demo · client demo (http://127.0.0.1:9229)"));
    assert!(printed.contains("Demo users: alice, bob"));
    assert!(printed.contains("Username: Password: "));
    assert!(printed.contains("Signing in…\n"));
    assert!(printed.contains("Signed in as alice.\n"));
    assert!(printed.contains("Tokens issued: access, id, refresh.\n"));
    assert!(printed.contains("They expire in 59 min") || printed.contains("They expire in 60 min"));
    assert!(
        !printed.contains("Passw0rd!"),
        "the password is never echoed: {printed}"
    );
}

#[tokio::test]
async fn empty_answers_are_asked_again_without_a_call() {
    let (outcome, printed) = drive("\n  \nbob\n\nsecret\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        // The only command is the complete answer.
        assert_eq!(auth.next_command().await, Some(answer("bob", "secret")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
    assert_eq!(
        printed.matches("A username is needed.").count(),
        2,
        "{printed}"
    );
    assert_eq!(
        printed.matches("A password is needed.").count(),
        1,
        "{printed}"
    );
}

#[tokio::test]
async fn a_refusal_is_printed_and_asked_again_offering_the_username() {
    let refused = Problem {
        kind: Some("NotAuthorizedException".into()),
        sentence: "Incorrect username or password.".into(),
    };
    let sent = refused.clone();
    let (outcome, printed) = drive("alice\nwrong\n\nright\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, Some(answer("alice", "wrong")));
        auth.send(Event::Busy).await;
        auth.send(Event::Error(sent)).await;
        auth.send(Event::Idle).await;
        // An empty line kept the offered username.
        assert_eq!(auth.next_command().await, Some(answer("alice", "right")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
    assert!(
        printed.contains("Incorrect username or password.\nUsername [alice]: "),
        "{printed}"
    );
}

#[tokio::test]
async fn a_refusal_at_the_end_of_input_fails_with_its_sentence() {
    let refused = Problem {
        kind: Some("NotAuthorizedException".into()),
        sentence: "Incorrect username or password.".into(),
    };
    let sent = refused.clone();
    let (outcome, _) = drive("alice\nwrong\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, Some(answer("alice", "wrong")));
        auth.send(Event::Error(sent)).await;
        // The front end gives up and drops its sender.
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(outcome, Outcome::Failed(refused));
}

#[tokio::test]
async fn the_end_of_input_before_any_answer_quits() {
    let (outcome, _) = drive("", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(auth.next_command().await, None);
    })
    .await;
    assert_eq!(outcome, Outcome::Quit);
}

#[tokio::test]
async fn a_pre_filled_username_is_kept_by_an_empty_line() {
    let (_, printed) = drive("\npw\n", |mut auth| async move {
        auth.send(sign_in_step("carol")).await;
        assert_eq!(auth.next_command().await, Some(answer("carol", "pw")));
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(printed.contains("Username [carol]: "));
}

#[tokio::test]
async fn an_unsupported_challenge_fails_naming_it() {
    let (outcome, _) = drive("", |auth| async move {
        auth.send(Event::Step(Step::Unsupported {
            challenge: "CUSTOM_CHALLENGE".into(),
        }))
        .await;
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(
            "This challenge is not supported yet: CUSTOM_CHALLENGE"
        ))
    );
}

#[tokio::test]
async fn a_failed_step_fails_with_its_problem() {
    let problem = Problem::sentence("The user pool does not exist.");
    let sent = problem.clone();
    let (outcome, _) = drive("", |auth| async move {
        auth.send(Event::Step(Step::Failed { problem: sent })).await;
    })
    .await;
    assert_eq!(outcome, Outcome::Failed(problem));
}

#[tokio::test]
async fn the_auth_task_ending_early_is_a_failure_with_a_sentence() {
    let (outcome, _) = drive("", |auth| async move {
        drop(auth);
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))
    );
}

#[tokio::test]
async fn crlf_and_passwords_with_spaces_are_read_as_typed() {
    let (outcome, _) = drive("dave\r\n  pass word \r\n", |mut auth| async move {
        auth.send(sign_in_step("")).await;
        assert_eq!(
            auth.next_command().await,
            Some(answer("dave", "  pass word "))
        );
        auth.send(Event::Step(Step::SignedIn { tokens: tokens() }))
            .await;
    })
    .await;
    assert!(matches!(outcome, Outcome::SignedIn(_)));
}
