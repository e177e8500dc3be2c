//! The console's state and its one way to change: `App::update(msg) -> Effect`. Pure:
//! no terminal, no channel, no clock of its own (one is injected), so tests drive it
//! message by message. `App::view` only draws.
//!
//! Once signed in, the App keeps the tokens itself: account security and its screens
//! come after the signed-in screen, and every way out of any of them (q, Esc on the
//! signed-in screen, Ctrl-C, a signal, the end of the keys) still ends signed in. Only a
//! fresh sign-in form (the person chose to sign in again) lets them go.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use time::OffsetDateTime;

use crate::auth::{Answer, Command, Event, Note, Outcome, Problem, SessionInfo, Step, Tokens};
use crate::outbox::Delivery;
use crate::sensitive::SensitiveString;
use crate::trace::wire_feed::WireEvent;
use crate::tui::keys::{self, Binding, Key};
use crate::tui::screens::signed_in::{self, SaveOffer, SignedIn};
use crate::tui::screens::{Reaction, Screen, ViewContext};
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::viewport::{self, Scrolled};
use crate::tui::widgets::footer::Spacing;
use crate::tui::widgets::outbox::OutboxLog;
use crate::tui::widgets::wire::WireLog;
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
    /// A call ended, or its parameters came (the wire panel's feed).
    Wire(WireEvent),
    /// The wire feed dropped this many events because the console fell behind.
    WireLagged(u64),
    /// The flags were saved as a saved pool (the sentence to show), or why not.
    FlagsSaved(Result<String, String>),
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
    /// Put this text on the clipboard through the terminal (OSC 52), then draw again.
    Copy(SensitiveString),
    /// Save this sign-in's flags as a saved pool, with this username; answer with
    /// `Msg::FlagsSaved`.
    SaveFlags(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobalAction {
    Quit,
    ToggleWire,
}

/// Keys that work on every screen, even while a call is in flight.
const GLOBAL_BINDINGS: &[Binding<GlobalAction>] = &[QUIT_BINDING, WIRE_BINDING];

/// Ctrl-C: leave, from any screen (the only key a busy console names besides F2).
const QUIT_BINDING: Binding<GlobalAction> = Binding {
    keys: &[Key::ctrl(KeyCode::Char('c'))],
    does: strings::KEY_QUIT,
    action: GlobalAction::Quit,
};

/// The key that shows or hides the wire panel; every footer names it.
const WIRE_BINDING: Binding<GlobalAction> = Binding {
    keys: &[Key::plain(KeyCode::F(2))],
    does: strings::KEY_WIRE,
    action: GlobalAction::ToggleWire,
};

/// The narrowest console whose footer names the wire panel's key.
const WIRE_HINT_WIDTH: u16 = 80;

/// The columns the screen keeps when the wire panel is beside it.
const SCREEN_BESIDE_PANEL: u16 = 80;

/// The narrowest terminal the wire panel goes beside the screen in (and, in demo mode,
/// opens by itself in): 80 columns for the screen and 40 for the panel.
pub const WIRE_BESIDE_WIDTH: u16 = SCREEN_BESIDE_PANEL + 40;

/// The wire panel's state: its calls, and whether it is on show.
#[derive(Debug, Default)]
struct WirePanel {
    log: WireLog,
    /// The person's choice (F2); `None` until they make one.
    chosen: Option<bool>,
    /// Open without a choice where the terminal is wide enough (demo mode).
    open_when_wide: bool,
    /// The width of the last frame, for what F2 toggles.
    last_width: Cell<u16>,
}

impl WirePanel {
    /// Whether the panel is on show in a terminal `width` columns wide.
    fn is_open(&self, width: u16) -> bool {
        self.chosen
            .unwrap_or(self.open_when_wide && width >= WIRE_BESIDE_WIDTH)
    }
}

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
    /// What the person must do while busy (`Event::Progress`: "Touch your security
    /// key."), shown beside the spinner until the answer's event arrives.
    progress: Option<String>,
    /// The last username the auth task or the person gave, for "start again".
    username: String,
    /// Demo mode's outbox panel; `None` when there is no local pool to show.
    outbox: Option<OutboxLog>,
    /// The wire panel (F2).
    wire: WirePanel,
    /// The signed-in screen's offer to save the flags; `None` when there is none.
    save_offer: Option<SaveOffer>,
    /// Keys pressed before the auth task's first step said which form to show (typed
    /// ahead at start-up, or pasted); replayed into that form when it arrives.
    typed_ahead: Option<Vec<KeyEvent>>,
    /// Where the person scrolled the body to; `None` follows the focus.
    scroll: Option<u16>,
    /// How the last frame scrolled the body (kept while a call hides the cursor).
    scrolled: Cell<Scrolled>,
    /// The tokens of the sign-in, from `Step::SignedIn` until a fresh sign-in form
    /// arrives: whatever screen is on show, leaving ends with them.
    signed_in: Option<Box<Tokens>>,
    /// The auth task has gone (only kept once signed in: before, the console ends).
    auth_closed: bool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("screen", &self.screen)
            .field("busy", &self.busy)
            .field("now", &self.now)
            .field("outbox", &self.outbox.is_some())
            .field("signed_in", &self.signed_in.is_some())
            .field("auth_closed", &self.auth_closed)
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
            progress: None,
            username: String::new(),
            outbox: None,
            wire: WirePanel::default(),
            save_offer: None,
            typed_ahead: Some(Vec::new()),
            scroll: None,
            scrolled: Cell::new(Scrolled::default()),
            signed_in: None,
            auth_closed: false,
        }
    }

    /// The same console with demo mode's outbox panel.
    #[must_use]
    pub fn with_outbox(mut self) -> Self {
        self.outbox = Some(OutboxLog::default());
        self
    }

    /// The same console with the wire panel open from the start where the terminal is
    /// at least [`WIRE_BESIDE_WIDTH`] wide (demo mode); F2 still hides it.
    #[must_use]
    pub fn with_wire_panel_open_when_wide(mut self) -> Self {
        self.wire.open_when_wide = true;
        self
    }

    /// The same console offering, once signed in, to save the flags as the saved pool
    /// `name` (a sign-in with flags alone, on a terminal).
    #[must_use]
    pub fn with_save_offer(mut self, name: String) -> Self {
        self.save_offer = Some(SaveOffer::Asked(name));
        self
    }

    /// The wire panel's calls (kept whether or not it is on show).
    pub fn wire_log(&self) -> &WireLog {
        &self.wire.log
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
            self.screen.tick_rate(self.now)
        }
    }

    /// Applies one message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        self.now = (self.clock)();
        match msg {
            Msg::Key(key) => self.on_key(&key),
            Msg::Auth(event) => self.on_event(event),
            Msg::AuthClosed => self.on_auth_closed(),
            Msg::Tick if self.busy => {
                self.spinner_tick = self.spinner_tick.wrapping_add(1);
                Effect::Redraw
            }
            Msg::Tick if self.screen.counts_down() => Effect::Redraw,
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
            Msg::Wire(event) => {
                self.wire.log.push(event);
                self.redraw_if_wire_shown()
            }
            Msg::WireLagged(count) => {
                self.wire.log.missed(count);
                self.redraw_if_wire_shown()
            }
            Msg::FlagsSaved(said) => {
                self.save_offer = Some(match said {
                    Ok(sentence) => SaveOffer::Saved(sentence),
                    Err(sentence) => SaveOffer::Failed(sentence),
                });
                Effect::Redraw
            }
        }
    }

    /// A redraw when the wire panel is on show, nothing when it is hidden.
    fn redraw_if_wire_shown(&self) -> Effect {
        if self.wire.is_open(self.wire.last_width.get()) {
            Effect::Redraw
        } else {
            Effect::None
        }
    }

    /// The outcome of leaving now, whatever the way out: the tokens once signed in
    /// (from any screen after, account screens included), else a quit.
    pub fn outcome_on_leaving(&self) -> Outcome {
        self.keeping_the_sign_in(Outcome::Quit)
    }

    /// Whether a sign-in succeeded and stands (no fresh sign-in has begun since).
    pub fn is_signed_in(&self) -> bool {
        self.signed_in.is_some()
    }

    /// `outcome`, unless a sign-in stands: then its tokens, whatever the screen said.
    fn keeping_the_sign_in(&self, outcome: Outcome) -> Outcome {
        match &self.signed_in {
            Some(tokens) => Outcome::SignedIn(tokens.clone()),
            None => outcome,
        }
    }

    /// The auth task has gone. Before a sign-in nothing can go on. After one the sign-in
    /// stands: the signed-in screen stays (or comes back, from an account screen or a
    /// request that will never be answered), saying account security is not available.
    fn on_auth_closed(&mut self) -> Effect {
        let Some(tokens) = &self.signed_in else {
            return Effect::Finish(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED)));
        };
        self.auth_closed = true;
        if !self.busy && matches!(self.screen, Screen::SignedIn(_)) {
            return Effect::None;
        }
        self.busy = false;
        let mut screen = SignedIn::new(tokens.clone());
        screen.show_error(Problem::sentence(strings::ACCOUNT_UNAVAILABLE));
        self.show(Screen::SignedIn(screen));
        Effect::Redraw
    }

    /// Puts `screen` on show, scrolled to its top.
    fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.scroll = None;
        self.scrolled.set(Scrolled::default());
    }

    /// The line to leave on the terminal after the console has gone, so the outcome stays
    /// in the scrollback: who signed in where, or that the person quit (with the last
    /// thing the screen said). `None` for a failure, whose sentence the command prints.
    pub fn farewell(&self, outcome: &Outcome) -> Option<String> {
        let title = self.info.title.as_str();
        match outcome {
            Outcome::SignedIn(tokens) => {
                let claims = tokens.id_claims();
                let username = claims
                    .as_ref()
                    .and_then(|claims| claims.username.as_deref());
                Some(strings::signed_in_to(username, title))
            }
            Outcome::Quit => Some(strings::quit_before_signing_in(
                title,
                self.screen.message(),
            )),
            Outcome::Failed(_) => None,
        }
    }

    fn on_key(&mut self, key: &KeyEvent) -> Effect {
        match Binding::find(GLOBAL_BINDINGS, key) {
            Some(GlobalAction::Quit) => return Effect::Finish(self.outcome_on_leaving()),
            Some(GlobalAction::ToggleWire) => {
                let open = self.wire.is_open(self.wire.last_width.get());
                self.wire.chosen = Some(!open);
                return Effect::Redraw;
            }
            None => {}
        }
        if let Some(keys) = &mut self.typed_ahead {
            keys.push(*key);
            return Effect::None;
        }
        if self.busy {
            return Effect::None;
        }
        if let Some(action) = Binding::find(PAGE_BINDINGS, key) {
            return self.scroll_by(action);
        }
        if self.offers_to_save() && Binding::find(&[signed_in::SAVE_BINDING], key).is_some() {
            return Effect::SaveFlags(self.username.clone());
        }
        let reaction = self.screen.handle_key(key);
        if reaction != Reaction::Ignored {
            // A key the screen took brings its focus back into sight.
            self.scroll = None;
        }
        match reaction {
            Reaction::Ignored if !self.screen.has_focus() => {
                match Binding::find(ARROW_BINDINGS, key) {
                    Some(action) => self.scroll_by(action),
                    None => Effect::None,
                }
            }
            Reaction::Ignored => Effect::None,
            Reaction::Changed => Effect::Redraw,
            Reaction::Send(_) if self.auth_closed => {
                // Nobody would answer: say so on the screen instead of waiting forever.
                self.show_refusal(Problem::sentence(strings::ACCOUNT_UNAVAILABLE));
                Effect::Redraw
            }
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
            Reaction::Finish(outcome) => Effect::Finish(self.keeping_the_sign_in(outcome)),
            Reaction::Copy(text) => Effect::Copy(text),
        }
    }

    /// Scrolls a body taller than the terminal by a row (the last frame says where it
    /// was); a body that fits does not move.
    fn scroll_by(&mut self, action: ScrollAction) -> Effect {
        let scrolled = self.scrolled.get();
        let offset = match action {
            ScrollAction::Up => scrolled.offset.saturating_sub(1),
            ScrollAction::Down => scrolled.offset.saturating_add(1).min(scrolled.last),
        };
        if !scrolled.overflows || offset == scrolled.offset {
            return Effect::None;
        }
        self.scroll = Some(offset);
        Effect::Redraw
    }

    /// The keys typed before the first step, on the form it asked for: they act as if
    /// typed now. An answer they complete is sent; keys after it would meet a busy
    /// console, so they are dropped.
    fn replay(&mut self, keys: Vec<KeyEvent>) -> Effect {
        for key in &keys {
            match self.on_key(key) {
                effect @ (Effect::Send(_) | Effect::Finish(_)) => return effect,
                // A copy typed ahead has nothing on screen to copy yet, nor a save.
                Effect::None | Effect::Redraw | Effect::Copy(_) | Effect::SaveFlags(_) => {}
            }
        }
        Effect::Redraw
    }

    fn on_event(&mut self, event: Event) -> Effect {
        match event {
            Event::Step { step, note } => {
                self.busy = false;
                self.progress = None;
                match &step {
                    Step::SignIn { username, .. } => {
                        self.username.clone_from(username);
                        // A fresh sign-in has begun: the last one no longer stands.
                        self.signed_in = None;
                        self.wire.log.new_sign_in();
                        // Once answered, the offer is not made again.
                        if !matches!(self.save_offer, Some(SaveOffer::Asked(_))) {
                            self.save_offer = None;
                        }
                    }
                    Step::SignedIn { tokens } => self.signed_in = Some(tokens.clone()),
                    _ => {}
                }
                self.show(Screen::for_step(step, &self.username));
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
                self.progress = None;
                self.show_refusal(problem);
            }
            Event::Progress(text) => self.progress = Some(text),
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
    /// demo mode, footer. The chrome is full where the screen still fits with it, and
    /// compact where it does not (one-line header, a top border only, the newest message
    /// alone); a screen taller than what is left scrolls, its focus in sight. Below the
    /// smallest size the screen works in, the console says which size it needs. The wire
    /// panel, when open, takes a column on the right of a wide terminal and the bottom
    /// rows of a narrower one.
    pub fn view(&self, frame: &mut Frame) {
        let area = frame.area();
        self.wire.last_width.set(area.width);
        let console = if self.wire.is_open(area.width) {
            let (console, panel) = wire_layout(area);
            self.wire.log.render(frame, panel, self.theme);
            console
        } else {
            area
        };
        self.view_console(frame, console);
    }

    /// Draws everything but the wire panel in `area`.
    fn view_console(&self, frame: &mut Frame, area: Rect) {
        let mut hints = self.hints(area.width);
        let mut layout = self.layout(area, &hints);
        if !self.busy && self.rows_needed(&layout) > layout.inner.height {
            hints.push(scroll_hint(!self.screen.has_focus()));
            layout = self.layout(area, &hints);
        }
        if !self.busy {
            // The screen alone (an enrolment's QR code) keeps a footer of its own keys.
            let alone_hints = self.screen.hints_alone();
            let [whole, foot] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(footer::rows(&alone_hints, area.width, Spacing::Roomy)),
            ])
            .areas(area);
            if self.screen.shows_alone(whole, layout.inner) {
                footer::render(frame, foot, &alone_hints, self.theme, Spacing::Roomy);
                self.screen
                    .render_alone(frame, whole, &self.view_context(whole));
                return;
            }
        }
        let view = self.view_context(layout.whole);
        footer::render(
            frame,
            layout.foot,
            &hints,
            self.theme,
            footer_spacing(layout.compact),
        );
        let (need_width, need_height) = self.smallest_size(area.width, &hints);
        if area.width < need_width || area.height < need_height {
            frame.render_widget(
                Paragraph::new(strings::terminal_too_small(need_width, need_height))
                    .wrap(Wrap { trim: true })
                    .style(self.theme.warning()),
                area,
            );
            return;
        }
        match (&self.outbox, layout.compact) {
            (Some(log), false) => log.render(frame, layout.outbox, self.theme),
            (Some(log), true) => log.render_compact(frame, layout.outbox, self.theme),
            (None, _) => {}
        }
        if layout.compact {
            header::render_compact(frame, layout.head, &self.info, self.theme);
        } else {
            header::render(frame, layout.head, &self.info, self.theme);
        }
        let title = Line::styled(format!(" {} ", self.screen.title()), self.theme.title());
        frame.render_widget(
            body_block(layout.compact, self.theme).title(title),
            layout.body,
        );
        let rows = self.screen.rows_needed(layout.inner.width, &view);
        if rows <= layout.inner.height {
            self.screen.render(frame, layout.inner, &view);
            self.scrolled.set(Scrolled::default());
            return;
        }
        // The person's own scrolling, else the focus (or, while a call hides the
        // cursor, where the focus last was), else the top.
        let (wanted, follow_cursor) = match self.scroll {
            Some(offset) => (offset, false),
            None => (self.scrolled.get().offset, self.screen.has_focus()),
        };
        let scrolled = viewport::render_scrolled(
            frame,
            layout.inner,
            rows,
            wanted,
            follow_cursor,
            |frame, area| self.screen.render(frame, area, &view),
        );
        self.scrolled.set(scrolled);
    }

    /// The keys on offer now in a console `width` columns wide: the screen's, or Ctrl-C
    /// alone while busy; and F2 (before a closing Esc) where the width leaves room for
    /// it. F2 works at every width, but a small terminal's rows go to the screen.
    fn hints(&self, width: u16) -> Vec<keys::Hint> {
        let mut hints = if self.busy {
            keys::hints(&[QUIT_BINDING])
        } else {
            self.screen.hints()
        };
        if self.offers_to_save() {
            insert_before_esc(&mut hints, signed_in::SAVE_BINDING.hint());
        }
        if width >= WIRE_HINT_WIDTH {
            insert_before_esc(&mut hints, WIRE_BINDING.hint());
        }
        hints
    }

    /// Whether the signed-in screen is on show with its offer to save the flags asked.
    fn offers_to_save(&self) -> bool {
        !self.busy
            && matches!(self.screen, Screen::SignedIn(_))
            && matches!(self.save_offer, Some(SaveOffer::Asked(_)))
    }

    /// What every screen needs to draw; `terminal` is the area above the footer.
    fn view_context(&self, terminal: Rect) -> ViewContext<'_> {
        ViewContext {
            info: &self.info,
            theme: self.theme,
            now: self.now,
            busy: self.busy.then(|| spinner::frame(self.spinner_tick)),
            progress: self.progress.as_deref().filter(|_| self.busy),
            terminal,
            save_offer: self.save_offer.as_ref(),
        }
    }

    /// The rows the screen needs in the body of `layout`.
    fn rows_needed(&self, layout: &FrameLayout) -> u16 {
        let view = self.view_context(layout.whole);
        self.screen.rows_needed(layout.inner.width, &view)
    }

    /// The console's areas in `area`: full chrome where the screen fits in what is left,
    /// compact chrome otherwise.
    fn layout(&self, area: Rect, hints: &[keys::Hint]) -> FrameLayout {
        let full = FrameLayout::new(area, self.chrome(area.width, hints, false));
        if self.rows_needed(&full) <= full.inner.height {
            full
        } else {
            FrameLayout::new(area, self.chrome(area.width, hints, true))
        }
    }

    /// The rows each part of the chrome takes at `width`.
    fn chrome(&self, width: u16, hints: &[keys::Hint], compact: bool) -> Chrome {
        let outbox = self.outbox.as_ref();
        Chrome {
            compact,
            header: if compact {
                header::COMPACT_HEIGHT
            } else {
                header::rows(&self.info, width)
            },
            outbox: match (outbox, compact) {
                (Some(log), false) => log.height(),
                (Some(log), true) => log.compact_height(),
                (None, _) => 0,
            },
            footer: footer::rows(hints, width, footer_spacing(compact)),
        }
    }

    /// The smallest terminal the current screen works in, measured: its narrowest width
    /// (a compact body has no side borders), and the compact chrome at that width, the
    /// body's top border and the screen's fewest rows.
    fn smallest_size(&self, width: u16, hints: &[keys::Hint]) -> (u16, u16) {
        let need_width = self.screen.min_width();
        let chrome = self.chrome(width.max(need_width), hints, true);
        let need_height =
            chrome.header + 1 + self.screen.min_rows() + chrome.outbox + chrome.footer;
        (need_width, need_height)
    }
}

