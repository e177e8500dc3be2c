//! What follows a proved first factor, as Cognito orders it: NEW_PASSWORD_REQUIRED
//! for a temporary password, then the MFA rules of `local_pool::mfa`, then tokens.
//! Also opens the sessions of every challenge and sends the codes they need.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::cognito::types::{AuthResponse, NewDeviceMetadata};
use crate::local_pool::codes;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::mfa::{self, MfaNext};
use crate::local_pool::state::{
    CodePurpose, Locked, Pending, Session, Shared, State, User, UserStatus,
};
use crate::outbox::{Delivery, Medium};
use crate::sensitive::SensitiveString;

use super::{device_auth, session_tokens};

/// The sign-in a challenge belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub pool_id: &'a str,
    pub client_id: &'a str,
    pub username: &'a str,
    /// The DEVICE_KEY the sign-in started with: proved by DEVICE_SRP_AUTH after the
    /// password, and no NewDeviceMetadata at the end.
    pub device_key: Option<&'a str>,
}

/// Opens a session waiting for `pending` and answers with its challenge.
pub fn challenge(
    state: &mut Locked<'_>,
    now: OffsetDateTime,
    who: Who<'_>,
    pending: Pending,
    challenge_parameters: BTreeMap<String, String>,
) -> AuthResponse {
    let name = pending.challenge_name();
    let mut session = Session::new(who.pool_id, who.client_id, who.username, now, pending);
    session.device_key = who.device_key.map(str::to_owned);
    let session = state.open_session(session, now);
    AuthResponse {
        challenge_name: Some(name.to_owned()),
        session: Some(SensitiveString::new(session)),
        challenge_parameters,
        ..AuthResponse::default()
    }
}

/// The tokens of a finished sign-in; a sign-in without a device gets a new one
/// (NewDeviceMetadata) when the pool tracks devices. The tokens are bound to the
/// device the sign-in had, or was just given: refreshing needs its key.
pub fn tokens(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
) -> ApiResult<AuthResponse> {
    let tracked = state.pool(who.pool_id)?.device_tracking.is_some();
    let new_device = match who.device_key {
        None => state
            .pool_mut(who.pool_id)?
            .track_new_device(who.username, shared.clock.now())
            .map(|device| NewDeviceMetadata {
                device_key: device.key.clone(),
                device_group_key: device.group_key.clone(),
            }),
        Some(_) => None,
    };
    let device_key = match &new_device {
        Some(device) => Some(device.device_key.as_str()),
        None => who.device_key.filter(|_| tracked),
    };
    let signed_in = session_tokens::SignedIn {
        pool_id: who.pool_id,
        client_id: who.client_id,
        device_key,
    };
    let mut response = session_tokens::sign_in(shared, state, signed_in, user)?;
    // Signed in: failed attempts are forgotten (`local_pool::lockout`).
    state.signed_in(who.pool_id, who.username);
    if let Some(result) = response.authentication_result.as_mut() {
        result.new_device_metadata = new_device;
    }
    Ok(response)
}

/// After the password: NEW_PASSWORD_REQUIRED for a temporary password, then MFA.
pub fn password_proved(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
) -> ApiResult<AuthResponse> {
    if user.status != UserStatus::ForceChangePassword {
        if who.device_key.is_some() && state.pool(who.pool_id)?.device_tracking.is_some() {
            return Ok(device_auth::challenge(shared, state, who));
        }
        return second_factor(shared, state, who, user);
    }
    let now = shared.clock.now();
    let missing = missing_required(state, who.pool_id, user)?;
    let required: Vec<String> = missing
        .iter()
        .map(|name| format!("userAttributes.{name}"))
        .collect();
    let parameters = BTreeMap::from([
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        (
            "requiredAttributes".to_owned(),
            serde_json::to_string(&required).unwrap_or_else(|_| "[]".to_owned()),
        ),
        (
            "userAttributes".to_owned(),
            serde_json::to_string(&user.visible_attributes()).unwrap_or_else(|_| "{}".to_owned()),
        ),
    ]);
    Ok(challenge(state, now, who, Pending::NewPassword, parameters))
}

/// The pool's required attributes this user has no value for.
pub fn missing_required(state: &State, pool_id: &str, user: &User) -> ApiResult<Vec<String>> {
    Ok(state
        .pool(pool_id)?
        .required_attributes
        .iter()
        .filter(|name| user.attribute(name).is_none())
        .cloned()
        .collect())
}

