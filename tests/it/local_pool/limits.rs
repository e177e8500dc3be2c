//! The pool under abuse, over loopback: a client that never finishes its headers or its
//! body, or sits idle, is dropped in bounded time while an honest call beside it
//! succeeds; a body or a head past the limits, and a method the API does not take, get
//! Cognito's JSON error; shutdown ends within its grace with a request half sent.

use std::time::{Duration, Instant};

use cognito_signin::local_pool::{
    BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, KEEP_ALIVE_IDLE_TIMEOUT, MAX_BODY_BYTES,
    MAX_CONNECTIONS, MAX_HEADER_BYTES, RunningPool, SHUTDOWN_GRACE, demo,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

use crate::support::bounded;
use crate::support::pool::{call, demo_pool};

/// What a loaded machine may add to a limit: the pool must have acted on a limit of
/// `limit` by `limit + SLACK`.
const SLACK: Duration = Duration::from_secs(10);

/// The head of a call to the API whose body is `length` bytes long, as an SDK sends it.
fn api_head(length: u64) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.DescribeUserPool\r\n\
         Content-Length: {length}\r\n\r\n"
    )
}

/// A raw connection to `pool`, with `sent` already written on it.
async fn connect_and_send(pool: &RunningPool, sent: &str) -> TcpStream {
    let address = pool.url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(sent.as_bytes()).await.unwrap();
    stream
}

/// Everything the pool sends on `stream` until it closes it (a reset counts), which
/// must happen within `limit` and [`SLACK`].
async fn read_until_closed(stream: &mut OwnedReadHalf, limit: Duration) -> String {
    let mut received = Vec::new();
    let reading = async {
        let mut chunk = [0u8; 4096];
        while let Ok(read @ 1..) = stream.read(&mut chunk).await {
            received.extend_from_slice(&chunk[..read]);
        }
    };
    tokio::time::timeout(limit + SLACK, reading)
        .await
        .unwrap_or_else(|_| panic!("the pool kept the connection past {:?}", limit + SLACK));
    String::from_utf8_lossy(&received).into_owned()
}

/// Checks that `raw` is one HTTP answer with `status` in Cognito's error shape, of
/// `error_type`; gives its message.
fn assert_cognito_error(raw: &str, status: u16, error_type: &str) -> String {
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with(&format!("http/1.1 {status} ")), "{raw}");
    assert!(
        head.contains("content-type: application/x-amz-json-1.1"),
        "{raw}"
    );
    assert!(head.contains("x-amzn-requestid: "), "{raw}");
    assert!(
        head.contains(&format!(
            "x-amzn-errortype: {}",
            error_type.to_ascii_lowercase()
        )),
        "{raw}"
    );
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["__type"], error_type, "{raw}");
    body["message"].as_str().unwrap().to_owned()
}

/// An honest call, beside whatever else is going on: the demo pool is described.
async fn assert_honest_call_succeeds(pool: &RunningPool) {
    let described = call(
        pool,
        "DescribeUserPool",
        json!({"UserPoolId": demo::POOL_ID}),
    )
    .await
    .ok();
    assert_eq!(described["UserPool"]["Id"], demo::POOL_ID);
}

