//! A QR code painted with half blocks: each terminal cell carries two modules, one above
//! the other. The code paints both colours itself, black modules on a white quiet zone,
//! whatever the theme (even under `NO_COLOR`): phones read dark-on-light only, and a
//! terminal's default colours (light text on dark) would invert it.
//!
//! Glyphs, with the foreground always black and the background always white:
//! `█` both dark, `▀` top dark, `▄` bottom dark, ` ` both light. The shape alone carries
//! the picture, so a terminal that honours only one of the two colours still shows it.
//!
//! The code is as small as the data allows (error correction L, the lowest version that
//! holds it): a screen is not a damaged label, and every module saved is a row or two
//! that an 80x24 terminal does not have.

use qrcode::{EcLevel, QrCode};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use crate::tui::theme::{QR_DARK, QR_LIGHT};

/// Light modules around the code when there is room: ISO/IEC 18004 asks for four.
pub const QUIET_ZONE: u16 = 4;

/// The fewest light modules around the code: phone cameras still find a code with two
/// (the finder patterns carry their own one-module light ring), never with none.
pub const MIN_QUIET_ZONE: u16 = 2;

/// Both halves dark.
pub const FULL: &str = "█";
/// Top half dark.
pub const UPPER: &str = "▀";
/// Bottom half dark.
pub const LOWER: &str = "▄";
/// Both halves light.
pub const EMPTY: &str = " ";

/// The modules of a QR code, without the quiet zone. Debug never shows them: they carry
/// the data (an enrolment secret).
pub struct QrImage {
    /// Modules per side.
    width: u16,
    /// Row by row, `true` for dark.
    dark: Vec<bool>,
}

impl std::fmt::Debug for QrImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrImage")
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

impl QrImage {
    /// Encodes `data` with error correction L at the lowest version that holds it; `None`
    /// when it is too long for any QR version.
    pub fn encode(data: &[u8]) -> Option<Self> {
        let code = QrCode::with_error_correction_level(data, EcLevel::L).ok()?;
        let width = u16::try_from(code.width()).ok()?;
        let dark = code
            .to_colors()
            .into_iter()
            .map(|module| module == qrcode::Color::Dark)
            .collect();
        Some(Self { width, dark })
    }

    /// Modules per side, without the quiet zone (21 for version 1, 4 more per version).
    pub fn modules(&self) -> u16 {
        self.width
    }

    /// Columns needed with a quiet zone of `quiet` modules: one column per module.
    pub fn columns(&self, quiet: u16) -> u16 {
        self.width.saturating_add(quiet.saturating_mul(2))
    }

    /// Rows needed with a quiet zone of `quiet` modules: two modules per row, rounded up.
    pub fn rows(&self, quiet: u16) -> u16 {
        self.columns(quiet).div_ceil(2)
    }

    /// The widest quiet zone, from `QUIET_ZONE` down to `MIN_QUIET_ZONE`, with which the
    /// whole code fits in `area`; `None` when it does not fit even with the narrowest.
    pub fn quiet_zone_in(&self, area: Rect) -> Option<u16> {
        (MIN_QUIET_ZONE..=QUIET_ZONE)
            .rev()
            .find(|&quiet| area.width >= self.columns(quiet) && area.height >= self.rows(quiet))
    }

    /// Whether the whole code, with at least the narrowest quiet zone, fits in `area`.
    pub fn fits(&self, area: Rect) -> bool {
        self.quiet_zone_in(area).is_some()
    }

    /// Whether the module at (x, y) of the code is dark; outside the code is light.
    fn is_dark(&self, x: i32, y: i32) -> bool {
        let side = i32::from(self.width);
        (0..side).contains(&x)
            && (0..side).contains(&y)
            && usize::try_from(y * side + x).is_ok_and(|index| self.dark[index])
    }

    /// Paints the code with the widest quiet zone that fits, at the top of `area` and
    /// centred across it; draws nothing unless it fits whole (a clipped code cannot be
    /// read).
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let Some(quiet) = self.quiet_zone_in(area) else {
            return;
        };
        let (columns, rows) = (self.columns(quiet), self.rows(quiet));
        let left = area.x + (area.width - columns) / 2;
        let top = area.y;
        let buffer = frame.buffer_mut();
        for row in 0..rows {
            for column in 0..columns {
                // Module coordinates of the code itself: the quiet zone is negative or
                // past the end, and light.
                let x = i32::from(column) - i32::from(quiet);
                let y = i32::from(row) * 2 - i32::from(quiet);
                let glyph = match (self.is_dark(x, y), self.is_dark(x, y + 1)) {
                    (true, true) => FULL,
                    (true, false) => UPPER,
                    (false, true) => LOWER,
                    (false, false) => EMPTY,
                };
                if let Some(cell) = buffer.cell_mut(Position::new(left + column, top + row)) {
                    cell.set_symbol(glyph).set_fg(QR_DARK).set_bg(QR_LIGHT);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The QR code as drawn, read back from the cells by a decoder, in either theme.

    use std::sync::Arc;

    use crate::test_support::tui::{decode_qr, draw, step};
    use crate::test_support::{NOW, TOTP_URI, info, sign_in, totp_setup};
    use crate::tui::app::App;
    use crate::tui::theme::Theme;

    #[test]
    fn the_qr_code_reads_back_as_the_exact_otpauth_uri() {
        for theme in [Theme::coloured(), Theme::monochrome()] {
            let mut app = App::new(info(), theme, Arc::new(|| NOW));
            app.update(step(sign_in("alice")));
            app.update(step(totp_setup()));
            assert_eq!(decode_qr(&draw(&app, 120, 40)), [TOTP_URI]);
        }
    }
}
