//! Account security: what a signed-in person does with their own second factors,
//! contact details and password, with the sign-in's AccessToken. Every change ends
//! back on the overview, read afresh (GetUser), with a sentence saying what changed;
//! a refusal keeps the person on the step they were on.
//!
//! - adding an authenticator: AssociateSoftwareToken → the TOTP screen →
//!   VerifySoftwareToken → SetUserMFAPreference;
//! - e-mail or SMS codes: an unverified address or number gets a code first
//!   (GetUserAttributeVerificationCode → VerifyUserAttribute), then
//!   SetUserMFAPreference;
//! - a new address or number: UpdateUserAttributes (Cognito sends the code);
//! - ChangePassword;
//! - passkeys: listed with the overview, added and deleted in `passkey`.

use super::Flow;
use super::parse;
use super::settle::{SENT_CODE, Settled, TOTP_CODE};
use super::state::{Account, AccountStep, Awaiting, Reached};
use crate::auth::error::FlowError;
use crate::auth::{
    AccountAction, Answer, AuthenticatorKind, CodePrompt, ContactDetail, ContactKind, Enrolment,
    Factor, MfaKind, Security, Step, Tokens,
};
use crate::cognito::types::{
    AccessTokenRequest, AssociateSoftwareTokenRequest, AttributeType, ChangePasswordRequest,
    CodeDeliveryDetailsType, GetUserAttributeVerificationCodeRequest, GetUserPoolMfaConfigRequest,
    GetUserResponse, MfaSettingsType, SetUserMfaPreferenceRequest, UpdateUserAttributesRequest,
    UserPoolMfaConfigResponse, VerifySoftwareTokenRequest, VerifyUserAttributeRequest,
};
use crate::cognito::{ApiError, ErrorType};
use crate::sensitive::SensitiveString;

/// Whether `answer`, given while `awaiting`, belongs to account security: opening it
/// once signed in, and every answer given on one of its steps.
pub(super) fn is_account_answer(awaiting: &Awaiting, answer: &Answer) -> bool {
    matches!(
        (awaiting, answer),
        (Awaiting::SignedIn(_), Answer::Account(AccountAction::Open)) | (Awaiting::Account(_), _)
    )
}

impl Flow {
    /// Applies an answer given on account security (see [`is_account_answer`]).
    pub(super) async fn account(&self, awaiting: &Awaiting, answer: Answer) -> Settled {
        let account = match awaiting {
            Awaiting::SignedIn(tokens) => return self.overview(tokens.clone(), &[], None).await,
            Awaiting::Account(account) => account,
            _ => return Err(FlowError::NotThisStep),
        };
        match (&account.at, answer) {
            (_, Answer::Account(AccountAction::Open)) => {
                self.overview(account.tokens.clone(), &account.not_allowed, None)
                    .await
            }
            (AccountStep::Overview, Answer::Account(action)) => self.act(account, action).await,
            (AccountStep::Totp(_), Answer::TotpSetup { code, device_name }) => {
                self.verify_totp(account, code, device_name).await
            }
            (
                AccountStep::Code {
                    contact,
                    then_enable,
                    ..
                },
                Answer::Code(code),
            ) => {
                self.verify_contact(account, *contact, *then_enable, code)
                    .await
            }
            (
                AccountStep::Code {
                    contact,
                    then_enable,
                    ..
                },
                Answer::ResendCode,
            ) => {
                let sent = self.send_verification_code(account, *contact).await?;
                let reached = self.code_step(account, *contact, *then_enable, sent);
                Ok(self.resent(reached.into()))
            }
            (AccountStep::Form(contact, then_enable), Answer::Contact(value)) => {
                self.change_contact(account, *contact, *then_enable, &value)
                    .await
            }
            (AccountStep::Password, Answer::ChangePassword { current, proposed }) => {
                self.change_password(account, current, proposed).await
            }
            (AccountStep::KeyPin(ceremony, prompt), Answer::KeyPin(pin)) => {
                self.give_enrolment_pin(account, ceremony, &prompt.relying_party, pin)
                    .await
            }
            _ => Err(FlowError::NotThisStep),
        }
    }

