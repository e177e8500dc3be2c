//! The wire: Cognito's JSON 1.1 protocol, one typed async fn per operation.
//!
//! Every operation is a `POST /` with `Content-Type: application/x-amz-json-1.1` and
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`; the answer is JSON,
//! or an error in one of the shapes [`error`] reads.

pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod error_type;
pub mod names;
pub mod protocol;
pub mod signing;
mod text;
mod transport;
pub mod types;
pub mod webauthn;
pub mod wire_summary;

use std::time::Duration;

pub use endpoint::{Endpoint, region_from_pool_id};
pub use error::ApiError;
pub use error_type::ErrorType;
pub use names::{AuthFlowType, CodeKind, DeviceRememberedStatus, FirstFactor, MfaKind};

use error::ErrorAnswer;
use text::{Redactor, wipe_json};
use types::*;

/// How long connecting may take before the endpoint counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole call (connect, send, answer) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A Cognito user-pool client bound to one endpoint. Cheap to clone (the connection
/// pool is shared). `Debug` shows only the endpoint.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    url: reqwest::Url,
    /// The URL as messages show it: without any user name or password in it.
    shown: String,
    /// Signs the Admin* operations (`--admin`); `None`: nothing is signed.
    signer: Option<std::sync::Arc<signing::Signer>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.shown)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `endpoint` with connect and request timeouts.
    pub fn new(endpoint: Endpoint) -> Result<Self, ApiError> {
        Self::with_timeouts(endpoint, CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// A client with chosen timeouts, so tests need not wait 30 s for a silent server.
    /// Refuses a URL that is not `http://` or `https://` (as `Unreachable`, naming it).
    pub fn with_timeouts(
        endpoint: Endpoint,
        connect: Duration,
        request: Duration,
    ) -> Result<Self, ApiError> {
        let unreachable = |shown: &str, detail: String| ApiError::Unreachable {
            endpoint: shown.to_owned(),
            detail,
        };
        let url = reqwest::Url::parse(endpoint.url.trim())
            .map_err(|error| unreachable(&endpoint.shown(), format!("not a valid URL: {error}")))?;
        let shown = endpoint.shown();
        if !matches!(url.scheme(), "http" | "https") {
            return Err(unreachable(
                &shown,
                "the URL must start with http:// or https://".to_owned(),
            ));
        }
        let http = transport::http_client(connect, request).map_err(|error| {
            unreachable(&shown, format!("the HTTP client could not start: {error}"))
        })?;
        Ok(Self {
            http,
            url,
            shown,
            signer: None,
        })
    }

    /// The same client, signing every call that needs AWS credentials with SigV4.
    pub fn with_signer(mut self, signer: signing::Signer) -> Self {
        self.signer = Some(std::sync::Arc::new(signer));
        self
    }

    /// The SigV4 headers of a call that needs AWS credentials (Admin*, CreateUserPool…)
    /// when a signer is set; none for the public operations, as the SDKs send them.
    fn signature(&self, operation: &str, body: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
        let Some(signer) = self
            .signer
            .as_ref()
            .filter(|_| !signing::is_public(operation))
        else {
            return Ok(Vec::new());
        };
        let target = protocol::target(operation);
        let headers = [
            ("content-type", protocol::CONTENT_TYPE),
            ("x-amz-target", target.as_str()),
        ];
        signer
            .sign(
                self.url.as_str(),
                &headers,
                body,
                std::time::SystemTime::now(),
            )
            .map_err(|detail| ApiError::Signing {
                endpoint: self.shown.clone(),
                detail,
            })
    }

    /// The URL requests go to (for messages).
    pub fn endpoint_url(&self) -> &str {
        &self.shown
    }

    /// Any operation: POST with `X-Amz-Target: AWSCognitoIdentityProviderService.<operation>`.
    /// A 2xx answer is decoded as `Resp` (an empty body counts as `{}`); anything else
    /// becomes an [`ApiError`]. Neither the request nor its secrets ever reach the error.
    pub async fn call<Req, Resp>(&self, operation: &str, request: &Req) -> Result<Resp, ApiError>
    where
        Req: serde::Serialize + Sync,
        Resp: serde::de::DeserializeOwned,
    {
        // Our request types always serialise; this guards a future type that does not.
        let unwritable = |error: serde_json::Error| ApiError::Request {
            endpoint: self.shown.clone(),
            detail: format!("the {operation} request could not be written as JSON: {error}"),
        };
        let mut json = serde_json::to_value(request).map_err(unwritable)?;
        let redactor = Redactor::from_request(&json);
        let body = serde_json::to_vec(&json);
        // What was sent, names and safe values only, for the trace's most detailed level.
        let sent = tracing::enabled!(target: WIRE, tracing::Level::TRACE)
            .then(|| wire_summary::summarize(&json));
        wipe_json(&mut json);
        let body = body.map_err(unwritable)?;

        let signature = self.signature(operation, &body)?;
        let started = std::time::Instant::now();
        let answer = transport::post(
            &self.http,
            &self.url,
            &self.shown,
            operation,
            body,
            signature,
        )
        .await;
        trace_call(operation, &self.shown, started, &answer, sent);
        let answer = answer?;
        if !(200..300).contains(&answer.status) {
            return Err(ErrorAnswer {
                endpoint: &self.shown,
                status: answer.status,
                error_type_header: answer.error_type.as_deref(),
                request_id: answer.request_id.as_deref(),
                location: answer.location.as_deref(),
                body: &answer.body,
            }
            .into_error(&redactor));
        }
        let body: &[u8] = if answer.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &answer.body
        };
        serde_json::from_slice(body).map_err(|error| ApiError::BadResponse {
            endpoint: self.shown.clone(),
            status: answer.status,
            detail: decode_problem(&error),
        })
    }

    /// `InitiateAuth`.
    pub async fn initiate_auth(
        &self,
        request: &InitiateAuthRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("InitiateAuth", request).await
    }

    /// `GetTokensFromRefreshToken`: new tokens for a refresh token, and a new refresh
    /// token when the app client rotates them.
    pub async fn get_tokens_from_refresh_token(
        &self,
        request: &GetTokensFromRefreshTokenRequest,
    ) -> Result<GetTokensFromRefreshTokenResponse, ApiError> {
        self.call("GetTokensFromRefreshToken", request).await
    }

    /// `RespondToAuthChallenge`.
    pub async fn respond_to_auth_challenge(
        &self,
        request: &RespondToAuthChallengeRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("RespondToAuthChallenge", request).await
    }

    /// `AdminInitiateAuth` (signed): starts a sign-in as an administrator.
    pub async fn admin_initiate_auth(
        &self,
        request: &AdminInitiateAuthRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("AdminInitiateAuth", request).await
    }

    /// `AdminRespondToAuthChallenge` (signed): answers a challenge as an administrator.
    pub async fn admin_respond_to_auth_challenge(
        &self,
        request: &AdminRespondToAuthChallengeRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("AdminRespondToAuthChallenge", request).await
    }

    /// `AssociateSoftwareToken`: a TOTP secret for MFA_SETUP (with the challenge's
    /// Session) or for a signed-in user (with an AccessToken).
    pub async fn associate_software_token(
        &self,
        request: &AssociateSoftwareTokenRequest,
    ) -> Result<AssociateSoftwareTokenResponse, ApiError> {
        self.call("AssociateSoftwareToken", request).await
    }

    /// `VerifySoftwareToken`: the authenticator's first code, which completes enrolment.
    pub async fn verify_software_token(
        &self,
        request: &VerifySoftwareTokenRequest,
    ) -> Result<VerifySoftwareTokenResponse, ApiError> {
        self.call("VerifySoftwareToken", request).await
    }

    /// `CreateUserPool`: for tests and the conformance suite, which set up their own pools.
    pub async fn create_user_pool(
        &self,
        request: &CreateUserPoolRequest,
    ) -> Result<UserPoolResponse, ApiError> {
        self.call("CreateUserPool", request).await
    }

    /// `DescribeUserPool`: reads a pool's settings (its MFA configuration, its name).
    pub async fn describe_user_pool(
        &self,
        request: &DescribeUserPoolRequest,
    ) -> Result<UserPoolResponse, ApiError> {
        self.call("DescribeUserPool", request).await
    }

    /// `CreateUserPoolClient`: an app client to sign in through.
    pub async fn create_user_pool_client(
        &self,
        request: &CreateUserPoolClientRequest,
    ) -> Result<UserPoolClientResponse, ApiError> {
        self.call("CreateUserPoolClient", request).await
    }

    /// `DescribeUserPoolClient`: an app client's flows and secret.
    pub async fn describe_user_pool_client(
        &self,
        request: &DescribeUserPoolClientRequest,
    ) -> Result<UserPoolClientResponse, ApiError> {
        self.call("DescribeUserPoolClient", request).await
    }

    /// `AdminCreateUser`: a user, with a temporary password if one is given.
    pub async fn admin_create_user(
        &self,
        request: &AdminCreateUserRequest,
    ) -> Result<AdminCreateUserResponse, ApiError> {
        self.call("AdminCreateUser", request).await
    }

    /// `AdminSetUserPassword`: a permanent (or new temporary) password.
    pub async fn admin_set_user_password(
        &self,
        request: &AdminSetUserPasswordRequest,
    ) -> Result<Empty, ApiError> {
        self.call("AdminSetUserPassword", request).await
    }

    /// `AdminGetUser`: a user's status and attributes.
    pub async fn admin_get_user(
        &self,
        request: &AdminGetUserRequest,
    ) -> Result<AdminGetUserResponse, ApiError> {
        self.call("AdminGetUser", request).await
    }
    /// `GlobalSignOut`: signs the user out of every device by revoking their refresh
    /// tokens (the access token says who).
    pub async fn global_sign_out(&self, request: &AccessTokenRequest) -> Result<Empty, ApiError> {
        self.call("GlobalSignOut", request).await
    }

    /// `RevokeToken`: revokes one refresh token and the access tokens issued with it.
    pub async fn revoke_token(&self, request: &RevokeTokenRequest) -> Result<Empty, ApiError> {
        self.call("RevokeToken", request).await
    }

    /// `ForgotPassword`: sends a code to reset the password, and says where it went.
    pub async fn forgot_password(
        &self,
        request: &ForgotPasswordRequest,
    ) -> Result<ForgotPasswordResponse, ApiError> {
        self.call("ForgotPassword", request).await
    }

    /// `ConfirmForgotPassword`: the code ForgotPassword sent, and the new password.
    pub async fn confirm_forgot_password(
        &self,
        request: &ConfirmForgotPasswordRequest,
    ) -> Result<Empty, ApiError> {
        self.call("ConfirmForgotPassword", request).await
    }

    /// `ConfirmDevice`: registers the device NewDeviceMetadata named, with its verifier.
    pub async fn confirm_device(
        &self,
        request: &ConfirmDeviceRequest,
    ) -> Result<ConfirmDeviceResponse, ApiError> {
        self.call("ConfirmDevice", request).await
    }

    /// `UpdateDeviceStatus`: remembers the device, or not.
    pub async fn update_device_status(
        &self,
        request: &UpdateDeviceStatusRequest,
    ) -> Result<Empty, ApiError> {
        self.call("UpdateDeviceStatus", request).await
    }

    /// `ListDevices`: one page of the signed-in user's devices.
    pub async fn list_devices(
        &self,
        request: &ListDevicesRequest,
    ) -> Result<ListDevicesResponse, ApiError> {
        self.call("ListDevices", request).await
    }

    /// `ForgetDevice`: the signed-in user forgets one of their devices.
    pub async fn forget_device(&self, request: &ForgetDeviceRequest) -> Result<Empty, ApiError> {
        self.call("ForgetDevice", request).await
    }

    /// `GetUser`: the signed-in user's attributes (verified flags included) and MFA
    /// settings, `UserMFASettingList` and `PreferredMfaSetting` (the access token says who).
    pub async fn get_user(
        &self,
        request: &AccessTokenRequest,
    ) -> Result<GetUserResponse, ApiError> {
        self.call("GetUser", request).await
    }

    /// `ChangePassword`: the signed-in user replaces their password (the previous one
    /// proves it is them; a new one the pool's policy refuses is InvalidPasswordException
    /// naming the rule). Tokens already issued stay valid.
    pub async fn change_password(
        &self,
        request: &ChangePasswordRequest,
    ) -> Result<Empty, ApiError> {
        self.call("ChangePassword", request).await
    }

    /// `SetUserMFAPreference`: the signed-in user turns factors on or off and chooses the
    /// preferred one; the next sign-in asks for it.
    pub async fn set_user_mfa_preference(
        &self,
        request: &SetUserMfaPreferenceRequest,
    ) -> Result<Empty, ApiError> {
        self.call("SetUserMFAPreference", request).await
    }

    /// `UpdateUserAttributes`: the signed-in user changes their own attributes; a new
    /// email or phone_number gets a verification code, and the answer says where.
    pub async fn update_user_attributes(
        &self,
        request: &UpdateUserAttributesRequest,
    ) -> Result<UpdateUserAttributesResponse, ApiError> {
        self.call("UpdateUserAttributes", request).await
    }

    /// `GetUserAttributeVerificationCode`: sends the signed-in user a code that verifies
    /// their email or phone_number, and says where it went.
    pub async fn get_user_attribute_verification_code(
        &self,
        request: &GetUserAttributeVerificationCodeRequest,
    ) -> Result<GetUserAttributeVerificationCodeResponse, ApiError> {
        self.call("GetUserAttributeVerificationCode", request).await
    }

    /// `VerifyUserAttribute`: the code that was sent; a right one marks the attribute
    /// verified (what e-mail or SMS MFA set up by the person needs).
    pub async fn verify_user_attribute(
        &self,
        request: &VerifyUserAttributeRequest,
    ) -> Result<Empty, ApiError> {
        self.call("VerifyUserAttribute", request).await
    }

    /// `StartWebAuthnRegistration`: creation options for a new passkey of the signed-in
    /// user (a fresh challenge, the relying party, the user handle, the keys it has).
    pub async fn start_web_authn_registration(
        &self,
        request: &AccessTokenRequest,
    ) -> Result<webauthn::StartWebAuthnRegistrationResponse, ApiError> {
        self.call("StartWebAuthnRegistration", request).await
    }

    /// `CompleteWebAuthnRegistration`: the authenticator's new credential; Cognito
    /// checks it against the challenge it gave and stores it.
    pub async fn complete_web_authn_registration(
        &self,
        request: &webauthn::CompleteWebAuthnRegistrationRequest,
    ) -> Result<Empty, ApiError> {
        self.call("CompleteWebAuthnRegistration", request).await
    }

    /// `ListWebAuthnCredentials`: one page of the signed-in user's passkeys.
    pub async fn list_web_authn_credentials(
        &self,
        request: &webauthn::ListWebAuthnCredentialsRequest,
    ) -> Result<webauthn::ListWebAuthnCredentialsResponse, ApiError> {
        self.call("ListWebAuthnCredentials", request).await
    }

    /// `DeleteWebAuthnCredential`: the signed-in user removes one of their passkeys.
    pub async fn delete_web_authn_credential(
        &self,
        request: &webauthn::DeleteWebAuthnCredentialRequest,
    ) -> Result<Empty, ApiError> {
        self.call("DeleteWebAuthnCredential", request).await
    }

    /// The pool's signing keys, from `<issuer>/.well-known/jwks.json` (a plain GET, not
    /// a JSON 1.1 call), so tokens can be checked.
    pub async fn fetch_jwks(&self, jwks_url: &str) -> Result<jsonwebtoken::jwk::JwkSet, ApiError> {
        let shown = text::one_line(jwks_url, text::MAX_EXCERPT);
        let answer = self.http.get(jwks_url).send().await.map_err(|error| {
            if error.is_timeout() {
                ApiError::Timeout {
                    endpoint: shown.clone(),
                }
            } else {
                ApiError::Unreachable {
                    endpoint: shown.clone(),
                    detail: error.to_string(),
                }
            }
        })?;
        let status = answer.status().as_u16();
        let body = answer
            .bytes()
            .await
            .map_err(|error| ApiError::Unreachable {
                endpoint: shown.clone(),
                detail: error.to_string(),
            })?;
        if !(200..300).contains(&status) {
            return Err(ApiError::BadResponse {
                endpoint: shown,
                status,
                detail: "the pool's JWKS is not there".to_owned(),
            });
        }
        serde_json::from_slice(&body).map_err(|error| ApiError::BadResponse {
            endpoint: shown,
            status,
            detail: format!("not a JWKS: {error}"),
        })
    }
}

