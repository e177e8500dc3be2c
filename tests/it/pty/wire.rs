//! The wire panel in the real binary's `demo`: open by itself on a wide terminal, it
//! lists an SRP sign-in with an authenticator code call by call (challenges, parameter
//! names, the kind and length of every secret) and never a secret itself; F2 hides it
//! and shows it again.

use cognito_signin::local_pool::demo;

use crate::support::pty::Terminal;
use crate::support::totp_code;

/// Wide enough for the panel beside the screen, tall enough for all three calls.
const SIZE: (u16, u16) = (140, 70);

/// The first column of the panel at 140 columns: the screen keeps 80.
const PANEL_COLUMN: usize = 80;

/// The panel's part of each row.
fn panel(screen: &str) -> String {
    screen
        .lines()
        .map(|row| row.chars().skip(PANEL_COLUMN).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest run of characters an opaque value is made of (base64, base64url, hex).
fn longest_opaque_run(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "+/_-".contains(c)))
        .map(str::len)
        .max()
        .unwrap_or_default()
}

#[test]
fn the_wire_panel_shows_an_srp_and_authenticator_sign_in_without_a_secret() {
    let mut terminal = Terminal::start_sized(&["demo"], SIZE, &[]);
    // The footer names the key; on the last row, it is drawn last.
    terminal.wait_for(&["Username", "Wire: 0 calls", "No calls yet.", "F2 wire"]);

    terminal.type_text("carol\t");
    terminal.type_text(demo::PASSWORD);
    terminal.type_text("\r");
    let code = totp_code(demo::CAROL_TOTP_SECRET, 0);
    terminal.wait_for(&[
        "Wire: 2 calls",
        "→ SOFTWARE_TOKEN_MFA",
        "Open Demo authenticator",
    ]);
    // The sixth digit sends it: an Enter after it could finish the signed-in screen.
    terminal.type_text(&code);
    // A call's parameters come just after the call itself.
    let signed_in = terminal.wait_until("the signed-in screen and its call", |screen| {
        screen.contains("Signed in as carol") && screen.contains("AccessToken: JWT of")
    });
    let shown = panel(&signed_in);
    for expected in [
        "InitiateAuth → PASSWORD_VERIFIER",
        " → AuthFlow=USER_SRP_AUTH",
        "     USERNAME=carol",
        // 768 hex digits, fewer where A happens to start with zeros.
        "     SRP_A: 76",
        " ← ChallengeParameters",
        "     SRP_B: ",
        "     SALT: ",
        "     FRIENDLY_DEVICE_NAME=Demo authenticator",
        "     SECRET_BLOCK: ",
        "RespondToAuthChallenge → SOFTWARE_TOKEN_MFA",
        " → ChallengeName=PASSWORD_VERIFIER",
        "     PASSWORD_CLAIM_SIGNATURE: 44 chars",
        " → Session: ",
        "Wire: 3 calls",
        " → ChallengeName=SOFTWARE_TOKEN_MFA",
        "     SOFTWARE_TOKEN_MFA_CODE: 6 digits",
        " ← AuthenticationResult",
        "     AccessToken: JWT of ",
        "     RefreshToken: ",
    ] {
        assert!(
            shown.contains(expected),
            "{expected:?} in the panel:\n{shown}"
        );
    }
    assert!(!shown.contains(demo::PASSWORD), "{shown}");
    assert!(!shown.contains(&code), "{shown}");
    // No token, session, SRP number or signature: nothing opaque longer than a name.
    assert!(longest_opaque_run(&shown) < 32, "{shown}");

    // F2 hides the panel, and shows it again with the same calls.
    terminal.type_text("\x1bOQ");
    terminal.wait_until("the panel hidden", |screen| !screen.contains("Wire:"));
    terminal.type_text("\x1bOQ");
    terminal.wait_for(&["Wire: 3 calls", "InitiateAuth → PASSWORD_VERIFIER"]);
    terminal.quit();
}

#[test]
fn at_120_columns_the_sign_in_shows_every_call_and_the_newest_in_full() {
    let mut terminal = Terminal::start(&["demo"]);
    terminal.wait_for(&["Username", "Wire: 0 calls"]);
    terminal.type_text("carol\t");
    terminal.type_text(demo::PASSWORD);
    terminal.type_text("\r");
    terminal.wait_for(&["Open Demo authenticator"]);
    terminal.type_text(&totp_code(demo::CAROL_TOTP_SECRET, 0));
    let signed_in = terminal.wait_until("the signed-in screen and its call", |screen| {
        screen.contains("Signed in as carol") && screen.contains("AccessToken: JWT of")
    });
    // 40 rows cannot hold all three calls' parameters: the older two keep their
    // headings (in 38 columns, the outcome under the operation), so the sequence reads
    // whole.
    let shown = panel(&signed_in);
    for heading in [
        "│InitiateAuth ",
        "  → PASSWORD_VERIFIER  200 ·",
        "│RespondToAuthChallenge ",
        "  → SOFTWARE_TOKEN_MFA  200 ·",
        "SOFTWARE_TOKEN_MFA_CODE: 6 digits",
    ] {
        assert!(
            shown.contains(heading),
            "{heading:?} in the panel:\n{shown}"
        );
    }
    terminal.quit();
}
