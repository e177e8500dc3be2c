//! `AdminUpdateUserAttributes`: an administrator sets or replaces user attributes.
//! As in Cognito, a new email or phone_number is unverified unless the same request
//! marks it verified, `sub` cannot change, and a required attribute cannot be emptied.

use crate::cognito::types::{AdminUpdateUserAttributesRequest, Empty};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::Shared;

/// `AdminUpdateUserAttributes`.
pub fn admin_update(
    shared: &Shared,
    request: AdminUpdateUserAttributesRequest,
) -> ApiResult<Empty> {
    let mut state = shared.lock();
    let required = state
        .pool(&request.user_pool_id)?
        .required_attributes
        .clone();
    for attribute in &request.user_attributes {
        if attribute.name == "sub" {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                "Cannot modify an immutable attribute: sub",
            ));
        }
        if attribute.value.is_empty() && required.contains(&attribute.name) {
            return Err(ApiError::new(
                ErrorType::InvalidParameter,
                format!(
                    "The required attribute {} cannot be emptied.",
                    attribute.name
                ),
            ));
        }
    }
    let user = state.user_mut(&request.user_pool_id, &request.username)?;
    let sets = |name: &str| request.user_attributes.iter().any(|a| a.name == name);
    for attribute in &request.user_attributes {
        let changed = user.attribute(&attribute.name) != Some(attribute.value.as_str());
        user.set_attribute(&attribute.name, &attribute.value);
        let verified = format!("{}_verified", attribute.name);
        if changed
            && matches!(attribute.name.as_str(), "email" | "phone_number")
            && !sets(&verified)
        {
            user.set_attribute(&verified, "false");
        }
    }
    Ok(Empty {})
}
