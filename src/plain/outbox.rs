//! The demo's outbox in the line front end: each message the local pool "sent" becomes
//! one line on the prompt output. A closed feed is dropped; a lagging one says how many
//! messages were missed.

use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::strings;
use crate::outbox::{Delivery, OutboxFeed};

/// The next line to print from the feed; never resolves without a feed (or once it closes).
pub(super) async fn next_notice(feed: &mut Option<OutboxFeed>) -> String {
    loop {
        let Some(receiver) = feed else {
            return std::future::pending().await;
        };
        match receiver.recv().await {
            Ok(delivery) => return line(&delivery),
            Err(RecvError::Lagged(missed)) => return strings::outbox_missed(missed),
            Err(RecvError::Closed) => *feed = None,
        }
    }
}

/// The next line already waiting in the feed, if any.
pub(super) fn pending_notice(feed: &mut Option<OutboxFeed>) -> Option<String> {
    loop {
        let receiver = feed.as_mut()?;
        match receiver.try_recv() {
            Ok(delivery) => return Some(line(&delivery)),
            Err(TryRecvError::Lagged(missed)) => return Some(strings::outbox_missed(missed)),
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Closed) => *feed = None,
        }
    }
}

/// "[outbox] SMS to +15555550101: Your verification code is 123456."
fn line(delivery: &Delivery) -> String {
    strings::outbox_line(
        strings::outbox_medium(delivery.medium),
        &delivery.destination,
        &delivery.text,
    )
}
