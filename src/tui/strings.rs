//! Every sentence and label the terminal front end shows, in one place, so wording is
//! reviewed (and one day translated) without reading drawing code.

use crate::auth::CodeLength;

/// The name in the header.
pub const APP_NAME: &str = "cognito-signin";

/// Screen titles (the border of the body).
pub const TITLE_SIGN_IN: &str = "Sign in";
pub const TITLE_SIGNED_IN: &str = "Signed in";
pub const TITLE_FAILED: &str = "Sign-in failed";

/// Field labels of the sign-in form.
pub const LABEL_USERNAME: &str = "Username";
pub const LABEL_PASSWORD: &str = "Password";

/// What the footer says each key does.
pub const KEY_SIGN_IN: &str = "sign in";
pub const KEY_QUIT: &str = "quit";
pub const KEY_FINISH: &str = "finish";
pub const KEY_SIGN_IN_AGAIN: &str = "sign in again";
pub const KEY_START_AGAIN: &str = "start again";

/// Stops on the sign-in screen, before anything is sent.
pub const NEED_USERNAME: &str = "Enter a username.";
pub const NEED_PASSWORD: &str = "Enter a password.";

/// Shown beside the spinner while a call is in flight.
pub const SIGNING_IN: &str = "Signing in…";

/// The auth task stopped talking before the sign-in ended.
pub const AUTH_TASK_ENDED: &str =
    "The sign-in stopped unexpectedly (its background task ended). Run the command again.";

/// What stays on the terminal once the console has gone: "Signed in as alice to
/// us-east-1_AbC · client 1example."
pub fn signed_in_to(username: Option<&str>, title: &str) -> String {
    match username {
        Some(name) => format!("Signed in as {name} to {title}."),
        None => format!("Signed in to {title}."),
    }
}

/// What stays on the terminal when the person left before signing in, with the last
/// thing the console said (a refusal, why the sign-in failed).
pub fn quit_before_signing_in(title: &str, last_message: Option<&str>) -> String {
    match last_message {
        Some(message) => {
            format!("Quit before signing in to {title}. The last message was: {message}")
        }
        None => format!("Quit before signing in to {title}."),
    }
}

/// The terminal's input ended, so nobody can answer any more.
pub const INPUT_ENDED: &str = "The terminal's input ended.";

/// Signed-in screen.
pub const SIGNED_IN_AS: &str = "Signed in as";
pub const SIGNED_IN_NO_NAME: &str = "Signed in.";
pub const LABEL_SUB: &str = "Subject";
pub const LABEL_EMAIL: &str = "E-mail";
pub const LABEL_GROUPS: &str = "Groups";
pub const LABEL_TOKENS: &str = "Tokens";
pub const LABEL_EXPIRES: &str = "Expires";
pub const NO_GROUPS: &str = "none";
pub const NOT_IN_TOKEN: &str = "not in the token";
pub const ID_TOKEN_UNREADABLE: &str = "The ID token could not be read, so no claims are shown.";
pub const EXPIRED: &str = "expired";

/// "expires in 59:12 (at 04:41:28 UTC)".
pub fn expires_in(countdown: &str, at: &str) -> String {
    format!("in {countdown} (at {at} UTC)")
}

/// "expired at 04:41:28 UTC".
pub fn expired_at(at: &str) -> String {
    format!("{EXPIRED} at {at} UTC")
}

/// Under a failure: what the person can do.
pub const FAILED_HINT: &str = "Start again with the same username, or quit.";

/// Titles of the challenge screens.
pub const TITLE_CHOOSE_SIGN_IN: &str = "Choose how to sign in";
pub const TITLE_PASSWORD: &str = "Password";
pub const TITLE_CODE_SMS: &str = "Code by text message";
pub const TITLE_CODE_EMAIL: &str = "Code by e-mail";
pub const TITLE_CODE_AUTHENTICATOR: &str = "Authenticator code";
pub const TITLE_SELECT_MFA: &str = "Choose a second factor";
pub const TITLE_SELECT_MFA_SETUP: &str = "Set up a second factor";
pub const TITLE_TOTP_SETUP: &str = "Set up an authenticator app";
pub const TITLE_EMAIL_SETUP: &str = "Set up codes by e-mail";
pub const TITLE_NEW_PASSWORD: &str = "Choose a new password";
pub const TITLE_CUSTOM: &str = "Answer the challenge";
pub const TITLE_RESET_CODE: &str = "Reset your password";
pub const TITLE_REMEMBER_DEVICE: &str = "Remember this device?";
pub const TITLE_WEB_AUTHN: &str = "Sign in with a passkey";

