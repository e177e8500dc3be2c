//! Passkeys in the local pool, end to end over HTTP: registration
//! (StartWebAuthnRegistration, CompleteWebAuthnRegistration), the list and deletion,
//! USER_AUTH's WEB_AUTHN sign-in, the pool's WebAuthnConfiguration, and every check
//! the pool makes, each shown refusing a bent ceremony of the test authenticator.

use cognito_signin::local_pool::{self, RunningPool, parse_pool_file};
use serde_json::{Value, json};

use super::webauthn_authenticator::{Alg, Authenticator, Bend, Fmt, UP};
use crate::support::pool::{Answer, call, initiate, password_access_token, respond};

const POOL_ID: &str = "us-east-1_Passkeys";
const UV_POOL_ID: &str = "us-east-1_PasskeysUv";
const CLIENT: &str = "passkeyclient";
const OTHER_CLIENT: &str = "passkeyclient2";
const UV_CLIENT: &str = "uvclient";
const PLAIN_CLIENT: &str = "plainclient";
const PASSWORD: &str = "Passkey-Password-1!";

/// Three pools: passkeys allowed (user verification preferred, RP ID "localhost"),
/// passkeys allowed with user verification required, and passkeys not allowed.
fn pool_file_text() -> String {
    let flows = r#"["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]"#;
    let users = |names: &[&str]| {
        names
            .iter()
            .map(|name| {
                format!("[[pool.user]]\nusername = \"{name}\"\npassword = \"{PASSWORD}\"\n")
            })
            .collect::<String>()
    };
    format!(
        r#"[[pool]]
id = "{POOL_ID}"
name = "passkeys"
[pool.sign_in_policy]
allowed_first_auth_factors = ["PASSWORD", "WEB_AUTHN"]
[[pool.client]]
id = "{CLIENT}"
name = "web"
explicit_auth_flows = {flows}
[[pool.client]]
id = "{OTHER_CLIENT}"
name = "other"
explicit_auth_flows = {flows}
{}
[[pool]]
id = "{UV_POOL_ID}"
name = "passkeys with user verification"
[pool.sign_in_policy]
allowed_first_auth_factors = ["PASSWORD", "WEB_AUTHN"]
[pool.web_authn]
user_verification = "required"
[[pool.client]]
id = "{UV_CLIENT}"
name = "uv"
explicit_auth_flows = {flows}
{}
[[pool]]
id = "us-east-1_NoPasskeys"
name = "no passkeys"
[[pool.client]]
id = "{PLAIN_CLIENT}"
name = "plain"
explicit_auth_flows = {flows}
{}"#,
        users(&["alice", "bob"]),
        users(&["ursula"]),
        users(&["pete"]),
    )
}

/// The pools of [`pool_file_text`], kept in `dir` (`serve --data`).
async fn kept_pool(dir: &std::path::Path) -> RunningPool {
    let file = parse_pool_file(&pool_file_text(), "passkeys.toml").unwrap();
    local_pool::start_kept(Some(file), 0, Some(dir))
        .await
        .unwrap()
}

async fn passkey_pool() -> RunningPool {
    let file = parse_pool_file(&pool_file_text(), "passkeys.toml").unwrap();
    local_pool::start(Some(file), 0).await.unwrap()
}

/// A password sign-in's access token.
async fn access_token(pool: &RunningPool, client: &str, username: &str) -> String {
    password_access_token(pool, client, username, PASSWORD).await
}