    /// An action chosen on the overview.
    async fn act(&self, account: &Account, action: AccountAction) -> Settled {
        match action {
            AccountAction::Open => {
                self.overview(account.tokens.clone(), &account.not_allowed, None)
                    .await
            }
            AccountAction::Close => Ok(Awaiting::SignedIn(account.tokens.clone()).into()),
            AccountAction::AddTotp => {
                let request = AssociateSoftwareTokenRequest {
                    access_token: Some(access_token(account)),
                    session: None,
                };
                let response = match self.client.associate_software_token(&request).await {
                    Ok(response) => response,
                    Err(error) => {
                        return self.refused_factor(account, MfaKind::SoftwareToken, error.into());
                    }
                };
                let secret = response
                    .secret_code
                    .filter(|secret| !secret.expose().trim().is_empty())
                    .ok_or(FlowError::NoSecretCode)?;
                Ok(account.at(AccountStep::Totp(secret)).into())
            }
            AccountAction::Enable(kind) => self.enable(account, kind, false).await,
            AccountAction::Prefer(kind) => self.enable(account, kind, true).await,
            AccountAction::Disable(kind) => {
                let setting = MfaSettingsType {
                    enabled: false,
                    preferred_mfa: false,
                };
                self.set_preference(account, kind, setting).await?;
                let notice = format!("{} off.", factor_name(kind));
                self.overview(account.tokens.clone(), &account.not_allowed, Some(notice))
                    .await
            }
            AccountAction::Verify(contact) => {
                let sent = self.send_verification_code(account, contact).await?;
                Ok(self.code_step(account, contact, None, sent).into())
            }
            AccountAction::Change(contact) => {
                Ok(account.at(AccountStep::Form(contact, None)).into())
            }
            AccountAction::ChangePassword => Ok(account.at(AccountStep::Password).into()),
            AccountAction::AddPasskey => self.add_passkey(account).await,
            AccountAction::DeletePasskey(index) => {
                let passkey = account
                    .security
                    .passkeys
                    .as_ref()
                    .and_then(|passkeys| passkeys.get(index))
                    .ok_or(FlowError::NotThisStep)?;
                let deleted = self.delete_passkey(&access_token(account), passkey).await?;
                self.overview(account.tokens.clone(), &account.not_allowed, Some(deleted))
                    .await
            }
        }
    }

    /// Turns `kind` on (and preferred, if asked). E-mail and SMS codes need their
    /// address or number verified first: a missing one is asked for, an unverified one
    /// gets a code, and the factor is turned on once it is verified.
    async fn enable(&self, account: &Account, kind: MfaKind, preferred: bool) -> Settled {
        if let Some(contact) = contact_of(kind) {
            match account.security.contact(contact) {
                None => return Ok(account.at(AccountStep::Form(contact, Some(kind))).into()),
                Some(detail) if !detail.verified => {
                    let sent = self.send_verification_code(account, contact).await?;
                    return Ok(self.code_step(account, contact, Some(kind), sent).into());
                }
                Some(_) => {}
            }
        }
        let preferred = preferred || no_factor_preferred(&account.security);
        self.turn_on(account, kind, preferred, None).await
    }

    /// SetUserMFAPreference turning `kind` on, then the overview saying so (after
    /// `said_first`, what led here).
    async fn turn_on(
        &self,
        account: &Account,
        kind: MfaKind,
        preferred: bool,
        said_first: Option<&str>,
    ) -> Settled {
        let setting = MfaSettingsType {
            enabled: true,
            preferred_mfa: preferred,
        };
        if let Err(error) = self.set_preference(account, kind, setting).await {
            return self.refused_factor(account, kind, error);
        }
        let turned_on = if preferred {
            format!("{} on, and preferred.", factor_name(kind))
        } else {
            format!("{} on.", factor_name(kind))
        };
        let notice = match said_first {
            Some(first) => format!("{first} {turned_on}"),
            None => turned_on,
        };
        self.overview(account.tokens.clone(), &account.not_allowed, Some(notice))
            .await
    }

