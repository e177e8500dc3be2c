//! Where requests go: an explicit URL, the AWS SDKs' endpoint variables, or the
//! regional Cognito endpoint named by the user pool id.

use super::text::{MAX_EXCERPT, one_line};

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

    /// The URL as the console shows it (banners, errors): one line, without the user
    /// name or password a URL may carry (`http://user:pass@host/` shows as
    /// `http://host/`), also when it is not a valid URL.
    pub fn shown(&self) -> String {
        let url = self.url.trim();
        match reqwest::Url::parse(url) {
            Ok(parsed) if parsed.has_host() => shown_url(&parsed),
            // Not a URL, or one without a host ("user:pass@host" reads as scheme "user").
            _ => one_line(&without_userinfo(url), MAX_EXCERPT),
        }
    }
}

/// A parsed URL without user name or password.
fn shown_url(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    // Both fail only for URLs that cannot carry credentials, which then have none.
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.to_string()
}

/// Text meant as a URL, with anything before an `@` in its authority (the part after
/// `scheme://`, or from the start, up to the first `/`, `?` or `#`) taken out.
fn without_userinfo(text: &str) -> String {
    let start = text.find("://").map_or(0, |at| at + 3);
    let (head, rest) = text.split_at(start);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{head}{host}{path}"),
        None => text.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(url: &str) -> String {
        Endpoint { url: url.into() }.shown()
    }

    #[test]
    fn a_shown_endpoint_has_no_user_name_or_password() {
        assert_eq!(
            shown("http://user:PASS@127.0.0.1:9229/"),
            "http://127.0.0.1:9229/"
        );
        assert_eq!(
            shown(" https://PASS@example.com/a?b "),
            "https://example.com/a?b"
        );
        assert_eq!(shown("http://127.0.0.1:9229/"), "http://127.0.0.1:9229/");
        // Not valid URLs, yet still without what precedes the '@'.
        assert_eq!(shown("http://user:PASS@host:port/x"), "http://host:port/x");
        assert_eq!(shown("user:PASS@host"), "host");
        assert_eq!(shown("notaurl"), "notaurl");
        assert_eq!(shown("http://host/a@b"), "http://host/a@b");
    }
}
