//! The Reader Comments reference server: contract v1 (`docs/contract.md`) over SQLite,
//! safe by default, and the host of the built widget and its demo page.

pub mod db;
pub mod problem;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use db::Db;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use problem::Problem;
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_comment, Comment, Rule, Status};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The most comments one page gives.
pub const MAX_PAGE: usize = 100;
/// The page size when the client does not ask.
pub const DEFAULT_PAGE: usize = 50;
/// The thread of the demo page, seeded with the seed article's five comments.
pub const DEMO_THREAD: &str = "india-canada-liaison";
const SEED: &str = include_str!("../../fixtures/seed-comments.json");

/// Which new comments wait for a moderator instead of appearing at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// Every comment appears at once.
    None,
    /// Comments with a link wait (the usual shape of spam).
    Links,
    /// Every comment waits.
    All,
}

impl std::str::FromStr for Moderation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Moderation::None),
            "links" => Ok(Moderation::Links),
            "all" => Ok(Moderation::All),
            other => Err(format!("moderation must be none, links or all, not {other:?}")),
        }
    }
}

/// Parses a rate such as `10/min`, `2/s`, `300/h`, or `off`.
pub fn parse_rate(text: &str) -> Result<Option<Quota>, String> {
    if text.trim() == "off" {
        return Ok(None);
    }
    let (count, per) = text.trim().split_once('/').ok_or_else(|| format!("rate {text:?} is not like 10/min or off"))?;
    let count: NonZeroU32 = count.trim().parse().map_err(|_| format!("rate {text:?} needs a count above 0"))?;
    let quota = match per.trim() {
        "s" | "sec" | "second" => Quota::per_second(count),
        "m" | "min" | "minute" => Quota::per_minute(count),
        "h" | "hour" => Quota::per_hour(count),
        other => return Err(format!("rate unit {other:?} is not s, min or h")),
    };
    Ok(Some(quota))
}

/// How the server is set up.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The SQLite file.
    pub db: PathBuf,
    /// The built widget and demo page (trunk's dist/), if served.
    pub static_dir: Option<PathBuf>,
    /// Origins other than the server's own allowed to read and post (CORS).
    pub allow_origins: Vec<String>,
    /// The per-client limit on posts, or none.
    pub rate: Option<Quota>,
    /// Which comments wait for moderation.
    pub moderation: Moderation,
    /// Seed the demo thread with the seed article's comments when it is empty.
    pub seed: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind one, the rate limit
    /// keys on the reader's address it reports, not on the proxy's.
    pub trusted_proxies: Vec<IpAddr>,
}

/// The client a request comes from: the peer, or, when the peer is a trusted proxy, the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer)
}

/// Shared state of the handlers.
pub struct AppState {
    db: Db,
    settings: Settings,
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    in_flight: Mutex<HashSet<(String, String)>>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn valid_thread(thread: &str) -> Result<(), Problem> {
    let ok = (1..=128).contains(&thread.len())
        && thread.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !thread.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::NOT_FOUND,
            "No such thread",
            "A thread id is 1 to 128 letters, digits, dots, dashes or underscores.",
        ))
    }
}

fn internal(error: impl std::fmt::Display) -> Problem {
    eprintln!("reader-comments-server: storage error: {error}");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Storage error",
        "The comment could not be saved. Please try again.",
    )
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f).await.map_err(internal)
}

fn limits_json() -> Value {
    let rule = Rule::default();
    json!({"min_length": rule.min_length, "max_length": rule.max_length})
}

fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(serde::Deserialize)]
struct ListQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

