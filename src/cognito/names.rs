//! The API's enumerated names that both the client and the local pool read and write:
//! second factors, code challenges, first factors, auth flows and device statuses. Each
//! has its name on the wire and a parse function; a request field that carries one is
//! written as exactly that name, and one the API may add later is kept by name.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A second factor, as MFAS_CAN_CHOOSE, MFAS_CAN_SETUP, SELECT_MFA_TYPE's ANSWER,
/// PreferredMfaSetting and UserMFASettingList name it. Ordered as Cognito lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MfaKind {
    /// SMS_MFA: a code by text message.
    Sms,
    /// SOFTWARE_TOKEN_MFA: an authenticator app (TOTP).
    SoftwareToken,
    /// EMAIL_OTP: a code by e-mail.
    Email,
}

impl MfaKind {
    /// Every factor, in Cognito's order.
    pub const ALL: [MfaKind; 3] = [Self::Sms, Self::SoftwareToken, Self::Email];

    /// The factor's name in the API.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    /// The factor an API name stands for; `None` for names this version does not know.
    pub fn from_api_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.api_name() == name)
    }

    /// The code challenge that asks for this factor's code.
    pub fn code_kind(self) -> CodeKind {
        match self {
            Self::Sms => CodeKind::SmsMfa,
            Self::SoftwareToken => CodeKind::SoftwareToken,
            Self::Email => CodeKind::EmailOtp,
        }
    }
}

/// A challenge answered with a one-time code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// SMS_MFA: a second factor sent by text message.
    SmsMfa,
    /// SMS_OTP: a passwordless first factor sent by text message (USER_AUTH).
    SmsOtp,
    /// EMAIL_OTP: a code sent by e-mail, as second or passwordless first factor.
    EmailOtp,
    /// SOFTWARE_TOKEN_MFA: a code from an authenticator app (TOTP).
    SoftwareToken,
}

impl CodeKind {
    /// Every code challenge.
    pub const ALL: [CodeKind; 4] = [
        Self::SmsMfa,
        Self::SmsOtp,
        Self::EmailOtp,
        Self::SoftwareToken,
    ];

    /// The challenge's name in the API.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::SmsMfa => "SMS_MFA",
            Self::SmsOtp => "SMS_OTP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
        }
    }

    /// The ChallengeResponses key the code goes in.
    pub fn response_key(self) -> &'static str {
        match self {
            Self::SmsMfa => "SMS_MFA_CODE",
            Self::SmsOtp => "SMS_OTP_CODE",
            Self::EmailOtp => "EMAIL_OTP_CODE",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA_CODE",
        }
    }

    /// The kind for a challenge name, if it is a code challenge.
    pub fn from_challenge_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.challenge_name() == name)
    }
}

/// A first factor of choice-based sign-in: USER_AUTH's AvailableChallenges, its
/// PREFERRED_CHALLENGE, and SELECT_CHALLENGE's ANSWER.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FirstFactor {
    /// PASSWORD: the password, checked by Cognito.
    Password,
    /// PASSWORD_SRP: the password, proven by SRP without sending it.
    PasswordSrp,
    /// EMAIL_OTP: a code by e-mail.
    EmailOtp,
    /// SMS_OTP: a code by text message.
    SmsOtp,
    /// WEB_AUTHN: a passkey.
    WebAuthn,
    /// A factor this version does not know, by its name.
    Other(String),
}

