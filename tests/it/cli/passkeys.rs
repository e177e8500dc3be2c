//! Passkeys with the real binary in plain mode against the local pool: pat signs in
//! with a password, `passkeys add` enrols a software passkey in the binary's data
//! home, a plain sign-in with `--preferred-challenge WEB_AUTHN` uses it, `passkeys`
//! lists it (JSON in ListWebAuthnCredentials' shape), and `passkeys delete` removes it
//! from the pool and the machine.

use std::path::PathBuf;
use std::process::Output;

use cognito_signin::local_pool::demo;

use crate::support::binary::{DemoStory, stderr, succeeded};

/// The demo's choice-based user.
const USER: &str = "pat";

/// The demo pool with its outbox, and the binary in a home of its own.
struct Story {
    demo: DemoStory,
}

impl Story {
    /// The pool flags, plus USER_AUTH and the preferred first factor.
    fn sign_in_flags(&self, preferred: &'static str) -> Vec<&str> {
        let mut args = self
            .demo
            .pool_flags(demo::POOL_ID, demo::PUBLIC_CLIENT_ID)
            .to_vec();
        args.extend([
            "--plain",
            "--auth-flow",
            "USER_AUTH",
            "--preferred-challenge",
            preferred,
        ]);
        args
    }

    /// A plain sign-in with `input` typed.
    fn sign_in(&self, preferred: &'static str, input: &str) -> Output {
        self.demo
            .binary
            .start(&self.sign_in_flags(preferred), input)
            .output()
    }

    /// `passkeys` with `extra` after the pool flags.
    fn passkeys(&self, extra: &[&str]) -> Output {
        let mut args = vec!["passkeys"];
        args.extend(self.demo.pool_flags(demo::POOL_ID, demo::PUBLIC_CLIENT_ID));
        args.extend(extra);
        self.demo.binary.run(&args)
    }

    /// The folder the software passkeys of the local pool's relying party live in.
    fn passkey_folder(&self) -> PathBuf {
        self.demo
            .binary
            .data_home()
            .join("cognito-signin")
            .join("passkeys")
            .join("localhost")
    }

    /// The key files held, by name.
    fn key_files(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.passkey_folder())
            .map(|entries| {
                entries
                    .map(|entry| entry.unwrap().path())
                    .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_is_added_used_listed_and_deleted_from_the_command_line() {
    let story = Story {
        demo: DemoStory::start().await,
    };
    succeeded(&story.sign_in("PASSWORD", &format!("{USER}\n{}\n", demo::PASSWORD)));

    let added = story.passkeys(&["add"]);
    let said = stderr(&added);
    assert!(added.status.success(), "{said}");
    assert!(said.contains("added the passkey"), "{said}");
    let [key_file] = story
        .key_files()
        .try_into()
        .unwrap_or_else(|files: Vec<PathBuf>| {
            panic!("one key file after `passkeys add`: {files:?}")
        });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(!said.contains(&key), "nothing of the key file on stderr");

    // The JSON is ListWebAuthnCredentials' own shape; the table marks this machine's.
    let listed = story.passkeys(&["--output", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", stderr(&listed)));
    let id = json["Credentials"][0]["CredentialId"]
        .as_str()
        .unwrap_or_else(|| panic!("no credential listed: {json}"))
        .to_owned();
    assert_eq!(json["Credentials"][0]["RelyingPartyId"], "localhost");
    assert_eq!(json["Credentials"].as_array().map(Vec::len), Some(1));
    assert!(
        key_file.to_string_lossy().contains(&id),
        "{key_file:?} is named by {id}"
    );
    let table = succeeded(&story.passkeys(&[]));
    assert!(table.contains(&id), "{table}");
    assert!(
        table.contains("(software passkey on this machine)"),
        "{table}"
    );

    // Sign in with it: the username, then Enter at the passkey prompt.
    let with_passkey = story.sign_in("WEB_AUTHN", &format!("{USER}\n\n"));
    let said = stderr(&with_passkey);
    assert!(with_passkey.status.success(), "{said}");
    assert!(
        said.contains("Using the software passkey for pat"),
        "{said}"
    );

    // Delete it: gone from the pool and from this machine.
    let deleted = story.passkeys(&["delete", &id]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert_eq!(story.key_files(), Vec::<PathBuf>::new());
    let listed = succeeded(&story.passkeys(&[]));
    assert!(listed.contains("pat has no passkeys."), "{listed}");
    let again = story.passkeys(&["delete", &id]);
    assert!(!again.status.success(), "{}", stderr(&again));
    let said = stderr(&again);
    assert!(
        said.contains(&format!("could not delete the passkey {id}")),
        "{said}"
    );
}
