//! The local pool, in-process, spoken to over HTTP as any Cognito client would: SRP and
//! password sign-in, sessions, secret hashes, refresh tokens, new passwords, the pool
//! API, and Cognito's error shapes.

use std::time::Duration;

use cognito_signin::crypto::{SrpClient, format_timestamp, secret_hash};
use cognito_signin::local_pool::demo::{
    BOB_TEMPORARY_PASSWORD, CLIENT_SECRET, PASSWORD, POOL_ID, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID,
};
use cognito_signin::local_pool::{RunningPool, load_pool_file};
use jsonwebtoken::decode_header;
use serde_json::{Value, json};

use crate::support::jwks::verified_claims;
use crate::support::pool::{
    Answer, api_pool, call, demo_pool, empty_pool, initiate, merge, now_timestamp,
    password_sign_in, password_verifier_responses, respond,
};

async fn initiate_srp(pool: &RunningPool, client: &SrpClient, username: &str) -> Answer {
    let answer = call(
        pool,
        "InitiateAuth",
        json!({
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": PUBLIC_CLIENT_ID,
            "AuthParameters": {"USERNAME": username, "SRP_A": client.public_a_hex()},
        }),
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["ChallengeName"], "PASSWORD_VERIFIER");
    answer
}

async fn srp_sign_in(pool: &RunningPool, username: &str, password: &str) -> Answer {
    let client = SrpClient::new();
    let challenge = initiate_srp(pool, &client, username).await;
    let responses =
        password_verifier_responses(&client, &challenge.body, password, &now_timestamp());
    respond(
        pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge.body["Session"],
        responses,
    )
    .await
}

