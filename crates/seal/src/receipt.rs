//! 查询码: the 16-digit receipt a reporter gets at submission and uses to
//! follow the report (GlobaLeaks does the same, whistleblowing.md §1.2).
//!
//! Only an argon2id hash is stored. The salt is deployment-wide (from the
//! config), not per code, so that the store can find a report by the hash
//! of the code the reporter types — a per-code salt would need the report
//! first. With ~53 bits of code and argon2id at about 20 ms a guess, offline
//! guessing is out of reach; online guessing must be throttled by the web
//! layer.

use crate::SealError;
use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::{PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Params, Version};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Number of digits in a code.
pub const DIGITS: usize = 16;

/// A receipt code in the clear: 16 ASCII digits. Zeroized on drop; `Debug`
/// is redacted. Show it to the reporter once with [`ReceiptCode::grouped`].
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ReceiptCode([u8; DIGITS]);

impl fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptCode([redacted])")
    }
}

impl ReceiptCode {
    /// A uniformly random code from the operating system's CSPRNG.
    pub fn generate() -> Result<ReceiptCode, SealError> {
        const SPACE: u64 = 10_000_000_000_000_000; // 10^16
        // Reject the top partial range so that every code is equally likely.
        const LIMIT: u64 = u64::MAX - u64::MAX % SPACE;
        loop {
            let mut b = [0u8; 8];
            crate::os_random(&mut b)?;
            let mut n = u64::from_le_bytes(b);
            b.zeroize();
            if n >= LIMIT {
                continue;
            }
            n %= SPACE;
            let mut digits = [b'0'; DIGITS];
            for d in digits.iter_mut().rev() {
                *d = b'0' + (n % 10) as u8;
                n /= 10;
            }
            return Ok(ReceiptCode(digits));
        }
    }

    /// Parses a typed code: 16 digits, with any spaces or dashes (ASCII or
    /// full-width) between them.
    pub fn parse(text: &str) -> Result<ReceiptCode, SealError> {
        let mut digits = [0u8; DIGITS];
        let mut n = 0;
        for c in text.chars() {
            match c {
                ' ' | '-' | '\u{3000}' | '－' | '\t' => {}
                '0'..='9' if n < DIGITS => {
                    digits[n] = c as u8;
                    n += 1;
                }
                '０'..='９' if n < DIGITS => {
                    digits[n] = b'0' + (c as u32 - '０' as u32) as u8;
                    n += 1;
                }
                _ => {
                    digits.zeroize();
                    return Err(SealError::Receipt("a receipt code is 16 digits"));
                }
            }
        }
        if n != DIGITS {
            digits.zeroize();
            return Err(SealError::Receipt("a receipt code is 16 digits"));
        }
        Ok(ReceiptCode(digits))
    }

    /// `1234 5678 9012 3456`.
    pub fn grouped(&self) -> String {
        let mut s = String::with_capacity(DIGITS + 3);
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                s.push(' ');
            }
            s.push(*d as char);
        }
        s
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Hashes and verifies receipt codes with argon2id and the deployment salt.
#[derive(Clone)]
pub struct ReceiptHasher {
    salt: Vec<u8>,
    params: Params,
}

impl fmt::Debug for ReceiptHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ReceiptHasher {{ m: {}, t: {}, p: {} }}",
            self.params.m_cost(),
            self.params.t_cost(),
            self.params.p_cost()
        )
    }
}

impl ReceiptHasher {
    /// The argon2 defaults that passwords use too (`domain::auth`: 19 MiB, 2 passes).
    pub fn new(salt: &[u8]) -> Result<ReceiptHasher, SealError> {
        ReceiptHasher::with_params(salt, Params::DEFAULT)
    }

    /// Custom parameters (cheap ones in tests). Changing them in production
    /// changes every hash, so stored codes would no longer be found.
    pub fn with_params(salt: &[u8], params: Params) -> Result<ReceiptHasher, SealError> {
        if !(16..=48).contains(&salt.len()) {
            return Err(SealError::Receipt("the receipt salt must be 16–48 bytes"));
        }
        Ok(ReceiptHasher { salt: salt.to_vec(), params })
    }

