//! The local user pool: a Cognito-compatible server on 127.0.0.1 for `demo` and `serve`.
//!
//! It speaks the same JSON 1.1 protocol as Cognito (`POST /` with
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), verifies SRP for
//! real, signs RS256 JWTs and publishes their keys at `/{poolId}/.well-known/jwks.json`.
//!
//! Modules: `server` (HTTP and routing), `ops` (one module per group of operations),
//! `state` (pools, users, sessions), `tokens` (JWTs and JWKS), `pool_file` (TOML seed
//! files), `seed` (file → state), `error` (Cognito's error shape), `clock`, `ids`,
//! `mfa` (which second factor follows), `codes` (SMS/e-mail codes and the outbox),
//! `custom_auth` (CUSTOM_AUTH's scripted rounds), `sign_in_names` (what users sign in
//! with: username, e-mail, phone, aliases), `demo` (the demo pools and their names),
//! `secret_block` (the sealed SECRET_BLOCK), `lockout` (failed sign-in attempts),
//! `rotation` (refresh token rotation per app client), `messages` (the pool's own
//! read-only list of the messages it sent, at [`MESSAGES_PATH`]), `connections`
//! (accepting and serving connections, each bounded in time and size, and shutdown),
//! `refresh_token` (refresh tokens that carry their own sealed grant), `chain_stamp`
//! (when a chain of tokens started, inside its `origin_jti`), `capped` (the capped
//! session and proof tables and their eviction order), `sweeper` (expiry off the
//! request path), `webauthn` (passkeys: the pool's settings, the kept credentials, and
//! WebAuthn's registration and assertion checks).

mod capped;
mod chain_stamp;
mod client_settings;
mod clock;
mod codes;
mod connections;
mod cpu;
mod custom_auth;
pub mod demo;
mod devices;
mod error;
mod ids;
mod lockout;
mod messages;
mod mfa;
mod ops;
mod phantom;
mod pool_file;
mod refresh_token;
mod rotation;
mod secret_block;
mod seed;
mod server;
mod sign_in_names;
mod sigv4;
mod state;
mod store;
mod sweeper;
mod tokens;
mod webauthn;

use std::net::Ipv4Addr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use connections::{
    BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, KEEP_ALIVE_IDLE_TIMEOUT, MAX_BODY_BYTES,
    MAX_CONNECTIONS, MAX_HEADER_BYTES, READ_BUFFER_BYTES, SHUTDOWN_GRACE,
};
pub use messages::PATH as MESSAGES_PATH;
pub use pool_file::{PoolFile, PoolFileError, load_pool_file, parse_pool_file};
pub use state::MAX_PENDING_SESSIONS;
pub use store::{FILE_NAME as DATA_FILE_NAME, StoreError};

/// A pool preloaded from a pool file, as `serve` prints it and `demo` uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadedPool {
    pub pool_id: String,
    pub pool_name: String,
    pub clients: Vec<PreloadedClient>,
    /// (username, password, what the user is for) of users whose password the file gives.
    pub users: Vec<(String, String, String)>,
}

/// An app client preloaded from a pool file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadedClient {
    pub client_id: String,
    pub client_name: String,
    pub client_secret: Option<String>,
}

/// A running local pool. Dropping it stops the server.
pub struct RunningPool {
    url: String,
    preloaded: Vec<PreloadedPool>,
    shared: Arc<state::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    sweeper: Option<sweeper::Sweeper>,
}