/// Which way a scrolling key moves the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScrollAction {
    Up,
    Down,
}

/// Keys that scroll a body taller than the terminal, on every screen (the focus stays
/// where it was; the next key that types or moves it brings it back into sight).
const PAGE_BINDINGS: &[Binding<ScrollAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        does: strings::KEY_SCROLL,
        action: ScrollAction::Up,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown)],
        does: strings::KEY_SCROLL,
        action: ScrollAction::Down,
    },
];

/// The arrows scroll too where nothing has the focus (signed in, failed).
const ARROW_BINDINGS: &[Binding<ScrollAction>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        does: strings::KEY_SCROLL,
        action: ScrollAction::Up,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        does: strings::KEY_SCROLL,
        action: ScrollAction::Down,
    },
];

/// The footer entry of the scrolling keys.
fn scroll_hint(arrows: bool) -> keys::Hint {
    keys::Hint {
        keys: if arrows {
            "↑/↓/PgUp/PgDn"
        } else {
            "PgUp/PgDn"
        }
        .to_owned(),
        does: strings::KEY_SCROLL,
    }
}

/// The rows each part of the chrome takes.
#[derive(Debug, Clone, Copy)]
struct Chrome {
    compact: bool,
    header: u16,
    outbox: u16,
    footer: u16,
}