/// The sign-in form's "forgot password" key, and what it needs first.
pub const KEY_FORGOT_PASSWORD: &str = "forgot password";
pub const KEY_YES: &str = "yes";
pub const KEY_NO: &str = "no";
pub const NEED_USERNAME_TO_RESET: &str =
    "Type your username first, then press Ctrl-F to reset your password.";

/// Above the new-password fields of a reset.
pub const RESET_PASSWORD_INTRO: &str =
    "Choose the new password. It replaces the old one once the code is checked.";

/// "Resetting the password of alice."
pub fn resetting_password_of(username: &str) -> String {
    format!("Resetting the password of {username}.")
}

/// The "Remember this device?" screen.
pub const REMEMBER_DEVICE_INTRO: &str = "The pool can remember this device. While it is remembered, signing in here skips the second factor where the pool allows it; `cognito-signin devices` lists and forgets devices.";
pub const REMEMBER_YES: &str = "Remember this device";
pub const REMEMBER_NO: &str = "Do not remember it";

/// "This device: my-laptop."
pub fn this_device(name: &str) -> String {
    format!("This device: {name}.")
}

/// More key descriptions for the footer.
pub const KEY_CHOOSE: &str = "choose";
pub const KEY_UP: &str = "up";
pub const KEY_DOWN: &str = "down";
pub const KEY_SEND: &str = "send";
pub const KEY_ERASE: &str = "erase";
pub const KEY_RESEND: &str = "resend code";
pub const KEY_NEXT_OR_SEND: &str = "next/send";
pub const KEY_NEXT: &str = "next";
pub const KEY_PREVIOUS: &str = "previous";

/// Field labels of the challenge screens.
pub const LABEL_CODE: &str = "Code";
pub const LABEL_FIRST_CODE: &str = "Code from the app";
pub const LABEL_DEVICE_NAME: &str = "Device name (optional)";
pub const LABEL_EMAIL_ADDRESS: &str = "E-mail address";
pub const LABEL_NEW_PASSWORD: &str = "New password";
pub const LABEL_CONFIRM_PASSWORD: &str = "New password again";
pub const LABEL_ANSWER: &str = "Answer";
pub const LABEL_SECRET: &str = "Secret";
pub const LABEL_URI: &str = "URI";
pub const LABEL_CURRENT_ATTRIBUTES: &str = "Current attributes";
pub const LABEL_CHALLENGE: &str = "Challenge";

/// Shown beside the spinner while an answer is checked.
pub const CHECKING: &str = "Checking…";

/// The names of first factors on the SELECT_CHALLENGE list.
pub const FACTOR_PASSWORD: &str = "Password";
pub const FACTOR_PASSWORD_SRP: &str = "Password (SRP: never sent)";
pub const FACTOR_EMAIL_OTP: &str = "Code by e-mail";
pub const FACTOR_SMS_OTP: &str = "Code by text message";
pub const FACTOR_WEB_AUTHN: &str = "Passkey";
/// Beside a factor this console cannot use.
pub const NOT_HERE: &str = "(not in this console)";

/// "UNKNOWN_FACTOR cannot be used here: choose another way to sign in."
pub fn factor_unusable(name: &str) -> String {
    format!("{name} cannot be used in this console. Choose another way to sign in.")
}

/// The names of second factors on SELECT_MFA_TYPE and MFA_SETUP.
pub const MFA_SOFTWARE_TOKEN: &str = "Authenticator app";
pub const MFA_EMAIL: &str = "Code by e-mail";
pub const MFA_SMS: &str = "Code by text message (SMS)";

/// Choosing SMS on MFA_SETUP.
pub const SMS_SETUP_NEEDS_ADMIN: &str = "Text-message codes need a phone number on your account, and only an administrator can add one. Ask them to, or choose another factor.";

