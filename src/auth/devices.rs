//! Remembered devices on this machine: the device key, group key and device password
//! Cognito's device SRP needs, one file per (pool, client, username) in the XDG data
//! directory (`$XDG_DATA_HOME/cognito-signin/devices/<pool>/<client>/<username>.json`),
//! folders 0700, files 0600, written atomically like the token cache. `demo` keeps them
//! in memory instead: its pool dies with it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::auth::cache::{APP_DIR, path_part, read_at_most, write_atomically};
use crate::sensitive::SensitiveString;

/// The folder under [`APP_DIR`] that holds the devices.
pub const DEVICES_DIR: &str = "devices";

/// What the device SRP of one remembered device needs. Debug redacts the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RememberedDevice {
    /// NewDeviceMetadata.DeviceKey: the SRP user id, sent as DEVICE_KEY.
    pub device_key: String,
    /// NewDeviceMetadata.DeviceGroupKey: the SRP realm.
    pub device_group_key: String,
    /// The random password whose verifier ConfirmDevice registered.
    pub device_password: SensitiveString,
    /// The DeviceName given to ConfirmDevice.
    pub device_name: String,
}

/// Where a sign-in finds its device, and what it is called when confirmed.
#[derive(Debug, Clone)]
pub struct DeviceSettings {
    pub store: DeviceStore,
    /// DeviceName for ConfirmDevice: `--device-name`, else the host name.
    pub device_name: String,
}

/// Why the device store could not be used. Never quotes a file's content.
#[derive(Debug, thiserror::Error)]
pub enum DeviceStoreError {
    /// No XDG data directory (neither XDG_DATA_HOME nor HOME).
    #[error("there is no data directory for remembered devices (set XDG_DATA_HOME or HOME)")]
    NoDataDir,
    /// A file that is not a device record.
    #[error(
        "the remembered-device file {} is damaged ({detail}); delete it (the next sign-in asks for MFA again)",
        path.display()
    )]
    Broken { path: PathBuf, detail: String },
    /// Reading, writing or deleting failed.
    #[error("could not {action} the remembered-device file {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The largest device file read: a record is a few keys and a password (well under a
/// kilobyte), so a larger file is not one, and is refused without reading it whole.
const MAX_DEVICE_FILE_BYTES: u64 = 64 * 1024;

/// Memory-kept devices, by (pool, client, username).
type MemoryDevices = Arc<Mutex<BTreeMap<(String, String, String), RememberedDevice>>>;

/// The remembered devices: files for real pools, memory for the demo. Cheap to clone.
#[derive(Debug, Clone)]
pub enum DeviceStore {
    /// One file per user under this folder.
    Files(PathBuf),
    /// Kept for the life of the process.
    Memory(MemoryDevices),
}

impl DeviceStore {
    /// The store under the XDG data directory.
    pub fn from_environment() -> Result<Self, DeviceStoreError> {
        use etcetera::BaseStrategy;
        let strategy = etcetera::choose_base_strategy().map_err(|_| DeviceStoreError::NoDataDir)?;
        Ok(Self::at(strategy.data_dir()))
    }

    /// The store under a chosen data directory (tests).
    pub fn at(data_dir: impl Into<PathBuf>) -> Self {
        Self::Files(data_dir.into().join(APP_DIR).join(DEVICES_DIR))
    }

    /// A store that writes nothing to disk.
    pub fn in_memory() -> Self {
        Self::Memory(MemoryDevices::default())
    }

    /// The file of one user's device (`None` for the memory store).
    pub fn path_of(&self, user_pool_id: &str, client_id: &str, username: &str) -> Option<PathBuf> {
        match self {
            Self::Files(root) => Some(
                root.join(path_part(user_pool_id))
                    .join(path_part(client_id))
                    .join(format!("{}.json", path_part(username))),
            ),
            Self::Memory(_) => None,
        }
    }

