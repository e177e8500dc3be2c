//! The SRP group Cognito uses (RFC 5054's 3072-bit safe prime N, generator g = 2),
//! its arithmetic in Montgomery form, and the byte encodings Cognito hashes.
//!
//! Everything here is shared by the user and device halves of SRP in `srp.rs`.

use std::sync::LazyLock;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Encoding, Odd, U256, U3072, U4096};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::crypto::CryptoError;

/// Integers below N (3072 bits).
pub(crate) type Big = U3072;
/// Integers as they may arrive from a peer or as an exponent `a + u·x`: up to 4096 bits.
pub(crate) type Wide = U4096;
/// Limbs of `Big`.
const LIMBS: usize = Big::LIMBS;
/// An element of Z/NZ in Montgomery form.
pub(crate) type Residue = FixedMontyForm<LIMBS>;

/// Bytes of N's big-endian encoding.
const N_BYTES: usize = Big::BYTES;
/// Hex longer than this many bytes (after leading zeros) is refused rather than reduced.
const WIDE_BYTES: usize = Wide::BYTES;

/// RFC 5054, appendix A, the 3072-bit group (hex).
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// N, checked odd when the crate is compiled (Montgomery form needs an odd modulus).
const N: Odd<Big> = Odd::<Big>::from_be_hex(N_HEX);

/// The generator.
const G: u64 = 2;

/// Width in bits of one window of the fixed-base table for g.
const WINDOW: usize = 4;
/// Entries per window: g^(j·16^i) for j in 0..16.
const WINDOW_SIZE: usize = 1 << WINDOW;
/// Exponents of up to this many bits (fresh a, b and x: 256; the vectors' a and b: 1024) use the table.
const TABLE_BITS: u32 = 1024;

/// The group's constants, computed once.
pub(crate) struct Group {
    /// Montgomery parameters of N.
    params: FixedMontyParams<LIMBS>,
    /// k = H(PAD(N) | PAD(g)), as a residue.
    k: Residue,
    /// `g_table[i][j]` = g^(j·16^i), Montgomery form: g^e for a secret e becomes one
    /// multiplication per 4 exponent bits, each factor picked in constant time.
    g_table: Vec<[Big; WINDOW_SIZE]>,
}

/// The one group Cognito uses.
pub(crate) static GROUP: LazyLock<Group> = LazyLock::new(Group::new);

impl Group {
    fn new() -> Self {
        // N is public: its parameters may be computed in variable time.
        let params = FixedMontyParams::new_vartime(N);
        // k = H(PAD(N) | PAD(g))
        let k_bytes = hash(&[&pad_bytes(N.as_ref()), &pad_bytes(&Big::from_u64(G))]);
        let k = Residue::new(&Big::from_be_slice_padded(&k_bytes), &params);
        let g = Residue::new(&Big::from_u64(G), &params);
        let mut g_table = Vec::with_capacity(TABLE_BITS as usize / WINDOW);
        let mut base = g; // g^(16^i)
        for _ in 0..TABLE_BITS as usize / WINDOW {
            let mut row = [*Residue::one(&params).as_montgomery(); WINDOW_SIZE];
            let mut power = Residue::one(&params);
            for slot in row.iter_mut().skip(1) {
                power = power.mul(&base);
                *slot = *power.as_montgomery();
            }
            base = power.mul(&base); // (g^(16^i))^16
            g_table.push(row);
        }
        Self { params, k, g_table }
    }

    /// N itself (tests compare it with the vectors).
    #[cfg(test)]
    pub(crate) fn modulus(&self) -> &Big {
        self.params.modulus().as_ref()
    }

    /// k = H(PAD(N) | PAD(g)).
    pub(crate) fn k(&self) -> &Residue {
        &self.k
    }

    /// The residue of a value already below 2^3072 (reduced mod N by the Montgomery step).
    pub(crate) fn residue(&self, value: &Big) -> Residue {
        Residue::new(value, &self.params)
    }

    /// g^e mod N in constant time for the first `bits` bits of e.
    /// Up to 1024 bits: ∏ᵢ table[i][eᵢ] over the 4-bit digits eᵢ of e; beyond, the
    /// generic Montgomery ladder of crypto-bigint, bounded to `bits`.
    pub(crate) fn pow_g<const E: usize>(&self, e: &crypto_bigint::Uint<E>, bits: u32) -> Residue {
        if bits > TABLE_BITS {
            let g = Residue::new(&Big::from_u64(G), &self.params);
            return g.pow_bounded_exp(e, bits);
        }
        let limbs = e.as_words();
        let digits_per_word = u64::BITS as usize / WINDOW;
        let mut acc = Residue::one(&self.params);
        for (i, row) in self
            .g_table
            .iter()
            .enumerate()
            .take((bits as usize).div_ceil(WINDOW))
        {
            let word = limbs.get(i / digits_per_word).copied().unwrap_or(0);
            let digit = (word >> ((i % digits_per_word) * WINDOW)) & (WINDOW_SIZE as u64 - 1);
            let mut factor = row[0];
            for (j, candidate) in row.iter().enumerate().skip(1) {
                factor.conditional_assign(candidate, (j as u64).ct_eq(&digit));
            }
            acc = acc.mul(&Residue::from_montgomery(factor, &self.params));
            zeroize::Zeroize::zeroize(&mut factor);
        }
        acc
    }

