//! The Reader Comments reference server: contract v1 (`docs/contract.md`) over SQLite,
//! safe by default, and the host of the built widget and its demo page.
//!
//! Modules: [`settings`] (what the operator chose), [`cli`] (the command line),
//! [`serve`] (connections, their timeouts and caps), [`router`] (routes and layers),
//! [`comments`] (the comments resource's handlers),
//! [`client`], [`json_body`] and [`idempotency`] (the steps a post goes through),
//! [`error`] and [`problem`] (every failure as a problem document), [`db`] (storage).

pub mod cli;
pub mod client;
pub mod comments;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod json_body;
pub mod listing;
pub mod own;
pub mod problem;
pub mod router;
pub mod serve;
pub mod settings;

use axum::http::{header, HeaderMap, StatusCode};
use client::ClientKey;
use db::Db;
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use problem::Problem;
use reader_comments_core::Status;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

pub use comments::{DEFAULT_PAGE, MAX_PAGE};
pub use json_body::MAX_BODY_BYTES;
pub use router::router;
pub use serve::serve;
pub use settings::{parse_rate, Moderation, Settings};

/// The thread of the demo page, seeded with the seed article's five comments.
pub const DEMO_THREAD: &str = "india-canada-liaison";
const SEED: &str = include_str!("../../fixtures/seed-comments.json");
/// How often the rate limiter forgets clients whose allowance is whole again.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub db: Db,
    /// The operator's settings.
    pub settings: Settings,
    limiter: Option<DefaultKeyedRateLimiter<ClientKey>>,
    recommend_limiter: Option<DefaultKeyedRateLimiter<ClientKey>>,
    /// Idempotency keys of the posts being handled.
    pub in_flight: idempotency::InFlight,
}

impl AppState {
    /// Opens the database, seeds the demo thread if asked, and builds the state.
    pub fn new(settings: Settings) -> Result<Arc<AppState>, String> {
        let db = Db::open(&settings.db).map_err(|e| format!("cannot open {}: {e}", settings.db.display()))?;
        if settings.seed && db.count(DEMO_THREAD).map_err(|e| e.to_string())? == 0 {
            seed(&db).map_err(|e| format!("seed: {e}"))?;
        }
        let limiter = settings.rate.map(RateLimiter::keyed);
        let recommend_limiter = settings.recommend_rate.map(RateLimiter::keyed);
        Ok(Arc::new(AppState { db, settings, limiter, recommend_limiter, in_flight: Default::default() }))
    }

    /// Counts a post against the client's allowance (an IPv6 client's /64 shares one);
    /// 429 with the wait when it is spent.
    pub fn charge_rate(&self, client: IpAddr) -> Result<(), Problem> {
        charge(&self.limiter, client, "comments")
    }

    /// Counts a recommend (or its undoing) against the client's allowance for them.
    pub fn charge_recommend(&self, client: IpAddr) -> Result<(), Problem> {
        charge(&self.recommend_limiter, client, "recommends")
    }

    /// Forgets the clients whose allowance is whole again, so the limiter's table holds
    /// only recent posters; the server runs it every [`PRUNE_EVERY`].
    pub fn prune_rate_limits(&self) {
        for limiter in [&self.limiter, &self.recommend_limiter].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many clients the rate limiters remember.
    pub fn rate_limited_clients(&self) -> usize {
        [&self.limiter, &self.recommend_limiter].into_iter().flatten().map(|l| l.len()).sum()
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

/// Replies on the demo thread (to the comment at the index, or to the reply before),
/// so that the conversation shows: (answered, author, text, minutes after it).
const SEED_REPLIES: [(usize, &str, &str, i64); 2] = [
    (0, "Meera S", "Agreed. A cousin in Toronto lost her savings to a fake immigration consultant; an officer who can pick up the phone would have helped.", 25),
    (5, "Priyanka N", "Exactly the kind of case I meant. Months of e-mails between two police forces help nobody.", 40),
];
/// How many readers recommend each seed comment.
const SEED_RECOMMENDS: [usize; 5] = [12, 3, 7, 1, 4];

/// Seeds the demo thread: the seed article's five comments, two replies, recommends.
fn seed(db: &Db) -> Result<(), String> {
    let page = reader_comments_core::decode_page(SEED)?;
    let mut stored: Vec<(i64, i64, i64)> = Vec::new(); // (id, top-level id, created)
    for c in page.comments {
        let created = c.created_at.unwrap_or_else(comments::now_ms);
        let row =
            db.insert(DEMO_THREAD, &c.author, &c.body, Status::Published, created, None).map_err(|e| e.to_string())?;
        let id = row.id.parse().unwrap_or_default();
        stored.push((id, id, created));
    }
    for (index, recommends) in SEED_RECOMMENDS.iter().enumerate() {
        for n in 0..*recommends {
            let (id, _, created) = stored[index];
            db.recommend(id, &format!("seed reader {n}"), true, created).map_err(|e| e.to_string())?;
        }
    }
    for (answered, author, body, minutes) in SEED_REPLIES {
        let (parent, root, created) = stored[answered];
        let at = created + minutes * 60_000;
        let new = db::NewRow {
            thread: DEMO_THREAD,
            author,
            body,
            status: Status::Published,
            created_at: at,
            parent: Some((parent, root)),
            ..Default::default()
        };
        let row = db.insert_row(&new).map_err(|e| e.to_string())?;
        stored.push((row.id.parse().unwrap_or_default(), root, at));
    }
    Ok(())
}
