//! MFA_SETUP for an authenticator app: a QR code of the otpauth URI, the secret in groups
//! of four and the URI, then the first code and an optional device name. The code's sixth
//! digit sends it, with the name typed so far (Tab reaches the name first).
//!
//! Where the terminal can hold the QR code beside the form, both are shown. Where it
//! cannot (80x24, the most common size), the QR code is shown alone on the whole
//! terminal first, and Ctrl-T switches between it and the form. Where not even that fits,
//! the form says the size that would. The secret is shown whole, in groups on lines of
//! their own; the URI is shown only on one unbroken line, and Ctrl-Y copies it (OSC 52)
//! wherever it is too long to show, since a copy that loses characters is worse than
//! none. The secret and the URI are only ever drawn on screen: never in a Debug print.
//!
//! A signed-in person adding an authenticator from account security sees the same
//! screen; Esc then goes back to account security instead of starting the sign-in again.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use crate::auth::{Answer, CodeLength, Command, Enrolment, Problem};
use crate::sensitive::SensitiveString;
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::form::{FORM_WIDTH, Form};
use crate::tui::screens::{Reaction, ViewContext, open_account, restart, type_into};
use crate::tui::strings;
use crate::tui::widgets::TextInput;
use crate::tui::widgets::qr::{MIN_QUIET_ZONE, QrImage};

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
    SwitchView,
    CopyUri,
    Leave,
}

/// Every key but Esc, in the footer's order.
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
        keys: &[Key::ctrl(KeyCode::Char('t'))],
        does: strings::KEY_QR_OR_FORM,
        action: Action::SwitchView,
    },
    Binding {
        keys: &[Key::ctrl(KeyCode::Char('y'))],
        does: strings::KEY_COPY_URI,
        action: Action::CopyUri,
    },
];

/// The key that leaves the screen.
const ESC: &[Key] = &[Key::plain(KeyCode::Esc)];

/// The keys of an enrolment: Esc, last, starts the sign-in again, or goes back to
/// account security when a signed-in person is adding an authenticator.
fn bindings(enrolment: Enrolment) -> Vec<Binding<Action>> {
    let mut bindings = BINDINGS.to_vec();
    bindings.push(Binding {
        keys: ESC,
        does: match enrolment {
            Enrolment::SignIn => strings::KEY_START_AGAIN,
            Enrolment::Account => strings::KEY_BACK,
        },
        action: Action::Leave,
    });
    bindings
}

/// Which field has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Code,
    DeviceName,
}

/// What the person asked to see with Ctrl-T.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// Not asked: the QR code beside the form where it fits, else alone.
    Either,
    /// The QR code alone, as large as the terminal allows.
    QrAlone,
    /// The form (with the QR code beside it where it fits).
    Form,
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
    /// MFA_SETUP during a sign-in, or a signed-in person adding one.
    enrolment: Enrolment,
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
    /// A note that went well (the URI was copied).
    notice: Option<&'static str>,
    wanted: Wanted,
    /// Whether the last frame showed the QR code alone, so Ctrl-T switches from what
    /// the person sees.
    showed_qr_alone: Cell<bool>,
}

