//! Every sentence the line front end prints, in one place.

use crate::auth::{CodeLength, CodeMedium, ContactKind, MfaKind};

/// Printed once a sign-in call is in flight.
pub const SIGNING_IN: &str = "Signing in…";

/// Printed once ForgotPassword is in flight.
pub const ASKING_FOR_RESET_CODE: &str = "Asking for a code to reset the password…";

/// Printed once ConfirmForgotPassword is in flight.
pub const CHANGING_PASSWORD: &str = "Changing the password…";

/// The password prompt (the password is not echoed on a terminal).
pub const PASSWORD_PROMPT: &str = "Password (? if you forgot it): ";

/// What the password prompt takes as "forgot password": no Cognito password can be
/// this short (the shortest policy allows is 6 characters).
pub const FORGOT_PASSWORD_ANSWER: &str = "?";

/// "Resetting the password of alice."
pub fn resetting_password_of(username: &str) -> String {
    format!("Resetting the password of {username}.")
}

/// Before the new password of a reset.
pub const RESET_PASSWORD_INTRO: &str =
    "Choose the new password. It replaces the old one once the code is checked.";

/// "This device: my-laptop. Remember it? ..."
pub fn remember_device(name: &str) -> String {
    format!(
        "This device ({name}) can be remembered. While it is, signing in here skips the second factor where the pool allows it."
    )
}

/// The remember-device question; an empty answer is "no".
pub const REMEMBER_PROMPT: &str = "Remember this device? [y/N]: ";

/// An answer that is neither yes nor no.
pub const YES_OR_NO: &str = "Answer y or n.";

/// Empty answers, refused before anything is sent.
pub const NEED_USERNAME: &str = "A username is needed.";
pub const NEED_PASSWORD: &str = "A password is needed.";

/// The input (stdin) ran out while a question waited for its answer.
pub const INPUT_ENDED: &str = "The input ended before the sign-in finished, so nothing was signed in. Give one answer per line on stdin, or run it at a terminal.";

/// The input ran out while an account command (`mfa`, `password`) waited for an answer.
pub const INPUT_ENDED_ACCOUNT: &str = "The input ended before the change was finished, so it was not made. Give one answer per line on stdin, or run it at a terminal.";

/// The auth task stopped talking before the sign-in ended.
pub const AUTH_TASK_ENDED: &str =
    "The sign-in stopped unexpectedly (its background task ended). Run the command again.";

/// "Signing in to us-east-1_X · client 1ex (https://…)".
pub fn signing_in_to(title: &str, endpoint: &str) -> String {
    match (title.is_empty(), endpoint.is_empty()) {
        (false, false) => format!("Signing in to {title} ({endpoint})"),
        (false, true) => format!("Signing in to {title}"),
        _ => format!("Signing in at {endpoint}"),
    }
}

/// "Username: erin", for a username `--username` gave.
pub fn username_given(username: &str) -> String {
    format!("Username: {username}")
}

/// "Username: ", or "Username [alice]: " when an empty line keeps alice.
pub fn username_prompt(previous: &str) -> String {
    if previous.is_empty() {
        "Username: ".to_owned()
    } else {
        format!("Username [{previous}]: ")
    }
}

/// "Signed in as alice."
pub fn signed_in(username: Option<&str>) -> String {
    match username {
        Some(name) => format!("Signed in as {name}."),
        None => "Signed in.".to_owned(),
    }
}

/// "Tokens issued: access, id, refresh."
pub fn tokens_issued(names: &[&str]) -> String {
    format!("Tokens issued: {}.", names.join(", "))
}

/// "They expire in 60 min 0 s (at 2026-11-22 04:00:00 UTC)."
pub fn expiry(minutes: i64, seconds: i64, at: &str) -> String {
    if minutes == 0 && seconds == 0 {
        format!("They have expired (at {at} UTC).")
    } else {
        format!("They expire in {minutes} min {seconds} s (at {at} UTC).")
    }
}

// ---- Choosing from a list ----

