//! The line front end's test driver: `run_with` on scripted input lines, its prompts
//! captured as text, a fake auth task running beside it.

use std::future::Future;

use time::OffsetDateTime;

use super::{FakeAuth, channels, info, security, sign_in_answer, tokens_received_at, within};
use crate::auth::{AccountAction, Answer, Command, Event, Note, Outcome, Security, Step};
use crate::outbox::OutboxFeed;
use crate::plain::{AccountOutcome, PasswordSource, run_account_with, run_with};

/// Runs the front end on `input` beside `auth`, returning its outcome and what it printed.
pub(crate) async fn drive<F, Fut>(input: &str, auth: F) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: Future<Output = ()>,
{
    drive_with_outbox(input, None, auth).await
}

/// `drive`, with the demo's outbox feed.
pub(crate) async fn drive_with_outbox<F, Fut>(
    input: &str,
    outbox: Option<OutboxFeed>,
    auth: F,
) -> (Outcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: Future<Output = ()>,
{
    let (front, fake) = channels(8);
    let mut out = Vec::new();
    let info = info();
    let front_end = run_with(
        front,
        &info,
        input.as_bytes(),
        &mut out,
        PasswordSource::Lines,
        outbox,
    );
    let (outcome, ()) = within("the exchange", async {
        tokio::join!(front_end, auth(fake))
    })
    .await;
    (outcome.unwrap(), String::from_utf8(out).unwrap())
}

/// Shows `step`, expects `expected` as the first and only answer, then signs in; returns what was printed.
pub(crate) async fn answered(step: Step, input: &str, expected: Answer) -> String {
    let (outcome, printed) = drive(input, |mut auth| async move {
        auth.step(step).await;
        assert_eq!(auth.next_command().await, Some(Command::Answer(expected)));
        auth.send(signed_in()).await;
    })
    .await;
    assert!(
        matches!(outcome, Outcome::SignedIn(_)),
        "{outcome:?}\n{printed}"
    );
    printed
}

/// The sign-in form's answer as the front end sends it.
pub(crate) fn sign_in_sent(username: &str, password: &str) -> Option<Command> {
    Some(Command::Answer(sign_in_answer(username, password)))
}

/// The auth task signing alice in with tokens received now (the summary counts from now).
pub(crate) fn signed_in() -> Event {
    Event::step(Step::SignedIn {
        tokens: tokens_received_at(OffsetDateTime::now_utc()),
    })
}

/// Runs the front end for the account `action` on `input` beside `auth`: the signed-in
/// start is answered by opening account security and, unless the action is `Open`,
/// account security by the action; then `auth` plays the rest. Returns the outcome and
/// what was printed.
pub(crate) async fn drive_account<F, Fut>(
    input: &str,
    action: AccountAction,
    auth: F,
) -> (AccountOutcome, String)
where
    F: FnOnce(FakeAuth) -> Fut,
    Fut: Future<Output = ()>,
{
    let (front, mut fake) = channels(8);
    let mut out = Vec::new();
    let front_end = run_account_with(
        front,
        action,
        input.as_bytes(),
        &mut out,
        PasswordSource::Lines,
    );
    let auth = async move {
        fake.send(signed_in()).await;
        let open = AccountAction::Open;
        assert_eq!(
            fake.next_command().await,
            Some(Command::Answer(Answer::Account(open)))
        );
        if action != open {
            fake.step(security()).await;
            assert_eq!(
                fake.next_command().await,
                Some(Command::Answer(Answer::Account(action)))
            );
        }
        auth(fake).await;
    };
    let (outcome, ()) = within("the exchange", async { tokio::join!(front_end, auth) }).await;
    (outcome.unwrap(), String::from_utf8(out).unwrap())
}

/// For the account `action`, shows `step`, expects `expected` as its only answer, then
/// brings account security back with a notice; returns what was printed.
pub(crate) async fn account_answered(
    action: AccountAction,
    step: Step,
    input: &str,
    expected: Answer,
) -> String {
    let (outcome, printed) = drive_account(input, action, |mut auth| async move {
        auth.step(step).await;
        assert_eq!(auth.next_command().await, Some(Command::Answer(expected)));
        auth.send(security_changed("Done.")).await;
    })
    .await;
    assert_eq!(
        outcome,
        AccountOutcome::Done(shown(security())),
        "{printed}"
    );
    assert!(printed.ends_with("Done.\n"), "{printed}");
    printed
}

/// The account security a `Security` step (`security()`, `security_enrolled()`) shows.
pub(crate) fn shown(step: Step) -> Box<Security> {
    match step {
        Step::Security(shown) => shown,
        other => panic!("not a Security step: {other:?}"),
    }
}

/// The `security` step coming back after a change, saying `notice`.
pub(crate) fn security_changed(notice: &str) -> Event {
    Event::Step {
        step: security(),
        note: Some(Note::Notice(notice.into())),
    }
}
