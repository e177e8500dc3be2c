//! WEB_AUTHN as lines: whose passkey and for which relying party, then Enter to have the
//! security key or the software passkey sign (or `back` for a fresh sign-in, `switch`
//! for the other authenticator). Where this machine holds no software passkey for the
//! account and there is nothing to switch to, the lines say so and how to get one, and
//! the sign-in starts afresh so another way can be chosen. A security key's PIN is read
//! without echo.

use std::io::Write;

use tokio::io::AsyncBufRead;

use super::{Console, Reply, strings};
use crate::auth::{Answer, KeyPinPrompt, PasskeyAuthenticator, PasskeyPrompt};

/// What the person did on the passkey step.
pub(super) enum PasskeyReply {
    /// Sign in with the passkey.
    Answer(Answer),
    /// Start a fresh sign-in: typed `back`, or there is no passkey to sign with.
    Restart,
}

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// The passkey step: Enter signs in, `back` starts again, `switch` (where allowed)
    /// takes the other authenticator; without a software passkey here and nothing to
    /// switch to, the explanation and a fresh sign-in.
    pub(super) async fn passkey(&mut self, prompt: &PasskeyPrompt) -> Reply<PasskeyReply> {
        let PasskeyPrompt {
            username,
            relying_party,
            authenticator,
            can_switch,
            ..
        } = prompt;
        self.say(&strings::passkey_for(username, relying_party))?;
        let on_security_key = match *authenticator {
            PasskeyAuthenticator::SecurityKey { plugged_in } => {
                self.say(strings::using_security_key(plugged_in))?;
                true
            }
            PasskeyAuthenticator::Software { held: true } => {
                self.say(&strings::using_software_passkey(username))?;
                false
            }
            PasskeyAuthenticator::Software { held: false } => {
                self.say(&strings::no_software_passkey(username, relying_party))?;
                self.say(strings::GET_A_PASSKEY)?;
                if !can_switch {
                    self.say(strings::STARTING_AGAIN)?;
                    return Ok(PasskeyReply::Restart);
                }
                false
            }
        };
        if *can_switch {
            self.say(strings::switch_offer(on_security_key))?;
        }
        let can_sign = on_security_key
            || matches!(authenticator, PasskeyAuthenticator::Software { held: true });
        let line_prompt = if on_security_key {
            strings::SECURITY_KEY_PROMPT
        } else {
            strings::PASSKEY_PROMPT
        };
        let can_switch = *can_switch;
        self.ask_line(line_prompt, |typed| {
            match typed.trim().to_ascii_lowercase().as_str() {
                "" if can_sign => Ok(PasskeyReply::Answer(Answer::WebAuthn)),
                strings::BACK_ANSWER => Ok(PasskeyReply::Restart),
                strings::SWITCH_ANSWER if can_switch => {
                    Ok(PasskeyReply::Answer(Answer::SwitchAuthenticator))
                }
                _ if can_switch => Err(strings::ENTER_BACK_OR_SWITCH.to_owned()),
                _ => Err(strings::ENTER_OR_BACK.to_owned()),
            }
        })
        .await
    }

    /// The security key's PIN, read without echo; a wrong one is said first, with the
    /// tries left.
    pub(super) async fn key_pin(&mut self, prompt: &KeyPinPrompt) -> Reply<Answer> {
        if prompt.wrong {
            self.say(&strings::wrong_key_pin(prompt.retries))?;
        } else {
            self.say(&strings::key_pin_intro(&prompt.relying_party))?;
        }
        self.ask_secret(strings::KEY_PIN_PROMPT, |pin| {
            if pin.is_empty() {
                Err(strings::NEED_KEY_PIN.to_owned())
            } else {
                Ok(Answer::KeyPin(pin.into()))
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    //! The passkey step as lines: Enter signs in, `back` and a missing passkey start a
    //! fresh sign-in, a refusal is said and asked again.

    use crate::auth::{Answer, Command, Event, Outcome, Problem};
    use crate::test_support::plain::{answered, drive, sign_in_sent, signed_in};
    use crate::test_support::{
        FakeAuth, key_pin, passkey, passkey_on_key, sign_in, sign_in_without_password,
    };

    /// The first sign-in form, for alice, asking no password (`--username alice`: shown,
    /// not asked), so a later form asks the username again.
    async fn signs_in_without_password(auth: &mut FakeAuth) {
        auth.step(sign_in_without_password("alice")).await;
        assert_eq!(auth.next_command().await, sign_in_sent("alice", ""));
    }

    #[tokio::test]
    async fn enter_signs_in_with_the_software_passkey() {
        let printed = answered(passkey(true), "\n", Answer::WebAuthn).await;
        assert!(
            printed.contains(
                "Sign in with a passkey for alice at localhost.\nUsing the software passkey for alice.\nPress Enter to sign in with the software passkey (or type 'back'): "
            ),
            "{printed}"
        );
        assert!(printed.contains("Signing in…"), "{printed}");
    }

    #[tokio::test]
    async fn on_a_security_key_enter_signs_in_and_switch_takes_the_software_passkey() {
        let printed = answered(passkey_on_key(), "\n", Answer::WebAuthn).await;
        assert!(
            printed.contains(
                "Using your security key.\nType 'switch' to use the software passkey instead.\nPress Enter, then touch your security key when it blinks (or type 'back'): "
            ),
            "{printed}"
        );
        let printed = answered(
            passkey_on_key(),
            "maybe\n Switch \n",
            Answer::SwitchAuthenticator,
        )
        .await;
        assert!(
            printed.contains("Press Enter to sign in, or type back or switch."),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn the_keys_pin_is_asked_again_when_empty_and_a_wrong_one_says_the_tries_left() {
        let printed = answered(
            key_pin(false, None),
            "\n4831\n",
            Answer::KeyPin("4831".into()),
        )
        .await;
        assert!(
            printed.contains("Your security key asks for its PIN to use its passkey for localhost.\nSecurity key PIN (Ctrl-C to give up): Enter the security key's PIN."),
            "{printed}"
        );
        let printed = answered(
            key_pin(true, Some(2)),
            "1234\n",
            Answer::KeyPin("1234".into()),
        )
        .await;
        assert!(
            printed.contains("Wrong PIN: 2 tries left before the key blocks its PIN."),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn what_the_key_asks_meanwhile_is_said_as_it_comes() {
        let (outcome, printed) = drive("\n", |mut auth| async move {
            auth.step(passkey_on_key()).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::WebAuthn))
            );
            auth.send(Event::Progress("Touch your security key.".into()))
                .await;
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains("Signing in…\nTouch your security key.\n"),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn anything_but_enter_or_back_is_asked_again() {
        let printed = answered(passkey(true), "yes\n  BACKWARDS \n \n", Answer::WebAuthn).await;
        assert_eq!(
            printed
                .matches("Press Enter to sign in, or type back.")
                .count(),
            2,
            "{printed}"
        );
    }

    #[tokio::test]
    async fn back_starts_a_fresh_sign_in_with_the_same_username() {
        let (outcome, printed) = drive(" Back \n\nPassw0rd!\n", |mut auth| async move {
            signs_in_without_password(&mut auth).await;
            auth.step(passkey(true)).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Restart {
                    username: "alice".into()
                })
            );
            auth.step(sign_in("alice")).await;
            assert_eq!(
                auth.next_command().await,
                sign_in_sent("alice", "Passw0rd!")
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(printed.contains("Username [alice]: "), "{printed}");
    }

    #[tokio::test]
    async fn without_a_passkey_it_explains_and_starts_a_fresh_sign_in() {
        let (outcome, printed) = drive("\nPassw0rd!\n", |mut auth| async move {
            signs_in_without_password(&mut auth).await;
            auth.step(passkey(false)).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Restart {
                    username: "alice".into()
                })
            );
            auth.step(sign_in("alice")).await;
            assert_eq!(
                auth.next_command().await,
                sign_in_sent("alice", "Passw0rd!")
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains(
                "Sign in with a passkey for alice at localhost.\nThis machine holds no software passkey for alice at localhost.\nTo get one, sign in another way, then add a passkey from account security or with `cognito-signin passkeys add`.\n"
            ),
            "{printed}"
        );
        assert!(!printed.contains("Press Enter"), "{printed}");
        assert!(printed.contains("Username [alice]: "), "{printed}");
    }

    #[tokio::test]
    async fn a_refusal_is_said_and_the_passkey_offered_again() {
        let sentence = "Cognito did not accept the passkey's signature.";
        let (outcome, printed) = drive("\n\n", |mut auth| async move {
            auth.step(passkey(true)).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::WebAuthn))
            );
            auth.send(Event::Refused(Problem::sentence(sentence))).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::WebAuthn))
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains(&format!(
                "{sentence}\nSign in with a passkey for alice at localhost."
            )),
            "{printed}"
        );
        assert_eq!(printed.matches("(or type 'back')").count(), 2, "{printed}");
    }
}
