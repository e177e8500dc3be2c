//! A server response into the next `Step`. Challenges that need no person are
//! answered on the way: PASSWORD_VERIFIER always, and while replaying for a fresh code,
//! the choices the person already made.

use time::OffsetDateTime;

use super::calls::fields;
use super::parse;
use super::start::Started;
use super::state::{Attempt, Awaiting, Challenge, CustomRound, Reached};
use super::{AuthFlow, Flow};
use crate::auth::error::FlowError;
use crate::auth::{
    CodeKind, CodeLength, CodeMedium, CodePrompt, Enrolment, FirstFactor, MfaKind, Step, Tokens,
};
use crate::crypto::SrpClient;

/// The step reached (and any notice with it), or why the answer was refused.
pub(super) type Settled = Result<Reached, FlowError>;

/// An authenticator's code: RFC 6238's six digits, as Cognito uses them (its
/// VerifySoftwareToken takes a six-digit UserCode).
pub(super) const TOTP_CODE: CodeLength = CodeLength::Exactly(6);

/// A passwordless code (SMS_OTP, or EMAIL_OTP as USER_AUTH's first factor): Cognito
/// always sends eight digits, and no pool setting changes that (amplify-js issue 14428).
const PASSWORDLESS_CODE: CodeLength = CodeLength::Exactly(8);

/// An MFA code by SMS or e-mail, or a password reset's code: six digits from Cognito's
/// default messages, but the length is not documented as fixed, so the console takes
/// six to eight and lets Enter send it.
pub(super) const SENT_CODE: CodeLength = CodeLength::Between { min: 6, max: 8 };

/// How many challenges in a row the task may answer by itself before it stops.
const MAX_AUTOMATIC_ANSWERS: usize = 8;

impl Flow {
    /// Follows `started` to the next step a person must take. `username` is the one the
    /// sign-in uses so far (a challenge's USERNAME replaces it); `rounds_shown` counts
    /// the custom rounds already shown; `replay` answers the person's earlier choices.
    pub(super) async fn settle(
        &self,
        attempt: &Attempt,
        started: Started,
        replay: bool,
        username: &str,
        rounds_shown: u32,
    ) -> Settled {
        let Started {
            mut response,
            mut srp,
        } = started;
        let mut username = username.to_owned();
        let mut last = String::new();
        for _ in 0..MAX_AUTOMATIC_ANSWERS {
            if let Some(result) = response.authentication_result.take() {
                let tokens = Box::new(Tokens::received_now(result));
                return Ok(Awaiting::SignedIn(tokens).into());
            }
            let challenge =
                Challenge::from_response(response, &username).ok_or(FlowError::EmptyAnswer)?;
            username.clone_from(&challenge.username);
            last.clone_from(&challenge.name);
            match self
                .automatic_answer(attempt, &challenge, &mut srp, replay)
                .await?
            {
                Some(next) => {
                    response = next.response;
                    if next.srp.is_some() {
                        srp = next.srp;
                    }
                }
                None => {
                    return self
                        .show(attempt, challenge, rounds_shown)
                        .await
                        .map(Reached::from);
                }
            }
        }
        Err(FlowError::Looping(last))
    }

    /// The answer the task gives by itself, if any.
    async fn automatic_answer(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        srp: &mut Option<SrpClient>,
        replay: bool,
    ) -> Result<Option<Started>, FlowError> {
        let response = match challenge.name.as_str() {
            "PASSWORD_VERIFIER" => {
                let (Some(srp_client), Some(password)) = (srp.take(), attempt.password.as_ref())
                else {
                    return Ok(None);
                };
                self.answer_password_verifier(&srp_client, challenge, password)
                    .await?
            }
            "SELECT_CHALLENGE" if replay => {
                let Some(factor) = &attempt.first_factor else {
                    return Ok(None);
                };
                return self
                    .choose_first_factor(challenge, factor, attempt.password.as_ref())
                    .await
                    .map(Some);
            }
            "SELECT_MFA_TYPE" if replay => {
                let Some(kind) = attempt.mfa else {
                    return Ok(None);
                };
                self.respond(challenge, fields([("ANSWER", kind.api_name().to_owned())]))
                    .await?
            }
            "MFA_SETUP" if replay => {
                let Some(email) = &attempt.email else {
                    return Ok(None);
                };
                self.respond(challenge, fields([("EMAIL", email.clone())]))
                    .await?
            }
            "DEVICE_SRP_AUTH" => {
                let Some(device) = &attempt.device else {
                    return Ok(None);
                };
                let response = self.answer_device_srp_auth(device, challenge, srp).await?;
                return Ok(Some(Started {
                    response,
                    srp: srp.take(),
                }));
            }
            "DEVICE_PASSWORD_VERIFIER" => {
                let (Some(device), Some(srp_client)) = (&attempt.device, srp.take()) else {
                    return Ok(None);
                };
                self.answer_device_password_verifier(device, &srp_client, challenge)
                    .await?
            }
            _ => return Ok(None),
        };
        Ok(Some(Started::from(response)))
    }

