//! The token cache: a signed-in user's tokens kept on disk so `tokens`, `whoami` and
//! `sign-out` work later without signing in again (as `aws sso login` or `gh auth` do).
//!
//! One JSON file per (user pool, app client, username):
//! `<XDG cache dir>/cognito-signin/tokens/<pool>/<client>/<username>.json`, mode 0600 in
//! directories of mode 0700. Files are written atomically (a temporary file in the same
//! directory, fsynced, then renamed over the old one), so a crash mid-write leaves the
//! previous file whole. Each path part is percent-encoded, so no name can leave its folder.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::tokens::{Tokens, unverified_claims};
use crate::cognito::types::AuthenticationResult;

/// The folder under the cache dir that holds this program's cache.
pub const APP_DIR: &str = "cognito-signin";

/// The folder under [`APP_DIR`] that holds the tokens.
pub const TOKENS_DIR: &str = "tokens";

/// The largest token cache file read. A cached entry is three JWTs (a few kilobytes
/// each, tens of kilobytes with many groups or custom attributes) and a few names, so
/// it stays well under 64 KiB; a file 16 times that is not one of ours, and is refused
/// after reading at most this many bytes and one more, never loaded whole.
pub const MAX_CACHE_FILE_BYTES: u64 = 1024 * 1024;

/// Characters kept as they are in a path part; everything else is `%XX` (dots too, so
/// `..` or a hidden name can never be made).
const PATH_PART: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'@');

/// One cached sign-in: the tokens, when they arrived, and whose and from where they are.
/// Debug redacts the tokens (they are `Sensitive`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachedTokens {
    /// The user pool the tokens belong to.
    pub user_pool_id: String,
    /// The app client they were issued to.
    pub client_id: String,
    /// The user's name in the pool (the tokens' `cognito:username`).
    pub username: String,
    /// The endpoint the sign-in used, so a refresh and the JWKS go to the same place.
    pub endpoint_url: String,
    /// When the tokens arrived; they expire `ExpiresIn` seconds later.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// The tokens, as Cognito returned them.
    pub authentication_result: AuthenticationResult,
}

impl CachedTokens {
    /// Whether the ID token gives `alias` as this user's e-mail address (in any case),
    /// phone number or preferred username. The claims are only read, not verified: this
    /// finds a file, it grants nothing.
    fn is_known_as(&self, alias: &str) -> bool {
        let Some(id_token) = &self.authentication_result.id_token else {
            return false;
        };
        let Some(claims) = unverified_claims::<serde_json::Value>(id_token.expose()) else {
            return false;
        };
        let claim = |name: &str| claims.get(name).and_then(serde_json::Value::as_str);
        claim("email").is_some_and(|email| email.eq_ignore_ascii_case(alias))
            || claim("phone_number") == Some(alias)
            || claim("preferred_username") == Some(alias)
    }

    /// A cache entry for tokens of a finished sign-in. The username is the one the ID
    /// token (else the access token) names, so an alias typed at sign-in (an e-mail
    /// address) and the real username lead to the same entry; `typed` is the fallback.
    pub fn from_sign_in(
        user_pool_id: &str,
        client_id: &str,
        endpoint_url: &str,
        typed: &str,
        tokens: &Tokens,
    ) -> Self {
        Self {
            user_pool_id: user_pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: token_username(&tokens.result).unwrap_or_else(|| typed.to_owned()),
            endpoint_url: endpoint_url.to_owned(),
            received_at: tokens.received_at,
            authentication_result: tokens.result.clone(),
        }
    }

    /// The tokens as the rest of the program handles them.
    pub fn tokens(&self) -> Tokens {
        Tokens {
            result: self.authentication_result.clone(),
            received_at: self.received_at,
        }
    }

    /// expires_at = received_at + ExpiresIn seconds.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.tokens().expires_at()
    }
}

/// The username the tokens were issued for: the ID token's `cognito:username`, else the
/// access token's `username` (read without verification: it only names a file).
pub fn token_username(result: &AuthenticationResult) -> Option<String> {
    #[derive(Deserialize)]
    struct Names {
        #[serde(rename = "cognito:username")]
        cognito_username: Option<String>,
        username: Option<String>,
    }
    let from_id = result
        .id_token
        .as_ref()
        .and_then(|token| unverified_claims::<Names>(token.expose()))
        .and_then(|names| names.cognito_username);
    from_id.or_else(|| {
        unverified_claims::<Names>(result.access_token.expose()).and_then(|names| names.username)
    })
}

