//! The PTY driver: the real binary in a pseudo-terminal, in the clean environment of
//! [`Binary`], its screen parsed as a terminal shows it, for the end-to-end stories.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use assert_cmd::cargo::cargo_bin;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use super::BOUND;
use super::binary::Binary;

/// The size most tests run at: roomy, so every screen shows all it has.
const ROWS: u16 = 40;
const COLS: u16 = 120;

/// The sizes the stories run at: the most common terminal, and a small one where every
/// screen must still work (scrolled, with a compact frame).
pub const STORY_SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

/// How the program is started: directly, or by a shell around it.
enum Shell<'a> {
    None,
    /// `program > file`.
    StdoutTo(&'a Path),
    /// `program; echo "exit status $?"; stty -a`.
    ThenStty,
}

/// A program running in a pseudo-terminal, its screen parsed as a terminal would show
/// it; killed if the test ends before it does.
pub struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for what the parser does not keep (OSC 52).
    written: Arc<Mutex<Vec<u8>>>,
    /// A message per chunk the program wrote; closed once its side of the terminal is.
    changed: mpsc::Receiver<()>,
    writer: Box<dyn Write + Send>,
    child: Option<Box<dyn portable_pty::Child + Send + Sync>>,
    /// The program's home, kept as long as it runs.
    _binary: Binary,
}

impl Terminal {
    /// Starts the binary with `args` in a terminal of 120 columns and 40 rows.
    pub fn start(args: &[&str]) -> Self {
        Self::spawn(Binary::new(), args, (COLS, ROWS), Shell::None, &[])
    }

    /// Starts the binary with `args` in a terminal of `size` (columns, rows), with the
    /// variables `env` set besides the clean environment.
    pub fn start_sized(args: &[&str], size: (u16, u16), env: &[(&str, &str)]) -> Self {
        Self::spawn(Binary::new(), args, size, Shell::None, env)
    }

    /// Starts the binary with `args` in a 120x40 terminal, in `binary`'s home (shared
    /// with the caller's other runs).
    pub fn start_in(binary: &Binary, args: &[&str]) -> Self {
        Self::spawn(binary.clone(), args, (COLS, ROWS), Shell::None, &[])
    }

    /// Starts the binary with `args` in a 120x40 terminal, in `binary`'s home, its
    /// stdout sent to the file `stdout` instead.
    pub fn start_in_with_stdout_to(binary: &Binary, args: &[&str], stdout: &Path) -> Self {
        Self::spawn(
            binary.clone(),
            args,
            (COLS, ROWS),
            Shell::StdoutTo(stdout),
            &[],
        )
    }

    /// Starts the binary with `args` in a 120x40 terminal, its stdout sent to the file
    /// `stdout` instead (as `> file` in a shell would): stderr and stdin stay on the
    /// terminal.
    pub fn start_with_stdout_to(args: &[&str], stdout: &Path) -> Self {
        Self::spawn(
            Binary::new(),
            args,
            (COLS, ROWS),
            Shell::StdoutTo(stdout),
            &[],
        )
    }

    /// Starts the binary with `args` in a 120x40 terminal from a shell that, once it
    /// ends, prints "exit status N" and then the terminal's settings (`stty -a`), to
    /// see what the program left the terminal in. The shell itself survives Ctrl-C.
    pub fn start_then_stty(args: &[&str]) -> Self {
        Self::spawn(Binary::new(), args, (COLS, ROWS), Shell::ThenStty, &[])
    }

