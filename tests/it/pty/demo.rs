//! The real binary's `demo` in a pseudo-terminal: a person types a demo user's
//! credentials and the signed-in screen is read back from the parsed screen; and the
//! header of a sign-in to a real pool's URL.

use cognito_signin::local_pool::demo;

use crate::support::pty::Terminal;

#[test]
fn a_demo_user_signs_in_with_srp_and_sees_their_tokens() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password", "alice"]);
    terminal.type_text("alice\t");
    terminal.type_text(demo::PASSWORD);
    // The field shows one mask character per typed character, never the password.
    terminal.wait_for(&["••••••••••••••••"]);
    terminal.type_text("\r");
    // Wait for the whole signed-in frame: its footer, on the last row, is drawn last, and
    // until then rows of the sign-in screen (whose demo table names the passwords) remain.
    let signed_in = terminal.wait_for(&[
        "Signed in as alice",
        "alice@example.com",
        "operators",
        "Expires",
        "finish",
    ]);
    assert!(signed_in.contains("refresh"), "{signed_in}");
    assert!(
        !signed_in.contains(demo::PASSWORD),
        "the password is never shown: {signed_in}"
    );
    terminal.quit();
}

#[test]
fn a_wrong_password_stays_on_the_screen_and_escape_quits() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text("alice\twrong-password\r");
    let refused = terminal.wait_for(&["Incorrect username or password."]);
    assert!(refused.contains("alice"), "the username is kept: {refused}");
    terminal.type_text("\x1b");
    assert_ne!(terminal.exit_code(), 0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password"]);
    let pid = terminal.process_id();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_ne!(terminal.exit_code(), 0);
}

#[test]
fn ctrl_c_after_signing_in_keeps_the_sign_in_and_exits_zero() {
    let mut terminal = Terminal::start(&["demo", "--output", "json", "--username", "alice"]);
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text(demo::PASSWORD);
    terminal.type_text("\r");
    terminal.wait_for(&["Signed in as alice", "finish"]);
    terminal.type_text("\x03");
    assert_eq!(terminal.exit_code(), 0);
}

#[test]
fn plain_mode_at_a_terminal_hides_the_password_and_echoes_the_code() {
    let mut terminal = Terminal::start(&["demo", "--plain"]);
    terminal.wait_for(&["Username"]);
    terminal.type_text("carol\r");
    terminal.wait_for(&["Password"]);
    terminal.type_text(demo::PASSWORD);
    terminal.type_text("\r");
    let asked = terminal.wait_for(&["Code"]);
    // The demo's user table names the password; after the prompt it never appears.
    let after_prompt = asked.rsplit("Password (? if you forgot it):").next();
    assert!(
        asked.contains("Password (? if you forgot it):")
            && after_prompt.is_some_and(|rest| !rest.contains(demo::PASSWORD)),
        "the password is not echoed: {asked}"
    );
    let code = crate::support::totp_code(demo::CAROL_TOTP_SECRET, 0);
    terminal.type_text(&code);
    // Echoed as typed, before Enter sends it.
    terminal.wait_until("the code echoed", |screen| {
        screen
            .lines()
            .any(|line| line.starts_with("Code") && line.trim_end().ends_with(code.as_str()))
    });
    terminal.type_text("\r");
    terminal.wait_for(&["Signed in as carol"]);
    terminal.quit();
}

#[test]
fn ctrl_c_at_a_plain_password_prompt_quits_with_the_terminal_as_it_was() {
    let mut terminal = Terminal::start_then_stty(&["demo", "--plain"]);
    terminal.wait_for(&["Username"]);
    terminal.type_text("carol\r");
    terminal.wait_for(&["Password (? if you forgot it):"]);
    terminal.type_text("\x03");
    let (status, screen) = terminal.finish();
    assert_eq!(status, 0, "the shell ran on: {screen}");
    assert!(screen.contains("exit status 130"), "{screen}");
    // `stty -a` after the program: echo, line editing and signals are all back on.
    let settings = screen
        .rsplit("exit status 130")
        .next()
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect::<Vec<_>>();
    for mode in ["echo", "icanon", "isig"] {
        assert!(settings.contains(&mode), "{mode} in {screen}");
    }
}

#[test]
fn the_header_never_shows_a_password_the_endpoint_url_carries() {
    let closed = crate::support::closed_port_url();
    let with_password = closed.replacen("http://", "http://operator:S3cret-In-Url@", 1);
    let mut terminal = Terminal::start(&[
        "--user-pool-id",
        "us-east-1_Fake12345",
        "--client-id",
        "fakeclient",
        "--endpoint-url",
        &with_password,
    ]);
    let screen = terminal.wait_for(&["us-east-1_Fake12345", &closed, "Username"]);
    assert!(!screen.contains("S3cret-In-Url"), "{screen}");
    assert!(!screen.contains("operator"), "{screen}");
    terminal.type_text("\x1b");
    assert_eq!(terminal.exit_code(), 130);
}