/// The console's areas for one frame.
#[derive(Debug, Clone, Copy)]
struct FrameLayout {
    compact: bool,
    head: Rect,
    /// The screen's box, its border included.
    body: Rect,
    /// Inside the box's border: where the screen draws.
    inner: Rect,
    outbox: Rect,
    foot: Rect,
    /// Everything above the footer.
    whole: Rect,
}

impl FrameLayout {
    fn new(area: Rect, chrome: Chrome) -> Self {
        let [whole, foot] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(chrome.footer)]).areas(area);
        let [head, body, outbox] = Layout::vertical([
            Constraint::Length(chrome.header),
            Constraint::Fill(1),
            Constraint::Length(chrome.outbox),
        ])
        .areas(whole);
        let inner = body_block(chrome.compact, Theme::monochrome()).inner(body);
        Self {
            compact: chrome.compact,
            head,
            body,
            inner,
            outbox,
            foot,
            whole,
        }
    }
}

/// Puts `hint` in the footer before a closing Esc entry, which stays last.
fn insert_before_esc(hints: &mut Vec<keys::Hint>, hint: keys::Hint) {
    let at = hints
        .iter()
        .rposition(|hint| hint.keys.split('/').any(|key| key == "Esc"))
        .filter(|at| at + 1 == hints.len())
        .unwrap_or(hints.len());
    hints.insert(at, hint);
}