    /// SetUserMFAPreference for one factor, the others left as they are. A refusal
    /// saying the pool does not allow the factor is remembered for the overview.
    async fn set_preference(
        &self,
        account: &Account,
        kind: MfaKind,
        setting: MfaSettingsType,
    ) -> Result<(), FlowError> {
        let mut request = SetUserMfaPreferenceRequest {
            access_token: access_token(account),
            ..SetUserMfaPreferenceRequest::default()
        };
        match kind {
            MfaKind::Sms => request.sms_mfa_settings = Some(setting),
            MfaKind::SoftwareToken => request.software_token_mfa_settings = Some(setting),
            MfaKind::Email => request.email_mfa_settings = Some(setting),
        }
        self.client.set_user_mfa_preference(&request).await?;
        Ok(())
    }

    /// A refusal of a call that turns `kind` on: where Cognito says the pool does not
    /// allow the factor, the overview again, now saying so (and no longer offering
    /// it), with Cognito's sentence; any other refusal as it is.
    fn refused_factor(&self, account: &Account, kind: MfaKind, error: FlowError) -> Settled {
        let FlowError::Api(api) = &error else {
            return Err(error);
        };
        if !says_not_allowed(api) {
            return Err(error);
        }
        let mut overview = account.clone();
        overview.at = AccountStep::Overview;
        if !overview.not_allowed.contains(&kind) {
            overview.not_allowed.push(kind);
        }
        for factor in &mut overview.security.factors {
            if factor.kind == kind {
                factor.allowed = Some(false);
            }
        }
        let problem = error.into_problem(self.client_context());
        Ok(Reached::with_refusal(
            Awaiting::Account(Box::new(overview)),
            problem,
        ))
    }

