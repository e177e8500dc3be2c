//! "Forgot password" from the sign-in form: ForgotPassword sends a code and says where,
//! the person gives the code and then a new password, and ConfirmForgotPassword sets
//! it. The person lands back on the sign-in form with the username filled in. The code
//! can only be checked together with the password, so a refused code is reported by
//! going back to the code step.

use super::Flow;
use super::settle::Settled;
use super::state::{Attempt, Awaiting, Reached, Reset};
use crate::auth::CodeMedium;
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
            medium: details
                .delivery_medium
                .as_deref()
                .and_then(CodeMedium::from_delivery_medium),
        };
        Ok(Awaiting::ResetCode(reset).into())
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
        *attempt = Attempt::default();
        let sign_in = Awaiting::SignIn {
            username: reset.username.clone(),
        };
        Ok(Reached::with_notice(sign_in, PASSWORD_CHANGED.to_owned()))
    }
}

/// The code step again, when ConfirmForgotPassword (answering the new-password step)
/// refused the code rather than the password; `None` for any other refusal.
pub(super) fn code_refused(awaiting: &Awaiting, error: &FlowError) -> Option<Awaiting> {
    let Awaiting::ResetPassword(reset, _) = awaiting else {
        return None;
    };
    let refused = matches!(error, FlowError::Api(api) if api.kind().is_some_and(|kind| REFUSED_CODE_KINDS.contains(kind)));
    refused.then(|| Awaiting::ResetCode(reset.clone()))
}