#[tokio::test]
async fn srp_sign_in_gives_tokens_that_verify_against_the_jwks() {
    let pool = demo_pool().await;
    let answer = srp_sign_in(&pool, "alice", PASSWORD).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert!(answer.headers.contains_key("x-amzn-requestid"));
    let result = &answer.body["AuthenticationResult"];
    assert_eq!(result["ExpiresIn"], 3600);
    assert_eq!(result["TokenType"], "Bearer");
    assert!(result["RefreshToken"].is_string());

    // The pool's signing keys (one for ID tokens, one for access tokens), published as
    // a relying party expects them.
    let jwks_url = format!("{}/{POOL_ID}/.well-known/jwks.json", pool.url());
    let jwks: Value = reqwest::get(&jwks_url).await.unwrap().json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    for key in keys {
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["alg"], "RS256");
        assert_eq!(key["use"], "sig");
    }
    let issuer = format!("{}/{POOL_ID}", pool.url());
    let id_token = result["IdToken"].as_str().unwrap();
    let access_token = result["AccessToken"].as_str().unwrap();
    for token in [id_token, access_token] {
        let kid = decode_header(token).unwrap().kid.unwrap();
        assert!(keys.iter().any(|key| key["kid"] == kid.as_str()), "{kid}");
    }
    let id = verified_claims(&jwks_url, id_token, Some(&issuer), Some(PUBLIC_CLIENT_ID)).await;
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["cognito:groups"], json!(["operators"]));
    assert_eq!(id["token_use"], "id");

    let access = verified_claims(&jwks_url, access_token, Some(&issuer), None).await;
    assert_eq!(access["username"], "alice");
    assert_eq!(access["client_id"], PUBLIC_CLIENT_ID);
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["sub"], id["sub"]);
    assert_eq!(access["origin_jti"], id["origin_jti"]);

    let configuration: Value = reqwest::get(format!(
        "{}/{POOL_ID}/.well-known/openid-configuration",
        pool.url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(configuration["issuer"], issuer);
    assert_eq!(
        configuration["jwks_uri"],
        format!("{issuer}/.well-known/jwks.json")
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn srp_with_the_wrong_password_is_refused() {
    let pool = demo_pool().await;
    srp_sign_in(&pool, "alice", "Wrong-Password-1!")
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn a_session_is_used_once() {
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let challenge = initiate_srp(&pool, &client, "alice").await;
    let responses =
        password_verifier_responses(&client, &challenge.body, PASSWORD, &now_timestamp());
    let session = &challenge.body["Session"];
    let first = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        session,
        responses.clone(),
    )
    .await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        session,
        responses,
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    );
}

#[tokio::test]
async fn a_session_expires_after_three_minutes() {
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let challenge = initiate_srp(&pool, &client, "alice").await;
    pool.advance_clock(Duration::from_secs(181));
    let timestamp =
        format_timestamp(time::OffsetDateTime::now_utc() + time::Duration::seconds(181));
    let responses = password_verifier_responses(&client, &challenge.body, PASSWORD, &timestamp);
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge.body["Session"],
        responses,
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    );
}

#[tokio::test]
async fn a_tampered_secret_block_is_refused() {
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let mut challenge = initiate_srp(&pool, &client, "alice").await;
    // Flip the first character of the block, then sign it as if it were the real one.
    let block = challenge.body["ChallengeParameters"]["SECRET_BLOCK"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = if block.starts_with('A') { "B" } else { "A" };
    challenge.body["ChallengeParameters"]["SECRET_BLOCK"] =
        json!(format!("{flipped}{}", &block[1..]));
    let responses =
        password_verifier_responses(&client, &challenge.body, PASSWORD, &now_timestamp());
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge.body["Session"],
        responses,
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn a_timestamp_six_minutes_off_is_refused() {
    let pool = demo_pool().await;
    for offset in [-6, 6] {
        let client = SrpClient::new();
        let challenge = initiate_srp(&pool, &client, "alice").await;
        let timestamp =
            format_timestamp(time::OffsetDateTime::now_utc() + time::Duration::minutes(offset));
        let responses = password_verifier_responses(&client, &challenge.body, PASSWORD, &timestamp);
        respond(
            &pool,
            PUBLIC_CLIENT_ID,
            "PASSWORD_VERIFIER",
            &challenge.body["Session"],
            responses,
        )
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    }
}

#[tokio::test]
async fn an_srp_a_of_zero_is_refused_without_a_crash() {
    let pool = demo_pool().await;
    for srp_a in ["0", "00", "not-hex"] {
        let answer = call(
            &pool,
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_SRP_AUTH",
                "ClientId": PUBLIC_CLIENT_ID,
                "AuthParameters": {"USERNAME": "alice", "SRP_A": srp_a},
            }),
        )
        .await;
        assert_eq!(answer.status, 400);
        assert_eq!(answer.error_type(), "InvalidParameterException");
    }
    // The pool still works afterwards.
    assert_eq!(srp_sign_in(&pool, "alice", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn user_password_auth_checks_the_password() {
    let pool = demo_pool().await;
    let right = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
    )
    .await;
    assert_eq!(right.status, 200, "{:?}", right.body);
    assert!(right.body["AuthenticationResult"]["IdToken"].is_string());
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice", "PASSWORD": "Wrong-1!"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    // The demo's clients prevent user-existence errors.
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "nobody", "PASSWORD": "x"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice"}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "Missing required parameter PASSWORD",
    );
}

#[tokio::test]
async fn a_client_with_a_secret_needs_the_secret_hash() {
    let pool = demo_pool().await;
    let parameters = |hash: Option<String>| {
        let mut value = json!({"USERNAME": "alice", "PASSWORD": PASSWORD});
        if let Some(hash) = hash {
            value["SECRET_HASH"] = json!(hash);
        }
        value
    };
    initiate(
        &pool,
        SECRET_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        parameters(None),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        &format!(
            "Client {SECRET_CLIENT_ID} is configured with secret but SECRET_HASH was not received"
        ),
    );
    let wrong = secret_hash("alice", SECRET_CLIENT_ID, "not-the-secret");
    initiate(
        &pool,
        SECRET_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        parameters(Some(wrong)),
    )
    .await
    .assert_error(
        "NotAuthorizedException",
        &format!("Unable to verify secret hash for client {SECRET_CLIENT_ID}"),
    );
    let right = secret_hash("alice", SECRET_CLIENT_ID, CLIENT_SECRET);
    let answer = initiate(
        &pool,
        SECRET_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        parameters(Some(right.clone())),
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);

    // Refreshing with a secret client needs the hash too.
    let refresh_token = answer.body["AuthenticationResult"]["RefreshToken"].clone();
    let refresh = |hash: Option<&str>| {
        let mut parameters = json!({"REFRESH_TOKEN": refresh_token, "USERNAME": "alice"});
        if let Some(hash) = hash {
            parameters["SECRET_HASH"] = json!(hash);
        }
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": SECRET_CLIENT_ID, "AuthParameters": parameters})
    };
    assert_eq!(
        call(&pool, "InitiateAuth", refresh(None))
            .await
            .error_type(),
        "NotAuthorizedException"
    );
    let refreshed = call(&pool, "InitiateAuth", refresh(Some(&right))).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
}

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_and_no_new_refresh_token() {
    let pool = demo_pool().await;
    let first = srp_sign_in(&pool, "alice", PASSWORD).await;
    let result = &first.body["AuthenticationResult"];
    let refresh = |token: &Value, client: &str| json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client, "AuthParameters": {"REFRESH_TOKEN": token}});
    let answer = call(
        &pool,
        "InitiateAuth",
        refresh(&result["RefreshToken"], PUBLIC_CLIENT_ID),
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let renewed = &answer.body["AuthenticationResult"];
    assert!(renewed["AccessToken"].is_string());
    assert!(renewed["IdToken"].is_string());
    assert!(renewed.get("RefreshToken").is_none());
    assert_ne!(renewed["AccessToken"], result["AccessToken"]);

    call(
        &pool,
        "InitiateAuth",
        refresh(&json!("made-up"), PUBLIC_CLIENT_ID),
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid Refresh Token.");
    call(
        &pool,
        "InitiateAuth",
        refresh(&result["RefreshToken"], SECRET_CLIENT_ID),
    )
    .await
    .assert_error("NotAuthorizedException", "Invalid Refresh Token.");
}

#[tokio::test]
async fn a_temporary_password_leads_to_new_password_required() {
    let pool = demo_pool().await;
    let challenge = srp_sign_in(&pool, "bob", BOB_TEMPORARY_PASSWORD).await;
    assert_eq!(challenge.status, 200, "{:?}", challenge.body);
    assert_eq!(challenge.body["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let parameters = &challenge.body["ChallengeParameters"];
    assert_eq!(parameters["USER_ID_FOR_SRP"], "bob");
    assert_eq!(
        parameters["requiredAttributes"],
        r#"["userAttributes.name"]"#
    );
    let attributes: Value =
        serde_json::from_str(parameters["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(attributes["email"], "bob@example.com");
    let session = &challenge.body["Session"];

    // A password the policy refuses leaves the session usable.
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "NEW_PASSWORD_REQUIRED",
        session,
        json!({"USERNAME": "bob", "NEW_PASSWORD": "short"}),
    )
    .await
    .assert_error(
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough",
    );
    // So does leaving out the required attribute.
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "NEW_PASSWORD_REQUIRED",
        session,
        json!({"USERNAME": "bob", "NEW_PASSWORD": "Chosen-Password-2!"}),
    )
    .await
    .assert_error(
        "InvalidParameterException",
        "Invalid attributes given, name is missing",
    );
    let done = respond(&pool, PUBLIC_CLIENT_ID, "NEW_PASSWORD_REQUIRED",
        session,
        json!({"USERNAME": "bob", "NEW_PASSWORD": "Chosen-Password-2!", "userAttributes.name": "Bob Example"}),
    )
    .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert!(done.body["AuthenticationResult"]["AccessToken"].is_string());

    // Bob is confirmed now, and the new password is the one that works.
    let again = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "bob", "PASSWORD": "Chosen-Password-2!"}),
    )
    .await;
    assert!(
        again.body["AuthenticationResult"].is_object(),
        "{:?}",
        again.body
    );
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "bob", "PASSWORD": BOB_TEMPORARY_PASSWORD}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
}

