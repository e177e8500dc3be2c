//! Each `Answer` on the step it belongs to. An answer that does not fit the step is
//! refused without a call; every other one becomes the call its challenge documents.

use std::collections::BTreeMap;

use super::Flow;
use super::calls::{Fields, fields};
use super::settle::Settled;
use super::start::Started;
use super::state::{Attempt, Awaiting, Challenge, CustomRound, Reached};
use crate::auth::error::FlowError;
use crate::auth::{Answer, CodeKind, CodeMedium, CodePrompt, FirstFactor, MfaKind, Step};
use crate::sensitive::SensitiveString;

impl Flow {
    /// Applies `answer` to the step `awaiting` describes; the attempt remembers the
    /// choices a resend replays.
    pub(super) async fn apply(
        &self,
        attempt: &mut Attempt,
        awaiting: &Awaiting,
        answer: Answer,
    ) -> Settled {
        // Account security works with the tokens of a sign-in already made.
        if super::account::is_account_answer(awaiting, &answer) {
            return self.account(awaiting, answer).await;
        }
        // The device question comes after the tokens: its answer ends the sign-in.
        if let (Awaiting::RememberDevice(pending), Answer::RememberDevice(remember)) =
            (awaiting, &answer)
        {
            return self.remember_device(pending, *remember).await;
        }
        match self.apply_answer(attempt, awaiting, answer).await? {
            Reached {
                awaiting: Awaiting::SignedIn(tokens),
                ..
            } => self.after_sign_in(attempt, tokens).await,
            other => Ok(other),
        }
    }

    /// The call `answer` makes on the step `awaiting` describes.
    async fn apply_answer(
        &self,
        attempt: &mut Attempt,
        awaiting: &Awaiting,
        answer: Answer,
    ) -> Settled {
        match (awaiting, answer) {
            (form, Answer::SignIn { username, password }) if form.takes_sign_in() => {
                self.sign_in(attempt, &username, password).await
            }
            (Awaiting::FirstFactor(challenge), Answer::FirstFactor(factor)) => {
                self.first_factor(attempt, challenge, factor).await
            }
            (Awaiting::Password(challenge, factor), Answer::Password(password)) => {
                attempt.password = Some(present(password, "Enter your password.")?);
                // A try after a refused password starts a new sign-in with the same
                // factor: PASSWORD_SRP used up SELECT_CHALLENGE's Session on the first try.
                let retry = attempt.first_factor.replace(factor.clone()).is_some();
                if retry {
                    return self.start(attempt, true).await;
                }
                let started = self
                    .choose_first_factor(challenge, factor, attempt.password.as_ref())
                    .await?;
                self.settle(attempt, started, false, &challenge.username, 0)
                    .await
            }
            (Awaiting::Code(challenge, kind, _), Answer::Code(code)) => {
                let code = filled(code, "Enter the code.")?;
                let responses = fields([(kind.response_key(), code.expose().clone())]);
                self.answer_and_settle(attempt, challenge, responses, 0)
                    .await
            }
            (Awaiting::Code(_, kind, _), Answer::ResendCode)
                if *kind != CodeKind::SoftwareToken =>
            {
                // Cognito sends a fresh code when the sign-in starts again.
                let reached = self.start(attempt, true).await?;
                Ok(self.resent(reached))
            }
            (Awaiting::WebAuthn(challenge, options, switched), Answer::WebAuthn) => {
                self.sign_with_passkey(attempt, challenge, options, *switched)
                    .await
            }
            (Awaiting::WebAuthn(challenge, options, switched), Answer::SwitchAuthenticator)
                if self.can_switch_authenticator() =>
            {
                let held = self.holds_software_passkey(options);
                let other = self.authenticator_for(*switched, held).other();
                Ok(Awaiting::WebAuthn(challenge.clone(), options.clone(), Some(other)).into())
            }
            (Awaiting::KeyPin(waiting), Answer::KeyPin(pin)) => {
                self.give_sign_in_pin(attempt, waiting, pin).await
            }
            (Awaiting::SelectMfa(challenge), Answer::Mfa(kind)) => {
                attempt.mfa = Some(kind);
                let responses = fields([("ANSWER", kind.api_name().to_owned())]);
                self.answer_and_settle(attempt, challenge, responses, 0)
                    .await
            }
            (Awaiting::SelectMfaSetup(challenge), Answer::MfaSetup(kind)) => match kind {
                MfaKind::SoftwareToken => {
                    Ok(self.begin_totp_setup(challenge.clone()).await?.into())
                }
                MfaKind::Email => Ok(Awaiting::EmailSetup(challenge.clone()).into()),
                MfaKind::Sms => Err(FlowError::SmsSetupNeedsPhone),
            },
            (Awaiting::TotpSetup(challenge, _), Answer::TotpSetup { code, device_name }) => {
                self.finish_totp_setup(attempt, challenge, code, device_name)
                    .await
            }
            (Awaiting::EmailSetup(challenge), Answer::EmailSetup { email }) => {
                let email = email.trim();
                if email.is_empty() {
                    return Err(FlowError::EmptyField("Enter an e-mail address."));
                }
                attempt.email = Some(email.to_owned());
                let responses = fields([("EMAIL", email.to_owned())]);
                self.answer_and_settle(attempt, challenge, responses, 0)
                    .await
            }
            (
                Awaiting::NewPassword(challenge),
                Answer::NewPassword {
                    password,
                    attributes,
                },
            ) => {
                self.new_password(attempt, challenge, password, attributes)
                    .await
            }
            (Awaiting::Custom(challenge, round), Answer::Custom(answer)) => {
                let answer = filled(answer, "Enter an answer.")?;
                let responses = fields([("ANSWER", answer.expose().clone())]);
                let reached = self
                    .answer_and_settle(attempt, challenge, responses, round.number)
                    .await?;
                Ok(after_custom_answer(challenge, *round, reached))
            }
            (form, Answer::ForgotPassword { username }) if form.takes_sign_in() => {
                self.forgot_password(&username).await
            }
            (Awaiting::ResetCode(reset), Answer::Code(code)) => {
                let code = filled(code, "Enter the code.")?;
                Ok(Awaiting::ResetPassword(reset.clone(), code).into())
            }
            (Awaiting::ResetCode(reset), Answer::ResendCode) => {
                let reached = self.forgot_password(&reset.username).await?;
                Ok(self.resent(reached))
            }
            (Awaiting::ResetPassword(reset, code), Answer::NewPassword { password, .. }) => {
                let password = present(password, "Enter a new password.")?;
                self.confirm_forgot_password(attempt, reset, code, password)
                    .await
            }
            _ => Err(FlowError::NotThisStep),
        }
    }

