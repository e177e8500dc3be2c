//! Remembered devices in the sign-in (see `auth::devices` for the store):
//! - the stored DEVICE_KEY goes on InitiateAuth, and the task answers DEVICE_SRP_AUTH
//!   and DEVICE_PASSWORD_VERIFIER itself, so a remembered device skips MFA where the
//!   pool allows it;
//! - a device the pool no longer knows (ResourceNotFoundException), or whose password
//!   it refuses, is forgotten here and the sign-in starts again without it;
//! - tokens with NewDeviceMetadata lead to ConfirmDevice with a fresh device password,
//!   then "Remember this device?" when the pool leaves that to the person. The tokens
//!   are never lost on the way: a failed device call only earns a notice.

use super::Flow;
use super::calls::{Fields, password_claim};
use super::settle::Settled;
use super::state::{Attempt, Awaiting, Challenge, PendingDevice, Reached};
use crate::auth::Tokens;
use crate::auth::devices::RememberedDevice;
use crate::auth::error::FlowError;
use crate::cognito::types::{
    ConfirmDeviceRequest, DeviceSecretVerifierConfigType, UpdateDeviceStatusRequest,
};
use crate::cognito::{DeviceRememberedStatus, ErrorType};
use crate::crypto::{DeviceVerifier, SrpClient};

/// Error types that mean the pool will not take this device: forget it here.
const DEVICE_REFUSED_KINDS: [ErrorType; 2] =
    [ErrorType::ResourceNotFound, ErrorType::NotAuthorized];

impl Flow {
    /// The device remembered for `username` on this pool and client, if the sign-in uses
    /// devices. A store that cannot be read counts as no device (the sign-in goes on).
    pub(super) fn stored_device(&self, username: &str) -> Option<RememberedDevice> {
        let devices = self.settings.devices.as_ref()?;
        devices
            .store
            .load(
                &self.settings.user_pool_id,
                &self.settings.client_id,
                username,
            )
            .ok()
            .flatten()
    }

    /// Forgets the attempt's device here (the pool no longer takes it).
    pub(super) fn forget_stored_device(&self, attempt: &mut Attempt) {
        if attempt.device.take().is_some()
            && let Some(devices) = &self.settings.devices
        {
            let _ = devices.store.forget(
                &self.settings.user_pool_id,
                &self.settings.client_id,
                &attempt.username,
            );
        }
    }

    /// DEVICE_SRP_AUTH: DEVICE_KEY and a fresh SRP_A; the client is kept for the verifier.
    pub(super) async fn answer_device_srp_auth(
        &self,
        device: &RememberedDevice,
        challenge: &Challenge,
        srp: &mut Option<SrpClient>,
    ) -> Result<crate::cognito::types::AuthResponse, FlowError> {
        let client = SrpClient::new();
        let responses = Fields::from([
            ("DEVICE_KEY".to_owned(), device.device_key.clone()),
            ("SRP_A".to_owned(), client.public_a_hex()),
        ]);
        *srp = Some(client);
        self.respond(challenge, responses)
            .await
            .map_err(device_refusal)
    }

    /// DEVICE_PASSWORD_VERIFIER: the claim signed with realm = device group key and user
    /// id = device key, over the device password.
    pub(super) async fn answer_device_password_verifier(
        &self,
        device: &RememberedDevice,
        srp_client: &SrpClient,
        challenge: &Challenge,
    ) -> Result<crate::cognito::types::AuthResponse, FlowError> {
        let mut responses = password_claim(
            srp_client,
            challenge,
            &device.device_group_key,
            &device.device_key,
            device.device_password.expose(),
        )?;
        responses.insert("DEVICE_KEY".to_owned(), device.device_key.clone());
        self.respond(challenge, responses)
            .await
            .map_err(device_refusal)
    }

    /// Signed in: with NewDeviceMetadata (and a sign-in that keeps devices), confirm
    /// the device, store it, and ask whether to remember it when the pool wants that.
    pub(super) async fn after_sign_in(
        &self,
        attempt: &mut Attempt,
        tokens: Box<Tokens>,
    ) -> Settled {
        let signed_in = |tokens| Ok(Awaiting::SignedIn(tokens).into());
        let (Some(devices), Some(metadata)) = (
            &self.settings.devices,
            tokens.result.new_device_metadata.clone(),
        ) else {
            return signed_in(tokens);
        };
        let (verifier, device_password) =
            DeviceVerifier::random(&metadata.device_group_key, &metadata.device_key);
        let request = ConfirmDeviceRequest {
            access_token: tokens.result.access_token.clone(),
            device_key: metadata.device_key.clone(),
            device_secret_verifier_config: Some(DeviceSecretVerifierConfigType {
                password_verifier: Some(verifier.password_verifier_b64),
                salt: Some(verifier.salt_b64),
            }),
            device_name: Some(devices.device_name.clone()),
        };
        let confirmed = match self.client.confirm_device(&request).await {
            Ok(confirmed) => confirmed,
            Err(error) => {
                return Ok(Reached::with_notice(
                    Awaiting::SignedIn(tokens),
                    format!(
                        "Signed in, but this device could not be registered, so the next sign-in asks for MFA again: {error}"
                    ),
                ));
            }
        };
        let device = RememberedDevice {
            device_key: metadata.device_key.clone(),
            device_group_key: metadata.device_group_key,
            device_password,
            device_name: devices.device_name.clone(),
        };
        // Kept under the name typed (the next sign-in looks it up before the pool says
        // who that is) and under the user's own name (what `tokens` refreshes with).
        let pool = &self.settings.user_pool_id;
        let client = &self.settings.client_id;
        let mut names = vec![attempt.username.clone()];
        if let Some(own) = crate::auth::cache::token_username(&tokens.result)
            && own != attempt.username
        {
            names.push(own);
        }
        for name in &names {
            if let Err(error) = devices.store.save(pool, client, name, &device) {
                return Ok(Reached::with_notice(
                    Awaiting::SignedIn(tokens),
                    format!("Signed in, but {error}."),
                ));
            }
        }
        if !confirmed.user_confirmation_necessary {
            return signed_in(tokens);
        }
        let pending = PendingDevice {
            tokens,
            device_key: metadata.device_key,
            device_name: devices.device_name.clone(),
        };
        Ok(Awaiting::RememberDevice(Box::new(pending)).into())
    }

    /// "Remember this device?" answered: UpdateDeviceStatus, then the tokens (a failed
    /// call only earns a notice: the sign-in has succeeded).
    pub(super) async fn remember_device(&self, pending: &PendingDevice, remember: bool) -> Settled {
        let request = UpdateDeviceStatusRequest {
            access_token: pending.tokens.result.access_token.clone(),
            device_key: pending.device_key.clone(),
            device_remembered_status: Some(DeviceRememberedStatus::of(remember)),
        };
        let signed_in = Awaiting::SignedIn(pending.tokens.clone());
        match self.client.update_device_status(&request).await {
            Ok(_) => Ok(signed_in.into()),
            Err(error) => Ok(Reached::with_notice(
                signed_in,
                format!(
                    "Signed in, but the pool did not record the choice about this device: {error}"
                ),
            )),
        }
    }
}

/// A refusal of the device (unknown, or its password refused) becomes
/// `FlowError::DeviceRefused`, so the sign-in starts again without it.
fn device_refusal(error: FlowError) -> FlowError {
    match &error {
        FlowError::Api(api)
            if api
                .kind()
                .is_some_and(|kind| DEVICE_REFUSED_KINDS.contains(kind)) =>
        {
            FlowError::DeviceRefused
        }
        _ => error,
    }
}
