//! The app-client and pool settings that decide which sign-ins run and what an unknown
//! username hears, under Cognito's names: ExplicitAuthFlows (with the API's default and
//! its legacy names), PreventUserExistenceErrors, and the sign-in policy's
//! AllowedFirstAuthFactors.

use serde::{Deserialize, Serialize};

use crate::cognito::FirstFactor;

/// The values `ExplicitAuthFlows` may hold, in the order Cognito's validation message lists them.
pub const KNOWN_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

/// What a client created without ExplicitAuthFlows allows (UserPoolClientType).
pub const DEFAULT_AUTH_FLOWS: [&str; 3] = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
];

/// The names from before the `ALLOW_` ones; Cognito refuses a list that mixes the two.
pub const LEGACY_AUTH_FLOWS: [&str; 3] = [
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];

/// Why an ExplicitAuthFlows list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowsRefusal {
    /// A value Cognito does not define.
    Unknown(String),
    /// Legacy names together with `ALLOW_` names.
    Mixed,
}

/// Checks an ExplicitAuthFlows list: known values only, legacy and `ALLOW_` names apart.
pub fn check_auth_flows(flows: &[String]) -> Result<(), FlowsRefusal> {
    if let Some(unknown) = flows
        .iter()
        .find(|flow| !KNOWN_AUTH_FLOWS.contains(&flow.as_str()))
    {
        return Err(FlowsRefusal::Unknown(unknown.clone()));
    }
    let legacy = flows
        .iter()
        .any(|flow| LEGACY_AUTH_FLOWS.contains(&flow.as_str()));
    let current = flows.iter().any(|flow| flow.starts_with("ALLOW_"));
    if legacy && current {
        return Err(FlowsRefusal::Mixed);
    }
    Ok(())
}

/// The flows a client allows: its ExplicitAuthFlows, or Cognito's default when it has
/// none (an empty list counts as none).
pub fn effective_auth_flows(explicit: Option<&[String]>) -> Vec<String> {
    match explicit {
        Some(flows) if !flows.is_empty() => flows.to_vec(),
        _ => DEFAULT_AUTH_FLOWS
            .iter()
            .map(|&flow| flow.to_owned())
            .collect(),
    }
}

/// Whether `flows` (an effective list) let the AuthFlow `flow` through (USER_SRP_AUTH,
/// USER_PASSWORD_AUTH, CUSTOM_AUTH, USER_AUTH, REFRESH_TOKEN_AUTH or
/// ADMIN_USER_PASSWORD_AUTH).
///
/// - `ALLOW_` lists: `ALLOW_<flow>` must be listed.
/// - Legacy lists (no `ALLOW_` names): SRP, refresh and custom sign-in are always on;
///   USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH turn on their flows;
///   CUSTOM_AUTH_FLOW_ONLY leaves only CUSTOM_AUTH and refresh. USER_AUTH never.
pub fn allows(flows: &[String], flow: &str) -> bool {
    let listed = |name: &str| flows.iter().any(|allowed| allowed == name);
    let legacy = flows
        .iter()
        .any(|allowed| LEGACY_AUTH_FLOWS.contains(&allowed.as_str()));
    if !legacy {
        return listed(&format!("ALLOW_{flow}"));
    }
    if listed("CUSTOM_AUTH_FLOW_ONLY") {
        return matches!(flow, "CUSTOM_AUTH" | "REFRESH_TOKEN_AUTH");
    }
    match flow {
        "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "CUSTOM_AUTH" => true,
        "USER_PASSWORD_AUTH" => listed("USER_PASSWORD_AUTH"),
        "ADMIN_USER_PASSWORD_AUTH" => listed("ADMIN_NO_SRP_AUTH"),
        _ => false,
    }
}

/// `PreventUserExistenceErrors` of an app client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserExistenceErrors {
    /// UserNotFoundException for unknown usernames: the API's default.
    #[default]
    Legacy,
    /// Unknown usernames hear what a wrong password hears (the AWS console's default).
    Enabled,
}

impl UserExistenceErrors {
    /// The value for its API name (`LEGACY`, `ENABLED`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "LEGACY" => Some(Self::Legacy),
            "ENABLED" => Some(Self::Enabled),
            _ => None,
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Legacy => "LEGACY",
            Self::Enabled => "ENABLED",
        }
    }
}

/// The values AllowedFirstAuthFactors may hold.
pub const KNOWN_FIRST_FACTORS: [&str; 4] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

