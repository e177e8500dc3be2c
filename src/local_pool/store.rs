//! `serve --data DIR`: what the pool keeps across restarts, in one SQLite file,
//! `DIR/pool.sqlite3` (see `docs/local-pool-data.md` for why SQLite).
//!
//! The file is one table of keyed records, `(kind, key) → value`, each value a JSON
//! document of a serde type (`store::records` says which kind holds what). Each API call's
//! changed records are written in one transaction, committed (WAL, `synchronous=FULL`)
//! before the call is answered, while the state lock is held, so the file follows the
//! calls in order. Only what changed is written: the pool notes each changed record
//! (`state::Pool`'s `_mut` and `insert_` methods), and [`Store::save`] drains those notes.
//!
//! Sign-ins in flight, codes, proofs and lockouts are not kept: a restart forgets them,
//! as it would forget an unanswered challenge.

mod records;
mod sqlite;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use records::Kept;
use records::Write;
use sqlite::RecordFile;

use super::secret_block::BlockSealer;
use super::state::{Changed, Revocation, State};
use super::tokens::Signer;

/// The file inside the data directory.
pub const FILE_NAME: &str = "pool.sqlite3";

/// Why the data directory could not be used. Names the file and the fix; never a
/// record's value (values hold secrets).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not create the data directory {}: {reason} (choose a directory you can write to)", .dir.display())]
    Directory { dir: PathBuf, reason: String },
    #[error("the data file {} is in use by another `cognito-signin serve`; stop it, or give this one another --data directory", .file.display())]
    InUse { file: PathBuf },
    #[error("the data file {} is unreadable or corrupt ({reason}); move it aside (or put back a copy) to start with an empty pool", .file.display())]
    Corrupt { file: PathBuf, reason: String },
    #[error("the data file {} was written by a newer cognito-signin (format {found}, this one reads {known}); use that version, or another --data directory", .file.display())]
    Newer {
        file: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("could not write the data file {}: {reason}", .file.display())]
    Write { file: PathBuf, reason: String },
}

/// The open data file of a running pool.
pub struct Store {
    file: RecordFile,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("file", &self.file.path())
            .finish()
    }
}

impl Store {
    /// Opens (or creates) the data directory (0700 when made here) and its file (0600),
    /// and reads everything kept in it.
    pub fn open(dir: &Path) -> Result<(Self, Kept), StoreError> {
        create_private_dir(dir)?;
        let file = RecordFile::open(&dir.join(FILE_NAME))?;
        let kept = records::read_all(&file)?;
        Ok((Self { file }, kept))
    }

    /// Keeps the pool's signing keys and SECRET_BLOCK key (once, when first made), so
    /// tokens issued before a restart still verify after it.
    pub fn save_keys(&mut self, signer: &Signer, sealer: &BlockSealer) -> Result<(), StoreError> {
        let write = records::keys(signer, sealer)?;
        self.file.write(&[write])
    }

    /// Writes the records `changes` names, as `state` has them now (a record no longer
    /// there is deleted), in one transaction.
    pub fn save(
        &mut self,
        state: &State,
        changes: &[(String, BTreeSet<Changed>)],
        revocations: &BTreeSet<Revocation>,
    ) -> Result<(), StoreError> {
        let mut writes: Vec<Write> = Vec::new();
        for (pool_id, changed) in changes {
            for change in changed {
                writes.push(records::of_change(state, pool_id, change)?);
            }
        }
        for revocation in revocations {
            writes.push(records::of_revocation(state, revocation)?);
        }
        self.file.write(&writes)
    }
}

