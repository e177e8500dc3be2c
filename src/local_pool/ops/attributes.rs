//! Changing user attributes: `AdminUpdateUserAttributes` (an administrator) and
//! `UpdateUserAttributes` (the signed-in user, by AccessToken), under one set of rules,
//! as Cognito has them:
//! - `sub` cannot change ("Cannot modify an immutable attribute: sub");
//! - a name the pool's schema does not have is refused ("user.<name>: Attribute does
//!   not exist in the schema."): Cognito's standard attributes, the pool's required
//!   ones and any `custom:` one (the local pool keeps no list of custom attributes);
//! - a required attribute cannot be emptied (an empty value deletes an attribute);
//! - only an administrator may set `email_verified` or `phone_number_verified`: a user
//!   who tries gets NotAuthorizedException "A client attempted to write unauthorized
//!   attribute" (app clients cannot write them);
//! - a new email or phone_number is unverified unless the same (administrator's)
//!   request marks it verified. For a user, the pool then sends a code to the new
//!   value (VerifyUserAttribute takes it back), as Cognito does for attributes it
//!   verifies automatically: the local pool verifies both automatically, and updates
//!   the value at once (AttributesRequireVerificationBeforeUpdate off).

use crate::cognito::types::{
    AdminUpdateUserAttributesRequest, AttributeType, Empty, UpdateUserAttributesRequest,
    UpdateUserAttributesResponse,
};
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};
use crate::local_pool::state::{Shared, User};

use super::access::token_user;
use super::{printable, verification};

/// Cognito's standard attributes, which every pool's schema has ("User pool
/// attributes", Amazon Cognito Developer Guide), with the two verification flags.
const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// The attributes a code verifies, each with its `<name>_verified` flag.
pub(super) const VERIFIABLE: &[&str] = &["email", "phone_number"];

/// Who is changing the attributes: only an administrator may set the verified flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Administrator,
    User,
}

/// `AdminUpdateUserAttributes`.
pub fn admin_update(
    shared: &Shared,
    request: AdminUpdateUserAttributesRequest,
) -> ApiResult<Empty> {
    let mut state = shared.lock();
    check_updates(
        &state.pool(&request.user_pool_id)?.required_attributes,
        &request.user_attributes,
        Caller::Administrator,
    )?;
    let user = state.user_mut(&request.user_pool_id, &request.username)?;
    apply_updates(user, &request.user_attributes);
    Ok(Empty {})
}

/// `UpdateUserAttributes`: the same rules for the signed-in user, and a verification
/// code sent to each new email or phone_number (CodeDeliveryDetailsList says where).
pub fn update(
    shared: &Shared,
    request: UpdateUserAttributesRequest,
) -> ApiResult<UpdateUserAttributesResponse> {
    let (pool_id, username) = token_user(shared, request.access_token.expose())?;
    let mut state = shared.lock();
    check_updates(
        &state.pool(&pool_id)?.required_attributes,
        &request.user_attributes,
        Caller::User,
    )?;
    let user = state.user_mut(&pool_id, &username)?;
    let unverified = apply_updates(user, &request.user_attributes);
    let user = user.clone();
    let mut sent = Vec::new();
    for attribute in unverified
        .iter()
        .filter(|name| user.attribute(name).is_some())
    {
        sent.push(verification::send_code(
            shared, &mut state, &pool_id, &user, attribute,
        )?);
    }
    Ok(UpdateUserAttributesResponse {
        code_delivery_details_list: sent,
    })
}

/// Refuses changes a pool requiring `required` does not allow `caller` to make (see
/// the module docs).
fn check_updates(
    required: &[String],
    attributes: &[AttributeType],
    caller: Caller,
) -> ApiResult<()> {
    if attributes.iter().any(|attribute| attribute.name == "sub") {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            "Cannot modify an immutable attribute: sub",
        ));
    }
    let unknown: Vec<String> = attributes
        .iter()
        .filter(|attribute| !in_schema(required, &attribute.name))
        .map(|attribute| {
            format!(
                "user.{}: Attribute does not exist in the schema.",
                printable(&attribute.name)
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            unknown.join("\n"),
        ));
    }
    if caller == Caller::User && attributes.iter().any(|a| a.name.ends_with("_verified")) {
        return Err(ApiError::new(
            ErrorType::NotAuthorized,
            "A client attempted to write unauthorized attribute",
        ));
    }
    if let Some(emptied) = attributes
        .iter()
        .find(|a| a.value.is_empty() && required.contains(&a.name))
    {
        return Err(ApiError::new(
            ErrorType::InvalidParameter,
            format!("The required attribute {} cannot be emptied.", emptied.name),
        ));
    }
    Ok(())
}