/// After the first factor (and any new password): the MFA challenge Cognito would
/// issue, or the tokens.
pub fn second_factor(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let next = mfa::next(&state.pool(who.pool_id)?.mfa, &user.mfa, user.reachable());
    let user_id = ("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    match next {
        MfaNext::None => tokens(shared, state, who, user),
        MfaNext::Challenge(factor) => {
            code_challenge(shared, state, who, user, CodePurpose::of_mfa(factor))
        }
        MfaNext::Select(choices) => {
            let parameters = BTreeMap::from([
                ("MFAS_CAN_CHOOSE".to_owned(), mfa::json_list(&choices)),
                user_id,
            ]);
            Ok(challenge(
                state,
                now,
                who,
                Pending::SelectMfa { choices },
                parameters,
            ))
        }
        MfaNext::Setup(options) => {
            let parameters = BTreeMap::from([
                ("MFAS_CAN_SETUP".to_owned(), mfa::json_list(&options)),
                user_id,
            ]);
            Ok(challenge(state, now, who, Pending::MfaSetup, parameters))
        }
    }
}

/// Opens a code challenge: sends a fresh code by SMS or e-mail (to the outbox), or
/// names the authenticator for TOTP.
pub fn code_challenge(
    shared: &Shared,
    state: &mut Locked<'_>,
    who: Who<'_>,
    user: &User,
    purpose: CodePurpose,
) -> ApiResult<AuthResponse> {
    let now = shared.clock.now();
    let mut parameters = BTreeMap::from([("USER_ID_FOR_SRP".to_owned(), user.username.clone())]);
    let code = match purpose {
        CodePurpose::SoftwareToken => {
            if let Some(name) = user
                .mfa
                .software_token
                .as_ref()
                .and_then(|token| token.device_name.clone())
            {
                parameters.insert("FRIENDLY_DEVICE_NAME".to_owned(), name);
            }
            None
        }
        CodePurpose::SmsMfa | CodePurpose::SmsOtp => Some(send(
            shared,
            state,
            who,
            user,
            Medium::Sms,
            purpose,
            &mut parameters,
        )?),
        CodePurpose::EmailMfa | CodePurpose::EmailSetup | CodePurpose::EmailOtp => Some(send(
            shared,
            state,
            who,
            user,
            Medium::Email,
            purpose,
            &mut parameters,
        )?),
    };
    Ok(challenge(
        state,
        now,
        who,
        Pending::Code { purpose, code },
        parameters,
    ))
}

/// Sends a fresh code by `medium` to the user's phone number or address, in the
/// words of the pool's template, and fills in CODE_DELIVERY_DESTINATION and _MEDIUM.
fn send(
    shared: &Shared,
    state: &State,
    who: Who<'_>,
    user: &User,
    medium: Medium,
    purpose: CodePurpose,
    parameters: &mut BTreeMap<String, String>,
) -> ApiResult<SensitiveString> {
    let settings = &state.pool(who.pool_id)?.mfa;
    let (attribute, template) = match medium {
        Medium::Sms => ("phone_number", &settings.sms_message),
        Medium::Email => ("email", &settings.email_message),
    };
    let destination = user
        .attribute(attribute)
        .ok_or_else(|| no_destination(attribute))?;
    let masked = match medium {
        Medium::Sms => codes::mask_phone(destination),
        Medium::Email => codes::mask_email(destination),
    };
    let code = codes::new_code_for(purpose);
    shared.outbox.deliver(Delivery {
        sent: shared.clock.now(),
        pool_id: who.pool_id.to_owned(),
        medium,
        username: user.username.clone(),
        destination: destination.to_owned(),
        text: codes::message(template.as_deref(), &code),
        code: code.clone(),
    });
    parameters.insert("CODE_DELIVERY_DESTINATION".to_owned(), masked);
    parameters.insert(
        "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
        medium.api_name().to_owned(),
    );
    Ok(SensitiveString::new(code))
}

fn no_destination(attribute: &str) -> ApiError {
    ApiError::new(
        ErrorType::InvalidParameter,
        format!("The user has no {attribute} to send a code to; an administrator must add one."),
    )
}
