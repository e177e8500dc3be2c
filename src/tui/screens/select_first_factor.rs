//! SELECT_CHALLENGE (USER_AUTH): the first factors Cognito offers, as a list. A passkey
//! is chosen like any other factor (its own screen follows); unknown factors are shown
//! but only explained when chosen: nothing is sent.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::{Answer, Command, FirstFactor, Problem};
use crate::tui::keys::{self, Binding, Hint};
use crate::tui::screens::list_page::ListPage;
use crate::tui::screens::{Reaction, ViewContext, move_in, restart};
use crate::tui::strings;
use crate::tui::widgets::choice_list::{LIST_BINDINGS, ListAction};
use crate::tui::widgets::{Choice, ChoiceList};

/// The screen's title.
pub const TITLE: &str = strings::TITLE_CHOOSE_SIGN_IN;

/// The footer entries of this screen.
pub fn hints() -> Vec<Hint> {
    keys::hints(LIST_BINDINGS)
}

/// The person's name for a first factor.
pub fn factor_label(factor: &FirstFactor) -> String {
    match factor {
        FirstFactor::Password => strings::FACTOR_PASSWORD.to_owned(),
        FirstFactor::PasswordSrp => strings::FACTOR_PASSWORD_SRP.to_owned(),
        FirstFactor::EmailOtp => strings::FACTOR_EMAIL_OTP.to_owned(),
        FirstFactor::SmsOtp => strings::FACTOR_SMS_OTP.to_owned(),
        FirstFactor::WebAuthn => strings::FACTOR_WEB_AUTHN.to_owned(),
        FirstFactor::Other(name) => name.clone(),
    }
}

/// The first-factor list's state.
#[derive(Debug)]
pub struct SelectFirstFactor {
    username: String,
    options: Vec<FirstFactor>,
    list: ChoiceList,
    /// Why the chosen entry cannot be used, or the server's refusal.
    message: Option<String>,
}

impl SelectFirstFactor {
    /// The list for these options; the first usable one is chosen to begin with.
    pub fn new(username: String, options: Vec<FirstFactor>) -> Self {
        let first_usable = options.iter().position(FirstFactor::is_usable).unwrap_or(0);
        Self {
            username,
            list: ChoiceList::with_selected(options.len(), first_usable),
            options,
            message: None,
        }
    }

    /// The factor under the cursor.
    pub fn selected(&self) -> Option<&FirstFactor> {
        self.options.get(self.list.selected())
    }

    /// The explanation or error on show, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// A refused answer: stay on the list and say why.
    pub fn show_error(&mut self, problem: Problem) {
        self.message = Some(problem.sentence);
    }

    /// Handles a pressed key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Reaction {
        match Binding::find(LIST_BINDINGS, key) {
            Some(ListAction::Choose) => self.choose(),
            Some(ListAction::Up) => move_in(&mut self.list, ChoiceList::up, &mut self.message),
            Some(ListAction::Down) => move_in(&mut self.list, ChoiceList::down, &mut self.message),
            Some(ListAction::Restart) => restart(&self.username),
            None => Reaction::Ignored,
        }
    }

    /// Enter: a usable factor is sent; an unknown factor is explained.
    fn choose(&mut self) -> Reaction {
        let Some(factor) = self.selected().cloned() else {
            return Reaction::Ignored;
        };
        match factor {
            FirstFactor::Other(name) => {
                self.message = Some(strings::factor_unusable(&name));
                Reaction::Changed
            }
            usable => {
                self.message = None;
                Reaction::Send(Command::Answer(Answer::FirstFactor(usable)))
            }
        }
    }

    /// The page around the list: who signs in, the question and the message.
    fn page(&self, view: &ViewContext<'_>) -> ListPage<'_> {
        ListPage {
            intro: vec![
                Line::styled(strings::signing_in_as(&self.username), view.theme.muted()),
                Line::styled(strings::CHOOSE_FIRST_FACTOR, view.theme.label()),
            ],
            entries: u16::try_from(self.options.len()).unwrap_or(u16::MAX),
            message: self.message.as_deref(),
            notice: None,
        }
    }

    /// The rows the screen needs at `width`.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>) -> u16 {
        self.page(view).rows_needed(width, view)
    }

    /// Draws who signs in, the list and the message.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: &ViewContext<'_>) {
        let theme = view.theme;
        let list = self.page(view).render(frame, area, view);
        let choices: Vec<Choice> = self
            .options
            .iter()
            .map(|factor| Choice {
                label: factor_label(factor),
                api_name: factor.api_name().to_owned(),
                usable: factor.is_usable(),
            })
            .collect();
        self.list.render(frame, list, &choices, theme);
    }
}

#[cfg(test)]
mod tests {
    //! SELECT_CHALLENGE's list: moving with arrows and j/k, sending the choice (a passkey
    //! too), and explaining a factor this console cannot use instead of sending it.

    use crossterm::event::KeyCode;

    use crate::auth::{Answer, FirstFactor};
    use crate::test_support::first_factors;
    use crate::test_support::tui::{answer, at, key, render, screen, snapshot_both_sizes};
    use crate::tui::app::Effect;
    use crate::tui::strings;

    #[test]
    fn first_factor_list_moves_with_arrows_and_j_k_and_sends_the_choice() {
        let mut app = at(first_factors());
        // The first usable factor, the passkey, is chosen to begin with: nothing above.
        assert_eq!(app.update(key(KeyCode::Up)), Effect::None);
        assert_eq!(app.update(key(KeyCode::Char('j'))), Effect::Redraw);
        assert_eq!(app.update(key(KeyCode::Down)), Effect::Redraw);
        assert_eq!(app.update(key(KeyCode::Up)), Effect::Redraw);
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::FirstFactor(FirstFactor::Password))
        );
    }

    #[test]
    fn a_passkey_is_sent_like_any_other_factor() {
        let mut app = at(first_factors());
        assert_eq!(
            screen!(app, SelectFirstFactor).selected(),
            Some(&FirstFactor::WebAuthn)
        );
        let drawn = render(&app, 80, 24);
        let row = drawn.lines().find(|row| row.contains("Passkey"));
        assert!(
            row.is_some_and(|row| !row.contains(strings::NOT_HERE)),
            "{drawn}"
        );
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::FirstFactor(FirstFactor::WebAuthn))
        );
        assert!(app.is_busy());
    }

    #[test]
    fn an_unknown_factor_is_explained_and_nothing_is_sent() {
        let mut app = at(first_factors());
        for _ in 0..10 {
            app.update(key(KeyCode::Char('j')));
        }
        assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
        assert!(!app.is_busy());
        let screen = screen!(app, SelectFirstFactor);
        assert_eq!(
            screen.message(),
            Some(strings::factor_unusable("MAGIC_LINK").as_str())
        );
        assert!(render(&app, 120, 40).contains("MAGIC_LINK cannot be used in this console"));
        // Another choice still works.
        app.update(key(KeyCode::Up));
        assert_eq!(
            app.update(key(KeyCode::Enter)),
            answer(Answer::FirstFactor(FirstFactor::SmsOtp))
        );
    }

    #[test]
    fn snapshot_select_first_factor_with_an_unknown_factor_explained() {
        let mut app = at(first_factors());
        for _ in 0..10 {
            app.update(key(KeyCode::Down));
        }
        app.update(key(KeyCode::Enter));
        snapshot_both_sizes!("select_first_factor", &app);
    }
}
