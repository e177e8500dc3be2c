//! Pool files: the TOML that seeds pools, clients and users (`assets/demo-pool.toml`,
//! `serve --pool FILE`). The format is documented at the top of the demo file.
//! Every error names the file, the line and the fix.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::toml_errors;

use super::client_settings::{
    self, FactorsRefusal, FlowsRefusal, KNOWN_AUTH_FLOWS, LEGACY_AUTH_FLOWS, UserExistenceErrors,
};
use super::custom_auth::{CustomAuth, CustomRound, DEFAULT_MAX_WRONG_ANSWERS};
use super::ids;
use super::mfa::{MfaKind, MfaMode, PoolMfa};
use super::rotation::{MAX_GRACE_SECONDS, RefreshTokenRotation};
use super::sign_in_names::SignInNames;
use super::webauthn::settings::{self as web_authn, UserVerification, WebAuthnSettings};
use crate::cognito::FirstFactor;
use crate::cognito::types::{DeviceConfigurationType, RefreshTokenRotationType};
use crate::crypto::totp;
use crate::sensitive::SensitiveString;

/// The contents of a pool file (`assets/demo-pool.toml`, `serve --pool FILE`).
#[derive(Debug, Clone, Default)]
pub struct PoolFile {
    pub(crate) pools: Vec<SeedPool>,
    /// `[[access_key]]`: who may call the signed operations (none: anyone).
    pub(crate) access_keys: Vec<(String, SensitiveString)>,
}

/// A pool file that could not be read; Display names the file, the line and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PoolFileError(pub String);

/// One `[[pool]]`.
#[derive(Debug, Clone)]
pub(crate) struct SeedPool {
    pub id: String,
    pub name: String,
    pub mfa: PoolMfa,
    pub required_attributes: Vec<String>,
    pub custom: CustomAuth,
    /// `[pool.device_tracking]`; absent: devices are not tracked.
    pub device_tracking: Option<DeviceConfigurationType>,
    /// `username_attributes`, `alias_attributes`, `[pool.username_configuration]`.
    pub sign_in: SignInNames,
    /// `[pool.sign_in_policy] allowed_first_auth_factors`; absent: PASSWORD alone.
    pub first_factors: Vec<FirstFactor>,
    /// `[pool.web_authn]`; absent: RP ID "localhost", user verification preferred.
    pub web_authn: WebAuthnSettings,
    pub clients: Vec<SeedClient>,
    pub users: Vec<SeedUser>,
}

/// One `[[pool.client]]`.
#[derive(Debug, Clone)]
pub(crate) struct SeedClient {
    pub id: String,
    pub name: String,
    pub secret: Option<SensitiveString>,
    pub explicit_auth_flows: Option<Vec<String>>,
    pub prevent_user_existence_errors: UserExistenceErrors,
    /// `refresh_token_rotation = { feature = "ENABLED", retry_grace_period_seconds = 10 }`.
    pub refresh_token_rotation: RefreshTokenRotation,
}

/// One `[[pool.user]]`.
#[derive(Debug, Clone)]
pub(crate) struct SeedUser {
    pub username: String,
    pub password: SensitiveString,
    pub temporary: bool,
    pub enabled: bool,
    pub description: String,
    pub attributes: Vec<(String, String)>,
    pub groups: Vec<String>,
    pub mfa_enabled: Vec<MfaKind>,
    pub mfa_preferred: Option<MfaKind>,
    pub totp_secret: Option<SensitiveString>,
    pub totp_device_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    pool: Vec<Spanned<RawPool>>,
    #[serde(default)]
    access_key: Vec<Spanned<RawAccessKey>>,
}

/// `[[access_key]]`: an AWS access key the pool accepts on signed calls.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessKey {
    id: String,
    secret: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    id: Option<Spanned<String>>,
    name: Option<String>,
    mfa: Option<Spanned<String>>,
    mfa_factors: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    required_attributes: Vec<Spanned<String>>,
    custom_max_wrong_answers: Option<Spanned<i64>>,
    #[serde(default)]
    custom_round: Vec<Spanned<RawRound>>,
    device_tracking: Option<RawDeviceTracking>,
    sign_in_policy: Option<Spanned<RawSignInPolicy>>,
    web_authn: Option<RawWebAuthn>,
    #[serde(default)]
    username_attributes: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    alias_attributes: Option<Spanned<Vec<String>>>,
    username_configuration: Option<Spanned<RawUsernameConfiguration>>,
    #[serde(default)]
    client: Vec<Spanned<RawClient>>,
    #[serde(default)]
    user: Vec<Spanned<RawUser>>,
}

