//! The names a pool's users sign in with: their username, or an e-mail address or phone
//! number in its place (UsernameAttributes), or an alias beside it (AliasAttributes),
//! matched with or without regard to case (UsernameConfiguration.CaseSensitive).
//!
//! The developer guide's "Working with user attributes" (section "Customizing sign-in
//! attributes") and the API's UsernameConfigurationType describe the rules kept here:
//! - with UsernameAttributes the username is generated (a UUID, our `sub`) and the
//!   e-mail address or phone number given at creation is what people sign in with,
//!   verified or not;
//! - an alias e-mail address or phone number works only once verified, and
//!   `preferred_username` only for a confirmed user;
//! - CaseSensitive=false makes the username, `preferred_username` and `email` match in
//!   any case; the default is true.

use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult, ErrorType};
use super::state::{User, UserStatus};

/// An attribute people may sign in with in place of, or beside, their username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInAttribute {
    Email,
    PhoneNumber,
    /// Only as an alias (AliasAttributes), never as the username.
    PreferredUsername,
}

impl SignInAttribute {
    /// The attribute's name, as Cognito spells it in both lists.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::PhoneNumber => "phone_number",
            Self::PreferredUsername => "preferred_username",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::Email, Self::PhoneNumber, Self::PreferredUsername]
            .into_iter()
            .find(|attribute| attribute.as_str() == name)
    }

    /// Whether `value` has this attribute's shape: an e-mail address has one `@` with
    /// text either side; a phone number is `+` and digits (E.164).
    fn shaped_like(self, value: &str) -> bool {
        match self {
            Self::Email => value
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()),
            Self::PhoneNumber => value.strip_prefix('+').is_some_and(|digits| {
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }),
            Self::PreferredUsername => true,
        }
    }

    /// Whether case is ignored when matching this attribute in a case-insensitive pool
    /// (the username, `email` and `preferred_username`; phone numbers have no case).
    fn folds_case(self) -> bool {
        !matches!(self, Self::PhoneNumber)
    }
}

/// A pool's sign-in names: CreateUserPool's UsernameAttributes, AliasAttributes and
/// UsernameConfiguration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInNames {
    /// E-mail and/or phone number instead of a username.
    pub username_attributes: Vec<SignInAttribute>,
    /// E-mail, phone number and/or preferred_username beside the username.
    pub alias_attributes: Vec<SignInAttribute>,
    /// UsernameConfiguration.CaseSensitive (Cognito's default: true).
    pub case_sensitive: bool,
}

impl Default for SignInNames {
    fn default() -> Self {
        Self {
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            case_sensitive: true,
        }
    }
}

impl SignInNames {
    /// Checks the lists as CreateUserPool does: known names only, `preferred_username`
    /// never as a username, and never both lists at once. The error is the sentence to
    /// show; callers wrap it as their format requires.
    pub fn new(
        username_attributes: &[String],
        alias_attributes: &[String],
        case_sensitive: bool,
    ) -> Result<Self, String> {
        let username_attributes = parse_list(
            username_attributes,
            &[SignInAttribute::Email, SignInAttribute::PhoneNumber],
            "UsernameAttributes",
        )?;
        let alias_attributes = parse_list(
            alias_attributes,
            &[
                SignInAttribute::Email,
                SignInAttribute::PhoneNumber,
                SignInAttribute::PreferredUsername,
            ],
            "AliasAttributes",
        )?;
        if !username_attributes.is_empty() && !alias_attributes.is_empty() {
            return Err(
                "a pool has either UsernameAttributes or AliasAttributes, not both".to_owned(),
            );
        }
        Ok(Self {
            username_attributes,
            alias_attributes,
            case_sensitive,
        })
    }

    /// Whether people sign in with an e-mail address or phone number instead of a
    /// username, so usernames are generated.
    pub fn generates_usernames(&self) -> bool {
        !self.username_attributes.is_empty()
    }

