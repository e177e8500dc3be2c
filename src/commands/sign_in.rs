//! Signing in to a real pool (no subcommand): the flags become settings, the auth task
//! and a front end run until the person is signed in or quits, and the tokens are
//! cached and printed as asked. `demo` signs in through [`console`] too.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::auth::cache::{CacheError, CachedTokens, TokenCache};
use crate::auth::devices::{DeviceSettings, DeviceStore, DeviceStoreError};
use crate::auth::{self, FlowSettings, Outcome, SessionInfo};
use crate::cli::{ConsoleArgs, OutputFormat, SignInArgs};
use crate::cognito::signing::Signer;
use crate::cognito::{Client, Endpoint, credentials};
use crate::config::SignInSettings;
use crate::outbox::OutboxFeed;
use crate::{plain, trace, tui};

use super::{EXIT_QUIT, fail, finish, print_json, save_flags, usage_error};

/// Runs a sign-in to the pool the flags name.
pub async fn run(args: SignInArgs) -> ExitCode {
    let mut settings = match SignInSettings::resolve(&args, |name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(error) => return usage_error(&error.to_string()),
    };
    settings.flow.devices = device_settings(&args.console, DeviceStore::from_environment());
    let info = SessionInfo {
        title: format!(
            "{} · client {}",
            settings.flow.user_pool_id, settings.flow.client_id
        ),
        // Shown in the banner: never a password the URL carries.
        endpoint: settings.endpoint.shown(),
        ..Default::default()
    };
    let cache = (!args.no_cache).then(TokenCache::from_environment);
    let signer = if args.console.admin {
        let profile = args.console.profile.as_deref();
        match credentials::load(profile, &settings.region).await {
            Ok(credentials) => Some(Signer::new(credentials, settings.region.clone())),
            Err(sentence) => return fail(&sentence),
        }
    } else {
        None
    };
    let extras = ConsoleExtras {
        outbox: None,
        cache,
        signer,
        wire_open_when_wide: false,
        save_flags: save_flags::offer(&args),
    };
    run_console(
        settings.flow,
        settings.endpoint,
        info,
        &args.console,
        extras,
    )
    .await
}

/// Where remembered devices are kept, and this machine's name for ConfirmDevice. Without
/// a data directory the sign-in goes on without devices, and says so.
pub(super) fn device_settings(
    console: &ConsoleArgs,
    store: Result<DeviceStore, DeviceStoreError>,
) -> Option<DeviceSettings> {
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
    Some(DeviceSettings { store, device_name })
}

/// What differs between signing in to a real pool and to the demo.
pub(super) struct ConsoleExtras {
    /// The demo pool's outbox, shown by the front end; `None` for real pools.
    pub outbox: Option<OutboxFeed>,
    /// Where to keep the tokens; `None` with `--no-cache` and for the demo (whose pool
    /// dies with the process).
    pub cache: Option<Result<TokenCache, CacheError>>,
    /// Signs the Admin* calls of `--admin`.
    pub signer: Option<Signer>,
    /// Open the full-screen console's wire panel from the start on a wide terminal.
    pub wire_open_when_wide: bool,
    /// The signed-in screen's offer to save the flags as a saved pool.
    pub save_flags: Option<tui::SaveFlags>,
}

/// Runs the auth task and a front end until sign-in or quit; caches the tokens and
/// prints them if asked.
pub(super) async fn run_console(
    flow: FlowSettings,
    endpoint: Endpoint,
    info: SessionInfo,
    console: &ConsoleArgs,
    extras: ConsoleExtras,
) -> ExitCode {
    let ConsoleExtras {
        outbox,
        cache,
        signer,
        wire_open_when_wide,
        save_flags,
    } = extras;
    let endpoint_url = endpoint.url.clone();
    let (pool_id, client_id) = (flow.user_pool_id.clone(), flow.client_id.clone());
    let client = match (Client::new(endpoint), signer) {
        (Ok(client), Some(signer)) => client.with_signer(signer),
        (Ok(client), None) => client,
        // The endpoint URL (flag or variable) is not one: the command line must change.
        (Err(error), _) => return usage_error(&error.to_string()),
    };
    let username = console.username.clone().unwrap_or_default();
    // Listening before the auth task starts, so the panel sees its first call.
    let wire = trace::wire_feed::subscribe();
    let (channels, task) = auth::spawn(flow, client, username);
    let outcome = if uses_full_screen(console) {
        let feeds = tui::Feeds {
            outbox,
            wire,
            save_flags,
        };
        tui::run(channels, info, feeds, wire_open_when_wide).await
    } else {
        plain::run(channels, info, outbox).await
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
                Some(OutputFormat::Json) => finish(print_json(&tokens.result)),
                None => ExitCode::SUCCESS,
            }
        }
        Ok(Outcome::Quit) => ExitCode::from(EXIT_QUIT),
        Ok(Outcome::Failed(problem)) => fail(&problem.sentence),
        Err(error) => fail(&format!("the terminal failed: {error}")),
    }
}

/// Whether a sign-in (or the demo) runs the full-screen console: not with `--plain`, and
/// only with a terminal on stdin and stderr (else line prompts). The debug trace asks too:
/// it must not draw over that console.
pub fn uses_full_screen(console: &ConsoleArgs) -> bool {
    !console.plain && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Writes the tokens to the cache; a failure is said on stderr but does not undo the
/// sign-in (the tokens are still printed when asked for).
fn keep_tokens(cache: Result<TokenCache, CacheError>, entry: &CachedTokens) {
    match cache.and_then(|cache| cache.save(entry)) {
        Ok(path) => eprintln!("cognito-signin: tokens cached in {}", path.display()),
        Err(error) => {
            eprintln!("cognito-signin: signed in, but the tokens were not cached: {error}")
        }
    }
}