/// Why an AllowedFirstAuthFactors list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorsRefusal {
    /// A value Cognito does not define.
    Unknown(String),
    /// PASSWORD is left out: a pool always allows the password.
    NoPassword,
}

/// Reads AllowedFirstAuthFactors: known values, PASSWORD among them, each once.
pub fn parse_first_factors(names: &[String]) -> Result<Vec<FirstFactor>, FactorsRefusal> {
    if let Some(unknown) = names
        .iter()
        .find(|name| !KNOWN_FIRST_FACTORS.contains(&name.as_str()))
    {
        return Err(FactorsRefusal::Unknown(unknown.clone()));
    }
    if !names.iter().any(|name| name == "PASSWORD") {
        return Err(FactorsRefusal::NoPassword);
    }
    let mut factors: Vec<FirstFactor> = Vec::new();
    for name in names {
        let factor = FirstFactor::from_api_name(name);
        if !factors.contains(&factor) {
            factors.push(factor);
        }
    }
    Ok(factors)
}

/// A pool's first factors when its sign-in policy names none: the password alone.
pub fn default_first_factors() -> Vec<FirstFactor> {
    vec![FirstFactor::Password]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|&name| name.to_owned()).collect()
    }

    #[test]
    fn a_client_without_flows_allows_srp_refresh_and_custom_only() {
        let flows = effective_auth_flows(None);
        for flow in ["USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "CUSTOM_AUTH"] {
            assert!(allows(&flows, flow), "{flow}");
        }
        for flow in [
            "USER_PASSWORD_AUTH",
            "USER_AUTH",
            "ADMIN_USER_PASSWORD_AUTH",
        ] {
            assert!(!allows(&flows, flow), "{flow}");
        }
        assert_eq!(effective_auth_flows(Some(&[])), flows);
    }

    #[test]
    fn allow_names_allow_exactly_their_flow() {
        let flows = list(&["ALLOW_USER_PASSWORD_AUTH"]);
        assert!(allows(&flows, "USER_PASSWORD_AUTH"));
        assert!(!allows(&flows, "USER_SRP_AUTH"));
        assert!(!allows(&flows, "REFRESH_TOKEN_AUTH"));
    }

    #[test]
    fn legacy_names_keep_their_old_meaning() {
        let flows = list(&["USER_PASSWORD_AUTH"]);
        assert!(allows(&flows, "USER_PASSWORD_AUTH"));
        assert!(allows(&flows, "USER_SRP_AUTH"));
        assert!(!allows(&flows, "ADMIN_USER_PASSWORD_AUTH"));
        assert!(!allows(&flows, "USER_AUTH"));
        assert!(allows(
            &list(&["ADMIN_NO_SRP_AUTH"]),
            "ADMIN_USER_PASSWORD_AUTH"
        ));
        let custom_only = list(&["CUSTOM_AUTH_FLOW_ONLY"]);
        assert!(allows(&custom_only, "CUSTOM_AUTH"));
        assert!(!allows(&custom_only, "USER_SRP_AUTH"));
    }

    #[test]
    fn mixed_and_unknown_flow_lists_are_refused() {
        assert_eq!(
            check_auth_flows(&list(&["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"])),
            Err(FlowsRefusal::Mixed)
        );
        assert_eq!(
            check_auth_flows(&list(&["ALLOW_MAGIC"])),
            Err(FlowsRefusal::Unknown("ALLOW_MAGIC".to_owned()))
        );
        assert_eq!(
            check_auth_flows(&list(&["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])),
            Ok(())
        );
    }

    #[test]
    fn first_factors_need_the_password() {
        assert_eq!(
            parse_first_factors(&list(&["EMAIL_OTP"])),
            Err(FactorsRefusal::NoPassword)
        );
        assert_eq!(
            parse_first_factors(&list(&["PASSWORD", "FACE"])),
            Err(FactorsRefusal::Unknown("FACE".to_owned()))
        );
        assert_eq!(
            parse_first_factors(&list(&["PASSWORD", "SMS_OTP", "PASSWORD"])),
            Ok(vec![FirstFactor::Password, FirstFactor::SmsOtp])
        );
    }

    #[test]
    fn user_existence_errors_read_their_api_names() {
        for value in [UserExistenceErrors::Legacy, UserExistenceErrors::Enabled] {
            assert_eq!(UserExistenceErrors::parse(value.as_str()), Some(value));
        }
        assert_eq!(UserExistenceErrors::parse("enabled"), None);
        assert_eq!(UserExistenceErrors::default(), UserExistenceErrors::Legacy);
    }
}
