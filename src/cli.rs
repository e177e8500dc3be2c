//! Command-line flags, named after the AWS CLI's where one exists.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::{ContactKind, MfaKind};
use crate::cognito::FirstFactor;
use crate::sensitive::SensitiveString;

/// The version and the optional cargo features built in, for `--version`: what a bug
/// report needs, and whether security keys can work in this build.
pub static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let built: Vec<&str> = [
        ("aws-credentials", cfg!(feature = "aws-credentials")),
        ("security-key", cfg!(feature = "security-key")),
    ]
    .into_iter()
    .filter_map(|(feature, on)| on.then_some(feature))
    .collect();
    let features = if built.is_empty() {
        "none".to_owned()
    } else {
        built.join(", ")
    };
    format!("{} (features: {features})", env!("CARGO_PKG_VERSION"))
});

/// Sign in to an Amazon Cognito user pool at the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "cognito-signin",
    version = VERSION.as_str(),
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Write a debug trace: every call (operation, status, request id, duration,
    /// challenge) and every step, never a secret. To stderr, or while the full-screen
    /// console runs to $XDG_STATE_HOME/cognito-signin/debug.log. COGNITO_SIGNIN_LOG
    /// takes a filter instead (`debug`, `cognito_signin::wire=trace`).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Write the debug trace to this file (appended to, created 0600).
    #[arg(long, global = true, value_name = "PATH")]
    pub debug_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Commands>,
    #[command(flatten)]
    pub sign_in: SignInArgs,
}

/// What to do besides signing in to a real pool.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Sign in to a local demo pool, with no AWS account and no network.
    Demo(DemoArgs),
    /// Run a local Cognito-compatible user pool on 127.0.0.1 for any Cognito client.
    ///
    /// It sends no SMS or e-mail: each message (with its code) is printed on stderr as
    /// it is sent, and listed as JSON, oldest first, at GET /_aws/cognito-idp/messages
    /// on the same port (filters: ?userPoolId=ID and ?destination=PHONE-OR-ADDRESS).
    Serve(ServeArgs),
    /// Print the cached tokens (JSON or shell variables), refreshed first if they expire soon.
    Tokens(TokensArgs),
    /// Check the cached tokens against the pool's keys and show who they are for.
    Whoami(WhoamiArgs),
    /// Sign out everywhere (GlobalSignOut), revoke the refresh token, clear the cache.
    SignOut(SignOutArgs),
    /// List the signed-in user's devices (ListDevices), or forget one (ForgetDevice).
    Devices(DevicesArgs),
    /// List the signed-in user's passkeys (ListWebAuthnCredentials), add one (on a
    /// security key or as a software passkey), or delete one (DeleteWebAuthnCredential).
    Passkeys(PasskeysArgs),
    /// The signed-in user's second factors (MFA): show them, add an authenticator app,
    /// turn codes by e-mail or text message on or off, choose the preferred one.
    ///
    /// Each works on the cached sign-in (refreshed first when it expires soon) and asks
    /// what it needs (a code, an address) on stderr, one answer per line on stdin.
    Mfa(MfaArgs),
    /// The signed-in user's password: `password change`.
    Password(PasswordArgs),
    /// Saved pools: add, list, show, remove, or choose the default one.
    ///
    /// Entries live in $XDG_CONFIG_HOME/cognito-signin/config.toml. `--pool NAME` (or
    /// COGNITO_SIGNIN_POOL) picks one for any command; flags and their variables
    /// override it, and it overrides the defaults.
    Config(ConfigArgs),
    /// Print a completion script for a shell: `source <(cognito-signin completions
    /// bash)` in ~/.bashrc, for example.
    Completions {
        /// The shell the script is for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `cognito-signin man > cognito-signin.1`.
    Man,
}

