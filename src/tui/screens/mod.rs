//! One screen per `Step`. Each screen owns its inputs, lists the keys it offers (its
//! `BINDINGS`, which also build the footer), turns a key into a `Reaction`, and draws itself.

pub mod change_password;
pub mod code;
pub mod contact_form;
pub mod countdown;
pub mod custom;
pub mod email_setup;
pub mod failed;
pub mod form;
pub mod key_pin;
pub mod list_page;
pub mod mfa_list;
pub mod new_password;
pub mod password;
pub mod remember_device;
pub mod security;
pub mod select_first_factor;
pub mod select_mfa;
pub mod select_mfa_setup;
pub mod sign_in;
pub mod signed_in;
pub mod totp_setup;
pub mod web_authn;

use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use time::OffsetDateTime;

use crate::auth::{AccountAction, Answer, Command, Outcome, Problem, SessionInfo, Step};
use crate::sensitive::SensitiveString;
use crate::tui::keys::Hint;
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::widgets::{ChoiceList, TextInput};
use signed_in::SaveOffer;

/// The widest a list of choices grows.
pub const LIST_WIDTH: u16 = 72;

/// What a key did on a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Not a key this screen uses.
    Ignored,
    /// The screen changed: draw again.
    Changed,
    /// Send this to the auth task (and wait for it).
    Send(Command),
    /// Put this text on the clipboard (the enrolment URI), through the terminal.
    Copy(SensitiveString),
    /// The console is done.
    Finish(Outcome),
}

/// What every screen needs to draw, besides its own state.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext<'a> {
    pub info: &'a SessionInfo,
    pub theme: Theme,
    /// The injected clock's time at the last update (countdowns).
    pub now: OffsetDateTime,
    /// The spinner frame while a call is in flight.
    pub busy: Option<char>,
    /// What the person must do meanwhile ("Touch your security key."), said beside the
    /// spinner instead of "Checking…".
    pub progress: Option<&'a str>,
    /// The whole terminal above the footer: what a screen drawn alone could use.
    pub terminal: Rect,
    /// The offer to save this sign-in's flags as a saved pool (signed-in screen).
    pub save_offer: Option<&'a SaveOffer>,
}

/// Esc on a challenge screen: throw the sign-in away and start a fresh one.
pub fn restart(username: &str) -> Reaction {
    Reaction::Send(Command::Restart {
        username: username.to_owned(),
    })
}

/// Opens account security (afresh): the signed-in screen's key, and "back" on every
/// account step.
pub fn open_account() -> Reaction {
    Reaction::Send(Command::Answer(Answer::Account(AccountAction::Open)))
}

/// A key for a text field: an edit of its text clears `message`, which was about the old
/// text (a cursor move keeps it); `Ignored` for a key the field does not take.
pub fn type_into(input: &mut TextInput, key: &KeyEvent, message: &mut Option<String>) -> Reaction {
    match input.edit(key) {
        Some(changed) => {
            if changed {
                *message = None;
            }
            Reaction::Changed
        }
        None => Reaction::Ignored,
    }
}

/// The text's width in an area `width` wide: two columns of margin each side, when
/// there are columns to spare (the signed-in and failed screens' prose).
pub fn body_width(width: u16) -> u16 {
    if width > 24 { width - 4 } else { width }
}

/// Moves a list's cursor with `step` (`ChoiceList::up` or `down`); a move clears the
/// message, as typing does in a field.
pub fn move_in(
    list: &mut ChoiceList,
    step: fn(&mut ChoiceList) -> bool,
    message: &mut Option<String>,
) -> Reaction {
    if step(list) {
        *message = None;
        Reaction::Changed
    } else {
        Reaction::Ignored
    }
}

/// The line under a form: the spinner while a call is in flight, else the message (red).
pub fn status_line<'a>(view: &ViewContext<'_>, message: Option<&'a str>) -> Line<'a> {
    match (view.busy, message) {
        (Some(spinner), _) => Line::styled(
            format!("{spinner} {}", view.progress.unwrap_or(strings::CHECKING)),
            view.theme.spinner(),
        ),
        (None, Some(message)) => Line::styled(message, view.theme.error()),
        (None, None) => Line::default(),
    }
}

