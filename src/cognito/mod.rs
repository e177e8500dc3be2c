//! The wire: Cognito's JSON 1.1 protocol, one typed async fn per operation.
//! CONTRACT — the wire helper writes the bodies; public signatures are fixed.

pub mod endpoint;
pub mod error;
pub mod types;

pub use endpoint::{Endpoint, region_from_pool_id};
pub use error::ApiError;

use types::*;

/// A Cognito user-pool client bound to one endpoint.
#[derive(Debug, Clone)]
pub struct Client {}

impl Client {
    /// A client for `endpoint` with connect and request timeouts.
    pub fn new(_endpoint: Endpoint) -> Result<Self, ApiError> {
        todo!()
    }

    /// The URL requests go to (for messages).
    pub fn endpoint_url(&self) -> &str {
        todo!()
    }

    /// Any operation: POST with `X-Amz-Target: AWSCognitoIdentityProviderService.<operation>`.
    pub async fn call<Req, Resp>(&self, _operation: &str, _request: &Req) -> Result<Resp, ApiError>
    where
        Req: serde::Serialize + Sync,
        Resp: serde::de::DeserializeOwned,
    {
        todo!()
    }

    /// `InitiateAuth`.
    pub async fn initiate_auth(
        &self,
        request: &InitiateAuthRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("InitiateAuth", request).await
    }

    /// `RespondToAuthChallenge`.
    pub async fn respond_to_auth_challenge(
        &self,
        request: &RespondToAuthChallengeRequest,
    ) -> Result<AuthResponse, ApiError> {
        self.call("RespondToAuthChallenge", request).await
    }
}
