//! Account security in the line front end: the status block a signed-in person's second
//! factors and contact details make, the code that verifies an e-mail address or phone
//! number, a new address or number, and a password change. An authenticator added from
//! here uses the enrolment prompts of `codes`.

use std::io::{self, Write};

use tokio::io::AsyncBufRead;

use super::forms::{kept_or_typed, non_empty_password};
use super::{Console, Reply, strings};
use crate::auth::{AccountAction, Answer, CodePrompt, ContactKind, Factor, MfaKind, Security};

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// The status block: each second factor and its state, the contact details and
    /// whether they are verified, and what the pool requires when that is known.
    pub(super) fn security(&mut self, security: &Security) -> io::Result<()> {
        for line in status_lines(security) {
            self.say(&line)?;
        }
        Ok(())
    }

    /// The code sent to prove an e-mail address or phone number is the person's; `r`
    /// asks for another where one can be sent.
    pub(super) async fn contact_code(
        &mut self,
        contact: ContactKind,
        prompt: &CodePrompt,
        then_enable: Option<MfaKind>,
    ) -> Reply<Answer> {
        self.say(&strings::verifying(contact, then_enable))?;
        self.code(prompt).await
    }

    /// A new e-mail address or phone number, asked until it looks like one; an empty
    /// line keeps the one offered.
    pub(super) async fn contact_form(
        &mut self,
        contact: ContactKind,
        current: Option<&str>,
    ) -> Reply<Answer> {
        self.say(&strings::changing_contact(contact))?;
        let current = current.filter(|value| !value.trim().is_empty());
        let (prompt, wrong) = match contact {
            ContactKind::Email => (strings::email_prompt(current), strings::NOT_AN_EMAIL),
            ContactKind::Phone => (strings::phone_prompt(current), strings::NOT_A_PHONE),
        };
        let value = self
            .ask_line(&prompt, |typed| {
                kept_or_typed(typed, current, || wrong.to_owned()).and_then(|value| {
                    contact
                        .looks_valid(&value)
                        .then_some(value)
                        .ok_or_else(|| wrong.to_owned())
                })
            })
            .await?;
        Ok(Answer::Contact(value))
    }

    /// ChangePassword: the current password, then the new one twice.
    pub(super) async fn change_password(&mut self, username: &str) -> Reply<Answer> {
        self.say(&strings::changing_password_of(username))?;
        let current = self
            .ask_secret(strings::CURRENT_PASSWORD_PROMPT, non_empty_password)
            .await?;
        let proposed = self.new_password_twice().await?;
        Ok(Answer::ChangePassword { current, proposed })
    }
}

/// Where an account run is on its way: the signed-in task first opens account security
/// (it takes nothing else there), and account security then takes the action; account
/// security coming back after that ends the run. `Open` itself ends at the first.
#[derive(Debug)]
pub(super) struct Errand {
    action: AccountAction,
    opened: bool,
    acted: bool,
}

impl Errand {
    /// Nothing sent yet.
    pub(super) fn new(action: AccountAction) -> Self {
        Self {
            action,
            opened: false,
            acted: action == AccountAction::Open,
        }
    }

    /// The answer to the signed-in step: `Open` the first time; `None` after that (the
    /// task went back to it, so account security closed).
    pub(super) fn at_signed_in(&mut self) -> Option<Answer> {
        (!std::mem::replace(&mut self.opened, true)).then_some(Answer::Account(AccountAction::Open))
    }

    /// The answer to account security: the action the first time; `None` once it has
    /// been taken (or was `Open`): the run is done.
    pub(super) fn at_security(&mut self) -> Option<Answer> {
        (!std::mem::replace(&mut self.acted, true)).then_some(Answer::Account(self.action))
    }
}

