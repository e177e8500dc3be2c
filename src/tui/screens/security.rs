//! Account security, one key away once signed in: who is signed in, each second factor
//! (on, preferred, off, or not allowed by the pool), the e-mail address and phone number
//! and whether they are verified, then the actions that make sense for that state. A
//! factor the pool does not allow is explained, never offered. Enter sends the chosen
//! action; Esc goes back to the signed-in screen. A change that went through comes back
//! with a notice (good news, never drawn as an error); a refusal stays here, in red.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::auth::{
    AccountAction, Answer, Command, ContactKind, Factor, MfaKind, Problem, Security,
};
use crate::tui::keys::{self, Binding, Hint, Key};
use crate::tui::screens::list_page::ListPage;
use crate::tui::screens::{Reaction, ViewContext, move_in};
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::widgets::{Choice, ChoiceList};

/// The screen's title.
pub const TITLE: &str = strings::TITLE_SECURITY;

/// Width of the label column of the factors and contact details.
const LABEL_WIDTH: usize = 19;

/// The factors in the order drawn: the authenticator first, as most people choose it.
const FACTORS: [MfaKind; 3] = [MfaKind::SoftwareToken, MfaKind::Email, MfaKind::Sms];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Choose,
    Up,
    Down,
    Back,
}

const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        does: strings::KEY_CHOOSE,
        action: Action::Choose,
    },
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
        keys: &[Key::plain(KeyCode::Esc)],
        does: strings::KEY_BACK,
        action: Action::Back,
    },
];

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(BINDINGS)
}

/// One action on offer: what the list says, the API call beside it, what it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// What the list says ("Turn on e-mail codes", "Delete the passkey MacBook").
    pub label: Cow<'static, str>,
    /// The Cognito operation it starts, drawn dim as the other lists draw API names.
    pub api_name: &'static str,
    /// What Enter sends to the auth task.
    pub action: AccountAction,
}

impl Offer {
    fn new(
        label: impl Into<Cow<'static, str>>,
        api_name: &'static str,
        action: AccountAction,
    ) -> Self {
        Self {
            label: label.into(),
            api_name,
            action,
        }
    }
}

/// The person's name for a factor on this screen.
pub fn factor_label(kind: MfaKind) -> &'static str {
    match kind {
        MfaKind::SoftwareToken => strings::ACCOUNT_TOTP,
        MfaKind::Email => strings::ACCOUNT_EMAIL_CODES,
        MfaKind::Sms => strings::ACCOUNT_SMS_CODES,
    }
}

/// A factor's state as the person reads it.
pub fn factor_state(factor: &Factor) -> &'static str {
    match (factor.allowed, factor.enabled, factor.preferred) {
        (Some(false), _, _) => strings::FACTOR_NOT_ALLOWED,
        (_, true, true) => strings::FACTOR_PREFERRED,
        (_, true, false) => strings::FACTOR_ON,
        (_, false, _) => strings::FACTOR_OFF,
    }
}

/// The contact detail whose codes a factor sends (none for the authenticator).
fn contact_of(kind: MfaKind) -> Option<ContactKind> {
    match kind {
        MfaKind::SoftwareToken => None,
        MfaKind::Email => Some(ContactKind::Email),
        MfaKind::Sms => Some(ContactKind::Phone),
    }
}

/// The entries that turn a factor on, make it preferred and turn it off, as its state
/// allows. Codes by e-mail or SMS are turned on only where there is an address or number
/// to send them to (the contact actions add one).
fn factor_offers(security: &Security, factor: &Factor) -> Vec<Offer> {
    use AccountAction::{AddTotp, Disable, Enable, Prefer};
    const SET_PREFERENCE: &str = "SetUserMFAPreference";
    let kind = factor.kind;
    let (enable, prefer, disable) = match kind {
        MfaKind::SoftwareToken => (
            if factor.enabled {
                strings::ACTION_REPLACE_TOTP
            } else {
                strings::ACTION_ADD_TOTP
            },
            strings::ACTION_PREFER_TOTP,
            strings::ACTION_DISABLE_TOTP,
        ),
        MfaKind::Email => (
            strings::ACTION_ENABLE_EMAIL,
            strings::ACTION_PREFER_EMAIL,
            strings::ACTION_DISABLE_EMAIL,
        ),
        MfaKind::Sms => (
            strings::ACTION_ENABLE_SMS,
            strings::ACTION_PREFER_SMS,
            strings::ACTION_DISABLE_SMS,
        ),
    };
    let mut offers = Vec::new();
    match contact_of(kind) {
        // An authenticator is added, or replaced by a new one, either way.
        None => offers.push(Offer::new(enable, "AssociateSoftwareToken", AddTotp)),
        Some(contact) if !factor.enabled && security.contact(contact).is_some() => {
            offers.push(Offer::new(enable, SET_PREFERENCE, Enable(kind)));
        }
        Some(_) => {}
    }
    if factor.enabled && !factor.preferred {
        offers.push(Offer::new(prefer, SET_PREFERENCE, Prefer(kind)));
    }
    if factor.enabled {
        offers.push(Offer::new(disable, SET_PREFERENCE, Disable(kind)));
    }
    offers
}

