//! What every handler shares: the store, the operator's settings, the instance's limits,
//! the posts in flight and the webhook.

use super::limits::{Allowance, Failures, Limits};
use super::pages::Pages;
use super::seed::seed;
use super::settings::Settings;
use super::webhook::Webhook;
use crate::problem::Problem;
use crate::rules::idempotency::InFlight;
use crate::store::Store;
use axum::http::{header, HeaderMap, StatusCode};
use std::net::IpAddr;
use std::sync::Arc;

/// The thread of the demo page, seeded with the seed article's five comments.
pub const DEMO_THREAD: &str = "india-canada-liaison";

/// What every handler shares.
pub struct AppState {
    /// The store (SQLite or PostgreSQL).
    pub db: Arc<Store>,
    /// The operator's settings.
    pub settings: Settings,
    /// The per-client limits of this instance.
    pub limits: Limits,
    /// Idempotency keys of the posts being handled.
    pub in_flight: InFlight,
    /// Failed moderator sign-ins per name, for their growing delay.
    pub sign_in_failures: Failures,
    /// Where held comments are announced (`--webhook`).
    pub webhook: Option<Webhook>,
    /// The rendered pages kept in memory.
    pub pages: Arc<Pages>,
    /// Keeps the mail task (`--smtp`) going while the state lives.
    _mailer: Option<Arc<()>>,
}

impl AppState {
    /// Opens the store, seeds the demo thread if asked, and builds the state.
    pub fn new(settings: Settings) -> Result<Arc<AppState>, String> {
        let db = Store::open(&settings.db).map_err(|e| format!("cannot open {}: {e}", settings.db.display()))?;
        let db = Arc::new(db);
        if settings.seed && db.count(DEMO_THREAD).map_err(|e| e.to_string())? == 0 {
            seed(&db, DEMO_THREAD).map_err(|e| format!("seed: {e}"))?;
        }
        let origin = settings.public_origins.first().map(String::as_str);
        let webhook = settings.webhook.clone().map(|url| Webhook::start(url, db.clone(), origin));
        let limits = Limits::new(&settings);
        let pages = Arc::new(Pages::new(db.clone(), settings.page_cache, settings.cache));
        let mailer = settings.mail.clone().map(|mail| {
            let alive = Arc::new(());
            super::mailer::start(mail, db.clone(), origin.map(String::from), Arc::downgrade(&alive));
            alive
        });
        Ok(Arc::new(AppState {
            pages,
            db,
            settings,
            limits,
            in_flight: InFlight::default(),
            sign_in_failures: Failures::default(),
            webhook,
            _mailer: mailer,
        }))
    }

    /// Whether the http(s) address `url` is on one of the site's origins (an allowed
    /// origin, or this server's own).
    pub fn on_site(&self, url: &str) -> bool {
        let settings = &self.settings;
        origin_of(url).is_some_and(|origin| {
            settings.allow_origins.iter().chain(&settings.public_origins).any(|o| o.eq_ignore_ascii_case(&origin))
        })
    }

    /// A request from a browser must come from an allowed origin or the server's own
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

    /// Counts a request against the client's `allowance` (run/limits.rs); blocking on
    /// PostgreSQL, where the count is shared.
    pub fn charge(&self, allowance: Allowance, client: IpAddr) -> Result<(), Problem> {
        self.limits.charge(&self.db, allowance, client)
    }

    /// Forgets the clients whose allowance is whole again; the server runs it every
    /// minute.
    pub fn prune_rate_limits(&self) {
        self.limits.prune(&self.db);
    }

    /// How many clients the rate limiters remember.
    pub fn rate_limited_clients(&self) -> usize {
        self.limits.clients(&self.db)
    }
}

/// `scheme://host[:port]` of an http(s) URL, lowercased.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty() && !a.contains('@'))?;
    matches!(scheme.as_str(), "http" | "https").then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}
