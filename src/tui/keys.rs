//! Key bindings as data: a screen lists the keys it offers once, as `Binding`s, and both
//! its key handling and the footer are built from that list, so they cannot disagree.
//!
//! Every footer speaks the same way: the main key (Enter) first, Esc last; Tab is always
//! "next" and Shift-Tab "previous", q and Ctrl-C always "quit"; keys are named by
//! `Key::name` alone ("Ctrl-F", "Shift-Tab", "↑"), several keys of one binding joined
//! with "/".

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    /// A key pressed alone (Shift is part of the code: `BackTab`, `'Q'`).
    pub const fn plain(code: KeyCode) -> Self {
        Self { code, ctrl: false }
    }

    /// A key pressed with Ctrl.
    pub const fn ctrl(code: KeyCode) -> Self {
        Self { code, ctrl: true }
    }

    /// Whether a pressed key is this one (Ctrl must match; Shift and Alt are ignored,
    /// because terminals report Shift inconsistently with `BackTab` and capitals).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        ctrl == self.ctrl && event.code == self.code
    }

    /// The key's name as the footer shows it: "Enter", "Shift-Tab", "Ctrl-C", "q".
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => other.to_string(),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// Keys that do one thing, and what the footer says about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding<A> {
    pub keys: &'static [Key],
    /// What the keys do, for the footer ("sign in").
    pub does: &'static str,
    pub action: A,
}

impl<A: Copy> Binding<A> {
    /// The action of the first binding whose keys include the pressed key.
    pub fn find(bindings: &[Self], event: &KeyEvent) -> Option<A> {
        bindings
            .iter()
            .find(|binding| binding.keys.iter().any(|key| key.matches(event)))
            .map(|binding| binding.action)
    }

    /// The footer entry: "n/Esc" and "no".
    pub fn hint(&self) -> Hint {
        let keys: Vec<String> = self.keys.iter().map(Key::name).collect();
        Hint {
            keys: keys.join("/"),
            does: self.does,
        }
    }
}

/// One footer entry, built from a binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub does: &'static str,
}

/// The footer entries of a list of bindings, in order.
pub fn hints<A: Copy>(bindings: &[Binding<A>]) -> Vec<Hint> {
    bindings.iter().map(Binding::hint).collect()
}

#[cfg(test)]
mod tests {
    //! Key bindings: a pressed key finds its action (Ctrl matched), and hints name every key.

    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Act {
        Go,
        Stop,
    }

    const BINDINGS: &[Binding<Act>] = &[
        Binding {
            keys: &[Key::plain(KeyCode::Enter), Key::plain(KeyCode::Char('g'))],
            does: "go",
            action: Act::Go,
        },
        Binding {
            keys: &[Key::ctrl(KeyCode::Char('c'))],
            does: "stop",
            action: Act::Stop,
        },
    ];

    #[test]
    fn finds_the_action_of_a_pressed_key_with_ctrl_matching() {
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        let ctrl_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
        assert_eq!(Binding::find(BINDINGS, &enter), Some(Act::Go));
        assert_eq!(Binding::find(BINDINGS, &ctrl_c), Some(Act::Stop));
        assert_eq!(Binding::find(BINDINGS, &c), None);
        assert_eq!(Binding::find(BINDINGS, &ctrl_g), None);
    }

    #[test]
    fn hints_name_every_key_of_a_binding() {
        let hints = hints(BINDINGS);
        assert_eq!(hints[0].keys, "Enter/g");
        assert_eq!(hints[1].keys, "Ctrl-C");
        assert_eq!(Key::plain(KeyCode::BackTab).name(), "Shift-Tab");
    }
}