/// StartWebAuthnRegistration's creation options.
async fn start(pool: &RunningPool, token: &str) -> Value {
    call(
        pool,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await
    .ok()["CredentialCreationOptions"]
        .clone()
}

async fn complete(pool: &RunningPool, token: &str, credential: Value) -> Answer {
    call(
        pool,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": credential}),
    )
    .await
}

fn challenge_of(options: &Value) -> String {
    options["challenge"].as_str().unwrap().to_owned()
}

/// Registers `authenticator` for the token's user, with the ceremony bent by `bend`.
async fn register_with(
    pool: &RunningPool,
    token: &str,
    authenticator: &mut Authenticator,
    bend: &Bend,
) -> Answer {
    let options = start(pool, token).await;
    let credential = authenticator.register(&challenge_of(&options), bend);
    complete(pool, token, credential).await
}

/// Registers a new authenticator for `username` in the first pool.
async fn registered(pool: &RunningPool, username: &str, alg: Alg) -> Authenticator {
    let token = access_token(pool, CLIENT, username).await;
    let mut authenticator = Authenticator::new(alg);
    register_with(pool, &token, &mut authenticator, &Bend::default())
        .await
        .ok();
    authenticator
}

/// USER_AUTH with PREFERRED_CHALLENGE=WEB_AUTHN: the WEB_AUTHN challenge.
async fn web_authn_challenge(pool: &RunningPool, client: &str, username: &str) -> Value {
    let body = initiate(
        pool,
        client,
        "USER_AUTH",
        json!({"USERNAME": username, "PREFERRED_CHALLENGE": "WEB_AUTHN"}),
    )
    .await
    .ok();
    assert_eq!(body["ChallengeName"], "WEB_AUTHN", "{body:?}");
    body
}

/// A fresh WEB_AUTHN challenge for `username`, and `authenticator`'s assertion over it
/// bent as `bend` says.
async fn fresh_assertion(
    pool: &RunningPool,
    username: &str,
    authenticator: &mut Authenticator,
    bend: &Bend,
) -> (Value, Value) {
    let challenge = web_authn_challenge(pool, CLIENT, username).await;
    let options = request_options(&challenge);
    let credential = authenticator.assert(&challenge_of(&options), bend);
    (challenge, credential)
}

/// The request options a challenge carries.
fn request_options(challenge: &Value) -> Value {
    let text = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
        .as_str()
        .unwrap();
    serde_json::from_str(text).unwrap()
}

async fn answer_web_authn(
    pool: &RunningPool,
    client: &str,
    username: &str,
    session: &Value,
    credential: &Value,
) -> Answer {
    respond(
        pool,
        client,
        "WEB_AUTHN",
        session,
        json!({"USERNAME": username, "CREDENTIAL": credential.to_string()}),
    )
    .await
}

fn assert_tokens(body: &Value) {
    assert!(
        body["AuthenticationResult"]["AccessToken"].is_string(),
        "{body:?}"
    );
}

async fn available_challenges(pool: &RunningPool, username: &str) -> Value {
    initiate(pool, CLIENT, "USER_AUTH", json!({"USERNAME": username}))
        .await
        .ok()["AvailableChallenges"]
        .clone()
}

// ---------------------------------------------------------------- registration and sign-in

#[tokio::test]
async fn creation_options_carry_the_pools_settings_and_the_users_passkeys() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let options = start(&pool, &token).await;
    assert_eq!(
        options["rp"],
        json!({"id": "localhost", "name": "passkeys"})
    );
    assert_eq!(options["user"]["name"], "alice");
    assert!(!options["user"]["id"].as_str().unwrap().is_empty());
    assert_eq!(
        options["pubKeyCredParams"],
        json!([{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}])
    );
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "preferred"
    );
    assert_eq!(options["excludeCredentials"], json!([]));
    assert!(options["timeout"].as_u64().unwrap() > 0);
    let again = start(&pool, &token).await;
    assert_ne!(options["challenge"], again["challenge"], "fresh challenges");
    assert_eq!(
        options["user"]["id"], again["user"]["id"],
        "a stable handle"
    );

    let mut authenticator = Authenticator::new(Alg::Es256);
    let credential = authenticator.register(&challenge_of(&again), &Bend::default());
    complete(&pool, &token, credential).await.ok();
    let options = start(&pool, &token).await;
    assert_eq!(
        options["excludeCredentials"][0]["id"],
        authenticator.id().as_str()
    );
    pool.shutdown().await;
}

#[tokio::test]
async fn an_es256_passkey_registers_then_signs_in_through_select_challenge() {
    let pool = passkey_pool().await;
    assert_eq!(
        available_challenges(&pool, "alice").await,
        json!(["PASSWORD", "PASSWORD_SRP"]),
        "no passkey yet: WEB_AUTHN is not offered"
    );
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    let select = initiate(&pool, CLIENT, "USER_AUTH", json!({"USERNAME": "alice"}))
        .await
        .ok();
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"])
    );
    let challenge = respond(
        &pool,
        CLIENT,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "alice", "ANSWER": "WEB_AUTHN"}),
    )
    .await
    .ok();
    assert_eq!(challenge["ChallengeName"], "WEB_AUTHN");
    let options = request_options(&challenge);
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["userVerification"], "preferred");
    assert_eq!(
        options["allowCredentials"][0]["id"],
        authenticator.id().as_str()
    );
    let credential = authenticator.assert(&challenge_of(&options), &Bend::default());
    let done = answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .ok();
    assert_tokens(&done);
    pool.shutdown().await;
}