impl FirstFactor {
    /// The name in AvailableChallenges, PREFERRED_CHALLENGE and the ANSWER.
    pub fn api_name(&self) -> &str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
            Self::Other(name) => name,
        }
    }

    /// The factor for an API name.
    pub fn from_api_name(name: &str) -> Self {
        match name {
            "PASSWORD" => Self::Password,
            "PASSWORD_SRP" => Self::PasswordSrp,
            "EMAIL_OTP" => Self::EmailOtp,
            "SMS_OTP" => Self::SmsOtp,
            "WEB_AUTHN" => Self::WebAuthn,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// `"EMAIL_OTP".into()`: [`FirstFactor::from_api_name`].
impl From<&str> for FirstFactor {
    fn from(name: &str) -> Self {
        Self::from_api_name(name)
    }
}

/// NotAuthorizedException's message while a user is locked out after too many failed
/// sign-ins ("Lockout behavior for failed sign-in attempts", Amazon Cognito Developer
/// Guide): the only thing that tells a lockout from a wrong password, since both have
/// the same error type. Read by the console, and the words the local pool sends.
pub const PASSWORD_ATTEMPTS_EXCEEDED: &str = "Password attempts exceeded";

/// NotAuthorizedException's message for a failed proof of the password, and for a custom
/// sign-in (CUSTOM_AUTH) that the Define auth challenge trigger ends with
/// `failAuthentication` (developer guide, "Define Auth challenge Lambda trigger";
/// amplify-js issue 8145): after a custom answer it says nothing about a password.
/// Read by the console, and the words the local pool sends.
pub const INCORRECT_USERNAME_OR_PASSWORD: &str = "Incorrect username or password.";

/// NotAuthorizedException's message when a call to an app client that has a secret
/// carries no SECRET_HASH (amplify-android issue 2504 quotes it).
pub fn secret_hash_not_received(client_id: &str) -> String {
    format!("Client {client_id} is configured with secret but SECRET_HASH was not received")
}

/// NotAuthorizedException's message when SECRET_HASH does not match the app client's
/// secret (amplify-js issue 277 quotes it).
pub fn secret_hash_not_verified(client_id: &str) -> String {
    format!("Unable to verify secret hash for client {client_id}")
}

/// `AuthFlow` of InitiateAuth and AdminInitiateAuth. Written as its API name; a name
/// this version does not know is read into `Unknown`, so the local pool answers it
/// with Cognito's validation message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum AuthFlowType {
    /// USER_SRP_AUTH: the password proven by SRP (the SDKs' default).
    #[default]
    UserSrpAuth,
    /// USER_PASSWORD_AUTH: the password sent to Cognito, which checks it.
    UserPasswordAuth,
    /// CUSTOM_AUTH: Lambda-defined challenge rounds.
    CustomAuth,
    /// USER_AUTH: choice-based sign-in.
    UserAuth,
    /// REFRESH_TOKEN_AUTH: new tokens for a refresh token.
    RefreshTokenAuth,
    /// REFRESH_TOKEN: the older name of REFRESH_TOKEN_AUTH.
    RefreshToken,
    /// ADMIN_USER_PASSWORD_AUTH: the password flow of AdminInitiateAuth.
    AdminUserPasswordAuth,
    /// ADMIN_NO_SRP_AUTH: the older name of ADMIN_USER_PASSWORD_AUTH.
    AdminNoSrpAuth,
    /// A name the API does not define (or this version does not know).
    Unknown(String),
}

impl AuthFlowType {
    /// Every flow the API defines, in the order its validation message lists them.
    pub const ALL: [AuthFlowType; 8] = [
        Self::UserSrpAuth,
        Self::RefreshTokenAuth,
        Self::RefreshToken,
        Self::CustomAuth,
        Self::AdminNoSrpAuth,
        Self::UserPasswordAuth,
        Self::AdminUserPasswordAuth,
        Self::UserAuth,
    ];

    /// The name on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::UserSrpAuth => "USER_SRP_AUTH",
            Self::UserPasswordAuth => "USER_PASSWORD_AUTH",
            Self::CustomAuth => "CUSTOM_AUTH",
            Self::UserAuth => "USER_AUTH",
            Self::RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
            Self::RefreshToken => "REFRESH_TOKEN",
            Self::AdminUserPasswordAuth => "ADMIN_USER_PASSWORD_AUTH",
            Self::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            Self::Unknown(name) => name,
        }
    }

    /// The flow a name on the wire stands for.
    pub fn from_wire(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|flow| flow.as_str() == name)
            .unwrap_or_else(|| Self::Unknown(name.to_owned()))
    }
}

/// `"USER_SRP_AUTH".into()`: [`AuthFlowType::from_wire`].
impl From<&str> for AuthFlowType {
    fn from(name: &str) -> Self {
        Self::from_wire(name)
    }
}

