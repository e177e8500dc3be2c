//! Shared test helpers: a scripted fake Cognito endpoint, and waiting on auth events with a bound.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cognito_signin::auth::{Event, FrontEndChannels};
use tokio::sync::oneshot;

/// How long any single wait in a test may take before it fails.
pub const BOUND: Duration = Duration::from_secs(60);

/// What the fake endpoint answers to one call.
pub enum Reply {
    /// A JSON body with a status.
    Json(u16, serde_json::Value),
    /// Any body with a status and content type.
    Raw(u16, &'static str, &'static str),
    /// Never answer.
    Hang,
}

/// One call the fake endpoint received: the operation and the JSON body.
pub type Recorded = (String, serde_json::Value);

/// A fake Cognito endpoint on 127.0.0.1 that answers by a script and records calls.
pub struct FakeCognito {
    pub url: String,
    pub calls: Arc<Mutex<Vec<Recorded>>>,
    stop: Option<oneshot::Sender<()>>,
}

impl FakeCognito {
    /// Starts the fake; `script(operation, body)` decides each answer.
    pub async fn start(
        script: impl Fn(&str, &serde_json::Value) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let calls: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let script = Arc::new(script);
        let recorded = calls.clone();
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let script = script.clone();
                let recorded = recorded.clone();
                async move {
                    let target = headers
                        .get("x-amz-target")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
                    let json: serde_json::Value =
                        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                    recorded
                        .lock()
                        .unwrap()
                        .push((operation.clone(), json.clone()));
                    let reply = script(&operation, &json);
                    answer(reply).await
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .ok();
        });
        Self {
            url,
            calls,
            stop: Some(stop),
        }
    }

    /// Starts a fake that gives `replies` in order, whatever the operation; once they
    /// run out it answers HTTP 500, which fails the test that did not expect the call.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        let queue = Mutex::new(std::collections::VecDeque::from(replies));
        Self::start(move |_, _| {
            queue.lock().unwrap().pop_front().unwrap_or(Reply::Json(
                500,
                serde_json::json!({"__type": "UnexpectedCall", "message": "the script has no more replies"}),
            ))
        })
        .await
    }

    /// The JSON body of the `index`th call (from 0).
    pub fn body(&self, index: usize) -> serde_json::Value {
        self.calls.lock().unwrap()[index].1.clone()
    }

    /// The operations called so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|(op, _)| op.clone())
            .collect()
    }
}

impl Drop for FakeCognito {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn answer(reply: Reply) -> Response {
    match reply {
        Reply::Json(status, body) => (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", "application/x-amz-json-1.1")],
            body.to_string(),
        )
            .into_response(),
        Reply::Raw(status, content_type, body) => (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", content_type)],
            body,
        )
            .into_response(),
        Reply::Hang => std::future::pending().await,
    }
}

/// The next event that is not Busy/Idle, waiting at most `BOUND`.
pub async fn next_settled(channels: &mut FrontEndChannels) -> Event {
    loop {
        let event = tokio::time::timeout(BOUND, channels.events.recv())
            .await
            .expect("the auth task did not answer in time")
            .expect("the auth task ended");
        if !matches!(event, Event::Busy | Event::Idle) {
            return event;
        }
    }
}
