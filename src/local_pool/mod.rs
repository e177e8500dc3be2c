//! The local user pool: a Cognito-compatible server on 127.0.0.1 for `demo` and `serve`.
//! CONTRACT — the local-pool helper writes it.

use std::path::Path;

/// The contents of a pool file (`assets/demo-pool.toml`, `serve --pool FILE`).
#[derive(Debug, Clone, Default)]
pub struct PoolFile {}

/// A pool file that could not be read; Display names the file, the line and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PoolFileError(pub String);

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
#[derive(Debug)]
pub struct RunningPool {}

impl RunningPool {
    /// `http://127.0.0.1:<port>`, with no trailing slash.
    pub fn url(&self) -> &str {
        todo!()
    }

    /// The pools the seed file created.
    pub fn preloaded(&self) -> &[PreloadedPool] {
        todo!()
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(self) {}
}

/// Starts a pool on 127.0.0.1:`port` (0 = a free port the OS picks), seeded from `seed`.
pub async fn start(_seed: Option<PoolFile>, _port: u16) -> std::io::Result<RunningPool> {
    todo!()
}

/// Reads and checks a pool file.
pub fn load_pool_file(_path: &Path) -> Result<PoolFile, PoolFileError> {
    todo!()
}

/// The demo pool, from `assets/demo-pool.toml` compiled into the binary.
pub fn demo_pool_file() -> PoolFile {
    todo!()
}