    /// Where a resend led, saying that a new code went out and where, when it led to a
    /// code step again (a replay may end elsewhere: then it says nothing).
    pub(super) fn resent(&self, reached: Reached) -> Reached {
        let notice = match self.step(&reached.awaiting) {
            Step::Code(prompt)
            | Step::ResetCode { prompt, .. }
            | Step::ContactCode { prompt, .. } => code_resent(&prompt),
            _ => None,
        };
        match notice {
            Some(notice) if reached.note.is_none() => {
                Reached::with_notice(reached.awaiting, notice)
            }
            _ => reached,
        }
    }

    /// The sign-in form: a fresh attempt, started.
    async fn sign_in(
        &self,
        attempt: &mut Attempt,
        username: &str,
        password: SensitiveString,
    ) -> Settled {
        let username = username.trim();
        if username.is_empty() {
            return Err(FlowError::EmptyField("Enter a username."));
        }
        let needs_password = self.needs_password();
        if needs_password && password.expose().is_empty() {
            return Err(FlowError::EmptyField("Enter a password."));
        }
        *attempt = Attempt {
            username: username.to_owned(),
            password: needs_password.then_some(password),
            device: self.stored_device(username),
            ..Attempt::default()
        };
        self.start(attempt, false).await
    }

    /// SELECT_CHALLENGE: a password factor asks for the password first; a code factor
    /// or a passkey is sent as ANSWER at once (a passkey's WEB_AUTHN challenge follows).
    async fn first_factor(
        &self,
        attempt: &mut Attempt,
        challenge: &Challenge,
        factor: FirstFactor,
    ) -> Settled {
        match factor {
            FirstFactor::Password | FirstFactor::PasswordSrp => {
                Ok(Awaiting::Password(challenge.clone(), factor).into())
            }
            FirstFactor::EmailOtp | FirstFactor::SmsOtp | FirstFactor::WebAuthn => {
                let started = self.choose_first_factor(challenge, &factor, None).await?;
                attempt.first_factor = Some(factor);
                self.settle(attempt, started, false, &challenge.username, 0)
                    .await
            }
            FirstFactor::Other(name) => Err(FlowError::UnusableFactor(name)),
        }
    }

