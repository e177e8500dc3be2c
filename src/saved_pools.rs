//! Saved pools: named entries in `$XDG_CONFIG_HOME/cognito-signin/config.toml` (else
//! `~/.config/…`), so an operator signs in to the pools they use every day with no flags.
//! `--pool NAME` (or COGNITO_SIGNIN_POOL) picks an entry; with neither, and no
//! `--user-pool-id` either, the file's `default` entry is used. Flags and their
//! variables override the entry, and the entry overrides the built-in defaults.
//!
//! A client secret is never stored in the file: an entry names the environment variable
//! that holds it (`client_secret_env`), or a command whose output is the secret
//! (`client_secret_command`, run as credential_process is). Every error names the file,
//! the line and the fix.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::cli::{AuthFlowArg, ConsoleArgs, PoolArgs, PreferredChallengeArg};
use crate::sensitive::SensitiveString;
use crate::toml_errors;

/// The variable that picks an entry when `--pool` is not given.
pub const POOL_VARIABLE: &str = "COGNITO_SIGNIN_POOL";

/// Why the saved pools could not be read, used or written: a sentence naming the file
/// (and the line, where there is one) and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SavedPoolError(pub String);

/// One saved pool, as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPool {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// As `--auth-flow` spells it (USER_SRP_AUTH, USER_AUTH, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_flow: Option<String>,
    /// As `--preferred-challenge` spells it (EMAIL_OTP, WEB_AUTHN, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_issuer: Option<String>,
    /// Sign in with AdminInitiateAuth, signed with AWS credentials (`--admin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// The AWS profile whose credentials sign `--admin` calls (`--profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_profile: Option<String>,
    /// The environment variable holding the app client's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// A command whose standard output is the app client's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_command: Option<String>,
}

/// The file's shape on disk.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<Spanned<String>>,
    #[serde(default)]
    pools: BTreeMap<String, Spanned<SavedPool>>,
}

/// The saved pools, read from (and written back to) one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedPools {
    /// Where they live.
    pub path: PathBuf,
    /// The entry used when none is named.
    pub default: Option<String>,
    /// The entries by name.
    pub pools: BTreeMap<String, SavedPool>,
}

/// The config file's path: `$XDG_CONFIG_HOME/cognito-signin/config.toml`, else
/// `~/.config/cognito-signin/config.toml`.
pub fn config_path() -> Result<PathBuf, SavedPoolError> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().map_err(|_| {
        SavedPoolError(
            "there is no configuration directory for saved pools (set XDG_CONFIG_HOME or HOME)"
                .to_owned(),
        )
    })?;
    Ok(strategy
        .config_dir()
        .join("cognito-signin")
        .join("config.toml"))
}

impl SavedPools {
    /// The saved pools in the config file; none when it does not exist yet.
    pub fn load() -> Result<Self, SavedPoolError> {
        Self::load_from(&config_path()?)
    }

