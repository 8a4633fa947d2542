//! The Reader Comments reference server: contract v1 (`docs/contract.md`) over SQLite,
//! safe by default, and the host of the built widget and its demo page.
//!
//! Modules: [`settings`] (what the operator chose), [`cli`] (the command line),
//! [`serve`] (connections, their timeouts and caps), [`router`] (routes and layers),
//! [`comments`] (the comments resource's handlers),
//! [`client`], [`json_body`] and [`idempotency`] (the steps a post goes through),
//! [`error`] and [`problem`] (every failure as a problem document), [`db`] (storage).

pub mod admin;
pub mod bans;
pub mod blocked;
pub mod cli;
pub mod client;
pub mod comments;
pub mod db;
pub mod error;
pub mod foreign;
pub mod idempotency;
pub mod json_body;
pub mod listing;
pub mod own;
pub mod pg;
pub mod plain_text;
pub mod problem;
pub mod reports;
pub mod router;
mod seed;
pub mod serve;
pub mod settings;
pub mod store;
pub mod transfer;
pub mod webhook;

use axum::http::{header, HeaderMap, StatusCode};
use client::ClientKey;
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use problem::Problem;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use store::Store;

pub use comments::{DEFAULT_PAGE, MAX_PAGE};
pub use json_body::MAX_BODY_BYTES;
pub use router::router;
pub use serve::serve;
pub use settings::{parse_rate, CachePolicy, Moderation, Settings};

/// The thread of the demo page, seeded with the seed article's five comments.
pub const DEMO_THREAD: &str = "india-canada-liaison";
/// How often the rate limiter forgets clients whose allowance is whole again.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// What every handler shares.
pub struct AppState {
    /// The store (SQLite or PostgreSQL: store.rs).
    pub db: Arc<dyn Store>,
    /// The operator's settings.
    pub settings: Settings,
    limiter: Option<DefaultKeyedRateLimiter<ClientKey>>,
    recommend_limiter: Option<DefaultKeyedRateLimiter<ClientKey>>,
    /// Idempotency keys of the posts being handled.
    pub in_flight: idempotency::InFlight,
    /// Failed moderator sign-ins per name, for their growing delay.
    pub sign_in_failures: admin::Failures,
    /// Where held comments are announced (`--webhook`).
    pub webhook: Option<webhook::Webhook>,
}

impl AppState {
    /// Opens the database, seeds the demo thread if asked, and builds the state.
    pub fn new(settings: Settings) -> Result<Arc<AppState>, String> {
        let db = store::open(&settings.db).map_err(|e| format!("cannot open {}: {e}", settings.db.display()))?;
        if settings.seed && db.count(DEMO_THREAD).map_err(|e| e.to_string())? == 0 {
            seed::seed(db.as_ref()).map_err(|e| format!("seed: {e}"))?;
        }
        let settings_webhook = settings.webhook.clone().map(webhook::Webhook::start);
        let limiter = settings.rate.map(RateLimiter::keyed);
        let recommend_limiter = settings.recommend_rate.map(RateLimiter::keyed);
        Ok(Arc::new(AppState {
            db,
            settings,
            limiter,
            recommend_limiter,
            in_flight: Default::default(),
            sign_in_failures: Default::default(),
            webhook: settings_webhook,
        }))
    }

    /// Counts a post against the client's allowance (an IPv6 client's /64 shares one);
    /// 429 with the wait when it is spent. Shared by every instance on PostgreSQL.
    pub fn charge_rate(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.limiter, self.settings.rate, client, "comments")
    }

    /// Counts a recommend (or its undoing) against the client's allowance for them.
    pub fn charge_recommend(&self, client: IpAddr) -> Result<(), Problem> {
        self.charge(&self.recommend_limiter, self.settings.recommend_rate, client, "recommends")
    }

    /// Counts one request of `what` in the store's shared limits when it keeps them,
    /// else in this instance's own limiter.
    fn charge(
        &self,
        limiter: &Option<DefaultKeyedRateLimiter<ClientKey>>,
        quota: Option<governor::Quota>,
        client: IpAddr,
        what: &str,
    ) -> Result<(), Problem> {
        let Some(quota) = quota else { return Ok(()) };
        let interval_ms = quota.replenish_interval().as_millis().max(1) as i64;
        let burst = i64::from(quota.burst_size().get());
        let bucket = format!("{what} {:?}", ClientKey::of(client));
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
        for limiter in [&self.limiter, &self.recommend_limiter].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.db.prune_shared(comments::now_ms());
    }

    /// How many clients the rate limiters remember.
    pub fn rate_limited_clients(&self) -> usize {
        let local: usize = [&self.limiter, &self.recommend_limiter].into_iter().flatten().map(|l| l.len()).sum();
        local + self.db.shared_clients().unwrap_or(0)
    }

    /// A post from a browser must come from an allowed origin or the server's own
    /// configured one; the request's `Host` is never trusted for this (DNS rebinding).
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<(), Problem> {
        let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
        let settings = &self.settings;
        let allowed = |o: &String| origin.as_bytes() == o.as_bytes();
        if settings.allow_origins.iter().any(allowed) || settings.public_origins.iter().any(allowed) {
            return Ok(());
        }
        Err(Problem::new(StatusCode::FORBIDDEN, "Origin not allowed", "This site may not post comments here."))
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
