//! TIMESTAMP: the moment a PASSWORD_VERIFIER answer is signed, in the exact text form
//! Cognito expects (`Tue Nov 3 09:05:07 UTC 2026`), since the text itself is signed.
//! Cognito refuses a zero-padded day (qwigo/warrant pull request 12: "Incorrect username
//! or password.") and answers text of another shape with InvalidParameterException
//! (amazon-cognito-identity-js issue 683).

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

/// Reads a TIMESTAMP back, only in Cognito's exact form: the text must be what
/// [`format_timestamp`] writes for its moment, so a zero-padded day ("Tue Nov 03 …"),
/// a weekday that does not match the date, or any other spelling is refused. (The
/// server checks the moment is near now.)
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let parsed = PrimitiveDateTime::parse(text, FORMAT).ok()?.assume_utc();
    (format_timestamp(parsed) == text).then_some(parsed)
}

/// Whether the text has the shape `EEE MMM d HH:mm:ss UTC yyyy` at all, even with a
/// padded day or the wrong weekday: what the server refuses as malformed (rather than
/// as a wrong proof) is text that is not this shape.
pub fn reads_as_timestamp(text: &str) -> bool {
    PrimitiveDateTime::parse(text, FORMAT).is_ok()
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
    fn a_padded_day_or_a_wrong_weekday_has_the_shape_but_is_not_cognitos_form() {
        for text in [
            "Tue Nov 03 09:05:07 UTC 2026",
            "Wed Nov 3 09:05:07 UTC 2026",
        ] {
            assert!(reads_as_timestamp(text), "{text:?}");
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
    }

    #[test]
    fn nonsense_is_not_a_timestamp() {
        for text in [
            "",
            "Tue Nov 31 09:05:07 UTC 2026",
            "Tue Nov 3 9:05:07 UTC 2026",
            "2026-11-03T09:05:07Z",
            "Tue Nov 3 09:05:07 GMT 2026",
            "Mon Feb 12 15:26:37 +05:30 2018",
            "tue nov 3 09:05:07 UTC 2026",
        ] {
            assert!(!reads_as_timestamp(text), "{text:?}");
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
    }
}
