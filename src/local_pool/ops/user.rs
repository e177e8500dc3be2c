//! What a signed-in user does with their own account, by AccessToken: `GetUser`
//! (attributes and MFA settings) and `ChangePassword`.

use crate::cognito::types::{AccessTokenRequest, ChangePasswordRequest, Empty, GetUserResponse};
use crate::crypto::UserVerifier;
use crate::crypto::srp::pool_name;
use crate::local_pool::error::ApiResult;
use crate::local_pool::state::Shared;

use super::access::token_user;
use super::admin::attribute_types;
use super::auth::check_password;
use super::password_policy;

/// `GetUser`: the username, every attribute (`sub` included), the preferred MFA
/// factor and the enabled ones.
pub fn get_user(shared: &Shared, request: AccessTokenRequest) -> ApiResult<GetUserResponse> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let state = shared.lock();
    let user = state.user(&pool_id, &username)?;
    Ok(GetUserResponse {
        username: user.username.clone(),
        user_attributes: attribute_types(user),
        preferred_mfa_setting: user.mfa.preferred_setting(),
        user_mfa_setting_list: user.mfa.setting_list(),
    })
}

/// `ChangePassword`: the previous password must be right (NotAuthorizedException
/// "Incorrect username or password." otherwise) and the new one must meet the
/// policy (InvalidPasswordException). The SRP verifier is replaced, so the new
/// password signs in by every flow. Tokens already issued stay valid, as in Cognito.
pub fn change_password(shared: &Shared, request: ChangePasswordRequest) -> ApiResult<Empty> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let user = shared.lock().user(&pool_id, &username)?.clone();
    check_password(&pool_id, &user, request.previous_password.expose())?;
    password_policy::check(request.proposed_password.expose())?;
    // Computed without the lock held: one modular exponentiation.
    let verifier = UserVerifier::generate(
        pool_name(&pool_id),
        &username,
        request.proposed_password.expose(),
    );
    shared.lock().user_mut(&pool_id, &username)?.verifier = verifier;
    Ok(Empty {})
}