/// `[pool.device_tracking]`: Cognito's DeviceConfiguration, in snake case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeviceTracking {
    #[serde(default)]
    challenge_required_on_new_device: bool,
    #[serde(default)]
    device_only_remembered_on_user_prompt: bool,
}

/// `[pool.username_configuration]`: Cognito's UsernameConfiguration, in snake case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsernameConfiguration {
    case_sensitive: bool,
}

/// `[pool.sign_in_policy]`: Cognito's Policies.SignInPolicy, in snake case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignInPolicy {
    #[serde(default)]
    allowed_first_auth_factors: Vec<String>,
}

/// `[pool.web_authn]`: Cognito's WebAuthnConfiguration, in snake case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebAuthn {
    relying_party_id: Option<Spanned<String>>,
    user_verification: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    #[serde(default)]
    parameters: BTreeMap<String, String>,
    answer: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    id: Option<Spanned<String>>,
    name: Option<String>,
    secret: Option<Spanned<String>>,
    explicit_auth_flows: Option<Spanned<Vec<String>>>,
    prevent_user_existence_errors: Option<Spanned<String>>,
    refresh_token_rotation: Option<Spanned<RawRotation>>,
}

/// `refresh_token_rotation = { … }`: Cognito's RefreshTokenRotationType, in snake case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRotation {
    feature: Option<String>,
    retry_grace_period_seconds: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    username: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    #[serde(default)]
    temporary: bool,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    groups: Vec<String>,
    mfa_enabled: Option<Spanned<Vec<String>>>,
    mfa_preferred: Option<Spanned<String>>,
    totp_secret: Option<Spanned<String>>,
    totp_device_name: Option<String>,
}

fn yes() -> bool {
    true
}

/// Reads and checks a pool file.
pub fn load_pool_file(path: &Path) -> Result<PoolFile, PoolFileError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|error| PoolFileError(format!("{name}: cannot read the pool file: {error}")))?;
    parse_pool_file(&text, &name)
}

