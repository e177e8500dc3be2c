//! The token lifecycle end to end, with the real binary against the local pool: a
//! sign-in caches the tokens (0600), `tokens` prints and refreshes them, `whoami` checks
//! them against the pool's JWKS, `sign-out` revokes them and clears the cache.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_signin::auth::cache::{CachedTokens, TokenCache, write_atomically};
use cognito_signin::cognito::ErrorType;
use cognito_signin::cognito::types::InitiateAuthRequest;
use cognito_signin::local_pool::{RunningPool, demo};
use cognito_signin::sensitive::Sensitive;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use crate::support::binary::{
    Binary, failed, plain_password_sign_in, pool_flags, stderr, stdout, succeeded,
};
use crate::support::fake::{FakeCognito, Reply};
use crate::support::pool::{client_of, demo_pool};

/// A local pool, and the binary in a home of its own for one story.
struct Story {
    pool: RunningPool,
    binary: Binary,
}

impl Story {
    async fn start() -> Self {
        Self {
            pool: demo_pool().await,
            binary: Binary::new(),
        }
    }

    fn cache(&self) -> TokenCache {
        TokenCache::at(self.binary.cache_home())
    }

    fn cache_file(&self, username: &str) -> PathBuf {
        self.cache()
            .path_of(demo::POOL_ID, demo::PUBLIC_CLIENT_ID, username)
    }

    fn cached(&self, username: &str) -> CachedTokens {
        self.cache()
            .load(demo::POOL_ID, demo::PUBLIC_CLIENT_ID, username)
            .unwrap()
    }

    /// The flags that point the binary at the demo pool's public client.
    fn pool_flags(&self) -> [&str; 6] {
        pool_flags(&self.pool, demo::POOL_ID, demo::PUBLIC_CLIENT_ID)
    }

    /// Signs alice in with the plain front end, the password on stdin.
    fn sign_in(&self, extra: &[&str]) -> Output {
        let mut args = self.pool_flags().to_vec();
        args.extend(plain_password_sign_in("alice"));
        args.extend(extra);
        let output = self
            .binary
            // --username names alice: only the password is asked.
            .run_with_input(&args, &format!("{}\n", demo::PASSWORD));
        assert!(output.status.success(), "{}", stderr(&output));
        output
    }

