//! The console's state and its one way to change: `App::update(msg) -> Effect`. Pure:
//! no terminal, no channel, no clock of its own (one is injected), so tests drive it
//! message by message. `App::view` only draws.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};
use time::OffsetDateTime;

use crate::auth::{Answer, Command, Event, Note, Outcome, Problem, SessionInfo, Step};
use crate::outbox::Delivery;
use crate::tui::keys::{self, Binding, Key};
use crate::tui::screens::{Reaction, Screen, ViewContext};
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::widgets::outbox::OutboxLog;
use crate::tui::widgets::{footer, header, spinner};

/// Where the time comes from; tests inject a fixed one so countdowns are deterministic.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(OffsetDateTime::now_utc)
}

/// Everything that can happen to the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key was pressed (releases and repeats are filtered out before).
    Key(KeyEvent),
    /// The auth task said something.
    Auth(Event),
    /// The auth task's event channel closed.
    AuthClosed,
    /// The tick (only running while something animates or counts down).
    Tick,
    /// The terminal changed size.
    Resize,
    /// The local pool "sent" a message (demo mode's outbox).
    Delivered(Delivery),
    /// The outbox feed dropped this many messages because the console fell behind.
    OutboxLagged(u64),
    /// The outbox feed ended (the pool stopped); the panel keeps what it has.
    OutboxClosed,
}

/// What the loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing changed.
    None,
    /// Draw again.
    Redraw,
    /// Send this to the auth task, then draw again.
    Send(Command),
    /// Leave the console with this outcome.
    Finish(Outcome),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobalAction {
    Quit,
}

/// Keys that work on every screen, even while a call is in flight.
const GLOBAL_BINDINGS: &[Binding<GlobalAction>] = &[Binding {
    keys: &[Key::ctrl(KeyCode::Char('c'))],
    does: strings::KEY_QUIT,
    action: GlobalAction::Quit,
}];

/// The console's state.
pub struct App {
    info: SessionInfo,
    theme: Theme,
    clock: Clock,
    /// The clock's time at the last update.
    now: OffsetDateTime,
    screen: Screen,
    /// A call is in flight: from sending an answer until the task's event answers it.
    busy: bool,
    spinner_tick: usize,
    /// The last username the auth task or the person gave, for "start again".
    username: String,
    /// Demo mode's outbox panel; `None` when there is no local pool to show.
    outbox: Option<OutboxLog>,
    /// Keys pressed before the auth task's first step said which form to show (typed
    /// ahead at start-up, or pasted); replayed into that form when it arrives.
    typed_ahead: Option<Vec<KeyEvent>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("screen", &self.screen)
            .field("busy", &self.busy)
            .field("now", &self.now)
            .field("outbox", &self.outbox.is_some())
            .finish_non_exhaustive()
    }
}

impl App {
    /// A console showing an empty sign-in form until the auth task sends its first step.
    pub fn new(info: SessionInfo, theme: Theme, clock: Clock) -> Self {
        let now = clock();
        Self {
            info,
            theme,
            clock,
            now,
            screen: Screen::for_step(
                Step::SignIn {
                    username: String::new(),
                    needs_password: true,
                },
                "",
            ),
            busy: false,
            spinner_tick: 0,
            username: String::new(),
            outbox: None,
            typed_ahead: Some(Vec::new()),
        }
    }

    /// The same console with demo mode's outbox panel.
    #[must_use]
    pub fn with_outbox(mut self) -> Self {
        self.outbox = Some(OutboxLog::default());
        self
    }

    /// The outbox panel's content, when there is one.
    pub fn outbox(&self) -> Option<&OutboxLog> {
        self.outbox.as_ref()
    }

    /// The screen on show.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Whether a call is in flight.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// How often the loop must send `Msg::Tick`: while busy (spinner) or while the screen
    /// counts down; `None` lets the loop sleep until a key or an event.
    pub fn tick_rate(&self) -> Option<Duration> {
        if self.busy {
            Some(spinner::FRAME_TIME)
        } else {
            self.screen.tick_rate()
        }
    }

