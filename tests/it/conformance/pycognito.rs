//! pycognito, the most used Python client, against the local pool: its SRP sign-in and
//! its remembered-device sign-in, which answers PASSWORD_VERIFIER, DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER without a Session, as it does against Cognito.
//!
//! `.ci/conformance` installs pycognito beside moto and names its Python in
//! `COGNITO_SIGNIN_PEERS_PYTHON`. The script sets a pool up through boto3, so the pool
//! API is exercised by an AWS SDK too.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::pool::empty_pool;

/// The Python that has pycognito and boto3, from the environment `.ci/conformance` prepares.
fn peers_python() -> String {
    match std::env::var("COGNITO_SIGNIN_PEERS_PYTHON") {
        Ok(python) if !python.trim().is_empty() => python.trim().to_owned(),
        _ => panic!(
            "COGNITO_SIGNIN_PEERS_PYTHON is not set. Run .ci/conformance, which installs \
             pycognito and names its Python."
        ),
    }
}

/// Creates a pool that remembers devices, a user, signs in with pycognito (password by
/// SRP), confirms the new device with pycognito's own verifier, then signs in again
/// with the device: pycognito sends no Session on any of the SRP answers. Prints "ok".
const SCRIPT: &str = r#"
import sys, boto3
from pycognito.aws_srp import AWSSRP, generate_hash_device

url = sys.argv[1]
idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="AKIAPYCOGNITOTEST01", aws_secret_access_key="not-a-secret")
pool_id = idp.create_user_pool(
    PoolName="pycognito",
    DeviceConfiguration={"ChallengeRequiredOnNewDevice": False,
                         "DeviceOnlyRememberedOnUserPrompt": False},
)["UserPool"]["Id"]
client_id = idp.create_user_pool_client(
    UserPoolId=pool_id, ClientName="pycognito",
    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]["ClientId"]
password = "Correct-Horse-9!"
idp.admin_create_user(UserPoolId=pool_id, Username="petra", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=pool_id, Username="petra", Password=password, Permanent=True)

first = AWSSRP("petra", password, pool_id, client_id, client=idp).authenticate_user()
result = first["AuthenticationResult"]
device = result["NewDeviceMetadata"]
device_password, verifier = generate_hash_device(device["DeviceGroupKey"], device["DeviceKey"])
idp.confirm_device(AccessToken=result["AccessToken"], DeviceKey=device["DeviceKey"],
                   DeviceSecretVerifierConfig=verifier, DeviceName="pycognito")

again = AWSSRP("petra", password, pool_id, client_id, client=idp,
               device_key=device["DeviceKey"], device_group_key=device["DeviceGroupKey"],
               device_password=device_password).authenticate_user()
assert "AccessToken" in again["AuthenticationResult"], again
assert "NewDeviceMetadata" not in again["AuthenticationResult"], again
print("ok")
"#;

#[tokio::test]
#[ignore = "needs pycognito: run .ci/conformance"]
async fn pycognito_signs_in_with_a_remembered_device_without_any_session() {
    let python = peers_python();
    let pool = empty_pool().await;
    let url = pool.url().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(python)
            .args(["-", &url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the peers' Python starts");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(SCRIPT.as_bytes())
            .expect("the script is written");
        child.wait_with_output().expect("the script ends")
    })
    .await
    .expect("the script's thread ends");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "pycognito failed:\n{said}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "ok",
        "{said}"
    );
}
