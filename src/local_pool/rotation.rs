//! Refresh token rotation, per app client (Cognito's `RefreshTokenRotationType`):
//! - ENABLED: GetTokensFromRefreshToken answers with new ID, access AND refresh tokens;
//!   the refresh token it was given keeps working for RetryGracePeriodSeconds (0 to 60)
//!   so a client may retry, and after that is refused with RefreshTokenReuseException.
//!   REFRESH_TOKEN_AUTH is refused on such a client: rotation needs the new operation.
//! - DISABLED (the default): a refresh answers with new ID and access tokens only, by
//!   either operation, and the refresh token stays valid until it expires.

use serde::{Deserialize, Serialize};

use crate::cognito::types::RefreshTokenRotationType;
use crate::local_pool::error::{ApiError, ApiResult, ErrorType};

/// The longest grace period Cognito allows, in seconds.
pub const MAX_GRACE_SECONDS: u8 = 60;

/// An app client's refresh token rotation, validated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefreshTokenRotation {
    /// Feature = ENABLED.
    pub enabled: bool,
    /// RetryGracePeriodSeconds, 0 to [`MAX_GRACE_SECONDS`] (kept when disabled, as
    /// DescribeUserPoolClient shows it back).
    pub retry_grace_period_seconds: u8,
}

impl RefreshTokenRotation {
    /// How long a replaced refresh token keeps working.
    pub fn grace(&self) -> time::Duration {
        time::Duration::seconds(i64::from(self.retry_grace_period_seconds))
    }

    /// Reads the wire's value, refusing what Cognito refuses with its validation
    /// messages: Feature missing or not ENABLED/DISABLED, a period outside 0..=60.
    pub fn from_wire(wire: &RefreshTokenRotationType) -> ApiResult<Self> {
        let enabled = match wire.feature.as_deref() {
            Some("ENABLED") => true,
            Some("DISABLED") => false,
            Some(other) => {
                return Err(invalid(format!(
                    "Value '{}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
                    printable(other)
                )));
            }
            None => {
                return Err(invalid(
                    "Value null at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null".to_owned(),
                ));
            }
        };
        let seconds = wire.retry_grace_period_seconds.unwrap_or(0);
        let retry_grace_period_seconds = match u8::try_from(seconds) {
            Ok(seconds) if seconds <= MAX_GRACE_SECONDS => seconds,
            _ if seconds < 0 => {
                return Err(invalid(format!(
                    "Value '{seconds}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"
                )));
            }
            _ => {
                return Err(invalid(format!(
                    "Value '{seconds}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to {MAX_GRACE_SECONDS}"
                )));
            }
        };
        Ok(Self {
            enabled,
            retry_grace_period_seconds,
        })
    }

    /// The value DescribeUserPoolClient shows (Cognito shows DISABLED with 0 for a
    /// client created without one).
    pub fn to_wire(self) -> RefreshTokenRotationType {
        RefreshTokenRotationType {
            feature: Some(if self.enabled { "ENABLED" } else { "DISABLED" }.to_owned()),
            retry_grace_period_seconds: Some(i64::from(self.retry_grace_period_seconds)),
        }
    }
}

/// Cognito's InvalidParameterException for one failed constraint.
fn invalid(detail: String) -> ApiError {
    ApiError::new(
        ErrorType::InvalidParameter,
        format!("1 validation error detected: {detail}"),
    )
}

/// A value as safe to echo: at most 32 visible ASCII characters.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(feature: Option<&str>, seconds: Option<i64>) -> RefreshTokenRotationType {
        RefreshTokenRotationType {
            feature: feature.map(str::to_owned),
            retry_grace_period_seconds: seconds,
        }
    }

    #[test]
    fn the_grace_period_is_zero_to_sixty_seconds() {
        for seconds in [0, 1, 59, 60] {
            let rotation = RefreshTokenRotation::from_wire(&wire(Some("ENABLED"), Some(seconds)));
            assert_eq!(
                rotation.map(|r| r.grace()),
                Ok(time::Duration::seconds(seconds))
            );
        }
        let over = RefreshTokenRotation::from_wire(&wire(Some("ENABLED"), Some(61))).err();
        assert_eq!(
            over.map(|e| e.message),
            Some("1 validation error detected: Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60".to_owned())
        );
        let under = RefreshTokenRotation::from_wire(&wire(Some("ENABLED"), Some(-1))).err();
        assert!(under.is_some_and(|e| e.message.contains("greater than or equal to 0")));
    }

    #[test]
    fn the_feature_is_required_and_one_of_two_values() {
        let missing = RefreshTokenRotation::from_wire(&wire(None, Some(5))).err();
        assert!(
            missing.is_some_and(|e| e.error_type == ErrorType::InvalidParameter
                && e.message.contains("'refreshTokenRotation.feature'")
                && e.message.contains("must not be null"))
        );
        let unknown = RefreshTokenRotation::from_wire(&wire(Some("SOMETIMES"), None)).err();
        assert!(unknown.is_some_and(|e| e.message.contains("[ENABLED, DISABLED]")));
        let disabled = RefreshTokenRotation::from_wire(&wire(Some("DISABLED"), None));
        assert_eq!(disabled, Ok(RefreshTokenRotation::default()));
    }

    #[test]
    fn a_client_without_rotation_describes_it_as_disabled_with_no_grace() {
        assert_eq!(
            RefreshTokenRotation::default().to_wire(),
            wire(Some("DISABLED"), Some(0))
        );
    }
}
