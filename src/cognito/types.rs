//! Request and response bodies of the JSON 1.1 protocol, named as the API names them.
//! Both the client and the local pool use these, so the two can never disagree on
//! the shape. Fields the API marks SENSITIVE are `Sensitive`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::names::{AuthFlowType, DeviceRememberedStatus};
use crate::sensitive::{Sensitive, SensitiveString};

/// AuthParameters and ChallengeResponses: SENSITIVE as a whole.
pub type SensitiveMap = Sensitive<BTreeMap<String, String>>;

/// Analytics data for Amazon Pinpoint (`AnalyticsMetadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AnalyticsMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_endpoint_id: Option<String>,
}

/// Risk-evaluation data from the user's device (`UserContextData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserContextData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// `InitiateAuth`: starts a sign-in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub auth_flow: AuthFlowType,
    pub client_id: String,
    #[serde(default)]
    pub auth_parameters: SensitiveMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
}

/// `RespondToAuthChallenge`: answers the challenge the last call returned.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub client_id: String,
    pub challenge_name: String,
    #[serde(default)]
    pub challenge_responses: SensitiveMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

/// The answer to `InitiateAuth` and `RespondToAuthChallenge`: either the next
/// challenge (with its Session) or the tokens.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub challenge_parameters: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<String>>,
}

/// The tokens of a finished sign-in, in the shape `aws cognito-idp initiate-auth` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: SensitiveString,
    pub expires_in: i64,
    pub token_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// A device Cognito wants the client to confirm (device tracking).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

/// A user attribute (`{"Name": "email", "Value": "a@b.c"}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `CreateUserPool` (the subset the console and its tests use).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Present (with any value) turns device tracking on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfigurationType>,
    /// `email` and/or `phone_number`: what users sign in with instead of a username.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub username_attributes: Vec<String>,
    /// `email`, `phone_number` and/or `preferred_username`: aliases beside the username.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias_attributes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfigurationType>,
    /// `Policies` (only SignInPolicy is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<UserPoolPolicyType>,
}

/// Whether usernames (and the e-mail and preferred_username aliases) match in any case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfigurationType {
    pub case_sensitive: bool,
}

/// `Policies` of a user pool (the subset the local pool reads: SignInPolicy).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolPolicyType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<SignInPolicyType>,
}

/// `SignInPolicy`: the first factors choice-based sign-in (USER_AUTH) may offer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicyType {
    /// PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_first_auth_factors: Option<Vec<String>>,
}

/// A user pool as `CreateUserPool` and `DescribeUserPool` return it (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// `None` when the pool does not track devices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfigurationType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub username_attributes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias_attributes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<UserPoolPolicyType>,
}

/// `{"UserPool": …}`, the answer of `CreateUserPool` and `DescribeUserPool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolResponse {
    pub user_pool: UserPoolType,
}

/// `DescribeUserPool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolRequest {
    pub user_pool_id: String,
}

/// `CreateUserPoolClient` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_name: String,
    #[serde(default)]
    pub generate_secret: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<String>>,
    /// `LEGACY` (the default) or `ENABLED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    /// Whether a refresh issues a new refresh token (absent: it does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// `UpdateUserPoolClient` (subset). Settings left out go back to their defaults, as
/// the API reference says; ClientName left out stays.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// An app client's refresh token rotation (`RefreshTokenRotationType`), as the wire
/// carries it: `Feature` is ENABLED or DISABLED, `RetryGracePeriodSeconds` 0 to 60.
/// Both are kept as sent, so the pool can refuse a bad value with Cognito's words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotationType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<i64>,
}

/// `GetTokensFromRefreshToken`: new tokens for a refresh token, and a new refresh token
/// too when the app client rotates them. RefreshToken and ClientSecret are SENSITIVE.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: SensitiveString,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SensitiveString>,
    /// The device the tokens were issued with, when the pool tracks devices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// The answer to `GetTokensFromRefreshToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

/// An app client (subset). ClientSecret is SENSITIVE.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientType {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// `{"UserPoolClient": …}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientResponse {
    pub user_pool_client: UserPoolClientType,
}

/// `DescribeUserPoolClient`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

/// `AdminCreateUser` (subset). A TemporaryPassword leaves the user in FORCE_CHANGE_PASSWORD.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<SensitiveString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
}

/// A user as `AdminCreateUser` returns it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    pub username: String,
    #[serde(default)]
    pub attributes: Vec<AttributeType>,
    pub enabled: bool,
    pub user_status: String,
}

/// `{"User": …}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserResponse {
    pub user: UserType,
}

/// `AdminSetUserPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    pub user_pool_id: String,
    pub username: String,
    pub password: SensitiveString,
    #[serde(default)]
    pub permanent: bool,
}

/// `AdminGetUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

/// The answer of `AdminGetUser` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserResponse {
    pub username: String,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    pub enabled: bool,
    pub user_status: String,
}

/// An answer with no fields (`{}`), as `AdminSetUserPassword` gives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Empty {}

/// `AssociateSoftwareToken`: starts TOTP enrolment, during MFA_SETUP (with the
/// challenge's Session) or for a signed-in user (with an AccessToken).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
}