/// Why the cache could not be read or written. Display is a sentence naming the file
/// and the fix; it never contains a token.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Neither XDG_CACHE_HOME nor a home directory is known.
    #[error(
        "there is no cache directory for the token cache (set XDG_CACHE_HOME or HOME), or pass --no-cache"
    )]
    NoCacheDir,
    /// No tokens are cached for this user.
    #[error(
        "no tokens are cached for {username} in pool {user_pool_id}, client {client_id}; sign in first (cognito-signin --user-pool-id {user_pool_id} --client-id {client_id})"
    )]
    NotCached {
        user_pool_id: String,
        client_id: String,
        username: String,
    },
    /// No user at all is cached for the pool and client.
    #[error(
        "no tokens are cached for pool {user_pool_id}, client {client_id}; sign in first (cognito-signin --user-pool-id {user_pool_id} --client-id {client_id})"
    )]
    NothingCached {
        user_pool_id: String,
        client_id: String,
    },
    /// Several users are cached, and none was named.
    #[error("tokens are cached for several users ({}); choose one with --username", .0.join(", "))]
    SeveralUsers(Vec<String>),
    /// A file exists but is not cached tokens.
    #[error(
        "the token cache file {} is damaged ({detail}); delete it and sign in again",
        path.display()
    )]
    Broken { path: PathBuf, detail: String },
    /// The file system refused.
    #[error("could not {action} the token cache file {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The token cache under one root folder (normally the XDG cache dir).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCache {
    root: PathBuf,
}

impl TokenCache {
    /// The cache in the XDG cache dir (`$XDG_CACHE_HOME`, else `~/.cache`).
    pub fn from_environment() -> Result<Self, CacheError> {
        use etcetera::BaseStrategy;
        let strategy = etcetera::choose_base_strategy().map_err(|_| CacheError::NoCacheDir)?;
        Ok(Self::at(strategy.cache_dir()))
    }

    /// The cache under `cache_dir` (it holds `cognito-signin/tokens/…`).
    pub fn at(cache_dir: impl Into<PathBuf>) -> Self {
        Self {
            root: cache_dir.into().join(APP_DIR).join(TOKENS_DIR),
        }
    }

    /// The folder of one pool and client.
    fn client_dir(&self, user_pool_id: &str, client_id: &str) -> PathBuf {
        self.root
            .join(path_part(user_pool_id))
            .join(path_part(client_id))
    }

    /// `<root>/<pool>/<client>/<username>.json`.
    pub fn path_of(&self, user_pool_id: &str, client_id: &str, username: &str) -> PathBuf {
        self.client_dir(user_pool_id, client_id)
            .join(format!("{}.json", path_part(username)))
    }

