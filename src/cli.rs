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
    /// USER_AUTH's first factor to try before offering a choice (PREFERRED_CHALLENGE).
    #[arg(long, value_enum, value_name = "CHALLENGE")]
    pub preferred_challenge: Option<PreferredChallengeArg>,
    /// The issuer authenticator apps show for a TOTP enrolled here.
    #[arg(long, value_name = "NAME", default_value = crate::auth::DEFAULT_TOTP_ISSUER)]
    pub totp_issuer: String,
    /// ClientMetadata for the pool's Lambda triggers, as KEY=VALUE; repeat for more.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub client_metadata: Vec<(String, String)>,
    /// AnalyticsMetadata.AnalyticsEndpointId: the Amazon Pinpoint endpoint to report to.
    #[arg(long, value_name = "ID")]
    pub analytics_endpoint_id: Option<String>,
    /// UserContextData.EncodedData: the device fingerprint threat protection evaluates.
    #[arg(long, value_name = "DATA")]
    pub user_context_data: Option<String>,
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
}

impl PreferredChallengeArg {
    /// The PREFERRED_CHALLENGE value.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
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
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
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
        assert_eq!(console.auth_flow, AuthFlowArg::UserAuth);
        assert_eq!(
            console.preferred_challenge,
            Some(PreferredChallengeArg::EmailOtp)
        );
        assert_eq!(
            console.client_metadata,
            [("a".into(), "1".into()), ("b".into(), "x=y".into())]
        );
        assert_eq!(console.totp_issuer, "My Company");
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
    fn unknown_flags_are_refused() {
        let error = Cli::try_parse_from(["cognito-signin", "--no-such-flag"]).err();
        assert_eq!(
            error.map(|e| e.kind()),
            Some(clap::error::ErrorKind::UnknownArgument)
        );
    }
}
