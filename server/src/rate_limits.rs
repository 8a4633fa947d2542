//! The per-client rate limits: posts, a reader's actions on other people's comments
//! (recommends and reports), and moderators' sign-in attempts. Counted in this
//! instance's memory (governor; an IPv6 client's /64 shares one allowance), or in the
//! store when it shares limits between instances (PostgreSQL).

use crate::client::ClientKey;
use crate::comments;
use crate::problem::Problem;
use crate::AppState;
use governor::DefaultKeyedRateLimiter;
use std::net::IpAddr;

/// Sign-in attempts per client address: a burst of 20, then one every 3 s, however many
/// names are tried (each name's own growing delay is admin/session.rs's), so that
/// guessing is slow and the password hashing cannot be used to load the server.
pub const SIGN_IN_QUOTA: governor::Quota = governor::Quota::per_minute(std::num::NonZeroU32::MIN.saturating_add(19));

impl AppState {
    /// Counts a post against the client's allowance (an IPv6 client's /64 shares one);
    /// 429 with the wait when it is spent. Shared by every instance on PostgreSQL.
    pub fn charge_rate(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.limiter, self.settings.rate, client, ("comments", "comments"))
    }

    /// Counts a recommend (or its undoing) against the client's allowance for them.
    pub fn charge_recommend(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.recommend_limiter, self.settings.recommend_rate, client, ("recommends", "recommends"))
    }

    /// Counts a report against the same allowance as recommends (a reader's actions on
    /// other people's comments), saying "reports" when it is spent.
    pub fn charge_report(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.recommend_limiter, self.settings.recommend_rate, client, ("recommends", "reports"))
    }

    /// Counts a moderator's sign-in attempt against the client's allowance for them.
    pub fn charge_sign_in(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.sign_in_limiter, Some(self.settings.sign_in_rate), client, ("sign-ins", "sign-in attempts"))
    }

    /// Counts one request against `allowance` (its name in the store's shared limits,
    /// when it keeps them; else this instance's own `limiter`), saying `what` when spent.
    fn charge(
        &self,
        limiter: &Option<DefaultKeyedRateLimiter<ClientKey>>,
        quota: Option<governor::Quota>,
        client: IpAddr,
        (allowance, what): (&str, &str),
    ) -> Result<(), Problem> {
        let Some(quota) = quota else { return Ok(()) };
        let interval_ms = quota.replenish_interval().as_millis().max(1) as i64;
        let burst = i64::from(quota.burst_size().get());
        let bucket = format!("{allowance} {:?}", ClientKey::of(client));
        match self.db.charge_shared(&bucket, interval_ms, burst, comments::now_ms()) {
            Some(Ok(None)) => Ok(()),
            Some(Ok(Some(wait_s))) => Err(Problem::rate_limited(wait_s, what)),
            // The shared count cannot be read: the store is failing, and the post would be too.
            Some(Err(_)) => Err(Problem::unavailable()),
            None => charge(limiter, client, what),
        }
    }

    /// Forgets the clients whose allowance is whole again, so the limiter's table holds
    /// only recent posters; the server runs it every [`PRUNE_EVERY`].
    pub fn prune_rate_limits(&self) {
        for limiter in [&self.limiter, &self.recommend_limiter, &self.sign_in_limiter].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.db.prune_shared(comments::now_ms());
    }

    /// How many clients the rate limiters remember.
    pub fn rate_limited_clients(&self) -> usize {
        let limiters = [&self.limiter, &self.recommend_limiter, &self.sign_in_limiter];
        let local: usize = limiters.into_iter().flatten().map(|l| l.len()).sum();
        local + self.db.shared_clients().unwrap_or(0)
    }
}

/// Counts one request of `what` against the client's allowance (an IPv6 client's /64
/// shares one); 429 with the wait when it is spent.
fn charge(limiter: &Option<DefaultKeyedRateLimiter<ClientKey>>, client: IpAddr, what: &str) -> Result<(), Problem> {
    let Some(limiter) = limiter else { return Ok(()) };
    limiter.check_key(&ClientKey::of(client)).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
        Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0), what)
    })
}
