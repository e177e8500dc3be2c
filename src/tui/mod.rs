//! The terminal front end (ratatui + crossterm), drawn on stderr.
//!
//! - `app`: the state and `update(msg) -> Effect` (pure, tested without a terminal);
//! - `screens/`: one file per `Step`, each with its inputs and its keys;
//! - `widgets/`: text input, header, footer (built from the screen's keys), spinner;
//! - `terminal`: raw mode, alternate screen, restore on drop, panic and signals;
//! - `theme`, `strings`: every colour and every sentence.
//!
//! `run` is a `tokio::select!` loop over the terminal's key stream, the auth task's
//! events, the demo's outbox, SIGTERM/SIGHUP and a tick that only runs while something
//! animates.

pub mod app;
pub mod keys;
pub mod screens;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod viewport;
pub mod widgets;

use std::future::Future;
use std::io;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Interval, MissedTickBehavior};

use crate::auth::{FrontEndChannels, Outcome, Problem, SessionInfo};
use crate::outbox::{Delivery, OutboxFeed};
use app::{App, Effect, Msg};
use terminal::{Signals, TerminalGuard};
use theme::Theme;

/// Runs the console on the terminal (drawn on stderr/tty, never stdout) until the
/// person signs in or quits. The terminal is restored on every exit path.
/// `outbox` is the local pool's outbox in demo mode, shown in a panel.
pub async fn run(
    channels: FrontEndChannels,
    info: SessionInfo,
    outbox: Option<OutboxFeed>,
) -> io::Result<Outcome> {
    let signals = Signals::listen()?;
    let mut guard = TerminalGuard::enter()?;
    let mut app = App::new(info, Theme::from_env(), app::system_clock());
    if outbox.is_some() {
        app = app.with_outbox();
    }
    let outcome = run_loop(
        guard.terminal(),
        app,
        channels,
        outbox,
        EventStream::new(),
        signals.received(),
    )
    .await;
    let left = guard.leave();
    let outcome = outcome?;
    left?;
    Ok(outcome)
}

/// The loop itself, over any backend and any key stream, so tests run it on a
/// `TestBackend` with scripted keys. When `shutdown` resolves or the key stream ends it
/// ends as leaving does: with the tokens once signed in, else `Outcome::Quit`. `outbox`'s messages go to the app's panel; a feed that lags
/// or closes never ends the console.
pub async fn run_loop<B, K, S>(
    terminal: &mut Terminal<B>,
    mut app: App,
    channels: FrontEndChannels,
    mut outbox: Option<OutboxFeed>,
    mut keys: K,
    shutdown: S,
) -> io::Result<Outcome>
where
    B: Backend,
    K: Stream<Item = io::Result<TermEvent>> + Unpin,
    S: Future<Output = ()>,
{
    let FrontEndChannels {
        commands,
        mut events,
    } = channels;
    let mut events_open = true;
    let mut ticker = Ticker::default();
    tokio::pin!(shutdown);
    draw(terminal, &app)?;
    loop {
        ticker.set_rate(app.tick_rate());
        let msg = tokio::select! {
            biased;
            () = &mut shutdown => return Ok(app.outcome_on_leaving()),
            key = keys.next() => match key {
                Some(Ok(event)) => match terminal_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(error)) => return Err(error),
                None => return Ok(app.outcome_on_leaving()),
            },
            event = events.recv(), if events_open => match event {
                Some(event) => Msg::Auth(event),
                None => {
                    events_open = false;
                    Msg::AuthClosed
                }
            },
            delivery = next_delivery(&mut outbox) => match delivery {
                Ok(delivery) => Msg::Delivered(delivery),
                Err(RecvError::Lagged(count)) => Msg::OutboxLagged(count),
                Err(RecvError::Closed) => Msg::OutboxClosed,
            },
            () = ticker.tick() => Msg::Tick,
        };
        if msg == Msg::OutboxClosed {
            // Nothing more will come: stop listening, keep the console.
            outbox = None;
        }
        match app.update(msg) {
            Effect::None => {}
            Effect::Redraw => draw(terminal, &app)?,
            Effect::Send(command) => {
                if commands.send(command).await.is_err() {
                    return Ok(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED)));
                }
                draw(terminal, &app)?;
            }
            Effect::Finish(outcome) => return Ok(outcome),
            Effect::Copy(text) => {
                terminal::copy_to_clipboard(text.expose())?;
                draw(terminal, &app)?;
            }
        }
    }
}

/// The outbox's next message; never resolves without a feed.
async fn next_delivery(feed: &mut Option<OutboxFeed>) -> Result<Delivery, RecvError> {
    match feed {
        Some(feed) => feed.recv().await,
        None => std::future::pending().await,
    }
}

/// Key presses and resizes become messages; everything else is ignored.
fn terminal_msg(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        TermEvent::Resize(_, _) => Some(Msg::Resize),
        _ => None,
    }
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) -> io::Result<()> {
    terminal
        .draw(|frame| app.view(frame))
        .map(|_| ())
        .map_err(|error| io::Error::other(error.to_string()))
}

/// A tick that exists only while the app asks for one.
#[derive(Debug, Default)]
struct Ticker {
    current: Option<(Duration, Interval)>,
}

impl Ticker {
    /// Starts, changes or stops the tick.
    fn set_rate(&mut self, rate: Option<Duration>) {
        let same =
            matches!((&self.current, rate), (Some((now, _)), Some(wanted)) if *now == wanted);
        if same {
            return;
        }
        self.current = rate.map(|rate| {
            let start = tokio::time::Instant::now() + rate;
            let mut interval = tokio::time::interval_at(start, rate);
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
            (rate, interval)
        });
    }

    /// The next tick, or never when stopped.
    async fn tick(&mut self) {
        match &mut self.current {
            Some((_, interval)) => {
                interval.tick().await;
            }
            None => std::future::pending::<()>().await,
        }
    }
}
