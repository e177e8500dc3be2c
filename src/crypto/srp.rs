//! SRP-6a as Cognito does it (3072-bit group of RFC 5054, SHA-256, HKDF "Caldera Derived Key").
//!
//! Notation: PAD(x) is the bytes of pad_hex(x) (see `group.rs`), H is SHA-256, `|` is
//! concatenation. The client half answers PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER;
//! the server half is what the local pool uses to check such an answer.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_bigint::U256;
use hkdf::Hkdf;
use rand::RngCore as _;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::CryptoError;
use crate::crypto::group::{
    Big, GROUP, Residue, UintExt as _, Wide, hash, hmac_sha256, pad_bytes, pad_hex_string_bytes,
    to_hex,
};
use crate::sensitive::SensitiveString;

/// Random bytes in a fresh private value `a` or `b`: 256 bits, twice the 128-bit strength
/// of the 3072-bit group, as RFC 5054 §2.5 ("at least 256 bits"), RFC 7919 §5.2 and NIST
/// SP 800-56A §5.6.1.1.4 ask. pycognito draws 1024 bits; the exponentiations' cost grows
/// with this length, and 256 bits halves the client's work without weakening the group.
const PRIVATE_BYTES: usize = 32;
/// Bits of a fresh private value, the bound its exponentiations run to.
const PRIVATE_BITS: u32 = PRIVATE_BYTES as u32 * 8;
/// Bits of x and u (SHA-256 outputs).
const HASH_BITS: u32 = 256;
/// Random bytes in a salt the server (or a device) draws.
const SALT_BYTES: usize = 16;
/// Random bytes in a device password (before base64).
const DEVICE_PASSWORD_BYTES: usize = 40;
/// HKDF info Cognito uses for the session key.
const HKDF_INFO: &[u8] = b"Caldera Derived Key";
/// Length of the session key K.
const KEY_BYTES: usize = 16;

/// The realm of a user's SRP: the pool name, i.e. the part of the pool id after the
/// first `_` ("us-east-1_AbCdEfGhI" → "AbCdEfGhI"). A pool id without `_` is its own name.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// The inputs of a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) answer.
/// For a user: `realm` is the pool name (the part of the pool id after `_`) and
/// `user_id` is USER_ID_FOR_SRP. For a device: `realm` is the device group key and
/// `user_id` the device key.
pub struct PasswordVerifierInput<'a> {
    pub realm: &'a str,
    pub user_id: &'a str,
    pub password: &'a str,
    /// SRP_B, hex as the server sent it.
    pub srp_b_hex: &'a str,
    /// SALT, hex as the server sent it.
    pub salt_hex: &'a str,
    /// SECRET_BLOCK, base64 as the server sent it.
    pub secret_block_b64: &'a str,
    /// TIMESTAMP, as `format_timestamp` writes it.
    pub timestamp: &'a str,
}

/// A secret exponent (`a` or `b`) and the public bound on its bit length, so that the
/// exponentiation costs the same whatever the value.
struct Private {
    value: Big,
    bits: u32,
}

