//! The console without a terminal: `App::update` message by message, every screen
//! snapshotted on a `TestBackend` at 80x24 and 120x40, and the whole loop driven with
//! scripted keys and a fake auth task.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::sync::mpsc;

use super::app::{App, Effect, Msg};
use super::screens::Screen;
use super::screens::sign_in::Field;
use super::theme::Theme;
use super::*;
use crate::auth::{Answer, Command, Event, Problem, Step, Tokens};
use crate::cognito::types::AuthenticationResult;

/// The fixed "now" of every test.
pub(crate) const NOW: OffsetDateTime = datetime!(2026-11-22 03:00:00 UTC);

/// Every wait in these tests is bounded by this.
const BOUND: Duration = Duration::from_secs(5);

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

pub(crate) fn app() -> App {
    App::new(info(), Theme::coloured(), Arc::new(|| NOW))
}

pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

pub(crate) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(app.update(key(KeyCode::Char(c))), Effect::Redraw);
    }
}

/// Keys pressed before the auth task's first step: held, so they change nothing yet.
pub(crate) fn type_ahead(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(app.update(key(KeyCode::Char(c))), Effect::None);
    }
}

pub(crate) fn step(step: Step) -> Msg {
    Msg::Auth(Event::Step(step))
}

pub(crate) fn sign_in(username: &str) -> Msg {
    step(Step::SignIn {
        needs_password: true,
        username: username.into(),
    })
}

fn refused() -> Problem {
    Problem {
        kind: Some("NotAuthorizedException".into()),
        sentence: "Incorrect username or password.".into(),
    }
}

/// Tokens whose ID token carries the claims the signed-in screen shows; received 48 s before `NOW`.
fn tokens() -> Box<Tokens> {
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
        received_at: NOW - time::Duration::seconds(48),
    })
}

fn sign_in_screen(app: &App) -> &screens::sign_in::SignIn {
    match app.screen() {
        Screen::SignIn(screen) => screen,
        other => panic!("expected the sign-in screen, got {other:?}"),
    }
}

// ---- App::update ----

#[test]
fn tab_and_shift_tab_cycle_between_the_fields() {
    let mut app = app();
    app.update(sign_in(""));
    assert_eq!(sign_in_screen(&app).focus(), Field::Username);
    app.update(key(KeyCode::Tab));
    assert_eq!(sign_in_screen(&app).focus(), Field::Password);
    app.update(key(KeyCode::Tab));
    assert_eq!(sign_in_screen(&app).focus(), Field::Username);
    app.update(key(KeyCode::BackTab));
    assert_eq!(sign_in_screen(&app).focus(), Field::Password);
    app.update(key(KeyCode::BackTab));
    assert_eq!(sign_in_screen(&app).focus(), Field::Username);
}

#[test]
fn typing_before_the_first_step_arrives_is_kept() {
    let mut app = app();
    type_ahead(&mut app, "alice");
    app.update(key(KeyCode::Tab));
    type_ahead(&mut app, "pw");
    assert_eq!(app.update(sign_in("")), Effect::Redraw);
    let form = sign_in_screen(&app);
    assert_eq!(form.username(), "alice");
    assert!(!form.password_is_empty());
    assert_eq!(form.focus(), Field::Password);
}

#[test]
fn the_first_step_prefills_an_untouched_form() {
    let mut app = app();
    app.update(sign_in("bob"));
    assert_eq!(sign_in_screen(&app).username(), "bob");
    assert_eq!(sign_in_screen(&app).focus(), Field::Password);
}

