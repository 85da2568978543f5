//! The reporter's identity (实名检举控告: name, ID number, phone, and
//! optionally work unit and address) in the clear. It exists only between
//! intake and sealing, and after an approved release; it is zeroized on
//! drop and never printed.

use crate::SealError;
use crate::envelope::Sealed;
use crate::key::Keyring;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Encoding version byte, inside the ciphertext.
const FORMAT: u8 = 1;

#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ReporterIdentity {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub unit: String,
    pub address: String,
}

impl fmt::Debug for ReporterIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl ReporterIdentity {
    fn fields(&self) -> [&str; 5] {
        [&self.name, &self.id_number, &self.phone, &self.unit, &self.address]
    }

    /// Length-prefixed UTF-8 fields after a format byte.
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(1 + self.fields().iter().map(|f| 4 + f.len()).sum::<usize>()));
        out.push(FORMAT);
        for f in self.fields() {
            out.extend_from_slice(&(f.len() as u32).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    fn decode(bytes: &[u8]) -> Result<ReporterIdentity, SealError> {
        let bad = SealError::Malformed("identity encoding");
        let (&format, mut rest) = bytes.split_first().ok_or(bad.clone())?;
        if format != FORMAT {
            return Err(SealError::Malformed("unknown identity format"));
        }
        let mut fields: Vec<String> = Vec::with_capacity(5);
        for _ in 0..5 {
            let (len, tail) = rest.split_at_checked(4).ok_or(bad.clone())?;
            let len = u32::from_be_bytes(len.try_into().map_err(|_| bad.clone())?) as usize;
            let (text, tail) = tail.split_at_checked(len).ok_or(bad.clone())?;
            fields.push(std::str::from_utf8(text).map_err(|_| bad.clone())?.to_string());
            rest = tail;
        }
        if !rest.is_empty() {
            fields.zeroize();
            return Err(bad);
        }
        let mut it = fields.into_iter();
        let mut next = || it.next().unwrap_or_default();
        Ok(ReporterIdentity { name: next(), id_number: next(), phone: next(), unit: next(), address: next() })
    }

    /// Seals the identity with the keyring's current key, bound to the report.
    pub fn seal(&self, keys: &Keyring, report_id: &[u8]) -> Result<Sealed, SealError> {
        keys.seal(&self.encode(), report_id)
    }

    /// Opens a sealed identity of `report_id`. Callers must have recorded an
    /// approved release (`domain::access::Action::ReleaseIdentity`) first.
    pub fn open(keys: &Keyring, sealed: &Sealed, report_id: &[u8]) -> Result<ReporterIdentity, SealError> {
        let plain = keys.open(sealed, report_id)?;
        ReporterIdentity::decode(&plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::SealKey;

    fn who() -> ReporterIdentity {
        ReporterIdentity {
            name: "王小明".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            unit: "安澜市某局".into(),
            address: String::new(),
        }
    }

    #[test]
    fn identity_round_trips_through_a_seal() {
        let keys = Keyring::new(SealKey::generate("k1").unwrap());
        let s = who().seal(&keys, b"report-1").unwrap();
        assert_eq!(ReporterIdentity::open(&keys, &s, b"report-1").unwrap(), who());
        assert!(ReporterIdentity::open(&keys, &s, b"report-2").is_err());
    }

    #[test]
    fn debug_of_an_identity_is_redacted() {
        let d = format!("{:?} {:#?}", who(), Some(who()));
        assert!(!d.contains("王小明") && !d.contains("138") && !d.contains("1101"), "{d}");
        assert!(d.contains("[redacted]"));
    }

    #[test]
    fn zeroize_clears_every_field() {
        let mut w = who();
        w.zeroize();
        assert!(w.fields().iter().all(|f| f.is_empty()));
    }

    #[test]
    fn truncated_or_padded_encodings_are_refused() {
        let e = who().encode();
        assert!(ReporterIdentity::decode(&e[..e.len() - 1]).is_err());
        let mut longer = e.to_vec();
        longer.push(0);
        assert!(ReporterIdentity::decode(&longer).is_err());
        assert_eq!(ReporterIdentity::decode(&e).unwrap(), who());
    }
}
