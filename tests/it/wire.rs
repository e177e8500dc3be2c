//! The wire client against the scripted fake endpoint on 127.0.0.1: what it sends, and
//! how every shape of answer a server may give becomes a typed result or a sentence.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::Method;
use cognito_signin::cognito::types::{
    AdminSetUserPasswordRequest, AuthResponse, InitiateAuthRequest,
};
use cognito_signin::cognito::{ApiError, Client, Endpoint, ErrorType, region_from_pool_id};
use cognito_signin::sensitive::Sensitive;

use crate::support::fake::{FakeCognito, Reply};
use crate::support::{client_at, closed_port_url};

fn initiate_request() -> InitiateAuthRequest {
    InitiateAuthRequest {
        auth_flow: "USER_SRP_AUTH".into(),
        client_id: "client-abc".into(),
        auth_parameters: Sensitive::new(BTreeMap::from([
            ("USERNAME".to_owned(), "alice".to_owned()),
            ("PASSWORD".to_owned(), "pw-Hunter2-secret".to_owned()),
            ("SRP_A".to_owned(), "abcdef0123456789srpa".to_owned()),
        ])),
        session: Some("session-token-secret".into()),
        ..Default::default()
    }
}

/// One call of `InitiateAuth` against a fake giving `reply`: the error and the fake's URL.
async fn error_for(reply: Reply) -> (ApiError, String) {
    let fake = FakeCognito::answering(reply).await;
    let client = fake.client();
    let result: Result<AuthResponse, ApiError> = client.initiate_auth(&initiate_request()).await;
    drop(client);
    let url = fake.url.clone();
    fake.stop().await;
    (result.expect_err("the call fails"), url)
}

// ---------------------------------------------------------------- request shape

#[tokio::test]
async fn initiate_auth_sends_json_1_1_with_target_and_pascal_case_fields() {
    let fake = FakeCognito::answering(Reply::raw(
        200,
        r#"{"ChallengeName":"PASSWORD_VERIFIER","Session":"next","ChallengeParameters":{"SALT":"ab"}}"#,
    ).header("content-type", "application/x-amz-json-1.1"))
    .await;
    let client = fake.client();
    let answer = client.initiate_auth(&initiate_request()).await.unwrap();
    drop(client);
    let recorded = fake.stop().await;

    assert_eq!(answer.challenge_name.as_deref(), Some("PASSWORD_VERIFIER"));
    assert_eq!(
        answer.session.as_ref().map(|s| s.expose().as_str()),
        Some("next")
    );
    assert_eq!(answer.challenge_parameters["SALT"], "ab");

    let [request] = recorded.as_slice() else {
        panic!("one request expected, got {recorded:?}");
    };
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/");
    assert_eq!(
        request.headers["x-amz-target"],
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(
        request.headers["content-type"],
        "application/x-amz-json-1.1"
    );
    assert_eq!(
        request.headers["user-agent"].to_str().unwrap(),
        format!("cognito-signin/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        request.body,
        serde_json::json!({
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": "client-abc",
            "AuthParameters": {
                "USERNAME": "alice",
                "PASSWORD": "pw-Hunter2-secret",
                "SRP_A": "abcdef0123456789srpa",
            },
            "Session": "session-token-secret",
        })
    );
}

#[test]
fn debug_of_a_request_shows_no_secret() {
    let printed = format!("{:?}", initiate_request());
    for secret in [
        "pw-Hunter2-secret",
        "abcdef0123456789srpa",
        "session-token-secret",
    ] {
        assert!(!printed.contains(secret), "{secret} leaked into {printed}");
    }
    assert!(printed.contains("client-abc"));
}

#[tokio::test]
async fn setup_operations_use_their_own_target_and_accept_an_empty_answer() {
    let fake = FakeCognito::answering(Reply::raw(200, "")).await;
    let client = fake.client();
    client
        .admin_set_user_password(&AdminSetUserPasswordRequest {
            user_pool_id: "us-east-1_Pool".into(),
            username: "alice".into(),
            password: "Perm-Passw0rd!".into(),
            permanent: true,
        })
        .await
        .unwrap();
    drop(client);
    let recorded = fake.stop().await;
    assert_eq!(
        recorded[0].headers["x-amz-target"],
        "AWSCognitoIdentityProviderService.AdminSetUserPassword"
    );
    assert_eq!(
        recorded[0].body,
        serde_json::json!({
            "UserPoolId": "us-east-1_Pool",
            "Username": "alice",
            "Password": "Perm-Passw0rd!",
            "Permanent": true,
        })
    );
}

#[test]
fn client_debug_shows_only_the_endpoint_without_credentials() {
    let client = Client::new(Endpoint {
        url: "http://user:pa55word@127.0.0.1:1/".into(),
    })
    .unwrap();
    let printed = format!("{client:?}");
    assert_eq!(printed, r#"Client { endpoint: "http://127.0.0.1:1/", .. }"#);
    assert_eq!(client.endpoint_url(), "http://127.0.0.1:1/");
}

#[test]
fn an_endpoint_that_is_not_http_is_refused_with_a_sentence() {
    let error = Client::new(Endpoint {
        url: "ftp://example.com/".into(),
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Could not reach ftp://example.com/ (the URL must start with http:// or https://). \
         Check --endpoint-url, the region, and your network."
    );
    let error = Client::new(Endpoint {
        url: "not a url".into(),
    })
    .unwrap_err();
    assert!(matches!(error, ApiError::Unreachable { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("Could not reach not a url (not a valid URL")
    );
}

// ---------------------------------------------------------------- error shapes

#[tokio::test]
async fn plain_type_and_message_make_a_service_error_with_its_request_id() {
    let (error, _) = error_for(
        Reply::raw(
            400,
            r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
        )
        .header("x-amzn-requestid", "req-123"),
    )
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::NotAuthorized));
    assert_eq!(error.request_id(), Some("req-123"));
    assert_eq!(
        error,
        ApiError::Service {
            kind: "NotAuthorizedException".into(),
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: Some("req-123".into()),
        }
    );
    assert_eq!(
        error.to_string(),
        "Incorrect username or password. (NotAuthorizedException)"
    );
}

#[tokio::test]
async fn a_namespaced_type_loses_its_namespace() {
    let (error, _) = error_for(Reply::raw(
        400,
        r#"{"__type":"com.amazonaws.cognito#UserNotFoundException","message":"User does not exist."}"#,
    ))
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::UserNotFound));
    assert_eq!(
        error.to_string(),
        "User does not exist. (UserNotFoundException)"
    );
}

#[tokio::test]
async fn the_header_gives_the_type_when_the_body_has_none() {
    let (error, _) = error_for(
        Reply::raw(400, r#"{"message":"Rate exceeded"}"#)
            .header("x-amzn-errortype", "TooManyRequestsException")
            .header("x-amzn-requestid", "req-9"),
    )
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::TooManyRequests));
    assert_eq!(error.request_id(), Some("req-9"));
    assert_eq!(
        error.to_string(),
        "Rate exceeded. (TooManyRequestsException)"
    );
}

#[tokio::test]
async fn a_header_type_loses_its_url_suffix_and_namespace() {
    let (error, _) = error_for(Reply::raw(400, "").header(
        "x-amzn-errortype",
        "com.amazonaws.cognito#CodeMismatchException:http://internal.amazon.com/coral/com.amazonaws.cognito/",
    ))
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::CodeMismatch));
    assert_eq!(
        error.to_string(),
        "The service refused the request with CodeMismatchException (HTTP 400)."
    );
}

