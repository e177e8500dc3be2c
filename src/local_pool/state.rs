//! What the pool remembers: its pools, app clients and users, the sessions of
//! sign-ins under way, the refresh-token chains it revoked, and the codes it has sent
//! outside a sign-in (password resets, attribute verification).
//!
//! Memory stays bounded whatever clients do:
//! - refresh tokens carry their own grant (`local_pool::refresh_token`): nothing is
//!   kept per sign-in; what is kept (revoked chains, tokens replaced by rotation, a
//!   "signed out at" stamp per user) is bounded by time;
//! - sessions and SRP proofs are capped ([`MAX_PENDING_SESSIONS`],
//!   [`MAX_WAITING_PROOFS`]); a full table evicts the least proven, oldest entry first
//!   (see `local_pool::capped`), and an evicted session answers as an unknown one;
//! - nothing is swept on the request path: lookups check expiry themselves, and the
//!   sweeper (`local_pool::sweeper`) forgets expired entries in bounded steps
//!   ([`State::sweep_step`]) and gives memory back after a flood.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::capped::{Capped, Proven};
use super::chain_stamp::{self, ChainStamps};
use super::client_settings::{self, UserExistenceErrors};
use super::clock::Clock;
use super::codes::{CodeCheck, Outbox, SentCode, SentFor};
use super::cpu::CpuTurns;
use super::custom_auth::{Attempt, CustomAuth};
use super::devices::{Device, unknown_device};
use super::error::{ApiError, ApiResult, ErrorType};
use super::ids;
use super::lockout::Lockout;
use super::mfa::{MfaKind, PoolMfa, Reachable, UserMfa};
use super::refresh_token::RefreshGrant;
use super::rotation::RefreshTokenRotation;
use super::secret_block::BlockSealer;
use super::sign_in_names::SignInNames;
use super::store::{Store, StoreError};
use super::tokens::Signer;
use super::webauthn::passkey::{Passkey, unknown_credential};
use super::webauthn::settings::WebAuthnSettings;
use crate::cognito::types::DeviceConfigurationType;
use crate::cognito::{CodeKind, FirstFactor};
use crate::crypto::{SrpServer, UserVerifier};
use crate::sensitive::SensitiveString;

/// How long a Session stays valid: Cognito's default of 3 minutes.
pub const SESSION_LIFETIME: time::Duration = time::Duration::minutes(3);

/// How long a refresh token stays valid: Cognito's default of 30 days.
pub const REFRESH_LIFETIME: time::Duration = time::Duration::days(30);

/// Wrong answers a session takes before it is closed: Cognito allows three.
pub const MAX_WRONG_ANSWERS: u32 = 3;

/// The locked state. Operations that do cryptography in the middle of a sign-in
/// (SRP's exponentiations, RSA signatures) hold one of these and release it for the
/// computation with [`unlocked`]: the lock is never held across cryptography, so one
/// sign-in's arithmetic never makes the others (or a GetUser) wait.
pub type Locked<'a> = parking_lot::MutexGuard<'a, State>;

/// Runs `work` with the state unlocked, and locks it again before returning. The
/// borrow checker makes sure nothing read from the state is held across it.
pub fn unlocked<T>(state: &mut Locked<'_>, work: impl FnOnce() -> T) -> T {
    parking_lot::MutexGuard::unlocked(state, work)
}

/// The most sessions a pool keeps at once. A session costs a few hundred bytes, so
/// 10,000 is a few MB at most, and far above what honest sign-ins need: even at 200
/// sign-ins a second, a session waits for its answer a few seconds, so well under
/// 10,000 are waiting at any time; used ones (kept only to say "used once") go first.
pub const MAX_PENDING_SESSIONS: usize = 10_000;

/// The most SRP proofs waiting for their PASSWORD_VERIFIER answer: one per session
/// at most, so the same cap.
pub const MAX_WAITING_PROOFS: usize = MAX_PENDING_SESSIONS;

/// Everything the request handlers share.
pub struct Shared {
    /// `http://127.0.0.1:<port>`, the base of every issuer.
    pub url: String,
    pub clock: Clock,
    pub signer: Signer,
    /// The SMS and e-mail messages the pool "sent".
    pub outbox: Outbox,
    /// Seals SECRET_BLOCKs and refresh tokens under a key made at start-up (see
    /// `local_pool::secret_block`).
    pub sealer: BlockSealer,
    /// One turn per core for the arithmetic operations (see `local_pool::cpu`).
    pub cpu: CpuTurns,
    /// The strictly increasing stamps of sign-ins and global sign-outs.
    pub chains: ChainStamps,
    /// Access key id → secret of the callers allowed the signed operations; empty:
    /// the pool is open (see `local_pool::sigv4`).
    access_keys: Mutex<BTreeMap<String, SensitiveString>>,
    state: parking_lot::Mutex<State>,
    /// `serve --data`: where each call's changes are written before it is answered.
    /// Locked only while the state lock is held, so writes land in the order of the calls.
    store: Option<Mutex<Store>>,
}

impl Shared {
    /// Wraps a seeded state for the server, kept in `store` when there is one.
    pub fn new(
        url: String,
        signer: Signer,
        sealer: BlockSealer,
        state: State,
        store: Option<Store>,
    ) -> Arc<Self> {
        Arc::new(Self {
            url,
            clock: Clock::default(),
            signer,
            outbox: Outbox::default(),
            sealer,
            cpu: CpuTurns::default(),
            chains: ChainStamps::default(),
            access_keys: Mutex::default(),
            state: parking_lot::Mutex::new(state),
            store: store.map(Mutex::new),
        })
    }

    /// Writes the records changed since the last save to the data directory, in one
    /// transaction, while holding the state lock (so saves land in the order of the
    /// calls): the server calls it after every call, before answering. Without a data
    /// directory the notes are dropped. O(records changed); nothing changed writes nothing.
    pub fn save_changes(&self) -> Result<(), StoreError> {
        let mut state = self.lock();
        let changes = state.take_changes();
        let revocations = state.take_revocations();
        let Some(store) = &self.store else {
            return Ok(());
        };
        if changes.is_empty() && revocations.is_empty() {
            return Ok(());
        }
        let mut store = store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let saved = store.save(&state, &changes, &revocations);
        if saved.is_err() {
            // Kept as changed, so the next save tries them again.
            state.note_changes(changes);
            state.note_revocations(revocations);
        }
        saved
    }

    /// Lets the holder of this access key call the signed operations (and closes them
    /// to everyone else).
    pub fn allow_access_key(&self, access_key_id: String, secret: SensitiveString) {
        self.access_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(access_key_id, secret);
    }

    /// The access keys allowed so far.
    pub fn access_keys(&self) -> BTreeMap<String, SensitiveString> {
        self.access_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Locks the state. A panic elsewhere never makes the pool unusable: the data
    /// is plain maps, valid between any two statements (parking_lot does not poison).
    pub fn lock(&self) -> Locked<'_> {
        self.state.lock()
    }

    /// `iss` of the tokens of a pool: the pool's URL + "/" + pool id.
    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.url)
    }
}

