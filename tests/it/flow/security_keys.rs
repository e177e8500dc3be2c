//! Passkeys on a FIDO2 security key, end to end: the real auth task and wire client, the
//! `authenticator` crate's ceremonies, and a scripted key (`support::security_key`)
//! against the local pool, which verifies the key's packed attestation and signatures.
//! A person adds a passkey on a key that asks for its PIN (getting it wrong once), then
//! signs in with it; failures (a key removed mid-way, a key without the account's
//! passkey, a PIN blocked) leave them on the passkey step with a sentence.

use cognito_signin::auth::{
    AccountAction, Answer, AuthFlow, AuthenticatorKind, Command, Event, FirstFactor, KeyPinPrompt,
    Note, PasskeyAuthenticator, PasskeyPrompt, Security, Step,
};
use cognito_signin::passkey::SoftwarePasskeys;

use crate::support::flow::{
    DemoClient, Flow, demo_flow, sign_in_with_chosen_password, signed_in_as, step, step_and_note,
};
use crate::support::pool::client_of;
use crate::support::security_key::ScriptedKey;

/// The demo's choice-based user; the demo pool allows WEB_AUTHN first.
const USER: &str = "pat";

/// The key's PIN in these stories.
const PIN: &str = "4831";

fn security(step: Step) -> Box<Security> {
    match step {
        Step::Security(security) => security,
        other => panic!("expected account security, got {other:?}"),
    }
}

fn pin_prompt(step: Step) -> KeyPinPrompt {
    match step {
        Step::KeyPin(prompt) => prompt,
        other => panic!("expected the key's PIN step, got {other:?}"),
    }
}

fn passkey_prompt(step: Step) -> PasskeyPrompt {
    match step {
        Step::WebAuthn(prompt) => prompt,
        other => panic!("expected the passkey step, got {other:?}"),
    }
}

/// A fresh sign-in that chooses the passkey: the passkey step.
async fn choose_passkey(flow: &mut Flow) -> PasskeyPrompt {
    flow.command(Command::Restart {
        username: USER.into(),
    })
    .await;
    flow.sign_in(USER, "").await;
    passkey_prompt(step(
        flow.answer(Answer::FirstFactor(FirstFactor::WebAuthn))
            .await,
    ))
}

/// A flow on `key`, with an empty software-passkey folder (kept alive by the caller).
async fn flow_on(
    key: &ScriptedKey,
    folder: &tempfile::TempDir,
) -> (cognito_signin::local_pool::RunningPool, Flow) {
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.passkeys = Some(SoftwarePasskeys::at(folder.path()));
    settings.security_keys = key.keys();
    demo_flow(settings).await
}

/// Adds a passkey on the key from account security (giving the PIN if it asks).
async fn enrol(flow: &mut Flow, key: &ScriptedKey) {
    sign_in_with_chosen_password(flow, USER).await;
    flow.answer(Answer::Account(AccountAction::Open)).await;
    let mut event = flow
        .answer(Answer::Account(AccountAction::AddPasskey))
        .await;
    if key.state.lock().unwrap().pin.is_some() {
        pin_prompt(step(event));
        event = flow.answer(Answer::KeyPin(PIN.into())).await;
    }
    let (shown, note) = step_and_note(event);
    security(shown);
    assert!(
        matches!(&note, Some(Note::Notice(said)) if said.contains("security key")),
        "{note:?}"
    );
    flow.answer(Answer::Account(AccountAction::Close)).await;
}

#[tokio::test]
async fn a_passkey_is_added_on_a_security_key_with_its_pin_then_signs_in() {
    let key = ScriptedKey::new(Some(PIN));
    let folder = tempfile::tempdir().unwrap();
    let (_pool, mut flow) = flow_on(&key, &folder).await;
    sign_in_with_chosen_password(&mut flow, USER).await;
    flow.answer(Answer::Account(AccountAction::Open)).await;

    // The key asks for its PIN; a wrong one comes back with the tries left.
    let asked = pin_prompt(step(
        flow.answer(Answer::Account(AccountAction::AddPasskey))
            .await,
    ));
    assert_eq!(asked.relying_party, "localhost");
    assert!(asked.enrolling && !asked.wrong, "{asked:?}");
    let again = pin_prompt(step(flow.answer(Answer::KeyPin("0000".into())).await));
    assert!(again.wrong, "{again:?}");
    assert_eq!(again.retries, Some(7));
    // An empty PIN is refused without reaching the key.
    let refused = flow.answer(Answer::KeyPin("".into())).await;
    assert!(
        matches!(&refused, Event::Refused(problem) if problem.sentence.contains("PIN")),
        "{refused:?}"
    );

    // The right PIN, a touch: the pool verified the attestation and lists the passkey.
    let (shown, note) = step_and_note(flow.answer(Answer::KeyPin(PIN.into())).await);
    assert_eq!(
        note,
        Some(Note::Notice(
            "Passkey added: your security key can now sign in.".into()
        ))
    );
    let listed = security(shown).passkeys.clone().unwrap();
    let [added] = listed.as_slice() else {
        panic!("one passkey: {listed:?}");
    };
    assert!(!added.on_this_machine, "it lives on the key: {added:?}");
    assert_eq!(added.relying_party, "localhost");
    assert_eq!(key.credentials(), 1);
    assert!(
        flow.progress
            .contains(&"Touch your security key.".to_owned())
    );
    flow.answer(Answer::Account(AccountAction::Close)).await;

    // Sign in with it: a key is plugged in, so the passkey step is on the key.
    let prompt = choose_passkey(&mut flow).await;
    assert_eq!(
        prompt.authenticator,
        PasskeyAuthenticator::SecurityKey {
            plugged_in: Some(true)
        }
    );
    assert!(prompt.can_switch);
    let asked = pin_prompt(step(flow.answer(Answer::WebAuthn).await));
    assert_eq!(asked.relying_party, "localhost");
    assert!(!asked.enrolling);
    signed_in_as(flow.answer(Answer::KeyPin(PIN.into())).await, USER);
    assert_eq!(
        key.state.lock().unwrap().pins_given,
        ["0000", PIN, PIN],
        "every PIN typed reached the key, and only those"
    );
}

