//! Conformance: the console's own wire client against moto, a Cognito-compatible
//! server nobody on this project wrote. Run with `.ci/conformance`, which starts moto
//! on 127.0.0.1 and sets `COGNITO_SIGNIN_MOTO_URL`.
//!
//! moto is not a faithful Cognito (see `shared/peers/README.md`): these tests stay
//! away from what it gets wrong rather than teach the console its mistakes.

use std::collections::BTreeMap;

use cognito_signin::auth::{
    AccountAction, AdminSettings, Answer, AuthFlow, CodeKind, CodeLength, Enrolment, Event,
    FlowSettings, MfaKind, Step,
};
use cognito_signin::cognito::ErrorType;
use cognito_signin::cognito::signing::{AwsCredentials, Signer};
use cognito_signin::cognito::types::{
    AdminCreateUserRequest, AdminGetUserRequest, AdminSetUserPasswordRequest, AuthResponse,
    AuthenticationResult, CreateUserPoolClientRequest, CreateUserPoolRequest,
    DescribeUserPoolClientRequest, DescribeUserPoolRequest, Empty, InitiateAuthRequest,
    RespondToAuthChallengeRequest,
};
use cognito_signin::cognito::types::{AssociateSoftwareTokenRequest, VerifySoftwareTokenRequest};
use cognito_signin::cognito::{ApiError, Client};
use cognito_signin::crypto::{SrpClient, format_timestamp, totp};
use cognito_signin::sensitive::Sensitive;

use crate::support::flow::{Flow, refusal, signed_in, step};
use crate::support::jwks::verified_claims;
use crate::support::{client_at, other_code, unix_now};

mod pycognito;

/// moto's URL, from the environment `.ci/conformance` prepares.
fn moto_url() -> String {
    match std::env::var("COGNITO_SIGNIN_MOTO_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
        _ => panic!(
            "COGNITO_SIGNIN_MOTO_URL is not set. Run .ci/conformance, which starts moto on \
             127.0.0.1 and runs these tests against it."
        ),
    }
}

/// A pool with one app client that allows the flows under test.
struct Pool {
    url: String,
    api: Client,
    pool_id: String,
    client_id: String,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

impl Pool {
    async fn create() -> Self {
        Self::create_with(None).await
    }

    /// A pool whose MFA is ON with authenticator apps (TOTP) as the factor.
    async fn create_with_totp_required() -> Self {
        let pool = Self::create_with(Some("ON")).await;
        let _: serde_json::Value = pool
            .api
            .call(
                "SetUserPoolMfaConfig",
                &serde_json::json!({
                    "UserPoolId": pool.pool_id,
                    "MfaConfiguration": "ON",
                    "SoftwareTokenMfaConfiguration": {"Enabled": true}
                }),
            )
            .await
            .unwrap();
        pool
    }

    async fn create_with(mfa_configuration: Option<&str>) -> Self {
        Self::create_from(CreateUserPoolRequest {
            mfa_configuration: mfa_configuration.map(str::to_owned),
            ..Default::default()
        })
        .await
    }

    /// A pool made from `settings` (its name is made here).
    async fn create_from(settings: CreateUserPoolRequest) -> Self {
        let url = moto_url();
        let api = client_at(&format!("{url}/"));
        let pool_name = unique("conformance");
        let pool = api
            .create_user_pool(&CreateUserPoolRequest {
                pool_name: pool_name.clone(),
                ..settings
            })
            .await
            .unwrap()
            .user_pool;
        assert_eq!(pool.name, pool_name);
        let described = api
            .describe_user_pool(&DescribeUserPoolRequest {
                user_pool_id: pool.id.clone(),
            })
            .await
            .unwrap()
            .user_pool;
        assert_eq!(described.id, pool.id);

        let flows = [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
        ];
        let app_client = api
            .create_user_pool_client(&CreateUserPoolClientRequest {
                user_pool_id: pool.id.clone(),
                client_name: "console".into(),
                generate_secret: false,
                explicit_auth_flows: Some(flows.iter().map(|flow| (*flow).to_owned()).collect()),
                ..Default::default()
            })
            .await
            .unwrap()
            .user_pool_client;
        assert!(app_client.client_secret.is_none());
        let described = api
            .describe_user_pool_client(&DescribeUserPoolClientRequest {
                user_pool_id: pool.id.clone(),
                client_id: app_client.client_id.clone(),
            })
            .await
            .unwrap()
            .user_pool_client;
        assert_eq!(described.client_id, app_client.client_id);
        let mut allowed = described.explicit_auth_flows.unwrap_or_default();
        allowed.sort(); // flows is sorted too
        assert_eq!(allowed, flows);

        Self {
            url,
            api,
            pool_id: pool.id,
            client_id: app_client.client_id,
        }
    }