/// Whether the schema of a pool requiring `required` has an attribute of this name.
fn in_schema(required: &[String], name: &str) -> bool {
    STANDARD_ATTRIBUTES.contains(&name)
        || name
            .strip_prefix("custom:")
            .is_some_and(|rest| !rest.is_empty())
        || required.iter().any(|attribute| attribute == name)
}

/// Sets the attributes; a changed email or phone_number becomes unverified unless the
/// same request sets its flag. Gives back the attributes that became unverified.
fn apply_updates(user: &mut User, attributes: &[AttributeType]) -> Vec<String> {
    let sets = |name: &str| attributes.iter().any(|a| a.name == name);
    let mut unverified = Vec::new();
    for attribute in attributes {
        let changed = user.attribute(&attribute.name) != Some(attribute.value.as_str());
        user.set_attribute(&attribute.name, &attribute.value);
        let flag = format!("{}_verified", attribute.name);
        if changed && VERIFIABLE.contains(&attribute.name.as_str()) && !sets(&flag) {
            user.set_attribute(&flag, "false");
            unverified.push(attribute.name.clone());
        }
    }
    unverified
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn attribute(name: &str, value: &str) -> AttributeType {
        AttributeType {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    /// The rules of a pool that requires `name`.
    fn check(attributes: &[AttributeType], caller: Caller) -> Result<(), ApiError> {
        check_updates(&["name".to_owned()], attributes, caller)
    }

    #[test]
    fn sub_unknown_names_and_emptied_required_attributes_are_refused() {
        let sub = check(&[attribute("sub", "x")], Caller::Administrator).unwrap_err();
        assert_eq!(sub.message, "Cannot modify an immutable attribute: sub");
        let unknown = check(
            &[attribute("favourite", "x"), attribute("custom:", "y")],
            Caller::User,
        )
        .unwrap_err();
        assert_eq!(unknown.error_type, ErrorType::InvalidParameter);
        assert_eq!(
            unknown.message,
            "user.favourite: Attribute does not exist in the schema.\nuser.custom:: Attribute does not exist in the schema."
        );
        let emptied = check(&[attribute("name", "")], Caller::User).unwrap_err();
        assert_eq!(
            emptied.message,
            "The required attribute name cannot be emptied."
        );
        assert!(
            check(
                &[attribute("custom:team", "blue"), attribute("locale", "")],
                Caller::User
            )
            .is_ok()
        );
    }

    #[test]
    fn only_an_administrator_sets_the_verified_flags() {
        let flag = [attribute("email_verified", "true")];
        assert!(check(&flag, Caller::Administrator).is_ok());
        let refused = check(&flag, Caller::User).unwrap_err();
        assert_eq!(refused.error_type, ErrorType::NotAuthorized);
        assert_eq!(
            refused.message,
            "A client attempted to write unauthorized attribute"
        );
    }

    #[test]
    fn a_changed_address_becomes_unverified_unless_its_flag_is_set_too() {
        let mut user = User::example("erin");
        user.set_attribute("email", "erin@example.com");
        user.set_attribute("email_verified", "true");
        let same = apply_updates(&mut user, &[attribute("email", "erin@example.com")]);
        assert!(same.is_empty());
        assert!(user.verified("email"));
        let changed = apply_updates(&mut user, &[attribute("email", "new@example.com")]);
        assert_eq!(changed, ["email"]);
        assert!(!user.verified("email"));
        let flagged = apply_updates(
            &mut user,
            &[
                attribute("phone_number", "+15555550100"),
                attribute("phone_number_verified", "true"),
            ],
        );
        assert!(flagged.is_empty());
        assert!(user.verified("phone_number"));
    }
}
