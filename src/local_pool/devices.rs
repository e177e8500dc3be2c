//! Device tracking, as a pool with a DeviceConfiguration does it:
//! - every sign-in made without a DEVICE_KEY gets NewDeviceMetadata: a new device key
//!   (`<region>_<uuid>`) in the user's device group (one group key per user);
//! - ConfirmDevice registers the device's SRP verifier and name. It is remembered at
//!   once, unless the pool leaves that to the person (DeviceOnlyRememberedOnUserPrompt),
//!   who answers with UpdateDeviceStatus;
//! - a sign-in with a DEVICE_KEY proves the device by SRP (DEVICE_SRP_AUTH, then
//!   DEVICE_PASSWORD_VERIFIER) after the password. A remembered device then skips MFA
//!   when the pool says so (ChallengeRequiredOnNewDevice); any other device goes on to
//!   MFA as usual. A device the pool does not know gets ResourceNotFoundException
//!   ("Device does not exist."), as Cognito answers after ForgetDevice.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cognito::DeviceRememberedStatus;
use crate::cognito::types::{AttributeType, DeviceConfigurationType, DeviceType};
use crate::crypto::UserVerifier;
use crate::local_pool::error::{ApiError, ErrorType};
use crate::local_pool::ids;

/// One device of one user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    pub key: String,
    pub group_key: String,
    pub username: String,
    /// DeviceName from ConfirmDevice.
    #[serde(default)]
    pub name: Option<String>,
    /// The verifier ConfirmDevice registered; `None` until then (it cannot sign in).
    #[serde(default)]
    pub verifier: Option<UserVerifier>,
    /// `None` until confirmed and decided; then whether it is remembered.
    #[serde(default)]
    pub remembered: Option<bool>,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_authenticated: Option<OffsetDateTime>,
}

impl Device {
    /// A new, unconfirmed device for `username` in `group_key`, keyed in `pool_id`'s region.
    pub fn new(pool_id: &str, username: &str, group_key: String, now: OffsetDateTime) -> Self {
        let region = pool_id
            .split_once('_')
            .map_or(pool_id, |(region, _)| region);
        Self {
            key: format!("{region}_{}", ids::uuid()),
            group_key,
            username: username.to_owned(),
            name: None,
            verifier: None,
            remembered: None,
            created: now,
            last_modified: now,
            last_authenticated: None,
        }
    }

    /// Whether the device skips MFA under `config`: confirmed, remembered, and the pool
    /// lets a remembered device stand in for MFA.
    pub fn skips_mfa(&self, config: &DeviceConfigurationType) -> bool {
        config.challenge_required_on_new_device
            && self.verifier.is_some()
            && self.remembered == Some(true)
    }

    /// The device as ListDevices shows it.
    pub fn as_device_type(&self) -> DeviceType {
        let attribute = |name: &str, value: &str| AttributeType {
            name: name.to_owned(),
            value: value.to_owned(),
        };
        let mut attributes = vec![attribute("device_status", "valid")];
        if let Some(name) = &self.name {
            attributes.push(attribute("device_name", name));
        }
        let status = DeviceRememberedStatus::of(self.remembered == Some(true));
        attributes.push(attribute("dev:device_remembered_status", status.as_str()));
        let seconds = |at: OffsetDateTime| at.unix_timestamp() as f64;
        DeviceType {
            device_key: Some(self.key.clone()),
            device_attributes: attributes,
            device_create_date: Some(seconds(self.created)),
            device_last_modified_date: Some(seconds(self.last_modified)),
            device_last_authenticated_date: self.last_authenticated.map(seconds),
        }
    }
}

/// What Cognito answers for a device key it does not know (or that is not this user's).
pub fn unknown_device() -> ApiError {
    ApiError::new(ErrorType::ResourceNotFound, "Device does not exist.")
}
