//! `cognito-signin config`: the saved pools (`saved_pools`). `add NAME` asks each value
//! not given as a flag (a form in the full-screen console; one answer per line, prompts
//! on stderr, in plain mode), checks the pool and the app client with one sign-in
//! attempt for a user that does not exist, and saves the entry; `list`, `show`,
//! `remove` and `default` do what they say.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};

use clap::ValueEnum;
use serde_json::json;

use crate::cli::{AuthFlowArg, ConfigAction, ConfigAddArgs, ConfigArgs, ConfigOutput, PoolArgs};
use crate::cognito::names::AuthFlowType;
use crate::cognito::types::InitiateAuthRequest;
use crate::cognito::{ApiError, Client, ErrorType};
use crate::config::PoolSettings;
use crate::crypto::secret_hash::secret_hash;
use crate::saved_pools::{self, Applied, SavedPool, SavedPools, check_entry};
use crate::sensitive::Sensitive;
use crate::tui::config_form::{self, ConfigForm, Field, Refusal};

use super::{CommandError, print_value};

/// Runs `config`.
pub async fn run(args: ConfigArgs) -> Result<(), CommandError> {
    let mut saved = SavedPools::load().map_err(|error| CommandError::Usage(error.0))?;
    match args.action {
        ConfigAction::Add(add) => {
            let ConfigAddArgs {
                name,
                pool,
                auth_flow,
                username,
                client_secret_env,
                client_secret_command,
                default,
                no_check,
                plain,
            } = *add;
            check_name(&name, &saved)?;
            let asked = AddFlags {
                pool,
                auth_flow,
                username,
                client_secret_env,
                client_secret_command,
            };
            let adding = Adding {
                name: &name,
                make_default: default,
                check: !no_check,
            };
            let full_screen = asked.leaves_questions()
                && !plain
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal();
            let said = if full_screen {
                add_full_screen(&adding, asked, &mut saved).await?
            } else {
                let entry = complete(&name, asked, &mut std::io::stdin().lock())?;
                if adding.check {
                    check_pool(&adding.applied(&entry, &saved))
                        .await
                        .map_err(|why| {
                            CommandError::Failed(format!(
                                "{why}, or save it anyway with --no-check"
                            ))
                        })?;
                }
                adding.save(entry, &mut saved)?
            };
            eprintln!("cognito-signin: {said}");
            Ok(())
        }
        ConfigAction::List { output } => {
            match output {
                Some(ConfigOutput::Json) => print_value(&as_json(&saved, None))?,
                None if saved.pools.is_empty() => eprintln!(
                    "No pools are saved in {}. `cognito-signin config add NAME` saves one.",
                    saved.path.display()
                ),
                None => {
                    for (name, pool) in &saved.pools {
                        let marker = if saved.default.as_deref() == Some(name) {
                            "*"
                        } else {
                            " "
                        };
                        println!(
                            "{marker} {name}  {}  client {}",
                            pool.user_pool_id, pool.client_id
                        );
                    }
                }
            }
            Ok(())
        }
        ConfigAction::Show { name, output } => {
            let pool = saved
                .pools
                .get(&name)
                .ok_or_else(|| unknown(&name, &saved))?;
            match output {
                Some(ConfigOutput::Json) => print_value(&as_json(&saved, Some(&name)))?,
                None => {
                    let text = toml::to_string_pretty(pool)
                        .map_err(|error| format!("could not show the pool: {error}"))?;
                    println!("[pools.{name}]\n{}", text.trim_end());
                }
            }
            Ok(())
        }
        ConfigAction::Remove { name } => {
            if saved.pools.remove(&name).is_none() {
                return Err(unknown(&name, &saved));
            }
            if saved.default.as_deref() == Some(&name) {
                saved.default = None;
            }
            saved.save().map_err(|error| error.0)?;
            eprintln!("cognito-signin: removed the saved pool '{name}'");
            Ok(())
        }
        ConfigAction::Default { name } => {
            if !saved.pools.contains_key(&name) {
                return Err(unknown(&name, &saved));
            }
            saved.default = Some(name.clone());
            saved.save().map_err(|error| error.0)?;
            eprintln!("cognito-signin: '{name}' is now the default pool");
            Ok(())
        }
    }
}

