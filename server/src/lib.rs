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
pub mod holding;
pub mod idempotency;
pub mod json_body;
pub mod listing;
pub mod own;
pub mod pg;
pub mod plain_text;
pub mod problem;
mod rate_limits;
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
    sign_in_limiter: Option<DefaultKeyedRateLimiter<ClientKey>>,
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
        let origin = settings.public_origins.first().map(String::as_str);
        let settings_webhook = settings.webhook.clone().map(|url| webhook::Webhook::start(url, db.clone(), origin));
        let limiter = settings.rate.map(RateLimiter::keyed);
        let recommend_limiter = settings.recommend_rate.map(RateLimiter::keyed);
        let sign_in_limiter = Some(RateLimiter::keyed(settings.sign_in_rate));
        Ok(Arc::new(AppState {
            db,
            settings,
            limiter,
            recommend_limiter,
            sign_in_limiter,
            in_flight: Default::default(),
            sign_in_failures: Default::default(),
            webhook: settings_webhook,
        }))
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
