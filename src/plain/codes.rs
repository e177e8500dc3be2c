//! Steps answered by a one-time code: SMS_MFA, SMS_OTP, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
//! and enrolling an authenticator app (MFA_SETUP with a software token). A code of the
//! wrong shape is refused here, before anything is sent.

use std::io::Write;

use tokio::io::AsyncBufRead;
use zeroize::Zeroizing;

use super::{Console, Reply, strings};
use crate::auth::{Answer, CodePrompt};
use crate::sensitive::SensitiveString;

/// What was typed at a code prompt.
enum Typed {
    Code(SensitiveString),
    Resend,
}

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// Where the code went, then "Code: " (or "Code (or r to resend): ") until it has
    /// the right number of digits.
    pub(super) async fn code(&mut self, prompt: &CodePrompt) -> Reply<Answer> {
        self.say(&where_the_code_is(prompt))?;
        let length = prompt.length;
        let ask = if prompt.can_resend {
            strings::CODE_PROMPT_RESEND
        } else {
            strings::CODE_PROMPT
        };
        let typed = self
            .ask_secret(ask, |typed| {
                if prompt.can_resend && typed.trim().eq_ignore_ascii_case("r") {
                    return Ok(Typed::Resend);
                }
                digits(typed, length)
                    .map(Typed::Code)
                    .ok_or_else(|| strings::code_has_digits(length))
            })
            .await?;
        match typed {
            Typed::Code(code) => Ok(Answer::Code(code)),
            Typed::Resend => {
                self.say(strings::RESENDING)?;
                Ok(Answer::ResendCode)
            }
        }
    }

    /// A password reset's code, sent where ForgotPassword said; `r` asks for another.
    pub(super) async fn reset_code(
        &mut self,
        username: &str,
        prompt: &CodePrompt,
    ) -> Reply<Answer> {
        self.say(&strings::resetting_password_of(username))?;
        self.code(prompt).await
    }

    /// The secret in groups of four and the otpauth URI to add to an authenticator app,
    /// then its first code and an optional name for it.
    pub(super) async fn totp_setup(
        &mut self,
        username: &str,
        issuer: &str,
        secret: &SensitiveString,
        uri: &SensitiveString,
        code_length: usize,
    ) -> Reply<Answer> {
        self.say(&strings::totp_setup(username, issuer))?;
        self.say(strings::TOTP_HOW)?;
        self.say(&strings::totp_secret(&in_groups_of_four(secret.expose())))?;
        self.say(&strings::totp_uri(uri.expose()))?;
        let code = self
            .ask_secret(strings::TOTP_CODE_PROMPT, |typed| {
                digits(typed, code_length).ok_or_else(|| strings::code_has_digits(code_length))
            })
            .await?;
        let device_name = self
            .ask_line(strings::DEVICE_NAME_PROMPT, |typed| {
                let typed = typed.trim();
                Ok((!typed.is_empty()).then(|| typed.to_owned()))
            })
            .await?;
        Ok(Answer::TotpSetup { code, device_name })
    }
}

/// The line above the code prompt: where the code went, or which authenticator to open.
fn where_the_code_is(prompt: &CodePrompt) -> String {
    strings::code_came_from(
        prompt.medium,
        prompt.destination.as_deref(),
        prompt.device_name.as_deref(),
    )
}

/// The typed code without its spaces, if it is exactly `length` ASCII digits.
fn digits(typed: &str, length: usize) -> Option<SensitiveString> {
    let code = SensitiveString::from(
        typed
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    );
    let exposed = code.expose();
    (exposed.len() == length && exposed.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// "JBSW Y3DP EHPK 3PXP": a base32 secret in groups of four, easier to type.
fn in_groups_of_four(secret: &str) -> Zeroizing<String> {
    let mut grouped = Zeroizing::new(String::with_capacity(secret.len() + secret.len() / 4));
    for (index, c) in secret.chars().filter(|c| !c.is_whitespace()).enumerate() {
        if index > 0 && index % 4 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_exactly_its_length_in_digits_with_spaces_ignored() {
        assert_eq!(
            digits(" 123 456 ", 6).map(|c| c.expose().clone()),
            Some("123456".into())
        );
        assert!(digits("12345", 6).is_none());
        assert!(digits("1234567", 6).is_none());
        assert!(digits("12a456", 6).is_none());
        assert!(digits("١٢٣٤٥٦", 6).is_none(), "only ASCII digits");
        assert_eq!(
            digits("12345678", 8).map(|c| c.expose().clone()),
            Some("12345678".into())
        );
    }

    #[test]
    fn secrets_are_grouped_in_fours() {
        assert_eq!(
            in_groups_of_four("JBSWY3DPEHPK3PXP").as_str(),
            "JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(in_groups_of_four("ABCDEF").as_str(), "ABCD EF");
        assert_eq!(in_groups_of_four("").as_str(), "");
    }
}
