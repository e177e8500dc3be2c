//! `serve`: a local pool on 127.0.0.1 for any Cognito client, until Ctrl-C or SIGTERM.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::local_pool;

use super::fail;

/// `serve`: a local pool until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> ExitCode {
    let seed = match args
        .pool
        .as_deref()
        .map(local_pool::load_pool_file)
        .transpose()
    {
        Ok(seed) => seed,
        Err(error) => return fail(&error.to_string()),
    };
    let pool = match local_pool::start(seed, args.port).await {
        Ok(pool) => pool,
        Err(error) => {
            return fail(&format!(
                "could not listen on 127.0.0.1:{}: {error} (choose another --port, or 0 for any free one)",
                args.port
            ));
        }
    };
    for (id, secret) in &args.access_key {
        pool.allow_access_key(id, secret);
    }
    eprintln!("cognito-signin local pool listening on {}", pool.url());
    if !pool.has_access_keys() {
        eprintln!("  Admin* calls are open: no access key is configured (--access-key ID:SECRET)");
    } else {
        eprintln!("  Admin* calls must be signed (SigV4) by a configured access key");
    }
    eprintln!("  use it with: --endpoint-url {}", pool.url());
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
    eprintln!("Press Ctrl-C to stop.");
    wait_for_stop_signal().await;
    pool.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C or SIGTERM.
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
