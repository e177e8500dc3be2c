//! Raw JSON 1.1 calls to an in-process local pool, as any Cognito client makes them,
//! for the pool's own tests (`local_pool_challenges.rs`, `local_pool_lifecycle.rs`).
#![allow(dead_code)]

use cognito_signin::local_pool::{RunningPool, demo_pool_file, start};
use serde_json::Value;

/// A pool's answer: the HTTP status and the JSON body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub fn ok(self) -> Value {
        assert_eq!(self.status, 200, "{:?}", self.body);
        self.body
    }
    pub fn assert_error(&self, error_type: &str, message: &str) {
        assert_eq!(self.status, 400, "{:?}", self.body);
        assert_eq!(self.body["__type"], error_type, "{:?}", self.body);
        assert_eq!(self.body["message"], message, "{:?}", self.body);
    }
    pub fn assert_error_type(&self, error_type: &str) {
        assert_eq!(self.status, 400, "{:?}", self.body);
        assert_eq!(self.body["__type"], error_type, "{:?}", self.body);
    }
}

/// The demo pool file's pools, on a free port.
pub async fn demo_pool() -> RunningPool {
    start(Some(demo_pool_file()), 0).await.unwrap()
}

/// Calls `operation` with `body`, the way the AWS SDKs do.
pub async fn call(pool: &RunningPool, operation: &str, body: Value) -> Answer {
    let response = reqwest::Client::new()
        .post(format!("{}/", pool.url()))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "X-Amz-Target",
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    Answer { status, body }
}
