//! After a full-screen sign-in with flags alone (no saved pool named or defaulted), the
//! signed-in screen offers to save them as a saved pool, so the next sign-in needs none.
//! Never in plain mode, never when stdout is not a terminal (a script reads it), and not
//! when a saved pool already names this pool and client.
//!
//! The entry is named after the user pool id, and becomes the default when there is
//! none. A client secret is never written: one that came from COGNITO_CLIENT_SECRET is
//! saved as that variable's name; one typed as `--client-secret` is left out, and the
//! confirmation says how to add its source.

use std::io::IsTerminal;

use crate::cli::SignInArgs;
use crate::saved_pools::{self, SavedPool, SavedPools};
use crate::tui::SaveFlags;

use super::sign_in::uses_full_screen;

/// The variable `--client-secret` is also read from.
const CLIENT_SECRET_VARIABLE: &str = "COGNITO_CLIENT_SECRET";

/// The offer for this sign-in, when one is due.
pub(super) fn offer(args: &SignInArgs) -> Option<SaveFlags> {
    let flags_alone = args.pool.saved_pool.is_none();
    let on_a_terminal = uses_full_screen(&args.console) && std::io::stdout().is_terminal();
    if !flags_alone || !on_a_terminal {
        return None;
    }
    let secret_left_out = secret_typed_as_a_flag(args);
    let template = entry_from_flags(args, secret_left_out)?;
    // A file that cannot be read is said by `config list`; the offer just stays away.
    let saved = SavedPools::load().ok()?;
    if already_saved(&saved, &template) {
        return None;
    }
    let name = free_name(&saved, &template.user_pool_id);
    let save = move |username: &str| save(&template, username, secret_left_out);
    Some(SaveFlags {
        name,
        save: Box::new(save),
    })
}

/// The entry the flags make, without the username (known once signed in); a secret
/// typed as a flag is left out, one from its variable is named.
fn entry_from_flags(args: &SignInArgs, secret_typed: bool) -> Option<SavedPool> {
    let (pool, console) = (&args.pool, &args.console);
    let secret_from_variable = pool.client_secret.is_some() && !secret_typed;
    Some(SavedPool {
        user_pool_id: pool.user_pool_id.clone()?,
        client_id: pool.client_id.clone()?,
        region: pool.region.clone(),
        endpoint_url: pool.endpoint_url.clone(),
        auth_flow: console.auth_flow.as_ref().and_then(saved_pools::name_of),
        preferred_challenge: console
            .preferred_challenge
            .as_ref()
            .and_then(saved_pools::name_of),
        username: None,
        device_name: console.device_name.clone(),
        totp_issuer: console.totp_issuer.clone(),
        admin: console.admin.then_some(true),
        aws_profile: console.profile.clone().filter(|_| console.admin),
        client_secret_env: secret_from_variable.then(|| CLIENT_SECRET_VARIABLE.to_owned()),
        client_secret_command: None,
    })
}

/// Whether the client secret was typed on the command line rather than read from its
/// variable: it cannot be saved, and its source is the person's to add.
fn secret_typed_as_a_flag(args: &SignInArgs) -> bool {
    let Some(secret) = &args.pool.client_secret else {
        return false;
    };
    std::env::var(CLIENT_SECRET_VARIABLE).ok().as_deref() != Some(secret.expose().as_str())
}

/// Whether an entry already names this pool and client at this endpoint.
fn already_saved(saved: &SavedPools, entry: &SavedPool) -> bool {
    saved.pools.values().any(|pool| {
        pool.user_pool_id == entry.user_pool_id
            && pool.client_id == entry.client_id
            && pool.endpoint_url == entry.endpoint_url
    })
}

/// The user pool id as a name (it is made of letters, digits, '-' and '_'), or with
/// "-2", "-3"… where that is taken.
fn free_name(saved: &SavedPools, user_pool_id: &str) -> String {
    let base: String = user_pool_id
        .chars()
        .map(|c| if saved_pools::is_name_char(c) { c } else { '-' })
        .collect();
    let base = if base.is_empty() {
        "pool".to_owned()
    } else {
        base
    };
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !saved.pools.contains_key(name))
        .unwrap_or(base)
}

/// Writes the entry with `username`, read afresh from the file (it may have changed
/// while the console ran): the sentence that says where, and how to use it.
fn save(template: &SavedPool, username: &str, secret_left_out: bool) -> Result<String, String> {
    let mut saved = SavedPools::load().map_err(|error| error.to_string())?;
    let mut entry = template.clone();
    entry.username = Some(username.trim().to_owned()).filter(|name| !name.is_empty());
    if already_saved(&saved, &entry) {
        return Err(format!(
            "{} already has a saved pool for this pool and client.",
            saved.path.display()
        ));
    }
    let name = free_name(&saved, &entry.user_pool_id);
    saved_pools::check_entry(&name, &entry)?;
    saved.pools.insert(name.clone(), entry);
    let default = saved.default.is_none();
    if default {
        saved.default = Some(name.clone());
    }
    saved.save().map_err(|error| error.to_string())?;
    let how = if default {
        "it is the default, so `cognito-signin` alone signs in here".to_owned()
    } else {
        format!("`cognito-signin --pool {name}` signs in here")
    };
    let secret = if secret_left_out {
        format!(
            " The client secret was not saved: add client_secret_env or client_secret_command to the entry (`cognito-signin config show {name}`)."
        )
    } else {
        String::new()
    };
    Ok(format!(
        "Saved as \"{name}\" in {}: {how}.{secret}",
        saved.path.display()
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pools(names: &[&str]) -> SavedPools {
        SavedPools {
            pools: names
                .iter()
                .map(|name| {
                    (
                        (*name).to_owned(),
                        SavedPool {
                            user_pool_id: "eu-west-1_Other".into(),
                            client_id: "other".into(),
                            ..SavedPool::default()
                        },
                    )
                })
                .collect(),
            ..SavedPools::default()
        }
    }

    #[test]
    fn the_entry_is_named_after_the_pool_and_a_taken_name_gets_a_number() {
        assert_eq!(free_name(&pools(&[]), "us-east-1_AbC"), "us-east-1_AbC");
        assert_eq!(
            free_name(
                &pools(&["us-east-1_AbC", "us-east-1_AbC-2"]),
                "us-east-1_AbC"
            ),
            "us-east-1_AbC-3"
        );
        assert_eq!(free_name(&pools(&[]), "odd id"), "odd-id");
    }

    #[test]
    fn a_pool_and_client_saved_already_are_not_offered_again() {
        let saved = pools(&["work"]);
        let same = SavedPool {
            user_pool_id: "eu-west-1_Other".into(),
            client_id: "other".into(),
            ..SavedPool::default()
        };
        assert!(already_saved(&saved, &same));
        let elsewhere = SavedPool {
            endpoint_url: Some("http://127.0.0.1:9229".into()),
            ..same
        };
        assert!(!already_saved(&saved, &elsewhere));
    }
}
