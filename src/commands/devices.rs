//! `cognito-signin devices`: the signed-in user's devices (ListDevices, every page),
//! marking this machine's; `devices forget KEY` (or `forget this`) calls ForgetDevice,
//! and forgetting this machine's device also drops it from the local store.

use crate::auth::devices::DeviceStore;
use crate::cli::{DevicesAction, DevicesArgs, DevicesOutput};
use crate::cognito::types::{DeviceType, ForgetDeviceRequest, ListDevicesRequest};
use serde_json::json;

use super::tokens::refresh_if_expiring;
use super::{Cached, CommandError, print_value};

/// Access tokens this close to expiry are refreshed first.
const MIN_TTL: time::Duration = time::Duration::minutes(1);

/// The most ListDevices pages read (60 devices each): far more than any user has.
const MAX_PAGES: usize = 20;

/// Runs `devices`.
pub async fn run(args: DevicesArgs) -> Result<(), CommandError> {
    let mut cached = Cached::open(&args.pool, args.username.as_deref())?;
    refresh_if_expiring(&mut cached, MIN_TTL).await?;
    let done = match args.action {
        None => list(&cached, args.output).await,
        Some(DevicesAction::Forget { device_key }) => forget(&cached, &device_key).await,
    };
    Ok(done?)
}

/// Every device of the user, as a table on stdout or as JSON.
async fn list(cached: &Cached, output: Option<DevicesOutput>) -> Result<(), String> {
    let mut devices: Vec<DeviceType> = Vec::new();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let page = cached
            .client
            .list_devices(&ListDevicesRequest {
                access_token: cached.entry.authentication_result.access_token.clone(),
                limit: Some(60),
                pagination_token: token.take(),
            })
            .await
            .map_err(|error| format!("could not list the devices: {error}"))?;
        devices.extend(page.devices);
        match page.pagination_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    let this = cached.remembered_device().map(|device| device.device_key);
    match output {
        Some(DevicesOutput::Json) => print_value(&json!({ "Devices": devices })),
        None => {
            println!(
                "{}",
                table(&devices, this.as_deref(), &cached.entry.username)
            );
            Ok(())
        }
    }
}

/// One line per device: key, name, remembered or not, last sign-in; this machine marked.
fn table(devices: &[DeviceType], this: Option<&str>, username: &str) -> String {
    if devices.is_empty() {
        return format!("{username} has no devices.");
    }
    let mut lines = vec![format!("Devices of {username}:")];
    for device in devices {
        let key = device.device_key.as_deref().unwrap_or("?");
        let name = device.attribute("device_name").unwrap_or("(no name)");
        let status = device
            .attribute("dev:device_remembered_status")
            .unwrap_or("not_remembered");
        let last = device
            .device_last_authenticated_date
            .map(|seconds| crate::auth::verify::moment(seconds as i64))
            .map_or_else(String::new, |at| format!("  last signed in {at}"));
        let marker = if Some(key) == this {
            "  (this machine)"
        } else {
            ""
        };
        lines.push(format!("  {key}  {name}  {status}{last}{marker}"));
    }
    lines.join("\n")
}

/// ForgetDevice; `this` means this machine's device, which is then dropped locally too.
async fn forget(cached: &Cached, device_key: &str) -> Result<(), String> {
    let this = cached.remembered_device();
    let key = match (device_key, &this) {
        ("this", Some(device)) => device.device_key.clone(),
        ("this", None) => {
            return Err(format!(
                "this machine has no remembered device for {}; `cognito-signin devices` lists them",
                cached.entry.username
            ));
        }
        (key, _) => key.to_owned(),
    };
    cached
        .client
        .forget_device(&ForgetDeviceRequest {
            access_token: Some(cached.entry.authentication_result.access_token.clone()),
            device_key: key.clone(),
        })
        .await
        .map_err(|error| format!("could not forget the device {key}: {error}"))?;
    if this.is_some_and(|device| device.device_key == key)
        && let Ok(store) = DeviceStore::from_environment()
    {
        let entry = &cached.entry;
        store
            .forget(&entry.user_pool_id, &entry.client_id, &entry.username)
            .map_err(|error| format!("the pool forgot {key}, but {error}"))?;
    }
    eprintln!("cognito-signin: forgot the device {key}; signing in there asks for MFA again");
    Ok(())
}