    /// Writes an entry atomically, mode 0600.
    pub fn save(&self, entry: &CachedTokens) -> Result<PathBuf, CacheError> {
        let path = self.path_of(&entry.user_pool_id, &entry.client_id, &entry.username);
        let mut json = serde_json::to_vec_pretty(entry).map_err(|error| CacheError::Io {
            action: "write",
            path: path.clone(),
            source: std::io::Error::other(error),
        })?;
        json.push(b'\n');
        let written = write_atomically(&path, |file| file.write_all(&json));
        zeroize::Zeroize::zeroize(&mut json);
        written.map_err(|source| CacheError::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// Reads one user's entry.
    pub fn load(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: &str,
    ) -> Result<CachedTokens, CacheError> {
        let path = self.path_of(user_pool_id, client_id, username);
        let bytes = match read_at_most(&path, MAX_CACHE_FILE_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return Err(CacheError::Broken {
                    path,
                    detail: format!(
                        "it is larger than {} MiB, far more than any set of tokens",
                        MAX_CACHE_FILE_BYTES / (1024 * 1024)
                    ),
                });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CacheError::NotCached {
                    user_pool_id: user_pool_id.to_owned(),
                    client_id: client_id.to_owned(),
                    username: username.to_owned(),
                });
            }
            Err(source) => {
                return Err(CacheError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        let entry: CachedTokens =
            serde_json::from_slice(&bytes).map_err(|error| CacheError::Broken {
                path: path.clone(),
                // serde's position and category only: its words may quote a token.
                detail: format!(
                    "not the expected JSON at line {}, column {}",
                    error.line(),
                    error.column()
                ),
            })?;
        let mismatch = entry.user_pool_id != user_pool_id || entry.client_id != client_id;
        if mismatch {
            return Err(CacheError::Broken {
                path,
                detail: "it names another pool or client".to_owned(),
            });
        }
        Ok(entry)
    }

    /// The usernames cached for a pool and client, sorted.
    pub fn usernames(
        &self,
        user_pool_id: &str,
        client_id: &str,
    ) -> Result<Vec<String>, CacheError> {
        let dir = self.client_dir(user_pool_id, client_id);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(CacheError::Io {
                    action: "list",
                    path: dir,
                    source,
                });
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                // Names are encoded without dots, so a leading dot is a temporary file.
                if name.starts_with('.') {
                    return None;
                }
                let stem = name.strip_suffix(".json")?;
                percent_encoding::percent_decode_str(stem)
                    .decode_utf8()
                    .ok()
                    .map(|decoded| decoded.into_owned())
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// The entry for `username`, or the only cached user's when none is named.
    pub fn find(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: Option<&str>,
    ) -> Result<CachedTokens, CacheError> {
        if let Some(username) = username {
            return match self.load(user_pool_id, client_id, username) {
                Err(not_cached @ CacheError::NotCached { .. }) => self
                    .find_by_alias(user_pool_id, client_id, username)
                    .ok_or(not_cached),
                found => found,
            };
        }
        let mut names = self.usernames(user_pool_id, client_id)?;
        match names.len() {
            0 => Err(CacheError::NothingCached {
                user_pool_id: user_pool_id.to_owned(),
                client_id: client_id.to_owned(),
            }),
            1 => {
                let only = names.remove(0);
                self.load(user_pool_id, client_id, &only)
            }
            _ => Err(CacheError::SeveralUsers(names)),
        }
    }

    /// The one entry whose ID token names `alias` as its e-mail address, phone number or
    /// preferred username: entries are filed under `cognito:username`, but people sign
    /// in (and so ask again) with an alias. None when no entry, or several, match.
    fn find_by_alias(
        &self,
        user_pool_id: &str,
        client_id: &str,
        alias: &str,
    ) -> Option<CachedTokens> {
        let names = self.usernames(user_pool_id, client_id).ok()?;
        let mut matching = names
            .iter()
            .filter_map(|name| self.load(user_pool_id, client_id, name).ok())
            .filter(|entry| entry.is_known_as(alias));
        let found = matching.next()?;
        matching.next().is_none().then_some(found)
    }

    /// Deletes one user's entry; `Ok(false)` when there was none.
    pub fn delete(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: &str,
    ) -> Result<bool, CacheError> {
        let path = self.path_of(user_pool_id, client_id, username);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(CacheError::Io {
                action: "delete",
                path,
                source,
            }),
        }
    }
}

impl fmt::Display for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root.display())
    }
}

/// A name made safe as one path part (`%XX` for anything but letters, digits, `-_@`).
pub(crate) fn path_part(name: &str) -> String {
    utf8_percent_encode(name, PATH_PART).to_string()
}

/// The whole file, when it has at most `limit` bytes; `None` when it has more. Reads at
/// most `limit + 1` bytes, so a huge file costs no more memory than that. The bytes are
/// wiped when dropped (the files read this way hold tokens or device secrets).
pub(crate) fn read_at_most(
    path: &Path,
    limit: u64,
) -> std::io::Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let within = u64::try_from(bytes.len()).is_ok_and(|length| length <= limit);
    Ok(within.then_some(bytes))
}

/// Replaces `path` with what `write` puts in a file, atomically: the content goes to a
/// temporary file (mode 0600) in the same directory, is fsynced, then renamed over
/// `path`. If `write` (or anything before the rename) fails, the temporary file is
/// removed and `path` keeps its previous content. Missing directories are made, 0700.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    make_private_dirs(dir)?;
    // tempfile creates the file with mode 0600 on Unix.
    let mut temp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".json")
        .tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    temp.as_file_mut().flush()?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|error| error.error)?;
    sync_dir(dir);
    Ok(())
}

