//! MFA_SETUP for an authenticator app: a QR code of the otpauth URI, the secret in groups
//! of four and the URI beside it, then the first code and an optional device name. The
//! code's sixth digit sends it, with the name typed so far (Tab reaches the name first).
//! When the terminal is too small for the whole QR code, the secret and URI are shown as
//! text alone, with a note that a larger terminal shows the code. The secret and the URI
//! are only ever drawn on screen: never in a Debug print.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::auth::{Answer, CodeLength, Command, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::{Reaction, ViewContext, form, restart, type_into};
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::widgets::TextInput;
use crate::tui::widgets::qr::QrImage;

/// The screen's title.
pub const TITLE: &str = strings::TITLE_TOTP_SETUP;

/// The narrowest column beside the QR code for the text and the fields.
const SIDE_MIN_WIDTH: u16 = 36;

/// Columns between the QR code and the text.
const GAP: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit,
    SwitchField,
    Restart,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_SEND,
        action: Action::Submit,
    },
    // Two fields: the next one and the previous one are the same, but the keys are
    // named as on every form.
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        does: strings::KEY_NEXT,
        action: Action::SwitchField,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        does: strings::KEY_PREVIOUS,
        action: Action::SwitchField,
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

/// Which field has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Code,
    DeviceName,
}

/// "JBSW Y3DP EHPK 3PXP": the secret in groups of four, easier to type.
pub fn group_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The enrolment screen's state.
pub struct TotpSetup {
    username: String,
    issuer: String,
    secret: SensitiveString,
    uri: SensitiveString,
    /// The URI's QR code, made once; `None` if the URI is too long for any QR version.
    qr: Option<QrImage>,
    /// Digits of the authenticator's codes, as the step says.
    code_length: CodeLength,
    code: TextInput,
    device_name: TextInput,
    focus: Field,
    message: Option<String>,
}

impl std::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpSetup")
            .field("username", &self.username)
            .field("issuer", &self.issuer)
            .field("secret", &self.secret)
            .field("uri", &self.uri)
            .field("focus", &self.focus)
            .finish_non_exhaustive()
    }
}

impl TotpSetup {
    /// The screen for an AssociateSoftwareToken secret and its otpauth URI.
    pub fn new(
        username: String,
        issuer: String,
        secret: SensitiveString,
        uri: SensitiveString,
        code_length: CodeLength,
    ) -> Self {
        let qr = QrImage::encode(uri.expose().as_bytes());
        Self {
            username,
            issuer,
            secret,
            uri,
            qr,
            code_length,
            code: TextInput::digits(strings::LABEL_FIRST_CODE, code_length.max()),
            device_name: TextInput::new(strings::LABEL_DEVICE_NAME),
            focus: Field::Code,
            message: None,
        }
    }

    /// Which field has the focus.
    pub fn focus(&self) -> Field {
        self.focus
    }

    /// The device name typed so far.
    pub fn device_name(&self) -> &str {
        self.device_name.value()
    }

    /// How many digits of the code have been typed.
    pub fn code_typed(&self) -> usize {
        self.code.len()
    }

