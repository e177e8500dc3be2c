//! The offer to save a sign-in's flags as a saved pool, in the real binary against
//! `serve`: asked on the signed-in screen after a sign-in with flags alone, saved with
//! `y` as the default entry (so the next sign-in needs no flag), not asked again for a
//! pool saved already, and never asked when stdout is not the terminal.

use cognito_signin::local_pool::demo;

use crate::support::binary::{Binary, stderr};
use crate::support::pty::Terminal;

/// The demo pools' file, for `serve`.
const DEMO_POOL_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-pool.toml");

/// The flags of a sign-in to the demo pool `serve` runs at `url`.
fn flags(url: &str) -> Vec<&str> {
    vec![
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::PUBLIC_CLIENT_ID,
        "--endpoint-url",
        url,
    ]
}

/// Signs alice in on the form; the signed-in screen, whole (its footer's last entry,
/// on the last row, is drawn last).
fn sign_in_alice(terminal: &mut Terminal) -> String {
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text("alice\t");
    terminal.type_text(demo::PASSWORD);
    terminal.type_text("\r");
    terminal.wait_for(&["Signed in as alice", "finish", "q/Esc quit"])
}

#[test]
fn a_sign_in_with_flags_offers_to_save_them_and_the_next_one_needs_none() {
    let binary = Binary::new();
    let serve = binary.serve(&["--pool", DEMO_POOL_FILE]);
    let mut terminal = Terminal::start_in(&binary, &flags(serve.url()));
    let signed_in = sign_in_alice(&mut terminal);
    let question = format!("saved pool \"{}\"?", demo::POOL_ID);
    assert!(signed_in.contains(&question), "{signed_in}");
    assert!(signed_in.contains("y  save as a pool"), "{signed_in}");

    terminal.type_text("y");
    let saved = terminal.wait_for(&[
        &format!("Saved as \"{}\"", demo::POOL_ID),
        "it is the default",
        "q/Esc quit",
    ]);
    assert!(!saved.contains("save as a pool"), "asked once: {saved}");
    terminal.quit();

    let file = binary
        .home()
        .join("config")
        .join("cognito-signin")
        .join("config.toml");
    let written = std::fs::read_to_string(&file).unwrap();
    for line in [
        format!("default = \"{}\"", demo::POOL_ID),
        format!("user_pool_id = \"{}\"", demo::POOL_ID),
        format!("client_id = \"{}\"", demo::PUBLIC_CLIENT_ID),
        format!("endpoint_url = \"{}\"", serve.url()),
        "username = \"alice\"".to_owned(),
    ] {
        assert!(written.contains(&line), "{line} in {written}");
    }
    assert!(!written.contains(demo::PASSWORD), "{written}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // No flag at all now: the default entry gives the pool, the client and the username.
    let plain = binary.run_with_input(&["--plain"], &format!("{}\n", demo::PASSWORD));
    let said = stderr(&plain);
    assert!(plain.status.success(), "{said}");
    assert!(said.contains("Signed in as alice"), "{said}");

    // The same flags again: the pool is saved, so nothing is asked.
    let mut again = Terminal::start_in(&binary, &flags(serve.url()));
    let signed_in = sign_in_alice(&mut again);
    assert!(!signed_in.contains("save as a pool"), "{signed_in}");
    again.quit();
}

#[test]
fn nothing_is_offered_when_stdout_is_not_the_terminal() {
    let binary = Binary::new();
    let serve = binary.serve(&["--pool", DEMO_POOL_FILE]);
    let tokens = binary.home().join("tokens.json");
    let mut args = flags(serve.url());
    args.extend(["--output", "json"]);
    let mut terminal = Terminal::start_in_with_stdout_to(&binary, &args, &tokens);
    let signed_in = sign_in_alice(&mut terminal);
    assert!(!signed_in.contains("save as a pool"), "{signed_in}");
    assert!(!signed_in.contains("saved pool"), "{signed_in}");
    terminal.quit();
    assert!(!binary.home().join("config").join("cognito-signin").exists());
}