    /// A user with a temporary password (FORCE_CHANGE_PASSWORD), no message sent.
    async fn temporary_user(&self, username: &str, password: &str) {
        let created = self
            .api
            .admin_create_user(&AdminCreateUserRequest {
                user_pool_id: self.pool_id.clone(),
                username: username.to_owned(),
                temporary_password: Some(password.into()),
                user_attributes: Vec::new(),
                message_action: Some("SUPPRESS".into()),
            })
            .await
            .unwrap();
        assert_eq!(created.user.username, username);
        assert_eq!(created.user.user_status, "FORCE_CHANGE_PASSWORD");
    }

    /// A CONFIRMED user with a permanent password.
    async fn permanent_user(&self, username: &str, password: &str) {
        self.temporary_user(username, "Temporary-1-Pass").await;
        let _: Empty = self
            .api
            .admin_set_user_password(&AdminSetUserPasswordRequest {
                user_pool_id: self.pool_id.clone(),
                username: username.to_owned(),
                password: password.into(),
                permanent: true,
            })
            .await
            .unwrap();
        let user = self
            .api
            .admin_get_user(&AdminGetUserRequest {
                user_pool_id: self.pool_id.clone(),
                username: username.to_owned(),
            })
            .await
            .unwrap();
        assert_eq!(user.username, username);
        assert_eq!(user.user_status, "CONFIRMED");
        assert!(user.enabled);
    }

    /// The console's own auth task signing in to this pool by USER_PASSWORD_AUTH.
    async fn auth_task(&self) -> Flow {
        let settings = FlowSettings {
            user_pool_id: self.pool_id.clone(),
            client_id: self.client_id.clone(),
            auth_flow: AuthFlow::UserPassword,
            totp_issuer: "Conformance Test".into(),
            ..Default::default()
        };
        Flow::start(settings, self.api.clone()).await
    }

    /// Enrols `username`'s authenticator outside the console (AccessToken path), so
    /// the next sign-in asks for SOFTWARE_TOKEN_MFA.
    async fn enrol_totp(&self, username: &str, password: &str) -> Vec<u8> {
        let tokens = self
            .initiate(
                "USER_PASSWORD_AUTH",
                &[("USERNAME", username), ("PASSWORD", password)],
            )
            .await
            .unwrap()
            .authentication_result
            .expect("no MFA before enrolment on the password flow");
        let associated = self
            .api
            .associate_software_token(&AssociateSoftwareTokenRequest {
                access_token: Some(tokens.access_token.clone()),
                session: None,
            })
            .await
            .unwrap();
        let secret = totp::decode_secret(associated.secret_code.unwrap().expose()).unwrap();
        let verified = self
            .api
            .verify_software_token(&VerifySoftwareTokenRequest {
                access_token: Some(tokens.access_token.clone()),
                session: None,
                user_code: totp::code_at(&secret, unix_now()).into(),
                friendly_device_name: Some("conformance".into()),
            })
            .await
            .unwrap();
        assert_eq!(verified.status.as_deref(), Some("SUCCESS"));
        secret
    }

    async fn initiate(
        &self,
        flow: &str,
        parameters: &[(&str, &str)],
    ) -> Result<AuthResponse, ApiError> {
        self.api
            .initiate_auth(&InitiateAuthRequest {
                auth_flow: flow.into(),
                client_id: self.client_id.clone(),
                auth_parameters: sensitive_map(parameters),
                ..Default::default()
            })
            .await
    }

    async fn respond(
        &self,
        challenge: &str,
        session: &AuthResponse,
        responses: &[(&str, &str)],
    ) -> Result<AuthResponse, ApiError> {
        self.api
            .respond_to_auth_challenge(&RespondToAuthChallengeRequest {
                client_id: self.client_id.clone(),
                challenge_name: challenge.to_owned(),
                challenge_responses: sensitive_map(responses),
                session: session.session.clone(),
                ..Default::default()
            })
            .await
    }

