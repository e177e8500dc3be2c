//! The full-screen `config add`: the same questions as the plain prompts, as one form
//! (each prompt is a field's label, a flag's value is already in its field). Enter on
//! the last field, or Ctrl-S, checks and saves; a refusal (a value to fix, a pool the
//! check could not find) keeps every value and says why, and after a failed check
//! Ctrl-N saves without it. Esc cancels and saves nothing.
//!
//! What a submission does (build the entry, check it, write it) is the caller's: the
//! form only collects, shows the spinner meanwhile, and shows what came back.

use std::io;

use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind};
use futures::StreamExt;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};
use time::OffsetDateTime;

use crate::auth::SessionInfo;
use crate::signals::Signals;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::ViewContext;
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::strings;
use crate::tui::terminal::TerminalGuard;
use crate::tui::theme::Theme;
use crate::tui::widgets::footer::{self, Spacing};
use crate::tui::widgets::{TextInput, header, spinner};

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The prompt, as plain mode asks it.
    pub label: &'static str,
    /// What a flag gave, already in the field.
    pub value: Option<String>,
    /// Whether it must be answered.
    pub required: bool,
}

/// Why a submission was not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What to say, in red, under the fields.
    pub sentence: String,
    /// The field to fix, which gets the focus.
    pub field: Option<usize>,
    /// Whether saving without the check is offered (the check itself failed).
    pub check_failed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    NextOrSubmit,
    Submit,
    NextField,
    PreviousField,
    SaveUnchecked,
    Cancel,
}

const SUBMIT_BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_NEXT_OR_SAVE,
        action: Action::NextOrSubmit,
    },
    Binding {
        keys: &[Key::ctrl(KeyCode::Char('s'))],
        does: strings::KEY_CHECK_AND_SAVE,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab), Key::plain(KeyCode::Down)],
        does: strings::KEY_NEXT,
        action: Action::NextField,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab), Key::plain(KeyCode::Up)],
        does: strings::KEY_PREVIOUS,
        action: Action::PreviousField,
    },
];

/// Offered once a check has failed.
const UNCHECKED_BINDING: Binding<Action> = Binding {
    keys: &[Key::ctrl(KeyCode::Char('n'))],
    does: strings::KEY_SAVE_UNCHECKED,
    action: Action::SaveUnchecked,
};

/// Cancels while the form takes keys; the footer names it.
const ESC_CANCELS: Binding<Action> = Binding {
    keys: &[Key::plain(KeyCode::Esc)],
    does: strings::KEY_CANCEL,
    action: Action::Cancel,
};

/// Cancels at any moment, a submission running included; named while one runs.
const CTRL_C_CANCELS: &[Binding<Action>] = &[Binding {
    keys: &[Key::ctrl(KeyCode::Char('c'))],
    does: strings::KEY_CANCEL,
    action: Action::Cancel,
}];

/// What a key asks of the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    /// Nothing to do.
    None,
    /// Draw again.
    Redraw,
    /// Submit the answers (one per field, trimmed, `None` when empty), with or without
    /// the check.
    Submit {
        answers: Vec<Option<String>>,
        check: bool,
    },
    /// Leave, saving nothing.
    Cancel,
}

/// The form's state.
#[derive(Debug)]
pub struct ConfigForm {
    /// "config add work", for the header.
    info: SessionInfo,
    inputs: Vec<TextInput>,
    required: Vec<bool>,
    focus: usize,
    message: Option<String>,
    check_failed: bool,
    /// The spinner's frame while a submission runs.
    busy: Option<usize>,
}

impl ConfigForm {
    /// The form for `fields`, titled `title` ("Save the pool 'work'").
    pub fn new(title: String, fields: Vec<Field>) -> Self {
        let required = fields.iter().map(|field| field.required).collect();
        let inputs = fields
            .into_iter()
            .map(|field| {
                let input = TextInput::new(field.label);
                match &field.value {
                    Some(value) => input.with_value(value),
                    None => input,
                }
            })
            .collect();
        Self {
            info: SessionInfo {
                title,
                endpoint: strings::CONFIG_FORM_SUBTITLE.to_owned(),
                ..SessionInfo::default()
            },
            inputs,
            required,
            focus: 0,
            message: None,
            check_failed: false,
            busy: None,
        }
    }

    /// The answers as typed: trimmed, `None` when empty.
    pub fn answers(&self) -> Vec<Option<String>> {
        self.inputs
            .iter()
            .map(|input| Some(input.value().trim().to_owned()).filter(|value| !value.is_empty()))
            .collect()
    }

    /// The keys on offer now.
    fn bindings(&self) -> Vec<Binding<Action>> {
        let mut bindings = SUBMIT_BINDINGS.to_vec();
        if self.check_failed {
            bindings.push(UNCHECKED_BINDING);
        }
        bindings.push(ESC_CANCELS);
        bindings
    }

