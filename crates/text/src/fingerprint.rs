//! Near-duplicate fingerprints for 信访举报 (重复件): MinHash with LSH
//! banding, and a 64-bit SimHash. Pure and storage-independent: a store
//! keeps [`Signature::to_bytes`] and the [`Signature::band_keys`] in an
//! indexed table, finds candidates by band key, and re-ranks them with
//! [`Signature::estimate_similarity`] or the exact [`jaccard`].
//!
//! # Features
//! A report's feature set is its words ([`crate::tokens::tokenize`]), with
//! the words that pin its facts — anonymised names (`张某某`) and numbers
//! with their unit (`2023年`, `50万元`), see [`crate::tokens::is_entity`] —
//! counted [`ENTITY_WEIGHT`] times (as that many distinct features, which
//! makes set Jaccard an integer-weighted Jaccard).
//!
//! Measured on generated reports (`tests/text/shingle_choice.rs`, run it
//! with `--ignored --nocapture`): words beat word pairs, words + pairs and
//! triples for re-worded reports — a swapped synonym costs one feature
//! instead of two or three, and reordered sentences cost nothing — while
//! unrelated reports about the same person stay far apart. Weighting the
//! facts separates the hardest case, a report on the same kind of fact
//! about someone else in the same unit (mis-ranked 9 % / 19 % at the best
//! cut with plain words, 0.4 % / 2 % with weight 5), and lowers the
//! background similarity of unrelated reports, so fewer false candidates.
//!
//! # Hashing (stable across processes, platforms and versions)
//! * feature hash: `xxh3_64_with_seed(bytes, FEATURE_SEED)` over the UTF-8
//!   word, and for copy `c` (1 ≤ c < weight) of an entity over
//!   `word ‖ 0x1E ‖ c as u8` (0x1E never occurs inside a token);
//! * permutation `i` of [`SIGNATURE_LEN`]: `fmix64(feature ^ SEEDS[i])`,
//!   `fmix64` being MurmurHash3's 64-bit finaliser (a bijection) and
//!   `SEEDS` the first 128 outputs of SplitMix64 started at [`SEED_BASE`];
//! * signature value `i`: the high 32 bits of the minimum over the features;
//! * band key `b`: `xxh3_64_with_seed(b as u16 LE ‖ values of band b as
//!   u32 LE, BAND_SEED)` — the band index is inside the key, so one indexed
//!   column holds all bands (store it as `BIGINT` via `key as i64`).
//!
//! xxh3 is specified and frozen by its authors; the other steps are plain
//! integer arithmetic. Tests pin the outputs. Tokenising depends on jieba's
//! dictionary, so an upgrade of `jieba-rs` may change a report's words:
//! [`SCHEME_VERSION`] is written into the signature bytes, and a store
//! re-fingerprints its reports when it changes.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::tokens::{is_entity, tokenize};

/// Number of MinHash values in a signature.
pub const SIGNATURE_LEN: usize = 128;
/// Version of tokenising + hashing, the first byte of [`Signature::to_bytes`].
pub const SCHEME_VERSION: u8 = 1;
/// How many times a fact word (name, number) counts; see the module doc.
pub const ENTITY_WEIGHT: u8 = 5;
/// Similarity (estimated or exact) from which a stored report is offered to
/// the registrar as a possible 重复件. Re-worded copies measure 0.5–0.96 in
/// the tests; unrelated reports about the same person at most 0.50, with
/// 95 % of them under 0.23.
pub const DUPLICATE_THRESHOLD: f64 = 0.45;
/// Seed of the feature hash.
pub const FEATURE_SEED: u64 = 0x5146_2d46_4541_5431; // "QF-FEAT1"
/// Seed of the band-key hash.
pub const BAND_SEED: u64 = 0x5146_2d42_414e_4431; // "QF-BAND1"
/// Start of the SplitMix64 sequence that gives the permutation seeds.
pub const SEED_BASE: u64 = 0x5146_2d4d_494e_4831; // "QF-MINH1"

const fn splitmix64(state: u64) -> (u64, u64) {
    let state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (state, z ^ (z >> 31))
}

const SEEDS: [u64; SIGNATURE_LEN] = {
    let mut seeds = [0u64; SIGNATURE_LEN];
    let mut state = SEED_BASE;
    let mut i = 0;
    while i < SIGNATURE_LEN {
        let (next, out) = splitmix64(state);
        state = next;
        seeds[i] = out;
        i += 1;
    }
    seeds
};