#[tokio::test]
async fn the_select_challenge_answer_may_carry_the_credential() {
    let pool = passkey_pool().await;
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    let select = initiate(&pool, CLIENT, "USER_AUTH", json!({"USERNAME": "alice"}))
        .await
        .ok();
    let options = request_options(&select);
    let credential = authenticator.assert(&challenge_of(&options), &Bend::default());
    let done = respond(
        &pool,
        CLIENT,
        "SELECT_CHALLENGE",
        &select["Session"],
        json!({"USERNAME": "alice", "ANSWER": "WEB_AUTHN", "CREDENTIAL": credential.to_string()}),
    )
    .await
    .ok();
    assert_tokens(&done);
    pool.shutdown().await;
}

#[tokio::test]
async fn an_rs256_passkey_registers_then_signs_in_as_the_preferred_challenge() {
    let pool = passkey_pool().await;
    let mut authenticator = registered(&pool, "bob", Alg::Rs256).await;
    let (challenge, credential) =
        fresh_assertion(&pool, "bob", &mut authenticator, &Bend::default()).await;
    let done = answer_web_authn(&pool, CLIENT, "bob", &challenge["Session"], &credential)
        .await
        .ok();
    assert_tokens(&done);
    pool.shutdown().await;
}

#[tokio::test]
async fn packed_self_attestation_registers_and_a_bad_packed_signature_is_refused() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let packed = Bend {
        fmt: Fmt::Packed,
        ..Bend::default()
    };
    register_with(&pool, &token, &mut Authenticator::new(Alg::Es256), &packed)
        .await
        .ok();
    let bad = Bend {
        fmt: Fmt::PackedBadSignature,
        ..Bend::default()
    };
    register_with(&pool, &token, &mut Authenticator::new(Alg::Es256), &bad)
        .await
        .assert_error_type("NotAuthorizedException");
    let listed = call(
        &pool,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await
    .ok();
    assert_eq!(listed["Credentials"].as_array().unwrap().len(), 1);
    pool.shutdown().await;
}

// ---------------------------------------------------------------- list and delete

#[tokio::test]
async fn credentials_list_in_pages_and_deleting_them_stops_web_authn_being_offered() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let mut authenticator = Authenticator::new(Alg::Es256);
        register_with(&pool, &token, &mut authenticator, &Bend::default())
            .await
            .ok();
        ids.push(authenticator.id());
    }
    let list = |body: Value| call(&pool, "ListWebAuthnCredentials", body);
    let first = list(json!({"AccessToken": token, "MaxResults": 2}))
        .await
        .ok();
    assert_eq!(first["Credentials"].as_array().unwrap().len(), 2);
    let described = &first["Credentials"][0];
    assert_eq!(described["RelyingPartyId"], "localhost");
    assert_eq!(described["FriendlyCredentialName"], "Passkey");
    assert_eq!(described["AuthenticatorAttachment"], "platform");
    assert_eq!(described["AuthenticatorTransports"], json!(["internal"]));
    assert!(described["CreatedAt"].as_f64().unwrap() > 0.0);
    let next = first["NextToken"].as_str().unwrap();
    let second = list(json!({"AccessToken": token, "MaxResults": 2, "NextToken": next}))
        .await
        .ok();
    assert_eq!(second["Credentials"].as_array().unwrap().len(), 1);
    assert!(second["NextToken"].is_null());
    let mut seen: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|page| page["Credentials"].as_array().unwrap().clone())
        .map(|credential| credential["CredentialId"].as_str().unwrap().to_owned())
        .collect();
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids, "every credential once");
    for bad in [0, 21] {
        list(json!({"AccessToken": token, "MaxResults": bad}))
            .await
            .assert_error_type("InvalidParameterException");
    }
    list(json!({"AccessToken": token, "NextToken": "nonsense"}))
        .await
        .assert_error_type("InvalidParameterException");

    let delete = |id: &str| {
        call(
            &pool,
            "DeleteWebAuthnCredential",
            json!({"AccessToken": token, "CredentialId": id}),
        )
    };
    delete("AAAA")
        .await
        .assert_error_type("ResourceNotFoundException");
    let bob = access_token(&pool, CLIENT, "bob").await;
    call(
        &pool,
        "DeleteWebAuthnCredential",
        json!({"AccessToken": bob, "CredentialId": ids[0]}),
    )
    .await
    .assert_error_type("ResourceNotFoundException");
    for id in &ids {
        delete(id).await.ok();
    }
    delete(&ids[0])
        .await
        .assert_error_type("ResourceNotFoundException");
    assert_eq!(
        available_challenges(&pool, "alice").await,
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
    initiate(
        &pool,
        CLIENT,
        "USER_AUTH",
        json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"}),
    )
    .await
    .ok();
    call(
        &pool,
        "ListWebAuthnCredentials",
        json!({"AccessToken": "x.y.z"}),
    )
    .await
    .assert_error_type("NotAuthorizedException");
    pool.shutdown().await;
}

