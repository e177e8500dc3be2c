//! One module per command: signing in (no subcommand), `demo` and `serve` run the
//! console or the local pool and give their exit status; the token commands (`tokens`,
//! `whoami`, `sign-out`, `devices`) and the account commands (`mfa`, `password`, through
//! [`account`]) each work on one cached sign-in, found from the pool flags and
//! `--username`, and give a [`CommandError`] on failure, which [`finish`] prints with
//! its exit status.

pub mod account;
pub mod config;
pub mod demo;
pub mod demo_passkey;
pub mod devices;
pub mod manual;
pub mod mfa;
pub mod passkeys;
pub mod password;
mod save_flags;
pub mod serve;
pub mod sign_in;
pub mod sign_out;
pub mod tokens;
pub mod whoami;

use std::process::ExitCode;

use std::collections::BTreeMap;
use std::io::Write;

use crate::auth::cache::{CachedTokens, TokenCache};
use crate::auth::devices::{DeviceStore, RememberedDevice};
use crate::cli::{Cli, Commands, PoolArgs};
use crate::cognito::signing::Signer;
use crate::cognito::types::AuthenticationResult;
use crate::cognito::{Client, Endpoint, credentials};
use crate::config::PoolSettings;
use crate::saved_pools::{self, SavedPoolError};

/// Fills each command's flags from the saved pool it names (`--pool`, else the default
/// when no user pool id was given). `demo`, `serve`, `config` and the generated files
/// take no saved pool.
pub fn with_saved_pool(cli: &mut Cli) -> Result<(), SavedPoolError> {
    let (pool, username, console) = match &mut cli.command {
        None => (&mut cli.sign_in.pool, None, Some(&mut cli.sign_in.console)),
        Some(Commands::Tokens(args)) => (&mut args.pool, Some(&mut args.username), None),
        Some(Commands::Whoami(args)) => (&mut args.pool, Some(&mut args.username), None),
        Some(Commands::SignOut(args)) => (&mut args.pool, Some(&mut args.username), None),
        Some(Commands::Devices(args)) => (&mut args.pool, Some(&mut args.username), None),
        Some(Commands::Passkeys(args)) => (&mut args.pool, Some(&mut args.username), None),
        Some(Commands::Mfa(args)) => {
            let account = args.command.account_mut();
            (&mut account.pool, Some(&mut account.username), None)
        }
        Some(Commands::Password(args)) => {
            let account = args.command.account_mut();
            (&mut account.pool, Some(&mut account.username), None)
        }
        Some(
            Commands::Demo(_)
            | Commands::Serve(_)
            | Commands::Config(_)
            | Commands::Completions { .. }
            | Commands::Man,
        ) => return Ok(()),
    };
    let Some(applied) =
        saved_pools::applied(pool.saved_pool.as_deref(), pool.user_pool_id.is_some())?
    else {
        return Ok(());
    };
    applied.fill_pool(pool)?;
    // Said from now on: this command runs with a saved pool (the default one included).
    pool.saved_pool = Some(applied.name.clone());
    if let Some(username) = username {
        applied.fill_username(username);
    }
    if let Some(console) = console {
        applied.fill_console(console);
    }
    Ok(())
}

/// One cached sign-in, and what is needed to talk to its pool.
pub struct Cached {
    pub settings: PoolSettings,
    pub cache: TokenCache,
    pub entry: CachedTokens,
    pub client: Client,
    /// Refresh through AdminInitiateAuth (the client then signs it).
    pub admin: bool,
}