/// The TOTP secret (base32) and, with a Session, the Session to carry on with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_code: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
}

/// `VerifySoftwareToken`: proves the authenticator works with its first code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
    pub user_code: SensitiveString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

/// `SUCCESS` or `ERROR`, and with a Session the one MFA_SETUP is then answered with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
}

/// `SmsMfaConfiguration` of a pool: present when SMS MFA is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfigType {
    /// The text of the message; `{####}` stands for the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    /// SNS settings (caller ARN, external id, region), kept as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<BTreeMap<String, String>>,
}

/// `SoftwareTokenMfaConfiguration`: whether TOTP MFA is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfigType {
    #[serde(default)]
    pub enabled: bool,
}

/// `EmailMfaConfiguration`: present when e-mail MFA is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfigType {
    /// The body of the message; `{####}` stands for the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// `SetUserPoolMfaConfig`: turns MFA OFF, ON or OPTIONAL and chooses its factors.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Passkey settings: the relying party ID and whether user verification is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<crate::cognito::webauthn::WebAuthnConfigType>,
}

/// `GetUserPoolMfaConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
}

/// The answer of `SetUserPoolMfaConfig` and `GetUserPoolMfaConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMfaConfigResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Passkey settings: the relying party ID and whether user verification is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<crate::cognito::webauthn::WebAuthnConfigType>,
}

/// `SMSMfaSettings`, `SoftwareTokenMfaSettings`, `EmailMfaSettings`: one factor of a user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettingsType {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub preferred_mfa: bool,
}

/// `AdminSetUserMFAPreference`: an administrator sets a user's MFA factors.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreferenceRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettingsType>,
}

/// `SetUserMFAPreference`: a signed-in user sets their own MFA factors.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    pub access_token: SensitiveString,
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettingsType>,
}

/// `AdminUpdateUserAttributes`: sets or replaces attributes of a user.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    pub user_pool_id: String,
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `UpdateUserAttributes`: the signed-in user sets or replaces their own attributes
/// (an empty value deletes one); a new email or phone_number gets a verification code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub user_attributes: Vec<AttributeType>,
    pub access_token: SensitiveString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// Where `UpdateUserAttributes` sent the codes that verify a new email or phone_number
/// (empty when nothing needs verifying).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_delivery_details_list: Vec<CodeDeliveryDetailsType>,
}

/// `GetUserAttributeVerificationCode`: sends the signed-in user a code that verifies
/// their `email` or `phone_number`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeRequest {
    pub access_token: SensitiveString,
    pub attribute_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// Where `GetUserAttributeVerificationCode` sent its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
}

/// `VerifyUserAttribute`: the code GetUserAttributeVerificationCode (or
/// UpdateUserAttributes) sent; a right one marks the attribute verified. The code is
/// kept out of Debug like every other code, though the API does not mark it SENSITIVE.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: SensitiveString,
    pub attribute_name: String,
    pub code: SensitiveString,
}

/// One attribute of a pool's schema (`CreateUserPool`'s `Schema`, subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttributeType {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_data_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
}

/// The `Schema` member of `CreateUserPool`, read beside `CreateUserPoolRequest`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolSchema {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema: Vec<SchemaAttributeType>,
}

/// `AdminGetUser`'s answer with the MFA members (`PreferredMfaSetting`,
/// `UserMFASettingList`) that the base struct leaves out.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserMfaResponse {
    #[serde(flatten)]
    pub user: AdminGetUserResponse,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(
        rename = "UserMFASettingList",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_mfa_setting_list: Vec<String>,
}

/// Where a code was sent (`CodeDeliveryDetails` of ForgotPassword and others).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetailsType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// `ForgotPassword`: sends a code to reset the password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// Where ForgotPassword sent its code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetailsType>,
}

/// `ConfirmForgotPassword`: the code and the new password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: SensitiveString,
    pub password: SensitiveString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SensitiveString>,
}

/// A request carrying only the signed-in user's access token (`GlobalSignOut`, `GetUser`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: SensitiveString,
}

/// `GetUser`: the signed-in user's attributes and MFA settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    pub username: String,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(
        rename = "UserMFASettingList",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_mfa_setting_list: Vec<String>,
}

/// `ChangePassword`: the signed-in user changes their own password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub access_token: SensitiveString,
    pub previous_password: SensitiveString,
    pub proposed_password: SensitiveString,
}

/// `RevokeToken`: revokes a refresh token and the access tokens issued with it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: SensitiveString,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SensitiveString>,
}

/// `AdminUserGlobalSignOut`: signs a user out everywhere (credentials required).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserGlobalSignOutRequest {
    pub user_pool_id: String,
    pub username: String,
}

/// A pool's device tracking (`DeviceConfiguration`): present means devices are tracked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfigurationType {
    /// A remembered device may sign in by device SRP instead of MFA.
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    /// ConfirmDevice leaves remembering to the person (UpdateDeviceStatus).
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

