//! WEB_AUTHN: the challenge's CREDENTIAL_REQUEST_OPTIONS (a WebAuthn
//! PublicKeyCredentialRequestOptionsJSON), the software passkey's assertion over it, and
//! RespondToAuthChallenge with that assertion as CREDENTIAL; and a signed-in account's
//! passkeys on account security (`auth::passkeys` makes the calls).

use std::sync::Arc;

use time::OffsetDateTime;

use super::Flow;
use super::calls::fields;
use super::settle::Settled;
use super::state::{Account, AccountStep, Attempt, Awaiting, Challenge, Reached, SignInKeyPin};
use crate::auth::error::FlowError;
use crate::auth::{
    AuthenticatorKind, Event, KeyPinPrompt, Note, PasskeyAuthenticator, PasskeyEntry,
    PasskeyPrompt, passkeys,
};
use crate::cognito::webauthn::{AuthenticationResponse, RegistrationResponse, RequestOptions};
use crate::passkey::origin_for;
use crate::passkey::security_key::{KeyCeremony, KeyEvent, PinRequest, SecurityKeyError};
use crate::sensitive::SensitiveString;

/// The challenge parameter holding the request options, as a JSON string.
const REQUEST_OPTIONS: &str = "CREDENTIAL_REQUEST_OPTIONS";

/// The request options a WEB_AUTHN challenge carries.
pub(super) fn request_options(challenge: &Challenge) -> Result<RequestOptions, FlowError> {
    let text = challenge
        .parameter(REQUEST_OPTIONS)
        .ok_or_else(|| FlowError::MissingParameter {
            challenge: challenge.name.clone(),
            parameter: REQUEST_OPTIONS,
        })?;
    serde_json::from_str(text).map_err(|error| FlowError::PasskeyOptions(error.to_string()))
}

impl Flow {
    /// The authenticator a passkey step uses: the one the person switched to, else
    /// `--authenticator`, else the software passkey when this machine holds one the
    /// server allows (`holds_software`), else a security key when one is plugged in,
    /// else the software passkey (whose screen then says how to get one, and offers the
    /// switch).
    pub(super) fn authenticator_for(
        &self,
        switched: Option<AuthenticatorKind>,
        holds_software: bool,
    ) -> AuthenticatorKind {
        switched.or(self.settings.authenticator).unwrap_or_else(|| {
            if !holds_software && self.settings.security_keys.plugged_in() == Some(true) {
                AuthenticatorKind::SecurityKey
            } else {
                AuthenticatorKind::Software
            }
        })
    }

    /// Whether this machine's software passkey holds a credential the options allow. A
    /// store that cannot be read counts as holding one, so Enter reports what is wrong
    /// with it.
    pub(super) fn holds_software_passkey(&self, options: &RequestOptions) -> bool {
        let relying_party = options.rp_id.as_deref().unwrap_or_default();
        self.settings.passkeys.as_ref().is_some_and(|store| {
            store
                .held_for(relying_party, &options.allow_credentials)
                .unwrap_or(true)
        })
    }

    /// Whether the person may switch authenticators: not when `--authenticator` chose
    /// one, nor in a build with only the software passkey.
    pub(super) fn can_switch_authenticator(&self) -> bool {
        self.settings.authenticator.is_none() && cfg!(feature = "security-key")
    }

    /// What the passkey screen shows: who, for which relying party, and the
    /// authenticator: for the software passkey, whether this machine holds one the
    /// server will take; for a security key, whether one is plugged in.
    pub(super) fn passkey_prompt(
        &self,
        challenge: &Challenge,
        options: &RequestOptions,
        switched: Option<AuthenticatorKind>,
        expires_at: Option<OffsetDateTime>,
    ) -> PasskeyPrompt {
        let relying_party = options.rp_id.clone().unwrap_or_default();
        let held = self.holds_software_passkey(options);
        let authenticator = match self.authenticator_for(switched, held) {
            AuthenticatorKind::Software => PasskeyAuthenticator::Software { held },
            AuthenticatorKind::SecurityKey => PasskeyAuthenticator::SecurityKey {
                plugged_in: self.settings.security_keys.plugged_in(),
            },
        };
        PasskeyPrompt {
            username: challenge.username.clone(),
            relying_party,
            authenticator,
            can_switch: self.can_switch_authenticator(),
            expires_at,
        }
    }