impl std::fmt::Debug for RunningPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningPool")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningPool {
    /// `http://127.0.0.1:<port>`, with no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The pools the seed file created.
    pub fn preloaded(&self) -> &[PreloadedPool] {
        &self.preloaded
    }

    /// Lets the holder of this access key call the signed operations (Admin*, and
    /// creating or describing pools); once any key is allowed, unsigned or wrongly
    /// signed calls to them are refused.
    pub fn allow_access_key(&self, access_key_id: &str, secret: &str) {
        self.shared.allow_access_key(
            access_key_id.to_owned(),
            crate::sensitive::SensitiveString::from(secret),
        );
    }

    /// Whether any access key is allowed (signed operations are then closed to others).
    pub fn has_access_keys(&self) -> bool {
        !self.shared.access_keys().is_empty()
    }

    /// For tests: moves the pool's clock forward, so session expiry, token lifetimes
    /// and TIMESTAMP checks are exercised without sleeping.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// For tests and the load driver: sweeps expired sessions, proofs, codes and
    /// revocations now (as the sweeper does every few seconds), and gives memory back.
    pub fn sweep_now(&self) {
        sweeper::sweep_all(&self.shared);
    }

    /// For tests and the load driver: sets the most sessions (and SRP proofs) the pool
    /// keeps, [`MAX_PENDING_SESSIONS`] by default.
    pub fn set_session_cap(&self, cap: usize) {
        self.shared.lock().set_session_cap(cap);
    }

    /// How many sessions the pool keeps now, used ones included.
    pub fn kept_sessions(&self) -> usize {
        self.shared.lock().session_count()
    }

    /// Every SMS and e-mail the pool has "sent" so far, oldest first (codes included:
    /// the demo shows them and tests read them).
    pub fn outbox(&self) -> Vec<crate::outbox::Delivery> {
        self.shared.outbox.all()
    }

    /// A feed of the messages the pool "sends" from now on, for the demo's outbox panel.
    pub fn subscribe_outbox(&self) -> crate::outbox::OutboxFeed {
        self.shared.outbox.subscribe()
    }

    /// Stops the server and waits for it to finish: it stops accepting at once, and
    /// closes connections still open after [`SHUTDOWN_GRACE`].
    pub async fn shutdown(mut self) {
        if let Some(sweeper) = self.sweeper.take() {
            sweeper.stop().await;
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningPool {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Why a pool did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory (`serve --data`) could not be used.
    #[error(transparent)]
    Data(#[from] StoreError),
    /// The port could not be listened on, or the keys could not be made.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Starts a pool on 127.0.0.1:`port` (0 = a free port the OS picks), seeded from `seed`,
/// with everything in memory.
pub async fn start(seed: Option<PoolFile>, port: u16) -> std::io::Result<RunningPool> {
    start_kept(seed, port, None)
        .await
        .map_err(|error| match error {
            StartError::Io(error) => error,
            StartError::Data(error) => std::io::Error::other(error),
        })
}

/// Starts a pool as [`start`] does, keeping its state in the data directory `data` when
/// given (see `store`): what it kept is loaded first; pools of `seed` it does not have
/// yet are added to it (the pool file itself is only read); the signing keys are the
/// kept ones. Everything is on disk before the pool listens.
pub async fn start_kept(
    seed: Option<PoolFile>,
    port: u16,
    data: Option<&Path>,
) -> Result<RunningPool, StartError> {
    let opened = match data {
        Some(dir) => {
            let dir = dir.to_owned();
            Some(
                tokio::task::spawn_blocking(move || store::Store::open(&dir))
                    .await
                    .map_err(std::io::Error::other)??,
            )
        }
        None => None,
    };
    let (opened, kept_keys) = match opened {
        Some((store, mut kept)) => {
            let keys = kept.keys.take();
            (Some((store, kept)), keys)
        }
        None => (None, None),
    };
    let (signer, sealer, keys_are_new) = match kept_keys {
        Some((signer, sealer)) => (signer, sealer, false),
        None => {
            let signer = tokio::task::spawn_blocking(tokens::Signer::of_this_process)
                .await
                .map_err(std::io::Error::other)?
                .map_err(std::io::Error::other)?;
            (signer, secret_block::BlockSealer::new(), true)
        }
    };
    let seed = seed.unwrap_or_default();
    let access_keys = seed.access_keys.clone();
    let (mut state, preloaded) = tokio::task::spawn_blocking(move || seed::build(&seed))
        .await
        .map_err(std::io::Error::other)?;
    let store = match opened {
        Some((mut store, kept)) => {
            // The data directory wins over the pool file for the pools it has.
            for pool in kept.pools {
                state.pools.insert(pool.id.clone(), pool);
            }
            state.restore_revocations(
                kept.revoked_chains,
                kept.replaced_tokens,
                time::OffsetDateTime::now_utc(),
            );
            if keys_are_new {
                store.save_keys(&signer, &sealer)?;
            }
            Some(store)
        }
        None => None,
    };
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let shared = state::Shared::new(url.clone(), signer, sealer, state, store);
    // The pools seeded from the file just now are written before anyone can call.
    shared.save_changes()?;
    for (id, secret) in access_keys {
        shared.allow_access_key(id, secret);
    }
    let app = server::router(Arc::clone(&shared));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(connections::serve(listener, app, stopped));
    let sweeper = sweeper::Sweeper::start(Arc::clone(&shared));
    Ok(RunningPool {
        url,
        preloaded,
        shared,
        stop: Some(stop),
        task: Some(task),
        sweeper: Some(sweeper),
    })
}
