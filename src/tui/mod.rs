//! The terminal front end (ratatui + crossterm), drawn on stderr.
//!
//! - `app`: the state and `update(msg) -> Effect` (pure, tested without a terminal);
//! - `screens/`: one file per `Step`, each with its inputs and its keys;
//! - `widgets/`: text input, header, footer (built from the screen's keys), spinner;
//! - `terminal`: raw mode, alternate screen, restore on drop, panic and signals;
//! - `theme`, `strings`: every colour and every sentence.
//!
//! `run` is a `tokio::select!` loop over the terminal's key stream, the auth task's
//! events, the demo's outbox, the wire panel's feed, SIGTERM/SIGHUP and a tick that only
//! runs while something animates.

pub mod app;
pub mod config_form;
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
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Interval, MissedTickBehavior};

use crate::auth::{FrontEndChannels, Outcome, SessionInfo};
use crate::outbox::OutboxFeed;
use crate::signals::Signals;
use crate::trace::wire_feed::WireFeed;
use app::{App, Effect, Msg};
use terminal::TerminalGuard;
use theme::Theme;

/// What the console is given besides the auth task: what its panels are fed from, and
/// the offer to save the flags.
#[derive(Debug, Default)]
pub struct Feeds {
    /// The local pool's outbox in demo mode, shown in a panel.
    pub outbox: Option<OutboxFeed>,
    /// This process's calls, for the wire panel (F2).
    pub wire: Option<WireFeed>,
    /// Offered on the signed-in screen after a sign-in with flags alone.
    pub save_flags: Option<SaveFlags>,
}

/// The signed-in screen's offer to save this sign-in's flags as a saved pool.
pub struct SaveFlags {
    /// The name the entry takes, for the question.
    pub name: String,
    /// Writes the entry with the username that signed in: the sentence that says what
    /// was saved where, or why nothing was.
    pub save: SaveWith,
}

/// Writes the saved pool for a username: the sentence to show, or why nothing was saved.
pub type SaveWith = Box<dyn FnMut(&str) -> Result<String, String> + Send>;

impl std::fmt::Debug for SaveFlags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaveFlags")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Runs the console on the terminal (drawn on stderr/tty, never stdout) until the
/// person signs in or quits. The terminal is restored on every exit path. With
/// `wire_open_when_wide` (demo mode) the wire panel is open from the start on a wide
/// terminal.
pub async fn run(
    channels: FrontEndChannels,
    info: SessionInfo,
    feeds: Feeds,
    wire_open_when_wide: bool,
) -> io::Result<Outcome> {
    let mut signals = Signals::listen()?;
    let mut guard = TerminalGuard::enter()?;
    let mut app = App::new(info, Theme::from_env(), app::system_clock());
    if feeds.outbox.is_some() {
        app = app.with_outbox();
    }
    if wire_open_when_wide {
        app = app.with_wire_panel_open_when_wide();
    }
    if let Some(offer) = &feeds.save_flags {
        app = app.with_save_offer(offer.name.clone());
    }
    let outcome = run_loop(
        guard.terminal(),
        &mut app,
        channels,
        feeds,
        EventStream::new(),
        signals.received(),
    )
    .await;
    let left = guard.leave();
    let outcome = outcome?;
    left?;
    // The alternate screen is gone with everything on it: say how it ended, on stderr
    // (stdout is for `--output json`), so it stays in the scrollback.
    if let Some(line) = app.farewell(&outcome) {
        eprintln!("{}: {line}", strings::APP_NAME);
    }
    Ok(outcome)
}

/// The loop itself, over any backend and any key stream, so tests run it on a
/// `TestBackend` with scripted keys; `app` is left as the loop ended, for its farewell.
/// When `shutdown` resolves or the key stream ends it ends as leaving does: with the
/// tokens once signed in, else `Outcome::Quit`. The feeds' messages go to the app's
/// panels; a feed that lags or closes never ends the console.
pub async fn run_loop<B, K, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    channels: FrontEndChannels,
    feeds: Feeds,
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
    let Feeds {
        mut outbox,
        mut wire,
        mut save_flags,
    } = feeds;
    let mut events_open = true;
    let mut ticker = Ticker::default();
    tokio::pin!(shutdown);
    draw(terminal, app)?;
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
            delivery = next_from(&mut outbox) => match delivery {
                Ok(delivery) => Msg::Delivered(delivery),
                Err(RecvError::Lagged(count)) => Msg::OutboxLagged(count),
                Err(RecvError::Closed) => Msg::OutboxClosed,
            },
            call = next_from(&mut wire) => match call {
                Ok(event) => Msg::Wire(event),
                Err(RecvError::Lagged(count)) => Msg::WireLagged(count),
                Err(RecvError::Closed) => {
                    // Nothing more will come: stop listening, keep the panel.
                    wire = None;
                    continue;
                }
            },
            () = ticker.tick() => Msg::Tick,
        };
        if msg == Msg::OutboxClosed {
            // Nothing more will come: stop listening, keep the console.
            outbox = None;
        }
        match app.update(msg) {
            Effect::None => {}
            Effect::Redraw => draw(terminal, app)?,
            Effect::Send(command) => {
                // A task that has gone is the app's to judge: a failure before the
                // sign-in, the signed-in screen (saying so) after.
                if commands.send(command).await.is_err()
                    && let Effect::Finish(outcome) = app.update(Msg::AuthClosed)
                {
                    return Ok(outcome);
                }
                draw(terminal, app)?;
            }
            Effect::Finish(outcome) => return Ok(outcome),
            Effect::Copy(text) => {
                terminal::copy_to_clipboard(text.expose())?;
                draw(terminal, app)?;
            }
            Effect::SaveFlags(username) => {
                let said = match &mut save_flags {
                    Some(offer) => (offer.save)(&username),
                    None => Err(strings::NOTHING_TO_SAVE.to_owned()),
                };
                app.update(Msg::FlagsSaved(said));
                draw(terminal, app)?;
            }
        }
    }
}

