//! A secret typed at the terminal without echo, as `getpass` reads one: echo is turned
//! off *before* the prompt is shown, so keys typed as soon as it appears are never
//! echoed, and the kernel's own line editing (Backspace, Ctrl-U, Ctrl-W) still works.
//! Echo comes back when the reader is dropped, whatever ended the read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};

use rustix::termios::{LocalModes, OptionalActions, Termios, tcgetattr, tcsetattr};
use zeroize::Zeroizing;

use crate::sensitive::SensitiveString;

/// The controlling terminal with echo off, until dropped.
pub struct HiddenInput {
    tty: File,
    saved: Termios,
}

impl std::fmt::Debug for HiddenInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HiddenInput").finish_non_exhaustive()
    }
}

impl HiddenInput {
    /// Opens `/dev/tty` and turns its echo off (ECHONL keeps the line break that ends
    /// the answer visible).
    pub fn start() -> io::Result<Self> {
        let tty = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        let saved = tcgetattr(&tty)?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        quiet.local_modes.insert(LocalModes::ECHONL);
        tcsetattr(&tty, OptionalActions::Now, &quiet)?;
        Ok(Self { tty, saved })
    }

    /// A handle to read the answer from, for a blocking thread.
    pub fn reader(&self) -> io::Result<File> {
        self.tty.try_clone()
    }
}

impl Drop for HiddenInput {
    fn drop(&mut self) {
        // Nothing more can be done if the terminal has gone.
        let _ = tcsetattr(&self.tty, OptionalActions::Now, &self.saved);
    }
}

/// Reads one line from `tty` (in canonical mode a read returns at most a line) without
/// its line break; `None` at the end of input (Ctrl-D on an empty line).
pub fn read_line(mut tty: impl Read) -> io::Result<Option<SensitiveString>> {
    let mut line = Zeroizing::new(Vec::new());
    let mut chunk = Zeroizing::new([0u8; 256]);
    loop {
        let read = match tty.read(&mut chunk[..]) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if read == 0 {
            if line.is_empty() {
                return Ok(None);
            }
            break;
        }
        line.extend_from_slice(&chunk[..read]);
        if line.last() == Some(&b'\n') {
            break;
        }
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    match std::str::from_utf8(&line) {
        Ok(text) => Ok(Some(SensitiveString::from(text))),
        Err(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the answer typed is not UTF-8",
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_read_without_its_break_and_an_empty_end_is_none() {
        let line = read_line(&b"s3cret\r\n"[..]).unwrap().unwrap();
        assert_eq!(line.expose(), "s3cret");
        assert!(read_line(&b""[..]).unwrap().is_none());
        // Ctrl-D after some characters ends the line without a break.
        assert_eq!(read_line(&b"abc"[..]).unwrap().unwrap().expose(), "abc");
        assert!(read_line(&b"\xff\n"[..]).is_err());
    }
}
