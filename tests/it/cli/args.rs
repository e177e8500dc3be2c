//! The binary's command line in a clean environment: clap's errors, missing settings,
//! and `serve`.

use cognito_signin::cognito::protocol;
use cognito_signin::local_pool::demo;

use crate::support::binary::{Binary, failed, stderr, succeeded, usage_refused};

#[test]
fn unknown_flags_get_claps_error() {
    let output = Binary::new().run(&["--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("unexpected argument '--no-such-flag'"),
        "{said}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_bad_auth_flow_lists_the_possible_values() {
    let output = Binary::new().run(&["--auth-flow", "MAGIC"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("USER_SRP_AUTH") && said.contains("USER_PASSWORD_AUTH"),
        "{said}"
    );
}

#[test]
fn a_missing_pool_id_is_a_usage_error_saying_what_to_pass() {
    let output = Binary::new().run(&["--plain"]);
    let said = usage_refused(&output);
    assert!(said.contains("--user-pool-id is required"), "{said}");
}

#[test]
fn a_pool_id_without_a_region_is_refused_before_any_call() {
    let output = Binary::new().run(&[
        "--user-pool-id",
        "nounderscore",
        "--client-id",
        "c",
        "--plain",
    ]);
    let said = usage_refused(&output);
    assert!(said.contains("has no region"), "{said}");
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
        let output = Binary::new().run(&[
            "--auth-flow",
            flow,
            "--plain",
            "--totp-issuer",
            "My Company",
            "--client-metadata",
            "source=console",
            "--client-metadata",
            "tag=a=b",
            "--analytics-endpoint-id",
            "endpoint-1",
            "--user-context-data",
            "encoded",
        ]);
        // Parsed: the run stops later, at the missing pool id, a usage error.
        let said = usage_refused(&output);
        assert!(said.contains("--user-pool-id is required"), "{said}");
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
    let output = Binary::new().run(&[&base[..], &["--preferred-challenge", "EMAIL_OTP"]].concat());
    let said = usage_refused(&output);
    assert!(said.contains("--auth-flow USER_AUTH"), "{said}");

    let output = Binary::new().run(&["--preferred-challenge", "FINGERPRINT"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("PASSWORD_SRP") && said.contains("SMS_OTP"),
        "{said}"
    );
}

#[test]
fn admin_flows_are_taken_by_either_name_with_admin_and_refused_clearly_without() {
    let base = [
        "--user-pool-id",
        "us-east-1_AbC",
        "--client-id",
        "c",
        "--plain",
    ];
    for flow in ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] {
        let without = Binary::new().run(&[&base[..], &["--auth-flow", flow]].concat());
        let said = usage_refused(&without);
        assert!(
            said.contains(&format!(
                "--auth-flow {flow} is an AdminInitiateAuth flow; add --admin"
            )),
            "{said}"
        );
        // With --admin the flow is taken: the run stops later, at the missing AWS
        // credentials (the clean environment has none).
        let with = Binary::new().run(&[&base[..], &["--auth-flow", flow, "--admin"]].concat());
        let said = failed(&with);
        assert!(!said.contains("AdminInitiateAuth flow"), "{said}");
        assert!(said.contains("--admin needs AWS credentials"), "{said}");
    }
}

#[test]
fn an_endpoint_url_that_is_not_a_url_is_a_usage_error() {
    let output = Binary::new().run(&[
        "--user-pool-id",
        "us-east-1_AbC",
        "--client-id",
        "c",
        "--plain",
        "--endpoint-url",
        "notaurl",
    ]);
    let said = usage_refused(&output);
    assert!(said.contains("notaurl"), "{said}");
}

#[test]
fn a_session_validity_outside_cognitos_3_to_15_minutes_is_a_usage_error() {
    for minutes in ["2", "16"] {
        let output = Binary::new().run(&["demo", "--plain", "--session-validity", minutes]);
        let said = usage_refused(&output);
        assert!(said.contains("--session-validity"), "{minutes}: {said}");
        assert!(
            said.contains("3..=15") || said.contains("3 to 15"),
            "{said}"
        );
    }
}

#[test]
fn client_metadata_without_an_equals_sign_is_a_usage_error_naming_the_fix() {
    for args in [
        &["--client-metadata", "oops"][..],
        &["demo", "--client-metadata", "=value"][..],
    ] {
        let output = Binary::new().run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let said = stderr(&output);
        assert!(said.contains("--client-metadata key=value"), "{said}");
    }
}

#[test]
fn demo_refuses_an_unknown_pool_and_lists_the_ones_it_has() {
    let output = Binary::new().run(&["demo", "--plain", "--user-pool-id", "us-east-1_NoSuchPool"]);
    let said = usage_refused(&output);
    assert!(said.contains("us-east-1_NoSuchPool"), "{said}");
    assert!(said.contains(demo::POOL_ID), "{said}");
}

#[test]
fn serve_prints_its_endpoint_and_answers_cognito_calls() {
    let binary = Binary::new();
    // Killed when the test ends, however it ends.
    let serve = binary.serve(&[]);
    let url = serve.url();

    let response = reqwest::blocking::Client::new()
        .post(format!("{url}/"))
        .header("content-type", protocol::CONTENT_TYPE)
        .header("x-amz-target", protocol::target("CreateUserPool"))
        .body(r#"{"PoolName":"from-the-test"}"#)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["UserPool"]["Name"], "from-the-test");
}

#[test]
fn the_token_commands_take_their_flags() {
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
        let output = Binary::new().run(args);
        let said = failed(&output);
        assert!(said.contains("sign in first"), "{args:?}: {said}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn a_bad_min_ttl_is_a_usage_error() {
    let output = Binary::new().run(&["tokens", "--min-ttl", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains("--min-ttl"), "{said}");
    assert!(said.contains("5m, 1h"), "{said}");
}

#[test]
fn the_token_commands_need_a_pool_and_refuse_sign_in_flags() {
    // A missing pool is a usage error (exit 2), as it is for sign-in.
    for command in ["tokens", "whoami", "sign-out", "devices"] {
        let output = Binary::new().run(&[command, "--client-id", "c"]);
        let said = usage_refused(&output);
        assert!(
            said.contains("--user-pool-id is required"),
            "{command}: {said}"
        );
    }
    let output = Binary::new().run(&["tokens", "--plain"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_token_commands_refuse_an_endpoint_that_is_not_a_url_as_a_usage_error() {
    for command in ["tokens", "whoami", "sign-out", "devices"] {
        let output = Binary::new().run(&[
            command,
            "--user-pool-id",
            "us-east-1_AbC",
            "--client-id",
            "c",
            "--endpoint-url",
            "notaurl",
        ]);
        let said = usage_refused(&output);
        assert!(said.contains("notaurl"), "{command}: {said}");
    }
}

#[test]
fn no_cache_is_a_sign_in_flag() {
    let output = Binary::new().run(&["--no-cache", "--plain"]);
    // Parsed: the refusal is the missing pool (a usage error), not the flag.
    assert!(usage_refused(&output).contains("--user-pool-id is required"));
}

#[test]
fn a_malformed_access_key_is_refused_without_repeating_its_secret() {
    let secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY";
    let by_flag = Binary::new().run(&["serve", "--port", "0", "--access-key", secret]);
    let mut command = Binary::new().command();
    command
        .args(["serve", "--port", "0"])
        .env("COGNITO_SIGNIN_ACCESS_KEY", secret);
    let by_variable = command.output().unwrap();
    for output in [by_flag, by_variable] {
        let said = usage_refused(&output);
        assert!(said.contains("ID:SECRET"), "{said}");
        assert!(said.contains("COGNITO_SIGNIN_ACCESS_KEY"), "{said}");
        assert!(!said.contains(secret), "{said}");
    }
}

#[test]
fn a_malformed_context_header_is_refused_without_repeating_it() {
    let output = Binary::new().run(&[
        "--admin",
        "--context-http-header",
        "Authorization Bearer s3cret-token",
    ]);
    let said = usage_refused(&output);
    assert!(said.contains("'Name: value'"), "{said}");
    assert!(!said.contains("s3cret-token"), "{said}");
}

#[test]
fn each_commands_help_describes_its_own_json() {
    let help = |command: &str| succeeded(&Binary::new().run(&[command, "--help"]));
    let whoami = help("whoami");
    assert!(
        whoami.contains(r#"{"IdToken": {...}, "AccessToken": {...}}"#),
        "{whoami}"
    );
    let devices = help("devices");
    assert!(devices.contains(r#"{"Devices": [...]}"#), "{devices}");
    for text in [&whoami, &devices] {
        assert!(!text.contains("AuthenticationResult"), "{text}");
    }
    // Sign-in and `tokens` print the tokens themselves, in initiate-auth's shape.
    for sign_in in [help("tokens"), succeeded(&Binary::new().run(&["--help"]))] {
        assert!(sign_in.contains("AuthenticationResult"), "{sign_in}");
    }
}

#[test]
fn a_secret_that_starts_with_a_dash_is_taken_as_the_value_not_quoted_as_a_flag() {
    let output = Binary::new().run(&["--client-secret", "--s3cret-value", "--plain"]);
    // Parsed: the run stops later, at the missing pool id.
    let said = usage_refused(&output);
    assert!(said.contains("--user-pool-id is required"), "{said}");
    assert!(!said.contains("s3cret-value"), "{said}");
    let output = Binary::new().run(&["serve", "--access-key", "-s3cret-value"]);
    let said = usage_refused(&output);
    assert!(said.contains("ID:SECRET"), "{said}");
    assert!(!said.contains("s3cret-value"), "{said}");
}
