//! HTTP: `POST /` with `X-Amz-Target` for the API, the two well-known documents per
//! pool, and the pool's own read-only list of the messages it sent (`messages`). Every
//! API answer carries `x-amzn-requestid`; errors carry `x-amzn-errortype`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::cognito::protocol;

use super::error::{ApiError, ErrorType, status_of};
use super::ids;
use super::messages;
use super::ops;
use super::sigv4;
use super::state::Shared;

/// The pool's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", post(api))
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
        .with_state(shared)
}

/// `POST /`: one API call. The work runs on a blocking thread (SRP and RSA are CPU
/// work), and a panic there becomes an InternalErrorException, never a dropped connection.
async fn api(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let result = match operation(&headers).and_then(|operation| {
        check_signature(&shared, &operation, &headers, &body).map(|()| operation)
    }) {
        Ok(operation) => {
            let worker = Arc::clone(&shared);
            tokio::task::spawn_blocking(move || ops::dispatch(&worker, &operation, &body))
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
    let mut response = error_response(&error);
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
