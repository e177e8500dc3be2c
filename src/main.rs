//! The `cognito-signin` binary: parse flags, pick a front end, run the auth task.

mod commands;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use cognito_signin::auth::cache::{CachedTokens, TokenCache};
use cognito_signin::auth::{self, FlowSettings, Outcome, SessionInfo};
use cognito_signin::cli::{Cli, Commands, ConsoleArgs, DemoArgs, OutputFormat, ServeArgs};
use cognito_signin::cognito::signing::{AwsCredentials, Signer};
use cognito_signin::cognito::{Client, Endpoint};
use cognito_signin::config::{SignInSettings, console_flow_settings};
use cognito_signin::local_pool::{self, RunningPool};
use cognito_signin::outbox::OutboxFeed;
use cognito_signin::sensitive::SensitiveString;
use cognito_signin::{plain, tui};

/// Exit status when the person quits before signing in (as after Ctrl-C in a shell).
const EXIT_QUIT: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("could not start the async runtime: {error}")),
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Commands::Serve(args)) => serve(args).await,
        Some(Commands::Demo(args)) => demo(args).await,
        Some(Commands::Tokens(args)) => finish(commands::tokens::run(args).await),
        Some(Commands::Whoami(args)) => finish(commands::whoami::run(args).await),
        Some(Commands::SignOut(args)) => finish(commands::sign_out::run(args).await),
        Some(Commands::Devices(args)) => finish(commands::devices::run(args).await),
        None => match SignInSettings::resolve(&cli.sign_in, |name| std::env::var(name).ok()) {
            Ok(mut settings) => {
                settings.flow.devices = device_settings(
                    &cli.sign_in.console,
                    auth::devices::DeviceStore::from_environment(),
                );
                let info = SessionInfo {
                    title: format!(
                        "{} · client {}",
                        settings.flow.user_pool_id, settings.flow.client_id
                    ),
                    endpoint: settings.endpoint.url.clone(),
                    ..Default::default()
                };
                let cache = (!cli.sign_in.no_cache).then(TokenCache::from_environment);
                let signer = if cli.sign_in.console.admin {
                    let region = cli
                        .sign_in
                        .pool
                        .region
                        .clone()
                        .or_else(|| {
                            cognito_signin::cognito::region_from_pool_id(
                                &settings.flow.user_pool_id,
                            )
                            .map(str::to_owned)
                        })
                        .unwrap_or_default();
                    let profile = cli.sign_in.console.profile.as_deref();
                    match cognito_signin::cognito::credentials::load(profile, &region).await {
                        Ok(credentials) => Some(Signer::new(credentials, region)),
                        Err(sentence) => return fail(&sentence),
                    }
                } else {
                    None
                };
                sign_in(
                    settings.flow,
                    settings.endpoint,
                    info,
                    &cli.sign_in.console,
                    SignInExtras {
                        outbox: None,
                        cache,
                        signer,
                    },
                )
                .await
            }
            Err(error) => fail(&error.to_string()),
        },
    }
}

/// Where remembered devices are kept, and this machine's name for ConfirmDevice. Without
/// a data directory the sign-in goes on without devices, and says so.
fn device_settings(
    console: &ConsoleArgs,
    store: Result<auth::devices::DeviceStore, auth::devices::DeviceStoreError>,
) -> Option<auth::devices::DeviceSettings> {
    let store = match store {
        Ok(store) => store,
        Err(error) => {
            eprintln!("note: this device will not be remembered: {error}");
            return None;
        }
    };
    let device_name = console
        .device_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map_or_else(auth::devices::host_name, str::to_owned);
    Some(auth::devices::DeviceSettings { store, device_name })
}

/// What differs between signing in to a real pool and to the demo.
struct SignInExtras {
    /// The demo pool's outbox, shown by the front end; `None` for real pools.
    outbox: Option<OutboxFeed>,
    /// Where to keep the tokens; `None` with `--no-cache` and for the demo (whose pool
    /// dies with the process).
    cache: Option<Result<TokenCache, auth::cache::CacheError>>,
    /// Signs the Admin* calls of `--admin`.
    signer: Option<Signer>,
}

/// Runs the auth task and a front end until sign-in or quit; caches the tokens and
/// prints them if asked.
async fn sign_in(
    flow: FlowSettings,
    endpoint: Endpoint,
    info: SessionInfo,
    console: &ConsoleArgs,
    extras: SignInExtras,
) -> ExitCode {
    let SignInExtras {
        outbox,
        cache,
        signer,
    } = extras;
    let endpoint_url = endpoint.url.clone();
    let (pool_id, client_id) = (flow.user_pool_id.clone(), flow.client_id.clone());
    let client = match (Client::new(endpoint), signer) {
        (Ok(client), Some(signer)) => client.with_signer(signer),
        (Ok(client), None) => client,
        (Err(error), _) => return fail(&error.to_string()),
    };
    let username = console.username.clone().unwrap_or_default();
    let (channels, task) = auth::spawn(flow, client, username);
    let use_plain =
        console.plain || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal();
    let outcome = if use_plain {
        plain::run(channels, info, outbox).await
    } else {
        tui::run(channels, info, outbox).await
    };
    task.abort();
    match outcome {
        Ok(Outcome::SignedIn(tokens)) => {
            if let Some(cache) = cache {
                let typed = console.username.as_deref().unwrap_or_default();
                let entry =
                    CachedTokens::from_sign_in(&pool_id, &client_id, &endpoint_url, typed, &tokens);
                keep_tokens(cache, &entry);
            }
            match console.output {
                Some(OutputFormat::Json) => finish(commands::print_json(&tokens.result)),
                None => ExitCode::SUCCESS,
            }
        }
        Ok(Outcome::Quit) => ExitCode::from(EXIT_QUIT),
        Ok(Outcome::Failed(problem)) => fail(&problem.sentence),
        Err(error) => fail(&format!("the terminal failed: {error}")),
    }
}