    /// The saved pools in `path`; none when it does not exist.
    pub fn load_from(path: &Path) -> Result<Self, SavedPoolError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                path: path.to_owned(),
                ..Self::default()
            }),
            Err(error) => Err(SavedPoolError(format!(
                "{}: cannot read the config file: {error}",
                path.display()
            ))),
        }
    }

    /// Checks the file's text; errors name `path` and the line.
    pub fn parse(text: &str, path: &Path) -> Result<Self, SavedPoolError> {
        let name = path.display().to_string();
        let at = |span: Range<usize>, message: &str| {
            SavedPoolError(toml_errors::at_line(text, &name, span, message))
        };
        let raw: RawFile = toml::from_str(text)
            .map_err(|error| SavedPoolError(toml_errors::describe(text, &name, &error)))?;
        let mut pools = BTreeMap::new();
        for (entry, spanned) in raw.pools {
            let span = spanned.span();
            let pool = spanned.into_inner();
            check_entry(&entry, &pool).map_err(|message| at(span.clone(), &message))?;
            pools.insert(entry, pool);
        }
        let default = match raw.default {
            Some(default) if !pools.contains_key(default.get_ref()) => {
                return Err(at(
                    default.span(),
                    &format!(
                        "the default pool '{}' has no [pools.{}] entry; add one, or set another with `cognito-signin config default NAME`",
                        default.get_ref(),
                        default.get_ref()
                    ),
                ));
            }
            default => default.map(Spanned::into_inner),
        };
        Ok(Self {
            path: path.to_owned(),
            default,
            pools,
        })
    }

    /// Writes the file back, atomically (0600 in a 0700 folder).
    pub fn save(&self) -> Result<(), SavedPoolError> {
        let raw = RawFile {
            default: self.default.clone().map(|name| Spanned::new(0..0, name)),
            pools: self
                .pools
                .iter()
                .map(|(name, pool)| (name.clone(), Spanned::new(0..0, pool.clone())))
                .collect(),
        };
        let text = toml::to_string_pretty(&raw)
            .map_err(|error| SavedPoolError(format!("could not write the saved pools: {error}")))?;
        crate::auth::cache::write_atomically(&self.path, |file| {
            use std::io::Write;
            file.write_all(HEADER.as_bytes())?;
            file.write_all(text.as_bytes())
        })
        .map_err(|error| {
            SavedPoolError(format!("could not write {}: {error}", self.path.display()))
        })
    }

    /// The entry a command uses: the one named (flag or variable), else the default when
    /// no user pool id was given either. A name that is not saved is an error that lists
    /// the saved ones.
    pub fn chosen(
        &self,
        named: Option<&str>,
        pool_id_given: bool,
    ) -> Result<Option<(String, SavedPool)>, SavedPoolError> {
        let name = match named.map(str::trim).filter(|name| !name.is_empty()) {
            Some(name) => name.to_owned(),
            None if pool_id_given => return Ok(None),
            None => match &self.default {
                Some(default) => default.clone(),
                None => return Ok(None),
            },
        };
        match self.pools.get(&name) {
            Some(pool) => Ok(Some((name, pool.clone()))),
            None => Err(SavedPoolError(format!(
                "there is no saved pool '{name}' in {} ({}); add it with `cognito-signin config add {name}`",
                self.path.display(),
                self.names_said()
            ))),
        }
    }

    /// "saved: a, b" or "no pools are saved".
    pub fn names_said(&self) -> String {
        if self.pools.is_empty() {
            "no pools are saved".to_owned()
        } else {
            let names: Vec<&str> = self.pools.keys().map(String::as_str).collect();
            format!("saved: {}", names.join(", "))
        }
    }
}

/// What `save` writes above the entries.
const HEADER: &str = "# cognito-signin's saved pools (`cognito-signin config --help`).\n# Client secrets are never kept here: name a variable (client_secret_env) or a\n# command that prints the secret (client_secret_command).\n\n";

/// An entry's own checks: the values only the console understands (shared by reading
/// the file and by `config add`, so nothing is saved that the file would refuse).
pub fn check_entry(name: &str, pool: &SavedPool) -> Result<(), String> {
    if pool.user_pool_id.trim().is_empty() || pool.client_id.trim().is_empty() {
        return Err(format!(
            "pool '{name}' needs both user_pool_id and client_id"
        ));
    }
    if let Some(flow) = &pool.auth_flow {
        AuthFlowArg::from_str(flow, false).map_err(|_| {
            format!(
                "pool '{name}' has the auth_flow \"{flow}\"; use one of {}",
                possible_names::<AuthFlowArg>()
            )
        })?;
    }
    if let Some(challenge) = &pool.preferred_challenge {
        PreferredChallengeArg::from_str(challenge, false).map_err(|_| {
            format!(
                "pool '{name}' has the preferred_challenge \"{challenge}\"; use one of {}",
                possible_names::<PreferredChallengeArg>()
            )
        })?;
    }
    if pool.client_secret_env.is_some() && pool.client_secret_command.is_some() {
        return Err(format!(
            "pool '{name}' has both client_secret_env and client_secret_command; keep one"
        ));
    }
    Ok(())
}

/// Whether `c` may be part of a saved pool's name (letters, digits, '-' and '_'): what
/// `--pool NAME` and a shell completion take as one word.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A value enum's value as its flag spells it (`USER_SRP_AUTH`), for an entry.
pub fn name_of<T: ValueEnum>(value: &T) -> Option<String> {
    value
        .to_possible_value()
        .map(|value| value.get_name().to_owned())
}

