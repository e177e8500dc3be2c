//! The software passkeys' key files: one file per credential,
//! `$XDG_DATA_HOME/cognito-signin/passkeys/<rp id>/<credential id>.json` (each part
//! through `path_part`, so `auth.example.com` is `auth%2Eexample%2Ecom`), folders 0700,
//! files 0600, written atomically like the token cache.
//!
//! One file per credential (not per rp and user) because each credential changes on its
//! own: a sign-in rewrites one counter, `forget` deletes one file, and an account may hold
//! two passkeys on one machine (a second registration after the first was deleted on the
//! server). No file is ever read, changed and written back on another's behalf. The rp
//! folder keeps a sign-in's search to the keys of that one site.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{BASE64URL, PasskeyError};
use crate::auth::cache::{APP_DIR, path_part, read_at_most, write_atomically};
use crate::sensitive::SensitiveString;

/// The folder under [`APP_DIR`] that holds the passkeys.
pub const PASSKEYS_DIR: &str = "passkeys";

/// The largest key file read: a record is a 138-byte key and a few names (under a
/// kilobyte), so a larger file is not one, and is refused without reading it whole.
const MAX_PASSKEY_FILE_BYTES: u64 = 64 * 1024;

/// The software passkeys of this machine, as files under one folder. Debug shows the
/// folder only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoftwarePasskeys {
    root: PathBuf,
}

/// One held passkey, as `list` shows it: everything but the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPasskey {
    /// Base64url of the credential id, as Cognito lists it.
    pub credential_id: String,
    /// The domain the passkey signs in to.
    pub rp_id: String,
    /// Base64url of the user handle the server gave at registration.
    pub user_handle: String,
    /// The account's name at registration.
    pub user_name: String,
    /// The signature counter of the last signature.
    pub sign_count: u32,
    /// When the passkey was made.
    pub created_at: OffsetDateTime,
    /// The key file.
    pub path: PathBuf,
}

/// What a key file holds. Debug redacts the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct StoredPasskey {
    /// Base64url (no padding) of the credential id; also the file's name.
    pub credential_id: String,
    /// The domain the key signs for; authenticatorData carries its SHA-256.
    pub rp_id: String,
    /// Base64url of the user handle (`user.id` of the creation options).
    pub user_handle: String,
    /// `user.name` of the creation options, for `list`.
    pub user_name: String,
    /// The counter the last signature carried (0 after registration).
    pub sign_count: u32,
    /// When the key was made, for `list`.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Base64 (standard) of the P-256 private key as PKCS#8 DER.
    pub private_key_pkcs8: SensitiveString,
}

impl SoftwarePasskeys {
    /// The passkeys under the XDG data directory, where the console keeps them.
    pub fn in_data_dir() -> Result<Self, PasskeyError> {
        use etcetera::BaseStrategy;
        let strategy = etcetera::choose_base_strategy().map_err(|_| PasskeyError::NoDataDir)?;
        Ok(Self::at(strategy.data_dir()))
    }