    /// The footer's entries.
    pub fn hints(&self) -> Vec<Hint> {
        if self.busy.is_some() {
            return keys::hints(CTRL_C_CANCELS);
        }
        keys::hints(&self.bindings())
    }

    /// Handles a key; while a submission runs only Ctrl-C (cancel) is taken.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormAction {
        if self.busy.is_some() {
            return match Binding::find(CTRL_C_CANCELS, key) {
                Some(_) => FormAction::Cancel,
                None => FormAction::None,
            };
        }
        let bindings = self.bindings();
        let action = Binding::find(&bindings, key).or_else(|| Binding::find(CTRL_C_CANCELS, key));
        match action {
            Some(Action::NextOrSubmit) if self.focus + 1 < self.inputs.len() => {
                self.focus += 1;
                FormAction::Redraw
            }
            Some(Action::NextOrSubmit | Action::Submit) => self.submit(true),
            Some(Action::SaveUnchecked) => self.submit(false),
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % self.inputs.len();
                FormAction::Redraw
            }
            Some(Action::PreviousField) => {
                self.focus = (self.focus + self.inputs.len() - 1) % self.inputs.len();
                FormAction::Redraw
            }
            Some(Action::Cancel) => FormAction::Cancel,
            None => match self.inputs[self.focus].edit(key) {
                Some(true) => {
                    self.message = None;
                    FormAction::Redraw
                }
                Some(false) => FormAction::Redraw,
                None => FormAction::None,
            },
        }
    }

    /// The answers, unless a required field is empty: then that field is said and
    /// focused, and nothing is submitted.
    fn submit(&mut self, check: bool) -> FormAction {
        let answers = self.answers();
        let missing = answers
            .iter()
            .zip(&self.required)
            .position(|(answer, required)| *required && answer.is_none());
        if let Some(field) = missing {
            self.focus = field;
            self.message = Some(strings::needed(self.inputs[field].label()));
            return FormAction::Redraw;
        }
        self.busy = Some(0);
        FormAction::Submit { answers, check }
    }

    /// A submission was refused: said, every value kept.
    pub fn refused(&mut self, refusal: Refusal) {
        self.busy = None;
        if let Some(field) = refusal.field.filter(|field| *field < self.inputs.len()) {
            self.focus = field;
        }
        self.check_failed = refusal.check_failed;
        self.message = Some(refusal.sentence);
    }

    /// The spinner's next frame, while a submission runs.
    pub fn tick(&mut self) {
        if let Some(tick) = &mut self.busy {
            *tick = tick.wrapping_add(1);
        }
    }

    /// Draws the header, the form in its box and the footer.
    pub fn view(&self, frame: &mut Frame, now: OffsetDateTime) {
        let area = frame.area();
        let theme = Theme::from_env();
        let hints = self.hints();
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(header::rows(&self.info, area.width)),
            Constraint::Fill(1),
            Constraint::Length(footer::rows(&hints, area.width, Spacing::Roomy)),
        ])
        .areas(area);
        header::render(frame, head, &self.info, theme);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.body_border())
            .title(Line::styled(
                format!(" {} ", strings::TITLE_CONFIG_ADD),
                theme.title(),
            ));
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let view = ViewContext {
            info: &self.info,
            theme,
            now,
            busy: self.busy.map(spinner::frame),
            progress: Some(strings::CHECKING_POOL),
            terminal: area,
            save_offer: None,
        };
        Form {
            intro: vec![Line::from(strings::CONFIG_FORM_INTRO)],
            inputs: self.inputs.iter().collect(),
            focus: self.focus,
            message: self.message.as_deref(),
            max_width: FORM_WIDTH,
        }
        .render(frame, inner, &view);
        footer::render(frame, foot, &hints, theme, Spacing::Roomy);
    }
}

