//! Stories a person lives through in the real binary's `demo`, in a pseudo-terminal, at
//! the most common size (80x24) and a small one (40x12): every screen is read back from
//! the parsed terminal, codes are read from the demo's outbox or computed from the
//! secret the enrolment screen shows (or its QR code, read back as a phone would).

use cognito_signin::local_pool::demo::{self, PASSWORD};

use crate::support::pty::{STORY_SIZES, Terminal};
use crate::support::totp_code;

/// PgUp and PgDn, as a terminal sends them.
const PAGE_UP: &str = "\x1b[5~";
const PAGE_DOWN: &str = "\x1b[6~";

/// The secret shown in groups of four: eight groups of base32 letters in a row, across
/// rows where a narrow terminal wrapped them.
fn grouped_secret(screen: &str) -> Option<String> {
    let is_group = |word: &str| {
        word.len() == 4
            && word
                .chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
    };
    let words: Vec<&str> = screen
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|word| !word.is_empty())
        .collect();
    words
        .windows(8)
        .find(|window| window.iter().all(|word| is_group(word)))
        .map(|window| window.concat())
}

/// The secret of an otpauth URI.
fn secret_of(uri: &str) -> String {
    uri.split(['?', '&'])
        .find_map(|part| part.strip_prefix("secret="))
        .expect("the URI has a secret")
        .to_owned()
}

/// The last code of `digits` digits on a screen line that mentions `near` (the outbox).
fn code_near(screen: &str, near: &str, digits: usize) -> Option<String> {
    screen
        .lines()
        .rev()
        .filter(|line| line.contains(near))
        .find_map(|line| {
            line.split(|c: char| !c.is_ascii_digit())
                .find(|run| run.len() == digits)
                .map(str::to_owned)
        })
}

/// Waits until the outbox shows a code of `digits` digits on a line naming `near`.
fn wait_for_code_of(terminal: &Terminal, near: &str, digits: usize) -> String {
    let screen = terminal.wait_until(&format!("a code for {near} in the outbox"), |screen| {
        code_near(screen, near, digits).is_some()
    });
    code_near(&screen, near, digits).unwrap()
}

/// Waits for a six-digit code (MFA, a password reset) naming `near` in the outbox.
fn wait_for_code(terminal: &Terminal, near: &str) -> String {
    wait_for_code_of(terminal, near, 6)
}

/// Runs `story` at every story size.
fn at_every_size(story: impl Fn((u16, u16))) {
    for size in STORY_SIZES {
        story(size);
    }
}

/// The secret of the authenticator enrolment on the terminal, as a person gets it at
/// `size`: at 80x24 (where the QR code cannot sit beside the form) the code is shown
/// alone first and a phone reads it back, quiet zone and colours its own, then Ctrl-T
/// shows the form with the same secret in groups; at 40x12 no QR code fits, and PgUp
/// and PgDn scroll to the secret above the fields. The QR code names `username`.
fn enrolment_secret(terminal: &mut Terminal, size: (u16, u16), username: &str) -> String {
    if size == (80, 24) {
        let shown = terminal.wait_until("the QR code, alone", |screen| {
            screen.contains('▀') && screen.contains("Ctrl-T")
        });
        assert!(!shown.contains("Code from the app"), "{shown}");
        let uris = terminal.decode_qr();
        assert_eq!(uris.len(), 1, "{shown}");
        assert!(uris[0].starts_with("otpauth://totp/"), "{uris:?}");
        assert!(uris[0].contains(&format!(":{username}?")), "{uris:?}");
        terminal.type_text("\x14");
        let form = terminal.wait_until("the grouped secret", |screen| {
            grouped_secret(screen).is_some()
        });
        assert_eq!(grouped_secret(&form).unwrap(), secret_of(&uris[0]));
        secret_of(&uris[0])
    } else {
        terminal.wait_for(&["Code from the app"]);
        terminal.type_text(&PAGE_UP.repeat(12));
        let mut shown = terminal.contents();
        for _ in 0..30 {
            if grouped_secret(&shown).is_some() {
                break;
            }
            terminal.type_text(PAGE_DOWN);
            let before = shown.clone();
            shown = terminal.wait_until("the body scrolled by a row", |screen| screen != before);
        }
        grouped_secret(&shown).expect("the secret, scrolled to")
    }
}

