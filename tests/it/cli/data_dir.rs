//! `serve --data DIR`: what the pool was told survives the pool. A user signs in, an
//! administrator's script streams AdminCreateUser calls, and the server is killed with
//! SIGKILL in the middle of them; on the same directory the restarted server knows every
//! user it acknowledged, publishes the same keys, and takes the access token it signed
//! before. The pool file `--pool` names is only ever read.

use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;

use cognito_signin::cognito::protocol;
use cognito_signin::local_pool::DATA_FILE_NAME;
use serde_json::{Value, json};

use crate::support::BOUND;
use crate::support::binary::{Binary, Running, Serving, failed};
use crate::support::jwks::verified_claims;

/// The password every user of these tests has.
const PASSWORD: &str = "Data-Dir-Password-1!";

/// The demo pools' file, copied before `serve --pool` reads it.
const DEMO_POOL_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-pool.toml");

/// One raw JSON 1.1 call, as boto3 sends it: the HTTP status and the JSON answer, or
/// the transport's error once the server is gone.
fn call(url: &str, operation: &str, body: &Value) -> Result<(u16, Value), reqwest::Error> {
    let response = reqwest::blocking::Client::builder()
        .timeout(BOUND)
        .build()?
        .post(format!("{url}/"))
        .header("Content-Type", protocol::CONTENT_TYPE)
        .header("X-Amz-Target", protocol::target(operation))
        .body(body.to_string())
        .send()?;
    let status = response.status().as_u16();
    Ok((status, response.json()?))
}

