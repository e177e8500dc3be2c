//! The device operations (see `local_pool::devices` for the rules): ConfirmDevice,
//! UpdateDeviceStatus, ListDevices and ForgetDevice for the signed-in user, and
//! AdminListDevices and AdminForgetDevice for an administrator.

use crate::cognito::DeviceRememberedStatus;
use crate::cognito::types::{
    AdminForgetDeviceRequest, AdminListDevicesRequest, ConfirmDeviceRequest, ConfirmDeviceResponse,
    DeviceType, Empty, ForgetDeviceRequest, ListDevicesRequest, ListDevicesResponse,
    UpdateDeviceStatusRequest,
};
use crate::crypto::{DeviceVerifier, UserVerifier};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{Pool, Shared};

use super::access::token_user;

/// The most devices one ListDevices page holds (Cognito's Limit maximum).
const MAX_PAGE: usize = 60;

/// `ConfirmDevice`: the device's verifier and name. Remembered at once unless the pool
/// leaves it to the person, which UserConfirmationNecessary says.
pub fn confirm_device(
    shared: &Shared,
    request: ConfirmDeviceRequest,
) -> ApiResult<ConfirmDeviceResponse> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let config = request.device_secret_verifier_config.unwrap_or_default();
    let (Some(password_verifier_b64), Some(salt_b64)) = (config.password_verifier, config.salt)
    else {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "DeviceSecretVerifierConfig needs PasswordVerifier and Salt.",
        ));
    };
    let verifier = UserVerifier::from_device_verifier(&DeviceVerifier {
        password_verifier_b64,
        salt_b64,
    })
    .map_err(|_| {
        ApiError::new(
            ErrorType::InvalidParameter,
            "DeviceSecretVerifierConfig is not base64 of an SRP verifier and salt.",
        )
    })?;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let pool = state.pool_mut(&pool_id)?;
    let on_prompt = pool
        .device_tracking
        .is_some_and(|config| config.device_only_remembered_on_user_prompt);
    let device = pool.device_of_mut(&username, &request.device_key)?;
    device.verifier = Some(verifier);
    device.name = request.device_name.filter(|name| !name.trim().is_empty());
    device.remembered = (!on_prompt).then_some(true);
    device.last_modified = now;
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: on_prompt,
    })
}

/// `UpdateDeviceStatus`: `remembered` or `not_remembered`.
pub fn update_device_status(
    shared: &Shared,
    request: UpdateDeviceStatusRequest,
) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let remembered = match request.device_remembered_status {
        Some(DeviceRememberedStatus::Remembered) => true,
        Some(DeviceRememberedStatus::NotRemembered) => false,
        Some(DeviceRememberedStatus::Unknown(_)) | None => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
            ));
        }
    };
    let now = shared.clock.now();
    let mut state = shared.lock();
    let device = state
        .pool_mut(&pool_id)?
        .device_of_mut(&username, &request.device_key)?;
    device.remembered = Some(remembered);
    device.last_modified = now;
    Ok(Empty {})
}

/// `ListDevices`: the signed-in user's confirmed devices.
pub fn list_devices(
    shared: &Shared,
    request: ListDevicesRequest,
) -> ApiResult<ListDevicesResponse> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let state = shared.lock();
    page(
        state.pool(&pool_id)?,
        &username,
        request.limit,
        request.pagination_token.as_deref(),
    )
}

/// `AdminListDevices`: a user's confirmed devices.
pub fn admin_list_devices(
    shared: &Shared,
    request: AdminListDevicesRequest,
) -> ApiResult<ListDevicesResponse> {
    let state = shared.lock();
    state.user(&request.user_pool_id, &request.username)?;
    page(
        state.pool(&request.user_pool_id)?,
        &request.username,
        request.limit,
        request.pagination_token.as_deref(),
    )
}

/// `ForgetDevice`: the signed-in user forgets one of their devices.
pub fn forget_device(shared: &Shared, request: ForgetDeviceRequest) -> ApiResult<Empty> {
    let access_token = request
        .access_token
        .ok_or_else(|| ApiError::missing("AccessToken"))?;
    let (pool_id, username) = token_user(shared, access_token.expose())?;
    forget(shared, &pool_id, &username, &request.device_key)
}

/// `AdminForgetDevice`: an administrator forgets one of a user's devices.
pub fn admin_forget_device(shared: &Shared, request: AdminForgetDeviceRequest) -> ApiResult<Empty> {
    shared
        .lock()
        .user(&request.user_pool_id, &request.username)?;
    forget(
        shared,
        &request.user_pool_id,
        &request.username,
        &request.device_key,
    )
}

/// Removes the device, or ResourceNotFoundException when the user has no such device.
fn forget(shared: &Shared, pool_id: &str, username: &str, device_key: &str) -> ApiResult<Empty> {
    let mut state = shared.lock();
    let pool = state.pool_mut(pool_id)?;
    pool.device_of(username, device_key)?;
    pool.remove_device(device_key);
    Ok(Empty {})
}

/// One page of a user's confirmed devices, oldest first; the token is the next device key.
fn page(
    pool: &Pool,
    username: &str,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<ListDevicesResponse> {
    let limit = match limit {
        None => MAX_PAGE,
        Some(limit @ 1..=60) => limit as usize,
        Some(_) => {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 0 and 60",
            ));
        }
    };
    let mut devices: Vec<_> = pool
        .devices()
        .values()
        .filter(|device| device.username == username && device.verifier.is_some())
        .collect();
    devices.sort_by(|a, b| (a.created, &a.key).cmp(&(b.created, &b.key)));
    let start = match after {
        None => 0,
        Some(key) => devices
            .iter()
            .position(|device| device.key == key)
            .ok_or_else(|| {
                ApiError::new(ErrorType::InvalidParameter, "Invalid pagination token.")
            })?,
    };
    let shown: Vec<DeviceType> = devices
        .iter()
        .skip(start)
        .take(limit)
        .map(|device| device.as_device_type())
        .collect();
    let pagination_token = devices.get(start + limit).map(|device| device.key.clone());
    Ok(ListDevicesResponse {
        devices: shown,
        pagination_token,
    })
}