impl std::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpSetup")
            .field("username", &self.username)
            .field("enrolment", &self.enrolment)
            .field("issuer", &self.issuer)
            .field("secret", &self.secret)
            .field("uri", &self.uri)
            .field("focus", &self.focus)
            .field("wanted", &self.wanted)
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
        enrolment: Enrolment,
    ) -> Self {
        let qr = QrImage::encode(uri.expose().as_bytes());
        Self {
            username,
            enrolment,
            issuer,
            secret,
            uri,
            qr,
            code_length,
            code: TextInput::digits(strings::LABEL_FIRST_CODE, code_length.max()),
            device_name: TextInput::new(strings::LABEL_DEVICE_NAME),
            focus: Field::Code,
            message: None,
            notice: None,
            wanted: Wanted::Either,
            showed_qr_alone: Cell::new(false),
        }
    }

    /// The footer entries of this screen.
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(&bindings(self.enrolment))
    }

    /// The footer entries while the QR code is shown alone: only the keys that act there
    /// (one line, so the code keeps every row it can get).
    pub fn hints_alone(&self) -> Vec<Hint> {
        bindings(self.enrolment)
            .iter()
            .filter(|binding| {
                matches!(
                    binding.action,
                    Action::SwitchView | Action::CopyUri | Action::Leave
                )
            })
            .map(Binding::hint)
            .collect()
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
        // The refusal is on the form: show it there.
        self.wanted = Wanted::Form;
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(&bindings(self.enrolment), key) {
            Some(Action::Submit) => self.submit(),
            Some(Action::SwitchField) => {
                self.focus = match self.focus {
                    Field::Code => Field::DeviceName,
                    Field::DeviceName => Field::Code,
                };
                self.wanted = Wanted::Form;
                Reaction::Changed
            }
            Some(Action::SwitchView) => {
                self.wanted = if self.showed_qr_alone.get() {
                    Wanted::Form
                } else {
                    Wanted::QrAlone
                };
                Reaction::Changed
            }
            Some(Action::CopyUri) => {
                // The notice is on the form: show it there.
                self.notice = Some(strings::TOTP_URI_COPIED);
                self.wanted = Wanted::Form;
                Reaction::Copy(self.uri.clone())
            }
            Some(Action::Leave) => match self.enrolment {
                Enrolment::SignIn => restart(&self.username),
                Enrolment::Account => open_account(),
            },
            None => {
                let input = match self.focus {
                    Field::Code => &mut self.code,
                    Field::DeviceName => &mut self.device_name,
                };
                if type_into(input, key, &mut self.message) == Reaction::Ignored {
                    return Reaction::Ignored;
                }
                // Typing happens on the form: show it, with the field being typed in.
                self.wanted = Wanted::Form;
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
            self.wanted = Wanted::Form;
            return Reaction::Changed;
        }
        self.message = None;
        let name = self.device_name.value().trim();
        Reaction::Send(Command::Answer(Answer::TotpSetup {
            code: SensitiveString::from(self.code.value()),
            device_name: (!name.is_empty()).then(|| name.to_owned()),
        }))
    }

    /// Whether the QR code is drawn alone over the whole of `whole` (the terminal above
    /// the footer), given the screen's own `body`: where the person asked for it and it
    /// fits, or where nobody asked and it fits there but not beside the form.
    pub fn shows_qr_alone(&self, whole: Rect, body: Rect) -> bool {
        let alone = match (&self.qr, self.wanted) {
            (None, _) | (_, Wanted::Form) => false,
            (Some(qr), Wanted::QrAlone) => qr.fits(whole),
            (Some(qr), Wanted::Either) => self.split_for_qr(body).is_none() && qr.fits(whole),
        };
        self.showed_qr_alone.set(alone);
        alone
    }

    /// Draws the QR code alone, centred in `area`, with one line under it saying what
    /// to do with it.
    pub fn render_qr_alone(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let Some(qr) = &self.qr else {
            return;
        };
        // The code first, with the widest quiet zone the terminal allows; the line
        // under it only where a row is left over.
        let caption = qr
            .quiet_zone_in(area)
            .is_some_and(|quiet| area.height > qr.rows(quiet));
        let [code, line] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(u16::from(caption))])
                .areas(area);
        // Centred down the terminal too: the code's rows with its widest quiet zone.
        let rows = qr.quiet_zone_in(code).map_or(0, |quiet| qr.rows(quiet));
        qr.render(frame, code.centered_vertically(Constraint::Length(rows)));
        frame.render_widget(
            Line::styled(strings::TOTP_SCAN_ALONE, view.theme.muted()).centered(),
            line,
        );
    }

    /// The QR code's area and the text's area, when the whole code fits beside the text.
    fn split_for_qr(&self, area: Rect) -> Option<(&QrImage, Rect, Rect)> {
        let qr = self.qr.as_ref()?;
        let columns = qr.columns(MIN_QUIET_ZONE);
        if area.height < qr.rows(MIN_QUIET_ZONE) || area.width < columns + GAP + SIDE_MIN_WIDTH {
            return None;
        }
        // The widest quiet zone the text column can spare.
        let columns = (MIN_QUIET_ZONE..=crate::tui::widgets::qr::QUIET_ZONE)
            .rev()
            .map(|quiet| qr.columns(quiet))
            .find(|&columns| {
                area.width >= columns + GAP + SIDE_MIN_WIDTH
                    && qr.fits(Rect {
                        width: columns,
                        ..area
                    })
            })
            .unwrap_or(columns);
        let [code_area, _, text] = Layout::horizontal([
            Constraint::Length(columns),
            Constraint::Length(GAP),
            Constraint::Fill(1),
        ])
        .areas(area);
        Some((qr, code_area, text))
    }

    /// The form beside the QR code (`beside`), or alone, for a text column `width`
    /// wide: who enrols, the secret in groups on lines of their own, the URI on one
    /// unbroken line where it fits, what else the terminal offers, the fields.
    fn form(&self, view: &ViewContext<'_>, width: u16, beside: bool) -> Form<'_> {
        let theme = view.theme;
        let uri = self.uri.expose().as_str();
        let uri_columns = u16::try_from(uri.chars().count()).unwrap_or(u16::MAX);
        // The form may grow past its usual width so that the URI need not break.
        let max_width = FORM_WIDTH.max(uri_columns);
        let text_width = width.min(max_width);
        let who = match self.enrolment {
            Enrolment::SignIn => strings::signing_in_as(&self.username),
            Enrolment::Account => strings::adding_authenticator_for(&self.username),
        };
        let mut intro = vec![
            Line::styled(who, theme.muted()),
            Line::raw(if beside {
                strings::TOTP_SCAN
            } else {
                strings::TOTP_TYPE_SECRET
            }),
            Line::styled(strings::TOTP_SECRET_HEADING, theme.muted()),
            Line::styled(group_secret(self.secret.expose()), theme.label()),
        ];
        if uri_columns <= text_width {
            intro.push(Line::styled(strings::LABEL_URI, theme.muted()));
            intro.push(Line::raw(uri));
        } else {
            intro.push(Line::styled(strings::TOTP_URI_TOO_LONG, theme.muted()));
        }
        if let Some(notice) = self.notice {
            intro.push(Line::styled(notice, theme.success()));
        }
        if !beside && let Some(qr) = &self.qr {
            intro.push(Line::styled(self.qr_note(qr, view), theme.muted()));
        }
        intro.push(Line::raw(strings::TOTP_THEN_CODE));
        Form {
            intro,
            inputs: vec![&self.code, &self.device_name],
            focus: match self.focus {
                Field::Code => 0,
                Field::DeviceName => 1,
            },
            message: self.message.as_deref(),
            max_width,
        }
    }

    /// Where the QR code is when the form is shown without it: a key away, or in a
    /// terminal of the size it needs (its narrowest quiet zone, and the footer's row).
    fn qr_note(&self, qr: &QrImage, view: &ViewContext<'_>) -> String {
        if qr.fits(view.terminal) {
            strings::TOTP_QR_KEY.to_owned()
        } else {
            strings::totp_larger_terminal(qr.columns(MIN_QUIET_ZONE), qr.rows(MIN_QUIET_ZONE) + 1)
        }
    }

    /// The rows the form needs at `width` (the QR code, beside it, needs its own).
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        self.form(view, width, false).rows_needed(width, view)
    }

    /// Draws the QR code and the text beside it, or the text alone when it cannot fit.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        match self.split_for_qr(area) {
            Some((qr, code_area, text)) => {
                qr.render(frame, code_area);
                self.form(view, text.width, true).render(frame, text, view);
            }
            None => self.form(view, area.width, false).render(frame, area, view),
        }
    }

    /// Whether the QR code fits beside the form in `area` (tests and the layout).
    pub fn qr_fits_beside(&self, area: Rect) -> bool {
        self.split_for_qr(area).is_some()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    //! Authenticator enrolment: the first code and an optional device name sent, a
    //! refusal keeping the name, the secret kept out of Debug, and at 80x24 the secret and
    //! URI as text (with the outbox panel below, the code still reads).

    use crossterm::event::KeyCode;

    use super::{Field, group_secret};
    use crate::auth::{AccountAction, Answer};
    use crate::test_support::tui::{
        answer, app, at, at_account, ctrl, decode_qr, draw, key, refuse, render, screen,
        snapshot_both_sizes, step, type_text,
    };
    use crate::test_support::{TOTP_URI, account_totp_setup, delivery, sign_in, totp_setup};
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

    /// The drawn rows' insides, the borders trimmed.
    fn rows_of(drawn: &str) -> Vec<String> {
        drawn
            .lines()
            .map(|line| line.trim_matches('"').trim_matches('│').trim().to_owned())
            .collect()
    }

    #[test]
    fn at_80x24_the_qr_code_is_shown_alone_and_reads_back_as_the_uri() {
        let mut app = app().with_outbox();
        app.update(step(sign_in("alice")));
        app.update(step(totp_setup()));
        app.update(Msg::Delivered(delivery(1)));
        assert_eq!(decode_qr(&draw(&app, 80, 24)), [TOTP_URI]);
        let drawn = render(&app, 80, 24);
        assert!(
            drawn.contains("Ctrl-T"),
            "the footer names the key: {drawn}"
        );
        assert!(drawn.contains(strings::KEY_QR_OR_FORM), "{drawn}");
        // Ctrl-T: the form, with the secret whole and no code.
        assert_eq!(app.update(ctrl('t')), Effect::Redraw);
        let drawn = render(&app, 80, 24);
        assert!(decode_qr(&draw(&app, 80, 24)).is_empty(), "{drawn}");
        assert!(
            rows_of(&drawn)
                .iter()
                .any(|row| row == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"),
            "{drawn}"
        );
        assert!(drawn.contains(strings::TOTP_QR_KEY), "{drawn}");
        // Ctrl-T again: the code.
        assert_eq!(app.update(ctrl('t')), Effect::Redraw);
        assert_eq!(decode_qr(&draw(&app, 80, 24)), [TOTP_URI]);
        // Typing a digit goes to the form, where the field is.
        app.update(key(KeyCode::Char('1')));
        assert_eq!(screen!(app, TotpSetup).code_typed(), 1);
        assert!(decode_qr(&draw(&app, 80, 24)).is_empty());
    }

    #[test]
    fn the_uri_is_shown_only_unbroken_and_ctrl_y_copies_it_whole() {
        let mut app = at(totp_setup());
        // Wide: the URI on one line of its own, whole.
        let wide = render(&app, 200, 50);
        assert!(
            rows_of(&wide).iter().any(|row| row.contains(TOTP_URI)),
            "{wide}"
        );
        // Narrow: never a broken URI, the key that copies it instead.
        app.update(ctrl('t'));
        for (width, height) in [(80, 24), (60, 18), (40, 12)] {
            let drawn = render(&app, width, height);
            assert!(!drawn.contains("otpauth"), "{width}x{height}: {drawn}");
        }
        assert_eq!(
            app.update(ctrl('y')),
            Effect::Copy(TOTP_URI.into()),
            "the whole URI goes to the clipboard"
        );
        assert!(render(&app, 200, 50).contains("sent to the clipboard"));
        let copy = format!("{:?}", app.update(ctrl('y')));
        assert!(!copy.contains("JBSWY3DP"), "{copy}");
    }

    /// Every frame of the screen at `width`x`height`, scrolled from the top to the
    /// bottom with PgUp and PgDn, one after the other.
    fn scrolled_through(app: &mut crate::tui::app::App, width: u16, height: u16) -> String {
        let mut drawn = render(app, width, height);
        for _ in 0..40 {
            if app.update(key(KeyCode::PageUp)) != Effect::Redraw {
                break;
            }
            drawn = render(app, width, height);
        }
        let mut frames = drawn.clone();
        for _ in 0..40 {
            if app.update(key(KeyCode::PageDown)) != Effect::Redraw {
                break;
            }
            let next = render(app, width, height);
            if next == drawn {
                break;
            }
            frames.push('\n');
            frames.push_str(&next);
            drawn = next;
        }
        frames
    }

    #[test]
    fn where_no_qr_code_fits_the_secret_is_whole_and_the_size_needed_is_named() {
        let mut app = at(totp_setup());
        for (width, height) in [(60, 18), (40, 12)] {
            let buffer = draw(&app, width, height);
            assert!(decode_qr(&buffer).is_empty());
            let drawn = scrolled_through(&mut app, width, height);
            for glyph in [qr::FULL, qr::UPPER, qr::LOWER] {
                assert!(!drawn.contains(glyph), "{drawn}");
            }
            // The secret in groups on a line of its own, whole, in some frame.
            assert!(
                rows_of(&drawn)
                    .iter()
                    .any(|row| row == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"),
                "{width}x{height}: {drawn}"
            );
        }
        // The note names the size a QR code needs.
        let drawn = scrolled_through(&mut app, 60, 18);
        let side = qr::QrImage::encode(TOTP_URI.as_bytes()).unwrap();
        let needed = strings::totp_larger_terminal(
            side.columns(qr::MIN_QUIET_ZONE),
            side.rows(qr::MIN_QUIET_ZONE) + 1,
        );
        assert!(rows_of(&drawn).join(" ").contains(&needed), "{drawn}");
    }

    #[test]
    fn at_40x12_the_compact_footer_packs_every_key_into_three_rows() {
        let app = at(totp_setup());
        let drawn = render(&app, 40, 12);
        let rows = rows_of(&drawn);
        // The last three rows name every key, tightly; the field is in sight above.
        assert_eq!(rows.len(), 12, "{drawn}");
        let footer = rows[9..].join("\n");
        for entry in [
            "Enter send",
            "Tab next",
            "Ctrl-T",
            "Ctrl-Y copy URI",
            "Esc start again",
        ] {
            assert!(footer.contains(entry), "{entry:?} in {drawn}");
        }
        assert!(
            rows[..9]
                .iter()
                .any(|row| row.contains("Code from the app")),
            "{drawn}"
        );
    }

    #[test]
    fn an_authenticator_added_once_signed_in_goes_back_to_account_security_on_esc() {
        let mut app = at_account(account_totp_setup());
        // The QR code alone at 80x24 names Esc as going back, not starting again.
        let alone = render(&app, 80, 24);
        assert_eq!(decode_qr(&draw(&app, 80, 24)), [TOTP_URI]);
        assert!(alone.contains(strings::KEY_BACK), "{alone}");
        assert!(!alone.contains(strings::KEY_START_AGAIN), "{alone}");
        let esc = |hints: Vec<crate::tui::keys::Hint>| hints.last().map(|hint| hint.does);
        assert_eq!(esc(app.screen().hints_alone()), Some(strings::KEY_BACK));
        assert_eq!(esc(app.screen().hints()), Some(strings::KEY_BACK));
        app.update(ctrl('t'));
        let form = render(&app, 120, 40);
        assert!(
            form.contains("Adding an authenticator app for alice."),
            "{form}"
        );
        assert_eq!(app.update(ctrl('y')), Effect::Copy(TOTP_URI.into()));
        // A wrong code stays, cleared; the next goes out.
        type_text(&mut app, "12345");
        assert!(matches!(
            app.update(key(KeyCode::Char('6'))),
            Effect::Send(_)
        ));
        refuse(&mut app, "EnableSoftwareTokenMFAException", "Code mismatch");
        assert_eq!(screen!(app, TotpSetup).code_typed(), 0);
        assert!(render(&app, 80, 24).contains("Code mismatch"));
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(AccountAction::Open))
        );
        // During a sign-in, Esc still starts again.
        let mut app = at(totp_setup());
        assert!(matches!(
            app.update(key(KeyCode::Esc)),
            Effect::Send(crate::auth::Command::Restart { .. })
        ));
    }

    #[test]
    fn snapshot_account_totp_setup() {
        let mut app = at_account(account_totp_setup());
        type_text(&mut app, "123");
        snapshot_both_sizes!("account_totp_setup", &app);
    }

    #[test]
    fn snapshot_totp_setup() {
        let mut app = at(totp_setup());
        type_text(&mut app, "123");
        snapshot_both_sizes!("totp_setup", &app);
    }
}
