//! What the pool remembers: its pools, app clients and users, the sessions of
//! sign-ins under way, the refresh tokens it has handed out (and revoked), and the
//! codes it has sent outside a sign-in (password resets, attribute verification).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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
use super::rotation::RefreshTokenRotation;
use super::secret_block::BlockSealer;
use super::sign_in_names::SignInNames;
use super::store::{Store, StoreError};
use super::tokens::Signer;
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

/// Everything the request handlers share.
pub struct Shared {
    /// `http://127.0.0.1:<port>`, the base of every issuer.
    pub url: String,
    pub clock: Clock,
    pub signer: Signer,
    /// The SMS and e-mail messages the pool "sent".
    pub outbox: Outbox,
    /// Seals SECRET_BLOCKs under a key made at start-up (see `local_pool::secret_block`).
    pub sealer: BlockSealer,
    /// One turn per core for the arithmetic operations (see `local_pool::cpu`).
    pub cpu: CpuTurns,
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
        let Some(store) = &self.store else {
            return Ok(());
        };
        if changes.is_empty() {
            return Ok(());
        }
        let mut store = store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let saved = store.save(&state, &changes);
        if saved.is_err() {
            // Kept as changed, so the next save tries them again.
            state.note_changes(changes);
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

/// All pools, sessions and refresh tokens.
#[derive(Default)]
pub struct State {
    pub pools: BTreeMap<String, Pool>,
    sessions: HashMap<String, Session>,
    refresh_tokens: HashMap<String, RefreshGrant>,
    /// `origin_jti` of revoked sign-ins → when the entry may be forgotten (no token
    /// of that chain can be valid after it). Access tokens carry `origin_jti`, so a
    /// revoked refresh token takes every access token issued from it along.
    revoked_origins: HashMap<String, OffsetDateTime>,
    /// Codes sent outside a sign-in, per (pool id, username, what for): one each.
    sent_codes: HashMap<(String, String, SentFor), SentCode>,
    /// SRP proofs waiting for their PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
    /// answer, by the one-time id sealed in their SECRET_BLOCK; forgotten once used.
    proofs: HashMap<String, WaitingProof>,
    /// Failed sign-in attempts per (pool id, username) (see `local_pool::lockout`).
    lockouts: HashMap<(String, String), Lockout>,
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
}

/// One record of a pool that changed since the last save: what `--data` writes after
/// the call that changed it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changed {
    Settings,
    Client(String),
    User(String),
    Device(String),
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
            changed: BTreeSet::from([Changed::Settings]),
        }
    }

    /// A pool as the data directory kept it: nothing in it is yet to be saved.
    pub fn kept(
        settings: PoolSettings,
        clients: Vec<AppClient>,
        users: Vec<User>,
        devices: Vec<Device>,
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
    /// USER_AUTH's SELECT_CHALLENGE: the first factors offered.
    SelectChallenge { available: Vec<FirstFactor> },
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

/// A refresh token's grant.
#[derive(Clone)]
pub struct RefreshGrant {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub auth_time: i64,
    pub origin_jti: String,
    pub expires: OffsetDateTime,
    /// RevokeToken or a global sign-out revoked it: refreshing is refused.
    pub revoked: bool,
    /// The device the sign-in had (the DEVICE_KEY it proved, or the device it was
    /// given): refreshing needs that DEVICE_KEY, and the device must still exist.
    pub device_key: Option<String>,
    /// Set when refresh token rotation replaced this token: it works until then (the
    /// client's grace period after the replacement), and is refused after.
    pub replaced_until: Option<OffsetDateTime>,
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

    /// Remembers a new session and forgets those well past their lifetime (kept one
    /// lifetime longer, so a late answer hears "expired" rather than "invalid").
    /// Returns its id.
    pub fn open_session(&mut self, session: Session, now: OffsetDateTime) -> String {
        self.sessions
            .retain(|_, kept| now - kept.created <= SESSION_LIFETIME * 2);
        let id = super::ids::opaque_token();
        self.sessions.insert(id.clone(), session);
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
        session.pending = Some(pending);
        self.sessions.insert(session_id.to_owned(), session);
        error
    }

    /// Gives a taken session back unchanged (the answer was refused before it was judged).
    pub fn put_back(&mut self, session_id: &str, mut session: Session, pending: Pending) {
        session.pending = Some(pending);
        self.sessions.insert(session_id.to_owned(), session);
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

    /// The session of the DEVICE_SRP_AUTH step a proved password opened for this
    /// client, user and device, still unused and fresh: how a DEVICE_SRP_AUTH answer
    /// sent without a Session (as pycognito sends it) finds its sign-in. The newest
    /// wins when there are several.
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

    /// Keeps an SRP proof under its block's one-time id, and forgets expired ones.
    pub fn remember_proof(&mut self, id: String, proof: WaitingProof, now: OffsetDateTime) {
        self.proofs.retain(|_, kept| kept.expires >= now);
        self.proofs.insert(id, proof);
    }

    /// Takes the proof of a block for judging: the block is used from now on, whatever
    /// the verdict. `None`: it was used already (or never issued).
    pub fn take_proof(&mut self, id: &str) -> Option<WaitingProof> {
        self.proofs.remove(id)
    }

    /// A sign-in attempt with a password or a code starts: refused with "Password
    /// attempts exceeded" while the user is locked out.
    pub fn admit_attempt(
        &mut self,
        pool_id: &str,
        username: &str,
        now: OffsetDateTime,
    ) -> ApiResult<()> {
        self.lockouts.retain(|_, lockout| !lockout.is_spent(now));
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

    /// Remembers a refresh token's grant and forgets expired ones. Returns the token.
    pub fn grant_refresh(&mut self, grant: RefreshGrant, now: OffsetDateTime) -> String {
        self.refresh_tokens.retain(|_, kept| kept.expires > now);
        let token = super::ids::opaque_token();
        self.refresh_tokens.insert(token.clone(), grant);
        token
    }

    /// The grant of a refresh token not yet expired now (revoked or not: the caller
    /// tells the two apart, as Cognito's messages do).
    pub fn refresh_grant(&self, token: &str, now: OffsetDateTime) -> Option<&RefreshGrant> {
        self.refresh_tokens
            .get(token)
            .filter(|grant| grant.expires > now)
    }

    /// Marks a refresh token as replaced by rotation: it keeps working for `grace` from
    /// `now` (not at all when `grace` is 0).
    pub fn replace_refresh(&mut self, token: &str, grace: time::Duration, now: OffsetDateTime) {
        if let Some(grant) = self.refresh_tokens.get_mut(token)
            && grant.replaced_until.is_none()
        {
            grant.replaced_until = Some(now + grace);
        }
    }

    /// Revokes one refresh token and every access token issued from it (with the
    /// tokens rotation made from the same sign-in). Gives back whether the pool knew
    /// the token.
    pub fn revoke_refresh(&mut self, token: &str, now: OffsetDateTime) -> bool {
        let Some(grant) = self.refresh_tokens.get(token) else {
            return false;
        };
        let (origin, expires) = (grant.origin_jti.clone(), grant.expires);
        for grant in self.refresh_tokens.values_mut() {
            if grant.origin_jti == origin {
                grant.revoked = true;
            }
        }
        self.revoke_origin(origin, expires, now);
        true
    }

    /// Signs a user out everywhere: every refresh token of theirs, from every client,
    /// is revoked, and with them every access token issued from those sign-ins.
    pub fn sign_out_everywhere(&mut self, pool_id: &str, username: &str, now: OffsetDateTime) {
        let mut origins = Vec::new();
        for grant in self.refresh_tokens.values_mut() {
            if grant.pool_id == pool_id && grant.username == username {
                grant.revoked = true;
                origins.push((grant.origin_jti.clone(), grant.expires));
            }
        }
        for (origin, expires) in origins {
            self.revoke_origin(origin, expires, now);
        }
    }

    /// Whether the sign-in that started a chain of tokens has been revoked.
    pub fn origin_revoked(&self, origin_jti: &str) -> bool {
        self.revoked_origins.contains_key(origin_jti)
    }

    /// Remembers a revoked sign-in until its last access token could have expired:
    /// the refresh token's expiry plus one access-token lifetime.
    fn revoke_origin(
        &mut self,
        origin: String,
        refresh_expires: OffsetDateTime,
        now: OffsetDateTime,
    ) {
        self.revoked_origins
            .retain(|_, forget_after| *forget_after > now);
        let forget_after =
            refresh_expires + time::Duration::seconds(super::tokens::TOKEN_LIFETIME_SECONDS);
        self.revoked_origins.insert(origin, forget_after);
    }

    /// Keeps a fresh code sent to a user, replacing any earlier one for the same
    /// purpose, and forgets codes past their lifetime.
    pub fn remember_code(
        &mut self,
        pool_id: &str,
        username: &str,
        purpose: SentFor,
        code: SentCode,
    ) {
        let now = code.sent;
        self.sent_codes
            .retain(|(_, _, kept_for), kept| !kept.expired(kept_for.lifetime(), now));
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
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn grant(username: &str, origin: &str, now: OffsetDateTime) -> RefreshGrant {
        RefreshGrant {
            pool_id: "us-east-1_P".to_owned(),
            client_id: "client".to_owned(),
            username: username.to_owned(),
            auth_time: now.unix_timestamp(),
            origin_jti: origin.to_owned(),
            expires: now + REFRESH_LIFETIME,
            revoked: false,
            device_key: None,
            replaced_until: None,
        }
    }

    #[test]
    fn revoking_one_refresh_token_revokes_its_origin_only() {
        let now = OffsetDateTime::now_utc();
        let mut state = State::default();
        let first = state.grant_refresh(grant("alice", "o1", now), now);
        let second = state.grant_refresh(grant("alice", "o2", now), now);
        assert!(state.revoke_refresh(&first, now));
        assert!(!state.revoke_refresh("unknown", now));
        assert!(state.refresh_grant(&first, now).unwrap().revoked);
        assert!(!state.refresh_grant(&second, now).unwrap().revoked);
        assert!(state.origin_revoked("o1"));
        assert!(!state.origin_revoked("o2"));
    }

    #[test]
    fn signing_out_everywhere_spares_other_users() {
        let now = OffsetDateTime::now_utc();
        let mut state = State::default();
        let alices = [
            state.grant_refresh(grant("alice", "a1", now), now),
            state.grant_refresh(grant("alice", "a2", now), now),
        ];
        let bobs = state.grant_refresh(grant("bob", "b1", now), now);
        state.sign_out_everywhere("us-east-1_P", "alice", now);
        for token in &alices {
            assert!(state.refresh_grant(token, now).unwrap().revoked);
        }
        assert!(!state.refresh_grant(&bobs, now).unwrap().revoked);
        assert!(state.origin_revoked("a1") && state.origin_revoked("a2"));
        assert!(!state.origin_revoked("b1"));
    }

    #[test]
    fn revoked_origins_are_forgotten_once_no_token_can_be_valid() {
        let now = OffsetDateTime::now_utc();
        let mut state = State::default();
        let old = state.grant_refresh(grant("alice", "old", now), now);
        state.revoke_refresh(&old, now);
        let much_later = now + REFRESH_LIFETIME + time::Duration::hours(2);
        let fresh = state.grant_refresh(grant("alice", "new", much_later), much_later);
        state.revoke_refresh(&fresh, much_later);
        assert!(!state.origin_revoked("old"));
        assert!(state.origin_revoked("new"));
    }
}
