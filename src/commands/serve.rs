//! `serve`: a local pool on 127.0.0.1 for any Cognito client, until Ctrl-C or SIGTERM.
//! On the first, it stops accepting at once and lets requests in flight finish for at
//! most [`local_pool::SHUTDOWN_GRACE`]; a second exits at once. Either way it exits 0.
//! Every SMS and e-mail the pool "sends" is printed on its console as a line, as it is
//! sent: the pool delivers nothing anywhere else, so a person signing in from another
//! console reads their code here (test suites read them over HTTP, see
//! `local_pool::messages`).

use std::io::Write;
use std::process::ExitCode;

use tokio::sync::broadcast::error::RecvError;

use crate::cli::ServeArgs;
use crate::local_pool;
use crate::outbox::{Delivery, OutboxFeed};

use super::fail;

/// `serve`: a local pool until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> ExitCode {
    // Listened for before the pool announces itself, so no signal after it is missed.
    let mut signals = StopSignals::listen();
    let seed = match args
        .pool
        .as_deref()
        .map(local_pool::load_pool_file)
        .transpose()
    {
        Ok(seed) => seed,
        Err(error) => return fail(&error.to_string()),
    };
    let pool = match local_pool::start_kept(seed, args.port, args.data.as_deref()).await {
        Ok(pool) => pool,
        Err(local_pool::StartError::Data(error)) => return fail(&error.to_string()),
        Err(local_pool::StartError::Io(error)) => {
            return fail(&format!(
                "could not listen on 127.0.0.1:{}: {error} (choose another --port, or 0 for any free one)",
                args.port
            ));
        }
    };
    // Subscribed before anything can sign in, so no message goes unprinted.
    let outbox = pool.subscribe_outbox();
    for key in &args.access_key {
        pool.allow_access_key(&key.id, key.secret.expose());
    }
    eprintln!("cognito-signin local pool listening on {}", pool.url());
    if !pool.has_access_keys() {
        eprintln!("  Admin* calls are open: no access key is configured (--access-key ID:SECRET)");
    } else {
        eprintln!("  Admin* calls must be signed (SigV4) by a configured access key");
    }
    eprintln!("  use it with: --endpoint-url {}", pool.url());
    match &args.data {
        Some(dir) => eprintln!(
            "  pools are kept in {} (they survive a restart)",
            dir.join(local_pool::DATA_FILE_NAME).display()
        ),
        None => {
            eprintln!("  pools are kept in memory only (--data DIR keeps them across restarts)")
        }
    }
    for preloaded in pool.preloaded() {
        eprintln!("  pool {} ({})", preloaded.pool_id, preloaded.pool_name);
        for client in &preloaded.clients {
            let secret = if client.client_secret.is_some() {
                " (has a secret)"
            } else {
                ""
            };
            eprintln!(
                "    client {} {}{secret}",
                client.client_id, client.client_name
            );
        }
    }
    eprintln!(
        "  messages it sends (SMS, e-mail) are printed below, and listed at {}{}",
        pool.url(),
        local_pool::MESSAGES_PATH
    );
    eprintln!("Press Ctrl-C to stop.");
    print_messages_until(outbox, signals.next(), &mut std::io::stderr()).await;
    eprintln!(
        "Stopping: requests in flight have {} seconds to finish; press Ctrl-C again to stop at once.",
        local_pool::SHUTDOWN_GRACE.as_secs()
    );
    tokio::select! {
        () = pool.shutdown() => {}
        () = signals.next() => eprintln!("Stopped at once."),
    }
    ExitCode::SUCCESS
}

/// Writes each message from `outbox` to `out` as it comes, until `stop` resolves
/// (messages already sent are written first). A feed that fell behind says how many
/// messages it missed; a closed one writes nothing more, and the wait for `stop` goes on.
async fn print_messages_until(
    outbox: OutboxFeed,
    stop: impl Future<Output = ()>,
    out: &mut impl Write,
) {
    let mut outbox = Some(outbox);
    tokio::pin!(stop);
    loop {
        let line = tokio::select! {
            biased;
            received = next_message(&mut outbox) => match received {
                Ok(delivery) => message_line(&delivery),
                Err(RecvError::Lagged(missed)) => missed_line(missed),
                Err(RecvError::Closed) => {
                    outbox = None;
                    continue;
                }
            },
            () = &mut stop => return,
        };
        // A console that went away does not stop the pool.
        let _ = writeln!(out, "{line}");
    }
}