/// The entries for an e-mail address or phone number: verify one that is not verified,
/// change one there is, add one there is not.
fn contact_offers(security: &Security, contact: ContactKind) -> Vec<Offer> {
    const UPDATE: &str = "UpdateUserAttributes";
    let (verify, change, add) = match contact {
        ContactKind::Email => (
            strings::ACTION_VERIFY_EMAIL,
            strings::ACTION_CHANGE_EMAIL,
            strings::ACTION_ADD_EMAIL,
        ),
        ContactKind::Phone => (
            strings::ACTION_VERIFY_PHONE,
            strings::ACTION_CHANGE_PHONE,
            strings::ACTION_ADD_PHONE,
        ),
    };
    match security.contact(contact) {
        Some(detail) if detail.verified => {
            vec![Offer::new(change, UPDATE, AccountAction::Change(contact))]
        }
        Some(_) => vec![
            Offer::new(
                verify,
                "GetUserAttributeVerificationCode",
                AccountAction::Verify(contact),
            ),
            Offer::new(change, UPDATE, AccountAction::Change(contact)),
        ],
        None => vec![Offer::new(add, UPDATE, AccountAction::Change(contact))],
    }
}

/// The passkey entries, where the pool lists passkeys: add one on this machine, delete
/// each one the account has.
fn passkey_offers(security: &Security) -> Vec<Offer> {
    let Some(passkeys) = &security.passkeys else {
        return Vec::new();
    };
    let mut offers = vec![Offer::new(
        strings::action_add_passkey(security.add_passkey_on),
        "StartWebAuthnRegistration",
        AccountAction::AddPasskey,
    )];
    offers.extend(passkeys.iter().enumerate().map(|(index, passkey)| {
        let name = strings::passkey_name(&passkey.name, &passkey.credential_id);
        Offer::new(
            strings::action_delete_passkey(&name),
            "DeleteWebAuthnCredential",
            AccountAction::DeletePasskey(index),
        )
    }));
    offers
}

/// The actions that make sense for this state, in the order drawn: the factors' (none
/// for a factor the pool does not allow), the contact details', the passkeys', the
/// password, back.
pub fn offers(security: &Security) -> Vec<Offer> {
    let mut offers: Vec<Offer> = FACTORS
        .iter()
        .filter_map(|kind| security.factor(*kind))
        .filter(|factor| factor.allowed != Some(false))
        .flat_map(|factor| factor_offers(security, factor))
        .collect();
    for contact in [ContactKind::Email, ContactKind::Phone] {
        offers.extend(contact_offers(security, contact));
    }
    offers.extend(passkey_offers(security));
    offers.push(Offer::new(
        strings::ACTION_CHANGE_PASSWORD,
        "ChangePassword",
        AccountAction::ChangePassword,
    ));
    offers.push(Offer::new(strings::ACTION_BACK, "", AccountAction::Close));
    offers
}

/// The account security screen's state.
#[derive(Debug)]
pub struct AccountSecurity {
    security: Box<Security>,
    offers: Vec<Offer>,
    list: ChoiceList,
    /// A refusal, in red under the list.
    message: Option<String>,
    /// Good news (a change went through), under the list until the person moves.
    notice: Option<String>,
}

impl AccountSecurity {
    /// The screen for what GetUser said; the first action is chosen.
    pub fn new(security: Box<Security>) -> Self {
        let offers = offers(&security);
        Self {
            list: ChoiceList::new(offers.len()),
            security,
            offers,
            message: None,
            notice: None,
        }
    }