impl Private {
    /// `PRIVATE_BYTES` from the OS: below 2^256 < N, so already reduced mod N.
    fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; PRIVATE_BYTES]);
        OsRng.fill_bytes(&mut bytes[..]);
        Self {
            value: Big::from_be_slice_padded(&bytes[..]),
            bits: PRIVATE_BITS,
        }
    }

    /// A given value (known-answer tests), reduced mod N. Its bound is 256 bits unless it
    /// is longer: only tests choose it, so its length is not a secret worth hiding.
    fn from_hex(hex_text: &str, field: &'static str) -> Result<Self, CryptoError> {
        let (residue, _) = GROUP.parse_hex(hex_text, field)?;
        let value = residue.retrieve();
        let bits = value.bits_vartime().max(PRIVATE_BITS);
        Ok(Self { value, bits })
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// A fresh 16-byte salt in pad_hex form: a zero byte in front when its top bit is set.
fn random_salt_pad() -> Vec<u8> {
    let mut salt = [0u8; SALT_BYTES];
    OsRng.fill_bytes(&mut salt);
    match salt[0] {
        top if top >= 0x80 => [&[0u8][..], &salt[..]].concat(),
        _ => salt.to_vec(),
    }
}

/// x = H(PAD(salt) | H(realm | user_id | ":" | password)).
fn compute_x(salt_pad: &[u8], realm: &str, user_id: &str, password: &str) -> Zeroizing<[u8; 32]> {
    let inner = Zeroizing::new(hash(&[
        realm.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]));
    Zeroizing::new(hash(&[salt_pad, &inner[..]]))
}

/// u = H(PAD(A) | PAD(B)), refused when zero.
fn compute_u(a_pad: &[u8], b_pad: &[u8]) -> Result<[u8; 32], CryptoError> {
    check_u(hash(&[a_pad, b_pad]))
}

/// u = 0 would make S independent of the password: abandon the exchange.
fn check_u(u: [u8; 32]) -> Result<[u8; 32], CryptoError> {
    if bool::from(U256::from_be_slice(&u).is_zero()) {
        Err(CryptoError::ZeroU)
    } else {
        Ok(u)
    }
}

/// v = g^x mod N for x = H(PAD(salt) | H(realm | user_id | ":" | password)).
fn verifier_for(salt_pad: &[u8], realm: &str, user_id: &str, password: &str) -> Zeroizing<Big> {
    let x = compute_x(salt_pad, realm, user_id, password);
    let x_int = Zeroizing::new(U256::from_be_slice(&x[..]));
    Zeroizing::new(GROUP.pow_g(&*x_int, HASH_BITS).retrieve())
}

/// K = HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key"), 16 bytes.
fn session_key(s: &Big, u: &[u8; 32]) -> Result<Zeroizing<[u8; KEY_BYTES]>, CryptoError> {
    let ikm = pad_bytes(s);
    let salt = pad_bytes(&U256::from_be_slice(u));
    let mut key = Zeroizing::new([0u8; KEY_BYTES]);
    Hkdf::<Sha256>::new(Some(&salt), &ikm)
        .expand(HKDF_INFO, &mut key[..])
        .map_err(|_| CryptoError::Malformed("HKDF output length"))?;
    Ok(key)
}

/// HMAC-SHA256(K, realm | user_id | secret block | timestamp).
fn claim_mac(
    key: &[u8; KEY_BYTES],
    realm: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    hmac_sha256(
        key,
        &[
            realm.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    )
}

/// What the client derives from one SRP_B: u, x, the premaster secret S and the key K.
struct ClientSecrets {
    #[cfg_attr(not(test), allow(dead_code))]
    u: [u8; 32],
    #[cfg_attr(not(test), allow(dead_code))]
    x: Zeroizing<[u8; 32]>,
    #[cfg_attr(not(test), allow(dead_code))]
    s: Zeroizing<Big>,
    key: Zeroizing<[u8; KEY_BYTES]>,
}

/// The client half: a random secret `a` and its public `A = g^a mod N`.
pub struct SrpClient {
    a: Private,
    public_a: Big,
    /// PAD(A), hashed into u.
    a_pad: Vec<u8>,
}

impl Default for SrpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("a", &"<redacted>")
            .field("public_a", &to_hex(&self.public_a))
            .finish()
    }
}

impl SrpClient {
    /// Draws a fresh 256-bit `a` from the OS's random source (see `PRIVATE_BYTES`).
    pub fn new() -> Self {
        Self::with_private(Private::random())
    }

    /// Uses a given `a` (known-answer tests only).
    pub fn from_private_hex(a_hex: &str) -> Result<Self, CryptoError> {
        Ok(Self::with_private(Private::from_hex(a_hex, "private a")?))
    }

    /// A = g^a mod N.
    fn with_private(a: Private) -> Self {
        let public_a = GROUP.pow_g(&a.value, a.bits).retrieve();
        let a_pad = pad_bytes(&public_a).to_vec();
        Self { a, public_a, a_pad }
    }

    /// SRP_A, lower-case hex without padding.
    pub fn public_a_hex(&self) -> String {
        to_hex(&self.public_a)
    }

    /// PASSWORD_CLAIM_SIGNATURE, base64: HMAC-SHA256(K, realm | user_id | secret block | timestamp).
    pub fn password_claim_signature(
        &self,
        input: &PasswordVerifierInput<'_>,
    ) -> Result<String, CryptoError> {
        let secret_block = BASE64
            .decode(input.secret_block_b64)
            .map_err(|_| CryptoError::Malformed("SECRET_BLOCK"))?;
        let secrets = self.derive(input)?;
        let mac = claim_mac(
            &secrets.key,
            input.realm,
            input.user_id,
            &secret_block,
            input.timestamp,
        );
        Ok(BASE64.encode(mac))
    }

