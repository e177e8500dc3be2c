//! Every colour and text attribute the terminal front end uses, in one place.
//! With `NO_COLOR` set (https://no-color.org) no colour is used, only modifiers
//! (bold, dim, reversed), so every state stays visible on a monochrome terminal.

use ratatui::style::{Color, Modifier, Style};

/// The styles of every part of the screen; built once from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    colour: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self { colour: !no_color }
    }

    /// A theme with colours.
    pub const fn coloured() -> Self {
        Self { colour: true }
    }

    /// A theme with modifiers only (what `NO_COLOR` gives).
    pub const fn monochrome() -> Self {
        Self { colour: false }
    }

    fn pick(self, coloured: Style, monochrome: Style) -> Style {
        if self.colour { coloured } else { monochrome }
    }

    /// The application's name in the header.
    pub fn app_name(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The pool / client title in the header.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text: the endpoint, notes, hints.
    pub fn muted(self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Field labels.
    pub fn label(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The border of the field that has the focus.
    pub fn focused_border(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The border of a field without the focus.
    pub fn unfocused_border(self) -> Style {
        self.muted()
    }

    /// The border of the screen's body.
    pub fn body_border(self) -> Style {
        Style::new()
    }

    /// A refused answer or a failure.
    pub fn error(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    /// Good news: signed in.
    pub fn success(self) -> Style {
        self.pick(
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Something the person should notice but that is not an error.
    pub fn warning(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The spinner and its words.
    pub fn spinner(self) -> Style {
        self.pick(Style::new().fg(Color::Yellow), Style::new())
    }

    /// A key's name in the footer.
    pub fn key(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// What a key does, in the footer.
    pub fn key_action(self) -> Style {
        Style::new()
    }

    /// The chosen entry of a list.
    pub fn selected(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// The QR code's dark and light modules. Always explicit black on white, even under
    /// `NO_COLOR`: a phone's camera reads only dark modules on a light background, and a
    /// terminal's own colours (often light text on dark) would invert the code.
    pub const fn qr() -> Style {
        Style::new().fg(QR_DARK).bg(QR_LIGHT)
    }
}

/// The colour of a QR code's dark modules.
pub const QR_DARK: Color = Color::Black;
/// The colour of a QR code's light modules and quiet zone.
pub const QR_LIGHT: Color = Color::White;

#[cfg(test)]
mod tests {
    //! The two themes: monochrome uses no colour at all, coloured shows errors in red.

    use super::*;

    #[test]
    fn monochrome_theme_uses_no_colour_at_all() {
        let theme = Theme::monochrome();
        let styles = [
            theme.app_name(),
            theme.title(),
            theme.muted(),
            theme.label(),
            theme.focused_border(),
            theme.unfocused_border(),
            theme.body_border(),
            theme.error(),
            theme.success(),
            theme.warning(),
            theme.spinner(),
            theme.key(),
            theme.key_action(),
            theme.selected(),
        ];
        for style in styles {
            assert_eq!(style.fg, None, "{style:?}");
            assert_eq!(style.bg, None, "{style:?}");
        }
        // Errors still stand out without colour.
        assert!(theme.error().add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn coloured_theme_shows_errors_in_red() {
        assert_eq!(Theme::coloured().error().fg, Some(Color::Red));
    }
}
