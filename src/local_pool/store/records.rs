//! The kinds of records in the data file, and how the pool's state becomes records
//! and comes back from them. Every value is the JSON of a serde type of the pool
//! (`#[serde(default)]` on what may be missing, so a field added later reads old files).
//!
//! | kind     | key                     | value                               |
//! |----------|-------------------------|-------------------------------------|
//! | `pool`   | pool id                 | `state::PoolSettings`               |
//! | `client` | pool id `/` client id   | `state::AppClient` (secret included) |
//! | `user`   | pool id `/` username    | `state::User` (SRP verifier, no password) |
//! | `device` | pool id `/` device key  | `devices::Device`                   |
//! | `passkey` | pool id `/` credential id | `webauthn::passkey::Passkey` (public key, signCount) |
//! | `keys`   | `signing`               | [`KeptKeys`]                        |
//!
//! Adding a kind (say, revoked refresh-token origins): a variant in [`Kind`] with its
//! name; a `Write::put(Kind::X, key, &value)` where the pool changes it (beside
//! [`of_change`], or a `Store` method of its own called from `Shared::save_changes`);
//! and an arm in [`read_all`] that hands the decoded values to [`Kept`]. Nothing else
//! changes: the table, the transaction and the durability are shared by every kind.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use super::sqlite::{RecordFile, Row};
use crate::local_pool::devices::Device;
use crate::local_pool::secret_block::BlockSealer;
use crate::local_pool::state::{
    AppClient, Changed, Pool, PoolSettings, Replaced, Revocation, State, User,
};
use crate::local_pool::tokens::Signer;
use crate::local_pool::webauthn::passkey::Passkey;
use crate::sensitive::SensitiveString;

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pool,
    Client,
    User,
    Device,
    Keys,
    /// A token chain revoked by RevokeToken, by `origin_jti`.
    RevokedChain,
    /// A refresh token replaced by rotation, by token id.
    ReplacedToken,
    /// A registered passkey, by credential id.
    Passkey,
}

impl Kind {
    /// Every kind this version reads.
    pub const ALL: [Kind; 8] = [
        Self::Pool,
        Self::Client,
        Self::User,
        Self::Device,
        Self::Keys,
        Self::RevokedChain,
        Self::ReplacedToken,
        Self::Passkey,
    ];

    /// The kind's name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pool => "pool",
            Self::Client => "client",
            Self::User => "user",
            Self::Device => "device",
            Self::Keys => "keys",
            Self::RevokedChain => "revoked_chain",
            Self::ReplacedToken => "replaced_token",
            Self::Passkey => "passkey",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One change to the file.
pub enum Write {
    Put {
        kind: Kind,
        key: String,
        value: Vec<u8>,
    },
    Delete {
        kind: Kind,
        key: String,
    },
}

impl Write {
    /// Puts `value`'s JSON under (kind, key).
    pub fn put(kind: Kind, key: String, value: &impl Serialize) -> Result<Self, StoreError> {
        let value = serde_json::to_vec(value).map_err(|error| StoreError::Write {
            file: std::path::PathBuf::from(super::FILE_NAME),
            // serde_json's message for a failed write names the type, never the value.
            reason: format!("could not encode a {} record: {error}", kind.as_str()),
        })?;
        Ok(Self::Put { kind, key, value })
    }
}

/// The key of a record that belongs to a pool: `pool id/name`. Read back by taking the
/// name off the end (the value carries it), so either part may hold a `/`.
fn pool_key(pool_id: &str, name: &str) -> String {
    format!("{pool_id}/{name}")
}

/// The pool id of a pool's record whose value names it `name`.
fn pool_of<'a>(key: &'a str, name: &str) -> Option<&'a str> {
    key.strip_suffix(name)?.strip_suffix('/')
}

