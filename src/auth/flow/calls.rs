//! Every call the task makes, built in one place so none forgets SECRET_HASH, USERNAME,
//! the latest Session or the request options.

use std::collections::BTreeMap;

use super::Flow;
use super::state::Challenge;
use crate::auth::error::FlowError;
use crate::cognito::types::{
    AdminInitiateAuthRequest, AdminRespondToAuthChallengeRequest, AnalyticsMetadata,
    AssociateSoftwareTokenRequest, AuthResponse, InitiateAuthRequest,
    RespondToAuthChallengeRequest, UserContextData, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};
use crate::crypto::{PasswordVerifierInput, SrpClient, format_timestamp, secret_hash, srp};
use crate::sensitive::{Sensitive, SensitiveString};

/// ChallengeResponses or AuthParameters being built.
pub(super) type Fields = BTreeMap<String, String>;

/// The request options, shaped as InitiateAuth and RespondToAuthChallenge take them.
struct Options {
    client_metadata: Option<BTreeMap<String, String>>,
    analytics_metadata: Option<AnalyticsMetadata>,
    user_context_data: Option<UserContextData>,
}

impl Flow {
    /// InitiateAuth with this flow's name; `parameters` get USERNAME and SECRET_HASH.
    pub(super) async fn initiate(
        &self,
        username: &str,
        mut parameters: Fields,
    ) -> Result<AuthResponse, FlowError> {
        parameters.insert("USERNAME".to_owned(), username.to_owned());
        self.add_secret_hash(&mut parameters, username);
        let options = self.options();
        if let Some(admin) = &self.settings.admin {
            let request = AdminInitiateAuthRequest {
                user_pool_id: self.settings.user_pool_id.clone(),
                client_id: self.settings.client_id.clone(),
                auth_flow: self.settings.auth_flow.admin_initiate_flow(),
                auth_parameters: Sensitive::new(parameters),
                client_metadata: options.client_metadata,
                analytics_metadata: options.analytics_metadata,
                context_data: admin.context_data.clone(),
            };
            return Ok(self.client.admin_initiate_auth(&request).await?);
        }
        let request = InitiateAuthRequest {
            auth_flow: self.settings.auth_flow.initiate_flow(),
            client_id: self.settings.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            client_metadata: options.client_metadata,
            analytics_metadata: options.analytics_metadata,
            user_context_data: options.user_context_data,
            session: None,
        };
        Ok(self.client.initiate_auth(&request).await?)
    }

    /// RespondToAuthChallenge to `challenge` with its Session; `responses` get USERNAME
    /// (as the challenge gave it) and SECRET_HASH.
    pub(super) async fn respond(
        &self,
        challenge: &Challenge,
        responses: Fields,
    ) -> Result<AuthResponse, FlowError> {
        self.respond_with_session(challenge, challenge.session.clone(), responses)
            .await
    }

    /// RespondToAuthChallenge with a Session another call gave (VerifySoftwareToken's).
    pub(super) async fn respond_with_session(
        &self,
        challenge: &Challenge,
        session: Option<SensitiveString>,
        mut responses: Fields,
    ) -> Result<AuthResponse, FlowError> {
        responses.insert("USERNAME".to_owned(), challenge.username.clone());
        self.add_secret_hash(&mut responses, &challenge.username);
        let options = self.options();
        if let Some(admin) = &self.settings.admin {
            let request = AdminRespondToAuthChallengeRequest {
                user_pool_id: self.settings.user_pool_id.clone(),
                client_id: self.settings.client_id.clone(),
                challenge_name: challenge.name.clone(),
                challenge_responses: Sensitive::new(responses),
                session,
                client_metadata: options.client_metadata,
                analytics_metadata: options.analytics_metadata,
                context_data: admin.context_data.clone(),
            };
            return Ok(self
                .client
                .admin_respond_to_auth_challenge(&request)
                .await?);
        }
        let request = RespondToAuthChallengeRequest {
            client_id: self.settings.client_id.clone(),
            challenge_name: challenge.name.clone(),
            challenge_responses: Sensitive::new(responses),
            session,
            client_metadata: options.client_metadata,
            analytics_metadata: options.analytics_metadata,
            user_context_data: options.user_context_data,
        };
        Ok(self.client.respond_to_auth_challenge(&request).await?)
    }

    /// AssociateSoftwareToken(Session): the secret, and the Session to go on with (the
    /// challenge's own when the server sends none back).
    pub(super) async fn associate_software_token(
        &self,
        challenge: &Challenge,
    ) -> Result<(SensitiveString, Option<SensitiveString>), FlowError> {
        let request = AssociateSoftwareTokenRequest {
            access_token: None,
            session: challenge.session.clone(),
        };
        let response = self.client.associate_software_token(&request).await?;
        let secret = response
            .secret_code
            .filter(|secret| !secret.expose().trim().is_empty())
            .ok_or(FlowError::NoSecretCode)?;
        Ok((
            secret,
            response.session.or_else(|| challenge.session.clone()),
        ))
    }

