//! The wire panel (F2): the calls this console made, in order, each with the challenge
//! or error that came back, its status and duration, and the parameters sent and
//! received, for showing what a sign-in does underneath.
//!
//! It is drawn from the wire client's trace events (`trace::wire_feed`), so it holds
//! only what the debug trace holds: a secret's kind and length (`SRP_A: 768 hex`),
//! never its value.

use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::trace::wire_feed::{WireCall, WireEvent};
use crate::tui::strings;
use crate::tui::theme::Theme;

/// How many calls the panel keeps (the oldest go first).
pub const KEEP: usize = 100;

/// One row of the log: a call, or the start of a fresh sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Call {
        call: WireCall,
        sent: Vec<String>,
        received: Vec<String>,
    },
    NewSignIn,
}

/// The calls the panel shows, and how many the feed dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireLog {
    entries: VecDeque<Entry>,
    missed: u64,
}

impl WireLog {
    /// Takes one event of the feed: a call is added; its parameters join it.
    pub fn push(&mut self, event: WireEvent) {
        match event {
            WireEvent::Call(call) => {
                self.entries.push_back(Entry::Call {
                    call,
                    sent: Vec::new(),
                    received: Vec::new(),
                });
                let calls = self.calls().count();
                if calls > KEEP {
                    self.forget_oldest_call();
                }
            }
            WireEvent::Parameters {
                call: number,
                sent: new_sent,
                received: new_received,
            } => {
                let entry = self.entries.iter_mut().rev().find_map(|entry| match entry {
                    Entry::Call {
                        call,
                        sent,
                        received,
                    } if call.call == number => Some((sent, received)),
                    _ => None,
                });
                if let Some((sent, received)) = entry {
                    *sent = new_sent;
                    *received = new_received;
                }
            }
        }
    }

    /// Marks the start of a fresh sign-in, so the calls after it read as its own.
    pub fn new_sign_in(&mut self) {
        if matches!(self.entries.back(), Some(Entry::Call { .. })) {
            self.entries.push_back(Entry::NewSignIn);
        }
    }

    /// Counts events the feed dropped because the console fell behind.
    pub fn missed(&mut self, count: u64) {
        self.missed = self.missed.saturating_add(count);
    }

    /// The calls kept, oldest first.
    pub fn calls(&self) -> impl Iterator<Item = &WireCall> {
        self.entries.iter().filter_map(|entry| match entry {
            Entry::Call { call, .. } => Some(call),
            Entry::NewSignIn => None,
        })
    }

    /// Drops the oldest call, and a divider left at the top.
    fn forget_oldest_call(&mut self) {
        while let Some(entry) = self.entries.pop_front() {
            if matches!(entry, Entry::Call { .. }) {
                break;
            }
        }
        while matches!(self.entries.front(), Some(Entry::NewSignIn)) {
            self.entries.pop_front();
        }
    }

    /// Every line of the log, oldest first, however wide.
    pub fn lines(&self, theme: Theme) -> Vec<Line<'static>> {
        self.lines_within(usize::MAX, usize::MAX, theme)
    }

    /// The log in at most `rows` lines of `width` columns: every call in order where
    /// they fit; where they do not, the oldest calls shrink to their heading (marked
    /// "…") until they do, the newest keeping its parameters, so the whole sequence
    /// stays in sight. Only when even that is too tall do the oldest lines go. A line
    /// too wide ends in "…".
    pub fn lines_within(&self, rows: usize, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut head = Vec::new();
        if self.missed > 0 {
            head.push(Line::styled(
                strings::wire_missed(self.missed),
                theme.muted(),
            ));
        }
        if self.entries.is_empty() {
            head.push(Line::styled(strings::WIRE_EMPTY, theme.muted()));
        }
        // Each entry's lines, and how many of them are its heading.
        let mut blocks: Vec<(usize, Vec<Line<'static>>)> = self
            .entries
            .iter()
            .map(|entry| match entry {
                Entry::Call {
                    call,
                    sent,
                    received,
                } => {
                    let mut block = heading(call, width, theme);
                    let heading_rows = block.len();
                    block.extend(parameter_lines("→", sent, theme));
                    block.extend(parameter_lines("←", received, theme));
                    (heading_rows, block)
                }
                Entry::NewSignIn => (
                    1,
                    vec![Line::styled(strings::WIRE_NEW_SIGN_IN, theme.muted())],
                ),
            })
            .collect();
        let mut total = head.len() + blocks.iter().map(|(_, block)| block.len()).sum::<usize>();
        let newest = blocks.len().saturating_sub(1);
        for (heading_rows, block) in blocks.iter_mut().take(newest) {
            if total <= rows {
                break;
            }
            if block.len() > *heading_rows {
                total -= block.len() - *heading_rows;
                block.truncate(*heading_rows);
                if let Some(last) = block.last_mut() {
                    last.push_span(Span::styled(" …", theme.muted()));
                }
            }
        }
        let mut lines = head;
        lines.extend(blocks.into_iter().flat_map(|(_, block)| block));
        let hidden = lines.len().saturating_sub(rows);
        lines
            .into_iter()
            .skip(hidden)
            .map(|line| clip(line, width))
            .collect()
    }

    /// Draws the panel in `area`: every call, the oldest shrunk to a line where the
    /// panel is short (see `lines_within`).
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let calls = self.calls().count();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.unfocused_border())
            .title(Line::styled(
                format!(" {} ", strings::wire_title(calls)),
                theme.label(),
            ));
        let inner = block.inner(area);
        let lines = self.lines_within(usize::from(inner.height), usize::from(inner.width), theme);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// "InitiateAuth → PASSWORD_VERIFIER  200 · 41 ms" where it fits in `width`, else the