    /// The actions on offer, in the order drawn.
    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }

    /// The action under the cursor.
    pub fn selected(&self) -> Option<AccountAction> {
        self.offers
            .get(self.list.selected())
            .map(|offer| offer.action)
    }

    /// The refusal on show, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The notice on show, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// A refused action: stay, say why (in red).
    pub fn show_error(&mut self, problem: Problem) {
        self.notice = None;
        self.message = Some(problem.sentence);
    }

    /// A change that went through: say so (not as an error).
    pub fn show_notice(&mut self, notice: String) {
        self.message = None;
        self.notice = Some(notice);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(BINDINGS, key) {
            Some(Action::Choose) => match self.selected() {
                Some(action) => {
                    self.message = None;
                    self.notice = None;
                    Reaction::Send(Command::Answer(Answer::Account(action)))
                }
                None => Reaction::Ignored,
            },
            Some(Action::Up) => self.moved(ChoiceList::up),
            Some(Action::Down) => self.moved(ChoiceList::down),
            Some(Action::Back) => {
                Reaction::Send(Command::Answer(Answer::Account(AccountAction::Close)))
            }
            None => Reaction::Ignored,
        }
    }

    /// Moves the cursor; a move clears the message and the notice.
    fn moved(&mut self, step: fn(&mut ChoiceList) -> bool) -> Reaction {
        let reaction = move_in(&mut self.list, step, &mut self.message);
        if reaction == Reaction::Changed {
            self.notice = None;
        }
        reaction
    }

    /// Who is signed in, the factors, the contact details and the question.
    fn intro(&self, theme: Theme) -> Vec<Line<'_>> {
        let security = &self.security;
        let mut lines = vec![
            Line::styled(
                strings::signed_in_as_sentence(&security.username),
                theme.muted(),
            ),
            Line::default(),
        ];
        // What the last action did, at the top where it is seen without scrolling
        // (the list of actions can be taller than a small terminal).
        let said = match (&self.message, &self.notice) {
            (Some(message), _) => Some(Line::styled(message.as_str(), theme.error())),
            (None, Some(notice)) => Some(Line::styled(notice.as_str(), theme.success())),
            (None, None) => None,
        };
        if let Some(said) = said {
            lines.push(said);
            lines.push(Line::default());
        }
        for factor in FACTORS.iter().filter_map(|kind| security.factor(*kind)) {
            let style = if factor.allowed == Some(false) {
                theme.muted()
            } else {
                theme.label()
            };
            lines.push(row(
                factor_label(factor.kind),
                Span::styled(factor_state(factor), style),
                theme,
            ));
        }
        if security.mfa_required == Some(true) {
            lines.push(Line::styled(strings::MFA_REQUIRED, theme.muted()));
        }
        for (contact, label) in [
            (ContactKind::Email, strings::LABEL_ACCOUNT_EMAIL),
            (ContactKind::Phone, strings::LABEL_ACCOUNT_PHONE),
        ] {
            let value = match security.contact(contact) {
                Some(detail) => Span::raw(strings::contact_state(&detail.value, detail.verified)),
                None => Span::styled(strings::CONTACT_NONE, theme.muted()),
            };
            lines.push(row(label, value, theme));
        }
        if let Some(passkeys) = &security.passkeys {
            if passkeys.is_empty() {
                let none = Span::styled(strings::CONTACT_NONE, theme.muted());
                lines.push(row(strings::LABEL_PASSKEYS, none, theme));
            }
            for (index, passkey) in passkeys.iter().enumerate() {
                let label = if index == 0 {
                    strings::LABEL_PASSKEYS
                } else {
                    ""
                };
                let name = strings::passkey_name(&passkey.name, &passkey.credential_id);
                let added = crate::auth::verify::moment(passkey.created_at);
                let state = strings::passkey_state(&name, &added, passkey.on_this_machine);
                lines.push(row(label, Span::raw(state), theme));
            }
        }
        lines.push(Line::default());
        lines.push(Line::styled(strings::CHOOSE_ACTION, theme.label()));
        lines
    }

    /// The page around the actions: the state and what the last action did, then
    /// only the spinner under the list.
    fn page(&self, view: &ViewContext<'_>) -> ListPage<'_> {
        ListPage {
            intro: self.intro(view.theme),
            entries: u16::try_from(self.offers.len()).unwrap_or(u16::MAX),
            message: None,
            notice: None,
        }
    }

    /// The rows the screen needs at `width`.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        self.page(view).rows_needed(width, view)
    }

    /// Draws the state, the actions and the status.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let list = self.page(view).render(frame, area, view);
        let choices: Vec<Choice> = self
            .offers
            .iter()
            .map(|offer| Choice {
                label: offer.label.to_string(),
                api_name: offer.api_name.to_owned(),
                usable: true,
            })
            .collect();
        self.list.render(frame, list, &choices, view.theme);
    }
}