/// What to print while the auth task carries out `action`: nothing where it only shows
/// a form (a new address, a password change) or goes back.
pub(super) fn busy_line(action: AccountAction) -> Option<&'static str> {
    match action {
        AccountAction::Open => Some(strings::READING_SECURITY),
        AccountAction::AddTotp => Some(strings::ASKING_FOR_TOTP_SECRET),
        AccountAction::Enable(_) | AccountAction::Disable(_) | AccountAction::Prefer(_) => {
            Some(strings::CHANGING_MFA)
        }
        AccountAction::Verify(_) => Some(strings::ASKING_FOR_CODE),
        AccountAction::AddPasskey => Some(strings::ADDING_PASSKEY),
        AccountAction::DeletePasskey(_) => Some(strings::DELETING_PASSKEY),
        AccountAction::Change(_) | AccountAction::ChangePassword | AccountAction::Close => None,
    }
}

/// The status block's lines, factors in the order Cognito gives them.
fn status_lines(security: &Security) -> Vec<String> {
    let mut lines = vec![strings::security_of(&security.username)];
    lines.extend(
        security
            .factors
            .iter()
            .map(|factor| strings::factor_line(factor.kind, factor_state(factor))),
    );
    for contact in [ContactKind::Email, ContactKind::Phone] {
        let detail = security.contact(contact);
        lines.push(strings::contact_line(
            contact,
            detail.map(|detail| (detail.value.as_str(), detail.verified)),
        ));
    }
    match security.mfa_required {
        Some(true) => lines.push(strings::MFA_REQUIRED.to_owned()),
        Some(false) => lines.push(strings::MFA_OPTIONAL.to_owned()),
        None => {}
    }
    lines
}

/// "on, preferred", "on", "off", or why the pool does not allow it.
fn factor_state(factor: &Factor) -> &'static str {
    match (factor.allowed, factor.enabled, factor.preferred) {
        (Some(false), _, _) => strings::FACTOR_NOT_ALLOWED,
        (_, true, true) => strings::FACTOR_PREFERRED,
        (_, true, false) => strings::FACTOR_ON,
        (_, false, _) => strings::FACTOR_OFF,
    }
}

#[cfg(test)]
mod tests {
    //! Account security in a whole run: the status block, the action refused at once,
    //! a contact detail's code (resent, refused and asked again), a new address or number
    //! checked before it is sent, a password change typed twice, an authenticator added
    //! with the enrolment prompts, and the input ending on the way.

    use super::*;
    use crate::auth::{Enrolment, Event, Step};
    use crate::plain::AccountOutcome;
    use crate::test_support::plain::{account_answered, drive_account, security_changed, shown};
    use crate::test_support::{
        account_totp_setup, change_password, contact_code, contact_form, refusal, security,
        security_enrolled,
    };

    /// What a run printed after opening account security, which every run does first.
    fn after_opening(printed: &str) -> &str {
        let rest = printed
            .strip_prefix(strings::READING_SECURITY)
            .and_then(|rest| rest.strip_prefix('\n'));
        assert!(
            rest.is_some(),
            "account security is opened first: {printed}"
        );
        rest.unwrap_or_default()
    }

    #[test]
    fn the_status_block_names_each_factor_and_contact_detail_with_its_state() {
        assert_eq!(
            status_lines(&shown(security_enrolled())),
            [
                "Account security of alice:",
                "  Code by text message (SMS_MFA): off",
                "  Authenticator app (SOFTWARE_TOKEN_MFA): on, preferred",
                "  Code by e-mail (EMAIL_OTP): on",
                "  E-mail address: alice@example.com (verified)",
                "  Phone number: +15555550123 (not verified)",
                "  This user pool requires a second factor, so the last one cannot be turned off.",
            ]
        );
        let mut none_yet = *shown(security());
        assert_eq!(
            status_lines(&none_yet),
            [
                "Account security of alice:",
                "  Code by text message (SMS_MFA): off: this user pool does not allow it",
                "  Authenticator app (SOFTWARE_TOKEN_MFA): off",
                "  Code by e-mail (EMAIL_OTP): off",
                "  E-mail address: alice@example.com (not verified)",
                "  Phone number: none",
            ],
            "nothing said of the pool's requirement when it is not known"
        );
        none_yet.mfa_required = Some(false);
        assert!(status_lines(&none_yet).contains(&strings::MFA_OPTIONAL.to_owned()));
    }

