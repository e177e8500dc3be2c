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

/// A first factor's entry; unknown factors carry their refusal.
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

#[cfg(test)]
mod tests {
    //! The numbered lists: a choice by number or API name, an entry this console cannot
    //! use explained and asked again without a call, and a list with nothing usable
    //! ending the sign-in with a sentence.

    use super::strings;
    use crate::auth::{Answer, FirstFactor, MfaKind, Outcome, Problem, Step};
    use crate::test_support::plain::{answered, drive};
    use crate::test_support::{every_mfa, select_first_factor};

    /// SELECT_CHALLENGE offering SRP, an e-mail code, a passkey and a factor this console
    /// has never heard of.
    fn first_factors() -> Step {
        select_first_factor(vec![
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::WebAuthn,
            FirstFactor::Other("FACE_ID".into()),
        ])
    }

    #[tokio::test]
    async fn a_first_factor_is_chosen_by_number_or_by_name() {
        let printed = answered(
            first_factors(),
            "2\n",
            Answer::FirstFactor(FirstFactor::EmailOtp),
        )
        .await;
        assert!(
            printed.contains("Choose how alice signs in:\n"),
            "{printed}"
        );
        assert!(
            printed.contains("1) Password, proven by SRP without sending it (PASSWORD_SRP)\n"),
            "{printed}"
        );
        assert!(
            printed.contains("2) Code by e-mail (EMAIL_OTP)\n"),
            "{printed}"
        );
        assert!(printed.contains("3) Passkey (WEB_AUTHN)\n"), "{printed}");
        assert!(
            printed.contains("4) FACE_ID: this console does not support it."),
            "{printed}"
        );
        assert!(printed.contains("Choice (number or name): "), "{printed}");

        answered(
            first_factors(),
            " password_srp \n",
            Answer::FirstFactor(FirstFactor::PasswordSrp),
        )
        .await;
    }

    #[tokio::test]
    async fn a_passkey_is_chosen_by_number_or_by_name() {
        for typed in ["3\n", "web_authn\n"] {
            answered(
                first_factors(),
                typed,
                Answer::FirstFactor(FirstFactor::WebAuthn),
            )
            .await;
        }
        // Offered alone, it is still a choice.
        answered(
            select_first_factor(vec![FirstFactor::WebAuthn]),
            "1\n",
            Answer::FirstFactor(FirstFactor::WebAuthn),
        )
        .await;
    }

    #[tokio::test]
    async fn an_unknown_factor_is_explained_and_asked_again_without_a_call() {
        let printed = answered(
            first_factors(),
            "4\nFACE_ID\n0\n5\nsomething\n\n1\n",
            Answer::FirstFactor(FirstFactor::PasswordSrp),
        )
        .await;
        assert_eq!(
            printed
                .matches("This console does not support FACE_ID. Choose another way.")
                .count(),
            2,
            "{printed}"
        );
        assert_eq!(
            printed
                .matches("Type a number from 1 to 4, or a name from the list.")
                .count(),
            4,
            "{printed}"
        );
    }

    #[tokio::test]
    async fn unknown_factors_alone_end_the_sign_in_with_a_sentence() {
        let (outcome, printed) = drive("1\n", |mut auth| async move {
            auth.step(select_first_factor(vec![FirstFactor::Other(
                "FACE_ID".into(),
            )]))
            .await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(
            outcome,
            Outcome::Failed(Problem::sentence(strings::NO_USABLE_FIRST_FACTOR))
        );
        assert!(printed.contains("1) FACE_ID"), "{printed}");
    }

    #[tokio::test]
    async fn select_mfa_lists_every_factor_and_takes_a_number_or_a_name() {
        let printed = answered(
            Step::SelectMfa {
                options: every_mfa(),
            },
            "sms_mfa\n",
            Answer::Mfa(MfaKind::Sms),
        )
        .await;
        assert!(
            printed.contains(
                "Choose the second factor for this sign-in:\n  1) Authenticator app (SOFTWARE_TOKEN_MFA)\n  2) Code by e-mail (EMAIL_OTP)\n  3) Code by text message (SMS_MFA)\n"
            ),
            "{printed}"
        );
        answered(
            Step::SelectMfa {
                options: every_mfa(),
            },
            "1\n",
            Answer::Mfa(MfaKind::SoftwareToken),
        )
        .await;
    }

    #[tokio::test]
    async fn mfa_setup_explains_sms_and_asks_again_without_a_call() {
        let printed = answered(
            Step::SelectMfaSetup {
                options: every_mfa(),
            },
            "3\nSMS_MFA\n2\n",
            Answer::MfaSetup(MfaKind::Email),
        )
        .await;
        assert!(
            printed.contains(
                "3) Code by text message (SMS_MFA): an administrator must add a phone number first."
            ),
            "{printed}"
        );
        assert_eq!(
            printed.matches(strings::SMS_NEEDS_PHONE).count(),
            2,
            "{printed}"
        );
    }

    #[tokio::test]
    async fn mfa_setup_offering_sms_alone_ends_with_a_sentence() {
        let (outcome, _) = drive("", |mut auth| async move {
            auth.step(Step::SelectMfaSetup {
                options: vec![MfaKind::Sms],
            })
            .await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(
            outcome,
            Outcome::Failed(Problem::sentence(strings::NO_USABLE_MFA_SETUP))
        );
    }
}
