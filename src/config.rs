//! Settings resolved from flags and the environment, checked before anything starts.

use crate::auth::{AdminSettings, AuthFlow, FlowSettings, RequestOptions};
use crate::cli::{AuthFlowArg, ConsoleArgs, PoolArgs, SignInArgs};
use crate::cognito::types::{ContextDataType, HttpHeader};
use crate::cognito::{Endpoint, region_from_pool_id};
use crate::passkey::SoftwarePasskeys;
use crate::sensitive::SensitiveString;

/// A flag combination that cannot work; Display says what to pass instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "--user-pool-id is required (or COGNITO_USER_POOL_ID); try `cognito-signin demo` to sign in to a local demo pool"
    )]
    MissingPoolId,
    #[error("--client-id is required (or COGNITO_CLIENT_ID)")]
    MissingClientId,
    #[error(
        "the user pool id '{0}' has no region; pool ids look like us-east-1_AbCdEfGhI (or pass --region)"
    )]
    PoolIdWithoutRegion(String),
    #[error(
        "--preferred-challenge only applies to --auth-flow USER_AUTH; add --auth-flow USER_AUTH or drop it"
    )]
    PreferredChallengeWithoutUserAuth,
    #[error("--totp-issuer cannot be empty; leave it out to use the default, AWSCognito")]
    EmptyTotpIssuer,
    #[error("--auth-flow {0} is an AdminInitiateAuth flow; add --admin, or use USER_PASSWORD_AUTH")]
    AdminFlowWithoutAdmin(&'static str),
}

/// Where and how to sign in, for a real pool.
#[derive(Debug, Clone)]
pub struct SignInSettings {
    pub flow: FlowSettings,
    pub endpoint: Endpoint,
    /// The region: `--region`, else the one the user pool id names.
    pub region: String,
}

impl From<AuthFlowArg> for AuthFlow {
    fn from(arg: AuthFlowArg) -> Self {
        match arg {
            AuthFlowArg::UserSrpAuth => Self::UserSrp,
            AuthFlowArg::UserPasswordAuth => Self::UserPassword,
            AuthFlowArg::CustomAuth => Self::CustomAuth,
            AuthFlowArg::CustomWithSrp => Self::CustomWithSrp,
            AuthFlowArg::UserAuth => Self::UserAuth,
            AuthFlowArg::AdminUserPasswordAuth => Self::AdminUserPassword,
            AuthFlowArg::AdminNoSrpAuth => Self::AdminNoSrp,
        }
    }
}

/// The flow settings the console flags decide (flow, preferred challenge, TOTP issuer,
/// request options), for a real pool and the demo alike; pool and client are left empty.
pub fn console_flow_settings(console: &ConsoleArgs) -> Result<FlowSettings, ConfigError> {
    let auth_flow = AuthFlow::from(console.auth_flow.unwrap_or(AuthFlowArg::UserSrpAuth));
    if console.preferred_challenge.is_some() && auth_flow != AuthFlow::UserAuth {
        return Err(ConfigError::PreferredChallengeWithoutUserAuth);
    }
    if let Some(name) = auth_flow.admin_only_name()
        && !console.admin
    {
        return Err(ConfigError::AdminFlowWithoutAdmin(name));
    }
    let totp_issuer = console
        .totp_issuer
        .as_deref()
        .unwrap_or(crate::auth::DEFAULT_TOTP_ISSUER)
        .trim();
    if totp_issuer.is_empty() {
        return Err(ConfigError::EmptyTotpIssuer);
    }
    let non_empty = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    Ok(FlowSettings {
        auth_flow,
        preferred_challenge: console
            .preferred_challenge
            .map(|challenge| challenge.first_factor()),
        totp_issuer: totp_issuer.to_owned(),
        request_options: RequestOptions {
            client_metadata: console.client_metadata.iter().cloned().collect(),
            analytics_endpoint_id: non_empty(&console.analytics_endpoint_id),
            user_context_data: non_empty(&console.user_context_data),
        },
        admin: console.admin.then(|| AdminSettings {
            context_data: context_data(console),
        }),
        session_validity: time::Duration::minutes(console.session_validity.into()),
        // Without a data directory a passkey challenge says no passkey is held here.
        passkeys: SoftwarePasskeys::in_data_dir().ok(),
        authenticator: console.authenticator.map(Into::into),
        ..FlowSettings::default()
    })
}