    /// The TOTP screen's first code: VerifySoftwareToken with the AccessToken, then the
    /// factor turned on (preferred when no other factor is).
    async fn verify_totp(
        &self,
        account: &Account,
        code: SensitiveString,
        device_name: Option<String>,
    ) -> Settled {
        let code = super::answers::filled(code, "Enter the code your authenticator app shows.")?;
        let device_name = device_name
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty());
        let request = VerifySoftwareTokenRequest {
            access_token: Some(access_token(account)),
            session: None,
            user_code: code,
            friendly_device_name: device_name,
        };
        let response = self.client.verify_software_token(&request).await?;
        match response.status.as_deref() {
            None | Some("SUCCESS") => {}
            Some(other) => return Err(FlowError::TotpNotVerified(other.to_owned())),
        }
        let preferred = no_factor_preferred(&account.security)
            || account
                .security
                .factor(MfaKind::SoftwareToken)
                .is_some_and(|factor| factor.preferred);
        self.turn_on(account, MfaKind::SoftwareToken, preferred, None)
            .await
    }

    /// GetUserAttributeVerificationCode: where the code went.
    async fn send_verification_code(
        &self,
        account: &Account,
        contact: ContactKind,
    ) -> Result<Option<CodeDeliveryDetailsType>, FlowError> {
        let request = GetUserAttributeVerificationCodeRequest {
            access_token: access_token(account),
            attribute_name: contact.attribute_name().to_owned(),
            client_metadata: self.client_metadata(),
        };
        let response = self
            .client
            .get_user_attribute_verification_code(&request)
            .await?;
        Ok(response.code_delivery_details)
    }

    /// The code step for `contact`, the code having gone where `sent` says.
    fn code_step(
        &self,
        account: &Account,
        contact: ContactKind,
        then_enable: Option<MfaKind>,
        sent: Option<CodeDeliveryDetailsType>,
    ) -> Awaiting {
        let destination = sent.as_ref().and_then(|sent| sent.destination.clone());
        account.at(AccountStep::Code {
            contact,
            destination,
            then_enable,
        })
    }

    /// VerifyUserAttribute with the code, then the factor it was verified for.
    async fn verify_contact(
        &self,
        account: &Account,
        contact: ContactKind,
        then_enable: Option<MfaKind>,
        code: SensitiveString,
    ) -> Settled {
        let code = super::answers::filled(code, "Enter the code.")?;
        let request = VerifyUserAttributeRequest {
            access_token: access_token(account),
            attribute_name: contact.attribute_name().to_owned(),
            code,
        };
        self.client.verify_user_attribute(&request).await?;
        let verified = format!("{} verified.", contact_name(contact));
        match then_enable {
            Some(kind) => {
                // turn_on reads the overview afresh once the factor is on.
                let preferred = no_factor_preferred(&account.security);
                self.turn_on(account, kind, preferred, Some(&verified))
                    .await
            }
            None => {
                self.overview(account.tokens.clone(), &account.not_allowed, Some(verified))
                    .await
            }
        }
    }

    /// UpdateUserAttributes with the new address or number; Cognito sends a code to it
    /// (where the pool verifies it), else one is asked for.
    async fn change_contact(
        &self,
        account: &Account,
        contact: ContactKind,
        then_enable: Option<MfaKind>,
        value: &str,
    ) -> Settled {
        let value = value.trim();
        if value.is_empty() {
            return Err(FlowError::EmptyField(match contact {
                ContactKind::Email => "Enter an e-mail address.",
                ContactKind::Phone => "Enter a phone number.",
            }));
        }
        let request = UpdateUserAttributesRequest {
            access_token: access_token(account),
            user_attributes: vec![AttributeType {
                name: contact.attribute_name().to_owned(),
                value: value.to_owned(),
            }],
            client_metadata: self.client_metadata(),
        };
        let response = self.client.update_user_attributes(&request).await?;
        let sent = response
            .code_delivery_details_list
            .into_iter()
            .find(|sent| sent.attribute_name.as_deref() == Some(contact.attribute_name()));
        let sent = match sent {
            Some(sent) => Some(sent),
            None => self.send_verification_code(account, contact).await?,
        };
        Ok(self.code_step(account, contact, then_enable, sent).into())
    }

    /// ChangePassword; a refusal (the pool's policy, a wrong current password) keeps
    /// the form.
    async fn change_password(
        &self,
        account: &Account,
        current: SensitiveString,
        proposed: SensitiveString,
    ) -> Settled {
        if current.expose().is_empty() {
            return Err(FlowError::EmptyField("Enter your current password."));
        }
        if proposed.expose().is_empty() {
            return Err(FlowError::EmptyField("Enter a new password."));
        }
        let request = ChangePasswordRequest {
            access_token: access_token(account),
            previous_password: current,
            proposed_password: proposed,
        };
        self.client.change_password(&request).await?;
        let notice = "Your password was changed. Use the new one from the next sign-in on.";
        self.overview(
            account.tokens.clone(),
            &account.not_allowed,
            Some(notice.to_owned()),
        )
        .await
    }

    /// The overview, read afresh: GetUser, and the pool's MFA configuration where the
    /// console may read it (`--admin`).
    pub(super) async fn overview(
        &self,
        tokens: Box<Tokens>,
        not_allowed: &[MfaKind],
        notice: Option<String>,
    ) -> Settled {
        let request = AccessTokenRequest {
            access_token: tokens.result.access_token.clone(),
        };
        let user = self.client.get_user(&request).await?;
        let pool = self.pool_mfa_config().await;
        let mut security = security(&user, pool.as_ref(), not_allowed);
        security.passkeys = self.passkey_entries(&request.access_token).await;
        security.add_passkey_on = self.authenticator_for(None, false);
        let awaiting = Awaiting::Account(Box::new(Account {
            tokens,
            security,
            not_allowed: not_allowed.to_vec(),
            at: AccountStep::Overview,
        }));
        Ok(match notice {
            Some(notice) => Reached::with_notice(awaiting, notice),
            None => awaiting.into(),
        })
    }

    /// GetUserPoolMfaConfig, with `--admin` only (it needs AWS credentials); `None`
    /// where it cannot be read.
    async fn pool_mfa_config(&self) -> Option<UserPoolMfaConfigResponse> {
        self.settings.admin.as_ref()?;
        let request = GetUserPoolMfaConfigRequest {
            user_pool_id: self.settings.user_pool_id.clone(),
        };
        self.client
            .call("GetUserPoolMfaConfig", &request)
            .await
            .ok()
    }

    /// The request options' ClientMetadata, for the calls that take it.
    fn client_metadata(&self) -> Option<std::collections::BTreeMap<String, String>> {
        let metadata = &self.settings.request_options.client_metadata;
        (!metadata.is_empty()).then(|| metadata.clone())
    }

    /// The step an account state shows.
    pub(super) fn account_step(&self, account: &Account) -> Step {
        let username = account.security.username.clone();
        match &account.at {
            AccountStep::Overview => Step::Security(Box::new(account.security.clone())),
            AccountStep::Totp(secret) => {
                let issuer = self.settings.totp_issuer.clone();
                let uri = parse::otpauth_uri(&issuer, &username, secret.expose());
                Step::TotpSetup {
                    username,
                    issuer,
                    secret: secret.clone(),
                    uri: uri.into(),
                    code_length: TOTP_CODE,
                    enrolment: Enrolment::Account,
                }
            }
            AccountStep::Code {
                contact,
                destination,
                then_enable,
            } => Step::ContactCode {
                contact: *contact,
                prompt: CodePrompt {
                    challenge: None,
                    medium: contact.medium(),
                    destination: destination.clone(),
                    device_name: None,
                    length: SENT_CODE,
                    can_resend: true,
                    // A verification code answers no challenge: no Session runs out.
                    expires_at: None,
                },
                then_enable: *then_enable,
            },
            AccountStep::Form(contact, _) => Step::ContactForm {
                contact: *contact,
                current: account
                    .security
                    .contact(*contact)
                    .map(|detail| detail.value.clone()),
            },
            AccountStep::Password => Step::ChangePassword { username },
            AccountStep::KeyPin(_, prompt) => Step::KeyPin(prompt.clone()),
        }
    }
}