/// The write that brings the file up to date with one changed record of `pool_id`: its
/// value as `state` has it now, or its deletion when it is gone.
pub fn of_change(state: &State, pool_id: &str, change: &Changed) -> Result<Write, StoreError> {
    let pool = state.pools.get(pool_id);
    let (kind, key) = match change {
        Changed::Settings => (Kind::Pool, pool_id.to_owned()),
        Changed::Client(id) => (Kind::Client, pool_key(pool_id, id)),
        Changed::User(username) => (Kind::User, pool_key(pool_id, username)),
        Changed::Device(device_key) => (Kind::Device, pool_key(pool_id, device_key)),
        Changed::Passkey(id) => (Kind::Passkey, pool_key(pool_id, id)),
    };
    let Some(pool) = pool else {
        return Ok(Write::Delete { kind, key });
    };
    let put = match change {
        Changed::Settings => Some(Write::put(kind, key.clone(), settings(pool))),
        Changed::Client(id) => pool
            .clients()
            .get(id)
            .map(|client| Write::put(kind, key.clone(), client)),
        Changed::User(username) => pool
            .users()
            .get(username)
            .map(|user| Write::put(kind, key.clone(), user)),
        Changed::Device(device_key) => pool
            .devices()
            .get(device_key)
            .map(|device| Write::put(kind, key.clone(), device)),
        Changed::Passkey(id) => pool
            .passkeys()
            .get(id)
            .map(|passkey| Write::put(kind, key.clone(), passkey)),
    };
    put.unwrap_or(Ok(Write::Delete { kind, key }))
}

/// The record of a revocation as `state` has it now; one the sweeper already forgot
/// (past its time) is deleted.
pub fn of_revocation(state: &State, revocation: &Revocation) -> Result<Write, StoreError> {
    let (kind, key, put) = match revocation {
        Revocation::Chain(origin_jti) => (
            Kind::RevokedChain,
            origin_jti,
            state.revoked_chain(origin_jti).map(|forget_after| {
                Write::put(
                    Kind::RevokedChain,
                    origin_jti.clone(),
                    &KeptChain { forget_after },
                )
            }),
        ),
        Revocation::Replaced(token_id) => (
            Kind::ReplacedToken,
            token_id,
            state
                .replaced_token(token_id)
                .map(|replaced| Write::put(Kind::ReplacedToken, token_id.clone(), replaced)),
        ),
    };
    put.unwrap_or_else(|| {
        Ok(Write::Delete {
            kind,
            key: key.clone(),
        })
    })
}

/// A revoked chain: remembered until no token of it can be valid.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptChain {
    #[serde(with = "time::serde::rfc3339")]
    forget_after: time::OffsetDateTime,
}

fn settings(pool: &Pool) -> &PoolSettings {
    pool
}

/// The pool's two RSA signing keys (PKCS#1 DER) and its SECRET_BLOCK key, base64.
/// Kept so that tokens issued before a restart verify after it.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptKeys {
    id_token_key: SensitiveString,
    access_token_key: SensitiveString,
    secret_block_key: SensitiveString,
}

impl KeptKeys {
    /// The signer these keys make.
    fn signer(&self) -> Result<Signer, String> {
        let id = decode(&self.id_token_key, "id_token_key")?;
        let access = decode(&self.access_token_key, "access_token_key")?;
        Signer::from_private_ders(&id, &access)
    }

    /// The SECRET_BLOCK sealer these keys make.
    fn sealer(&self) -> Result<BlockSealer, String> {
        let key = decode(&self.secret_block_key, "secret_block_key")?;
        let key: [u8; 32] = key[..]
            .try_into()
            .map_err(|_| "secret_block_key is not 32 bytes".to_owned())?;
        Ok(BlockSealer::from_key(key))
    }
}

fn decode(text: &SensitiveString, name: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
    STANDARD
        .decode(text.expose())
        .map(zeroize::Zeroizing::new)
        .map_err(|_| format!("{name} is not base64"))
}

/// The record of the keys of `signer` and `sealer`.
pub fn keys(signer: &Signer, sealer: &BlockSealer) -> Result<Write, StoreError> {
    let (id, access) = signer.private_ders();
    let encode = |bytes: &[u8]| SensitiveString::from(STANDARD.encode(bytes).as_str());
    let keys = KeptKeys {
        id_token_key: encode(&id),
        access_token_key: encode(&access),
        secret_block_key: encode(sealer.key()),
    };
    Write::put(Kind::Keys, KEYS_KEY.to_owned(), &keys)
}

/// The key of the one `keys` record.
const KEYS_KEY: &str = "signing";

/// Everything the data file kept: the pools, whole, and the keys (none in a new file).
pub struct Kept {
    pub pools: Vec<Pool>,
    pub keys: Option<(Signer, BlockSealer)>,
    /// Revoked chains: `origin_jti` → when they may be forgotten.
    pub revoked_chains: Vec<(String, time::OffsetDateTime)>,
    /// Refresh tokens replaced by rotation, by token id.
    pub replaced_tokens: Vec<(String, Replaced)>,
}