    /// The device remembered for this user, if any.
    pub fn load(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: &str,
    ) -> Result<Option<RememberedDevice>, DeviceStoreError> {
        let path = match self {
            Self::Memory(devices) => {
                let devices = devices.lock().unwrap_or_else(PoisonError::into_inner);
                return Ok(devices
                    .get(&key(user_pool_id, client_id, username))
                    .cloned());
            }
            Self::Files(_) => self.path_of(user_pool_id, client_id, username),
        };
        let Some(path) = path else {
            return Ok(None);
        };
        let bytes = match read_at_most(&path, MAX_DEVICE_FILE_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return Err(DeviceStoreError::Broken {
                    path,
                    detail: format!(
                        "it is larger than {} KiB, far more than any device record",
                        MAX_DEVICE_FILE_BYTES / 1024
                    ),
                });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(DeviceStoreError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| DeviceStoreError::Broken {
                path,
                // serde_json's message names the line and column, never the content.
                detail: format!("not a device record: {}", error_position(&error)),
            })
    }

    /// Remembers `device` for this user, replacing any earlier one.
    pub fn save(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: &str,
        device: &RememberedDevice,
    ) -> Result<(), DeviceStoreError> {
        let path = match self {
            Self::Memory(devices) => {
                let mut devices = devices.lock().unwrap_or_else(PoisonError::into_inner);
                devices.insert(key(user_pool_id, client_id, username), device.clone());
                return Ok(());
            }
            Self::Files(_) => self.path_of(user_pool_id, client_id, username),
        };
        let Some(path) = path else {
            return Ok(());
        };
        write_atomically(&path, |file| {
            serde_json::to_writer_pretty(&mut *file, device).map_err(std::io::Error::from)
        })
        .map_err(|source| DeviceStoreError::Io {
            action: "write",
            path,
            source,
        })
    }

    /// Forgets this user's device; `Ok(false)` when there was none.
    pub fn forget(
        &self,
        user_pool_id: &str,
        client_id: &str,
        username: &str,
    ) -> Result<bool, DeviceStoreError> {
        let path = match self {
            Self::Memory(devices) => {
                let mut devices = devices.lock().unwrap_or_else(PoisonError::into_inner);
                return Ok(devices
                    .remove(&key(user_pool_id, client_id, username))
                    .is_some());
            }
            Self::Files(_) => self.path_of(user_pool_id, client_id, username),
        };
        let Some(path) = path else {
            return Ok(false);
        };
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(DeviceStoreError::Io {
                action: "delete",
                path,
                source,
            }),
        }
    }
}

fn key(user_pool_id: &str, client_id: &str, username: &str) -> (String, String, String) {
    (
        user_pool_id.to_owned(),
        client_id.to_owned(),
        username.to_owned(),
    )
}

/// "line 3, column 7" for a JSON error.
fn error_position(error: &serde_json::Error) -> String {
    format!("line {}, column {}", error.line(), error.column())
}

/// The name this machine gives ConfirmDevice when `--device-name` is not given.
pub fn host_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_owned();
    if name.is_empty() {
        "cognito-signin".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn device() -> RememberedDevice {
        RememberedDevice {
            device_key: "us-east-1_0f1e2d3c".into(),
            device_group_key: "-group".into(),
            device_password: "device-password-secret".into(),
            device_name: "build-box".into(),
        }
    }

    #[test]
    fn files_are_saved_loaded_and_forgotten_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let store = DeviceStore::at(dir.path());
        assert_eq!(store.load("us-east-1_P", "client", "alice").unwrap(), None);
        store
            .save("us-east-1_P", "client", "alice", &device())
            .unwrap();
        assert_eq!(
            store.load("us-east-1_P", "client", "alice").unwrap(),
            Some(device())
        );
        let path = store.path_of("us-east-1_P", "client", "alice").unwrap();
        assert!(path.ends_with("cognito-signin/devices/us-east-1_P/client/alice.json"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        assert!(store.forget("us-east-1_P", "client", "alice").unwrap());
        assert!(!store.forget("us-east-1_P", "client", "alice").unwrap());
        assert_eq!(store.load("us-east-1_P", "client", "alice").unwrap(), None);
    }

    #[test]
    fn a_crash_mid_write_leaves_the_previous_device_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = DeviceStore::at(dir.path());
        store
            .save("us-east-1_P", "client", "alice", &device())
            .unwrap();
        let path = store.path_of("us-east-1_P", "client", "alice").unwrap();
        let crashed = write_atomically(&path, |file| {
            use std::io::Write;
            file.write_all(b"{\"DeviceKey\": \"half")?;
            Err(std::io::Error::other("the machine stopped here"))
        });
        assert!(crashed.is_err());
        assert_eq!(
            store.load("us-east-1_P", "client", "alice").unwrap(),
            Some(device())
        );
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, ["alice.json"], "no temporary file is left behind");
    }

    #[test]
    fn a_damaged_file_is_named_with_the_fix_and_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let store = DeviceStore::at(dir.path());
        store
            .save("us-east-1_P", "client", "alice", &device())
            .unwrap();
        let path = store.path_of("us-east-1_P", "client", "alice").unwrap();
        std::fs::write(&path, "{\"DevicePassword\": \"leaked-secret").unwrap();
        let error = store
            .load("us-east-1_P", "client", "alice")
            .unwrap_err()
            .to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("delete it"), "{error}");
        assert!(!error.contains("leaked-secret"), "{error}");
    }

    #[test]
    fn the_memory_store_writes_nothing_and_keeps_devices_for_the_process() {
        let store = DeviceStore::in_memory();
        let copy = store.clone();
        store
            .save("us-east-1_P", "client", "alice", &device())
            .unwrap();
        assert_eq!(
            copy.load("us-east-1_P", "client", "alice").unwrap(),
            Some(device())
        );
        assert_eq!(store.path_of("us-east-1_P", "client", "alice"), None);
        assert!(copy.forget("us-east-1_P", "client", "alice").unwrap());
    }

    #[test]
    fn debug_never_shows_the_device_password() {
        assert!(!format!("{:?}", device()).contains("device-password-secret"));
    }
}
