//! Pool, client and user management: the operations `serve` users and tests call to
//! set a pool up (Cognito signs these with SigV4; the local pool does not check it).

use crate::crypto::srp::pool_name;

use crate::cognito::FirstFactor;
use crate::cognito::types::{
    AdminCreateUserRequest, AdminCreateUserResponse, AdminGetUserMfaResponse, AdminGetUserRequest,
    AdminGetUserResponse, AdminSetUserPasswordRequest, AttributeType, CreateUserPoolClientRequest,
    CreateUserPoolRequest, CreateUserPoolSchema, DescribeUserPoolClientRequest,
    DescribeUserPoolRequest, Empty, RefreshTokenRotationType, SignInPolicyType,
    UpdateUserPoolClientRequest, UserPoolClientResponse, UserPoolClientType, UserPoolPolicyType,
    UserPoolResponse, UserPoolType, UserType, UsernameConfigurationType,
};
use crate::crypto::UserVerifier;
use crate::local_pool::client_settings::{
    self, FactorsRefusal, FlowsRefusal, KNOWN_AUTH_FLOWS, UserExistenceErrors,
};
use crate::local_pool::custom_auth::CustomAuth;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::ids;
use crate::local_pool::mfa::{MfaKind, MfaMode, PoolMfa, UserMfa};
use crate::local_pool::rotation::RefreshTokenRotation;
use crate::local_pool::sign_in_names::{SignInAttribute, SignInNames};
use crate::local_pool::state::{AppClient, Pool, PoolSettings, Shared, User, UserStatus};
use crate::sensitive::SensitiveString;

use super::password_policy;

/// `CreateUserPool`: a new pool with a random id. `Schema` entries with
/// `Required: true` become the pool's required attributes. MFA ON or OPTIONAL starts
/// with SMS and software tokens, as Cognito's console does; SetUserPoolMfaConfig changes it.
/// `Policies.SignInPolicy.AllowedFirstAuthFactors` (default: PASSWORD) says what
/// USER_AUTH may offer first.
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
    let first_factors = first_factors_of(request.policies.as_ref())?;
    let required_attributes = schema
        .schema
        .iter()
        .filter(|attribute| attribute.required == Some(true) && attribute.name != "sub")
        .map(|attribute| attribute.name.clone())
        .collect();
    let sign_in = SignInNames::new(
        &request.username_attributes,
        &request.alias_attributes,
        request
            .username_configuration
            .is_none_or(|configuration| configuration.case_sensitive),
    )
    .map_err(|problem| ApiError::new(ErrorType::InvalidParameter, problem))?;
    let mut state = shared.lock();
    let mut id = ids::pool_id();
    while state.pools.contains_key(&id) {
        id = ids::pool_id();
    }
    let pool = Pool::new(PoolSettings {
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
        device_tracking: request.device_configuration,
        sign_in,
        first_factors,
        web_authn: Default::default(),
    });
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
            username_attributes: names_of(&pool.sign_in.username_attributes),
            alias_attributes: names_of(&pool.sign_in.alias_attributes),
            username_configuration: Some(UsernameConfigurationType {
                case_sensitive: pool.sign_in.case_sensitive,
            }),
            policies: Some(UserPoolPolicyType {
                sign_in_policy: Some(SignInPolicyType {
                    allowed_first_auth_factors: Some(
                        pool.first_factors
                            .iter()
                            .map(|factor| factor.api_name().to_owned())
                            .collect(),
                    ),
                }),
            }),
        },
    }
}

/// Sign-in attributes as their wire names.
fn names_of(attributes: &[SignInAttribute]) -> Vec<String> {
    attributes
        .iter()
        .map(|attribute| attribute.as_str().to_owned())
        .collect()
}

