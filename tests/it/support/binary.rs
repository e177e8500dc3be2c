//! The real binary, run as a person runs it but in a clean environment: HOME and the
//! XDG folders in a temp dir of its own, and none of the caller's AWS_* or COGNITO_*
//! variables, so neither a developer's settings nor their credentials reach a test.
//! `serve` runs in the background, its console read line by line as it prints.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use cognito_signin::local_pool::RunningPool;
use cognito_signin::outbox::{Delivery, OutboxFeed};
use tempfile::TempDir;

use super::pool::demo_pool;
use super::{BOUND, bounded};

/// The binary with a home of its own, which goes when the test ends (with the last
/// clone: a PTY run and a plain run can share one home).
#[derive(Clone)]
pub struct Binary {
    home: std::sync::Arc<TempDir>,
}

impl Binary {
    /// A fresh, empty home.
    pub fn new() -> Self {
        Self {
            home: std::sync::Arc::new(tempfile::tempdir().unwrap()),
        }
    }

    /// HOME.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// XDG_CACHE_HOME: where the token cache lives.
    pub fn cache_home(&self) -> PathBuf {
        self.home().join("cache")
    }

    /// XDG_DATA_HOME: where remembered devices live.
    pub fn data_home(&self) -> PathBuf {
        self.home().join("data")
    }

    /// The environment of a run: the caller's variables to remove, and those to set.
    pub fn environment(&self) -> (Vec<OsString>, Vec<(&'static str, OsString)>) {
        let removed = std::env::vars_os()
            .map(|(name, _)| name)
            .filter(|name| {
                let name = name.to_string_lossy();
                name.starts_with("AWS_") || name.starts_with("COGNITO_") || name == "NO_COLOR"
            })
            .collect();
        let home = self.home();
        let set = vec![
            ("HOME", home.into()),
            ("XDG_CONFIG_HOME", home.join("config").into()),
            ("XDG_CACHE_HOME", self.cache_home().into()),
            ("XDG_DATA_HOME", self.data_home().into()),
            ("XDG_STATE_HOME", home.join("state").into()),
            // The AWS credential chain finds no file and asks no instance metadata.
            ("AWS_CONFIG_FILE", home.join("no-config").into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("no-credentials").into(),
            ),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ];
        (removed, set)
    }

    /// The binary in this environment; stdin empty, stdout and stderr captured.
    pub fn command(&self) -> Command {
        let mut command = Command::new(cargo_bin("cognito-signin"));
        let (removed, set) = self.environment();
        for name in removed {
            command.env_remove(name);
        }
        command
            .envs(set)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs the binary with `args` to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs the binary with `args` and `input` on stdin, to its end.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut running = Running::spawn(self.command().args(args));
        running.type_text(input);
        running.output()
    }

    /// Starts the binary with `args` and `input` typed on stdin, which stays open.
    pub fn start(&self, args: &[&str], input: &str) -> Running {
        let mut running = Running::spawn(self.command().args(args));
        running.type_text(input);
        running
    }

    /// Starts `serve --port 0` with `args` and waits until it listens.
    pub fn serve(&self, args: &[&str]) -> Serving {
        let mut run = Running::spawn(
            self.command()
                .args(["serve", "--port", "0"])
                .args(args)
                .stdout(Stdio::null()),
        );
        let lines = run.stderr_lines();
        let listening = lines.wait_for("serve to listen", |line| {
            line.contains("listening on http://127.0.0.1:")
        });
        let url = listening
            .split_whitespace()
            .find(|word| word.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no endpoint in {listening:?}"))
            .to_owned();
        Serving { url, lines, run }
    }
}

/// `cognito-signin serve` in the background, killed when the test ends.
pub struct Serving {
    url: String,
    lines: StderrLines,
    run: Running,
}

impl Serving {
    /// `http://127.0.0.1:<port>`, with no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The next line serve prints on its console that `wanted` accepts (the lines
    /// before it are passed over); `what` names it if it does not come within
    /// [`BOUND`], or serve ends first.
    pub fn wait_for_line(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        self.lines.wait_for(what, wanted)
    }

    /// Sends `signal` (a name `kill` takes: TERM, INT) to serve.
    #[cfg(unix)]
    pub fn signal(&self, signal: &str) {
        self.run.signal(signal);
    }

    /// How serve ended, which must be within `within` (else it is killed and the test
    /// fails).
    pub fn exit_within(self, within: Duration) -> ExitStatus {
        self.run
            .wait_within(within)
            .unwrap_or_else(|| panic!("serve did not end within {within:?}"))
    }
}

/// A run's stderr, line by line as it prints them, read on a thread of its own.
pub struct StderrLines {
    lines: mpsc::Receiver<String>,
}

impl StderrLines {
    /// Reads `stderr` until it closes (or nobody reads any more).
    fn read(stderr: ChildStderr) -> Self {
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { lines }
    }

    /// The next line that `wanted` accepts (the lines before it are passed over);
    /// `what` names it if it does not come within [`BOUND`], or the run ends first.
    pub fn wait_for(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("{what}: no such line on stderr within {BOUND:?}")
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("{what}: the run ended before printing it")
                }
            }
        }
    }

    /// The secret a plain-mode authenticator enrolment prints in groups
    /// (`  Secret: JBSW Y3DP …`), without its spaces.
    pub fn totp_secret(&self) -> String {
        let line = self.wait_for("the authenticator's secret", |line| {
            line.trim_start().starts_with("Secret:")
        });
        line.trim_start()
            .trim_start_matches("Secret:")
            .split_whitespace()
            .collect()
    }

    /// Every line not read yet, up to the end of the run (which must come within
    /// [`BOUND`]), each with its line break.
    pub fn rest(&self) -> String {
        let deadline = std::time::Instant::now() + BOUND;
        let mut rest = String::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    rest.push_str(&line);
                    rest.push('\n');
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return rest,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("the run did not end within {BOUND:?}; it printed {rest:?}")
                }
            }
        }
    }
}