#[tokio::test]
async fn the_body_type_wins_over_the_header() {
    let (error, _) = error_for(
        Reply::raw(
            400,
            r#"{"__type":"ExpiredCodeException","message":"Code expired"}"#,
        )
        .header("x-amzn-errortype", "SomethingElseException"),
    )
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::ExpiredCode));
}

#[tokio::test]
async fn a_capitalised_message_is_read_too() {
    let (error, _) = error_for(Reply::raw(
        400,
        r#"{"__type":"InvalidParameterException","Message":"Missing required parameter USERNAME"}"#,
    ))
    .await;
    assert_eq!(error.kind(), Some(&ErrorType::InvalidParameter));
    assert_eq!(
        error.to_string(),
        "Missing required parameter USERNAME. (InvalidParameterException)"
    );
}

#[tokio::test]
async fn a_server_echoing_a_secret_or_escape_codes_cannot_put_them_in_a_message() {
    let (error, _) = error_for(Reply::raw(
        400,
        "{\"__type\":\"ResourceNotFoundException\",\"message\":\"session-token-secret\\u001b[2J\\nwith pw-Hunter2-secret\"}",
    ))
    .await;
    let sentence = error.to_string();
    assert_eq!(
        sentence,
        "[redacted]\u{1b}[2J with [redacted]. (ResourceNotFoundException)".replace('\u{1b}', " ")
    );
}