#[tokio::test]
async fn pools_clients_and_users_are_managed_through_the_api() {
    let pool = empty_pool().await;
    let created = call(&pool, "CreateUserPool", json!({"PoolName": "made"})).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let pool_id = created.body["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert!(
        pool_id.starts_with("us-east-1_") && pool_id.len() == 19,
        "{pool_id}"
    );
    assert_eq!(created.body["UserPool"]["MfaConfiguration"], "OFF");
    assert!(
        created.body["UserPool"]["Arn"]
            .as_str()
            .unwrap()
            .ends_with(&pool_id)
    );
    let described = call(&pool, "DescribeUserPool", json!({"UserPoolId": pool_id})).await;
    assert_eq!(described.body["UserPool"]["Name"], "made");

    let client = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "c", "GenerateSecret": true, "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}),
    )
    .await;
    let client = &client.body["UserPoolClient"];
    let client_id = client["ClientId"].as_str().unwrap().to_owned();
    assert_eq!(client_id.len(), 26);
    assert_eq!(client["ClientSecret"].as_str().unwrap().len(), 51);
    let described = call(
        &pool,
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client_id}),
    )
    .await;
    assert_eq!(described.body["UserPoolClient"]["ClientName"], "c");

    let user = call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "carol", "TemporaryPassword": "Temp-Pass-1!",
               "UserAttributes": [{"Name": "email", "Value": "carol@example.com"}]}),
    )
    .await;
    assert_eq!(
        user.body["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD",
        "{:?}",
        user.body
    );
    let attributes = user.body["User"]["Attributes"].as_array().unwrap();
    assert!(
        attributes
            .iter()
            .any(|a| a["Name"] == "sub" && a["Value"].as_str().unwrap().len() == 36)
    );
    call(
        &pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "carol"}),
    )
    .await
    .assert_error("UsernameExistsException", "User account already exists");

    let set = call(&pool, "AdminSetUserPassword", json!({"UserPoolId": pool_id, "Username": "carol", "Password": "Perm-Pass-1!", "Permanent": true})).await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let got = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "carol"}),
    )
    .await;
    assert_eq!(got.body["UserStatus"], "CONFIRMED");
    call(&pool, "AdminSetUserPassword", json!({"UserPoolId": pool_id, "Username": "carol", "Password": "Perm-Pass-2!", "Permanent": false})).await;
    let got = call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "carol"}),
    )
    .await;
    assert_eq!(got.body["UserStatus"], "FORCE_CHANGE_PASSWORD");
    call(
        &pool,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "dave"}),
    )
    .await
    .assert_error("UserNotFoundException", "User does not exist.");

    // The client allows SRP only.
    call(
        &pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": "carol", "PASSWORD": "Perm-Pass-2!"}}),
    )
    .await
    .assert_error("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client");
    pool.shutdown().await;
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in() {
    let pool = demo_pool().await;
    let disabled = call(
        &pool,
        "AdminDisableUser",
        json!({"UserPoolId": POOL_ID, "Username": "alice"}),
    )
    .await;
    assert_eq!(disabled.status, 200);
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
    )
    .await
    .assert_error("NotAuthorizedException", "User is disabled.");
}

