//! Steps answered by typed text: the sign-in form, a password alone, a new password with
//! its required attributes, the address for e-mail MFA, and a custom challenge's answer.

use std::collections::BTreeMap;
use std::io::Write;

use tokio::io::AsyncBufRead;

use super::{Console, Reply, strings};
use crate::auth::Answer;
use crate::sensitive::SensitiveString;

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// "Username [alice]: " then, when the flow starts with one, "Password: ".
    pub(super) async fn sign_in(&mut self, previous: &str, needs_password: bool) -> Reply<Answer> {
        let first_form = !std::mem::replace(&mut self.sign_in_shown, true);
        let username = if first_form && !previous.trim().is_empty() {
            // `--username` named the user: shown, not asked again.
            self.say(&strings::username_given(previous))?;
            previous.trim().to_owned()
        } else {
            self.ask_line(&strings::username_prompt(previous), |typed| {
                let previous = Some(previous).filter(|name| !name.is_empty());
                kept_or_typed(typed, previous, || strings::NEED_USERNAME.to_owned())
            })
            .await?
        };
        if !needs_password {
            let password = SensitiveString::from("");
            return Ok(Answer::SignIn { username, password });
        }
        let password = self
            .ask_secret(strings::PASSWORD_PROMPT, non_empty_password)
            .await?;
        if password.expose() == strings::FORGOT_PASSWORD_ANSWER {
            return Ok(Answer::ForgotPassword { username });
        }
        Ok(Answer::SignIn { username, password })
    }

    /// A reset's new password, typed twice.
    pub(super) async fn reset_password(&mut self, username: &str) -> Reply<Answer> {
        self.say(&strings::resetting_password_of(username))?;
        self.say(strings::RESET_PASSWORD_INTRO)?;
        let password = self.new_password_twice().await?;
        Ok(Answer::NewPassword {
            password,
            attributes: BTreeMap::new(),
        })
    }

    /// "Remember this device? [y/N]": an empty answer is no.
    pub(super) async fn remember_device(&mut self, device_name: &str) -> Reply<Answer> {
        self.say(&strings::remember_device(device_name))?;
        let remember = self
            .ask_line(strings::REMEMBER_PROMPT, |typed| {
                match typed.trim().to_ascii_lowercase().as_str() {
                    "y" | "yes" => Ok(true),
                    "" | "n" | "no" => Ok(false),
                    _ => Err(strings::YES_OR_NO.to_owned()),
                }
            })
            .await?;
        Ok(Answer::RememberDevice(remember))
    }

    /// A new password and its confirmation, asked again until they match.
    pub(super) async fn new_password_twice(&mut self) -> Reply<SensitiveString> {
        loop {
            let first = self
                .ask_secret(strings::NEW_PASSWORD_PROMPT, non_empty_password)
                .await?;
            let again = self.secret(strings::CONFIRM_PASSWORD_PROMPT).await?;
            if again.expose() == first.expose() {
                return Ok(first);
            }
            self.say(strings::PASSWORDS_DIFFER)?;
        }
    }

    /// "Password for alice: ", after PASSWORD or PASSWORD_SRP was chosen.
    pub(super) async fn password(&mut self, username: &str) -> Reply<Answer> {
        let password = self
            .ask_secret(&strings::password_for(username), non_empty_password)
            .await?;
        Ok(Answer::Password(password))
    }

    /// The address for e-mail MFA, asked until it looks like one.
    pub(super) async fn email_setup(&mut self, username: &str) -> Reply<Answer> {
        self.say(&strings::email_setup(username))?;
        let previous = self.kept.email.clone();
        let email = self
            .ask_line(&strings::email_prompt(previous.as_deref()), |typed| {
                let typed = typed.trim();
                match previous.as_deref() {
                    Some(previous) if typed.is_empty() => Ok(previous.to_owned()),
                    _ if crate::auth::step::looks_like_email(typed) => Ok(typed.to_owned()),
                    _ => Err(strings::NOT_AN_EMAIL.to_owned()),
                }
            })
            .await?;
        Ok(Answer::EmailSetup { email })
    }

    /// NEW_PASSWORD_REQUIRED: the current attributes, the new password twice, then one
    /// prompt per required attribute.
    pub(super) async fn new_password(
        &mut self,
        username: &str,
        required: &[String],
        current: &BTreeMap<String, String>,
    ) -> Reply<Answer> {
        self.say(&strings::new_password_needed(username))?;
        if !current.is_empty() {
            self.say(strings::CURRENT_ATTRIBUTES)?;
            for (name, value) in current {
                self.say(&strings::attribute_line(name, value))?;
            }
        }
        let password = self.new_password_twice().await?;
        if !required.is_empty() {
            self.say(strings::REQUIRED_ATTRIBUTES)?;
        }
        let mut attributes = BTreeMap::new();
        for name in required {
            let previous = self
                .kept
                .attributes
                .get(name)
                .or_else(|| current.get(name))
                .filter(|value| !value.is_empty())
                .cloned();
            let value = self
                .ask_line(
                    &strings::attribute_prompt(name, previous.as_deref()),
                    |typed| kept_or_typed(typed, previous.as_deref(), || strings::need_value(name)),
                )
                .await?;
            attributes.insert(name.clone(), value);
        }
        Ok(Answer::NewPassword {
            password,
            attributes,
        })
    }

    /// CUSTOM_CHALLENGE: the public parameters as a labelled list, then "Answer: ".
    pub(super) async fn custom(
        &mut self,
        parameters: &BTreeMap<String, String>,
        round: u32,
    ) -> Reply<Answer> {
        self.say(&strings::custom_round(round))?;
        if parameters.is_empty() {
            self.say(strings::NO_PARAMETERS)?;
        }
        for (name, value) in parameters {
            self.say(&strings::attribute_line(name, value))?;
        }
        let answer = self
            .ask_secret(strings::ANSWER_PROMPT, |typed| {
                if typed.trim().is_empty() {
                    Err(strings::NEED_ANSWER.to_owned())
                } else {
                    Ok(SensitiveString::from(typed))
                }
            })
            .await?;
        Ok(Answer::Custom(answer))
    }
}

