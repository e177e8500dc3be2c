//! A signed-in account's passkeys, shared by account security and the `passkeys`
//! command: every page of ListWebAuthnCredentials, enrolment (StartWebAuthnRegistration
//! → the software passkey or a security key makes the key → CompleteWebAuthnRegistration), and
//! deletion (DeleteWebAuthnCredential, then this machine's key).

use crate::auth::error::FlowError;
use crate::cognito::Client;
use crate::cognito::types::AccessTokenRequest;
use crate::cognito::webauthn::{
    CompleteWebAuthnRegistrationRequest, CreationOptions, DeleteWebAuthnCredentialRequest,
    ListWebAuthnCredentialsRequest, RegistrationResponse, WebAuthnCredentialDescription,
};
use crate::passkey::{SoftwarePasskeys, origin_for};
use crate::sensitive::SensitiveString;

/// ListWebAuthnCredentials' largest page.
const PAGE_SIZE: u32 = 20;

/// The most pages read: far more passkeys than any account has.
const MAX_PAGES: usize = 50;

/// A passkey just enrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    /// Base64url of its credential id.
    pub credential_id: String,
    /// The relying party ID it signs in to.
    pub relying_party: String,
}

/// Every passkey of the account, page after page.
pub async fn every_credential(
    client: &Client,
    access_token: &SensitiveString,
) -> Result<Vec<WebAuthnCredentialDescription>, FlowError> {
    let mut credentials = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let request = ListWebAuthnCredentialsRequest {
            access_token: access_token.clone(),
            next_token: next_token.take(),
            max_results: Some(PAGE_SIZE),
        };
        let page = client.list_web_authn_credentials(&request).await?;
        credentials.extend(page.credentials);
        match page.next_token {
            Some(next) => next_token = Some(next),
            None => break,
        }
    }
    Ok(credentials)
}

/// The credential ids this machine's software passkey holds (none when it cannot tell).
pub fn held_here(store: Option<&SoftwarePasskeys>) -> Vec<String> {
    store
        .and_then(|store| store.list().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|held| held.credential_id)
        .collect()
}

/// StartWebAuthnRegistration, the software passkey made from its options (origin
/// `https://<rpId>`), then CompleteWebAuthnRegistration. A key the pool refuses is
/// deleted again, so none is left that signs in nowhere.
pub async fn enrol(
    client: &Client,
    store: &SoftwarePasskeys,
    access_token: &SensitiveString,
) -> Result<Enrolled, FlowError> {
    let options = start_registration(client, access_token).await?;
    let relying_party = options.rp.id.clone().unwrap_or_default();
    let credential = store
        .create(&options, &origin_for(&relying_party))
        .map_err(|error| FlowError::Passkey(error.to_string()))?;
    let credential_id = credential.id.clone();
    if let Err(error) = complete_registration(client, access_token, credential).await {
        let _ = store.forget(&credential_id);
        return Err(error);
    }
    Ok(Enrolled {
        credential_id,
        relying_party,
    })
}

/// StartWebAuthnRegistration: the creation options an authenticator makes a passkey
/// from (a security key's enrolment runs between this and `complete_registration`).
pub async fn start_registration(
    client: &Client,
    access_token: &SensitiveString,
) -> Result<CreationOptions, FlowError> {
    let request = AccessTokenRequest {
        access_token: access_token.clone(),
    };
    Ok(client
        .start_web_authn_registration(&request)
        .await?
        .credential_creation_options)
}

/// CompleteWebAuthnRegistration with the authenticator's RegistrationResponseJSON.
pub async fn complete_registration(
    client: &Client,
    access_token: &SensitiveString,
    credential: RegistrationResponse,
) -> Result<(), FlowError> {
    let request = CompleteWebAuthnRegistrationRequest {
        access_token: access_token.clone(),
        credential,
    };
    client.complete_web_authn_registration(&request).await?;
    Ok(())
}

/// DeleteWebAuthnCredential, then this machine's key for it; whether this machine held one.
pub async fn delete(
    client: &Client,
    store: Option<&SoftwarePasskeys>,
    access_token: &SensitiveString,
    credential_id: &str,
) -> Result<bool, FlowError> {
    let request = DeleteWebAuthnCredentialRequest {
        access_token: access_token.clone(),
        credential_id: credential_id.to_owned(),
    };
    client.delete_web_authn_credential(&request).await?;
    match store {
        Some(store) => store.forget(credential_id).map_err(|error| {
            FlowError::Passkey(format!("the pool deleted the passkey, but {error}"))
        }),
        None => Ok(false),
    }
}
