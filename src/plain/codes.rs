//! Steps answered by a one-time code: SMS_MFA, SMS_OTP, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
//! and enrolling an authenticator app (MFA_SETUP with a software token). A code of the
//! wrong shape is refused here, before anything is sent.

use std::io::Write;

use tokio::io::AsyncBufRead;
use zeroize::Zeroizing;

use super::{Console, Reply, strings};
use crate::auth::{Answer, CodeLength, CodePrompt};
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
        // A code is no secret once sent: it is echoed as typed, so a typo can be seen.
        let typed = self
            .ask_line(ask, |typed| {
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
        code_length: CodeLength,
    ) -> Reply<Answer> {
        self.say(&strings::totp_setup(username, issuer))?;
        self.say(strings::TOTP_HOW)?;
        self.say(&strings::totp_secret(&in_groups_of_four(secret.expose())))?;
        self.say(&strings::totp_uri(uri.expose()))?;
        let code = self
            .ask_line(strings::TOTP_CODE_PROMPT, |typed| {
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

/// The typed code without its spaces, if it is ASCII digits of a length `length` takes.
fn digits(typed: &str, length: CodeLength) -> Option<SensitiveString> {
    let code = SensitiveString::from(
        typed
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    );
    let exposed = code.expose();
    (length.accepts(exposed.len()) && exposed.bytes().all(|b| b.is_ascii_digit())).then_some(code)
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
    //! One-time codes and authenticator enrolment: where the code went, digits only and
    //! of the step's length, r for a new code where Cognito sends one, a refused code asked
    //! again, and the enrolment secret and URI as text.

    use super::*;
    use crate::auth::{CodeMedium, Command, Event, Outcome, Step};
    use crate::test_support::plain::{answered, drive, signed_in};
    use crate::test_support::{
        TOTP_URI, authenticator_code, code_prompt, email_code, refusal, sms_code, totp_setup,
    };

    #[test]
    fn a_code_of_known_length_is_exactly_that_many_digits_with_spaces_ignored() {
        let six = CodeLength::Exactly(6);
        assert_eq!(
            digits(" 123 456 ", six).map(|c| c.expose().clone()),
            Some("123456".into())
        );
        assert!(digits("12345", six).is_none());
        assert!(digits("1234567", six).is_none());
        assert!(digits("12a456", six).is_none());
        assert!(digits("١٢٣٤٥٦", six).is_none(), "only ASCII digits");
        let eight = CodeLength::Exactly(8);
        assert_eq!(
            digits("12345678", eight).map(|c| c.expose().clone()),
            Some("12345678".into())
        );
        assert!(digits("123456", eight).is_none());
    }

    #[test]
    fn an_mfa_or_reset_code_takes_six_to_eight_digits() {
        let sent = CodeLength::Between { min: 6, max: 8 };
        for code in ["123456", "1234567", "12345678"] {
            assert_eq!(
                digits(code, sent).map(|c| c.expose().clone()),
                Some(code.to_owned())
            );
        }
        assert!(digits("12345", sent).is_none());
        assert!(digits("123456789", sent).is_none());
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

    #[tokio::test]
    async fn a_code_says_where_it_went_and_is_digits_only() {
        let printed = answered(
            sms_code(false),
            "12345\n12 34 5a\nr\n 123 456 \n",
            Answer::Code("123456".into()),
        )
        .await;
        assert!(
            printed.contains("A code was sent by text message to +*******0101.\nCode: "),
            "{printed}"
        );
        assert_eq!(
            printed
                .matches("The code is 6 to 8 digits; type just the digits.")
                .count(),
            3,
            "no resend here, so r is not a code either: {printed}"
        );
        assert!(!printed.contains("resend"), "{printed}");
        assert!(!printed.contains("is 6 digits"), "{printed}");
        assert!(
            !printed.contains("123"),
            "the code is not echoed: {printed}"
        );
    }

    #[tokio::test]
    async fn a_passwordless_code_is_eight_digits_as_the_step_says() {
        let mut step = code_prompt(CodeMedium::Email, None, false);
        if let Step::Code(prompt) = &mut step {
            prompt.length = CodeLength::Exactly(8);
        }
        let printed = answered(step, "123456\n12345678\n", Answer::Code("12345678".into())).await;
        assert!(
            printed.contains("A code was sent by e-mail.\n"),
            "{printed}"
        );
        assert!(printed.contains("The code is 8 digits"), "{printed}");
    }

    #[tokio::test]
    async fn r_asks_for_a_new_code_where_cognito_sends_one() {
        let (outcome, printed) = drive("R\n654321\n", |mut auth| async move {
            auth.step(email_code()).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::ResendCode))
            );
            auth.step(email_code()).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("654321".into())))
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert_eq!(
            printed
                .matches("A code was sent by e-mail to a***@e***.\nCode (or r to resend): ")
                .count(),
            2,
            "{printed}"
        );
        assert!(printed.contains("Asking for a new code."), "{printed}");
        // "Signing in…" comes only before the code itself goes out, never the resend.
        assert!(
            printed.contains("Asking for a new code.\nA code was sent"),
            "{printed}"
        );
        assert_eq!(printed.matches("Signing in…").count(), 1, "{printed}");
    }

    #[tokio::test]
    async fn an_authenticator_code_names_the_device() {
        let printed = answered(
            authenticator_code(Some("My phone")),
            "000000\n",
            Answer::Code("000000".into()),
        )
        .await;
        assert!(
            printed.contains("Enter the code your authenticator app shows for My phone.\nCode: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_wrong_code_is_shown_and_the_code_asked_again() {
        let step = code_prompt(CodeMedium::Sms, Some("+*******0101"), true);
        let (outcome, printed) = drive("111111\n222222\n", |mut auth| async move {
            auth.step(step).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("111111".into())))
            );
            auth.send(Event::Refused(refusal(
                "CodeMismatchException",
                "Invalid code received for user.",
            )))
            .await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("222222".into())))
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains("Invalid code received for user.\nA code was sent by text message to +*******0101.\nCode (or r to resend): "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn totp_setup_shows_the_secret_and_uri_then_asks_the_code_and_a_name() {
        let printed = answered(
            totp_setup(),
            "12345\n123456\n  My phone  \n",
            Answer::TotpSetup {
                code: "123456".into(),
                device_name: Some("My phone".into()),
            },
        )
        .await;
        assert!(
            printed.contains("Set up an authenticator app for alice (issuer My Corp).\n"),
            "{printed}"
        );
        assert!(
            printed.contains("Secret: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP\n"),
            "{printed}"
        );
        assert!(
            printed.contains(&format!("URI:    {TOTP_URI}\n")),
            "{printed}"
        );
        assert!(printed.contains("no QR code"), "{printed}");
        assert!(printed.contains("The code is 6 digits"), "{printed}");
        assert!(
            printed.contains("Name for this authenticator (optional, Enter to skip): "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn totp_setup_without_a_name_sends_none() {
        answered(
            totp_setup(),
            "654321\n\n",
            Answer::TotpSetup {
                code: "654321".into(),
                device_name: None,
            },
        )
        .await;
    }
}