async fn list(
    State(state): State<Arc<AppState>>,
    Path(thread): Path<String>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    valid_thread(&thread)?;
    let Query(query) =
        query.map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "Bad query", "The query string could not be read."))?;
    let after = match query.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            Problem::new(StatusCode::BAD_REQUEST, "Bad cursor", "The cursor is not one this server gave.")
        })?,
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_PAGE,
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
            Problem::new(StatusCode::BAD_REQUEST, "Bad limit", format!("limit must be between 1 and {MAX_PAGE}."))
        })?,
    };
    let (comments, next) = blocking(move || state.db.list(&thread, after, limit)).await?.map_err(internal)?;
    Ok(json_response(StatusCode::OK, json!({"comments": comments, "next": next, "limits": limits_json()})))
}

/// Removes an idempotency key from the in-flight set when its request ends.
struct InFlight<'a> {
    set: &'a Mutex<HashSet<(String, String)>>,
    entry: (String, String),
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.set.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.entry);
    }
}

fn is_json_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn origin_allowed(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    if state.settings.allow_origins.iter().any(|o| o == origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"))
}

fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://") || lower.contains("https://") || lower.contains("www.")
}

fn text_field(doc: &serde_json::Map<String, Value>, name: &str) -> Result<String, Problem> {
    match doc.get(name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(Problem::new(StatusCode::BAD_REQUEST, "Bad field", format!("\"{name}\" must be a string."))),
    }
}

fn posted(comment: &Comment) -> Response {
    let status = if comment.status == Status::Pending { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    json_response(status, json!(comment))
}

async fn create(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(thread): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    if let Some(limiter) = &state.limiter {
        let client = client_ip(peer.ip(), &headers, &state.settings.trusted_proxies);
        if let Err(not_until) = limiter.check_key(&client) {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
            return Err(Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)));
        }
    }
    if !origin_allowed(&state, &headers) {
        return Err(Problem::new(StatusCode::FORBIDDEN, "Origin not allowed", "This site may not post comments here."));
    }
    if !is_json_type(&headers) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "JSON only",
            "Send the comment as Content-Type: application/json.",
        ));
    }
    let body = body.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(status, "Too large", format!("A comment request may be at most {MAX_BODY_BYTES} bytes."))
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "Unreadable body", "The request body could not be read.")
        }
    })?;
    valid_thread(&thread)?;
    let doc: Value = serde_json::from_slice(&body).map_err(|e| {
        Problem::new(StatusCode::BAD_REQUEST, "Invalid JSON", format!("The request body is not valid JSON text ({e})."))
    })?;
    let doc = doc.as_object().ok_or_else(|| {
        Problem::new(StatusCode::BAD_REQUEST, "Invalid JSON", "The request body must be a JSON object.")
    })?;
    let (author, text) = (text_field(doc, "author")?, text_field(doc, "body")?);
    let errors = validate_comment(&author, &text, Rule::default());
    if !errors.is_empty() {
        let hostile = errors.iter().any(|e| matches!(e.code, "control_characters" | "stacked_marks"));
        let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
        return Err(Problem::invalid(status, errors));
    }
    let (author, text) = (normalize(&author), normalize(&text));
    let pending = match state.settings.moderation {
        Moderation::None => false,
        Moderation::Links => has_link(&text) || has_link(&author),
        Moderation::All => true,
    };
    let status = if pending { Status::Pending } else { Status::Published };
    // A bot filled the field people never see: answer as if held, store nothing.
    if !text_field(doc, "website")?.trim().is_empty() {
        let decoy = Comment {
            id: format!("h{}", now_ms()),
            author,
            body: text,
            created_at: Some(now_ms()),
            status: Status::Pending,
        };
        return Ok(posted(&decoy));
    }

    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value.to_str().ok().map(str::trim).filter(|k| (1..=255).contains(&k.len()));
            Some(
                key.ok_or_else(|| {
                    Problem::new(
                        StatusCode::BAD_REQUEST,
                        "Bad Idempotency-Key",
                        "An Idempotency-Key is 1 to 255 visible ASCII characters.",
                    )
                })?
                .to_string(),
            )
        }
    };
    let fingerprint = json!([author, text]).to_string();
    let _guard = match &key {
        None => None,
        Some(key) => {
            let entry = (thread.clone(), key.clone());
            if !state.in_flight.lock().unwrap_or_else(|p| p.into_inner()).insert(entry.clone()) {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "Already in progress",
                    "This comment is still being posted; wait for the first attempt to finish.",
                ));
            }
            Some(InFlight { set: &state.in_flight, entry })
        }
    };
    if let Some(key) = key.clone() {
        let (s, t) = (state.clone(), thread.clone());
        if let Some(replay) = blocking(move || s.db.replay(&t, &key)).await?.map_err(internal)? {
            if replay.fingerprint != fingerprint {
                return Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Idempotency-Key reused",
                    "This Idempotency-Key was already used for a different comment.",
                ));
            }
            return Ok(posted(&replay.comment));
        }
    }
    let s = state.clone();
    let comment = blocking(move || {
        let idem = key.as_deref().map(|k| (k, fingerprint.as_str()));
        s.db.insert(&thread, &author, &text, status, now_ms(), idem)
    })
    .await?
    .map_err(internal)?;
    Ok(posted(&comment))
}

