//! HTTP: `POST /` with `X-Amz-Target` for the API, the two well-known documents per
//! pool, and the pool's own read-only list of the messages it sent (`messages`). Every
//! API answer carries `x-amzn-requestid`; errors carry `x-amzn-errortype`.
//!
//! Requests past the pool's limits (see `connections`) get Cognito's error shape too,
//! with the HTTP status that names the limit: a head over [`MAX_HEADER_BYTES`] a 431,
//! a body (declared or sent) over [`MAX_BODY_BYTES`] a 413, both
//! InvalidParameterException; a body not in within [`BODY_READ_TIMEOUT`] a 408
//! RequestTimeoutException; any method but POST on `/` a 405 UnknownOperationException.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::cognito::protocol;

use super::connections::{BODY_READ_TIMEOUT, MAX_BODY_BYTES, MAX_HEADER_BYTES};
use super::error::{ApiError, ErrorType, status_of};
use super::ids;
use super::messages;
use super::ops;
use super::sigv4;
use super::state::Shared;

/// The pool's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", post(api).fallback(refuse_method))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(
            messages::PATH,
            get(messages::list).fallback(messages::refuse_method),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(refuse_over_limits))
        .with_state(shared)
}

/// Refuses, before any handler runs, a request whose head is over [`MAX_HEADER_BYTES`]
/// or whose declared body is over [`MAX_BODY_BYTES`]: the body is never waited for.
async fn refuse_over_limits(request: Request, next: Next) -> Response {
    if head_bytes(&request) > MAX_HEADER_BYTES {
        let error = ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "The request's headers are larger than {} KiB, the most the local pool reads.",
                MAX_HEADER_BYTES / 1024
            ),
        );
        return error_response_with(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, &error);
    }
    if declared_body_bytes(request.headers()).is_some_and(|bytes| bytes > MAX_BODY_BYTES as u64) {
        return body_too_large();
    }
    next.run(request).await
}

/// The size of a request's head as sent: the request line and each header line.
fn head_bytes(request: &Request) -> usize {
    let target = request
        .uri()
        .path_and_query()
        .map_or(1, |target| target.as_str().len());
    // "POST / HTTP/1.1\r\n": the method, a space, the target, the version.
    let request_line = request.method().as_str().len() + 1 + target + " HTTP/1.1\r\n".len();
    let fields: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + ": \r\n".len() + value.len())
        .sum();
    request_line + fields
}

/// The body's length as Content-Length declares it, if it does.
fn declared_body_bytes(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// A body over [`MAX_BODY_BYTES`], declared or sent: HTTP 413.
fn body_too_large() -> Response {
    let error = ApiError::new(
        ErrorType::InvalidParameter,
        format!(
            "The request body is larger than {} MiB, the most the local pool reads.",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
    );
    error_response_with(StatusCode::PAYLOAD_TOO_LARGE, &error)
}

/// The request's body, read whole within [`BODY_READ_TIMEOUT`] and up to
/// [`MAX_BODY_BYTES`]; otherwise the answer that refuses it.
async fn read_body(request: Request) -> Result<Bytes, Response> {
    match tokio::time::timeout(BODY_READ_TIMEOUT, Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(body_too_large())
        }
        Ok(Err(_)) => Err(error_response(&ApiError::new(
            ErrorType::Serialization,
            "The request body could not be read.",
        ))),
        Err(_) => Err(error_response_with(
            StatusCode::REQUEST_TIMEOUT,
            &ApiError::new(
                ErrorType::RequestTimeout,
                format!(
                    "The request body did not arrive within {} seconds.",
                    BODY_READ_TIMEOUT.as_secs()
                ),
            ),
        )),
    }
}

/// Any method but POST on `/`: 405, naming the one the API takes.
async fn refuse_method() -> Response {
    let error = ApiError::new(
        ErrorType::UnknownOperation,
        "The API takes POST / with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>.",
    );
    let mut response = error_response_with(StatusCode::METHOD_NOT_ALLOWED, &error);
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("POST"));
    response
}

