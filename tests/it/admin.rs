//! `--admin` end to end against the local pool, which checks SigV4 once it has an
//! access key: a signed AdminInitiateAuth sign-in (through the auth task, and with the
//! real binary reading the standard AWS variables), a wrong secret refused with
//! InvalidSignatureException, an unsigned call refused, and no credentials at all said
//! as a sentence.

use std::process::Output;

use cognito_signin::auth::{AdminSettings, AuthFlow, CodeKind, FlowSettings, Step};
use cognito_signin::cognito::Client;
use cognito_signin::cognito::ErrorType;
use cognito_signin::cognito::signing::{AwsCredentials, Signer};
use cognito_signin::cognito::types::{
    AdminInitiateAuthRequest, ContextDataType, CreateUserPoolClientRequest, HttpHeader,
};
use cognito_signin::local_pool::{RunningPool, demo};
use cognito_signin::outbox::Medium;
use cognito_signin::sensitive::Sensitive;

use crate::support::binary::{Binary, Running, pool_flags, stderr, succeeded};
use crate::support::flow::{DemoClient, Flow, code, code_prompt, refusal, signed_in_as, step};
use crate::support::pool::{client_of, demo_pool, last_code};

/// An access key of the test's own, which the pool is told to allow.
const KEY_ID: &str = "AKIATESTADMINKEY0001";
const SECRET: &str = "test-admin-secret-for-the-local-pool";

async fn pool_with_key() -> RunningPool {
    let pool = demo_pool().await;
    pool.allow_access_key(KEY_ID, SECRET);
    pool
}

/// A wire client for `pool`, signing with the test key and `secret`, or not signing.
fn client(pool: &RunningPool, secret: Option<&str>) -> Client {
    let client = client_of(pool);
    match secret {
        Some(secret) => client.with_signer(Signer::new(
            AwsCredentials {
                access_key_id: KEY_ID.into(),
                secret_access_key: secret.into(),
                session_token: None,
            },
            "us-east-1",
        )),
        None => client,
    }
}

fn admin_settings(auth_flow: AuthFlow) -> FlowSettings {
    FlowSettings {
        admin: Some(AdminSettings {
            context_data: Some(ContextDataType {
                ip_address: "203.0.113.7".into(),
                server_name: "console.example.com".into(),
                server_path: "/sign-in".into(),
                http_headers: vec![HttpHeader {
                    header_name: "User-Agent".into(),
                    header_value: "cognito-signin-test".into(),
                }],
                encoded_data: None,
            }),
        }),
        ..DemoClient::Public.settings(auth_flow)
    }
}

/// The auth task signing in to `pool` with Admin* calls signed with the test key and
/// `secret`, at the sign-in form.
async fn admin_flow(pool: &RunningPool, auth_flow: AuthFlow, secret: &str) -> Flow {
    Flow::start(admin_settings(auth_flow), client(pool, Some(secret))).await
}

#[tokio::test]
async fn a_signed_admin_sign_in_goes_through_with_context_data() {
    let pool = pool_with_key().await;
    let mut flow = admin_flow(&pool, AuthFlow::UserPassword, SECRET).await;
    signed_in_as(flow.sign_in("alice", demo::PASSWORD).await, "alice");
}

