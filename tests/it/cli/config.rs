//! Saved pools with the real binary against the local pool: `config add` in plain mode
//! (values typed, then checked with one call), a sign-in with no flags to the default
//! entry, every command with `--pool`, the order flag over variable over file over
//! default, a client secret from a command, and a broken file named with its line.

use std::process::Output;

use cognito_signin::local_pool::demo;
use serde_json::Value;

use crate::support::binary::{DemoStory, failed, stderr, stdout, succeeded, usage_refused};

/// The config file's path in the story's home.
fn config_file(story: &DemoStory) -> std::path::PathBuf {
    story
        .binary
        .home()
        .join("config/cognito-signin/config.toml")
}

/// `config add NAME` in plain mode, the answers typed on stdin.
fn add(story: &DemoStory, name: &str, answers: &[&str]) -> Output {
    let mut typed = answers.join("\n");
    typed.push('\n');
    story
        .binary
        .run_with_input(&["config", "add", name], &typed)
}

/// A password sign-in with `args`, alice's password on stdin; the tokens as JSON.
fn sign_in(story: &DemoStory, args: &[&str]) -> Output {
    let mut all = vec!["--plain", "--output", "json"];
    all.extend(args);
    story
        .binary
        .run_with_input(&all, &format!("{}\n", demo::PASSWORD))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_added_in_plain_mode_is_signed_in_to_with_no_flags_and_used_by_every_command() {
    let story = DemoStory::start().await;
    let url = story.pool.url().to_owned();

    // Every value is asked; the pool and client are checked with one call.
    let added = add(
        &story,
        "demo",
        &[
            demo::POOL_ID,
            demo::PUBLIC_CLIENT_ID,
            &url,
            "USER_PASSWORD_AUTH",
            "alice",
            "",
        ],
    );
    let said = stderr(&added);
    assert!(added.status.success(), "{said}");
    for question in [
        "User pool id",
        "App client id",
        "Endpoint URL",
        "Auth flow",
        "Username",
        "Client secret",
    ] {
        assert!(said.contains(question), "{question} was not asked: {said}");
    }
    assert!(
        said.contains("saved the pool 'demo' as the default"),
        "{said}"
    );

    // Listed, shown as JSON with the file's keys.
    let listed = succeeded(&story.binary.run(&["config", "list"]));
    assert!(
        listed.contains(&format!(
            "* demo  {}  client {}",
            demo::POOL_ID,
            demo::PUBLIC_CLIENT_ID
        )),
        "{listed}"
    );
    let shown: Value = serde_json::from_str(&succeeded(
        &story
            .binary
            .run(&["config", "show", "demo", "--output", "json"]),
    ))
    .unwrap();
    assert_eq!(shown["pool"]["auth_flow"], "USER_PASSWORD_AUTH");
    assert_eq!(shown["default"], true);

    // No flags at all: the default entry, its username pre-filled, only the password asked.
    let signed_in = sign_in(&story, &[]);
    assert!(signed_in.status.success(), "{}", stderr(&signed_in));
    let tokens: Value = serde_json::from_str(&stdout(&signed_in)).unwrap();
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());

    // Every other command finds the cached sign-in through the entry.
    for command in [
        &["tokens"][..],
        &["whoami"],
        &["devices"],
        &["passkeys"],
        &["mfa", "status"],
    ] {
        let mut args = command.to_vec();
        args.extend(["--pool", "demo"]);
        let output = story.binary.run(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }

    // A name that is not saved lists the saved ones.
    let refused = usage_refused(&story.binary.run(&["whoami", "--pool", "prod"]));
    assert!(
        refused.contains("there is no saved pool 'prod'") && refused.contains("saved: demo"),
        "{refused}"
    );

    // Removed: a sign-in with no flags is back to asking for --user-pool-id.
    succeeded(&story.binary.run(&["config", "remove", "demo"]));
    let refused = usage_refused(&sign_in(&story, &[]));
    assert!(refused.contains("--user-pool-id is required"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_override_variables_which_override_the_file_which_overrides_the_defaults() {
    let story = DemoStory::start().await;
    let url = story.pool.url().to_owned();
    let added = story.binary.run(&[
        "config",
        "add",
        "demo",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        "nosuchclient0001",
        "--endpoint-url",
        &url,
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--username",
        "alice",
        "--no-check",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));

    // The file's client does not exist: the sign-in fails with the pool's refusal.
    let refused = sign_in(&story, &[]);
    assert!(!refused.status.success());
    // The variable beats the file…
    let mut with_variable = story.binary.command();
    with_variable
        .args(["--plain", "--output", "json"])
        .env("COGNITO_CLIENT_ID", demo::PUBLIC_CLIENT_ID)
        .stdin(std::process::Stdio::piped());
    let output = run_with_stdin(with_variable, &format!("{}\n", demo::PASSWORD));
    assert!(
        output.status.success(),
        "the variable's client: {}",
        stderr(&output)
    );
    // …and the flag beats the variable.
    let mut flag_over_variable = story.binary.command();
    flag_over_variable
        .args(["--plain", "--client-id", "nosuchclient0001"])
        .env("COGNITO_CLIENT_ID", demo::PUBLIC_CLIENT_ID)
        .stdin(std::process::Stdio::piped());
    let output = run_with_stdin(flag_over_variable, &format!("{}\n", demo::PASSWORD));
    assert!(
        !output.status.success(),
        "the flag's (missing) client must be used"
    );
    // The file's auth flow beat the default (SRP): the password flow's form was shown.
    assert!(
        stderr(&refused).contains("Password"),
        "{}",
        stderr(&refused)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_secret_comes_from_the_entrys_command_and_never_reaches_the_file() {
    let story = DemoStory::start().await;
    let url = story.pool.url().to_owned();
    let command = format!("printf '%s' '{}'", demo::CLIENT_SECRET);
    let added = story.binary.run(&[
        "config",
        "add",
        "secret",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::SECRET_CLIENT_ID,
        "--endpoint-url",
        &url,
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--username",
        "alice",
        "--client-secret-command",
        &command,
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let file = std::fs::read_to_string(config_file(&story)).unwrap();
    assert!(file.contains("client_secret_command"), "{file}");
    let signed_in = sign_in(&story, &["--pool", "secret"]);
    assert!(signed_in.status.success(), "{}", stderr(&signed_in));

    // The secret itself is refused as a flag of `config add`, and never echoed.
    let refused = usage_refused(&story.binary.run(&[
        "config",
        "add",
        "other",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        "c",
        "--client-secret",
        "hunter2-secret",
    ]));
    assert!(
        refused.contains("never keeps the client secret"),
        "{refused}"
    );
    assert!(!refused.contains("hunter2-secret"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_client_fails_the_check_and_a_broken_file_names_its_line() {
    let story = DemoStory::start().await;
    let url = story.pool.url().to_owned();
    let output = story.binary.run(&[
        "config",
        "add",
        "ghost",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        "nosuchclient0001",
        "--endpoint-url",
        &url,
    ]);
    let said = failed(&output);
    assert!(said.contains("no such pool or app client"), "{said}");
    assert!(!config_file(&story).exists(), "nothing saved");

    std::fs::create_dir_all(config_file(&story).parent().unwrap()).unwrap();
    std::fs::write(
        config_file(&story),
        "[pools.work]\nuser_pool_id = \"us-east-1_X\"\nclient_id = \"c\"\nregoin = \"x\"\n",
    )
    .unwrap();
    let refused = usage_refused(&story.binary.run(&["whoami"]));
    assert!(
        refused.contains("config.toml line 4: unknown field `regoin`")
            && refused.contains("remove it or correct its spelling"),
        "{refused}"
    );
    // Flags that name a pool and no entry do not read the file at all.
    let output = story.binary.run(&[
        "whoami",
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::PUBLIC_CLIENT_ID,
    ]);
    let said = failed(&output);
    assert!(!said.contains("config.toml"), "{said}");
}

/// Runs `command` with `input` on its stdin.
fn run_with_stdin(mut command: std::process::Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
