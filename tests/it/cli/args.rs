//! The binary's command line: clap's errors, missing settings, and `serve`.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin;

fn cognito_signin() -> Command {
    let mut command = Command::new(cargo_bin("cognito-signin"));
    for name in [
        "COGNITO_USER_POOL_ID",
        "COGNITO_CLIENT_ID",
        "COGNITO_CLIENT_SECRET",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    ] {
        command.env_remove(name);
    }
    command
}

#[test]
fn unknown_flags_get_claps_error() {
    let output = cognito_signin().arg("--no-such-flag").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unexpected argument '--no-such-flag'"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_bad_auth_flow_lists_the_possible_values() {
    let output = cognito_signin()
        .args(["--auth-flow", "MAGIC"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("USER_SRP_AUTH") && stderr.contains("USER_PASSWORD_AUTH"),
        "{stderr}"
    );
}

#[test]
fn a_missing_pool_id_says_what_to_pass() {
    let output = cognito_signin()
        .arg("--plain")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--user-pool-id is required"), "{stderr}");
}

#[test]
fn a_pool_id_without_a_region_is_refused_before_any_call() {
    let output = cognito_signin()
        .args([
            "--user-pool-id",
            "nounderscore",
            "--client-id",
            "c",
            "--plain",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has no region"), "{stderr}");
}

#[test]
fn every_auth_flow_and_the_new_options_parse() {
    for flow in [
        "USER_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "CUSTOM_AUTH",
        "CUSTOM_WITH_SRP",
        "USER_AUTH",
    ] {
        let output = cognito_signin()
            .args(["--auth-flow", flow, "--plain"])
            .args(["--totp-issuer", "My Company"])
            .args(["--client-metadata", "source=console"])
            .args(["--client-metadata", "tag=a=b"])
            .args(["--analytics-endpoint-id", "endpoint-1"])
            .args(["--user-context-data", "encoded"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        // Parsed: the run stops later, at the missing pool id.
        assert_eq!(output.status.code(), Some(1), "{flow}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--user-pool-id is required"), "{stderr}");
    }
}

#[test]
fn a_preferred_challenge_needs_user_auth() {
    let base = [
        "--user-pool-id",
        "us-east-1_AbC",
        "--client-id",
        "c",
        "--plain",
    ];
    let output = cognito_signin()
        .args(base)
        .args(["--preferred-challenge", "EMAIL_OTP"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--auth-flow USER_AUTH"), "{stderr}");

    let output = cognito_signin()
        .args(["--preferred-challenge", "FINGERPRINT"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("PASSWORD_SRP") && stderr.contains("SMS_OTP"),
        "{stderr}"
    );
}

#[test]
fn client_metadata_without_an_equals_sign_is_a_usage_error_naming_the_fix() {
    for args in [
        &["--client-metadata", "oops"][..],
        &["demo", "--client-metadata", "=value"][..],
    ] {
        let output = cognito_signin().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--client-metadata key=value"), "{stderr}");
    }
}

#[test]
fn demo_refuses_an_unknown_pool_and_lists_the_ones_it_has() {
    let output = cognito_signin()
        .args(["demo", "--plain", "--user-pool-id", "us-east-1_NoSuchPool"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("us-east-1_NoSuchPool"), "{stderr}");
    assert!(stderr.contains("us-east-1_DemoPool1"), "{stderr}");
}

/// Kills the child when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_prints_its_endpoint_and_answers_cognito_calls() {
    let mut child = KillOnDrop(
        cognito_signin()
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    // Reading blocks until the server prints (or exits, which ends the lines).
    let first = lines.next().expect("serve printed nothing").unwrap();
    let url = first
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no endpoint in {first:?}"))
        .to_owned();

    let response = reqwest::blocking::Client::new()
        .post(format!("{url}/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.CreateUserPool",
        )
        .body(r#"{"PoolName":"from-the-test"}"#)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["UserPool"]["Name"], "from-the-test");
}

#[test]
fn the_token_commands_take_their_flags() {
    let cache = tempfile::tempdir().unwrap();
    for args in [
        &[
            "tokens",
            "--user-pool-id",
            "us-east-1_None",
            "--client-id",
            "c",
            "--username",
            "alice",
            "--output",
            "env",
            "--min-ttl",
            "300",
        ][..],
        &[
            "tokens",
            "--user-pool-id",
            "us-east-1_None",
            "--client-id",
            "c",
            "--min-ttl",
            "1h",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ][..],
        &[
            "whoami",
            "--user-pool-id",
            "us-east-1_None",
            "--client-id",
            "c",
            "--output",
            "json",
        ][..],
        &[
            "sign-out",
            "--user-pool-id",
            "us-east-1_None",
            "--client-id",
            "c",
            "--client-secret",
            "s",
            "--username",
            "alice",
        ][..],
    ] {
        // The flags parse (no usage error); nothing is cached, so each says to sign in.
        let output = cognito_signin()
            .args(args)
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("sign in first"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn a_bad_min_ttl_is_a_usage_error() {
    let output = cognito_signin()
        .args(["tokens", "--min-ttl", "soon"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--min-ttl"), "{stderr}");
    assert!(stderr.contains("5m, 1h"), "{stderr}");
}

#[test]
fn the_token_commands_need_a_pool_and_refuse_sign_in_flags() {
    let output = cognito_signin().arg("whoami").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--user-pool-id is required"));
    let output = cognito_signin()
        .args(["tokens", "--plain"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn no_cache_is_a_sign_in_flag() {
    let output = cognito_signin()
        .args(["--no-cache", "--plain"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    // Parsed: the failure is the missing pool, not the flag.
    assert_eq!(output.status.code(), Some(1));
}