    /// The state for a challenge a person must answer. MFA_SETUP offering only an
    /// authenticator app goes straight to AssociateSoftwareToken.
    async fn show(
        &self,
        attempt: &Attempt,
        challenge: Challenge,
        rounds_shown: u32,
    ) -> Result<Awaiting, FlowError> {
        if let Some(kind) = CodeKind::from_challenge_name(&challenge.name) {
            let length = self.code_length(attempt, kind);
            return Ok(Awaiting::Code(challenge, kind, length));
        }
        if challenge.name == "MFA_SETUP" {
            return match mfa_setup_options(&challenge).as_slice() {
                [] => Err(FlowError::NoKnownFactor(challenge.name)),
                [MfaKind::SoftwareToken] => self.begin_totp_setup(challenge).await,
                [MfaKind::Email] => Ok(Awaiting::EmailSetup(challenge)),
                _ => Ok(Awaiting::SelectMfaSetup(challenge)),
            };
        }
        awaiting_for(challenge, rounds_shown)
    }

    /// How many digits the code of a `kind` challenge has: an authenticator's six, a
    /// passwordless code's eight, else six to eight.
    fn code_length(&self, attempt: &Attempt, kind: CodeKind) -> CodeLength {
        match kind {
            CodeKind::SoftwareToken => TOTP_CODE,
            _ if self.is_first_factor(attempt, kind) => PASSWORDLESS_CODE,
            CodeKind::SmsMfa | CodeKind::SmsOtp | CodeKind::EmailOtp => SENT_CODE,
        }
    }

    /// Whether a code challenge is USER_AUTH's first factor rather than a second one.
    /// SMS_OTP only ever is (SMS MFA is SMS_MFA); EMAIL_OTP is both, and is the first
    /// factor when that is the factor this sign-in started with: the one chosen on
    /// SELECT_CHALLENGE, else the preferred challenge. After a password it is MFA.
    fn is_first_factor(&self, attempt: &Attempt, kind: CodeKind) -> bool {
        if self.settings.auth_flow != AuthFlow::UserAuth {
            return false;
        }
        let started_with = attempt
            .first_factor
            .as_ref()
            .or(self.settings.preferred_challenge.as_ref());
        match kind {
            CodeKind::SmsOtp => true,
            CodeKind::EmailOtp => started_with == Some(&FirstFactor::EmailOtp),
            CodeKind::SmsMfa | CodeKind::SoftwareToken => false,
        }
    }

    /// AssociateSoftwareToken, then the TOTP enrolment step.
    pub(super) async fn begin_totp_setup(
        &self,
        mut challenge: Challenge,
    ) -> Result<Awaiting, FlowError> {
        let (secret, session) = self.associate_software_token(&challenge).await?;
        challenge.session = session;
        Ok(Awaiting::TotpSetup(challenge, secret))
    }

    /// When the Session of `challenge` ends, if it has one: its arrival plus the app
    /// client's session validity.
    fn session_deadline(&self, challenge: &Challenge) -> Option<OffsetDateTime> {
        challenge
            .session
            .is_some()
            .then(|| challenge.received_at + self.settings.session_validity)
    }

    /// The step a person is shown for `awaiting`: the one place a `Step` is made.
    pub(super) fn step(&self, awaiting: &Awaiting) -> Step {
        match awaiting {
            Awaiting::SignIn { username } => Step::SignIn {
                username: username.clone(),
                needs_password: self.needs_password(),
            },
            Awaiting::FirstFactor(challenge) => Step::SelectFirstFactor {
                username: challenge.username.clone(),
                options: first_factors(challenge),
            },
            Awaiting::Password(challenge, _) => Step::Password {
                username: challenge.username.clone(),
            },
            Awaiting::Code(challenge, kind, length) => {
                let expires_at = self.session_deadline(challenge);
                Step::Code(code_prompt(challenge, *kind, *length, expires_at))
            }
            Awaiting::WebAuthn(challenge, options, switched) => {
                let expires_at = self.session_deadline(challenge);
                Step::WebAuthn(self.passkey_prompt(challenge, options, *switched, expires_at))
            }
            Awaiting::KeyPin(waiting) => Step::KeyPin(waiting.prompt.clone()),
            Awaiting::SelectMfa(challenge) => Step::SelectMfa {
                options: mfa_choices(challenge),
            },
            Awaiting::SelectMfaSetup(challenge) => Step::SelectMfaSetup {
                options: mfa_setup_options(challenge),
            },
            Awaiting::TotpSetup(challenge, secret) => {
                let issuer = self.settings.totp_issuer.clone();
                let uri = parse::otpauth_uri(&issuer, &challenge.username, secret.expose());
                Step::TotpSetup {
                    enrolment: Enrolment::SignIn,
                    username: challenge.username.clone(),
                    issuer,
                    secret: secret.clone(),
                    uri: uri.into(),
                    code_length: TOTP_CODE,
                }
            }
            Awaiting::EmailSetup(challenge) => Step::EmailSetup {
                username: challenge.username.clone(),
            },
            Awaiting::NewPassword(challenge) => Step::NewPassword {
                username: challenge.username.clone(),
                required_attributes: parse::required_attributes(
                    challenge.parameter("requiredAttributes"),
                ),
                user_attributes: parse::user_attributes(challenge.parameter("userAttributes")),
            },
            Awaiting::Custom(challenge, round) => Step::Custom {
                parameters: challenge.question(),
                round: round.number,
            },
            Awaiting::RememberDevice(pending) => Step::RememberDevice {
                device_name: pending.device_name.clone(),
            },
            Awaiting::ResetCode(reset) => Step::ResetCode {
                username: reset.username.clone(),
                prompt: CodePrompt {
                    challenge: None,
                    medium: reset.medium.unwrap_or(CodeMedium::Email),
                    destination: reset.destination.clone(),
                    device_name: None,
                    length: SENT_CODE,
                    can_resend: true,
                    // A reset code answers no challenge: no Session runs out.
                    expires_at: None,
                },
            },
            Awaiting::ResetPassword(reset, _) => Step::ResetPassword {
                username: reset.username.clone(),
            },
            Awaiting::SignedIn(tokens) => Step::SignedIn {
                tokens: tokens.clone(),
            },
            Awaiting::Failed(problem) => Step::Failed {
                problem: problem.clone(),
            },
            Awaiting::Account(account) => self.account_step(account),
        }
    }
}