    /// Whether `given` (what a person typed) names `user`.
    pub fn names(&self, user: &User, given: &str) -> bool {
        if self.same_username(&user.username, given) {
            return true;
        }
        let by_username_attribute = self
            .username_attributes
            .iter()
            .any(|&attribute| self.attribute_matches(user, attribute, given));
        let by_alias = self.alias_attributes.iter().any(|&attribute| {
            let usable = match attribute {
                SignInAttribute::PreferredUsername => user.status == UserStatus::Confirmed,
                other => user.verified(other.as_str()),
            };
            usable && self.attribute_matches(user, attribute, given)
        });
        by_username_attribute || by_alias
    }

    /// The checks AdminCreateUser (and the pool file) make of a new user's Username:
    /// with UsernameAttributes it must be an e-mail address or phone number, and is
    /// stored as that attribute under a generated username; with an e-mail or phone
    /// alias it must not look like one. Gives the attribute the Username fills, if any.
    pub fn check_new_username(&self, username: &str) -> ApiResult<Option<SignInAttribute>> {
        if self.generates_usernames() {
            return self
                .username_attributes
                .iter()
                .copied()
                .find(|attribute| attribute.shaped_like(username))
                .map(Some)
                .ok_or_else(|| {
                    let wanted = match self.username_attributes.as_slice() {
                        [SignInAttribute::Email] => "an email",
                        [SignInAttribute::PhoneNumber] => "a phone number",
                        _ => "either an email or a phone number",
                    };
                    ApiError::new(
                        ErrorType::InvalidParameter,
                        format!("Username should be {wanted}."),
                    )
                });
        }
        for &attribute in &self.alias_attributes {
            let format = match attribute {
                SignInAttribute::Email => "email",
                SignInAttribute::PhoneNumber => "phone number",
                SignInAttribute::PreferredUsername => continue,
            };
            if attribute.shaped_like(username) {
                return Err(ApiError::new(
                    ErrorType::InvalidParameter,
                    format!(
                        "Username cannot be of {format} format, since user pool is configured for {format} alias."
                    ),
                ));
            }
        }
        Ok(None)
    }

    /// Whether two users' names collide: the same username (in any case when the pool
    /// ignores case), or the same sign-in attribute value.
    pub fn collides(
        &self,
        existing: &User,
        username: &str,
        attribute: Option<(SignInAttribute, &str)>,
    ) -> bool {
        self.same_username(&existing.username, username)
            || attribute.is_some_and(|(attribute, value)| {
                self.attribute_matches(existing, attribute, value)
            })
    }

    fn attribute_matches(&self, user: &User, attribute: SignInAttribute, given: &str) -> bool {
        user.attribute(attribute.as_str())
            .is_some_and(|value| self.same(attribute.folds_case(), value, given))
    }

    /// Whether two usernames are the same in this pool.
    pub fn same_username(&self, stored: &str, given: &str) -> bool {
        self.same(true, stored, given)
    }

    /// Equal, or equal but for case where this pool ignores case and the value has it.
    fn same(&self, folds_case: bool, stored: &str, given: &str) -> bool {
        if self.case_sensitive || !folds_case {
            stored == given
        } else {
            stored.to_lowercase() == given.to_lowercase()
        }
    }
}