/// Creates `dir` (and its parents) readable by its owner only, unless it exists.
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|error| StoreError::Directory {
        dir: dir.to_owned(),
        reason: error.to_string(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::records::Kind;
    use super::*;
    use crate::local_pool::mfa::{MfaKind, MfaMode, PoolMfa, SoftwareToken};
    use crate::local_pool::refresh_token::RefreshGrant;
    use crate::local_pool::state::{AppClient, Pool, PoolSettings, User};
    use crate::sensitive::SensitiveString;
    use time::OffsetDateTime;

    fn settings(id: &str) -> PoolSettings {
        PoolSettings {
            id: id.to_owned(),
            name: "kept".to_owned(),
            arn: format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}"),
            mfa: PoolMfa {
                mode: MfaMode::Optional,
                factors: [MfaKind::SoftwareToken].into_iter().collect(),
                ..PoolMfa::default()
            },
            required_attributes: vec!["email".to_owned()],
            custom: Default::default(),
            device_tracking: Some(Default::default()),
            sign_in: Default::default(),
            first_factors: vec!["EMAIL_OTP".into()],
            web_authn: Default::default(),
        }
    }

    /// A state with one pool of one client, two users (one with an authenticator) and
    /// one device, everything yet to be saved.
    fn state() -> State {
        let mut pool = Pool::new(settings("us-east-1_Kept"));
        pool.insert_client(AppClient {
            id: "client-1".to_owned(),
            name: "web".to_owned(),
            secret: Some(SensitiveString::from("client-secret")),
            explicit_auth_flows: Some(vec!["ALLOW_USER_SRP_AUTH".to_owned()]),
            prevent_user_existence_errors: Default::default(),
            refresh_token_rotation: Default::default(),
        });
        let mut alice = User::example("alice");
        alice.mfa.software_token = Some(SoftwareToken {
            secret: SensitiveString::from("JBSWY3DPEHPK3PXP"),
            device_name: None,
            last_counter: Some(7),
        });
        pool.insert_user(alice);
        pool.insert_user(User::example("bob/with/slashes"));
        let mut state = State::default();
        state.pools.insert(pool.id.clone(), pool);
        let now = time::OffsetDateTime::now_utc();
        let pool = state.pools.get_mut("us-east-1_Kept").unwrap();
        assert!(pool.track_new_device("alice", now).is_some());
        state
    }

    fn save_all(store: &mut Store, state: &mut State) {
        let changes = state.take_changes();
        let revocations = state.take_revocations();
        store.save(state, &changes, &revocations).unwrap();
    }

    #[test]
    fn what_is_saved_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = state();
        {
            let (mut store, kept) = Store::open(dir.path()).unwrap();
            assert!(kept.pools.is_empty() && kept.keys.is_none());
            save_all(&mut store, &mut state);
        }
        let (_, kept) = Store::open(dir.path()).unwrap();
        assert_eq!(kept.pools.len(), 1);
        let pool = &kept.pools[0];
        let before = &state.pools["us-east-1_Kept"];
        assert_eq!(pool.name, "kept");
        assert_eq!(pool.mfa.mode, MfaMode::Optional);
        assert_eq!(pool.required_attributes, before.required_attributes);
        assert_eq!(pool.first_factors, before.first_factors);
        let client = &pool.clients()["client-1"];
        assert_eq!(client.secret.as_ref().unwrap().expose(), "client-secret");
        assert_eq!(
            client.explicit_auth_flows,
            before.clients()["client-1"].explicit_auth_flows
        );
        assert_eq!(pool.users().len(), 2);
        let alice = &pool.users()["alice"];
        assert!(
            alice
                .verifier
                .matches_password("Example", "alice", "Example-Password-1!")
        );
        assert_eq!(alice.verifier, before.users()["alice"].verifier);
        let token = alice.mfa.software_token.as_ref().unwrap();
        assert_eq!(token.secret.expose(), "JBSWY3DPEHPK3PXP");
        assert_eq!(token.last_counter, Some(7));
        assert!(pool.users().contains_key("bob/with/slashes"));
        assert_eq!(pool.devices().len(), 1);
        let device = pool.devices().values().next().unwrap();
        let original = before.devices().values().next().unwrap();
        assert_eq!(device.key, original.key);
        assert_eq!(device.created, original.created);
    }

    #[test]
    fn only_changed_records_are_written_and_a_forgotten_device_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = state();
        let (mut store, _) = Store::open(dir.path()).unwrap();
        save_all(&mut store, &mut state);
        assert!(state.take_changes().is_empty(), "a save drains the notes");

        let pool = state.pools.get_mut("us-east-1_Kept").unwrap();
        let device_key = pool.devices().keys().next().unwrap().clone();
        pool.user_by_username_mut("alice").unwrap().enabled = false;
        pool.remove_device(&device_key);
        let changes = state.take_changes();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].1.iter().cloned().collect::<Vec<_>>(),
            vec![
                Changed::User("alice".to_owned()),
                Changed::Device(device_key)
            ]
        );
        store.save(&state, &changes, &BTreeSet::new()).unwrap();
        drop(store);

        let (_, kept) = Store::open(dir.path()).unwrap();
        let pool = &kept.pools[0];
        assert!(!pool.users()["alice"].enabled);
        assert!(pool.users()["bob/with/slashes"].enabled);
        assert!(pool.devices().is_empty());
    }

    fn grant(origin_jti: &str, token_id: &str, expires: OffsetDateTime) -> RefreshGrant {
        RefreshGrant {
            pool_id: "us-east-1_Kept".to_owned(),
            client_id: "client-1".to_owned(),
            username: "alice".to_owned(),
            auth_time: 0,
            origin_jti: origin_jti.to_owned(),
            expires,
            device_key: None,
            token_id: token_id.to_owned(),
        }
    }

    #[test]
    fn revocations_read_back_and_those_past_their_time_are_tidied_away() {
        let dir = tempfile::tempdir().unwrap();
        let now = OffsetDateTime::now_utc();
        let day = time::Duration::days(1);
        let mut state = State::default();
        state.revoke_refresh(&grant("chain-live", "t1", now + day));
        state.revoke_refresh(&grant("chain-over", "t2", now - day));
        state.replace_refresh(
            &grant("chain-3", "rotated-out", now + day),
            time::Duration::ZERO,
            now,
        );
        {
            let (mut store, _) = Store::open(dir.path()).unwrap();
            save_all(&mut store, &mut state);
        }
        let (mut store, kept) = Store::open(dir.path()).unwrap();
        assert_eq!(kept.revoked_chains.len(), 2);
        let mut restarted = State::default();
        restarted.restore_revocations(kept.revoked_chains, kept.replaced_tokens, now);
        assert!(restarted.origin_revoked("chain-live"));
        assert!(!restarted.origin_revoked("chain-over"));
        assert!(restarted.replaced_token("rotated-out").is_some());
        // The next save deletes what was past its time.
        save_all(&mut store, &mut restarted);
        drop(store);
        let (_, kept) = Store::open(dir.path()).unwrap();
        let chains: Vec<&str> = kept
            .revoked_chains
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(chains, ["chain-live"]);
        assert_eq!(kept.replaced_tokens.len(), 1);
    }

    #[test]
    fn the_keys_read_back_as_the_same_signer_and_sealer() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::of_this_process().unwrap();
        let sealer = BlockSealer::new();
        {
            let (mut store, _) = Store::open(dir.path()).unwrap();
            store.save_keys(&signer, &sealer).unwrap();
        }
        let (_, kept) = Store::open(dir.path()).unwrap();
        let (kept_signer, kept_sealer) = kept.keys.unwrap();
        assert_eq!(kept_signer.jwks(), signer.jwks());
        assert_eq!(kept_sealer.key(), sealer.key());
    }

    #[cfg(unix)]
    #[test]
    fn the_directory_is_made_0700_and_the_file_0600() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("made/here");
        let _store = Store::open(&dir).unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(FILE_NAME)), 0o600);
    }

    #[test]
    fn a_second_pool_on_the_same_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(dir.path()).unwrap();
        let error = Store::open(dir.path()).unwrap_err();
        assert!(matches!(error, StoreError::InUse { .. }), "{error}");
        assert!(error.to_string().contains(FILE_NAME), "{error}");
    }

    #[test]
    fn a_file_that_is_not_a_store_or_holds_a_broken_record_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), vec![b'x'; 4096]).unwrap();
        let error = Store::open(dir.path()).unwrap_err();
        assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
        assert!(error.to_string().contains("move it aside"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        {
            let (mut store, _) = Store::open(dir.path()).unwrap();
            let broken = records::Write::Put {
                kind: Kind::User,
                key: "us-east-1_Gone/alice".to_owned(),
                value: br#"{"username": "alice", "secret-ish": "do not print me"#.to_vec(),
            };
            store.file.write(&[broken]).unwrap();
        }
        let error = Store::open(dir.path()).unwrap_err().to_string();
        assert!(error.contains("user record"), "{error}");
        assert!(!error.contains("do not print me"), "{error}");
    }
}
