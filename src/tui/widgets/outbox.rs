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