#[test]
fn enrolling_an_authenticator_from_its_qr_code_then_signing_in_with_it() {
    at_every_size(|size| {
        let mut terminal =
            Terminal::start_sized(&["demo", "--user-pool-id", demo::MFA_ON_POOL_ID], size, &[]);
        terminal.wait_for(&["Username", "Password"]);
        terminal.type_text(&format!("dave\t{PASSWORD}\r"));
        terminal.wait_for(&["Authenticator app", "Code by e-mail"]);
        // The authenticator app comes first in the list.
        terminal.type_text("\r");
        let secret = enrolment_secret(&mut terminal, size, "dave");
        // The name first (Tab there and back), then the code: its sixth digit sends both.
        terminal.type_text("\tmy phone\t");
        terminal.type_text(&totp_code(&secret, 0));
        // The pool tracks devices: not remembered, so the next sign-in asks for the app.
        terminal.wait_for(&["Remember this device?"]);
        terminal.type_text("n");
        terminal.wait_for(&["Signed in as dave"]);

        // Sign in again in the same demo: the authenticator is asked for now.
        terminal.type_text("n");
        // The username is kept and the password has the focus (a small terminal
        // scrolls the username out of sight).
        terminal.wait_for(&["Sign in", "Password"]);
        terminal.type_text(&format!("{PASSWORD}\r"));
        terminal.wait_for(&["my phone"]);
        terminal.type_text(&totp_code(&secret, 1));
        terminal.wait_for(&["Signed in as dave"]);
        terminal.quit();
    });
}

#[test]
fn a_signed_in_person_adds_an_authenticator_from_account_security_then_signs_in_with_it() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo"], size, &[]);
        terminal.wait_for(&["Username", "Password"]);
        terminal.type_text(&format!("olive\t{PASSWORD}\r"));
        terminal.wait_for(&["Signed in as olive"]);
        // `a`: account security, whose first action adds an authenticator app.
        terminal.type_text("a");
        terminal.wait_for(&["Add an authenticator app"]);
        terminal.type_text("\r");
        let secret = enrolment_secret(&mut terminal, size, "olive");
        terminal.type_text("\tmy phone\t");
        terminal.type_text(&totp_code(&secret, 0));
        // Back on account security, saying so at the top (scrolled to at 40x12, where
        // the list of actions keeps the focus in sight).
        terminal.wait_for(&["Replace the authenticator app"]);
        terminal.type_text(&PAGE_UP.repeat(30));
        terminal.wait_for(&["The authenticator app is on"]);
        // Esc: the signed-in screen; `n`: sign in again, now asked for the app's code.
        terminal.type_text("\x1b");
        terminal.wait_for(&["Signed in as olive", "sign in again"]);
        terminal.type_text("n");
        terminal.wait_for(&["Sign in", "Password"]);
        terminal.type_text(&format!("{PASSWORD}\r"));
        terminal.wait_for(&["my phone"]);
        terminal.type_text(&totp_code(&secret, 1));
        terminal.wait_for(&["Signed in as olive"]);
        terminal.quit();
    });
}

