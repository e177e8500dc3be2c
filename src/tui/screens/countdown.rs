//! The end of a challenge's Session, on the screens that answer one (a code, a
//! passkey): quiet until its last minute, then counted down each second, then said to
//! have ended (Esc starts again). The same rule on every such screen.

use std::time::Duration;

use ratatui::text::Line;
use time::OffsetDateTime;

use crate::tui::screens::ViewContext;
use crate::tui::strings;

/// How long before the Session ends the screen starts counting down.
pub const COUNTDOWN_FROM: time::Duration = time::Duration::minutes(1);

/// The countdown changes once a second.
pub const TICK: Duration = Duration::from_secs(1);

/// How often to draw again at `now` for a Session ending at `expires_at`: once a second
/// in the last minute, once when the last minute begins before that, never once the
/// Session has ended or where there is none.
pub fn tick_rate(expires_at: Option<OffsetDateTime>, now: OffsetDateTime) -> Option<Duration> {
    let left = expires_at? - now;
    if left.whole_seconds() <= 0 {
        return None;
    }
    let until_countdown = left - COUNTDOWN_FROM;
    if until_countdown <= time::Duration::seconds(1) {
        return Some(TICK);
    }
    Duration::try_from(until_countdown).ok()
}

/// "This sign-in expires in 0:42." in the last minute, then that it has expired;
/// `None` before (or without a Session).
pub fn line(expires_at: Option<OffsetDateTime>, view: &ViewContext<'_>) -> Option<Line<'static>> {
    let left = (expires_at? - view.now).whole_seconds();
    if left <= 0 {
        return Some(Line::styled(strings::SESSION_EXPIRED, view.theme.warning()));
    }
    (left < COUNTDOWN_FROM.whole_seconds()).then(|| {
        let countdown = format!("{}:{:02}", left / 60, left % 60);
        Line::styled(strings::session_expires_in(&countdown), view.theme.muted())
    })
}
