//! Account security from the command line, with the real binary against the local demo
//! pool (MFA optional): alice, who has no second factor, signs in with plain prompts
//! (tokens cached), then `mfa status`, `mfa add-totp`, `mfa verify`, `mfa enable`,
//! `mfa change`, `mfa prefer` and `password change` each make one change, and the next
//! sign-in asks for the new factor or takes the new password. Codes come from the
//! pool's outbox; an authenticator's from the secret the enrolment prints.

use std::process::Output;

use cognito_signin::auth::cache::TokenCache;
use cognito_signin::local_pool::demo;
use serde_json::Value;

use crate::support::binary::{
    Binary, DemoStory, Running, failed, plain_password_sign_in, stderr, succeeded, usage_refused,
};
use crate::support::totp_code;

/// The demo pools with their outbox, and the binary in a home of its own, working on
/// the demo pool's public client.
struct Story {
    demo: DemoStory,
}

impl Story {
    async fn start() -> Self {
        Self {
            demo: DemoStory::start().await,
        }
    }

    /// The binary, in the story's home.
    fn binary(&self) -> &Binary {
        &self.demo.binary
    }

    /// The flags that point the binary at the demo pool's public client.
    fn pool_flags(&self) -> [&str; 6] {
        self.demo.pool_flags(demo::POOL_ID, demo::PUBLIC_CLIENT_ID)
    }

    /// The arguments of a plain-mode sign-in of alice (the password first on stdin).
    fn sign_in_args(&self) -> Vec<&str> {
        [&self.pool_flags()[..], &plain_password_sign_in("alice")[..]].concat()
    }

    /// Signs alice in with `password` and then `more` on stdin: the tokens are cached.
    fn sign_in(&self, password: &str, more: &str) -> Output {
        self.binary()
            .run_with_input(&self.sign_in_args(), &format!("{password}\n{more}"))
    }

    /// `words` (such as `mfa status`), the pool flags, then `extra`.
    fn args<'a>(&'a self, words: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [words, &self.pool_flags()[..], extra].concat()
    }

    /// Runs an account command to its end with `input` on stdin.
    fn account(&self, words: &[&str], input: &str) -> Output {
        self.binary().run_with_input(&self.args(words, &[]), input)
    }

    /// Starts an account command, stdin left open for answers to come.
    fn begin(&self, words: &[&str]) -> Running {
        self.binary().start(&self.args(words, &[]), "")
    }

    /// `mfa status --output json`, parsed.
    fn status(&self) -> Value {
        let output = self
            .binary()
            .run(&self.args(&["mfa", "status"], &["--output", "json"]));
        serde_json::from_str(&succeeded(&output)).unwrap()
    }

    /// The next code the pool sends, and where it went.
    async fn next_code(&mut self) -> (String, String) {
        let delivery = self.demo.next_delivery().await;
        (delivery.code, delivery.destination)
    }
}

/// The entry for `name` in the status JSON's factors.
fn factor<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["Factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|factor| factor["Name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {status}"))
}

