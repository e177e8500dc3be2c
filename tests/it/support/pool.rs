//! The local pool in-process, and raw JSON 1.1 calls to it as any Cognito client makes
//! them: the status, headers and body of each answer, for the pool's own tests.

use cognito_signin::cognito::Client;
use cognito_signin::cognito::protocol;
use cognito_signin::crypto::{PasswordVerifierInput, SrpClient, format_timestamp};
use cognito_signin::local_pool::{self, RunningPool, demo};
use cognito_signin::outbox::{Delivery, Medium};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use super::client_at;

/// The demo pool file's pools, on a free port of 127.0.0.1.
pub async fn demo_pool() -> RunningPool {
    local_pool::start(Some(demo::pool_file()), 0)
        .await
        .expect("the demo pool starts")
}

/// A local pool with no user pool in it yet, on a free port of 127.0.0.1.
pub async fn empty_pool() -> RunningPool {
    local_pool::start(None, 0)
        .await
        .expect("an empty pool starts")
}

/// The console's own wire client, pointed at `pool`.
pub fn client_of(pool: &RunningPool) -> Client {
    client_at(&format!("{}/", pool.url()))
}

/// A pool's answer to one raw call.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The body of a successful answer.
    pub fn ok(self) -> Value {
        assert_eq!(self.status, 200, "{:?}", self.body);
        self.body
    }

    /// The error type in the body (`__type`), or "" when there is none.
    pub fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or("")
    }

    /// Checks that this is Cognito's HTTP 400 with `error_type` and `message`.
    pub fn assert_error(&self, error_type: &str, message: &str) {
        self.assert_error_type(error_type);
        assert_eq!(self.body["message"], message, "{:?}", self.body);
    }

    /// Checks that this is Cognito's HTTP 400 with `error_type`, whatever the message.
    pub fn assert_error_type(&self, error_type: &str) {
        assert_eq!(self.status, 400, "{:?}", self.body);
        assert_eq!(self.error_type(), error_type, "{:?}", self.body);
    }
}

/// Calls `operation` with `body`, the way the AWS SDKs do.
pub async fn call(pool: &RunningPool, operation: &str, body: Value) -> Answer {
    let response = reqwest::Client::new()
        .post(format!("{}/", pool.url()))
        .header("Content-Type", protocol::CONTENT_TYPE)
        .header("X-Amz-Target", protocol::target(operation))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

/// A new pool made through the API, CreateUserPool's members from `pool_body` (beside a
/// name), and one app client, CreateUserPoolClient's members from `client`. Gives the
/// pool id and the client id.
pub async fn api_pool(pool: &RunningPool, pool_body: Value, client: Value) -> (String, String) {
    let mut create = json!({"PoolName": "made"});
    merge(&mut create, pool_body);
    let created = call(pool, "CreateUserPool", create).await.ok();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let mut body = json!({"UserPoolId": pool_id, "ClientName": "c"});
    merge(&mut body, client);
    let made = call(pool, "CreateUserPoolClient", body).await.ok();
    let client_id = made["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    (pool_id, client_id)
}

/// Adds `extra`'s members to the JSON object `body`.
pub fn merge(body: &mut Value, extra: Value) {
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
}

/// InitiateAuth by `flow` for `client_id`.
pub async fn initiate(
    pool: &RunningPool,
    client_id: &str,
    flow: &str,
    parameters: Value,
) -> Answer {
    call(
        pool,
        "InitiateAuth",
        json!({"AuthFlow": flow, "ClientId": client_id, "AuthParameters": parameters}),
    )
    .await
}

/// USER_PASSWORD_AUTH for `client_id` (a client without a secret).
pub async fn password_sign_in(
    pool: &RunningPool,
    client_id: &str,
    username: &str,
    password: &str,
) -> Answer {
    initiate(
        pool,
        client_id,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": username, "PASSWORD": password}),
    )
    .await
}

/// The access token of a USER_PASSWORD_AUTH sign-in that asks for nothing more.
pub async fn password_access_token(
    pool: &RunningPool,
    client_id: &str,
    username: &str,
    password: &str,
) -> String {
    let body = password_sign_in(pool, client_id, username, password)
        .await
        .ok();
    body["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{username} was asked for more than a password: {body:?}"))
        .to_owned()
}

/// RespondToAuthChallenge: `responses` to `challenge` in `session`, for `client_id`.
pub async fn respond(
    pool: &RunningPool,
    client_id: &str,
    challenge: &str,
    session: &Value,
    responses: Value,
) -> Answer {
    call(
        pool,
        "RespondToAuthChallenge",
        json!({
            "ClientId": client_id,
            "ChallengeName": challenge,
            "Session": session,
            "ChallengeResponses": responses,
        }),
    )
    .await
}

/// Now, as PASSWORD_VERIFIER's TIMESTAMP.
pub fn now_timestamp() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

/// The PASSWORD_VERIFIER answer to a challenge of the main demo pool, its claim signed
/// with `password` at `timestamp`.
pub fn password_verifier_responses(
    client: &SrpClient,
    challenge: &Value,
    password: &str,
    timestamp: &str,
) -> Value {
    password_verifier_responses_in(demo::POOL_ID, client, challenge, password, timestamp)
}

/// The PASSWORD_VERIFIER answer to a challenge of pool `pool_id`: the claim is signed
/// over USER_ID_FOR_SRP, and USERNAME echoes the challenge's.
pub fn password_verifier_responses_in(
    pool_id: &str,
    client: &SrpClient,
    challenge: &Value,
    password: &str,
    timestamp: &str,
) -> Value {
    let (_, realm) = pool_id.split_once('_').expect("a pool id is region_name");
    let parameters = &challenge["ChallengeParameters"];
    let text = |name: &str| parameters[name].as_str().unwrap().to_owned();
    let signature = client
        .password_claim_signature(&PasswordVerifierInput {
            realm,
            user_id: &text("USER_ID_FOR_SRP"),
            password,
            srp_b_hex: &text("SRP_B"),
            salt_hex: &text("SALT"),
            secret_block_b64: &text("SECRET_BLOCK"),
            timestamp,
        })
        .unwrap();
    json!({
        "USERNAME": text("USERNAME"),
        "PASSWORD_CLAIM_SECRET_BLOCK": text("SECRET_BLOCK"),
        "PASSWORD_CLAIM_SIGNATURE": signature,
        "TIMESTAMP": timestamp,
    })
}

/// The last message the pool "sent" to `username`, checked to have gone by `medium`
/// and to hold its code.
pub fn last_delivery(pool: &RunningPool, username: &str, medium: Medium) -> Delivery {
    let delivery = pool
        .outbox()
        .into_iter()
        .rev()
        .find(|delivery| delivery.username == username)
        .unwrap_or_else(|| panic!("the outbox has no message for {username}"));
    assert_eq!(delivery.medium, medium, "the last message to {username}");
    assert!(delivery.text.contains(&delivery.code));
    delivery
}

/// The code of the last message the pool "sent" to `username` by `medium`.
pub fn last_code(pool: &RunningPool, username: &str, medium: Medium) -> String {
    last_delivery(pool, username, medium).code
}
