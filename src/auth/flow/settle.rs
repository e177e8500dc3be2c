//! A server response into the next `Step`. Challenges that need no person are
//! answered on the way: PASSWORD_VERIFIER always, and while replaying for a fresh code,
//! the choices the person already made.

use super::Flow;
use super::calls::fields;
use super::parse;
use super::start::Started;
use super::state::{Attempt, Awaiting, Challenge};
use crate::auth::error::FlowError;
use crate::auth::{CodeKind, CodePrompt, FirstFactor, MfaKind, Step, Tokens};
use crate::crypto::SrpClient;

/// The step reached and the state to answer it in, or why the answer was refused.
pub(super) type Settled = Result<(Awaiting, Step), FlowError>;

/// Digits in a one-time code; Cognito's codes have six.
const CODE_LENGTH: usize = 6;

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
                return Ok((Awaiting::Finished, Step::SignedIn { tokens }));
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
                None => return self.show(challenge, rounds_shown).await,
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

    /// The step for a challenge a person must answer. MFA_SETUP offering only an
    /// authenticator app goes straight to AssociateSoftwareToken.
    async fn show(&self, challenge: Challenge, rounds_shown: u32) -> Settled {
        if challenge.name == "MFA_SETUP" {
            let options = parse::mfa_kinds(challenge.parameter("MFAS_CAN_SETUP").unwrap_or(""));
            return match options.as_slice() {
                [] => Err(FlowError::NoKnownFactor(challenge.name)),
                [MfaKind::SoftwareToken] => self.begin_totp_setup(challenge).await,
                [MfaKind::Email] => Ok(email_setup(challenge)),
                _ => Ok((
                    Awaiting::SelectMfaSetup(challenge),
                    Step::SelectMfaSetup { options },
                )),
            };
        }
        step_for(challenge, rounds_shown)
    }

    /// AssociateSoftwareToken, then the TOTP enrolment step with its otpauth URI.
    pub(super) async fn begin_totp_setup(&self, mut challenge: Challenge) -> Settled {
        let (secret, session) = self.associate_software_token(&challenge).await?;
        challenge.session = session;
        let issuer = self.settings.totp_issuer.clone();
        let uri = parse::otpauth_uri(&issuer, &challenge.username, secret.expose());
        let step = Step::TotpSetup {
            username: challenge.username.clone(),
            issuer,
            secret,
            uri: uri.into(),
        };
        Ok((Awaiting::TotpSetup(challenge), step))
    }
}

/// The e-mail enrolment step.
pub(super) fn email_setup(challenge: Challenge) -> (Awaiting, Step) {
    let step = Step::EmailSetup {
        username: challenge.username.clone(),
    };
    (Awaiting::EmailSetup(challenge), step)
}

/// The step for every challenge that needs no call to show.
fn step_for(challenge: Challenge, rounds_shown: u32) -> Settled {
    if let Some(kind) = CodeKind::from_challenge_name(&challenge.name) {
        let step = Step::Code(code_prompt(&challenge, kind));
        return Ok((Awaiting::Code(challenge, kind), step));
    }
    match challenge.name.as_str() {
        "SELECT_CHALLENGE" => {
            let options: Vec<FirstFactor> = challenge
                .available
                .iter()
                .map(|name| FirstFactor::from_api_name(name))
                .collect();
            if options.is_empty() {
                return Err(FlowError::NoKnownFactor(challenge.name));
            }
            let step = Step::SelectFirstFactor {
                username: challenge.username.clone(),
                options,
            };
            Ok((Awaiting::FirstFactor(challenge), step))
        }
        "SELECT_MFA_TYPE" => {
            let options = parse::mfa_kinds(challenge.parameter("MFAS_CAN_CHOOSE").unwrap_or(""));
            if options.is_empty() {
                return Err(FlowError::NoKnownFactor(challenge.name));
            }
            Ok((Awaiting::SelectMfa(challenge), Step::SelectMfa { options }))
        }
        "NEW_PASSWORD_REQUIRED" => {
            let step = Step::NewPassword {
                username: challenge.username.clone(),
                required_attributes: parse::required_attributes(
                    challenge.parameter("requiredAttributes"),
                ),
                user_attributes: parse::user_attributes(challenge.parameter("userAttributes")),
            };
            Ok((Awaiting::NewPassword(challenge), step))
        }
        "CUSTOM_CHALLENGE" => {
            let round = rounds_shown.saturating_add(1);
            // USERNAME is how the server addresses the answer, not part of the question.
            let parameters = challenge
                .parameters
                .iter()
                .filter(|(name, _)| name.as_str() != "USERNAME")
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            Ok((
                Awaiting::Custom(challenge, round),
                Step::Custom { parameters, round },
            ))
        }
        "WEB_AUTHN" => Err(FlowError::Passkey),
        _ => Ok((
            Awaiting::Finished,
            Step::Unsupported {
                challenge: challenge.name,
            },
        )),
    }
}

/// What a code screen shows: where the code went, or which authenticator to open.
fn code_prompt(challenge: &Challenge, kind: CodeKind) -> CodePrompt {
    let text = |name: &str| challenge.parameter(name).map(str::to_owned);
    CodePrompt {
        kind,
        destination: text("CODE_DELIVERY_DESTINATION"),
        medium: text("CODE_DELIVERY_DELIVERY_MEDIUM"),
        device_name: text("FRIENDLY_DEVICE_NAME"),
        length: CODE_LENGTH,
        // Authenticator codes are never sent, so only SMS and e-mail codes can be resent.
        can_resend: kind != CodeKind::SoftwareToken,
    }
}