/// An 80x24 demo with `env`, where dave signs in to the MFA-on pool and chooses the
/// authenticator app: the QR code is on the terminal, alone and whole.
fn dave_at_the_qr_code(env: &[(&str, &str)]) -> Terminal {
    let mut terminal = Terminal::start_sized(
        &["demo", "--user-pool-id", demo::MFA_ON_POOL_ID],
        (80, 24),
        env,
    );
    terminal.wait_for(&["Username", "Password"]);
    terminal.type_text(&format!("dave\t{PASSWORD}\r"));
    terminal.wait_for(&["Authenticator app"]);
    terminal.type_text("\r");
    // The footer is drawn after the code: once it shows, the code is whole.
    terminal.wait_until("the QR code", |screen| {
        screen.contains('▀') && screen.contains("Ctrl-T")
    });
    terminal
}

#[test]
fn under_no_color_the_qr_code_keeps_its_own_dark_on_light() {
    let terminal = dave_at_the_qr_code(&[("NO_COLOR", "1")]);
    let cells = terminal.qr_cells();
    assert!(!cells.is_empty());
    for (fg, bg) in cells {
        // Black on white (crossterm's White is the bright white, 15).
        assert_eq!(fg, vt100::Color::Idx(0));
        assert!(matches!(bg, vt100::Color::Idx(7 | 15)), "{bg:?}");
    }
    assert_eq!(terminal.decode_qr().len(), 1);
}

#[test]
fn ctrl_y_copies_the_whole_uri_to_the_clipboard() {
    use base64::Engine;
    let mut terminal = dave_at_the_qr_code(&[]);
    let uri = terminal.decode_qr().pop().expect("the QR code reads");
    terminal.type_text("\x19");
    terminal.wait_for(&["sent to the clipboard"]);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&uri);
    terminal.wait_for_bytes(
        "the OSC 52 copy",
        format!("\x1b]52;c;{encoded}\x07").as_bytes(),
    );
}

#[test]
fn a_temporary_password_is_replaced_with_the_required_attribute() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo"], size, &[]);
        terminal.wait_for(&["Username", "Password"]);
        terminal.type_text(&format!("bob\t{}\r", demo::BOB_TEMPORARY_PASSWORD));
        terminal.wait_for(&["New password", "New password again", "name"]);
        terminal.type_text("New-Password-2!\tNew-Password-2!\tBob Example\r");
        let signed_in = terminal.wait_for(&["Signed in as bob"]);
        assert!(!signed_in.contains("New-Password-2!"), "{signed_in}");
        terminal.quit();
    });
}

#[test]
fn choosing_sms_among_two_factors_and_typing_the_texted_code() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo"], size, &[]);
        terminal.wait_for(&["Username", "Password"]);
        terminal.type_text(&format!("chad\t{PASSWORD}\r"));
        let choice = terminal.wait_for(&["SMS_MFA", "EMAIL_OTP"]);
        // Move to the SMS entry whichever row it is on.
        let sms_first = choice.find("SMS_MFA").unwrap() < choice.find("EMAIL_OTP").unwrap();
        if !sms_first {
            terminal.type_text("j");
        }
        terminal.type_text("\r");
        terminal.wait_for(&["+*******0102", "Type it, then press Enter."]);
        let code = wait_for_code(&terminal, "+15555550102");
        // An MFA code may be six to eight digits: Enter sends it.
        terminal.type_text(&format!("{code}\r"));
        terminal.wait_for(&["Signed in as chad"]);
        terminal.quit();
    });
}

#[test]
fn two_rounds_of_a_custom_challenge() {
    at_every_size(|size| {
        let mut terminal =
            Terminal::start_sized(&["demo", "--auth-flow", "CUSTOM_AUTH"], size, &[]);
        terminal.wait_for(&["Username"]);
        terminal.type_text("cody\r");
        terminal.wait_for(&["What is 6 times 7?"]);
        terminal.type_text("42\r");
        terminal.wait_for(&["Spell cognito backwards."]);
        terminal.type_text("otingoc\r");
        terminal.wait_for(&["Signed in as cody"]);
        terminal.quit();
    });
}