/// Above the lists.
pub const CHOOSE_FIRST_FACTOR: &str = "How do you want to sign in?";
pub const CHOOSE_MFA: &str = "Which second factor do you want to use this time?";
pub const CHOOSE_MFA_SETUP: &str =
    "This account needs a second factor. Which one do you want to set up?";

/// "Signing in as alice."
pub fn signing_in_as(username: &str) -> String {
    format!("Signing in as {username}.")
}

/// Where a code went, for the code screen; `by` is "by e-mail" or "by SMS".
pub fn code_sent(by: &str, destination: Option<&str>) -> String {
    match destination {
        Some(to) => format!("We sent a code {by} to {to}."),
        None => format!("We sent a code {by}."),
    }
}

/// Which authenticator to open, for the code screen.
pub fn open_authenticator(device_name: Option<&str>) -> String {
    match device_name {
        Some(name) => format!("Open {name} and enter the code it shows."),
        None => "Open your authenticator app and enter the code it shows.".to_owned(),
    }
}

/// "This sign-in expires in 0:42.": the last minute of a challenge's Session.
pub fn session_expires_in(countdown: &str) -> String {
    format!("This sign-in expires in {countdown}.")
}

/// The challenge's Session has ended: no code is taken any more.
pub const SESSION_EXPIRED: &str = "This sign-in has expired. Press Esc to start again.";

/// The passkey screen: whose passkey, for which relying party ("Passkey for alice at
/// localhost.").
pub fn passkey_for(username: &str, relying_party: &str) -> String {
    format!("Passkey for {username} at {relying_party}.")
}

/// The passkey screen when this machine holds one: Enter signs in with it.
pub fn using_software_passkey(username: &str) -> String {
    format!("Using the software passkey for {username}. Press Enter to sign in.")
}

/// The passkey screen when this machine holds none (also what Enter repeats there).
pub fn no_software_passkey(username: &str, relying_party: &str) -> String {
    format!("This machine holds no software passkey for {username} at {relying_party}.")
}

/// How to get a software passkey, under `no_software_passkey`.
pub const GET_A_PASSKEY: &str = "To get one, sign in another way, then add a passkey from account security or with `cognito-signin passkeys add`.";

/// The passkey screen on a security key: what to do.
pub fn using_security_key(plugged_in: Option<bool>) -> &'static str {
    match plugged_in {
        Some(false) => {
            "No security key is plugged in. Plug one in, then press Enter and touch it when it blinks."
        }
        _ => "Using your security key. Press Enter, then touch the key when it blinks.",
    }
}

/// The passkey screen's offer to switch authenticators.
pub const fn switch_authenticator_to(security_key_now: bool) -> &'static str {
    if security_key_now {
        "use the software passkey"
    } else {
        "use a security key"
    }
}

/// The security-key PIN screen's title and field.
pub const TITLE_KEY_PIN: &str = "Security key PIN";
pub const LABEL_KEY_PIN: &str = "PIN";
pub const NEED_KEY_PIN: &str = "Enter the security key's PIN.";
pub const KEY_GIVE_PIN: &str = "give PIN";

/// What the PIN screen says: the key, the relying party, and what happens next.
pub fn key_pin_intro(relying_party: &str) -> String {
    format!(
        "Your security key asks for its PIN to use its passkey for {relying_party}. After the PIN, touch the key when it blinks."
    )
}

/// A wrong PIN, with the tries the key has left when it said.
pub fn wrong_key_pin(retries: Option<u8>) -> String {
    match retries {
        Some(1) => "Wrong PIN: 1 try left before the key blocks its PIN.".to_owned(),
        Some(retries) => format!("Wrong PIN: {retries} tries left before the key blocks its PIN."),
        None => "Wrong PIN.".to_owned(),
    }
}

/// What is left to do on the passkey screen without a passkey.
pub const PASSKEY_START_AGAIN: &str = "Press Esc to sign in another way.";

/// After where a code went, when its length is not known: Enter sends it.
pub const CODE_THEN_ENTER: &str = "Type it, then press Enter.";

