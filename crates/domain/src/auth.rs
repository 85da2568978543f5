//! Login rules: password policy, argon2id hashing, lock-out and idle timeout.

use crate::msg::Msg;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use jiff::{SignedDuration, Timestamp};

/// Lock-out and session limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Consecutive wrong passwords that lock the account.
    pub max_failures: u32,
    /// How long a locked account stays locked.
    pub lockout: SignedDuration,
    /// A session unused for this long is over.
    pub idle_timeout: SignedDuration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lockout: SignedDuration::from_mins(15),
            idle_timeout: SignedDuration::from_mins(30),
        }
    }
}

/// The outcome of one wrong password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureOutcome {
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
}

impl LoginPolicy {
    /// Counts a wrong password; the `max_failures`-th one locks the account.
    pub fn after_failure(&self, failures_so_far: u32, now: Timestamp) -> FailureOutcome {
        let failures = failures_so_far.saturating_add(1);
        let locked_until = (failures >= self.max_failures).then(|| now + self.lockout);
        FailureOutcome { failures, locked_until }
    }

    pub fn is_locked(&self, locked_until: Option<Timestamp>, now: Timestamp) -> bool {
        locked_until.is_some_and(|t| t > now)
    }

    pub fn is_idle_expired(&self, last_seen: Timestamp, now: Timestamp) -> bool {
        now.duration_since(last_seen) >= self.idle_timeout
    }
}

/// Password policy: at least 8 characters and at least 3 of the 4 classes
/// (lower case, upper case, digits, other symbols); not containing the
/// username; at most 128 characters.
pub fn check_password_policy(password: &str, username: &str) -> Result<(), Msg> {
    let n = password.chars().count();
    if n < 8 {
        return Err(Msg::new("密码至少8位", "at least 8 characters"));
    }
    if n > 128 {
        return Err(Msg::new("密码不能超过128位", "at most 128 characters"));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_digit() && !c.is_lowercase() && !c.is_uppercase()),
    ];
    if classes.iter().filter(|&&c| c).count() < 3 {
        return Err(Msg::new(
            "须包含大写字母、小写字母、数字、符号中的至少三类",
            "must mix at least three of: upper case, lower case, digits, symbols",
        ));
    }
    let user = username.trim().to_lowercase();
    if user.len() >= 3 && password.to_lowercase().contains(&user) {
        return Err(Msg::new("密码不能包含用户名", "must not contain the username"));
    }
    Ok(())
}

/// Usernames: 3–32 characters of `a-z 0-9 . _ -`, starting with a letter;
/// stored in lower case.
pub fn validate_username(input: &str) -> Result<String, Msg> {
    let u = input.trim().to_lowercase();
    let n = u.chars().count();
    if !(3..=32).contains(&n) {
        return Err(Msg::new("用户名须为3到32个字符", "must be 3 to 32 characters"));
    }
    if !u.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Msg::new("用户名须以英文字母开头", "must start with a letter"));
    }
    if !u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
        return Err(Msg::new("用户名只能包含英文字母、数字和 . _ -", "only letters, digits and . _ - are allowed"));
    }
    Ok(u)
}

/// Hashes a password with argon2id (v19, default parameters: 19 MiB, 2
/// passes) and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        // Hashing only fails for out-of-range parameters, which are constants here.
        .unwrap_or_else(|e| panic!("argon2 hashing failed with default parameters: {e}"))
}

/// Verifies a password against a PHC string; a malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the username does not exist, so that a
/// wrong username takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-Password-1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_needs_eight_characters() {
        assert!(check_password_policy("Ab1!", "u").is_err());
        assert!(check_password_policy("Abcdef1!", "u").is_ok());
    }

    #[test]
    fn password_needs_three_of_four_classes() {
        assert!(check_password_policy("abcdefgh", "u").is_err());
        assert!(check_password_policy("abcdefg1", "u").is_err());
        assert!(check_password_policy("abcdef1!", "u").is_ok());
        assert!(check_password_policy("ABCDEF1a", "u").is_ok());
        assert!(check_password_policy("清风清风清风a1", "u").is_ok(), "Chinese counts as a symbol class");
    }

    #[test]
    fn password_must_not_contain_username() {
        assert!(check_password_policy("Zhangsan-2026", "zhangsan").is_err());
    }

    #[test]
    fn usernames_are_lower_cased_and_restricted() {
        assert_eq!(validate_username(" Wang.JG ").unwrap(), "wang.jg");
        for bad in ["ab", "1abc", "王建国", "a b c", &"x".repeat(33)] {
            assert!(validate_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hash_is_argon2id_and_verifies() {
        let h = hash_password("Qingfeng@2026");
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("Qingfeng@2026", &h));
        assert!(!verify_password("qingfeng@2026", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(h, hash_password("Qingfeng@2026"), "salted");
    }

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let p = LoginPolicy::default();
        let now: Timestamp = "2026-11-23T02:00:00Z".parse().unwrap();
        let mut failures = 0;
        for _ in 0..4 {
            let o = p.after_failure(failures, now);
            assert_eq!(o.locked_until, None);
            failures = o.failures;
        }
        let o = p.after_failure(failures, now);
        assert_eq!(o.failures, 5);
        let until = o.locked_until.unwrap();
        assert_eq!(until, now + SignedDuration::from_mins(15));
        assert!(p.is_locked(Some(until), now + SignedDuration::from_mins(14)));
        assert!(!p.is_locked(Some(until), until));
    }

    #[test]
    fn idle_session_expires_after_thirty_minutes() {
        let p = LoginPolicy::default();
        let t: Timestamp = "2026-11-23T02:00:00Z".parse().unwrap();
        assert!(!p.is_idle_expired(t, t + SignedDuration::from_mins(29)));
        assert!(p.is_idle_expired(t, t + SignedDuration::from_mins(30)));
    }
}
