//! Steps answered by choosing from a numbered list: SELECT_CHALLENGE's first factors,
//! SELECT_MFA_TYPE and MFA_SETUP. An answer is a number or an API name; entries this
//! console cannot use are listed with the reason, and choosing one explains and asks again.

use std::io::Write;

use tokio::io::AsyncBufRead;

use super::{Console, Reply, strings};
use crate::auth::{Answer, FirstFactor, MfaKind};

/// One entry of a numbered list.
struct Choice<T> {
    value: T,
    /// The name in the API, accepted as an answer.
    api_name: String,
    /// What the list shows.
    label: String,
    /// Why it cannot be chosen here, said when it is; `None` when it can.
    refusal: Option<String>,
}

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// SELECT_CHALLENGE; `None` when nothing offered can be used here.
    pub(super) async fn first_factor(
        &mut self,
        username: &str,
        options: &[FirstFactor],
    ) -> Reply<Option<Answer>> {
        let choices: Vec<_> = options.iter().map(first_factor_choice).collect();
        let chosen = self
            .choose(&strings::choose_first_factor(username), &choices)
            .await?;
        Ok(chosen.map(Answer::FirstFactor))
    }

    /// SELECT_MFA_TYPE: every option can be chosen; `None` for an empty list.
    pub(super) async fn mfa(&mut self, options: &[MfaKind]) -> Reply<Option<Answer>> {
        let choices: Vec<_> = options
            .iter()
            .map(|&kind| mfa_choice(kind, false))
            .collect();
        let chosen = self.choose(strings::CHOOSE_MFA, &choices).await?;
        Ok(chosen.map(Answer::Mfa))
    }

    /// MFA_SETUP with several factors; SMS is only explained. `None` when nothing else is offered.
    pub(super) async fn mfa_setup(&mut self, options: &[MfaKind]) -> Reply<Option<Answer>> {
        let choices: Vec<_> = options.iter().map(|&kind| mfa_choice(kind, true)).collect();
        let chosen = self.choose(strings::CHOOSE_MFA_SETUP, &choices).await?;
        Ok(chosen.map(Answer::MfaSetup))
    }

    /// Shows the list and asks until a usable entry is chosen; `None` (after showing
    /// the list) when no entry is usable.
    async fn choose<T: Clone>(&mut self, header: &str, choices: &[Choice<T>]) -> Reply<Option<T>> {
        self.say(header)?;
        for (index, choice) in choices.iter().enumerate() {
            self.say(&strings::option_line(index + 1, &choice.label))?;
        }
        if choices.iter().all(|choice| choice.refusal.is_some()) {
            return Ok(None);
        }
        loop {
            let chosen = self
                .ask_line(strings::CHOICE_PROMPT, |typed| {
                    pick(choices, typed).ok_or_else(|| strings::not_a_choice(choices.len()))
                })
                .await?;
            match &chosen.refusal {
                Some(why) => self.say(why)?,
                None => return Ok(Some(chosen.value.clone())),
            }
        }
    }
}

/// The entry a typed answer names: a number from 1, or an API name in any case.
fn pick<'a, T>(choices: &'a [Choice<T>], typed: &str) -> Option<&'a Choice<T>> {
    let typed = typed.trim();
    if let Ok(number) = typed.parse::<usize>() {
        return number.checked_sub(1).and_then(|index| choices.get(index));
    }
    choices
        .iter()
        .find(|choice| choice.api_name.eq_ignore_ascii_case(typed))
}

/// A first factor's entry; passkeys and unknown factors carry their refusal.
fn first_factor_choice(factor: &FirstFactor) -> Choice<FirstFactor> {
    let api_name = factor.api_name();
    Choice {
        value: factor.clone(),
        api_name: api_name.to_owned(),
        label: strings::first_factor_label(api_name),
        refusal: (!factor.is_usable()).then(|| strings::cannot_use_first_factor(api_name)),
    }
}

/// A second factor's entry. On MFA_SETUP (`setup`) SMS cannot be chosen: enrolling it
/// needs a phone number that only an administrator can add.
fn mfa_choice(kind: MfaKind, setup: bool) -> Choice<MfaKind> {
    let api_name = kind.api_name();
    let explained = setup && kind == MfaKind::Sms;
    let label = if explained {
        strings::SMS_SETUP_LABEL.to_owned()
    } else {
        strings::mfa_label(api_name)
    };
    Choice {
        value: kind,
        api_name: api_name.to_owned(),
        label,
        refusal: explained.then(|| strings::SMS_NEEDS_PHONE.to_owned()),
    }
}