    /// The passkey signs the challenge with the origin `https://<rpId>` (see
    /// `passkey::origin_for`), and RespondToAuthChallenge carries the assertion as
    /// CREDENTIAL, USERNAME beside it. A security key may first ask for its PIN.
    pub(super) async fn sign_with_passkey(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        options: &RequestOptions,
        switched: Option<AuthenticatorKind>,
    ) -> Settled {
        let origin = origin_for(options.rp_id.as_deref().unwrap_or_default());
        let held = self.holds_software_passkey(options);
        if self.authenticator_for(switched, held) == AuthenticatorKind::SecurityKey {
            let ceremony = self.settings.security_keys.sign(options, &origin)?;
            return self
                .follow_sign_in_key(attempt, challenge, options, Arc::new(ceremony))
                .await;
        }
        let store = self.settings.passkeys.as_ref().ok_or_else(|| {
            FlowError::Passkey(crate::passkey::PasskeyError::NoDataDir.to_string())
        })?;
        let assertion = store
            .get(options, &origin)
            .map_err(|error| FlowError::Passkey(error.to_string()))?;
        self.respond_with_assertion(attempt, challenge, &assertion)
            .await
    }

    /// The PIN the security key asked for, then the rest of its ceremony.
    pub(super) async fn give_sign_in_pin(
        &self,
        attempt: &Attempt,
        waiting: &SignInKeyPin,
        pin: SensitiveString,
    ) -> Settled {
        match waiting.ceremony.give_pin(&pin) {
            Ok(()) => {}
            Err(SecurityKeyError::EmptyPin) => {
                return Err(SecurityKeyError::EmptyPin.into());
            }
            Err(error) => return Ok(key_failed(&waiting.challenge, &waiting.options, error)),
        }
        self.follow_sign_in_key(
            attempt,
            &waiting.challenge,
            &waiting.options,
            Arc::clone(&waiting.ceremony),
        )
        .await
    }

    /// Follows the security key until it wants a PIN (the PIN step), answers (the
    /// assertion goes to Cognito) or fails (back on the passkey step, saying why).
    async fn follow_sign_in_key(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        options: &RequestOptions,
        ceremony: Arc<KeyCeremony<AuthenticationResponse>>,
    ) -> Settled {
        match self.key_outcome(&ceremony).await {
            KeyOutcome::Pin(request) => {
                let prompt = pin_prompt(options.rp_id.as_deref(), false, request);
                Ok(Awaiting::KeyPin(Box::new(SignInKeyPin {
                    challenge: challenge.clone(),
                    options: Box::new(options.clone()),
                    ceremony,
                    prompt,
                }))
                .into())
            }
            KeyOutcome::Done(assertion) => {
                self.respond_with_assertion(attempt, challenge, &assertion)
                    .await
            }
            KeyOutcome::Failed(error) => Ok(key_failed(challenge, options, error)),
        }
    }

    /// RespondToAuthChallenge with the assertion as CREDENTIAL.
    async fn respond_with_assertion(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        assertion: &AuthenticationResponse,
    ) -> Settled {
        let credential = serde_json::to_string(assertion).map_err(|error| {
            FlowError::Passkey(format!(
                "the passkey's answer could not be written: {error}"
            ))
        })?;
        self.answer_and_settle(attempt, challenge, fields([("CREDENTIAL", credential)]), 0)
            .await
    }

    /// The key's events until it wants something only the person can type (its PIN),
    /// answers, or fails; what to do with the key meanwhile goes out as progress.
    pub(super) async fn key_outcome<T>(&self, ceremony: &KeyCeremony<T>) -> KeyOutcome<T> {
        loop {
            let event = ceremony.next().await;
            if let Some(progress) = event.progress() {
                // A front end that went away ends the task anyway.
                let _ = self.progress.send(Event::Progress(progress)).await;
                continue;
            }
            return match event {
                KeyEvent::Pin(request) => KeyOutcome::Pin(request),
                KeyEvent::Done(answer) => KeyOutcome::Done(*answer),
                KeyEvent::Failed(error) => KeyOutcome::Failed(error),
                // Said as progress above.
                KeyEvent::Touch | KeyEvent::ChooseKey | KeyEvent::NotRecognised { .. } => {
                    KeyOutcome::Failed(SecurityKeyError::Ended)
                }
            };
        }
    }
}

/// Where a security key's ceremony stopped.
pub(super) enum KeyOutcome<T> {
    /// It asks for its PIN.
    Pin(PinRequest),
    /// It answered.
    Done(T),
    /// It gave no answer.
    Failed(SecurityKeyError),
}

/// The PIN step's prompt for a key's PIN request.
pub(super) fn pin_prompt(
    relying_party: Option<&str>,
    enrolling: bool,
    request: PinRequest,
) -> KeyPinPrompt {
    KeyPinPrompt {
        relying_party: relying_party.unwrap_or_default().to_owned(),
        enrolling,
        wrong: request.wrong,
        retries: request.retries,
    }
}

/// Back on the passkey step, still on the security key, saying why it gave no answer.
fn key_failed(challenge: &Challenge, options: &RequestOptions, error: SecurityKeyError) -> Reached {
    Reached {
        awaiting: Awaiting::WebAuthn(
            challenge.clone(),
            Box::new(options.clone()),
            Some(AuthenticatorKind::SecurityKey),
        ),
        note: Some(Note::Refused(FlowError::from(error).into())),
    }
}