/// The trimmed line, or `previous` for an empty one; `missing` when there is neither.
pub(super) fn kept_or_typed(
    typed: &str,
    previous: Option<&str>,
    missing: impl Fn() -> String,
) -> Result<String, String> {
    let typed = typed.trim();
    match previous {
        _ if !typed.is_empty() => Ok(typed.to_owned()),
        Some(previous) => Ok(previous.to_owned()),
        None => Err(missing()),
    }
}

/// Refuses an empty password before anything is sent.
pub(super) fn non_empty_password(typed: &str) -> Result<SensitiveString, String> {
    if typed.is_empty() {
        Err(strings::NEED_PASSWORD.to_owned())
    } else {
        Ok(SensitiveString::from(typed))
    }
}

#[cfg(test)]
mod tests {
    //! The typed answers: the sign-in form, a chosen password, an e-mail address, a new
    //! password with its attributes, a custom answer, "Remember this device?"; empty or
    //! malformed lines asked again without a call, and plain values kept after a refusal.

    use super::*;
    use crate::auth::{Command, Event, Outcome, Step};
    use crate::test_support::plain::{answered, drive, sign_in_sent, signed_in};
    use crate::test_support::{
        custom, email_setup, new_password, password, refusal, remember_device, sign_in,
        sign_in_answer, sign_in_without_password, wrong_password,
    };