    fn spawn(
        binary: Binary,
        args: &[&str],
        size: (u16, u16),
        shell: Shell<'_>,
        env: &[(&str, &str)],
    ) -> Self {
        let (cols, rows) = size;
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let program = cargo_bin("cognito-signin");
        let mut command = match shell {
            Shell::None => CommandBuilder::new(program),
            Shell::StdoutTo(file) => {
                // The shell opens the file and becomes the program, which inherits it.
                let mut shell = CommandBuilder::new("sh");
                shell.args(["-c", "out=\"$1\"; shift; exec \"$@\" > \"$out\"", "sh"]);
                shell.arg(file);
                shell.arg(program);
                shell
            }
            Shell::ThenStty => {
                // The shell catches SIGINT to live on and report; a handler (unlike
                // `trap "" INT`) is not inherited, so the program still gets Ctrl-C.
                let mut shell = CommandBuilder::new("sh");
                shell.args([
                    "-c",
                    "trap : INT; \"$@\"; echo \"exit status $?\"; stty -a",
                    "sh",
                ]);
                shell.arg(program);
                shell
            }
        };
        command.args(args);
        let (removed, set) = binary.environment();
        for name in removed {
            command.env_remove(name);
        }
        for (name, value) in set {
            command.env(name, value);
        }
        command.env("TERM", "xterm-256color");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let written = Arc::new(Mutex::new(Vec::new()));
        let (notify, changed) = mpsc::channel();
        let parsed = screen.clone();
        let kept = written.clone();
        std::thread::spawn(move || {
            let _master = pair.master; // keeps the pty open while reading
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                parsed.lock().unwrap().process(&buffer[..read]);
                kept.lock().unwrap().extend_from_slice(&buffer[..read]);
                if notify.send(()).is_err() {
                    break;
                }
            }
        });
        Self {
            screen,
            written,
            changed,
            writer,
            child: Some(child),
            _binary: binary,
        }
    }

    /// The screen's text, row by row.
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Every byte the program has written so far.
    pub fn written(&self) -> Vec<u8> {
        self.written.lock().unwrap().clone()
    }

    /// Waits until the program has written `bytes`, or fails.
    pub fn wait_for_bytes(&self, what: &str, bytes: &[u8]) {
        let deadline = Instant::now() + BOUND;
        loop {
            if self
                .written()
                .windows(bytes.len())
                .any(|window| window == bytes)
            {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if self.changed.recv_timeout(left).is_err() {
                panic!(
                    "the program never wrote {what}; the screen shows:\n{}",
                    self.contents()
                );
            }
        }
    }

    /// The screen as a phone sees it on a dark terminal theme: each cell is 1 pixel
    /// wide and 2 tall, and a half is light only where the program drew it white
    /// itself (a half block's white foreground, or a white background); the terminal's
    /// own colours count as dark. So a QR code reads back only if it carries its own
    /// light quiet zone and colours.
    fn pixels(&self) -> (usize, usize, Vec<u8>) {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        let (width, height) = (usize::from(cols), usize::from(rows) * 2);
        let mut grey = vec![0_u8; width * height];
        let white = |colour: vt100::Color| {
            matches!(
                colour,
                vt100::Color::Idx(7 | 15) | vt100::Color::Rgb(255, 255, 255)
            )
        };
        for row in 0..rows {
            for col in 0..cols {
                let Some(cell) = screen.cell(row, col) else {
                    continue;
                };
                let (fg, bg) = (white(cell.fgcolor()), white(cell.bgcolor()));
                // Which halves are light: a half block draws its dark half in the
                // foreground colour, the other half shows the background.
                let (top, bottom) = match cell.contents() {
                    "█" => (fg, fg),
                    "▀" => (fg, bg),
                    "▄" => (bg, fg),
                    " " | "" => (bg, bg),
                    _ => (false, false),
                };
                let (x, y) = (usize::from(col), usize::from(row) * 2);
                grey[y * width + x] = if top { 255 } else { 0 };
                grey[(y + 1) * width + x] = if bottom { 255 } else { 0 };
            }
        }
        (width, height, grey)
    }

    /// Every QR code on the screen, decoded as a phone on a dark theme would.
    pub fn decode_qr(&self) -> Vec<String> {
        const SCALE: usize = 4;
        let (width, height, grey) = self.pixels();
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width * SCALE, height * SCALE, |x, y| {
                grey[(y / SCALE) * width + x / SCALE]
            });
        image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect()
    }

    /// Every cell that draws part of a QR code (a half block), with its colours.
    pub fn qr_cells(&self) -> Vec<(vt100::Color, vt100::Color)> {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        (0..rows)
            .flat_map(|row| (0..cols).map(move |col| (row, col)))
            .filter_map(|(row, col)| screen.cell(row, col))
            .filter(|cell| matches!(cell.contents(), "█" | "▀" | "▄"))
            .map(|cell| (cell.fgcolor(), cell.bgcolor()))
            .collect()
    }

    /// The program's process id.
    pub fn process_id(&self) -> u32 {
        self.child
            .as_ref()
            .and_then(|child| child.process_id())
            .expect("the program has a pid")
    }

    /// Waits until the screen shows every one of `texts`, or fails with what it shows.
    /// A text wrapped across rows (a small terminal) counts: see [`shows`].
    pub fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |contents| {
            texts.iter().all(|text| shows(contents, text))
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

    /// Types `text`, as keys.
    pub fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Quits a finished sign-in with `q`: the program exits 0, the terminal restored.
    pub fn quit(mut self) {
        self.type_text("q");
        assert_eq!(self.exit_code(), 0);
    }

    /// Waits for the program to exit, checks that it restored the terminal (left the
    /// alternate screen), and gives its exit code.
    pub fn exit_code(self) -> u32 {
        self.finish().0
    }

    /// Waits for the program to exit, checks that it restored the terminal, and gives
    /// its exit code and what the terminal's main screen shows then (what stays in the
    /// scrollback once the console's own screen has gone).
    pub fn finish(mut self) -> (u32, String) {
        let mut child = self.child.take().expect("the program was started");
        let mut killer = child.clone_killer();
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(child.wait());
        });
        let Ok(status) = finished.recv_timeout(BOUND) else {
            let _ = killer.kill();
            panic!(
                "the program did not exit; the screen shows:\n{}",
                self.contents()
            );
        };
        let status = status.unwrap();
        // The reader stops once the program's side of the terminal has closed: by then
        // it has parsed every byte the program wrote.
        while self.changed.recv_timeout(BOUND).is_ok() {}
        let alternate = self.screen.lock().unwrap().screen().alternate_screen();
        assert!(!alternate, "the terminal was not restored");
        (status.exit_code(), self.contents())
    }
}

/// Whether `screen` shows `text`: as it is, or wrapped across rows (the rows' words
/// joined by single spaces, box borders left out).
pub fn shows(screen: &str, text: &str) -> bool {
    screen.contains(text) || words(screen).contains(&words(text))
}

/// `text`'s words joined by single spaces, with the box-drawing borders of the
/// console's frames taken out.
fn words(text: &str) -> String {
    text.replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
