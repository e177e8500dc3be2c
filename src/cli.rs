//! Command-line flags, named after the AWS CLI's where one exists.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Sign in to an Amazon Cognito user pool at the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "cognito-signin",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
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
    Serve(ServeArgs),
}

/// Where to sign in, and how.
#[derive(Debug, Args)]
pub struct SignInArgs {
    /// The user pool id, such as us-east-1_AbCdEfGhI; the region is read from it.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    pub user_pool_id: Option<String>,
    /// The app client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    pub client_id: Option<String>,
    /// The app client's secret, for clients created with one (adds SECRET_HASH).
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Send requests here instead of https://cognito-idp.<region>.amazonaws.com/
    /// (else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The region, when it should not be taken from the user pool id.
    #[arg(long)]
    pub region: Option<String>,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// How the console behaves, for real pools and the demo alike.
#[derive(Debug, Clone, Args)]
pub struct ConsoleArgs {
    /// The flow InitiateAuth starts.
    #[arg(long, value_enum, default_value_t = AuthFlowArg::UserSrpAuth)]
    pub auth_flow: AuthFlowArg,
    /// Pre-fill the username.
    #[arg(long)]
    pub username: Option<String>,
    /// Line prompts instead of the full-screen console (automatic without a terminal).
    #[arg(long)]
    pub plain: bool,
    /// Print the tokens on stdout after sign-in, as `aws cognito-idp initiate-auth` does.
    #[arg(long, value_enum)]
    pub output: Option<OutputFormat>,
}

/// `--auth-flow` values, spelt as the API spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlowArg {
    /// Secure Remote Password: the password never leaves this machine.
    UserSrpAuth,
    /// The password is sent to Cognito over TLS.
    UserPasswordAuth,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn auth_flow_is_spelt_as_the_api_spells_it() {
        let cli = Cli::try_parse_from(["cognito-signin", "--auth-flow", "USER_PASSWORD_AUTH"]);
        assert!(matches!(
            cli.map(|c| c.sign_in.console.auth_flow),
            Ok(AuthFlowArg::UserPasswordAuth)
        ));
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