    /// Refuses B ≡ 0 (mod N) and u = 0, then:
    /// S = (B − k·g^x)^(a + u·x) mod N (exponent not reduced), K = HKDF(PAD(S), PAD(u)).
    fn derive(&self, input: &PasswordVerifierInput<'_>) -> Result<ClientSecrets, CryptoError> {
        let (b, b_pad) = GROUP.parse_hex(input.srp_b_hex, "SRP_B")?;
        if bool::from(b.as_montgomery().is_zero()) {
            return Err(CryptoError::UnsafeB);
        }
        let u = compute_u(&self.a_pad, &b_pad)?;
        let salt_pad = pad_hex_string_bytes(input.salt_hex, "SALT")?;
        let x = compute_x(&salt_pad, input.realm, input.user_id, input.password);
        let x_int = Zeroizing::new(U256::from_be_slice(&x[..]));
        // base = B − k·g^x
        let mut g_x = GROUP.pow_g(&*x_int, HASH_BITS);
        let mut k_g_x = GROUP.k().mul(&g_x);
        let mut base = b.sub(&k_g_x);
        // e = a + u·x: a < 2^bits(a), u·x < 2^512, so e < 2^(max(bits(a), 512) + 1).
        let u_wide: Wide = U256::from_be_slice(&u).resize();
        let x_wide = Zeroizing::new(x_int.resize::<{ Wide::LIMBS }>());
        let exponent = Zeroizing::new(
            self.a
                .value
                .resize::<{ Wide::LIMBS }>()
                .wrapping_add(&u_wide.wrapping_mul(&*x_wide)),
        );
        let exponent_bits = self.a.bits.max(2 * HASH_BITS) + 1;
        let mut s_residue = GROUP.pow_secret(&base, &*exponent, exponent_bits);
        let s = Zeroizing::new(s_residue.retrieve());
        g_x.zeroize();
        k_g_x.zeroize();
        base.zeroize();
        s_residue.zeroize();
        let key = session_key(&s, &u)?;
        Ok(ClientSecrets { u, x, s, key })
    }
}

/// What the server stores for a user instead of the password: salt and `v = g^x mod N`.
#[derive(Clone, PartialEq, Eq)]
pub struct UserVerifier {
    /// SALT in pad_hex form, as sent to clients.
    salt_hex: String,
    /// v = g^x mod N. Not the password, but enough to attack it offline: kept out of Debug.
    v: Big,
}

impl Drop for UserVerifier {
    fn drop(&mut self) {
        self.v.zeroize();
    }
}

impl fmt::Debug for UserVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserVerifier")
            .field("salt_hex", &self.salt_hex)
            .field("v", &"<redacted>")
            .finish()
    }
}

/// The verifier as the local pool's data directory keeps it: SALT and `v`, in hex.
#[derive(Serialize, Deserialize)]
struct StoredVerifier {
    salt_hex: String,
    verifier_hex: String,
}

impl Serialize for UserVerifier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredVerifier {
            salt_hex: self.salt_hex(),
            verifier_hex: self.verifier_hex(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UserVerifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredVerifier::deserialize(deserializer)?;
        Self::from_parts(&stored.salt_hex, &stored.verifier_hex)
            .map_err(|_| serde::de::Error::custom("a malformed SRP verifier"))
    }
}

impl UserVerifier {
    /// A fresh random 16-byte salt, then `v = g^x`.
    pub fn generate(realm: &str, user_id: &str, password: &str) -> Self {
        let salt_pad = random_salt_pad();
        let v = verifier_for(&salt_pad, realm, user_id, password);
        Self {
            salt_hex: hex::encode(&salt_pad),
            v: *v,
        }
    }

    /// Rebuilds a stored verifier from its SALT (pad_hex form) and `v` in hex.
    pub fn from_parts(salt_hex: &str, verifier_hex: &str) -> Result<Self, CryptoError> {
        let salt_pad = pad_hex_string_bytes(salt_hex, "salt")?;
        let (v, _) = GROUP.parse_hex(verifier_hex, "verifier")?;
        Ok(Self {
            salt_hex: hex::encode(salt_pad),
            v: v.retrieve(),
        })
    }

    /// The verifier a device registered with ConfirmDevice, so the pool can run
    /// DEVICE_SRP_AUTH against it (realm = device group key, user id = device key).
    pub fn from_device_verifier(device: &DeviceVerifier) -> Result<Self, CryptoError> {
        let salt = BASE64
            .decode(&device.salt_b64)
            .map_err(|_| CryptoError::Malformed("device Salt"))?;
        let v = Zeroizing::new(
            BASE64
                .decode(&device.password_verifier_b64)
                .map_err(|_| CryptoError::Malformed("device PasswordVerifier"))?,
        );
        Self::from_parts(&hex::encode(salt), &hex::encode(&v[..]))
    }

    /// Checks a plain password (USER_PASSWORD_AUTH) against this verifier, in constant time.
    pub fn matches_password(&self, realm: &str, user_id: &str, password: &str) -> bool {
        let Ok(salt_pad) = pad_hex_string_bytes(&self.salt_hex, "salt") else {
            return false;
        };
        let candidate = verifier_for(&salt_pad, realm, user_id, password);
        candidate.ct_eq(&self.v).into()
    }

