//! Taking over the terminal and giving it back. The console draws on **stderr** (stdout
//! is kept for `--output json`). The terminal is restored on every way out: the guard's
//! drop, a panic (the hook restores before the message prints), and SIGTERM/SIGHUP
//! (turned into a quiet end of the loop by `crate::signals::Signals`).
//!
//! Frames go out buffered: crossterm writes each cursor move, colour and run of text
//! separately (about 1,500 writes of one to three bytes for a full 80x24 frame), which
//! crawls over a slow SSH link. A large `BufWriter` turns a frame into a write or two;
//! ratatui flushes the backend at the end of every draw, and leaving flushes it too.

use std::io::{self, BufWriter, Stderr, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};

/// Whether this process has the terminal in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Room for a whole frame (a colourful 200x50 frame is a few tens of KiB).
pub const FRAME_BUFFER: usize = 64 * 1024;

/// The terminal drawn on stderr, buffered.
pub type StderrTerminal = Terminal<CrosstermBackend<BufWriter<ConsoleStderr>>>;

/// `writer` buffered as the console's frames are: a frame is kept until ratatui flushes
/// it (at the end of each draw), then written in one go.
pub fn buffered<W: Write>(writer: W) -> BufWriter<W> {
    BufWriter::with_capacity(FRAME_BUFFER, writer)
}

/// Stderr while the console has the terminal. Once it has been given back (by `leave`,
/// the guard's drop or the panic hook), writes are dropped: what is left of a frame cut
/// short by a panic must not land on the restored screen, over the panic's message.
#[derive(Debug)]
pub struct ConsoleStderr(Stderr);

impl Write for ConsoleStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if ACTIVE.load(Ordering::SeqCst) {
            self.0.write(buf)
        } else {
            Ok(buf.len())
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Owns the terminal while the console runs; dropping it gives the terminal back.
pub struct TerminalGuard {
    terminal: StderrTerminal,
}

impl std::fmt::Debug for TerminalGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TerminalGuard")
    }
}

impl TerminalGuard {
    /// Raw mode, the alternate screen on stderr, and the panic hook.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        // crossterm drops every colour under NO_COLOR; the theme already leaves text
        // uncoloured there, and the QR code must keep its own dark-on-light whatever
        // NO_COLOR says (no-color.org governs text styling, not a barcode).
        crossterm::style::force_color_output(true);
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let entered = execute!(io::stderr(), EnterAlternateScreen).and_then(|()| {
            Terminal::new(CrosstermBackend::new(buffered(ConsoleStderr(io::stderr()))))
        });
        match entered {
            Ok(terminal) => Ok(Self { terminal }),
            Err(error) => {
                // Best effort: the original error is the one worth reporting.
                let _ = restore();
                Err(error)
            }
        }
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut StderrTerminal {
        &mut self.terminal
    }

    /// Gives the terminal back now, reporting a failure (drop does the same silently):
    /// whatever is still buffered goes out first, on the console's own screen.
    pub fn leave(mut self) -> io::Result<()> {
        let flushed = self.flush();
        restore().and(flushed)
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(self.terminal.backend_mut())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // Nowhere to report to from a drop; `leave` reports.
        let _ = self.flush();
        let _ = restore();
    }
}

/// Leaves the alternate screen, ends raw mode and shows the cursor, once.
pub fn restore() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let raw = disable_raw_mode();
    let screen = execute!(io::stderr(), LeaveAlternateScreen, Show);
    raw.and(screen)
}

/// Asks the terminal to put `text` on the clipboard: OSC 52 ("ESC ] 52 ; c ; base64
/// BEL"), which works over SSH and inside tmux (with `set-clipboard on`); a terminal
/// that does not allow it ignores the sequence.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    use std::io::Write;
    let mut stderr = io::stderr().lock();
    stderr.write_all(osc52(text).as_bytes())?;
    stderr.flush()
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// Restores the terminal before the panic message prints, so it is readable.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = restore();
            previous(info);
        }));
    });
}