/// Writes the tokens to the cache; a failure is said on stderr but does not undo the
/// sign-in (the tokens are still printed when asked for).
fn keep_tokens(cache: Result<TokenCache, auth::cache::CacheError>, entry: &CachedTokens) {
    match cache.and_then(|cache| cache.save(entry)) {
        Ok(path) => eprintln!("cognito-signin: tokens cached in {}", path.display()),
        Err(error) => {
            eprintln!("cognito-signin: signed in, but the tokens were not cached: {error}")
        }
    }
}

/// The exit status of a command that gives `Err(sentence)` on failure.
fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(sentence) => fail(&sentence),
    }
}

/// `demo`: a local pool from assets/demo-pool.toml, and the console signed in to it.
async fn demo(args: DemoArgs) -> ExitCode {
    let pool = match local_pool::start(Some(local_pool::demo_pool_file()), 0).await {
        Ok(pool) => pool,
        Err(error) => return fail(&format!("could not start the demo pool: {error}")),
    };
    let code = match demo_settings(&pool, &args) {
        Ok((flow, info)) => {
            let endpoint = Endpoint {
                url: format!("{}/", pool.url()),
            };
            sign_in(
                flow,
                endpoint,
                info,
                &args.console,
                SignInExtras {
                    outbox: Some(pool.subscribe_outbox()),
                    cache: None,
                    signer: args.console.admin.then(|| demo_signer(&pool)),
                },
            )
            .await
        }
        Err(sentence) => fail(&sentence),
    };
    pool.shutdown().await;
    code
}

/// Closes the demo pool's Admin* calls to all but the demo key, and signs with it.
fn demo_signer(pool: &RunningPool) -> Signer {
    pool.allow_access_key(local_pool::demo::ACCESS_KEY_ID, local_pool::demo::SECRET_ACCESS_KEY);
    let credentials = AwsCredentials {
        access_key_id: local_pool::demo::ACCESS_KEY_ID.to_owned(),
        secret_access_key: SensitiveString::from(local_pool::demo::SECRET_ACCESS_KEY),
        session_token: None,
    };
    Signer::new(credentials, "us-east-1")
}

/// The chosen demo pool (`--user-pool-id`, else the default one) and client, and the
/// user table to show; or the sentence saying what to pass instead.
fn demo_settings(
    pool: &RunningPool,
    args: &DemoArgs,
) -> Result<(FlowSettings, SessionInfo), String> {
    let pools = pool.preloaded();
    let demo = match args.user_pool_id.as_deref().map(str::trim) {
        Some(wanted) => pools
            .iter()
            .find(|demo| demo.pool_id == wanted)
            .ok_or_else(|| {
                let ids: Vec<&str> = pools.iter().map(|demo| demo.pool_id.as_str()).collect();
                format!(
                    "the demo has no pool '{wanted}'; --user-pool-id takes one of: {}",
                    ids.join(", ")
                )
            })?,
        None => pools
            .iter()
            .find(|demo| demo.pool_id == local_pool::demo::POOL_ID)
            .or_else(|| pools.first())
            .ok_or("the demo pool file has no pool")?,
    };
    let client = demo
        .clients
        .iter()
        .find(|client| client.client_secret.is_some() == args.with_secret)
        .ok_or_else(|| {
            let kind = if args.with_secret { "with" } else { "without" };
            format!(
                "the demo pool {} has no app client {kind} a secret",
                demo.pool_id
            )
        })?;
    let console = console_flow_settings(&args.console).map_err(|error| error.to_string())?;
    let others: Vec<&local_pool::PreloadedPool> = pools
        .iter()
        .filter(|other| other.pool_id != demo.pool_id)
        .collect();
    let (notes, short_notes) = local_pool::demo::user_notes(demo, &others);
    let flow = FlowSettings {
        user_pool_id: demo.pool_id.clone(),
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.as_deref().map(SensitiveString::from),
        // The demo pool dies with the process, and its devices with it.
        devices: device_settings(&args.console, Ok(auth::devices::DeviceStore::in_memory())),
        ..console
    };
    let info = SessionInfo {
        title: format!("demo pool {} · client {}", demo.pool_id, client.client_name),
        endpoint: pool.url().to_owned(),
        notes,
        short_notes,
    };
    Ok((flow, info))
}

/// `serve`: a local pool until Ctrl-C or SIGTERM.
async fn serve(args: ServeArgs) -> ExitCode {
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

/// Prints the sentence on stderr and gives the failure exit status.
fn fail(sentence: &str) -> ExitCode {
    eprintln!("cognito-signin: {sentence}");
    ExitCode::FAILURE
}