#[test]
fn empty_fields_send_nothing_and_say_what_is_missing() {
    let mut app = app();
    app.update(sign_in(""));
    // Empty username.
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert_eq!(sign_in_screen(&app).message(), Some(strings::NEED_USERNAME));
    // Only spaces is empty too.
    type_text(&mut app, "  ");
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert_eq!(sign_in_screen(&app).message(), Some(strings::NEED_USERNAME));
    // A username and Enter: moves to the password, sends nothing.
    type_text(&mut app, "alice");
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert_eq!(sign_in_screen(&app).focus(), Field::Password);
    // Enter on the empty password: a message, nothing sent.
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert_eq!(sign_in_screen(&app).message(), Some(strings::NEED_PASSWORD));
    assert!(!app.is_busy());
}

#[test]
fn a_complete_form_sends_one_answer_and_turns_busy() {
    let mut app = app();
    app.update(sign_in(""));
    type_text(&mut app, " alice ");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "Passw0rd!");
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        Effect::Send(Command::Answer(Answer::SignIn {
            username: "alice".into(),
            password: "Passw0rd!".into(),
        }))
    );
    assert!(app.is_busy());
    // A second Enter before the answer comes back sends nothing.
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
    assert_eq!(app.update(Msg::Auth(Event::Busy)), Effect::Redraw);
    assert_eq!(app.update(key(KeyCode::Char('x'))), Effect::None);
    assert_eq!(app.update(Msg::Tick), Effect::Redraw);
    assert_eq!(app.tick_rate(), Some(widgets::spinner::FRAME_TIME));
    app.update(Msg::Auth(Event::Idle));
    assert!(!app.is_busy());
    assert_eq!(app.tick_rate(), None, "an idle form does not tick");
    assert_eq!(app.update(Msg::Tick), Effect::None);
}

#[test]
fn an_error_clears_the_password_keeps_the_username_and_focuses_the_password() {
    let mut app = app();
    app.update(sign_in(""));
    type_text(&mut app, "alice");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "wrong");
    app.update(key(KeyCode::Tab));
    assert!(matches!(app.update(key(KeyCode::Enter)), Effect::Send(_)));
    app.update(Msg::Auth(Event::Busy));
    assert_eq!(
        app.update(Msg::Auth(Event::Error(refused()))),
        Effect::Redraw
    );
    app.update(Msg::Auth(Event::Idle));
    let screen = sign_in_screen(&app);
    assert_eq!(screen.username(), "alice");
    assert!(screen.password_is_empty());
    assert_eq!(screen.focus(), Field::Password);
    assert_eq!(screen.message(), Some("Incorrect username or password."));
    assert!(!app.is_busy());
}

#[test]
fn ctrl_c_while_busy_quits_at_once() {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(Msg::Auth(Event::Busy));
    assert_eq!(app.update(ctrl_c()), Effect::Finish(Outcome::Quit));
}

#[test]
fn esc_on_the_sign_in_form_quits() {
    let mut app = app();
    app.update(sign_in(""));
    assert_eq!(app.update(key(KeyCode::Esc)), Effect::Finish(Outcome::Quit));
}

#[test]
fn esc_on_unsupported_restarts_with_the_same_username_and_q_fails() {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(step(Step::Unsupported {
        challenge: "CUSTOM_CHALLENGE".into(),
    }));
    assert_eq!(
        app.update(key(KeyCode::Esc)),
        Effect::Send(Command::Restart {
            username: "alice".into()
        })
    );
    app.update(step(Step::Unsupported {
        challenge: "CUSTOM_CHALLENGE".into(),
    }));
    assert_eq!(
        app.update(key(KeyCode::Char('q'))),
        Effect::Finish(Outcome::Failed(Problem::sentence(
            "This challenge is not supported yet: CUSTOM_CHALLENGE"
        )))
    );
}