#[tokio::test]
async fn an_admin_srp_sign_in_answers_its_mfa_challenge_like_the_public_one() {
    let pool = pool_with_key().await;
    let mut flow = admin_flow(&pool, AuthFlow::UserSrp, SECRET).await;
    let prompt = code_prompt(flow.sign_in("sam", demo::PASSWORD).await);
    assert_eq!(prompt.challenge, Some(CodeKind::SmsMfa));
    let sent = last_code(&pool, "sam", Medium::Sms);
    assert!(matches!(
        step(flow.answer(code(&sent)).await),
        Step::SignedIn { .. }
    ));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_invalid_signature_as_a_sentence() {
    let pool = pool_with_key().await;
    let mut flow = admin_flow(&pool, AuthFlow::UserPassword, "not-the-secret").await;
    let refused = flow.sign_in("alice", demo::PASSWORD).await;
    let problem = refusal(&refused);
    assert_eq!(problem.kind, Some(ErrorType::InvalidSignature));
    assert!(
        problem
            .sentence
            .contains("signature we calculated does not match"),
        "{}",
        problem.sentence
    );
    assert!(!problem.sentence.contains("not-the-secret"));
}

#[tokio::test]
async fn an_unsigned_admin_call_is_refused_and_a_client_without_the_flow_too() {
    let pool = pool_with_key().await;
    let request = AdminInitiateAuthRequest {
        user_pool_id: demo::POOL_ID.into(),
        client_id: demo::PUBLIC_CLIENT_ID.into(),
        auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
        auth_parameters: Sensitive::new(
            [
                ("USERNAME".to_owned(), "alice".to_owned()),
                ("PASSWORD".to_owned(), demo::PASSWORD.to_owned()),
            ]
            .into(),
        ),
        ..Default::default()
    };
    let unsigned = client(&pool, None)
        .admin_initiate_auth(&request)
        .await
        .unwrap_err();
    assert_eq!(
        unsigned.kind(),
        Some(&ErrorType::MissingAuthenticationToken),
        "{unsigned}"
    );
    // A client that does not allow ADMIN_USER_PASSWORD_AUTH.
    let signed = client(&pool, Some(SECRET));
    let narrow = signed
        .create_user_pool_client(&CreateUserPoolClientRequest {
            user_pool_id: demo::POOL_ID.into(),
            client_name: "srp-only".into(),
            generate_secret: false,
            explicit_auth_flows: Some(vec!["ALLOW_USER_SRP_AUTH".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let refused = signed
        .admin_initiate_auth(&AdminInitiateAuthRequest {
            client_id: narrow.user_pool_client.client_id,
            ..request
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.kind(),
        Some(&ErrorType::InvalidParameter),
        "{refused}"
    );
}

/// A plain `--admin` sign-in of alice by the binary in `binary`'s home, with the AWS
/// variables `env` (and no others).
fn sign_in_binary(
    binary: &Binary,
    pool: &RunningPool,
    env: &[(&str, &str)],
    extra: &[&str],
) -> Output {
    let mut command = binary.command();
    command
        .envs(env.iter().copied())
        .args(["--admin", "--plain", "--auth-flow", "USER_PASSWORD_AUTH"])
        .args(pool_flags(pool, demo::POOL_ID, demo::PUBLIC_CLIENT_ID))
        .args(extra);
    let mut running = Running::spawn(&mut command);
    running.type_text(&format!("alice\n{}\n", demo::PASSWORD));
    running.output()
}

/// Checks that a run failed on the pool's InvalidSignatureException, said as a
/// sentence that does not quote `secret`.
fn refused_signature(output: &Output, secret: &str) {
    let said = stderr(output);
    assert!(!output.status.success());
    assert!(
        said.contains("signature we calculated does not match"),
        "{said}"
    );
    assert!(!said.contains(secret), "{said}");
}

/// The same without a token cache, in a home of its own.
fn run_binary(pool: &RunningPool, env: &[(&str, &str)]) -> Output {
    sign_in_binary(&Binary::new(), pool, env, &["--no-cache"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_signs_admin_calls_with_the_aws_variables() {
    let pool = pool_with_key().await;
    let good = run_binary(
        &pool,
        &[
            ("AWS_ACCESS_KEY_ID", KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ],
    );
    succeeded(&good);

    let wrong = run_binary(
        &pool,
        &[
            ("AWS_ACCESS_KEY_ID", KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", "not-the-secret"),
        ],
    );
    refused_signature(&wrong, "not-the-secret");

    let none = run_binary(&pool, &[]);
    let said = stderr(&none);
    assert_eq!(none.status.code(), Some(1), "{said}");
    assert!(said.contains("--admin needs AWS credentials"), "{said}");
    assert!(said.contains("AWS_ACCESS_KEY_ID"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_admin_refreshes_with_a_signed_admin_initiate_auth() {
    let pool = pool_with_key().await;
    let binary = Binary::new();
    let keys = [
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    let signed_in = sign_in_binary(&binary, &pool, &keys, &[]);
    succeeded(&signed_in);
    let tokens = |env: &[(&str, &str)]| {
        binary
            .command()
            .envs(env.iter().copied())
            .args(["tokens", "--admin", "--min-ttl", "2h"])
            .args(pool_flags(&pool, demo::POOL_ID, demo::PUBLIC_CLIENT_ID))
            .output()
            .unwrap()
    };
    let refreshed = tokens(&keys);
    let said = stderr(&refreshed);
    assert!(refreshed.status.success(), "{said}");
    assert!(said.contains("refreshed the tokens of alice"), "{said}");
    let wrong = tokens(&[
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", "nope"),
    ]);
    refused_signature(&wrong, "nope");
}