/// stderr of a run that succeeded, with nothing on stdout (no `--output json`).
fn quietly_succeeded(output: &Output) -> String {
    assert!(succeeded(output).is_empty(), "stdout stays empty");
    stderr(output)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticator_added_from_the_command_line_is_asked_for_at_the_next_sign_in() {
    let story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));

    // No second factor yet: the status on stderr, and as JSON on stdout.
    let status = story.status();
    assert_eq!(status["Username"], "alice");
    assert_eq!(factor(&status, "SOFTWARE_TOKEN_MFA")["Enabled"], false);
    assert_eq!(status["Email"]["Value"], "alice@example.com");
    assert_eq!(status["Email"]["Verified"], true);
    let said = quietly_succeeded(&story.account(&["mfa", "status"], ""));
    assert!(said.contains("Account security of alice:"), "{said}");
    assert!(
        said.contains("Authenticator app (SOFTWARE_TOKEN_MFA): off"),
        "{said}"
    );

    // add-totp: the secret printed in groups, its first code, a name for it.
    let mut adding = story.begin(&["mfa", "add-totp", "--totp-issuer", "Demo Corp"]);
    let lines = adding.stderr_lines();
    let secret = lines.totp_secret();
    adding.type_text(&format!("{}\nCLI phone\n", totp_code(&secret, 0)));
    let adding = adding.output();
    let said = lines.rest();
    assert!(adding.status.success(), "{said}");
    assert!(adding.stdout.is_empty());
    assert!(!said.contains("Signing in"), "{said}");
    let status = story.status();
    assert_eq!(factor(&status, "SOFTWARE_TOKEN_MFA")["Enabled"], true);
    assert_eq!(status["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");

    // The next sign-in asks for the authenticator's code, and the next one signs in.
    let output = story.sign_in(demo::PASSWORD, &format!("{}\n", totp_code(&secret, 1)));
    let said = quietly_succeeded(&output);
    assert!(
        said.contains("Enter the code your authenticator app shows"),
        "{said}"
    );
    assert!(said.contains("Signed in as alice."), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_codes_verified_turned_on_and_preferred_are_asked_for_at_the_next_sign_in() {
    let mut story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));

    // verify email: a code to alice's address, read from the outbox.
    let mut verifying = story.begin(&["mfa", "verify", "email"]);
    let (code, to) = story.next_code().await;
    assert_eq!(to, "alice@example.com");
    verifying.type_text(&format!("{code}\n"));
    let said = quietly_succeeded(&verifying.output());
    assert!(said.contains("Code (or r to resend): "), "{said}");

    // enable email: the address is verified, so no code is asked for.
    quietly_succeeded(&story.account(&["mfa", "enable", "email"], ""));
    let status = story.status();
    assert_eq!(factor(&status, "EMAIL_OTP")["Enabled"], true);

    // prefer email, then the next sign-in asks for an e-mailed code.
    quietly_succeeded(&story.account(&["mfa", "prefer", "email"], ""));
    assert_eq!(story.status()["PreferredMfaSetting"], "EMAIL_OTP");
    let mut signing_in = story
        .binary()
        .start(&story.sign_in_args(), &format!("{}\n", demo::PASSWORD));
    let (code, to) = story.next_code().await;
    assert_eq!(to, "alice@example.com");
    signing_in.type_text(&format!("{code}\n"));
    let said = quietly_succeeded(&signing_in.output());
    assert!(said.contains("A code was sent by e-mail"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_address_is_verified_before_email_codes_turn_on() {
    let mut story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));

    // change email: a malformed address is asked again; the new one gets a code, but
    // the input ends before it is typed.
    let mut changing = story.begin(&["mfa", "change", "email"]);
    changing.type_text("alice@example\nalice.new@example.org\n");
    let (_, to) = story.next_code().await;
    assert_eq!(to, "alice.new@example.org");
    changing.close_stdin();
    let changing = changing.output();
    assert_eq!(changing.status.code(), Some(130), "{}", stderr(&changing));
    let said = stderr(&changing);
    assert!(said.contains("That is not an e-mail address"), "{said}");
    assert!(
        said.contains("The input ended before the change was finished"),
        "{said}"
    );
    let status = story.status();
    assert_eq!(status["Email"]["Value"], "alice.new@example.org");
    assert_eq!(status["Email"]["Verified"], false);

    // enable email now sends a code to the new address first, then turns codes on.
    let mut enabling = story.begin(&["mfa", "enable", "email"]);
    let (code, to) = story.next_code().await;
    assert_eq!(to, "alice.new@example.org");
    enabling.type_text(&format!("{code}\n"));
    let said = quietly_succeeded(&enabling.output());
    assert!(said.contains("Verify the e-mail address first"), "{said}");
    let status = story.status();
    assert_eq!(status["Email"]["Verified"], true);
    assert_eq!(factor(&status, "EMAIL_OTP")["Enabled"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_password_signs_in_and_the_old_one_no_longer_does() {
    let story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));
    let new = "New-Password-2!";

    // A wrong current password is refused; with the input ended there, it fails with
    // the pool's sentence.
    let output = story.account(
        &["password", "change"],
        &format!("not-the-password\n{new}\n{new}\n"),
    );
    let said = failed(&output);
    assert!(said.contains("Current password: "), "{said}");

    // The new password twice (a mismatch asked again), then it is the password.
    let output = story.account(
        &["password", "change"],
        &format!("{}\n{new}\nNew-Password-3!\n{new}\n{new}\n", demo::PASSWORD),
    );
    let said = quietly_succeeded(&output);
    assert!(said.contains("The two passwords differ."), "{said}");
    assert!(!said.contains("Password-2!"), "no password shown: {said}");

    failed(&story.sign_in(demo::PASSWORD, ""));
    succeeded(&story.sign_in(new, ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_admin_the_status_says_what_the_pool_allows_and_requires() {
    let story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));
    let output = story
        .binary()
        .command()
        .envs([
            ("AWS_ACCESS_KEY_ID", demo::ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", demo::SECRET_ACCESS_KEY),
        ])
        .args(story.args(&["mfa", "status"], &["--admin", "--output", "json"]))
        .output()
        .unwrap();
    let status: Value = serde_json::from_str(&succeeded(&output)).unwrap();
    assert_eq!(status["MfaRequired"], false, "{status}");
    for name in ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"] {
        assert_eq!(factor(&status, name)["Allowed"], true, "{status}");
    }
    let said = stderr(&output);
    assert!(
        said.contains("In this user pool a second factor is optional."),
        "{said}"
    );
    assert!(!said.contains(demo::SECRET_ACCESS_KEY), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_near_expiry_are_refreshed_and_kept_before_the_change() {
    let story = Story::start().await;
    succeeded(&story.sign_in(demo::PASSWORD, ""));
    // The cached tokens expire in 2 minutes: too soon for a change that may wait on a code.
    let cache = TokenCache::at(story.binary().cache_home());
    let mut entry = cache
        .load(demo::POOL_ID, demo::PUBLIC_CLIENT_ID, "alice")
        .unwrap();
    let stale = entry.authentication_result.access_token.clone();
    entry.received_at = time::OffsetDateTime::now_utc() - time::Duration::minutes(58);
    cache.save(&entry).unwrap();

    let said = quietly_succeeded(&story.account(&["mfa", "status"], ""));
    assert!(said.contains("refreshed the tokens of alice"), "{said}");
    assert!(said.contains("Account security of alice:"), "{said}");
    let kept = cache
        .load(demo::POOL_ID, demo::PUBLIC_CLIENT_ID, "alice")
        .unwrap();
    assert_ne!(kept.authentication_result.access_token, stale);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_cached_sign_in_the_account_commands_say_to_sign_in_first() {
    let story = Story::start().await;
    for words in [
        &["mfa", "status"][..],
        &["mfa", "add-totp"][..],
        &["mfa", "enable", "sms"][..],
        &["password", "change"][..],
    ] {
        let said = failed(&story.account(words, ""));
        assert!(
            said.contains("no tokens are cached for pool us-east-1_DemoPool1")
                && said.contains("sign in first"),
            "{words:?}: {said}"
        );
    }
}

#[test]
fn the_account_commands_refuse_flags_that_cannot_work_with_status_2() {
    let binary = Binary::new();
    for args in [
        &["mfa", "status"][..],
        &[
            "mfa",
            "enable",
            "totp",
            "--user-pool-id",
            "us-east-1_X",
            "--client-id",
            "c",
        ][..],
        &["mfa", "prefer"][..],
        &[
            "mfa",
            "add-totp",
            "--totp-issuer",
            " ",
            "--user-pool-id",
            "us-east-1_X",
            "--client-id",
            "c",
        ][..],
        &["password"][..],
    ] {
        let output = binary.run(args);
        usage_refused(&output);
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
