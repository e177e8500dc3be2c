//! Plain mode end to end: the real binary's `demo`, answers on stdin, tokens on stdout.
use std::io::Write;
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::cargo_bin;

fn demo_with_input(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(cargo_bin("cognito-signin"))
        .arg("demo")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn signing_in_prints_the_tokens_as_json_on_stdout_only() {
    let output = demo_with_input(
        &["--plain", "--output", "json"],
        "alice\nDemo-Password-1!\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
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
        stderr.contains("Password"),
        "the prompts go to stderr: {stderr}"
    );
    // The demo's user table names the password; after the prompt it must not appear again.
    let after_prompt = stderr
        .rsplit("Password (? if you forgot it):")
        .next()
        .unwrap_or_default();
    assert!(
        !after_prompt.contains("Demo-Password-1!"),
        "the password is never echoed: {stderr}"
    );
}

#[test]
fn without_output_json_stdout_stays_empty() {
    let output = demo_with_input(&["--plain"], "alice\nDemo-Password-1!\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_wrong_password_then_end_of_input_fails_with_the_sentence() {
    let output = demo_with_input(&["--plain", "--output", "json"], "alice\nwrong-password\n");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Incorrect username or password."),
        "{stderr}"
    );
}

#[test]
fn a_retry_after_a_wrong_password_signs_in() {
    let output = demo_with_input(
        &["--plain", "--output", "json"],
        "alice\nwrong-password\nalice\nDemo-Password-1!\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("Incorrect username or password."),
        "{stderr}"
    );
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
        "alice\nDemo-Password-1!\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The tokens on stdout of a successful plain run, or a failure with what it said.
fn signed_in_tokens(output: &Output) -> serde_json::Value {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    printed["AuthenticationResult"].clone()
}

#[test]
fn a_new_password_with_its_required_attribute_in_plain_mode() {
    let output = demo_with_input(
        &["--plain", "--output", "json"],
        "bob\nTemp-Password-1!\nNew-Password-2!\nNew-Password-2!\nBob Example\n",
    );
    let result = signed_in_tokens(&output);
    let id_token = result["IdToken"].as_str().unwrap();
    let claims: serde_json::Value =
        cognito_signin::auth::tokens::unverified_claims(id_token).unwrap();
    assert_eq!(claims["name"], "Bob Example");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("name"), "the attribute is asked: {stderr}");
    assert!(!stderr.contains("New-Password-2!"), "{stderr}");
}

#[test]
fn two_custom_challenge_rounds_in_plain_mode() {
    let output = demo_with_input(
        &["--plain", "--output", "json", "--auth-flow", "CUSTOM_AUTH"],
        "cody\n42\notingoc\n",
    );
    let result = signed_in_tokens(&output);
    assert!(result["IdToken"].as_str().is_some());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("What is 6 times 7?"), "{stderr}");
    assert!(stderr.contains("Spell cognito backwards."), "{stderr}");
}

#[test]
fn demo_admin_signs_in_with_the_demo_pools_own_access_key() {
    let output = demo_with_input(
        &["--plain", "--admin", "--auth-flow", "USER_PASSWORD_AUTH"],
        "alice\nDemo-Password-1!\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("Signed in as alice"), "{stderr}");
}