/// The flags `config add` was given.
struct AddFlags {
    pool: PoolArgs,
    auth_flow: Option<AuthFlowArg>,
    username: Option<String>,
    client_secret_env: Option<String>,
    client_secret_command: Option<String>,
}

impl AddFlags {
    /// Whether the flags leave values to ask for: without both ids, every value is
    /// asked (a flag's value is kept).
    fn leaves_questions(&self) -> bool {
        self.pool.user_pool_id.is_none() || self.pool.client_id.is_none()
    }

    /// The answer each question already has from a flag.
    fn given(&self) -> [Option<String>; QUESTIONS.len()] {
        let secret = match (&self.client_secret_env, &self.client_secret_command) {
            (Some(variable), _) => Some(format!("env:{variable}")),
            (None, Some(command)) => Some(format!("cmd:{command}")),
            (None, None) => None,
        };
        [
            self.pool.user_pool_id.clone(),
            self.pool.client_id.clone(),
            self.pool.endpoint_url.clone(),
            self.auth_flow.as_ref().and_then(saved_pools::name_of),
            self.username.clone(),
            secret,
        ]
    }
}

/// What `config add` asks, in order, and whether an answer is needed: the same prompt
/// in plain mode (a line on stderr) and full screen (a field's label).
const QUESTIONS: [(&str, bool); 6] = [
    ("User pool id (such as us-east-1_AbCdEfGhI)", true),
    ("App client id", true),
    ("Endpoint URL (Enter for AWS's own)", false),
    ("Auth flow [USER_SRP_AUTH]", false),
    ("Username to pre-fill (Enter for none)", false),
    (
        "Client secret: Enter for none, env:VARIABLE, or cmd:COMMAND",
        false,
    ),
];

/// Where each answer is in `QUESTIONS`.
const USER_POOL_ID: usize = 0;
const CLIENT_ID: usize = 1;
const ENDPOINT_URL: usize = 2;
const AUTH_FLOW: usize = 3;
const USERNAME: usize = 4;
const CLIENT_SECRET: usize = 5;

/// One pool being added: its name, and what to do once its values are known.
struct Adding<'a> {
    name: &'a str,
    /// `--default`: the new pool becomes the default (the first one saved always does).
    make_default: bool,
    /// Check the pool and client with a call before saving (no `--no-check`).
    check: bool,
}

impl Adding<'_> {
    /// The entry as the check reads it.
    fn applied(&self, entry: &SavedPool, saved: &SavedPools) -> Applied {
        Applied {
            name: self.name.to_owned(),
            pool: entry.clone(),
            path: saved.path.clone(),
        }
    }

    /// Writes `entry` to the file: the sentence that says so.
    fn save(&self, entry: SavedPool, saved: &mut SavedPools) -> Result<String, String> {
        let name = self.name.to_owned();
        let first = saved.pools.is_empty();
        saved.pools.insert(name.clone(), entry);
        if self.make_default || first {
            saved.default = Some(name.clone());
        }
        saved.save().map_err(|error| error.0)?;
        let default_said = if saved.default.as_deref() == Some(&name) {
            " as the default"
        } else {
            ""
        };
        Ok(format!(
            "saved the pool '{name}'{default_said} in {}",
            saved.path.display()
        ))
    }
}

/// A client secret itself is never saved, and an entry takes its secret from one place.
fn refuse_secret_flags(flags: &AddFlags) -> Result<(), CommandError> {
    if flags.pool.client_secret.is_some() {
        return Err(CommandError::Usage(
            "a saved pool never keeps the client secret itself: pass --client-secret-env VARIABLE or --client-secret-command COMMAND instead".to_owned(),
        ));
    }
    if flags.client_secret_env.is_some() && flags.client_secret_command.is_some() {
        return Err(CommandError::Usage(
            "pass --client-secret-env or --client-secret-command, not both: an entry keeps one"
                .to_owned(),
        ));
    }
    Ok(())
}