/// Checks a pool file's text; `file_name` is what errors call it.
pub fn parse_pool_file(text: &str, file_name: &str) -> Result<PoolFile, PoolFileError> {
    let at = |span: Range<usize>, message: String| {
        PoolFileError(toml_errors::at_line(text, file_name, span, &message))
    };
    let raw: RawFile = toml::from_str(text)
        .map_err(|error| PoolFileError(toml_errors::describe(text, file_name, &error)))?;
    if raw.pool.is_empty() {
        return Err(PoolFileError(format!(
            "{file_name}: the file defines no pool; add a [[pool]] table with an id and a name"
        )));
    }

    let mut access_keys = Vec::new();
    for key in raw.access_key {
        let span = key.span();
        let key = key.into_inner();
        if key.id.trim().is_empty() || key.secret.is_empty() {
            return Err(at(
                span,
                "an [[access_key]] needs a non-empty id and secret".to_owned(),
            ));
        }
        access_keys.push((key.id, SensitiveString::from(key.secret)));
    }
    let mut pool_ids = BTreeSet::new();
    let mut client_ids = BTreeSet::new();
    let mut pools = Vec::new();
    for pool in raw.pool {
        let pool_span = pool.span();
        let pool = pool.into_inner();
        let Some(id) = pool.id else {
            return Err(at(
                pool_span,
                "the pool has no id; add id = \"us-east-1_MyPool1\"".into(),
            ));
        };
        let (id_span, id) = (id.span(), id.into_inner());
        if !ids::is_valid_pool_id(&id) {
            return Err(at(
                id_span,
                format!(
                    "pool id '{id}' is not a Cognito pool id; write <region>_<letters and digits>, e.g. \"us-east-1_MyPool1\""
                ),
            ));
        }
        if !pool_ids.insert(id.clone()) {
            return Err(at(
                id_span,
                format!("pool id '{id}' is used twice; give each pool its own id"),
            ));
        }
        let Some(name) = pool.name.filter(|name| !name.is_empty()) else {
            return Err(at(
                pool_span,
                format!("pool '{id}' has no name; add name = \"...\""),
            ));
        };
        let mode = match pool.mfa {
            None => MfaMode::Off,
            Some(mfa) => match MfaMode::parse(mfa.get_ref()) {
                Some(mode) => mode,
                None => {
                    return Err(at(
                        mfa.span(),
                        format!(
                            "pool '{id}' has mfa = \"{}\"; use \"OFF\", \"ON\" or \"OPTIONAL\"",
                            mfa.get_ref()
                        ),
                    ));
                }
            },
        };
        let factors = match pool.mfa_factors {
            None if mode == MfaMode::Off => Default::default(),
            None => MfaKind::ALL.into_iter().collect(),
            Some(names) => {
                let span = names.span();
                let factors = factor_list(names.get_ref()).map_err(|unknown| {
                    at(
                        span.clone(),
                        format!(
                            "pool '{id}' lists the unknown MFA factor \"{unknown}\"; use some of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP"
                        ),
                    )
                })?;
                if factors.is_empty() && mode != MfaMode::Off {
                    return Err(at(
                        span,
                        format!(
                            "pool '{id}' has mfa = \"{}\" but no mfa_factors; list at least one, e.g. [\"SOFTWARE_TOKEN_MFA\"]",
                            mode.as_str()
                        ),
                    ));
                }
                factors.into_iter().collect()
            }
        };
        let mut required_attributes = Vec::new();
        for name in pool.required_attributes {
            let span = name.span();
            let name = name.into_inner();
            if name.is_empty() || name == "sub" || name.chars().any(char::is_whitespace) {
                return Err(at(
                    span,
                    format!(
                        "pool '{id}' requires the attribute '{name}'; name an attribute other than sub, without spaces"
                    ),
                ));
            }
            required_attributes.push(name);
        }
        let lists_span = pool
            .username_attributes
            .as_ref()
            .or(pool.alias_attributes.as_ref())
            .map_or(pool_span.clone(), Spanned::span);
        let case_sensitive = pool
            .username_configuration
            .is_none_or(|configuration| configuration.into_inner().case_sensitive);
        let sign_in = SignInNames::new(
            &pool
                .username_attributes
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            &pool
                .alias_attributes
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            case_sensitive,
        )
        .map_err(|problem| at(lists_span, format!("pool '{id}': {problem}")))?;
        let max_wrong_answers = match pool.custom_max_wrong_answers {
            None => DEFAULT_MAX_WRONG_ANSWERS,
            Some(value) => match u32::try_from(*value.get_ref()) {
                Ok(count) if count >= 1 => count,
                _ => {
                    return Err(at(
                        value.span(),
                        format!(
                            "pool '{id}' has custom_max_wrong_answers = {}; use a whole number of 1 or more",
                            value.get_ref()
                        ),
                    ));
                }
            },
        };
        let mut rounds = Vec::new();
        for round in pool.custom_round {
            let span = round.span();
            let round = round.into_inner();
            let Some(answer) = round.answer.filter(|answer| !answer.trim().is_empty()) else {
                return Err(at(
                    span,
                    format!("a custom_round of pool '{id}' has no answer; add answer = \"...\""),
                ));
            };
            if round.parameters.is_empty() {
                return Err(at(
                    span,
                    format!(
                        "a custom_round of pool '{id}' shows nothing; add parameters = {{ question = \"...\" }}"
                    ),
                ));
            }
            rounds.push(CustomRound {
                parameters: round.parameters,
                answer,
            });
        }

        let first_factors = match pool.sign_in_policy {
            None => client_settings::default_first_factors(),
            Some(policy) => {
                let span = policy.span();
                client_settings::parse_first_factors(&policy.into_inner().allowed_first_auth_factors)
                    .map_err(|refusal| {
                        let problem = match refusal {
                            FactorsRefusal::Unknown(name) => {
                                format!("lists the unknown first factor \"{name}\"")
                            }
                            FactorsRefusal::NoPassword => "leaves out PASSWORD".to_owned(),
                        };
                        at(
                            span,
                            format!(
                                "the sign_in_policy of pool '{id}' {problem}; allowed_first_auth_factors holds PASSWORD and any of EMAIL_OTP, SMS_OTP, WEB_AUTHN"
                            ),
                        )
                    })?
            }
        };

        let web_authn = match pool.web_authn {
            None => WebAuthnSettings::default(),
            Some(raw) => web_authn_settings(raw, &id, &at)?,
        };

        let mut clients = Vec::new();
        for client in pool.client {
            let client_span = client.span();
            let client = client.into_inner();
            let Some(client_id) = client.id else {
                return Err(at(
                    client_span,
                    format!(
                        "a client of pool '{id}' has no id; add id = \"...\" (26 lower-case letters and digits, like Cognito's)"
                    ),
                ));
            };
            let (client_id_span, client_id) = (client_id.span(), client_id.into_inner());
            if !ids::is_valid_word(&client_id, 128) {
                return Err(at(
                    client_id_span,
                    format!(
                        "client id '{client_id}' may only hold letters, digits, '_' and '+' (at most 128)"
                    ),
                ));
            }
            if !client_ids.insert(client_id.clone()) {
                return Err(at(
                    client_id_span,
                    format!("client id '{client_id}' is used twice; give each client its own id"),
                ));
            }
            let Some(client_name) = client.name.filter(|name| !name.is_empty()) else {
                return Err(at(
                    client_span,
                    format!("client '{client_id}' has no name; add name = \"...\""),
                ));
            };
            let secret = match client.secret {
                None => None,
                Some(secret) if ids::is_valid_word(secret.get_ref(), 64) => {
                    Some(SensitiveString::new(secret.into_inner()))
                }
                Some(secret) => {
                    return Err(at(
                        secret.span(),
                        format!(
                            "the secret of client '{client_id}' may only hold letters, digits, '_' and '+' (1 to 64); remove it for a public client"
                        ),
                    ));
                }
            };
            let explicit_auth_flows = match client.explicit_auth_flows {
                None => None,
                Some(flows) => match client_settings::check_auth_flows(flows.get_ref()) {
                    Ok(()) => Some(flows.into_inner()),
                    Err(FlowsRefusal::Unknown(unknown)) => {
                        return Err(at(
                            flows.span(),
                            format!(
                                "client '{client_id}' lists the unknown flow \"{unknown}\"; use some of {}",
                                KNOWN_AUTH_FLOWS.join(", ")
                            ),
                        ));
                    }
                    Err(FlowsRefusal::Mixed) => {
                        return Err(at(
                            flows.span(),
                            format!(
                                "client '{client_id}' mixes the legacy flows ({}) with ALLOW_ flows, which Cognito refuses; use the ALLOW_ names only",
                                LEGACY_AUTH_FLOWS.join(", ")
                            ),
                        ));
                    }
                },
            };
            let prevent_user_existence_errors = match client.prevent_user_existence_errors {
                None => UserExistenceErrors::default(),
                Some(value) => UserExistenceErrors::parse(value.get_ref()).ok_or_else(|| {
                    at(
                        value.span(),
                        format!(
                            "client '{client_id}' has prevent_user_existence_errors = \"{}\"; use \"LEGACY\" or \"ENABLED\"",
                            value.get_ref()
                        ),
                    )
                })?,
            };
            let refresh_token_rotation = match client.refresh_token_rotation {
                None => RefreshTokenRotation::default(),
                Some(raw) => {
                    let span = raw.span();
                    let raw = raw.into_inner();
                    RefreshTokenRotation::from_wire(&RefreshTokenRotationType {
                        feature: raw.feature,
                        retry_grace_period_seconds: raw.retry_grace_period_seconds,
                    })
                    .map_err(|_| {
                        at(
                            span,
                            format!(
                                "client '{client_id}' has a refresh_token_rotation Cognito refuses; write {{ feature = \"ENABLED\" or \"DISABLED\", retry_grace_period_seconds = 0 to {MAX_GRACE_SECONDS} }}"
                            ),
                        )
                    })?
                }
            };
            clients.push(SeedClient {
                id: client_id,
                name: client_name,
                secret,
                explicit_auth_flows,
                prevent_user_existence_errors,
                refresh_token_rotation,
            });
        }

        let mut usernames = BTreeSet::new();
        let mut users = Vec::new();
        for user in pool.user {
            let user_span = user.span();
            let user = user.into_inner();
            let Some(username) = user.username else {
                return Err(at(
                    user_span,
                    format!("a user of pool '{id}' has no username; add username = \"...\""),
                ));
            };
            let (username_span, username) = (username.span(), username.into_inner());
            if username.is_empty()
                || username
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(at(
                    username_span,
                    format!(
                        "username '{username}' is empty or holds white space; use a single word"
                    ),
                ));
            }
            if let Err(refused) = sign_in.check_new_username(&username) {
                return Err(at(
                    username_span,
                    format!(
                        "user '{username}' of pool '{id}': {} Give the username the form the pool signs in with.",
                        refused.message
                    ),
                ));
            }
            let folded = if sign_in.case_sensitive {
                username.clone()
            } else {
                username.to_lowercase()
            };
            if !usernames.insert(folded) {
                return Err(at(
                    username_span,
                    format!(
                        "user '{username}' appears twice in pool '{id}'; give each user their own username"
                    ),
                ));
            }
            let password = match user.password {
                Some(password) if !password.get_ref().is_empty() => password.into_inner(),
                Some(password) => {
                    return Err(at(
                        password.span(),
                        format!(
                            "user '{username}' has an empty password; write password = \"...\""
                        ),
                    ));
                }
                None => {
                    return Err(at(
                        user_span,
                        format!("user '{username}' has no password; add password = \"...\""),
                    ));
                }
            };
            if user.attributes.contains_key("sub") {
                return Err(at(
                    user_span,
                    format!(
                        "user '{username}' sets the attribute 'sub'; remove it, the pool makes one"
                    ),
                ));
            }
            let totp_secret = match user.totp_secret {
                None => None,
                Some(secret) if totp::decode_secret(secret.get_ref()).is_ok() => {
                    Some(SensitiveString::new(secret.into_inner()))
                }
                Some(secret) => {
                    return Err(at(
                        secret.span(),
                        format!(
                            "the totp_secret of user '{username}' is not base32; write letters A-Z and digits 2-7, e.g. \"JBSWY3DPEHPK3PXP\""
                        ),
                    ));
                }
            };
            if user.totp_device_name.is_some() && totp_secret.is_none() {
                return Err(at(
                    user_span,
                    format!(
                        "user '{username}' has a totp_device_name but no totp_secret; add totp_secret = \"...\""
                    ),
                ));
            }
            let mfa_enabled = match user.mfa_enabled {
                None => Vec::new(),
                Some(names) => {
                    let span = names.span();
                    let factors = factor_list(names.get_ref()).map_err(|unknown| {
                        at(
                            span.clone(),
                            format!(
                                "user '{username}' lists the unknown MFA factor \"{unknown}\"; use some of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP"
                            ),
                        )
                    })?;
                    for factor in &factors {
                        let (has, needs) = match factor {
                            MfaKind::Sms => (
                                user.attributes.contains_key("phone_number"),
                                "a phone_number attribute",
                            ),
                            MfaKind::Email => {
                                (user.attributes.contains_key("email"), "an email attribute")
                            }
                            MfaKind::SoftwareToken => (totp_secret.is_some(), "a totp_secret"),
                        };
                        if !has {
                            return Err(at(
                                span.clone(),
                                format!(
                                    "user '{username}' enables {} without {needs}; add it",
                                    factor.api_name()
                                ),
                            ));
                        }
                    }
                    factors
                }
            };
            let mfa_preferred = match user.mfa_preferred {
                None => None,
                Some(name) => match MfaKind::from_api_name(name.get_ref()) {
                    Some(factor) if mfa_enabled.contains(&factor) => Some(factor),
                    _ => {
                        return Err(at(
                            name.span(),
                            format!(
                                "user '{username}' prefers \"{}\"; prefer one of the factors in its mfa_enabled",
                                name.get_ref()
                            ),
                        ));
                    }
                },
            };
            users.push(SeedUser {
                username,
                password: SensitiveString::new(password),
                temporary: user.temporary,
                enabled: user.enabled,
                description: user.description,
                attributes: user.attributes.into_iter().collect(),
                groups: user.groups,
                mfa_enabled,
                mfa_preferred,
                totp_secret,
                totp_device_name: user.totp_device_name,
            });
        }

        pools.push(SeedPool {
            id,
            name,
            mfa: PoolMfa {
                mode,
                factors,
                ..PoolMfa::default()
            },
            required_attributes,
            custom: CustomAuth {
                rounds,
                max_wrong_answers,
            },
            device_tracking: pool
                .device_tracking
                .map(|tracking| DeviceConfigurationType {
                    challenge_required_on_new_device: tracking.challenge_required_on_new_device,
                    device_only_remembered_on_user_prompt: tracking
                        .device_only_remembered_on_user_prompt,
                }),
            sign_in,
            first_factors,
            web_authn,
            clients,
            users,
        });
    }
    Ok(PoolFile { pools, access_keys })
}

