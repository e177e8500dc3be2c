//! A one-line text input with a cursor, optionally masked for passwords. Its text is
//! wiped from memory when it is cleared or dropped, and its Debug never shows a masked value.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use zeroize::Zeroizing;

use crate::tui::theme::Theme;

/// The character drawn for each character of a masked value.
const MASK: char = '•';

/// A one-line text input. `masked` inputs draw one `•` per character.
pub struct TextInput {
    label: Cow<'static, str>,
    value: Zeroizing<String>,
    /// The cursor, as a count of characters from the start.
    cursor: usize,
    masked: bool,
    /// `Some(n)`: only ASCII digits are typed, at most `n` of them (one-time codes).
    digits: Option<usize>,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Masked values and one-time codes never reach a Debug print.
        let value: &str = if self.masked || self.digits.is_some() {
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
    pub fn new(label: impl Into<Cow<'static, str>>) -> Self {
        Self {
            label: label.into(),
            value: Zeroizing::new(String::new()),
            cursor: 0,
            masked: false,
            digits: None,
        }
    }

    /// An input for a one-time code: digits only, at most `length` of them; other
    /// characters are refused (not consumed).
    pub fn digits(label: impl Into<Cow<'static, str>>, length: usize) -> Self {
        Self {
            digits: Some(length),
            ..Self::new(label)
        }
    }

    /// The field's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// An input that draws a mask instead of its characters (passwords).
    pub fn masked(label: impl Into<Cow<'static, str>>) -> Self {
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

    /// Whether typing `c` is allowed now (digit fields take digits up to their length).
    fn accepts(&self, c: char) -> bool {
        match self.digits {
            Some(length) => c.is_ascii_digit() && self.len() < length,
            None => true,
        }
    }

    /// How many characters have been typed.
    pub fn len(&self) -> usize {
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
            KeyCode::Char(c) if !ctrl && !alt && !self.accepts(c) => return false,
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

    /// Handles a key as `handle_key` does, and says what it did: `None` for a key the
    /// input does not take, `Some(true)` when the text changed (typed, erased),
    /// `Some(false)` when only the cursor moved or nothing was left to erase. Every edit
    /// adds or removes characters, so the length tells.
    pub fn edit(&mut self, key: &KeyEvent) -> Option<bool> {
        let before = self.len();
        self.handle_key(key).then(|| self.len() != before)
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
        self.render_value(frame, block, area, focused);
    }

    /// The shown text for a width, and the cursor's column in it.
    fn shown(&self, width: u16) -> (String, u16) {
        let width = usize::from(width).max(1);
        // Scroll so that the cursor stays visible: first shown character = cursor - (width - 1).
        let first = self.cursor.saturating_sub(width - 1);
        let shown: String = if self.masked {
            std::iter::repeat_n(MASK, self.len().saturating_sub(first).min(width)).collect()
        } else {
            self.value.chars().skip(first).take(width).collect()
        };
        (shown, u16::try_from(self.cursor - first).unwrap_or(0))
    }

    fn render_value(&self, frame: &mut Frame, block: Block<'_>, area: Rect, focused: bool) {
        let inner = block.inner(area);
        let (shown, column) = self.shown(inner.width);
        frame.render_widget(Paragraph::new(shown).block(block), area);
        if focused && inner.width > 0 && inner.height > 0 {
            frame.set_cursor_position(Position::new(inner.x + column, inner.y));
        }
    }

    /// Draws the input on one row, "Label: value", for screens with many fields and
    /// few rows; `label_width` aligns the values of a stack of fields.
    pub fn render_compact(
        &self,
        frame: &mut Frame,
        area: Rect,
        label_width: u16,
        focused: bool,
        theme: Theme,
    ) {
        let label_style = if focused {
            theme.focused_border().add_modifier(Modifier::BOLD)
        } else {
            theme.label()
        };
        let marker = if focused { "› " } else { "  " };
        let label = format!("{marker}{}:", self.label);
        let label_columns = label_width.saturating_add(4).min(area.width);
        frame.render_widget(
            Paragraph::new(Line::styled(label, label_style)),
            Rect {
                width: label_columns,
                ..area
            },
        );
        let value_area = Rect {
            x: area.x + label_columns,
            width: area.width.saturating_sub(label_columns),
            ..area
        };
        let (shown, column) = self.shown(value_area.width);
        frame.render_widget(Paragraph::new(shown), value_area);
        if focused && value_area.width > 0 && value_area.height > 0 {
            frame.set_cursor_position(Position::new(value_area.x + column, value_area.y));
        }
    }
}

/// Draws a stack of fields in `area`: boxed (3 rows each) when they all fit, else one
/// row each. `focus` is the index of the field with the focus, if any.
pub fn render_stack(
    frame: &mut Frame,
    area: Rect,
    inputs: &[&TextInput],
    focus: Option<usize>,
    theme: Theme,
) {
    let boxed = usize::from(area.height) >= inputs.len() * 3;
    let row_height = if boxed { 3 } else { 1 };
    let label_width = inputs
        .iter()
        .map(|input| u16::try_from(input.label.chars().count()).unwrap_or(u16::MAX))
        .max()
        .unwrap_or(0);
    for (index, input) in inputs.iter().enumerate() {
        let offset = u16::try_from(index)
            .unwrap_or(u16::MAX)
            .saturating_mul(row_height);
        if offset.saturating_add(row_height) > area.height {
            break;
        }
        let row = Rect {
            y: area.y + offset,
            height: row_height,
            ..area
        };
        let focused = focus == Some(index);
        if boxed {
            input.render(frame, row, focused, theme);
        } else {
            input.render_compact(frame, row, label_width, focused, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    //! The text input: typing, editing and the cursor by characters, digit-only fields,
    //! keys left to the screen, and a masked value kept out of Debug.

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
    fn an_edit_says_whether_the_text_changed_or_only_the_cursor_moved() {
        let mut input = TextInput::new("x");
        assert_eq!(input.edit(&key(KeyCode::Backspace)), Some(false));
        assert_eq!(input.edit(&key(KeyCode::Char('a'))), Some(true));
        assert_eq!(input.edit(&key(KeyCode::Left)), Some(false));
        assert_eq!(input.edit(&key(KeyCode::Delete)), Some(true));
        assert_eq!(input.edit(&key(KeyCode::Enter)), None);
        let mut digits = TextInput::digits("code", 6);
        assert_eq!(digits.edit(&key(KeyCode::Char('x'))), None);
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
    fn a_digit_field_takes_only_digits_up_to_its_length() {
        let mut input = TextInput::digits("Code", 3);
        assert!(!input.handle_key(&key(KeyCode::Char('a'))));
        type_text(&mut input, "123");
        assert!(!input.handle_key(&key(KeyCode::Char('4'))));
        assert_eq!(input.value(), "123");
    }

    #[test]
    fn debug_of_a_masked_input_hides_the_value() {
        let input = TextInput::masked("Password").with_value("hunter2");
        assert!(!format!("{input:?}").contains("hunter2"));
        let visible = TextInput::new("Username").with_value("alice");
        assert!(format!("{visible:?}").contains("alice"));
    }
}
