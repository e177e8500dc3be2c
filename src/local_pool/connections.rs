//! Connections: the pool accepts and serves each one itself (hyper's HTTP/1.1, as
//! `axum::serve` does), so every connection is bounded in time and size whatever the
//! client does, and shutdown ends in [`SHUTDOWN_GRACE`] at most.
//!
//! - A request's headers must arrive within [`HEADER_READ_TIMEOUT`]; an idle keep-alive
//!   connection is closed after [`KEEP_ALIVE_IDLE_TIMEOUT`] (hyper runs one timer for
//!   both, from when the connection is ready for a request).
//! - Its body must arrive within [`BODY_READ_TIMEOUT`] of the headers (`server` reads
//!   it, and answers a late one with a JSON 408).
//! - At most [`MAX_CONNECTIONS`] connections are served at once; past that, new ones
//!   wait in the kernel's listen queue until one closes, which the timeouts bound.
//! - hyper reads at most [`READ_BUFFER_BYTES`] of a request head (beyond it, hyper's own
//!   empty 431); `server` answers heads over [`MAX_HEADER_BYTES`] and bodies over
//!   [`MAX_BODY_BYTES`] with Cognito-shaped errors.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;

/// How long a client has to send a request's headers, counted from when the
/// connection is ready for a request (accepted, or its previous answer sent). A few
/// seconds: an AWS SDK sends its headers in one write, so only a stalled or hostile
/// client (slowloris) takes longer.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a keep-alive connection may sit idle between requests. hyper counts the
/// idle time and the next request's headers on one timer, so this is
/// [`HEADER_READ_TIMEOUT`]; 5 s is also Node.js's default keep-alive timeout, which
/// HTTP clients' connection pools are used to.
pub const KEEP_ALIVE_IDLE_TIMEOUT: Duration = HEADER_READ_TIMEOUT;

/// How long a client has to send a request's whole body once its headers are in. A
/// Cognito request is a few kilobytes; this leaves room for [`MAX_BODY_BYTES`] over a
/// slow link, and none for a body that never comes.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long requests in flight may take to finish once shutdown begins; connections
/// still open then are closed.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The largest request body the pool reads: 2 MiB. Cognito documents no request size
/// limit, and its largest request members (a few hundred kilobytes at most) fit well
/// within it; it is also axum's default.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The largest request head (request line and header fields) the pool answers: 16 KiB,
/// many times what an AWS SDK sends (a SigV4-signed call's head is under 2 KiB).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The most of a request head hyper buffers before it refuses it itself (an empty 431):
/// the hard bound on a connection's read buffer. Above [`MAX_HEADER_BYTES`], so heads
/// between the two get the pool's JSON 431.
pub const READ_BUFFER_BYTES: usize = 64 * 1024;

/// The most connections served at once: well below the usual open-file limit of 1024,
/// and far above what a test suite opens.
pub const MAX_CONNECTIONS: usize = 512;

/// How long to wait before accepting again after the listener failed (out of file
/// descriptors, say), so the loop never spins.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

// hyper refuses a read buffer under 8 KiB.
const _: () = assert!(READ_BUFFER_BYTES >= 8 * 1024 && READ_BUFFER_BYTES > MAX_HEADER_BYTES);

/// Serves `app` on `listener` until `stop`; then stops accepting at once, lets the
/// connections open finish their requests for at most [`SHUTDOWN_GRACE`], and closes
/// the rest.
pub async fn serve(listener: TcpListener, app: Router, stop: oneshot::Receiver<()>) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            biased;
            _ = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = accept(&listener, &permits) => {
                if let Some((stream, permit)) = accepted {
                    connections.spawn(connection(stream, app.clone(), permit, closing_seen.clone()));
                }
            }
        }
    }
    drop(listener);
    let _ = closing.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
}

/// The next connection, once fewer than [`MAX_CONNECTIONS`] are open; `None` after a
/// failed accept (which waits [`ACCEPT_RETRY`] first).
async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> Option<(TcpStream, OwnedSemaphorePermit)> {
    let permit = Arc::clone(permits).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _)) => Some((stream, permit)),
        Err(_) => {
            tokio::time::sleep(ACCEPT_RETRY).await;
            None
        }
    }
}

/// Serves one connection until the client is done or the pool closes; holds its
/// `permit` until then.
async fn connection(
    stream: TcpStream,
    app: Router,
    permit: OwnedSemaphorePermit,
    mut closing: watch::Receiver<bool>,
) {
    let builder = http1_builder();
    let served = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(served);
    tokio::select! {
        _ = served.as_mut() => {}
        // It only ever changes to true; a sender gone means closing too.
        _ = closing.changed() => {
            // The answer in progress is finished; no further request is read.
            served.as_mut().graceful_shutdown();
            let _ = served.await;
        }
    }
    drop(permit);
}

/// hyper's HTTP/1.1 with the pool's header timeout and read buffer.
fn http1_builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(READ_BUFFER_BYTES);
    builder
}
