//! A one-line text input with a cursor, optionally masked for passwords. Its text is
//! wiped from memory when it is cleared or dropped, and its Debug never shows a masked value.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use zeroize::Zeroizing;

use crate::tui::theme::Theme;

/// The character drawn for each character of a masked value.
const MASK: char = '•';

/// A one-line text input. `masked` inputs draw one `•` per character.
pub struct TextInput {
    label: &'static str,
    value: Zeroizing<String>,
    /// The cursor, as a count of characters from the start.
    cursor: usize,
    masked: bool,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value: &str = if self.masked {
            "<redacted>"
        } else {
            &self.value
        };
        f.debug_struct("TextInput")
            .field("label", &self.label)
            .field("value", &value)
            .field("cursor", &self.cursor)
            .finish()
    }
}

impl TextInput {
    /// A visible input.
    pub fn new(label: &'static str) -> Self {
        Self {
            label,
            value: Zeroizing::new(String::new()),
            cursor: 0,
            masked: false,
        }
    }

    /// An input that draws a mask instead of its characters (passwords).
    pub fn masked(label: &'static str) -> Self {
        Self {
            masked: true,
            ..Self::new(label)
        }
    }

    /// Replaces the text; the cursor goes to its end.
    pub fn with_value(mut self, value: &str) -> Self {
        self.set_value(value);
        self
    }

    /// Replaces the text; the cursor goes to its end.
    pub fn set_value(&mut self, value: &str) {
        self.value = Zeroizing::new(value.to_owned());
        self.cursor = self.len();
    }

    /// The text typed so far.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether nothing has been typed.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Empties the input (the old text is wiped).
    pub fn clear(&mut self) {
        self.value = Zeroizing::new(String::new());
        self.cursor = 0;
    }

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// The byte offset of the character at `index` (or the end).
    fn byte_at(&self, index: usize) -> usize {
        self.value
            .char_indices()
            .nth(index)
            .map_or(self.value.len(), |(byte, _)| byte)
    }

    /// Edits the text for a typing key; `true` when the key was one (consumed).
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                // Deletes everything before the cursor, as shells do.
                let end = self.byte_at(self.cursor);
                let rest = self.value[end..].to_owned();
                self.value = Zeroizing::new(rest);
                self.cursor = 0;
            }
            KeyCode::Char(c) if !ctrl && !alt => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < self.len() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// Draws the input in a bordered box (3 rows high) titled with its label; with the
    /// focus, the border stands out and the terminal's cursor is placed in the text.
    pub fn render(&self, frame: &mut Frame, area: Rect, focused: bool, theme: Theme) {
        let border = if focused {
            theme.focused_border()
        } else {
            theme.unfocused_border()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(border)
            .title(Line::styled(format!(" {} ", self.label), theme.label()));
        let inner = block.inner(area);
        let width = usize::from(inner.width).max(1);
        // Scroll so that the cursor stays visible: first shown character = cursor - (width - 1).
        let first = self.cursor.saturating_sub(width - 1);
        let shown: String = if self.masked {
            std::iter::repeat_n(MASK, self.len().saturating_sub(first).min(width)).collect()
        } else {
            self.value.chars().skip(first).take(width).collect()
        };
        frame.render_widget(Paragraph::new(shown).block(block), area);
        if focused && inner.width > 0 && inner.height > 0 {
            let column = u16::try_from(self.cursor - first).unwrap_or(0);
            frame.set_cursor_position(Position::new(inner.x + column, inner.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            assert!(input.handle_key(&key(KeyCode::Char(c))));
        }
    }

    #[test]
    fn types_edits_and_moves_the_cursor_by_characters() {
        let mut input = TextInput::new("x");
        type_text(&mut input, "héllo");
        input.handle_key(&key(KeyCode::Left));
        input.handle_key(&key(KeyCode::Backspace));
        assert_eq!(input.value(), "hélo");
        input.handle_key(&key(KeyCode::Home));
        input.handle_key(&key(KeyCode::Delete));
        assert_eq!(input.value(), "élo");
        input.handle_key(&key(KeyCode::End));
        type_text(&mut input, "!");
        assert_eq!(input.value(), "élo!");
        input.handle_key(&key(KeyCode::Left));
        input.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(input.value(), "!");
    }

    #[test]
    fn leaves_non_typing_keys_to_the_screen() {
        let mut input = TextInput::new("x");
        assert!(!input.handle_key(&key(KeyCode::Enter)));
        assert!(!input.handle_key(&key(KeyCode::Tab)));
        assert!(!input.handle_key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(input.is_empty());
    }

    #[test]
    fn debug_of_a_masked_input_hides_the_value() {
        let input = TextInput::masked("Password").with_value("hunter2");
        assert!(!format!("{input:?}").contains("hunter2"));
        let visible = TextInput::new("Username").with_value("alice");
        assert!(format!("{visible:?}").contains("alice"));
    }
}
