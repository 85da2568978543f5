//! The SM4-GCM envelope.
//!
//! ```text
//! v1:<key id>:<base64url, no padding: nonce (12 B) ‖ ciphertext ‖ tag (16 B)>
//! ```
//! The associated data binds the ciphertext to its place: a domain label,
//! the key id and the id of the record it belongs to (for a reporter
//! identity: the report id). An envelope copied onto another report, or
//! relabelled with another key id, fails to open.

use crate::SealError;
use crate::key::{KeyId, Keyring, SealKey};
use aes_gcm::AesGcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine as _;
use sm4::Sm4;
use sm4::cipher::consts::U12;
use std::fmt;
use zeroize::Zeroizing;

/// SM4-GCM with a 96-bit nonce and a 128-bit tag (RFC 8998 `TLS_SM4_GCM_SM3`'s AEAD).
type Sm4Gcm = AesGcm<Sm4, U12>;

const VERSION: &str = "v1";
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const AAD_LABEL: &[u8] = b"qingfeng/seal/v1\0";

/// A sealed value as stored. `Debug` shows the version and key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(String);

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key_id() {
            Some(k) => write!(f, "Sealed({VERSION}, key {k}, [redacted])"),
            None => f.write_str("Sealed([redacted])"),
        }
    }
}

impl Sealed {
    /// Reads a stored envelope, checking its shape (not its authenticity).
    pub fn parse(text: &str) -> Result<Sealed, SealError> {
        let mut parts = text.splitn(3, ':');
        let (Some(v), Some(k), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(SealError::Malformed("expected v1:<key id>:<data>"));
        };
        if v != VERSION {
            return Err(SealError::Malformed("unknown envelope version"));
        }
        KeyId::parse(k).map_err(|_| SealError::Malformed("bad key id"))?;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed("data is not base64url"))?;
        if raw.len() < NONCE_LEN + TAG_LEN {
            return Err(SealError::Malformed("data too short"));
        }
        Ok(Sealed(text.to_string()))
    }

    /// The text to store.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the key that sealed it.
    pub fn key_id(&self) -> Option<&str> {
        self.0.split(':').nth(1)
    }

    fn body(&self) -> Result<Vec<u8>, SealError> {
        let body = self.0.splitn(3, ':').nth(2).ok_or(SealError::Malformed("no data"))?;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).map_err(|_| SealError::Malformed("bad data"))
    }
}

fn aad(key: &KeyId, bound_to: &[u8]) -> Vec<u8> {
    let mut a = Vec::with_capacity(AAD_LABEL.len() + key.as_str().len() + 1 + bound_to.len());
    a.extend_from_slice(AAD_LABEL);
    a.extend_from_slice(key.as_str().as_bytes());
    a.push(0);
    a.extend_from_slice(bound_to);
    a
}

fn cipher(key: &SealKey) -> Sm4Gcm {
    Sm4Gcm::new(key.bytes().into())
}

/// Seals `plaintext` under `key`, bound to the record `bound_to` (e.g. the
/// report id's 16 bytes). A fresh random nonce is drawn every time.
pub fn seal_with(key: &SealKey, plaintext: &[u8], bound_to: &[u8]) -> Result<Sealed, SealError> {
    let mut nonce = [0u8; NONCE_LEN];
    crate::os_random(&mut nonce)?;
    let ct = cipher(key)
        .encrypt(&nonce.into(), Payload { msg: plaintext, aad: &aad(key.id(), bound_to) })
        .map_err(|_| SealError::Malformed("plaintext too long"))?;
    let mut raw = Vec::with_capacity(NONCE_LEN + ct.len());
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&ct);
    Ok(Sealed(format!("{VERSION}:{}:{}", key.id(), base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))))
}

/// Opens an envelope with `key` for the record `bound_to`.
pub fn open_with(key: &SealKey, sealed: &Sealed, bound_to: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
    if sealed.key_id() != Some(key.id().as_str()) {
        return Err(SealError::OpenFailed);
    }
    let raw = sealed.body()?;
    let (nonce, ct) = raw.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Malformed("bad nonce"))?;
    cipher(key)
        .decrypt(&nonce.into(), Payload { msg: ct, aad: &aad(key.id(), bound_to) })
        .map(Zeroizing::new)
        .map_err(|_| SealError::OpenFailed)
}

impl Keyring {
    /// Seals with the current key.
    pub fn seal(&self, plaintext: &[u8], bound_to: &[u8]) -> Result<Sealed, SealError> {
        seal_with(self.current(), plaintext, bound_to)
    }

    /// Opens with whichever loaded key the envelope names.
    pub fn open(&self, sealed: &Sealed, bound_to: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let id = sealed.key_id().ok_or(SealError::Malformed("no key id"))?;
        let key = self.get(id).ok_or_else(|| SealError::UnknownKey(id.to_string()))?;
        open_with(key, sealed, bound_to)
    }

    /// Whether the envelope was sealed with an older key.
    pub fn needs_reseal(&self, sealed: &Sealed) -> bool {
        sealed.key_id() != Some(self.current().id().as_str())
    }