/// `config add` in the full-screen console: the same questions as one form, checked
/// and saved from it; a refusal keeps the form and every value.
async fn add_full_screen(
    adding: &Adding<'_>,
    flags: AddFlags,
    saved: &mut SavedPools,
) -> Result<String, CommandError> {
    refuse_secret_flags(&flags)?;
    let region = flags.pool.region.clone();
    let fields = QUESTIONS
        .iter()
        .zip(flags.given())
        .map(|(&(label, required), value)| Field {
            label,
            value,
            required,
        })
        .collect();
    let form = ConfigForm::new(format!("config add {}", adding.name), fields);
    let submit = async |answers: Vec<Option<String>>, check: bool| {
        let entry = entry_from_answers(adding.name, &answers, region.clone())?;
        if check && adding.check {
            check_pool(&adding.applied(&entry, saved))
                .await
                .map_err(|why| Refusal {
                    sentence: format!("{why}."),
                    field: None,
                    check_failed: true,
                })?;
        }
        adding.save(entry, saved).map_err(|sentence| Refusal {
            sentence,
            field: None,
            check_failed: false,
        })
    };
    match config_form::run(form, submit).await {
        Ok(Some(said)) => Ok(said),
        Ok(None) => {
            eprintln!("cognito-signin: nothing was saved");
            Err(CommandError::Quit)
        }
        Err(error) => Err(CommandError::Failed(format!(
            "the terminal failed: {error}; nothing was saved"
        ))),
    }
}

/// A name `--pool NAME` can pick, and not one already saved.
fn check_name(name: &str, saved: &SavedPools) -> Result<(), CommandError> {
    let usable = !name.is_empty() && name.chars().all(saved_pools::is_name_char);
    if !usable {
        return Err(CommandError::Usage(format!(
            "'{name}' cannot name a saved pool: use letters, digits, '-' and '_'"
        )));
    }
    if saved.pools.contains_key(name) {
        return Err(CommandError::Usage(format!(
            "a pool named '{name}' is saved already; remove it first (`cognito-signin config remove {name}`) or pick another name"
        )));
    }
    Ok(())
}

/// The entry from the flags; without both ids, every value is asked on stderr and read
/// from `input`, one per line (Enter keeps the default shown in brackets).
fn complete(
    name: &str,
    flags: AddFlags,
    input: &mut impl BufRead,
) -> Result<SavedPool, CommandError> {
    refuse_secret_flags(&flags)?;
    let interactive = flags.leaves_questions();
    let mut answers = Vec::with_capacity(QUESTIONS.len());
    for (&(question, required), given) in QUESTIONS.iter().zip(flags.given()) {
        answers.push(ask_value(input, question, given, required, interactive)?);
    }
    entry_from_answers(name, &answers, flags.pool.region)
        .map_err(|refusal| CommandError::Usage(refusal.sentence))
}

/// The entry the answers make (one per question, `None` when empty); a value the
/// console cannot use is refused with the field to fix.
fn entry_from_answers(
    name: &str,
    answers: &[Option<String>],
    region: Option<String>,
) -> Result<SavedPool, Refusal> {
    let answer = |at: usize| answers.get(at).cloned().flatten();
    let refuse = |field: Option<usize>| {
        move |sentence: String| Refusal {
            sentence,
            field,
            check_failed: false,
        }
    };
    let auth_flow = answer(AUTH_FLOW).map(|flow| flow.to_ascii_uppercase());
    if let Some(flow) = &auth_flow
        && AuthFlowArg::from_str(flow, false).is_err()
    {
        return Err(refuse(Some(AUTH_FLOW))(format!(
            "\"{flow}\" is not an auth flow; use one of {}",
            saved_pools::possible_names::<AuthFlowArg>()
        )));
    }
    let (client_secret_env, client_secret_command) =
        secret_source(answer(CLIENT_SECRET).as_deref()).map_err(refuse(Some(CLIENT_SECRET)))?;
    let entry = SavedPool {
        user_pool_id: answer(USER_POOL_ID).unwrap_or_default(),
        client_id: answer(CLIENT_ID).unwrap_or_default(),
        region,
        endpoint_url: answer(ENDPOINT_URL),
        auth_flow,
        username: answer(USERNAME),
        client_secret_env,
        client_secret_command,
        ..SavedPool::default()
    };
    check_entry(name, &entry).map_err(refuse(None))?;
    Ok(entry)
}

