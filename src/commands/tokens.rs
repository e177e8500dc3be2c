//! `cognito-signin tokens`: the cached tokens on stdout, refreshed first with
//! REFRESH_TOKEN_AUTH when they expire within `--min-ttl`.

use std::io::Write;

use crate::auth::cache::{CachedTokens, token_username};
use crate::cli::{TokensArgs, TokensOutput};
use crate::cognito::credentials;
use crate::cognito::signing::Signer;
use crate::cognito::types::{AdminInitiateAuthRequest, AuthenticationResult, InitiateAuthRequest};
use crate::cognito::{ApiError, AuthFlowType, ErrorType};
use crate::crypto::secret_hash;
use crate::sensitive::Sensitive;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Cached, print_json};

/// Runs `tokens`.
pub async fn run(args: TokensArgs) -> Result<(), String> {
    let mut cached = Cached::open(&args.pool, args.username.as_deref())?;
    if args.admin {
        let region = cached.settings.region.clone();
        let credentials = credentials::load(args.profile.as_deref(), &region).await?;
        cached.client = cached.client.with_signer(Signer::new(credentials, region));
        cached.admin = true;
    }
    let min_ttl = time::Duration::try_from(args.min_ttl).unwrap_or(time::Duration::MAX);
    refresh_if_expiring(&mut cached, min_ttl).await?;
    let shown = remaining(&cached.entry, OffsetDateTime::now_utc());
    match args.output {
        TokensOutput::Json => print_json(&shown),
        TokensOutput::Env => print_env(&cached.entry, &shown),
    }
}

/// Refreshes the cached tokens (and keeps them) when they expire within `min_ttl`.
pub async fn refresh_if_expiring(
    cached: &mut Cached,
    min_ttl: time::Duration,
) -> Result<(), String> {
    if cached.entry.expires_at() - OffsetDateTime::now_utc() >= min_ttl {
        return Ok(());
    }
    let refreshed = refresh(cached).await?;
    cached.entry = refreshed;
    let path = cached
        .cache
        .save(&cached.entry)
        .map_err(|error| format!("the tokens were refreshed but not kept: {error}"))?;
    eprintln!(
        "cognito-signin: refreshed the tokens of {} (kept in {})",
        cached.entry.username,
        path.display()
    );
    Ok(())
}

/// The tokens with `ExpiresIn` counted from now (never below 0), as a script expects.
fn remaining(entry: &CachedTokens, now: OffsetDateTime) -> AuthenticationResult {
    let mut result = entry.authentication_result.clone();
    result.expires_in = (entry.expires_at() - now).whole_seconds().max(0);
    result
}