    /// MFA_SETUP for an authenticator app: VerifySoftwareToken with the first code, then
    /// MFA_SETUP answered with the Session VerifySoftwareToken returned.
    async fn finish_totp_setup(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        code: SensitiveString,
        device_name: Option<String>,
    ) -> Settled {
        let code = filled(code, "Enter the code your authenticator app shows.")?;
        let device_name = device_name
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty());
        let verified = self
            .verify_software_token(challenge, code, device_name)
            .await?;
        let session = verified.session.or_else(|| challenge.session.clone());
        let response = self
            .respond_with_session(challenge, session, Fields::new())
            .await?;
        let started = Started::from(response);
        self.settle(attempt, started, false, &challenge.username, 0)
            .await
    }

    /// NEW_PASSWORD_REQUIRED: NEW_PASSWORD and `userAttributes.<name>` for each value
    /// given. The new password replaces the old one for any later resend.
    async fn new_password(
        &self,
        attempt: &mut Attempt,
        challenge: &Challenge,
        password: SensitiveString,
        attributes: BTreeMap<String, String>,
    ) -> Settled {
        let password = present(password, "Enter a new password.")?;
        let mut responses = fields([("NEW_PASSWORD", password.expose().clone())]);
        for (name, value) in attributes {
            if !value.trim().is_empty() {
                responses.insert(format!("userAttributes.{name}"), value);
            }
        }
        let response = self.respond(challenge, responses).await?;
        attempt.password = Some(password);
        let started = Started::from(response);
        self.settle(attempt, started, false, &challenge.username, 0)
            .await
    }

    /// Answers `challenge` with `responses` and settles on what follows.
    pub(super) async fn answer_and_settle(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        responses: Fields,
        rounds_shown: u32,
    ) -> Settled {
        let response = self.respond(challenge, responses).await?;
        let started = Started::from(response);
        self.settle(attempt, started, false, &challenge.username, rounds_shown)
            .await
    }
}

/// What follows a custom answer. Cognito does not say whether an answer was right: its
/// Define auth challenge trigger sees the verdict and issues the next challenge. The same
/// question asked again means the answer was not accepted, so it is the same round,
/// asked again with that said; a new question is the next round.
fn after_custom_answer(answered: &Challenge, round: CustomRound, reached: Reached) -> Reached {
    match reached.awaiting {
        Awaiting::Custom(next, _) if next.question() == answered.question() => {
            let again = CustomRound {
                number: round.number,
                wrong_answers: round.wrong_answers.saturating_add(1),
            };
            let problem = FlowError::CustomAnswerNotAccepted {
                wrong_answers: again.wrong_answers,
            }
            .into();
            Reached::with_refusal(Awaiting::Custom(next, again), problem)
        }
        awaiting => Reached {
            awaiting,
            note: reached.note,
        },
    }
}

/// A password as typed (spaces count), or the sentence asking for it.
fn present(value: SensitiveString, ask: &'static str) -> Result<SensitiveString, FlowError> {
    if value.expose().is_empty() {
        return Err(FlowError::EmptyField(ask));
    }
    Ok(value)
}

/// A code or answer trimmed of surrounding spaces, or the sentence asking for it.
pub(super) fn filled(
    value: SensitiveString,
    ask: &'static str,
) -> Result<SensitiveString, FlowError> {
    let trimmed = value.expose().trim();
    if trimmed.is_empty() {
        return Err(FlowError::EmptyField(ask));
    }
    if trimmed.len() == value.expose().len() {
        return Ok(value);
    }
    Ok(SensitiveString::from(trimmed))
}

/// "A new code was sent by SMS to +*******0101.": the notice after a resend; `None` for
/// an authenticator's code, which is never sent.
fn code_resent(prompt: &CodePrompt) -> Option<String> {
    let by = match prompt.medium {
        CodeMedium::Sms => "by SMS",
        CodeMedium::Email => "by e-mail",
        CodeMedium::Authenticator => return None,
    };
    Some(match &prompt.destination {
        Some(to) => format!("A new code was sent {by} to {to}."),
        None => format!("A new code was sent {by}."),
    })
}