/// Where to sign in, and how.
#[derive(Debug, Args)]
pub struct SignInArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Do not keep the tokens in the token cache after signing in.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// Which pool and app client, and where to reach them: shared by sign-in, `tokens`,
/// `whoami` and `sign-out`, so each names a pool the same way.
#[derive(Debug, Clone, Default, Args)]
pub struct PoolArgs {
    /// A saved pool (`cognito-signin config list`) to use; its values fill in the flags
    /// left out. Without it (and without --user-pool-id), the saved default.
    #[arg(long = "pool", env = "COGNITO_SIGNIN_POOL", value_name = "NAME")]
    pub saved_pool: Option<String>,
    /// The user pool id, such as us-east-1_AbCdEfGhI; the region is read from it.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    pub user_pool_id: Option<String>,
    /// The app client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    pub client_id: Option<String>,
    /// The app client's secret, for clients created with one (adds SECRET_HASH).
    // Taken as given even when it starts with '-': clap would otherwise read it as a
    // flag, and quote it in its "unexpected argument" error.
    #[arg(
        long,
        env = "COGNITO_CLIENT_SECRET",
        hide_env_values = true,
        allow_hyphen_values = true,
        value_parser = secret
    )]
    pub client_secret: Option<SensitiveString>,
    /// Send requests here instead of https://cognito-idp.<region>.amazonaws.com/
    /// (else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The region, when it should not be taken from the user pool id.
    #[arg(long)]
    pub region: Option<String>,
}

/// `tokens` flags.
#[derive(Debug, Args)]
pub struct TokensArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose tokens (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
    /// How to print them.
    #[arg(long, value_enum, default_value_t = TokensOutput::Json)]
    pub output: TokensOutput,
    /// Refresh first when the tokens expire within this long (300, 5m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_min_ttl)]
    pub min_ttl: std::time::Duration,
    /// Refresh with AdminInitiateAuth, signed with your AWS credentials.
    #[arg(long)]
    pub admin: bool,
    /// The AWS profile whose credentials sign --admin calls (else AWS_PROFILE, else default).
    #[arg(long, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

/// `whoami` flags.
#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose tokens (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
    /// Print the verified claims as JSON instead of a summary.
    #[arg(long, value_enum)]
    pub output: Option<WhoamiOutput>,
}

/// `devices` flags: lists the devices, or with a subcommand forgets one.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose devices (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
    /// Print the devices as JSON (ListDevices' shape) instead of a table.
    #[arg(long, value_enum)]
    pub output: Option<DevicesOutput>,
    #[command(subcommand)]
    pub action: Option<DevicesAction>,
}

/// What `devices` does besides listing.
#[derive(Debug, Subcommand)]
pub enum DevicesAction {
    /// Forget a device (ForgetDevice): it no longer skips MFA.
    Forget {
        /// The device key, as `devices` lists it; `this` for this machine's device.
        device_key: String,
    },
}

/// `passkeys` flags: lists the passkeys, or with a subcommand adds or deletes one.
#[derive(Debug, Args)]
pub struct PasskeysArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose passkeys (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
    /// Print the passkeys as JSON (ListWebAuthnCredentials' shape) instead of a table.
    #[arg(long, value_enum)]
    pub output: Option<PasskeysOutput>,
    #[command(subcommand)]
    pub action: Option<PasskeysAction>,
}

/// What `passkeys` does besides listing.
#[derive(Debug, Subcommand)]
pub enum PasskeysAction {
    /// Enrol a passkey (StartWebAuthnRegistration, the authenticator makes the key,
    /// CompleteWebAuthnRegistration): on a security key, or a software passkey kept on
    /// this machine.
    Add {
        /// Where the passkey is made. Without it: a security key when one is plugged
        /// in, else the software passkey.
        #[arg(long, value_enum, value_name = "KIND")]
        authenticator: Option<AuthenticatorArg>,
    },
    /// Delete a passkey from the account (DeleteWebAuthnCredential); this machine's
    /// key for it is deleted too.
    Delete {
        /// The credential id, as `passkeys` lists it.
        credential_id: String,
    },
}

impl MfaCommand {
    /// The account flags every `mfa` subcommand takes.
    pub fn account_mut(&mut self) -> &mut AccountArgs {
        match self {
            Self::Status { account, .. }
            | Self::AddTotp { account, .. }
            | Self::Enable { account, .. }
            | Self::Disable { account, .. }
            | Self::Prefer { account, .. }
            | Self::Verify { account, .. }
            | Self::Change { account, .. } => account,
        }
    }
}

impl PasswordCommand {
    /// The account flags every `password` subcommand takes.
    pub fn account_mut(&mut self) -> &mut AccountArgs {
        match self {
            Self::Change { account, .. } => account,
        }
    }
}