impl Cached {
    /// Reads the pool flags and finds the cached tokens (the only cached user's when
    /// `username` is `None`). Requests go to the endpoint given by flag or variable,
    /// else to the one the sign-in used. Flags that cannot work (no `--user-pool-id`, an
    /// endpoint that is not a URL) are a usage error, as for sign-in.
    pub fn open(pool: &PoolArgs, username: Option<&str>) -> Result<Self, CommandError> {
        let settings = PoolSettings::resolve(pool, |name| std::env::var(name).ok())
            .map_err(|error| CommandError::Usage(error.to_string()))?;
        // An endpoint given by flag or variable is checked first: the command line's to fix.
        let given = settings
            .endpoint_given
            .then(|| Client::new(settings.endpoint.clone()))
            .transpose()
            .map_err(|error| CommandError::Usage(error.to_string()))?;
        let cache = TokenCache::from_environment().map_err(|error| error.to_string())?;
        let username = username.map(str::trim).filter(|name| !name.is_empty());
        let entry = cache
            .find(&settings.user_pool_id, &settings.client_id, username)
            .map_err(|error| error.to_string())?;
        let client = match given {
            Some(client) => client,
            None => Client::new(Endpoint {
                url: entry.endpoint_url.clone(),
            })
            .map_err(|error| error.to_string())?,
        };
        Ok(Self {
            settings,
            cache,
            entry,
            client,
            admin: false,
        })
    }

    /// This machine's remembered device for the cached user, if any (a store that
    /// cannot be read counts as none).
    pub fn remembered_device(&self) -> Option<RememberedDevice> {
        DeviceStore::from_environment()
            .ok()?
            .load(
                &self.entry.user_pool_id,
                &self.entry.client_id,
                &self.entry.username,
            )
            .ok()
            .flatten()
    }

    /// The endpoint URL in use.
    pub fn endpoint_url(&self) -> &str {
        self.client.endpoint_url()
    }

    /// Signs the calls that need AWS credentials (`--admin`) with those of `profile`, else
    /// the default chain's, for the pool's region.
    pub async fn sign_with_aws_credentials(&mut self, profile: Option<&str>) -> Result<(), String> {
        let region = self.settings.region.clone();
        let credentials = credentials::load(profile, &region).await?;
        self.client = self
            .client
            .clone()
            .with_signer(Signer::new(credentials, region));
        Ok(())
    }
}

/// Prints the tokens in the shape `aws cognito-idp initiate-auth` prints them.
pub fn print_json(result: &AuthenticationResult) -> Result<(), String> {
    let output = serde_json::json!({
        "ChallengeParameters": BTreeMap::<String, String>::new(),
        "AuthenticationResult": result,
    });
    print_value(&output)
}

/// Pretty JSON and a newline on stdout.
pub fn print_value(value: &serde_json::Value) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(stdout))
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("could not write to stdout: {error}"))
}

/// Why a token command stopped, which decides its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// The command line must change (no `--user-pool-id`, say): exit status 2.
    Usage(String),
    /// Anything else (nothing cached, the pool refused, the network): exit status 1.
    Failed(String),
    /// The person quit before the command finished (the input ended, Ctrl-C), which
    /// has been said: exit status 130, as for a sign-in.
    Quit,
}

/// A sentence from a step that can only fail, not be misused.
impl From<String> for CommandError {
    fn from(sentence: String) -> Self {
        Self::Failed(sentence)
    }
}

/// The exit status of a command: 0, or its error's sentence and status.
pub fn finish(result: Result<(), impl Into<CommandError>>) -> ExitCode {
    match result.map_err(Into::into) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CommandError::Usage(sentence)) => usage_error(&sentence),
        Err(CommandError::Failed(sentence)) => fail(&sentence),
        Err(CommandError::Quit) => ExitCode::from(EXIT_QUIT),
    }
}

/// Exit status when the person quits before a command finishes (as after Ctrl-C in a
/// shell).
pub(crate) const EXIT_QUIT: u8 = 130;

/// Prints the sentence on stderr and gives the failure exit status.
pub fn fail(sentence: &str) -> ExitCode {
    eprintln!("cognito-signin: {sentence}");
    ExitCode::FAILURE
}

/// Exit status of a usage error (flags that cannot work together, a value of the wrong
/// form), as clap gives for the flags it checks itself.
const EXIT_USAGE: u8 = 2;

/// Prints the sentence on stderr and gives the usage-error exit status: the command
/// line, not the pool or the network, is what must change.
pub fn usage_error(sentence: &str) -> ExitCode {
    eprintln!("cognito-signin: {sentence}");
    ExitCode::from(EXIT_USAGE)
}
