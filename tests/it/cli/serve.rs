//! `serve` shows what it sends: a person signs in to it from a second console, in plain
//! mode, and reads the texted or e-mailed code where the pool put it, on `serve`'s own
//! console or at `GET /_aws/cognito-idp/messages` as a test suite would.

use std::process::Output;

use cognito_signin::local_pool::{MESSAGES_PATH, demo};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::binary::{Binary, Serving, stderr, stdout, succeeded};

/// The demo pools' file, as a person passes it to `serve --pool`.
const DEMO_POOL_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-pool.toml");

/// sam's phone number and erin's address, as the demo pool file gives them.
const SAM_PHONE: &str = "+15555550101";
const ERIN_EMAIL: &str = "erin@example.com";

/// `GET /_aws/cognito-idp/messages` with `query` (after the `?`, none when empty).
fn get_messages(serve: &Serving, query: &str) -> reqwest::blocking::Response {
    let mut url = format!("{}{MESSAGES_PATH}", serve.url());
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    reqwest::blocking::get(url).unwrap()
}

/// The messages the endpoint lists for `query`, oldest first.
fn messages(serve: &Serving, query: &str) -> Vec<Value> {
    let response = get_messages(serve, query);
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert_eq!(content_type, "application/json");
    let body: Value = response.json().unwrap();
    body["messages"].as_array().unwrap().clone()
}

/// The plain console against `serve`'s demo pool, for `username`.
fn console_args<'a>(serve: &'a Serving, username: &'a str) -> Vec<&'a str> {
    vec![
        "--plain",
        "--output",
        "json",
        "--endpoint-url",
        serve.url(),
        "--user-pool-id",
        demo::POOL_ID,
        "--client-id",
        demo::PUBLIC_CLIENT_ID,
        "--username",
        username,
    ]
}

/// Waits for serve's console line of the next message of `medium` to `destination`;
/// then the newest message the endpoint lists for that destination, which is the one
/// the line announced: the line and the message (the pool keeps a message before it
/// announces it).
fn next_message(serve: &Serving, medium: &str, destination: &str) -> (String, Value) {
    let line = serve.wait_for_line(&format!("{medium} to {destination}"), |line| {
        line.contains(&format!(" {medium} to {destination} "))
    });
    let query = format!("destination={destination}");
    let message = messages(serve, &query).last().cloned().unwrap();
    (line, message)
}

