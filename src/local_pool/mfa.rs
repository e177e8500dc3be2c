//! Multi-factor authentication as Cognito decides it: which factors a pool turns on,
//! which a user has, and which challenge follows the first factor.
//!
//! The rules (Cognito's, as its API reference describes them):
//! - pool MFA OFF: no second factor;
//! - a factor counts for a user when the pool turns it on, the user enabled it and
//!   the user can receive it (a phone_number for SMS, an email for e-mail, a verified
//!   authenticator for TOTP);
//! - one such factor, or a preferred one: its code challenge (SMS_MFA, EMAIL_OTP,
//!   SOFTWARE_TOKEN_MFA); several and none preferred: SELECT_MFA_TYPE;
//! - none: OPTIONAL signs the user in; ON falls back to SMS when the user has a phone
//!   number (Cognito's long-standing behaviour), then to a verified authenticator,
//!   and otherwise asks for MFA_SETUP with the factors the pool turns on.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::sensitive::SensitiveString;

/// A second factor, in the order Cognito lists them (shared with the client).
pub use crate::cognito::MfaKind;

/// `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MfaMode {
    #[default]
    Off,
    On,
    Optional,
}

impl MfaMode {
    /// `OFF`, `ON` or `OPTIONAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "OFF",
            Self::On => "ON",
            Self::Optional => "OPTIONAL",
        }
    }

    /// The mode an API value names.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OFF" => Some(Self::Off),
            "ON" => Some(Self::On),
            "OPTIONAL" => Some(Self::Optional),
            _ => None,
        }
    }
}

/// A pool's MFA settings (SetUserPoolMfaConfig).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PoolMfa {
    pub mode: MfaMode,
    /// The factors the pool turns on.
    pub factors: BTreeSet<MfaKind>,
    /// SmsAuthenticationMessage: `{####}` is the code.
    pub sms_message: Option<String>,
    /// EmailMfaConfiguration's Message: `{####}` is the code.
    pub email_message: Option<String>,
    pub email_subject: Option<String>,
}

impl PoolMfa {
    /// Whether users of this pool may turn `factor` on: MFA is not OFF and the pool's
    /// configuration has the factor.
    pub fn allows(&self, factor: MfaKind) -> bool {
        self.mode != MfaMode::Off && self.factors.contains(&factor)
    }
}

/// A verified authenticator app of a user.
#[derive(Clone, Serialize, Deserialize)]
pub struct SoftwareToken {
    /// Base32, as AssociateSoftwareToken handed it out.
    pub secret: SensitiveString,
    #[serde(default)]
    pub device_name: Option<String>,
    /// The last TOTP step counter accepted: codes of this step or earlier are refused,
    /// so a code is never accepted twice.
    #[serde(default)]
    pub last_counter: Option<u64>,
}

/// A user's MFA settings (SetUserMFAPreference).
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserMfa {
    pub enabled: BTreeSet<MfaKind>,
    pub preferred: Option<MfaKind>,
    pub software_token: Option<SoftwareToken>,
    /// A secret AssociateSoftwareToken (with an AccessToken) gave, not yet verified.
    pub pending_secret: Option<SensitiveString>,
}

impl UserMfa {
    /// `PreferredMfaSetting` as AdminGetUser and GetUser answer it.
    pub fn preferred_setting(&self) -> Option<String> {
        self.preferred.map(|factor| factor.api_name().to_owned())
    }

    /// `UserMFASettingList`: the enabled factors, by API name.
    pub fn setting_list(&self) -> Vec<String> {
        self.enabled
            .iter()
            .map(|factor| factor.api_name().to_owned())
            .collect()
    }
}

/// What follows a proved first factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaNext {
    /// No second factor: tokens.
    None,
    /// The code challenge of this factor.
    Challenge(MfaKind),
    /// SELECT_MFA_TYPE among these.
    Select(Vec<MfaKind>),
    /// MFA_SETUP offering these.
    Setup(Vec<MfaKind>),
}

/// What the user can receive, independent of settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reachable {
    pub phone: bool,
    pub email: bool,
    pub authenticator: bool,
}

impl Reachable {
    /// Whether a factor's code can reach the user.
    pub fn by(self, factor: MfaKind) -> bool {
        match factor {
            MfaKind::Sms => self.phone,
            MfaKind::Email => self.email,
            MfaKind::SoftwareToken => self.authenticator,
        }
    }
}

