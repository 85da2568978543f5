//! Reporter-identity sealing and receipt codes for 信访举报.
//!
//! - [`key`]: 128-bit SM4 keys loaded from a config string or a key file,
//!   and a [`key::Keyring`] so that keys can rotate. Errors never print a key.
//! - [`envelope`]: SM4-GCM (GB/T 32907 block cipher in the NIST SP 800-38D
//!   GCM mode, as RFC 8998 specifies) with a random 96-bit nonce per seal and
//!   the record id as associated data, in a versioned text envelope
//!   `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`.
//! - [`identity`]: the reporter identity in the clear — zeroized on drop,
//!   `Debug` prints `[redacted]`.
//! - [`receipt`]: the 16-digit 查询码, stored only as an argon2id hash.
//!
//! Nothing here touches a database; the store keeps the envelope text and the
//! receipt hash, the web layer asks for a release through `domain`.

pub mod envelope;
pub mod identity;
pub mod key;
pub mod receipt;

pub use envelope::Sealed;
pub use identity::ReporterIdentity;
pub use key::{KeyId, Keyring, SealKey};
pub use receipt::{ReceiptCode, ReceiptHasher};

/// What went wrong. No variant carries key material or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// A key could not be read; the reason never includes the key.
    #[error("seal key {what}: {reason}")]
    BadKey { what: String, reason: String },
    /// The envelope names a key that is not in the keyring.
    #[error("no seal key with id `{0}` is loaded")]
    UnknownKey(String),
    /// The text is not a `v1:` envelope.
    #[error("not a sealed value: {0}")]
    Malformed(&'static str),
    /// Authentication failed: wrong key, wrong record, or tampered data.
    /// The three are deliberately indistinguishable.
    #[error("the sealed value cannot be opened (wrong key, wrong record, or altered)")]
    OpenFailed,
    /// The operating system's random source failed.
    #[error("the system random source failed")]
    Random,
    /// A receipt code or its hash is unusable.
    #[error("receipt: {0}")]
    Receipt(&'static str),
}

/// Fills `buf` from the operating system's CSPRNG.
pub(crate) fn os_random(buf: &mut [u8]) -> Result<(), SealError> {
    use rand::TryRngCore;
    rand::rngs::OsRng.try_fill_bytes(buf).map_err(|_| SealError::Random)
}