/// AllowedFirstAuthFactors of CreateUserPool's Policies, checked; PASSWORD when not given.
fn first_factors_of(policies: Option<&UserPoolPolicyType>) -> ApiResult<Vec<FirstFactor>> {
    let Some(names) = policies
        .and_then(|policies| policies.sign_in_policy.as_ref())
        .and_then(|sign_in| sign_in.allowed_first_auth_factors.as_ref())
    else {
        return Ok(client_settings::default_first_factors());
    };
    client_settings::parse_first_factors(names).map_err(|refusal| match refusal {
        FactorsRefusal::Unknown(_) => ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "1 validation error detected: Value at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                client_settings::KNOWN_FIRST_FACTORS.join(", ")
            ),
        ),
        FactorsRefusal::NoPassword => ApiError::new(
            ErrorType::InvalidParameter,
            "AllowedFirstAuthFactors must include PASSWORD.",
        ),
    })
}

/// `CreateUserPoolClient`: a client with a random id, and a secret when asked. Without
/// ExplicitAuthFlows it allows Cognito's default (SRP, refresh, custom); without
/// PreventUserExistenceErrors it is LEGACY, as the API's default is.
pub fn create_user_pool_client(
    shared: &Shared,
    request: CreateUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    check_length("clientName", &request.client_name, 128)?;
    let explicit_auth_flows = given_auth_flows(request.explicit_auth_flows)?;
    let prevent_user_existence_errors =
        existence_errors(request.prevent_user_existence_errors.as_deref())?;
    let refresh_token_rotation = rotation_of(request.refresh_token_rotation.as_ref())?;
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
        explicit_auth_flows,
        prevent_user_existence_errors,
        refresh_token_rotation,
    };
    let answer = describe_client(&request.user_pool_id, &client);
    state.pool_mut(&request.user_pool_id)?.insert_client(client);
    Ok(answer)
}

/// `UpdateUserPoolClient`: replaces the client's settings. As the API reference says,
/// a setting left out goes back to its default (ExplicitAuthFlows to SRP, refresh and
/// custom; PreventUserExistenceErrors to LEGACY); ClientName left out stays, and the
/// secret is kept.
pub fn update_user_pool_client(
    shared: &Shared,
    request: UpdateUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    if let Some(name) = &request.client_name {
        check_length("clientName", name, 128)?;
    }
    let explicit_auth_flows = given_auth_flows(request.explicit_auth_flows)?;
    let prevent_user_existence_errors =
        existence_errors(request.prevent_user_existence_errors.as_deref())?;
    let refresh_token_rotation = rotation_of(request.refresh_token_rotation.as_ref())?;
    let mut state = shared.lock();
    let pool = state.pool_mut(&request.user_pool_id)?;
    let client = pool
        .client_mut(&request.client_id)
        .ok_or_else(|| ApiError::client_not_found(&request.client_id))?;
    if let Some(name) = request.client_name {
        client.name = name;
    }
    client.explicit_auth_flows = explicit_auth_flows;
    client.prevent_user_existence_errors = prevent_user_existence_errors;
    client.refresh_token_rotation = refresh_token_rotation;
    Ok(describe_client(&request.user_pool_id, client))
}

/// RefreshTokenRotation as sent, checked; left out: DISABLED, as the API's default is.
fn rotation_of(wire: Option<&RefreshTokenRotationType>) -> ApiResult<RefreshTokenRotation> {
    wire.map_or_else(
        || Ok(RefreshTokenRotation::default()),
        RefreshTokenRotation::from_wire,
    )
}

/// `DescribeUserPoolClient` (it shows the secret, as Cognito does).
pub fn describe_user_pool_client(
    shared: &Shared,
    request: DescribeUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    let state = shared.lock();
    let pool = state.pool(&request.user_pool_id)?;
    let client = pool
        .clients()
        .get(&request.client_id)
        .ok_or_else(|| ApiError::client_not_found(&request.client_id))?;
    Ok(describe_client(&pool.id, client))
}

/// A client as the API shows it: the flows it allows (Cognito's default when none
/// were given) and its PreventUserExistenceErrors.
fn describe_client(pool_id: &str, client: &AppClient) -> UserPoolClientResponse {
    UserPoolClientResponse {
        user_pool_client: UserPoolClientType {
            user_pool_id: pool_id.to_owned(),
            client_id: client.id.clone(),
            client_name: client.name.clone(),
            client_secret: client.secret.clone(),
            explicit_auth_flows: Some(client.auth_flows()),
            prevent_user_existence_errors: Some(
                client.prevent_user_existence_errors.as_str().to_owned(),
            ),
            refresh_token_rotation: Some(client.refresh_token_rotation.to_wire()),
        },
    }
}

