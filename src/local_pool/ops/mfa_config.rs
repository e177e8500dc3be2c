//! MFA settings: the pool's (`SetUserPoolMfaConfig`, `GetUserPoolMfaConfig`) and a
//! user's (`AdminSetUserMFAPreference`, `SetUserMFAPreference`).
//!
//! A user's settings are checked against the pool's: a factor the pool's
//! configuration does not turn on cannot be enabled (InvalidParameterException), and
//! where the pool's MFA is ON the user's last enabled factor cannot be turned off.
//!
//! SetUserPoolMfaConfig describes the whole configuration: a factor whose
//! configuration is left out is turned off (SoftwareTokenMfaConfiguration needs
//! `Enabled: true`); a missing MfaConfiguration keeps the current mode.
//!
//! WebAuthnConfiguration (the pool's passkey settings, `local_pool::webauthn`): when
//! sent, RelyingPartyId (1 to 127 characters, a domain name) and UserVerification
//! (`required` or `preferred`) replace the current ones, a member left out taking its
//! default ("localhost", "preferred"); when not sent, the passkey settings stay.

use std::collections::BTreeSet;

use crate::cognito::types::{
    AdminSetUserMfaPreferenceRequest, EmailMfaConfigType, Empty, GetUserPoolMfaConfigRequest,
    MfaSettingsType, SetUserMfaPreferenceRequest, SetUserPoolMfaConfigRequest, SmsMfaConfigType,
    SoftwareTokenMfaConfigType, UserPoolMfaConfigResponse,
};
use crate::cognito::webauthn::WebAuthnConfigType;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::mfa::{MfaKind, MfaMode, PoolMfa, UserMfa};
use crate::local_pool::state::{Shared, User};
use crate::local_pool::webauthn::settings::{
    self as web_authn, UserVerification, WebAuthnSettings,
};

use super::access::token_user;

/// `SetUserPoolMfaConfig`.
pub fn set_pool(
    shared: &Shared,
    request: SetUserPoolMfaConfigRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
    let passkeys = request
        .web_authn_configuration
        .as_ref()
        .map(web_authn_settings)
        .transpose()?;
    let mut state = shared.lock();
    let pool = state.pool_mut(&request.user_pool_id)?;
    let mode = match request.mfa_configuration.as_deref() {
        None => pool.mfa.mode,
        Some(value) => MfaMode::parse(value).ok_or_else(|| {
            ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
            )
        })?,
    };
    let mut factors = BTreeSet::new();
    if request.sms_mfa_configuration.is_some() {
        factors.insert(MfaKind::Sms);
    }
    if request
        .software_token_mfa_configuration
        .is_some_and(|config| config.enabled)
    {
        factors.insert(MfaKind::SoftwareToken);
    }
    if request.email_mfa_configuration.is_some() {
        factors.insert(MfaKind::Email);
    }
    if mode != MfaMode::Off && factors.is_empty() {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "MFA ON or OPTIONAL needs at least one factor: send SmsMfaConfiguration, SoftwareTokenMfaConfiguration with Enabled true, or EmailMfaConfiguration.",
        ));
    }
    pool.set_mfa(PoolMfa {
        mode,
        factors,
        sms_message: request
            .sms_mfa_configuration
            .and_then(|config| config.sms_authentication_message),
        email_message: request
            .email_mfa_configuration
            .as_ref()
            .and_then(|config| config.message.clone()),
        email_subject: request
            .email_mfa_configuration
            .and_then(|config| config.subject),
    });
    if let Some(passkeys) = passkeys {
        pool.set_web_authn(passkeys);
    }
    Ok(describe(&pool.mfa, &pool.web_authn))
}

/// WebAuthnConfiguration checked, with Cognito's validation messages.
fn web_authn_settings(config: &WebAuthnConfigType) -> ApiResult<WebAuthnSettings> {
    let relying_party_id = match config.relying_party_id.as_deref() {
        None => None,
        Some(given) => Some(web_authn::check_rp_id(given).map_err(|problem| {
            ApiError::new(
                ErrorType::InvalidParameter,
                format!("WebAuthnConfiguration.RelyingPartyId is refused: {problem}."),
            )
        })?),
    };
    let user_verification = match config.user_verification.as_deref() {
        None => UserVerification::default(),
        Some(given) => UserVerification::parse(given).ok_or_else(|| {
            ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]",
            )
        })?,
    };
    Ok(WebAuthnSettings {
        relying_party_id,
        user_verification,
    })
}

