//! The Reader Comments reference server: contract v1 (`docs/contract.md`) over SQLite,
//! safe by default, and the host of the built widget and its demo page.
//!
//! Modules: [`settings`] (what the operator chose), [`cli`] (the command line),
//! [`router`] (routes and layers), [`comments`] (the comments resource's handlers),
//! [`client`], [`json_body`] and [`idempotency`] (the steps a post goes through),
//! [`error`] and [`problem`] (every failure as a problem document), [`db`] (storage).

pub mod cli;
pub mod client;
pub mod comments;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod json_body;
pub mod problem;
pub mod router;
pub mod settings;

use axum::http::{header, HeaderMap, StatusCode};
use db::Db;
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use problem::Problem;
use reader_comments_core::Status;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

pub use comments::{DEFAULT_PAGE, MAX_PAGE};
pub use json_body::MAX_BODY_BYTES;
pub use router::router;
pub use settings::{parse_rate, Moderation, Settings};

/// The thread of the demo page, seeded with the seed article's five comments.
pub const DEMO_THREAD: &str = "india-canada-liaison";
const SEED: &str = include_str!("../../fixtures/seed-comments.json");

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub db: Db,
    /// The operator's settings.
    pub settings: Settings,
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Idempotency keys of the posts being handled.
    pub in_flight: idempotency::InFlight,
}

impl AppState {
    /// Opens the database, seeds the demo thread if asked, and builds the state.
    pub fn new(settings: Settings) -> Result<Arc<AppState>, String> {
        let db = Db::open(&settings.db).map_err(|e| format!("cannot open {}: {e}", settings.db.display()))?;
        if settings.seed && db.count(DEMO_THREAD).map_err(|e| e.to_string())? == 0 {
            let page = reader_comments_core::decode_page(SEED).map_err(|e| format!("seed: {e}"))?;
            for c in page.comments {
                let created = c.created_at.unwrap_or_else(comments::now_ms);
                db.insert(DEMO_THREAD, &c.author, &c.body, Status::Published, created, None)
                    .map_err(|e| e.to_string())?;
            }
        }
        let limiter = settings.rate.map(RateLimiter::keyed);
        Ok(Arc::new(AppState { db, settings, limiter, in_flight: Default::default() }))
    }

    /// Counts a post against the client's allowance; 429 with the wait when it is spent.
    pub fn charge_rate(&self, client: IpAddr) -> Result<(), Problem> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
            Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        })
    }

    /// A post from a browser must come from this server's own pages or an allowed origin.
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<(), Problem> {
        let refused =
            || Problem::new(StatusCode::FORBIDDEN, "Origin not allowed", "This site may not post comments here.");
        let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
        let origin = origin.to_str().map_err(|_| refused())?;
        if self.settings.allow_origins.iter().any(|o| o == origin) {
            return Ok(());
        }
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
        let own = !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"));
        if own {
            Ok(())
        } else {
            Err(refused())
        }
    }
}

/// Opens the database, seeds the demo thread if asked, and builds the state.
pub fn state(settings: Settings) -> Result<Arc<AppState>, String> {
    AppState::new(settings)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