/// MurmurHash3's 64-bit finaliser: a bijection on u64 that mixes every bit.
#[inline]
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Why LSH parameters or stored signature bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("bands × rows must be between 1 and {SIGNATURE_LEN}, got {bands} × {rows}")]
    BadBanding { bands: usize, rows: usize },
    #[error("signature bytes are from scheme version {0}, this build reads version {SCHEME_VERSION}")]
    Version(u8),
    #[error("signature bytes have length {0}, expected {expected}", expected = 3 + 4 * SIGNATURE_LEN)]
    Length(usize),
}

/// How the signature is cut into bands. Two reports become candidates when
/// all `rows` values of at least one band agree, which happens with
/// probability `1 − (1 − s^rows)^bands` for Jaccard similarity `s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LshParams {
    bands: usize,
    rows: usize,
}

impl LshParams {
    /// 25 bands × 5 rows (125 of the 128 values): the S-curve's midpoint
    /// `(1/25)^(1/5)` ≈ 0.53. A pair at similarity 0.5 shares a band with
    /// probability 0.55, at 0.6 with 0.86, at 0.7 with 0.99; at 0.2 with
    /// 0.008. Re-worded reports measure 0.5–0.96 (median 0.77), so about
    /// 99 % of them are found, while 32 × 4 would find 99.9 % at six times
    /// the false candidates to fetch and re-rank (see the tests).
    pub const DEFAULT: LshParams = LshParams { bands: 25, rows: 5 };

    pub fn new(bands: usize, rows: usize) -> Result<Self, FingerprintError> {
        match bands.checked_mul(rows) {
            Some(n) if (1..=SIGNATURE_LEN).contains(&n) => Ok(LshParams { bands, rows }),
            _ => Err(FingerprintError::BadBanding { bands, rows }),
        }
    }

    pub fn bands(&self) -> usize {
        self.bands
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Probability that a pair with Jaccard similarity `s` shares a band.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.clamp(0.0, 1.0).powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The similarity where the S-curve is steepest, `(1/bands)^(1/rows)`.
    pub fn threshold(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }
}

impl Default for LshParams {
    fn default() -> Self {
        LshParams::DEFAULT
    }
}

/// The feature set of a token sequence: a hash of every word, plus
/// `ENTITY_WEIGHT − 1` more for each fact word; sorted, without repeats.
pub fn features<S: AsRef<str>>(tokens: &[S]) -> Vec<u64> {
    let mut buf = Vec::with_capacity(64);
    let mut out = Vec::with_capacity(tokens.len() * 2);
    for t in tokens {
        let t = t.as_ref();
        out.push(xxh3_64_with_seed(t.as_bytes(), FEATURE_SEED));
        if is_entity(t) {
            for copy in 1..ENTITY_WEIGHT {
                buf.clear();
                buf.extend_from_slice(t.as_bytes());
                buf.extend_from_slice(&[0x1E, copy]);
                out.push(xxh3_64_with_seed(&buf, FEATURE_SEED));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, repeat-free feature sets.
/// Two empty sets have similarity 0: an empty report duplicates nothing.
pub fn jaccard_features(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 { 0.0 } else { common as f64 / union as f64 }
}

/// Exact (entity-weighted) Jaccard similarity of two token sequences over
/// their feature sets, for re-ranking candidates.
pub fn jaccard<S: AsRef<str>, T: AsRef<str>>(a_tokens: &[S], b_tokens: &[T]) -> f64 {
    jaccard_features(&features(a_tokens), &features(b_tokens))
}

/// A MinHash signature of [`SIGNATURE_LEN`] 32-bit values.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    values: [u32; SIGNATURE_LEN],
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Signature({:08x} {:08x} {:08x} {:08x} …)",
            self.values[0], self.values[1], self.values[2], self.values[3]
        )
    }
}

/// Value of every slot of the signature of an empty feature set.
const EMPTY: u32 = u32::MAX;

impl Signature {
    /// MinHash of a feature set (see [`features`]).
    pub fn from_features(features: &[u64]) -> Signature {
        let mut mins = [u64::MAX; SIGNATURE_LEN];
        for &f in features {
            for (min, seed) in mins.iter_mut().zip(SEEDS.iter()) {
                let h = fmix64(f ^ seed);
                if h < *min {
                    *min = h;
                }
            }
        }
        let mut values = [EMPTY; SIGNATURE_LEN];
        if !features.is_empty() {
            for (v, m) in values.iter_mut().zip(mins) {
                *v = (m >> 32) as u32;
            }
        }
        Signature { values }
    }

    /// MinHash of a text: tokenised, then [`features`].
    pub fn of_text(text: &str) -> Signature {
        Signature::from_features(&features(&tokenize(text)))
    }

    /// True for the signature of a text without any word.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(|&v| v == EMPTY)
    }

    pub fn values(&self) -> &[u32; SIGNATURE_LEN] {
        &self.values
    }

    /// Estimated Jaccard similarity: the share of slots that agree. An empty
    /// signature is similar to nothing.
    pub fn estimate_similarity(&self, other: &Signature) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let same = self.values.iter().zip(other.values.iter()).filter(|(a, b)| a == b).count();
        same as f64 / SIGNATURE_LEN as f64
    }