/// The line under a list or form that may also carry good news: the spinner, else the
/// message (red), else the notice (the success style, never the error one).
pub fn status_or_notice<'a>(
    view: &ViewContext<'_>,
    message: Option<&'a str>,
    notice: Option<&'a str>,
) -> Line<'a> {
    match (view.busy, message, notice) {
        (None, None, Some(notice)) => Line::styled(notice, view.theme.success()),
        _ => status_line(view, message),
    }
}

/// The screen on show.
#[derive(Debug)]
pub enum Screen {
    SignIn(sign_in::SignIn),
    SelectFirstFactor(select_first_factor::SelectFirstFactor),
    Password(password::Password),
    Code(code::Code),
    SelectMfa(select_mfa::SelectMfa),
    SelectMfaSetup(select_mfa_setup::SelectMfaSetup),
    TotpSetup(totp_setup::TotpSetup),
    EmailSetup(email_setup::EmailSetup),
    NewPassword(new_password::NewPassword),
    Custom(custom::Custom),
    WebAuthn(web_authn::WebAuthn),
    KeyPin(key_pin::KeyPin),
    RememberDevice(remember_device::RememberDevice),
    SignedIn(signed_in::SignedIn),
    Security(security::AccountSecurity),
    ContactForm(contact_form::ContactForm),
    ChangePassword(change_password::ChangePassword),
    Failed(failed::Failed),
}

impl Screen {
    /// The screen for a step. `username` is the last one used, for "start again".
    pub fn for_step(step: Step, username: &str) -> Self {
        match step {
            Step::SignIn {
                username,
                needs_password,
            } => Self::SignIn(sign_in::SignIn::new(&username, needs_password)),
            Step::SelectFirstFactor { username, options } => Self::SelectFirstFactor(
                select_first_factor::SelectFirstFactor::new(username, options),
            ),
            Step::Password { username } => Self::Password(password::Password::new(username)),
            Step::Code(prompt) => Self::Code(code::Code::new(prompt, username)),
            Step::SelectMfa { options } => {
                Self::SelectMfa(select_mfa::SelectMfa::new(options, username))
            }
            Step::SelectMfaSetup { options } => {
                Self::SelectMfaSetup(select_mfa_setup::SelectMfaSetup::new(options, username))
            }
            Step::TotpSetup {
                username,
                issuer,
                secret,
                uri,
                code_length,
                enrolment,
            } => Self::TotpSetup(totp_setup::TotpSetup::new(
                username,
                issuer,
                secret,
                uri,
                code_length,
                enrolment,
            )),
            Step::EmailSetup { username } => {
                Self::EmailSetup(email_setup::EmailSetup::new(username))
            }
            Step::NewPassword {
                username,
                required_attributes,
                user_attributes,
            } => Self::NewPassword(new_password::NewPassword::new(
                username,
                required_attributes,
                user_attributes,
            )),
            Step::Custom { parameters, round } => {
                Self::Custom(custom::Custom::new(parameters, round, username))
            }
            Step::WebAuthn(prompt) => Self::WebAuthn(web_authn::WebAuthn::new(prompt)),
            Step::KeyPin(prompt) => Self::KeyPin(key_pin::KeyPin::new(prompt, username)),
            Step::SignedIn { tokens } => Self::SignedIn(signed_in::SignedIn::new(tokens)),
            Step::Failed { problem } => Self::Failed(failed::Failed::new(problem, username)),
            Step::RememberDevice { device_name } => {
                Self::RememberDevice(remember_device::RememberDevice::new(device_name))
            }
            Step::ResetCode { username, prompt } => {
                Self::Code(code::Code::for_reset(&username, prompt))
            }
            Step::ResetPassword { username } => {
                Self::NewPassword(new_password::NewPassword::for_reset(username))
            }
            Step::Security(state) => Self::Security(security::AccountSecurity::new(state)),
            Step::ContactCode {
                contact,
                prompt,
                then_enable,
            } => Self::Code(code::Code::for_contact(contact, prompt, then_enable)),
            Step::ContactForm { contact, current } => {
                Self::ContactForm(contact_form::ContactForm::new(contact, current))
            }
            Step::ChangePassword { username } => {
                Self::ChangePassword(change_password::ChangePassword::new(username))
            }
        }
    }

