//! MFA settings: the pool's (`SetUserPoolMfaConfig`, `GetUserPoolMfaConfig`) and a
//! user's (`AdminSetUserMFAPreference`, `SetUserMFAPreference`).
//!
//! SetUserPoolMfaConfig describes the whole configuration: a factor whose
//! configuration is left out is turned off (SoftwareTokenMfaConfiguration needs
//! `Enabled: true`); a missing MfaConfiguration keeps the current mode.

use std::collections::BTreeSet;

use crate::cognito::types::{
    AdminSetUserMfaPreferenceRequest, EmailMfaConfigType, Empty, GetUserPoolMfaConfigRequest,
    MfaSettingsType, SetUserMfaPreferenceRequest, SetUserPoolMfaConfigRequest, SmsMfaConfigType,
    SoftwareTokenMfaConfigType, UserPoolMfaConfigResponse,
};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::mfa::{MfaKind, MfaMode, PoolMfa, UserMfa};
use crate::local_pool::state::{Shared, User};

use super::access::token_user;

/// `SetUserPoolMfaConfig`.
pub fn set_pool(
    shared: &Shared,
    request: SetUserPoolMfaConfigRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
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
    pool.mfa = PoolMfa {
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
    };
    Ok(describe(&pool.mfa))
}

/// `GetUserPoolMfaConfig`.
pub fn get_pool(
    shared: &Shared,
    request: GetUserPoolMfaConfigRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
    let state = shared.lock();
    Ok(describe(&state.pool(&request.user_pool_id)?.mfa))
}

fn describe(mfa: &PoolMfa) -> UserPoolMfaConfigResponse {
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
        mfa_configuration: Some(mfa.mode.as_str().to_owned()),
    }
}

/// `AdminSetUserMFAPreference`.
pub fn admin_set_user(
    shared: &Shared,
    request: AdminSetUserMfaPreferenceRequest,
) -> ApiResult<Empty> {
    let mut state = shared.lock();
    let user = state.user_mut(&request.user_pool_id, &request.username)?;
    let settings = [
        (MfaKind::Sms, request.sms_mfa_settings),
        (MfaKind::SoftwareToken, request.software_token_mfa_settings),
        (MfaKind::Email, request.email_mfa_settings),
    ];
    user.mfa = preferences(user, &settings)?;
    Ok(Empty {})
}

/// `SetUserMFAPreference` (with the user's AccessToken).
pub fn set_user(shared: &Shared, request: SetUserMfaPreferenceRequest) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let mut state = shared.lock();
    let user = state.user_mut(&pool_id, &username)?;
    let settings = [
        (MfaKind::Sms, request.sms_mfa_settings),
        (MfaKind::SoftwareToken, request.software_token_mfa_settings),
        (MfaKind::Email, request.email_mfa_settings),
    ];
    user.mfa = preferences(user, &settings)?;
    Ok(Empty {})
}

/// The user's MFA settings with these changes, or the reason they cannot apply.
/// A factor left out is unchanged; enabling needs a way to reach the user.
fn preferences(user: &User, settings: &[(MfaKind, Option<MfaSettingsType>)]) -> ApiResult<UserMfa> {
    let mut mfa = user.mfa.clone();
    let reachable = user.reachable();
    for (factor, setting) in settings {
        let Some(setting) = setting else { continue };
        if setting.enabled {
            if !reachable.by(*factor) {
                let message = match factor {
                    MfaKind::SoftwareToken => "User has not verified software token mfa".to_owned(),
                    other => format!(
                        "User does not have delivery config set to turn on {}",
                        other.api_name()
                    ),
                };
                return Err(ApiError::new(ErrorType::InvalidParameter, message));
            }
            mfa.enabled.insert(*factor);
            if setting.preferred_mfa {
                mfa.preferred = Some(*factor);
            }
        } else {
            if setting.preferred_mfa {
                return Err(ApiError::new(
                    ErrorType::InvalidParameter,
                    format!(
                        "{} cannot be preferred without being enabled.",
                        factor.api_name()
                    ),
                ));
            }
            mfa.enabled.remove(factor);
            if mfa.preferred == Some(*factor) {
                mfa.preferred = None;
            }
        }
    }
    Ok(mfa)
}