/// The header of SELECT_CHALLENGE's list.
pub fn choose_first_factor(username: &str) -> String {
    format!("Choose how {username} signs in:")
}

/// The header of SELECT_MFA_TYPE's list.
pub const CHOOSE_MFA: &str = "Choose the second factor for this sign-in:";

/// The header of MFA_SETUP's list.
pub const CHOOSE_MFA_SETUP: &str =
    "This account must set up multi-factor authentication. Choose a method:";

/// The prompt under every list.
pub const CHOICE_PROMPT: &str = "Choice (number or name): ";

/// An answer that names nothing in the list.
pub fn not_a_choice(count: usize) -> String {
    format!("Type a number from 1 to {count}, or a name from the list.")
}

/// "  1) Authenticator app (SOFTWARE_TOKEN_MFA)".
pub fn option_line(number: usize, label: &str) -> String {
    format!("  {number}) {label}")
}

/// A first factor's entry in the list; unknown factors say why they cannot be chosen.
pub fn first_factor_label(api_name: &str) -> String {
    let description = match api_name {
        "PASSWORD" => "Password",
        "PASSWORD_SRP" => "Password, proven by SRP without sending it",
        "EMAIL_OTP" => "Code by e-mail",
        "SMS_OTP" => "Code by text message",
        "WEB_AUTHN" => "Passkey",
        _ => return format!("{api_name}: {NOT_SUPPORTED_HERE}"),
    };
    format!("{description} ({api_name})")
}

/// Why an unknown first factor cannot be chosen.
pub const NOT_SUPPORTED_HERE: &str = "this console does not support it.";

/// Said when an unknown first factor is chosen.
pub fn cannot_use_first_factor(api_name: &str) -> String {
    format!("This console does not support {api_name}. Choose another way.")
}

/// Every first factor offered is unusable here.
pub const NO_USABLE_FIRST_FACTOR: &str =
    "None of the ways to sign in offered for this user works in this console.";

/// SELECT_MFA_TYPE offered nothing to choose.
pub const NO_MFA_OFFERED: &str = "Cognito asked to choose a second factor but offered none. Ask an administrator to check the user's MFA settings.";

/// A second factor's entry in the list: "Authenticator app (SOFTWARE_TOKEN_MFA)".
pub fn mfa_label(api_name: &str) -> String {
    format!("{} ({api_name})", mfa_description(api_name))
}

/// What a second factor is: "Authenticator app", "Code by e-mail".
fn mfa_description(api_name: &str) -> &'static str {
    match api_name {
        "SOFTWARE_TOKEN_MFA" => "Authenticator app",
        "EMAIL_OTP" => "Code by e-mail",
        _ => "Code by text message",
    }
}

/// The SMS entry of MFA_SETUP's list, explained.
pub const SMS_SETUP_LABEL: &str =
    "Code by text message (SMS_MFA): an administrator must add a phone number first.";

/// Said when SMS is chosen on MFA_SETUP.
pub const SMS_NEEDS_PHONE: &str = "Text-message codes need a phone number on the account, and only an administrator can add one. Choose another method.";

/// MFA_SETUP offered nothing this console can enrol.
pub const NO_USABLE_MFA_SETUP: &str = "This account must set up multi-factor authentication, but the only method offered is text messages, which needs an administrator to add a phone number first.";

// ---- Passkeys ----

/// The first line of WEB_AUTHN: whose passkey, for which relying party.
pub fn passkey_for(username: &str, relying_party: &str) -> String {
    format!("Sign in with a passkey for {username} at {relying_party}.")
}

/// This machine holds a passkey for the account.
pub fn using_software_passkey(username: &str) -> String {
    format!("Using the software passkey for {username}.")
}

/// The passkey prompt: an empty line signs in.
pub const PASSKEY_PROMPT: &str =
    "Press Enter to sign in with the software passkey (or type 'back'): ";

/// What the passkey prompt takes as "start a fresh sign-in".
pub const BACK_ANSWER: &str = "back";

/// An answer to the passkey prompt that is neither Enter nor `back`.
pub const ENTER_OR_BACK: &str = "Press Enter to sign in, or type back.";