/// Shows how much was kept, never what (it holds secrets).
impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("pools", &self.pools.len())
            .field("keys", &self.keys.is_some())
            .field("revoked_chains", &self.revoked_chains.len())
            .field("replaced_tokens", &self.replaced_tokens.len())
            .finish()
    }
}

/// The records of one pool as they are read, before the pool is put together.
#[derive(Default)]
struct PoolParts {
    settings: Option<PoolSettings>,
    clients: Vec<AppClient>,
    users: Vec<User>,
    devices: Vec<Device>,
    passkeys: Vec<Passkey>,
}

/// Reads every record and puts the pools together. A record that does not decode, or
/// that names a pool the file does not have, makes the file corrupt; a kind this
/// version does not know is skipped.
pub fn read_all(file: &RecordFile) -> Result<Kept, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        file: file.path().to_owned(),
        reason,
    };
    let mut parts: BTreeMap<String, PoolParts> = BTreeMap::new();
    let mut keys = None;
    let mut revoked_chains = Vec::new();
    let mut replaced_tokens = Vec::new();
    for row in file.read_all()? {
        let Some(kind) = Kind::parse(&row.kind) else {
            continue;
        };
        match kind {
            Kind::Pool => {
                let settings: PoolSettings = value_of(&row).map_err(corrupt)?;
                parts.entry(row.key.clone()).or_default().settings = Some(settings);
            }
            Kind::Client => {
                let client: AppClient = value_of(&row).map_err(corrupt)?;
                parts_of(&mut parts, &row, &client.id)
                    .map_err(corrupt)?
                    .clients
                    .push(client);
            }
            Kind::User => {
                let user: User = value_of(&row).map_err(corrupt)?;
                parts_of(&mut parts, &row, &user.username)
                    .map_err(corrupt)?
                    .users
                    .push(user);
            }
            Kind::Device => {
                let device: Device = value_of(&row).map_err(corrupt)?;
                parts_of(&mut parts, &row, &device.key)
                    .map_err(corrupt)?
                    .devices
                    .push(device);
            }
            Kind::Passkey => {
                let passkey: Passkey = value_of(&row).map_err(corrupt)?;
                parts_of(&mut parts, &row, &passkey.credential_id)
                    .map_err(corrupt)?
                    .passkeys
                    .push(passkey);
            }
            Kind::Keys => {
                let kept: KeptKeys = value_of(&row).map_err(corrupt)?;
                keys = Some((
                    kept.signer().map_err(corrupt)?,
                    kept.sealer().map_err(corrupt)?,
                ));
            }
            Kind::RevokedChain => {
                let kept: KeptChain = value_of(&row).map_err(corrupt)?;
                revoked_chains.push((row.key.clone(), kept.forget_after));
            }
            Kind::ReplacedToken => {
                let kept: Replaced = value_of(&row).map_err(corrupt)?;
                replaced_tokens.push((row.key.clone(), kept));
            }
        }
    }
    let mut pools = Vec::new();
    for (pool_id, part) in parts {
        let settings = part.settings.ok_or_else(|| {
            corrupt(format!(
                "it has clients, users or devices of pool {pool_id} but not the pool"
            ))
        })?;
        pools.push(Pool::kept(
            settings,
            part.clients,
            part.users,
            part.devices,
            part.passkeys,
        ));
    }
    Ok(Kept {
        pools,
        keys,
        revoked_chains,
        replaced_tokens,
    })
}

/// The parts of the pool a pool's record belongs to.
fn parts_of<'a>(
    parts: &'a mut BTreeMap<String, PoolParts>,
    row: &Row,
    name: &str,
) -> Result<&'a mut PoolParts, String> {
    let pool_id = pool_of(&row.key, name).ok_or_else(|| {
        format!(
            "the {} record under {:?} does not name its pool",
            row.kind, row.key
        )
    })?;
    Ok(parts.entry(pool_id.to_owned()).or_default())
}

/// A record's value. The error names the record and where its JSON went wrong, never
/// what it holds (values hold secrets).
fn value_of<T: DeserializeOwned>(row: &Row) -> Result<T, String> {
    serde_json::from_slice(&row.value).map_err(|error| {
        format!(
            "the {} record under {:?} does not read (line {}, column {})",
            row.kind,
            row.key,
            error.line(),
            error.column()
        )
    })
}