#[tokio::test]
async fn errors_have_cognitos_shape() {
    let pool = demo_pool().await;
    let answer = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice", "PASSWORD": "nope"}),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.headers["x-amzn-errortype"], "NotAuthorizedException");
    assert!(answer.headers.contains_key("x-amzn-requestid"));
    assert_eq!(answer.headers["content-type"], "application/x-amz-json-1.1");

    let unknown = call(&pool, "StealEverything", json!({})).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.error_type(), "UnknownOperationException");

    let http = reqwest::Client::new();
    let garbage = http
        .post(format!("{}/", pool.url()))
        .header(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        )
        .body("{{{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    assert_eq!(
        garbage.headers()["x-amzn-errortype"],
        "SerializationException"
    );
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["__type"], "SerializationException");

    let no_target = http
        .post(format!("{}/", pool.url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(no_target.status(), 400);
    let body: Value = no_target.json().await.unwrap();
    assert_eq!(body["__type"], "UnknownOperationException");

    let missing = call(&pool, "InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH"})).await;
    missing.assert_error(
        "InvalidParameterException",
        "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    );
    call(
        &pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "nope", "AuthParameters": {}}),
    )
    .await
    .assert_error(
        "ResourceNotFoundException",
        "User pool client nope does not exist.",
    );
}

#[tokio::test]
async fn the_demo_pool_is_preloaded() {
    let pool = demo_pool().await;
    let preloaded = &pool.preloaded()[0];
    assert_eq!(preloaded.pool_id, POOL_ID);
    assert_eq!(preloaded.pool_name, "cognito-signin demo");
    assert!(
        preloaded
            .clients
            .iter()
            .any(|c| c.client_name == "demo-console" && c.client_secret.is_none())
    );
    assert!(
        preloaded
            .clients
            .iter()
            .any(|c| c.client_name == "demo-console-secret"
                && c.client_secret.as_deref() == Some(CLIENT_SECRET))
    );
    assert!(
        preloaded
            .users
            .iter()
            .any(|(name, password, _)| name == "alice" && password == PASSWORD)
    );
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let pool = demo_pool().await;
    let url = pool.url().to_owned();
    pool.shutdown().await;
    assert!(
        reqwest::get(format!("{url}/{POOL_ID}/.well-known/jwks.json"))
            .await
            .is_err()
    );
}

