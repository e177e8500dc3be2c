//! Every sentence and label the terminal front end shows, in one place, so wording is
//! reviewed (and one day translated) without reading drawing code.

/// The name in the header.
pub const APP_NAME: &str = "cognito-signin";

/// Screen titles (the border of the body).
pub const TITLE_SIGN_IN: &str = "Sign in";
pub const TITLE_SIGNED_IN: &str = "Signed in";
pub const TITLE_UNSUPPORTED: &str = "Not supported yet";
pub const TITLE_FAILED: &str = "Sign-in failed";

/// Field labels of the sign-in form.
pub const LABEL_USERNAME: &str = "Username";
pub const LABEL_PASSWORD: &str = "Password";

/// What the footer says each key does.
pub const KEY_SIGN_IN: &str = "sign in";
pub const KEY_NEXT_FIELD: &str = "next field";
pub const KEY_PREVIOUS_FIELD: &str = "previous field";
pub const KEY_QUIT: &str = "quit";
pub const KEY_FINISH: &str = "finish";
pub const KEY_START_AGAIN: &str = "start again";

/// Stops on the sign-in screen, before anything is sent.
pub const NEED_USERNAME: &str = "Enter a username.";
pub const NEED_PASSWORD: &str = "Enter a password.";

/// Shown beside the spinner while a call is in flight.
pub const SIGNING_IN: &str = "Signing in…";

/// The auth task stopped talking before the sign-in ended.
pub const AUTH_TASK_ENDED: &str =
    "The sign-in stopped unexpectedly (its background task ended). Run the command again.";

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

/// The unsupported-challenge sentence, also the outcome's problem when the person quits there.
pub fn unsupported(challenge: &str) -> String {
    format!("This challenge is not supported yet: {challenge}")
}

/// Under the unsupported sentence: what the person can do.
pub const UNSUPPORTED_HINT: &str =
    "Start again to sign in another way, or quit. Support for more challenges is coming.";

/// Under a failure: what the person can do.
pub const FAILED_HINT: &str = "Start again with the same username, or quit.";