/// operation, then "  → PASSWORD_VERIFIER  200 · 41 ms" on a line of its own.
fn heading(call: &WireCall, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let operation = Span::styled(call.operation.clone(), theme.title());
    let (outcome, style) = match (&call.failed, &call.error_type, &call.challenge) {
        (Some(_), _, _) => (Some(strings::WIRE_NO_ANSWER.to_owned()), theme.error()),
        (None, Some(error), _) => (Some(error.clone()), theme.error()),
        (None, None, Some(challenge)) => (Some(challenge.clone()), theme.label()),
        (None, None, None) => (None, theme.label()),
    };
    let mut rest = Vec::new();
    if let Some(outcome) = outcome {
        rest.push(Span::raw(" → "));
        rest.push(Span::styled(outcome, style));
    }
    let status = call
        .status
        .map_or_else(String::new, |status| format!("{status} · "));
    rest.push(Span::styled(
        format!("  {status}{} ms", call.duration_ms),
        theme.muted(),
    ));
    let one_line = operation.width() + rest.iter().map(Span::width).sum::<usize>();
    if one_line <= width {
        let mut spans = vec![operation];
        spans.extend(rest);
        return vec![Line::from(spans)];
    }
    let mut second = vec![Span::raw(" ")];
    second.extend(rest);
    vec![Line::from(operation), Line::from(second)]
}

/// `line` in at most `width` columns, its end replaced by "…" when cut.
fn clip(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width || width == 0 {
        return line;
    }
    let mut left = width - 1;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let kept: String = span.content.chars().take(left).collect();
        left -= kept.chars().count();
        spans.push(Span::styled(kept, span.style));
    }
    spans.push(Span::raw("…"));
    Line::from(spans)
}

/// The parameters of one direction, members of one object under its name:
/// "→ AuthParameters", "    USERNAME=alice", "    SRP_A: 768 hex".
fn parameter_lines(arrow: &str, parameters: &[String], theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut group: Option<&str> = None;
    for parameter in parameters {
        let name_end = parameter.find(['=', ':']).unwrap_or(parameter.len());
        match parameter[..name_end].split_once('.') {
            Some((object, _)) => {
                if group != Some(object) {
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {arrow} "), theme.muted()),
                        Span::styled(object.to_owned(), theme.label()),
                    ]));
                    group = Some(object);
                }
                lines.push(parameter_line(
                    "     ",
                    &parameter[object.len() + 1..],
                    theme,
                ));
            }
            None => {
                group = None;
                lines.push(parameter_line(&format!(" {arrow} "), parameter, theme));
            }
        }
    }
    lines
}