    /// Checks both JWTs' RS256 signatures against the pool's JWKS, and their claims.
    async fn assert_tokens_verify(&self, tokens: &AuthenticationResult, username: &str) {
        let jwks_url = format!("{}/{}/.well-known/jwks.json", self.url, self.pool_id);
        // moto names the real AWS host as issuer, not itself: only the pool part is checked.
        let issued_by_pool = |claims: &serde_json::Value| {
            claims["iss"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/{}", self.pool_id))
        };

        let id_token = tokens.id_token.as_ref().expect("an IdToken");
        let id = verified_claims(&jwks_url, id_token.expose(), None, Some(&self.client_id)).await;
        assert_eq!(id["token_use"], "id");
        assert_eq!(id["cognito:username"], username);
        assert!(issued_by_pool(&id), "{}", id["iss"]);

        let access = verified_claims(&jwks_url, tokens.access_token.expose(), None, None).await;
        assert_eq!(access["token_use"], "access");
        assert_eq!(access["client_id"], self.client_id.as_str());
        assert!(issued_by_pool(&access), "{}", access["iss"]);
        assert_eq!(id["sub"], access["sub"]);

        assert_eq!(tokens.token_type, "Bearer");
        assert!(tokens.expires_in > 0);
        assert!(tokens.refresh_token.is_some());
    }
}

/// A code that is not the current one (moto allows no drift: only the current step).
fn wrong_code(secret: &[u8]) -> String {
    other_code(&totp::code_at(secret, unix_now()))
}

/// Answers with the current code; moto allows no drift, so if the 30-second step
/// turned between computing the code and checking it, once more with the new code.
async fn give_current_code(
    flow: &mut Flow,
    secret: &[u8],
    answer: impl Fn(String) -> Answer,
) -> Event {
    let counter = totp::counter_at(unix_now());
    let event = flow.answer(answer(totp::code_at(secret, unix_now()))).await;
    let mismatch = matches!(&event, Event::Refused(problem)
        if problem.kind == Some(ErrorType::CodeMismatch));
    if mismatch && totp::counter_at(unix_now()) != counter {
        return flow.answer(answer(totp::code_at(secret, unix_now()))).await;
    }
    event
}

fn sensitive_map(pairs: &[(&str, &str)]) -> Sensitive<BTreeMap<String, String>> {
    Sensitive::new(
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect(),
    )
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn password_auth_gives_tokens_that_verify_and_a_wrong_password_is_refused() {
    let pool = Pool::create().await;
    pool.permanent_user("alice", "Correct-Horse-9").await;

    let answer = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", "alice"), ("PASSWORD", "Correct-Horse-9")],
        )
        .await
        .unwrap();
    assert_eq!(answer.challenge_name, None);
    let tokens = answer.authentication_result.expect("tokens");
    pool.assert_tokens_verify(&tokens, "alice").await;

    let error = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", "alice"), ("PASSWORD", "Wrong-Horse-9")],
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), Some(&ErrorType::NotAuthorized), "{error:?}");
    let sentence = error.to_string();
    assert!(sentence.ends_with("(NotAuthorizedException)"), "{sentence}");
    assert!(!sentence.contains("Wrong-Horse-9"), "{sentence}");
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn an_email_pool_generates_the_username_and_signs_in_with_the_address() {
    let pool = Pool::create_from(CreateUserPoolRequest {
        username_attributes: vec!["email".to_owned()],
        ..Default::default()
    })
    .await;
    let address = "zoe@example.com";
    let created = pool
        .api
        .admin_create_user(&AdminCreateUserRequest {
            user_pool_id: pool.pool_id.clone(),
            username: address.to_owned(),
            temporary_password: Some("Temporary-1-Pass".into()),
            message_action: Some("SUPPRESS".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    let username = created.user.username;
    assert_ne!(username, address, "the username is generated");
    let _: Empty = pool
        .api
        .admin_set_user_password(&AdminSetUserPasswordRequest {
            user_pool_id: pool.pool_id.clone(),
            username: address.to_owned(),
            password: "Correct-Horse-9".into(),
            permanent: true,
        })
        .await
        .unwrap();
    let tokens = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", address), ("PASSWORD", "Correct-Horse-9")],
        )
        .await
        .unwrap()
        .authentication_result
        .expect("tokens");
    pool.assert_tokens_verify(&tokens, &username).await;
    let refused = pool
        .api
        .admin_create_user(&AdminCreateUserRequest {
            user_pool_id: pool.pool_id.clone(),
            username: "zoe".to_owned(),
            message_action: Some("SUPPRESS".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.kind(),
        Some(&ErrorType::InvalidParameter),
        "{refused:?}"
    );
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn srp_auth_gets_a_password_verifier_challenge_and_its_answer_gives_tokens() {
    let pool = Pool::create().await;
    pool.permanent_user("bob", "Correct-Horse-9").await;
    let srp = SrpClient::new();
    let srp_a = srp.public_a_hex();

    let challenge = pool
        .initiate("USER_SRP_AUTH", &[("USERNAME", "bob"), ("SRP_A", &srp_a)])
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("PASSWORD_VERIFIER")
    );
    assert!(
        challenge.session.is_some(),
        "a Session comes with the challenge"
    );
    let parameters = &challenge.challenge_parameters;
    for name in [
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
        "USER_ID_FOR_SRP",
        "USERNAME",
    ] {
        assert!(
            parameters.get(name).is_some_and(|value| !value.is_empty()),
            "{name} missing from {:?}",
            parameters.keys().collect::<Vec<_>>()
        );
    }

    // moto sends a UUID as SRP_B (not hex) and never checks the signature, so no real
    // signature can be computed here; any base64 stands in for it. The SRP maths are
    // checked against the shared vectors and the local pool instead.
    let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
    let tokens = pool
        .respond(
            "PASSWORD_VERIFIER",
            &challenge,
            &[
                ("USERNAME", &parameters["USERNAME"]),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &parameters["SECRET_BLOCK"]),
                ("PASSWORD_CLAIM_SIGNATURE", "bm90LWEtcmVhbC1zaWduYXR1cmU="),
                ("TIMESTAMP", &timestamp),
            ],
        )
        .await
        .unwrap()
        .authentication_result
        .expect("tokens after PASSWORD_VERIFIER");
    pool.assert_tokens_verify(&tokens, "bob").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn a_temporary_password_leads_to_new_password_required() {
    let pool = Pool::create().await;
    pool.temporary_user("carol", "Temporary-1-Pass").await;

    let challenge = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", "carol"), ("PASSWORD", "Temporary-1-Pass")],
        )
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    assert!(challenge.session.is_some());
    assert!(challenge.authentication_result.is_none());

    let tokens = pool
        .respond(
            "NEW_PASSWORD_REQUIRED",
            &challenge,
            &[("USERNAME", "carol"), ("NEW_PASSWORD", "Brand-New-Pass-7")],
        )
        .await
        .unwrap()
        .authentication_result
        .expect("tokens after a new password");
    pool.assert_tokens_verify(&tokens, "carol").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn a_used_session_is_refused_without_quoting_it() {
    let pool = Pool::create().await;
    pool.temporary_user("dave", "Temporary-1-Pass").await;
    let challenge = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", "dave"), ("PASSWORD", "Temporary-1-Pass")],
        )
        .await
        .unwrap();
    let answer = [("USERNAME", "dave"), ("NEW_PASSWORD", "Brand-New-Pass-7")];
    pool.respond("NEW_PASSWORD_REQUIRED", &challenge, &answer)
        .await
        .unwrap();

    // Sessions are single use; moto puts the session itself in the message.
    let error = pool
        .respond("NEW_PASSWORD_REQUIRED", &challenge, &answer)
        .await
        .unwrap_err();
    assert!(error.kind().is_some(), "{error:?}");
    let session = challenge.session.as_ref().unwrap().expose();
    assert!(!error.to_string().contains(session.as_str()), "{error}");
    assert!(
        !format!("{error:?}").contains(session.as_str()),
        "{error:?}"
    );
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn an_operation_the_server_does_not_know_is_a_readable_bad_response() {
    let url = moto_url();
    let api = client_at(&format!("{url}/"));
    let error = api
        .call::<_, Empty>("NoSuchOperationForConformance", &serde_json::json!({}))
        .await
        .unwrap_err();
    let sentence = error.to_string();
    assert!(
        !sentence.contains('<') && !sentence.contains('\n'),
        "{sentence}"
    );
    assert!(sentence.contains(&url), "{sentence}");
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn mfa_setup_enrols_an_authenticator_through_the_auth_task() {
    let pool = Pool::create_with_totp_required().await;
    pool.temporary_user("erin", "Temporary-1-Pass").await;
    let mut flow = pool.auth_task().await;

    // moto sends NEW_PASSWORD_REQUIRED with USERNAME only: no attributes to ask for.
    assert_eq!(
        step(flow.sign_in("erin", "Temporary-1-Pass").await),
        Step::NewPassword {
            username: "erin".into(),
            required_attributes: Vec::new(),
            user_attributes: Default::default(),
        }
    );
    let new_password = Answer::NewPassword {
        password: "Brand-New-Pass-7".into(),
        attributes: Default::default(),
    };
    // MFA_SETUP offers only an authenticator ("['SOFTWARE_TOKEN_MFA']", a Python list):
    // the task calls AssociateSoftwareToken itself.
    let (secret_text, uri) = match step(flow.answer(new_password).await) {
        Step::TotpSetup {
            username,
            issuer,
            secret,
            uri,
            code_length: CodeLength::Exactly(6),
            enrolment: Enrolment::SignIn,
        } => {
            assert_eq!(username, "erin");
            assert_eq!(issuer, "Conformance Test");
            (secret.expose().clone(), uri.expose().clone())
        }
        other => panic!("expected TOTP enrolment, got {other:?}"),
    };
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/Conformance%20Test:erin?secret={secret_text}&issuer=Conformance%20Test"
        )
    );
    let secret = totp::decode_secret(&secret_text).unwrap();

    let enrol = |code: String| Answer::TotpSetup {
        code: code.into(),
        device_name: Some("conformance phone".into()),
    };
    let wrong = flow.answer(enrol(wrong_code(&secret))).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    // The enrolment step stays: the right code now completes it.
    let tokens = signed_in(give_current_code(&mut flow, &secret, enrol).await).result;
    pool.assert_tokens_verify(&tokens, "erin").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn a_signed_in_user_enrols_an_authenticator_from_account_security() {
    let pool = Pool::create_with(Some("OPTIONAL")).await;
    let _: serde_json::Value = pool
        .api
        .call(
            "SetUserPoolMfaConfig",
            &serde_json::json!({
                "UserPoolId": pool.pool_id,
                "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": {"Enabled": true}
            }),
        )
        .await
        .unwrap();
    pool.permanent_user("gina", "Correct-Horse-9").await;
    let mut flow = pool.auth_task().await;
    signed_in(flow.sign_in("gina", "Correct-Horse-9").await);

    // GetUser: no factor yet (moto sends PreferredMfaSetting "" for none).
    let Step::Security(security) = step(flow.answer(Answer::Account(AccountAction::Open)).await)
    else {
        panic!("expected account security");
    };
    assert_eq!(security.username, "gina");
    assert!(
        security
            .factors
            .iter()
            .all(|factor| !factor.enabled && !factor.preferred)
    );

    // AssociateSoftwareToken with the AccessToken, then VerifySoftwareToken and
    // SetUserMFAPreference.
    let secret = match step(flow.answer(Answer::Account(AccountAction::AddTotp)).await) {
        Step::TotpSetup {
            secret,
            enrolment: Enrolment::Account,
            ..
        } => totp::decode_secret(secret.expose()).unwrap(),
        other => panic!("expected TOTP enrolment, got {other:?}"),
    };
    let enrol = |code: String| Answer::TotpSetup {
        code: code.into(),
        device_name: Some("conformance phone".into()),
    };
    let wrong = flow.answer(enrol(wrong_code(&secret))).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    match step(give_current_code(&mut flow, &secret, enrol).await) {
        Step::Security(security) => {
            let totp = security.factor(MfaKind::SoftwareToken).unwrap();
            assert!(totp.enabled && totp.preferred, "{security:?}");
        }
        other => panic!("expected account security, got {other:?}"),
    }

    // The next sign-in asks for the authenticator.
    let mut next = pool.auth_task().await;
    match step(next.sign_in("gina", "Correct-Horse-9").await) {
        Step::Code(prompt) => assert_eq!(prompt.challenge, Some(CodeKind::SoftwareToken)),
        other => panic!("expected the authenticator code step, got {other:?}"),
    }
    let tokens =
        signed_in(give_current_code(&mut next, &secret, |code| Answer::Code(code.into())).await)
            .result;
    pool.assert_tokens_verify(&tokens, "gina").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn software_token_mfa_refuses_a_wrong_code_and_takes_the_right_one() {
    let pool = Pool::create_with_totp_required().await;
    pool.permanent_user("frank", "Correct-Horse-9").await;
    let secret = pool.enrol_totp("frank", "Correct-Horse-9").await;
    let mut flow = pool.auth_task().await;

    match step(flow.sign_in("frank", "Correct-Horse-9").await) {
        Step::Code(prompt) => {
            assert_eq!(prompt.challenge, Some(CodeKind::SoftwareToken));
            assert_eq!(prompt.length, CodeLength::Exactly(6));
            assert!(!prompt.can_resend);
        }
        other => panic!("expected the authenticator code step, got {other:?}"),
    }
    let wrong = flow.answer(Answer::Code(wrong_code(&secret).into())).await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::CodeMismatch));
    let tokens =
        signed_in(give_current_code(&mut flow, &secret, |code| Answer::Code(code.into())).await)
            .result;
    pool.assert_tokens_verify(&tokens, "frank").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn an_admin_password_sign_in_through_the_auth_task_gives_tokens_that_verify() {
    let pool = Pool::create().await;
    pool.permanent_user("adminuser", "Correct-Horse-9").await;
    // moto never checks SigV4; the request shape and the flow name are what it checks.
    let signer = Signer::new(
        AwsCredentials {
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            session_token: None,
        },
        "us-east-1",
    );
    let settings = FlowSettings {
        user_pool_id: pool.pool_id.clone(),
        client_id: pool.client_id.clone(),
        auth_flow: AuthFlow::UserPassword,
        admin: Some(AdminSettings::default()),
        ..Default::default()
    };
    let mut flow = Flow::start(settings, pool.api.clone().with_signer(signer)).await;
    let wrong = flow.sign_in("adminuser", "Wrong-Horse-9").await;
    assert_eq!(refusal(&wrong).kind, Some(ErrorType::NotAuthorized));
    let tokens = signed_in(flow.sign_in("adminuser", "Correct-Horse-9").await).result;
    pool.assert_tokens_verify(&tokens, "adminuser").await;
}

#[tokio::test]
#[ignore = "needs moto: run .ci/conformance"]
async fn tokens_refreshes_through_the_fallback_where_moto_lacks_get_tokens_from_refresh_token() {
    use cognito_signin::auth::Tokens;
    use cognito_signin::auth::cache::{CachedTokens, TokenCache};

    use crate::support::binary::{Binary, stderr, succeeded};

    let pool = Pool::create().await;
    pool.permanent_user("alice", "Correct-Horse-9").await;
    let signed_in = pool
        .initiate(
            "USER_PASSWORD_AUTH",
            &[("USERNAME", "alice"), ("PASSWORD", "Correct-Horse-9")],
        )
        .await
        .unwrap()
        .authentication_result
        .expect("tokens");
    // moto does not serve GetTokensFromRefreshToken: the wire sees no Cognito answer.
    let unknown = pool
        .api
        .get_tokens_from_refresh_token(
            &cognito_signin::cognito::types::GetTokensFromRefreshTokenRequest {
                refresh_token: signed_in.refresh_token.clone().expect("a refresh token"),
                client_id: pool.client_id.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, ApiError::BadResponse { status: 500, .. }),
        "{unknown:?}"
    );

    // The console caches the sign-in, then `tokens` refreshes it all the same.
    let binary = Binary::new();
    let entry = CachedTokens::from_sign_in(
        &pool.pool_id,
        &pool.client_id,
        &pool.url,
        "alice",
        &Tokens::received_now(signed_in.clone()),
    );
    TokenCache::at(binary.cache_home()).save(&entry).unwrap();
    let output = binary.run(&[
        "tokens",
        "--endpoint-url",
        &pool.url,
        "--user-pool-id",
        &pool.pool_id,
        "--client-id",
        &pool.client_id,
        "--username",
        &entry.username,
        "--min-ttl",
        "2h",
    ]);
    let printed: serde_json::Value = serde_json::from_str(&succeeded(&output)).unwrap();
    let said = stderr(&output);
    assert!(
        said.contains(
            "does not serve GetTokensFromRefreshToken; refreshed with REFRESH_TOKEN_AUTH instead"
        ),
        "{said}"
    );
    let refreshed = &printed["AuthenticationResult"];
    assert!(refreshed["AccessToken"].is_string());
    assert_eq!(
        refreshed["RefreshToken"],
        signed_in.refresh_token.unwrap().expose().as_str()
    );
}
