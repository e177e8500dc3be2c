//! Passkeys end to end: the real auth task, wire client and software passkey against
//! the local pool. A person signs in with a password, adds a passkey from account
//! security, signs in with it, deletes it, and is no longer offered one.

use cognito_signin::auth::{
    AccountAction, Answer, AuthFlow, Command, Event, FirstFactor, Note, PasskeyAuthenticator,
    PasskeyEntry, Security, Step,
};
use cognito_signin::passkey::SoftwarePasskeys;

use crate::support::flow::{
    DemoClient, Flow, demo_flow, refusal, sign_in_with_chosen_password, signed_in_as, step,
    step_and_note,
};

/// The demo's choice-based user; the demo pool allows WEB_AUTHN first.
const USER: &str = "pat";

/// Account security as the flow shows it.
fn security(step: Step) -> Box<Security> {
    match step {
        Step::Security(security) => security,
        other => panic!("expected account security, got {other:?}"),
    }
}

/// The passkeys account security lists (the local pool lists them, so never `None`).
fn passkeys(security: &Security) -> &[PasskeyEntry] {
    security
        .passkeys
        .as_deref()
        .unwrap_or_else(|| panic!("the local pool lists passkeys: {security:?}"))
}

/// The first factors SELECT_CHALLENGE offers after a fresh start.
async fn offered(flow: &mut Flow) -> Vec<FirstFactor> {
    flow.command(Command::Restart {
        username: USER.into(),
    })
    .await;
    match step(flow.sign_in(USER, "").await) {
        Step::SelectFirstFactor { options, .. } => options,
        other => panic!("expected SELECT_CHALLENGE, got {other:?}"),
    }
}

#[tokio::test]
async fn a_passkey_is_added_used_to_sign_in_listed_and_deleted() {
    let folder = tempfile::tempdir().unwrap();
    let store = SoftwarePasskeys::at(folder.path());
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.passkeys = Some(store.clone());
    let (_pool, mut flow) = demo_flow(settings).await;

    assert!(!offered(&mut flow).await.contains(&FirstFactor::WebAuthn));
    flow.command(Command::Restart {
        username: USER.into(),
    })
    .await;
    sign_in_with_chosen_password(&mut flow, USER).await;

    // Account security lists none, then adds one on this machine.
    let before = security(step(
        flow.answer(Answer::Account(AccountAction::Open)).await,
    ));
    assert!(passkeys(&before).is_empty());
    let (after, note) = step_and_note(
        flow.answer(Answer::Account(AccountAction::AddPasskey))
            .await,
    );
    let after = security(after);
    assert!(
        matches!(&note, Some(Note::Notice(said)) if said.starts_with("Passkey added")),
        "{note:?}"
    );
    let [added] = passkeys(&after) else {
        panic!("one passkey after adding one: {after:?}");
    };
    assert!(added.on_this_machine, "{added:?}");
    assert_eq!(added.relying_party, "localhost");
    assert_eq!(store.list().unwrap().len(), 1);
    flow.answer(Answer::Account(AccountAction::Close)).await;

    // Sign in with it: SELECT_CHALLENGE offers it, the screen says this machine holds it.
    assert!(offered(&mut flow).await.contains(&FirstFactor::WebAuthn));
    let shown = step(
        flow.answer(Answer::FirstFactor(FirstFactor::WebAuthn))
            .await,
    );
    let Step::WebAuthn(prompt) = shown else {
        panic!("expected the passkey step, got {shown:?}");
    };
    assert_eq!(prompt.username, USER);
    assert_eq!(prompt.relying_party, "localhost");
    assert_eq!(
        prompt.authenticator,
        PasskeyAuthenticator::Software { held: true }
    );
    assert!(prompt.expires_at.is_some());
    signed_in_as(flow.answer(Answer::WebAuthn).await, USER);
    assert_eq!(
        store.list().unwrap()[0].sign_count,
        1,
        "the counter went up"
    );

    // Delete it: the account and this machine no longer hold it, and it is not offered.
    security(step(
        flow.answer(Answer::Account(AccountAction::Open)).await,
    ));
    let (gone, note) = step_and_note(
        flow.answer(Answer::Account(AccountAction::DeletePasskey(0)))
            .await,
    );
    assert!(passkeys(&security(gone)).is_empty());
    assert!(matches!(note, Some(Note::Notice(_))), "{note:?}");
    assert!(store.list().unwrap().is_empty());
    flow.answer(Answer::Account(AccountAction::Close)).await;
    assert!(!offered(&mut flow).await.contains(&FirstFactor::WebAuthn));
}

#[tokio::test]
async fn a_passkey_held_elsewhere_is_said_and_enter_refused_without_a_call() {
    let enrolled_in = tempfile::tempdir().unwrap();
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.passkeys = Some(SoftwarePasskeys::at(enrolled_in.path()));
    let (pool, mut flow) = demo_flow(settings).await;
    sign_in_with_chosen_password(&mut flow, USER).await;
    flow.answer(Answer::Account(AccountAction::Open)).await;
    flow.answer(Answer::Account(AccountAction::AddPasskey))
        .await;

    // Another machine: same pool, an empty passkey folder, the passkey preferred.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.passkeys = Some(SoftwarePasskeys::at(elsewhere.path()));
    settings.preferred_challenge = Some(FirstFactor::WebAuthn);
    let mut other = Flow::start(settings, crate::support::pool::client_of(&pool)).await;
    let shown = step(other.sign_in(USER, "").await);
    let Step::WebAuthn(prompt) = shown else {
        panic!("PREFERRED_CHALLENGE=WEB_AUTHN goes straight to the passkey: {shown:?}");
    };
    assert_eq!(
        prompt.authenticator,
        PasskeyAuthenticator::Software { held: false }
    );
    let refused = other.answer(Answer::WebAuthn).await;
    let problem = refusal(&refused);
    assert!(
        problem
            .sentence
            .contains("holds no passkey for this account"),
        "{problem:?}"
    );
    assert!(matches!(refused, Event::Refused(_)));
}