/// `POST /`: one API call. The work runs on a blocking thread (SRP and RSA are CPU
/// work), the arithmetic operations one per core at a time (`local_pool::cpu`),
/// `serve --data` writes the call's changes there before answering, and a
/// panic there becomes an InternalErrorException, never a dropped connection.
async fn api(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = std::time::Instant::now();
    let headers = request.headers().clone();
    let body = match read_body(request).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let asked = operation(&headers);
    let named = asked.clone().unwrap_or_default();
    let result = match asked.and_then(|operation| {
        check_signature(&shared, &operation, &headers, &body).map(|()| operation)
    }) {
        Ok(operation) => {
            let _turn = shared.cpu.wait_for(&operation).await;
            let worker = Arc::clone(&shared);
            tokio::task::spawn_blocking(move || {
                let answer = ops::dispatch(&worker, &operation, &body);
                // What the call changed is on disk before it is answered (`serve --data`).
                worker.save_changes().map_err(|error| {
                    ApiError::new(
                        ErrorType::InternalError,
                        format!("The local pool could not save the change: {error}"),
                    )
                })?;
                answer
            })
            .await
            .unwrap_or_else(|_| {
                Err(ApiError::new(
                    ErrorType::InternalError,
                    "The local pool failed while handling this request.",
                ))
            })
        }
        Err(error) => Err(error),
    };
    // `serve --debug`: each request's operation, outcome and duration, nothing it carried.
    tracing::debug!(
        target: "cognito_signin::serve",
        operation = if named.is_empty() { "-" } else { named.as_str() },
        outcome = match &result {
            Ok(_) => "ok",
            Err(error) => error.error_type.as_str(),
        },
        duration_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    match result {
        Ok(value) => json_response(StatusCode::OK, &value, None),
        Err(error) => error_response(&error),
    }
}

/// The signed operations need a valid SigV4 signature once the pool has access keys.
fn check_signature(
    shared: &Shared,
    operation: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ApiError> {
    if !sigv4::needs_signature(operation) {
        return Ok(());
    }
    let keys = shared.access_keys();
    if keys.is_empty() {
        return Ok(());
    }
    sigv4::verify(&keys, headers, body, shared.clock.now())
}

/// The operation named by `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`.
fn operation(headers: &HeaderMap) -> Result<String, ApiError> {
    let target = headers
        .get("x-amz-target")
        .ok_or_else(|| {
            ApiError::new(
                ErrorType::UnknownOperation,
                "The request has no X-Amz-Target header; send X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>.",
            )
        })?
        .to_str()
        .unwrap_or_default();
    match protocol::operation_of(target) {
        Some(operation) => Ok(operation.to_owned()),
        None => Err(ApiError::new(
            ErrorType::UnknownOperation,
            "X-Amz-Target must be AWSCognitoIdentityProviderService.<Operation>.",
        )),
    }
}

/// An error in Cognito's shape.
pub fn error_response(error: &ApiError) -> Response {
    let body = json!({
        "__type": error.error_type.as_str(),
        "message": error.message,
    });
    json_response(status_of(&error.error_type), &body, Some(&error.error_type))
}

/// An error in Cognito's shape with an HTTP status of its own, where HTTP has one for
/// what went wrong (404, 405, 408, 413, 431) and Cognito would answer 400.
pub fn error_response_with(status: StatusCode, error: &ApiError) -> Response {
    let mut response = error_response(error);
    *response.status_mut() = status;
    response
}

fn json_response(status: StatusCode, body: &Value, error_type: Option<&ErrorType>) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(protocol::CONTENT_TYPE),
    );
    if let Ok(request_id) = HeaderValue::from_str(&ids::uuid()) {
        headers.insert("x-amzn-requestid", request_id);
    }
    // Every type the pool names is a valid header value; one that is not (only an
    // `Other` could be) goes in the body alone.
    if let Some(error_type) = error_type
        && let Ok(value) = HeaderValue::from_str(error_type.as_str())
    {
        headers.insert("x-amzn-errortype", value);
    }
    response
}

/// `GET /{poolId}/.well-known/jwks.json`.
async fn jwks(State(shared): State<Arc<Shared>>, Path(pool_id): Path<String>) -> Response {
    if !shared.lock().pools.contains_key(&pool_id) {
        return error_response(&ApiError::pool_not_found(&pool_id));
    }
    axum::Json(shared.signer.jwks()).into_response()
}

/// `GET /{poolId}/.well-known/openid-configuration`.
async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(pool_id): Path<String>,
) -> Response {
    if !shared.lock().pools.contains_key(&pool_id) {
        return error_response(&ApiError::pool_not_found(&pool_id));
    }
    let issuer = shared.issuer(&pool_id);
    axum::Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
    .into_response()
}

async fn not_found() -> Response {
    let error = ApiError::new(
        ErrorType::UnknownOperation,
        format!(
            "Nothing here: the API is POST /, the keys are at /<poolId>/.well-known/jwks.json, the messages sent at {}.",
            messages::PATH
        ),
    );
    error_response_with(StatusCode::NOT_FOUND, &error)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use axum::body::Body;

    use super::*;

    #[test]
    fn a_heads_size_counts_its_request_line_and_each_field_as_sent() {
        let request = Request::builder()
            .method("POST")
            .uri("/?a=b")
            .header("host", "h")
            .body(Body::empty())
            .unwrap();
        // "POST /?a=b HTTP/1.1\r\n" and "host: h\r\n".
        assert_eq!(head_bytes(&request), 21 + 9);
    }

    #[test]
    fn only_a_numeric_content_length_is_a_declared_length() {
        let mut headers = HeaderMap::new();
        assert_eq!(declared_body_bytes(&headers), None);
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("1000000000000"));
        assert_eq!(declared_body_bytes(&headers), Some(1_000_000_000_000));
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("many"));
        assert_eq!(declared_body_bytes(&headers), None);
    }
}