/// `config` subcommands.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// What `config` does.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Save a pool: asks each value not given as a flag, then checks the pool and app
    /// client exist with one sign-in attempt for a user that does not exist.
    Add(Box<ConfigAddArgs>),
    /// List the saved pools (the default marked).
    List {
        /// Print them as JSON.
        #[arg(long, value_enum)]
        output: Option<ConfigOutput>,
    },
    /// Show one saved pool.
    Show {
        name: String,
        /// Print it as JSON.
        #[arg(long, value_enum)]
        output: Option<ConfigOutput>,
    },
    /// Delete a saved pool.
    Remove { name: String },
    /// Make a saved pool the one used when none is named.
    Default { name: String },
}

/// `config add` flags.
#[derive(Debug, Args)]
pub struct ConfigAddArgs {
    /// The entry's name, as `--pool NAME` will pick it.
    pub name: String,
    #[command(flatten)]
    pub pool: PoolArgs,
    /// The flow InitiateAuth starts.
    #[arg(long, value_enum)]
    pub auth_flow: Option<AuthFlowArg>,
    /// The username to pre-fill.
    #[arg(long)]
    pub username: Option<String>,
    /// The environment variable that holds the client secret (never the secret).
    #[arg(long, value_name = "VARIABLE")]
    pub client_secret_env: Option<String>,
    /// A command whose output is the client secret, such as `pass show cognito/work`.
    #[arg(long, value_name = "COMMAND")]
    pub client_secret_command: Option<String>,
    /// Make it the default pool.
    #[arg(long)]
    pub default: bool,
    /// Save it without checking the pool and client with a call.
    #[arg(long)]
    pub no_check: bool,
    /// Ask on stderr, one line per value, instead of the full-screen form.
    #[arg(long)]
    pub plain: bool,
}

/// `config --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigOutput {
    /// `{"default": …, "pools": {NAME: {…}}}`, the file's own keys.
    Json,
}

/// `sign-out` flags.
#[derive(Debug, Args)]
pub struct SignOutArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose tokens (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
}

/// Which cached sign-in an account command (`mfa`, `password`) works on: the pool flags
/// and `--username`, as `tokens`, `whoami` and `devices` take them.
#[derive(Debug, Args)]
pub struct AccountArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// Whose account (optional when only one user is cached for the pool and client).
    #[arg(long)]
    pub username: Option<String>,
    /// Also read the pool's MFA configuration (GetUserPoolMfaConfig, signed with your
    /// AWS credentials): which factors it allows, and whether it requires one.
    #[arg(long)]
    pub admin: bool,
    /// The AWS profile whose credentials sign --admin calls (else AWS_PROFILE, else default).
    #[arg(long, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

/// `mfa` flags: one subcommand, each taking the pool flags after it.
#[derive(Debug, Args)]
pub struct MfaArgs {
    #[command(subcommand)]
    pub command: MfaCommand,
}

/// What `mfa` does.
#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Show which second factors are on and which is preferred, and whether the e-mail
    /// address and phone number are verified (GetUser).
    Status {
        #[command(flatten)]
        account: AccountArgs,
        /// Also print the status as JSON on stdout, for scripts.
        #[arg(long, value_enum)]
        output: Option<StatusOutput>,
    },
    /// Add an authenticator app (AssociateSoftwareToken, then its first code for
    /// VerifySoftwareToken) and turn it on.
    AddTotp {
        #[command(flatten)]
        account: AccountArgs,
        /// The issuer authenticator apps show for it.
        #[arg(long, value_name = "NAME", default_value = crate::auth::DEFAULT_TOTP_ISSUER)]
        totp_issuer: String,
    },
    /// Turn on codes by e-mail or text message; an address or number not verified yet
    /// gets a code first.
    Enable {
        /// Which codes to turn on.
        factor: SentFactorArg,
        #[command(flatten)]
        account: AccountArgs,
    },
    /// Turn a second factor off.
    Disable {
        /// Which factor to turn off.
        factor: FactorArg,
        #[command(flatten)]
        account: AccountArgs,
    },
    /// Make a second factor the preferred one, turning it on if it is off.
    Prefer {
        /// Which factor Cognito asks for first.
        factor: FactorArg,
        #[command(flatten)]
        account: AccountArgs,
    },
    /// Verify the e-mail address or phone number with a code sent to it.
    Verify {
        /// Which contact detail to verify.
        contact: ContactArg,
        #[command(flatten)]
        account: AccountArgs,
    },
    /// Change the e-mail address or phone number, then verify the new one with a code.
    Change {
        /// Which contact detail to change.
        contact: ContactArg,
        #[command(flatten)]
        account: AccountArgs,
    },
}