/// `[pool.web_authn]` checked: the RP ID a domain name, user verification
/// "required" or "preferred"; an error names the line of the value and the fix.
fn web_authn_settings(
    raw: RawWebAuthn,
    pool_id: &str,
    at: &dyn Fn(Range<usize>, String) -> PoolFileError,
) -> Result<WebAuthnSettings, PoolFileError> {
    let relying_party_id = match raw.relying_party_id {
        None => None,
        Some(given) => {
            let span = given.span();
            let checked = web_authn::check_rp_id(given.get_ref()).map_err(|problem| {
                at(
                    span,
                    format!(
                        "the web_authn relying_party_id of pool '{pool_id}' is refused: {problem}"
                    ),
                )
            })?;
            Some(checked)
        }
    };
    let user_verification = match raw.user_verification {
        None => UserVerification::default(),
        Some(given) => {
            let span = given.span();
            UserVerification::parse(given.get_ref()).ok_or_else(|| {
                at(
                    span,
                    format!(
                        "the web_authn user_verification of pool '{pool_id}' is \"{}\"; write \"required\" or \"preferred\"",
                        given.get_ref()
                    ),
                )
            })?
        }
    };
    Ok(WebAuthnSettings {
        relying_party_id,
        user_verification,
    })
}

/// The factors named, in order; Err(the first unknown name).
fn factor_list(names: &[String]) -> Result<Vec<MfaKind>, String> {
    names
        .iter()
        .map(|name| MfaKind::from_api_name(name).ok_or_else(|| name.clone()))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        match parse_pool_file(text, "demo.toml") {
            Ok(_) => String::from("<no error>"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn the_demo_file_is_valid() {
        let file = parse_pool_file(crate::local_pool::demo::POOL_TOML, "demo-pool.toml").unwrap();
        let pool = &file.pools[0];
        assert_eq!(pool.id, "us-east-1_DemoPool1");
        assert_eq!(pool.name, "cognito-signin demo");
        assert!(pool.users.iter().any(|user| user.username == "alice"));
        assert!(
            pool.users
                .iter()
                .any(|user| user.username == "bob" && user.temporary)
        );
    }

    const GOOD_START: &str = "[[pool]]\nid = \"us-east-1_Test1\"\nname = \"t\"\n";

    #[test]
    fn a_user_without_password_is_named_with_its_line() {
        let text = format!("{GOOD_START}\n[[pool.user]]\nusername = \"bob\"\n");
        let error = error_of(&text);
        assert!(
            error.starts_with("demo.toml line 5: user 'bob' has no password"),
            "{error}"
        );
        assert!(error.contains("add password = \"...\""), "{error}");
    }

    #[test]
    fn duplicate_usernames_are_refused() {
        let text = format!(
            "{GOOD_START}[[pool.user]]\nusername = \"a\"\npassword = \"x\"\n[[pool.user]]\nusername = \"a\"\npassword = \"y\"\n"
        );
        let error = error_of(&text);
        assert!(
            error.starts_with("demo.toml line 8: user 'a' appears twice"),
            "{error}"
        );
    }

    #[test]
    fn bad_pool_ids_are_refused() {
        let error = error_of("[[pool]]\nname = \"t\"\nid = \"DemoPool\"\n");
        assert!(
            error.starts_with("demo.toml line 3: pool id 'DemoPool'"),
            "{error}"
        );
    }

    #[test]
    fn a_clients_refresh_token_rotation_is_read_and_checked() {
        let client = "[[pool.client]]\nid = \"abc\"\nname = \"c\"\n";
        let rotating = format!(
            "{GOOD_START}{client}refresh_token_rotation = {{ feature = \"ENABLED\", retry_grace_period_seconds = 10 }}\n"
        );
        let file = parse_pool_file(&rotating, "demo.toml").unwrap();
        assert_eq!(
            file.pools[0].clients[0].refresh_token_rotation,
            RefreshTokenRotation {
                enabled: true,
                retry_grace_period_seconds: 10
            }
        );
        let plain = parse_pool_file(&format!("{GOOD_START}{client}"), "demo.toml").unwrap();
        assert!(!plain.pools[0].clients[0].refresh_token_rotation.enabled);
        let error = error_of(&format!(
            "{GOOD_START}{client}refresh_token_rotation = {{ feature = \"ENABLED\", retry_grace_period_seconds = 61 }}\n"
        ));
        assert!(
            error.starts_with(
                "demo.toml line 7: client 'abc' has a refresh_token_rotation Cognito refuses"
            ),
            "{error}"
        );
    }

    #[test]
    fn duplicate_pool_and_client_ids_are_refused() {
        let error = error_of(&format!("{GOOD_START}{GOOD_START}"));
        assert!(
            error.starts_with("demo.toml line 5: pool id 'us-east-1_Test1' is used twice"),
            "{error}"
        );
        let client = "[[pool.client]]\nid = \"abc\"\nname = \"c\"\n";
        let error = error_of(&format!("{GOOD_START}{client}{client}"));
        assert!(
            error.starts_with("demo.toml line 8: client id 'abc' is used twice"),
            "{error}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = format!("{GOOD_START}[[pool.user]]\nusername = \"a\"\npasword = \"x\"\n");
        let error = error_of(&text);
        assert!(
            error.starts_with("demo.toml line 6: unknown field `pasword`"),
            "{error}"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let error = error_of("[[pool]]\nid = \"us-east-1_A\"\nname = \n");
        assert!(error.starts_with("demo.toml line 3:"), "{error}");
    }

    #[test]
    fn unknown_flows_and_mfa_values_are_refused() {
        let text = format!(
            "{GOOD_START}[[pool.client]]\nid = \"abc\"\nname = \"c\"\nexplicit_auth_flows = [\"ALLOW_MAGIC\"]\n"
        );
        let error = error_of(&text);
        assert!(
            error.starts_with(
                "demo.toml line 7: client 'abc' lists the unknown flow \"ALLOW_MAGIC\""
            ),
            "{error}"
        );
        let error = error_of("[[pool]]\nid = \"us-east-1_A\"\nname = \"n\"\nmfa = \"SOMETIMES\"\n");
        assert!(error.starts_with("demo.toml line 4:"), "{error}");
    }

    #[test]
    fn the_demo_file_holds_one_user_per_flow() {
        let file = parse_pool_file(crate::local_pool::demo::POOL_TOML, "demo-pool.toml").unwrap();
        let pool = &file.pools[0];
        assert_eq!(pool.mfa.mode, MfaMode::Optional);
        assert_eq!(pool.mfa.factors.len(), 3);
        assert_eq!(pool.required_attributes, vec!["name".to_owned()]);
        assert_eq!(pool.custom.rounds.len(), 2);
        let user = |name: &str| {
            pool.users
                .iter()
                .find(|user| user.username == name)
                .unwrap()
        };
        assert_eq!(user("carol").mfa_preferred, Some(MfaKind::SoftwareToken));
        assert!(user("carol").totp_secret.is_some());
        assert_eq!(user("chad").mfa_enabled, vec![MfaKind::Sms, MfaKind::Email]);
        assert_eq!(user("chad").mfa_preferred, None);
        // pat signs in with a code alone: the policy allows e-mail and SMS codes.
        assert_eq!(
            pool.first_factors,
            vec![
                FirstFactor::Password,
                FirstFactor::EmailOtp,
                FirstFactor::SmsOtp,
                FirstFactor::WebAuthn
            ]
        );
        // Every demo client prevents user-existence errors, as the AWS console's do.
        assert!(
            file.pools
                .iter()
                .flat_map(|pool| &pool.clients)
                .all(|client| {
                    client.prevent_user_existence_errors == UserExistenceErrors::Enabled
                })
        );
        let mfa_on = &file.pools[1];
        assert_eq!(mfa_on.id, "us-east-1_DemoMfaOn");
        assert_eq!(mfa_on.mfa.mode, MfaMode::On);
        // The secret is in carol's description on purpose (to type into an app), but
        // the field itself never prints.
        assert!(!format!("{:?}", user("carol").totp_secret).contains("JBSWY3DP"));
    }

    #[test]
    fn mfa_keys_are_checked_with_their_line() {
        let user = "[[pool.user]]\nusername = \"u\"\npassword = \"p\"\n";
        let error = error_of(&format!("{GOOD_START}{user}mfa_enabled = [\"SMS_MFA\"]\n"));
        assert!(
            error.starts_with(
                "demo.toml line 7: user 'u' enables SMS_MFA without a phone_number attribute"
            ),
            "{error}"
        );
        let error = error_of(&format!("{GOOD_START}{user}mfa_enabled = [\"VOICE\"]\n"));
        assert!(error.contains("unknown MFA factor \"VOICE\""), "{error}");
        let error = error_of(&format!(
            "{GOOD_START}{user}totp_secret = \"JBSWY3DP\"\nmfa_enabled = [\"SOFTWARE_TOKEN_MFA\"]\nmfa_preferred = \"EMAIL_OTP\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 9: user 'u' prefers \"EMAIL_OTP\""),
            "{error}"
        );
        let error = error_of(&format!(
            "{GOOD_START}{user}totp_secret = \"not base32!\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 7: the totp_secret of user 'u' is not base32"),
            "{error}"
        );
        assert!(!error.contains("not base32!\""), "{error}");
        let error = error_of(
            "[[pool]]\nid = \"us-east-1_A\"\nname = \"n\"\nmfa = \"ON\"\nmfa_factors = []\n",
        );
        assert!(error.starts_with("demo.toml line 5:"), "{error}");
        assert!(error.contains("list at least one"), "{error}");
    }

    #[test]
    fn custom_rounds_and_required_attributes_are_checked() {
        let error = error_of(&format!(
            "{GOOD_START}[[pool.custom_round]]\nparameters = {{ q = \"?\" }}\n"
        ));
        assert!(
            error.starts_with("demo.toml line 4: a custom_round"),
            "{error}"
        );
        assert!(error.contains("add answer"), "{error}");
        let error = error_of(&format!(
            "{GOOD_START}[[pool.custom_round]]\nanswer = \"a\"\n"
        ));
        assert!(error.contains("add parameters"), "{error}");
        let error = error_of(&format!("{GOOD_START}required_attributes = [\"sub\"]\n"));
        assert!(error.starts_with("demo.toml line 4:"), "{error}");
        let error = error_of(&format!("{GOOD_START}custom_max_wrong_answers = 0\n"));
        assert!(error.contains("custom_max_wrong_answers = 0"), "{error}");
    }

    #[test]
    fn client_settings_are_checked_with_their_line() {
        let client = "[[pool.client]]\nid = \"abc\"\nname = \"c\"\n";
        let error = error_of(&format!(
            "{GOOD_START}{client}explicit_auth_flows = [\"USER_PASSWORD_AUTH\", \"ALLOW_USER_SRP_AUTH\"]\n"
        ));
        assert!(
            error.starts_with("demo.toml line 7: client 'abc' mixes the legacy flows"),
            "{error}"
        );
        let error = error_of(&format!(
            "{GOOD_START}{client}prevent_user_existence_errors = \"SOMETIMES\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 7: client 'abc' has prevent_user_existence_errors"),
            "{error}"
        );
        let error = error_of(&format!(
            "{GOOD_START}[pool.sign_in_policy]\nallowed_first_auth_factors = [\"EMAIL_OTP\"]\n"
        ));
        assert!(error.contains("leaves out PASSWORD"), "{error}");
        let file = parse_pool_file(&format!("{GOOD_START}{client}"), "demo.toml").unwrap();
        let pool = &file.pools[0];
        assert_eq!(pool.first_factors, vec![FirstFactor::Password]);
        assert_eq!(
            pool.clients[0].prevent_user_existence_errors,
            UserExistenceErrors::Legacy
        );
        assert_eq!(pool.clients[0].explicit_auth_flows, None);
    }

    #[test]
    fn web_authn_settings_are_read_and_checked_with_their_line() {
        let file = parse_pool_file(GOOD_START, "demo.toml").unwrap();
        assert_eq!(file.pools[0].web_authn, WebAuthnSettings::default());
        let text = format!(
            "{GOOD_START}[pool.web_authn]\nrelying_party_id = \"Auth.Example.com\"\nuser_verification = \"required\"\n"
        );
        let file = parse_pool_file(&text, "demo.toml").unwrap();
        let settings = &file.pools[0].web_authn;
        assert_eq!(settings.rp_id(), "auth.example.com");
        assert!(settings.uv_required());
        let error = error_of(&format!(
            "{GOOD_START}[pool.web_authn]\nrelying_party_id = \"https://example.com\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 5: the web_authn relying_party_id"),
            "{error}"
        );
        assert!(error.contains("auth.example.com"), "{error}");
        let error = error_of(&format!(
            "{GOOD_START}[pool.web_authn]\nuser_verification = \"always\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 5: the web_authn user_verification"),
            "{error}"
        );
        assert!(error.contains("\"required\" or \"preferred\""), "{error}");
        let error = error_of(&format!(
            "{GOOD_START}[pool.web_authn]\nrp_id = \"example.com\"\n"
        ));
        assert!(
            error.starts_with("demo.toml line 5: unknown field `rp_id`"),
            "{error}"
        );
    }

    #[test]
    fn an_empty_file_asks_for_a_pool() {
        assert!(error_of("").contains("defines no pool"));
    }

    #[test]
    fn debug_never_shows_passwords() {
        let file = parse_pool_file(crate::local_pool::demo::POOL_TOML, "demo-pool.toml").unwrap();
        assert!(!format!("{file:?}").contains("Demo-Password-1!"));
    }
}
