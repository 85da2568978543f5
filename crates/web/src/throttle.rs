//! Per-client rate limits for the pages anyone may use without signing in
//! (开门整改 now, the 12388 intake next).
//!
//! A [`Throttle`] is one limit (`20/h`: a burst of 20, one more every three
//! minutes — GCRA, through `governor`'s keyed limiter). Clients are told
//! apart by their address ([`ClientAddr`]), but the limiter never holds the
//! address: it keys on a salted SHA-256 of it (the salt is made at start and
//! never leaves memory), and an IPv6 client counts by its /64, which is what
//! one subscriber gets. Nothing here is written to the database or the logs.
//! Over the limit is [`AppError::TooManyRequests`]: a 429 page with
//! `Retry-After`, never a 500.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A limit: `count` requests per `per`, as a burst that refills evenly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: NonZeroU32,
    pub per: Duration,
}

impl Limit {
    pub const fn new(count: NonZeroU32, per: Duration) -> Limit {
        Limit { count, per }
    }

    fn quota(&self) -> Quota {
        let one = (self.per / self.count.get()).max(Duration::from_millis(1));
        Quota::with_period(one).unwrap_or_else(|| Quota::per_second(self.count)).allow_burst(self.count)
    }
}

impl FromStr for Limit {
    type Err = String;
    /// `N/s`, `N/m`, `N/h` or `N/d` (also `N/10m`), e.g. `20/h`.
    fn from_str(s: &str) -> Result<Limit, String> {
        let bad = || format!("`{s}` is not a limit like 20/h (count/s|m|h|d)");
        let (n, unit) = s.trim().split_once('/').ok_or_else(bad)?;
        let count = n.trim().parse::<NonZeroU32>().map_err(|_| bad())?;
        let unit = unit.trim();
        let split = unit.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let times: u64 = if split == 0 { 1 } else { unit[..split].parse().map_err(|_| bad())? };
        let secs = match &unit[split..] {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        if times == 0 {
            return Err(bad());
        }
        Ok(Limit { count, per: Duration::from_secs(secs * times) })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.per.as_secs();
        match s {
            86_400 => write!(f, "{}/d", self.count),
            3600 => write!(f, "{}/h", self.count),
            60 => write!(f, "{}/m", self.count),
            1 => write!(f, "{}/s", self.count),
            _ => write!(f, "{}/{}s", self.count, s),
        }
    }
}

/// The client a request came from, for rate limits only. Taken from the
/// connection, or — behind a reverse proxy, when configured — from the
/// header the proxy sets (`X-Forwarded-For`: its last entry, the one the
/// proxy itself appended).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(Option<IpAddr>);

impl fmt::Debug for ClientAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientAddr(..)")
    }
}

impl ClientAddr {
    /// From the request: the configured header if any, else the peer.
    pub fn of(parts: &Parts, header: Option<&str>) -> ClientAddr {
        if let Some(h) = header {
            let ip =
                parts.headers.get(h).and_then(|v| v.to_str().ok()).and_then(|v| v.rsplit(',').next()).and_then(|v| {
                    let v = v.trim();
                    v.parse::<IpAddr>().ok().or_else(|| v.parse::<SocketAddr>().ok().map(|s| s.ip()))
                });
            return ClientAddr(ip);
        }
        ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
    }

    /// The bytes a client is counted by: IPv4 whole, IPv6 by its /64.
    fn bytes(&self) -> Vec<u8> {
        match self.0 {
            Some(IpAddr::V4(a)) => a.octets().to_vec(),
            Some(IpAddr::V6(a)) => match a.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => a.octets()[..8].to_vec(),
            },
            // Unknown peers share one bucket (limits hold all the same).
            None => Vec::new(),
        }
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr::of(parts, state.config.client_ip_header.as_deref()))
    }
}

/// One limit over all clients.
pub struct Throttle {
    limit: Limit,
    limiter: DefaultKeyedRateLimiter<u64>,
    salt: [u8; 32],
    checks: AtomicU64,
}

/// Forget idle clients after this many checks.
const SWEEP_EVERY: u64 = 4096;

impl Throttle {
    pub fn new(limit: Limit) -> Throttle {
        let mut salt = [0u8; 32];
        rand::rng().fill_bytes(&mut salt);
        Throttle { limit, limiter: RateLimiter::keyed(limit.quota()), salt, checks: AtomicU64::new(0) }
    }