/// The device's SRP verifier, as ConfirmDevice registers it (base64 both).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfigType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_verifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// `ConfirmDevice`: registers the device NewDeviceMetadata named, with its verifier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: SensitiveString,
    pub device_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

/// Whether the person must be asked to remember the device (UpdateDeviceStatus).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    #[serde(default)]
    pub user_confirmation_necessary: bool,
}

/// `UpdateDeviceStatus`: `remembered` or `not_remembered`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    pub access_token: SensitiveString,
    pub device_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<DeviceRememberedStatus>,
}

/// `ListDevices`: the signed-in user's devices, a page at a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    pub access_token: SensitiveString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `AdminListDevices`: a user's devices, for an administrator.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListDevicesRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// The answer of `ListDevices` and `AdminListDevices`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    #[serde(default)]
    pub devices: Vec<DeviceType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// One device: its key, attributes (`device_name`, `dev:device_remembered_status`,
/// `last_ip_used`…) and dates in epoch seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(default)]
    pub device_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_create_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_modified_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

impl DeviceType {
    /// An attribute's value, if present.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.device_attributes
            .iter()
            .find(|attribute| attribute.name == name)
            .map(|attribute| attribute.value.as_str())
    }
}

/// `ForgetDevice`: the signed-in user forgets one of their devices.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgetDeviceRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SensitiveString>,
    pub device_key: String,
}

/// `AdminForgetDevice`: an administrator forgets one of a user's devices.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminForgetDeviceRequest {
    pub user_pool_id: String,
    pub username: String,
    pub device_key: String,
}

/// ContextData of the Admin* sign-in calls: what the server knows of the person's
/// request, for threat protection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextDataType {
    #[serde(default)]
    pub ip_address: String,
    #[serde(default)]
    pub server_name: String,
    #[serde(default)]
    pub server_path: String,
    #[serde(default)]
    pub http_headers: Vec<HttpHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// One header of ContextData (the API names these two fields in camel case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpHeader {
    #[serde(rename = "headerName")]
    pub header_name: String,
    #[serde(rename = "headerValue")]
    pub header_value: String,
}

/// `AdminInitiateAuth`: InitiateAuth for a caller with AWS credentials (signed).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub auth_flow: AuthFlowType,
    #[serde(default)]
    pub auth_parameters: SensitiveMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_data: Option<ContextDataType>,
}

/// `AdminRespondToAuthChallenge`: RespondToAuthChallenge for a caller with AWS credentials.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub challenge_name: String,
    #[serde(default)]
    pub challenge_responses: SensitiveMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SensitiveString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_data: Option<ContextDataType>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_requests_keep_tokens_codes_and_passwords_out_of_debug() {
        let token = || SensitiveString::from("eyJ-access-token");
        let shown = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            VerifyUserAttributeRequest {
                access_token: token(),
                attribute_name: "email".into(),
                code: SensitiveString::from("246810"),
            },
            GetUserAttributeVerificationCodeRequest {
                access_token: token(),
                attribute_name: "phone_number".into(),
                client_metadata: None,
            },
            UpdateUserAttributesRequest {
                access_token: token(),
                user_attributes: vec![AttributeType {
                    name: "email".into(),
                    value: "new@example.com".into(),
                }],
                client_metadata: None,
            },
            SetUserMfaPreferenceRequest {
                access_token: token(),
                ..SetUserMfaPreferenceRequest::default()
            },
            ChangePasswordRequest {
                access_token: token(),
                previous_password: SensitiveString::from("Old-Password-1!"),
                proposed_password: SensitiveString::from("New-Password-2?"),
            },
        );
        for secret in [
            "eyJ-access-token",
            "246810",
            "Old-Password-1!",
            "New-Password-2?",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("new@example.com") && shown.contains("phone_number"));
    }

    #[test]
    fn account_requests_and_answers_have_the_apis_names() {
        let request = serde_json::to_value(VerifyUserAttributeRequest {
            access_token: SensitiveString::from("t"),
            attribute_name: "email".into(),
            code: SensitiveString::from("123456"),
        })
        .ok();
        assert_eq!(
            request,
            Some(
                serde_json::json!({"AccessToken": "t", "AttributeName": "email", "Code": "123456"})
            )
        );
        let answer: Result<UpdateUserAttributesResponse, _> = serde_json::from_value(
            serde_json::json!({"CodeDeliveryDetailsList": [{"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}]}),
        );
        let details = answer.ok().map(|answer| answer.code_delivery_details_list);
        assert_eq!(
            details.and_then(|list| list.first().and_then(|d| d.delivery_medium.clone())),
            Some("EMAIL".to_owned())
        );
        let user: Result<GetUserResponse, _> = serde_json::from_value(serde_json::json!({
            "Username": "alice", "UserAttributes": [],
            "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA", "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        }));
        let user = user.ok();
        assert_eq!(
            user.as_ref()
                .and_then(|u| u.preferred_mfa_setting.as_deref()),
            Some("SOFTWARE_TOKEN_MFA")
        );
        assert_eq!(
            user.map(|u| u.user_mfa_setting_list),
            Some(vec!["SOFTWARE_TOKEN_MFA".to_owned()])
        );
    }
}