/// `GetUserPoolMfaConfig`.
pub fn get_pool(
    shared: &Shared,
    request: GetUserPoolMfaConfigRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
    let state = shared.lock();
    let pool = state.pool(&request.user_pool_id)?;
    Ok(describe(&pool.mfa, &pool.web_authn))
}

fn describe(mfa: &PoolMfa, passkeys: &WebAuthnSettings) -> UserPoolMfaConfigResponse {
    UserPoolMfaConfigResponse {
        sms_mfa_configuration: mfa
            .factors
            .contains(&MfaKind::Sms)
            .then(|| SmsMfaConfigType {
                sms_authentication_message: mfa.sms_message.clone(),
                sms_configuration: None,
            }),
        software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType {
            enabled: mfa.factors.contains(&MfaKind::SoftwareToken),
        }),
        email_mfa_configuration: mfa.factors.contains(&MfaKind::Email).then(|| {
            EmailMfaConfigType {
                message: mfa.email_message.clone(),
                subject: mfa.email_subject.clone(),
            }
        }),
        web_authn_configuration: Some(passkeys.as_config()),
        mfa_configuration: Some(mfa.mode.as_str().to_owned()),
    }
}

/// `AdminSetUserMFAPreference`: the same rules as SetUserMFAPreference.
pub fn admin_set_user(
    shared: &Shared,
    request: AdminSetUserMfaPreferenceRequest,
) -> ApiResult<Empty> {
    let settings = [
        (MfaKind::Sms, request.sms_mfa_settings),
        (MfaKind::SoftwareToken, request.software_token_mfa_settings),
        (MfaKind::Email, request.email_mfa_settings),
    ];
    apply(shared, &request.user_pool_id, &request.username, &settings)
}

/// `SetUserMFAPreference` (with the user's AccessToken).
pub fn set_user(shared: &Shared, request: SetUserMfaPreferenceRequest) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let settings = [
        (MfaKind::Sms, request.sms_mfa_settings),
        (MfaKind::SoftwareToken, request.software_token_mfa_settings),
        (MfaKind::Email, request.email_mfa_settings),
    ];
    apply(shared, &pool_id, &username, &settings)
}

/// Applies a user's MFA settings, or refuses them all.
fn apply(
    shared: &Shared,
    pool_id: &str,
    username: &str,
    settings: &[(MfaKind, Option<MfaSettingsType>)],
) -> ApiResult<Empty> {
    let mut state = shared.lock();
    let pool = state.pool(pool_id)?.mfa.clone();
    let user = state.user_mut(pool_id, username)?;
    user.mfa = preferences(&pool, user, settings)?;
    Ok(Empty {})
}

/// The user's MFA settings with these changes, or the reason they cannot apply. A
/// factor left out is unchanged. Turning a factor on needs the pool to allow it and a
/// way to reach the user (a phone_number or an email, verified or not, as Cognito
/// sends MFA codes to unverified ones; a verified authenticator). Where the pool's
/// MFA is ON, the user's last enabled factor cannot be turned off.
fn preferences(
    pool: &PoolMfa,
    user: &User,
    settings: &[(MfaKind, Option<MfaSettingsType>)],
) -> ApiResult<UserMfa> {
    let mut mfa = user.mfa.clone();
    for (factor, setting) in settings {
        let Some(setting) = setting else { continue };
        if setting.enabled {
            enable(pool, user, &mut mfa, *factor, setting.preferred_mfa)?;
        } else {
            disable(&mut mfa, *factor, setting.preferred_mfa)?;
        }
    }
    if pool.mode == MfaMode::On && !user.mfa.enabled.is_empty() && mfa.enabled.is_empty() {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "MFA is required in this user pool: the user's last MFA factor cannot be turned off.",
        ));
    }
    Ok(mfa)
}

/// Turns `factor` on (and makes it preferred when asked), if the pool allows it and
/// it can reach the user.
fn enable(
    pool: &PoolMfa,
    user: &User,
    mfa: &mut UserMfa,
    factor: MfaKind,
    preferred: bool,
) -> ApiResult<()> {
    if !pool.allows(factor) {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!("{} is not enabled for this user pool.", factor.api_name()),
        ));
    }
    if !user.reachable().by(factor) {
        let message = match factor {
            MfaKind::SoftwareToken => "User has not verified software token mfa".to_owned(),
            other => format!(
                "User does not have delivery config set to turn on {}",
                other.api_name()
            ),
        };
        return Err(ApiError::new(ErrorType::InvalidParameter, message));
    }
    mfa.enabled.insert(factor);
    if preferred {
        mfa.preferred = Some(factor);
    }
    Ok(())
}

