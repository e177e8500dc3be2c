//! Plain mode end to end: the real binary's `demo` in a clean environment, answers on
//! stdin, tokens on stdout; and the binary against the local pool in this process (to
//! read its outbox) or the scripted fake endpoint.

use std::process::Output;

use cognito_signin::auth::error::LOCKED_OUT;
use cognito_signin::local_pool::demo;

use crate::support::binary::{Binary, failed, pool_flags, stderr, stdout, succeeded};
use crate::support::fake::{FakeCognito, Reply};
use crate::support::pool::demo_pool;
use crate::support::{bounded, closed_port_url};

fn demo_with_input(args: &[&str], input: &str) -> Output {
    Binary::new().run_with_input(&[&["demo"], args].concat(), input)
}

/// alice's username and password, as typed.
fn alice() -> String {
    format!("alice\n{}\n", demo::PASSWORD)
}

#[test]
fn signing_in_prints_the_tokens_as_json_on_stdout_only() {
    let output = demo_with_input(&["--plain", "--output", "json"], &alice());
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", stdout(&output)));
    let result = &printed["AuthenticationResult"];
    for field in ["AccessToken", "IdToken", "RefreshToken"] {
        assert!(
            result[field].as_str().is_some_and(|t| t.len() > 20),
            "{field} missing"
        );
    }
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    assert!(
        said.contains("Password"),
        "the prompts go to stderr: {said}"
    );
    // The demo's user table names the password; after the prompt it must not appear again.
    let after_prompt = said
        .rsplit("Password (? if you forgot it):")
        .next()
        .unwrap_or_default();
    assert!(
        !after_prompt.contains(demo::PASSWORD),
        "the password is never echoed: {said}"
    );
}

#[test]
fn without_output_json_stdout_stays_empty() {
    let output = demo_with_input(&["--plain"], &alice());
    succeeded(&output);
    assert!(output.stdout.is_empty());
}

#[test]
fn a_wrong_password_then_end_of_input_fails_with_the_sentence() {
    let output = demo_with_input(&["--plain", "--output", "json"], "alice\nwrong-password\n");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let said = stderr(&output);
    assert!(said.contains("Incorrect username or password."), "{said}");
}