/// The passkey step on a security key, and whether one is plugged in.
pub fn using_security_key(plugged_in: Option<bool>) -> &'static str {
    match plugged_in {
        Some(false) => "Using a security key: none is plugged in yet, so plug one in.",
        _ => "Using your security key.",
    }
}

/// The passkey prompt on a security key.
pub const SECURITY_KEY_PROMPT: &str =
    "Press Enter, then touch your security key when it blinks (or type 'back'): ";

/// What the passkey prompt takes as "use the other authenticator".
pub const SWITCH_ANSWER: &str = "switch";

/// Where the person may switch: how.
pub fn switch_offer(on_security_key: bool) -> &'static str {
    if on_security_key {
        "Type 'switch' to use the software passkey instead."
    } else {
        "Type 'switch' to use a security key instead."
    }
}

/// An answer to the passkey prompt that is none of Enter, `back` and `switch`.
pub const ENTER_BACK_OR_SWITCH: &str = "Press Enter to sign in, or type back or switch.";

/// The security key asks for its PIN.
pub fn key_pin_intro(relying_party: &str) -> String {
    format!("Your security key asks for its PIN to use its passkey for {relying_party}.")
}

/// The PIN prompt (not echoed).
pub const KEY_PIN_PROMPT: &str = "Security key PIN (Ctrl-C to give up): ";

/// An empty PIN.
pub const NEED_KEY_PIN: &str = "Enter the security key's PIN.";

/// A wrong PIN, with the tries the key has left when it said.
pub fn wrong_key_pin(retries: Option<u8>) -> String {
    match retries {
        Some(1) => "Wrong PIN: 1 try left before the key blocks its PIN.".to_owned(),
        Some(retries) => {
            format!("Wrong PIN: {retries} tries left before the key blocks its PIN.")
        }
        None => "Wrong PIN.".to_owned(),
    }
}

/// This machine holds no passkey for the account.
pub fn no_software_passkey(username: &str, relying_party: &str) -> String {
    format!("This machine holds no software passkey for {username} at {relying_party}.")
}

/// How to get a software passkey, under `no_software_passkey`.
pub const GET_A_PASSKEY: &str = "To get one, sign in another way, then add a passkey from account security or with `cognito-signin passkeys add`.";

/// Said before the fresh sign-in that follows a passkey step without a passkey.
pub const STARTING_AGAIN: &str = "Starting a fresh sign-in, to sign in another way.";

// ---- Passwords ----

/// "Password for alice: " (after SELECT_CHALLENGE).
pub fn password_for(username: &str) -> String {
    format!("Password for {username}: ")
}

// ---- Codes ----

/// Where the code went, or which authenticator to open.
pub fn code_came_from(
    medium: CodeMedium,
    destination: Option<&str>,
    device_name: Option<&str>,
) -> String {
    let by = match medium {
        CodeMedium::Sms => "by text message",
        CodeMedium::Email => "by e-mail",
        CodeMedium::Authenticator => {
            return match device_name {
                Some(device) => {
                    format!("Enter the code your authenticator app shows for {device}.")
                }
                None => "Enter the code your authenticator app shows.".to_owned(),
            };
        }
    };
    match destination {
        Some(destination) => format!("A code was sent {by} to {destination}."),
        None => format!("A code was sent {by}."),
    }
}

/// The code prompt.
pub const CODE_PROMPT: &str = "Code: ";

/// The code prompt where a new code may be sent.
pub const CODE_PROMPT_RESEND: &str = "Code (or r to resend): ";

/// A code of the wrong shape, refused before anything is sent: "The code is 8 digits",
/// or "6 to 8 digits" where the length is not known.
pub fn code_has_digits(length: CodeLength) -> String {
    format!("The code is {length} digits; type just the digits.")
}

/// Said when a new code is asked for.
pub const RESENDING: &str = "Asking for a new code.";

// ---- Authenticator enrolment ----

