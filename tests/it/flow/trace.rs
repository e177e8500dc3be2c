//! The debug trace at its most detailed level (`trace`) over whole sign-ins against the
//! local pool: SRP with an app-client secret and an authenticator code, the password
//! flow, two custom rounds, and (with the security-key feature) a passkey on a key with a
//! PIN. Every call and step is in the trace; no secret any of them used is, nor any long
//! opaque value (a Session, an SRP number, a token, a SECRET_HASH).

use std::io::Write;
use std::sync::{Arc, Mutex};

use cognito_signin::auth::{Answer, AuthFlow, Tokens};
use cognito_signin::local_pool::demo;
use tracing_subscriber::fmt::MakeWriter;

use crate::support::flow::{DemoClient, code, code_prompt, demo_flow, signed_in_as, step};
use crate::support::totp_code;

/// Every line the trace wrote, kept for the search.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The secrets a signed-in result holds.
fn token_secrets(tokens: &Tokens) -> Vec<String> {
    let result = &tokens.result;
    let mut secrets = vec![result.access_token.expose().clone()];
    secrets.extend(result.id_token.as_ref().map(|token| token.expose().clone()));
    secrets.extend(
        result
            .refresh_token
            .as_ref()
            .map(|token| token.expose().clone()),
    );
    secrets
}

/// The longest run of characters an opaque value is made of (base64 and base64url
/// before their padding, hex).
fn longest_opaque_run(text: &str) -> &str {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "+/_-".contains(c)))
        .max_by_key(|run| run.len())
        .unwrap_or_default()
}

// The test thread's runtime runs the auth task and the local pool's handlers, so the
// subscriber set for this thread sees every event.
#[tokio::test]
async fn the_most_detailed_trace_names_every_call_and_step_and_holds_no_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(captured.clone())
        .without_time()
        .with_ansi(false)
        .finish();
    // With a single dispatcher alive, tracing works a callsite's interest out from the
    // default of whichever thread reaches it first, and keeps it: another test's thread
    // (no subscriber) would make the wire and flow callsites silent for this one. A
    // second live dispatcher makes tracing ask every dispatcher instead.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _trace = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    let mut secrets: Vec<String> = vec![
        demo::PASSWORD.into(),
        demo::CLIENT_SECRET.into(),
        demo::CAROL_TOTP_SECRET.into(),
    ];

    // SRP, a client secret (SECRET_HASH), an authenticator code.
    let (_pool, mut flow) = demo_flow(DemoClient::WithSecret.settings(AuthFlow::UserSrp)).await;
    code_prompt(flow.sign_in("carol", demo::PASSWORD).await);
    let typed = totp_code(demo::CAROL_TOTP_SECRET, 0);
    secrets.push(typed.clone());
    let tokens = signed_in_as(flow.answer(code(&typed)).await, "carol");
    secrets.extend(token_secrets(&tokens));

    // The password sent as it is (USER_PASSWORD_AUTH).
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::UserPassword)).await;
    let tokens = signed_in_as(flow.sign_in("alice", demo::PASSWORD).await, "alice");
    secrets.extend(token_secrets(&tokens));

    // Two custom rounds: the answers are secrets too.
    let (_pool, mut flow) = demo_flow(DemoClient::Public.settings(AuthFlow::CustomAuth)).await;
    step(flow.sign_in("cody", "").await);
    step(flow.answer(Answer::Custom("42".into())).await);
    secrets.push("otingoc".into());
    let tokens = signed_in_as(flow.answer(Answer::Custom("otingoc".into())).await, "cody");
    secrets.extend(token_secrets(&tokens));

    #[cfg(feature = "security-key")]
    secrets.extend(passkey_on_a_key_with_a_pin().await);

    let trace = captured.text();
    for expected in [
        "cognito_signin::wire",
        "operation=\"InitiateAuth\"",
        "operation=\"RespondToAuthChallenge\"",
        "challenge=\"PASSWORD_VERIFIER\"",
        "challenge=\"SOFTWARE_TOKEN_MFA\"",
        "request_id=",
        // 768 hex digits, fewer where A happens to start with zeros (1 run in 16).
        "AuthParameters.SRP_A: 76",
        "AuthParameters.USERNAME=carol",
        "AuthParameters.SECRET_HASH: 44 chars",
        "ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE: 6 digits",
        "AuthenticationResult.AccessToken: JWT",
        "cognito_signin::flow",
        "step=\"SignedIn\"",
        "answer=\"Code\"",
        "cognito_signin::serve",
        "outcome=\"ok\"",
    ] {
        assert!(
            trace.contains(expected),
            "{expected} is missing from the trace:\n{trace}"
        );
    }
    for secret in &secrets {
        assert!(
            !trace.contains(secret.as_str()),
            "a secret reached the trace:\n{trace}"
        );
    }
    let run = longest_opaque_run(&trace);
    assert!(
        run.len() < 40,
        "a long opaque value (a Session, an SRP number, a token?) reached the trace: {run}"
    );
}

/// A passkey added on a key with a PIN, then a sign-in with it; the PIN it used.
#[cfg(feature = "security-key")]
async fn passkey_on_a_key_with_a_pin() -> Vec<String> {
    use cognito_signin::auth::{AccountAction, FirstFactor};

    use crate::support::flow::sign_in_with_chosen_password;
    use crate::support::security_key::ScriptedKey;

    const PIN: &str = "pin-Zq81x";
    let key = ScriptedKey::new(Some(PIN));
    let mut settings = DemoClient::Public.settings(AuthFlow::UserAuth);
    settings.security_keys = key.keys();
    let (_pool, mut flow) = demo_flow(settings).await;
    sign_in_with_chosen_password(&mut flow, "pat").await;
    flow.answer(Answer::Account(AccountAction::Open)).await;
    step(
        flow.answer(Answer::Account(AccountAction::AddPasskey))
            .await,
    );
    step(flow.answer(Answer::KeyPin(PIN.into())).await);
    flow.answer(Answer::Account(AccountAction::Close)).await;
    flow.command(cognito_signin::auth::Command::Restart {
        username: "pat".into(),
    })
    .await;
    flow.sign_in("pat", "").await;
    step(
        flow.answer(Answer::FirstFactor(FirstFactor::WebAuthn))
            .await,
    );
    step(flow.answer(Answer::WebAuthn).await);
    let tokens = signed_in_as(flow.answer(Answer::KeyPin(PIN.into())).await, "pat");
    let mut secrets = vec![PIN.to_owned()];
    secrets.extend(token_secrets(&tokens));
    secrets
}