    /// SALT as the server sends it (pad_hex form).
    pub fn salt_hex(&self) -> String {
        self.salt_hex.clone()
    }

    /// v = g^x mod N in lower-case hex, for storing the verifier (pair with `from_parts`).
    pub fn verifier_hex(&self) -> String {
        to_hex(&self.v)
    }
}

/// The server half of one exchange: a random `b`, `B = k·v + g^b mod N`, and what is
/// needed to check the client's signature afterwards. Kept in the Session between calls.
///
/// Only B and the session key K are kept: `b`, S and v are dropped (and wiped) once K is known.
pub struct SrpServer {
    public_b: Big,
    key: Zeroizing<[u8; KEY_BYTES]>,
}

impl fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpServer")
            .field("public_b", &to_hex(&self.public_b))
            .field("key", &"<redacted>")
            .finish()
    }
}

impl SrpServer {
    /// Starts an exchange for the client's SRP_A; refuses A ≡ 0 (mod N).
    pub fn new(verifier: &UserVerifier, srp_a_hex: &str) -> Result<Self, CryptoError> {
        Self::with_private(verifier, srp_a_hex, Private::random())
    }

    /// Starts an exchange with a given `b` (known-answer tests only).
    pub fn with_private_hex(
        verifier: &UserVerifier,
        srp_a_hex: &str,
        b_hex: &str,
    ) -> Result<Self, CryptoError> {
        Self::with_private(verifier, srp_a_hex, Private::from_hex(b_hex, "private b")?)
    }

    /// B = (k·v + g^b) mod N; u = H(PAD(A) | PAD(B)); S = (A · v^u)^b mod N; K = HKDF(PAD(S), PAD(u)).
    fn with_private(
        verifier: &UserVerifier,
        srp_a_hex: &str,
        b: Private,
    ) -> Result<Self, CryptoError> {
        let (a, a_pad) = GROUP.parse_hex(srp_a_hex, "SRP_A")?;
        if bool::from(a.as_montgomery().is_zero()) {
            return Err(CryptoError::UnsafeA);
        }
        let mut v = GROUP.residue(&verifier.v);
        let public_b = GROUP
            .k()
            .mul(&v)
            .add(&GROUP.pow_g(&b.value, b.bits))
            .retrieve();
        let u = compute_u(&a_pad, &pad_bytes(&public_b))?;
        let s = Zeroizing::new(server_premaster(&a, &v, &u, &b));
        v.zeroize();
        let key = session_key(&s, &u)?;
        Ok(Self { public_b, key })
    }

    /// SRP_B, lower-case hex without padding.
    pub fn public_b_hex(&self) -> String {
        to_hex(&self.public_b)
    }

    /// Checks PASSWORD_CLAIM_SIGNATURE in constant time.
    pub fn verify_signature(
        &self,
        realm: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
        signature_b64: &str,
    ) -> Result<bool, CryptoError> {
        let claimed = BASE64
            .decode(signature_b64)
            .map_err(|_| CryptoError::Malformed("PASSWORD_CLAIM_SIGNATURE"))?;
        let expected = claim_mac(&self.key, realm, user_id, secret_block, timestamp);
        Ok(expected[..].ct_eq(&claimed[..]).into())
    }
}

/// S = (A · v^u)^b mod N.
fn server_premaster(a: &Residue, v: &Residue, u: &[u8; 32], b: &Private) -> Big {
    let u_int = U256::from_be_slice(u);
    let mut base = a.mul(&GROUP.pow_secret(v, &u_int, HASH_BITS));
    let mut s = GROUP.pow_secret(&base, &b.value, b.bits);
    let value = s.retrieve();
    base.zeroize();
    s.zeroize();
    value
}

/// DeviceSecretVerifierConfig for ConfirmDevice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceVerifier {
    /// PasswordVerifier: base64 of pad_hex(g^x).
    pub password_verifier_b64: String,
    /// Salt: base64 of the pad_hex salt.
    pub salt_b64: String,
}

impl DeviceVerifier {
    /// The verifier of a device password for a given salt (deterministic):
    /// x = H(PAD(salt) | H(device_group_key | device_key | ":" | device_password)),
    /// PasswordVerifier = base64(PAD(g^x)), Salt = base64(PAD(salt)). An empty salt is refused.
    pub fn generate(
        device_group_key: &str,
        device_key: &str,
        device_password: &str,
        salt: &[u8],
    ) -> Result<Self, CryptoError> {
        let salt_pad = pad_hex_string_bytes(&hex::encode(salt), "device salt")?;
        Ok(Self::from_salt_pad(
            &salt_pad,
            device_group_key,
            device_key,
            device_password,
        ))
    }