    pub fn limit(&self) -> Limit {
        self.limit
    }

    fn key(&self, client: &ClientAddr) -> u64 {
        let d = Sha256::new().chain_update(self.salt).chain_update(client.bytes()).finalize();
        u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }

    /// Counts one request of `client`; over the limit: 429 with the wait.
    pub fn check(&self, client: &ClientAddr) -> Result<(), AppError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&self.key(client)).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::TooManyRequests { retry_after: wait.as_secs().max(1) }
        })
    }

    /// Clients the limiter currently remembers (for tests and metrics).
    pub fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

/// The limits of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicLimits {
    /// Every public page view (each rating form view issues a receipt).
    pub pages: Limit,
    /// Rating submissions.
    pub ratings: Limit,
    /// Reports filed on the public form (12388-style intake).
    pub reports: Limit,
    /// Receipt-code attempts (following a report): wrong codes are throttled.
    pub receipts: Limit,
}

impl Default for PublicLimits {
    fn default() -> Self {
        const fn n(v: u32) -> NonZeroU32 {
            match NonZeroU32::new(v) {
                Some(n) => n,
                None => NonZeroU32::MIN,
            }
        }
        PublicLimits {
            pages: Limit::new(n(120), Duration::from_secs(60)),
            ratings: Limit::new(n(20), Duration::from_secs(3600)),
            reports: Limit::new(n(10), Duration::from_secs(3600)),
            receipts: Limit::new(n(10), Duration::from_secs(3600)),
        }
    }
}

/// The throttles the application keeps.
pub struct Throttles {
    pub public_pages: Throttle,
    pub public_ratings: Throttle,
    pub public_reports: Throttle,
    pub receipt_attempts: Throttle,
}

impl Throttles {
    pub fn new(l: &PublicLimits) -> Throttles {
        Throttles {
            public_pages: Throttle::new(l.pages),
            public_ratings: Throttle::new(l.ratings),
            public_reports: Throttle::new(l.reports),
            receipt_attempts: Throttle::new(l.receipts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn client(s: &str) -> ClientAddr {
        ClientAddr(Some(s.parse().unwrap()))
    }

    #[test]
    fn limits_parse_and_print() {
        let l: Limit = "20/h".parse().unwrap();
        assert_eq!((l.count.get(), l.per), (20, Duration::from_secs(3600)));
        assert_eq!(l.to_string(), "20/h");
        assert_eq!("5/10m".parse::<Limit>().unwrap().per, Duration::from_secs(600));
        for bad in ["", "0/h", "20", "20/x", "x/h", "3/0m"] {
            assert!(bad.parse::<Limit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_client_over_its_burst_is_refused_and_others_are_not() {
        let t = Throttle::new("3/h".parse().unwrap());
        let a = client("203.0.113.7");
        for _ in 0..3 {
            t.check(&a).unwrap();
        }
        let err = t.check(&a).unwrap_err();
        assert!(matches!(err, AppError::TooManyRequests { retry_after } if retry_after > 60), "{err:?}");
        t.check(&client("203.0.113.8")).unwrap();
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_addresses_are_not_kept() {
        let t = Throttle::new("1/h".parse().unwrap());
        let a: Ipv6Addr = "2001:db8:1:2::1".parse().unwrap();
        let b: Ipv6Addr = "2001:db8:1:2:ffff::9".parse().unwrap();
        t.check(&ClientAddr(Some(a.into()))).unwrap();
        assert!(t.check(&ClientAddr(Some(b.into()))).is_err(), "same /64");
        t.check(&client("2001:db8:1:3::1")).unwrap();
        assert_eq!(t.tracked(), 2);
        // Keys are salted per throttle: the same address keys differently.
        let u = Throttle::new("1/h".parse().unwrap());
        assert_ne!(t.key(&client("203.0.113.7")), u.key(&client("203.0.113.7")));
    }

    #[test]
    fn the_proxy_header_names_the_client_when_configured() {
        let req =
            axum::http::Request::builder().header("x-forwarded-for", "198.51.100.1, 203.0.113.9").body(()).unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(ClientAddr::of(&parts, Some("x-forwarded-for")), client("203.0.113.9"));
        assert_eq!(ClientAddr::of(&parts, None), ClientAddr(None));
    }
}
