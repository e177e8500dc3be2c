//! `cognito-signin passkeys`: the signed-in user's passkeys (ListWebAuthnCredentials,
//! every page), marking the ones this machine's software passkey holds. `passkeys add`
//! enrols a passkey: StartWebAuthnRegistration, the key made from its options (on a
//! security key, or as a software passkey), then CompleteWebAuthnRegistration. `passkeys delete ID` calls
//! DeleteWebAuthnCredential and deletes this machine's key for it.

use serde_json::json;

use crate::auth::{AuthenticatorKind, passkeys};
use crate::cli::{PasskeysAction, PasskeysArgs, PasskeysOutput};
use crate::cognito::webauthn::WebAuthnCredentialDescription;
use crate::passkey::security_key::{KeyEvent, SecurityKeys};
use crate::passkey::{SoftwarePasskeys, origin_for};

use super::tokens::refresh_if_expiring;
use super::{Cached, CommandError, print_value};

/// Access tokens this close to expiry are refreshed first.
const MIN_TTL: time::Duration = time::Duration::minutes(1);

/// Runs `passkeys`.
pub async fn run(args: PasskeysArgs) -> Result<(), CommandError> {
    let mut cached = Cached::open(&args.pool, args.username.as_deref())?;
    refresh_if_expiring(&mut cached, MIN_TTL).await?;
    let store = SoftwarePasskeys::in_data_dir().map_err(|error| error.to_string());
    let done = match args.action {
        None => list(&cached, store.ok().as_ref(), args.output).await,
        Some(PasskeysAction::Add { authenticator }) => {
            let keys = SecurityKeys::usb();
            let kind = authenticator
                .map(AuthenticatorKind::from)
                .unwrap_or_else(|| {
                    if keys.plugged_in() == Some(true) {
                        AuthenticatorKind::SecurityKey
                    } else {
                        AuthenticatorKind::Software
                    }
                });
            match kind {
                AuthenticatorKind::Software => add(&cached, &store?).await,
                AuthenticatorKind::SecurityKey => add_on_security_key(&cached, &keys).await,
            }
        }
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
    let access_token = &cached.entry.authentication_result.access_token;
    let credentials = passkeys::every_credential(&cached.client, access_token)
        .await
        .map_err(|error| format!("could not list the passkeys: {error}"))?;
    match output {
        Some(PasskeysOutput::Json) => print_value(&json!({ "Credentials": credentials })),
        None => {
            let held = passkeys::held_here(store);
            println!("{}", table(&credentials, &held, &cached.entry.username));
            Ok(())
        }
    }
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

/// Enrols a software passkey kept on this machine.
async fn add(cached: &Cached, store: &SoftwarePasskeys) -> Result<(), String> {
    let access_token = &cached.entry.authentication_result.access_token;
    let enrolled = passkeys::enrol(&cached.client, store, access_token)
        .await
        .map_err(|error| format!("could not add a passkey: {error}"))?;
    eprintln!(
        "cognito-signin: added the passkey {} for {} at {}; it is kept in {}",
        enrolled.credential_id,
        cached.entry.username,
        enrolled.relying_party,
        store.root().display()
    );
    Ok(())
}

/// Enrols a passkey on a security key: the key's requests (touch, PIN) on the
/// terminal, the PIN read without echo.
async fn add_on_security_key(cached: &Cached, keys: &SecurityKeys) -> Result<(), String> {
    let failed = |error: &dyn std::fmt::Display| format!("could not add a passkey: {error}");
    let access_token = &cached.entry.authentication_result.access_token;
    let options = passkeys::start_registration(&cached.client, access_token)
        .await
        .map_err(|error| failed(&error))?;
    let relying_party = options.rp.id.clone().unwrap_or_default();
    let ceremony = keys
        .register(&options, &origin_for(&relying_party))
        .map_err(|error| failed(&error))?;
    eprintln!(
        "cognito-signin: adding a passkey for {} at {relying_party} on your security key",
        cached.entry.username
    );
    let credential = loop {
        let event = ceremony.next().await;
        if let Some(progress) = event.progress() {
            eprintln!("{progress}");
            continue;
        }
        match event {
            KeyEvent::Pin(request) => {
                if request.wrong {
                    eprintln!("{}", wrong_pin(request.retries));
                }
                let pin =
                    tokio::task::spawn_blocking(|| crate::plain::read_secret("Security key PIN: "))
                        .await
                        .map_err(|error| failed(&error))?
                        .map_err(|error| failed(&error))?
                        .ok_or_else(|| failed(&"the input ended before the PIN was given"))?;
                ceremony.give_pin(&pin).map_err(|error| failed(&error))?;
            }
            KeyEvent::Done(credential) => break *credential,
            KeyEvent::Failed(error) => return Err(failed(&error)),
            KeyEvent::Touch | KeyEvent::ChooseKey | KeyEvent::NotRecognised { .. } => {}
        }
    };
    let credential_id = credential.id.clone();
    passkeys::complete_registration(&cached.client, access_token, credential)
        .await
        .map_err(|error| failed(&error))?;
    eprintln!(
        "cognito-signin: added the passkey {credential_id} for {} at {relying_party}; it lives on your security key",
        cached.entry.username
    );
    Ok(())
}

/// A wrong PIN, with the tries the key has left when it said.
fn wrong_pin(retries: Option<u8>) -> String {
    match retries {
        Some(retries) => format!("Wrong PIN ({retries} tries left before the key blocks it)."),
        None => "Wrong PIN.".to_owned(),
    }
}

/// Deletes a passkey from the account, and this machine's key for it.
async fn delete(
    cached: &Cached,
    store: Option<&SoftwarePasskeys>,
    credential_id: &str,
) -> Result<(), String> {
    let access_token = &cached.entry.authentication_result.access_token;
    let forgot_here = passkeys::delete(&cached.client, store, access_token, credential_id)
        .await
        .map_err(|error| format!("could not delete the passkey {credential_id}: {error}"))?;
    let here = if forgot_here {
        " and this machine's key for it"
    } else {
        ""
    };
    eprintln!("cognito-signin: deleted the passkey {credential_id}{here}");
    Ok(())
}
