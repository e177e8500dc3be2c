//! The caller's AWS credentials for `--admin`: the AWS SDK's default chain (the
//! environment, `--profile` or AWS_PROFILE in the shared config and credentials files,
//! SSO, credential_process, then container and instance metadata) when built with the
//! `aws-credentials` feature; without it, the environment variables alone.

use super::signing::AwsCredentials;
use crate::sensitive::SensitiveString;

/// Where the chain looks, for the sentence that says nothing was found.
fn not_found(profile: Option<&str>, detail: &str) -> String {
    let profile = profile.map_or_else(
        || "the default profile (or AWS_PROFILE)".to_owned(),
        |name| format!("the profile '{name}'"),
    );
    format!(
        "--admin needs AWS credentials, and none were found: not in AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY, not in {profile} of ~/.aws/config and ~/.aws/credentials \
         (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE), nor from SSO, \
         credential_process or instance metadata ({detail}). Set the variables, or run \
         `aws configure` or `aws sso login`, or name a profile with --profile."
    )
}

/// The credentials of the default chain, for `region`.
#[cfg(feature = "aws-credentials")]
pub async fn load(profile: Option<&str>, region: &str) -> Result<AwsCredentials, String> {
    use aws_credential_types::provider::ProvideCredentials;
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()));
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    let config = loader.load().await;
    let provider = config
        .credentials_provider()
        .ok_or_else(|| not_found(profile, "no credential provider is configured"))?;
    let credentials = provider.provide_credentials().await.map_err(|error| {
        let detail = error.to_string();
        let detail = detail
            .lines()
            .next()
            .unwrap_or("no provider had credentials");
        not_found(profile, detail)
    })?;
    Ok(AwsCredentials {
        access_key_id: credentials.access_key_id().to_owned(),
        secret_access_key: SensitiveString::from(credentials.secret_access_key()),
        session_token: credentials.session_token().map(SensitiveString::from),
    })
}

/// The credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
/// (this build has no AWS SDK credential chain).
#[cfg(not(feature = "aws-credentials"))]
pub async fn load(profile: Option<&str>, _region: &str) -> Result<AwsCredentials, String> {
    from_variables(|name| std::env::var(name).ok()).ok_or_else(|| {
        not_found(
            profile,
            "this build reads only the environment variables: rebuild with the aws-credentials feature for profiles and SSO",
        )
    })
}

/// Credentials from the standard variables, if both key parts are set.
pub fn from_variables(var: impl Fn(&str) -> Option<String>) -> Option<AwsCredentials> {
    let present = |name: &str| var(name).filter(|value| !value.trim().is_empty());
    Some(AwsCredentials {
        access_key_id: present("AWS_ACCESS_KEY_ID")?,
        secret_access_key: SensitiveString::from(present("AWS_SECRET_ACCESS_KEY")?),
        session_token: present("AWS_SESSION_TOKEN").map(SensitiveString::from),
    })
}
