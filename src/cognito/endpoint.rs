//! Where requests go. CONTRACT — bodies by the wire helper.

/// A resolved endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
}

impl Endpoint {
    /// `--endpoint-url`, then `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then
    /// `AWS_ENDPOINT_URL`, then `https://cognito-idp.<region>.amazonaws.com/`.
    /// `env` looks a variable up (so tests need not touch the process environment).
    pub fn resolve(
        _explicit: Option<&str>,
        _region: &str,
        _env: impl Fn(&str) -> Option<String>,
    ) -> Self {
        todo!()
    }
}

/// The region of a pool id (`us-east-1_AbC` → `us-east-1`); `None` when the id has no region.
pub fn region_from_pool_id(_pool_id: &str) -> Option<&str> {
    todo!()
}