    #[tokio::test]
    async fn empty_answers_are_asked_again_without_a_call() {
        let (outcome, printed) = drive("\n  \nbob\n\nsecret\n", |mut auth| async move {
            auth.step(sign_in("")).await;
            // The only command is the complete answer.
            assert_eq!(auth.next_command().await, sign_in_sent("bob", "secret"));
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)));
        assert_eq!(
            printed.matches("A username is needed.").count(),
            2,
            "{printed}"
        );
        assert_eq!(
            printed.matches("A password is needed.").count(),
            1,
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_username_given_by_flag_is_shown_not_asked_then_offered_after_a_refusal() {
        let (_, printed) = drive("wrong\n\npw\n", |mut auth| async move {
            // The first form has `--username carol`: only the password is read.
            auth.step(sign_in("carol")).await;
            assert_eq!(auth.next_command().await, sign_in_sent("carol", "wrong"));
            auth.send(Event::Refused(wrong_password())).await;
            // Asked again, the username is offered and kept by an empty line.
            assert_eq!(auth.next_command().await, sign_in_sent("carol", "pw"));
            auth.send(signed_in()).await;
        })
        .await;
        assert!(printed.contains("\nUsername: carol\nPassword"), "{printed}");
        assert!(printed.contains("Username [carol]: "), "{printed}");
    }

    #[tokio::test]
    async fn a_username_only_sign_in_asks_no_password() {
        let printed = answered(
            sign_in_without_password(""),
            "  alice \n",
            sign_in_answer("alice", ""),
        )
        .await;
        assert!(printed.contains("Username: "), "{printed}");
        assert!(!printed.contains("Password"), "{printed}");
    }

    #[tokio::test]
    async fn a_chosen_password_is_asked_naming_the_user() {
        let printed = answered(
            password(),
            "\nTr0ub4dor&3\n",
            Answer::Password("Tr0ub4dor&3".into()),
        )
        .await;
        assert!(printed.contains("Password for alice: "), "{printed}");
        assert!(printed.contains("A password is needed."), "{printed}");
        assert!(!printed.contains("Tr0ub4dor&3"), "{printed}");
    }

    #[tokio::test]
    async fn email_setup_asks_until_an_address_and_keeps_it_after_a_refusal() {
        let (outcome, printed) = drive(
            "nope\nalice@example\n@example.com\nalice@example.com\n\n",
            |mut auth| async move {
                auth.step(email_setup()).await;
                let sent = Some(Command::Answer(Answer::EmailSetup {
                    email: "alice@example.com".into(),
                }));
                assert_eq!(auth.next_command().await, sent);
                auth.send(Event::Refused(refusal(
                    "InvalidParameterException",
                    "The address was refused.",
                )))
                .await;
                // An empty line kept the address.
                assert_eq!(auth.next_command().await, sent);
                auth.send(signed_in()).await;
            },
        )
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains("Set up codes by e-mail for alice.\nE-mail address: "),
            "{printed}"
        );
        assert_eq!(
            printed.matches(strings::NOT_AN_EMAIL).count(),
            3,
            "{printed}"
        );
        assert!(
            printed.contains("The address was refused.\nSet up codes by e-mail for alice.\nE-mail address [alice@example.com]: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_new_password_is_confirmed_then_each_required_attribute_asked() {
        let printed = answered(
            new_password(),
            "\nNew-1!\nNew-2!\nNew-1!\nNew-1!\n\nAlice\n+15555550101\n",
            Answer::NewPassword {
                password: "New-1!".into(),
                attributes: [
                    ("name".to_owned(), "Alice".to_owned()),
                    ("phone_number".to_owned(), "+15555550101".to_owned()),
                ]
                .into(),
            },
        )
        .await;
        assert!(
            printed.contains(
                "alice must choose a new password.\nCurrent attributes:\n  email: alice@example.com\n  email_verified: true\nNew password: "
            ),
            "{printed}"
        );
        assert!(printed.contains("A password is needed."), "{printed}");
        assert_eq!(
            printed.matches(strings::PASSWORDS_DIFFER).count(),
            1,
            "{printed}"
        );
        assert!(printed.contains("New password again: "), "{printed}");
        assert!(
            printed.contains("The user pool needs these attributes:\nname: A value for name is needed.\nname: phone_number: "),
            "{printed}"
        );
        assert!(!printed.contains("New-1!"), "{printed}");
    }

    #[tokio::test]
    async fn a_refused_new_password_is_shown_and_the_attributes_kept() {
        let (outcome, printed) = drive(
            "weak\nweak\nAlice\n+15555550101\nStrong-1!\nStrong-1!\n\n\n",
            |mut auth| async move {
                auth.step(new_password()).await;
                let attributes: BTreeMap<String, String> = [
                    ("name".to_owned(), "Alice".to_owned()),
                    ("phone_number".to_owned(), "+15555550101".to_owned()),
                ]
                .into();
                assert_eq!(
                    auth.next_command().await,
                    Some(Command::Answer(Answer::NewPassword {
                        password: "weak".into(),
                        attributes: attributes.clone(),
                    }))
                );
                auth.send(Event::Refused(refusal(
                    "InvalidPasswordException",
                    "Password does not conform to policy: Password not long enough.",
                )))
                .await;
                assert_eq!(
                    auth.next_command().await,
                    Some(Command::Answer(Answer::NewPassword {
                        password: "Strong-1!".into(),
                        attributes,
                    }))
                );
                auth.send(signed_in()).await;
            },
        )
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains("Password does not conform to policy: Password not long enough.\nalice must choose a new password."),
            "{printed}"
        );
        assert!(
            printed.contains("name [Alice]: phone_number [+15555550101]: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_custom_round_lists_its_parameters_and_asks_the_answer() {
        let printed = answered(custom(2), " \n42\n", Answer::Custom("42".into())).await;
        assert!(
            printed.contains(
                "Custom challenge, round 2:\n  hint: A famous number\n  question: What is six times seven?\nAnswer: An answer is needed.\nAnswer: "
            ),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_custom_round_without_parameters_says_so() {
        let printed = answered(
            Step::Custom {
                parameters: Default::default(),
                round: 1,
            },
            "yes\n",
            Answer::Custom("yes".into()),
        )
        .await;
        assert!(
            printed.contains("round 1:\n  (no parameters)\nAnswer: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn remember_this_device_takes_y_or_n_and_an_empty_line_is_no() {
        for (typed, remember) in [("y\n", true), ("maybe\nn\n", false), ("\n", false)] {
            let (outcome, printed) = drive(typed, |mut auth| async move {
                auth.step(remember_device()).await;
                assert_eq!(
                    auth.next_command().await,
                    Some(Command::Answer(Answer::RememberDevice(remember)))
                );
                auth.send(signed_in()).await;
            })
            .await;
            assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
            assert!(printed.contains("build-box"), "{printed}");
            assert!(printed.contains("Remember this device? [y/N]"), "{printed}");
            if typed.starts_with("maybe") {
                assert!(printed.contains("Answer y or n."), "{printed}");
            }
        }
    }
}