/// The sign-in's access token, for the calls a signed-in user makes.
fn access_token(account: &Account) -> SensitiveString {
    account.tokens.result.access_token.clone()
}

/// What GetUser (and the pool's configuration, when read) says of the account.
fn security(
    user: &GetUserResponse,
    pool: Option<&UserPoolMfaConfigResponse>,
    not_allowed: &[MfaKind],
) -> Security {
    let attribute = |name: &str| {
        user.user_attributes
            .iter()
            .find(|attribute| attribute.name == name)
            .map(|attribute| attribute.value.clone())
    };
    let detail = |contact: ContactKind| {
        attribute(contact.attribute_name()).map(|value| ContactDetail {
            value,
            verified: attribute(contact.verified_attribute_name()).as_deref() == Some("true"),
        })
    };
    let preferred = user
        .preferred_mfa_setting
        .as_deref()
        .and_then(MfaKind::from_api_name);
    let factors = MfaKind::ALL
        .into_iter()
        .map(|kind| Factor {
            kind,
            enabled: user
                .user_mfa_setting_list
                .iter()
                .any(|name| MfaKind::from_api_name(name) == Some(kind)),
            preferred: preferred == Some(kind),
            allowed: if not_allowed.contains(&kind) {
                Some(false)
            } else {
                pool.map(|pool| pool_allows(pool, kind))
            },
        })
        .collect();
    Security {
        username: user.username.clone(),
        factors,
        email: detail(ContactKind::Email),
        phone: detail(ContactKind::Phone),
        mfa_required: pool
            .and_then(|pool| pool.mfa_configuration.as_deref())
            .map(|mode| mode == "ON"),
        passkeys: None,
        add_passkey_on: AuthenticatorKind::Software,
    }
}

/// Whether the pool's MFA configuration turns `kind` on.
fn pool_allows(pool: &UserPoolMfaConfigResponse, kind: MfaKind) -> bool {
    if pool.mfa_configuration.as_deref() == Some("OFF") {
        return false;
    }
    match kind {
        MfaKind::Sms => pool.sms_mfa_configuration.is_some(),
        MfaKind::SoftwareToken => pool
            .software_token_mfa_configuration
            .as_ref()
            .is_some_and(|config| config.enabled),
        MfaKind::Email => pool.email_mfa_configuration.is_some(),
    }
}

/// Whether no factor is preferred yet: the one turned on then becomes preferred.
fn no_factor_preferred(security: &Security) -> bool {
    security.factors.iter().all(|factor| !factor.preferred)
}

/// The contact detail a factor's codes go to.
fn contact_of(kind: MfaKind) -> Option<ContactKind> {
    match kind {
        MfaKind::Email => Some(ContactKind::Email),
        MfaKind::Sms => Some(ContactKind::Phone),
        MfaKind::SoftwareToken => None,
    }
}