/// By its API name (the local pool's data directory keeps it so).
impl Serialize for MfaKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.api_name())
    }
}

impl<'de> Deserialize<'de> for MfaKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::from_api_name(&name)
            .ok_or_else(|| serde::de::Error::custom("an MFA factor this version does not know"))
    }
}

/// By its API name (the local pool's data directory keeps it so).
impl Serialize for FirstFactor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.api_name())
    }
}

impl<'de> Deserialize<'de> for FirstFactor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| Self::from_api_name(&name))
    }
}

impl Serialize for AuthFlowType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AuthFlowType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| Self::from_wire(&name))
    }
}

/// `DeviceRememberedStatus` of UpdateDeviceStatus, and the device attribute
/// `dev:device_remembered_status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeviceRememberedStatus {
    /// `remembered`: the device may stand in for MFA.
    Remembered,
    /// `not_remembered`.
    NotRemembered,
    /// A value the API does not define, by its text.
    Unknown(String),
}

impl DeviceRememberedStatus {
    /// The status of a device that is remembered or not.
    pub fn of(remembered: bool) -> Self {
        if remembered {
            Self::Remembered
        } else {
            Self::NotRemembered
        }
    }

    /// The value on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Remembered => "remembered",
            Self::NotRemembered => "not_remembered",
            Self::Unknown(value) => value,
        }
    }

    /// The status a value on the wire stands for.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "remembered" => Self::Remembered,
            "not_remembered" => Self::NotRemembered,
            other => Self::Unknown(other.to_owned()),
        }
    }
}

impl Serialize for DeviceRememberedStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DeviceRememberedStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|value| Self::from_wire(&value))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mfa_kinds_and_code_kinds_read_back_from_their_names() {
        for kind in MfaKind::ALL {
            assert_eq!(MfaKind::from_api_name(kind.api_name()), Some(kind));
            assert_eq!(
                CodeKind::from_challenge_name(kind.api_name()),
                Some(kind.code_kind())
            );
        }
        for kind in CodeKind::ALL {
            assert_eq!(
                CodeKind::from_challenge_name(kind.challenge_name()),
                Some(kind)
            );
        }
        assert_eq!(MfaKind::from_api_name("WEB_AUTHN"), None);
        assert_eq!(CodeKind::from_challenge_name("PASSWORD_VERIFIER"), None);
    }

    #[test]
    fn first_factors_keep_unknown_names() {
        for name in [
            "PASSWORD",
            "PASSWORD_SRP",
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN",
        ] {
            assert_eq!(FirstFactor::from_api_name(name).api_name(), name);
        }
        assert_eq!(
            FirstFactor::from("FACE_ID"),
            FirstFactor::Other("FACE_ID".to_owned())
        );
    }

    #[test]
    fn auth_flows_are_written_as_their_names_and_unknown_ones_are_kept() {
        for flow in AuthFlowType::ALL {
            let json = serde_json::to_string(&flow).unwrap();
            assert_eq!(json, format!("\"{}\"", flow.as_str()));
            assert_eq!(serde_json::from_str::<AuthFlowType>(&json).unwrap(), flow);
        }
        let unknown: AuthFlowType = serde_json::from_str("\"MAGIC_AUTH\"").unwrap();
        assert_eq!(unknown, AuthFlowType::Unknown("MAGIC_AUTH".to_owned()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"MAGIC_AUTH\"");
        assert!(serde_json::from_str::<AuthFlowType>("3").is_err());
    }

    #[test]
    fn device_statuses_are_written_as_their_values() {
        for (status, text) in [
            (DeviceRememberedStatus::Remembered, "\"remembered\""),
            (DeviceRememberedStatus::NotRemembered, "\"not_remembered\""),
            (DeviceRememberedStatus::Unknown("maybe".into()), "\"maybe\""),
        ] {
            assert_eq!(serde_json::to_string(&status).unwrap(), text);
            assert_eq!(
                serde_json::from_str::<DeviceRememberedStatus>(text).unwrap(),
                status
            );
        }
        assert_eq!(
            DeviceRememberedStatus::of(true),
            DeviceRememberedStatus::Remembered
        );
    }
}