/// One value: the flag's, else (in interactive mode) the line typed; `None` when empty.
fn ask_value(
    input: &mut impl BufRead,
    question: &str,
    given: Option<String>,
    required: bool,
    interactive: bool,
) -> Result<Option<String>, CommandError> {
    if given.is_some() || !interactive {
        return Ok(given
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty()));
    }
    loop {
        eprint!("{question}: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if input
            .read_line(&mut line)
            .map_err(|error| format!("could not read the answer: {error}"))?
            == 0
        {
            eprintln!();
            return Err(CommandError::Failed(
                "the input ended before the pool was saved; nothing was saved".to_owned(),
            ));
        }
        let value = line.trim();
        if !value.is_empty() {
            return Ok(Some(value.to_owned()));
        }
        if !required {
            return Ok(None);
        }
        eprintln!("This one is needed.");
    }
}

/// `env:VARIABLE` or `cmd:COMMAND` as the entry's secret source.
fn secret_source(typed: Option<&str>) -> Result<(Option<String>, Option<String>), String> {
    match typed {
        None => Ok((None, None)),
        Some(source) => match source.split_once(':') {
            Some(("env", variable)) if !variable.trim().is_empty() => {
                Ok((Some(variable.trim().to_owned()), None))
            }
            Some(("cmd", command)) if !command.trim().is_empty() => {
                Ok((None, Some(command.trim().to_owned())))
            }
            _ => Err(
                "that is not a secret source: type env:VARIABLE or cmd:COMMAND (the secret itself is never saved)"
                    .to_owned(),
            ),
        },
    }
}

/// Checks the pool and the app client exist with one InitiateAuth (USER_PASSWORD_AUTH)
/// for a user that cannot exist: Cognito answers "no such user" or "incorrect
/// password" (or that the flow is not enabled) only for a pool and client it has, and
/// ResourceNotFoundException otherwise. A refusal is a sentence without an end, for the
/// front end to say how to save without the check.
async fn check_pool(applied: &Applied) -> Result<(), String> {
    let entry = &applied.pool;
    let args = PoolArgs {
        user_pool_id: Some(entry.user_pool_id.clone()),
        client_id: Some(entry.client_id.clone()),
        region: entry.region.clone(),
        endpoint_url: entry.endpoint_url.clone(),
        ..PoolArgs::default()
    };
    let settings = PoolSettings::resolve(&args, |name| std::env::var(name).ok())
        .map_err(|error| error.to_string())?;
    let client = Client::new(settings.endpoint.clone()).map_err(|error| error.to_string())?;
    let username = format!("cognito-signin-check-{}", uuid::Uuid::new_v4());
    let mut parameters = BTreeMap::from([
        ("USERNAME".to_owned(), username.clone()),
        ("PASSWORD".to_owned(), uuid::Uuid::new_v4().to_string()),
    ]);
    // The secret, where the entry says how to get it: a client with one answers
    // "SECRET_HASH was not received" otherwise, which proves it exists all the same.
    if let Ok(Some(secret)) = applied.client_secret() {
        parameters.insert(
            "SECRET_HASH".to_owned(),
            secret_hash(&username, &entry.client_id, secret.expose()),
        );
    }
    let request = InitiateAuthRequest {
        auth_flow: AuthFlowType::UserPasswordAuth,
        client_id: entry.client_id.clone(),
        auth_parameters: Sensitive::new(parameters),
        ..InitiateAuthRequest::default()
    };
    match client.initiate_auth(&request).await {
        Ok(_) => Ok(()),
        Err(ApiError::Service { kind, message, .. }) => match kind {
            ErrorType::ResourceNotFound => Err(format!(
                "{} says there is no such pool or app client ({message}); check the ids and the region",
                settings.endpoint.shown()
            )),
            // The ids' own form, checked before anything is looked up.
            ErrorType::InvalidParameter if message.contains("validation error") => Err(format!(
                "{} refuses the ids ({message}); check them",
                settings.endpoint.shown()
            )),
            // No such user, a wrong password, a flow or SECRET_HASH the client wants
            // otherwise: only a pool and client that exist answer so.
            _ => Ok(()),
        },
        Err(error) => Err(format!(
            "could not check the pool: {}",
            error.to_string().trim_end_matches('.')
        )),
    }
}

/// "There is no saved pool NAME", with the ones there are.
fn unknown(name: &str, saved: &SavedPools) -> CommandError {
    CommandError::Usage(format!(
        "there is no saved pool '{name}' in {} ({})",
        saved.path.display(),
        saved.names_said()
    ))
}

