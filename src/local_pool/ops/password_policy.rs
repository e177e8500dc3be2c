//! Cognito's default password policy: at least 8 characters, with an upper-case
//! letter, a lower-case letter, a digit and a symbol. Passwords in a pool file are
//! taken as given; passwords sent to the API are checked.

use crate::local_pool::error::{ApiError, ApiResult, ErrorType};

const MINIMUM_LENGTH: usize = 8;

/// Refuses a password the default policy does not allow, saying what is missing.
pub fn check(password: &str) -> ApiResult<()> {
    let problem = if password.chars().count() < MINIMUM_LENGTH {
        Some("Password not long enough")
    } else if !password.chars().any(char::is_uppercase) {
        Some("Password must have uppercase characters")
    } else if !password.chars().any(char::is_lowercase) {
        Some("Password must have lowercase characters")
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        Some("Password must have numeric characters")
    } else if !password
        .chars()
        .any(|c| c.is_ascii_punctuation() || c == ' ')
    {
        Some("Password must have symbol characters")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ApiError::new(
            ErrorType::InvalidPassword,
            format!("Password does not conform to policy: {problem}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_enforced() {
        assert!(check("Demo-Password-1!").is_ok());
        assert!(check("Sh0rt!").is_err());
        assert!(check("nouppercase1!").is_err());
        assert!(check("NOLOWERCASE1!").is_err());
        assert!(check("NoDigits-here").is_err());
        assert!(check("NoSymbols123").is_err());
    }
}