/// REFRESH_TOKEN_AUTH with the cached refresh token (plus SECRET_HASH over the username
/// the tokens were issued for, and DEVICE_KEY when this machine has a device). Cognito
/// returns no new refresh token, so the old one is kept.
async fn refresh(cached: &Cached) -> Result<CachedTokens, String> {
    let entry = &cached.entry;
    let who = &entry.username;
    let refresh_token = entry
        .authentication_result
        .refresh_token
        .as_ref()
        .ok_or_else(|| {
            format!("the cached tokens of {who} have no refresh token, so they cannot be refreshed; sign in again")
        })?;
    let mut parameters = std::collections::BTreeMap::new();
    parameters.insert(
        "REFRESH_TOKEN".to_owned(),
        refresh_token.expose().to_owned(),
    );
    if let Some(secret) = &cached.settings.client_secret {
        // SECRET_HASH = Base64(HMAC-SHA256(secret, username + client id)), over the name
        // the tokens were issued for.
        let username = token_username(&entry.authentication_result).unwrap_or_else(|| who.clone());
        parameters.insert(
            "SECRET_HASH".to_owned(),
            secret_hash(&username, &entry.client_id, secret.expose()),
        );
    }
    // The device this machine signs in with: the remembered one, else the one this
    // sign-in was given.
    let device_key = cached
        .remembered_device()
        .map(|device| device.device_key)
        .or_else(|| {
            entry
                .authentication_result
                .new_device_metadata
                .as_ref()
                .map(|device| device.device_key.clone())
        });
    if let Some(device_key) = device_key {
        parameters.insert("DEVICE_KEY".to_owned(), device_key);
    }
    let answer = if cached.admin {
        let request = AdminInitiateAuthRequest {
            user_pool_id: entry.user_pool_id.clone(),
            client_id: entry.client_id.clone(),
            auth_flow: AuthFlowType::RefreshTokenAuth,
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        };
        cached.client.admin_initiate_auth(&request).await
    } else {
        let request = InitiateAuthRequest {
            auth_flow: AuthFlowType::RefreshTokenAuth,
            client_id: entry.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        };
        cached.client.initiate_auth(&request).await
    }
    .map_err(|error| refused(who, &error, cached.settings.client_secret.is_some()))?;
    let Some(mut result) = answer.authentication_result else {
        let challenge = answer.challenge_name.unwrap_or_default();
        return Err(format!(
            "Cognito asked for a challenge ({challenge}) instead of refreshing the tokens of {who}; sign in again"
        ));
    };
    if result.refresh_token.is_none() {
        result.refresh_token = entry.authentication_result.refresh_token.clone();
    }
    if result.new_device_metadata.is_none() {
        result.new_device_metadata = entry.authentication_result.new_device_metadata.clone();
    }
    Ok(CachedTokens {
        received_at: OffsetDateTime::now_utc(),
        authentication_result: result,
        ..entry.clone()
    })
}

/// The sentence for a failed refresh: a refused refresh token means signing in again
/// (or, without `--client-secret`, perhaps passing the client's secret).
fn refused(who: &str, error: &ApiError, had_secret: bool) -> String {
    match error.kind() {
        Some(ErrorType::NotAuthorized) if had_secret => format!(
            "the refresh token of {who} was refused ({error}); it has expired or was revoked: sign in again"
        ),
        Some(ErrorType::NotAuthorized) => format!(
            "the refresh token of {who} was refused ({error}); if the app client has a secret, pass --client-secret, else the token has expired or was revoked: sign in again"
        ),
        _ => format!("could not refresh the tokens of {who}: {error}"),
    }
}

/// `NAME=value` lines a shell can `eval`: tokens, then the expiry as RFC 3339 (UTC).
fn print_env(entry: &CachedTokens, result: &AuthenticationResult) -> Result<(), String> {
    let mut lines = String::new();
    let mut line = |name: &str, value: &str| {
        lines.push_str(name);
        lines.push('=');
        lines.push_str(&shell_quote(value));
        lines.push('\n');
    };
    if let Some(id) = &result.id_token {
        line("COGNITO_ID_TOKEN", id.expose());
    }
    line("COGNITO_ACCESS_TOKEN", result.access_token.expose());
    if let Some(refresh) = &result.refresh_token {
        line("COGNITO_REFRESH_TOKEN", refresh.expose());
    }
    // Whole seconds: 2026-11-22T09:10:42Z.
    let expires_at = entry
        .expires_at()
        .replace_nanosecond(0)
        .unwrap_or(entry.expires_at())
        .format(&Rfc3339)
        .map_err(|error| format!("could not write the expiry time: {error}"))?;
    line("COGNITO_TOKEN_EXPIRES_AT", &expires_at);
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(lines.as_bytes())
        .and_then(|()| stdout.flush());
    zeroize::Zeroize::zeroize(&mut lines);
    written.map_err(|error| format!("could not write to stdout: {error}"))
}

/// The value as is when it holds only characters no shell treats specially (JWTs do),
/// else in single quotes with each `'` written as `'\''`.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/+=,@%".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn values_are_shell_safe() {
        assert_eq!(shell_quote("eyJ.a-b_c.d"), "eyJ.a-b_c.d");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_quote(""), "''");
    }
}
