//! One screen per `Step`. Each screen owns its inputs, lists the keys it offers (its
//! `BINDINGS`, which also build the footer), turns a key into a `Reaction`, and draws itself.

pub mod failed;
pub mod sign_in;
pub mod signed_in;
pub mod unsupported;

use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use time::OffsetDateTime;

use crate::auth::{Command, Outcome, Problem, SessionInfo, Step};
use crate::tui::keys::Hint;
use crate::tui::theme::Theme;

/// What a key did on a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Not a key this screen uses.
    Ignored,
    /// The screen changed: draw again.
    Changed,
    /// Send this to the auth task (and wait for it).
    Send(Command),
    /// The console is done.
    Finish(Outcome),
}

/// What every screen needs to draw, besides its own state.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext<'a> {
    pub info: &'a SessionInfo,
    pub theme: Theme,
    /// The injected clock's time at the last update (countdowns).
    pub now: OffsetDateTime,
    /// The spinner frame while a call is in flight.
    pub busy: Option<char>,
}

/// The screen on show.
#[derive(Debug)]
pub enum Screen {
    SignIn(sign_in::SignIn),
    SignedIn(signed_in::SignedIn),
    Unsupported(unsupported::Unsupported),
    Failed(failed::Failed),
}

impl Screen {
    /// The screen for a step. `username` is the last one used, for "start again".
    pub fn for_step(step: Step, username: &str) -> Self {
        match step {
            Step::SignIn { username, .. } => Self::SignIn(sign_in::SignIn::new(&username)),
            Step::SignedIn { tokens } => Self::SignedIn(signed_in::SignedIn::new(tokens)),
            Step::Unsupported { challenge } => {
                Self::Unsupported(unsupported::Unsupported::new(challenge, username))
            }
            Step::Failed { problem } => Self::Failed(failed::Failed::new(problem, username)),
            other => Self::Unsupported(unsupported::Unsupported::new(
                format!("{other:?}"),
                username,
            )),
        }
    }

    /// The screen's title, drawn on its border.
    pub fn title(&self) -> &'static str {
        match self {
            Self::SignIn(_) => sign_in::TITLE,
            Self::SignedIn(_) => signed_in::TITLE,
            Self::Unsupported(_) => unsupported::TITLE,
            Self::Failed(_) => failed::TITLE,
        }
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match self {
            Self::SignIn(screen) => screen.handle_key(key),
            Self::SignedIn(screen) => screen.handle_key(key),
            Self::Unsupported(screen) => screen.handle_key(key),
            Self::Failed(screen) => screen.handle_key(key),
        }
    }

    /// Shows a refused answer on the screen that sent it; `Err` gives the problem back
    /// when this screen has no place for one.
    pub fn show_error(&mut self, problem: Problem) -> Result<(), Problem> {
        match self {
            Self::SignIn(screen) => {
                screen.show_error(problem);
                Ok(())
            }
            Self::SignedIn(_) | Self::Unsupported(_) | Self::Failed(_) => Err(problem),
        }
    }

    /// The footer's entries: the keys this screen offers.
    pub fn hints(&self) -> Vec<Hint> {
        match self {
            Self::SignIn(_) => sign_in::hints(),
            Self::SignedIn(_) => signed_in::hints(),
            Self::Unsupported(_) => unsupported::hints(),
            Self::Failed(_) => failed::hints(),
        }
    }

    /// How often the screen changes by itself (a countdown), if it does.
    pub fn tick_rate(&self) -> Option<Duration> {
        match self {
            Self::SignedIn(_) => Some(signed_in::TICK),
            Self::SignIn(_) | Self::Unsupported(_) | Self::Failed(_) => None,
        }
    }

    /// Draws the screen's body inside `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        match self {
            Self::SignIn(screen) => screen.render(frame, area, view),
            Self::SignedIn(screen) => screen.render(frame, area, view),
            Self::Unsupported(screen) => screen.render(frame, area, view),
            Self::Failed(screen) => screen.render(frame, area, view),
        }
    }
}
