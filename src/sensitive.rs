//! A wrapper for values the API marks SENSITIVE (passwords, codes, Session, tokens,
//! client secrets): it never prints in Debug or Display, and it is wiped on drop.

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// A secret value. `Debug` prints `<redacted>`; the memory is zeroized on drop.
/// Serialises transparently, because the wire must carry it, and nothing else must.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T: Wipe>(T);

impl<T: Wipe> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Gives the secret itself: call this only where the value must leave the program
    /// (the wire, a cryptographic computation, stdout on request).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Wipe> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.wipe();
    }
}

impl<T: Wipe> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Values that can be overwritten before their memory is freed.
pub trait Wipe {
    /// Overwrites the value's memory with zeroes.
    fn wipe(&mut self);
}

impl Wipe for String {
    fn wipe(&mut self) {
        self.zeroize();
    }
}

impl Wipe for Vec<u8> {
    fn wipe(&mut self) {
        self.zeroize();
    }
}

impl Wipe for std::collections::BTreeMap<String, String> {
    fn wipe(&mut self) {
        while let Some((mut key, mut value)) = self.pop_first() {
            key.zeroize();
            value.zeroize();
        }
    }
}

/// A secret string, the most common case.
pub type SensitiveString = Sensitive<String>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = SensitiveString::from("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn serialises_as_the_bare_value() {
        let secret = SensitiveString::from("tok");
        assert_eq!(
            serde_json::to_string(&secret).ok().as_deref(),
            Some("\"tok\"")
        );
    }
}