/// All pools, sessions, and what is kept of refresh tokens.
pub struct State {
    pub pools: BTreeMap<String, Pool>,
    /// Sessions by id, capped (see `local_pool::capped`).
    sessions: Capped<Session>,
    /// `origin_jti` of revoked sign-ins → when the entry may be forgotten (no token
    /// of that chain can be valid after it). Access tokens carry `origin_jti`, so a
    /// revoked refresh token takes every access token issued from it along.
    revoked_origins: BTreeMap<String, OffsetDateTime>,
    /// Token id of a refresh token replaced by rotation → until when it still works,
    /// kept until the token expires (after which it is refused anyway).
    replaced_refresh: BTreeMap<String, Replaced>,
    /// Codes sent outside a sign-in, per (pool id, username, what for): one each.
    sent_codes: BTreeMap<(String, String, SentFor), SentCode>,
    /// SRP proofs waiting for their PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
    /// answer, by the one-time id sealed in their SECRET_BLOCK; forgotten once used.
    proofs: Capped<WaitingProof>,
    /// Failed sign-in attempts per (pool id, username) (see `local_pool::lockout`).
    lockouts: BTreeMap<(String, String), Lockout>,
    /// Revocations made since the last save, for `serve --data` to keep.
    revocations_changed: BTreeSet<Revocation>,
}

/// A revocation made since the last save: what `serve --data` writes so that a revoked
/// or rotated-out refresh token stays refused after a restart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Revocation {
    /// A chain revoked by RevokeToken, by `origin_jti`.
    Chain(String),
    /// A refresh token replaced by rotation, by token id.
    Replaced(String),
}

impl Default for State {
    fn default() -> Self {
        Self {
            pools: BTreeMap::new(),
            sessions: Capped::new(MAX_PENDING_SESSIONS),
            revoked_origins: BTreeMap::new(),
            replaced_refresh: BTreeMap::new(),
            sent_codes: BTreeMap::new(),
            proofs: Capped::new(MAX_WAITING_PROOFS),
            lockouts: BTreeMap::new(),
            revocations_changed: BTreeSet::new(),
        }
    }
}

/// A refresh token replaced by rotation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Replaced {
    /// It works until then (the client's grace period), and is refused after.
    #[serde(with = "time::serde::rfc3339")]
    works_until: OffsetDateTime,
    /// When the token expires: the entry is forgotten then.
    #[serde(with = "time::serde::rfc3339")]
    forget_after: OffsetDateTime,
}

/// Where a sweep through the state stands between two holds of the lock: the stage
/// (which map) and, in the time-bounded maps, the last key looked at.
#[derive(Debug, Default)]
pub struct SweepCursor {
    stage: u8,
    revoked_origins: Option<String>,
    replaced_refresh: Option<String>,
    sent_codes: Option<(String, String, SentFor)>,
    lockouts: Option<(String, String)>,
}

/// An SRP exchange waiting for the client's proof: the session key K (b is already
/// wiped), and what a right proof leads to.
pub struct WaitingProof {
    pub server: Box<SrpServer>,
    pub after: AfterProof,
    /// When the block that names it expires; it is forgotten after that.
    pub expires: OffsetDateTime,
}

/// What a right SRP proof leads to.
pub enum AfterProof {
    /// A proved password: what follows it.
    Password(AfterPassword),
    /// A proved device: tokens, or MFA.
    Device,
}

