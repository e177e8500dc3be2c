//! The terminal front end's test driver: an `App` on the fixed clock fed keys and events
//! message by message, drawn on a `TestBackend`, snapshotted, its QR code read back from
//! the drawn cells; and the whole loop run with scripted keys beside a fake auth task.

use std::io;
use std::sync::Arc;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures::Stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{FakeAuth, NOW, channels, info, sign_in, tokens_received_at, within};
use crate::auth::{Answer, Command, Event, Outcome, Step, Tokens};
use crate::outbox::OutboxFeed;
use crate::tui::app::{App, Effect, Msg};
use crate::tui::theme::{self, Theme};
use crate::tui::widgets::qr;

// ---- the app, message by message ----

/// A console on the fixed clock, coloured, before the auth task's first step.
pub(crate) fn app() -> App {
    App::new(info(), Theme::coloured(), Arc::new(|| NOW))
}

/// A console past alice's sign-in form, now showing `next`.
pub(crate) fn at(next: Step) -> App {
    let mut app = app();
    app.update(step(sign_in("alice")));
    app.update(step(next));
    app
}

/// A console where alice has signed in (with `tokens()`), now showing the account step
/// `next`.
pub(crate) fn at_account(next: Step) -> App {
    let mut app = at(signed_in());
    app.update(step(next));
    app
}

/// The auth task showing `step`.
pub(crate) fn step(step: Step) -> Msg {
    Msg::Auth(Event::step(step))
}

/// A key pressed alone.
pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Ctrl and `c` pressed together.
pub(crate) fn ctrl(c: char) -> Msg {
    Msg::Key(ctrl_key(c))
}