    /// base^e mod N in constant time for the first `bits` bits of e (a secret exponent).
    /// When e fits in 3072 bits, crypto-bigint's "almost Montgomery" ladder: its products
    /// skip the final subtraction of N, which is done once at the end.
    pub(crate) fn pow_secret<const E: usize>(
        &self,
        base: &Residue,
        e: &crypto_bigint::Uint<E>,
        bits: u32,
    ) -> Residue {
        if bits > Big::BITS {
            return base.pow_bounded_exp(e, bits);
        }
        let narrow = Zeroizing::new(e.resize::<LIMBS>());
        base.pow_amm_bounded_exp(&narrow, bits)
    }

    /// Reads an integer from hex (odd length and leading zeros allowed) and reduces it mod N.
    /// Also returns PAD of the integer as written (not reduced), which is what Cognito hashes.
    /// Hex over 4096 bits is refused; 3073 to 4096 bits is reduced.
    pub(crate) fn parse_hex(
        &self,
        hex_text: &str,
        field: &'static str,
    ) -> Result<(Residue, Zeroizing<Vec<u8>>), CryptoError> {
        let bytes = decode_hex(hex_text, field)?;
        let significant = strip_leading_zeros(&bytes);
        if significant.len() > WIDE_BYTES {
            return Err(CryptoError::Malformed(field));
        }
        let value = if significant.len() <= N_BYTES {
            self.residue(&Big::from_be_slice_padded(significant))
        } else {
            let wide = Zeroizing::new(Wide::from_be_slice_padded(significant));
            let reduced = Zeroizing::new(wide.rem(N.as_nz_ref()));
            self.residue(&reduced)
        };
        Ok((value, Zeroizing::new(pad_significant(significant))))
    }
}

/// Small extensions the code above needs from crypto-bigint.
pub(crate) trait UintExt: Sized {
    /// Big-endian bytes of any length up to the type's width, left-padded with zeros.
    fn from_be_slice_padded(bytes: &[u8]) -> Self;
}

macro_rules! impl_uint_ext {
    ($($t:ty),*) => {$(
        impl UintExt for $t {
            fn from_be_slice_padded(bytes: &[u8]) -> Self {
                let mut buf = Zeroizing::new([0u8; <$t>::BYTES]);
                let take = bytes.len().min(<$t>::BYTES);
                let start = <$t>::BYTES - take;
                buf[start..].copy_from_slice(&bytes[bytes.len() - take..]);
                <$t>::from_be_slice(&buf[..])
            }
        }
    )*};
}
impl_uint_ext!(U256, U3072, U4096);

/// SHA-256 over the concatenation of `parts`.
pub(crate) fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// HMAC-SHA256(key, parts…). Any key length is accepted (RFC 2104: a key longer than
/// the 64-byte block is hashed first; a shorter one is zero-padded to the block).
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > block.len() {
        block[..32].copy_from_slice(&hash(&[key]));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&(*block).into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Bytes of pad_hex(x) for an integer: its minimal big-endian bytes (one zero byte for 0),
/// with a zero byte in front when the top bit is set, so it never reads as negative.
pub(crate) fn pad_bytes<const L: usize>(x: &crypto_bigint::Uint<L>) -> Zeroizing<Vec<u8>>
where
    crypto_bigint::Uint<L>: Encoding,
{
    let mut full = x.to_be_bytes();
    let padded = Zeroizing::new(pad_significant(strip_leading_zeros(full.as_ref())));
    zeroize::Zeroize::zeroize(full.as_mut());
    padded
}

/// pad_hex on already-minimal bytes.
fn pad_significant(significant: &[u8]) -> Vec<u8> {
    match significant.first() {
        None => vec![0],
        Some(&top) if top >= 0x80 => {
            let mut padded = Vec::with_capacity(significant.len() + 1);
            padded.push(0);
            padded.extend_from_slice(significant);
            padded
        }
        Some(_) => significant.to_vec(),
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// pad_hex of a hex *string* (the salt): leading zeros kept; "0" in front of an odd length,
/// else "00" in front of a first digit 8-f. Returns the bytes of the result.
pub(crate) fn pad_hex_string_bytes(
    hex_text: &str,
    field: &'static str,
) -> Result<Vec<u8>, CryptoError> {
    let bytes = decode_hex(hex_text, field)?;
    Ok(match bytes.first() {
        Some(&top) if top >= 0x80 && hex_text.len().is_multiple_of(2) => {
            let mut padded = Vec::with_capacity(bytes.len() + 1);
            padded.push(0);
            padded.extend_from_slice(&bytes);
            padded
        }
        _ => bytes,
    })
}

/// Hex to bytes; an odd length reads as if a "0" were in front. Empty or non-hex is refused.
fn decode_hex(hex_text: &str, field: &'static str) -> Result<Vec<u8>, CryptoError> {
    if hex_text.is_empty() {
        return Err(CryptoError::Malformed(field));
    }
    let decoded = if hex_text.len() % 2 == 1 {
        hex::decode(format!("0{hex_text}"))
    } else {
        hex::decode(hex_text)
    };
    decoded.map_err(|_| CryptoError::Malformed(field))
}

/// Minimal lower-case hex of an integer ("0" for zero), as Cognito sends SRP_A/SRP_B.
pub(crate) fn to_hex(x: &Big) -> String {
    let full = x.to_be_bytes();
    let text = hex::encode(strip_leading_zeros(&full));
    match text.strip_prefix('0') {
        Some(rest) => rest.to_owned(),
        None if text.is_empty() => "0".to_owned(),
        None => text,
    }
}