/// The feed's next message; never resolves once the feed is gone.
async fn next_message(outbox: &mut Option<OutboxFeed>) -> Result<Delivery, RecvError> {
    match outbox {
        Some(outbox) => outbox.recv().await,
        None => std::future::pending().await,
    }
}

/// One message as the console shows it: when (UTC), how, to whom, from which pool,
/// and its text, code included (a local pool's codes are no secret from its console):
/// `2026-11-22T03:00:00.000Z SMS to +15555550101 (sam, pool us-east-1_DemoPool1): Your
/// verification code is 123456.`
fn message_line(delivery: &Delivery) -> String {
    format!(
        "{} {} to {} ({}, pool {}): {}",
        delivery.sent_rfc3339(),
        delivery.medium.api_name(),
        delivery.destination,
        delivery.username,
        delivery.pool_id,
        delivery.text
    )
}

/// What the console says when it fell behind the pool and lost some messages.
fn missed_line(missed: u64) -> String {
    format!(
        "{missed} message(s) were sent too fast to print here; GET {} lists every message",
        local_pool::MESSAGES_PATH
    )
}

/// Ctrl-C (SIGINT) and SIGTERM, listened for from `serve`'s start to its end, so a
/// second signal is never missed while the first is handled.
struct StopSignals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    /// Starts listening. Where the signals cannot be listened for one by one, Ctrl-C
    /// alone stops `serve`.
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let unix = signal(SignalKind::interrupt())
                .and_then(|interrupt| Ok((interrupt, signal(SignalKind::terminate())?)))
                .ok();
            Self { unix }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// Resolves on the next Ctrl-C or SIGTERM.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some((interrupt, terminate)) = &mut self.unix {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use tokio::sync::broadcast;

    use super::*;
    use crate::test_support::{delivery, within};

    #[test]
    fn a_message_line_names_when_how_where_whom_the_pool_and_the_text() {
        assert_eq!(
            message_line(&delivery(1)),
            "2026-11-22T03:00:00.000Z SMS to +15555550101 (bob, pool us-east-1_Demo0001): Your code is 000001"
        );
        assert!(message_line(&delivery(2)).contains(" EMAIL to bob@example.com "));
    }

    #[tokio::test]
    async fn messages_are_printed_until_the_signal_past_a_lagging_then_closed_feed() {
        let (sender, feed) = broadcast::channel(1);
        for n in [1, 3, 5] {
            sender.send(delivery(n)).unwrap();
        }
        drop(sender);
        let mut printed = Vec::new();
        // The signal has already come: what was sent before it is printed all the same.
        within(
            "printing to stop",
            print_messages_until(feed, std::future::ready(()), &mut printed),
        )
        .await;
        let printed = String::from_utf8(printed).unwrap();
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(lines.len(), 2, "{printed}");
        assert!(lines[0].starts_with("2 message(s)"), "{printed}");
        assert!(lines[1].ends_with("Your code is 000005"), "{printed}");
    }

    #[tokio::test]
    async fn a_closed_feed_still_waits_for_the_signal() {
        let (sender, feed) = broadcast::channel(4);
        drop(sender);
        let mut printed = Vec::new();
        {
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let printing = print_messages_until(
                feed,
                async {
                    let _ = stopped.await;
                },
                &mut printed,
            );
            tokio::pin!(printing);
            // Polled until nothing is left but the wait: it has not finished.
            assert!(futures::poll!(printing.as_mut()).is_pending());
            stop.send(()).unwrap();
            within("printing to stop", printing).await;
        }
        assert!(printed.is_empty());
    }

    #[test]
    fn a_missed_line_says_how_many_and_where_to_read_them() {
        let line = missed_line(3);
        assert!(line.starts_with("3 message(s)"), "{line}");
        assert!(line.contains("/_aws/cognito-idp/messages"), "{line}");
    }
}