#[test]
fn failed_offers_restart_on_enter_and_esc_and_fails_on_q() {
    let mut app = app();
    app.update(sign_in("bob"));
    let problem = Problem::sentence("Too many attempts. Wait a few minutes and try again.");
    app.update(step(Step::Failed {
        problem: problem.clone(),
    }));
    let restart = Effect::Send(Command::Restart {
        username: "bob".into(),
    });
    assert_eq!(app.update(key(KeyCode::Enter)), restart);
    app.update(step(Step::Failed {
        problem: problem.clone(),
    }));
    assert_eq!(app.update(key(KeyCode::Esc)), restart);
    app.update(step(Step::Failed {
        problem: problem.clone(),
    }));
    assert_eq!(
        app.update(key(KeyCode::Char('q'))),
        Effect::Finish(Outcome::Failed(problem))
    );
}

#[test]
fn signed_in_finishes_with_the_tokens_and_counts_down_each_second() {
    for finish in [KeyCode::Enter, KeyCode::Char('q'), KeyCode::Esc] {
        let mut app = app();
        app.update(step(Step::SignedIn { tokens: tokens() }));
        assert_eq!(app.tick_rate(), Some(Duration::from_secs(1)));
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        // The task may end once it has sent the tokens.
        assert_eq!(app.update(Msg::AuthClosed), Effect::None);
        assert_eq!(
            app.update(key(finish)),
            Effect::Finish(Outcome::SignedIn(tokens()))
        );
    }
}

#[test]
fn signed_in_offers_a_fresh_sign_in_for_the_same_user() {
    let mut app = app();
    app.update(step(Step::SignedIn { tokens: tokens() }));
    let username = tokens()
        .id_claims()
        .and_then(|claims| claims.username)
        .unwrap_or_default();
    assert!(!username.is_empty());
    assert_eq!(
        app.update(key(KeyCode::Char('n'))),
        Effect::Send(Command::Restart { username })
    );
    assert!(app.is_busy(), "no second key until the task answers");
}

#[test]
fn the_event_channel_closing_early_fails_with_a_sentence() {
    let mut app = app();
    app.update(sign_in("alice"));
    assert_eq!(
        app.update(Msg::AuthClosed),
        Effect::Finish(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED)))
    );
}

#[test]
fn footer_hints_come_from_the_screen_bindings() {
    let mut app = app();
    app.update(sign_in(""));
    let keys: Vec<String> = app
        .screen()
        .hints()
        .into_iter()
        .map(|hint| hint.keys)
        .collect();
    assert_eq!(keys, ["Enter", "Tab", "Shift-Tab", "Ctrl-F", "Esc"]);
    app.update(step(Step::SignedIn { tokens: tokens() }));
    let keys: Vec<String> = app
        .screen()
        .hints()
        .into_iter()
        .map(|hint| hint.keys)
        .collect();
    assert_eq!(keys, ["Enter/q/Esc", "n"]);
}

#[test]
fn the_countdown_follows_the_injected_clock_and_a_resize_redraws() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let seconds = Arc::new(AtomicI64::new(0));
    let clock_seconds = Arc::clone(&seconds);
    let mut app = App::new(
        info(),
        Theme::monochrome(),
        Arc::new(move || NOW + time::Duration::seconds(clock_seconds.load(Ordering::SeqCst))),
    );
    app.update(step(Step::SignedIn { tokens: tokens() }));
    assert!(render(&app, 80, 24).contains("in 59:12"));
    seconds.store(1, Ordering::SeqCst);
    assert_eq!(app.update(Msg::Tick), Effect::Redraw);
    assert!(render(&app, 80, 24).contains("in 59:11"));
    seconds.store(3600, Ordering::SeqCst);
    app.update(Msg::Tick);
    assert!(render(&app, 80, 24).contains("expired at 03:59:12 UTC"));
    assert_eq!(app.update(Msg::Resize), Effect::Redraw);
}

// ---- snapshots ----