#[tokio::test]
async fn a_key_removed_mid_way_or_without_the_passkey_keeps_the_person_on_the_passkey_step() {
    let key = ScriptedKey::new(None);
    let folder = tempfile::tempdir().unwrap();
    let (pool, mut flow) = flow_on(&key, &folder).await;
    enrol(&mut flow, &key).await;

    // Several keys: the person is told to touch the one to use, and it signs in.
    key.state.lock().unwrap().several_keys = true;
    choose_passkey(&mut flow).await;
    signed_in_as(flow.answer(Answer::WebAuthn).await, USER);
    assert!(
        flow.progress
            .iter()
            .any(|said| said.starts_with("Several security keys are plugged in")),
        "{:?}",
        flow.progress
    );

    // Removed after the touch: back on the passkey step, on the key, saying so.
    key.state.lock().unwrap().removed_mid_way = true;
    choose_passkey(&mut flow).await;
    let (shown, note) = step_and_note(flow.answer(Answer::WebAuthn).await);
    assert!(matches!(
        passkey_prompt(shown).authenticator,
        PasskeyAuthenticator::SecurityKey { .. }
    ));
    assert!(
        matches!(&note, Some(Note::Refused(problem)) if problem.sentence.contains("was it removed?")),
        "{note:?}"
    );
    // Plugged back in, Enter again signs in.
    signed_in_as(flow.answer(Answer::WebAuthn).await, USER);

    // Another key, which holds nothing for this account.
    let other_key = ScriptedKey::new(None);
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.passkeys = Some(SoftwarePasskeys::at(folder.path()));
    settings.security_keys = other_key.keys();
    let mut other = Flow::start(settings, client_of(&pool)).await;
    choose_passkey(&mut other).await;
    let (_, note) = step_and_note(other.answer(Answer::WebAuthn).await);
    assert!(
        matches!(&note, Some(Note::Refused(problem))
            if problem.sentence.contains("holds no passkey for this account on localhost")),
        "{note:?}"
    );

    // The person may switch to the software passkey (none here) and back.
    let software = passkey_prompt(step(other.answer(Answer::SwitchAuthenticator).await));
    assert_eq!(
        software.authenticator,
        PasskeyAuthenticator::Software { held: false }
    );
    let back = passkey_prompt(step(other.answer(Answer::SwitchAuthenticator).await));
    assert_eq!(back.authenticator.kind(), AuthenticatorKind::SecurityKey);
}

#[tokio::test]
async fn three_wrong_pins_in_a_row_end_on_the_passkey_step_and_the_flag_forbids_switching() {
    let key = ScriptedKey::new(Some(PIN));
    let folder = tempfile::tempdir().unwrap();
    let (pool, mut flow) = flow_on(&key, &folder).await;
    enrol(&mut flow, &key).await;

    choose_passkey(&mut flow).await;
    pin_prompt(step(flow.answer(Answer::WebAuthn).await));
    for retries in [7, 6] {
        let again = pin_prompt(step(flow.answer(Answer::KeyPin("1111".into())).await));
        assert_eq!((again.wrong, again.retries), (true, Some(retries)));
    }
    let (shown, note) = step_and_note(flow.answer(Answer::KeyPin("1111".into())).await);
    passkey_prompt(shown);
    assert!(
        matches!(&note, Some(Note::Refused(problem))
            if problem.sentence.contains("Three wrong PINs in a row")),
        "{note:?}"
    );

    // `--authenticator security-key`: the same step, with nothing to switch to.
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.security_keys = key.keys();
    settings.authenticator = Some(AuthenticatorKind::SecurityKey);
    let mut pinned = Flow::start(settings, client_of(&pool)).await;
    let prompt = choose_passkey(&mut pinned).await;
    assert!(!prompt.can_switch);
    let refused = pinned.answer(Answer::SwitchAuthenticator).await;
    assert!(matches!(refused, Event::Refused(_)), "{refused:?}");
}
