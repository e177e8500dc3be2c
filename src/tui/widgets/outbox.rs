//! Demo mode's outbox panel: the last text messages and e-mails the local pool "sent",
//! so the person can read the code without a phone.

use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::outbox::Delivery;
use crate::tui::strings;
use crate::tui::theme::Theme;

/// How many messages the panel keeps (the newest last).
pub const KEEP: usize = 3;

/// What the panel shows: the last few messages, and how many the feed dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxLog {
    deliveries: VecDeque<Delivery>,
    missed: u64,
}

impl OutboxLog {
    /// Keeps a new message, forgetting the oldest beyond `KEEP`.
    pub fn push(&mut self, delivery: Delivery) {
        self.deliveries.push_back(delivery);
        while self.deliveries.len() > KEEP {
            self.deliveries.pop_front();
        }
    }

    /// Counts messages the feed dropped because the console fell behind.
    pub fn missed(&mut self, count: u64) {
        self.missed = self.missed.saturating_add(count);
    }

    /// The messages kept, oldest first.
    pub fn deliveries(&self) -> impl Iterator<Item = &Delivery> {
        self.deliveries.iter()
    }

    /// Rows the panel takes: its borders and one per message (one when empty), plus one
    /// when messages were missed.
    pub fn height(&self) -> u16 {
        let rows = self.deliveries.len().max(1) + usize::from(self.missed > 0);
        u16::try_from(rows + 2).unwrap_or(u16::MAX)
    }

    /// Rows of the one-line panel of a short terminal: the newest message, if any.
    pub fn compact_height(&self) -> u16 {
        u16::from(!self.deliveries.is_empty() || self.missed > 0)
    }

    /// Draws the newest message on one line, code first where the line is short:
    /// "SMS +15555550101 code 123456".
    pub fn render_compact(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let line = match self.deliveries.back() {
            Some(delivery) => Line::from(vec![
                Span::styled(format!("{} ", delivery.medium.api_name()), theme.label()),
                Span::styled(format!("{} ", delivery.destination), theme.muted()),
                Span::styled(strings::OUTBOX_CODE, theme.muted()),
                Span::raw(format!(" {}", delivery.code)),
            ]),
            None => Line::styled(strings::outbox_missed(self.missed), theme.muted()),
        };
        frame.render_widget(Paragraph::new(line), area);
    }

    /// Draws "SMS    +15555550101    Your code is 123456" per message.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.unfocused_border())
            .title(Line::styled(
                format!(" {} ", strings::OUTBOX_TITLE),
                theme.label(),
            ));
        let mut lines: Vec<Line> = Vec::new();
        if self.missed > 0 {
            lines.push(Line::styled(
                strings::outbox_missed(self.missed),
                theme.muted(),
            ));
        }
        if self.deliveries.is_empty() {
            lines.push(Line::styled(strings::OUTBOX_EMPTY, theme.muted()));
        }
        for delivery in &self.deliveries {
            lines.push(Line::from(vec![
                Span::styled(format!("{:<5} ", delivery.medium.api_name()), theme.label()),
                Span::styled(format!("{}  ", delivery.destination), theme.muted()),
                Span::raw(delivery.text.as_str()),
            ]));
        }
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Demo mode's outbox panel: the last few messages, how many were missed, and no
    //! panel at all outside demo mode.

    use crate::test_support::tui::{app, render, snapshot_both_sizes, step};
    use crate::test_support::{delivery, sign_in, sms_code};
    use crate::tui::app::{Effect, Msg};
    use crate::tui::strings;

    #[test]
    fn the_outbox_panel_keeps_the_last_few_messages() {
        let mut app = app().with_outbox();
        app.update(step(sign_in("bob")));
        assert!(render(&app, 80, 24).contains(strings::OUTBOX_EMPTY));
        for n in 1..=4 {
            assert_eq!(app.update(Msg::Delivered(delivery(n))), Effect::Redraw);
        }
        let kept: Vec<String> = app
            .outbox()
            .unwrap()
            .deliveries()
            .map(|d| d.code.clone())
            .collect();
        assert_eq!(kept, ["000002", "000003", "000004"]);
        assert_eq!(app.update(Msg::OutboxLagged(5)), Effect::Redraw);
        assert_eq!(app.update(Msg::OutboxClosed), Effect::None);
        let drawn = render(&app, 120, 40);
        assert!(
            drawn.contains("Outbox: messages the local pool \"sent\""),
            "{drawn}"
        );
        assert!(drawn.contains("Your code is 000004"), "{drawn}");
        assert!(drawn.contains("5 earlier messages were missed"), "{drawn}");
    }

    #[test]
    fn without_an_outbox_no_panel_is_drawn() {
        let mut app = app();
        app.update(step(sign_in("bob")));
        assert_eq!(app.update(Msg::Delivered(delivery(1))), Effect::None);
        assert!(app.outbox().is_none());
        assert!(!render(&app, 120, 40).contains("Outbox"));
    }

    #[test]
    fn snapshot_outbox_panel() {
        let mut app = app().with_outbox();
        app.update(step(sign_in("bob")));
        app.update(step(sms_code(true)));
        app.update(Msg::Delivered(delivery(1)));
        snapshot_both_sizes!("outbox", &app);
    }
}