/// A feed's next message (the outbox's, the wire's); never resolves without a feed.
async fn next_from<T: Clone>(feed: &mut Option<broadcast::Receiver<T>>) -> Result<T, RecvError> {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! What the loop writes to a real (crossterm) backend: with the console's buffering a
    //! frame goes out in a write or two, where crossterm alone makes hundreds.

    use std::io::{self, Write};
    use std::sync::{Arc, Mutex};

    use crossterm::event::KeyCode;
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::run_loop;
    use super::terminal::buffered;
    use crate::auth::Outcome;
    use crate::test_support::tui::{app, ctrl_c_press, key_stream, press};
    use crate::test_support::{channels, sign_in, within};

    /// What reached the terminal.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    struct Counts {
        writes: usize,
        bytes: usize,
        flushes: usize,
    }

    /// A terminal that counts the writes it gets.
    #[derive(Debug, Clone, Default)]
    struct Counting(Arc<Mutex<Counts>>);

    impl Counting {
        fn counts(&self) -> Counts {
            *self.0.lock().unwrap()
        }
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut counts = self.0.lock().unwrap();
            counts.writes += 1;
            counts.bytes += buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.0.lock().unwrap().flushes += 1;
            Ok(())
        }
    }

    /// The loop on an 80x24 crossterm backend over `writer`: the sign-in form arrives,
    /// "alice", Tab and a password are typed, then Ctrl-C. Eight frames in all.
    async fn a_short_session(writer: impl Write) {
        let backend = CrosstermBackend::new(writer);
        let viewport = Viewport::Fixed(Rect::new(0, 0, 80, 24));
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        let (keys, key_stream) = key_stream();
        let (front, auth) = channels(1);
        let typist = async move {
            auth.step(sign_in("")).await;
            // Room in the channel: the loop has taken the form, so the keys reach it.
            drop(auth.events.reserve().await.unwrap());
            for c in "alice".chars() {
                keys.send(press(KeyCode::Char(c))).unwrap();
            }
            keys.send(press(KeyCode::Tab)).unwrap();
            keys.send(press(KeyCode::Char('p'))).unwrap();
            keys.send(ctrl_c_press()).unwrap();
            auth
        };
        let mut app = app();
        let console = run_loop(
            &mut terminal,
            &mut app,
            front,
            super::Feeds::default(),
            key_stream,
            std::future::pending::<()>(),
        );
        let (outcome, _auth) = within("the loop", async { tokio::join!(console, typist) }).await;
        assert_eq!(outcome.unwrap(), Outcome::Quit);
    }

    #[tokio::test]
    async fn a_frame_goes_out_in_a_write_or_two_not_hundreds() {
        let unbuffered = Counting::default();
        a_short_session(unbuffered.clone()).await;
        let unbuffered = unbuffered.counts();
        let buffered_counts = {
            let terminal = Counting::default();
            a_short_session(buffered(terminal.clone())).await;
            terminal.counts()
        };
        // The same frames, the same bytes.
        assert_eq!(buffered_counts.bytes, unbuffered.bytes);
        assert_eq!(buffered_counts.flushes, unbuffered.flushes);
        let frames = unbuffered.flushes;
        assert!(frames >= 8, "{unbuffered:?}");
        // Crossterm alone writes every cursor move and colour change on its own...
        assert!(unbuffered.writes > 50 * frames, "{unbuffered:?}");
        // ...buffered, each frame (flushed by ratatui at the end of the draw) is one write.
        assert!(buffered_counts.writes <= frames, "{buffered_counts:?}");
    }
}
