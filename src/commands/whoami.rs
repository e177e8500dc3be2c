//! `cognito-signin whoami`: the cached ID and access tokens checked against the pool's
//! JWKS, then who they say you are, or the precise reason they are not valid. A token
//! can pass every local check and still be revoked (sign-out), which only the pool
//! knows, so GetUser asks it too.

use crate::auth::verify::{self, Expected, TokenKind, TokenProblem};
use crate::cli::{WhoamiArgs, WhoamiOutput};
use crate::cognito::ErrorType;
use crate::cognito::types::AccessTokenRequest;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{Cached, CommandError, print_value};

/// Runs `whoami`.
pub async fn run(args: WhoamiArgs) -> Result<(), CommandError> {
    let cached = Cached::open(&args.pool, args.username.as_deref())?;
    Ok(check(cached, &args).await?)
}

/// Checks the cached tokens, then prints who they are for.
async fn check(cached: Cached, args: &WhoamiArgs) -> Result<(), String> {
    let issuer = verify::issuer(cached.endpoint_url(), &cached.entry.user_pool_id);
    let jwks_url = verify::jwks_url(&issuer);
    let jwks = cached.client.fetch_jwks(&jwks_url).await.map_err(|error| {
        format!("could not read the pool's keys from {jwks_url}, so the tokens cannot be checked: {error}")
    })?;
    let expected = Expected {
        issuer,
        client_id: cached.entry.client_id.clone(),
    };
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let result = &cached.entry.authentication_result;
    let id = result
        .id_token
        .as_ref()
        .map(|token| verify::verify(token.expose(), TokenKind::Id, &expected, &jwks, now));
    let access = verify::verify(
        result.access_token.expose(),
        TokenKind::Access,
        &expected,
        &jwks,
        now,
    );
    let problems: Vec<&TokenProblem> = id
        .iter()
        .filter_map(|checked| checked.as_ref().err())
        .chain(access.as_ref().err())
        .collect();
    if !problems.is_empty() {
        let expired = problems
            .iter()
            .all(|problem| matches!(problem, TokenProblem::Expired { .. }));
        let fix = if expired {
            "run `cognito-signin tokens` to refresh them, or sign in again"
        } else {
            "sign in again"
        };
        let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(format!(
            "the cached tokens of {} are not valid: {}; {fix}",
            cached.entry.username,
            reasons.join("; ")
        ));
    }
    let id = id.and_then(Result::ok);
    #[expect(
        clippy::expect_used,
        reason = "a refused access token is one of the problems returned above, so it was accepted here"
    )]
    let access = access.expect("the access token was checked above");
    confirm_not_revoked(&cached, &access).await?;
    match args.output {
        Some(WhoamiOutput::Json) => {
            let mut both = Map::new();
            if let Some(id) = &id {
                both.insert("IdToken".into(), Value::Object(id.clone()));
            }
            both.insert("AccessToken".into(), Value::Object(access));
            print_value(&Value::Object(both))
        }
        None => {
            println!("{}", summary(&cached, id.as_ref(), &access));
            Ok(())
        }
    }
}

/// The scope an access token needs to call GetUser with it.
const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// Asks the pool (GetUser) whether the access token is still live. The token has passed
/// every local check, so a NotAuthorizedException means the pool no longer takes it:
/// revoked by a sign-out. A token without the scope GetUser needs cannot ask, and any
/// other failure (the endpoint unreachable) cannot answer: both only earn a note on
/// stderr, since the local checks already passed.
async fn confirm_not_revoked(cached: &Cached, access: &Map<String, Value>) -> Result<(), String> {
    let scopes = access.get("scope").and_then(Value::as_str).unwrap_or("");
    if !scopes.split(' ').any(|scope| scope == USER_ADMIN_SCOPE) {
        eprintln!(
            "note: the access token lacks the {USER_ADMIN_SCOPE} scope, so the pool cannot be asked whether it was revoked"
        );
        return Ok(());
    }
    let request = AccessTokenRequest {
        access_token: cached.entry.authentication_result.access_token.clone(),
    };
    match cached.client.get_user(&request).await {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == Some(&ErrorType::NotAuthorized) => Err(format!(
            "the cached tokens of {} have been revoked (signed out), though they have not expired; sign in again ({error})",
            cached.entry.username
        )),
        Err(error) => {
            eprintln!("note: the pool could not confirm the access token is still live: {error}");
            Ok(())
        }
    }
}

/// A readable summary of the verified claims.
fn summary(
    cached: &Cached,
    id: Option<&Map<String, Value>>,
    access: &Map<String, Value>,
) -> String {
    let text = |claims: Option<&Map<String, Value>>, name: &str| {
        claims
            .and_then(|claims| claims.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let username = text(id, "cognito:username")
        .or_else(|| text(Some(access), "username"))
        .unwrap_or_else(|| cached.entry.username.clone());
    let mut lines = vec![format!("Signed in as {username}")];
    let mut field = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            lines.push(format!("  {label:<14}{value}"));
        }
    };
    field("sub", text(Some(access), "sub"));
    field("email", text(id, "email"));
    let groups = access
        .get("cognito:groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        });
    field("groups", groups);
    field("user pool", Some(cached.entry.user_pool_id.clone()));
    field("client", Some(cached.entry.client_id.clone()));
    field("issuer", text(Some(access), "iss"));
    field("scope", text(Some(access), "scope"));
    let until = |claims: Option<&Map<String, Value>>| {
        claims
            .and_then(|claims| claims.get("exp"))
            .and_then(Value::as_i64)
            .map(|exp| format!("valid until {}", verify::moment(exp)))
    };
    field("ID token", until(id));
    field("access token", until(Some(access)));
    lines.join("\n")
}