/// "Enter all 6 digits." where the length is known, else "Enter the whole code (6 to 8
/// digits)."
pub fn need_digits(length: CodeLength) -> String {
    match length {
        CodeLength::Exactly(length) => format!("Enter all {length} digits."),
        CodeLength::Between { .. } => format!("Enter the whole code ({length} digits)."),
    }
}

/// TOTP enrolment.
pub const TOTP_SCAN: &str = "Scan the QR code with your authenticator app, or type the secret in.";
pub const TOTP_TYPE_SECRET: &str = "Type this secret into your authenticator app:";
/// The QR code cannot be drawn in this terminal: the size that would show it, measured
/// from the code itself.
pub fn totp_larger_terminal(columns: u16, rows: u16) -> String {
    format!("A terminal of at least {columns}×{rows} shows a QR code.")
}
/// The QR code is shown alone, a key away.
pub const TOTP_QR_KEY: &str = "Ctrl-T shows the QR code.";
/// Above the secret, in groups on lines of their own.
pub const TOTP_SECRET_HEADING: &str = "Secret (type it in groups as shown):";
/// The URI is longer than the line: it is offered to copy, never shown broken.
pub const TOTP_URI_TOO_LONG: &str = "URI: too long for one line here; Ctrl-Y copies it whole.";
/// After Ctrl-Y: the terminal was asked to copy the URI.
pub const TOTP_URI_COPIED: &str =
    "The URI was sent to the clipboard (OSC 52: the terminal must allow it).";
/// The footer entry of the key that switches between the QR code and the form.
/// The footer entry of the keys that scroll a screen taller than the terminal.
pub const KEY_SCROLL: &str = "scroll";
/// Drawn instead of a screen that cannot work in this terminal, with the size it needs.
pub fn terminal_too_small(columns: u16, rows: u16) -> String {
    format!("terminal too small: need {columns}×{rows}")
}
pub const KEY_QR_OR_FORM: &str = "QR code / form";
/// The footer entry of the key that copies the URI.
pub const KEY_COPY_URI: &str = "copy URI";
/// Under the QR code shown alone.
pub const TOTP_SCAN_ALONE: &str = "Scan with your authenticator app";
pub const TOTP_THEN_CODE: &str =
    "Name it first if you like (Tab), then enter the code the app shows.";

/// E-mail enrolment.
pub const EMAIL_SETUP_INTRO: &str = "Codes will be sent to this address when you sign in.";
pub const NEED_EMAIL: &str = "Enter an e-mail address (name@example.com).";

/// New password.
pub const NEW_PASSWORD_INTRO: &str = "Your password must be changed before you can sign in.";
pub const PASSWORDS_DIFFER: &str = "The two passwords are not the same. Type the new one again.";
pub const NO_ATTRIBUTES: &str = "none";

/// "Enter a value for email."
pub fn need_attribute(name: &str) -> String {
    format!("Enter a value for {name}.")
}

/// Custom challenge.
pub fn custom_round(round: u32) -> String {
    format!("Round {round}")
}
pub const NEED_ANSWER: &str = "Enter an answer.";
pub const NO_PARAMETERS: &str = "The server sent no question; enter the answer you were given.";

/// The outbox panel of demo mode.
/// Before the code in the one-line outbox of a short terminal.
pub const OUTBOX_CODE: &str = "code";
pub const OUTBOX_TITLE: &str = "Outbox: messages the local pool \"sent\"";
pub const OUTBOX_EMPTY: &str = "Nothing sent yet.";

/// "3 earlier messages were missed."
pub fn outbox_missed(count: u64) -> String {
    format!("({count} earlier messages were missed.)")
}

/// The full-screen `config add`.
pub const TITLE_CONFIG_ADD: &str = "Save a pool";
pub const CONFIG_FORM_SUBTITLE: &str = "saved pools: cognito-signin config --help";
pub const CONFIG_FORM_INTRO: &str = "Each value is saved in the config file. A client secret never is, only where to find it: env:VARIABLE or cmd:COMMAND.";
pub const CHECKING_POOL: &str = "Checking the pool and app client…";
pub const KEY_NEXT_OR_SAVE: &str = "next/save";
pub const KEY_CHECK_AND_SAVE: &str = "check and save";
pub const KEY_SAVE_UNCHECKED: &str = "save unchecked";
pub const KEY_CANCEL: &str = "cancel";

