//! The console against a pool whose people sign in with an e-mail address or phone
//! number: the address is typed, the generated username comes back in the tokens.

use cognito_signin::local_pool::demo;

use crate::support::binary::{Binary, stderr};

#[test]
fn the_console_signs_in_to_the_email_pool_with_the_address_in_any_case() {
    let output = Binary::new().run_with_input(
        &[
            "demo",
            "--plain",
            "--output",
            "json",
            "--user-pool-id",
            demo::EMAIL_POOL_ID,
        ],
        &format!("EMMA@example.com\n{}\n", demo::PASSWORD),
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let id_token = printed["AuthenticationResult"]["IdToken"].as_str().unwrap();
    let payload = id_token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["email"], demo::EMMA_EMAIL);
    assert_ne!(claims["cognito:username"], demo::EMMA_EMAIL);
}
