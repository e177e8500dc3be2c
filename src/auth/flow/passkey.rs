//! WEB_AUTHN: the challenge's CREDENTIAL_REQUEST_OPTIONS (a WebAuthn
//! PublicKeyCredentialRequestOptionsJSON), the software passkey's assertion over it, and
//! RespondToAuthChallenge with that assertion as CREDENTIAL; and a signed-in account's
//! passkeys on account security (`auth::passkeys` makes the calls).

use time::OffsetDateTime;

use super::Flow;
use super::calls::fields;
use super::settle::Settled;
use super::state::{Attempt, Challenge};
use crate::auth::error::FlowError;
use crate::auth::{PasskeyAuthenticator, PasskeyEntry, PasskeyPrompt, passkeys};
use crate::cognito::webauthn::RequestOptions;
use crate::passkey::origin_for;
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
    /// What the passkey screen shows: who, for which relying party, and whether this
    /// machine holds a software passkey the server will take. A store that cannot be
    /// read counts as holding one, so Enter reports what is wrong with it.
    pub(super) fn passkey_prompt(
        &self,
        challenge: &Challenge,
        options: &RequestOptions,
        expires_at: Option<OffsetDateTime>,
    ) -> PasskeyPrompt {
        let relying_party = options.rp_id.clone().unwrap_or_default();
        let held = self.settings.passkeys.as_ref().is_some_and(|store| {
            store
                .held_for(&relying_party, &options.allow_credentials)
                .unwrap_or(true)
        });
        PasskeyPrompt {
            username: challenge.username.clone(),
            relying_party,
            authenticator: PasskeyAuthenticator::Software { held },
            expires_at,
        }
    }

    /// The software passkey signs the challenge (its origin is `https://<rpId>`, see
    /// `passkey::origin_for`), and RespondToAuthChallenge carries the assertion as
    /// CREDENTIAL, USERNAME beside it.
    pub(super) async fn sign_with_passkey(
        &self,
        attempt: &Attempt,
        challenge: &Challenge,
        options: &RequestOptions,
    ) -> Settled {
        let store = self.settings.passkeys.as_ref().ok_or_else(|| {
            FlowError::Passkey(crate::passkey::PasskeyError::NoDataDir.to_string())
        })?;
        let origin = origin_for(options.rp_id.as_deref().unwrap_or_default());
        let assertion = store
            .get(options, &origin)
            .map_err(|error| FlowError::Passkey(error.to_string()))?;
        let credential = serde_json::to_string(&assertion).map_err(|error| {
            FlowError::Passkey(format!(
                "the passkey's answer could not be written: {error}"
            ))
        })?;
        self.answer_and_settle(attempt, challenge, fields([("CREDENTIAL", credential)]), 0)
            .await
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

    /// Enrols a software passkey; the sentence that says so.
    pub(super) async fn add_passkey(
        &self,
        access_token: &SensitiveString,
    ) -> Result<String, FlowError> {
        let store = self.settings.passkeys.as_ref().ok_or_else(|| {
            FlowError::Passkey(crate::passkey::PasskeyError::NoDataDir.to_string())
        })?;
        let enrolled = passkeys::enrol(&self.client, store, access_token).await?;
        Ok(format!(
            "Passkey added for {}: this machine's software passkey can now sign in.",
            enrolled.relying_party
        ))
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