/// The ID token of a plain run that signed in.
fn id_token(output: &Output) -> String {
    let printed: Value = serde_json::from_str(&succeeded(output)).unwrap();
    printed["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn sam_signs_in_to_serve_with_the_texted_code_read_over_http() {
    let binary = Binary::new();
    let serve = binary.serve(&["--pool", DEMO_POOL_FILE]);
    assert!(messages(&serve, "").is_empty(), "nothing sent yet");

    let mut console = binary.start(
        &console_args(&serve, "sam"),
        &format!("{}\n", demo::PASSWORD),
    );
    // The query as a person types it: the plus of the number need not be encoded.
    let (line, message) = next_message(&serve, "SMS", SAM_PHONE);
    let code = message["Code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6, "{message}");
    assert_eq!(message["Medium"], "SMS");
    assert_eq!(message["Destination"], SAM_PHONE);
    assert_eq!(message["Username"], "sam");
    assert_eq!(message["UserPoolId"], demo::POOL_ID);
    assert!(
        message["Message"].as_str().unwrap().contains(&code),
        "{message}"
    );
    let sent = message["Timestamp"].as_str().unwrap();
    let sent = OffsetDateTime::parse(sent, &Rfc3339).unwrap();
    assert!((OffsetDateTime::now_utc() - sent).abs() < time::Duration::minutes(1));
    // serve's console said the same: when, how, where, from which pool, and the code.
    assert!(
        line.starts_with(message["Timestamp"].as_str().unwrap()),
        "{line}"
    );
    for shown in ["SMS", SAM_PHONE, demo::POOL_ID, "sam", &code] {
        assert!(line.contains(shown), "{shown:?} missing from {line:?}");
    }

    console.type_text(&format!("{code}\n"));
    let output = console.output();
    assert!(!id_token(&output).is_empty());
    assert!(
        stderr(&output).contains("Signed in as sam."),
        "{}",
        stderr(&output)
    );

    // The filters are exact: another pool, or another destination, lists nothing.
    assert_eq!(
        messages(&serve, &format!("userPoolId={}", demo::POOL_ID)).len(),
        1
    );
    assert!(messages(&serve, "userPoolId=us-east-1_DemoMfaOn").is_empty());
    assert!(messages(&serve, "destination=%2B15555550199").is_empty());
}

#[test]
fn erin_resets_a_forgotten_password_then_signs_in_with_codes_from_serve() {
    let binary = Binary::new();
    let serve = binary.serve(&["--pool", DEMO_POOL_FILE]);
    // "?" for the password: a reset code goes to erin's address.
    let mut console = binary.start(&console_args(&serve, "erin"), "?\n");
    let (line, reset) = next_message(&serve, "EMAIL", ERIN_EMAIL);
    let reset_code = reset["Code"].as_str().unwrap().to_owned();
    assert!(line.contains(&reset_code), "{line}");

    // The code, the new password twice, erin kept on the sign-in form, the new password.
    let new_password = "New-Password-2!";
    console.type_text(&format!(
        "{reset_code}\n{new_password}\n{new_password}\n\n{new_password}\n"
    ));
    // Then her e-mail MFA code.
    let (line, mfa) = next_message(&serve, "EMAIL", ERIN_EMAIL);
    let mfa_code = mfa["Code"].as_str().unwrap().to_owned();
    assert!(line.contains(&mfa_code), "{line}");
    console.type_text(&format!("{mfa_code}\n"));
    let output = console.output();
    assert!(!id_token(&output).is_empty());

    // Both messages, oldest first.
    let sent: Vec<Value> = messages(&serve, "destination=erin@example.com")
        .iter()
        .map(|message| message["Code"].clone())
        .collect();
    assert_eq!(sent, [Value::from(reset_code), Value::from(mfa_code)]);
}

#[test]
fn the_message_list_is_read_only_and_refuses_filters_it_does_not_know() {
    let binary = Binary::new();
    let serve = binary.serve(&[]);

    let refused = get_messages(&serve, "phoneNumber=%2B15555550101");
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().unwrap();
    assert_eq!(body["__type"], "InvalidParameterException");
    let said = body["message"].as_str().unwrap();
    assert!(said.contains("phoneNumber"), "{said}");
    assert!(said.contains("userPoolId and destination"), "{said}");

    // A wrong path names the right one.
    let lost = reqwest::blocking::get(format!("{}/_aws/cognito-idp/message", serve.url())).unwrap();
    assert_eq!(lost.status(), 404);
    let body: Value = lost.json().unwrap();
    let said = body["message"].as_str().unwrap();
    assert!(said.contains(MESSAGES_PATH), "{said}");

    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let url = format!("{}{MESSAGES_PATH}", serve.url());
        let answer = reqwest::blocking::Client::new()
            .request(method.clone(), url)
            .send()
            .unwrap();
        assert_eq!(answer.status(), 405, "{method}");
        assert_eq!(answer.headers()["allow"], "GET, HEAD", "{method}");
        let body: Value = answer.json().unwrap();
        assert!(
            body["message"].as_str().unwrap().contains("read-only"),
            "{method}: {body}"
        );
    }
}

#[test]
fn serve_help_says_where_its_messages_go() {
    let output = Binary::new().run(&["serve", "--help"]);
    succeeded(&output);
    let help = stdout(&output);
    for said in [
        "printed on stderr",
        MESSAGES_PATH,
        "?userPoolId=",
        "?destination=",
    ] {
        assert!(help.contains(said), "{said:?} missing from {help}");
    }
}

/// What a loaded machine may add to a limit.
#[cfg(unix)]
const SLACK: std::time::Duration = std::time::Duration::from_secs(10);

/// A connection to `serve` holding a call whose body is 10 bytes short: a request in
/// flight, as far as shutdown is concerned. Answered first, so it has been accepted.
#[cfg(unix)]
fn half_sent_request(serve: &Serving) -> std::net::TcpStream {
    use std::io::Write;

    let address = serve.url().trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n\
              Content-Length: 20\r\n\r\n{\"MaxRes",
        )
        .unwrap();
    // An honest call beside it is answered: serve is up, and has accepted both.
    assert!(messages(serve, "").is_empty());
    stream
}

#[cfg(unix)]
#[test]
fn serve_stops_on_sigterm_within_its_grace_while_a_request_is_half_sent() {
    use cognito_signin::local_pool::SHUTDOWN_GRACE;

    let binary = Binary::new();
    let serve = binary.serve(&[]);
    let _held = half_sent_request(&serve);
    serve.signal("TERM");
    serve.wait_for_line("serve to say it is stopping", |line| {
        line.starts_with("Stopping:")
    });
    let status = serve.exit_within(SHUTDOWN_GRACE + SLACK);
    assert!(status.success(), "{status:?}");
}

#[cfg(unix)]
#[test]
fn a_second_signal_stops_serve_at_once() {
    use cognito_signin::local_pool::SHUTDOWN_GRACE;

    let binary = Binary::new();
    let serve = binary.serve(&[]);
    let _held = half_sent_request(&serve);
    let first = std::time::Instant::now();
    serve.signal("INT");
    serve.wait_for_line("serve to say it is stopping", |line| {
        line.starts_with("Stopping:")
    });
    serve.signal("INT");
    // Before the grace the first signal gave has run out.
    let status = serve.exit_within(SHUTDOWN_GRACE);
    assert!(status.success(), "{status:?}");
    assert!(first.elapsed() < SHUTDOWN_GRACE, "{:?}", first.elapsed());
}