/// The first line of the TOTP setup.
pub fn totp_setup(username: &str, issuer: &str) -> String {
    format!("Set up an authenticator app for {username} (issuer {issuer}).")
}

/// How to add the secret without a QR code.
pub const TOTP_HOW: &str =
    "Add this secret to your authenticator app, or give it the URI (plain mode shows no QR code):";

/// "  Secret: ABCD EFGH …".
pub fn totp_secret(grouped: &str) -> String {
    format!("  Secret: {grouped}")
}

/// "  URI:    otpauth://…".
pub fn totp_uri(uri: &str) -> String {
    format!("  URI:    {uri}")
}

/// The first code of the new authenticator.
pub const TOTP_CODE_PROMPT: &str = "Code shown by the app: ";

/// The optional device name.
pub const DEVICE_NAME_PROMPT: &str = "Name for this authenticator (optional, Enter to skip): ";

// ---- E-mail enrolment ----

/// The first line of the e-mail setup.
pub fn email_setup(username: &str) -> String {
    format!("Set up codes by e-mail for {username}.")
}

/// "E-mail address: ", or "E-mail address [a@example.com]: " keeping the last one.
pub fn email_prompt(previous: Option<&str>) -> String {
    match previous {
        Some(previous) => format!("E-mail address [{previous}]: "),
        None => "E-mail address: ".to_owned(),
    }
}

/// An address without '@' and a dot after it.
pub const NOT_AN_EMAIL: &str = "That is not an e-mail address (name@example.com).";

// ---- New password ----

/// The first line of NEW_PASSWORD_REQUIRED.
pub fn new_password_needed(username: &str) -> String {
    format!("{username} must choose a new password.")
}

/// The header of the current attributes.
pub const CURRENT_ATTRIBUTES: &str = "Current attributes:";

/// "  email: alice@example.com".
pub fn attribute_line(name: &str, value: &str) -> String {
    format!("  {name}: {value}")
}

/// The new password prompts.
pub const NEW_PASSWORD_PROMPT: &str = "New password: ";
pub const CONFIRM_PASSWORD_PROMPT: &str = "New password again: ";

/// The confirmation differs.
pub const PASSWORDS_DIFFER: &str = "The two passwords differ. Type them again.";

/// The header of the required attributes' prompts.
pub const REQUIRED_ATTRIBUTES: &str = "The user pool needs these attributes:";

/// "name: ", or "name [Alice]: " when an empty line keeps Alice.
pub fn attribute_prompt(name: &str, previous: Option<&str>) -> String {
    match previous {
        Some(previous) => format!("{name} [{previous}]: "),
        None => format!("{name}: "),
    }
}

/// An empty required attribute.
pub fn need_value(name: &str) -> String {
    format!("A value for {name} is needed.")
}

// ---- Custom challenge ----

/// The header of a custom round.
pub fn custom_round(round: u32) -> String {
    format!("Custom challenge, round {round}:")
}

/// A custom challenge without public parameters.
pub const NO_PARAMETERS: &str = "  (no parameters)";

/// The custom answer prompt.
pub const ANSWER_PROMPT: &str = "Answer: ";

/// An empty custom answer.
pub const NEED_ANSWER: &str = "An answer is needed.";

// ---- Account security ----

/// Printed once GetUser is in flight.
pub const READING_SECURITY: &str = "Reading account security…";

/// Printed once AssociateSoftwareToken is in flight.
pub const ASKING_FOR_TOTP_SECRET: &str = "Asking for a new authenticator secret…";

/// Printed once SetUserMFAPreference is in flight.
pub const CHANGING_MFA: &str = "Changing the second-factor settings…";

/// Printed once GetUserAttributeVerificationCode is in flight.
pub const ASKING_FOR_CODE: &str = "Asking for a code…";

/// Printed once UpdateUserAttributes is in flight.
pub const SAVING_CONTACT: &str = "Saving it and asking for a code…";

/// Printed once a code (VerifyUserAttribute, VerifySoftwareToken) is being checked.
pub const CHECKING_CODE: &str = "Checking the code…";