    #[tokio::test]
    async fn opening_account_security_prints_the_status_and_ends() {
        let (outcome, printed) = drive_account("", AccountAction::Open, |auth| async move {
            auth.step(security()).await;
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Done(shown(security())));
        assert!(
            printed.starts_with(&format!(
                "{}\nAccount security of alice:\n  Code by text message (SMS_MFA): off: this user pool does not allow it\n",
                strings::READING_SECURITY
            )),
            "{printed}"
        );
        assert!(!printed.contains(strings::SIGNING_IN), "{printed}");
        assert!(
            !printed.contains("Signed in"),
            "no sign-in summary: {printed}"
        );
    }

    #[tokio::test]
    async fn a_change_prints_its_notice_but_not_the_status() {
        let action = AccountAction::Prefer(MfaKind::Email);
        let (outcome, printed) = drive_account("", action, |auth| async move {
            auth.send(security_changed("Codes by e-mail are now preferred."))
                .await;
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Done(shown(security())));
        assert_eq!(
            printed,
            format!(
                "{}\n{}\nCodes by e-mail are now preferred.\n",
                strings::READING_SECURITY,
                strings::CHANGING_MFA
            ),
            "account security is opened first, quietly"
        );
    }

    #[tokio::test]
    async fn an_action_refused_at_once_fails_with_its_sentence_said_once_by_the_caller() {
        let problem = refusal(
            "InvalidParameterException",
            "The last second factor cannot be turned off: this user pool requires one.",
        );
        let sent = problem.clone();
        let action = AccountAction::Disable(MfaKind::SoftwareToken);
        let (outcome, printed) = drive_account("", action, |auth| async move {
            auth.send(Event::Refused(sent)).await;
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Failed(problem));
        assert!(!printed.contains("cannot be turned off"), "{printed}");
    }

    #[tokio::test]
    async fn back_at_the_signed_in_screen_is_a_failure_with_a_sentence() {
        let (outcome, _) = drive_account("", AccountAction::Open, |auth| async move {
            auth.send(crate::test_support::plain::signed_in()).await;
        })
        .await;
        assert_eq!(
            outcome,
            AccountOutcome::Failed(crate::auth::Problem::sentence(strings::ACCOUNT_CLOSED))
        );
    }

    #[tokio::test]
    async fn a_contact_code_says_what_it_verifies_and_what_turns_on_then() {
        let printed = account_answered(
            AccountAction::Enable(MfaKind::Email),
            contact_code(ContactKind::Email, Some(MfaKind::Email)),
            "12345\n 123 456 \n",
            Answer::Code("123456".into()),
        )
        .await;
        assert!(
            printed.contains(
                "Verify the e-mail address first; then EMAIL_OTP (code by e-mail) is turned on.\nA code was sent by e-mail to a***@e***.\nCode (or r to resend): "
            ),
            "{printed}"
        );
        assert!(
            printed.contains("The code is 6 to 8 digits; type just the digits."),
            "{printed}"
        );
        assert!(printed.contains(strings::CHECKING_CODE), "{printed}");
        assert!(!printed.contains(strings::SIGNING_IN), "{printed}");
    }

    #[tokio::test]
    async fn a_contact_code_is_resent_with_r_and_a_wrong_one_asked_again() {
        let action = AccountAction::Verify(ContactKind::Phone);
        let (outcome, printed) =
            drive_account("r\n111111\n222222\n", action, |mut auth| async move {
                auth.step(contact_code(ContactKind::Phone, None)).await;
                assert_eq!(
                    auth.next_command().await,
                    Some(crate::auth::Command::Answer(Answer::ResendCode))
                );
                auth.step(contact_code(ContactKind::Phone, None)).await;
                assert_eq!(
                    auth.next_command().await,
                    Some(crate::auth::Command::Answer(Answer::Code("111111".into())))
                );
                auth.send(Event::Refused(refusal(
                    "CodeMismatchException",
                    "Invalid verification code provided, please try again.",
                )))
                .await;
                assert_eq!(
                    auth.next_command().await,
                    Some(crate::auth::Command::Answer(Answer::Code("222222".into())))
                );
                auth.send(security_changed("The phone number is verified."))
                    .await;
            })
            .await;
        assert_eq!(outcome, AccountOutcome::Done(shown(security())));
        assert!(
            after_opening(&printed).starts_with(strings::ASKING_FOR_CODE),
            "{printed}"
        );
        assert!(
            printed.contains(&format!(
                "{}\nVerify the phone number.\nA code was sent by text message to +*******0123.",
                strings::RESENDING
            )),
            "{printed}"
        );
        assert!(
            printed.contains(
                "Invalid verification code provided, please try again.\nVerify the phone number.\n"
            ),
            "{printed}"
        );
        assert!(
            printed.ends_with("The phone number is verified.\n"),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn the_input_ending_at_a_code_quits_saying_nothing_was_changed() {
        let action = AccountAction::Verify(ContactKind::Email);
        let (outcome, printed) = drive_account("", action, |mut auth| async move {
            auth.step(contact_code(ContactKind::Email, None)).await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Quit);
        assert!(
            printed.ends_with(&format!("{}\n", strings::INPUT_ENDED_ACCOUNT)),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_refused_code_at_the_end_of_input_fails_with_the_refusal() {
        let problem = refusal("ExpiredCodeException", "The code has expired.");
        let sent = problem.clone();
        let action = AccountAction::Verify(ContactKind::Email);
        let (outcome, _) = drive_account("123456\n", action, |mut auth| async move {
            auth.step(contact_code(ContactKind::Email, None)).await;
            auth.next_command().await;
            auth.send(Event::Refused(sent)).await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Failed(problem));
    }

    #[tokio::test]
    async fn a_new_address_is_checked_and_an_empty_line_keeps_the_one_offered() {
        let action = AccountAction::Change(ContactKind::Email);
        let printed = account_answered(
            action,
            contact_form(ContactKind::Email, None),
            "\nalice@example\nalice@example.org\n",
            Answer::Contact("alice@example.org".into()),
        )
        .await;
        assert!(
            after_opening(&printed).starts_with(
                "Change the e-mail address: a code goes to the new one to verify it.\nE-mail address: "
            ),
            "no busy line before a form: {printed}"
        );
        assert_eq!(
            printed.matches(strings::NOT_AN_EMAIL).count(),
            2,
            "{printed}"
        );
        assert!(printed.contains(strings::SAVING_CONTACT), "{printed}");

        let printed = account_answered(
            action,
            contact_form(ContactKind::Email, Some("alice@example.com")),
            "\n",
            Answer::Contact("alice@example.com".into()),
        )
        .await;
        assert!(
            printed.contains("E-mail address [alice@example.com]: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_new_phone_number_must_be_in_international_form() {
        let printed = account_answered(
            AccountAction::Change(ContactKind::Phone),
            contact_form(ContactKind::Phone, None),
            "555 0101\n+1 555 555 0101\n+15555550199\n",
            Answer::Contact("+15555550199".into()),
        )
        .await;
        assert!(
            printed.contains("Phone number, such as +15555550101: "),
            "{printed}"
        );
        assert_eq!(
            printed.matches(strings::NOT_A_PHONE).count(),
            2,
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_refused_address_is_offered_again() {
        let action = AccountAction::Change(ContactKind::Email);
        let (outcome, printed) =
            drive_account("alice@example.org\n\n", action, |mut auth| async move {
                auth.step(contact_form(ContactKind::Email, Some("alice@example.com")))
                    .await;
                let sent = Some(crate::auth::Command::Answer(Answer::Contact(
                    "alice@example.org".into(),
                )));
                assert_eq!(auth.next_command().await, sent);
                auth.send(Event::Refused(refusal(
                    "AliasExistsException",
                    "An account with the given email already exists.",
                )))
                .await;
                assert_eq!(auth.next_command().await, sent);
                auth.send(security_changed("Saved.")).await;
            })
            .await;
        assert_eq!(outcome, AccountOutcome::Done(shown(security())));
        assert!(
            printed.contains("E-mail address [alice@example.org]: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_password_change_asks_the_current_one_then_the_new_one_twice() {
        let printed = account_answered(
            AccountAction::ChangePassword,
            change_password(),
            "\nOld-Password-1!\nNew-Password-2!\nNew-Password-3!\nNew-Password-2!\nNew-Password-2!\n",
            Answer::ChangePassword {
                current: "Old-Password-1!".into(),
                proposed: "New-Password-2!".into(),
            },
        )
        .await;
        assert!(
            after_opening(&printed)
                .starts_with("Changing the password of alice.\nCurrent password: "),
            "{printed}"
        );
        assert_eq!(
            printed.matches(strings::NEED_PASSWORD).count(),
            1,
            "{printed}"
        );
        assert_eq!(
            printed.matches(strings::PASSWORDS_DIFFER).count(),
            1,
            "{printed}"
        );
        assert!(printed.contains(strings::CHANGING_PASSWORD), "{printed}");
        assert!(
            !printed.contains("Password-"),
            "no password echoed: {printed}"
        );
    }

    #[tokio::test]
    async fn a_refused_new_password_asks_everything_again() {
        let action = AccountAction::ChangePassword;
        let input = "Old-1!\nweak\nweak\nOld-1!\nStrong-Password-2!\nStrong-Password-2!\n";
        let (outcome, printed) = drive_account(input, action, |mut auth| async move {
            auth.step(change_password()).await;
            assert_eq!(
                auth.next_command().await,
                Some(crate::auth::Command::Answer(Answer::ChangePassword {
                    current: "Old-1!".into(),
                    proposed: "weak".into(),
                }))
            );
            auth.send(Event::Refused(refusal(
                "InvalidPasswordException",
                "Password does not conform to policy: Password not long enough.",
            )))
            .await;
            assert_eq!(
                auth.next_command().await,
                Some(crate::auth::Command::Answer(Answer::ChangePassword {
                    current: "Old-1!".into(),
                    proposed: "Strong-Password-2!".into(),
                }))
            );
            auth.send(security_changed("Your password was changed."))
                .await;
        })
        .await;
        assert_eq!(outcome, AccountOutcome::Done(shown(security())));
        assert!(
            printed.contains(
                "Password not long enough.\nChanging the password of alice.\nCurrent password: "
            ),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn an_authenticator_added_from_account_security_uses_the_enrolment_prompts() {
        let step = account_totp_setup();
        assert!(matches!(
            step,
            Step::TotpSetup {
                enrolment: Enrolment::Account,
                ..
            }
        ));
        let printed = account_answered(
            AccountAction::AddTotp,
            step,
            "123456\nMy phone\n",
            Answer::TotpSetup {
                code: "123456".into(),
                device_name: Some("My phone".into()),
            },
        )
        .await;
        assert!(
            after_opening(&printed).starts_with(&format!(
                "{}\nSet up an authenticator app for alice (issuer My Corp).\n",
                strings::ASKING_FOR_TOTP_SECRET
            )),
            "{printed}"
        );
        assert!(
            printed.contains("  Secret: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP\n"),
            "{printed}"
        );
        assert!(printed.contains(strings::CHECKING_CODE), "{printed}");
        assert!(!printed.contains(strings::SIGNING_IN), "{printed}");
    }
}
