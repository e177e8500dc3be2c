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
        let username = self
            .ask_line(&strings::username_prompt(previous), |typed| {
                let previous = Some(previous).filter(|name| !name.is_empty());
                kept_or_typed(typed, previous, || strings::NEED_USERNAME.to_owned())
            })
            .await?;
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
    async fn new_password_twice(&mut self) -> Reply<SensitiveString> {
        loop {
            let first = self
                .ask_secret(strings::NEW_PASSWORD_PROMPT, non_empty_password)
                .await?;
            self.prompt(strings::CONFIRM_PASSWORD_PROMPT)?;
            let again = self.secret().await?;
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
                    _ if looks_like_email(typed) => Ok(typed.to_owned()),
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
fn kept_or_typed(
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
fn non_empty_password(typed: &str) -> Result<SensitiveString, String> {
    if typed.is_empty() {
        Err(strings::NEED_PASSWORD.to_owned())
    } else {
        Ok(SensitiveString::from(typed))
    }
}

/// Something before an '@', and a dot with something on both sides after it.
fn looks_like_email(typed: &str) -> bool {
    let Some((local, domain)) = typed.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !typed.contains(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_has_a_name_an_at_and_a_dotted_domain() {
        for good in ["alice@example.com", "a.b+c@mail.example.co.uk"] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in [
            "",
            "alice",
            "alice@example",
            "@example.com",
            "alice@.com",
            "alice@example.",
            "al ice@example.com",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
