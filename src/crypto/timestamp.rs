//! TIMESTAMP: the moment a PASSWORD_VERIFIER answer is signed, in the exact text form
//! Cognito expects (`Tue Nov 3 09:05:07 UTC 2026`), since the text itself is signed.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// `EEE MMM d HH:mm:ss UTC yyyy`: English names, no leading zero on the day.
const FORMAT: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] UTC [year]"
);

/// `EEE MMM d HH:mm:ss UTC yyyy`, English names, no leading zero on the day.
/// The moment is shown in UTC whatever its offset.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    #[expect(
        clippy::expect_used,
        reason = "the format has only components every OffsetDateTime has, and writes to a String, so formatting cannot fail; a TIMESTAMP must never be signed as \"\""
    )]
    utc.format(FORMAT)
        .expect("an OffsetDateTime has every component of the TIMESTAMP format")
}

/// Reads a TIMESTAMP back (the server checks it is within 5 minutes of now).
/// A leading zero on the day is tolerated; a weekday that does not match the date is not.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let parsed = PrimitiveDateTime::parse(text, FORMAT).ok()?.assume_utc();
    let weekday = text.split(' ').next()?;
    let expected = parsed.weekday().to_string();
    (expected.get(..3) == Some(weekday)).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_like_cognito() {
        for (at, text) in [
            (
                datetime!(2026-11-03 09:05:07 UTC),
                "Tue Nov 3 09:05:07 UTC 2026",
            ),
            (
                datetime!(2026-11-22 23:59:59 UTC),
                "Sun Nov 22 23:59:59 UTC 2026",
            ),
            (
                datetime!(2024-01-01 00:00:00 UTC),
                "Mon Jan 1 00:00:00 UTC 2024",
            ),
            (
                datetime!(2028-02-29 12:30:45 UTC),
                "Tue Feb 29 12:30:45 UTC 2028",
            ),
            (
                datetime!(2030-07-04 07:07:07 UTC),
                "Thu Jul 4 07:07:07 UTC 2030",
            ),
            (
                datetime!(2025-09-09 09:09:09 UTC),
                "Tue Sep 9 09:09:09 UTC 2025",
            ),
        ] {
            assert_eq!(format_timestamp(at), text);
            assert_eq!(parse_timestamp(text), Some(at), "{text}");
        }
    }

    #[test]
    fn formats_in_utc_whatever_the_offset() {
        let at = datetime!(2026-11-03 01:05:07 -08:00);
        assert_eq!(format_timestamp(at), "Tue Nov 3 09:05:07 UTC 2026");
    }

    #[test]
    fn parses_a_padded_day_and_refuses_nonsense() {
        assert_eq!(
            parse_timestamp("Tue Nov 03 09:05:07 UTC 2026"),
            Some(datetime!(2026-11-03 09:05:07 UTC))
        );
        for text in [
            "",
            "Wed Nov 3 09:05:07 UTC 2026",
            "Tue Nov 31 09:05:07 UTC 2026",
            "Tue Nov 3 9:05:07 UTC 2026",
            "2026-11-03T09:05:07Z",
            "Tue Nov 3 09:05:07 GMT 2026",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
    }
}
