//! Settings resolved from flags and the environment, checked before anything starts.

use crate::auth::{AuthFlow, FlowSettings};
use crate::cli::{AuthFlowArg, SignInArgs};
use crate::cognito::{Endpoint, region_from_pool_id};
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
}

/// Where and how to sign in, for a real pool.
#[derive(Debug, Clone)]
pub struct SignInSettings {
    pub flow: FlowSettings,
    pub endpoint: Endpoint,
}

impl From<AuthFlowArg> for AuthFlow {
    fn from(arg: AuthFlowArg) -> Self {
        match arg {
            AuthFlowArg::UserSrpAuth => Self::UserSrp,
            AuthFlowArg::UserPasswordAuth => Self::UserPassword,
        }
    }
}

impl SignInSettings {
    /// Checks the flags and resolves the endpoint; `env` reads environment variables.
    pub fn resolve(
        args: &SignInArgs,
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
        let endpoint = Endpoint::resolve(args.endpoint_url.as_deref(), region, env);
        Ok(Self {
            flow: FlowSettings {
                user_pool_id: pool_id.to_owned(),
                client_id: client_id.to_owned(),
                client_secret: args
                    .client_secret
                    .as_deref()
                    .filter(|secret| !secret.is_empty())
                    .map(SensitiveString::from),
                auth_flow: args.console.auth_flow.into(),
                ..Default::default()
            },
            endpoint,
        })
    }
}