/// "App client id is needed." (the label up to its first bracket).
pub fn needed(label: &str) -> String {
    let name = label.split(['(', '[', ':']).next().unwrap_or(label).trim();
    format!("{name} is needed.")
}

/// The wire panel: the calls underneath.
pub const KEY_WIRE: &str = "wire";
pub const WIRE_EMPTY: &str = "No calls yet.";
pub const WIRE_NEW_SIGN_IN: &str = "── a fresh sign-in ──";
/// A call that got no answer (unreachable, timed out).
pub const WIRE_NO_ANSWER: &str = "no answer";

/// "Wire: 3 calls".
pub fn wire_title(calls: usize) -> String {
    match calls {
        1 => "Wire: 1 call".to_owned(),
        _ => format!("Wire: {calls} calls"),
    }
}

/// "(3 earlier calls were missed.)"
pub fn wire_missed(count: u64) -> String {
    format!("({count} earlier calls were missed.)")
}

/// Account security: the signed-in screen's key, and the key that leaves an account screen.
pub const KEY_ACCOUNT: &str = "account security";
/// The signed-in screen's offer to save the flags of a sign-in as a saved pool.
pub const KEY_SAVE_FLAGS: &str = "save as a pool";
/// A save asked for where the console was given nothing to save with.
pub const NOTHING_TO_SAVE: &str = "There is nothing to save here.";

/// "Save these flags as the saved pool “us-east-1_AbC”? …"
pub fn save_flags_question(name: &str) -> String {
    format!(
        "Save this pool, client and username as the saved pool \"{name}\"? Press y for yes; leaving without it is no."
    )
}
pub const KEY_BACK: &str = "back";

/// Titles of the account screens.
pub const TITLE_SECURITY: &str = "Account security";
pub const TITLE_VERIFY_EMAIL: &str = "Verify your e-mail address";
pub const TITLE_VERIFY_PHONE: &str = "Verify your phone number";
pub const TITLE_CHANGE_EMAIL: &str = "Change your e-mail address";
pub const TITLE_CHANGE_PHONE: &str = "Change your phone number";
pub const TITLE_ADD_EMAIL: &str = "Add an e-mail address";
pub const TITLE_ADD_PHONE: &str = "Add a phone number";
pub const TITLE_CHANGE_PASSWORD: &str = "Change your password";

/// "Signed in as alice.": who the account screens are about.
pub fn signed_in_as_sentence(username: &str) -> String {
    format!("{SIGNED_IN_AS} {username}.")
}

/// The second factors on account security, and what each one's state is.
pub const HEADING_FACTORS: &str = "Second factors";
pub const ACCOUNT_TOTP: &str = "Authenticator app";
pub const ACCOUNT_EMAIL_CODES: &str = "E-mail codes";
pub const ACCOUNT_SMS_CODES: &str = "SMS codes";
pub const FACTOR_ON: &str = "on";
pub const FACTOR_PREFERRED: &str = "on, preferred";
pub const FACTOR_OFF: &str = "off";
pub const FACTOR_NOT_ALLOWED: &str = "not allowed by this pool";

/// The contact details on account security.
pub const HEADING_CONTACT: &str = "Contact details";
pub const LABEL_ACCOUNT_EMAIL: &str = "E-mail address";
pub const LABEL_ACCOUNT_PHONE: &str = "Phone number";
pub const CONTACT_NONE: &str = "none";
pub const CONTACT_VERIFIED: &str = "verified";
pub const CONTACT_NOT_VERIFIED: &str = "not verified";

/// "alice@example.com, not verified".
pub fn contact_state(value: &str, verified: bool) -> String {
    let state = if verified {
        CONTACT_VERIFIED
    } else {
        CONTACT_NOT_VERIFIED
    };
    format!("{value}, {state}")
}

/// Under the factors when the pool's MFA is ON.
pub const MFA_REQUIRED: &str = "This pool requires MFA: the last factor on cannot be turned off.";

/// Above the actions.
pub const CHOOSE_ACTION: &str = "What do you want to do?";