/// The key event of Ctrl and `c`.
fn ctrl_key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` on a screen that takes every character.
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

/// A console on the empty sign-in form, filled in with `username` and `password` (not
/// yet sent).
pub(crate) fn filled_sign_in(username: &str, password: &str) -> App {
    let mut app = app();
    app.update(step(super::sign_in("")));
    type_text(&mut app, username);
    app.update(key(KeyCode::Tab));
    type_text(&mut app, password);
    app
}

/// What sending `answer` to the auth task looks like.
pub(crate) fn answer(answer: Answer) -> Effect {
    Effect::Send(Command::Answer(answer))
}

/// After an answer went out: the task refuses it.
pub(crate) fn refuse(app: &mut App, kind: &str, sentence: &str) {
    assert_eq!(
        app.update(Msg::Auth(Event::Refused(super::refusal(kind, sentence)))),
        Effect::Redraw
    );
}

/// Tokens for alice received 48 s before `NOW`, so the countdown shows 59:12.
pub(crate) fn tokens() -> Box<Tokens> {
    tokens_received_at(NOW - time::Duration::seconds(48))
}

/// The step that signs alice in with `tokens()`.
pub(crate) fn signed_in() -> Step {
    Step::SignedIn { tokens: tokens() }
}

/// The keys the footer offers on the screen on show.
pub(crate) fn footer_keys(app: &App) -> Vec<String> {
    app.screen()
        .hints()
        .into_iter()
        .map(|hint| hint.keys)
        .collect()
}

/// The screen `$app` shows, as the `Screen::$variant` it must be; any other fails the
/// test. A macro, because each variant holds its own screen type.
macro_rules! screen {
    ($app:expr, $variant:ident) => {
        match $app.screen() {
            $crate::tui::screens::Screen::$variant(screen) => screen,
            other => panic!(
                "expected the {} screen, got {other:?}",
                stringify!($variant)
            ),
        }
    };
}
pub(crate) use screen;

// ---- drawing ----

/// A `TestBackend` of `width` x `height` with the console drawn on it once.
fn drawn(app: &App, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame)).unwrap();
    terminal.backend().clone()
}

/// The console drawn at `width` x `height`, cell by cell.
pub(crate) fn draw(app: &App, width: u16, height: u16) -> Buffer {
    drawn(app, width, height).buffer().clone()
}

/// The console drawn at `width` x `height`, as text.
pub(crate) fn render(app: &App, width: u16, height: u16) -> String {
    drawn(app, width, height).to_string()
}

/// The console drawn at `width` x `height` as running text: each row without its borders
/// and margins, joined by spaces, so a sentence wrapped over rows reads whole.
pub(crate) fn text(app: &App, width: u16, height: u16) -> String {
    render(app, width, height)
        .lines()
        .map(|line| line.trim_matches('"').trim_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the console puts the terminal's cursor at `width` x `height`, if it shows it.
pub(crate) fn cursor(app: &App, width: u16, height: u16) -> Option<(u16, u16)> {
    let backend = drawn(app, width, height);
    backend
        .cursor_visible()
        .then(|| (backend.cursor_position().x, backend.cursor_position().y))
}

/// Snapshots the console at 80x24 and 120x40 as `{name}_80x24` and `{name}_120x40`, in
/// `src/tui/snapshots/` whichever module calls it. A macro, so insta names each
/// snapshot after the calling test's module.
macro_rules! snapshot_both_sizes {
    ($name:expr, $app:expr) => {{
        use $crate::test_support::tui::render;
        let app: &$crate::tui::app::App = $app;
        let name: &str = $name;
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/src/tui/snapshots"),
        }, {
            insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
            insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
        });
    }};
}
pub(crate) use snapshot_both_sizes;

// ---- the QR code, read back ----

/// Every QR code drawn in `buffer`, decoded.
pub(crate) fn decode_qr(buffer: &Buffer) -> Vec<String> {
    let (width, height, grey) = pixels(buffer, 4);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a readable QR code").1)
        .collect()
}

/// The drawn cells as pixels: each cell is 1 px wide and 2 px tall, its glyph saying
/// which halves are drawn in the foreground colour; a half is dark when its colour is
/// the QR's dark colour. Every other cell is light. Scaled up `scale` times for the decoder.
fn pixels(buffer: &Buffer, scale: usize) -> (usize, usize, Vec<u8>) {
    let area = buffer.area;
    let (width, height) = (usize::from(area.width), usize::from(area.height) * 2);
    let mut grey = vec![255_u8; width * height];
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let (top, bottom) = match cell.symbol() {
                qr::FULL => (cell.fg, cell.fg),
                qr::UPPER => (cell.fg, cell.bg),
                qr::LOWER => (cell.bg, cell.fg),
                qr::EMPTY => (cell.bg, cell.bg),
                _ => continue,
            };
            let (x, y) = (usize::from(x), usize::from(y) * 2);
            if top == theme::QR_DARK {
                grey[y * width + x] = 0;
            }
            if bottom == theme::QR_DARK {
                grey[(y + 1) * width + x] = 0;
            }
        }
    }
    let (scaled_width, scaled_height) = (width * scale, height * scale);
    let scaled = (0..scaled_width * scaled_height)
        .map(|index| {
            let (x, y) = (index % scaled_width / scale, index / scaled_width / scale);
            grey[y * width + x]
        })
        .collect();
    (scaled_width, scaled_height, scaled)
}

// ---- the whole loop, without a terminal ----

/// The terminal's end of the loop's key stream.
pub(crate) type KeySender = mpsc::UnboundedSender<io::Result<TermEvent>>;

/// A key stream for the loop and the sender that feeds it.
pub(crate) fn key_stream() -> (KeySender, impl Stream<Item = io::Result<TermEvent>> + Unpin) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let stream = Box::pin(futures::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    ));
    (sender, stream)
}

/// `code` pressed alone, as the terminal reports it (a press, not a release).
pub(crate) fn press(code: KeyCode) -> io::Result<TermEvent> {
    Ok(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Ctrl-C pressed, as the terminal reports it.
pub(crate) fn ctrl_c_press() -> io::Result<TermEvent> {
    Ok(TermEvent::Key(ctrl_key('c')))
}

/// The loop's outside: the keyboard and the fake auth task.
pub(crate) struct Harness {
    pub(crate) keys: KeySender,
    pub(crate) auth: FakeAuth,
}

impl Harness {
    /// Presses `code`.
    pub(crate) fn press(&self, code: KeyCode) {
        self.keys.send(press(code)).unwrap();
    }

    /// Releases `code` (the loop must ignore it).
    pub(crate) fn release(&self, code: KeyCode) {
        let mut event = KeyEvent::new(code, KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        self.keys.send(Ok(TermEvent::Key(event))).unwrap();
    }

    /// Types `text`, one key press a character.
    pub(crate) fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Returns once the loop has taken every event sent before (the channel holds one,
    /// so room in it means the loop has received the last), so keys typed next reach
    /// the screen those events made.
    pub(crate) async fn settle(&self) {
        let room = within(
            "the loop to take the last event",
            self.auth.events.reserve(),
        )
        .await;
        drop(room.unwrap());
    }
}

/// The loop's outcome and its last screen, as text.
pub(crate) type LoopEnd = (io::Result<Outcome>, String);

/// Starts the loop on an 80x24 `TestBackend`; returns its outside and its task.
pub(crate) fn start_loop() -> (Harness, JoinHandle<LoopEnd>) {
    let (keys, key_stream) = key_stream();
    // Capacity 1, so `settle` can wait until the loop has taken what was sent before.
    let (front, auth) = channels(1);
    let task = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let outcome = crate::tui::run_loop(
            &mut terminal,
            &mut app(),
            front,
            crate::tui::Feeds::default(),
            key_stream,
            std::future::pending::<()>(),
        )
        .await;
        (outcome, terminal.backend().to_string())
    });
    (Harness { keys, auth }, task)
}

/// Waits for the loop started by `start_loop` to end; its outcome and last screen.
pub(crate) async fn finish(task: JoinHandle<LoopEnd>) -> (Outcome, String) {
    let (outcome, screen) = within("the loop", task).await.unwrap();
    (outcome.unwrap(), screen)
}

/// Runs the loop at 120x40 with demo mode's outbox `feed`, in this task, until `keys`
/// end it. The auth task's first step is already waiting: keys typed before it are held.
pub(crate) async fn run_with_outbox(
    feed: OutboxFeed,
    keys: impl Stream<Item = io::Result<TermEvent>> + Unpin,
) -> (Outcome, String) {
    let (front, auth) = channels(1);
    auth.events.try_send(Event::step(sign_in(""))).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let outcome = within(
        "the loop",
        crate::tui::run_loop(
            &mut terminal,
            &mut app().with_outbox(),
            front,
            crate::tui::Feeds {
                outbox: Some(feed),
                ..crate::tui::Feeds::default()
            },
            keys,
            std::future::pending::<()>(),
        ),
    )
    .await
    .unwrap();
    (outcome, terminal.backend().to_string())
}
