//! TIMESTAMP. CONTRACT — body by the crypto helper.

/// `EEE MMM d HH:mm:ss UTC yyyy`, English names, no leading zero on the day.
pub fn format_timestamp(_at: time::OffsetDateTime) -> String {
    todo!()
}

/// Reads a TIMESTAMP back (the server checks it is within 5 minutes of now).
pub fn parse_timestamp(_text: &str) -> Option<time::OffsetDateTime> {
    todo!()
}