/// The saved pools (or one of them) as JSON, with the file's own keys.
fn as_json(saved: &SavedPools, only: Option<&str>) -> serde_json::Value {
    let pools: serde_json::Map<String, serde_json::Value> = saved
        .pools
        .iter()
        .filter(|(name, _)| only.is_none_or(|only| only == name.as_str()))
        .map(|(name, pool)| {
            (
                name.clone(),
                serde_json::to_value(pool).unwrap_or(serde_json::Value::Null),
            )
        })
        .collect();
    match only {
        Some(name) => {
            json!({ "name": name, "default": saved.default.as_deref() == Some(name), "pool": pools.get(name) })
        }
        None => json!({ "default": saved.default, "pools": pools }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn flags() -> AddFlags {
        AddFlags {
            pool: PoolArgs::default(),
            auth_flow: None,
            username: None,
            client_secret_env: None,
            client_secret_command: None,
        }
    }

    #[test]
    fn every_value_is_asked_when_the_ids_are_not_given() {
        let typed = "\nus-east-1_Abc\nclient1\n\nuser_auth\nalice\ncmd:pass show work\n";
        let entry = complete("work", flags(), &mut typed.as_bytes()).unwrap();
        assert_eq!(
            entry.user_pool_id, "us-east-1_Abc",
            "an empty id is asked again"
        );
        assert_eq!(entry.client_id, "client1");
        assert_eq!(entry.endpoint_url, None);
        assert_eq!(entry.auth_flow.as_deref(), Some("USER_AUTH"));
        assert_eq!(entry.username.as_deref(), Some("alice"));
        assert_eq!(
            entry.client_secret_command.as_deref(),
            Some("pass show work")
        );
        let ended = complete("work", flags(), &mut "us-east-1_Abc\n".as_bytes());
        assert!(matches!(ended, Err(CommandError::Failed(_))));
    }

    #[test]
    fn flags_alone_save_without_asking_and_a_secret_itself_is_refused() {
        let mut given = flags();
        given.pool.user_pool_id = Some("us-east-1_Abc".into());
        given.pool.client_id = Some("client1".into());
        let entry = complete("work", given, &mut "".as_bytes()).unwrap();
        assert_eq!(entry.client_id, "client1");
        let mut secret = flags();
        secret.pool.client_secret = Some("s3cret".into());
        let refused = complete("work", secret, &mut "".as_bytes());
        assert!(matches!(refused, Err(CommandError::Usage(why)) if !why.contains("s3cret")));
        assert!(secret_source(Some("s3cret")).is_err());
        // Both sources would save a file every later command refuses: refused here.
        let mut both = flags();
        both.pool.user_pool_id = Some("us-east-1_Abc".into());
        both.pool.client_id = Some("client1".into());
        both.client_secret_env = Some("WORK_SECRET".into());
        both.client_secret_command = Some("pass show work".into());
        let refused = complete("work", both, &mut "".as_bytes());
        assert!(
            matches!(&refused, Err(CommandError::Usage(why)) if why.contains("not both")),
            "{:?}",
            refused.err().map(|error| format!("{error:?}"))
        );
    }

    #[test]
    fn an_answer_the_console_cannot_use_is_refused_with_its_field() {
        let mut answers = vec![
            Some("us-east-1_Abc".to_owned()),
            Some("client1".to_owned()),
            None,
            Some("user_auth".to_owned()),
            None,
            Some("env:WORK_SECRET".to_owned()),
        ];
        let entry = entry_from_answers("work", &answers, None).unwrap();
        assert_eq!(entry.auth_flow.as_deref(), Some("USER_AUTH"));
        assert_eq!(entry.client_secret_env.as_deref(), Some("WORK_SECRET"));

        answers[AUTH_FLOW] = Some("PASSWORDLESS".to_owned());
        let refused = entry_from_answers("work", &answers, None).unwrap_err();
        assert_eq!(refused.field, Some(AUTH_FLOW));
        assert!(refused.sentence.contains("USER_SRP_AUTH"), "{refused:?}");
        assert!(!refused.check_failed);

        answers[AUTH_FLOW] = None;
        answers[CLIENT_SECRET] = Some("s3cret".to_owned());
        let refused = entry_from_answers("work", &answers, None).unwrap_err();
        assert_eq!(refused.field, Some(CLIENT_SECRET));
        assert!(!refused.sentence.contains("s3cret"), "{refused:?}");
    }
}