/// The factor as the subject of a sentence, with its verb: "E-mail codes are".
fn factor_name(kind: MfaKind) -> &'static str {
    match kind {
        MfaKind::Sms => "SMS codes are",
        MfaKind::SoftwareToken => "The authenticator app is",
        MfaKind::Email => "E-mail codes are",
    }
}

/// The contact detail's name in a sentence.
fn contact_name(contact: ContactKind) -> &'static str {
    match contact {
        ContactKind::Email => "Your e-mail address is",
        ContactKind::Phone => "Your phone number is",
    }
}

/// Whether `error` says the pool does not allow the factor being turned on: TOTP
/// switched off for the pool (SoftwareTokenMFANotFoundException on
/// AssociateSoftwareToken), or InvalidParameterException "… is not enabled for this
/// user pool" on SetUserMFAPreference.
fn says_not_allowed(error: &ApiError) -> bool {
    match error {
        ApiError::Service { kind, message, .. } => match kind {
            ErrorType::SoftwareTokenMfaNotFound => true,
            ErrorType::InvalidParameter => message.to_ascii_lowercase().contains("not enabled"),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::types::{EmailMfaConfigType, SoftwareTokenMfaConfigType};

    fn user(
        attributes: &[(&str, &str)],
        enabled: &[&str],
        preferred: Option<&str>,
    ) -> GetUserResponse {
        GetUserResponse {
            username: "olive".into(),
            user_attributes: attributes
                .iter()
                .map(|(name, value)| AttributeType {
                    name: (*name).into(),
                    value: (*value).into(),
                })
                .collect(),
            preferred_mfa_setting: preferred.map(Into::into),
            user_mfa_setting_list: enabled.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    #[test]
    fn get_user_becomes_factors_and_contact_details() {
        let user = user(
            &[
                ("email", "olive@example.com"),
                ("email_verified", "false"),
                ("phone_number", "+15555550105"),
                ("phone_number_verified", "true"),
            ],
            &["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            Some("EMAIL_OTP"),
        );
        let security = security(&user, None, &[MfaKind::Sms]);
        assert_eq!(security.username, "olive");
        let email = security.factor(MfaKind::Email).copied();
        assert_eq!(
            email,
            Some(Factor {
                kind: MfaKind::Email,
                enabled: true,
                preferred: true,
                allowed: None,
            })
        );
        let totp = security.factor(MfaKind::SoftwareToken);
        assert!(totp.is_some_and(|totp| totp.enabled && !totp.preferred));
        // Learnt from a refusal: not allowed.
        assert_eq!(
            security.factor(MfaKind::Sms).and_then(|sms| sms.allowed),
            Some(false)
        );
        assert_eq!(
            security.email,
            Some(ContactDetail {
                value: "olive@example.com".into(),
                verified: false
            })
        );
        assert!(security.phone.as_ref().is_some_and(|phone| phone.verified));
        assert_eq!(security.mfa_required, None);
    }

    #[test]
    fn the_pools_configuration_says_what_it_allows_and_whether_mfa_is_required() {
        let pool = UserPoolMfaConfigResponse {
            software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType { enabled: true }),
            email_mfa_configuration: Some(EmailMfaConfigType::default()),
            mfa_configuration: Some("ON".into()),
            ..UserPoolMfaConfigResponse::default()
        };
        let security = security(&user(&[], &[], None), Some(&pool), &[]);
        let allowed: Vec<_> = security
            .factors
            .iter()
            .map(|factor| (factor.kind, factor.allowed))
            .collect();
        assert_eq!(
            allowed,
            [
                (MfaKind::Sms, Some(false)),
                (MfaKind::SoftwareToken, Some(true)),
                (MfaKind::Email, Some(true)),
            ]
        );
        assert_eq!(security.mfa_required, Some(true));
        let off = UserPoolMfaConfigResponse {
            mfa_configuration: Some("OFF".into()),
            ..pool
        };
        let security = self::security(&user(&[], &[], None), Some(&off), &[]);
        assert!(
            security
                .factors
                .iter()
                .all(|factor| factor.allowed == Some(false))
        );
    }
}
