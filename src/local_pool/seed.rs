//! Turns a checked pool file into the pool's starting state, and the summary
//! (`PreloadedPool`) that `serve` prints and `demo` shows.

use crate::crypto::srp::pool_name;

use super::ids;
use super::mfa::{SoftwareToken, UserMfa};
use super::pool_file::PoolFile;
use super::state::{AppClient, Pool, PoolSettings, State, User, UserStatus};
use super::{PreloadedClient, PreloadedPool};
use crate::crypto::UserVerifier;

/// Builds the state: each user's password becomes its SRP verifier here, and is not kept.
pub fn build(file: &PoolFile) -> (State, Vec<PreloadedPool>) {
    let mut state = State::default();
    let mut preloaded = Vec::new();
    for seed in &file.pools {
        let realm = pool_name(&seed.id);
        let mut pool = Pool::new(PoolSettings {
            id: seed.id.clone(),
            name: seed.name.clone(),
            arn: ids::pool_arn(&seed.id),
            mfa: seed.mfa.clone(),
            required_attributes: seed.required_attributes.clone(),
            custom: seed.custom.clone(),
            device_tracking: seed.device_tracking,
            sign_in: seed.sign_in.clone(),
            first_factors: seed.first_factors.clone(),
            web_authn: seed.web_authn.clone(),
        });
        for client in &seed.clients {
            pool.insert_client(AppClient {
                id: client.id.clone(),
                name: client.name.clone(),
                secret: client.secret.clone(),
                explicit_auth_flows: client.explicit_auth_flows.clone(),
                prevent_user_existence_errors: client.prevent_user_existence_errors,
                refresh_token_rotation: client.refresh_token_rotation,
            });
        }
        for user in &seed.users {
            let sub = ids::uuid();
            let mut attributes = vec![("sub".to_owned(), sub.clone())];
            attributes.extend(user.attributes.iter().cloned());
            // With UsernameAttributes the file's username is the e-mail address or
            // phone number people sign in with, and the username is generated.
            let username = match seed.sign_in.check_new_username(&user.username) {
                Ok(Some(attribute)) => {
                    attributes.retain(|(name, _)| name != attribute.as_str());
                    attributes.push((attribute.as_str().to_owned(), user.username.clone()));
                    sub.clone()
                }
                _ => user.username.clone(),
            };
            pool.insert_user(User {
                username: username.clone(),
                sub,
                attributes,
                groups: user.groups.clone(),
                verifier: UserVerifier::generate(realm, &username, user.password.expose()),
                status: if user.temporary {
                    UserStatus::ForceChangePassword
                } else {
                    UserStatus::Confirmed
                },
                enabled: user.enabled,
                mfa: UserMfa {
                    enabled: user.mfa_enabled.iter().copied().collect(),
                    preferred: user.mfa_preferred,
                    software_token: user.totp_secret.clone().map(|secret| SoftwareToken {
                        secret,
                        device_name: user.totp_device_name.clone(),
                        last_counter: None,
                    }),
                    pending_secret: None,
                },
                signed_out_at: None,
            });
        }
        preloaded.push(PreloadedPool {
            pool_id: seed.id.clone(),
            pool_name: seed.name.clone(),
            clients: seed
                .clients
                .iter()
                .map(|client| PreloadedClient {
                    client_id: client.id.clone(),
                    client_name: client.name.clone(),
                    client_secret: client.secret.as_ref().map(|secret| secret.expose().clone()),
                })
                .collect(),
            users: seed
                .users
                .iter()
                .map(|user| {
                    (
                        user.username.clone(),
                        user.password.expose().clone(),
                        user.description.clone(),
                    )
                })
                .collect(),
        });
        state.pools.insert(seed.id.clone(), pool);
    }
    (state, preloaded)
}
