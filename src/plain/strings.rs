//! Every sentence the line front end prints, in one place.

/// Printed once a call is in flight.
pub const SIGNING_IN: &str = "Signing in…";

/// The password prompt (the password is not echoed on a terminal).
pub const PASSWORD_PROMPT: &str = "Password: ";

/// Empty answers, refused before anything is sent.
pub const NEED_USERNAME: &str = "A username is needed.";
pub const NEED_PASSWORD: &str = "A password is needed.";

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

/// "Username: ", or "Username [alice]: " when an empty line keeps alice.
pub fn username_prompt(previous: &str) -> String {
    if previous.is_empty() {
        "Username: ".to_owned()
    } else {
        format!("Username [{previous}]: ")
    }
}

/// The unsupported-challenge sentence.
pub fn unsupported(challenge: &str) -> String {
    format!("This challenge is not supported yet: {challenge}")
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
