//! CUSTOM_CHALLENGE: the public challenge parameters as a labelled list, the round, and
//! one ANSWER field. Rounds follow until tokens or a failure; a round asked again (its
//! answer was not accepted) keeps its number and says why under the field.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::auth::{Answer, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_CUSTOM;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Restart,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SEND,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: Action::Restart,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// The custom challenge screen's state.
pub struct Custom {
    username: String,
    parameters: BTreeMap<String, String>,
    round: u32,
    answer: TextInput,
    message: Option<String>,
}

impl std::fmt::Debug for Custom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parameters are public; the answer may be a secret.
        f.debug_struct("Custom")
            .field("parameters", &self.parameters)
            .field("round", &self.round)
            .finish_non_exhaustive()
    }
}

impl Custom {
    /// The screen for one round; `username` is kept for starting again.
    pub fn new(parameters: BTreeMap<String, String>, round: u32, username: &str) -> Self {
        Self {
            username: username.to_owned(),
            parameters,
            round,
            answer: TextInput::new(strings::LABEL_ANSWER),
            message: None,
        }
    }

    /// The round on show.
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The message under the field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: clear the field, show why.
    pub fn show_error(&mut self, problem: Problem) {
        self.answer.clear();
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Submit) => {
                if self.answer.value().trim().is_empty() {
                    self.message = Some(strings::NEED_ANSWER.to_owned());
                    return Reaction::Changed;
                }
                self.message = None;
                let answer = SensitiveString::from(self.answer.value());
                Reaction::Send(Command::Answer(Answer::Custom(answer)))
            }
            Some(Action::Restart) => restart(&self.username),
            None => type_into(&mut self.answer, key, &mut self.message),
        }
    }

    /// The form: the round, the parameters, the answer field and the status.
    pub fn form(&self, view: &ViewContext<'_>) -> Form<'_> {
        let theme = view.theme;
        let mut intro = vec![Line::styled(
            strings::custom_round(self.round),
            theme.label(),
        )];
        if self.parameters.is_empty() {
            intro.push(Line::styled(strings::NO_PARAMETERS, theme.muted()));
        }
        let width = self
            .parameters
            .keys()
            .map(|name| name.chars().count())
            .max()
            .unwrap_or(0);
        for (name, value) in &self.parameters {
            intro.push(Line::from(vec![
                Span::styled(format!("{name:<width$}  "), theme.muted()),
                Span::raw(value.as_str()),
            ]));
        }
        Form {
            intro,
            inputs: vec![&self.answer],
            focus: 0,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
    }

    /// Draws the round, the parameters, the field and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        self.form(view).render(frame, area, view);
    }
}

#[cfg(test)]
mod tests {
    //! CUSTOM_CHALLENGE's rounds: the parameters shown, an answer needed, then sent.

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, Event, Note, Problem};
    use crate::test_support::custom;
    use crate::test_support::tui::{
        answer, at, key, render, screen, snapshot_both_sizes, step, type_text,
    };
    use crate::tui::app::{Effect, Msg};

    #[test]
    fn custom_rounds_send_the_answer_and_show_the_parameters() {
        let mut app = at(custom(1));
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        type_text(&mut app, "42");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Custom("42".into()))
        );
        app.update(step(custom(2)));
        let drawn = render(&app, 80, 24);
        assert!(drawn.contains("Round 2"), "{drawn}");
        assert!(drawn.contains("What is six times seven?"), "{drawn}");
    }

    #[test]
    fn the_same_round_asked_again_shows_why_and_keeps_its_number() {
        let mut app = at(custom(1));
        type_text(&mut app, "41");
        app.update(key(KeyCode::Enter));
        let why = "That answer was not accepted: the pool asks the same question again (wrong answers to it so far: 1)";
        app.update(Msg::Auth(Event::Step {
            step: custom(1),
            note: Some(Note::Refused(Problem::sentence(why))),
        }));
        assert!(!app.is_busy());
        let screen = screen!(app, Custom);
        assert_eq!(screen.round(), 1);
        assert_eq!(screen.message(), Some(why));
        let drawn = render(&app, 120, 40);
        assert!(
            drawn.contains("Round 1") && !drawn.contains("Round 2"),
            "{drawn}"
        );
        assert!(drawn.contains("That answer was not accepted"), "{drawn}");
        // The field is empty for the next try, and typing clears the stale message.
        type_text(&mut app, "42");
        assert_eq!(screen!(app, Custom).message(), None);
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::Custom("42".into()))
        );
    }

    #[test]
    fn snapshot_custom() {
        let mut app = at(custom(2));
        type_text(&mut app, "4");
        snapshot_both_sizes!("custom", &app);
    }
}