/// `mkdir -p` with mode 0700 for the folders it makes.
fn make_private_dirs(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes the rename durable where the platform allows it (best effort: the file is
/// already whole either way).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn entry(username: &str) -> CachedTokens {
        CachedTokens {
            user_pool_id: "us-east-1_Pool".into(),
            client_id: "client1".into(),
            username: username.into(),
            endpoint_url: "http://127.0.0.1:1/".into(),
            received_at: OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
            authentication_result: AuthenticationResult {
                access_token: "secret-access".into(),
                expires_in: 3600,
                token_type: "Bearer".into(),
                refresh_token: Some("secret-refresh".into()),
                id_token: Some("secret-id".into()),
                new_device_metadata: None,
            },
        }
    }

    #[test]
    fn saves_loads_lists_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        let path = cache.save(&entry("alice")).unwrap();
        assert!(path.ends_with("cognito-signin/tokens/us-east-1_Pool/client1/alice.json"));
        assert_eq!(
            cache.load("us-east-1_Pool", "client1", "alice").unwrap(),
            entry("alice")
        );
        assert_eq!(
            cache.find("us-east-1_Pool", "client1", None).unwrap(),
            entry("alice")
        );
        cache.save(&entry("bob.b/../x")).unwrap();
        // A temporary file left by a crash is not a user.
        std::fs::write(path.with_file_name(".tmp-1.json"), "{").unwrap();
        assert_eq!(
            cache.usernames("us-east-1_Pool", "client1").unwrap(),
            ["alice", "bob.b/../x"]
        );
        assert!(matches!(
            cache.find("us-east-1_Pool", "client1", None),
            Err(CacheError::SeveralUsers(_))
        ));
        assert!(cache.delete("us-east-1_Pool", "client1", "alice").unwrap());
        assert!(!cache.delete("us-east-1_Pool", "client1", "alice").unwrap());
        assert!(matches!(
            cache.load("us-east-1_Pool", "client1", "alice"),
            Err(CacheError::NotCached { .. })
        ));
    }

    /// An entry whose ID token carries these claims (unsigned: only read, never verified).
    fn entry_with_claims(username: &str, claims: serde_json::Value) -> CachedTokens {
        use base64::Engine as _;
        let part = |value: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
        };
        let header = serde_json::json!({"alg": "RS256"});
        let mut entry = entry(username);
        entry.authentication_result.id_token =
            Some(format!("{}.{}.sig", part(&header), part(&claims)).into());
        entry
    }

    #[test]
    fn an_alias_finds_the_entry_filed_under_the_username() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        let alice = entry_with_claims(
            "a1b2-uuid",
            serde_json::json!({"email": "Alice@Example.com", "phone_number": "+15555550100"}),
        );
        cache.save(&alice).unwrap();
        cache
            .save(&entry_with_claims(
                "c3d4-uuid",
                serde_json::json!({"email": "bob@example.com", "preferred_username": "bobby"}),
            ))
            .unwrap();
        let find = |name: &str| cache.find("us-east-1_Pool", "client1", Some(name));
        assert_eq!(find("alice@example.com").unwrap(), alice);
        assert_eq!(find("+15555550100").unwrap(), alice);
        assert_eq!(find("bobby").unwrap().username, "c3d4-uuid");
        assert!(matches!(
            find("carol@example.com"),
            Err(CacheError::NotCached { .. })
        ));
    }

    #[test]
    fn an_alias_two_entries_share_finds_neither() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        for username in ["one", "two"] {
            cache
                .save(&entry_with_claims(
                    username,
                    serde_json::json!({"email": "shared@example.com"}),
                ))
                .unwrap();
        }
        assert!(matches!(
            cache.find("us-east-1_Pool", "client1", Some("shared@example.com")),
            Err(CacheError::NotCached { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_0600_and_dirs_0700() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        let path = cache.save(&entry("alice")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir.path().join(APP_DIR)), 0o700);
    }

    #[test]
    fn a_damaged_file_names_itself_and_the_fix_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        let path = cache.save(&entry("alice")).unwrap();
        std::fs::write(&path, "{\"AccessToken\": \"eyJ-secret-part").unwrap();
        let error = cache
            .load("us-east-1_Pool", "client1", "alice")
            .unwrap_err()
            .to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("delete it and sign in again"), "{error}");
        assert!(!error.contains("eyJ-secret"), "{error}");
    }

    #[test]
    fn a_file_far_larger_than_any_tokens_is_refused_without_reading_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path());
        let path = cache.save(&entry("alice")).unwrap();
        // 200 MB, sparse: refused after its first MiB and one byte.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(200 * 1024 * 1024)
            .unwrap();
        let error = cache
            .load("us-east-1_Pool", "client1", "alice")
            .unwrap_err()
            .to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("larger than 1 MiB"), "{error}");
        assert!(error.contains("delete it and sign in again"), "{error}");
    }

    #[test]
    fn read_at_most_reads_up_to_its_limit_and_refuses_one_byte_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(
            read_at_most(&path, 5).unwrap().as_deref(),
            Some(&b"12345".to_vec())
        );
        assert_eq!(read_at_most(&path, 4).unwrap(), None);
        assert_eq!(
            read_at_most(&dir.path().join("none"), 5)
                .unwrap_err()
                .kind(),
            std::io::ErrorKind::NotFound
        );
    }

    #[test]
    fn debug_redacts_the_tokens() {
        let shown = format!("{:?}", entry("alice"));
        assert!(!shown.contains("secret-"), "{shown}");
        assert!(shown.contains("alice"));
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("file.json");
        write_atomically(&path, |file| file.write_all(b"old")).unwrap();
        let failed = write_atomically(&path, |file| {
            file.write_all(b"new, half writ")?;
            Err(std::io::Error::other("simulated crash"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["file.json"]);
    }
}