/// A value enum's names, for an error.
pub fn possible_names<T: ValueEnum>() -> String {
    T::value_variants()
        .iter()
        .filter_map(|value| value.to_possible_value())
        .map(|value| value.get_name().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An entry applied to a command's flags: each flag left out (and whose variable is not
/// set) takes the entry's value.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The entry's name.
    pub name: String,
    pub pool: SavedPool,
    /// Where it was read from, for errors.
    pub path: PathBuf,
}

impl Applied {
    /// The pool flags, filled in from the entry; the client secret is fetched from where
    /// the entry says (a variable, or a command), only when no flag or variable gave one.
    pub fn fill_pool(&self, args: &mut PoolArgs) -> Result<(), SavedPoolError> {
        let pool = &self.pool;
        fill(&mut args.user_pool_id, Some(&pool.user_pool_id));
        fill(&mut args.client_id, Some(&pool.client_id));
        fill(&mut args.region, pool.region.as_ref());
        fill(&mut args.endpoint_url, pool.endpoint_url.as_ref());
        if args.client_secret.is_none() {
            args.client_secret = self.client_secret()?;
        }
        Ok(())
    }

    /// A command's `--username`, filled in from the entry.
    pub fn fill_username(&self, username: &mut Option<String>) {
        fill(username, self.pool.username.as_ref());
    }

    /// The sign-in's console flags, filled in from the entry.
    pub fn fill_console(&self, console: &mut ConsoleArgs) {
        let pool = &self.pool;
        if console.auth_flow.is_none() {
            console.auth_flow = pool
                .auth_flow
                .as_deref()
                .and_then(|flow| AuthFlowArg::from_str(flow, false).ok());
        }
        if console.preferred_challenge.is_none() {
            console.preferred_challenge = pool
                .preferred_challenge
                .as_deref()
                .and_then(|challenge| PreferredChallengeArg::from_str(challenge, false).ok());
        }
        fill(&mut console.username, pool.username.as_ref());
        fill(&mut console.device_name, pool.device_name.as_ref());
        fill(&mut console.totp_issuer, pool.totp_issuer.as_ref());
        fill(&mut console.profile, pool.aws_profile.as_ref());
        console.admin = console.admin || pool.admin == Some(true);
    }

    /// The client secret from the entry's variable or command; `None` when it names
    /// neither.
    pub fn client_secret(&self) -> Result<Option<SensitiveString>, SavedPoolError> {
        let where_from = || format!("saved pool '{}' in {}", self.name, self.path.display());
        if let Some(variable) = &self.pool.client_secret_env {
            return match std::env::var(variable) {
                Ok(secret) if !secret.is_empty() => Ok(Some(SensitiveString::from(secret))),
                _ => Err(SavedPoolError(format!(
                    "the {} takes its client secret from ${variable}, which is not set; export it, or pass --client-secret",
                    where_from()
                ))),
            };
        }
        match &self.pool.client_secret_command {
            Some(command) => secret_from_command(command).map(Some).map_err(|why| {
                SavedPoolError(format!(
                    "the client_secret_command of the {} {why}; run it yourself to see why, or pass --client-secret",
                    where_from()
                ))
            }),
            None => Ok(None),
        }
    }
}

/// Sets `value` from `saved` when it is unset.
fn fill(value: &mut Option<String>, saved: Option<&String>) {
    if value.is_none() {
        *value = saved.cloned();
    }
}

/// Runs `command` through the shell and takes its trimmed standard output as the
/// secret, as the AWS CLI runs credential_process. Its standard error goes to the
/// terminal (a password manager may ask something there); the secret is never echoed.
fn secret_from_command(command: &str) -> Result<SensitiveString, String> {
    #[cfg(unix)]
    let mut runner = {
        let mut runner = std::process::Command::new("sh");
        runner.arg("-c").arg(command);
        runner
    };
    #[cfg(not(unix))]
    let mut runner = {
        let mut runner = std::process::Command::new("cmd");
        runner.arg("/C").arg(command);
        runner
    };
    let output = runner
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|error| format!("could not be started ({error})"))?;
    if !output.status.success() {
        return Err(format!("failed ({})", output.status));
    }
    let secret = String::from_utf8(output.stdout)
        .map_err(|_| "printed something that is not UTF-8".to_owned())?;
    let secret = secret.trim();
    if secret.is_empty() {
        return Err("printed nothing".to_owned());
    }
    Ok(SensitiveString::from(secret))
}

