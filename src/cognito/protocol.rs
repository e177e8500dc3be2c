//! The JSON 1.1 protocol's two fixed headers, defined once for the client and the local
//! pool: every call is a `POST /` with `Content-Type: application/x-amz-json-1.1` and
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`.

/// The content type of every request and answer of the protocol.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The prefix of `X-Amz-Target`; the operation name follows it.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// `X-Amz-Target` for an operation: `AWSCognitoIdentityProviderService.InitiateAuth`.
pub fn target(operation: &str) -> String {
    format!("{TARGET_PREFIX}{operation}")
}

/// The operation an `X-Amz-Target` names, if it has the prefix and a name after it.
pub fn operation_of(target: &str) -> Option<&str> {
    target
        .strip_prefix(TARGET_PREFIX)
        .filter(|operation| !operation.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_names_its_operation_and_reads_back() {
        let target = target("InitiateAuth");
        assert_eq!(target, "AWSCognitoIdentityProviderService.InitiateAuth");
        assert_eq!(operation_of(&target), Some("InitiateAuth"));
        assert_eq!(operation_of(TARGET_PREFIX), None);
        assert_eq!(operation_of("Other.InitiateAuth"), None);
    }
}
