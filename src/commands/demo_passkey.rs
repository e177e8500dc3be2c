//! The demo's passkeys: a software-passkey folder that lives as long as the demo, and
//! the demo user who already has a passkey in it. The passkey is enrolled at start the
//! way any client enrols one (a password sign-in, StartWebAuthnRegistration, the key
//! made, CompleteWebAuthnRegistration), so the pool holds only what Cognito would.

use std::collections::BTreeMap;

use tempfile::TempDir;

use crate::auth::passkeys;
use crate::cognito::types::InitiateAuthRequest;
use crate::cognito::{AuthFlowType, Client, Endpoint};
use crate::local_pool::{RunningPool, demo};
use crate::passkey::SoftwarePasskeys;
use crate::sensitive::Sensitive;

/// The demo user who signs in with a passkey already registered (USER_AUTH).
pub const PASSKEY_USER: &str = "petra";

/// The demo's software passkeys: deleted with the folder when the demo ends.
pub struct DemoPasskeys {
    /// Kept only so the folder outlives the demo's console.
    _folder: TempDir,
    /// The passkeys in that folder.
    pub store: SoftwarePasskeys,
}

impl DemoPasskeys {
    /// A fresh folder, and [`PASSKEY_USER`]'s passkey enrolled in the demo pool.
    pub async fn enrolled(pool: &RunningPool) -> Result<Self, String> {
        let folder = tempfile::Builder::new()
            .prefix("cognito-signin-demo-")
            .tempdir()
            .map_err(|error| format!("could not make the demo's passkey folder: {error}"))?;
        let store = SoftwarePasskeys::at(folder.path());
        enrol(pool, &store)
            .await
            .map_err(|error| format!("could not enrol {PASSKEY_USER}'s demo passkey: {error}"))?;
        Ok(Self {
            _folder: folder,
            store,
        })
    }
}

/// Signs [`PASSKEY_USER`] in with the password, then registers a software passkey.
async fn enrol(pool: &RunningPool, store: &SoftwarePasskeys) -> Result<(), String> {
    let client = Client::new(Endpoint {
        url: format!("{}/", pool.url()),
    })
    .map_err(|error| error.to_string())?;
    let parameters = BTreeMap::from([
        ("USERNAME".to_owned(), PASSKEY_USER.to_owned()),
        ("PASSWORD".to_owned(), demo::PASSWORD.to_owned()),
    ]);
    let signed_in = client
        .initiate_auth(&InitiateAuthRequest {
            auth_flow: AuthFlowType::UserPasswordAuth,
            client_id: demo::PUBLIC_CLIENT_ID.to_owned(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        })
        .await
        .map_err(|error| error.to_string())?;
    let access_token = signed_in
        .authentication_result
        .map(|result| result.access_token)
        .ok_or("the password sign-in asked for a challenge")?;
    passkeys::enrol(&client, store, &access_token)
        .await
        .map_err(|error| error.to_string())?;
    Ok(())
}