/// The state for every challenge that needs no call to show.
fn awaiting_for(challenge: Challenge, rounds_shown: u32) -> Result<Awaiting, FlowError> {
    match challenge.name.as_str() {
        "SELECT_CHALLENGE" if first_factors(&challenge).is_empty() => {
            Err(FlowError::NoKnownFactor(challenge.name))
        }
        "SELECT_CHALLENGE" => Ok(Awaiting::FirstFactor(challenge)),
        "SELECT_MFA_TYPE" if mfa_choices(&challenge).is_empty() => {
            Err(FlowError::NoKnownFactor(challenge.name))
        }
        "SELECT_MFA_TYPE" => Ok(Awaiting::SelectMfa(challenge)),
        "NEW_PASSWORD_REQUIRED" => Ok(Awaiting::NewPassword(challenge)),
        "CUSTOM_CHALLENGE" => Ok(Awaiting::Custom(
            challenge,
            CustomRound::after(rounds_shown),
        )),
        "WEB_AUTHN" => {
            let options = super::passkey::request_options(&challenge)?;
            Ok(Awaiting::WebAuthn(challenge, Box::new(options), None))
        }
        _ => Ok(Awaiting::Failed(
            FlowError::Unsupported(challenge.name).into(),
        )),
    }
}

/// SELECT_CHALLENGE's AvailableChallenges, as first factors.
fn first_factors(challenge: &Challenge) -> Vec<FirstFactor> {
    challenge
        .available
        .iter()
        .map(|name| FirstFactor::from_api_name(name))
        .collect()
}

/// SELECT_MFA_TYPE's MFAS_CAN_CHOOSE, as factors this console knows.
fn mfa_choices(challenge: &Challenge) -> Vec<MfaKind> {
    parse::mfa_kinds(challenge.parameter("MFAS_CAN_CHOOSE").unwrap_or(""))
}

/// MFA_SETUP's MFAS_CAN_SETUP, as factors this console knows.
fn mfa_setup_options(challenge: &Challenge) -> Vec<MfaKind> {
    parse::mfa_kinds(challenge.parameter("MFAS_CAN_SETUP").unwrap_or(""))
}

/// What a code screen shows: where the code went, or which authenticator to open, and
/// until when it can be given.
fn code_prompt(
    challenge: &Challenge,
    kind: CodeKind,
    length: CodeLength,
    expires_at: Option<OffsetDateTime>,
) -> CodePrompt {
    let text = |name: &str| challenge.parameter(name).map(str::to_owned);
    let implied = match kind {
        CodeKind::SoftwareToken => CodeMedium::Authenticator,
        CodeKind::SmsMfa | CodeKind::SmsOtp => CodeMedium::Sms,
        CodeKind::EmailOtp => CodeMedium::Email,
    };
    // A sent code came the way the server names, else the way the challenge implies.
    let named = challenge
        .parameter("CODE_DELIVERY_DELIVERY_MEDIUM")
        .and_then(CodeMedium::from_delivery_medium);
    let medium = match implied {
        CodeMedium::Authenticator => implied,
        CodeMedium::Sms | CodeMedium::Email => named.unwrap_or(implied),
    };
    CodePrompt {
        challenge: Some(kind),
        medium,
        destination: text("CODE_DELIVERY_DESTINATION"),
        device_name: text("FRIENDLY_DEVICE_NAME"),
        length,
        // Authenticator codes are never sent, so only SMS and e-mail codes can be resent.
        can_resend: kind != CodeKind::SoftwareToken,
        expires_at,
    }
}