    /// The passkeys under a chosen data directory (`<dir>/cognito-signin/passkeys`), for
    /// tests and the demo.
    pub fn at(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            root: data_dir.into().join(APP_DIR).join(PASSKEYS_DIR),
        }
    }

    /// The folder holding one folder per relying party, to show the person.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this machine holds a passkey for `rp_id` that the server will accept:
    /// one named in `allow` (its allowCredentials), or any when `allow` is empty. Lets
    /// the console say "no passkey for this account on this machine" before trying.
    pub fn held_for(
        &self,
        rp_id: &str,
        allow: &[crate::cognito::webauthn::CredentialDescriptor],
    ) -> Result<bool, PasskeyError> {
        let held = self.held_at(rp_id)?;
        Ok(held
            .iter()
            .any(|(_, passkey)| allow.is_empty() || is_named(passkey, allow)))
    }

    /// Every passkey held on this machine, oldest first.
    pub fn list(&self) -> Result<Vec<HeldPasskey>, PasskeyError> {
        let mut all = Vec::new();
        for rp_dir in sorted_entries(&self.root)? {
            if rp_dir.is_dir() {
                all.extend(
                    read_folder(&rp_dir)?
                        .into_iter()
                        .map(|(path, passkey)| held(path, &passkey)),
                );
            }
        }
        all.sort_by(|a, b| (a.created_at, &a.path).cmp(&(b.created_at, &b.path)));
        Ok(all)
    }

    /// Deletes the key file of a credential (after DeleteWebAuthnCredential, say);
    /// `Ok(false)` when this machine held no such credential.
    pub fn forget(&self, credential_id_b64url: &str) -> Result<bool, PasskeyError> {
        let Ok(id) = BASE64URL.decode(credential_id_b64url) else {
            return Ok(false);
        };
        let file_name = file_name_of(&BASE64URL.encode(id));
        let mut forgot = false;
        for rp_dir in sorted_entries(&self.root)? {
            let path = rp_dir.join(&file_name);
            match std::fs::remove_file(&path) {
                Ok(()) => forgot = true,
                Err(error)
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) => {}
                Err(source) => {
                    return Err(PasskeyError::Io {
                        action: "delete",
                        path,
                        source,
                    });
                }
            }
        }
        Ok(forgot)
    }

    /// The file of a credential of `rp_id`.
    pub(crate) fn path_of(&self, rp_id: &str, credential_id_b64url: &str) -> PathBuf {
        self.root
            .join(path_part(rp_id))
            .join(file_name_of(credential_id_b64url))
    }

    /// The passkeys held for `rp_id`, with their files, oldest first.
    pub(crate) fn held_at(
        &self,
        rp_id: &str,
    ) -> Result<Vec<(PathBuf, StoredPasskey)>, PasskeyError> {
        let mut held = read_folder(&self.root.join(path_part(rp_id)))?;
        held.retain(|(_, passkey)| passkey.rp_id == rp_id);
        held.sort_by(|a, b| (a.1.created_at, &a.0).cmp(&(b.1.created_at, &b.0)));
        Ok(held)
    }

    /// Writes a key file atomically (0600, folders 0700), replacing the previous one.
    pub(crate) fn save(&self, passkey: &StoredPasskey) -> Result<PathBuf, PasskeyError> {
        let path = self.path_of(&passkey.rp_id, &passkey.credential_id);
        write_atomically(&path, |file| {
            serde_json::to_writer_pretty(&mut *file, passkey).map_err(std::io::Error::from)
        })
        .map_err(|source| PasskeyError::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

/// Whether `passkey` is one of the credentials `allow` names (ids compared as bytes).
pub(crate) fn is_named(
    passkey: &StoredPasskey,
    allow: &[crate::cognito::webauthn::CredentialDescriptor],
) -> bool {
    let Ok(held) = BASE64URL.decode(&passkey.credential_id) else {
        return false;
    };
    allow
        .iter()
        .any(|descriptor| BASE64URL.decode(&descriptor.id).is_ok_and(|id| id == held))
}

fn file_name_of(credential_id_b64url: &str) -> String {
    format!("{}.json", path_part(credential_id_b64url))
}

fn held(path: PathBuf, passkey: &StoredPasskey) -> HeldPasskey {
    HeldPasskey {
        credential_id: passkey.credential_id.clone(),
        rp_id: passkey.rp_id.clone(),
        user_handle: passkey.user_handle.clone(),
        user_name: passkey.user_name.clone(),
        sign_count: passkey.sign_count,
        created_at: passkey.created_at,
        path,
    }
}

/// The entries of a folder, sorted; none when it does not exist. Skips the temporary
/// files `write_atomically` may leave while it writes (`.tmp-…`).
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, PasskeyError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(PasskeyError::Io {
                action: "list",
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| PasskeyError::Io {
            action: "list",
            path: dir.to_owned(),
            source,
        })?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Every key file of one relying party's folder.
fn read_folder(dir: &Path) -> Result<Vec<(PathBuf, StoredPasskey)>, PasskeyError> {
    let mut passkeys = Vec::new();
    for path in sorted_entries(dir)? {
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            let passkey = read_passkey(&path)?;
            passkeys.push((path, passkey));
        }
    }
    Ok(passkeys)
}

/// One key file, checked: it parses, and its name is its credential id (the key itself
/// is checked where it is used). Never quotes the file.
pub(crate) fn read_passkey(path: &Path) -> Result<StoredPasskey, PasskeyError> {
    let broken = |detail: String| PasskeyError::Broken {
        path: path.to_owned(),
        detail,
    };
    let bytes = match read_at_most(path, MAX_PASSKEY_FILE_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(broken(format!(
                "it is larger than {} KiB, far more than any passkey",
                MAX_PASSKEY_FILE_BYTES / 1024
            )));
        }
        Err(source) => {
            return Err(PasskeyError::Io {
                action: "read",
                path: path.to_owned(),
                source,
            });
        }
    };
    // serde_json's message names the line and column, never the content.
    let passkey: StoredPasskey = serde_json::from_slice(&bytes).map_err(|error| {
        broken(format!(
            "not a passkey record: line {}, column {}",
            error.line(),
            error.column()
        ))
    })?;
    if path.file_name().and_then(|name| name.to_str())
        != Some(file_name_of(&passkey.credential_id).as_str())
    {
        return Err(broken("its name is not its credential id".to_owned()));
    }
    Ok(passkey)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::cognito::webauthn::{
        COSE_ES256, CreationOptions, CredentialParameters, PUBLIC_KEY, RelyingParty,
        RequestOptions, UserEntity,
    };
    use crate::passkey::origin_for;

    const RP: &str = "auth.example.com";

    fn register(store: &SoftwarePasskeys) -> String {
        let options = CreationOptions {
            rp: RelyingParty {
                id: Some(RP.to_owned()),
                name: "Example".to_owned(),
            },
            user: UserEntity {
                id: "dXNlcg".to_owned(),
                name: "alice".to_owned(),
                display_name: "Alice".to_owned(),
            },
            challenge: "Y2hhbGxlbmdl".to_owned(),
            pub_key_cred_params: vec![CredentialParameters {
                kind: PUBLIC_KEY.to_owned(),
                alg: COSE_ES256,
            }],
            timeout: None,
            exclude_credentials: Vec::new(),
            authenticator_selection: None,
            attestation: None,
            extensions: None,
        };
        store.create(&options, &origin_for(RP)).unwrap().id
    }

    fn sign_in(store: &SoftwarePasskeys) -> Result<(), PasskeyError> {
        let options = RequestOptions {
            challenge: "Y2hhbGxlbmdl".to_owned(),
            timeout: None,
            rp_id: Some(RP.to_owned()),
            allow_credentials: Vec::new(),
            user_verification: None,
            extensions: None,
        };
        store.get(&options, &origin_for(RP)).map(|_| ())
    }

    #[test]
    fn key_files_are_private_and_named_by_rp_and_credential() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let id = register(&store);
        let path = store.path_of(RP, &id);
        assert!(path.ends_with(format!(
            "cognito-signin/passkeys/auth%2Eexample%2Ecom/{id}.json"
        )));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(&store.root), 0o700);
        }
        sign_in(&store).unwrap();
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
    }

    #[test]
    fn list_shows_the_held_passkeys_and_forget_drops_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        assert!(store.list().unwrap().is_empty());
        let first = register(&store);
        let second = register(&store);
        let listed = store.list().unwrap();
        let ids: Vec<_> = listed
            .iter()
            .map(|held| held.credential_id.clone())
            .collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&first) && ids.contains(&second));
        assert_eq!(listed[0].rp_id, RP);
        assert_eq!(listed[0].user_name, "alice");
        assert_eq!(listed[0].user_handle, "dXNlcg");
        assert_eq!(listed[0].sign_count, 0);

        assert!(store.forget(&first).unwrap());
        assert!(!store.forget(&first).unwrap());
        assert!(!store.forget("not base64url!").unwrap());
        let left: Vec<_> = store
            .list()
            .unwrap()
            .into_iter()
            .map(|held| held.credential_id)
            .collect();
        assert_eq!(left, [second]);
    }

    #[test]
    fn a_corrupt_file_is_named_with_the_fix_and_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let id = register(&store);
        let path = store.path_of(RP, &id);
        std::fs::write(&path, "{\"privateKeyPkcs8\": \"leaked-secret").unwrap();
        for error in [
            sign_in(&store).unwrap_err(),
            store.list().unwrap_err(),
            store.held_for(RP, &[]).unwrap_err(),
        ] {
            let message = error.to_string();
            assert!(matches!(error, PasskeyError::Broken { .. }), "{message}");
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(message.contains("delete it"), "{message}");
            assert!(!message.contains("leaked-secret"), "{message}");
        }
    }

    #[test]
    fn a_damaged_key_or_a_renamed_file_is_broken_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let id = register(&store);
        let path = store.path_of(RP, &id);
        let mut passkey = read_passkey(&path).unwrap();
        passkey.private_key_pkcs8 = "bm90IGEga2V5".into();
        store.save(&passkey).unwrap();
        let error = sign_in(&store).unwrap_err().to_string();
        assert!(error.contains("not a P-256 key"), "{error}");
        assert!(error.contains(&path.display().to_string()), "{error}");

        std::fs::rename(&path, path.with_file_name("renamed.json")).unwrap();
        let error = store.list().unwrap_err().to_string();
        assert!(
            error.contains("its name is not its credential id"),
            "{error}"
        );
    }

    #[test]
    fn debug_never_shows_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwarePasskeys::at(dir.path());
        let id = register(&store);
        let passkey = read_passkey(&store.path_of(RP, &id)).unwrap();
        let key = passkey.private_key_pkcs8.expose().clone();
        assert!(key.len() > 100, "the file holds the key");
        for shown in [
            format!("{store:?}"),
            format!("{passkey:?}"),
            format!("{:?}", store.list().unwrap()),
        ] {
            assert!(!shown.contains(&key), "{shown}");
            assert!(!shown.contains(&key[48..80]), "{shown}");
        }
    }
}