// ---------------------------------------------------------------- registration refusals

#[tokio::test]
async fn registration_refuses_each_bent_ceremony_with_cognitos_error() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let cases: [(Bend, &str); 4] = [
        (
            Bend {
                origin: "https://evil.example".to_owned(),
                ..Bend::default()
            },
            "WebAuthnOriginNotAllowedException",
        ),
        (
            Bend {
                rp_id: "example.com".to_owned(),
                ..Bend::default()
            },
            "WebAuthnRelyingPartyMismatchException",
        ),
        (
            Bend {
                kind: Some("webauthn.get"),
                ..Bend::default()
            },
            "NotAuthorizedException",
        ),
        (
            Bend {
                flags: 0,
                ..Bend::default()
            },
            "NotAuthorizedException",
        ),
    ];
    for (bend, error_type) in cases {
        let mut authenticator = Authenticator::new(Alg::Es256);
        register_with(&pool, &token, &mut authenticator, &bend)
            .await
            .assert_error_type(error_type);
    }
    let listed = call(
        &pool,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await
    .ok();
    assert_eq!(listed["Credentials"], json!([]), "nothing was kept");
    pool.shutdown().await;
}

#[tokio::test]
async fn a_registration_challenge_is_used_once_and_only_by_its_client() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let mut authenticator = Authenticator::new(Alg::Es256);
    complete(
        &pool,
        &token,
        authenticator.register("AAAA", &Bend::default()),
    )
    .await
    .assert_error_type("WebAuthnChallengeNotFoundException");

    let options = start(&pool, &token).await;
    let credential = authenticator.register(&challenge_of(&options), &Bend::default());
    complete(&pool, &token, credential.clone()).await.ok();
    complete(&pool, &token, credential)
        .await
        .assert_error_type("WebAuthnChallengeNotFoundException");

    // The same credential again, under a fresh challenge: already registered.
    let options = start(&pool, &token).await;
    let again = authenticator.register(&challenge_of(&options), &Bend::default());
    complete(&pool, &token, again)
        .await
        .assert_error_type("InvalidParameterException");

    // A challenge answered for another one.
    let options = start(&pool, &token).await;
    let mut other = Authenticator::new(Alg::Es256);
    let stale = other.register(&format!("{}x", challenge_of(&options)), &Bend::default());
    complete(&pool, &token, stale)
        .await
        .assert_error_type("WebAuthnChallengeNotFoundException");

    let other_client_token = access_token(&pool, OTHER_CLIENT, "alice").await;
    let options = start(&pool, &token).await;
    let credential = other.register(&challenge_of(&options), &Bend::default());
    complete(&pool, &other_client_token, credential)
        .await
        .assert_error_type("WebAuthnClientMismatchException");
    pool.shutdown().await;
}

#[tokio::test]
async fn passkeys_need_web_authn_in_the_sign_in_policy() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, PLAIN_CLIENT, "pete").await;
    call(
        &pool,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await
    .assert_error_type("WebAuthnNotEnabledException");
    pool.shutdown().await;
}

