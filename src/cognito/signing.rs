//! SigV4 for the Admin* operations, which Cognito only answers for a caller with AWS
//! credentials: the `aws-sigv4` crate signs each request for service `cognito-idp` in
//! the pool's region. Credentials never reach a log or a Debug print.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::sensitive::SensitiveString;

/// The service name in SigV4's credential scope.
pub const SERVICE: &str = "cognito-idp";

/// The operations anyone may call (a user's own, or no caller at all); every other one
/// needs AWS credentials.
pub const PUBLIC_OPERATIONS: &[&str] = &[
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "SignUp",
    "ConfirmSignUp",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "GlobalSignOut",
    "RevokeToken",
    "GetUser",
    "ChangePassword",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "UpdateUserAttributes",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "ListDevices",
    "ForgetDevice",
    "GetDevice",
];

/// Whether `operation` is public: sent unsigned, as the SDKs send it.
pub fn is_public(operation: &str) -> bool {
    PUBLIC_OPERATIONS.contains(&operation)
}

/// An access key, its secret, and the session token of temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: SensitiveString,
    pub session_token: Option<SensitiveString>,
}

impl std::fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Signs requests with one set of credentials for one region.
#[derive(Clone, Debug)]
pub struct Signer {
    credentials: AwsCredentials,
    region: String,
}

impl Signer {
    /// A signer for `region` (the pool's: `us-east-1` of `us-east-1_AbC`).
    pub fn new(credentials: AwsCredentials, region: impl Into<String>) -> Self {
        Self {
            credentials,
            region: region.into(),
        }
    }

    /// The headers that sign a POST of `body` to `url` carrying these `headers`
    /// (`Authorization`, `X-Amz-Date`, and `X-Amz-Security-Token` for temporary
    /// credentials), at `time`.
    pub fn sign(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(String, String)>, String> {
        let identity: Identity = Credentials::new(
            &self.credentials.access_key_id,
            self.credentials.secret_access_key.expose(),
            self.credentials
                .session_token
                .as_ref()
                .map(|token| token.expose().clone()),
            None,
            "cognito-signin",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(SERVICE)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|error| error.to_string())?
            .into();
        let request = SignableRequest::new(
            "POST",
            url,
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .map_err(|error| error.to_string())?;
        let (instructions, _signature) = sign(request, &params)
            .map_err(|error| error.to_string())?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect())
    }
}
