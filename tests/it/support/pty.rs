//! The real binary in a pseudo-terminal, its screen parsed as a terminal would show it,
//! for the end-to-end stories (`pty_e2e.rs`, `pty_stories.rs`).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const BOUND: Duration = Duration::from_secs(60);

/// A program running in a pseudo-terminal, its screen parsed as a terminal would show it.
pub struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    changed: mpsc::Receiver<()>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Terminal {
    pub fn start(args: &[&str]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(cargo_bin("cognito-signin"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let (notify, changed) = mpsc::channel();
        let parsed = screen.clone();
        std::thread::spawn(move || {
            let _master = pair.master; // keeps the pty open while reading
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                parsed.lock().unwrap().process(&buffer[..read]);
                if notify.send(()).is_err() {
                    break;
                }
            }
        });
        Self {
            screen,
            changed,
            writer,
            child,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows every one of `texts`, or fails with what it shows.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |contents| {
            texts.iter().all(|text| contents.contains(text))
        })
    }

    /// Waits until `ready` holds for the screen's contents, or fails with what it shows.
    pub fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + BOUND;
        loop {
            let contents = self.contents();
            if ready(&contents) {
                return contents;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.changed.recv_timeout(left) {
                Ok(()) => {}
                Err(_) => panic!("the screen never showed {what}; it shows:\n{contents}"),
            }
        }
    }

    pub fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the program to exit and gives its exit code.
    pub fn exit_code(self) -> (u32, bool) {
        let (done, finished) = mpsc::channel();
        let mut child = self.child;
        std::thread::spawn(move || {
            let _ = done.send(child.wait());
        });
        let status = finished
            .recv_timeout(BOUND)
            .expect("the program did not exit")
            .unwrap();
        // Let the reader catch up with the last bytes the program wrote.
        while self
            .changed
            .recv_timeout(Duration::from_millis(200))
            .is_ok()
        {}
        let alternate = self.screen.lock().unwrap().screen().alternate_screen();
        (status.exit_code(), alternate)
    }
}