/// Reads one list of attribute names, each one of `allowed`.
fn parse_list(
    names: &[String],
    allowed: &[SignInAttribute],
    member: &str,
) -> Result<Vec<SignInAttribute>, String> {
    let mut attributes = Vec::new();
    for name in names {
        let attribute = SignInAttribute::parse(name)
            .filter(|attribute| allowed.contains(attribute))
            .ok_or_else(|| {
                let names: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                format!(
                    "{member} takes {}; '{name}' is not one of them",
                    names.join(", ")
                )
            })?;
        if !attributes.contains(&attribute) {
            attributes.push(attribute);
        }
    }
    Ok(attributes)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::crypto::UserVerifier;
    use crate::local_pool::mfa::UserMfa;

    fn user(username: &str, attributes: &[(&str, &str)], status: UserStatus) -> User {
        User {
            username: username.to_owned(),
            sub: "sub-1".to_owned(),
            attributes: attributes
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            groups: Vec::new(),
            verifier: UserVerifier::generate("Pool", username, "Pw-123456!"),
            status,
            enabled: true,
            mfa: UserMfa::default(),
            signed_out_at: None,
        }
    }

    fn names(username: &[&str], alias: &[&str], case_sensitive: bool) -> SignInNames {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        SignInNames::new(&owned(username), &owned(alias), case_sensitive).expect("valid lists")
    }

    #[test]
    fn a_plain_pool_knows_users_by_their_exact_username_only() {
        let alice = user(
            "alice",
            &[("email", "alice@example.com"), ("email_verified", "true")],
            UserStatus::Confirmed,
        );
        let pool = SignInNames::default();
        assert!(pool.names(&alice, "alice"));
        assert!(!pool.names(&alice, "Alice"));
        assert!(!pool.names(&alice, "alice@example.com"));
    }

    #[test]
    fn a_case_insensitive_pool_matches_username_email_and_preferred_username_in_any_case() {
        let alice = user(
            "Alice",
            &[
                ("email", "Alice@Example.com"),
                ("email_verified", "true"),
                ("preferred_username", "Al"),
            ],
            UserStatus::Confirmed,
        );
        let pool = names(&[], &["email", "preferred_username"], false);
        assert!(pool.names(&alice, "alice"));
        assert!(pool.names(&alice, "ALICE@example.COM"));
        assert!(pool.names(&alice, "al"));
    }

    #[test]
    fn aliases_need_a_verified_address_or_a_confirmed_user() {
        let unverified = user(
            "ann",
            &[
                ("email", "ann@example.com"),
                ("preferred_username", "annie"),
            ],
            UserStatus::ForceChangePassword,
        );
        let pool = names(&[], &["email", "preferred_username"], true);
        assert!(!pool.names(&unverified, "ann@example.com"));
        assert!(!pool.names(&unverified, "annie"));
        assert!(pool.names(&unverified, "ann"));
    }

    #[test]
    fn username_attributes_sign_in_without_verification() {
        let emma = user(
            "0d9f-uuid",
            &[("email", "emma@example.com")],
            UserStatus::Confirmed,
        );
        let pool = names(&["email"], &[], true);
        assert!(pool.names(&emma, "emma@example.com"));
        assert!(pool.names(&emma, "0d9f-uuid"));
    }

    #[test]
    fn new_usernames_are_checked_against_the_sign_in_attributes() {
        let by_email = names(&["email"], &[], true);
        assert_eq!(
            by_email.check_new_username("emma@example.com").ok(),
            Some(Some(SignInAttribute::Email))
        );
        let refused = by_email
            .check_new_username("emma")
            .err()
            .map(|error| error.message);
        assert_eq!(refused.as_deref(), Some("Username should be an email."));
        let either = names(&["email", "phone_number"], &[], true);
        assert_eq!(
            either.check_new_username("+15550100").ok(),
            Some(Some(SignInAttribute::PhoneNumber))
        );
        let alias = names(&[], &["email"], true);
        let refused = alias
            .check_new_username("a@b.c")
            .err()
            .map(|error| error.message);
        assert_eq!(
            refused.as_deref(),
            Some(
                "Username cannot be of email format, since user pool is configured for email alias."
            )
        );
        assert_eq!(alias.check_new_username("ann").ok(), Some(None));
    }

    #[test]
    fn lists_are_checked_as_create_user_pool_checks_them() {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(SignInNames::new(&owned(&["preferred_username"]), &[], true).is_err());
        assert!(SignInNames::new(&owned(&["email"]), &owned(&["phone_number"]), true).is_err());
        assert!(SignInNames::new(&[], &owned(&["nickname"]), true).is_err());
    }
}
