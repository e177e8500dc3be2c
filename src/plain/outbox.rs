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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The demo's outbox in a whole run: messages printed before the prompt for their
    //! code and while waiting on the auth task; a lagging or closed feed stops nothing.

    use tokio::sync::broadcast;

    use crate::auth::{Answer, CodeMedium, Command, Outcome};
    use crate::test_support::plain::{drive_with_outbox, signed_in};
    use crate::test_support::{code_prompt, delivery, sms_code};

    #[tokio::test]
    async fn outbox_messages_are_printed_before_the_code_prompt() {
        let (outbox, feed) = broadcast::channel(8);
        let (outcome, printed) = drive_with_outbox("123456\n", Some(feed), |mut auth| async move {
            // The pool sends the message before the step asking for its code arrives.
            outbox.send(delivery(1)).unwrap();
            auth.step(sms_code(false)).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("123456".into())))
            );
            outbox.send(delivery(2)).unwrap();
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains(
                "[outbox] SMS to +15555550101: Your code is 000001\nA code was sent by text message to +*******0101.\nCode: "
            ),
            "{printed}"
        );
        assert!(
            printed.contains("[outbox] E-mail to bob@example.com: Your code is 000002\n"),
            "a message sent while waiting on the auth task is printed: {printed}"
        );
    }

    #[tokio::test]
    async fn a_lagging_or_closed_outbox_does_not_stop_the_sign_in() {
        let (outbox, feed) = broadcast::channel(1);
        let (outcome, printed) = drive_with_outbox("000000\n", Some(feed), |mut auth| async move {
            for n in [1, 3, 5] {
                outbox.send(delivery(n)).unwrap();
            }
            drop(outbox);
            auth.step(code_prompt(CodeMedium::Sms, None, false)).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("000000".into())))
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains(
                "[outbox] 2 message(s) were missed.\n[outbox] SMS to +15555550101: Your code is 000005\nA code was sent by text message.\n"
            ),
            "{printed}"
        );
    }
}
