//! What the console tells a person as they go, in the real binary's `demo` in a
//! pseudo-terminal: where focus and messages go after a refusal, what a resend says,
//! the demo's hint on an 80x24 terminal, and what stays on the terminal once the
//! console has gone.

use cognito_signin::local_pool::demo::{self, PASSWORD};

use crate::support::pty::Terminal;

/// The title the demo signs in to, as the console's header and its last line name it.
fn demo_title() -> String {
    format!("demo pool {}", demo::POOL_ID)
}

#[test]
fn after_a_refused_reset_the_next_keys_go_to_the_username_and_clear_the_message() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password", "bob"]);
    // bob must choose a new password first: the pool refuses to reset it.
    terminal.type_text("bob\x06");
    let refusal = "cannot be reset in the current state";
    terminal.wait_for(&[refusal]);
    terminal.type_text("x");
    let screen = terminal.wait_until("the key typed into the username", |screen| {
        screen.contains("│bobx")
    });
    assert!(!screen.contains(refusal), "the message went: {screen}");
    assert!(
        !screen.contains('•'),
        "nothing reached the password: {screen}"
    );
    terminal.type_text("\x1b");
    assert_eq!(terminal.exit_code(), 130);
}

#[test]
fn a_resent_code_says_on_the_screen_where_it_went_until_the_next_digit() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password", "sam"]);
    terminal.type_text(&format!("sam\t{PASSWORD}\r"));
    terminal.wait_for(&["+*******0101", "Type it, then press"]);
    // Ctrl-R: the sign-in is replayed and Cognito sends a fresh code.
    terminal.type_text("\x12");
    let notice = "A new code was sent by SMS to +*******0101.";
    terminal.wait_for(&[notice]);
    terminal.type_text("1");
    terminal.wait_until("the notice to go once a digit is typed", |screen| {
        !screen.contains(notice) && screen.contains(" 1 ")
    });
    terminal.type_text("\x1b");
    terminal.wait_for(&["┌ Sign in "]);
    terminal.type_text("\x1b");
    assert_eq!(terminal.exit_code(), 130);
}

#[test]
fn at_80x24_the_demo_hint_names_the_flags_cody_and_pat_need() {
    let mut terminal = Terminal::start_sized(&["demo"], (80, 24), &[]);
    let screen = terminal.wait_for(&[
        "Username",
        "cody needs --auth-flow CUSTOM_AUTH",
        "pat needs --auth-flow USER_AUTH",
    ]);
    assert!(screen.contains("Demo users:"), "{screen}");
    terminal.type_text("\x1b");
    assert_eq!(terminal.exit_code(), 130);
}

#[test]
fn leaving_after_signing_in_leaves_who_signed_in_on_stderr_and_only_json_on_stdout() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("out.json");
    let mut terminal =
        Terminal::start_with_stdout_to(&["demo", "--output", "json", "--username", "alice"], &out);
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text(PASSWORD);
    terminal.type_text("\r");
    terminal.wait_for(&["Signed in as alice", "finish"]);
    terminal.type_text("q");
    let (code, screen) = terminal.finish();
    assert_eq!(code, 0);
    // The console's screen is gone; its outcome stays, in one line.
    let farewell = format!("cognito-signin: Signed in as alice to {}", demo_title());
    assert!(screen.contains(&farewell), "{screen}");
    assert!(!screen.contains("┌"), "{screen}");
    assert!(!screen.contains(PASSWORD), "{screen}");
    // stdout has the tokens and nothing else.
    let printed = std::fs::read_to_string(&out).unwrap();
    let json: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert!(
        json["AuthenticationResult"]["AccessToken"].is_string(),
        "{printed}"
    );
    assert!(!printed.contains("Signed in"), "{printed}");
}

#[test]
fn quitting_leaves_the_last_message_on_the_terminal() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text("alice\twrong-password\r");
    terminal.wait_for(&["Incorrect username or password."]);
    terminal.type_text("\x1b");
    let (code, screen) = terminal.finish();
    assert_eq!(code, 130);
    let farewell = format!("cognito-signin: Quit before signing in to {}", demo_title());
    assert!(screen.contains(&farewell), "{screen}");
    assert!(
        screen.contains("The last message was: Incorrect username or password."),
        "{screen}"
    );
    assert!(!screen.contains("wrong-password"), "{screen}");
}