    fn argon2(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// The PHC string to store (and to look the report up by).
    pub fn hash(&self, code: &ReceiptCode) -> Result<String, SealError> {
        ReceiptHasher::argon2(self.params.clone())
            .hash_password_with_salt(code.as_bytes(), &self.salt)
            .map(|h| h.to_string())
            .map_err(|_| SealError::Receipt("hashing failed"))
    }

    /// Whether `code` matches the stored hash, comparing in constant time.
    /// A malformed or non-argon2id hash never matches.
    pub fn verify(code: &ReceiptCode, stored: &str) -> bool {
        let Ok(phc) = PasswordHash::new(stored) else { return false };
        if phc.algorithm.as_str() != "argon2id" {
            return false;
        }
        let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else { return false };
        let Ok(params) = Params::try_from(&phc) else { return false };
        let mut out = vec![0u8; expected.len()];
        let ok = ReceiptHasher::argon2(params).hash_password_into(code.as_bytes(), salt_bytes(&salt), &mut out).is_ok()
            && bool::from(out.ct_eq(expected.as_bytes()));
        out.zeroize();
        ok
    }
}

fn salt_bytes(s: &Salt) -> &[u8] {
    s.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> ReceiptHasher {
        // Cheap parameters keep the tests fast; verification reads them from the hash.
        ReceiptHasher::with_params(b"qingfeng-test-salt", Params::new(64, 1, 1, None).unwrap()).unwrap()
    }

    #[test]
    fn generated_codes_are_sixteen_digits_and_differ() {
        let a = ReceiptCode::generate().unwrap();
        let b = ReceiptCode::generate().unwrap();
        assert!(a.as_bytes().iter().all(u8::is_ascii_digit));
        assert_ne!(a, b);
    }

    #[test]
    fn codes_display_in_groups_of_four_and_parse_back_with_spaces_or_dashes() {
        let c = ReceiptCode::parse("1234567890123456").unwrap();
        assert_eq!(c.grouped(), "1234 5678 9012 3456");
        for typed in [
            "1234 5678 9012 3456",
            "1234-5678-9012-3456",
            " 1234－5678　9012 3456 ",
            "１２３４５６７８９０１２３４５６",
        ] {
            assert_eq!(ReceiptCode::parse(typed).unwrap(), c, "{typed}");
        }
        for bad in ["", "123456789012345", "12345678901234567", "1234 5678 9012 345a"] {
            assert!(ReceiptCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn receipt_code_verifies_and_a_wrong_code_does_not() {
        let h = hasher();
        let code = ReceiptCode::generate().unwrap();
        let stored = h.hash(&code).unwrap();
        assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
        assert!(ReceiptHasher::verify(&code, &stored));
        let wrong = ReceiptCode::parse("0000 0000 0000 0000").unwrap();
        assert!(!ReceiptHasher::verify(&wrong, &stored));
        assert!(!ReceiptHasher::verify(&code, "not a hash"));
    }

    #[test]
    fn the_hash_is_deterministic_for_lookup_and_never_contains_the_code() {
        let h = hasher();
        let code = ReceiptCode::parse("1234567890123456").unwrap();
        let a = h.hash(&code).unwrap();
        assert_eq!(a, h.hash(&code).unwrap());
        assert!(!a.contains("1234567890123456"));
        assert!(!format!("{code:?} {h:?}").contains("1234"), "Debug is redacted");
    }

    #[test]
    fn default_parameters_are_the_password_ones() {
        let code = ReceiptCode::parse("1234567890123456").unwrap();
        let stored = ReceiptHasher::new(b"qingfeng-test-salt").unwrap().hash(&code).unwrap();
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
        assert!(ReceiptHasher::verify(&code, &stored));
    }

    #[test]
    fn short_salts_are_refused() {
        assert!(ReceiptHasher::new(b"short").is_err());
    }
}