/// Why a 2xx body did not decode, without quoting its values (they may be tokens):
/// serde's words with anything in double quotes elided.
fn decode_problem(error: &serde_json::Error) -> String {
    let words = error.to_string();
    let mut elided = String::new();
    for (index, part) in words.split('"').enumerate() {
        elided.push_str(if index % 2 == 1 { "…" } else { part });
    }
    format!(
        "the body is not the expected JSON ({})",
        text::one_line(&elided, text::MAX_EXCERPT)
    )
}
/// The trace's target for calls (`COGNITO_SIGNIN_LOG=cognito_signin::wire=trace`).
pub const WIRE: &str = "cognito_signin::wire";

/// Numbers the calls of this process, so a call's `parameters` line (and the wire
/// panel) can be matched to its `call` line.
static NEXT_CALL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// One call in the debug trace: operation, endpoint, HTTP status, request id, duration,
/// the challenge or error type that came back; at the most detailed level, the names of
/// what was sent and received, with values only where they are not secret. The
/// console's wire panel is drawn from the same two events.
fn trace_call(
    operation: &str,
    endpoint: &str,
    started: std::time::Instant,
    answer: &Result<transport::RawAnswer, ApiError>,
    sent: Option<Vec<String>>,
) {
    if !tracing::enabled!(target: WIRE, tracing::Level::DEBUG) {
        return;
    }
    let call = NEXT_CALL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let duration_ms = started.elapsed().as_millis() as u64;
    let answer = match answer {
        Ok(answer) => answer,
        Err(error) => {
            tracing::debug!(target: WIRE, call, operation, endpoint, duration_ms, failed = %error, "call");
            return;
        }
    };
    let mut received: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
    let challenge = received
        .as_ref()
        .and_then(wire_summary::challenge_name)
        .map(str::to_owned);
    // The error type as the error itself reads it, for an answer that is one.
    let error_type = error::error_type_of(received.as_ref(), answer.error_type.as_deref())
        .filter(|_| !(200..300).contains(&answer.status));
    tracing::debug!(
        target: WIRE,
        call,
        operation,
        endpoint,
        status = answer.status,
        request_id = answer.request_id.as_deref().unwrap_or("-"),
        duration_ms,
        challenge = challenge.as_deref().unwrap_or("-"),
        error_type = error_type.unwrap_or("-"),
        "call"
    );
    if let Some(sent) = sent {
        let received = received
            .as_ref()
            .map(wire_summary::summarize)
            .unwrap_or_default();
        tracing::trace!(
            target: WIRE,
            call,
            operation,
            sent = %wire_summary::join(&sent),
            received = %wire_summary::join(&received),
            "parameters"
        );
    }
    if let Some(body) = received.as_mut() {
        wipe_json(body);
    }
}