#[tokio::test]
async fn garbage_json_with_200_is_a_bad_response() {
    let (error, url) = error_for(Reply::raw(200, r#"{"AuthenticationResult": "#)).await;
    assert!(
        matches!(error, ApiError::BadResponse { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(error.kind(), None);
    assert_eq!(
        error.to_string(),
        format!(
            "{url} sent an answer that is not Cognito's (HTTP 200: the body is not the expected JSON \
             (EOF while parsing a value at line 1 column 25)). Check that --endpoint-url points at a \
             Cognito user pool endpoint."
        )
    );
}

#[tokio::test]
async fn a_200_with_wrong_types_never_quotes_the_values() {
    let (error, _) = error_for(Reply::raw(
        200,
        r#"{"AuthenticationResult":{"AccessToken":"eyJ-token-value","ExpiresIn":"eyJ-other-token","TokenType":"Bearer"}}"#,
    ))
    .await;
    let sentence = error.to_string();
    assert!(
        matches!(error, ApiError::BadResponse { status: 200, .. }),
        "{error:?}"
    );
    assert!(!sentence.contains("eyJ"), "{sentence}");
    assert!(
        sentence.contains("invalid type: string …, expected i64"),
        "{sentence}"
    );
}

#[tokio::test]
async fn an_html_500_page_becomes_a_short_tag_free_line() {
    let (error, url) = error_for(Reply::raw(
        500,
        "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
         <h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable \
         to complete your request. Either the server is overloaded or there is an error in the \
         application.</p>\n",
    ))
    .await;
    assert!(
        matches!(error, ApiError::BadResponse { status: 500, .. }),
        "{error:?}"
    );
    let sentence = error.to_string();
    assert!(
        !sentence.contains('<') && !sentence.contains('\n'),
        "{sentence}"
    );
    assert!(
        sentence.starts_with(&format!(
            "{url} failed with HTTP 500 (\"500 Internal Server Error Internal Server Error The server \
             encountered an internal error"
        )),
        "{sentence}"
    );
    assert!(
        sentence.ends_with("…\"). Try again later; if it keeps failing, check --endpoint-url.")
    );
    assert!(sentence.len() < 320, "{sentence}");
}

#[tokio::test]
async fn an_empty_502_says_so() {
    let (error, url) = error_for(Reply::raw(502, "")).await;
    assert_eq!(
        error,
        ApiError::BadResponse {
            endpoint: url.clone(),
            status: 502,
            detail: "an empty body".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{url} failed with HTTP 502 (an empty body). Try again later; if it keeps failing, check --endpoint-url."
        )
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let (error, url) =
        error_for(Reply::raw(302, "").header("location", "https://login.example.com/")).await;
    assert_eq!(
        error.to_string(),
        format!(
            "{url} sent an answer that is not Cognito's (HTTP 302: a redirect to https://login.example.com/). \
             Check that --endpoint-url points at a Cognito user pool endpoint."
        )
    );
}

// ---------------------------------------------------------------- transport failures

#[tokio::test]
async fn a_closed_port_is_unreachable_and_named() {
    let url = closed_port_url();
    let client = client_at(&url);
    let error = client.initiate_auth(&initiate_request()).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Unreachable {
            endpoint: url.clone(),
            detail: "connection refused".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "Could not reach {url} (connection refused). Check --endpoint-url, the region, and your network."
        )
    );
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_request_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    // Accepts and holds every connection, never answering.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = Client::with_timeouts(
        Endpoint { url: url.clone() },
        Duration::from_secs(5),
        Duration::from_millis(300),
    )
    .unwrap();
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        client.initiate_auth(&initiate_request()),
    )
    .await
    .expect("the client's own timeout ends the call");
    silent.abort();
    let _ = silent.await;
    let error = result.unwrap_err();
    assert_eq!(
        error,
        ApiError::Timeout {
            endpoint: url.clone()
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{url} did not answer in time. Check --endpoint-url and your network, then try again."
        )
    );
}

// ---------------------------------------------------------------- endpoint resolution

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    }
}

#[test]
fn endpoint_resolution_follows_the_sdk_order() {
    let both = env_of(&[
        (
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "http://service:1/",
        ),
        ("AWS_ENDPOINT_URL", "http://global:2/"),
    ]);
    let url = |explicit, region, env: &dyn Fn(&str) -> Option<String>| {
        Endpoint::resolve(explicit, region, env).url
    };
    assert_eq!(
        url(Some("http://flag:3/"), "eu-west-1", &both),
        "http://flag:3/"
    );
    assert_eq!(url(None, "eu-west-1", &both), "http://service:1/");
    assert_eq!(
        url(
            None,
            "eu-west-1",
            &env_of(&[("AWS_ENDPOINT_URL", "http://global:2/")])
        ),
        "http://global:2/"
    );
    assert_eq!(
        url(None, "eu-west-1", &env_of(&[])),
        "https://cognito-idp.eu-west-1.amazonaws.com/"
    );
}

#[test]
fn empty_endpoint_values_count_as_unset() {
    let env = env_of(&[
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", ""),
        ("AWS_ENDPOINT_URL", "  "),
    ]);
    assert_eq!(
        Endpoint::resolve(Some(""), "ap-south-1", &env).url,
        "https://cognito-idp.ap-south-1.amazonaws.com/"
    );
    let env = env_of(&[
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", ""),
        ("AWS_ENDPOINT_URL", "http://global:2/"),
    ]);
    assert_eq!(
        Endpoint::resolve(None, "ap-south-1", &env).url,
        "http://global:2/"
    );
}

#[test]
fn the_region_is_the_part_of_the_pool_id_before_the_underscore() {
    assert_eq!(region_from_pool_id("us-east-1_AbC"), Some("us-east-1"));
    assert_eq!(
        region_from_pool_id("eu-central-1_x_y"),
        Some("eu-central-1")
    );
    assert_eq!(region_from_pool_id("noregion"), None);
    assert_eq!(region_from_pool_id("_AbC"), None);
    assert_eq!(region_from_pool_id(""), None);
    // A region is part of a host name: nothing that could point elsewhere.
    assert_eq!(region_from_pool_id("evil.example.com/#_AbC"), None);
    assert_eq!(region_from_pool_id("US-EAST-1_AbC"), None);
}