#[test]
fn pool_file_errors_name_the_file_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.toml");
    std::fs::write(
        &path,
        "[[pool]]\nid = \"us-east-1_Test1\"\nname = \"t\"\n\n[[pool.user]]\nusername = \"bob\"\n",
    )
    .unwrap();
    let error = load_pool_file(&path).unwrap_err().to_string();
    assert!(
        error.contains("demo.toml line 5: user 'bob' has no password; add password = \"...\""),
        "{error}"
    );
    let missing = load_pool_file(&dir.path().join("absent.toml"))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("absent.toml"), "{missing}");
}

#[tokio::test]
async fn password_verifier_without_the_session_is_found_by_its_secret_block() {
    // Some clients (pycognito, older SDKs) answer PASSWORD_VERIFIER without the Session.
    let pool = demo_pool().await;
    let client = SrpClient::new();
    let challenge = initiate_srp(&pool, &client, "alice").await;
    let responses =
        password_verifier_responses(&client, &challenge.body, PASSWORD, &now_timestamp());
    let answer = call(
        &pool,
        "RespondToAuthChallenge",
        json!({"ClientId": PUBLIC_CLIENT_ID, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses}),
    )
    .await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert!(answer.body["AuthenticationResult"]["IdToken"].is_string());
}

// ------------------------------------------------- app-client and pool settings

/// A new pool with a user `u` (password "Perm-Pass-1!", verified e-mail) and a client
/// made from `client` (extra CreateUserPoolClient members); `pool_body` adds
/// CreateUserPool members. Gives the pool id and the client id.
async fn pool_with_client(pool: &RunningPool, pool_body: Value, client: Value) -> (String, String) {
    let (pool_id, client_id) = api_pool(pool, pool_body, client).await;
    call(
        pool,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "u",
               "UserAttributes": [{"Name": "email", "Value": "u@example.com"},
                                  {"Name": "email_verified", "Value": "true"}]}),
    )
    .await
    .ok();
    call(
        pool,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "u", "Password": "Perm-Pass-1!", "Permanent": true}),
    )
    .await
    .ok();
    (pool_id, client_id)
}

/// USER_SRP_AUTH's first call for `username` on `client_id`.
async fn srp_start(pool: &RunningPool, client_id: &str, username: &str) -> Answer {
    initiate(
        pool,
        client_id,
        "USER_SRP_AUTH",
        json!({"USERNAME": username, "SRP_A": SrpClient::new().public_a_hex()}),
    )
    .await
}

