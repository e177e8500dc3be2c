//! What the pool remembers: its pools, app clients and users, the sessions of
//! sign-ins under way, and the refresh tokens it has handed out.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;

use super::clock::Clock;
use super::error::{ApiError, ApiResult};
use super::tokens::Signer;
use crate::crypto::{SrpServer, UserVerifier};
use crate::sensitive::SensitiveString;

/// How long a Session stays valid: Cognito's default of 3 minutes.
pub const SESSION_LIFETIME: time::Duration = time::Duration::minutes(3);

/// How long a refresh token stays valid: Cognito's default of 30 days.
pub const REFRESH_LIFETIME: time::Duration = time::Duration::days(30);

/// Everything the request handlers share.
pub struct Shared {
    /// `http://127.0.0.1:<port>`, the base of every issuer.
    pub url: String,
    pub clock: Clock,
    pub signer: Signer,
    state: Mutex<State>,
}

impl Shared {
    /// Wraps a seeded state for the server.
    pub fn new(url: String, signer: Signer, state: State) -> Arc<Self> {
        Arc::new(Self {
            url,
            clock: Clock::default(),
            signer,
            state: Mutex::new(state),
        })
    }

    /// Locks the state. A panic elsewhere never makes the pool unusable: the data
    /// is plain maps, valid between any two statements.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
}

/// A user pool.
pub struct Pool {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub mfa_configuration: String,
    pub clients: BTreeMap<String, AppClient>,
    pub users: BTreeMap<String, User>,
}

/// An app client of a pool.
#[derive(Clone)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    pub secret: Option<SensitiveString>,
    /// `None`: every flow the pool serves is allowed.
    pub explicit_auth_flows: Option<Vec<String>>,
}

impl AppClient {
    /// Whether the client lets a flow through: `ALLOW_<FLOW>` (or the legacy bare name) is listed.
    pub fn allows(&self, flow: &str) -> bool {
        match &self.explicit_auth_flows {
            None => true,
            Some(flows) => flows
                .iter()
                .any(|allowed| allowed.strip_prefix("ALLOW_").unwrap_or(allowed) == flow),
        }
    }
}

/// Where a user stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Clone)]
pub struct User {
    pub username: String,
    pub sub: String,
    /// Attributes in the order they were given; `sub` first.
    pub attributes: Vec<(String, String)>,
    pub groups: Vec<String>,
    pub verifier: UserVerifier,
    pub status: UserStatus,
    pub enabled: bool,
}

impl User {
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

/// What a Session is waiting for.
pub enum Pending {
    /// The PASSWORD_VERIFIER answer of a USER_SRP_AUTH sign-in.
    PasswordVerifier {
        server: Box<SrpServer>,
        secret_block: Vec<u8>,
    },
    /// The NEW_PASSWORD_REQUIRED answer of a user with a temporary password.
    NewPassword,
}

/// One step of a sign-in under way.
pub struct Session {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub created: OffsetDateTime,
    /// `None` once the session has been used.
    pub pending: Option<Pending>,
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
}

impl State {
    /// The pool with this id.
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools
            .get(pool_id)
            .ok_or_else(|| ApiError::pool_not_found(pool_id))
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
            .find_map(|pool| pool.clients.get(client_id).map(|client| (pool, client)))
            .ok_or_else(|| ApiError::client_not_found(client_id))
    }

    /// Whether any pool already has a client with this id.
    pub fn client_id_taken(&self, client_id: &str) -> bool {
        self.pools
            .values()
            .any(|pool| pool.clients.contains_key(client_id))
    }

    /// Remembers a new session and forgets those past their lifetime. Returns its id.
    pub fn open_session(&mut self, session: Session, now: OffsetDateTime) -> String {
        self.sessions
            .retain(|_, kept| now - kept.created <= SESSION_LIFETIME);
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
            pending: None,
        };
        Ok((copy, pending))
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

    /// The id of the unused PASSWORD_VERIFIER session that issued this secret block,
    /// for clients that answer PASSWORD_VERIFIER without sending the Session back.
    pub fn session_for_secret_block(&self, secret_block: &[u8]) -> Option<String> {
        self.sessions
            .iter()
            .find_map(|(id, session)| match &session.pending {
                Some(Pending::PasswordVerifier {
                    secret_block: issued,
                    ..
                }) if issued.as_slice() == secret_block => Some(id.clone()),
                _ => None,
            })
    }

    /// Remembers a refresh token's grant and forgets expired ones. Returns the token.
    pub fn grant_refresh(&mut self, grant: RefreshGrant, now: OffsetDateTime) -> String {
        self.refresh_tokens.retain(|_, kept| kept.expires > now);
        let token = super::ids::opaque_token();
        self.refresh_tokens.insert(token.clone(), grant);
        token
    }

    /// The grant of a refresh token still valid now.
    pub fn refresh_grant(&self, token: &str, now: OffsetDateTime) -> Option<&RefreshGrant> {
        self.refresh_tokens
            .get(token)
            .filter(|grant| grant.expires > now)
    }
}