/// "E-mail codes      on": a label padded to one column, then its value.
fn row<'a>(label: &'a str, value: Span<'a>, theme: Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL_WIDTH$}"), theme.muted()),
        value,
    ])
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    //! Account security: the state drawn, the actions offered for it (never a factor
    //! the pool does not allow), each action sent, Esc going back, notices and refusals.

    use crossterm::event::KeyCode;

    use super::offers;
    use crate::auth::{
        AccountAction, Answer, ContactKind, Event, MfaKind, Note, PasskeyEntry, Step,
    };
    use crate::test_support::tui::{
        answer, at_account, footer_keys, key, refuse, render, screen, snapshot_both_sizes, text,
    };
    use crate::test_support::{security, security_enrolled};
    use crate::tui::app::{Effect, Msg};
    use crate::tui::strings;

    /// The actions a state offers, as they are sent.
    fn actions(step: &Step) -> Vec<AccountAction> {
        let Step::Security(state) = step else {
            panic!("not a security step: {step:?}");
        };
        offers(state).iter().map(|offer| offer.action).collect()
    }

    #[test]
    fn with_no_mfa_it_offers_to_add_each_allowed_factor_and_never_one_the_pool_forbids() {
        use AccountAction::*;
        assert_eq!(
            actions(&security()),
            [
                AddTotp,
                Enable(MfaKind::Email),
                Verify(ContactKind::Email),
                Change(ContactKind::Email),
                Change(ContactKind::Phone),
                ChangePassword,
                Close,
            ]
        );
        let drawn = render(&at_account(security()), 120, 40);
        assert!(drawn.contains("Add an authenticator app"), "{drawn}");
        assert!(drawn.contains("not allowed by this pool"), "{drawn}");
        assert!(!drawn.contains("Turn on SMS codes"), "{drawn}");
        assert!(drawn.contains("Add a phone number"), "{drawn}");
        assert!(drawn.contains("alice@example.com, not verified"), "{drawn}");
        assert!(!drawn.contains("requires MFA"), "{drawn}");
    }

    #[test]
    fn with_factors_on_it_offers_to_prefer_the_other_and_to_turn_each_off() {
        use AccountAction::*;
        assert_eq!(
            actions(&security_enrolled()),
            [
                AddTotp,
                Disable(MfaKind::SoftwareToken),
                Prefer(MfaKind::Email),
                Disable(MfaKind::Email),
                Enable(MfaKind::Sms),
                Change(ContactKind::Email),
                Verify(ContactKind::Phone),
                Change(ContactKind::Phone),
                ChangePassword,
                Close,
            ]
        );
        let drawn = text(&at_account(security_enrolled()), 120, 40);
        for said in [
            "Signed in as alice.",
            "Authenticator app ",
            "on, preferred",
            "Replace the authenticator app",
            "alice@example.com, verified",
            "+15555550123, not verified",
            strings::MFA_REQUIRED,
        ] {
            assert!(drawn.contains(said), "{said:?} in {drawn}");
        }
    }

    #[test]
    fn enter_sends_the_chosen_action_and_esc_goes_back() {
        let step = security_enrolled();
        for (index, action) in actions(&step).into_iter().enumerate() {
            let mut app = at_account(step.clone());
            for _ in 0..index {
                assert_eq!(app.update(key(KeyCode::Char('j'))), Effect::Redraw);
            }
            assert_eq!(screen!(app, Security).selected(), Some(action));
            assert_eq!(
                app.update(key(KeyCode::Enter)),
                answer(Answer::Account(action)),
                "{action:?}"
            );
            assert!(app.is_busy());
        }
        let mut app = at_account(step);
        assert_eq!(
            app.update(key(KeyCode::Esc)),
            answer(Answer::Account(AccountAction::Close))
        );
        assert_eq!(
            footer_keys(&at_account(security())),
            ["Enter", "↑/k", "↓/j", "Esc"]
        );
    }

    #[test]
    fn a_notice_is_good_news_and_a_refusal_an_error_and_a_move_clears_either() {
        let notice = "E-mail codes are on.";
        let mut app = at_account(security());
        app.update(Msg::Auth(Event::Step {
            step: security_enrolled(),
            note: Some(Note::Notice(notice.into())),
        }));
        assert_eq!(screen!(app, Security).notice(), Some(notice));
        assert_eq!(screen!(app, Security).message(), None);
        assert!(render(&app, 120, 40).contains(notice));
        assert_eq!(app.update(key(KeyCode::Down)), Effect::Redraw);
        assert_eq!(screen!(app, Security).notice(), None);
        assert!(!render(&app, 120, 40).contains(notice));

        let refused = "Cannot disable the last MFA method while MFA is required.";
        app.update(key(KeyCode::Enter));
        refuse(&mut app, "InvalidParameterException", refused);
        assert_eq!(screen!(app, Security).message(), Some(refused));
        assert!(render(&app, 120, 40).contains(refused));
        app.update(key(KeyCode::Up));
        assert_eq!(screen!(app, Security).message(), None);
    }

    #[test]
    fn the_notice_and_the_refusal_are_drawn_in_different_styles() {
        use crate::test_support::tui::draw;
        let notice = "E-mail codes are on.";
        let style_of = |app: &crate::tui::app::App, text: &str| {
            let buffer = draw(app, 120, 40);
            let area = buffer.area;
            (0..area.height)
                .find_map(|y| {
                    let row: String = (0..area.width)
                        .map(|x| buffer[(x, y)].symbol().to_owned())
                        .collect();
                    let x = row.find(text)?;
                    let x = u16::try_from(row[..x].chars().count()).ok()?;
                    Some(buffer[(x, y)].fg)
                })
                .unwrap_or_else(|| panic!("{text:?} not drawn"))
        };
        let mut app = at_account(security());
        app.update(Msg::Auth(Event::Step {
            step: security(),
            note: Some(Note::Notice(notice.into())),
        }));
        let good = style_of(&app, notice);
        app.update(key(KeyCode::Enter));
        refuse(&mut app, "InvalidParameterException", "Refused here.");
        let bad = style_of(&app, "Refused here.");
        assert_ne!(good, bad);
    }

    #[test]
    fn snapshot_security() {
        let mut app = at_account(security_enrolled());
        app.update(key(KeyCode::Down));
        snapshot_both_sizes!("security", &app);
    }

    #[test]
    fn snapshot_security_without_mfa_after_a_notice() {
        let mut app = at_account(security());
        app.update(Msg::Auth(Event::Step {
            step: security(),
            note: Some(Note::Notice("Your password was changed.".into())),
        }));
        snapshot_both_sizes!("security_no_mfa", &app);
    }

    /// alice's account security where the pool lists passkeys: one held on this
    /// machine with no friendly name, one named elsewhere.
    fn with_passkeys() -> Step {
        let Step::Security(mut state) = security() else {
            panic!("test_support::security is a security step");
        };
        state.passkeys = Some(vec![
            PasskeyEntry {
                credential_id: "q7Vh3kzPZ0mJx9bA".into(),
                name: String::new(),
                relying_party: "localhost".into(),
                created_at: 1_764_460_800,
                on_this_machine: true,
            },
            PasskeyEntry {
                credential_id: "AAAAbbbbCCCC".into(),
                name: "YubiKey 5".into(),
                relying_party: "localhost".into(),
                created_at: 1_764_460_800,
                on_this_machine: false,
            },
        ]);
        Step::Security(state)
    }

    #[test]
    fn passkeys_are_listed_and_each_can_be_deleted_and_one_added() {
        use AccountAction::*;
        let actions = actions(&with_passkeys());
        let close = actions.len() - 1;
        assert_eq!(
            actions[close - 4..],
            [
                AddPasskey,
                DeletePasskey(0),
                DeletePasskey(1),
                ChangePassword,
                Close
            ]
        );
        let drawn = text(&at_account(with_passkeys()), 120, 40);
        for said in [
            "Passkeys",
            "q7Vh3kzPZ0…, added 2025-11-30",
            "on this machine",
            "YubiKey 5, added",
            "Add a passkey on this machine",
            "Delete the passkey q7Vh3kzPZ0…",
            "Delete the passkey YubiKey 5",
        ] {
            assert!(drawn.contains(said), "{said:?} missing from:\n{drawn}");
        }
        // A pool that lists no passkeys (None) shows no passkey row and offers none.
        let plain = text(&at_account(security()), 120, 40);
        assert!(!plain.contains("Passkeys"), "{plain}");
        assert!(!actions_of_security().contains(&AddPasskey));
    }

    /// The actions of the plain `security()` state.
    fn actions_of_security() -> Vec<AccountAction> {
        actions(&security())
    }
}