#[tokio::test]
async fn a_client_created_without_flows_allows_srp_refresh_and_custom_only() {
    let pool = empty_pool().await;
    let (pool_id, client_id) = pool_with_client(&pool, json!({}), json!({})).await;
    let described = call(
        &pool,
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client_id}),
    )
    .await
    .ok();
    assert_eq!(
        described["UserPoolClient"]["ExplicitAuthFlows"],
        json!([
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    let srp = srp_start(&pool, &client_id, "u").await.ok();
    assert_eq!(srp["ChallengeName"], "PASSWORD_VERIFIER");
    password_sign_in(&pool, &client_id, "u", "Perm-Pass-1!")
        .await
        .assert_error(
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client",
        );
    initiate(&pool, &client_id, "USER_AUTH", json!({"USERNAME": "u"}))
        .await
        .assert_error(
            "InvalidParameterException",
            "USER_AUTH flow not enabled for this client",
        );
    pool.shutdown().await;
}

#[tokio::test]
async fn legacy_flow_names_cannot_be_mixed_with_allow_names() {
    let pool = empty_pool().await;
    let created = call(&pool, "CreateUserPool", json!({"PoolName": "mixed"}))
        .await
        .ok();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "c",
               "ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    let (pool_id, client_id) = pool_with_client(&pool, json!({}), json!({})).await;
    call(
        &pool,
        "UpdateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client_id,
               "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await
    .assert_error_type("InvalidParameterException");
    pool.shutdown().await;
}

#[tokio::test]
async fn legacy_flow_names_allow_what_they_allowed() {
    let pool = empty_pool().await;
    let (_, client_id) = pool_with_client(
        &pool,
        json!({}),
        json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH"]}),
    )
    .await;
    let signed_in = password_sign_in(&pool, &client_id, "u", "Perm-Pass-1!")
        .await
        .ok();
    assert!(signed_in["AuthenticationResult"]["IdToken"].is_string());
    assert_eq!(
        srp_start(&pool, &client_id, "u").await.ok()["ChallengeName"],
        "PASSWORD_VERIFIER"
    );
    initiate(&pool, &client_id, "USER_AUTH", json!({"USERNAME": "u"}))
        .await
        .assert_error_type("InvalidParameterException");
    pool.shutdown().await;
}

#[tokio::test]
async fn update_user_pool_client_resets_settings_left_out_to_their_defaults() {
    let pool = empty_pool().await;
    let (pool_id, client_id) = pool_with_client(
        &pool,
        json!({}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"], "PreventUserExistenceErrors": "ENABLED"}),
    )
    .await;
    let ids = json!({"UserPoolId": pool_id, "ClientId": client_id});
    let described = call(&pool, "DescribeUserPoolClient", ids.clone())
        .await
        .ok();
    assert_eq!(
        described["UserPoolClient"]["PreventUserExistenceErrors"],
        "ENABLED"
    );
    let mut rename = ids.clone();
    merge(&mut rename, json!({"ClientName": "renamed"}));
    let updated = call(&pool, "UpdateUserPoolClient", rename).await.ok();
    let client = &updated["UserPoolClient"];
    assert_eq!(client["ClientName"], "renamed");
    assert_eq!(client["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(
        client["ExplicitAuthFlows"],
        json!([
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    password_sign_in(&pool, &client_id, "u", "Perm-Pass-1!")
        .await
        .assert_error_type("InvalidParameterException");
    let mut widen = ids.clone();
    merge(
        &mut widen,
        json!({"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"], "PreventUserExistenceErrors": "ENABLED"}),
    );
    call(&pool, "UpdateUserPoolClient", widen).await.ok();
    let described = call(&pool, "DescribeUserPoolClient", ids.clone())
        .await
        .ok();
    assert_eq!(described["UserPoolClient"]["ClientName"], "renamed");
    assert_eq!(
        described["UserPoolClient"]["PreventUserExistenceErrors"],
        "ENABLED"
    );
    assert!(
        password_sign_in(&pool, &client_id, "u", "Perm-Pass-1!")
            .await
            .ok()["AuthenticationResult"]
            .is_object()
    );
    let mut wrong = ids.clone();
    merge(
        &mut wrong,
        json!({"PreventUserExistenceErrors": "SOMETIMES"}),
    );
    call(&pool, "UpdateUserPoolClient", wrong)
        .await
        .assert_error_type("InvalidParameterException");
    let mut unknown = ids;
    merge(&mut unknown, json!({"ClientId": "nope"}));
    call(&pool, "UpdateUserPoolClient", unknown)
        .await
        .assert_error_type("ResourceNotFoundException");
    pool.shutdown().await;
}

#[tokio::test]
async fn user_auth_offers_the_first_factors_the_sign_in_policy_allows() {
    let pool = empty_pool().await;
    let flows = json!({"ExplicitAuthFlows": ["ALLOW_USER_AUTH"]});
    // By default a pool allows the password alone, even to a user with a verified e-mail.
    let (pool_id, client_id) = pool_with_client(&pool, json!({}), flows.clone()).await;
    let described = call(&pool, "DescribeUserPool", json!({"UserPoolId": pool_id}))
        .await
        .ok();
    assert_eq!(
        described["UserPool"]["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"],
        json!(["PASSWORD"])
    );
    let select = initiate(&pool, &client_id, "USER_AUTH", json!({"USERNAME": "u"}))
        .await
        .ok();
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
    initiate(
        &pool,
        &client_id,
        "USER_AUTH",
        json!({"USERNAME": "u", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
    )
    .await
    .ok();
    assert!(
        pool.outbox().is_empty(),
        "no code is sent for a factor the pool does not allow"
    );
    // A policy listing e-mail codes offers them to users with a verified e-mail only.
    let policy = json!({"Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]}}});
    let (_, client_id) = pool_with_client(&pool, policy, flows).await;
    let select = initiate(&pool, &client_id, "USER_AUTH", json!({"USERNAME": "u"}))
        .await
        .ok();
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn a_sign_in_policy_must_allow_the_password_and_known_factors() {
    let pool = empty_pool().await;
    for factors in [json!(["EMAIL_OTP"]), json!(["PASSWORD", "FACE_ID"])] {
        call(
            &pool,
            "CreateUserPool",
            json!({"PoolName": "p", "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}}),
        )
        .await
        .assert_error_type("InvalidParameterException");
    }
    pool.shutdown().await;
}

#[tokio::test]
async fn user_auth_needs_allow_user_auth_on_the_client() {
    let pool = empty_pool().await;
    let (_, client_id) = pool_with_client(
        &pool,
        json!({}),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}),
    )
    .await;
    initiate(&pool, &client_id, "USER_AUTH", json!({"USERNAME": "u"}))
        .await
        .assert_error(
            "InvalidParameterException",
            "USER_AUTH flow not enabled for this client",
        );
    pool.shutdown().await;
}

// ----------------------------------------------- PreventUserExistenceErrors

#[tokio::test]
async fn unknown_users_are_told_incorrect_username_or_password() {
    // The demo's clients prevent user-existence errors, as the AWS console's do.
    let pool = demo_pool().await;
    password_sign_in(&pool, PUBLIC_CLIENT_ID, "nobody", "Any-Password-1!")
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "CUSTOM_AUTH",
        json!({"USERNAME": "nobody"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_AUTH",
        json!({"USERNAME": "nobody", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Any-Password-1!"}),
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    pool.shutdown().await;
}

#[tokio::test]
async fn srp_for_an_unknown_user_gives_a_stable_challenge_then_refuses_the_password() {
    let pool = demo_pool().await;
    let real = srp_start(&pool, PUBLIC_CLIENT_ID, "alice").await.ok();
    let client = SrpClient::new();
    let first = call(
        &pool,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": PUBLIC_CLIENT_ID,
               "AuthParameters": {"USERNAME": "nobody", "SRP_A": client.public_a_hex()}}),
    )
    .await
    .ok();
    let again = srp_start(&pool, PUBLIC_CLIENT_ID, "nobody").await.ok();
    let other = srp_start(&pool, PUBLIC_CLIENT_ID, "nobody-else").await.ok();
    let parameter = |answer: &Value, name: &str| {
        answer["ChallengeParameters"][name]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(first["ChallengeName"], "PASSWORD_VERIFIER");
    // The same salt and user id on every try, as for a real user; another name, others.
    assert_eq!(parameter(&first, "SALT"), parameter(&again, "SALT"));
    assert_ne!(parameter(&first, "SALT"), parameter(&other, "SALT"));
    let user_id = parameter(&first, "USER_ID_FOR_SRP");
    assert_eq!(user_id, parameter(&again, "USER_ID_FOR_SRP"));
    assert!(uuid::Uuid::parse_str(&user_id).is_ok(), "{user_id}");
    // B is a fresh group element of the usual size, like a real user's.
    assert_ne!(parameter(&first, "SRP_B"), parameter(&again, "SRP_B"));
    let hex_length = |text: String| (text.len(), text.chars().all(|c| c.is_ascii_hexdigit()));
    let (b_length, b_hex) = hex_length(parameter(&first, "SRP_B"));
    assert!(b_hex && b_length >= 760, "{b_length}");
    assert!(parameter(&real, "SRP_B").len().abs_diff(b_length) <= 4);
    let (salt_length, salt_hex) = hex_length(parameter(&first, "SALT"));
    assert!(
        salt_hex && (salt_length == 32 || salt_length == 34),
        "{salt_length}"
    );
    // The proof of any password is refused as a wrong password is, with or without the Session.
    let responses =
        password_verifier_responses(&client, &first, "Any-Password-1!", &now_timestamp());
    let answer = call(
        &pool,
        "RespondToAuthChallenge",
        json!({"ClientId": PUBLIC_CLIENT_ID, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses}),
    )
    .await;
    answer.assert_error("NotAuthorizedException", "Incorrect username or password.");
    let client = SrpClient::new();
    let challenge = srp_start_with(&pool, &client, "nobody").await;
    let responses =
        password_verifier_responses(&client, &challenge, "Any-Password-1!", &now_timestamp());
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "PASSWORD_VERIFIER",
        &challenge["Session"],
        responses,
    )
    .await
    .assert_error("NotAuthorizedException", "Incorrect username or password.");
    pool.shutdown().await;
}

/// USER_SRP_AUTH's first call with this SRP client's A.
async fn srp_start_with(pool: &RunningPool, client: &SrpClient, username: &str) -> Value {
    initiate(
        pool,
        PUBLIC_CLIENT_ID,
        "USER_SRP_AUTH",
        json!({"USERNAME": username, "SRP_A": client.public_a_hex()}),
    )
    .await
    .ok()
}

#[tokio::test]
async fn user_auth_answers_an_unknown_user_with_the_pools_first_factors() {
    let pool = demo_pool().await;
    let pat = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_AUTH",
        json!({"USERNAME": "pat"}),
    )
    .await
    .ok();
    let nobody = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_AUTH",
        json!({"USERNAME": "nobody"}),
    )
    .await
    .ok();
    assert_eq!(nobody["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(nobody["AvailableChallenges"], pat["AvailableChallenges"]);
    // A password is wrong, and the session stays for another try, as for a real user.
    let session = &nobody["Session"];
    for _ in 0..2 {
        respond(
            &pool,
            PUBLIC_CLIENT_ID,
            "SELECT_CHALLENGE",
            session,
            json!({"USERNAME": "nobody", "ANSWER": "PASSWORD", "PASSWORD": "Any-Password-1!"}),
        )
        .await
        .assert_error("NotAuthorizedException", "Incorrect username or password.");
    }
    // An e-mail code "goes" to a masked address; nothing is sent and no code passes.
    let fresh = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_AUTH",
        json!({"USERNAME": "nobody"}),
    )
    .await
    .ok();
    let code = respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "SELECT_CHALLENGE",
        &fresh["Session"],
        json!({"USERNAME": "nobody", "ANSWER": "EMAIL_OTP"}),
    )
    .await
    .ok();
    assert_eq!(code["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        code["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "n***@e***"
    );
    assert_eq!(
        code["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    assert!(
        pool.outbox()
            .iter()
            .all(|delivery| delivery.username != "nobody")
    );
    respond(
        &pool,
        PUBLIC_CLIENT_ID,
        "EMAIL_OTP",
        &code["Session"],
        json!({"USERNAME": "nobody", "EMAIL_OTP_CODE": "12345678"}),
    )
    .await
    .assert_error_type("CodeMismatchException");
    // PASSWORD_SRP chosen at once gets a stand-in's PASSWORD_VERIFIER.
    let srp = initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_AUTH",
        json!({"USERNAME": "nobody", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": SrpClient::new().public_a_hex()}),
    )
    .await
    .ok();
    assert_eq!(srp["ChallengeName"], "PASSWORD_VERIFIER");
    pool.shutdown().await;
}

#[tokio::test]
async fn forgot_password_for_an_unknown_user_answers_with_a_simulated_delivery() {
    let pool = demo_pool().await;
    let forgot = |username: &str| json!({"ClientId": PUBLIC_CLIENT_ID, "Username": username});
    for _ in 0..2 {
        // The resend path calls ForgotPassword again: the same made-up destination.
        let answer = call(&pool, "ForgotPassword", forgot("nobody")).await.ok();
        assert_eq!(
            answer["CodeDeliveryDetails"],
            json!({"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
        );
    }
    let by_phone = call(&pool, "ForgotPassword", forgot("+15550109999"))
        .await
        .ok();
    assert_eq!(by_phone["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    assert_eq!(
        by_phone["CodeDeliveryDetails"]["Destination"],
        "+*******9999"
    );
    assert!(
        pool.outbox().is_empty(),
        "nothing is sent to an unknown user"
    );
    call(
        &pool,
        "ConfirmForgotPassword",
        json!({"ClientId": PUBLIC_CLIENT_ID, "Username": "nobody", "ConfirmationCode": "123456", "Password": "New-Password-1!"}),
    )
    .await
    .assert_error(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn with_legacy_existence_errors_unknown_users_get_user_not_found() {
    let pool = demo_pool().await;
    let made = call(
        &pool,
        "CreateUserPoolClient",
        json!({"UserPoolId": POOL_ID, "ClientName": "legacy",
               "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH"]}),
    )
    .await
    .ok();
    assert_eq!(
        made["UserPoolClient"]["PreventUserExistenceErrors"],
        "LEGACY"
    );
    let client_id = made["UserPoolClient"]["ClientId"].as_str().unwrap();
    password_sign_in(&pool, client_id, "nobody", "Any-Password-1!")
        .await
        .assert_error("UserNotFoundException", "User does not exist.");
    srp_start(&pool, client_id, "nobody")
        .await
        .assert_error("UserNotFoundException", "User does not exist.");
    initiate(&pool, client_id, "USER_AUTH", json!({"USERNAME": "nobody"}))
        .await
        .assert_error("UserNotFoundException", "User does not exist.");
    call(
        &pool,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "nobody"}),
    )
    .await
    .assert_error(
        "UserNotFoundException",
        "Username/client id combination not found.",
    );
    pool.shutdown().await;
}
