//! The signals that would kill the process while the terminal is changed (raw mode,
//! echo off), turned into a quiet end of what is running so the terminal is restored
//! first. Note: tokio keeps a handler installed for the rest of the process once it
//! listens, so whoever listens must keep listening while it runs.

use std::io;

/// SIGTERM and SIGHUP, and SIGINT where Ctrl-C is a signal (line prompts; the full
/// screen reads Ctrl-C as a key).
#[derive(Debug)]
pub struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Listens for SIGTERM and SIGHUP.
    pub fn listen() -> io::Result<Self> {
        Self::start(false)
    }

    /// Listens for SIGINT (Ctrl-C) besides SIGTERM and SIGHUP.
    pub fn listen_with_interrupt() -> io::Result<Self> {
        Self::start(true)
    }

    fn start(with_interrupt: bool) -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
                interrupt: if with_interrupt {
                    Some(signal(SignalKind::interrupt())?)
                } else {
                    None
                },
            })
        }
        #[cfg(not(unix))]
        {
            let _ = with_interrupt;
            Ok(Self {})
        }
    }

    /// Resolves when one of the signals arrives.
    pub async fn received(&mut self) {
        #[cfg(unix)]
        {
            let interrupt = async {
                match &mut self.interrupt {
                    Some(interrupt) => interrupt.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = self.terminate.recv() => {}
                _ = self.hangup.recv() => {}
                _ = interrupt => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = self;
            std::future::pending::<()>().await;
        }
    }
}
