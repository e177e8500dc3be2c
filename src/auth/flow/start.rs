//! The first factor: InitiateAuth as each flow starts it, and USER_AUTH's
//! SELECT_CHALLENGE answered with the factor the person chose.

use super::calls::{Fields, fields};
use super::settle::Settled;
use super::state::{Attempt, Challenge};
use super::{AuthFlow, Flow};
use crate::auth::FirstFactor;
use crate::auth::error::FlowError;
use crate::cognito::types::AuthResponse;
use crate::crypto::SrpClient;
use crate::sensitive::SensitiveString;

/// Where the sign-in is after its first call: the response, and the SRP client when
/// SRP_A was sent (PASSWORD_VERIFIER needs it).
pub(super) struct Started {
    pub response: AuthResponse,
    pub srp: Option<SrpClient>,
}

impl From<AuthResponse> for Started {
    /// A response to an answer that sent no SRP_A.
    fn from(response: AuthResponse) -> Self {
        Self {
            response,
            srp: None,
        }
    }
}

impl Flow {
    /// Starts (or, with `replay`, restarts for a fresh code) the sign-in the attempt
    /// describes, and settles on the next step.
    pub(super) async fn start(&self, attempt: &mut Attempt, replay: bool) -> Settled {
        let started = self.initiate_first_factor(attempt).await?;
        match self
            .settle(attempt, started, replay, &attempt.username, 0)
            .await
        {
            // The pool no longer takes the remembered device: without it, from the top.
            Err(FlowError::DeviceRefused) => {
                self.forget_stored_device(attempt);
                let started = self.initiate_first_factor(attempt).await?;
                self.settle(attempt, started, replay, &attempt.username, 0)
                    .await
            }
            settled => settled,
        }
    }

    /// InitiateAuth: USERNAME plus what the flow proves first.
    /// - USER_SRP_AUTH: SRP_A.
    /// - USER_PASSWORD_AUTH: PASSWORD.
    /// - CUSTOM_AUTH: nothing more; with SRP, SRP_A and CHALLENGE_NAME=SRP_A.
    /// - USER_AUTH: PREFERRED_CHALLENGE, with PASSWORD or SRP_A when that is the preferred one.
    async fn initiate_first_factor(&self, attempt: &Attempt) -> Result<Started, FlowError> {
        let mut parameters = Fields::new();
        let mut srp = None;
        let with_srp = |parameters: &mut Fields, srp: &mut Option<SrpClient>| {
            let client = SrpClient::new();
            parameters.insert("SRP_A".to_owned(), client.public_a_hex());
            *srp = Some(client);
        };
        let device_key = || {
            attempt
                .device
                .as_ref()
                .map(|device| device.device_key.clone())
        };
        match self.settings.auth_flow {
            AuthFlow::UserSrp => {
                with_srp(&mut parameters, &mut srp);
                parameters.extend(device_key().map(|key| ("DEVICE_KEY".to_owned(), key)));
            }
            AuthFlow::UserPassword | AuthFlow::AdminUserPassword | AuthFlow::AdminNoSrp => {
                parameters.insert("PASSWORD".to_owned(), password_of(attempt)?);
                parameters.extend(device_key().map(|key| ("DEVICE_KEY".to_owned(), key)));
            }
            AuthFlow::CustomAuth => {}
            AuthFlow::CustomWithSrp => {
                with_srp(&mut parameters, &mut srp);
                parameters.insert("CHALLENGE_NAME".to_owned(), "SRP_A".to_owned());
            }
            AuthFlow::UserAuth => {
                if let Some(preferred) = &self.settings.preferred_challenge {
                    parameters.insert(
                        "PREFERRED_CHALLENGE".to_owned(),
                        preferred.api_name().to_owned(),
                    );
                    match preferred {
                        FirstFactor::Password => {
                            parameters.insert("PASSWORD".to_owned(), password_of(attempt)?);
                        }
                        FirstFactor::PasswordSrp => with_srp(&mut parameters, &mut srp),
                        _ => {}
                    }
                }
            }
        }
        let response = self.initiate(&attempt.username, parameters).await?;
        Ok(Started { response, srp })
    }

    /// Answers SELECT_CHALLENGE with `factor`: ANSWER, plus PASSWORD or SRP_A for the
    /// password factors (SRP then goes on with PASSWORD_VERIFIER).
    pub(super) async fn choose_first_factor(
        &self,
        challenge: &Challenge,
        factor: &FirstFactor,
        password: Option<&SensitiveString>,
    ) -> Result<Started, FlowError> {
        let mut responses = fields([("ANSWER", factor.api_name().to_owned())]);
        let mut srp = None;
        match factor {
            FirstFactor::Password => {
                let password = password.ok_or(FlowError::EmptyField("Enter your password."))?;
                responses.insert("PASSWORD".to_owned(), password.expose().clone());
            }
            FirstFactor::PasswordSrp => {
                let client = SrpClient::new();
                responses.insert("SRP_A".to_owned(), client.public_a_hex());
                srp = Some(client);
            }
            // The passkey's assertion answers the WEB_AUTHN challenge that follows.
            FirstFactor::EmailOtp | FirstFactor::SmsOtp | FirstFactor::WebAuthn => {}
            FirstFactor::Other(name) => return Err(FlowError::UnusableFactor(name.clone())),
        }
        let response = self.respond(challenge, responses).await?;
        Ok(Started { response, srp })
    }
}

/// The attempt's password, for flows that send it.
fn password_of(attempt: &Attempt) -> Result<String, FlowError> {
    attempt
        .password
        .as_ref()
        .map(|password| password.expose().clone())
        .ok_or(FlowError::EmptyField("Enter a password."))
}