#[tokio::test]
async fn user_verification_required_refuses_a_credential_without_uv() {
    let pool = passkey_pool().await;
    let token = access_token(&pool, UV_CLIENT, "ursula").await;
    let options = start(&pool, &token).await;
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    let mut authenticator = Authenticator::new(Alg::Es256);
    let no_uv = Bend {
        flags: UP,
        ..Bend::default()
    };
    let credential = authenticator.register(&challenge_of(&options), &no_uv);
    complete(&pool, &token, credential)
        .await
        .assert_error_type("WebAuthnCredentialNotSupportedException");
    register_with(&pool, &token, &mut authenticator, &Bend::default())
        .await
        .ok();

    let challenge = web_authn_challenge(&pool, UV_CLIENT, "ursula").await;
    let options = request_options(&challenge);
    assert_eq!(options["userVerification"], "required");
    let credential = authenticator.assert(&challenge_of(&options), &no_uv);
    answer_web_authn(
        &pool,
        UV_CLIENT,
        "ursula",
        &challenge["Session"],
        &credential,
    )
    .await
    .assert_error_type("NotAuthorizedException");
    let credential = authenticator.assert(&challenge_of(&options), &Bend::default());
    let done = answer_web_authn(
        &pool,
        UV_CLIENT,
        "ursula",
        &challenge["Session"],
        &credential,
    )
    .await
    .ok();
    assert_tokens(&done);
    pool.shutdown().await;
}

// ---------------------------------------------------------------- sign-in refusals

#[tokio::test]
async fn sign_in_refuses_each_bent_assertion_and_keeps_the_session() {
    let pool = passkey_pool().await;
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    let bents = [
        Bend {
            bad_signature: true,
            ..Bend::default()
        },
        Bend {
            origin: "https://localhost.evil.example".to_owned(),
            ..Bend::default()
        },
        Bend {
            rp_id: "example.com".to_owned(),
            ..Bend::default()
        },
        Bend {
            kind: Some("webauthn.create"),
            ..Bend::default()
        },
        Bend {
            flags: 0,
            ..Bend::default()
        },
    ];
    for bend in bents {
        let challenge = web_authn_challenge(&pool, CLIENT, "alice").await;
        let options = request_options(&challenge);
        let credential = authenticator.assert(&challenge_of(&options), &bend);
        answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
            .await
            .assert_error("NotAuthorizedException", &refusal_message(&bend));
        // The session takes another try, and a right assertion signs in.
        let credential = authenticator.assert(&challenge_of(&options), &Bend::default());
        let done = answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
            .await
            .ok();
        assert_tokens(&done);
    }
    pool.shutdown().await;
}

/// The message the pool gives for the one bent part of `bend`.
fn refusal_message(bend: &Bend) -> String {
    let message = if bend.bad_signature {
        "The credential's signature is not valid."
    } else if bend.origin != Bend::default().origin {
        "The credential's origin does not match the user pool's relying party ID."
    } else if bend.rp_id != Bend::default().rp_id {
        "The credential is for another relying party ID than the user pool's."
    } else if bend.kind.is_some() {
        "The clientDataJSON is for another WebAuthn ceremony."
    } else {
        "The authenticator did not confirm user presence."
    };
    message.to_owned()
}

#[tokio::test]
async fn a_replayed_assertion_is_refused() {
    let pool = passkey_pool().await;
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    let (challenge, credential) =
        fresh_assertion(&pool, "alice", &mut authenticator, &Bend::default()).await;
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .ok();
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .assert_error_type("NotAuthorizedException");
    let fresh = web_authn_challenge(&pool, CLIENT, "alice").await;
    answer_web_authn(&pool, CLIENT, "alice", &fresh["Session"], &credential)
        .await
        .assert_error(
            "NotAuthorizedException",
            "The credential does not answer the pool's current challenge.",
        );
    pool.shutdown().await;
}

#[tokio::test]
async fn a_sign_count_that_does_not_grow_is_refused_as_a_clone() {
    let pool = passkey_pool().await;
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    // Registered with count 1; a sign-in at 5 is stored.
    let challenge = web_authn_challenge(&pool, CLIENT, "alice").await;
    let options = request_options(&challenge);
    let at_five = Bend {
        count: Some(5),
        ..Bend::default()
    };
    let credential = authenticator.assert(&challenge_of(&options), &at_five);
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .ok();
    for count in [5, 4, 0] {
        let challenge = web_authn_challenge(&pool, CLIENT, "alice").await;
        let options = request_options(&challenge);
        let bend = Bend {
            count: Some(count),
            ..Bend::default()
        };
        let credential = authenticator.assert(&challenge_of(&options), &bend);
        answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
            .await
            .assert_error(
                "NotAuthorizedException",
                "The authenticator's signature counter did not increase.",
            );
    }
    pool.shutdown().await;
}