    /// A new device password (base64 of 40 random bytes) and its verifier for a random
    /// 16-byte salt, as ConfirmDevice wants them. Keep the password: DEVICE_SRP_AUTH needs it.
    pub fn random(device_group_key: &str, device_key: &str) -> (Self, SensitiveString) {
        let mut password_bytes = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
        OsRng.fill_bytes(&mut password_bytes[..]);
        let password = SensitiveString::new(BASE64.encode(&password_bytes[..]));
        let salt_pad = random_salt_pad();
        let verifier =
            Self::from_salt_pad(&salt_pad, device_group_key, device_key, password.expose());
        (verifier, password)
    }

    fn from_salt_pad(
        salt_pad: &[u8],
        device_group_key: &str,
        device_key: &str,
        device_password: &str,
    ) -> Self {
        let v = verifier_for(salt_pad, device_group_key, device_key, device_password);
        Self {
            password_verifier_b64: BASE64.encode(&pad_bytes(&*v)[..]),
            salt_b64: BASE64.encode(salt_pad),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Known answers from two independent implementations (see tests/vectors/README.md).
    const VECTORS: &str = include_str!("../../tests/vectors/cognito-srp.json");

    fn vectors() -> Value {
        serde_json::from_str(VECTORS).expect("the SRP vectors are JSON")
    }

    fn field<'a>(entry: &'a Value, name: &str) -> &'a str {
        entry[name]
            .as_str()
            .unwrap_or_else(|| panic!("vector field {name} missing"))
    }

