//! The demo: the pools of `assets/demo-pool.toml`, and the names the console, its
//! documentation and the tests use for them. Every constant here is checked against the
//! file by a test, so the two cannot drift apart.

use std::collections::BTreeMap;

use super::PreloadedPool;
use super::pool_file::{PoolFile, parse_pool_file};

/// The text of `assets/demo-pool.toml`, compiled into the binary.
pub const POOL_TOML: &str = include_str!("../../assets/demo-pool.toml");

/// The region every demo pool's id names; `demo --admin` signs for it.
pub const REGION: &str = "us-east-1";

/// The pool `demo` signs in to unless `--user-pool-id` names another.
pub const POOL_ID: &str = "us-east-1_DemoPool1";
/// The app client of [`POOL_ID`] without a secret.
pub const PUBLIC_CLIENT_ID: &str = "democonsolepublicclient001";
/// The app client of [`POOL_ID`] with a secret (`demo --with-secret`).
pub const SECRET_CLIENT_ID: &str = "democonsolesecretclient001";
/// The secret of [`SECRET_CLIENT_ID`]: good for the demo only.
pub const CLIENT_SECRET: &str = "localpooldemosecretnotforproductionuse0000000000001";
/// The pool whose MFA is ON and which tracks devices (dave, mona).
pub const MFA_ON_POOL_ID: &str = "us-east-1_DemoMfaOn";
/// The app client of [`MFA_ON_POOL_ID`].
pub const MFA_ON_CLIENT_ID: &str = "demomfaonpublicclient00001";
/// The pool whose users sign in with their e-mail address or phone number
/// (UsernameAttributes, case-insensitive): emma, phil.
pub const EMAIL_POOL_ID: &str = "us-east-1_DemoEmail1";
/// The app client of [`EMAIL_POOL_ID`].
pub const EMAIL_CLIENT_ID: &str = "demoemailpublicclient00001";
/// The address emma signs in with.
pub const EMMA_EMAIL: &str = "emma@example.com";
/// The password every demo user has, but bob.
pub const PASSWORD: &str = "Demo-Password-1!";
/// bob's temporary password (NEW_PASSWORD_REQUIRED).
pub const BOB_TEMPORARY_PASSWORD: &str = "Temp-Password-1!";
/// The base32 secret of carol's authenticator.
pub const CAROL_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The access key `demo --admin` signs with: the demo pool allows it, and it is good
/// nowhere else. The person's own AWS credentials are never used for the local pool.
pub const ACCESS_KEY_ID: &str = "AKIALOCALDEMOPOOL001";
/// The secret of [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "local-demo-pool-secret-not-an-aws-key";

/// The demo pools, parsed from [`POOL_TOML`].
pub fn pool_file() -> PoolFile {
    #[expect(
        clippy::expect_used,
        reason = "the file is compiled in and a unit test parses it, so it cannot fail in a build that passed its tests"
    )]
    parse_pool_file(POOL_TOML, "demo-pool.toml").expect("assets/demo-pool.toml parses")
}

/// The demo users for the sign-in screen: a line each saying what the user shows, with
/// the password most of them share said once; the other pools' users with the flag that
/// reaches them. The second list is the short form for small terminals.
pub fn user_notes(demo: &PreloadedPool, others: &[&PreloadedPool]) -> (Vec<String>, Vec<String>) {
    let everyone = || {
        std::iter::once(demo)
            .chain(others.iter().copied())
            .flat_map(|pool| pool.users.iter().map(move |user| (pool, user)))
    };
    // The password most users share, said once.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, (_, password, _)) in everyone() {
        *counts.entry(password.as_str()).or_default() += 1;
    }
    let shared = counts
        .iter()
        .max_by_key(|(_, count)| **count)
        .map(|(password, _)| *password)
        .unwrap_or_default();
    let name_width = everyone()
        .map(|(_, (name, _, _))| name.chars().count())
        .max()
        .unwrap_or(0);
    let line = |(username, password, about): &(String, String, String)| {
        if password == shared {
            format!("  {username:name_width$}  {about}")
        } else {
            format!("  {username:name_width$}  {about} (password {password})")
        }
    };
    let mut notes = vec![format!(
        "Demo users (password {shared} unless shown), and what each shows:"
    )];
    notes.extend(demo.users.iter().map(line));
    for other in others {
        notes.push(format!(
            "In pool {} (cognito-signin demo --user-pool-id {}):",
            other.pool_name, other.pool_id
        ));
        notes.extend(other.users.iter().map(line));
    }
    let names = |pool: &PreloadedPool| {
        pool.users
            .iter()
            .map(|(name, _, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut here = format!("Demo users: {}", names(demo));
    for other in others {
        here.push_str(&format!("; {} in {}", names(other), other.pool_id));
    }
    let exceptions: Vec<String> = everyone()
        .filter(|(_, (_, password, _))| password != shared)
        .map(|(_, (name, password, _))| format!("{name}: {password}"))
        .collect();
    let mut passwords = format!("Password {shared}");
    if !exceptions.is_empty() {
        passwords.push_str(&format!(" ({})", exceptions.join(", ")));
    }
    passwords.push_str(". A taller terminal says what each user shows.");
    (notes, vec![here, passwords])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_name_what_the_file_holds() {
        let file = pool_file();
        let pool = |id: &str| file.pools.iter().find(|pool| pool.id == id).unwrap();
        let main = pool(POOL_ID);
        let client = |id: &str| main.clients.iter().find(|client| client.id == id).unwrap();
        assert!(client(PUBLIC_CLIENT_ID).secret.is_none());
        let secret = client(SECRET_CLIENT_ID).secret.as_ref().unwrap();
        assert_eq!(secret.expose(), CLIENT_SECRET);
        let user = |name: &str| {
            main.users
                .iter()
                .find(|user| user.username == name)
                .unwrap()
        };
        assert_eq!(user("alice").password.expose(), PASSWORD);
        assert_eq!(user("bob").password.expose(), BOB_TEMPORARY_PASSWORD);
        let carol_secret = user("carol").totp_secret.as_ref().unwrap();
        assert_eq!(carol_secret.expose(), CAROL_TOTP_SECRET);
        let mfa_on = pool(MFA_ON_POOL_ID);
        assert!(
            mfa_on
                .clients
                .iter()
                .any(|client| client.id == MFA_ON_CLIENT_ID)
        );
        assert!(
            mfa_on
                .users
                .iter()
                .all(|user| user.password.expose() == PASSWORD)
        );
        let by_email = pool(EMAIL_POOL_ID);
        assert!(by_email.sign_in.generates_usernames());
        assert!(
            by_email
                .clients
                .iter()
                .any(|client| client.id == EMAIL_CLIENT_ID)
        );
        assert!(
            by_email
                .users
                .iter()
                .any(|user| user.username == EMMA_EMAIL)
        );
    }
}