/// ContextData from the `--context-*` flags, when any is given.
fn context_data(console: &ConsoleArgs) -> Option<ContextDataType> {
    let given = console.context_ip_address.is_some()
        || console.context_server_name.is_some()
        || console.context_server_path.is_some()
        || !console.context_http_header.is_empty();
    given.then(|| ContextDataType {
        ip_address: console.context_ip_address.clone().unwrap_or_default(),
        server_name: console.context_server_name.clone().unwrap_or_default(),
        server_path: console.context_server_path.clone().unwrap_or_default(),
        http_headers: console
            .context_http_header
            .iter()
            .map(|(name, value)| HttpHeader {
                header_name: name.clone(),
                header_value: value.clone(),
            })
            .collect(),
        encoded_data: console.user_context_data.clone(),
    })
}

/// The pool and client named by [`PoolArgs`], checked, with the endpoint resolved.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<SensitiveString>,
    /// The region: `--region`, else the one the user pool id names. Worked out here
    /// only; the endpoint and SigV4 signatures use this one.
    pub region: String,
    /// The endpoint: `--endpoint-url`, the endpoint variables, else the regional one.
    pub endpoint: Endpoint,
    /// Whether the endpoint was given (flag or variable) rather than the regional default;
    /// `tokens`, `whoami` and `sign-out` otherwise use the one the sign-in used.
    pub endpoint_given: bool,
}

impl PoolSettings {
    /// Checks the pool flags and resolves the endpoint; `env` reads environment variables.
    pub fn resolve(
        args: &PoolArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let pool_id = args
            .user_pool_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or(ConfigError::MissingPoolId)?;
        let client_id = args
            .client_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or(ConfigError::MissingClientId)?;
        let region = match args.region.as_deref() {
            Some(region) => region,
            None => region_from_pool_id(pool_id)
                .ok_or_else(|| ConfigError::PoolIdWithoutRegion(pool_id.to_owned()))?,
        };
        let endpoint = Endpoint::resolve(args.endpoint_url.as_deref(), region, &env);
        let endpoint_given = endpoint != Endpoint::regional(region);
        Ok(Self {
            user_pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            region: region.to_owned(),
            client_secret: args
                .client_secret
                .clone()
                .filter(|secret| !secret.expose().is_empty()),
            endpoint,
            endpoint_given,
        })
    }
}

impl SignInSettings {
    /// Checks the flags and resolves the endpoint; `env` reads environment variables.
    pub fn resolve(
        args: &SignInArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let pool = PoolSettings::resolve(&args.pool, env)?;
        Ok(Self {
            flow: FlowSettings {
                user_pool_id: pool.user_pool_id,
                client_id: pool.client_id,
                client_secret: pool.client_secret,
                ..console_flow_settings(&args.console)?
            },
            endpoint: pool.endpoint,
            region: pool.region,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;
    use crate::cognito::FirstFactor;

    fn console(args: &[&str]) -> ConsoleArgs {
        let mut all = vec!["cognito-signin"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).unwrap().sign_in.console
    }

    #[test]
    fn console_flags_become_flow_settings() {
        let settings = console_flow_settings(&console(&[
            "--auth-flow",
            "USER_AUTH",
            "--preferred-challenge",
            "PASSWORD_SRP",
            "--client-metadata",
            "k=v",
            "--analytics-endpoint-id",
            "endpoint-1",
            "--user-context-data",
            "data",
        ]))
        .unwrap();
        assert_eq!(settings.auth_flow, AuthFlow::UserAuth);
        assert_eq!(settings.preferred_challenge, Some(FirstFactor::PasswordSrp));
        assert_eq!(settings.totp_issuer, crate::auth::DEFAULT_TOTP_ISSUER);
        assert_eq!(
            settings.session_validity,
            crate::auth::DEFAULT_SESSION_VALIDITY
        );
        assert_eq!(
            settings.request_options,
            RequestOptions {
                client_metadata: [("k".to_owned(), "v".to_owned())].into(),
                analytics_endpoint_id: Some("endpoint-1".into()),
                user_context_data: Some("data".into()),
            }
        );
    }

    #[test]
    fn a_preferred_challenge_without_user_auth_and_an_empty_issuer_are_refused() {
        assert_eq!(
            console_flow_settings(&console(&["--preferred-challenge", "EMAIL_OTP"])).err(),
            Some(ConfigError::PreferredChallengeWithoutUserAuth)
        );
        assert_eq!(
            console_flow_settings(&console(&["--totp-issuer", " "])).err(),
            Some(ConfigError::EmptyTotpIssuer)
        );
    }

    #[test]
    fn session_validity_is_the_app_clients_minutes_from_3_to_15() {
        let settings = console_flow_settings(&console(&["--session-validity", "15"])).unwrap();
        assert_eq!(settings.session_validity, time::Duration::minutes(15));
        let mut all = vec!["cognito-signin", "--session-validity"];
        for refused in ["2", "16", "5m"] {
            all.push(refused);
            assert!(Cli::try_parse_from(&all).is_err(), "{refused}");
            all.pop();
        }
    }
}