/// `password` flags: one subcommand.
#[derive(Debug, Args)]
pub struct PasswordArgs {
    #[command(subcommand)]
    pub command: PasswordCommand,
}

/// What `password` does.
#[derive(Debug, Subcommand)]
pub enum PasswordCommand {
    /// Change the password (ChangePassword): the current one, then the new one twice.
    Change {
        #[command(flatten)]
        account: AccountArgs,
    },
}

/// A second factor, as `mfa disable` and `mfa prefer` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FactorArg {
    /// An authenticator app (SOFTWARE_TOKEN_MFA).
    Totp,
    /// Codes by e-mail (EMAIL_OTP).
    Email,
    /// Codes by text message (SMS_MFA).
    Sms,
}

impl From<FactorArg> for MfaKind {
    fn from(arg: FactorArg) -> Self {
        match arg {
            FactorArg::Totp => Self::SoftwareToken,
            FactorArg::Email => Self::Email,
            FactorArg::Sms => Self::Sms,
        }
    }
}

/// A second factor whose codes are sent, as `mfa enable` names it (an authenticator
/// is added with `mfa add-totp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SentFactorArg {
    /// Codes by e-mail (EMAIL_OTP).
    Email,
    /// Codes by text message (SMS_MFA).
    Sms,
}

impl From<SentFactorArg> for MfaKind {
    fn from(arg: SentFactorArg) -> Self {
        match arg {
            SentFactorArg::Email => Self::Email,
            SentFactorArg::Sms => Self::Sms,
        }
    }
}

/// A contact detail, as `mfa verify` and `mfa change` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContactArg {
    /// The e-mail address (email).
    Email,
    /// The phone number (phone_number).
    Phone,
}

impl From<ContactArg> for ContactKind {
    fn from(arg: ContactArg) -> Self {
        match arg {
            ContactArg::Email => Self::Email,
            ContactArg::Phone => Self::Phone,
        }
    }
}

/// `mfa status --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusOutput {
    /// `{"Username", "Factors": [...], "Email", "PhoneNumber", "MfaRequired", ...}`.
    Json,
}

/// `whoami --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhoamiOutput {
    /// `{"IdToken": {...}, "AccessToken": {...}}`: the verified claims of each token.
    Json,
}

/// `devices --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DevicesOutput {
    /// `{"Devices": [...]}`, as ListDevices answers (every page).
    Json,
}

/// `--authenticator` values: where a passkey lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthenticatorArg {
    /// A FIDO2 security key over USB (CTAP2); asks for its PIN when it has one.
    SecurityKey,
    /// The software passkey: a P-256 key in a 0600 file in the XDG data directory.
    Software,
}

impl From<AuthenticatorArg> for crate::auth::AuthenticatorKind {
    fn from(arg: AuthenticatorArg) -> Self {
        match arg {
            AuthenticatorArg::SecurityKey => Self::SecurityKey,
            AuthenticatorArg::Software => Self::Software,
        }
    }
}

/// `passkeys --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PasskeysOutput {
    /// `{"Credentials": [...]}`, as ListWebAuthnCredentials answers (every page).
    Json,
}

/// `tokens --output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokensOutput {
    /// `{"AuthenticationResult": {...}, "ChallengeParameters": {}}`
    Json,
    /// `COGNITO_ID_TOKEN=…` lines for `eval` in a shell.
    Env,
}

/// Reads `--min-ttl`: whole seconds (`300`) or a duration with units (`5m`, `1h30m`).
pub fn parse_min_ttl(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|error| format!("'{text}' is not a number of seconds: {error}"));
    }
    humantime::parse_duration(text).map_err(|error| {
        format!(
            "'{text}' is not a duration ({error}); write it as seconds (300) or with units (5m, 1h)"
        )
    })
}