/// The actions on account security.
pub const ACTION_ADD_TOTP: &str = "Add an authenticator app";
pub const ACTION_REPLACE_TOTP: &str = "Replace the authenticator app";
pub const ACTION_PREFER_TOTP: &str = "Make the authenticator app preferred";
pub const ACTION_DISABLE_TOTP: &str = "Turn off the authenticator app";
pub const ACTION_ENABLE_EMAIL: &str = "Turn on e-mail codes";
pub const ACTION_PREFER_EMAIL: &str = "Make e-mail codes preferred";
pub const ACTION_DISABLE_EMAIL: &str = "Turn off e-mail codes";
pub const ACTION_ENABLE_SMS: &str = "Turn on SMS codes";
pub const ACTION_PREFER_SMS: &str = "Make SMS codes preferred";
pub const ACTION_DISABLE_SMS: &str = "Turn off SMS codes";
pub const ACTION_VERIFY_EMAIL: &str = "Verify the e-mail address";
pub const ACTION_CHANGE_EMAIL: &str = "Change the e-mail address";
pub const ACTION_ADD_EMAIL: &str = "Add an e-mail address";
pub const ACTION_VERIFY_PHONE: &str = "Verify the phone number";
pub const ACTION_CHANGE_PHONE: &str = "Change the phone number";
pub const ACTION_ADD_PHONE: &str = "Add a phone number";
pub const ACTION_CHANGE_PASSWORD: &str = "Change the password";

/// The account-security entry that adds a passkey, naming where it is made.
pub fn action_add_passkey(on: crate::auth::AuthenticatorKind) -> &'static str {
    match on {
        crate::auth::AuthenticatorKind::Software => "Add a passkey on this machine",
        crate::auth::AuthenticatorKind::SecurityKey => "Add a passkey on your security key",
    }
}

/// "Delete the passkey MacBook": one entry per passkey.
pub fn action_delete_passkey(name: &str) -> String {
    format!("Delete the passkey {name}")
}

/// The passkeys on account security.
pub const LABEL_PASSKEYS: &str = "Passkeys";
pub const PASSKEY_ON_THIS_MACHINE: &str = "on this machine";

/// How a passkey is named to a person: its friendly name, else the start of its id.
pub fn passkey_name(name: &str, credential_id: &str) -> String {
    if name.trim().is_empty() {
        let start: String = credential_id.chars().take(10).collect();
        format!("{start}…")
    } else {
        name.to_owned()
    }
}

/// "MacBook, added 2026-11-30 02:40 UTC, on this machine".
pub fn passkey_state(name: &str, added: &str, on_this_machine: bool) -> String {
    if on_this_machine {
        format!("{name}, added {added}, {PASSKEY_ON_THIS_MACHINE}")
    } else {
        format!("{name}, added {added}")
    }
}
pub const ACTION_BACK: &str = "Back";

/// The authenticator enrolment of a signed-in person.
pub fn adding_authenticator_for(username: &str) -> String {
    format!("Adding an authenticator app for {username}.")
}

/// Above a contact code: what is being verified.
pub const VERIFYING_EMAIL: &str = "Verifying your e-mail address.";
pub const VERIFYING_PHONE: &str = "Verifying your phone number.";

/// "Once it is verified, this turns on: E-mail codes.": why it is being verified.
pub fn then_enable(factor: &str) -> String {
    format!("Once it is verified, this turns on: {factor}.")
}

/// The contact form.
pub const CONTACT_FORM_EMAIL_INTRO: &str = "A code goes to the new address, to prove it is yours.";
pub const CONTACT_FORM_PHONE_INTRO: &str =
    "In international form, such as +15555550123. A code goes to it by SMS, to prove it is yours.";
pub const NEED_PHONE: &str =
    "Enter the phone number in international form: + and its digits, such as +15555550123.";

/// The change-password form.
pub const LABEL_CURRENT_PASSWORD: &str = "Current password";
pub const CHANGE_PASSWORD_INTRO: &str = "Type your current password, then the new one twice.";
pub const NEED_CURRENT_PASSWORD: &str = "Enter your current password.";
pub const NEED_NEW_PASSWORD: &str = "Enter a new password.";

/// The auth task ended after the sign-in: the tokens stand, account security cannot go on.
pub const ACCOUNT_UNAVAILABLE: &str =
    "Account security is not available: the console's background task ended. Your sign-in stands.";
