//! `cognito-signin sign-out`: GlobalSignOut with the access token, RevokeToken with the
//! refresh token, then the cached file deleted, and nothing else.

use crate::cli::SignOutArgs;
use crate::cognito::types::{AccessTokenRequest, RevokeTokenRequest};
use crate::cognito::{ApiError, ErrorType};

use super::{Cached, CommandError};

/// Runs `sign-out`. A token the service refuses as already expired or revoked does not
/// stop it (the cache is cleared and that is said); any other failure keeps the cache,
/// so the command can be run again.
pub async fn run(args: SignOutArgs) -> Result<(), CommandError> {
    let cached = Cached::open(&args.pool, args.username.as_deref())?;
    Ok(sign_out(&cached).await?)
}

/// Signs the cached user out, revokes the refresh token and deletes the cached file.
async fn sign_out(cached: &Cached) -> Result<(), String> {
    let entry = &cached.entry;
    let who = &entry.username;
    let result = &entry.authentication_result;

    let signed_out = cached
        .client
        .global_sign_out(&AccessTokenRequest {
            access_token: result.access_token.clone(),
        })
        .await;
    match signed_out {
        Ok(_) => eprintln!("cognito-signin: signed {who} out everywhere (GlobalSignOut)"),
        Err(error) if already_invalid(&error) => eprintln!(
            "cognito-signin: GlobalSignOut refused the access token, which has already expired or been revoked ({error})"
        ),
        Err(error) => {
            return Err(format!(
                "GlobalSignOut failed, so the cached tokens of {who} were kept; try again: {error}"
            ));
        }
    }

    match &result.refresh_token {
        Some(token) => {
            let revoked = cached
                .client
                .revoke_token(&RevokeTokenRequest {
                    token: token.clone(),
                    client_id: entry.client_id.clone(),
                    client_secret: cached.settings.client_secret.clone(),
                })
                .await;
            match revoked {
                Ok(_) => eprintln!("cognito-signin: revoked the refresh token (RevokeToken)"),
                Err(error) if already_invalid(&error) => eprintln!(
                    "cognito-signin: RevokeToken refused the refresh token, which has already expired or been revoked ({error})"
                ),
                Err(error) => {
                    return Err(format!(
                        "RevokeToken failed, so the cached tokens of {who} were kept; try again: {error}"
                    ));
                }
            }
        }
        None => eprintln!("cognito-signin: no refresh token was cached, so none was revoked"),
    }

    let path = cached
        .cache
        .path_of(&entry.user_pool_id, &entry.client_id, who);
    cached
        .cache
        .delete(&entry.user_pool_id, &entry.client_id, who)
        .map_err(|error| format!("signed out, but {error}; delete it by hand"))?;
    eprintln!("cognito-signin: removed {}", path.display());
    Ok(())
}

/// The service's way of saying a token is no longer good (expired, revoked, unknown).
fn already_invalid(error: &ApiError) -> bool {
    matches!(error.kind(), Some(ErrorType::NotAuthorized))
}