/// How the console behaves, for real pools and the demo alike.
#[derive(Debug, Clone, Args)]
pub struct ConsoleArgs {
    /// The flow InitiateAuth starts [default: USER_SRP_AUTH].
    #[arg(long, value_enum)]
    pub auth_flow: Option<AuthFlowArg>,
    /// Pre-fill the username.
    #[arg(long)]
    pub username: Option<String>,
    /// Line prompts instead of the full-screen console (automatic without a terminal).
    #[arg(long)]
    pub plain: bool,
    /// Print the tokens on stdout after sign-in, as `aws cognito-idp initiate-auth` does.
    #[arg(long, value_enum)]
    pub output: Option<OutputFormat>,
    /// USER_AUTH's first factor to try before offering a choice (PREFERRED_CHALLENGE).
    #[arg(long, value_enum, value_name = "CHALLENGE")]
    pub preferred_challenge: Option<PreferredChallengeArg>,
    /// Which authenticator answers passkey challenges and adds passkeys. Without it: a
    /// security key when one is plugged in, else the software passkey, and the passkey
    /// screen offers the other.
    #[arg(long, value_enum, value_name = "KIND")]
    pub authenticator: Option<AuthenticatorArg>,
    /// The issuer authenticator apps show for a TOTP enrolled here.
    #[arg(long, value_name = "NAME")]
    pub totp_issuer: Option<String>,
    /// The app client's AuthSessionValidity in minutes (3 to 15): how long each
    /// challenge may take, for the countdown code screens show.
    #[arg(long, value_name = "MINUTES", default_value_t = 3, value_parser = clap::value_parser!(u8).range(3..=15))]
    pub session_validity: u8,
    /// ClientMetadata for the pool's Lambda triggers, as KEY=VALUE; repeat for more.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub client_metadata: Vec<(String, String)>,
    /// AnalyticsMetadata.AnalyticsEndpointId: the Amazon Pinpoint endpoint to report to.
    #[arg(long, value_name = "ID")]
    pub analytics_endpoint_id: Option<String>,
    /// UserContextData.EncodedData: the device fingerprint threat protection evaluates.
    #[arg(long, value_name = "DATA")]
    pub user_context_data: Option<String>,
    /// The name ConfirmDevice gives this machine when the pool tracks devices
    /// (default: the host name).
    #[arg(long, value_name = "NAME")]
    pub device_name: Option<String>,
    /// Sign in with AdminInitiateAuth and AdminRespondToAuthChallenge, signed with your
    /// AWS credentials (USER_PASSWORD_AUTH becomes ADMIN_USER_PASSWORD_AUTH).
    #[arg(long)]
    pub admin: bool,
    /// The AWS profile whose credentials sign --admin calls (else AWS_PROFILE, else default).
    #[arg(long, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// ContextData.IpAddress of --admin calls: the person's IP address.
    #[arg(long, value_name = "IP", requires = "admin")]
    pub context_ip_address: Option<String>,
    /// ContextData.ServerName of --admin calls: your server's name.
    #[arg(long, value_name = "NAME", requires = "admin")]
    pub context_server_name: Option<String>,
    /// ContextData.ServerPath of --admin calls: the path the person asked for.
    #[arg(long, value_name = "PATH", requires = "admin")]
    pub context_server_path: Option<String>,
    /// A ContextData.HttpHeaders entry of --admin calls (repeatable).
    #[arg(long, value_name = "NAME: VALUE", value_parser = Unechoed::new(parse_header), requires = "admin")]
    pub context_http_header: Vec<(String, String)>,
}

/// A secret as given, kept where Debug cannot show it.
fn secret(text: &str) -> Result<SensitiveString, std::convert::Infallible> {
    Ok(SensitiveString::from(text))
}

/// Reads `Name: value`; the error names the fix and never repeats the text (a header
/// such as Authorization or Cookie may hold a secret).
fn parse_header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(
            "--context-http-header takes a header as 'Name: value', such as --context-http-header 'User-Agent: Mozilla/5.0'"
                .to_owned(),
        ),
    }
}