/// ExplicitAuthFlows as given, checked; an empty list counts as none.
fn given_auth_flows(flows: Option<Vec<String>>) -> ApiResult<Option<Vec<String>>> {
    match flows {
        Some(flows) if !flows.is_empty() => {
            check_auth_flows(&flows)?;
            Ok(Some(flows))
        }
        _ => Ok(None),
    }
}

/// PreventUserExistenceErrors as given; LEGACY when left out.
fn existence_errors(value: Option<&str>) -> ApiResult<UserExistenceErrors> {
    match value {
        None => Ok(UserExistenceErrors::default()),
        Some(name) => UserExistenceErrors::parse(name).ok_or_else(|| {
            ApiError::new(
                ErrorType::InvalidParameter,
                "1 validation error detected: Value at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set: [LEGACY, ENABLED]",
            )
        }),
    }
}

/// Refuses ExplicitAuthFlows values Cognito does not know, and lists that mix the
/// legacy names with the `ALLOW_` ones.
pub fn check_auth_flows(flows: &[String]) -> ApiResult<()> {
    client_settings::check_auth_flows(flows).map_err(|refusal| match refusal {
        FlowsRefusal::Unknown(_) => ApiError::new(
            ErrorType::InvalidParameter,
            format!(
                "1 validation error detected: Value at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                KNOWN_AUTH_FLOWS.join(", ")
            ),
        ),
        FlowsRefusal::Mixed => ApiError::new(
            ErrorType::InvalidParameter,
            MIXED_FLOWS_MESSAGE,
        ),
    })
}

/// The refusal of an ExplicitAuthFlows list that mixes legacy and `ALLOW_` names
/// (Cognito's own wording could not be confirmed).
pub const MIXED_FLOWS_MESSAGE: &str = "ExplicitAuthFlows cannot mix the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH with values that begin with ALLOW_.";

/// `AdminCreateUser`: a user in FORCE_CHANGE_PASSWORD, with a `sub`. In a pool whose
/// users sign in with an e-mail address or phone number (UsernameAttributes), Username
/// is that address or number: it becomes the attribute, and the username is generated
/// (the `sub`, as Cognito generates a UUID).
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
    let sign_in = shared.lock().pool(&request.user_pool_id)?.sign_in.clone();
    let filled = sign_in.check_new_username(&request.username)?;
    let sub = ids::uuid();
    let username = match filled {
        Some(_) => sub.clone(),
        None => request.username.clone(),
    };
    let realm = pool_name(&request.user_pool_id).to_owned();
    let verifier = UserVerifier::generate(&realm, &username, password.expose());
    let mut user = User {
        username,
        sub: sub.clone(),
        attributes: vec![("sub".to_owned(), sub)],
        groups: Vec::new(),
        verifier,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        mfa: UserMfa::default(),
        signed_out_at: None,
    };
    for attribute in &request.user_attributes {
        if attribute.name != "sub" {
            user.set_attribute(&attribute.name, &attribute.value);
        }
    }
    if let Some(attribute) = filled {
        user.set_attribute(attribute.as_str(), &request.username);
    }
    let mut state = shared.lock();
    let pool = state.pool_mut(&request.user_pool_id)?;
    let sign_in_value = filled.map(|attribute| (attribute, request.username.as_str()));
    if pool.users().values().any(|existing| {
        pool.sign_in
            .collides(existing, &user.username, sign_in_value)
    }) {
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
    pool.insert_user(user);
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
    // The verifier is over the username itself, whichever name the request used.
    let username = shared
        .lock()
        .user(&request.user_pool_id, &request.username)?
        .username
        .clone();
    let realm = pool_name(&request.user_pool_id).to_owned();
    let verifier = UserVerifier::generate(&realm, &username, request.password.expose());
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