/// The console's area and the wire panel's in `area`: a column of 40 to 72 on the right
/// where the console keeps 80 columns, else the bottom third (6 to 14 rows).
fn wire_layout(area: Rect) -> (Rect, Rect) {
    if area.width >= WIRE_BESIDE_WIDTH {
        let panel_width = (area.width - SCREEN_BESIDE_PANEL).min(72);
        let [console, panel] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(panel_width)]).areas(area);
        (console, panel)
    } else {
        let panel_height = (area.height / 3).clamp(6, 14).min(area.height);
        let [console, panel] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(panel_height)]).areas(area);
        (console, panel)
    }
}

/// The footer's spacing in a full or compact frame.
fn footer_spacing(compact: bool) -> Spacing {
    if compact {
        Spacing::Tight
    } else {
        Spacing::Roomy
    }
}

/// The screen's box: bordered all round, or with the top border (and its title) only
/// in a compact frame.
fn body_block(compact: bool, theme: Theme) -> Block<'static> {
    Block::default()
        .borders(if compact { Borders::TOP } else { Borders::ALL })
        .border_style(theme.body_border())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod account_tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The console as a whole: keys typed before the first step, busy and the spinner,
    //! the keys and refusals every screen shares, the auth task going away, the footer,
    //! the injected clock; and the loop itself, driven with scripted keys beside a fake
    //! auth task and the demo's outbox feed.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use crossterm::event::KeyCode;
    use futures::stream;
    use tokio::sync::broadcast;

    use super::{App, Effect, Msg};
    use crate::auth::{Answer, Command, ContactKind, Event, MfaKind, Outcome, Problem, Step};
    use crate::outbox::Delivery;
    use crate::sensitive::SensitiveString;
    use crate::test_support::tui::{
        app, at, ctrl, ctrl_c_press, filled_sign_in, finish, footer_keys, key, key_stream, press,
        refuse, render, run_with_outbox, screen, signed_in, start_loop, step, tokens, type_ahead,
    };
    use crate::test_support::{
        NOW, account_totp_setup, change_password, channels, contact_code, contact_form, custom,
        delivery, email_setup, every_mfa, first_factors, info, new_password, password,
        remember_device, reset_code, reset_password, security, sign_in, sign_in_answer,
        sign_in_without_password, sms_code, totp_setup, within, wrong_password,
    };
    use crate::tui::keys;
    use crate::tui::screens::sign_in::Field;
    use crate::tui::theme::Theme;
    use crate::tui::{run_loop, strings, widgets};

    /// One of every challenge step (the screens with inputs).
    fn challenge_steps() -> Vec<Step> {
        vec![
            first_factors(),
            password(),
            sms_code(true),
            Step::SelectMfa {
                options: vec![MfaKind::SoftwareToken, MfaKind::Sms],
            },
            Step::SelectMfaSetup {
                options: every_mfa(),
            },
            totp_setup(),
            email_setup(),
            new_password(),
            custom(1),
        ]
    }

    // ---- keys typed before the first step ----

    #[test]
    fn typing_before_the_first_step_arrives_is_kept() {
        let mut app = app();
        type_ahead(&mut app, "alice");
        app.update(key(KeyCode::Tab));
        type_ahead(&mut app, "pw");
        assert_eq!(app.update(step(sign_in(""))), Effect::Redraw);
        let form = screen!(app, SignIn);
        assert_eq!(form.username(), "alice");
        assert!(!form.password_is_empty());
        assert_eq!(form.focus(), Field::Password);
    }

    #[test]
    fn typing_kept_before_a_username_only_first_step_drops_the_password_field() {
        let mut app = app();
        type_ahead(&mut app, "alice");
        app.update(step(sign_in_without_password("")));
        let form = screen!(app, SignIn);
        assert_eq!(form.username(), "alice");
        assert!(!form.needs_password());
    }

    #[test]
    fn enter_typed_ahead_sends_a_username_only_form_once_it_arrives() {
        // A fast typist (or a paste) finishes before the task says the form has no
        // password field: the Enter must send, not move to a password field.
        let mut app = app();
        type_ahead(&mut app, "pat");
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
        assert_eq!(
            app.update(step(sign_in_without_password(""))),
            Effect::Send(Command::Answer(Answer::SignIn {
                username: "pat".into(),
                password: SensitiveString::default(),
            }))
        );
        assert!(app.is_busy());
    }

    // ---- busy, and what every screen shares ----

    #[test]
    fn a_complete_form_sends_one_answer_and_turns_busy() {
        let mut app = filled_sign_in(" alice ", "Passw0rd!");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            Effect::Send(Command::Answer(sign_in_answer("alice", "Passw0rd!")))
        );
        assert!(app.is_busy());
        // A second Enter before the answer comes back sends nothing.
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
        assert_eq!(app.update(key(KeyCode::Char('x'))), Effect::None);
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        assert_eq!(app.tick_rate(), Some(widgets::spinner::FRAME_TIME));
        // The task's one event in answer ends the busy time.
        app.update(Msg::Auth(Event::Refused(wrong_password())));
        assert!(!app.is_busy());
        assert_eq!(app.tick_rate(), None, "an idle form does not tick");
        assert_eq!(app.update(Msg::Tick), Effect::None);
    }

    #[test]
    fn ctrl_c_while_busy_quits_at_once() {
        let mut app = filled_sign_in("alice", "Passw0rd!");
        app.update(key(KeyCode::Enter));
        assert!(app.is_busy());
        assert_eq!(app.update(ctrl('c')), Effect::Finish(Outcome::Quit));
    }

    #[test]
    fn esc_on_every_challenge_screen_starts_a_fresh_sign_in_and_the_footer_says_so() {
        let restart_alice = Effect::Send(Command::Restart {
            username: "alice".into(),
        });
        for next in challenge_steps() {
            let mut app = at(next.clone());
            assert_eq!(app.update(key(KeyCode::Esc)), restart_alice, "{next:?}");
            assert!(footer_keys(&at(next)).contains(&"Esc".to_owned()));
        }
    }

    #[test]
    fn an_error_stays_on_every_challenge_screen_with_its_sentence() {
        for next in challenge_steps() {
            let mut app = at(next.clone());
            let title = app.screen().title();
            refuse(
                &mut app,
                "CodeMismatchException",
                "That was not the right answer.",
            );
            assert_eq!(app.screen().title(), title, "{next:?}");
            assert!(!app.is_busy());
            let drawn = render(&app, 120, 40);
            assert!(drawn.contains("That was not the right answer."), "{drawn}");
        }
    }

    #[test]
    fn typing_into_a_field_clears_the_stale_message_on_every_screen_with_one() {
        let stale = "That was not the right answer.";
        let with_fields = [
            sign_in("alice"),
            password(),
            sms_code(true),
            reset_code(),
            totp_setup(),
            email_setup(),
            new_password(),
            reset_password(),
            contact_code(ContactKind::Email, None),
            contact_form(ContactKind::Phone, None),
            change_password(),
            account_totp_setup(),
        ];
        for next in with_fields {
            let mut app = at(next.clone());
            refuse(&mut app, "CodeMismatchException", stale);
            assert!(render(&app, 120, 40).contains(stale), "{next:?}");
            // A digit, so that code fields take it too.
            assert_eq!(
                app.update(key(KeyCode::Char('1'))),
                Effect::Redraw,
                "{next:?}"
            );
            let drawn = render(&app, 120, 40);
            assert!(!drawn.contains(stale), "{next:?}: {drawn}");
        }
    }

    #[test]
    fn moving_on_a_list_clears_the_stale_message_on_every_list() {
        let stale = "That was not the right answer.";
        let lists = [
            first_factors(),
            Step::SelectMfa {
                options: vec![MfaKind::SoftwareToken, MfaKind::Sms],
            },
            Step::SelectMfaSetup {
                options: every_mfa(),
            },
            remember_device(),
            security(),
        ];
        for next in lists {
            let mut app = at(next.clone());
            refuse(&mut app, "CodeMismatchException", stale);
            assert!(render(&app, 120, 40).contains(stale), "{next:?}");
            assert_eq!(app.update(key(KeyCode::Down)), Effect::Redraw, "{next:?}");
            assert!(!render(&app, 120, 40).contains(stale), "{next:?}");
        }
    }

    #[test]
    fn the_event_channel_closing_early_fails_with_a_sentence() {
        let mut app = app();
        app.update(step(sign_in("alice")));
        assert_eq!(
            app.update(Msg::AuthClosed),
            Effect::Finish(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED)))
        );
    }

    #[test]
    fn footer_hints_come_from_the_screen_bindings() {
        let mut app = app();
        app.update(step(sign_in("")));
        assert_eq!(
            footer_keys(&app),
            ["Enter", "Tab", "Shift-Tab", "Ctrl-F", "Esc"]
        );
        app.update(step(signed_in()));
        assert_eq!(footer_keys(&app), ["Enter", "a", "n", "q/Esc"]);
    }

    #[test]
    fn every_footer_names_the_same_keys_the_same_way_in_the_same_order() {
        let mut steps = challenge_steps();
        steps.extend([
            sign_in(""),
            sign_in_without_password("alice"),
            signed_in(),
            Step::Failed {
                problem: Problem::sentence("Too many attempts."),
            },
            remember_device(),
            reset_code(),
            reset_password(),
            security(),
            contact_code(ContactKind::Phone, Some(MfaKind::Sms)),
            contact_form(ContactKind::Email, None),
            change_password(),
            account_totp_setup(),
        ]);
        // While a call is in flight the footer offers Ctrl-C alone.
        let busy_hints = keys::hints(super::GLOBAL_BINDINGS);
        assert_eq!(busy_hints[0].keys, "Ctrl-C");
        assert_eq!(busy_hints[0].does, strings::KEY_QUIT);
        for next in steps {
            let hints = at(next.clone()).screen().hints();
            // The main key first, Esc last (unless it is the main key too).
            assert!(hints[0].keys.starts_with("Enter"), "{next:?}: {hints:?}");
            let esc = hints
                .iter()
                .position(|hint| hint.keys.split('/').any(|key| key == "Esc"));
            if let Some(esc) = esc.filter(|at| *at > 0) {
                assert_eq!(esc, hints.len() - 1, "{next:?}: {hints:?}");
            }
            for hint in &hints {
                let keys: Vec<&str> = hint.keys.split('/').collect();
                let expected = match keys[0] {
                    "Tab" => Some(strings::KEY_NEXT),
                    "Shift-Tab" => Some(strings::KEY_PREVIOUS),
                    _ if keys.contains(&"q") => Some(strings::KEY_QUIT),
                    _ => None,
                };
                if let Some(expected) = expected {
                    assert_eq!(hint.does, expected, "{next:?}: {hints:?}");
                }
            }
        }
    }

    #[test]
    fn the_countdown_follows_the_injected_clock_and_a_resize_redraws() {
        let seconds = Arc::new(AtomicI64::new(0));
        let clock_seconds = Arc::clone(&seconds);
        let mut app = App::new(
            info(),
            Theme::monochrome(),
            Arc::new(move || NOW + time::Duration::seconds(clock_seconds.load(Ordering::SeqCst))),
        );
        app.update(step(signed_in()));
        assert!(render(&app, 80, 24).contains("in 59:12"));
        seconds.store(1, Ordering::SeqCst);
        assert_eq!(app.update(Msg::Tick), Effect::Redraw);
        assert!(render(&app, 80, 24).contains("in 59:11"));
        seconds.store(3600, Ordering::SeqCst);
        app.update(Msg::Tick);
        assert!(render(&app, 80, 24).contains("expired at 03:59:12 UTC"));
        assert_eq!(app.update(Msg::Resize), Effect::Redraw);
    }

    #[test]
    fn the_farewell_says_who_signed_in_where_or_that_the_person_quit_and_why() {
        let title = "us-east-1_Demo0001 · client 1example23456789";
        let done = at(signed_in());
        assert_eq!(
            done.farewell(&done.outcome_on_leaving()),
            Some(format!("Signed in as alice to {title}."))
        );
        let mut fresh = app();
        fresh.update(step(sign_in("")));
        assert_eq!(
            fresh.farewell(&Outcome::Quit),
            Some(format!("Quit before signing in to {title}."))
        );
        // The last thing said goes with it, never what was typed.
        let mut refused = filled_sign_in("alice", "Passw0rd?");
        refused.update(key(KeyCode::Enter));
        refuse(
            &mut refused,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        let farewell = refused.farewell(&Outcome::Quit).unwrap();
        assert_eq!(
            farewell,
            format!(
                "Quit before signing in to {title}. The last message was: Incorrect username or password."
            )
        );
        // A failure is said by the command that ran the console, once.
        let failed = Problem::sentence("Too many attempts.");
        let mut gone = at(Step::Failed {
            problem: failed.clone(),
        });
        assert_eq!(gone.farewell(&Outcome::Failed(failed)), None);
        // Ctrl-C on the failure screen quits, and says why the sign-in had failed.
        assert_eq!(gone.update(ctrl('c')), Effect::Finish(Outcome::Quit));
        assert_eq!(
            gone.farewell(&Outcome::Quit).unwrap(),
            format!("Quit before signing in to {title}. The last message was: Too many attempts.")
        );
    }

    // ---- the whole loop, without a terminal ----

    #[tokio::test]
    async fn the_loop_signs_in_after_a_refusal_and_finishes_with_the_tokens() {
        let (mut harness, task) = start_loop();
        harness.auth.step(sign_in("")).await;
        harness.settle().await;
        harness.type_text("alice");
        harness.release(KeyCode::Char('z')); // releases are ignored
        harness.press(KeyCode::Enter);
        harness.type_text("wrong");
        harness.press(KeyCode::Enter);
        assert_eq!(
            harness.auth.next_command().await,
            Some(Command::Answer(sign_in_answer("alice", "wrong")))
        );
        harness.auth.send(Event::Refused(wrong_password())).await;
        harness.settle().await;
        // Focus is back on the (cleared) password.
        harness.type_text("Passw0rd!");
        harness.press(KeyCode::Enter);
        assert_eq!(
            harness.auth.next_command().await,
            Some(Command::Answer(sign_in_answer("alice", "Passw0rd!")))
        );
        harness.auth.step(signed_in()).await;
        harness.settle().await;
        harness.press(KeyCode::Enter);
        let (outcome, screen) = finish(task).await;
        assert_eq!(outcome, Outcome::SignedIn(tokens()));
        assert!(screen.contains("Signed in as alice"), "{screen}");
    }

    #[tokio::test]
    async fn once_signed_in_every_way_out_keeps_the_tokens() {
        // q and Esc finish the signed-in screen; Ctrl-C and the end of the keys leave
        // the console: none of them loses the sign-in.
        for leave in ["q", "esc", "ctrl-c", "end of keys"] {
            let (harness, task) = start_loop();
            harness.auth.step(signed_in()).await;
            harness.settle().await;
            match leave {
                "q" => harness.press(KeyCode::Char('q')),
                "esc" => harness.press(KeyCode::Esc),
                "ctrl-c" => harness.keys.send(ctrl_c_press()).unwrap(),
                _ => drop(harness.keys),
            }
            let (outcome, _) = finish(task).await;
            assert_eq!(outcome, Outcome::SignedIn(tokens()), "{leave}");
        }
    }

    #[tokio::test]
    async fn the_loop_fails_when_the_auth_task_goes_away() {
        let (harness, task) = start_loop();
        drop(harness.auth.events);
        let (outcome, _) = finish(task).await;
        assert_eq!(
            outcome,
            Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))
        );
    }

    #[tokio::test]
    async fn the_loop_quits_on_ctrl_c_and_when_the_key_stream_ends() {
        let (harness, task) = start_loop();
        harness.keys.send(ctrl_c_press()).unwrap();
        assert_eq!(finish(task).await.0, Outcome::Quit);

        let (harness, task) = start_loop();
        drop(harness.keys);
        assert_eq!(finish(task).await.0, Outcome::Quit);
    }

    #[tokio::test]
    async fn the_loop_quits_when_asked_to_shut_down() {
        let (front, _auth) = channels(1);
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        let outcome = within(
            "the loop",
            run_loop(
                &mut terminal,
                &mut app(),
                front,
                crate::tui::Feeds::default(),
                stream::pending(),
                std::future::ready(()),
            ),
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Quit);
    }

    // These outbox loop tests run on the current-thread test runtime: a spawned task runs
    // only once the loop waits for input, that is after it has taken everything the feed
    // had ready.

    #[tokio::test]
    async fn the_loop_shows_deliveries_and_survives_a_lagging_feed() {
        // Room for one: of three messages sent before the loop reads, two are dropped.
        let (sender, feed) = broadcast::channel(1);
        for n in 1..=3 {
            sender.send(delivery(n)).unwrap();
        }
        let (keys, key_stream) = key_stream();
        let typist = tokio::spawn(async move {
            assert!(sender.is_empty(), "the loop took every message first");
            keys.send(ctrl_c_press()).unwrap();
            sender
        });
        let (outcome, screen) = run_with_outbox(feed, key_stream).await;
        drop(typist.await.unwrap());
        assert_eq!(outcome, Outcome::Quit);
        assert!(screen.contains("Your code is 000003"), "{screen}");
        assert!(
            screen.contains("2 earlier messages were missed"),
            "{screen}"
        );
    }

    #[tokio::test]
    async fn the_loop_goes_on_when_the_outbox_closes() {
        let (sender, feed) = broadcast::channel::<Delivery>(4);
        sender.send(delivery(1)).unwrap();
        drop(sender);
        let (keys, key_stream) = key_stream();
        let typist = tokio::spawn(async move {
            for c in "bob".chars() {
                keys.send(press(KeyCode::Char(c))).unwrap();
            }
            keys.send(ctrl_c_press()).unwrap();
        });
        let (outcome, screen) = run_with_outbox(feed, key_stream).await;
        typist.await.unwrap();
        // The closed feed ended nothing: the keys typed after it reached the form.
        assert_eq!(outcome, Outcome::Quit);
        assert!(screen.contains("Your code is 000001"), "{screen}");
        assert!(screen.contains("│bob"), "{screen}");
    }
}
