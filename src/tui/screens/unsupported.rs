//! Cognito asked for a challenge this version cannot answer: say which, and offer to
//! start again (another way in, perhaps) or to quit.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::auth::{Command, Outcome, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::{Reaction, ViewContext};
use crate::tui::strings;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_UNSUPPORTED;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Restart,
    Quit,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: Action::Restart,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Char('q'))],
        does: strings::KEY_QUIT,
        action: Action::Quit,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The unsupported-challenge screen's state.
#[derive(Debug)]
pub struct Unsupported {
    challenge: String,
    username: String,
}

impl Unsupported {
    /// The screen for a challenge name; `username` is kept for starting again.
    pub fn new(challenge: String, username: &str) -> Self {
        Self {
            challenge,
            username: username.to_owned(),
        }
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Restart) => Reaction::Send(Command::Restart {
                username: self.username.clone(),
            }),
            Some(Action::Quit) => Reaction::Finish(Outcome::Failed(Problem::sentence(
                strings::unsupported(&self.challenge),
            ))),
            None => Reaction::Ignored,
        }
    }

    /// Draws the sentence and what can be done.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let [_, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let body = body.centered_horizontally(Constraint::Max(area.width.saturating_sub(4)));
        let lines = vec![
            Line::styled(strings::unsupported(&self.challenge), theme.warning()),
            Line::default(),
            Line::styled(strings::UNSUPPORTED_HINT, theme.muted()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
    }
}

#[cfg(test)]
mod tests {
    //! The screen of a challenge this console cannot answer: Esc starts again, q gives up.

    use crossterm::event::KeyCode;

    use crate::auth::{Command, Outcome, Problem};
    use crate::test_support::tui::{app, key, snapshot_both_sizes, step};
    use crate::test_support::{sign_in, unsupported};
    use crate::tui::app::Effect;

    #[test]
    fn esc_on_unsupported_restarts_with_the_same_username_and_q_fails() {
        let mut app = app();
        app.update(step(sign_in("alice")));
        app.update(step(unsupported()));
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(Command::Restart {
                username: "alice".into()
            })
        );
        app.update(step(unsupported()));
        assert_eq!(
            app.update(key(KeyCode::Char('q'))),
            Effect::Finish(Outcome::Failed(Problem::sentence(
                "This challenge is not supported yet: CUSTOM_CHALLENGE"
            )))
        );
    }

    #[test]
    fn snapshot_unsupported() {
        let mut app = app();
        app.update(step(sign_in("alice")));
        app.update(step(unsupported()));
        snapshot_both_sizes!("unsupported", &app);
    }
}
