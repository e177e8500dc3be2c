//! The API's enumerated names that both the client and the local pool read and write:
//! second factors, code challenges and first factors. Each has its name on the wire
//! and a parse function; a name the API may add later is kept by name where it can be.

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

#[cfg(test)]
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
}
