//! A QR code painted with half blocks: each terminal cell carries two modules, one above
//! the other. The code paints both colours itself, black modules on a white quiet zone,
//! whatever the theme (even under `NO_COLOR`): phones read dark-on-light only, and a
//! terminal's default colours (light text on dark) would invert it.
//!
//! Glyphs, with the foreground always black and the background always white:
//! `█` both dark, `▀` top dark, `▄` bottom dark, ` ` both light. The shape alone carries
//! the picture, so a terminal that honours only one of the two colours still shows it.

use qrcode::{EcLevel, QrCode};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use crate::tui::theme::{QR_DARK, QR_LIGHT};

/// Light modules around the code; ISO/IEC 18004 asks for four.
pub const QUIET_ZONE: usize = 4;

/// Both halves dark.
pub const FULL: &str = "█";
/// Top half dark.
pub const UPPER: &str = "▀";
/// Bottom half dark.
pub const LOWER: &str = "▄";
/// Both halves light.
pub const EMPTY: &str = " ";

/// The modules of a QR code, quiet zone included. Debug never shows them: they carry
/// the data (an enrolment secret).
pub struct QrImage {
    /// Modules per side, quiet zone included.
    side: usize,
    /// Row by row, `true` for dark.
    dark: Vec<bool>,
}

impl std::fmt::Debug for QrImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrImage")
            .field("side", &self.side)
            .finish_non_exhaustive()
    }
}

impl QrImage {
    /// Encodes `data` (error correction M: a screen is not damaged, and M keeps the code
    /// small enough for a 120x40 terminal); `None` when it is too long for any QR version.
    pub fn encode(data: &[u8]) -> Option<Self> {
        let code = QrCode::with_error_correction_level(data, EcLevel::M).ok()?;
        let width = code.width();
        let modules = code.to_colors();
        let side = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; side * side];
        for (index, module) in modules.iter().enumerate() {
            let (x, y) = (index % width, index / width);
            dark[(y + QUIET_ZONE) * side + x + QUIET_ZONE] = *module == qrcode::Color::Dark;
        }
        Some(Self { side, dark })
    }

    /// Columns needed: one per module.
    pub fn columns(&self) -> u16 {
        u16::try_from(self.side).unwrap_or(u16::MAX)
    }

    /// Rows needed: two modules per row, rounded up.
    pub fn rows(&self) -> u16 {
        u16::try_from(self.side.div_ceil(2)).unwrap_or(u16::MAX)
    }

    /// Whether the whole code fits in `area`.
    pub fn fits(&self, area: Rect) -> bool {
        area.width >= self.columns() && area.height >= self.rows()
    }

    /// Whether the module at (x, y) is dark; outside the code is light (quiet zone).
    fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }

    /// Paints the code at the top left of `area`; draws nothing unless it fits whole
    /// (a clipped code cannot be read).
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        if !self.fits(area) {
            return;
        }
        let buffer = frame.buffer_mut();
        for row in 0..self.rows() {
            for column in 0..self.columns() {
                let (x, y) = (usize::from(column), usize::from(row) * 2);
                let glyph = match (self.is_dark(x, y), self.is_dark(x, y + 1)) {
                    (true, true) => FULL,
                    (true, false) => UPPER,
                    (false, true) => LOWER,
                    (false, false) => EMPTY,
                };
                if let Some(cell) = buffer.cell_mut(Position::new(area.x + column, area.y + row)) {
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
