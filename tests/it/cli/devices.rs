//! Remembered devices with the real binary in plain mode against the local pool's
//! MFA-ON demo pool, which tracks devices: the first sign-in goes through MFA and
//! remembers the machine, the second gets no MFA, `devices` lists and forgets the
//! device, and MFA comes back. The device store and token cache live in a temp dir.

use std::path::PathBuf;
use std::process::Output;

use cognito_signin::auth::devices::DeviceStore;
use cognito_signin::local_pool::demo;

use crate::support::binary::{DemoStory, Running, stderr, stdout, succeeded};

/// The demo pools with their outbox, and the binary in a home of its own, signing in
/// to the MFA-ON pool (which tracks devices).
struct Story {
    demo: DemoStory,
}

impl Story {
    async fn start() -> Self {
        Self {
            demo: DemoStory::start().await,
        }
    }

    fn device_file(&self) -> PathBuf {
        DeviceStore::at(self.demo.binary.data_home())
            .path_of(demo::MFA_ON_POOL_ID, demo::MFA_ON_CLIENT_ID, "mona")
            .unwrap()
    }

    /// The flags that point the binary at the MFA-ON pool.
    fn pool_flags(&self) -> [&str; 6] {
        self.demo
            .pool_flags(demo::MFA_ON_POOL_ID, demo::MFA_ON_CLIENT_ID)
    }

    /// A plain-mode sign-in of mona, username and password already typed.
    fn start_sign_in(&self) -> Running {
        let mut args = self.pool_flags().to_vec();
        args.extend(["--plain", "--device-name", "cli-box"]);
        self.demo
            .binary
            .start(&args, &format!("mona\n{}\n", demo::PASSWORD))
    }

    /// The next code the pool sends.
    async fn next_code(&mut self) -> String {
        self.demo.next_delivery().await.code
    }

    fn devices(&self, extra: &[&str]) -> Output {
        let mut args = vec!["devices"];
        args.extend(self.pool_flags());
        args.extend(extra);
        self.demo.binary.run(&args)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_machine_skips_mfa_until_devices_forget_drops_it() {
    let mut story = Story::start().await;

    // First sign-in: the e-mailed code, then "Remember this device? [y/N]" answered y.
    let mut first = story.start_sign_in();
    let code = story.next_code().await;
    first.type_text(&format!("{code}\ny\n"));
    let first = first.output();
    let said = stderr(&first);
    assert!(first.status.success(), "{said}");
    assert!(said.contains("Remember this device? [y/N]"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(story.device_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let device_file = std::fs::read_to_string(story.device_file()).unwrap();
    assert!(
        !said.contains(&device_file),
        "nothing of the store on stderr"
    );

    // Second sign-in: no code is asked for (stdin ends after the password).
    let mut second = story.start_sign_in();
    second.close_stdin();
    succeeded(&second.output());
    assert!(
        matches!(
            story.demo.feed.try_recv(),
            Err(tokio::sync::broadcast::error::TryRecvError::Empty)
        ),
        "no code was sent"
    );

    // `devices` lists the machine as remembered; JSON for scripts.
    let table = succeeded(&story.devices(&[]));
    assert!(table.contains("cli-box"), "{table}");
    assert!(table.contains("remembered"), "{table}");
    assert!(table.contains("(this machine)"), "{table}");
    let json: serde_json::Value =
        serde_json::from_slice(&story.devices(&["--output", "json"]).stdout).unwrap();
    let stored = DeviceStore::at(story.demo.binary.data_home())
        .load(demo::MFA_ON_POOL_ID, demo::MFA_ON_CLIENT_ID, "mona")
        .unwrap()
        .unwrap();
    assert_eq!(json["Devices"][0]["DeviceKey"], stored.device_key.as_str());

    // Forget this machine: the pool and the store drop it.
    succeeded(&story.devices(&["forget", "this"]));
    assert!(!story.device_file().exists());
    assert!(stdout(&story.devices(&[])).contains("mona has no devices."));

    // MFA is back: a code is sent, and with stdin ended the sign-in cannot finish.
    let mut third = story.start_sign_in();
    story.next_code().await;
    third.close_stdin();
    let third = third.output();
    assert!(!third.status.success());
    assert!(stderr(&third).contains("Code"), "{}", stderr(&third));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_this_machine_without_a_device_says_so() {
    let mut story = Story::start().await;
    let mut first = story.start_sign_in();
    let code = story.next_code().await;
    // Not remembered this time: an empty answer is no.
    first.type_text(&format!("{code}\n\n"));
    assert!(first.output().status.success());
    std::fs::remove_file(story.device_file()).unwrap();
    let forgot = story.devices(&["forget", "this"]);
    assert!(!forgot.status.success());
    assert!(
        stderr(&forgot).contains("this machine has no remembered device for mona"),
        "{}",
        stderr(&forgot)
    );
}