/// A run of the binary in progress, killed if the test ends before it does.
pub struct Running {
    child: Option<Child>,
}

impl Running {
    /// Spawns `command` with stdin open for typing.
    pub fn spawn(command: &mut Command) -> Self {
        Self {
            child: Some(command.stdin(Stdio::piped()).spawn().unwrap()),
        }
    }

    fn child(&mut self) -> &mut Child {
        self.child
            .as_mut()
            .expect("the run has not been waited for")
    }

    /// Types `text` on stdin.
    pub fn type_text(&mut self, text: &str) {
        let stdin = self.child().stdin.as_mut().expect("stdin is still open");
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Ends stdin, as Ctrl-D at a terminal does.
    pub fn close_stdin(&mut self) {
        drop(self.child().stdin.take());
    }

    /// stderr, to read as the binary writes it.
    pub fn take_stderr(&mut self) -> ChildStderr {
        self.child().stderr.take().expect("stderr is captured")
    }

    /// stderr line by line as the binary writes it (the output then has none).
    pub fn stderr_lines(&mut self) -> StderrLines {
        StderrLines::read(self.take_stderr())
    }

    /// Sends `signal` (a name `kill` takes: TERM, INT) to the binary.
    #[cfg(unix)]
    pub fn signal(&self, signal: &str) {
        let child = self
            .child
            .as_ref()
            .expect("the run has not been waited for");
        assert!(send_signal(child.id(), signal), "kill -{signal} failed");
    }

    /// How the binary ended, if it ends within `within`; if not, it is killed.
    pub fn wait_within(mut self, within: Duration) -> Option<ExitStatus> {
        let mut child = self.child.take().expect("the run has not been waited for");
        let pid = child.id();
        let (sender, ended) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(child.wait());
        });
        match ended.recv_timeout(within) {
            Ok(status) => Some(status.unwrap()),
            Err(_) => {
                #[cfg(unix)]
                send_signal(pid, "KILL");
                None
            }
        }
    }

    /// Waits for the binary to end (stdin is closed first): all it wrote.
    pub fn output(mut self) -> Output {
        let child = self.child.take().expect("the run has not been waited for");
        child.wait_with_output().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Sends `signal` to the process `pid` with `kill`: whether it was sent.
#[cfg(unix)]
fn send_signal(pid: u32, signal: &str) -> bool {
    Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()
        .is_ok_and(|status| status.success())
}

/// What a run wrote on stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a run wrote on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// stdout of a run that succeeded; a failure shows its stderr.
pub fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
}

/// stderr of a run that failed with exit code 1 (not a usage error, not a crash).
pub fn failed(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", stdout(output));
    stderr(output)
}

/// stderr of a run refused as a usage error (exit code 2).
pub fn usage_refused(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(output));
    stderr(output)
}

/// The flags that point a run at `pool`, its user pool `pool_id` and app client
/// `client_id`.
pub fn pool_flags<'a>(pool: &'a RunningPool, pool_id: &'a str, client_id: &'a str) -> [&'a str; 6] {
    [
        "--endpoint-url",
        pool.url(),
        "--user-pool-id",
        pool_id,
        "--client-id",
        client_id,
    ]
}

/// The flags of a plain-mode sign-in of `username` with the password flow: stdin then
/// starts with the password.
pub fn plain_password_sign_in(username: &str) -> [&str; 5] {
    [
        "--plain",
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--username",
        username,
    ]
}

/// The demo pools in this process, their outbox subscribed, and the binary in a home of
/// its own: what a command-line story against the local pool starts with.
pub struct DemoStory {
    pub pool: RunningPool,
    pub feed: OutboxFeed,
    pub binary: Binary,
}

impl DemoStory {
    /// The demo pools on a free port, and a fresh home.
    pub async fn start() -> Self {
        let pool = demo_pool().await;
        let feed = pool.subscribe_outbox();
        Self {
            pool,
            feed,
            binary: Binary::new(),
        }
    }

    /// The flags that point the binary at the demo pools' `pool_id` and `client_id`.
    pub fn pool_flags<'a>(&'a self, pool_id: &'a str, client_id: &'a str) -> [&'a str; 6] {
        pool_flags(&self.pool, pool_id, client_id)
    }

    /// The next message the pool sends (a code in it).
    pub async fn next_delivery(&mut self) -> Delivery {
        bounded("a code from the pool", self.feed.recv())
            .await
            .unwrap()
    }
}