/// Turns `factor` off; a factor cannot be preferred and off at once.
fn disable(mfa: &mut UserMfa, factor: MfaKind, preferred: bool) -> ApiResult<()> {
    if preferred {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "{} cannot be preferred without being enabled.",
                factor.api_name()
            ),
        ));
    }
    mfa.enabled.remove(&factor);
    if mfa.preferred == Some(factor) {
        mfa.preferred = None;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pool(mode: MfaMode, factors: &[MfaKind]) -> PoolMfa {
        PoolMfa {
            mode,
            factors: factors.iter().copied().collect(),
            ..PoolMfa::default()
        }
    }

    fn on(enabled: bool, preferred: bool) -> Option<MfaSettingsType> {
        Some(MfaSettingsType {
            enabled,
            preferred_mfa: preferred,
        })
    }

    /// A user with an (unverified) e-mail address and a phone number.
    fn reachable_user() -> User {
        let mut user = User::example("chad");
        user.set_attribute("email", "chad@example.com");
        user.set_attribute("phone_number", "+15555550102");
        user
    }

    #[test]
    fn a_factor_the_pool_does_not_allow_is_refused() {
        let user = reachable_user();
        let email_only = pool(MfaMode::Optional, &[MfaKind::Email]);
        let refused = preferences(&email_only, &user, &[(MfaKind::Sms, on(true, false))]);
        let refused = refused.err().unwrap();
        assert_eq!(refused.error_type, ErrorType::InvalidParameter);
        assert_eq!(
            refused.message,
            "SMS_MFA is not enabled for this user pool."
        );
        let off = pool(MfaMode::Off, &[MfaKind::Email]);
        assert!(preferences(&off, &user, &[(MfaKind::Email, on(true, true))]).is_err());
        // Turning a factor off is never refused for that reason.
        assert!(preferences(&email_only, &user, &[(MfaKind::Sms, on(false, false))]).is_ok());
    }

    #[test]
    fn unverified_addresses_can_receive_mfa_codes_and_an_unverified_authenticator_cannot() {
        let user = reachable_user();
        let all = pool(MfaMode::Optional, &MfaKind::ALL);
        let mfa = preferences(&all, &user, &[(MfaKind::Email, on(true, true))]).unwrap();
        assert_eq!(mfa.preferred, Some(MfaKind::Email));
        let refused = preferences(&all, &user, &[(MfaKind::SoftwareToken, on(true, false))]);
        assert_eq!(
            refused.err().map(|e| e.message),
            Some("User has not verified software token mfa".to_owned())
        );
    }

    #[test]
    fn where_mfa_is_on_the_last_factor_stays_and_others_can_go() {
        let mut user = reachable_user();
        user.mfa.enabled = [MfaKind::Email, MfaKind::Sms].into_iter().collect();
        let required = pool(MfaMode::On, &MfaKind::ALL);
        let one_left = preferences(&required, &user, &[(MfaKind::Sms, on(false, false))]).unwrap();
        assert_eq!(one_left.enabled, [MfaKind::Email].into_iter().collect());
        user.mfa = one_left;
        let refused = preferences(&required, &user, &[(MfaKind::Email, on(false, false))]);
        assert_eq!(
            refused.err().map(|e| e.message),
            Some(
                "MFA is required in this user pool: the user's last MFA factor cannot be turned off."
                    .to_owned()
            )
        );
        let optional = pool(MfaMode::Optional, &MfaKind::ALL);
        let none = preferences(&optional, &user, &[(MfaKind::Email, on(false, false))]).unwrap();
        assert!(none.enabled.is_empty());
    }

    #[test]
    fn a_factor_cannot_be_preferred_and_off() {
        let user = reachable_user();
        let all = pool(MfaMode::Optional, &MfaKind::ALL);
        let refused = preferences(&all, &user, &[(MfaKind::Sms, on(false, true))]);
        assert_eq!(
            refused.err().map(|e| e.message),
            Some("SMS_MFA cannot be preferred without being enabled.".to_owned())
        );
    }
}
