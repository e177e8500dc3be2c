//! What the two second-factor lists (SELECT_MFA_TYPE and MFA_SETUP) share: the person's
//! name for each factor, and the list's state and drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::auth::MfaKind;
use crate::tui::screens::list_page::ListPage;
use crate::tui::screens::{Reaction, ViewContext, move_in};
use crate::tui::strings;
use crate::tui::widgets::{Choice, ChoiceList};

/// The person's name for a second factor.
pub fn label(kind: MfaKind) -> &'static str {
    match kind {
        MfaKind::SoftwareToken => strings::MFA_SOFTWARE_TOKEN,
        MfaKind::Email => strings::MFA_EMAIL,
        MfaKind::Sms => strings::MFA_SMS,
    }
}

/// The entries as drawn; `usable` says which can be chosen here.
pub fn choices(options: &[MfaKind], usable: impl Fn(MfaKind) -> bool) -> Vec<Choice> {
    options
        .iter()
        .map(|kind| Choice {
            label: label(*kind).to_owned(),
            api_name: kind.api_name().to_owned(),
            usable: usable(*kind),
        })
        .collect()
}

/// The state both lists share: the options, the cursor, the message, who to restart as.
#[derive(Debug)]
pub struct MfaList {
    /// Who to start again as (Esc).
    pub username: String,
    /// The factors offered, in the server's order.
    pub options: Vec<MfaKind>,
    /// Which one is under the cursor.
    pub list: ChoiceList,
    /// An explanation or the server's refusal, under the list.
    pub message: Option<String>,
}

impl MfaList {
    /// A list with the first option chosen.
    pub fn new(username: &str, options: Vec<MfaKind>) -> Self {
        Self {
            username: username.to_owned(),
            list: ChoiceList::new(options.len()),
            options,
            message: None,
        }
    }

    /// The factor under the cursor.
    pub fn selected(&self) -> Option<MfaKind> {
        self.options.get(self.list.selected()).copied()
    }

    /// Moves the cursor; a move clears the message.
    pub fn moved(&mut self, step: fn(&mut ChoiceList) -> bool) -> Reaction {
        move_in(&mut self.list, step, &mut self.message)
    }

    /// The page around the list: who signs in, the question and the message.
    fn page(&self, view: &ViewContext<'_>, intro: &str) -> ListPage<'_> {
        let mut lines = Vec::with_capacity(2);
        if !self.username.is_empty() {
            lines.push(Line::styled(
                strings::signing_in_as(&self.username),
                view.theme.muted(),
            ));
        }
        lines.push(Line::styled(intro.to_owned(), view.theme.label()));
        ListPage {
            intro: lines,
            entries: u16::try_from(self.options.len()).unwrap_or(u16::MAX),
            message: self.message.as_deref(),
            notice: None,
        }
    }

    /// The rows the list needs at `width`.
    pub fn rows_needed(&self, width: u16, view: &ViewContext<'_>, intro: &str) -> u16 {
        self.page(view, intro).rows_needed(width, view)
    }

    /// Draws the intro sentence, the list and the message.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &ViewContext<'_>,
        intro: &str,
        usable: impl Fn(MfaKind) -> bool,
    ) {
        let theme = view.theme;
        let list = self.page(view, intro).render(frame, area, view);
        self.list
            .render(frame, list, &choices(&self.options, usable), theme);
    }
}
