//! The per-client limits: posts, recommends, reports and moderators' sign-in attempts,
//! each counted in this instance's memory (governor; an IPv6 client's /64 shares one
//! allowance) or in the store when it shares limits between instances (PostgreSQL);
//! and the growing delay after a name's failed sign-ins; and the bounds of a request's
//! headers.

use super::settings::Settings;
use crate::problem::Problem;
use crate::rules::clients::ClientKey;
use crate::rules::time::now_ms;
use crate::store::Store;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The most header bytes (names and values) a request may carry, and the most headers.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// See [`MAX_HEADER_BYTES`].
pub const MAX_HEADERS: usize = 100;

/// Whether `headers` are within [`MAX_HEADERS`] and [`MAX_HEADER_BYTES`].
pub fn headers_within(headers: &axum::http::HeaderMap) -> bool {
    let bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    headers.len() <= MAX_HEADERS && bytes <= MAX_HEADER_BYTES
}

/// What a request spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowance {
    /// A comment, a reply or an edit.
    Posts,
    /// A recommend or its undoing.
    Recommends,
    /// A report.
    Reports,
    /// A moderator's sign-in attempt.
    SignIns,
}

/// The limiters of one instance, by allowance.
pub struct Limits {
    posts: Option<(Quota, DefaultKeyedRateLimiter<ClientKey>)>,
    recommends: Option<(Quota, DefaultKeyedRateLimiter<ClientKey>)>,
    reports: Option<(Quota, DefaultKeyedRateLimiter<ClientKey>)>,
    sign_ins: Option<(Quota, DefaultKeyedRateLimiter<ClientKey>)>,
}

impl Limits {
    /// The limiters the settings ask for.
    pub fn new(settings: &Settings) -> Limits {
        let keyed = |quota: Option<Quota>| quota.map(|q| (q, RateLimiter::keyed(q)));
        Limits {
            posts: keyed(settings.rate),
            recommends: keyed(settings.recommend_rate),
            reports: keyed(settings.report_rate),
            sign_ins: keyed(Some(settings.sign_in_rate)),
        }
    }

    /// Counts one request against the client's `allowance` (its bucket in the store when
    /// the store shares limits, else this instance's limiter); 429 with the wait when it
    /// is spent.
    pub fn charge(&self, store: &Store, allowance: Allowance, client: IpAddr) -> Result<(), Problem> {
        let (limiter, bucket, what) = match allowance {
            Allowance::Posts => (&self.posts, "comments", "comments"),
            Allowance::Recommends => (&self.recommends, "recommends", "recommends"),
            Allowance::Reports => (&self.reports, "reports", "reports"),
            Allowance::SignIns => (&self.sign_ins, "sign-ins", "sign-in attempts"),
        };
        let Some((quota, limiter)) = limiter else { return Ok(()) };
        let interval_ms = quota.replenish_interval().as_millis().max(1) as i64;
        let burst = i64::from(quota.burst_size().get());
        let key = ClientKey::of(client);
        match store.charge_shared(&format!("{bucket} {key:?}"), interval_ms, burst, now_ms()) {
            Some(Ok(None)) => Ok(()),
            Some(Ok(Some(wait_s))) => Err(Problem::rate_limited(wait_s, what)),
            // The shared count cannot be read: the store is failing, and the post would be too.
            Some(Err(_)) => Err(Problem::unavailable()),
            None => limiter.check_key(&key).map_err(|not_until| {
                let now = governor::clock::Clock::now(&governor::clock::DefaultClock::default());
                let wait = not_until.wait_time_from(now);
                Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0), what)
            }),
        }
    }

    fn each(&self) -> impl Iterator<Item = &DefaultKeyedRateLimiter<ClientKey>> {
        [&self.posts, &self.recommends, &self.reports, &self.sign_ins].into_iter().flatten().map(|(_, limiter)| limiter)
    }

    /// Forgets the clients whose allowance is whole again.
    pub fn prune(&self, store: &Store) {
        for limiter in self.each() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        store.prune_shared(now_ms());
    }

    /// How many clients the limiters remember.
    pub fn clients(&self, store: &Store) -> usize {
        self.each().map(|l| l.len()).sum::<usize>() + store.shared_clients().unwrap_or(0)
    }
}

/// How many failed sign-ins in a row a name has before it is locked.
pub const FREE_FAILURES: u32 = 5;
/// The longest a name is locked.
pub const LONGEST_LOCK: Duration = Duration::from_secs(15 * 60);

/// A name's failed sign-ins in a row, and until when it is locked.
#[derive(Default)]
struct Failed {
    count: u32,
    locked_until: Option<Instant>,
}

/// Failed moderator sign-ins per name (any name: whether it is a moderator's is never
/// told), for the growing delay after each and the lock after a few (in this instance):
/// from [`FREE_FAILURES`] on, a name takes no attempt, from any address, for `lock`
/// (doubling with each failure after, at most [`LONGEST_LOCK`]).
#[derive(Default)]
pub struct Failures(Mutex<HashMap<String, Failed>>);

impl Failures {
    fn names(&self) -> MutexGuard<'_, HashMap<String, Failed>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `name` stays locked, if it is.
    pub fn locked(&self, name: &str) -> Option<Duration> {
        let names = self.names();
        let until = names.get(&name.to_lowercase())?.locked_until?;
        until.checked_duration_since(Instant::now()).filter(|left| !left.is_zero())
    }

    /// Counts a failure for `name`, locking it once it has had its free ones; how many
    /// in a row.
    pub fn failed(&self, name: &str, lock: Duration) -> u32 {
        let mut names = self.names();
        if names.len() > 10_000 {
            names.retain(|_, f| f.locked_until.is_some_and(|until| until > Instant::now()));
        }
        let failed = names.entry(name.to_lowercase()).or_default();
        failed.count = failed.count.saturating_add(1);
        if failed.count >= FREE_FAILURES {
            let doublings = (failed.count - FREE_FAILURES).min(10);
            let length = lock.saturating_mul(1 << doublings).min(LONGEST_LOCK);
            failed.locked_until = Some(Instant::now() + length);
        }
        failed.count
    }

    /// Forgets `name`'s failures (it signed in).
    pub fn cleared(&self, name: &str) {
        self.names().remove(&name.to_lowercase());
    }
}

/// The delay after the `n`-th failure in a row: 250 ms, doubling, at most 8 s.
pub fn delay_after(n: u32) -> Duration {
    Duration::from_millis(250u64 << n.saturating_sub(1).min(5))
}
