//! `cognito-signin passkeys`: the signed-in user's passkeys (ListWebAuthnCredentials,
//! every page), marking the ones this machine's software passkey holds. `passkeys add`
//! enrols a software passkey: StartWebAuthnRegistration, the key made from its options,
//! then CompleteWebAuthnRegistration. `passkeys delete ID` calls
//! DeleteWebAuthnCredential and deletes this machine's key for it.

use serde_json::json;

use crate::cli::{PasskeysAction, PasskeysArgs, PasskeysOutput};
use crate::cognito::types::AccessTokenRequest;
use crate::cognito::webauthn::{
    CompleteWebAuthnRegistrationRequest, DeleteWebAuthnCredentialRequest,
    ListWebAuthnCredentialsRequest, WebAuthnCredentialDescription,
};
use crate::passkey::{SoftwarePasskeys, origin_for};

use super::tokens::refresh_if_expiring;
use super::{Cached, CommandError, print_value};

/// Access tokens this close to expiry are refreshed first.
const MIN_TTL: time::Duration = time::Duration::minutes(1);

/// ListWebAuthnCredentials' largest page.
const PAGE_SIZE: u32 = 20;

/// The most pages read: far more passkeys than any account has.
const MAX_PAGES: usize = 50;

/// Runs `passkeys`.
pub async fn run(args: PasskeysArgs) -> Result<(), CommandError> {
    let mut cached = Cached::open(&args.pool, args.username.as_deref())?;
    refresh_if_expiring(&mut cached, MIN_TTL).await?;
    let store = SoftwarePasskeys::in_data_dir().map_err(|error| error.to_string());
    let done = match args.action {
        None => list(&cached, store.ok().as_ref(), args.output).await,
        Some(PasskeysAction::Add) => add(&cached, &store?).await,
        Some(PasskeysAction::Delete { credential_id }) => {
            delete(&cached, store.ok().as_ref(), &credential_id).await
        }
    };
    Ok(done?)
}

/// Every passkey of the user, as a table on stdout or as JSON.
async fn list(
    cached: &Cached,
    store: Option<&SoftwarePasskeys>,
    output: Option<PasskeysOutput>,
) -> Result<(), String> {
    let credentials = every_credential(cached).await?;
    match output {
        Some(PasskeysOutput::Json) => print_value(&json!({ "Credentials": credentials })),
        None => {
            let held = held_here(store);
            println!("{}", table(&credentials, &held, &cached.entry.username));
            Ok(())
        }
    }
}

/// Every page of ListWebAuthnCredentials.
pub(crate) async fn every_credential(
    cached: &Cached,
) -> Result<Vec<WebAuthnCredentialDescription>, String> {
    let mut credentials = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let page = cached
            .client
            .list_web_authn_credentials(&ListWebAuthnCredentialsRequest {
                access_token: cached.entry.authentication_result.access_token.clone(),
                next_token: next_token.take(),
                max_results: Some(PAGE_SIZE),
            })
            .await
            .map_err(|error| format!("could not list the passkeys: {error}"))?;
        credentials.extend(page.credentials);
        match page.next_token {
            Some(next) => next_token = Some(next),
            None => break,
        }
    }
    Ok(credentials)
}

/// The credential ids this machine's software passkey holds (none when it cannot tell).
fn held_here(store: Option<&SoftwarePasskeys>) -> Vec<String> {
    store
        .and_then(|store| store.list().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|held| held.credential_id)
        .collect()
}

/// One line per passkey: id, name, relying party, when it was made; this machine's marked.
fn table(credentials: &[WebAuthnCredentialDescription], held: &[String], username: &str) -> String {
    if credentials.is_empty() {
        return format!(
            "{username} has no passkeys. `cognito-signin passkeys add` enrols one on this machine."
        );
    }
    let mut lines = vec![format!("Passkeys of {username}:")];
    for credential in credentials {
        let name = if credential.friendly_credential_name.is_empty() {
            "(no name)"
        } else {
            &credential.friendly_credential_name
        };
        let created = crate::auth::verify::moment(credential.created_at as i64);
        let marker = if held.contains(&credential.credential_id) {
            "  (software passkey on this machine)"
        } else {
            ""
        };
        lines.push(format!(
            "  {}  {name}  {}  added {created}{marker}",
            credential.credential_id, credential.relying_party_id
        ));
    }
    lines.join("\n")
}

/// StartWebAuthnRegistration, the software passkey made from its options (origin
/// `https://<rpId>`), then CompleteWebAuthnRegistration. A key the pool refuses is
/// deleted again, so no key is left that signs in nowhere.
async fn add(cached: &Cached, store: &SoftwarePasskeys) -> Result<(), String> {
    let access_token = cached.entry.authentication_result.access_token.clone();
    let started = cached
        .client
        .start_web_authn_registration(&AccessTokenRequest {
            access_token: access_token.clone(),
        })
        .await
        .map_err(|error| format!("could not start adding a passkey: {error}"))?;
    let options = started.credential_creation_options;
    let origin = origin_for(options.rp.id.as_deref().unwrap_or_default());
    let credential = store
        .create(&options, &origin)
        .map_err(|error| error.to_string())?;
    let id = credential.id.clone();
    let completed = cached
        .client
        .complete_web_authn_registration(&CompleteWebAuthnRegistrationRequest {
            access_token,
            credential,
        })
        .await;
    if let Err(error) = completed {
        let _ = store.forget(&id);
        return Err(format!("the pool did not take the new passkey: {error}"));
    }
    eprintln!(
        "cognito-signin: added the passkey {id} for {} at {}; it is kept in {}",
        cached.entry.username,
        options.rp.id.as_deref().unwrap_or_default(),
        store.root().display()
    );
    Ok(())
}

/// DeleteWebAuthnCredential, then this machine's key for it, if it holds one.
async fn delete(
    cached: &Cached,
    store: Option<&SoftwarePasskeys>,
    credential_id: &str,
) -> Result<(), String> {
    cached
        .client
        .delete_web_authn_credential(&DeleteWebAuthnCredentialRequest {
            access_token: cached.entry.authentication_result.access_token.clone(),
            credential_id: credential_id.to_owned(),
        })
        .await
        .map_err(|error| format!("could not delete the passkey {credential_id}: {error}"))?;
    let forgot_here = match store {
        Some(store) => store
            .forget(credential_id)
            .map_err(|error| format!("the pool deleted {credential_id}, but {error}"))?,
        None => false,
    };
    let here = if forgot_here {
        " and this machine's key for it"
    } else {
        ""
    };
    eprintln!("cognito-signin: deleted the passkey {credential_id}{here}");
    Ok(())
}
