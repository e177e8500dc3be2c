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
    Answer, call, demo_pool, empty_pool, initiate, now_timestamp, password_verifier_responses,
    respond,
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
    initiate(
        &pool,
        PUBLIC_CLIENT_ID,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "nobody", "PASSWORD": "x"}),
    )
    .await
    .assert_error("UserNotFoundException", "User does not exist.");
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