/// A value parser whose error never repeats the value given, for flags whose values
/// hold secrets: clap's own error for a refused value quotes it ("invalid value
/// 'ID-without-secret' for …"), and with it the secret.
#[derive(Clone, Copy)]
struct Unechoed<T> {
    parse: fn(&str) -> Result<T, String>,
}

impl<T> Unechoed<T> {
    /// `parse`'s error must not quote its input either.
    const fn new(parse: fn(&str) -> Result<T, String>) -> Self {
        Self { parse }
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Unechoed<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let refuse = |why: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{why} (the value given is not repeated here: it may hold a secret)\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("the value is not valid UTF-8".to_owned()))?;
        (self.parse)(text).map_err(refuse)
    }
}

/// Reads `KEY=VALUE` (the value may hold further `=`); the error names the fix.
fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "'{text}' is not KEY=VALUE; write it as --client-metadata key=value, such as --client-metadata source=console"
        )),
    }
}

/// `--auth-flow` values, spelt as the API spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlowArg {
    /// Secure Remote Password: the password never leaves this machine.
    UserSrpAuth,
    /// The password is sent to Cognito over TLS.
    UserPasswordAuth,
    /// The pool's custom challenges (Lambda triggers) only, without a password.
    CustomAuth,
    /// CUSTOM_AUTH that proves the password by SRP first (Amplify's name for it).
    CustomWithSrp,
    /// Choice-based sign-in: a password, a passkey or a one-time code, as the pool allows.
    UserAuth,
    /// AdminInitiateAuth's password flow: the password is sent to Cognito (--admin only).
    AdminUserPasswordAuth,
    /// The older name of ADMIN_USER_PASSWORD_AUTH, for pools that still use it (--admin only).
    AdminNoSrpAuth,
}

/// `--preferred-challenge` values, spelt as the API spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PreferredChallengeArg {
    /// The password, sent to Cognito over TLS.
    Password,
    /// The password, proven by SRP.
    PasswordSrp,
    /// A code sent by e-mail.
    EmailOtp,
    /// A code sent by text message.
    SmsOtp,
    /// A passkey (WEB_AUTHN), signed by a security key or the software passkey.
    WebAuthn,
}

impl PreferredChallengeArg {
    /// The first factor PREFERRED_CHALLENGE names.
    pub fn first_factor(self) -> FirstFactor {
        match self {
            Self::Password => FirstFactor::Password,
            Self::PasswordSrp => FirstFactor::PasswordSrp,
            Self::EmailOtp => FirstFactor::EmailOtp,
            Self::SmsOtp => FirstFactor::SmsOtp,
            Self::WebAuthn => FirstFactor::WebAuthn,
        }
    }
}

/// `--output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `{"AuthenticationResult": {...}, "ChallengeParameters": {}}`
    Json,
}

/// `demo` flags.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Use the demo app client that has a secret (exercises SECRET_HASH).
    #[arg(long)]
    pub with_secret: bool,
    /// Which pool of the demo pool file to sign in to (us-east-1_DemoPool1 unless given).
    #[arg(long, value_name = "ID")]
    pub user_pool_id: Option<String>,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// `serve` flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0 lets the system choose a free one).
    #[arg(long, default_value_t = 9339)]
    pub port: u16,
    /// A pool file (TOML) whose pools, clients and users are created at start.
    #[arg(long, value_name = "FILE")]
    pub pool: Option<PathBuf>,
    /// Keep the pools in DIR (created 0700 if missing), so they survive a restart:
    /// pools, app clients, users, devices and the token signing keys, each change on
    /// disk before its call is answered. Sign-ins under way, codes and lockouts are not
    /// kept. With --pool, the file is only read: its pools that DIR lacks are added to
    /// DIR, and DIR wins for the others. Without --data, everything stays in memory.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// An AWS access key allowed to call the signed operations (Admin*, CreateUserPool…),
    /// as ID:SECRET (repeatable; also in the pool file as [[access_key]]). With none,
    /// the pool answers them unsigned, as moto does.
    // Taken as given even when it starts with '-', so clap never quotes it as a flag.
    #[arg(long, value_name = "ID:SECRET", env = "COGNITO_SIGNIN_ACCESS_KEY", hide_env_values = true, allow_hyphen_values = true, value_parser = Unechoed::new(parse_access_key))]
    pub access_key: Vec<AccessKeyArg>,
}

