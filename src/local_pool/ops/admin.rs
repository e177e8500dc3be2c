//! Pool, client and user management: the operations `serve` users and tests call to
//! set a pool up (Cognito signs these with SigV4; the local pool does not check it).

use crate::crypto::srp::pool_name;
use std::collections::BTreeMap;

use crate::cognito::types::{
    AdminCreateUserRequest, AdminCreateUserResponse, AdminGetUserMfaResponse, AdminGetUserRequest,
    AdminGetUserResponse, AdminSetUserPasswordRequest, AttributeType, CreateUserPoolClientRequest,
    CreateUserPoolRequest, CreateUserPoolSchema, DescribeUserPoolClientRequest,
    DescribeUserPoolRequest, Empty, UserPoolClientResponse, UserPoolClientType, UserPoolResponse,
    UserPoolType, UserType,
};
use crate::crypto::UserVerifier;
use crate::local_pool::custom_auth::CustomAuth;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::ids;
use crate::local_pool::mfa::{MfaKind, MfaMode, PoolMfa, UserMfa};
use crate::local_pool::rotation::RefreshTokenRotation;
use crate::local_pool::state::{AppClient, Pool, Shared, User, UserStatus};
use crate::sensitive::SensitiveString;

use super::password_policy;

/// The values `ExplicitAuthFlows` may hold.
pub const KNOWN_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

/// `CreateUserPool`: a new pool with a random id. `Schema` entries with
/// `Required: true` become the pool's required attributes. MFA ON or OPTIONAL starts
/// with SMS and software tokens, as Cognito's console does; SetUserPoolMfaConfig changes it.
pub fn create_user_pool(
    shared: &Shared,
    request: CreateUserPoolRequest,
    schema: CreateUserPoolSchema,
) -> ApiResult<UserPoolResponse> {
    check_length("poolName", &request.pool_name, 128)?;
    let mode = match request.mfa_configuration.as_deref() {
        None => MfaMode::Off,
        Some(value) => MfaMode::parse(value).ok_or_else(|| {
            ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
            )
        })?,
    };
    let factors = if mode == MfaMode::Off {
        Default::default()
    } else {
        [MfaKind::Sms, MfaKind::SoftwareToken].into_iter().collect()
    };
    let required_attributes = schema
        .schema
        .iter()
        .filter(|attribute| attribute.required == Some(true) && attribute.name != "sub")
        .map(|attribute| attribute.name.clone())
        .collect();
    let mut state = shared.lock();
    let mut id = ids::pool_id();
    while state.pools.contains_key(&id) {
        id = ids::pool_id();
    }
    let pool = Pool {
        arn: ids::pool_arn(&id),
        id: id.clone(),
        name: request.pool_name,
        mfa: PoolMfa {
            mode,
            factors,
            ..PoolMfa::default()
        },
        required_attributes,
        custom: CustomAuth::default(),
        clients: BTreeMap::new(),
        users: BTreeMap::new(),
        device_tracking: request.device_configuration,
        devices: BTreeMap::new(),
    };
    let answer = describe(&pool);
    state.pools.insert(id, pool);
    Ok(answer)
}

/// `DescribeUserPool`.
pub fn describe_user_pool(
    shared: &Shared,
    request: DescribeUserPoolRequest,
) -> ApiResult<UserPoolResponse> {
    let state = shared.lock();
    Ok(describe(state.pool(&request.user_pool_id)?))
}

fn describe(pool: &Pool) -> UserPoolResponse {
    UserPoolResponse {
        user_pool: UserPoolType {
            id: pool.id.clone(),
            name: pool.name.clone(),
            arn: Some(pool.arn.clone()),
            mfa_configuration: Some(pool.mfa.mode.as_str().to_owned()),
            device_configuration: pool.device_tracking,
        },
    }
}

/// `CreateUserPoolClient`: a client with a random id, and a secret when asked.
pub fn create_user_pool_client(
    shared: &Shared,
    request: CreateUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    check_length("clientName", &request.client_name, 128)?;
    if let Some(flows) = &request.explicit_auth_flows {
        check_auth_flows(flows)?;
    }
    let refresh_token_rotation = match &request.refresh_token_rotation {
        Some(wire) => RefreshTokenRotation::from_wire(wire)?,
        None => RefreshTokenRotation::default(),
    };
    let mut state = shared.lock();
    state.pool(&request.user_pool_id)?;
    let mut id = ids::client_id();
    while state.client_id_taken(&id) {
        id = ids::client_id();
    }
    let client = AppClient {
        id: id.clone(),
        name: request.client_name,
        secret: request
            .generate_secret
            .then(|| SensitiveString::new(ids::client_secret())),
        explicit_auth_flows: request.explicit_auth_flows,
        refresh_token_rotation,
    };
    let answer = describe_client(&request.user_pool_id, &client);
    state
        .pool_mut(&request.user_pool_id)?
        .clients
        .insert(id, client);
    Ok(answer)
}

/// `DescribeUserPoolClient` (it shows the secret, as Cognito does).
pub fn describe_user_pool_client(
    shared: &Shared,
    request: DescribeUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    let state = shared.lock();
    let pool = state.pool(&request.user_pool_id)?;
    let client = pool
        .clients
        .get(&request.client_id)
        .ok_or_else(|| ApiError::client_not_found(&request.client_id))?;
    Ok(describe_client(&pool.id, client))
}