async fn health() -> &'static str {
    "ok"
}

/// Opens the database, seeds the demo thread if asked, and builds the state.
pub fn state(settings: Settings) -> Result<Arc<AppState>, String> {
    let db = Db::open(&settings.db).map_err(|e| format!("cannot open {}: {e}", settings.db.display()))?;
    if settings.seed && db.count(DEMO_THREAD).map_err(|e| e.to_string())? == 0 {
        let page = reader_comments_core::decode_page(SEED).map_err(|e| format!("seed: {e}"))?;
        for c in page.comments {
            db.insert(DEMO_THREAD, &c.author, &c.body, Status::Published, c.created_at.unwrap_or_else(now_ms), None)
                .map_err(|e| e.to_string())?;
        }
    }
    let limiter = settings.rate.map(RateLimiter::keyed);
    Ok(Arc::new(AppState { db, settings, limiter, in_flight: Mutex::new(HashSet::new()) }))
}

/// The whole application: the API, and the static widget and demo page.
pub fn router(state: Arc<AppState>) -> Router {
    let origins: Vec<HeaderValue> =
        state.settings.allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("idempotency-key")])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    let api = Router::new()
        .route("/api/threads/{thread}/comments", get(list).post(create))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
        .with_state(state.clone());
    let mut app = Router::new().route("/healthz", get(health)).merge(api);
    if let Some(dir) = &state.settings.static_dir {
        // The widget's files may be loaded by pages on any origin, like from a CDN.
        let files = Router::new()
            .fallback_service(ServeDir::new(dir))
            .layer(SetResponseHeaderLayer::overriding(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                ),
            ));
        app = app.merge(files);
    }
    app.layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let peer: IpAddr = "10.0.0.5".parse().expect("ip");
        let h = forwarded("203.0.113.9");
        assert_eq!(client_ip(peer, &h, &[]), peer, "an untrusted peer cannot claim another address");
        assert_eq!(client_ip(peer, &h, &[peer]), "203.0.113.9".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn the_right_most_untrusted_forwarded_address_is_the_client() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let cdn: IpAddr = "10.0.0.6".parse().expect("ip");
        let h = forwarded("1.1.1.1, 198.51.100.7, 10.0.0.6");
        assert_eq!(client_ip(proxy, &h, &[proxy, cdn]), "198.51.100.7".parse::<IpAddr>().expect("ip"));
        assert_eq!(client_ip(proxy, &forwarded("garbage"), &[proxy]), proxy);
    }

    #[test]
    fn rates_are_read_or_refused() {
        assert!(parse_rate("off").expect("off").is_none());
        assert!(parse_rate("10/min").expect("rate").is_some());
        assert!(parse_rate("0/min").is_err());
        assert!(parse_rate("ten").is_err());
        assert!(parse_rate("5/week").is_err());
    }
}
