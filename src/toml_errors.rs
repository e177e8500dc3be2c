//! Errors in the TOML files people edit by hand (the local pool's file, the saved
//! pools), said as `FILE line N: what is wrong; the fix`.

use std::ops::Range;

/// `FILE line N: message`, N the line `span` starts on.
pub fn at_line(text: &str, file_name: &str, span: Range<usize>, message: &str) -> String {
    format!("{file_name} line {}: {message}", line_of(text, span.start))
}

/// A TOML syntax or shape error with its line, and the fix where the message alone does
/// not give it (an unknown key: remove it or correct its spelling).
pub fn describe(text: &str, file_name: &str, error: &toml::de::Error) -> String {
    let mut message = error.message().trim().to_owned();
    if message.starts_with("unknown field") {
        message.push_str("; remove it or correct its spelling");
    }
    match error.span() {
        Some(span) => at_line(text, file_name, span, &message),
        None => format!("{file_name}: {message}"),
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |before| before.iter().filter(|&&b| b == b'\n').count())
        + 1
}