    /// Opens with the old key and seals again with the current one.
    pub fn reseal(&self, sealed: &Sealed, bound_to: &[u8]) -> Result<Sealed, SealError> {
        let plain = self.open(sealed, bound_to)?;
        self.seal(&plain, bound_to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::AeadInOut;

    const REPORT: &[u8] = &[7u8; 16];
    const OTHER: &[u8] = &[8u8; 16];

    fn ring() -> Keyring {
        Keyring::new(SealKey::generate("k2026").unwrap())
    }

    #[test]
    fn sm4_gcm_matches_the_rfc_8998_test_vector() {
        // RFC 8998 Appendix A.1 (SM4-GCM).
        let key: [u8; 16] = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap().try_into().unwrap();
        let nonce: [u8; 12] = hex::decode("00001234567800000000ABCD").unwrap().try_into().unwrap();
        let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").unwrap();
        let pt = hex::decode(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD\
             EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        )
        .unwrap();
        let mut buf = pt.clone();
        let tag =
            Sm4Gcm::new(&key.into()).encrypt_inout_detached(&nonce.into(), &aad, buf.as_mut_slice().into()).unwrap();
        assert_eq!(
            hex::encode_upper(&buf),
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735\
             D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        );
        assert_eq!(hex::encode_upper(tag), "83DE3541E4C2B58177E065A9BF7B62EC");
    }

    #[test]
    fn sealing_round_trips() {
        let r = ring();
        let s = r.seal("张三 110105194912310021".as_bytes(), REPORT).unwrap();
        assert!(s.as_str().starts_with("v1:k2026:"), "{}", s.as_str());
        let back = r.open(&Sealed::parse(s.as_str()).unwrap(), REPORT).unwrap();
        assert_eq!(back.as_slice(), "张三 110105194912310021".as_bytes());
    }

    #[test]
    fn the_same_plaintext_seals_differently_each_time() {
        let r = ring();
        assert_ne!(r.seal(b"x", REPORT).unwrap(), r.seal(b"x", REPORT).unwrap());
    }

    #[test]
    fn a_wrong_key_fails_to_open() {
        let s = ring().seal(b"identity", REPORT).unwrap();
        let other = Keyring::new(SealKey::generate("k2026").unwrap());
        assert_eq!(other.open(&s, REPORT), Err(SealError::OpenFailed));
        let stranger = Keyring::new(SealKey::generate("k2027").unwrap());
        assert_eq!(stranger.open(&s, REPORT), Err(SealError::UnknownKey("k2026".into())));
    }

    #[test]
    fn an_envelope_copied_to_another_report_fails_to_open() {
        let r = ring();
        let s = r.seal(b"identity", REPORT).unwrap();
        assert_eq!(r.open(&s, OTHER), Err(SealError::OpenFailed));
    }

    #[test]
    fn tampered_ciphertext_fails_to_open() {
        let r = ring();
        let s = r.seal(b"identity of the reporter", REPORT).unwrap();
        let (head, body) = s.as_str().rsplit_once(':').unwrap();
        let mut raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).unwrap();
        for i in [0, NONCE_LEN, raw.len() - 1] {
            raw[i] ^= 1;
            let t = format!("{head}:{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw));
            assert_eq!(r.open(&Sealed::parse(&t).unwrap(), REPORT), Err(SealError::OpenFailed), "byte {i}");
            raw[i] ^= 1;
        }
        let cut = &s.as_str()[..s.as_str().len() - 4];
        assert!(Sealed::parse(cut).is_err() || r.open(&Sealed::parse(cut).unwrap(), REPORT).is_err());
    }

    #[test]
    fn relabelling_the_key_id_fails_to_open() {
        let k1 = SealKey::from_bytes("k1", [1; 16]).unwrap();
        let k2 = SealKey::from_bytes("k2", [1; 16]).unwrap();
        let s = seal_with(&k1, b"identity", REPORT).unwrap();
        let relabelled = Sealed::parse(&s.as_str().replacen("v1:k1:", "v1:k2:", 1)).unwrap();
        assert_eq!(open_with(&k2, &relabelled, REPORT), Err(SealError::OpenFailed));
    }

    #[test]
    fn the_plaintext_does_not_appear_in_the_envelope_or_debug() {
        let r = ring();
        let secret = "王小明13812345678";
        let s = r.seal(secret.as_bytes(), REPORT).unwrap();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
        for shown in [s.as_str().to_string(), format!("{s:?}"), format!("{r:?}")] {
            assert!(!shown.contains(secret) && !shown.contains(&b64) && !shown.contains("13812345678"), "{shown}");
        }
        assert!(format!("{s:?}").contains("redacted"));
    }

    #[test]
    fn rotation_opens_old_envelopes_and_reseals_with_the_current_key() {
        let old = SealKey::generate("k2025").unwrap();
        let s = seal_with(&old, b"identity", REPORT).unwrap();
        let r = Keyring::new(SealKey::generate("k2026").unwrap()).with_old(old).unwrap();
        assert!(r.needs_reseal(&s));
        let fresh = r.reseal(&s, REPORT).unwrap();
        assert!(!r.needs_reseal(&fresh));
        assert_eq!(r.open(&fresh, REPORT).unwrap().as_slice(), b"identity");
    }

    #[test]
    fn malformed_envelopes_are_refused() {
        for t in ["", "v1", "v2:k1:AAAA", "v1:K!:AAAA", "v1:k1:***", "v1:k1:AAAA"] {
            assert!(matches!(Sealed::parse(t), Err(SealError::Malformed(_))), "{t}");
        }
    }
}