pub(crate) fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn notes_too_long_for_the_terminal_give_way_to_their_short_form() {
    let info = SessionInfo {
        notes: (1..=20)
            .map(|n| format!("  user{n}  what user {n} shows"))
            .collect(),
        short_notes: vec!["Demo users: user1 … user20".into()],
        ..info()
    };
    let mut app = App::new(info, Theme::coloured(), Arc::new(|| NOW));
    app.update(sign_in(""));
    let small = render(&app, 80, 24);
    assert!(small.contains("Demo users: user1 … user20"), "{small}");
    assert!(!small.contains("what user 1 shows"), "{small}");
    let large = render(&app, 120, 40);
    assert!(large.contains("what user 20 shows"), "{large}");
    assert!(!large.contains("Demo users: user1 … user20"), "{large}");
}

pub(crate) fn snapshot_both_sizes(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
}

#[test]
fn snapshot_sign_in_empty() {
    let mut app = app();
    app.update(sign_in(""));
    snapshot_both_sizes("sign_in_empty", &app);
}

#[test]
fn snapshot_sign_in_with_error() {
    let mut app = app();
    app.update(sign_in(""));
    type_text(&mut app, "alice");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "wrong");
    app.update(key(KeyCode::Enter));
    app.update(Msg::Auth(Event::Busy));
    app.update(Msg::Auth(Event::Error(refused())));
    app.update(Msg::Auth(Event::Idle));
    type_text(&mut app, "abc");
    snapshot_both_sizes("sign_in_error", &app);
}

#[test]
fn snapshot_sign_in_busy() {
    let mut app = app();
    app.update(sign_in(""));
    type_text(&mut app, "alice");
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "Passw0rd!");
    app.update(key(KeyCode::Enter));
    app.update(Msg::Auth(Event::Busy));
    snapshot_both_sizes("sign_in_busy", &app);
}

#[test]
fn snapshot_signed_in() {
    let mut app = app();
    app.update(step(Step::SignedIn { tokens: tokens() }));
    snapshot_both_sizes("signed_in", &app);
}

#[test]
fn snapshot_unsupported() {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(step(Step::Unsupported {
        challenge: "CUSTOM_CHALLENGE".into(),
    }));
    snapshot_both_sizes("unsupported", &app);
}

#[test]
fn snapshot_failed() {
    let mut app = app();
    app.update(sign_in("alice"));
    app.update(step(Step::Failed {
        problem: Problem::sentence(
            "The user pool us-east-1_Demo0001 does not exist. Check --user-pool-id and the region.",
        ),
    }));
    snapshot_both_sizes("failed", &app);
}

// ---- the whole loop, without a terminal ----

struct Harness {
    keys: mpsc::UnboundedSender<std::io::Result<TermEvent>>,
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
}

impl Harness {
    fn press(&self, code: KeyCode) {
        let mut event = KeyEvent::new(code, KeyModifiers::NONE);
        event.kind = KeyEventKind::Press;
        self.keys.send(Ok(TermEvent::Key(event))).unwrap();
    }

    fn release(&self, code: KeyCode) {
        let mut event = KeyEvent::new(code, KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        self.keys.send(Ok(TermEvent::Key(event))).unwrap();
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Returns once the loop has taken every event sent before (an `Idle` changes nothing
    /// once idle), so keys typed next reach the screen those events made.
    async fn settle(&self) {
        self.events.send(Event::Idle).await.unwrap();
        self.events.send(Event::Idle).await.unwrap();
    }

    async fn next_command(&mut self) -> Option<Command> {
        tokio::time::timeout(BOUND, self.commands.recv())
            .await
            .expect("a command in time")
    }
}

/// Starts the loop on a TestBackend; returns the harness and the loop's task.
fn start_loop() -> (
    Harness,
    tokio::task::JoinHandle<(std::io::Result<Outcome>, String)>,
) {
    let (key_tx, key_rx) = mpsc::unbounded_channel();
    let (command_tx, command_rx) = mpsc::channel(8);
    // Capacity 1, so `settle` can wait until the loop has taken what was sent before.
    let (event_tx, event_rx) = mpsc::channel(1);
    let channels = FrontEndChannels {
        commands: command_tx,
        events: event_rx,
    };
    let task = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let keys = tokio_stream_of(key_rx);
        let outcome = run_loop(
            &mut terminal,
            app(),
            channels,
            None,
            keys,
            std::future::pending::<()>(),
        )
        .await;
        (outcome, terminal.backend().to_string())
    });
    (
        Harness {
            keys: key_tx,
            commands: command_rx,
            events: event_tx,
        },
        task,
    )
}

/// An unbounded receiver as a stream.
fn tokio_stream_of<T>(
    receiver: mpsc::UnboundedReceiver<T>,
) -> impl futures::Stream<Item = T> + Unpin {
    Box::pin(futures::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    ))
}

