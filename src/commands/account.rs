//! What the account commands (`mfa`, `password`) share: the cached sign-in, refreshed
//! when it expires soon, starts an auth task already signed in; one account action goes
//! to it, and the line front end asks whatever follows (a code, an address, passwords,
//! an authenticator's first code) until account security comes back. Plain prompts
//! only: these commands never open the full screen.

use crate::auth::{self, AccountAction, AdminSettings, FlowSettings, Security};
use crate::cli::AccountArgs;
use crate::config::ConfigError;
use crate::plain::{self, AccountOutcome};

use super::tokens::refresh_if_expiring;
use super::{Cached, CommandError};

/// Access tokens this close to expiry are refreshed first: a change may wait a few
/// minutes on a person reading a code, and the token must outlast it.
const MIN_TTL: time::Duration = time::Duration::minutes(5);

/// Carries out `action` on the account of the cached sign-in `account` names, and gives
/// account security as it came back (its notice already said on stderr). `totp_issuer`
/// names the issuer of an authenticator added (`None`: the default).
pub async fn change(
    account: &AccountArgs,
    action: AccountAction,
    totp_issuer: Option<&str>,
) -> Result<Box<Security>, CommandError> {
    let totp_issuer = match totp_issuer.map(str::trim) {
        Some("") => {
            return Err(CommandError::Usage(
                ConfigError::EmptyTotpIssuer.to_string(),
            ));
        }
        Some(issuer) => issuer.to_owned(),
        None => auth::DEFAULT_TOTP_ISSUER.to_owned(),
    };
    let mut cached = Cached::open(&account.pool, account.username.as_deref())?;
    // Refreshed as a sign-in refreshes (an administrator's refresh is `tokens --admin`'s).
    refresh_if_expiring(&mut cached, MIN_TTL).await?;
    if account.admin {
        cached
            .sign_with_aws_credentials(account.profile.as_deref())
            .await?;
    }
    let settings = FlowSettings {
        user_pool_id: cached.entry.user_pool_id.clone(),
        client_id: cached.entry.client_id.clone(),
        client_secret: cached.settings.client_secret.clone(),
        totp_issuer,
        admin: account.admin.then(AdminSettings::default),
        ..FlowSettings::default()
    };
    let tokens = Box::new(cached.entry.tokens());
    let (channels, task) = auth::spawn_signed_in(settings, cached.client.clone(), tokens);
    let outcome = plain::run_account(channels, action).await;
    task.abort();
    match outcome {
        Ok(AccountOutcome::Done(security)) => Ok(security),
        Ok(AccountOutcome::Quit) => Err(CommandError::Quit),
        Ok(AccountOutcome::Failed(problem)) => Err(CommandError::Failed(problem.sentence)),
        Err(error) => Err(CommandError::Failed(format!(
            "the terminal failed: {error}"
        ))),
    }
}