/// A call that must succeed: its answer.
fn ok(url: &str, operation: &str, body: Value) -> Value {
    let (status, answer) = call(url, operation, &body).unwrap();
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// A pool made through the API with a client that allows USER_PASSWORD_AUTH, and
/// "alice" with a permanent password: the pool id and the client id.
fn pool_with_alice(url: &str) -> (String, String) {
    let pool = ok(url, "CreateUserPool", json!({"PoolName": "kept"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = ok(
        url,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id,
            "ClientName": "script",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    );
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    create_user(url, &pool_id, "alice").unwrap();
    ok(
        url,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
    );
    (pool_id, client_id)
}

/// AdminCreateUser, as a provisioning script sends it; Ok once the pool acknowledged it.
fn create_user(url: &str, pool_id: &str, username: &str) -> Result<(), String> {
    let body = json!({
        "UserPoolId": pool_id,
        "Username": username,
        "TemporaryPassword": PASSWORD,
        "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": "email", "Value": format!("{username}@example.com")}],
    });
    match call(url, "AdminCreateUser", &body) {
        Ok((200, _)) => Ok(()),
        Ok((status, answer)) => Err(format!("HTTP {status}: {answer}")),
        Err(error) => Err(error.to_string()),
    }
}

/// alice's access token, from a password sign-in.
fn access_token(url: &str, client_id: &str) -> String {
    let answer = ok(
        url,
        "InitiateAuth",
        json!({
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
        }),
    );
    answer["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The pool's JWKS document.
fn jwks(url: &str, pool_id: &str) -> Value {
    reqwest::blocking::get(format!("{url}/{pool_id}/.well-known/jwks.json"))
        .unwrap()
        .json()
        .unwrap()
}

/// `serve --data dir` plus `args`.
fn serve_kept(binary: &Binary, dir: &Path, args: &[&str]) -> Serving {
    let mut all = vec!["--data", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    binary.serve(&all)
}

#[cfg(unix)]
#[test]
fn every_acknowledged_write_survives_sigkill_and_old_tokens_still_work() {
    use std::os::unix::fs::PermissionsExt;

    let binary = Binary::new();
    let dir = binary.home().join("pool-data");
    let serve = serve_kept(&binary, &dir, &[]);
    let url = serve.url().to_owned();
    let (pool_id, client_id) = pool_with_alice(&url);
    let token = access_token(&url, &client_id);
    let keys_before = jwks(&url, &pool_id);

    // A script creates users one by one, reporting each one the pool acknowledged,
    // until the pool is gone.
    let (acknowledged, heard) = mpsc::channel::<String>();
    let script = {
        let (url, pool_id) = (url.clone(), pool_id.clone());
        std::thread::spawn(move || {
            for n in 0.. {
                let username = format!("user-{n:05}");
                match create_user(&url, &pool_id, &username) {
                    Ok(()) => {
                        if acknowledged.send(username).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                }
            }
        })
    };
    let mut created = Vec::new();
    while created.len() < 25 {
        created.push(
            heard
                .recv_timeout(BOUND)
                .expect("the pool acknowledges creations"),
        );
    }
    serve.signal("KILL");
    let status = serve.exit_within(BOUND);
    assert!(!status.success(), "killed, not stopped: {status:?}");
    script.join().unwrap();
    created.extend(heard.try_iter());

    let data_file = dir.join(DATA_FILE_NAME);
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(&data_file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // On the same port: tokens name their issuer by the pool's URL.
    let port = url.rsplit(':').next().unwrap().to_owned();
    let mut restarted = Running::spawn(
        binary
            .command()
            .args(["serve", "--port", &port, "--data", dir.to_str().unwrap()])
            .stdout(Stdio::null()),
    );
    let console = restarted.stderr_lines();
    console.wait_for("serve to listen again", |line| line.contains(&url));
    let described = ok(&url, "DescribeUserPool", json!({"UserPoolId": pool_id}));
    assert_eq!(described["UserPool"]["Name"], "kept");
    let client = ok(
        &url,
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client_id}),
    );
    assert_eq!(client["UserPoolClient"]["ClientName"], "script");
    for username in &created {
        let user = ok(
            &url,
            "AdminGetUser",
            json!({"UserPoolId": pool_id, "Username": username}),
        );
        assert_eq!(user["Username"], username.as_str());
        assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");
    }
    // The same keys, so the token signed before the crash verifies, and works.
    assert_eq!(jwks(&url, &pool_id), keys_before);
    let me = ok(&url, "GetUser", json!({"AccessToken": token}));
    assert_eq!(me["Username"], "alice");
    let issuer = format!("{url}/{pool_id}");
    let claims = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(verified_claims(
            &format!("{issuer}/.well-known/jwks.json"),
            &token,
            None,
            None,
        ));
    assert_eq!(claims["username"], "alice");
    // alice's password is kept as its verifier: she signs in again.
    assert!(!access_token(&url, &client_id).is_empty());
    // And the store still takes writes.
    create_user(&url, &pool_id, "after-restart").unwrap();
    restarted.signal("TERM");
    assert!(restarted.wait_within(BOUND).unwrap().success());
}

#[cfg(unix)]
#[test]
fn the_pool_file_is_only_read_and_the_data_directory_wins() {
    let binary = Binary::new();
    let dir = binary.home().join("pool-data");
    let pool_file = binary.home().join("pools.toml");
    std::fs::copy(DEMO_POOL_FILE, &pool_file).unwrap();
    let original = std::fs::read(&pool_file).unwrap();
    let pool_file = pool_file.to_str().unwrap().to_owned();
    let demo_pool = cognito_signin::local_pool::demo::POOL_ID;

    let serve = serve_kept(&binary, &dir, &["--pool", &pool_file]);
    let url = serve.url().to_owned();
    create_user(&url, demo_pool, "added-by-api").unwrap();
    ok(
        &url,
        "SetUserPoolMfaConfig",
        json!({
            "UserPoolId": demo_pool,
            "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": true},
        }),
    );
    serve.signal("TERM");
    assert!(serve.exit_within(BOUND).success());
    assert_eq!(std::fs::read(&pool_file).unwrap(), original);

    // Restarted with the same file: the kept pool, not a fresh copy of the file's.
    let serve = serve_kept(&binary, &dir, &["--pool", &pool_file]);
    let url = serve.url().to_owned();
    ok(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": demo_pool, "Username": "added-by-api"}),
    );
    let mfa = ok(
        &url,
        "GetUserPoolMfaConfig",
        json!({"UserPoolId": demo_pool}),
    );
    assert_eq!(mfa["MfaConfiguration"], "OPTIONAL", "{mfa}");
    assert_eq!(std::fs::read(&pool_file).unwrap(), original);
}

#[test]
fn a_corrupt_data_file_is_refused_with_its_name_and_the_fix() {
    let binary = Binary::new();
    let dir = binary.home().join("pool-data");
    std::fs::create_dir_all(&dir).unwrap();
    let data_file = dir.join(DATA_FILE_NAME);
    std::fs::write(
        &data_file,
        "this is not a database, it is a note to self\n".repeat(200),
    )
    .unwrap();
    let output = binary.run(&["serve", "--port", "0", "--data", dir.to_str().unwrap()]);
    let message = failed(&output);
    assert!(message.contains(data_file.to_str().unwrap()), "{message}");
    assert!(message.contains("move it aside"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn serve_help_documents_data() {
    let binary = Binary::new();
    let output = binary.run(&["serve", "--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--data <DIR>"), "{help}");
    assert!(help.contains("survive a restart"), "{help}");
}

#[test]
fn a_sign_in_that_changes_nothing_writes_nothing() {
    let binary = Binary::new();
    let dir = binary.home().join("pool-data");
    let serve = serve_kept(&binary, &dir, &[]);
    let url = serve.url().to_owned();
    let (pool_id, client_id) = pool_with_alice(&url);
    // Each commit appends its pages to the write-ahead log, which only grows while the
    // file is this small.
    let log = dir.join(format!("{DATA_FILE_NAME}-wal"));
    let logged = || std::fs::metadata(&log).unwrap().len();
    let before = logged();
    let token = access_token(&url, &client_id);
    ok(&url, "GetUser", json!({"AccessToken": token}));
    ok(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "alice"}),
    );
    assert_eq!(
        logged(),
        before,
        "reading and signing in wrote to the data file"
    );
    create_user(&url, &pool_id, "bob").unwrap();
    assert!(logged() > before, "a new user is written");
}