/// Moves down a list until the chosen entry (marked "›") mentions `entry`, then presses
/// Enter: a small terminal shows only part of the list.
fn choose(terminal: &mut Terminal, entry: &str) {
    let chosen_line = |screen: &str| {
        screen
            .lines()
            .find(|line| line.contains('›'))
            .unwrap_or_default()
            .to_owned()
    };
    let mut chosen = chosen_line(&terminal.wait_for(&["›"]));
    for _ in 0..12 {
        if chosen.contains(entry) {
            break;
        }
        terminal.type_text("j");
        // Wait for the mark itself to move: any other redraw (the outbox, a screen read
        // afresh) would otherwise count as the move, and the next `j` overshoot.
        let before = chosen.clone();
        chosen = chosen_line(&terminal.wait_until("the next entry chosen", |screen| {
            chosen_line(screen) != before
        }));
    }
    terminal.type_text("\r");
}

#[test]
fn passwordless_sign_in_with_an_eight_digit_emailed_code_sent_on_its_last_digit() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo", "--auth-flow", "USER_AUTH"], size, &[]);
        terminal.wait_for(&["Username"]);
        terminal.type_text("pat\r");
        choose(&mut terminal, "EMAIL_OTP");
        // The outbox can show the message before the code screen is drawn: wait for the
        // screen, or the digits would be typed into the list.
        let screen = terminal.wait_for(&["p***@e***", "_ _ _ _ _ _ _ _"]);
        assert!(!screen.contains("press Enter"), "{screen}");
        let code = wait_for_code_of(&terminal, "pat@example.com", 8);
        // The eighth digit sends the code: no Enter is typed.
        terminal.type_text(&code);
        terminal.wait_for(&["Signed in as pat"]);
        terminal.quit();
    });
}

#[test]
fn a_forgotten_password_is_reset_from_the_sign_in_screen_then_used() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo"], size, &[]);
        terminal.wait_for(&["Username", "Password"]);
        // Ctrl-F: forgot password, for the username typed.
        terminal.type_text("alice\x06");
        terminal.wait_for(&["Reset your password", "a***@e***"]);
        let code = wait_for_code(&terminal, "alice");
        terminal.type_text(&format!("{code}\r"));
        terminal.wait_for(&["Choose a new password", "New password again"]);
        terminal.type_text("Reset-Password-2!\tReset-Password-2!\r");
        terminal.wait_for(&["Your password was changed", "Password"]);
        // The username is filled in and the password field has the focus.
        terminal.type_text("Reset-Password-2!\r");
        let signed_in = terminal.wait_for(&["Signed in as alice"]);
        assert!(!signed_in.contains("Reset-Password-2!"), "{signed_in}");
        terminal.quit();
    });
}

#[test]
fn a_remembered_device_skips_mfa_on_the_next_sign_in() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(
            &[
                "demo",
                "--user-pool-id",
                demo::MFA_ON_POOL_ID,
                "--device-name",
                "story-box",
            ],
            size,
            &[],
        );
        terminal.wait_for(&["Username", "Password"]);
        terminal.type_text(&format!("mona\t{PASSWORD}\r"));
        terminal.wait_for(&["Code by e-mail", "m***@e***"]);
        let code = wait_for_code(&terminal, "mona");
        terminal.type_text(&format!("{code}\r"));
        terminal.wait_for(&["Remember this device?", "not_remembered"]);
        // What the question means is above the list: PgUp shows it at any size.
        terminal.type_text(&PAGE_UP.repeat(12));
        terminal.wait_for(&["story-box", "skips the second factor"]);
        terminal.type_text("y");
        terminal.wait_for(&["Signed in as mona"]);

        // The same demo run: the device proves itself, no code is asked for.
        terminal.type_text("n");
        // The username is kept and the password has the focus (a small terminal
        // scrolls the username out of sight).
        terminal.wait_for(&["Sign in", "Password"]);
        terminal.type_text(&format!("{PASSWORD}\r"));
        let signed_in = terminal.wait_for(&["Signed in as mona"]);
        assert!(!signed_in.contains("Code by e-mail"), "{signed_in}");
        terminal.quit();
    });
}

