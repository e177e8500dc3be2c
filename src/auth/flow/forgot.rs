//! "Forgot password" from the sign-in form: ForgotPassword sends a code and says where,
//! the person gives the code and then a new password, and ConfirmForgotPassword sets
//! it. The person lands back on the sign-in form with the username filled in. The code
//! can only be checked together with the password, so a refused code is reported by
//! going back to the code step.

use super::Flow;
use super::settle::Settled;
use super::state::{Attempt, Awaiting, Reset};
use crate::auth::Step;
use crate::auth::error::FlowError;
use crate::cognito::ErrorType;
use crate::cognito::types::{ConfirmForgotPasswordRequest, ForgotPasswordRequest};
use crate::sensitive::SensitiveString;

/// What the sign-in form says once the password is changed.
pub(super) const PASSWORD_CHANGED: &str = "Your password was changed. Sign in with the new one.";

/// Error types that mean the reset code itself was refused (wrong or expired).
const REFUSED_CODE_KINDS: [ErrorType; 2] = [ErrorType::CodeMismatch, ErrorType::ExpiredCode];

impl Flow {
    /// ForgotPassword for `username` (the first time, and for every resend): the code
    /// step, saying where the code went.
    pub(super) async fn forgot_password(&self, username: &str) -> Settled {
        let username = username.trim();
        if username.is_empty() {
            return Err(FlowError::EmptyField(
                "Enter your username first, then ask to reset the password.",
            ));
        }
        let client_metadata = &self.settings.request_options.client_metadata;
        let request = ForgotPasswordRequest {
            client_id: self.settings.client_id.clone(),
            username: username.to_owned(),
            secret_hash: self.secret_hash_for(username),
            client_metadata: (!client_metadata.is_empty()).then(|| client_metadata.clone()),
        };
        let response = self.client.forgot_password(&request).await?;
        let details = response.code_delivery_details.unwrap_or_default();
        let reset = Reset {
            username: username.to_owned(),
            destination: details.destination,
            medium: details.delivery_medium,
        };
        Ok(code_step(reset))
    }

    /// ConfirmForgotPassword with the code and the new password; on success, the
    /// sign-in form with the username filled in and a notice to follow.
    pub(super) async fn confirm_forgot_password(
        &self,
        attempt: &mut Attempt,
        reset: &Reset,
        code: &SensitiveString,
        password: SensitiveString,
    ) -> Settled {
        let request = ConfirmForgotPasswordRequest {
            client_id: self.settings.client_id.clone(),
            username: reset.username.clone(),
            confirmation_code: code.clone(),
            password,
            secret_hash: self.secret_hash_for(&reset.username),
        };
        self.client.confirm_forgot_password(&request).await?;
        *attempt = Attempt {
            notice: Some(PASSWORD_CHANGED.to_owned()),
            ..Attempt::default()
        };
        Ok((Awaiting::SignIn, self.sign_in_step(reset.username.clone())))
    }
}

/// The code step of a reset.
fn code_step(reset: Reset) -> (Awaiting, Step) {
    let step = Step::ResetCode {
        username: reset.username.clone(),
        destination: reset.destination.clone(),
        medium: reset.medium.clone(),
    };
    (Awaiting::ResetCode(reset), step)
}

/// The code is kept (it is only checked with the password): on to the new password.
pub(super) fn new_password_step(reset: Reset, code: SensitiveString) -> (Awaiting, Step) {
    let step = Step::ResetPassword {
        username: reset.username.clone(),
    };
    (Awaiting::ResetPassword(reset, code), step)
}

/// Whether ConfirmForgotPassword, answering the new-password step, refused the code
/// rather than the password.
pub(super) fn is_refused_code(awaiting: &Awaiting, error: &FlowError) -> bool {
    matches!(awaiting, Awaiting::ResetPassword(..))
        && matches!(error, FlowError::Api(api) if api.kind().is_some_and(|kind| REFUSED_CODE_KINDS.contains(kind)))
}

/// Back to the code step of the reset under way (for a refused code).
pub(super) fn code_again(awaiting: &Awaiting) -> Option<(Awaiting, Step)> {
    match awaiting {
        Awaiting::ResetPassword(reset, _) => Some(code_step(reset.clone())),
        _ => None,
    }
}