/// Decides the second factor after the first, by the rules in the module docs.
pub fn next(pool: &PoolMfa, user: &UserMfa, reachable: Reachable) -> MfaNext {
    if pool.mode == MfaMode::Off {
        return MfaNext::None;
    }
    let usable: Vec<MfaKind> = MfaKind::ALL
        .into_iter()
        .filter(|factor| {
            pool.factors.contains(factor) && user.enabled.contains(factor) && reachable.by(*factor)
        })
        .collect();
    if let Some(preferred) = user.preferred.filter(|factor| usable.contains(factor)) {
        return MfaNext::Challenge(preferred);
    }
    match usable.as_slice() {
        [only] => return MfaNext::Challenge(*only),
        [_, _, ..] => return MfaNext::Select(usable),
        [] => {}
    }
    if pool.mode == MfaMode::Optional {
        return MfaNext::None;
    }
    for fallback in [MfaKind::Sms, MfaKind::SoftwareToken] {
        if pool.factors.contains(&fallback) && reachable.by(fallback) {
            return MfaNext::Challenge(fallback);
        }
    }
    MfaNext::Setup(pool.factors.iter().copied().collect())
}

/// A JSON array of factor names, as MFAS_CAN_SETUP and MFAS_CAN_CHOOSE carry it.
pub fn json_list(factors: &[MfaKind]) -> String {
    let names: Vec<&str> = factors.iter().map(|factor| factor.api_name()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(mode: MfaMode) -> PoolMfa {
        PoolMfa {
            mode,
            factors: MfaKind::ALL.into_iter().collect(),
            ..PoolMfa::default()
        }
    }

    fn user(enabled: &[MfaKind], preferred: Option<MfaKind>) -> UserMfa {
        UserMfa {
            enabled: enabled.iter().copied().collect(),
            preferred,
            ..UserMfa::default()
        }
    }

    const EVERYWHERE: Reachable = Reachable {
        phone: true,
        email: true,
        authenticator: true,
    };

    #[test]
    fn a_pool_allows_the_factors_it_configures_unless_mfa_is_off() {
        let mut optional = pool(MfaMode::Optional);
        optional.factors.remove(&MfaKind::Sms);
        assert!(optional.allows(MfaKind::Email));
        assert!(!optional.allows(MfaKind::Sms));
        assert!(!pool(MfaMode::Off).allows(MfaKind::Email));
    }

    #[test]
    fn off_never_asks() {
        let next = next(
            &pool(MfaMode::Off),
            &user(&[MfaKind::Sms], None),
            EVERYWHERE,
        );
        assert_eq!(next, MfaNext::None);
    }

    #[test]
    fn a_preferred_factor_wins_and_several_without_one_ask_to_choose() {
        let both = [MfaKind::Sms, MfaKind::Email];
        let optional = pool(MfaMode::Optional);
        assert_eq!(
            next(&optional, &user(&both, Some(MfaKind::Email)), EVERYWHERE),
            MfaNext::Challenge(MfaKind::Email)
        );
        assert_eq!(
            next(&optional, &user(&both, None), EVERYWHERE),
            MfaNext::Select(both.to_vec())
        );
        assert_eq!(next(&optional, &user(&[], None), EVERYWHERE), MfaNext::None);
    }

    #[test]
    fn a_factor_the_user_cannot_receive_does_not_count() {
        let nowhere = Reachable::default();
        assert_eq!(
            next(
                &pool(MfaMode::Optional),
                &user(&[MfaKind::Sms], None),
                nowhere
            ),
            MfaNext::None
        );
    }

    #[test]
    fn on_without_a_factor_asks_for_setup_of_the_pools_factors() {
        let mut on = pool(MfaMode::On);
        on.factors = [MfaKind::SoftwareToken, MfaKind::Email]
            .into_iter()
            .collect();
        assert_eq!(
            next(&on, &user(&[], None), Reachable::default()),
            MfaNext::Setup(vec![MfaKind::SoftwareToken, MfaKind::Email])
        );
        assert_eq!(
            json_list(&[MfaKind::SoftwareToken, MfaKind::Email]),
            r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
        );
    }
}