    /// The message under the form, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused code: clear it (keep the device name), focus it, show why.
    pub fn show_error(&mut self, problem: Problem) {
        self.code.clear();
        self.focus = Field::Code;
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::SwitchField) => {
                self.focus = match self.focus {
                    Field::Code => Field::DeviceName,
                    Field::DeviceName => Field::Code,
                };
                Reaction::Changed
            }
            Some(Action::Restart) => restart(&self.username),
            None => {
                let input = match self.focus {
                    Field::Code => &mut self.code,
                    Field::DeviceName => &mut self.device_name,
                };
                if type_into(input, key, &mut self.message) == Reaction::Ignored {
                    return Reaction::Ignored;
                }
                let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
                if self.focus == Field::Code
                    && digit
                    && self.code_length.completed_by(self.code.len())
                {
                    // The code's last digit sends it, with the name typed so far.
                    return self.submit();
                }
                Reaction::Changed
            }
        }
    }

    /// Enter: the code must be complete; an empty device name is sent as none.
    fn submit(&mut self) -> Reaction {
        if !self.code_length.accepts(self.code.len()) {
            self.focus = Field::Code;
            self.message = Some(strings::need_digits(self.code_length));
            return Reaction::Changed;
        }
        self.message = None;
        let name = self.device_name.value().trim();
        Reaction::Send(Command::Answer(Answer::TotpSetup {
            code: SensitiveString::from(self.code.value()),
            device_name: (!name.is_empty()).then(|| name.to_owned()),
        }))
    }

    /// The QR code's area and the text's area, when the whole code fits beside the text.
    fn split_for_qr(&self, area: Rect) -> Option<(&QrImage, Rect, Rect)> {
        let qr = self.qr.as_ref()?;
        if area.height < qr.rows() || area.width < qr.columns() + GAP + SIDE_MIN_WIDTH {
            return None;
        }
        let [code_area, _, text] = Layout::horizontal([
            Constraint::Length(qr.columns()),
            Constraint::Length(GAP),
            Constraint::Fill(1),
        ])
        .areas(area);
        Some((qr, code_area, text))
    }

    /// The secret and URI lines, labelled. The URI has a line of its own: it has no
    /// spaces, so it wraps by characters and the form's row estimate stays exact.
    fn secret_lines(&self, theme: Theme) -> Vec<Line<'_>> {
        vec![
            Line::from(vec![
                Span::styled(format!("{}  ", strings::LABEL_SECRET), theme.muted()),
                Span::styled(group_secret(self.secret.expose()), theme.label()),
            ]),
            Line::styled(strings::LABEL_URI, theme.muted()),
            Line::raw(self.uri.expose().as_str()),
        ]
    }

    /// Draws the QR code and the text beside it, or the text alone when it cannot fit.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let focus = match self.focus {
            Field::Code => 0,
            Field::DeviceName => 1,
        };
        let inputs = [&self.code, &self.device_name];
        let signing_in = Line::styled(strings::signing_in_as(&self.username), theme.muted());
        match self.split_for_qr(area) {
            Some((qr, code_area, text)) => {
                qr.render(frame, code_area);
                let mut intro = vec![signing_in, Line::raw(strings::TOTP_SCAN)];
                intro.extend(self.secret_lines(theme));
                intro.push(Line::raw(strings::TOTP_THEN_CODE));
                form::render(
                    frame,
                    text,
                    view,
                    intro,
                    &inputs,
                    focus,
                    self.message.as_deref(),
                );
            }
            None => {
                let mut intro = vec![signing_in, Line::raw(strings::TOTP_TYPE_SECRET)];
                intro.extend(self.secret_lines(theme));
                if self.qr.is_some() {
                    intro.push(Line::styled(strings::TOTP_LARGER_TERMINAL, theme.muted()));
                }
                intro.push(Line::raw(strings::TOTP_THEN_CODE));
                form::render(
                    frame,
                    area,
                    view,
                    intro,
                    &inputs,
                    focus,
                    self.message.as_deref(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Authenticator enrolment: the first code and an optional device name sent, a
    //! refusal keeping the name, the secret kept out of Debug, and at 80x24 the secret and
    //! URI as text (with the outbox panel below, the code still reads).

    use crossterm::event::KeyCode;

    use super::{Field, group_secret};
    use crate::auth::Answer;
    use crate::test_support::tui::{
        answer, app, at, decode_qr, draw, key, refuse, render, screen, snapshot_both_sizes, step,
        type_text,
    };
    use crate::test_support::{TOTP_URI, delivery, sign_in, totp_setup};
    use crate::tui::app::{Effect, Msg};
    use crate::tui::strings;
    use crate::tui::widgets::qr;

    #[test]
    fn totp_setup_sends_the_first_code_and_the_device_name_on_the_sixth_digit() {
        let mut app = at(totp_setup());
        // The name first (Tab), then the code: its sixth digit sends both.
        assert_eq!(app.update(key(KeyCode::Tab)), Effect::Redraw);
        assert_eq!(screen!(app, TotpSetup).focus(), Field::DeviceName);
        type_text(&mut app, " Work phone ");
        assert_eq!(app.update(key(KeyCode::Tab)), Effect::Redraw);
        assert_eq!(screen!(app, TotpSetup).focus(), Field::Code);
        // Digits only.
        assert_eq!(app.update(key(KeyCode::Char('x'))), Effect::None);
        type_text(&mut app, "12345");
        assert_eq!(
            app.update(key(KeyCode::Char('6'))),
            answer(Answer::TotpSetup {
                code: "123456".into(),
                device_name: Some("Work phone".into()),
            })
        );
    }

    #[test]
    fn totp_setup_without_a_name_sends_none_and_a_refusal_keeps_the_name() {
        let mut app = at(totp_setup());
        type_text(&mut app, "12345");
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            Effect::Redraw,
            "short code"
        );
        assert_eq!(
            screen!(app, TotpSetup).message(),
            Some("Enter all 6 digits.")
        );
        assert!(!app.is_busy());
        assert_eq!(
            app.update(key(KeyCode::Char('6'))),
            answer(Answer::TotpSetup {
                code: "123456".into(),
                device_name: None,
            })
        );
        refuse(&mut app, "EnableSoftwareTokenMFAException", "Code mismatch");
        app.update(key(KeyCode::BackTab));
        type_text(&mut app, "Phone");
        app.update(key(KeyCode::Tab));
        assert_eq!(screen!(app, TotpSetup).code_typed(), 0);
        refuse(&mut app, "CodeMismatchException", "Code mismatch");
        assert_eq!(screen!(app, TotpSetup).device_name(), "Phone");
        assert_eq!(screen!(app, TotpSetup).focus(), Field::Code);
    }

    #[test]
    fn the_secret_is_grouped_by_four_and_never_in_debug() {
        assert_eq!(group_secret("JBSWY3DPEH"), "JBSW Y3DP EH");
        let app = at(totp_setup());
        let debug = format!("{:?} {:?}", app, app.screen());
        assert!(!debug.contains("JBSWY3DP"), "{debug}");
        assert!(!debug.contains("otpauth"), "{debug}");
    }

    #[test]
    fn the_qr_code_still_reads_with_the_outbox_panel_below() {
        let mut app = app().with_outbox();
        app.update(step(sign_in("alice")));
        app.update(step(totp_setup()));
        app.update(Msg::Delivered(delivery(1)));
        assert_eq!(decode_qr(&draw(&app, 120, 40)), [TOTP_URI]);
    }

    #[test]
    fn at_80x24_the_secret_and_uri_are_text_and_no_code_is_drawn() {
        let app = at(totp_setup());
        let buffer = draw(&app, 80, 24);
        assert!(decode_qr(&buffer).is_empty());
        let drawn = render(&app, 80, 24);
        for glyph in [qr::FULL, qr::UPPER, qr::LOWER] {
            assert!(!drawn.contains(glyph), "{drawn}");
        }
        assert!(
            drawn.contains("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"),
            "{drawn}"
        );
        assert!(drawn.contains(strings::TOTP_LARGER_TERMINAL), "{drawn}");
        // The URI is wrapped across lines: join the rows' insides to find it whole.
        let joined: String = drawn
            .lines()
            .map(|line| line.trim_matches('"').trim_matches('│').trim())
            .collect();
        assert!(joined.contains(TOTP_URI), "{drawn}");
    }

    #[test]
    fn snapshot_totp_setup() {
        let mut app = at(totp_setup());
        type_text(&mut app, "123");
        snapshot_both_sizes!("totp_setup", &app);
    }
}