/// One parameter: a shown value as it is, a hidden one's kind muted.
fn parameter_line(indent: &str, parameter: &str, theme: Theme) -> Line<'static> {
    let indent = Span::styled(indent.to_owned(), theme.muted());
    match parameter.split_once(": ") {
        Some((name, kind)) if !name.contains('=') => Line::from(vec![
            indent,
            Span::raw(format!("{name}: ")),
            Span::styled(kind.to_owned(), theme.muted()),
        ]),
        _ => Line::from(vec![indent, Span::raw(parameter.to_owned())]),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The log: parameters join their call, a fresh sign-in is marked, the oldest calls
    //! go, and the lines group an object's members. The panel in the console: F2 opens
    //! and closes it at any moment, beside a wide screen and below a narrow one, open by
    //! itself in demo mode only where the terminal is wide.

    use crossterm::event::KeyCode;

    use super::*;
    use crate::test_support::sign_in;
    use crate::test_support::tui::{app, key, render, step};
    use crate::tui::app::{Effect, Msg};

    fn call(number: u64, operation: &str, challenge: Option<&str>) -> WireEvent {
        WireEvent::Call(WireCall {
            call: number,
            operation: operation.into(),
            status: Some(200),
            duration_ms: 12,
            challenge: challenge.map(Into::into),
            error_type: None,
            failed: None,
        })
    }

    fn text(log: &WireLog) -> String {
        log.lines(Theme::monochrome())
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn parameters_join_their_call_and_an_objects_members_are_grouped() {
        let mut log = WireLog::default();
        assert!(text(&log).contains(strings::WIRE_EMPTY));
        log.push(call(1, "InitiateAuth", Some("PASSWORD_VERIFIER")));
        log.push(call(2, "RespondToAuthChallenge", None));
        log.push(WireEvent::Parameters {
            call: 1,
            sent: vec![
                "AuthFlow=USER_SRP_AUTH".into(),
                "AuthParameters.USERNAME=carol".into(),
                "AuthParameters.SRP_A: 768 hex".into(),
                "ClientId=demo".into(),
            ],
            received: vec!["ChallengeName=PASSWORD_VERIFIER".into()],
        });
        let shown = text(&log);
        let expected = [
            "InitiateAuth → PASSWORD_VERIFIER  200 · 12 ms",
            " → AuthFlow=USER_SRP_AUTH",
            " → AuthParameters",
            "     USERNAME=carol",
            "     SRP_A: 768 hex",
            " → ClientId=demo",
            " ← ChallengeName=PASSWORD_VERIFIER",
            "RespondToAuthChallenge  200 · 12 ms",
        ]
        .join("\n");
        assert_eq!(shown, expected);
    }

    #[test]
    fn a_fresh_sign_in_is_marked_and_the_oldest_calls_go() {
        let mut log = WireLog::default();
        log.new_sign_in();
        assert!(!text(&log).contains(strings::WIRE_NEW_SIGN_IN));
        log.push(call(1, "InitiateAuth", None));
        log.new_sign_in();
        log.new_sign_in();
        assert_eq!(text(&log).matches(strings::WIRE_NEW_SIGN_IN).count(), 1);
        for number in 2..=(KEEP as u64 + 1) {
            log.push(call(number, "GetUser", None));
        }
        assert_eq!(log.calls().count(), KEEP);
        assert_eq!(log.calls().next().unwrap().call, 2);
        // The divider went with the call before it.
        assert!(!text(&log).contains(strings::WIRE_NEW_SIGN_IN));
        log.missed(3);
        assert!(text(&log).starts_with(&strings::wire_missed(3)));
    }

    /// The rows of a drawn console, from column `from` on.
    fn columns_from(drawn: &str, from: usize) -> String {
        drawn
            .lines()
            .map(|row| row.chars().skip(from).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn f2_opens_the_panel_beside_a_wide_screen_and_below_a_narrow_one() {
        let mut console = app();
        console.update(step(sign_in("")));
        // Calls are kept while the panel is closed, without a redraw.
        assert_eq!(
            console.update(Msg::Wire(call(
                1,
                "InitiateAuth",
                Some("PASSWORD_VERIFIER")
            ))),
            Effect::None
        );
        let closed = render(&console, 120, 40);
        assert!(!closed.contains("Wire:"), "{closed}");
        assert!(closed.contains("F2  wire   Esc  quit"), "{closed}");

        assert_eq!(console.update(key(KeyCode::F(2))), Effect::Redraw);
        let beside = render(&console, 120, 40);
        let panel = columns_from(&beside, 80);
        assert!(panel.contains("Wire: 1 call"), "{beside}");
        assert!(
            panel.contains("│InitiateAuth ") && panel.contains("│  → PASSWORD_VERIFIER  200"),
            "{beside}"
        );
        assert!(columns_from(&beside, 0).contains("Sign in"), "{beside}");
        // Open, a new call is drawn at once.
        assert_eq!(
            console.update(Msg::Wire(call(2, "RespondToAuthChallenge", None))),
            Effect::Redraw
        );

        let below = render(&console, 80, 30);
        let bottom: Vec<&str> = below.lines().skip(20).collect();
        assert!(bottom.join("\n").contains("Wire: 2 calls"), "{below}");
        assert!(
            below.lines().take(20).any(|row| row.contains("Sign in")),
            "{below}"
        );

        assert_eq!(console.update(key(KeyCode::F(2))), Effect::Redraw);
        assert!(!render(&console, 80, 30).contains("Wire:"));
        // While a call is in flight F2 still works, and the footer still names it.
        console.update(key(KeyCode::Char('a')));
        console.update(key(KeyCode::Tab));
        console.update(key(KeyCode::Char('p')));
        console.update(key(KeyCode::Enter));
        assert!(console.is_busy());
        let busy = render(&console, 80, 24);
        assert!(busy.contains("Ctrl-C  quit   F2  wire"), "{busy}");
        console.update(key(KeyCode::F(2)));
        assert!(render(&console, 80, 24).contains("Wire: 2 calls"));
    }

    #[test]
    fn demo_mode_opens_the_panel_only_where_the_terminal_is_wide() {
        let mut console = app().with_wire_panel_open_when_wide();
        console.update(step(sign_in("")));
        assert!(
            render(&console, 119, 40)
                .lines()
                .all(|row| !row.contains("Wire:"))
        );
        let wide = render(&console, 120, 40);
        assert!(wide.contains("Wire: 0 calls"), "{wide}");
        assert!(wide.contains(strings::WIRE_EMPTY), "{wide}");
        // F2 closes what opened by itself; it stays closed on a resize.
        console.update(key(KeyCode::F(2)));
        assert!(!render(&console, 120, 40).contains("Wire:"));
        assert!(!render(&console, 160, 40).contains("Wire:"));
        // A small terminal's footer leaves F2 out; the key still works there.
        let small = render(&console, 40, 12);
        assert!(!small.contains("F2"), "{small}");
    }

    #[test]
    fn a_short_panel_shrinks_the_oldest_calls_to_their_heading() {
        let mut log = WireLog::default();
        for (number, operation) in [(1, "InitiateAuth"), (2, "RespondToAuthChallenge")] {
            log.push(call(number, operation, None));
            log.push(WireEvent::Parameters {
                call: number,
                sent: vec!["AuthFlow=USER_SRP_AUTH".into(), "ClientId=demo".into()],
                received: vec!["Session: 86 chars".into()],
            });
        }
        let text_within = |rows: usize| {
            log.lines_within(rows, 40, Theme::monochrome())
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(text_within(8).len(), 8, "all of it fits");
        assert_eq!(
            text_within(5),
            [
                "InitiateAuth  200 · 12 ms …",
                "RespondToAuthChallenge  200 · 12 ms",
                " → AuthFlow=USER_SRP_AUTH",
                " → ClientId=demo",
                " ← Session: 86 chars",
            ]
        );
        // Shorter still, lines go from the top.
        assert_eq!(text_within(2), [" → ClientId=demo", " ← Session: 86 chars"]);
    }

    #[test]
    fn a_narrow_panel_puts_the_outcome_under_the_operation_and_cuts_long_lines() {
        let mut log = WireLog::default();
        log.push(call(
            1,
            "RespondToAuthChallenge",
            Some("SOFTWARE_TOKEN_MFA"),
        ));
        log.push(WireEvent::Parameters {
            call: 1,
            sent: vec!["ChallengeResponses.PASSWORD_CLAIM_SECRET_BLOCK: 284 chars".into()],
            received: vec![],
        });
        let shown: Vec<String> = log
            .lines_within(10, 36, Theme::monochrome())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "RespondToAuthChallenge",
                "  → SOFTWARE_TOKEN_MFA  200 · 12 ms",
                " → ChallengeResponses",
                "     PASSWORD_CLAIM_SECRET_BLOCK: 2…",
            ]
        );
    }
}