    /// Applies one message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        self.now = (self.clock)();
        match msg {
            Msg::Key(key) => self.on_key(&key),
            Msg::Auth(event) => self.on_event(event),
            Msg::AuthClosed => match self.screen {
                // Nothing more is needed from the task once signed in.
                Screen::SignedIn(_) => Effect::None,
                _ => Effect::Finish(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))),
            },
            Msg::Tick if self.busy => {
                self.spinner_tick = self.spinner_tick.wrapping_add(1);
                Effect::Redraw
            }
            Msg::Tick if self.screen.tick_rate().is_some() => Effect::Redraw,
            Msg::Tick => Effect::None,
            Msg::Resize => Effect::Redraw,
            Msg::Delivered(delivery) => match &mut self.outbox {
                Some(log) => {
                    log.push(delivery);
                    Effect::Redraw
                }
                None => Effect::None,
            },
            Msg::OutboxLagged(count) => match &mut self.outbox {
                Some(log) => {
                    log.missed(count);
                    Effect::Redraw
                }
                None => Effect::None,
            },
            Msg::OutboxClosed => Effect::None,
        }
    }

    fn on_key(&mut self, key: &KeyEvent) -> Effect {
        if let Some(GlobalAction::Quit) = Binding::find(GLOBAL_BINDINGS, key) {
            return Effect::Finish(Outcome::Quit);
        }
        if let Some(keys) = &mut self.typed_ahead {
            keys.push(*key);
            return Effect::None;
        }
        if self.busy {
            return Effect::None;
        }
        match self.screen.handle_key(key) {
            Reaction::Ignored => Effect::None,
            Reaction::Changed => Effect::Redraw,
            Reaction::Send(command) => {
                match &command {
                    Command::Answer(Answer::SignIn { username, .. })
                    | Command::Restart { username } => {
                        self.username.clone_from(username);
                    }
                    Command::Answer(_) => {}
                }
                // Busy from now, so a second Enter cannot send a second answer.
                self.busy = true;
                self.spinner_tick = 0;
                Effect::Send(command)
            }
            Reaction::Finish(outcome) => Effect::Finish(outcome),
        }
    }

    /// The keys typed before the first step, on the form it asked for: they act as if
    /// typed now. An answer they complete is sent; keys after it would meet a busy
    /// console, so they are dropped.
    fn replay(&mut self, keys: Vec<KeyEvent>) -> Effect {
        for key in &keys {
            match self.on_key(key) {
                effect @ (Effect::Send(_) | Effect::Finish(_)) => return effect,
                Effect::None | Effect::Redraw => {}
            }
        }
        Effect::Redraw
    }

    fn on_event(&mut self, event: Event) -> Effect {
        match event {
            Event::Step { step, note } => {
                self.busy = false;
                if let Step::SignIn { username, .. } = &step {
                    self.username.clone_from(username);
                }
                self.screen = Screen::for_step(step, &self.username);
                match note {
                    Some(Note::Notice(notice)) => self.screen.show_notice(notice),
                    Some(Note::Refused(problem)) => self.show_refusal(problem),
                    None => {}
                }
                if let Some(keys) = self.typed_ahead.take() {
                    return self.replay(keys);
                }
            }
            Event::Refused(problem) => {
                self.busy = false;
                self.show_refusal(problem);
            }
        }
        Effect::Redraw
    }

    /// Shows why an answer was refused on the current screen; a screen that cannot show
    /// it gives way to the failure screen.
    fn show_refusal(&mut self, problem: Problem) {
        if let Err(problem) = self.screen.show_error(problem) {
            self.screen = Screen::for_step(Step::Failed { problem }, &self.username);
        }
    }

    /// Draws the whole console: header, the screen in a titled box, the outbox panel in
    /// demo mode, footer.
    pub fn view(&self, frame: &mut Frame) {
        let outbox_rows = self.outbox.as_ref().map_or(0, OutboxLog::height);
        let [head, body, outbox, foot] = Layout::vertical([
            Constraint::Length(header::HEIGHT),
            Constraint::Fill(1),
            Constraint::Length(outbox_rows),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        if let Some(log) = &self.outbox {
            log.render(frame, outbox, self.theme);
        }
        header::render(frame, head, &self.info, self.theme);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.body_border())
            .title(Line::styled(
                format!(" {} ", self.screen.title()),
                self.theme.title(),
            ));
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let view = ViewContext {
            info: &self.info,
            theme: self.theme,
            now: self.now,
            busy: self.busy.then(|| spinner::frame(self.spinner_tick)),
        };
        self.screen.render(frame, inner, &view);
        let hints = if self.busy {
            keys::hints(GLOBAL_BINDINGS)
        } else {
            self.screen.hints()
        };
        footer::render(frame, foot, &hints, self.theme);
    }
}