async fn finish(
    task: tokio::task::JoinHandle<(std::io::Result<Outcome>, String)>,
) -> (Outcome, String) {
    let (outcome, screen) = tokio::time::timeout(BOUND, task)
        .await
        .expect("the loop ended in time")
        .unwrap();
    (outcome.unwrap(), screen)
}

#[tokio::test]
async fn the_loop_signs_in_after_a_refusal_and_finishes_with_the_tokens() {
    let (mut harness, task) = start_loop();
    harness
        .events
        .send(Event::Step(Step::SignIn {
            needs_password: true,
            username: String::new(),
        }))
        .await
        .unwrap();
    harness.settle().await;
    harness.type_text("alice");
    harness.release(KeyCode::Char('z')); // releases are ignored
    harness.press(KeyCode::Enter);
    harness.type_text("wrong");
    harness.press(KeyCode::Enter);
    assert_eq!(
        harness.next_command().await,
        Some(Command::Answer(Answer::SignIn {
            username: "alice".into(),
            password: "wrong".into(),
        }))
    );
    harness.events.send(Event::Busy).await.unwrap();
    harness.events.send(Event::Error(refused())).await.unwrap();
    harness.settle().await;
    // Focus is back on the (cleared) password.
    harness.type_text("Passw0rd!");
    harness.press(KeyCode::Enter);
    assert_eq!(
        harness.next_command().await,
        Some(Command::Answer(Answer::SignIn {
            username: "alice".into(),
            password: "Passw0rd!".into(),
        }))
    );
    harness.events.send(Event::Busy).await.unwrap();
    harness
        .events
        .send(Event::Step(Step::SignedIn { tokens: tokens() }))
        .await
        .unwrap();
    harness.settle().await;
    harness.press(KeyCode::Enter);
    let (outcome, screen) = finish(task).await;
    assert_eq!(outcome, Outcome::SignedIn(tokens()));
    assert!(screen.contains("Signed in as alice"), "{screen}");
}

#[tokio::test]
async fn the_loop_fails_when_the_auth_task_goes_away() {
    let (harness, task) = start_loop();
    drop(harness.events);
    let (outcome, _) = finish(task).await;
    assert_eq!(
        outcome,
        Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))
    );
}

#[tokio::test]
async fn the_loop_quits_on_ctrl_c_and_when_the_key_stream_ends() {
    let (harness, task) = start_loop();
    harness
        .keys
        .send(Ok(TermEvent::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        ))))
        .unwrap();
    assert_eq!(finish(task).await.0, Outcome::Quit);

    let (harness, task) = start_loop();
    drop(harness.keys);
    assert_eq!(finish(task).await.0, Outcome::Quit);
}

#[tokio::test]
async fn the_loop_quits_when_asked_to_shut_down() {
    let (_command_tx, _command_rx) = mpsc::channel::<Command>(1);
    let (_event_tx, event_rx) = mpsc::channel::<Event>(1);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let outcome = tokio::time::timeout(
        BOUND,
        run_loop(
            &mut terminal,
            app(),
            FrontEndChannels {
                commands: _command_tx,
                events: event_rx,
            },
            None,
            futures::stream::pending(),
            std::future::ready(()),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(outcome, Outcome::Quit);
}