/// One `--access-key ID:SECRET`: the secret is kept out of Debug prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeyArg {
    /// The access key id (public: it names the key).
    pub id: String,
    /// The secret access key.
    pub secret: SensitiveString,
}

/// Reads `ID:SECRET` (the secret may hold ':'); the error names the fix and never
/// repeats the text (it holds a secret).
fn parse_access_key(text: &str) -> Result<AccessKeyArg, String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.trim().is_empty() && !secret.is_empty() => Ok(AccessKeyArg {
            id: id.trim().to_owned(),
            secret: SensitiveString::from(secret),
        }),
        _ => Err(
            "--access-key (or COGNITO_SIGNIN_ACCESS_KEY) takes an access key as ID:SECRET, such as --access-key AKIAEXAMPLE:its-secret"
                .to_owned(),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn min_ttl_takes_seconds_or_units() {
        use std::time::Duration;
        assert_eq!(parse_min_ttl("300"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_min_ttl("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_min_ttl("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_min_ttl("soon").unwrap_err().contains("5m, 1h"));
        assert!(parse_min_ttl("").is_err());
    }

    #[test]
    fn the_token_commands_share_the_pool_flags() {
        let cli = Cli::try_parse_from([
            "cognito-signin",
            "tokens",
            "--user-pool-id",
            "us-east-1_X",
            "--client-id",
            "c",
            "--username",
            "alice",
            "--output",
            "env",
            "--min-ttl",
            "2h",
        ])
        .unwrap();
        let Some(Commands::Tokens(args)) = cli.command else {
            unreachable!("tokens parses as tokens")
        };
        assert_eq!(args.pool.user_pool_id.as_deref(), Some("us-east-1_X"));
        assert_eq!(args.output, TokensOutput::Env);
        assert_eq!(args.min_ttl, std::time::Duration::from_secs(7200));
    }

    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_account_commands_take_their_choice_then_the_pool_flags() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from([&["cognito-signin"], args].concat()).map(|cli| cli.command)
        };
        let pool = ["--user-pool-id", "us-east-1_X", "--client-id", "c"];
        let Ok(Some(Commands::Mfa(MfaArgs {
            command: MfaCommand::Enable { factor, account },
        }))) = parse(&[&["mfa", "enable", "email"], &pool[..]].concat())
        else {
            unreachable!("mfa enable email parses")
        };
        assert_eq!(MfaKind::from(factor), MfaKind::Email);
        assert_eq!(account.pool.user_pool_id.as_deref(), Some("us-east-1_X"));
        let Ok(Some(Commands::Mfa(MfaArgs {
            command: MfaCommand::Status { output, .. },
        }))) = parse(&["mfa", "status", "--output", "json", "--username", "alice"])
        else {
            unreachable!("mfa status parses")
        };
        assert_eq!(output, Some(StatusOutput::Json));
        assert!(matches!(
            parse(&["mfa", "prefer", "totp"]),
            Ok(Some(Commands::Mfa(MfaArgs {
                command: MfaCommand::Prefer {
                    factor: FactorArg::Totp,
                    ..
                }
            })))
        ));
        assert!(matches!(
            parse(&["password", "change"]),
            Ok(Some(Commands::Password(_)))
        ));
        // An authenticator is added, not enabled; a factor or contact must be named.
        for wrong in [
            &["mfa", "enable", "totp"][..],
            &["mfa", "verify"][..],
            &["mfa", "disable", "fax"][..],
            &["mfa"][..],
            &["password"][..],
        ] {
            let error = parse(wrong).err().unwrap();
            assert_eq!(error.exit_code(), 2, "{wrong:?}: {error}");
        }
    }

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn auth_flow_is_spelt_as_the_api_spells_it() {
        let cli = Cli::try_parse_from(["cognito-signin", "--auth-flow", "USER_PASSWORD_AUTH"]);
        assert!(matches!(
            cli.map(|c| c.sign_in.console.auth_flow),
            Ok(Some(AuthFlowArg::UserPasswordAuth))
        ));
    }

    #[test]
    fn the_new_flows_and_options_parse() {
        let cli = Cli::try_parse_from([
            "cognito-signin",
            "--auth-flow",
            "USER_AUTH",
            "--preferred-challenge",
            "EMAIL_OTP",
            "--client-metadata",
            "a=1",
            "--client-metadata",
            "b=x=y",
            "--totp-issuer",
            "My Company",
        ])
        .unwrap();
        let console = cli.sign_in.console;
        assert_eq!(console.auth_flow, Some(AuthFlowArg::UserAuth));
        assert_eq!(
            console.preferred_challenge,
            Some(PreferredChallengeArg::EmailOtp)
        );
        assert_eq!(
            console.client_metadata,
            [("a".into(), "1".into()), ("b".into(), "x=y".into())]
        );
        assert_eq!(console.totp_issuer.as_deref(), Some("My Company"));
    }

    #[test]
    fn authenticator_takes_security_key_or_software_on_sign_in_and_passkeys_add() {
        let cli =
            Cli::try_parse_from(["cognito-signin", "--authenticator", "security-key"]).unwrap();
        assert_eq!(
            cli.sign_in.console.authenticator,
            Some(AuthenticatorArg::SecurityKey)
        );
        let cli = Cli::try_parse_from([
            "cognito-signin",
            "passkeys",
            "add",
            "--authenticator",
            "software",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Commands::Passkeys(PasskeysArgs {
                action: Some(PasskeysAction::Add {
                    authenticator: Some(AuthenticatorArg::Software)
                }),
                ..
            }))
        ));
        let error = Cli::try_parse_from(["cognito-signin", "--authenticator", "usb"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("security-key, software"), "{error}");
    }

    #[test]
    fn client_metadata_without_an_equals_sign_names_the_fix() {
        let error = Cli::try_parse_from(["cognito-signin", "--client-metadata", "oops"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("--client-metadata key=value"), "{error}");
    }

    #[test]
    fn a_refused_access_key_or_header_is_never_repeated() {
        for args in [
            &[
                "cognito-signin",
                "serve",
                "--access-key",
                "AKIANOCOLONs3cret-value",
            ][..],
            &["cognito-signin", "serve", "--access-key", ":s3cret-value"][..],
            &[
                "cognito-signin",
                "--admin",
                "--context-http-header",
                "Authorization Bearer s3cret-value",
            ][..],
        ] {
            let error = Cli::try_parse_from(args).err().unwrap();
            assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
            let said = error.to_string();
            assert!(!said.contains("s3cret-value"), "{said}");
            assert!(said.contains("is not repeated here"), "{said}");
        }
        // A value that starts with '-' is taken as the value, not read (and quoted) as a flag.
        let cli = Cli::try_parse_from(["cognito-signin", "--client-secret", "--s3cret-value"]);
        let pool = cli.map(|cli| cli.sign_in.pool).unwrap();
        assert_eq!(
            pool.client_secret
                .as_ref()
                .map(|secret| secret.expose().as_str()),
            Some("--s3cret-value")
        );
        // Nor does Debug show it.
        assert!(!format!("{pool:?}").contains("s3cret"), "{pool:?}");
        let error =
            Cli::try_parse_from(["cognito-signin", "serve", "--access-key", "-s3cret-value"])
                .err()
                .unwrap()
                .to_string();
        assert!(!error.contains("s3cret-value"), "{error}");
        let cli = Cli::try_parse_from(["cognito-signin", "serve", "--access-key", "AKIA1:a:b"]);
        let Ok(Cli {
            command: Some(Commands::Serve(serve)),
            ..
        }) = cli
        else {
            unreachable!("an ID:SECRET access key parses")
        };
        assert_eq!(serve.access_key.len(), 1);
        assert_eq!(serve.access_key[0].id, "AKIA1");
        assert_eq!(serve.access_key[0].secret.expose(), "a:b");
        // Debug names the key, never its secret.
        let shown = format!("{serve:?}");
        assert!(shown.contains("AKIA1") && !shown.contains("a:b"), "{shown}");
    }

    #[test]
    fn unknown_flags_are_refused() {
        let error = Cli::try_parse_from(["cognito-signin", "--no-such-flag"]).err();
        assert_eq!(
            error.map(|e| e.kind()),
            Some(clap::error::ErrorKind::UnknownArgument)
        );
    }
}