#[tokio::test]
async fn another_users_credential_does_not_sign_in() {
    let pool = passkey_pool().await;
    registered(&pool, "alice", Alg::Es256).await;
    let mut bobs = registered(&pool, "bob", Alg::Es256).await;
    let (challenge, credential) =
        fresh_assertion(&pool, "alice", &mut bobs, &Bend::default()).await;
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .assert_error(
            "NotAuthorizedException",
            "The credential is not registered for this user.",
        );
    answer_web_authn(
        &pool,
        CLIENT,
        "alice",
        &challenge["Session"],
        &json!("not json"),
    )
    .await
    .assert_error_type("InvalidParameterException");
    pool.shutdown().await;
}

// ---------------------------------------------------------------- configuration and restarts

#[tokio::test]
async fn the_pools_web_authn_configuration_is_read_and_set() {
    let pool = passkey_pool().await;
    let get = || {
        call(
            &pool,
            "GetUserPoolMfaConfig",
            json!({"UserPoolId": POOL_ID}),
        )
    };
    assert_eq!(
        get().await.ok()["WebAuthnConfiguration"],
        json!({"UserVerification": "preferred"})
    );
    let set = |config: Value| {
        call(
            &pool,
            "SetUserPoolMfaConfig",
            json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OFF", "WebAuthnConfiguration": config}),
        )
    };
    let answer = set(json!({"RelyingPartyId": "Example.COM", "UserVerification": "required"}))
        .await
        .ok();
    let expected = json!({"RelyingPartyId": "example.com", "UserVerification": "required"});
    assert_eq!(answer["WebAuthnConfiguration"], expected);
    assert_eq!(get().await.ok()["WebAuthnConfiguration"], expected);
    set(json!({"UserVerification": "sometimes"}))
        .await
        .assert_error_type("InvalidParameterException");
    set(json!({"RelyingPartyId": "https://example.com/"}))
        .await
        .assert_error_type("InvalidParameterException");

    // Passkeys are now scoped to example.com: the console's https://example.com.
    let token = access_token(&pool, CLIENT, "alice").await;
    let options = start(&pool, &token).await;
    assert_eq!(options["rp"]["id"], "example.com");
    let for_example = Bend {
        origin: "https://example.com".to_owned(),
        rp_id: "example.com".to_owned(),
        ..Bend::default()
    };
    let mut authenticator = Authenticator::new(Alg::Es256);
    let credential = authenticator.register(&challenge_of(&options), &for_example);
    complete(&pool, &token, credential).await.ok();
    pool.shutdown().await;
}

#[tokio::test]
async fn passkeys_and_their_sign_counts_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let pool = kept_pool(dir.path()).await;
    let mut authenticator = registered(&pool, "alice", Alg::Es256).await;
    let challenge = web_authn_challenge(&pool, CLIENT, "alice").await;
    let options = request_options(&challenge);
    let at_ten = Bend {
        count: Some(10),
        ..Bend::default()
    };
    let credential = authenticator.assert(&challenge_of(&options), &at_ten);
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .ok();
    pool.shutdown().await;

    let pool = kept_pool(dir.path()).await;
    let token = access_token(&pool, CLIENT, "alice").await;
    let listed = call(
        &pool,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await
    .ok();
    assert_eq!(
        listed["Credentials"][0]["CredentialId"],
        authenticator.id().as_str()
    );
    let challenge = web_authn_challenge(&pool, CLIENT, "alice").await;
    let options = request_options(&challenge);
    let replayed_count = Bend {
        count: Some(10),
        ..Bend::default()
    };
    let credential = authenticator.assert(&challenge_of(&options), &replayed_count);
    answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .assert_error_type("NotAuthorizedException");
    let credential = authenticator.assert(&challenge_of(&options), &Bend::default());
    let done = answer_web_authn(&pool, CLIENT, "alice", &challenge["Session"], &credential)
        .await
        .ok();
    assert_tokens(&done);
    pool.shutdown().await;
}