/// The signed-in task went back to the signed-in screen instead of account security.
pub const ACCOUNT_CLOSED: &str =
    "Account security closed before the change was finished. Run the command again.";

/// The header of the status block: "Account security of alice:".
pub fn security_of(username: &str) -> String {
    format!("Account security of {username}:")
}

/// "  Authenticator app (SOFTWARE_TOKEN_MFA): on, preferred".
pub fn factor_line(kind: MfaKind, state: &str) -> String {
    format!("  {}: {state}", mfa_label(kind.api_name()))
}

/// A factor's state on the status block.
pub const FACTOR_PREFERRED: &str = "on, preferred";
pub const FACTOR_ON: &str = "on";
pub const FACTOR_OFF: &str = "off";
pub const FACTOR_NOT_ALLOWED: &str = "off: this user pool does not allow it";

/// "  E-mail address: alice@example.com (verified)", or "none".
pub fn contact_line(contact: ContactKind, value: Option<(&str, bool)>) -> String {
    let label = contact_label(contact);
    match value {
        Some((value, true)) => format!("  {label}: {value} (verified)"),
        Some((value, false)) => format!("  {label}: {value} (not verified)"),
        None => format!("  {label}: none"),
    }
}

/// "E-mail address" or "Phone number".
fn contact_label(contact: ContactKind) -> &'static str {
    match contact {
        ContactKind::Email => "E-mail address",
        ContactKind::Phone => "Phone number",
    }
}

/// What the pool says of MFA, when the console can tell.
pub const MFA_REQUIRED: &str =
    "  This user pool requires a second factor, so the last one cannot be turned off.";
pub const MFA_OPTIONAL: &str = "  In this user pool a second factor is optional.";

/// The line above a contact detail's code: what it proves, and what turns on after.
pub fn verifying(contact: ContactKind, then_enable: Option<MfaKind>) -> String {
    let noun = contact_label(contact).to_ascii_lowercase();
    match then_enable {
        Some(kind) => format!(
            "Verify the {noun} first; then {} ({}) is turned on.",
            kind.api_name(),
            mfa_description(kind.api_name()).to_ascii_lowercase()
        ),
        None => format!("Verify the {noun}."),
    }
}

/// The line above the contact form.
pub fn changing_contact(contact: ContactKind) -> String {
    format!(
        "Change the {}: a code goes to the new one to verify it.",
        contact_label(contact).to_ascii_lowercase()
    )
}

/// "Phone number (+15555550101): ", or "Phone number [+15555550101]: " keeping it.
pub fn phone_prompt(previous: Option<&str>) -> String {
    match previous {
        Some(previous) => format!("Phone number [{previous}]: "),
        None => "Phone number, such as +15555550101: ".to_owned(),
    }
}

/// A number not in international form.
pub const NOT_A_PHONE: &str =
    "That is not a phone number in international form (+ and the country code: +15555550101).";

/// The first line of a password change.
pub fn changing_password_of(username: &str) -> String {
    format!("Changing the password of {username}.")
}

/// The current password, for ChangePassword.
pub const CURRENT_PASSWORD_PROMPT: &str = "Current password: ";

// ---- Outbox (demo) ----

/// "[outbox] SMS to +15555550101: Your verification code is 123456."
pub fn outbox_line(medium: &str, destination: &str, text: &str) -> String {
    format!("[outbox] {medium} to {destination}: {text}")
}

/// Deliveries dropped because the console fell behind.
pub fn outbox_missed(count: u64) -> String {
    format!("[outbox] {count} message(s) were missed.")
}

/// "SMS" or "E-mail", as an outbox line names the medium.
pub fn outbox_medium(medium: crate::outbox::Medium) -> &'static str {
    match medium {
        crate::outbox::Medium::Sms => "SMS",
        crate::outbox::Medium::Email => "E-mail",
    }
}

/// While a passkey is made and registered (account security, `passkeys add`).
pub const ADDING_PASSKEY: &str = "Adding a passkey…";

/// While a passkey is deleted.
pub const DELETING_PASSKEY: &str = "Deleting the passkey…";
