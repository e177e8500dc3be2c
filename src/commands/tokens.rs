//! `cognito-signin tokens`: the cached tokens on stdout, refreshed first when they
//! expire within `--min-ttl`: by GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH where the
//! endpoint lacks it), or by AdminInitiateAuth with `--admin`.

use std::io::Write;

use crate::auth::cache::{CachedTokens, token_username};
use crate::cli::{TokensArgs, TokensOutput};
use crate::cognito::types::{
    AdminInitiateAuthRequest, AuthResponse, AuthenticationResult, GetTokensFromRefreshTokenRequest,
    InitiateAuthRequest,
};
use crate::cognito::{ApiError, AuthFlowType, ErrorType};
use crate::crypto::secret_hash;
use crate::sensitive::Sensitive;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Cached, CommandError, print_json};

/// Runs `tokens`.
pub async fn run(args: TokensArgs) -> Result<(), CommandError> {
    let cached = Cached::open(&args.pool, args.username.as_deref())?;
    Ok(print_tokens(cached, &args).await?)
}

/// Refreshes the cached tokens if they expire within `--min-ttl`, then prints them.
async fn print_tokens(mut cached: Cached, args: &TokensArgs) -> Result<(), String> {
    if args.admin {
        cached
            .sign_with_aws_credentials(args.profile.as_deref())
            .await?;
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
    let (refreshed, by) = refresh(cached).await?;
    let rotated = refreshed.authentication_result.refresh_token
        != cached.entry.authentication_result.refresh_token;
    cached.entry = refreshed;
    // One atomic write of the whole entry: the new refresh token never sits beside the
    // old tokens, nor the old refresh token beside the new ones.
    let path = cached.cache.save(&cached.entry).map_err(|error| {
        if rotated {
            format!(
                "the tokens were refreshed but not kept ({error}); the app client rotates refresh tokens, so the cached one stops working soon: sign in again"
            )
        } else {
            format!("the tokens were refreshed but not kept: {error}")
        }
    })?;
    if by == RefreshedBy::FallbackRefreshTokenAuth {
        eprintln!(
            "cognito-signin: {} does not serve GetTokensFromRefreshToken; refreshed with REFRESH_TOKEN_AUTH instead",
            cached.client.endpoint_url()
        );
    }
    let with_new_refresh_token = if rotated {
        ", with a new refresh token"
    } else {
        ""
    };
    eprintln!(
        "cognito-signin: refreshed the tokens of {}{with_new_refresh_token} (kept in {})",
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

/// How a refresh reached the endpoint, for what the person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefreshedBy {
    /// GetTokensFromRefreshToken.
    GetTokens,
    /// REFRESH_TOKEN_AUTH, because the endpoint does not serve GetTokensFromRefreshToken.
    FallbackRefreshTokenAuth,
    /// AdminInitiateAuth's REFRESH_TOKEN_AUTH (`--admin`).
    Admin,
}

/// What a refresh needs from the cache: the refresh token, the name SECRET_HASH is
/// computed over, and the device this machine signs in with.
struct RefreshInput {
    refresh_token: String,
    username: String,
    device_key: Option<String>,
}

/// Refreshes the cached tokens: GetTokensFromRefreshToken (which works whether or not
/// the app client rotates refresh tokens), falling back to REFRESH_TOKEN_AUTH when the
/// endpoint does not know that operation (older emulators); `--admin` uses
/// AdminInitiateAuth's REFRESH_TOKEN_AUTH. A new refresh token (rotation) replaces the
/// cached one; without one the old one is kept.
async fn refresh(cached: &Cached) -> Result<(CachedTokens, RefreshedBy), String> {
    let entry = &cached.entry;
    let who = &entry.username;
    let had_secret = cached.settings.client_secret.is_some();
    let input = refresh_input(cached)?;
    let (answer, by) = if cached.admin {
        let answer = refresh_token_auth(cached, &input, true).await;
        (answer, RefreshedBy::Admin)
    } else {
        match get_tokens(cached, &input).await {
            Err(error) if endpoint_lacks_operation(&error) => {
                let answer = refresh_token_auth(cached, &input, false).await;
                (answer, RefreshedBy::FallbackRefreshTokenAuth)
            }
            answer => (answer, RefreshedBy::GetTokens),
        }
    };
    let answer = answer.map_err(|error| refused(who, &error, had_secret))?;
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
    let refreshed = CachedTokens {
        received_at: OffsetDateTime::now_utc(),
        authentication_result: result,
        ..entry.clone()
    };
    Ok((refreshed, by))
}

/// The refresh token, SECRET_HASH's username and device key of the cached entry.
fn refresh_input(cached: &Cached) -> Result<RefreshInput, String> {
    let entry = &cached.entry;
    let who = &entry.username;
    let refresh_token = entry
        .authentication_result
        .refresh_token
        .as_ref()
        .ok_or_else(|| {
            format!("the cached tokens of {who} have no refresh token, so they cannot be refreshed; sign in again")
        })?;
    // The device this machine signs in with: the remembered one, else the one this
    // sign-in was given. Tokens issued with a device refresh only with its key.
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
    Ok(RefreshInput {
        refresh_token: refresh_token.expose().to_owned(),
        username: token_username(&entry.authentication_result).unwrap_or_else(|| who.clone()),
        device_key,
    })
}

/// GetTokensFromRefreshToken, with the client secret itself when the client has one.
async fn get_tokens(cached: &Cached, input: &RefreshInput) -> Result<AuthResponse, ApiError> {
    let request = GetTokensFromRefreshTokenRequest {
        refresh_token: input.refresh_token.clone().into(),
        client_id: cached.entry.client_id.clone(),
        client_secret: cached.settings.client_secret.clone(),
        device_key: input.device_key.clone(),
        client_metadata: None,
    };
    let answer = cached
        .client
        .get_tokens_from_refresh_token(&request)
        .await?;
    Ok(AuthResponse {
        authentication_result: answer.authentication_result,
        ..AuthResponse::default()
    })
}

/// REFRESH_TOKEN_AUTH by InitiateAuth, or by AdminInitiateAuth when `admin`; with
/// SECRET_HASH over the username the tokens were issued for, and DEVICE_KEY.
async fn refresh_token_auth(
    cached: &Cached,
    input: &RefreshInput,
    admin: bool,
) -> Result<AuthResponse, ApiError> {
    let entry = &cached.entry;
    let mut parameters = std::collections::BTreeMap::new();
    parameters.insert("REFRESH_TOKEN".to_owned(), input.refresh_token.clone());
    if let Some(secret) = &cached.settings.client_secret {
        // SECRET_HASH = Base64(HMAC-SHA256(secret, username + client id)).
        parameters.insert(
            "SECRET_HASH".to_owned(),
            secret_hash(&input.username, &entry.client_id, secret.expose()),
        );
    }
    if let Some(device_key) = &input.device_key {
        parameters.insert("DEVICE_KEY".to_owned(), device_key.clone());
    }
    if admin {
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
}

/// Whether an error says the endpoint does not serve the operation at all (so an older
/// emulator), rather than refusing the request: UnknownOperationException (the local
/// pool, and servers of the JSON protocol), InvalidAction, or an answer that is not
/// Cognito's with HTTP 404, 500 or 501 (moto raises NotImplementedError for an
/// operation it lacks, which its server turns into an HTML 500 page). A Cognito error
/// with a type, 500 included (InternalErrorException), is never taken for one.
fn endpoint_lacks_operation(error: &ApiError) -> bool {
    match error {
        ApiError::Service { kind, .. } => match kind {
            ErrorType::UnknownOperation => true,
            ErrorType::Other(name) => name == "InvalidAction",
            _ => false,
        },
        ApiError::BadResponse { status, .. } => matches!(status, 404 | 500 | 501),
        _ => false,
    }
}

/// The sentence for a failed refresh: a refused refresh token means signing in again
/// (or, without `--client-secret`, perhaps passing the client's secret).
fn refused(who: &str, error: &ApiError, had_secret: bool) -> String {
    match error.kind() {
        Some(ErrorType::RefreshTokenReuse) => format!(
            "the refresh token of {who} was refused ({error}); the app client rotates refresh tokens and this one was already replaced: sign in again"
        ),
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
    use super::{ApiError, ErrorType, endpoint_lacks_operation, shell_quote};

    fn service(kind: ErrorType, status: u16) -> ApiError {
        ApiError::Service {
            kind,
            message: String::new(),
            status,
            request_id: None,
        }
    }

    fn not_cognito(status: u16) -> ApiError {
        ApiError::BadResponse {
            endpoint: "http://127.0.0.1:1/".to_owned(),
            status,
            detail: "Internal Server Error".to_owned(),
        }
    }

    #[test]
    fn only_an_unknown_operation_sends_the_refresh_back_to_refresh_token_auth() {
        assert!(endpoint_lacks_operation(&service(
            ErrorType::UnknownOperation,
            400
        )));
        assert!(endpoint_lacks_operation(&service(
            ErrorType::Other("InvalidAction".to_owned()),
            400
        )));
        // moto: an HTML 500 page for an operation it does not implement.
        assert!(endpoint_lacks_operation(&not_cognito(500)));
        assert!(endpoint_lacks_operation(&not_cognito(404)));
        // Cognito refusing the token, or failing, is not a missing operation.
        assert!(!endpoint_lacks_operation(&service(
            ErrorType::NotAuthorized,
            400
        )));
        assert!(!endpoint_lacks_operation(&service(
            ErrorType::RefreshTokenReuse,
            400
        )));
        assert!(!endpoint_lacks_operation(&service(
            ErrorType::InternalError,
            500
        )));
        assert!(!endpoint_lacks_operation(&not_cognito(503)));
        assert!(!endpoint_lacks_operation(&ApiError::Timeout {
            endpoint: "http://127.0.0.1:1/".to_owned()
        }));
    }

    #[test]
    fn values_are_shell_safe() {
        assert_eq!(shell_quote("eyJ.a-b_c.d"), "eyJ.a-b_c.d");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_quote(""), "''");
    }
}