#[test]
fn a_wrong_custom_answer_is_said_and_the_pool_ending_the_sign_in_offers_a_fresh_start() {
    let mut terminal = Terminal::start(&["demo", "--auth-flow", "CUSTOM_AUTH"]);
    terminal.wait_for(&["Username", "cody"]);
    terminal.type_text("cody\r");
    terminal.wait_for(&["Round 1", "What is 6 times 7?"]);
    terminal.type_text("41\r");
    let again = terminal.wait_for(&["That answer was not accepted", "so far: 1"]);
    assert!(
        again.contains("Round 1") && !again.contains("Round 2"),
        "{again}"
    );
    // A key typed into the field clears the stale message.
    terminal.type_text("4");
    terminal.wait_until("the message to go once a key is typed", |screen| {
        !screen.contains("That answer was not accepted")
    });
    terminal.type_text("1\r");
    terminal.wait_for(&["so far: 2"]);
    terminal.type_text("41\r");
    // The pool ended it: the sign-in form, cody kept, and why, without a password.
    let ended = terminal.wait_for(&["┌ Sign in ", "The pool ended the sign-in"]);
    assert!(ended.contains("cody"), "{ended}");
    assert!(!ended.contains("Incorrect username or password"), "{ended}");
    terminal.type_text("\r");
    terminal.wait_for(&["Round 1", "What is 6 times 7?"]);
    terminal.type_text("42\r");
    terminal.wait_for(&["Round 2", "Spell cognito backwards."]);
    terminal.type_text("otingoc\r");
    terminal.wait_for(&["Signed in as cody", "finish"]);
    terminal.quit();
}

#[test]
fn petra_signs_in_with_the_passkey_the_demo_registered() {
    at_every_size(|size| {
        let mut terminal = Terminal::start_sized(&["demo", "--auth-flow", "USER_AUTH"], size, &[]);
        terminal.wait_for(&["Username"]);
        terminal.type_text("petra\r");
        choose(&mut terminal, "WEB_AUTHN");
        terminal.wait_for(&["software passkey for petra"]);
        terminal.type_text("\r");
        terminal.wait_for(&["Signed in as petra"]);
        terminal.quit();
    });
}

#[test]
fn a_signed_in_person_adds_a_passkey_then_signs_in_with_it() {
    let mut terminal = Terminal::start_sized(&["demo", "--auth-flow", "USER_AUTH"], (80, 24), &[]);
    terminal.wait_for(&["Username"]);
    terminal.type_text("olive\r");
    choose(&mut terminal, "PASSWORD ");
    terminal.wait_until("the password screen", |screen| {
        screen.contains("Signing in as olive.") && !screen.contains("How do you want to sign in?")
    });
    terminal.type_text(&format!("{PASSWORD}\r"));
    terminal.wait_for(&["Signed in as olive"]);
    // `a`: account security, then its "Add a passkey on this machine".
    terminal.type_text("a");
    terminal.wait_for(&["What do you want to do?"]);
    choose(&mut terminal, "Add a passkey");
    // Back on account security, read afresh with the focus on its first action: the
    // notice is at the top and the new passkey is listed.
    terminal.wait_for(&["Passkey added for localhost", "on this machine"]);
    // Esc: the signed-in screen; `n`: sign in again, with the passkey this time.
    terminal.type_text("\x1b");
    terminal.wait_for(&["Signed in as olive", "sign in again"]);
    terminal.type_text("n");
    terminal.wait_until("the sign-in form", |screen| {
        screen.contains("Username") && !screen.contains("Signed in as olive")
    });
    terminal.type_text("\r");
    choose(&mut terminal, "WEB_AUTHN");
    terminal.wait_for(&["software passkey for olive"]);
    terminal.type_text("\r");
    terminal.wait_for(&["Signed in as olive"]);
    terminal.quit();
}
