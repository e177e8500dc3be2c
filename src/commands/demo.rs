//! `demo`: a local pool from assets/demo-pool.toml, and the console signed in to it.

use std::process::ExitCode;

use crate::auth::devices::DeviceStore;
use crate::auth::{FlowSettings, SessionInfo};
use crate::cli::DemoArgs;
use crate::cognito::Endpoint;
use crate::cognito::signing::{AwsCredentials, Signer};
use crate::config::console_flow_settings;
use crate::local_pool::{self, PreloadedPool, RunningPool, demo};
use crate::sensitive::SensitiveString;

use super::demo_passkey::DemoPasskeys;
use super::sign_in::{ConsoleExtras, device_settings, run_console};
use super::{fail, usage_error};

/// `demo`: a local pool from assets/demo-pool.toml, and the console signed in to it.
pub async fn run(args: DemoArgs) -> ExitCode {
    let pool = match local_pool::start(Some(demo::pool_file()), 0).await {
        Ok(pool) => pool,
        Err(error) => return fail(&format!("could not start the demo pool: {error}")),
    };
    // petra's passkey lives in a folder that goes when the demo does.
    let passkeys = match DemoPasskeys::enrolled(&pool).await {
        Ok(passkeys) => passkeys,
        Err(error) => {
            pool.shutdown().await;
            return fail(&error);
        }
    };
    let code = match demo_settings(&pool, &args) {
        Ok((mut flow, info)) => {
            flow.passkeys = Some(passkeys.store.clone());
            let endpoint = Endpoint {
                url: format!("{}/", pool.url()),
            };
            run_console(
                flow,
                endpoint,
                info,
                &args.console,
                ConsoleExtras {
                    outbox: Some(pool.subscribe_outbox()),
                    cache: None,
                    signer: args.console.admin.then(|| demo_signer(&pool)),
                    wire_open_when_wide: true,
                    // The demo ignores the config file: nothing to offer.
                    save_flags: None,
                },
            )
            .await
        }
        // An unknown --user-pool-id, or console flags that do not go together.
        Err(sentence) => usage_error(&sentence),
    };
    pool.shutdown().await;
    code
}

/// Closes the demo pool's Admin* calls to all but the demo key, and signs with it.
fn demo_signer(pool: &RunningPool) -> Signer {
    pool.allow_access_key(demo::ACCESS_KEY_ID, demo::SECRET_ACCESS_KEY);
    let credentials = AwsCredentials {
        access_key_id: demo::ACCESS_KEY_ID.to_owned(),
        secret_access_key: SensitiveString::from(demo::SECRET_ACCESS_KEY),
        session_token: None,
    };
    Signer::new(credentials, demo::REGION)
}

/// The chosen demo pool (`--user-pool-id`, else the default one) and client, and the
/// user table to show; or the sentence saying what to pass instead.
fn demo_settings(
    pool: &RunningPool,
    args: &DemoArgs,
) -> Result<(FlowSettings, SessionInfo), String> {
    let pools = pool.preloaded();
    let demo = match args.user_pool_id.as_deref().map(str::trim) {
        Some(wanted) => pools
            .iter()
            .find(|demo| demo.pool_id == wanted)
            .ok_or_else(|| {
                let ids: Vec<&str> = pools.iter().map(|demo| demo.pool_id.as_str()).collect();
                format!(
                    "the demo has no pool '{wanted}'; --user-pool-id takes one of: {}",
                    ids.join(", ")
                )
            })?,
        None => pools
            .iter()
            .find(|demo| demo.pool_id == demo::POOL_ID)
            .or_else(|| pools.first())
            .ok_or("the demo pool file has no pool")?,
    };
    let client = demo
        .clients
        .iter()
        .find(|client| client.client_secret.is_some() == args.with_secret)
        .ok_or_else(|| {
            let kind = if args.with_secret { "with" } else { "without" };
            format!(
                "the demo pool {} has no app client {kind} a secret",
                demo.pool_id
            )
        })?;
    let console = console_flow_settings(&args.console).map_err(|error| error.to_string())?;
    let others: Vec<&PreloadedPool> = pools
        .iter()
        .filter(|other| other.pool_id != demo.pool_id)
        .collect();
    let (notes, mut short_notes) = demo::user_notes(demo, &others);
    // The short form names the users but has no room for what each shows; a flag that
    // some of them need cannot be guessed, so it says that much, after the names.
    if let Some(flags) = flags_needed(demo) {
        short_notes.insert(1.min(short_notes.len()), flags);
    }
    let flow = FlowSettings {
        user_pool_id: demo.pool_id.clone(),
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.as_deref().map(SensitiveString::from),
        // The demo pool dies with the process, and its devices with it.
        devices: device_settings(&args.console, Ok(DeviceStore::in_memory())),
        ..console
    };
    let info = SessionInfo {
        title: format!("demo pool {} · client {}", demo.pool_id, client.client_name),
        endpoint: pool.url().to_owned(),
        notes,
        short_notes,
    };
    Ok((flow, info))
}

/// "cody needs --auth-flow CUSTOM_AUTH; pat needs --auth-flow USER_AUTH.": the users of
/// `pool` whose description names the flags they need, as the demo pool file writes it
/// ("… (use --auth-flow CUSTOM_AUTH)"); `None` when no user needs one.
fn flags_needed(pool: &PreloadedPool) -> Option<String> {
    let needs: Vec<String> = pool
        .users
        .iter()
        .filter_map(|(name, _, about)| {
            let (_, after) = about.split_once("(use --")?;
            let (flags, _) = after.split_once(')')?;
            Some(format!("{name} needs --{flags}"))
        })
        .collect();
    (!needs.is_empty()).then(|| format!("{}.", needs.join("; ")))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::flags_needed;
    use crate::local_pool::PreloadedPool;
    use crate::local_pool::demo;

    fn pool(users: &[(&str, &str)]) -> PreloadedPool {
        PreloadedPool {
            pool_id: "us-east-1_Test".into(),
            pool_name: "test".into(),
            clients: Vec::new(),
            users: users
                .iter()
                .map(|(name, about)| ((*name).into(), "pw".into(), (*about).into()))
                .collect(),
        }
    }

    #[test]
    fn the_short_notes_name_the_flags_users_need() {
        let users = pool(&[
            ("alice", "signs in with a password alone"),
            ("cody", "custom challenge (use --auth-flow CUSTOM_AUTH)"),
            ("pat", "passwordless (use --auth-flow USER_AUTH)"),
        ]);
        assert_eq!(
            flags_needed(&users).as_deref(),
            Some("cody needs --auth-flow CUSTOM_AUTH; pat needs --auth-flow USER_AUTH.")
        );
        assert_eq!(
            flags_needed(&pool(&[("alice", "a (plain) password")])),
            None
        );
    }

    #[test]
    fn the_demo_pool_says_cody_and_pat_need_their_auth_flows() {
        let file = demo::pool_file();
        let main = file
            .pools
            .iter()
            .find(|pool| pool.id == demo::POOL_ID)
            .expect("the demo's main pool");
        let described: Vec<(&str, &str)> = main
            .users
            .iter()
            .map(|user| (user.username.as_str(), user.description.as_str()))
            .collect();
        let flags = flags_needed(&pool(&described)).expect("some users need a flag");
        assert!(
            flags.contains("cody needs --auth-flow CUSTOM_AUTH"),
            "{flags}"
        );
        assert!(flags.contains("pat needs --auth-flow USER_AUTH"), "{flags}");
    }
}
