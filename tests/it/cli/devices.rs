//! Remembered devices with the real binary in plain mode against the local pool's
//! MFA-ON demo pool, which tracks devices: the first sign-in goes through MFA and
//! remembers the machine, the second gets no MFA, `devices` lists and forgets the
//! device, and MFA comes back. The device store and token cache live in a temp dir.
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use cognito_signin::auth::devices::DeviceStore;
use cognito_signin::local_pool::{self, RunningPool};
use cognito_signin::outbox::OutboxFeed;
use tempfile::TempDir;

const POOL: &str = "us-east-1_DemoMfaOn";
const CLIENT: &str = "demomfaonpublicclient00001";
const PASSWORD: &str = "Demo-Password-1!";
/// How long any one wait may take.
const BOUND: Duration = Duration::from_secs(60);

struct Story {
    pool: RunningPool,
    feed: OutboxFeed,
    home: TempDir,
}

impl Story {
    async fn start() -> Self {
        let pool = local_pool::start(Some(local_pool::demo_pool_file()), 0)
            .await
            .unwrap();
        let feed = pool.subscribe_outbox();
        Self {
            pool,
            feed,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn data_home(&self) -> PathBuf {
        self.home.path().join("data")
    }

    fn device_file(&self) -> PathBuf {
        DeviceStore::at(self.data_home())
            .path_of(POOL, CLIENT, "mona")
            .unwrap()
    }

    fn command(&self) -> Command {
        let mut command = Command::new(cargo_bin("cognito-signin"));
        for name in [
            "COGNITO_USER_POOL_ID",
            "COGNITO_CLIENT_ID",
            "COGNITO_CLIENT_SECRET",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
        ] {
            command.env_remove(name);
        }
        command
            .env("XDG_CACHE_HOME", self.home.path().join("cache"))
            .env("XDG_DATA_HOME", self.data_home())
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("HOME", self.home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn pool_flags(&self) -> [&str; 6] {
        [
            "--endpoint-url",
            self.pool.url(),
            "--user-pool-id",
            POOL,
            "--client-id",
            CLIENT,
        ]
    }

    /// A plain-mode sign-in of mona, username and password already typed.
    fn start_sign_in(&self) -> Child {
        let mut child = self
            .command()
            .args(self.pool_flags())
            .args(["--plain", "--device-name", "cli-box"])
            .spawn()
            .unwrap();
        write!(child.stdin.as_mut().unwrap(), "mona\n{PASSWORD}\n").unwrap();
        child
    }

    /// The next code the pool sends.
    async fn next_code(&mut self) -> String {
        tokio::time::timeout(BOUND, self.feed.recv())
            .await
            .expect("a code was sent in time")
            .unwrap()
            .code
    }

    fn devices(&self, extra: &[&str]) -> Output {
        self.command()
            .stdin(Stdio::null())
            .arg("devices")
            .args(self.pool_flags())
            .args(extra)
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_machine_skips_mfa_until_devices_forget_drops_it() {
    let mut story = Story::start().await;

    // First sign-in: the e-mailed code, then "Remember this device? [y/N]" answered y.
    let mut first = story.start_sign_in();
    let code = story.next_code().await;
    write!(first.stdin.as_mut().unwrap(), "{code}\ny\n").unwrap();
    let first = first.wait_with_output().unwrap();
    let said = text(&first.stderr);
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
    drop(second.stdin.take());
    let second = second.wait_with_output().unwrap();
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(
        matches!(
            story.feed.try_recv(),
            Err(tokio::sync::broadcast::error::TryRecvError::Empty)
        ),
        "no code was sent"
    );

    // `devices` lists the machine as remembered; JSON for scripts.
    let listed = story.devices(&[]);
    let table = text(&listed.stdout);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert!(table.contains("cli-box"), "{table}");
    assert!(table.contains("remembered"), "{table}");
    assert!(table.contains("(this machine)"), "{table}");
    let json: serde_json::Value =
        serde_json::from_slice(&story.devices(&["--output", "json"]).stdout).unwrap();
    let stored = DeviceStore::at(story.data_home())
        .load(POOL, CLIENT, "mona")
        .unwrap()
        .unwrap();
    assert_eq!(json["Devices"][0]["DeviceKey"], stored.device_key.as_str());

    // Forget this machine: the pool and the store drop it.
    let forgot = story.devices(&["forget", "this"]);
    assert!(forgot.status.success(), "{}", text(&forgot.stderr));
    assert!(!story.device_file().exists());
    assert!(text(&story.devices(&[]).stdout).contains("mona has no devices."));

    // MFA is back: a code is sent, and with stdin ended the sign-in cannot finish.
    let mut third = story.start_sign_in();
    story.next_code().await;
    drop(third.stdin.take());
    let third = third.wait_with_output().unwrap();
    assert!(!third.status.success());
    assert!(
        text(&third.stderr).contains("Code"),
        "{}",
        text(&third.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_this_machine_without_a_device_says_so() {
    let mut story = Story::start().await;
    let mut first = story.start_sign_in();
    let code = story.next_code().await;
    // Not remembered this time: an empty answer is no.
    write!(first.stdin.as_mut().unwrap(), "{code}\n\n").unwrap();
    assert!(first.wait_with_output().unwrap().status.success());
    std::fs::remove_file(story.device_file()).unwrap();
    let forgot = story.devices(&["forget", "this"]);
    assert!(!forgot.status.success());
    assert!(
        text(&forgot.stderr).contains("this machine has no remembered device for mona"),
        "{}",
        text(&forgot.stderr)
    );
}
