//! SECRET_HASH checks for app clients that have a secret.

use std::collections::BTreeMap;

use subtle::ConstantTimeEq;

use crate::cognito::names;
use crate::crypto;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::AppClient;

/// For a client with a secret, checks that SECRET_HASH is
/// base64(HMAC-SHA256(secret, username | client id)) for one of the names the user
/// goes by (username, or `sub`). Clients without a secret need none.
pub fn check(
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
    names: &[&str],
) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(sent) = parameters
        .get("SECRET_HASH")
        .filter(|hash| !hash.is_empty())
    else {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            names::secret_hash_not_received(&client.id),
        ));
    };
    let matches = names.iter().any(|name| {
        let expected = crypto::secret_hash(name, &client.id, secret.expose());
        bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorType::NotAuthorized,
            names::secret_hash_not_verified(&client.id),
        ))
    }
}
