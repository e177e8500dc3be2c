//! "Remember this device?": Cognito confirmed this machine as a device of the user and
//! leaves remembering it to the person (UserConfirmationNecessary). The answer becomes
//! UpdateDeviceStatus (`remembered` or `not_remembered`); the sign-in has already
//! succeeded, so no key here can lose it: Esc answers "no".

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::list_page::ListPage;
use crate::tui::screens::{Reaction, ViewContext, move_in};
use crate::tui::strings;
use crate::tui::widgets::ChoiceList;
use crate::tui::widgets::choice_list::Choice;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_REMEMBER_DEVICE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Choose,
    Yes,
    No,
    Up,
    Down,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_CHOOSE,
        action: Action::Choose,
    },
    // The list's keys in the order every list names them; Esc, last as everywhere.
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::plain(KeyCode::Char('k'))],
        does: strings::KEY_UP,
        action: Action::Up,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::plain(KeyCode::Char('j'))],
        does: strings::KEY_DOWN,
        action: Action::Down,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Char('y'))],
        does: strings::KEY_YES,
        action: Action::Yes,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Char('n')), Key::plain(KeyCode::Esc)],
        does: strings::KEY_NO,
        action: Action::No,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The question's state: "yes" first, chosen.
#[derive(Debug)]
pub struct RememberDevice {
    device_name: String,
    list: ChoiceList,
    message: Option<String>,
}

impl RememberDevice {
    /// The question for the device Cognito just confirmed, named `device_name`.
    pub fn new(device_name: String) -> Self {
        Self {
            device_name,
            list: ChoiceList::new(2),
            message: None,
        }
    }

    /// Whether "remember" is the entry under the cursor.
    pub fn remember_selected(&self) -> bool {
        self.list.selected() == 0
    }

    /// The error on show, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused UpdateDeviceStatus: stay, say why (the person may answer again).
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        let answer = |remember| Reaction::Send(Command::Answer(Answer::RememberDevice(remember)));
        match Binding::find(BINDINGS, key) {
            Some(Action::Choose) => answer(self.remember_selected()),
            Some(Action::Yes) => answer(true),
            Some(Action::No) => answer(false),
            Some(Action::Up) => move_in(&mut self.list, ChoiceList::up, &mut self.message),
            Some(Action::Down) => move_in(&mut self.list, ChoiceList::down, &mut self.message),
            None => Reaction::Ignored,
        }
    }

    /// The page around the two answers: the device and the question.
    fn page(&self, view: &ViewContext<'_>) -> ListPage<'_> {
        ListPage {
            intro: vec![
                Line::styled(strings::this_device(&self.device_name), view.theme.muted()),
                Line::raw(strings::REMEMBER_DEVICE_INTRO),
            ],
            entries: 2,
            message: self.message.as_deref(),
            notice: None,
        }
    }

    /// The rows the screen needs at `width`.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        self.page(view).rows_needed(width, view)
    }

    /// Draws the explanation, the two answers and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let list = self.page(view).render(frame, area, view);
        let choices = [
            (strings::REMEMBER_YES, "remembered"),
            (strings::REMEMBER_NO, "not_remembered"),
        ]
        .map(|(label, api_name)| Choice {
            label: label.to_owned(),
            api_name: api_name.to_owned(),
            usable: true,
        });
        self.list.render(frame, list, &choices, theme);
    }
}

#[cfg(test)]
mod tests {
    //! "Remember this device?": yes or no by Enter, y, n or the list; Esc says no, so the
    //! sign-in is never lost.

    use crossterm::event::KeyCode;

    use crate::auth::Answer;
    use crate::test_support::remember_device;
    use crate::test_support::tui::{answer, at, key, render, snapshot_both_sizes};

    #[test]
    fn remember_device_answers_yes_or_no_and_esc_never_loses_the_sign_in() {
        let mut app = at(remember_device());
        assert!(render(&app, 120, 40).contains("build-box"));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::RememberDevice(true))
        );
        let mut app = at(remember_device());
        assert_eq!(
            app.update(key(KeyCode::Char('n'))),
            answer(Answer::RememberDevice(false))
        );
        let mut app = at(remember_device());
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::RememberDevice(false))
        );
        let mut app = at(remember_device());
        app.update(key(KeyCode::Down));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::RememberDevice(false))
        );
        let mut app = at(remember_device());
        assert_eq!(
            app.update(key(KeyCode::Char('y'))),
            answer(Answer::RememberDevice(true))
        );
    }

    #[test]
    fn snapshot_remember_device() {
        let app = at(remember_device());
        snapshot_both_sizes!("remember_device", &app);
    }
}