#[test]
fn a_retry_after_a_wrong_password_signs_in() {
    let output = demo_with_input(
        &["--plain", "--output", "json"],
        &format!("alice\nwrong-password\n{}", alice()),
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Incorrect username or password."), "{said}");
}

#[test]
fn the_client_secret_demo_and_the_password_flow_sign_in() {
    let output = demo_with_input(
        &[
            "--plain",
            "--with-secret",
            "--auth-flow",
            "USER_PASSWORD_AUTH",
        ],
        &alice(),
    );
    succeeded(&output);
}

/// The tokens on stdout of a successful plain run, or a failure with what it said.
fn signed_in_tokens(output: &Output) -> serde_json::Value {
    let printed: serde_json::Value = serde_json::from_str(&succeeded(output)).unwrap();
    printed["AuthenticationResult"].clone()
}

#[test]
fn a_new_password_with_its_required_attribute_in_plain_mode() {
    let output = demo_with_input(
        &["--plain", "--output", "json"],
        &format!(
            "bob\n{}\nNew-Password-2!\nNew-Password-2!\nBob Example\n",
            demo::BOB_TEMPORARY_PASSWORD
        ),
    );
    let result = signed_in_tokens(&output);
    let id_token = result["IdToken"].as_str().unwrap();
    let claims: serde_json::Value =
        cognito_signin::auth::tokens::unverified_claims(id_token).unwrap();
    assert_eq!(claims["name"], "Bob Example");
    let said = stderr(&output);
    assert!(said.contains("name"), "the attribute is asked: {said}");
    assert!(!said.contains("New-Password-2!"), "{said}");
}

#[test]
fn two_custom_challenge_rounds_in_plain_mode() {
    let output = demo_with_input(
        &["--plain", "--output", "json", "--auth-flow", "CUSTOM_AUTH"],
        "cody\n42\notingoc\n",
    );
    let result = signed_in_tokens(&output);
    assert!(result["IdToken"].as_str().is_some());
    let said = stderr(&output);
    assert!(said.contains("What is 6 times 7?"), "{said}");
    assert!(said.contains("Spell cognito backwards."), "{said}");
}

#[test]
fn wrong_custom_answers_are_said_and_the_pool_ending_the_sign_in_starts_it_afresh() {
    // Three wrong answers (the demo pool allows no more), then an empty line keeps cody
    // on the fresh sign-in form, and the right answers.
    let output = demo_with_input(
        &["--plain", "--output", "json", "--auth-flow", "CUSTOM_AUTH"],
        "cody
41
41
41

42
otingoc
",
    );
    let result = signed_in_tokens(&output);
    assert!(result["IdToken"].as_str().is_some());
    let said = stderr(&output);
    assert_eq!(
        said.matches("That answer was not accepted").count(),
        2,
        "{said}"
    );
    // Round 1 is asked three times, then once more after the fresh start; round 2 once.
    assert_eq!(
        said.matches("Custom challenge, round 1:").count(),
        4,
        "{said}"
    );
    assert_eq!(
        said.matches("Custom challenge, round 2:").count(),
        1,
        "{said}"
    );
    assert!(!said.contains("round 3"), "{said}");
    let ended = said
        .lines()
        .find(|line| line.starts_with("The pool ended the sign-in after that answer"))
        .unwrap_or_else(|| panic!("the end is said: {said}"));
    assert!(!ended.contains("password"), "{ended}");
    assert!(!said.contains("Incorrect username or password"), "{said}");
    assert!(said.contains("Username [cody]: "), "{said}");
}

#[test]
fn demo_admin_signs_in_with_the_demo_pools_own_access_key() {
    let output = demo_with_input(
        &["--plain", "--admin", "--auth-flow", "USER_PASSWORD_AUTH"],
        &alice(),
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Signed in as alice"), "{said}");
}

#[test]
fn demo_admin_takes_admin_user_password_auth_by_its_aws_name() {
    let output = demo_with_input(
        &[
            "--plain",
            "--admin",
            "--auth-flow",
            "ADMIN_USER_PASSWORD_AUTH",
        ],
        &alice(),
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Signed in as alice"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwordless_sign_in_with_an_eight_digit_emailed_code_in_plain_mode() {
    let pool = demo_pool().await;
    let mut feed = pool.subscribe_outbox();
    let binary = Binary::new();
    let mut args = pool_flags(&pool, demo::POOL_ID, demo::PUBLIC_CLIENT_ID).to_vec();
    args.extend(["--plain", "--output", "json", "--auth-flow", "USER_AUTH"]);
    // pat, then the e-mailed code as the first factor (chosen by its API name).
    let mut running = binary.start(&args, "pat\nEMAIL_OTP\n");
    let sent = bounded("the e-mailed code in the outbox", feed.recv())
        .await
        .unwrap();
    assert_eq!(sent.username, "pat");
    assert_eq!(sent.code.len(), 8, "a passwordless code: {}", sent.code);
    // Six of its digits are refused before anything is sent; the eight go out.
    running.type_text(&format!("{}\n{}\n", &sent.code[..6], sent.code));
    let output = tokio::task::spawn_blocking(move || running.output())
        .await
        .unwrap();
    let said = stderr(&output);
    let printed: serde_json::Value = serde_json::from_str(&succeeded(&output)).unwrap();
    assert!(
        printed["AuthenticationResult"]["IdToken"]
            .as_str()
            .is_some()
    );
    assert!(
        said.contains("The code is 8 digits; type just the digits."),
        "{said}"
    );
    assert!(!said.contains(&sent.code), "the code is not echoed: {said}");
    pool.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_is_told_to_wait_in_plain_mode() {
    let fake = FakeCognito::answering(Reply::error(
        "NotAuthorizedException",
        "Password attempts exceeded",
    ))
    .await;
    let url = fake.url.clone();
    let output = tokio::task::spawn_blocking(move || plain_sign_in_at(&url, &[]))
        .await
        .unwrap();
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(said.contains(LOCKED_OUT), "{said}");
    assert_eq!(fake.operations(), vec!["InitiateAuth"]);
}

#[test]
fn input_that_ends_before_the_sign_in_finishes_says_so() {
    // `printf 'alice\n' | cognito-signin demo --plain`: no password ever comes.
    let output = demo_with_input(&["--plain"], "alice\n");
    assert_eq!(output.status.code(), Some(130));
    let said = stderr(&output);
    assert!(
        said.contains("The input ended before the sign-in finished"),
        "{said}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_username_given_by_flag_is_not_asked_again() {
    let output = demo_with_input(
        &["--plain", "--output", "json", "--username", "alice"],
        &format!("{}\n", demo::PASSWORD),
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Username: alice\n"), "{said}");
    assert!(!said.contains("Username [alice]"), "{said}");
}

/// A plain sign-in of alice with a password, against `url`; the input then ends.
fn plain_sign_in_at(url: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "--endpoint-url",
        url,
        "--user-pool-id",
        "us-east-1_Fake12345",
        "--client-id",
        "fakeclient",
        "--plain",
        "--auth-flow",
        "USER_PASSWORD_AUTH",
    ];
    args.extend_from_slice(extra);
    Binary::new().run_with_input(&args, "alice\nsome-password\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sentence_that_starts_with_the_endpoint_keeps_its_url_as_written() {
    let fake = FakeCognito::answering(Reply::raw(500, "<html><h1>Oops</h1></html>")).await;
    let url = fake.url.clone();
    let output = tokio::task::spawn_blocking(move || plain_sign_in_at(&url, &[]))
        .await
        .unwrap();
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("{} failed with HTTP 500", fake.url)),
        "{said}"
    );
    assert!(!said.contains("Http://"), "{said}");
}

#[test]
fn a_password_in_the_endpoint_url_is_never_shown() {
    let closed = closed_port_url();
    let with_password = closed.replacen("http://", "http://operator:S3cret-In-Url@", 1);
    let output = plain_sign_in_at(&with_password, &[]);
    let said = failed(&output);
    assert!(
        said.contains(&format!(
            "Signing in to us-east-1_Fake12345 · client fakeclient ({closed})"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!("Could not reach {closed}")),
        "{said}"
    );
    assert!(!said.contains("S3cret-In-Url"), "{said}");
    assert!(!said.contains("operator"), "{said}");
}

#[test]
fn signing_in_is_said_before_a_sign_in_not_before_a_resend_or_a_reset() {
    // sam signs in, then asks for a new code; the input ends there.
    let output = demo_with_input(&["--plain"], &format!("sam\n{}\nr\n", demo::PASSWORD));
    let said = stderr(&output);
    assert_eq!(said.matches("Signing in…").count(), 1, "{said}");
    let resend = said.find("Asking for a new code.").expect(&said);
    assert!(!said[resend..].contains("Signing in…"), "{said}");

    // alice forgets her password; the input ends at the code.
    let output = demo_with_input(&["--plain"], "alice\n?\n");
    let said = stderr(&output);
    assert!(
        said.contains("Asking for a code to reset the password…"),
        "{said}"
    );
    assert!(!said.contains("Signing in…"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_a_secret_signed_in_without_it_is_told_to_pass_it() {
    let pool = demo_pool().await;
    let flags = pool_flags(&pool, demo::POOL_ID, demo::SECRET_CLIENT_ID).map(str::to_owned);
    let output = tokio::task::spawn_blocking(move || {
        let mut args: Vec<&str> = flags.iter().map(String::as_str).collect();
        args.push("--plain");
        let without = Binary::new().run_with_input(&args, &alice());
        args.extend(["--client-secret", "not-the-demo-secret"]);
        let wrong = Binary::new().run_with_input(&args, &alice());
        (without, wrong)
    })
    .await
    .unwrap();
    let (without, wrong) = output;
    let said = failed(&without);
    assert!(
        said.contains(
            "This app client has a secret: pass it with --client-secret or COGNITO_CLIENT_SECRET. The pool said: Client democonsolesecretclient001 is configured with secret but SECRET_HASH was not received. (NotAuthorizedException)"
        ),
        "{said}"
    );
    let said = failed(&wrong);
    assert!(
        said.contains("The pool could not verify the client secret: check that --client-secret (or COGNITO_CLIENT_SECRET) is this app client's secret. The pool said: Unable to verify secret hash for client democonsolesecretclient001."),
        "{said}"
    );
    assert!(!said.contains("not-the-demo-secret"), "{said}");
    pool.shutdown().await;
}

#[test]
fn a_refused_first_authenticator_code_says_to_try_the_next_one() {
    // dave enrols an authenticator in plain mode; the first code typed is not the app's.
    let binary = Binary::new();
    let mut running = binary.start(
        &["demo", "--plain", "--user-pool-id", demo::MFA_ON_POOL_ID],
        &format!("dave\n{}\nSOFTWARE_TOKEN_MFA\n", demo::PASSWORD),
    );
    let lines = running.stderr_lines();
    let code = crate::support::totp_code(&lines.totp_secret(), 0);
    running.type_text(&format!("{}\n\n", crate::support::other_code(&code)));
    let refused = lines.wait_for("the refusal", |line| {
        line.contains("That code was not right")
    });
    assert!(
        refused.starts_with(
            "That code was not right. Try the next code your authenticator app shows. The pool said: Code mismatch and fail enable Software Token MFA"
        ),
        "{refused}"
    );
    assert!(
        refused.ends_with("(EnableSoftwareTokenMFAException)"),
        "{refused}"
    );
}