/// Runs the form on the terminal until a submission is saved (its value) or the person
/// cancels (`None`). `submit` gets the answers and whether to check; the terminal is
/// restored on every way out.
pub async fn run<T>(
    form: ConfigForm,
    mut submit: impl AsyncFnMut(Vec<Option<String>>, bool) -> Result<T, Refusal>,
) -> io::Result<Option<T>> {
    let mut form = form;
    let mut signals = Signals::listen()?;
    let mut guard = TerminalGuard::enter()?;
    let mut keys = EventStream::new();
    let outcome = async {
        loop {
            draw(&mut guard, &form)?;
            let action = tokio::select! {
                () = signals.received() => return Ok(None),
                key = keys.next() => match key {
                    Some(Ok(TermEvent::Key(key))) if key.kind == KeyEventKind::Press => {
                        form.handle_key(&key)
                    }
                    Some(Ok(_)) => FormAction::Redraw,
                    Some(Err(error)) => return Err(error),
                    None => return Ok(None),
                },
            };
            let (answers, check) = match action {
                FormAction::None | FormAction::Redraw => continue,
                FormAction::Cancel => return Ok(None),
                FormAction::Submit { answers, check } => (answers, check),
            };
            draw(&mut guard, &form)?;
            let submission = submit(answers, check);
            tokio::pin!(submission);
            let mut ticker = tokio::time::interval(spinner::FRAME_TIME);
            let answered = loop {
                tokio::select! {
                    answered = &mut submission => break answered,
                    () = signals.received() => return Ok(None),
                    _ = ticker.tick() => {
                        form.tick();
                        draw(&mut guard, &form)?;
                    }
                    key = keys.next() => match key {
                        Some(Ok(TermEvent::Key(key))) if key.kind == KeyEventKind::Press => {
                            if form.handle_key(&key) == FormAction::Cancel {
                                return Ok(None);
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(error)) => return Err(error),
                        None => return Ok(None),
                    },
                }
            };
            match answered {
                Ok(saved) => return Ok(Some(saved)),
                Err(refusal) => form.refused(refusal),
            }
        }
    }
    .await;
    let left = guard.leave();
    let outcome = outcome?;
    left?;
    Ok(outcome)
}

/// Draws one frame.
fn draw(guard: &mut TerminalGuard, form: &ConfigForm) -> io::Result<()> {
    let now = OffsetDateTime::now_utc();
    guard
        .terminal()
        .draw(|frame| form.view(frame, now))
        .map(|_| ())
        .map_err(|error| io::Error::other(error.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The form: flags' values already in their fields, Enter walks to the last field and
    //! submits, a missing required value is said without a submission, a refusal keeps
    //! every value and a failed check offers Ctrl-N, Esc cancels.

    use crossterm::event::KeyModifiers;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn form() -> ConfigForm {
        ConfigForm::new(
            "config add work".into(),
            vec![
                Field {
                    label: "User pool id",
                    value: Some("us-east-1_AbC".into()),
                    required: true,
                },
                Field {
                    label: "App client id",
                    value: None,
                    required: true,
                },
                Field {
                    label: "Username to pre-fill (Enter for none)",
                    value: None,
                    required: false,
                },
            ],
        )
    }

    fn drawn(form: &ConfigForm) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| form.view(frame, OffsetDateTime::UNIX_EPOCH))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn enter_walks_the_fields_and_a_missing_value_is_said_without_a_submission() {
        let mut form = form();
        let shown = drawn(&form);
        assert!(shown.contains("us-east-1_AbC"), "{shown}");
        assert!(shown.contains("App client id"), "{shown}");
        assert!(shown.contains("Esc  cancel"), "{shown}");
        assert_eq!(form.handle_key(&press(KeyCode::Enter)), FormAction::Redraw);
        assert_eq!(form.handle_key(&press(KeyCode::Enter)), FormAction::Redraw);
        // On the last field Enter submits; the client id is missing, so it is asked for.
        assert_eq!(form.handle_key(&press(KeyCode::Enter)), FormAction::Redraw);
        assert_eq!(form.focus, 1);
        assert!(drawn(&form).contains("App client id is needed."));
        for c in "client1".chars() {
            form.handle_key(&press(KeyCode::Char(c)));
        }
        assert_eq!(
            form.handle_key(&ctrl('s')),
            FormAction::Submit {
                answers: vec![Some("us-east-1_AbC".into()), Some("client1".into()), None],
                check: true,
            }
        );
        // While it runs, only Ctrl-C is taken.
        assert_eq!(form.handle_key(&press(KeyCode::Esc)), FormAction::None);
        assert!(drawn(&form).contains("Checking the pool"));
        assert_eq!(form.handle_key(&ctrl('c')), FormAction::Cancel);
    }

    #[test]
    fn a_refused_check_keeps_the_values_and_offers_saving_without_it() {
        let mut form = form();
        form.handle_key(&press(KeyCode::Tab));
        for c in "client1".chars() {
            form.handle_key(&press(KeyCode::Char(c)));
        }
        assert!(matches!(
            form.handle_key(&ctrl('s')),
            FormAction::Submit { check: true, .. }
        ));
        form.refused(Refusal {
            sentence: "there is no such pool or app client".into(),
            field: Some(0),
            check_failed: true,
        });
        let shown = drawn(&form);
        assert!(shown.contains("there is no such pool"), "{shown}");
        assert!(shown.contains("client1"), "{shown}");
        assert!(shown.contains("Ctrl-N  save unchecked"), "{shown}");
        assert_eq!(form.focus, 0);
        assert!(matches!(
            form.handle_key(&ctrl('n')),
            FormAction::Submit { check: false, .. }
        ));
        form.refused(Refusal {
            sentence: "could not write the file".into(),
            field: None,
            check_failed: false,
        });
        assert!(!drawn(&form).contains("Ctrl-N"));
        assert_eq!(form.handle_key(&press(KeyCode::Esc)), FormAction::Cancel);
    }
}