/// The entry a command uses, read from the config file: the one `named` (flag or
/// variable), else the default when no user pool id was given.
pub fn applied(
    named: Option<&str>,
    pool_id_given: bool,
) -> Result<Option<Applied>, SavedPoolError> {
    // Flags that name a pool and no entry need nothing from the file: a broken file
    // does not stop them.
    if pool_id_given && named.is_none_or(|name| name.trim().is_empty()) {
        return Ok(None);
    }
    let saved = SavedPools::load()?;
    Ok(saved
        .chosen(named, pool_id_given)?
        .map(|(name, pool)| Applied {
            name,
            pool,
            path: saved.path.clone(),
        }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SavedPools, String> {
        SavedPools::parse(text, Path::new("config.toml")).map_err(|error| error.0)
    }

    const TWO: &str = r#"default = "work"

[pools.work]
user_pool_id = "eu-west-1_Work"
client_id = "work-client"
auth_flow = "USER_AUTH"
preferred_challenge = "EMAIL_OTP"
username = "alice"
client_secret_env = "WORK_SECRET"

[pools.lab]
user_pool_id = "us-east-1_Lab"
client_id = "lab-client"
endpoint_url = "http://127.0.0.1:9229/"
"#;

    #[test]
    fn entries_are_read_and_the_default_chosen_only_without_a_pool_id() {
        let saved = parse(TWO).unwrap();
        assert_eq!(saved.default.as_deref(), Some("work"));
        assert_eq!(
            saved.pools["lab"].endpoint_url.as_deref(),
            Some("http://127.0.0.1:9229/")
        );
        let (name, _) = saved.chosen(None, false).unwrap().unwrap();
        assert_eq!(name, "work");
        assert!(saved.chosen(None, true).unwrap().is_none());
        let (name, _) = saved.chosen(Some("lab"), true).unwrap().unwrap();
        assert_eq!(name, "lab");
        let unknown = saved.chosen(Some("prod"), false).unwrap_err().0;
        assert!(
            unknown.contains("there is no saved pool 'prod'")
                && unknown.contains("saved: lab, work"),
            "{unknown}"
        );
    }

    #[test]
    fn a_broken_file_names_the_line_and_the_fix() {
        let cases = [
            (
                "[pools.a]\nuser_pool_id = \"x_1\"\nclient_id = \"c\"\nregoin = \"x\"\n",
                "config.toml line 4: unknown field `regoin`",
            ),
            (
                "[pools.a]\nuser_pool_id = \"x_1\"\nclient_id = \"c\"\nauth_flow = \"MAGIC\"\n",
                "config.toml line 1: pool 'a' has the auth_flow \"MAGIC\"; use one of USER_SRP_AUTH",
            ),
            (
                "default = \"b\"\n[pools.a]\nuser_pool_id = \"x_1\"\nclient_id = \"c\"\n",
                "config.toml line 1: the default pool 'b' has no [pools.b] entry",
            ),
            (
                "[pools.a]\nuser_pool_id = \"x_1\"\n",
                "config.toml line 1: missing field `client_id`",
            ),
            ("[pools.a\n", "config.toml line 1:"),
        ];
        for (text, expected) in cases {
            let error = parse(text).unwrap_err();
            assert!(error.starts_with(expected), "{error}\nexpected: {expected}");
        }
    }

    #[test]
    fn saving_writes_a_file_that_reads_back_and_keeps_no_secret() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("cognito-signin/config.toml");
        let mut saved = SavedPools::load_from(&path).unwrap();
        assert!(saved.pools.is_empty());
        saved.pools.insert(
            "work".into(),
            SavedPool {
                user_pool_id: "eu-west-1_Work".into(),
                client_id: "c".into(),
                client_secret_command: Some("pass show work".into()),
                ..SavedPool::default()
            },
        );
        saved.default = Some("work".into());
        saved.save().unwrap();
        let again = SavedPools::load_from(&path).unwrap();
        assert_eq!(again, saved);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn flags_win_over_the_entry_and_the_secret_comes_from_its_command() {
        let applied = Applied {
            name: "work".into(),
            pool: SavedPool {
                user_pool_id: "eu-west-1_Work".into(),
                client_id: "from-file".into(),
                region: Some("eu-west-1".into()),
                client_secret_command: Some("printf ' s3cret \\n'".into()),
                ..SavedPool::default()
            },
            path: PathBuf::from("config.toml"),
        };
        let mut args = PoolArgs {
            client_id: Some("from-flag".into()),
            ..PoolArgs::default()
        };
        applied.fill_pool(&mut args).unwrap();
        assert_eq!(args.user_pool_id.as_deref(), Some("eu-west-1_Work"));
        assert_eq!(args.client_id.as_deref(), Some("from-flag"));
        assert_eq!(args.region.as_deref(), Some("eu-west-1"));
        #[cfg(unix)]
        assert_eq!(args.client_secret.unwrap().expose(), "s3cret");

        let failing = Applied {
            pool: SavedPool {
                client_secret_command: Some("exit 3".into()),
                ..applied.pool.clone()
            },
            ..applied.clone()
        };
        let error = failing.fill_pool(&mut PoolArgs::default()).unwrap_err().0;
        assert!(
            error.contains("client_secret_command of the saved pool 'work'"),
            "{error}"
        );
        let unset = Applied {
            pool: SavedPool {
                client_secret_command: None,
                client_secret_env: Some("COGNITO_SIGNIN_TEST_UNSET_SECRET".into()),
                ..applied.pool.clone()
            },
            ..applied
        };
        let error = unset.fill_pool(&mut PoolArgs::default()).unwrap_err().0;
        assert!(
            error.contains("$COGNITO_SIGNIN_TEST_UNSET_SECRET, which is not set"),
            "{error}"
        );
    }
}