    /// Runs a token subcommand with the pool flags.
    fn run(&self, subcommand: &str, extra: &[&str]) -> Output {
        let mut args = vec![subcommand];
        args.extend(self.pool_flags());
        args.extend(extra);
        self.binary.run(&args)
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// An RSA key of our own, to sign tokens the pool never issued.
struct OwnKey {
    kid: String,
    encoding: EncodingKey,
    jwks: Value,
}

impl OwnKey {
    fn new(kid: &str) -> Self {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let der = private.to_pkcs1_der().unwrap();
        Self {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            jwks: json!({"keys": [{
                "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
            }]}),
        }
    }

    fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }

    /// An ID and access token pair for alice of `issuer`, expiring at `exp`.
    fn pair(&self, issuer: &str, exp: i64) -> (String, String) {
        let client = demo::PUBLIC_CLIENT_ID;
        let id = json!({"iss": issuer, "aud": client, "token_use": "id", "exp": exp,
                        "sub": "s-1", "cognito:username": "alice"});
        let access = json!({"iss": issuer, "client_id": client, "token_use": "access",
                            "exp": exp, "sub": "s-1", "username": "alice"});
        (self.sign(&id), self.sign(&access))
    }
}

/// Replaces the cached ID and access tokens of alice.
fn replace_cached_tokens(story: &Story, id: String, access: String) {
    let mut entry = story.cached("alice");
    entry.authentication_result.id_token = Some(id.into());
    entry.authentication_result.access_token = access.into();
    story.cache().save(&entry).unwrap();
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_caches_tokens_prints_refreshes_and_checks_them() {
    let story = Story::start().await;
    let output = story.sign_in(&[]);
    assert!(
        stderr(&output).contains("tokens cached in"),
        "{}",
        stderr(&output)
    );

    // The cache file: 0600, the tokens of alice, nothing of them on stderr.
    let file = story.cache_file("alice");
    assert!(file.exists(), "{}", file.display());
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    let first = story.cached("alice");
    assert_eq!(first.endpoint_url, story.pool.url());
    let access = first.authentication_result.access_token.expose().clone();
    assert!(!stderr(&output).contains(&access));

    // tokens --output json: the sign-in's shape, the cached tokens.
    let printed: Value = serde_json::from_str(&succeeded(&story.run("tokens", &[]))).unwrap();
    assert_eq!(printed["ChallengeParameters"], json!({}));
    let result = &printed["AuthenticationResult"];
    assert_eq!(result["AccessToken"], access.as_str());
    assert_eq!(result["TokenType"], "Bearer");
    assert!(result["ExpiresIn"].as_i64().unwrap() > 3500);

    // --output env: one shell-safe line per value.
    let env = succeeded(&story.run("tokens", &["--output", "env", "--username", "alice"]));
    let names: Vec<&str> = env.lines().filter_map(|l| l.split('=').next()).collect();
    assert_eq!(
        names,
        [
            "COGNITO_ID_TOKEN",
            "COGNITO_ACCESS_TOKEN",
            "COGNITO_REFRESH_TOKEN",
            "COGNITO_TOKEN_EXPIRES_AT"
        ]
    );
    assert!(env.contains(&format!("COGNITO_ACCESS_TOKEN={access}\n")));
    let expires_at = env
        .lines()
        .last()
        .unwrap()
        .trim_start_matches("COGNITO_TOKEN_EXPIRES_AT=");
    assert!(
        time::OffsetDateTime::parse(expires_at, &time::format_description::well_known::Rfc3339)
            .is_ok()
            && expires_at.ends_with('Z')
            && !expires_at.contains('.'),
        "{expires_at}"
    );

    // --min-ttl 2h: tokens live 1 h, so they are refreshed first; the refresh token stays.
    let output = story.run("tokens", &["--min-ttl", "2h"]);
    let printed: Value = serde_json::from_str(&succeeded(&output)).unwrap();
    assert!(stderr(&output).contains("refreshed the tokens of alice"));
    let refreshed = story.cached("alice");
    let new_access = refreshed.authentication_result.access_token.expose();
    assert_ne!(new_access, &access, "the access token changed");
    assert_eq!(
        printed["AuthenticationResult"]["AccessToken"],
        new_access.as_str()
    );
    assert_eq!(
        refreshed.authentication_result.refresh_token,
        first.authentication_result.refresh_token
    );
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);

    // whoami on valid tokens: who, from the verified claims.
    let summary = succeeded(&story.run("whoami", &[]));
    assert!(summary.contains("Signed in as alice"), "{summary}");
    assert!(summary.contains("alice@example.com"), "{summary}");
    assert!(summary.contains("operators"), "{summary}");
    let claims: Value =
        serde_json::from_str(&succeeded(&story.run("whoami", &["--output", "json"]))).unwrap();
    assert_eq!(claims["IdToken"]["token_use"], "id");
    assert_eq!(claims["AccessToken"]["client_id"], demo::PUBLIC_CLIENT_ID);
    assert_eq!(
        claims["AccessToken"]["iss"],
        format!("{}/{}", story.pool.url(), demo::POOL_ID)
    );

    // whoami on tokens signed by another key: the precise reason.
    let own = OwnKey::new("not-the-pools-key");
    let (id, access) = own.pair(
        &format!("{}/{}", story.pool.url(), demo::POOL_ID),
        now() + 600,
    );
    replace_cached_tokens(&story, id, access);
    let reason = failed(&story.run("whoami", &[]));
    assert!(
        reason.contains(
            "the ID token's signature does not match any key of the pool's JWKS (its kid not-the-pools-key is not among them)"
        ),
        "{reason}"
    );
    assert!(reason.contains("sign in again"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whoami_says_when_a_token_expired() {
    let story = Story::start().await;
    story.sign_in(&[]);
    // A pool whose keys we hold, so an expired token is otherwise valid: the fake
    // endpoint publishes them at every path, as a pool publishes its JWKS.
    let own = OwnKey::new("our-key");
    let server = FakeCognito::answering(
        Reply::raw(200, own.jwks.to_string()).header("content-type", "application/json"),
    )
    .await;
    let jwks_url = server.url.trim_end_matches('/');
    let expired_at = now() - 60;
    let (id, access) = own.pair(&format!("{jwks_url}/{}", demo::POOL_ID), expired_at);
    replace_cached_tokens(&story, id, access);
    let reason = failed(&story.binary.run(&[
        "whoami",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::PUBLIC_CLIENT_ID,
        "--endpoint-url",
        jwks_url,
    ]));
    let at = time::OffsetDateTime::from_unix_timestamp(expired_at)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert!(
        reason.contains(&format!("the ID token expired at {at}")),
        "{reason}"
    );
    assert!(
        reason.contains(&format!("the access token expired at {at}")),
        "{reason}"
    );
    assert!(reason.contains("cognito-signin tokens"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_refresh_token_says_to_sign_in_again() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let mut entry = story.cached("alice");
    entry.authentication_result.refresh_token = Some("not-a-refresh-token".into());
    story.cache().save(&entry).unwrap();
    let reason = failed(&story.run("tokens", &["--min-ttl", "2h"]));
    assert!(reason.contains("sign in again"), "{reason}");
    assert!(reason.contains("refused"), "{reason}");

    entry.authentication_result.refresh_token = None;
    story.cache().save(&entry).unwrap();
    let reason = failed(&story.run("tokens", &["--min-ttl", "2h"]));
    assert!(reason.contains("no refresh token"), "{reason}");
    assert!(reason.contains("sign in again"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cache_keeps_nothing_and_tokens_then_says_to_sign_in() {
    let story = Story::start().await;
    story.sign_in(&["--no-cache"]);
    assert!(!story.cache_file("alice").exists());
    let reason = failed(&story.run("tokens", &[]));
    assert!(reason.contains("no tokens are cached"), "{reason}");
    assert!(reason.contains("sign in first"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_file_is_named_with_the_fix() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let file = story.cache_file("alice");
    std::fs::write(&file, "{ not json").unwrap();
    for command in ["tokens", "whoami", "sign-out"] {
        let reason = failed(&story.run(command, &[]));
        assert!(reason.contains(&file.display().to_string()), "{reason}");
        assert!(reason.contains("delete it and sign in again"), "{reason}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_file_far_larger_than_any_tokens_is_refused_with_the_fix() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let file = story.cache_file("alice");
    // 200 MB, sparse: the commands refuse it after its first MiB.
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    for command in ["tokens", "whoami", "sign-out", "devices"] {
        let reason = failed(&story.run(command, &[]));
        assert!(reason.contains(&file.display().to_string()), "{reason}");
        assert!(reason.contains("larger than 1 MiB"), "{reason}");
        assert!(reason.contains("delete it and sign in again"), "{reason}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_revokes_the_refresh_token_and_clears_the_cache() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let refresh_token = story
        .cached("alice")
        .authentication_result
        .refresh_token
        .unwrap();
    let output = story.run("sign-out", &[]);
    succeeded(&output);
    assert!(stdout(&output).is_empty());
    assert!(!story.cache_file("alice").exists());
    assert!(stderr(&output).contains("removed"), "{}", stderr(&output));

    let refresh = client_of(&story.pool)
        .initiate_auth(&InitiateAuthRequest {
            auth_flow: "REFRESH_TOKEN_AUTH".into(),
            client_id: demo::PUBLIC_CLIENT_ID.into(),
            auth_parameters: Sensitive::new(
                [("REFRESH_TOKEN".to_owned(), refresh_token.expose().clone())].into(),
            ),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refresh.kind(), Some(&ErrorType::NotAuthorized), "{refresh}");

    // Nothing left to sign out.
    let reason = failed(&story.run("sign-out", &[]));
    assert!(reason.contains("no tokens are cached"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_with_tokens_already_revoked_still_clears_the_cache() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let stale = story.cached("alice");
    succeeded(&story.run("sign-out", &[]));
    // The same tokens, cached again after they were revoked.
    story.cache().save(&stale).unwrap();
    let output = story.run("sign-out", &[]);
    succeeded(&output);
    let said = stderr(&output);
    assert!(said.contains("already expired or been revoked"), "{said}");
    assert!(!story.cache_file("alice").exists());
    let token = stale.authentication_result.access_token.expose();
    assert!(!said.contains(token.as_str()), "no token on stderr");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whoami_notices_tokens_revoked_before_they_expire() {
    let story = Story::start().await;
    story.sign_in(&[]);
    let stale = story.cached("alice");
    succeeded(&story.run("sign-out", &[]));
    // The revoked tokens, still within their hour and correctly signed.
    story.cache().save(&stale).unwrap();
    let reason = failed(&story.run("whoami", &[]));
    assert!(reason.contains("have been revoked"), "{reason}");
    assert!(reason.contains("sign in again"), "{reason}");
}

#[test]
fn a_crash_mid_write_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let cache = TokenCache::at(dir.path());
    let path = cache.path_of(demo::POOL_ID, demo::PUBLIC_CLIENT_ID, "alice");
    write_atomically(&path, |file| file.write_all(b"{\"previous\": true}")).unwrap();
    let crashed = write_atomically(&path, |file| {
        file.write_all(b"{\"next\": tr")?;
        Err(std::io::Error::other("the process died here"))
    });
    assert!(crashed.is_err());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"previous\": true}"
    );
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["alice.json"], "no temporary file is left behind");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_a_secret_refreshes_and_signs_out_with_it() {
    let story = Story::start().await;
    let flags = [
        "--endpoint-url",
        story.pool.url(),
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::SECRET_CLIENT_ID,
        "--client-secret",
        demo::CLIENT_SECRET,
    ];
    let mut sign_in = flags.to_vec();
    sign_in.extend(["--plain", "--auth-flow", "USER_PASSWORD_AUTH"]);
    succeeded(
        &story
            .binary
            .run_with_input(&sign_in, &format!("alice\n{}\n", demo::PASSWORD)),
    );
    let cache = story.cache();
    let before = cache
        .load(demo::POOL_ID, demo::SECRET_CLIENT_ID, "alice")
        .unwrap();

    // SECRET_HASH over the tokens' username goes with the refresh.
    succeeded(
        &story
            .binary
            .run(&[&["tokens"], &flags[..], &["--min-ttl", "2h"]].concat()),
    );
    let after = cache
        .load(demo::POOL_ID, demo::SECRET_CLIENT_ID, "alice")
        .unwrap();
    assert_ne!(
        after.authentication_result.access_token,
        before.authentication_result.access_token
    );

    // Without the secret, the refresh is refused with a sentence.
    let reason = failed(
        &story
            .binary
            .run(&[&["tokens"], &flags[..6], &["--min-ttl", "2h"]].concat()),
    );
    assert!(reason.contains("pass --client-secret"), "{reason}");

    let output = story.binary.run(&[&["sign-out"], &flags[..]].concat());
    succeeded(&output);
    assert!(
        stderr(&output).contains("revoked the refresh token"),
        "{}",
        stderr(&output)
    );
    assert!(
        !cache
            .path_of(demo::POOL_ID, demo::SECRET_CLIENT_ID, "alice")
            .exists()
    );
}

/// A client of the demo pool made through the API, rotating refresh tokens with a
/// grace period of `grace` seconds; its id.
async fn rotating_client(pool: &RunningPool, grace: u64) -> String {
    let created = crate::support::pool::call(
        pool,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": demo::POOL_ID,
            "ClientName": "rotating",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
            "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace},
        }),
    )
    .await
    .ok();
    created["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_rotation_tokens_keeps_the_new_refresh_token_and_the_old_one_stops() {
    let story = Story::start().await;
    let client_id = rotating_client(&story.pool, 0).await;
    let flags = pool_flags(&story.pool, demo::POOL_ID, &client_id);
    let mut sign_in = flags.to_vec();
    sign_in.extend(["--plain", "--auth-flow", "USER_PASSWORD_AUTH"]);
    succeeded(
        &story
            .binary
            .run_with_input(&sign_in, &format!("alice\n{}\n", demo::PASSWORD)),
    );
    let cache = story.cache();
    let before = cache.load(demo::POOL_ID, &client_id, "alice").unwrap();
    let old_refresh = before.authentication_result.refresh_token.clone().unwrap();

    let output = story
        .binary
        .run(&[&["tokens"], &flags[..], &["--min-ttl", "2h"]].concat());
    let printed: Value = serde_json::from_str(&succeeded(&output)).unwrap();
    let said = stderr(&output);
    assert!(said.contains("with a new refresh token"), "{said}");
    assert!(!said.contains("REFRESH_TOKEN_AUTH instead"), "{said}");
    // The whole entry was replaced: new access and refresh tokens, side by side.
    let after = cache.load(demo::POOL_ID, &client_id, "alice").unwrap();
    let new_refresh = after.authentication_result.refresh_token.clone().unwrap();
    assert_ne!(new_refresh, old_refresh);
    assert_ne!(
        after.authentication_result.access_token,
        before.authentication_result.access_token
    );
    assert_eq!(
        printed["AuthenticationResult"]["RefreshToken"],
        new_refresh.expose().as_str()
    );
    assert!(
        !said.contains(new_refresh.expose().as_str()),
        "no token on stderr"
    );

    // The replaced token is refused (no grace period); the kept one refreshes again.
    let reuse = crate::support::pool::call(
        &story.pool,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": old_refresh.expose(), "ClientId": client_id}),
    )
    .await;
    reuse.assert_error_type("RefreshTokenReuseException");
    succeeded(
        &story
            .binary
            .run(&[&["tokens"], &flags[..], &["--min-ttl", "2h"]].concat()),
    );

    // A stale copy of the old entry is told to sign in again.
    story.cache().save(&before).unwrap();
    let reason = failed(
        &story
            .binary
            .run(&[&["tokens"], &flags[..], &["--min-ttl", "2h"]].concat()),
    );
    assert!(reason.contains("rotates refresh tokens"), "{reason}");
    assert!(reason.contains("sign in again"), "{reason}");
}

/// An AuthenticationResult as an endpoint answers a refresh: no refresh token.
fn refreshed_answer() -> Reply {
    Reply::json(
        200,
        json!({"AuthenticationResult": {
            "AccessToken": "new-access", "IdToken": "new-id",
            "ExpiresIn": 3600, "TokenType": "Bearer",
        }, "ChallengeParameters": {}}),
    )
}

/// alice signed in against the local pool, then `tokens` run against `fake` (which
/// plays an older emulator), with `extra` flags. Gives the run and the refresh token.
async fn refresh_against(fake: &FakeCognito, extra: &[&str]) -> (Output, String) {
    let story = Story::start().await;
    story.sign_in(&[]);
    let refresh_token = story
        .cached("alice")
        .authentication_result
        .refresh_token
        .unwrap()
        .expose()
        .clone();
    let mut args = vec![
        "tokens",
        "--endpoint-url",
        &fake.url,
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::PUBLIC_CLIENT_ID,
        "--min-ttl",
        "2h",
    ];
    args.extend(extra);
    let output = story
        .binary
        .command()
        .args(&args)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
        .output()
        .unwrap();
    (output, refresh_token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_fall_back_to_refresh_token_auth_where_get_tokens_is_unknown() {
    // moto's answer to an operation it lacks: an HTML 500 page; the local pool's and
    // other JSON servers': UnknownOperationException.
    let unknown_answers = [
        Reply::raw(
            500,
            "<!doctype html><title>500 Internal Server Error</title><h1>Internal Server Error</h1>",
        )
        .header("content-type", "text/html"),
        Reply::error(
            "UnknownOperationException",
            "The operation is not served here.",
        ),
    ];
    for unknown in unknown_answers {
        let fake = FakeCognito::start(move |operation, _| match operation {
            "GetTokensFromRefreshToken" => unknown.clone(),
            "InitiateAuth" => refreshed_answer(),
            _ => Reply::error("UnexpectedCall", "not in the script"),
        })
        .await;
        let (output, refresh_token) = refresh_against(&fake, &[]).await;
        let printed: Value = serde_json::from_str(&succeeded(&output)).unwrap();
        assert_eq!(printed["AuthenticationResult"]["AccessToken"], "new-access");
        // The refresh token is kept: the fallback brings no new one.
        assert_eq!(
            printed["AuthenticationResult"]["RefreshToken"],
            refresh_token.as_str()
        );
        let said = stderr(&output);
        assert!(
            said.contains("does not serve GetTokensFromRefreshToken; refreshed with REFRESH_TOKEN_AUTH instead"),
            "{said}"
        );
        assert_eq!(
            fake.operations(),
            ["GetTokensFromRefreshToken", "InitiateAuth"]
        );
        let first = fake.body(0);
        assert_eq!(first["RefreshToken"], refresh_token.as_str());
        assert_eq!(first["ClientId"], demo::PUBLIC_CLIENT_ID);
        let second = fake.body(1);
        assert_eq!(second["AuthFlow"], "REFRESH_TOKEN_AUTH");
        assert_eq!(
            second["AuthParameters"]["REFRESH_TOKEN"],
            refresh_token.as_str()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_get_tokens_is_not_retried_with_refresh_token_auth() {
    let fake = FakeCognito::answering(Reply::error(
        "NotAuthorizedException",
        "Invalid Refresh Token.",
    ))
    .await;
    let (output, _) = refresh_against(&fake, &[]).await;
    let reason = failed(&output);
    assert!(reason.contains("Invalid Refresh Token."), "{reason}");
    assert!(reason.contains("sign in again"), "{reason}");
    assert_eq!(fake.operations(), ["GetTokensFromRefreshToken"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_admin_keeps_admin_initiate_auth() {
    let fake = FakeCognito::answering(refreshed_answer()).await;
    let (output, refresh_token) = refresh_against(&fake, &["--admin"]).await;
    succeeded(&output);
    assert_eq!(fake.operations(), ["AdminInitiateAuth"]);
    let body = fake.body(0);
    assert_eq!(body["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(body["UserPoolId"], demo::POOL_ID);
    assert_eq!(
        body["AuthParameters"]["REFRESH_TOKEN"],
        refresh_token.as_str()
    );
}
