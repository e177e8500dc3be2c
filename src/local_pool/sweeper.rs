//! Expiry off the request path: a task started with the pool sweeps every map of the
//! state every [`SWEEP_INTERVAL`], in steps of at most [`SWEEP_STEP`] entries, taking
//! the lock for each step alone so requests slip in between; the last step gives the
//! capped tables' spare room back (see `State::sweep_step`). Requests never wait for
//! a sweep: lookups check expiry themselves.
//!
//! The task stops with the pool ([`Sweeper::stop`], or dropping the [`Sweeper`]).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::state::{Shared, SweepCursor};

/// How often the state is swept.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(5);

/// The most entries one step looks at (or forgets), under one hold of the lock: a few
/// tens of microseconds.
pub const SWEEP_STEP: usize = 1024;

/// Sweeps the whole state now, step by step (the load driver and tests call it
/// directly, after moving the pool's clock).
pub fn sweep_all(shared: &Shared) {
    let mut cursor = SweepCursor::default();
    loop {
        let now = shared.clock.now();
        if shared.lock().sweep_step(now, &mut cursor, SWEEP_STEP) {
            break;
        }
    }
}

/// The running sweeper task.
pub struct Sweeper {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sweeper {
    /// Starts sweeping `shared` every [`SWEEP_INTERVAL`] on the current runtime.
    pub fn start(shared: Arc<Shared>) -> Self {
        let (stop, mut stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(SWEEP_INTERVAL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = &mut stopped => return,
                    _ = ticks.tick() => {}
                }
                let mut cursor = SweepCursor::default();
                loop {
                    let now = shared.clock.now();
                    if shared.lock().sweep_step(now, &mut cursor, SWEEP_STEP) {
                        break;
                    }
                    // Let the requests waiting for the lock go first.
                    tokio::task::yield_now().await;
                }
            }
        });
        Self {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the task and waits for it to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sweeper {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
