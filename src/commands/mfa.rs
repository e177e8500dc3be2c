//! `cognito-signin mfa`: the signed-in user's second factors. `status` shows them (and
//! with `--output json` prints them on stdout); every other subcommand makes one change
//! through account security and says what changed.

use serde_json::{Value, json};

use crate::auth::{AccountAction, ContactDetail, Security};
use crate::cli::{MfaArgs, MfaCommand, StatusOutput};

use super::account::change;
use super::{CommandError, print_value};

/// Runs `mfa`.
pub async fn run(args: MfaArgs) -> Result<(), CommandError> {
    let (account, action) = match &args.command {
        MfaCommand::Status { account, .. } => (account, AccountAction::Open),
        MfaCommand::AddTotp { account, .. } => (account, AccountAction::AddTotp),
        MfaCommand::Enable { factor, account } => {
            (account, AccountAction::Enable((*factor).into()))
        }
        MfaCommand::Disable { factor, account } => {
            (account, AccountAction::Disable((*factor).into()))
        }
        MfaCommand::Prefer { factor, account } => {
            (account, AccountAction::Prefer((*factor).into()))
        }
        MfaCommand::Verify { contact, account } => {
            (account, AccountAction::Verify((*contact).into()))
        }
        MfaCommand::Change { contact, account } => {
            (account, AccountAction::Change((*contact).into()))
        }
    };
    let totp_issuer = match &args.command {
        MfaCommand::AddTotp { totp_issuer, .. } => Some(totp_issuer.as_str()),
        _ => None,
    };
    let security = change(account, action, totp_issuer).await?;
    if let MfaCommand::Status {
        output: Some(StatusOutput::Json),
        ..
    } = args.command
    {
        print_value(&status_json(&security))?;
    }
    Ok(())
}

/// Account security for scripts: every field of the status, plus GetUser's own
/// UserMFASettingList and PreferredMfaSetting.
fn status_json(security: &Security) -> Value {
    let factors: Vec<Value> = security
        .factors
        .iter()
        .map(|factor| {
            json!({
                "Name": factor.kind.api_name(),
                "Enabled": factor.enabled,
                "Preferred": factor.preferred,
                "Allowed": factor.allowed,
            })
        })
        .collect();
    let enabled: Vec<&str> = security
        .factors
        .iter()
        .filter(|factor| factor.enabled)
        .map(|factor| factor.kind.api_name())
        .collect();
    let preferred = security
        .factors
        .iter()
        .find(|factor| factor.preferred)
        .map(|factor| factor.kind.api_name());
    let contact = |detail: Option<&ContactDetail>| {
        detail.map(|detail| json!({ "Value": detail.value, "Verified": detail.verified }))
    };
    json!({
        "Username": security.username,
        "Factors": factors,
        "UserMFASettingList": enabled,
        "PreferredMfaSetting": preferred,
        "Email": contact(security.email.as_ref()),
        "PhoneNumber": contact(security.phone.as_ref()),
        "MfaRequired": security.mfa_required,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Factor, MfaKind};

    #[test]
    fn the_status_json_has_every_field_and_getusers_names() {
        let factor = |kind, enabled, preferred| Factor {
            kind,
            enabled,
            preferred,
            allowed: None,
        };
        let security = Security {
            username: "alice".into(),
            factors: vec![
                factor(MfaKind::Sms, false, false),
                factor(MfaKind::SoftwareToken, true, true),
                factor(MfaKind::Email, true, false),
            ],
            email: Some(ContactDetail {
                value: "alice@example.com".into(),
                verified: true,
            }),
            phone: None,
            mfa_required: Some(false),
            passkeys: None,
            add_passkey_on: crate::auth::AuthenticatorKind::Software,
        };
        assert_eq!(
            status_json(&security),
            json!({
                "Username": "alice",
                "Factors": [
                    {"Name": "SMS_MFA", "Enabled": false, "Preferred": false, "Allowed": null},
                    {"Name": "SOFTWARE_TOKEN_MFA", "Enabled": true, "Preferred": true, "Allowed": null},
                    {"Name": "EMAIL_OTP", "Enabled": true, "Preferred": false, "Allowed": null},
                ],
                "UserMFASettingList": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
                "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
                "Email": {"Value": "alice@example.com", "Verified": true},
                "PhoneNumber": null,
                "MfaRequired": false,
            })
        );
    }
}