impl Flow {
    /// The account's passkeys for account security, each marked when this machine
    /// holds it; `None` when the pool will not list them (a pool, or a
    /// Cognito-compatible server, without passkeys), which hides the section.
    pub(super) async fn passkey_entries(
        &self,
        access_token: &SensitiveString,
    ) -> Option<Vec<PasskeyEntry>> {
        let held = passkeys::held_here(self.settings.passkeys.as_ref());
        let credentials = passkeys::every_credential(&self.client, access_token)
            .await
            .ok()?;
        Some(
            credentials
                .into_iter()
                .map(|credential| PasskeyEntry {
                    on_this_machine: held.contains(&credential.credential_id),
                    credential_id: credential.credential_id,
                    name: credential.friendly_credential_name,
                    relying_party: credential.relying_party_id,
                    created_at: credential.created_at as i64,
                })
                .collect(),
        )
    }

    /// Adds a passkey from account security: the software passkey at once, or a
    /// security key (which may ask for its PIN first); back on the overview, saying so.
    pub(super) async fn add_passkey(&self, account: &Account) -> Settled {
        let access_token = account.tokens.result.access_token.clone();
        if self.authenticator_for(None, false) == AuthenticatorKind::Software {
            let store = self.settings.passkeys.as_ref().ok_or_else(|| {
                FlowError::Passkey(crate::passkey::PasskeyError::NoDataDir.to_string())
            })?;
            let enrolled = passkeys::enrol(&self.client, store, &access_token).await?;
            let added = format!(
                "Passkey added for {}: this machine's software passkey can now sign in.",
                enrolled.relying_party
            );
            return self.back_on_overview(account, Some(added), None).await;
        }
        let options = passkeys::start_registration(&self.client, &access_token).await?;
        let origin = origin_for(options.rp.id.as_deref().unwrap_or_default());
        let ceremony = self.settings.security_keys.register(&options, &origin)?;
        let relying_party = options.rp.id.unwrap_or_default();
        self.follow_enrolling_key(account, Arc::new(ceremony), &relying_party)
            .await
    }

    /// The PIN the security key asked for while adding a passkey, then the rest.
    pub(super) async fn give_enrolment_pin(
        &self,
        account: &Account,
        ceremony: &Arc<KeyCeremony<RegistrationResponse>>,
        relying_party: &str,
        pin: SensitiveString,
    ) -> Settled {
        match ceremony.give_pin(&pin) {
            Ok(()) => {
                self.follow_enrolling_key(account, Arc::clone(ceremony), relying_party)
                    .await
            }
            Err(SecurityKeyError::EmptyPin) => Err(SecurityKeyError::EmptyPin.into()),
            Err(error) => self.back_on_overview(account, None, Some(error)).await,
        }
    }

    /// Follows the enrolling key: its PIN step, CompleteWebAuthnRegistration with its
    /// answer, or the overview saying why it gave none.
    async fn follow_enrolling_key(
        &self,
        account: &Account,
        ceremony: Arc<KeyCeremony<RegistrationResponse>>,
        relying_party: &str,
    ) -> Settled {
        match self.key_outcome(&ceremony).await {
            KeyOutcome::Pin(request) => {
                let prompt = pin_prompt(Some(relying_party), true, request);
                Ok(account.at(AccountStep::KeyPin(ceremony, prompt)).into())
            }
            KeyOutcome::Done(credential) => {
                let access_token = &account.tokens.result.access_token;
                passkeys::complete_registration(&self.client, access_token, credential).await?;
                let added = "Passkey added: your security key can now sign in.".to_owned();
                self.back_on_overview(account, Some(added), None).await
            }
            KeyOutcome::Failed(error) => self.back_on_overview(account, None, Some(error)).await,
        }
    }

    /// The overview read afresh, with good news or why the key gave no answer.
    async fn back_on_overview(
        &self,
        account: &Account,
        notice: Option<String>,
        failure: Option<SecurityKeyError>,
    ) -> Settled {
        let mut reached = self
            .overview(account.tokens.clone(), &account.not_allowed, notice)
            .await?;
        if let Some(error) = failure {
            reached.note = Some(Note::Refused(FlowError::from(error).into()));
        }
        Ok(reached)
    }

    /// Deletes a passkey from the account and this machine; the sentence that says so.
    pub(super) async fn delete_passkey(
        &self,
        access_token: &SensitiveString,
        passkey: &PasskeyEntry,
    ) -> Result<String, FlowError> {
        let store = self.settings.passkeys.as_ref();
        passkeys::delete(&self.client, store, access_token, &passkey.credential_id).await?;
        Ok("Passkey deleted: it can no longer sign in.".to_owned())
    }
}
