//! One-time receipts for forms anyone may send without signing in (群众评议
//! now, the 12388 intake next).
//!
//! The page that shows the form issues a token: a random nonce, what it is
//! for (a purpose and a record id) and when it was issued, MAC'd with the
//! server's [`FormKey`] (HMAC-SHA-256). The POST must bring it back within
//! its age; the store keeps only the SHA-256 of the token ([`receipt_hash`])
//! under a unique index, so the same token cannot be used twice, and a
//! token cannot be made up or moved to another record without the key. The
//! citizen is shown a short code from that hash ([`receipt_code`]).
//! Minting many tokens takes many page views, which the public page
//! throttle bounds per client.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

const VERSION: u8 = 1;
/// version ‖ subject (16) ‖ issued, unix seconds (8) ‖ nonce (16)
const BODY: usize = 1 + 16 + 8 + 16;
const TAG: usize = 32;

/// The server's key for form tokens. From configuration when several
/// processes serve one site (they must agree), else made at start.
#[derive(Clone, PartialEq, Eq)]
pub struct FormKey([u8; 32]);

impl FormKey {
    /// A fresh random key (tokens die with the process).
    pub fn random() -> FormKey {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        FormKey(k)
    }

    /// A key derived from a configured secret.
    pub fn from_secret(secret: &str) -> FormKey {
        let d = Sha256::new().chain_update(b"qingfeng form key v1\0").chain_update(secret.as_bytes()).finalize();
        let mut k = [0u8; 32];
        k.copy_from_slice(&d);
        FormKey(k)
    }

    fn mac(&self, purpose: &str, body: &[u8]) -> HmacSha256 {
        // A 32-byte key always fits HMAC.
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(body);
        m
    }
}

impl fmt::Debug for FormKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormKey(..)")
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token of ours, altered, or for another record.
    Invalid,
    /// Older than allowed (or issued in the future).
    Expired,
}

/// Now, in unix seconds: the clock tokens are minted and checked with.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A token for `purpose` on `subject`, issued at `now` (unix seconds).
pub fn mint(key: &FormKey, purpose: &str, subject: Uuid, now: i64) -> String {
    let mut body = Vec::with_capacity(BODY + TAG);
    body.push(VERSION);
    body.extend_from_slice(subject.as_bytes());
    body.extend_from_slice(&now.to_be_bytes());
    let mut nonce = [0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    body.extend_from_slice(&nonce);
    let tag = key.mac(purpose, &body).finalize().into_bytes();
    body.extend_from_slice(&tag);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(body)
}

/// Checks a token for `purpose` on `subject` at `now`: ours, unaltered, and
/// at most `max_age` seconds old (a minute of clock skew forgiven).
pub fn verify(
    key: &FormKey,
    purpose: &str,
    subject: Uuid,
    token: &str,
    now: i64,
    max_age: i64,
) -> Result<(), TokenError> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| TokenError::Invalid)?;
    if raw.len() != BODY + TAG || raw[0] != VERSION {
        return Err(TokenError::Invalid);
    }
    let (body, tag) = raw.split_at(BODY);
    key.mac(purpose, body).verify_slice(tag).map_err(|_| TokenError::Invalid)?;
    if &body[1..17] != subject.as_bytes() {
        return Err(TokenError::Invalid);
    }
    let mut at = [0u8; 8];
    at.copy_from_slice(&body[17..25]);
    let issued = i64::from_be_bytes(at);
    if issued > now + 60 || now - issued > max_age {
        return Err(TokenError::Expired);
    }
    Ok(())
}

/// What the store keeps of a used token: SHA-256, hex.
pub fn receipt_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// The short code shown to the citizen: the first 40 bits of the receipt
/// hash in Crockford base32, as `XXXX-XXXX`.
pub fn receipt_code(hash_hex: &str) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = hex::decode(hash_hex).unwrap_or_default();
    let mut v: u64 = 0;
    for b in bytes.iter().take(5) {
        v = (v << 8) | u64::from(*b);
    }
    let s: String = (0..8).rev().map(|i| ALPHABET[((v >> (i * 5)) & 31) as usize] as char).collect();
    format!("{}-{}", &s[..4], &s[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;

    #[test]
    fn a_token_verifies_for_its_purpose_and_record_only() {
        let k = FormKey::random();
        let p = Uuid::now_v7();
        let t = mint(&k, "rating", p, NOW);
        assert_eq!(verify(&k, "rating", p, &t, NOW + 10, 3600), Ok(()));
        assert_eq!(verify(&k, "report", p, &t, NOW, 3600), Err(TokenError::Invalid));
        assert_eq!(verify(&k, "rating", Uuid::now_v7(), &t, NOW, 3600), Err(TokenError::Invalid));
        assert_eq!(verify(&FormKey::random(), "rating", p, &t, NOW, 3600), Err(TokenError::Invalid));
        assert_ne!(t, mint(&k, "rating", p, NOW), "every token has its own nonce");
    }

    #[test]
    fn altered_or_old_tokens_are_refused() {
        let k = FormKey::from_secret("a configured secret");
        let p = Uuid::now_v7();
        let t = mint(&k, "rating", p, NOW);
        let mut raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&t).unwrap();
        raw[20] ^= 1; // move the issue time
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
        assert_eq!(verify(&k, "rating", p, &forged, NOW, 3600), Err(TokenError::Invalid));
        assert_eq!(verify(&k, "rating", p, "not a token", NOW, 3600), Err(TokenError::Invalid));
        assert_eq!(verify(&k, "rating", p, &t, NOW + 3601, 3600), Err(TokenError::Expired));
        assert_eq!(verify(&k, "rating", p, &t, NOW - 600, 3600), Err(TokenError::Expired));
        assert_eq!(FormKey::from_secret("a configured secret"), k, "processes sharing a secret agree");
    }

    #[test]
    fn the_receipt_code_is_short_and_follows_the_hash() {
        let h = receipt_hash("token");
        assert_eq!(h.len(), 64);
        let c = receipt_code(&h);
        assert_eq!(c.len(), 9);
        assert_eq!(c, receipt_code(&h));
        assert_ne!(c, receipt_code(&receipt_hash("other")));
        assert!(!c.contains(['I', 'L', 'O', 'U']));
    }
}
