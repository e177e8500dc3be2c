//! `config add` in the full-screen console, against `serve`: the plain prompts as one
//! form, a flag's value already in its field; a client id the pool does not have is
//! refused by the check with every value kept, fixed in place and saved; Esc saves
//! nothing.

use cognito_signin::local_pool::demo;

use crate::support::binary::Binary;
use crate::support::pty::Terminal;

/// The demo pools' file, for `serve`.
const DEMO_POOL_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-pool.toml");

/// The keys a terminal sends.
const UP: &str = "\x1b[A";
const CTRL_S: &str = "\x13";
const CTRL_U: &str = "\x15";
const ESC: &str = "\x1b";

/// The config file in `binary`'s home.
fn config_file(binary: &Binary) -> std::path::PathBuf {
    binary
        .home()
        .join("config")
        .join("cognito-signin")
        .join("config.toml")
}

#[test]
fn a_refused_check_keeps_the_form_and_the_fixed_pool_is_saved() {
    let binary = Binary::new();
    let serve = binary.serve(&["--pool", DEMO_POOL_FILE]);
    let mut terminal = Terminal::start_in(
        &binary,
        &["config", "add", "lab", "--endpoint-url", serve.url()],
    );
    // The footer, on the last row, is drawn last: waiting for it waits for the frame.
    terminal.wait_for(&[
        "config add lab",
        "User pool id (such as us-east-1_AbCdEfGhI)",
        "Client secret: Enter for none, env:VARIABLE, or cmd:COMMAND",
        serve.url(),
        "Esc cancel",
    ]);

    terminal.type_text(&format!("{}\r", demo::POOL_ID));
    terminal.type_text("nosuchclient001\r");
    // Endpoint (from the flag) and auth flow as they are; a username; no secret.
    terminal.type_text("\r\ralice\r\r");
    let refused = terminal.wait_for(&["no such pool or app client", "Ctrl-N"]);
    assert!(refused.contains("nosuchclient001"), "kept: {refused}");
    assert!(refused.contains("alice"), "kept: {refused}");
    assert!(!config_file(&binary).exists(), "nothing saved yet");

    // Up to the client id, cleared and typed again, then Ctrl-S checks and saves.
    terminal.type_text(&UP.repeat(4));
    terminal.type_text(CTRL_U);
    terminal.type_text(demo::PUBLIC_CLIENT_ID);
    terminal.wait_for(&[demo::PUBLIC_CLIENT_ID]);
    terminal.type_text(CTRL_S);
    let (status, after) = terminal.finish();
    assert_eq!(status, 0, "{after}");
    assert!(
        after.contains("saved the pool 'lab' as the default"),
        "{after}"
    );
    let written = std::fs::read_to_string(config_file(&binary)).unwrap();
    for line in [
        "default = \"lab\"".to_owned(),
        format!("client_id = \"{}\"", demo::PUBLIC_CLIENT_ID),
        format!("endpoint_url = \"{}\"", serve.url()),
        "username = \"alice\"".to_owned(),
    ] {
        assert!(written.contains(&line), "{line} in {written}");
    }
}

#[test]
fn escape_leaves_the_form_and_saves_nothing() {
    let binary = Binary::new();
    let mut terminal = Terminal::start_in(&binary, &["config", "add", "lab"]);
    terminal.wait_for(&["config add lab", "App client id", "Esc cancel"]);
    terminal.type_text("us-east-1_Typed\t");
    terminal.type_text(ESC);
    let (status, after) = terminal.finish();
    assert_eq!(status, 130, "{after}");
    assert!(after.contains("nothing was saved"), "{after}");
    assert!(!config_file(&binary).exists());
}