    /// One key per band, in band order; none for an empty signature (it
    /// must not match every other empty report).
    pub fn band_keys(&self, params: LshParams) -> Vec<u64> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut buf = Vec::with_capacity(2 + 4 * params.rows);
        self.values
            .chunks_exact(params.rows)
            .take(params.bands)
            .enumerate()
            .map(|(band, rows)| {
                buf.clear();
                buf.extend_from_slice(&(band as u16).to_le_bytes());
                for v in rows {
                    buf.extend_from_slice(&v.to_le_bytes());
                }
                xxh3_64_with_seed(&buf, BAND_SEED)
            })
            .collect()
    }

    /// [`Signature::band_keys`] with the default banding, as the store keeps
    /// them: the key's bits in an `i64` (an SQL `BIGINT`).
    pub fn stored_band_keys(&self) -> Vec<i64> {
        self.band_keys(LshParams::DEFAULT).into_iter().map(|k| k as i64).collect()
    }

    /// Compact storage form: `SCHEME_VERSION`, `SIGNATURE_LEN` as u16 LE,
    /// then the values as u32 LE (515 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(3 + 4 * SIGNATURE_LEN);
        out.push(SCHEME_VERSION);
        out.extend_from_slice(&(SIGNATURE_LEN as u16).to_le_bytes());
        for v in &self.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, FingerprintError> {
        if bytes.len() != 3 + 4 * SIGNATURE_LEN {
            return Err(FingerprintError::Length(bytes.len()));
        }
        if bytes[0] != SCHEME_VERSION {
            return Err(FingerprintError::Version(bytes[0]));
        }
        if u16::from_le_bytes([bytes[1], bytes[2]]) as usize != SIGNATURE_LEN {
            return Err(FingerprintError::Length(bytes.len()));
        }
        let mut values = [0u32; SIGNATURE_LEN];
        for (v, chunk) in values.iter_mut().zip(bytes[3..].chunks_exact(4)) {
            *v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Ok(Signature { values })
    }
}

/// 64-bit SimHash of a feature set: bit `k` is set when more features have
/// bit `k` of `fmix64(feature)` set than not. Cheaper to store and compare
/// than a signature but coarser; use [`hamming`] (≤ 3 of 64 bits for a
/// near-copy) as a quick exact-copy filter, not for re-worded reports.
pub fn simhash(features: &[u64]) -> u64 {
    let mut votes = [0i32; 64];
    for &f in features {
        let h = fmix64(f);
        for (k, vote) in votes.iter_mut().enumerate() {
            *vote += if h >> k & 1 == 1 { 1 } else { -1 };
        }
    }
    votes.iter().enumerate().filter(|(_, v)| **v > 0).fold(0u64, |acc, (k, _)| acc | 1 << k)
}

/// Number of differing bits.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Everything dedup needs about one report, computed once at intake.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// The report's words, for re-ranking with [`jaccard`] and for display.
    pub tokens: Vec<String>,
    /// Sorted feature hashes ([`features`]).
    pub features: Vec<u64>,
    pub signature: Signature,
    pub simhash: u64,
}

impl Fingerprint {
    pub fn of_text(text: &str) -> Fingerprint {
        let tokens = tokenize(text);
        let features = features(&tokens);
        let signature = Signature::from_features(&features);
        let simhash = simhash(&features);
        Fingerprint { tokens, features, signature, simhash }
    }

    pub fn band_keys(&self, params: LshParams) -> Vec<u64> {
        self.signature.band_keys(params)
    }

    /// Exact Jaccard similarity of the two feature sets.
    pub fn jaccard(&self, other: &Fingerprint) -> f64 {
        jaccard_features(&self.features, &other.features)
    }
}
