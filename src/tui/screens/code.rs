//! A one-time code (SMS_MFA, SMS_OTP, EMAIL_OTP, SOFTWARE_TOKEN_MFA): says where the code
//! went or which authenticator to open, takes digits only, and sends the code as soon as
//! the last digit is typed. A wrong code keeps the screen, clears the field and shows the
//! server's sentence. "Resend code" is offered only where Cognito sends codes.
//! The same screen takes the code of a password reset (ForgotPassword).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::auth::{Answer, CodeMedium, CodePrompt, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::{Reaction, ViewContext, restart, status_line};
use crate::tui::strings;
use crate::tui::widgets::TextInput;

/// The widest the screen's text grows.
const WIDTH: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    Resend,
    Restart,
}

/// The keys where the code can be sent again.
const BINDINGS_WITH_RESEND: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SEND,
        action: Action::Submit,
    },
    Binding {
        keys: &[Key::ctrl(KeyCode::Char('r'))],
        does: strings::KEY_RESEND,
        action: Action::Resend,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_START_AGAIN,
        action: Action::Restart,
    },
];

/// The keys where it cannot (authenticator apps; challenges Cognito does not resend).
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

/// The title for a code that came this way.
pub fn title(medium: CodeMedium) -> &'static str {
    match medium {
        CodeMedium::Sms => strings::TITLE_CODE_SMS,
        CodeMedium::Email => strings::TITLE_CODE_EMAIL,
        CodeMedium::Authenticator => strings::TITLE_CODE_AUTHENTICATOR,
    }
}

/// The code screen's state. Debug leaves the digits out.
pub struct Code {
    username: String,
    /// Whether the code is a password reset's rather than a sign-in's.
    reset: bool,
    prompt: CodePrompt,
    digits: TextInput,
    message: Option<String>,
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code")
            .field("prompt", &self.prompt)
            .field("digits", &self.digits)
            .finish_non_exhaustive()
    }
}

impl Code {
    /// The screen for a prompt; `username` is kept for starting again.
    pub fn new(prompt: CodePrompt, username: &str) -> Self {
        Self {
            username: username.to_owned(),
            reset: false,
            digits: TextInput::digits(strings::LABEL_CODE, prompt.length),
            prompt,
            message: None,
        }
    }

    /// The code of a password reset (it can always be sent again: ForgotPassword once more).
    pub fn for_reset(username: &str, prompt: CodePrompt) -> Self {
        Self {
            reset: true,
            ..Self::new(prompt, username)
        }
    }

    /// The title on the border.
    pub fn title(&self) -> &'static str {
        if self.reset {
            strings::TITLE_RESET_CODE
        } else {
            title(self.prompt.medium)
        }
    }

    /// How the code this screen asks for came.
    pub fn medium(&self) -> CodeMedium {
        self.prompt.medium
    }

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.prompt.can_resend {
            BINDINGS_WITH_RESEND
        } else {
            BINDINGS
        }
    }

    /// The footer entries: "resend code" only where a resend is allowed.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(self.bindings())
    }

    /// How many digits have been typed.
    pub fn typed(&self) -> usize {
        self.digits.len()
    }

    /// The message under the code, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A wrong code (or any refusal): clear the digits, show the server's sentence.
    pub fn show_error(&mut self, problem: Problem) {
        self.digits.clear();
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key: digits (others ignored), Backspace, Enter, resend, Esc.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(self.bindings(), key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::Resend) => {
                self.digits.clear();
                self.message = None;
                Reaction::Send(Command::Answer(Answer::ResendCode))
            }
            Some(Action::Restart) => restart(&self.username),
            None => {
                let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
                let editing = digit || matches!(key.code, KeyCode::Backspace);
                if !editing || !self.digits.handle_key(key) {
                    return Reaction::Ignored;
                }
                if digit && self.digits.len() == self.prompt.length {
                    // The last digit sends the code at once.
                    return self.submit();
                }
                Reaction::Changed
            }
        }
    }

    /// Sends the code when it is complete, or says how many digits are needed.
    fn submit(&mut self) -> Reaction {
        if self.digits.len() < self.prompt.length {
            self.message = Some(strings::need_digits(self.prompt.length));
            return Reaction::Changed;
        }
        self.message = None;
        let code = SensitiveString::from(self.digits.value());
        Reaction::Send(Command::Answer(Answer::Code(code)))
    }

    /// Where the code went, or which app to open.
    fn explanation(&self) -> String {
        let destination = self.prompt.destination.as_deref();
        match self.prompt.medium {
            CodeMedium::Authenticator => {
                strings::open_authenticator(self.prompt.device_name.as_deref())
            }
            CodeMedium::Sms => strings::code_sent("by SMS", destination),
            CodeMedium::Email => strings::code_sent("by e-mail", destination),
        }
    }

    /// Draws the explanation, the code as spaced digits with blanks, and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let area = area.centered_horizontally(Constraint::Max(WIDTH));
        let [_, intro, _, field, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Min(1),
        ])
        .areas(area);
        let who = if self.reset {
            strings::resetting_password_of(&self.username)
        } else {
            strings::signing_in_as(&self.username)
        };
        let lines = vec![
            Line::styled(who, theme.muted()),
            Line::raw(self.explanation()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), intro);
        // "1 2 3 _ _ _": one cell per digit and a space between.
        let typed: Vec<char> = self.digits.value().chars().collect();
        let shown: Vec<String> = (0..self.prompt.length)
            .map(|index| typed.get(index).map_or("_".to_owned(), char::to_string))
            .collect();
        let text = shown.join(" ");
        let width = u16::try_from(text.chars().count() + 4).unwrap_or(u16::MAX);
        let field = field.centered_horizontally(Constraint::Length(width.min(field.width)));
        let focused = view.busy.is_none();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused {
                theme.focused_border()
            } else {
                theme.unfocused_border()
            })
            .title(Line::styled(
                format!(" {} ", strings::LABEL_CODE),
                theme.label(),
            ));
        let inner = block.inner(field);
        frame.render_widget(
            Paragraph::new(format!(" {text}"))
                .style(theme.label())
                .block(block),
            field,
        );
        if focused && typed.len() < self.prompt.length && inner.width > 0 {
            let column = u16::try_from(1 + typed.len() * 2).unwrap_or(0);
            frame.set_cursor_position(Position::new(inner.x + column, inner.y));
        }
        frame.render_widget(
            Paragraph::new(status_line(view, self.message.as_deref())).wrap(Wrap { trim: true }),
            status,
        );
    }
}
