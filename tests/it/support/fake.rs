//! The scripted fake Cognito endpoint: an HTTP server on 127.0.0.1 that answers each
//! request as the test's script says and records all it was sent, for what a broken or
//! hostile server can do and for the exact requests the console makes.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Response, Uri};
use cognito_signin::cognito::Client;
use serde_json::{Value, json};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::{bounded, client_at};

/// What the fake answers to one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An HTTP answer: the status, the headers (no others), the body.
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Never answer.
    Hang,
}

impl Reply {
    /// A JSON 1.1 body with `status`, as Cognito sends one.
    pub fn json(status: u16, body: Value) -> Self {
        Self::raw(status, body.to_string()).header("content-type", "application/x-amz-json-1.1")
    }

    /// A Cognito error: HTTP 400 with the type and message in the body.
    pub fn error(kind: &str, message: &str) -> Self {
        Self::json(400, json!({"__type": kind, "message": message}))
    }

    /// Any body with `status`, and no header until [`Reply::header`] adds one.
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Self::Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The same answer with one more header.
    pub fn header(self, name: &'static str, value: &str) -> Self {
        match self {
            Self::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name, value.to_owned()));
                Self::Answer {
                    status,
                    headers,
                    body,
                }
            }
            Self::Hang => panic!("an answer that never comes has no headers"),
        }
    }
}

/// What the fake saw of one request.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    /// The operation X-Amz-Target names (the part after the last dot).
    pub operation: String,
    /// The body as JSON, or null when it is not JSON.
    pub body: Value,
}

/// A fake Cognito endpoint on 127.0.0.1 that answers by a script and records every
/// request; it stops when dropped.
pub struct FakeCognito {
    /// Its URL, with the trailing slash.
    pub url: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    /// How many requests have arrived, for waiting on one.
    arrived: watch::Receiver<usize>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl FakeCognito {
    /// Starts the fake; `script(operation, body)` decides each answer.
    pub async fn start(script: impl Fn(&str, &Value) -> Reply + Send + Sync + 'static) -> Self {
        let recorded: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let (count, arrived) = watch::channel(0);
        let count = Arc::new(count);
        let script = Arc::new(script);
        let log = Arc::clone(&recorded);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let script = Arc::clone(&script);
                let log = Arc::clone(&log);
                let count = Arc::clone(&count);
                async move {
                    let operation = headers
                        .get("x-amz-target")
                        .and_then(|target| target.to_str().ok())
                        .and_then(|target| target.rsplit('.').next())
                        .unwrap_or_default()
                        .to_owned();
                    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let total = {
                        let mut log = log.lock().unwrap();
                        log.push(Recorded {
                            method,
                            path: uri.path().to_owned(),
                            headers,
                            operation: operation.clone(),
                            body: body.clone(),
                        });
                        log.len()
                    };
                    count.send_replace(total);
                    send(script(&operation, &body)).await
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .expect("the fake endpoint serves until it is stopped");
        });
        Self {
            url,
            recorded,
            arrived,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Starts a fake that gives `reply` to every request.
    pub async fn answering(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// Starts a fake that gives `replies` in order, whatever the operation; once they
    /// run out it answers HTTP 500, which fails the test that did not expect the call.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        let queue = Mutex::new(VecDeque::from(replies));
        Self::start(move |_, _| {
            queue.lock().unwrap().pop_front().unwrap_or_else(|| {
                Reply::json(
                    500,
                    json!({"__type": "UnexpectedCall", "message": "the script has no more replies"}),
                )
            })
        })
        .await
    }

    /// The console's wire client, pointed at this fake.
    pub fn client(&self) -> Client {
        client_at(&self.url)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// Returns once `count` requests have arrived (a call is then in flight, or done).
    pub async fn received(&self, count: usize) {
        let mut arrived = self.arrived.clone();
        bounded(
            "requests at the fake endpoint",
            arrived.wait_for(|&seen| seen >= count),
        )
        .await
        .expect("the fake endpoint is running");
    }

    /// The JSON body of the `index`th request (from 0).
    pub fn body(&self, index: usize) -> Value {
        self.recorded.lock().unwrap()[index].body.clone()
    }

    /// The operations called so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.recorded
            .lock()
            .unwrap()
            .iter()
            .map(|request| request.operation.clone())
            .collect()
    }

    /// Stops the server, waits until it has (every connection closed), and gives what
    /// it recorded.
    pub async fn stop(mut self) -> Vec<Recorded> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            bounded("the fake endpoint stopping", task)
                .await
                .expect("the fake endpoint ran to its end");
        }
        self.requests()
    }
}

impl Drop for FakeCognito {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Turns a reply into the HTTP answer, or never answers.
async fn send(reply: Reply) -> Response<Body> {
    match reply {
        Reply::Answer {
            status,
            headers,
            body,
        } => {
            let mut response = Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            response
                .body(Body::from(body))
                .expect("a status and headers the fake can send")
        }
        Reply::Hang => std::future::pending().await,
    }
}
