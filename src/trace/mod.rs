//! The debug trace (`--debug`, `--debug-file PATH`, `COGNITO_SIGNIN_LOG`): `tracing`
//! events from the wire client (every call: operation, endpoint, status, request id,
//! duration, challenge), the auth flow (every step shown, every kind of answer given)
//! and `serve` (every request: operation, outcome, duration).
//!
//! No event carries a secret at any level: calls are described by `wire_summary`
//! (names, and values only where they are not secret), steps and answers by their kind
//! alone. While the full-screen console draws on the terminal, the trace goes to a
//! file instead of stderr.
//!
//! The full-screen console's wire panel reads the wire client's events through the
//! same subscriber (`wire_feed`), with or without the trace.

use std::path::{Path, PathBuf};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub mod wire_feed;

/// The variable that sets the trace's filter, in `tracing`'s env-filter syntax
/// (`debug`, `cognito_signin::wire=trace`, …).
pub const LOG_VARIABLE: &str = "COGNITO_SIGNIN_LOG";

/// The filter `--debug` stands for: this program's events at debug level.
const DEBUG_FILTER: &str = "cognito_signin=debug";

/// Where the trace goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceTo {
    /// The terminal's stderr.
    Stderr,
    /// A file (appended to, created 0600).
    File(PathBuf),
}

/// Where the trace goes for this run: `--debug-file`, else a file in the state
/// directory while the full-screen console owns the terminal, else stderr; `None` when
/// neither `--debug`, `--debug-file` nor the variable asks for one.
pub fn destination(
    debug: bool,
    debug_file: Option<&Path>,
    variable: Option<&str>,
    full_screen: bool,
) -> Option<TraceTo> {
    let asked =
        debug || debug_file.is_some() || variable.is_some_and(|filter| !filter.trim().is_empty());
    if !asked {
        return None;
    }
    Some(match debug_file {
        Some(path) => TraceTo::File(path.to_owned()),
        None if full_screen => TraceTo::File(default_file()),
        None => TraceTo::Stderr,
    })
}

/// `$XDG_STATE_HOME/cognito-signin/debug.log` (else `~/.local/state/…`), for a trace
/// taken while the full-screen console runs.
fn default_file() -> PathBuf {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .and_then(|strategy| strategy.state_dir())
        .unwrap_or_else(std::env::temp_dir)
        .join("cognito-signin")
        .join("debug.log")
}

/// Installs this process's subscriber: the debug trace when `to` says where it goes
/// (`filter` is the variable's value, else `--debug`'s; colours only on a terminal
/// without NO_COLOR), and the wire panel's feed when `wire_panel` asks for it.
pub fn install(
    to: Option<&TraceTo>,
    variable: Option<&str>,
    wire_panel: bool,
) -> Result<(), String> {
    let trace = match to {
        Some(to) => Some(trace_layer(to, variable)?),
        None => None,
    };
    tracing_subscriber::registry()
        .with(trace)
        .with(wire_panel.then(wire_feed::layer))
        .try_init()
        .map_err(|error| format!("could not start the debug trace: {error}"))
}

/// The debug trace's layer: formatted lines to stderr or a file, under its filter.
fn trace_layer<S>(to: &TraceTo, variable: Option<&str>) -> Result<impl Layer<S>, String>
where
    S: tracing::Subscriber + for<'lookup> tracing_subscriber::registry::LookupSpan<'lookup>,
{
    let filter = variable
        .filter(|filter| !filter.trim().is_empty())
        .unwrap_or(DEBUG_FILTER);
    let filter = EnvFilter::try_new(filter).map_err(|error| {
        format!("{LOG_VARIABLE}={filter} is not a trace filter ({error}); try {LOG_VARIABLE}=debug")
    })?;
    let (writer, colour) = match to {
        TraceTo::Stderr => {
            let colour = std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            (BoxMakeWriter::new(std::io::stderr), colour)
        }
        TraceTo::File(path) => {
            let file = open_private(path).map_err(|error| {
                format!("could not open the debug file {}: {error}", path.display())
            })?;
            (BoxMakeWriter::new(std::sync::Mutex::new(file)), false)
        }
    };
    Ok(tracing_subscriber::fmt::layer()
        .with_target(true)
        .with_ansi(colour)
        .with_writer(writer)
        .with_filter(filter))
}

/// Opens `path` for appending, creating it (and its folder) private to the user.
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_goes_to_a_file_while_the_full_screen_console_runs() {
        assert_eq!(destination(false, None, None, false), None);
        assert_eq!(destination(false, None, Some(" "), false), None);
        assert_eq!(destination(true, None, None, false), Some(TraceTo::Stderr));
        assert_eq!(
            destination(false, None, Some("debug"), false),
            Some(TraceTo::Stderr)
        );
        let file = Path::new("/tmp/trace.log");
        assert_eq!(
            destination(true, Some(file), None, true),
            Some(TraceTo::File(file.to_owned()))
        );
        assert!(matches!(
            destination(true, None, None, true),
            Some(TraceTo::File(path)) if path.ends_with("cognito-signin/debug.log")
        ));
    }
}