fn describe_client(pool_id: &str, client: &AppClient) -> UserPoolClientResponse {
    UserPoolClientResponse {
        user_pool_client: UserPoolClientType {
            user_pool_id: pool_id.to_owned(),
            client_id: client.id.clone(),
            client_name: client.name.clone(),
            client_secret: client.secret.clone(),
            explicit_auth_flows: client.explicit_auth_flows.clone(),
            refresh_token_rotation: Some(client.refresh_token_rotation.to_wire()),
        },
    }
}

/// Refuses ExplicitAuthFlows values Cognito does not know.
pub fn check_auth_flows(flows: &[String]) -> ApiResult<()> {
    match flows
        .iter()
        .find(|flow| !KNOWN_AUTH_FLOWS.contains(&flow.as_str()))
    {
        Some(_) => Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "1 validation error detected: Value at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                KNOWN_AUTH_FLOWS.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// `AdminCreateUser`: a user in FORCE_CHANGE_PASSWORD, with a `sub`.
pub fn admin_create_user(
    shared: &Shared,
    request: AdminCreateUserRequest,
) -> ApiResult<AdminCreateUserResponse> {
    check_username(&request.username)?;
    let password = match &request.temporary_password {
        Some(password) => {
            password_policy::check(password.expose())?;
            password.clone()
        }
        // Cognito would e-mail a generated one; here nobody can know it until
        // AdminSetUserPassword sets one.
        None => SensitiveString::new(format!("{}-Aa1!", ids::opaque_token())),
    };
    {
        let state = shared.lock();
        let pool = state.pool(&request.user_pool_id)?;
        if pool.users.contains_key(&request.username) {
            return Err(username_exists());
        }
    }
    let realm = pool_name(&request.user_pool_id).to_owned();
    let verifier = UserVerifier::generate(&realm, &request.username, password.expose());
    let sub = ids::uuid();
    let mut user = User {
        username: request.username.clone(),
        sub: sub.clone(),
        attributes: vec![("sub".to_owned(), sub)],
        groups: Vec::new(),
        verifier,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        mfa: UserMfa::default(),
    };
    for attribute in &request.user_attributes {
        if attribute.name != "sub" {
            user.set_attribute(&attribute.name, &attribute.value);
        }
    }
    let mut state = shared.lock();
    let pool = state.pool_mut(&request.user_pool_id)?;
    if pool.users.contains_key(&request.username) {
        return Err(username_exists());
    }
    let answer = AdminCreateUserResponse {
        user: UserType {
            username: user.username.clone(),
            attributes: attribute_types(&user),
            enabled: user.enabled,
            user_status: user.status.as_str().to_owned(),
        },
    };
    pool.users.insert(user.username.clone(), user);
    Ok(answer)
}

fn username_exists() -> ApiError {
    ApiError::new(ErrorType::UsernameExists, "User account already exists")
}

/// `AdminSetUserPassword`: Permanent → CONFIRMED, otherwise FORCE_CHANGE_PASSWORD.
pub fn admin_set_user_password(
    shared: &Shared,
    request: AdminSetUserPasswordRequest,
) -> ApiResult<Empty> {
    password_policy::check(request.password.expose())?;
    {
        shared
            .lock()
            .user(&request.user_pool_id, &request.username)?;
    }
    let realm = pool_name(&request.user_pool_id).to_owned();
    let verifier = UserVerifier::generate(&realm, &request.username, request.password.expose());
    let mut state = shared.lock();
    let user = state.user_mut(&request.user_pool_id, &request.username)?;
    user.verifier = verifier;
    user.status = if request.permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    Ok(Empty {})
}

/// `AdminGetUser`, with the user's MFA factors (`UserMFASettingList`, `PreferredMfaSetting`).
pub fn admin_get_user(
    shared: &Shared,
    request: AdminGetUserRequest,
) -> ApiResult<AdminGetUserMfaResponse> {
    let state = shared.lock();
    let user = state.user(&request.user_pool_id, &request.username)?;
    Ok(AdminGetUserMfaResponse {
        user: AdminGetUserResponse {
            username: user.username.clone(),
            user_attributes: attribute_types(user),
            enabled: user.enabled,
            user_status: user.status.as_str().to_owned(),
        },
        preferred_mfa_setting: user.mfa.preferred_setting(),
        user_mfa_setting_list: user.mfa.setting_list(),
    })
}

/// `AdminDisableUser` / `AdminEnableUser` (same request shape as AdminGetUser).
pub fn admin_set_enabled(
    shared: &Shared,
    request: AdminGetUserRequest,
    enabled: bool,
) -> ApiResult<Empty> {
    let mut state = shared.lock();
    let user = state.user_mut(&request.user_pool_id, &request.username)?;
    user.enabled = enabled;
    Ok(Empty {})
}

/// A user's attributes as the API lists them (`sub` included).
pub(super) fn attribute_types(user: &User) -> Vec<AttributeType> {
    user.attributes
        .iter()
        .map(|(name, value)| AttributeType {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

fn check_length(member: &str, value: &str, max: usize) -> ApiResult<()> {
    let length = value.chars().count();
    if length == 0 || length > max {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between 1 and {max}"
            ),
        ));
    }
    Ok(())
}

/// Usernames: 1 to 128 characters, no white space or control characters.
pub fn check_username(username: &str) -> ApiResult<()> {
    check_length("username", username, 128)?;
    if username
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must not contain white space or control characters",
        ));
    }
    Ok(())
}
