//! The sign-in cannot go on: show the problem's sentence, offer to start again or quit.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::auth::{Command, Outcome, Problem};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::rows_of;
use crate::tui::screens::{Reaction, ViewContext, body_width};
use crate::tui::strings;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_FAILED;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Restart,
    Quit,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::plain(KeyCode::Esc)],
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

/// The failure screen's state.
#[derive(Debug)]
pub struct Failed {
    problem: Problem,
    username: String,
}

impl Failed {
    /// The screen for a problem; `username` is kept for starting again.
    pub fn new(problem: Problem, username: &str) -> Self {
        Self {
            problem,
            username: username.to_owned(),
        }
    }

    /// Why the sign-in cannot go on.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Restart) => Reaction::Send(Command::Restart {
                username: self.username.clone(),
            }),
            Some(Action::Quit) => Reaction::Finish(Outcome::Failed(self.problem.clone())),
            None => Reaction::Ignored,
        }
    }

    /// The problem's sentence and what can be done.
    fn lines(&self, view: &ViewContext<'_>) -> Vec<Line<'_>> {
        vec![
            Line::styled(self.problem.sentence.as_str(), view.theme.error()),
            Line::default(),
            Line::styled(strings::FAILED_HINT, view.theme.muted()),
        ]
    }

    /// The rows the screen needs at `width`: a margin and the sentences wrapped.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        1 + rows_of(self.lines(view), body_width(width), true)
    }

    /// Draws the problem and what can be done.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let [_, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let body = body.centered_horizontally(Constraint::Max(body_width(area.width)));
        frame.render_widget(
            Paragraph::new(self.lines(view)).wrap(Wrap { trim: true }),
            body,
        );
    }
}

#[cfg(test)]
mod tests {
    //! The screen of a sign-in that cannot go on: Enter or Esc starts again, q gives up.

    use crossterm::event::KeyCode;

    use crate::auth::{Command, Outcome, Problem, Step};
    use crate::test_support::tui::{app, key, snapshot_both_sizes, step};
    use crate::test_support::{sign_in, unsupported};
    use crate::tui::app::Effect;

    #[test]
    fn failed_offers_restart_on_enter_and_esc_and_fails_on_q() {
        let mut app = app();
        app.update(step(sign_in("bob")));
        let problem = Problem::sentence("Too many attempts. Wait a few minutes and try again.");
        app.update(step(Step::Failed {
            problem: problem.clone(),
        }));
        let restart = Effect::Send(Command::Restart {
            username: "bob".into(),
        });
        assert_eq!(app.update(key(KeyCode::Enter)), restart);
        app.update(step(Step::Failed {
            problem: problem.clone(),
        }));
        assert_eq!(app.update(key(KeyCode::Esc)), restart);
        app.update(step(Step::Failed {
            problem: problem.clone(),
        }));
        assert_eq!(
            app.update(key(KeyCode::Char('q'))),
            Effect::Finish(Outcome::Failed(problem))
        );
    }

    #[test]
    fn snapshot_failed() {
        let mut app = app();
        app.update(step(sign_in("alice")));
        app.update(step(Step::Failed {
            problem: Problem::sentence(
                "The user pool us-east-1_Demo0001 does not exist. Check --user-pool-id and the region.",
            ),
        }));
        snapshot_both_sizes!("failed", &app);
    }

    #[test]
    fn esc_on_an_unsupported_challenge_restarts_with_the_same_username_and_q_fails() {
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
}