#[tokio::test]
async fn slow_or_idle_connections_are_dropped_while_an_honest_call_succeeds() {
    let pool = demo_pool().await;
    let started = Instant::now();
    let (mut silent, _silent_writer) = connect_and_send(&pool, "").await.into_split();
    let (mut slow_head, _head_writer) =
        connect_and_send(&pool, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar")
            .await
            .into_split();
    // One call answered, then the connection kept alive and left idle.
    let body = format!("{{\"UserPoolId\": \"{}\"}}", demo::POOL_ID);
    let sent = format!("{}{body}", api_head(body.len() as u64));
    let (mut idle, _idle_writer) = connect_and_send(&pool, &sent).await.into_split();
    assert_honest_call_succeeds(&pool).await;

    // The first two get no answer: hyper closes them when its header timer runs out.
    assert_eq!(
        read_until_closed(&mut slow_head, HEADER_READ_TIMEOUT).await,
        ""
    );
    assert_eq!(
        read_until_closed(&mut silent, HEADER_READ_TIMEOUT).await,
        ""
    );
    let answered = read_until_closed(&mut idle, KEEP_ALIVE_IDLE_TIMEOUT).await;
    assert!(answered.starts_with("HTTP/1.1 200 "), "{answered}");
    assert!(answered.contains(demo::POOL_ID), "{answered}");
    // Timers never fire early.
    assert!(started.elapsed() >= HEADER_READ_TIMEOUT.min(KEEP_ALIVE_IDLE_TIMEOUT));
    assert_honest_call_succeeds(&pool).await;
}

#[tokio::test]
async fn a_body_that_never_arrives_gets_a_json_408_and_the_connection_closes() {
    let pool = demo_pool().await;
    let sent = format!("{}{{\"UserPool", api_head(100));
    let (mut slow_body, _writer) = connect_and_send(&pool, &sent).await.into_split();
    assert_honest_call_succeeds(&pool).await;

    let answer = read_until_closed(&mut slow_body, BODY_READ_TIMEOUT).await;
    let message = assert_cognito_error(&answer, 408, "RequestTimeoutException");
    assert!(message.contains("did not arrive"), "{message}");
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_at_once() {
    let pool = demo_pool().await;
    // 10^12 bytes announced, none sent: the answer comes without waiting for them (a
    // wait would end in the 408 instead).
    let (mut huge, _writer) = connect_and_send(&pool, &api_head(1_000_000_000_000))
        .await
        .into_split();
    let answer = read_until_closed(&mut huge, Duration::ZERO).await;
    let message = assert_cognito_error(&answer, 413, "InvalidParameterException");
    assert!(message.contains("2 MiB"), "{message}");
}

#[tokio::test]
async fn a_sent_body_over_the_limit_gets_a_json_413() {
    let pool = demo_pool().await;
    // Chunked, so no length is declared: the pool counts what it reads.
    let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                X-Amz-Target: AWSCognitoIdentityProviderService.DescribeUserPool\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    let (mut reader, mut writer) = connect_and_send(&pool, head).await.into_split();
    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
    let over = MAX_BODY_BYTES / 0x10000 + 2;
    let sending = tokio::spawn(async move {
        for _ in 0..over {
            if writer.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
        }
        // Kept open: the pool answers before the body ends.
        writer
    });
    let answer = read_until_closed(&mut reader, BODY_READ_TIMEOUT).await;
    assert_cognito_error(&answer, 413, "InvalidParameterException");
    drop(sending.await.unwrap());
}

#[tokio::test]
async fn any_method_but_post_on_the_api_gets_a_json_405() {
    let pool = demo_pool().await;
    for method in [reqwest::Method::GET, reqwest::Method::PUT] {
        let answer = reqwest::Client::new()
            .request(method.clone(), format!("{}/", pool.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 405, "{method}");
        assert_eq!(answer.headers()["allow"], "POST", "{method}");
        assert_eq!(
            answer.headers()["x-amzn-errortype"],
            "UnknownOperationException"
        );
        assert!(answer.headers().contains_key("x-amzn-requestid"));
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["__type"], "UnknownOperationException", "{method}");
        assert!(
            body["message"].as_str().unwrap().contains("POST /"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn headers_over_the_limit_get_a_json_431() {
    let pool = demo_pool().await;
    let answer = reqwest::Client::new()
        .post(format!("{}/", pool.url()))
        .header(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.DescribeUserPool",
        )
        .header("X-Padding", "p".repeat(MAX_HEADER_BYTES))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 431);
    assert_eq!(
        answer.headers()["x-amzn-errortype"],
        "InvalidParameterException"
    );
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["__type"], "InvalidParameterException");
    assert!(
        body["message"].as_str().unwrap().contains("16 KiB"),
        "{body}"
    );
    // Within the limit, the same call goes through.
    assert_honest_call_succeeds(&pool).await;
}

#[tokio::test]
async fn shutdown_ends_within_its_grace_while_a_request_is_half_sent() {
    let pool = demo_pool().await;
    let sent = format!("{}{{\"UserPool", api_head(100));
    let (_reader, _writer) = connect_and_send(&pool, &sent).await.into_split();
    // Answered, so the half-sent request's connection has been accepted by now.
    assert_honest_call_succeeds(&pool).await;
    let started = Instant::now();
    tokio::time::timeout(SHUTDOWN_GRACE + SLACK, pool.shutdown())
        .await
        .expect("shutdown ends within its grace");
    // Well before the body's own timeout would have closed the connection.
    let bound = SHUTDOWN_GRACE + (BODY_READ_TIMEOUT - SHUTDOWN_GRACE) / 2;
    assert!(started.elapsed() < bound, "{:?}", started.elapsed());
}

#[tokio::test]
async fn past_the_connection_limit_a_call_waits_for_a_free_slot_then_succeeds() {
    let pool = demo_pool().await;
    let started = Instant::now();
    let mut held = Vec::with_capacity(MAX_CONNECTIONS);
    for _ in 0..MAX_CONNECTIONS {
        held.push(connect_and_send(&pool, "").await);
    }
    // Queued behind them: served once the header timer closes the silent ones.
    bounded("a call past the limit", assert_honest_call_succeeds(&pool)).await;
    assert!(
        started.elapsed() >= HEADER_READ_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
}
