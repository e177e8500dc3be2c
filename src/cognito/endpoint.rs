//! Where requests go: an explicit URL, the AWS SDKs' endpoint variables, or the
//! regional Cognito endpoint named by the user pool id.

/// The variable the AWS SDKs read for this service's endpoint.
pub const SERVICE_ENDPOINT_VAR: &str = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER";

/// The variable the AWS SDKs read for every service's endpoint.
pub const GLOBAL_ENDPOINT_VAR: &str = "AWS_ENDPOINT_URL";

/// A resolved endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
}

impl Endpoint {
    /// `--endpoint-url`, then `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then
    /// `AWS_ENDPOINT_URL`, then `https://cognito-idp.<region>.amazonaws.com/`.
    /// `env` looks a variable up (so tests need not touch the process environment).
    /// Empty (or blank) values count as unset, as in the AWS SDKs. The region is used
    /// as given: take it from [`region_from_pool_id`], which refuses odd ones.
    pub fn resolve(
        explicit: Option<&str>,
        region: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let given = explicit
            .map(str::to_owned)
            .into_iter()
            .chain(
                [SERVICE_ENDPOINT_VAR, GLOBAL_ENDPOINT_VAR]
                    .into_iter()
                    .filter_map(&env),
            )
            .map(|url| url.trim().to_owned())
            .find(|url| !url.is_empty());
        let url = given.unwrap_or_else(|| Self::regional(region).url);
        Self { url }
    }

    /// The public Cognito user pool endpoint of a region.
    pub fn regional(region: &str) -> Self {
        Self {
            url: format!("https://cognito-idp.{region}.amazonaws.com/"),
        }
    }
}

/// The region of a pool id (`us-east-1_AbC` → `us-east-1`); `None` when the id has no region.
/// Only lower-case letters, digits and `-` make a region: the region becomes part of a
/// host name, so a pool id must not be able to point requests at another host.
pub fn region_from_pool_id(pool_id: &str) -> Option<&str> {
    let (region, _) = pool_id.split_once('_')?;
    let plausible = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    plausible.then_some(region)
}