/// What a pool is apart from its app clients, users and devices: the pool's settings,
/// kept in the data directory as one record (see `local_pool::store`).
#[derive(Clone, Serialize, Deserialize)]
pub struct PoolSettings {
    pub id: String,
    pub name: String,
    pub arn: String,
    #[serde(default)]
    pub mfa: PoolMfa,
    /// Attributes every user must have (the schema's `Required`), without `sub`.
    #[serde(default)]
    pub required_attributes: Vec<String>,
    /// The scripted rounds of CUSTOM_AUTH (none: the flow is refused).
    #[serde(default)]
    pub custom: CustomAuth,
    /// Device tracking; `None`: devices are not tracked.
    #[serde(default)]
    pub device_tracking: Option<DeviceConfigurationType>,
    /// What users sign in with: username, e-mail, phone, aliases, and whether case counts.
    #[serde(default)]
    pub sign_in: SignInNames,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`: what USER_AUTH may offer first
    /// (PASSWORD always; EMAIL_OTP, SMS_OTP, WEB_AUTHN when listed).
    #[serde(default)]
    pub first_factors: Vec<FirstFactor>,
    /// Passkey settings (WebAuthnConfiguration): the RP ID and user verification.
    #[serde(default)]
    pub web_authn: WebAuthnSettings,
}

/// One record of a pool that changed since the last save: what `--data` writes after
/// the call that changed it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changed {
    Settings,
    Client(String),
    User(String),
    Device(String),
    /// A passkey, by credential id.
    Passkey(String),
}

/// A user pool: its settings (read through `Deref`, changed through `set_*`), and its
/// app clients, users and devices, private so that every change goes through a method
/// that notes the changed record for the data directory.
pub struct Pool {
    settings: PoolSettings,
    clients: BTreeMap<String, AppClient>,
    users: BTreeMap<String, User>,
    /// Every tracked device, by device key.
    devices: BTreeMap<String, Device>,
    /// Every registered passkey, by credential id (base64url).
    passkeys: BTreeMap<String, Passkey>,
    /// StartWebAuthnRegistration's challenge per username, until completed or
    /// replaced by the next start: at most one per user, and never saved (a restart
    /// forgets it, as it forgets a sign-in under way).
    registrations: BTreeMap<String, PendingRegistration>,
    /// Records changed since [`Pool::take_changes`]; a new pool has every record changed.
    changed: BTreeSet<Changed>,
}

/// Reading a pool's settings needs no method: `pool.mfa`, `pool.id`. Changing them does.
impl std::ops::Deref for Pool {
    type Target = PoolSettings;

    fn deref(&self) -> &PoolSettings {
        &self.settings
    }
}

impl Pool {
    /// A new pool with no clients, users or devices; all of it is yet to be saved.
    pub fn new(settings: PoolSettings) -> Self {
        Self {
            settings,
            clients: BTreeMap::new(),
            users: BTreeMap::new(),
            devices: BTreeMap::new(),
            passkeys: BTreeMap::new(),
            registrations: BTreeMap::new(),
            changed: BTreeSet::from([Changed::Settings]),
        }
    }

    /// A pool as the data directory kept it: nothing in it is yet to be saved.
    pub fn kept(
        settings: PoolSettings,
        clients: Vec<AppClient>,
        users: Vec<User>,
        devices: Vec<Device>,
        passkeys: Vec<Passkey>,
    ) -> Self {
        Self {
            settings,
            clients: clients
                .into_iter()
                .map(|client| (client.id.clone(), client))
                .collect(),
            users: users
                .into_iter()
                .map(|user| (user.username.clone(), user))
                .collect(),
            devices: devices
                .into_iter()
                .map(|device| (device.key.clone(), device))
                .collect(),
            passkeys: passkeys
                .into_iter()
                .map(|passkey| (passkey.credential_id.clone(), passkey))
                .collect(),
            registrations: BTreeMap::new(),
            changed: BTreeSet::new(),
        }
    }

    /// The records changed since the last call, and forgets them.
    pub fn take_changes(&mut self) -> BTreeSet<Changed> {
        std::mem::take(&mut self.changed)
    }

    /// Notes records as changed again (their save failed, so the next one retries them).
    pub fn note_changes(&mut self, changed: BTreeSet<Changed>) {
        self.changed.extend(changed);
    }

    /// SetUserPoolMfaConfig's change.
    pub fn set_mfa(&mut self, mfa: PoolMfa) {
        self.settings.mfa = mfa;
        self.changed.insert(Changed::Settings);
    }

    /// SetUserPoolMfaConfig's WebAuthnConfiguration.
    pub fn set_web_authn(&mut self, web_authn: WebAuthnSettings) {
        self.settings.web_authn = web_authn;
        self.changed.insert(Changed::Settings);
    }

    /// Every passkey, by credential id.
    pub fn passkeys(&self) -> &BTreeMap<String, Passkey> {
        &self.passkeys
    }

    /// `username`'s passkeys, oldest first (ties by credential id).
    pub fn passkeys_of(&self, username: &str) -> Vec<&Passkey> {
        let mut found: Vec<&Passkey> = self
            .passkeys
            .values()
            .filter(|passkey| passkey.username == username)
            .collect();
        found.sort_by(|a, b| (a.created, &a.credential_id).cmp(&(b.created, &b.credential_id)));
        found
    }

    /// `username`'s passkey `credential_id`, to change it (its signCount).
    pub fn passkey_of_mut(&mut self, username: &str, credential_id: &str) -> Option<&mut Passkey> {
        let passkey = self
            .passkeys
            .get_mut(credential_id)
            .filter(|passkey| passkey.username == username)?;
        self.changed
            .insert(Changed::Passkey(credential_id.to_owned()));
        Some(passkey)
    }

    /// Keeps a newly registered passkey.
    pub fn insert_passkey(&mut self, passkey: Passkey) {
        self.changed
            .insert(Changed::Passkey(passkey.credential_id.clone()));
        self.passkeys.insert(passkey.credential_id.clone(), passkey);
    }

    /// Removes `username`'s passkey, or ResourceNotFoundException.
    pub fn remove_passkey(&mut self, username: &str, credential_id: &str) -> ApiResult<Passkey> {
        if self
            .passkeys
            .get(credential_id)
            .is_none_or(|passkey| passkey.username != username)
        {
            return Err(unknown_credential());
        }
        self.changed
            .insert(Changed::Passkey(credential_id.to_owned()));
        self.passkeys
            .remove(credential_id)
            .ok_or_else(unknown_credential)
    }

    /// Remembers a registration challenge for `username`, replacing any earlier one.
    pub fn start_registration(&mut self, username: &str, pending: PendingRegistration) {
        self.registrations.insert(username.to_owned(), pending);
    }

    /// Takes `username`'s registration challenge: it is used once, whatever the verdict.
    pub fn take_registration(&mut self, username: &str) -> Option<PendingRegistration> {
        self.registrations.remove(username)
    }

    /// The app clients, by client id.
    pub fn clients(&self) -> &BTreeMap<String, AppClient> {
        &self.clients
    }

    /// An app client, to change it.
    pub fn client_mut(&mut self, client_id: &str) -> Option<&mut AppClient> {
        let client = self.clients.get_mut(client_id)?;
        self.changed.insert(Changed::Client(client_id.to_owned()));
        Some(client)
    }

    /// Adds (or replaces) an app client.
    pub fn insert_client(&mut self, client: AppClient) {
        self.changed.insert(Changed::Client(client.id.clone()));
        self.clients.insert(client.id.clone(), client);
    }

    /// The users, by username.
    pub fn users(&self) -> &BTreeMap<String, User> {
        &self.users
    }

    /// A user by username (the key itself), to change it.
    pub fn user_by_username_mut(&mut self, username: &str) -> Option<&mut User> {
        let user = self.users.get_mut(username)?;
        self.changed.insert(Changed::User(username.to_owned()));
        Some(user)
    }

    /// Adds (or replaces) a user.
    pub fn insert_user(&mut self, user: User) {
        self.changed.insert(Changed::User(user.username.clone()));
        self.users.insert(user.username.clone(), user);
    }

    /// The tracked devices, by device key.
    pub fn devices(&self) -> &BTreeMap<String, Device> {
        &self.devices
    }

    /// Forgets a device.
    pub fn remove_device(&mut self, device_key: &str) -> Option<Device> {
        self.changed.insert(Changed::Device(device_key.to_owned()));
        self.devices.remove(device_key)
    }

    /// The user a sign-in name names: the username itself (in any case when the pool
    /// ignores case), or an e-mail address, phone number or alias the pool signs in with.
    pub fn find_user(&self, given: &str) -> Option<&User> {
        self.users.get(given).or_else(|| {
            self.users
                .values()
                .find(|user| self.sign_in.names(user, given))
        })
    }

    /// The username (the key of `users`) a sign-in name stands for.
    pub fn username_of(&self, given: &str) -> Option<String> {
        self.find_user(given).map(|user| user.username.clone())
    }

    /// `username`'s device `device_key`, or ResourceNotFoundException.
    pub fn device_of(&self, username: &str, device_key: &str) -> ApiResult<&Device> {
        self.devices
            .get(device_key)
            .filter(|device| device.username == username)
            .ok_or_else(unknown_device)
    }

    /// The same, to change it.
    pub fn device_of_mut(&mut self, username: &str, device_key: &str) -> ApiResult<&mut Device> {
        let device = self
            .devices
            .get_mut(device_key)
            .filter(|device| device.username == username)
            .ok_or_else(unknown_device)?;
        self.changed.insert(Changed::Device(device_key.to_owned()));
        Ok(device)
    }

    /// A new device for a sign-in without DEVICE_KEY, when the pool tracks devices: in
    /// the group of the user's other devices, or a new group.
    pub fn track_new_device(&mut self, username: &str, now: OffsetDateTime) -> Option<&Device> {
        self.device_tracking?;
        let group_key = self
            .devices
            .values()
            .find(|device| device.username == username)
            .map_or_else(
                || format!("-{}", ids::uuid()),
                |device| device.group_key.clone(),
            );
        let device = Device::new(&self.id, username, group_key, now);
        let key = device.key.clone();
        self.changed.insert(Changed::Device(key.clone()));
        self.devices.insert(key.clone(), device);
        self.devices.get(&key)
    }
}

/// A StartWebAuthnRegistration waiting for its CompleteWebAuthnRegistration.
#[derive(Debug, Clone)]
pub struct PendingRegistration {
    /// The challenge, base64url.
    pub challenge: String,
    /// The app client the access token of the start was issued to.
    pub client_id: String,
    /// When the challenge can no longer be answered.
    pub expires: OffsetDateTime,
}

/// An app client of a pool.
#[derive(Clone, Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub secret: Option<SensitiveString>,
    /// ExplicitAuthFlows as given; `None`: Cognito's default
    /// ([`client_settings::DEFAULT_AUTH_FLOWS`]).
    #[serde(default)]
    pub explicit_auth_flows: Option<Vec<String>>,
    /// PreventUserExistenceErrors: whether unknown usernames are told apart.
    #[serde(default)]
    pub prevent_user_existence_errors: UserExistenceErrors,
    /// Whether refreshing issues a new refresh token (RefreshTokenRotation).
    #[serde(default)]
    pub refresh_token_rotation: RefreshTokenRotation,
}

impl AppClient {
    /// The flows the client allows: its ExplicitAuthFlows, or Cognito's default.
    pub fn auth_flows(&self) -> Vec<String> {
        client_settings::effective_auth_flows(self.explicit_auth_flows.as_deref())
    }

    /// Whether the client lets an AuthFlow through (USER_SRP_AUTH, USER_PASSWORD_AUTH,
    /// CUSTOM_AUTH, USER_AUTH, REFRESH_TOKEN_AUTH, ADMIN_USER_PASSWORD_AUTH).
    pub fn allows(&self, flow: &str) -> bool {
        client_settings::allows(&self.auth_flows(), flow)
    }

    /// Whether unknown usernames must be answered as wrong passwords are.
    pub fn hides_unknown_users(&self) -> bool {
        self.prevent_user_existence_errors == UserExistenceErrors::Enabled
    }
}

/// Where a user stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Confirmed,
    /// Signed in with a temporary password: must choose a new one.
    ForceChangePassword,
}

impl UserStatus {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A user. The password itself is never kept: only its SRP verifier.
#[derive(Clone, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub sub: String,
    /// Attributes in the order they were given; `sub` first.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    #[serde(default)]
    pub groups: Vec<String>,
    pub verifier: UserVerifier,
    pub status: UserStatus,
    pub enabled: bool,
    #[serde(default)]
    pub mfa: UserMfa,
    /// The stamp of the user's last global sign-out (see `local_pool::chain_stamp`):
    /// every token chain started at or before it is revoked. `None`: never signed out.
    #[serde(default)]
    pub signed_out_at: Option<u64>,
}

impl User {
    /// The value of an attribute, if the user has it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(existing, _)| existing == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// Whether `<name>_verified` is "true".
    pub fn verified(&self, name: &str) -> bool {
        self.attribute(&format!("{name}_verified")) == Some("true")
    }

    /// Where codes can reach this user.
    pub fn reachable(&self) -> Reachable {
        Reachable {
            phone: self.attribute("phone_number").is_some(),
            email: self.attribute("email").is_some(),
            authenticator: self.mfa.software_token.is_some(),
        }
    }

    /// Every attribute but `sub`, as a name → value map.
    pub fn visible_attributes(&self) -> BTreeMap<&str, &str> {
        self.attributes
            .iter()
            .filter(|(name, _)| name != "sub")
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }

    /// Sets or replaces one attribute.
    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self
            .attributes
            .iter_mut()
            .find(|(existing, _)| existing == name)
        {
            Some(slot) => slot.1 = value.to_owned(),
            None => self.attributes.push((name.to_owned(), value.to_owned())),
        }
    }
}

#[cfg(test)]
impl User {
    /// A confirmed, enabled user with no attributes but `sub`, no MFA, and the
    /// password `Example-Password-1!`, for unit tests.
    pub(crate) fn example(username: &str) -> Self {
        Self {
            username: username.to_owned(),
            sub: format!("sub-of-{username}"),
            attributes: vec![("sub".to_owned(), format!("sub-of-{username}"))],
            groups: Vec::new(),
            verifier: UserVerifier::generate("Example", username, "Example-Password-1!"),
            status: UserStatus::Confirmed,
            enabled: true,
            mfa: UserMfa::default(),
            signed_out_at: None,
        }
    }
}

/// What a Session is waiting for.
pub enum Pending {
    /// The PASSWORD_VERIFIER answer of an SRP sign-in; the proof itself waits under the
    /// one-time id of the SECRET_BLOCK issued with it.
    PasswordVerifier { block_id: String },
    /// The NEW_PASSWORD_REQUIRED answer of a user with a temporary password.
    NewPassword,
    /// USER_AUTH's SELECT_CHALLENGE: the first factors offered, and the WebAuthn
    /// challenge that a CREDENTIAL sent with `ANSWER: WEB_AUTHN` must answer (when
    /// WEB_AUTHN is offered).
    SelectChallenge {
        available: Vec<FirstFactor>,
        web_authn_challenge: Option<String>,
    },
    /// WEB_AUTHN: an assertion over this challenge (base64url), by one of the user's
    /// passkeys.
    WebAuthn { challenge: String },
    /// SELECT_MFA_TYPE: the factors offered.
    SelectMfa { choices: Vec<MfaKind> },
    /// MFA_SETUP: waiting for AssociateSoftwareToken, or an EMAIL answer.
    MfaSetup,
    /// MFA_SETUP after AssociateSoftwareToken: waiting for VerifySoftwareToken.
    SoftwareTokenAssociated { secret: SensitiveString },
    /// MFA_SETUP after VerifySoftwareToken: waiting for the MFA_SETUP answer.
    SoftwareTokenVerified,
    /// A code challenge; `code` is what was sent (None for TOTP, computed instead).
    Code {
        purpose: CodePurpose,
        code: Option<SensitiveString>,
    },
    /// CUSTOM_CHALLENGE for a round, with the history the Define trigger reads.
    Custom { round: usize, history: Vec<Attempt> },
    /// DEVICE_SRP_AUTH: the device's SRP_A, after the password.
    DeviceSrpAuth,
    /// A code challenge opened for a username the pool does not know (the client
    /// prevents user-existence errors): nothing was sent, and no answer passes.
    Phantom { kind: CodeKind },
    /// DEVICE_PASSWORD_VERIFIER: the device's SRP proof, waiting under the one-time id
    /// of the SECRET_BLOCK issued with it.
    DevicePasswordVerifier { block_id: String },
}

impl Pending {
    /// The ChallengeName the answer must carry.
    pub fn challenge_name(&self) -> &'static str {
        match self {
            Self::PasswordVerifier { .. } => "PASSWORD_VERIFIER",
            Self::NewPassword => "NEW_PASSWORD_REQUIRED",
            Self::SelectChallenge { .. } => "SELECT_CHALLENGE",
            Self::WebAuthn { .. } => "WEB_AUTHN",
            Self::SelectMfa { .. } => "SELECT_MFA_TYPE",
            Self::MfaSetup | Self::SoftwareTokenAssociated { .. } | Self::SoftwareTokenVerified => {
                "MFA_SETUP"
            }
            Self::Code { purpose, .. } => purpose.kind().challenge_name(),
            Self::Custom { .. } => "CUSTOM_CHALLENGE",
            Self::Phantom { kind } => kind.challenge_name(),
            Self::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Self::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
        }
    }

    /// How far the sign-in waiting for this got: sessions that proved nothing yet
    /// are evicted first when the pool holds too many (see `local_pool::capped`).
    pub fn proven(&self) -> Proven {
        match self {
            Self::PasswordVerifier { .. }
            | Self::SelectChallenge { .. }
            | Self::WebAuthn { .. }
            | Self::Phantom { .. } => Proven::Nothing,
            Self::Code { purpose, .. } => match purpose {
                CodePurpose::SmsOtp | CodePurpose::EmailOtp => Proven::Nothing,
                CodePurpose::SmsMfa
                | CodePurpose::EmailMfa
                | CodePurpose::EmailSetup
                | CodePurpose::SoftwareToken => Proven::FirstFactor,
            },
            Self::Custom { history, .. } => {
                let proved_one = history.iter().any(|attempt| {
                    matches!(
                        attempt,
                        Attempt::Password(true) | Attempt::Custom { correct: true, .. }
                    )
                });
                if proved_one {
                    Proven::FirstFactor
                } else {
                    Proven::Nothing
                }
            }
            Self::NewPassword
            | Self::SelectMfa { .. }
            | Self::MfaSetup
            | Self::SoftwareTokenAssociated { .. }
            | Self::SoftwareTokenVerified
            | Self::DeviceSrpAuth
            | Self::DevicePasswordVerifier { .. } => Proven::FirstFactor,
        }
    }
}

/// What a proved password leads to.
pub enum AfterPassword {
    /// NEW_PASSWORD_REQUIRED, then MFA, then tokens.
    Mfa,
    /// The custom rounds (CUSTOM_AUTH with SRP), with the history so far.
    Custom(Vec<Attempt>),
}

/// What a code challenge the pool opened is for. The wire knows four code challenges
/// ([`CodeKind`]); the pool also tells apart the three reasons it sends EMAIL_OTP,
/// since a right code after MFA_SETUP chose e-mail also enrols e-mail MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// SMS_MFA after the password.
    SmsMfa,
    /// EMAIL_OTP after the password.
    EmailMfa,
    /// EMAIL_OTP after MFA_SETUP chose e-mail: success also enrols e-mail MFA.
    EmailSetup,
    /// SOFTWARE_TOKEN_MFA after the password.
    SoftwareToken,
    /// SMS_OTP as USER_AUTH's first factor.
    SmsOtp,
    /// EMAIL_OTP as USER_AUTH's first factor.
    EmailOtp,
}

impl CodePurpose {
    /// The code challenge the person answers.
    pub fn kind(self) -> CodeKind {
        match self {
            Self::SmsMfa => CodeKind::SmsMfa,
            Self::EmailMfa | Self::EmailSetup | Self::EmailOtp => CodeKind::EmailOtp,
            Self::SoftwareToken => CodeKind::SoftwareToken,
            Self::SmsOtp => CodeKind::SmsOtp,
        }
    }

    /// The code challenge that asks for a second factor's code.
    pub fn of_mfa(factor: MfaKind) -> Self {
        match factor {
            MfaKind::Sms => Self::SmsMfa,
            MfaKind::SoftwareToken => Self::SoftwareToken,
            MfaKind::Email => Self::EmailMfa,
        }
    }
}

/// One step of a sign-in under way.
pub struct Session {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub created: OffsetDateTime,
    /// Wrong answers given to this session so far.
    pub wrong_answers: u32,
    /// `None` once the session has been used.
    pub pending: Option<Pending>,
    /// The DEVICE_KEY the sign-in started with, if any.
    pub device_key: Option<String>,
}

impl Session {
    /// Where it stands in the eviction order: a used session is [`Proven::Spent`].
    fn proven(&self) -> Proven {
        self.pending.as_ref().map_or(Proven::Spent, Pending::proven)
    }

    /// When it is forgotten: one lifetime after it expired, so a late answer hears
    /// "expired" rather than "invalid".
    fn forget_after(&self) -> OffsetDateTime {
        self.created + SESSION_LIFETIME * 2
    }

    /// A fresh session for a user, waiting for `pending`.
    pub fn new(
        pool_id: &str,
        client_id: &str,
        username: &str,
        now: OffsetDateTime,
        pending: Pending,
    ) -> Self {
        Self {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            created: now,
            wrong_answers: 0,
            pending: Some(pending),
            device_key: None,
        }
    }
}

impl State {
    /// The records of every pool changed since the last call, by pool id; forgets them.
    /// O(pools), not O(users).
    pub fn take_changes(&mut self) -> Vec<(String, BTreeSet<Changed>)> {
        self.pools
            .iter_mut()
            .map(|(id, pool)| (id.clone(), pool.take_changes()))
            .filter(|(_, changed)| !changed.is_empty())
            .collect()
    }

    /// Notes records as changed again (see [`Pool::note_changes`]).
    pub fn note_changes(&mut self, changes: Vec<(String, BTreeSet<Changed>)>) {
        for (id, changed) in changes {
            if let Some(pool) = self.pools.get_mut(&id) {
                pool.note_changes(changed);
            }
        }
    }

    /// The pool with this id.
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools
            .get(pool_id)
            .ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    /// A user of a pool, by username or any name the pool signs in with.
    pub fn user(&self, pool_id: &str, username: &str) -> ApiResult<&User> {
        self.pool(pool_id)?
            .find_user(username)
            .ok_or_else(ApiError::user_not_found)
    }

    /// A user of a pool, to change it.
    pub fn user_mut(&mut self, pool_id: &str, username: &str) -> ApiResult<&mut User> {
        let pool = self.pool_mut(pool_id)?;
        let key = pool
            .username_of(username)
            .ok_or_else(ApiError::user_not_found)?;
        pool.user_by_username_mut(&key)
            .ok_or_else(ApiError::user_not_found)
    }

    /// Whether a name given in an answer (USERNAME, which clients fill with the name typed
    /// or with USER_ID_FOR_SRP) stands for the user a session is for.
    pub fn names_user(&self, pool_id: &str, given: &str, username: &str) -> bool {
        // The same name needs no pool (a stand-in for an unknown user is not in it).
        given == username
            || self
                .pool(pool_id)
                .ok()
                .and_then(|pool| pool.username_of(given))
                .is_some_and(|found| found == username)
    }

    /// A user who may sign in: known and enabled. A copy, so the lock can be let go.
    pub fn enabled_user(&self, pool_id: &str, username: &str) -> ApiResult<User> {
        let user = self.user(pool_id, username)?;
        if !user.enabled {
            return Err(ApiError::new(ErrorType::NotAuthorized, "User is disabled."));
        }
        Ok(user.clone())
    }

    /// The pool with this id, to change it.
    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        self.pools
            .get_mut(pool_id)
            .ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    /// The app client with this id, and its pool (client ids are unique across pools).
    pub fn client(&self, client_id: &str) -> ApiResult<(&Pool, &AppClient)> {
        self.pools
            .values()
            .find_map(|pool| pool.clients().get(client_id).map(|client| (pool, client)))
            .ok_or_else(|| ApiError::client_not_found(client_id))
    }

    /// Whether any pool already has a client with this id.
    pub fn client_id_taken(&self, client_id: &str) -> bool {
        self.pools
            .values()
            .any(|pool| pool.clients().contains_key(client_id))
    }

    /// Remembers a new session (a full table first evicts the least proven, oldest
    /// one). Returns its id.
    pub fn open_session(&mut self, session: Session, _now: OffsetDateTime) -> String {
        let id = super::ids::opaque_token();
        let (proven, forget_after) = (session.proven(), session.forget_after());
        self.sessions
            .insert(id.clone(), session, proven, forget_after);
        id
    }

    /// Uses a session once: checks it is known, unused, fresh and for this client,
    /// then marks it used and gives back what it was waiting for.
    pub fn take_session(
        &mut self,
        session_id: &str,
        client_id: &str,
        now: OffsetDateTime,
    ) -> ApiResult<(Session, Pending)> {
        self.check_session(session_id, client_id, now)?;
        let session = self
            .sessions
            .get_mut(session_id)
            .ok_or_else(ApiError::invalid_session)?;
        let pending = session
            .pending
            .take()
            .ok_or_else(ApiError::reused_session)?;
        let copy = Session {
            pool_id: session.pool_id.clone(),
            client_id: session.client_id.clone(),
            username: session.username.clone(),
            created: session.created,
            wrong_answers: session.wrong_answers,
            pending: None,
            device_key: session.device_key.clone(),
        };
        self.sessions.relevel(session_id, Proven::Spent);
        Ok((copy, pending))
    }

    /// Uses a session once, whichever client opened it (AssociateSoftwareToken and
    /// VerifySoftwareToken carry no ClientId).
    pub fn take_any_session(
        &mut self,
        session_id: &str,
        now: OffsetDateTime,
    ) -> ApiResult<(Session, Pending)> {
        let client_id = self
            .sessions
            .get(session_id)
            .map(|session| session.client_id.clone())
            .ok_or_else(ApiError::invalid_session)?;
        self.take_session(session_id, &client_id, now)
    }

    /// After a wrong answer to a taken session: gives the session back, still usable,
    /// and answers `error`; the third wrong answer closes it instead.
    pub fn wrong_answer(
        &mut self,
        session_id: &str,
        mut session: Session,
        pending: Pending,
        error: ApiError,
    ) -> ApiError {
        session.wrong_answers += 1;
        if session.wrong_answers >= MAX_WRONG_ANSWERS {
            self.sessions.remove(session_id);
            return ApiError::too_many_wrong_answers();
        }
        self.put_back(session_id, session, pending);
        error
    }

    /// Gives a taken session back unchanged (the answer was refused before it was
    /// judged). It keeps its age in the eviction order.
    pub fn put_back(&mut self, session_id: &str, mut session: Session, pending: Pending) {
        session.pending = Some(pending);
        let (proven, forget_after) = (session.proven(), session.forget_after());
        self.sessions
            .insert(session_id.to_owned(), session, proven, forget_after);
    }

    /// Checks a session could be used now, without using it.
    pub fn check_session(
        &self,
        session_id: &str,
        client_id: &str,
        now: OffsetDateTime,
    ) -> ApiResult<&Session> {
        let session = self
            .sessions
            .get(session_id)
            .ok_or_else(ApiError::invalid_session)?;
        if session.client_id != client_id {
            return Err(ApiError::invalid_session());
        }
        if now - session.created > SESSION_LIFETIME {
            return Err(ApiError::expired_session());
        }
        if session.pending.is_none() {
            return Err(ApiError::reused_session());
        }
        Ok(session)
    }

    /// How many sessions the pool keeps now (used ones included).
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// Sets the most sessions the pool keeps, and the most SRP proofs with it (tests
    /// and the load driver use a small cap); entries past it are evicted at once.
    pub fn set_session_cap(&mut self, cap: usize) {
        self.sessions.set_cap(cap);
        self.proofs.set_cap(cap);
    }

    /// The session of the DEVICE_SRP_AUTH step a proved password opened for this
    /// client, user and device, still unused and fresh: how a DEVICE_SRP_AUTH answer
    /// sent without a Session (as pycognito sends it) finds its sign-in. The newest
    /// wins when there are several. (A scan of the capped table: only this rare
    /// answer pays it.)
    pub fn pending_device_step(
        &self,
        client_id: &str,
        username: &str,
        device_key: &str,
        now: OffsetDateTime,
    ) -> Option<String> {
        self.sessions
            .iter()
            .filter(|(_, session)| {
                matches!(session.pending, Some(Pending::DeviceSrpAuth))
                    && session.client_id == client_id
                    && self.names_user(&session.pool_id, username, &session.username)
                    && session.device_key.as_deref() == Some(device_key)
                    && now - session.created <= SESSION_LIFETIME
            })
            .max_by_key(|(_, session)| session.created)
            .map(|(id, _)| id.clone())
    }

    /// Keeps an SRP proof under its block's one-time id until the block expires (a
    /// full table first evicts the least proven, oldest proof: a password proof before
    /// a device's, which follows a proved password).
    pub fn remember_proof(&mut self, id: String, proof: WaitingProof, _now: OffsetDateTime) {
        let proven = match proof.after {
            AfterProof::Password(_) => Proven::Nothing,
            AfterProof::Device => Proven::FirstFactor,
        };
        let forget_after = proof.expires;
        self.proofs.insert(id, proof, proven, forget_after);
    }

    /// Takes the proof of a block for judging: the block is used from now on, whatever
    /// the verdict. `None`: it was used already, never issued, evicted, or expired.
    pub fn take_proof(&mut self, id: &str, now: OffsetDateTime) -> Option<WaitingProof> {
        self.proofs.remove(id).filter(|proof| proof.expires >= now)
    }

    /// A sign-in attempt with a password or a code starts: refused with "Password
    /// attempts exceeded" while the user is locked out.
    pub fn admit_attempt(
        &mut self,
        pool_id: &str,
        username: &str,
        now: OffsetDateTime,
    ) -> ApiResult<()> {
        self.lockouts
            .entry((pool_id.to_owned(), username.to_owned()))
            .or_default()
            .admit(now)
    }

    /// An admitted attempt failed (wrong password, wrong code): counted towards a lock.
    pub fn failed_attempt(&mut self, pool_id: &str, username: &str, now: OffsetDateTime) {
        self.lockouts
            .entry((pool_id.to_owned(), username.to_owned()))
            .or_default()
            .failed(now);
    }

    /// The user signed in: the count of failed attempts starts again from 0.
    pub fn signed_in(&mut self, pool_id: &str, username: &str) {
        self.lockouts
            .remove(&(pool_id.to_owned(), username.to_owned()));
    }

    /// Whether a chain of tokens is revoked: RevokeToken revoked it, or its user signed
    /// out everywhere at or after the moment it started (the stamp in its
    /// `origin_jti`; a chain without a readable stamp counts as the oldest).
    pub fn chain_revoked(&self, pool_id: &str, username: &str, origin_jti: &str) -> bool {
        self.origin_revoked(origin_jti)
            || self
                .user(pool_id, username)
                .ok()
                .and_then(|user| user.signed_out_at)
                .is_some_and(|signed_out| {
                    chain_stamp::stamp_of(origin_jti).is_none_or(|started| started <= signed_out)
                })
    }

    /// Whether the refresh token `grant` came in was replaced by rotation and its
    /// grace period is over at `now`.
    pub fn replaced_refresh(&self, grant: &RefreshGrant, now: OffsetDateTime) -> bool {
        self.replaced_refresh
            .get(&grant.token_id)
            .is_some_and(|replaced| now >= replaced.works_until)
    }

    /// Marks a refresh token as replaced by rotation: it keeps working for `grace` from
    /// `now` (not at all when `grace` is 0). Remembered until the token expires.
    pub fn replace_refresh(
        &mut self,
        grant: &RefreshGrant,
        grace: time::Duration,
        now: OffsetDateTime,
    ) {
        if let std::collections::btree_map::Entry::Vacant(entry) =
            self.replaced_refresh.entry(grant.token_id.clone())
        {
            entry.insert(Replaced {
                works_until: now + grace,
                forget_after: grant.expires,
            });
            self.revocations_changed
                .insert(Revocation::Replaced(grant.token_id.clone()));
        }
    }

    /// Revokes one refresh token's chain: every refresh token rotation made from the
    /// same sign-in, and every access token issued from it.
    pub fn revoke_refresh(&mut self, grant: &RefreshGrant) {
        let forget_after =
            grant.expires + time::Duration::seconds(super::tokens::TOKEN_LIFETIME_SECONDS);
        self.revoked_origins
            .insert(grant.origin_jti.clone(), forget_after);
        self.revocations_changed
            .insert(Revocation::Chain(grant.origin_jti.clone()));
    }

    /// The revocations made since the last call; forgets them (see [`Revocation`]).
    pub fn take_revocations(&mut self) -> BTreeSet<Revocation> {
        std::mem::take(&mut self.revocations_changed)
    }

    /// Notes revocations as unsaved again (their save failed).
    pub fn note_revocations(&mut self, revocations: BTreeSet<Revocation>) {
        self.revocations_changed.extend(revocations);
    }

    /// Until when a revoked chain is remembered, if it is.
    pub fn revoked_chain(&self, origin_jti: &str) -> Option<OffsetDateTime> {
        self.revoked_origins.get(origin_jti).copied()
    }

    /// The record of a refresh token replaced by rotation, if one is kept.
    pub fn replaced_token(&self, token_id: &str) -> Option<&Replaced> {
        self.replaced_refresh.get(token_id)
    }

    /// Takes back the revocations `serve --data` kept. Those past their time are not
    /// taken back but noted, so the next save deletes them from the file (the sweeper
    /// forgets entries in memory only; the file is tidied at each start).
    pub fn restore_revocations(
        &mut self,
        chains: Vec<(String, OffsetDateTime)>,
        replaced: Vec<(String, Replaced)>,
        now: OffsetDateTime,
    ) {
        for (origin_jti, forget_after) in chains {
            if forget_after > now {
                self.revoked_origins.insert(origin_jti, forget_after);
            } else {
                self.revocations_changed
                    .insert(Revocation::Chain(origin_jti));
            }
        }
        for (token_id, kept) in replaced {
            if kept.forget_after > now {
                self.replaced_refresh.insert(token_id, kept);
            } else {
                self.revocations_changed
                    .insert(Revocation::Replaced(token_id));
            }
        }
    }

    /// Signs a user out everywhere: every token chain of theirs that started at or
    /// before `stamp` (a fresh stamp from [`ChainStamps`]) is revoked, refresh and
    /// access tokens, from every client. One stamp per user, whatever they signed into.
    pub fn sign_out_everywhere(
        &mut self,
        pool_id: &str,
        username: &str,
        stamp: u64,
    ) -> ApiResult<()> {
        let user = self.user_mut(pool_id, username)?;
        user.signed_out_at = Some(user.signed_out_at.map_or(stamp, |kept| kept.max(stamp)));
        Ok(())
    }

    /// Whether the sign-in that started a chain of tokens has been revoked by
    /// RevokeToken (a global sign-out is judged by [`State::chain_revoked`]).
    pub fn origin_revoked(&self, origin_jti: &str) -> bool {
        self.revoked_origins.contains_key(origin_jti)
    }

    /// Keeps a fresh code sent to a user, replacing any earlier one for the same
    /// purpose.
    pub fn remember_code(
        &mut self,
        pool_id: &str,
        username: &str,
        purpose: SentFor,
        code: SentCode,
    ) {
        self.sent_codes
            .insert((pool_id.to_owned(), username.to_owned(), purpose), code);
    }

    /// The code a user was last sent for `purpose`, if it is still kept.
    pub fn sent_code(&self, pool_id: &str, username: &str, purpose: &SentFor) -> Option<&SentCode> {
        self.sent_codes
            .get(&(pool_id.to_owned(), username.to_owned(), purpose.clone()))
    }

    /// Judges a code given back for `purpose` (see [`SentCode::check`]): none kept is
    /// `Expired`; an expired or exhausted code is forgotten. A right code is kept until
    /// the caller has used it ([`State::forget_code`]).
    pub fn check_code(
        &mut self,
        pool_id: &str,
        username: &str,
        purpose: &SentFor,
        given: &str,
        now: OffsetDateTime,
    ) -> CodeCheck {
        let key = (pool_id.to_owned(), username.to_owned(), purpose.clone());
        let verdict = self
            .sent_codes
            .get_mut(&key)
            .map_or(CodeCheck::Expired, |sent| {
                sent.check(given, purpose.lifetime(), now)
            });
        if matches!(verdict, CodeCheck::Expired | CodeCheck::Exhausted) {
            self.sent_codes.remove(&key);
        }
        verdict
    }

    /// Forgets a user's code for `purpose` (used, or no longer valid).
    pub fn forget_code(&mut self, pool_id: &str, username: &str, purpose: &SentFor) {
        self.sent_codes
            .remove(&(pool_id.to_owned(), username.to_owned(), purpose.clone()));
    }

    /// One bounded step of a sweep: forgets up to `budget` expired entries of one
    /// map (or looks at up to `budget` entries of a time-bounded one), so the lock is
    /// held briefly. Gives back true when the sweep is complete: every map was swept
    /// and the capped tables gave back their spare room after a flood.
    pub fn sweep_step(
        &mut self,
        now: OffsetDateTime,
        cursor: &mut SweepCursor,
        budget: usize,
    ) -> bool {
        let stage_done = match cursor.stage {
            0 => self.sessions.sweep(now, budget) < budget,
            1 => self.proofs.sweep(now, budget) < budget,
            2 => sweep_chunk(
                &mut self.revoked_origins,
                &mut cursor.revoked_origins,
                budget,
                |forget_after| *forget_after <= now,
            ),
            3 => sweep_chunk(
                &mut self.replaced_refresh,
                &mut cursor.replaced_refresh,
                budget,
                |replaced| replaced.forget_after <= now,
            ),
            4 => {
                // A code's lifetime depends on what it was sent for: the key says.
                sweep_chunk_keyed(
                    &mut self.sent_codes,
                    &mut cursor.sent_codes,
                    budget,
                    |key, code| code.expired(key.2.lifetime(), now),
                )
            }
            5 => sweep_chunk(
                &mut self.lockouts,
                &mut cursor.lockouts,
                budget,
                |lockout| lockout.is_spent(now),
            ),
            _ => {
                self.sessions.shrink();
                self.proofs.shrink();
                *cursor = SweepCursor::default();
                return true;
            }
        };
        if stage_done {
            cursor.stage += 1;
        }
        false
    }
}

/// [`sweep_chunk_keyed`] where expiry needs only the value.
fn sweep_chunk<K: Ord + Clone, V>(
    map: &mut BTreeMap<K, V>,
    cursor: &mut Option<K>,
    budget: usize,
    expired: impl Fn(&V) -> bool,
) -> bool {
    sweep_chunk_keyed(map, cursor, budget, |_, value| expired(value))
}

/// Looks at up to `budget` entries of `map` after `cursor`, forgets the expired ones,
/// and moves the cursor past them: O(log n + budget) per step. Gives back true when
/// the end of the map was reached (the cursor starts over).
fn sweep_chunk_keyed<K: Ord + Clone, V>(
    map: &mut BTreeMap<K, V>,
    cursor: &mut Option<K>,
    budget: usize,
    expired: impl Fn(&K, &V) -> bool,
) -> bool {
    let start = cursor.take().map_or(Bound::Unbounded, Bound::Excluded);
    let mut seen = 0;
    let mut last = None;
    let mut doomed = Vec::new();
    for (key, value) in map.range((start, Bound::Unbounded)).take(budget) {
        seen += 1;
        last = Some(key);
        if expired(key, value) {
            doomed.push(key.clone());
        }
    }
    let reached_end = seen < budget;
    if !reached_end {
        *cursor = last.cloned();
    }
    for key in doomed {
        map.remove(&key);
    }
    reached_end
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::local_pool::refresh_token::new_token_id;

    const POOL: &str = "us-east-1_P";

    /// A state with one pool, `POOL`, holding `users` (through a pool file, as `serve`
    /// builds it).
    fn state_with(users: &[&str]) -> State {
        let mut toml = format!("[[pool]]\nid = \"{POOL}\"\nname = \"p\"\n");
        for user in users {
            toml += &format!(
                "[[pool.user]]\nusername = \"{user}\"\npassword = \"Example-Password-1!\"\n"
            );
        }
        let file = crate::local_pool::parse_pool_file(&toml, "test.toml").unwrap();
        crate::local_pool::seed::build(&file).0
    }

    fn grant(username: &str, origin: &str, now: OffsetDateTime) -> RefreshGrant {
        RefreshGrant {
            pool_id: POOL.to_owned(),
            client_id: "client".to_owned(),
            username: username.to_owned(),
            auth_time: now.unix_timestamp(),
            origin_jti: origin.to_owned(),
            expires: now + REFRESH_LIFETIME,
            device_key: None,
            token_id: new_token_id(),
        }
    }

    fn session(pending: Pending, now: OffsetDateTime) -> Session {
        Session::new(POOL, "client", "alice", now, pending)
    }

    fn flood(now: OffsetDateTime) -> Session {
        session(
            Pending::Custom {
                round: 0,
                history: Vec::new(),
            },
            now,
        )
    }

    fn mfa_code(now: OffsetDateTime) -> Session {
        let pending = Pending::Code {
            purpose: CodePurpose::SmsMfa,
            code: None,
        };
        session(pending, now)
    }

    /// Runs one whole sweep, as the sweeper does, in steps of `budget`.
    fn sweep(state: &mut State, now: OffsetDateTime, budget: usize) -> usize {
        let mut cursor = SweepCursor::default();
        let mut steps = 1;
        while !state.sweep_step(now, &mut cursor, budget) {
            steps += 1;
        }
        steps
    }

    #[test]
    fn revoking_one_refresh_token_revokes_its_chain_only() {
        let now = OffsetDateTime::now_utc();
        let mut state = state_with(&["alice"]);
        state.revoke_refresh(&grant("alice", "o1", now));
        assert!(state.origin_revoked("o1"));
        assert!(state.chain_revoked(POOL, "alice", "o1"));
        assert!(!state.chain_revoked(POOL, "alice", "o2"));
    }

    #[test]
    fn a_sign_out_revokes_chains_started_before_it_and_spares_later_ones_and_others() {
        let stamps = ChainStamps::default();
        let now = OffsetDateTime::now_utc();
        let mut state = state_with(&["alice", "bob"]);
        let before = chain_stamp::origin_jti(stamps.next(now));
        let bobs = chain_stamp::origin_jti(stamps.next(now));
        state
            .sign_out_everywhere(POOL, "alice", stamps.next(now))
            .unwrap();
        // The clock stands still: the sign-in straight after still comes later.
        let after = chain_stamp::origin_jti(stamps.next(now));
        assert!(state.chain_revoked(POOL, "alice", &before));
        assert!(!state.chain_revoked(POOL, "alice", &after));
        assert!(!state.chain_revoked(POOL, "bob", &bobs));
        // A chain whose start cannot be read counts as the oldest.
        assert!(state.chain_revoked(POOL, "alice", &uuid::Uuid::new_v4().to_string()));
        assert!(
            state
                .sign_out_everywhere(POOL, "nobody", stamps.next(now))
                .is_err()
        );
    }

    #[test]
    fn a_replaced_refresh_token_works_for_its_grace_then_is_refused_until_it_expires() {
        let now = OffsetDateTime::now_utc();
        let mut state = state_with(&[]);
        let old = grant("alice", "o", now);
        state.replace_refresh(&old, time::Duration::seconds(10), now);
        // Replacing it again (a retry in the grace period) does not extend the grace.
        state.replace_refresh(
            &old,
            time::Duration::seconds(10),
            now + time::Duration::seconds(5),
        );
        assert!(!state.replaced_refresh(&old, now + time::Duration::seconds(9)));
        assert!(state.replaced_refresh(&old, now + time::Duration::seconds(10)));
        assert!(!state.replaced_refresh(&grant("alice", "o", now), now + time::Duration::hours(1)));
        sweep(&mut state, now + time::Duration::days(1), 16);
        assert!(state.replaced_refresh(&old, now + time::Duration::days(1)));
        sweep(&mut state, old.expires, 16);
        assert!(state.replaced_refresh.is_empty());
    }

    #[test]
    fn a_flood_of_unproved_sessions_evicts_itself_not_a_session_at_an_mfa_code() {
        let now = OffsetDateTime::now_utc();
        let mut state = state_with(&["alice"]);
        state.set_session_cap(5);
        let waiting = state.open_session(mfa_code(now), now);
        let flood_ids: Vec<String> = (0..50)
            .map(|_| state.open_session(flood(now), now))
            .collect();
        assert_eq!(state.session_count(), 5);
        assert!(state.check_session(&waiting, "client", now).is_ok());
        // The newest four of the flood are kept, the older ones evicted, oldest first.
        for (index, id) in flood_ids.iter().enumerate() {
            let kept = state.check_session(id, "client", now).is_ok();
            assert_eq!(kept, index >= 46, "flood session {index}");
        }
        assert_eq!(
            state.check_session(&flood_ids[0], "client", now).err(),
            Some(ApiError::invalid_session())
        );
    }

    #[test]
    fn sessions_are_levelled_by_what_they_proved() {
        let custom = |history| Pending::Custom { round: 1, history };
        assert_eq!(custom(Vec::new()).proven(), Proven::Nothing);
        assert_eq!(custom(vec![Attempt::SrpA]).proven(), Proven::Nothing);
        assert_eq!(
            custom(vec![Attempt::Password(true)]).proven(),
            Proven::FirstFactor
        );
        let code = |purpose| Pending::Code {
            purpose,
            code: None,
        };
        assert_eq!(code(CodePurpose::EmailOtp).proven(), Proven::Nothing);
        assert_eq!(
            code(CodePurpose::SoftwareToken).proven(),
            Proven::FirstFactor
        );
        assert_eq!(Pending::NewPassword.proven(), Proven::FirstFactor);
        assert_eq!(Pending::DeviceSrpAuth.proven(), Proven::FirstFactor);
        let now = OffsetDateTime::now_utc();
        assert_eq!(
            Session {
                pending: None,
                ..flood(now)
            }
            .proven(),
            Proven::Spent
        );
    }

    #[test]
    fn an_expired_proof_is_refused_without_a_sweep() {
        let now = OffsetDateTime::now_utc();
        let mut state = State::default();
        let a = crate::crypto::SrpClient::new().public_a_hex();
        let proof = || WaitingProof {
            server: Box::new(SrpServer::new(&User::example("alice").verifier, &a).unwrap()),
            after: AfterProof::Device,
            expires: now + SESSION_LIFETIME,
        };
        state.remember_proof("fresh".to_owned(), proof(), now);
        state.remember_proof("late".to_owned(), proof(), now);
        assert!(state.take_proof("fresh", now).is_some());
        assert!(state.take_proof("fresh", now).is_none(), "used once");
        let late = now + SESSION_LIFETIME + time::Duration::seconds(1);
        assert!(state.take_proof("late", late).is_none());
    }

    #[test]
    fn an_expired_session_answers_expired_until_the_sweep_forgets_it() {
        let now = OffsetDateTime::now_utc();
        let mut state = State::default();
        let id = state.open_session(flood(now), now);
        let late = now + SESSION_LIFETIME + time::Duration::seconds(1);
        assert_eq!(
            state.check_session(&id, "client", late).err(),
            Some(ApiError::expired_session())
        );
        sweep(&mut state, late, 16);
        assert_eq!(state.session_count(), 1, "kept one lifetime more");
        sweep(&mut state, now + SESSION_LIFETIME * 2, 16);
        assert_eq!(state.session_count(), 0);
    }

    #[test]
    fn the_sweep_goes_in_bounded_steps_and_gives_room_back_after_a_flood() {
        let now = OffsetDateTime::now_utc();
        let mut state = state_with(&["alice"]);
        for _ in 0..5_000 {
            state.open_session(flood(now), now);
        }
        for n in 0..300 {
            state.revoke_refresh(&grant("alice", &format!("o{n}"), now));
        }
        let grown = state.sessions.capacity();
        let later = now + SESSION_LIFETIME * 2;
        let kept = state.open_session(mfa_code(later), later);
        // 5,000 sessions and 300 chains, 100 at a time: many short holds of the lock.
        assert!(sweep(&mut state, later, 100) > 50);
        assert_eq!(state.session_count(), 1);
        assert!(state.check_session(&kept, "client", later).is_ok());
        assert!(
            state.sessions.capacity() < grown / 20,
            "{}",
            state.sessions.capacity()
        );
        assert!(
            state.origin_revoked("o299"),
            "revoked chains are kept until they expire"
        );
        sweep(
            &mut state,
            now + REFRESH_LIFETIME + time::Duration::hours(1),
            100,
        );
        assert!(!state.origin_revoked("o0") && !state.origin_revoked("o299"));
    }
}