    /// VerifySoftwareToken(Session, UserCode, FriendlyDeviceName).
    pub(super) async fn verify_software_token(
        &self,
        challenge: &Challenge,
        code: SensitiveString,
        device_name: Option<String>,
    ) -> Result<VerifySoftwareTokenResponse, FlowError> {
        let request = VerifySoftwareTokenRequest {
            access_token: None,
            session: challenge.session.clone(),
            user_code: code,
            friendly_device_name: device_name,
        };
        let response = self.client.verify_software_token(&request).await?;
        match response.status.as_deref() {
            None | Some("SUCCESS") => Ok(response),
            Some(other) => Err(FlowError::TotpNotVerified(other.to_owned())),
        }
    }

    /// PASSWORD_VERIFIER: sign poolName | USER_ID_FOR_SRP | SECRET_BLOCK | TIMESTAMP with
    /// the SRP session key, and answer with USERNAME as the challenge gave it.
    pub(super) async fn answer_password_verifier(
        &self,
        srp_client: &SrpClient,
        challenge: &Challenge,
        password: &SensitiveString,
    ) -> Result<AuthResponse, FlowError> {
        let user_id =
            challenge
                .parameter("USER_ID_FOR_SRP")
                .ok_or_else(|| FlowError::MissingParameter {
                    challenge: challenge.name.clone(),
                    parameter: "USER_ID_FOR_SRP",
                })?;
        let realm = srp::pool_name(&self.settings.user_pool_id);
        let responses = password_claim(srp_client, challenge, realm, user_id, password.expose())?;
        self.respond(challenge, responses).await
    }

    /// Adds SECRET_HASH for `username` when the app client has a secret:
    /// Base64(HMAC-SHA256(client secret, username | client id)).
    fn add_secret_hash(&self, fields: &mut Fields, username: &str) {
        if let Some(hash) = self.secret_hash_for(username) {
            fields.insert("SECRET_HASH".to_owned(), hash.expose().clone());
        }
    }

    /// SECRET_HASH for `username`, for calls that take it as a field of its own
    /// (ForgotPassword); `None` when the app client has no secret.
    pub(super) fn secret_hash_for(&self, username: &str) -> Option<SensitiveString> {
        self.settings.client_secret.as_ref().map(|secret| {
            SensitiveString::from(secret_hash(
                username,
                &self.settings.client_id,
                secret.expose(),
            ))
        })
    }

    /// The configured request options; empty ones are left out of the request.
    fn options(&self) -> Options {
        let options = &self.settings.request_options;
        Options {
            client_metadata: (!options.client_metadata.is_empty())
                .then(|| options.client_metadata.clone()),
            analytics_metadata: options
                .analytics_endpoint_id
                .clone()
                .map(|id| AnalyticsMetadata {
                    analytics_endpoint_id: Some(id),
                }),
            user_context_data: options
                .user_context_data
                .clone()
                .map(|data| UserContextData {
                    ip_address: None,
                    encoded_data: Some(data),
                }),
        }
    }
}

/// One field map from pairs.
pub(super) fn fields<const N: usize>(pairs: [(&str, String); N]) -> Fields {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE and TIMESTAMP answering a
/// PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge: the signature is
/// HMAC(K, realm | user id | SECRET_BLOCK | TIMESTAMP) with the SRP session key K
/// (realm and user id: pool name and USER_ID_FOR_SRP, or device group key and device key).
pub(super) fn password_claim(
    srp_client: &SrpClient,
    challenge: &Challenge,
    realm: &str,
    user_id: &str,
    password: &str,
) -> Result<Fields, FlowError> {
    let parameter = |name: &'static str| {
        challenge
            .parameter(name)
            .ok_or_else(|| FlowError::MissingParameter {
                challenge: challenge.name.clone(),
                parameter: name,
            })
    };
    let secret_block = parameter("SECRET_BLOCK")?;
    let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
    let signature = srp_client.password_claim_signature(&PasswordVerifierInput {
        realm,
        user_id,
        password,
        srp_b_hex: parameter("SRP_B")?,
        salt_hex: parameter("SALT")?,
        secret_block_b64: secret_block,
        timestamp: &timestamp,
    })?;
    Ok(Fields::from([
        (
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            secret_block.to_owned(),
        ),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
        ("TIMESTAMP".to_owned(), timestamp),
    ]))
}