    fn entries<'a>(all: &'a Value, name: &str) -> &'a Vec<Value> {
        let list = all[name]
            .as_array()
            .unwrap_or_else(|| panic!("vector list {name} missing"));
        assert!(!list.is_empty(), "vector list {name} is empty");
        list
    }

    fn hex_of(x: &Big) -> String {
        to_hex(x)
    }

    /// A client's input for a vector entry.
    fn input(entry: &Value) -> PasswordVerifierInput<'_> {
        PasswordVerifierInput {
            realm: pool_name(field(entry, "pool_id")),
            user_id: field(entry, "user_id_for_srp"),
            password: field(entry, "password"),
            srp_b_hex: field(entry, "SRP_B"),
            salt_hex: field(entry, "salt_hex"),
            secret_block_b64: field(entry, "SECRET_BLOCK"),
            timestamp: field(entry, "TIMESTAMP"),
        }
    }

    #[test]
    fn the_group_is_the_one_in_the_vectors() {
        let all = vectors();
        assert_eq!(hex_of(GROUP.modulus()), field(&all, "N_hex"));
        assert_eq!(field(&all, "g_hex"), "2");
    }

    #[test]
    fn every_srp_vector_is_reproduced_on_both_sides() {
        let all = vectors();
        for entry in entries(&all, "srp") {
            let who = field(entry, "user_id_for_srp");
            let realm = pool_name(field(entry, "pool_id"));
            assert_eq!(
                hex_of(&GROUP.k().retrieve()),
                field(entry, "k_hex"),
                "k for {who}"
            );

            // Client.
            let client = SrpClient::from_private_hex(field(entry, "small_a_hex")).unwrap();
            assert_eq!(client.public_a_hex(), field(entry, "SRP_A"), "A for {who}");
            let secrets = client.derive(&input(entry)).unwrap();
            assert_eq!(
                hex::encode(secrets.u).trim_start_matches('0'),
                field(entry, "u_hex").trim_start_matches('0'),
                "u for {who}"
            );
            assert_eq!(
                hex::encode(&secrets.x[..]).trim_start_matches('0'),
                field(entry, "x_hex").trim_start_matches('0'),
                "x for {who}"
            );
            assert_eq!(
                hex_of(&secrets.s),
                field(entry, "S_hex"),
                "client S for {who}"
            );
            assert_eq!(
                hex::encode(&secrets.key[..]),
                field(entry, "hkdf_key_hex"),
                "K for {who}"
            );
            let signature = client.password_claim_signature(&input(entry)).unwrap();
            assert_eq!(
                signature,
                field(entry, "PASSWORD_CLAIM_SIGNATURE"),
                "signature for {who}"
            );

            // Server.
            let salt_pad = pad_hex_string_bytes(field(entry, "salt_hex"), "salt").unwrap();
            let v = verifier_for(&salt_pad, realm, who, field(entry, "password"));
            assert_eq!(
                hex_of(&v),
                field(entry, "verifier_hex"),
                "verifier for {who}"
            );
            let verifier =
                UserVerifier::from_parts(field(entry, "salt_hex"), field(entry, "verifier_hex"))
                    .unwrap();
            assert_eq!(verifier.salt_hex(), field(entry, "salt_hex"));
            assert_eq!(verifier.verifier_hex(), field(entry, "verifier_hex"));
            assert!(verifier.matches_password(realm, who, field(entry, "password")));
            assert!(!verifier.matches_password(realm, who, "not the password"));
            let server = SrpServer::with_private_hex(
                &verifier,
                field(entry, "SRP_A"),
                field(entry, "small_b_hex"),
            )
            .unwrap();
            assert_eq!(server.public_b_hex(), field(entry, "SRP_B"), "B for {who}");
            let (a, _) = GROUP.parse_hex(field(entry, "SRP_A"), "A").unwrap();
            let b = Private::from_hex(field(entry, "small_b_hex"), "b").unwrap();
            let s_server = server_premaster(&a, &GROUP.residue(&v), &secrets.u, &b);
            assert_eq!(
                hex_of(&s_server),
                field(entry, "S_hex"),
                "server S for {who}"
            );
            assert_eq!(
                hex::encode(&server.key[..]),
                field(entry, "hkdf_key_hex"),
                "server K for {who}"
            );

            let block = BASE64.decode(field(entry, "SECRET_BLOCK")).unwrap();
            let timestamp = field(entry, "TIMESTAMP");
            assert!(
                server
                    .verify_signature(realm, who, &block, timestamp, &signature)
                    .unwrap(),
                "server accepts {who}"
            );
            assert!(
                !server
                    .verify_signature(
                        realm,
                        who,
                        &block,
                        "Mon Jan 1 00:00:00 UTC 2001",
                        &signature
                    )
                    .unwrap()
            );
            assert!(
                !server
                    .verify_signature(realm, "mallory", &block, timestamp, &signature)
                    .unwrap()
            );
        }
    }

    #[test]
    fn every_device_verifier_vector_is_reproduced() {
        let all = vectors();
        for entry in entries(&all, "device_verifier") {
            let salt = hex::decode(field(entry, "salt_hex")).unwrap();
            let verifier = DeviceVerifier::generate(
                field(entry, "device_group_key"),
                field(entry, "device_key"),
                field(entry, "device_password"),
                &salt,
            )
            .unwrap();
            let expected = &entry["DeviceSecretVerifierConfig"];
            assert_eq!(
                verifier.password_verifier_b64,
                field(expected, "PasswordVerifier")
            );
            assert_eq!(verifier.salt_b64, field(expected, "Salt"));
        }
    }

    #[test]
    fn every_secret_hash_vector_is_reproduced() {
        let all = vectors();
        for entry in entries(&all, "secret_hash") {
            assert_eq!(
                crate::crypto::secret_hash(
                    field(entry, "username"),
                    field(entry, "client_id"),
                    field(entry, "client_secret"),
                ),
                field(entry, "SECRET_HASH")
            );
        }
    }

    #[test]
    fn secret_hash_accepts_a_key_longer_than_a_block() {
        let long_secret = "s".repeat(200);
        let hash = crate::crypto::secret_hash("alice", "client", &long_secret);
        assert_eq!(BASE64.decode(hash).unwrap().len(), 32);
    }

    fn first_entry() -> Value {
        entries(&vectors(), "srp")[0].clone()
    }

    fn with_b<'a>(entry: &'a Value, srp_b_hex: &'a str) -> PasswordVerifierInput<'a> {
        PasswordVerifierInput {
            srp_b_hex,
            ..input(entry)
        }
    }

    fn n_times(multiple: u64) -> String {
        let n_wide: Wide = GROUP.modulus().resize();
        let product = n_wide.wrapping_mul(&Wide::from_u64(multiple));
        let bytes = crypto_bigint::Encoding::to_be_bytes(&product);
        hex::encode(bytes).trim_start_matches('0').to_owned()
    }

    #[test]
    fn the_client_refuses_b_that_is_a_multiple_of_n() {
        let entry = first_entry();
        let client = SrpClient::from_private_hex(field(&entry, "small_a_hex")).unwrap();
        let n = hex_of(GROUP.modulus());
        for b in [
            "0",
            "00",
            "000000",
            &n,
            &format!("0000{n}"),
            &n_times(2),
            &n_times(5),
        ] {
            assert_eq!(
                client.password_claim_signature(&with_b(&entry, b)),
                Err(CryptoError::UnsafeB),
                "B = {}…",
                &b[..b.len().min(8)]
            );
        }
    }

    #[test]
    fn the_client_reduces_b_longer_than_n_and_refuses_b_too_long_to_be_a_number() {
        let entry = first_entry();
        let client = SrpClient::from_private_hex(field(&entry, "small_a_hex")).unwrap();
        // 4096 bits, not a multiple of N: accepted and reduced.
        let long = "f".repeat(1024);
        assert!(
            client
                .password_claim_signature(&with_b(&entry, &long))
                .is_ok()
        );
        // Over 4096 bits: refused, never a panic.
        let too_long = "f".repeat(1025);
        assert_eq!(
            client.password_claim_signature(&with_b(&entry, &too_long)),
            Err(CryptoError::Malformed("SRP_B"))
        );
        let huge = "1".repeat(100_000);
        assert_eq!(
            client.password_claim_signature(&with_b(&entry, &huge)),
            Err(CryptoError::Malformed("SRP_B"))
        );
        // Leading zeros beyond 4096 bits are only zeros.
        let padded = format!("{}{}", "0".repeat(2000), field(&entry, "SRP_B"));
        assert_eq!(
            client
                .password_claim_signature(&with_b(&entry, &padded))
                .unwrap(),
            field(&entry, "PASSWORD_CLAIM_SIGNATURE")
        );
    }

    #[test]
    fn the_client_refuses_malformed_values() {
        let entry = first_entry();
        let client = SrpClient::from_private_hex(field(&entry, "small_a_hex")).unwrap();
        for (b, salt, block, what) in [
            ("xyz", "00ff", "AAAA", "SRP_B"),
            ("", "00ff", "AAAA", "SRP_B"),
            ("12 34", "00ff", "AAAA", "SRP_B"),
            ("1234", "zz", "AAAA", "SALT"),
            ("1234", "", "AAAA", "SALT"),
            ("1234", "00ff", "not base64!", "SECRET_BLOCK"),
        ] {
            let input = PasswordVerifierInput {
                srp_b_hex: b,
                salt_hex: salt,
                secret_block_b64: block,
                ..input(&entry)
            };
            assert_eq!(
                client.password_claim_signature(&input),
                Err(CryptoError::Malformed(what))
            );
        }
        assert!(SrpClient::from_private_hex("nothex").is_err());
        assert!(UserVerifier::from_parts("00ff", "g").is_err());
        assert!(UserVerifier::from_parts("", "12").is_err());
        assert!(DeviceVerifier::generate("g", "k", "p", &[]).is_err());
    }

    #[test]
    fn the_server_refuses_a_that_is_a_multiple_of_n() {
        let verifier = UserVerifier::generate("Pool", "alice", "pw");
        let n = hex_of(GROUP.modulus());
        for a in ["0", "0000", &n, &n_times(2), &n_times(3)] {
            assert_eq!(
                SrpServer::new(&verifier, a).err(),
                Some(CryptoError::UnsafeA)
            );
        }
        assert_eq!(
            SrpServer::new(&verifier, "q").err(),
            Some(CryptoError::Malformed("SRP_A"))
        );
        assert_eq!(
            SrpServer::new(&verifier, &"9".repeat(2000)).err(),
            Some(CryptoError::Malformed("SRP_A"))
        );
    }

    #[test]
    fn a_zero_u_is_refused() {
        assert_eq!(check_u([0; 32]), Err(CryptoError::ZeroU));
        let mut one = [0; 32];
        one[31] = 1;
        assert_eq!(check_u(one), Ok(one));
    }

    #[test]
    fn the_server_refuses_a_malformed_signature() {
        let verifier = UserVerifier::generate("Pool", "alice", "pw");
        let client = SrpClient::new();
        let server = SrpServer::new(&verifier, &client.public_a_hex()).unwrap();
        assert_eq!(
            server.verify_signature("Pool", "alice", b"block", "ts", "%%%"),
            Err(CryptoError::Malformed("PASSWORD_CLAIM_SIGNATURE"))
        );
        // Well-formed but of the wrong length: simply wrong.
        assert_eq!(
            server.verify_signature("Pool", "alice", b"block", "ts", "AAAA"),
            Ok(false)
        );
    }

    #[test]
    fn a_random_exchange_accepts_the_right_password_and_rejects_a_wrong_one() {
        let realm = pool_name("eu-west-1_RoundTrip");
        assert_eq!(realm, "RoundTrip");
        let verifier = UserVerifier::generate(realm, "dave", "right horse");
        let block = b"an opaque secret block";
        let block_b64 = BASE64.encode(block);
        let timestamp =
            crate::crypto::format_timestamp(time::macros::datetime!(2026-11-03 09:05:07 UTC));
        for (password, accepted) in [("right horse", true), ("wrong horse", false)] {
            let client = SrpClient::new();
            let server = SrpServer::new(&verifier, &client.public_a_hex()).unwrap();
            let b_hex = server.public_b_hex();
            let salt_hex = verifier.salt_hex();
            let signature = client
                .password_claim_signature(&PasswordVerifierInput {
                    realm,
                    user_id: "dave",
                    password,
                    srp_b_hex: &b_hex,
                    salt_hex: &salt_hex,
                    secret_block_b64: &block_b64,
                    timestamp: &timestamp,
                })
                .unwrap();
            assert_eq!(
                server.verify_signature(realm, "dave", block, &timestamp, &signature),
                Ok(accepted),
                "password {password:?}"
            );
        }
    }

    #[test]
    fn a_random_device_verifier_matches_its_password() {
        let (device, password) = DeviceVerifier::random("-group", "us-east-1_device");
        assert_eq!(
            BASE64.decode(password.expose()).unwrap().len(),
            DEVICE_PASSWORD_BYTES
        );
        let salt = BASE64.decode(&device.salt_b64).unwrap();
        let again =
            DeviceVerifier::generate("-group", "us-east-1_device", password.expose(), &salt)
                .unwrap();
        assert_eq!(again, device);
        assert_eq!(format!("{password:?}"), "<redacted>");
    }

    #[test]
    fn a_confirmed_device_signs_in_against_its_stored_verifier() {
        let (device, password) = DeviceVerifier::random("-group", "us-east-1_device");
        let verifier = UserVerifier::from_device_verifier(&device).unwrap();
        let client = SrpClient::new();
        let server = SrpServer::new(&verifier, &client.public_a_hex()).unwrap();
        let (b_hex, salt_hex) = (server.public_b_hex(), verifier.salt_hex());
        let timestamp = "Mon Jan 1 00:00:00 UTC 2024";
        let signature = client
            .password_claim_signature(&PasswordVerifierInput {
                realm: "-group",
                user_id: "us-east-1_device",
                password: password.expose(),
                srp_b_hex: &b_hex,
                salt_hex: &salt_hex,
                secret_block_b64: "AAAA",
                timestamp,
            })
            .unwrap();
        let block = BASE64.decode("AAAA").unwrap();
        assert_eq!(
            server.verify_signature("-group", "us-east-1_device", &block, timestamp, &signature),
            Ok(true)
        );
        let broken = DeviceVerifier {
            salt_b64: "!".into(),
            ..device
        };
        assert!(UserVerifier::from_device_verifier(&broken).is_err());
    }

    #[test]
    fn the_halves_can_cross_threads_and_tasks() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<SrpServer>();
        send_sync::<SrpClient>();
        send_sync::<UserVerifier>();
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let entry = first_entry();
        let a_hex = field(&entry, "small_a_hex");
        let client = SrpClient::from_private_hex(a_hex).unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("<redacted>"));
        assert!(!shown.contains(&a_hex[..16]), "{shown}");

        let verifier =
            UserVerifier::from_parts(field(&entry, "salt_hex"), field(&entry, "verifier_hex"))
                .unwrap();
        let shown = format!("{verifier:?}");
        assert!(
            !shown.contains(&field(&entry, "verifier_hex")[..16]),
            "{shown}"
        );

        let b_hex = field(&entry, "small_b_hex");
        let server = SrpServer::with_private_hex(&verifier, field(&entry, "SRP_A"), b_hex).unwrap();
        let shown = format!("{server:?}");
        assert!(!shown.contains(&b_hex[..16]), "{shown}");
        assert!(!shown.contains(field(&entry, "hkdf_key_hex")), "{shown}");
        assert!(!shown.contains(&field(&entry, "S_hex")[..16]), "{shown}");
    }

    #[test]
    fn pool_name_is_the_part_after_the_first_underscore() {
        assert_eq!(pool_name("us-east-1_AbCdEfGhI"), "AbCdEfGhI");
        assert_eq!(pool_name("local_pool_x"), "pool_x");
        assert_eq!(pool_name("nounderscore"), "nounderscore");
    }

    #[test]
    fn integers_are_padded_like_pad_hex() {
        assert_eq!(&pad_bytes(&Big::ZERO)[..], &[0u8]);
        assert_eq!(&pad_bytes(&Big::from_u64(0x7f))[..], &[0x7fu8]);
        assert_eq!(&pad_bytes(&Big::from_u64(0x80))[..], &[0u8, 0x80]);
        assert_eq!(&pad_bytes(&Big::from_u64(0x1234))[..], &[0x12u8, 0x34]);
        assert_eq!(pad_hex_string_bytes("abc", "s").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(pad_hex_string_bytes("0e67", "s").unwrap(), vec![0x0e, 0x67]);
        assert_eq!(
            pad_hex_string_bytes("8e67", "s").unwrap(),
            vec![0, 0x8e, 0x67]
        );
        assert_eq!(to_hex(&Big::ZERO), "0");
        assert_eq!(to_hex(&Big::from_u64(0xabc)), "abc");
    }
}