    /// The screen's title, drawn on its border.
    pub fn title(&self) -> &'static str {
        match self {
            Self::SignIn(_) => sign_in::TITLE,
            Self::SelectFirstFactor(_) => select_first_factor::TITLE,
            Self::Password(_) => password::TITLE,
            Self::Code(screen) => screen.title(),
            Self::SelectMfa(_) => select_mfa::TITLE,
            Self::SelectMfaSetup(_) => select_mfa_setup::TITLE,
            Self::TotpSetup(_) => totp_setup::TITLE,
            Self::EmailSetup(_) => email_setup::TITLE,
            Self::NewPassword(_) => new_password::TITLE,
            Self::Custom(_) => custom::TITLE,
            Self::WebAuthn(_) => web_authn::TITLE,
            Self::KeyPin(_) => key_pin::TITLE,
            Self::RememberDevice(_) => remember_device::TITLE,
            Self::SignedIn(_) => signed_in::TITLE,
            Self::Security(_) => security::TITLE,
            Self::ContactForm(screen) => screen.title(),
            Self::ChangePassword(_) => change_password::TITLE,
            Self::Failed(_) => failed::TITLE,
        }
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match self {
            Self::SignIn(screen) => screen.handle_key(key),
            Self::SelectFirstFactor(screen) => screen.handle_key(key),
            Self::Password(screen) => screen.handle_key(key),
            Self::Code(screen) => screen.handle_key(key),
            Self::SelectMfa(screen) => screen.handle_key(key),
            Self::SelectMfaSetup(screen) => screen.handle_key(key),
            Self::TotpSetup(screen) => screen.handle_key(key),
            Self::EmailSetup(screen) => screen.handle_key(key),
            Self::NewPassword(screen) => screen.handle_key(key),
            Self::Custom(screen) => screen.handle_key(key),
            Self::WebAuthn(screen) => screen.handle_key(key),
            Self::KeyPin(screen) => screen.handle_key(key),
            Self::RememberDevice(screen) => screen.handle_key(key),
            Self::SignedIn(screen) => screen.handle_key(key),
            Self::Security(screen) => screen.handle_key(key),
            Self::ContactForm(screen) => screen.handle_key(key),
            Self::ChangePassword(screen) => screen.handle_key(key),
            Self::Failed(screen) => screen.handle_key(key),
        }
    }

    /// Shows a refused answer on the screen that sent it; `Err` gives the problem back
    /// when this screen has no place for one (it has no inputs).
    pub fn show_error(&mut self, problem: Problem) -> Result<(), Problem> {
        match self {
            Self::SignIn(screen) => screen.show_error(problem),
            Self::SelectFirstFactor(screen) => screen.show_error(problem),
            Self::Password(screen) => screen.show_error(problem),
            Self::Code(screen) => screen.show_error(problem),
            Self::SelectMfa(screen) => screen.show_error(problem),
            Self::SelectMfaSetup(screen) => screen.show_error(problem),
            Self::TotpSetup(screen) => screen.show_error(problem),
            Self::EmailSetup(screen) => screen.show_error(problem),
            Self::NewPassword(screen) => screen.show_error(problem),
            Self::Custom(screen) => screen.show_error(problem),
            Self::WebAuthn(screen) => screen.show_error(problem),
            Self::KeyPin(screen) => screen.show_error(problem),
            Self::RememberDevice(screen) => screen.show_error(problem),
            Self::SignedIn(screen) => screen.show_error(problem),
            Self::Security(screen) => screen.show_error(problem),
            Self::ContactForm(screen) => screen.show_error(problem),
            Self::ChangePassword(screen) => screen.show_error(problem),
            Self::Failed(_) => return Err(problem),
        }
        Ok(())
    }

    /// What the screen says at the moment: a refusal or what is missing, or why the
    /// sign-in failed; `None` when it says nothing of the kind.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::SignIn(screen) => screen.message(),
            Self::SelectFirstFactor(screen) => screen.message(),
            Self::Password(screen) => screen.message(),
            Self::Code(screen) => screen.message(),
            Self::SelectMfa(screen) => screen.message(),
            Self::SelectMfaSetup(screen) => screen.message(),
            Self::TotpSetup(screen) => screen.message(),
            Self::EmailSetup(screen) => screen.message(),
            Self::NewPassword(screen) => screen.message(),
            Self::Custom(screen) => screen.message(),
            Self::WebAuthn(screen) => screen.message(),
            Self::KeyPin(screen) => screen.message(),
            Self::RememberDevice(screen) => screen.message(),
            Self::SignedIn(screen) => screen.message(),
            Self::Security(screen) => screen.message(),
            Self::ContactForm(screen) => screen.message(),
            Self::ChangePassword(screen) => screen.message(),
            Self::Failed(screen) => Some(screen.problem().sentence.as_str()),
        }
    }

    /// Shows a notice on the screen: the sign-in form's (a password was reset), the code
    /// screen's (a new code was sent), the signed-in screen's (a device the pool did not
    /// register) or account security's (a change went through); no other step gets one.
    pub fn show_notice(&mut self, notice: String) {
        match self {
            Self::SignIn(screen) => screen.show_notice(notice),
            Self::Code(screen) => screen.show_notice(notice),
            Self::SignedIn(screen) => screen.show_notice(notice),
            Self::Security(screen) => screen.show_notice(notice),
            _ => {}
        }
    }

    /// The footer's entries: the keys this screen offers.
    pub fn hints(&self) -> Vec<Hint> {
        match self {
            Self::SignIn(screen) => screen.hints(),
            Self::SelectFirstFactor(_) => select_first_factor::hints(),
            Self::Password(_) => password::hints(),
            Self::Code(screen) => screen.hints(),
            Self::SelectMfa(_) => select_mfa::hints(),
            Self::SelectMfaSetup(_) => select_mfa_setup::hints(),
            Self::TotpSetup(screen) => screen.hints(),
            Self::EmailSetup(_) => email_setup::hints(),
            Self::NewPassword(_) => new_password::hints(),
            Self::Custom(_) => custom::hints(),
            Self::WebAuthn(screen) => screen.hints(),
            Self::KeyPin(screen) => screen.hints(),
            Self::RememberDevice(_) => remember_device::hints(),
            Self::SignedIn(_) => signed_in::hints(),
            Self::Security(_) => security::hints(),
            Self::ContactForm(_) => contact_form::hints(),
            Self::ChangePassword(_) => change_password::hints(),
            Self::Failed(_) => failed::hints(),
        }
    }

    /// How often the screen changes by itself at `now` (a countdown), if it does.
    pub fn tick_rate(&self, now: OffsetDateTime) -> Option<Duration> {
        match self {
            Self::SignedIn(_) => Some(signed_in::TICK),
            Self::Code(screen) => screen.tick_rate(now),
            Self::WebAuthn(screen) => screen.tick_rate(now),
            _ => None,
        }
    }

    /// The rows the screen needs at `width` to show everything it has; a shorter body
    /// scrolls, keeping the focus in sight.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        match self {
            Self::SignIn(screen) => screen.rows_needed(width, view),
            Self::SelectFirstFactor(screen) => screen.rows_needed(width, view),
            Self::Password(screen) => screen.form(view).rows_needed(width, view),
            Self::Code(screen) => screen.rows_needed(width, view),
            Self::SelectMfa(screen) => screen.rows_needed(width, view),
            Self::SelectMfaSetup(screen) => screen.rows_needed(width, view),
            Self::TotpSetup(screen) => screen.rows_needed(width, view),
            Self::EmailSetup(screen) => screen.form(view).rows_needed(width, view),
            Self::NewPassword(screen) => screen.form(view).rows_needed(width, view),
            Self::Custom(screen) => screen.form(view).rows_needed(width, view),
            Self::WebAuthn(screen) => screen.rows_needed(width, view),
            Self::KeyPin(screen) => screen.form(view).rows_needed(width, view),
            Self::RememberDevice(screen) => screen.rows_needed(width, view),
            Self::SignedIn(screen) => screen.rows_needed(width, view),
            Self::Security(screen) => screen.rows_needed(width, view),
            Self::ContactForm(screen) => screen.form(view).rows_needed(width, view),
            Self::ChangePassword(screen) => screen.form(view).rows_needed(width, view),
            Self::Failed(screen) => screen.rows_needed(width, view),
        }
    }

    /// The fewest rows the screen can work in, scrolled: the focused element whole and
    /// a row for its status. Boxed fields and the code's box take three rows; a form's
    /// fields go to one row each when short, as do list entries; text takes one.
    pub fn min_rows(&self) -> u16 {
        match self {
            Self::SignIn(_) | Self::Code(_) => 3 + 1,
            Self::SignedIn(_) | Self::Failed(_) | Self::WebAuthn(_) => 1,
            _ => 1 + 1,
        }
    }

    /// The fewest columns the screen can work in: the code's box whole, else a field's
    /// box with its label and a few characters of its value.
    pub fn min_width(&self) -> u16 {
        match self {
            Self::Code(screen) => screen.min_width().max(form::FORM_MIN_WIDTH),
            _ => form::FORM_MIN_WIDTH,
        }
    }

    /// Whether the screen takes the whole of `whole` (the terminal above the footer)
    /// instead of its `body`: the QR code of an enrolment, where it needs the room.
    pub fn shows_alone(&self, whole: Rect, body: Rect) -> bool {
        match self {
            Self::TotpSetup(screen) => screen.shows_qr_alone(whole, body),
            _ => false,
        }
    }

    /// Whether what the screen shows depends on the time (so a tick draws it again).
    pub fn counts_down(&self) -> bool {
        match self {
            Self::SignedIn(_) => true,
            Self::Code(screen) => screen.counts_down(),
            Self::WebAuthn(screen) => screen.counts_down(),
            _ => false,
        }
    }

    /// The footer entries while the screen is shown alone (see `shows_alone`).
    pub fn hints_alone(&self) -> Vec<Hint> {
        match self {
            Self::TotpSetup(screen) => screen.hints_alone(),
            _ => self.hints(),
        }
    }

    /// Draws the screen alone over `area` (see `shows_alone`).
    pub fn render_alone(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        if let Self::TotpSetup(screen) = self {
            screen.render_qr_alone(frame, area, view);
        }
    }

    /// Whether the screen shows a text cursor (a field, a list's chosen entry) that
    /// scrolling must keep in sight; the others scroll with the arrow keys.
    pub fn has_focus(&self) -> bool {
        !matches!(
            self,
            Self::SignedIn(_) | Self::Failed(_) | Self::WebAuthn(_)
        )
    }

    /// Draws the screen's body inside `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        match self {
            Self::SignIn(screen) => screen.render(frame, area, view),
            Self::SelectFirstFactor(screen) => screen.render(frame, area, view),
            Self::Password(screen) => screen.render(frame, area, view),
            Self::Code(screen) => screen.render(frame, area, view),
            Self::SelectMfa(screen) => screen.render(frame, area, view),
            Self::SelectMfaSetup(screen) => screen.render(frame, area, view),
            Self::TotpSetup(screen) => screen.render(frame, area, view),
            Self::EmailSetup(screen) => screen.render(frame, area, view),
            Self::NewPassword(screen) => screen.render(frame, area, view),
            Self::Custom(screen) => screen.render(frame, area, view),
            Self::WebAuthn(screen) => screen.render(frame, area, view),
            Self::KeyPin(screen) => screen.render(frame, area, view),
            Self::RememberDevice(screen) => screen.render(frame, area, view),
            Self::SignedIn(screen) => screen.render(frame, area, view),
            Self::Security(screen) => screen.render(frame, area, view),
            Self::ContactForm(screen) => screen.render(frame, area, view),
            Self::ChangePassword(screen) => screen.render(frame, area, view),
            Self::Failed(screen) => screen.render(frame, area, view),
        }
    }
}
