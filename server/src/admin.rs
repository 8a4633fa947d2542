//! `/admin`: the newsroom's moderation pages (issue 13), server-rendered, working without
//! JavaScript, on their own paths: the widget's API never reads a cookie.
//!
//! - Moderators are made on the command line (`moderator add NAME`); their passwords are
//!   kept as Argon2id hashes.
//! - Signing in sets one cookie, `__Host-rc-admin` (HttpOnly, Secure, SameSite=Strict,
//!   12 hours); the store keeps only a hash of its token. Browsers keep `Secure` cookies
//!   from `http://localhost` and `http://127.0.0.1`, so the demo works on plain HTTP there;
//!   anywhere else the pages must be served over HTTPS.
//! - Every form carries the session's CSRF token, and a post whose `Origin` is not the
//!   server's own is refused (403) before anything else.
//! - A wrong name or password gets the same answer, after the same work (a hash is
//!   checked even for an unknown name), and a delay that doubles with each failure for
//!   that name (up to 8 s).
//! - Without a session, a page redirects to the sign-in page (303, nothing else shown)
//!   and an action answers 403.

mod pages;

use crate::comments::now_ms;
use crate::db::sha256_hex;
use crate::error::{blocking, Error};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The session cookie's name (`__Host-`: Secure, host-only, path `/`).
pub const COOKIE: &str = "__Host-rc-admin";
/// How long a ban from the queue lasts.
const BAN_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a session lasts.
const SESSION_MS: i64 = 12 * 3600 * 1000;
/// The pages' policy: nothing but this server's stylesheet and forms to itself.
const CSP: &str = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// A hash checked when the name is unknown, so that the answer takes as long (made once).
fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such moderator").unwrap_or_default()).clone()
}

/// Failed sign-ins per name, for the growing delay.
#[derive(Default)]
pub struct Failures(Mutex<HashMap<String, u32>>);

impl Failures {
    fn failed(&self, name: &str) -> u32 {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.clear();
        }
        let count = map.entry(name.to_lowercase()).or_insert(0);
        *count = count.saturating_add(1);
        *count
    }
    fn cleared(&self, name: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&name.to_lowercase());
    }
}

/// The delay after the `n`-th failure in a row: 250 ms, doubling, at most 8 s.
pub fn delay_after(n: u32) -> Duration {
    Duration::from_millis(250u64 << n.saturating_sub(1).min(5))
}

/// An Argon2id hash of `password` (a fresh random salt).
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn random_hex() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| Error::Internal("no randomness for a session"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A form body's fields, in order (`application/x-www-form-urlencoded`).
fn fields(body: &[u8]) -> Vec<(String, String)> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// An HTML page, never cached, with the pages' policy.
fn html(status: StatusCode, markup: maud::Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn forbidden(why: &str) -> Response {
    let body = pages::page(
        "Refused",
        None,
        maud::html! { h2 { "Refused" } p class="error" { (why) } p { a href="/admin/sign-in" { "Sign in" } } },
    );
    html(StatusCode::FORBIDDEN, body)
}

/// A post from a page that is not this server's own (a forged cross-site form): its
/// `Origin` is not one of the server's own (a browser always sends one with a form).
fn foreign(app: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    !app.settings.public_origins.iter().any(|o| origin.as_bytes() == o.as_bytes())
}

/// The session the request's cookie names: (the hash of its token, moderator, CSRF token).
async fn session(app: &Arc<AppState>, headers: &HeaderMap) -> Result<Option<(String, String, String)>, Error> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string());
    let Some(token) = token.filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())) else {
        return Ok(None);
    };
    let hash = sha256_hex(&[token.as_bytes()]);
    let (store, key) = (app.clone(), hash.clone());
    let found = blocking(move || store.db.session(&key, now_ms())).await??;
    Ok(found.map(|(moderator, csrf)| (hash, moderator, csrf)))
}

async fn sign_in_page() -> Response {
    html(StatusCode::OK, pages::sign_in(None))
}

async fn sign_in(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    if foreign(&app, &headers) {
        return Ok(forbidden("This form was sent from another site."));
    }
    let form = fields(&body);
    let (name, password) =
        (field(&form, "name").unwrap_or("").trim().to_string(), field(&form, "password").unwrap_or("").to_string());
    let (store, who) = (app.clone(), name.clone());
    let stored = blocking(move || store.db.moderator_hash(&who)).await??;
    let hash = match stored.clone() {
        Some(hash) => hash,
        None => blocking(dummy_hash).await?,
    };
    let checked = password.clone();
    let right = blocking(move || verify(&checked, &hash)).await? && stored.is_some();
    if !right {
        let n = app.sign_in_failures.failed(&name);
        tokio::time::sleep(delay_after(n)).await;
        return Ok(html(StatusCode::UNAUTHORIZED, pages::sign_in(Some("The name or password is wrong."))));
    }
    app.sign_in_failures.cleared(&name);
    let (token, csrf) = (random_hex()?, random_hex()?);
    let (store, hash, who, mark) = (app.clone(), sha256_hex(&[token.as_bytes()]), name.clone(), csrf.clone());
    blocking(move || store.db.open_session(&hash, &who, &mark, now_ms() + SESSION_MS)).await??;
    let (store, who) = (app.clone(), name.clone());
    blocking(move || store.db.record(&who, "sign in", "", now_ms())).await??;
    let mut response = see_other("/admin");
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}", SESSION_MS / 1000);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(serde::Deserialize)]
struct Said {
    said: Option<String>,
}

async fn queue(State(app): State<Arc<AppState>>, headers: HeaderMap, said: Query<Said>) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let store = app.clone();
    let waiting = blocking(move || -> Result<_, Error> {
        let (pending, blocked) = (store.db.pending()?, store.db.blocked_words()?);
        let ids: Vec<i64> = pending.iter().filter_map(|(_, c)| c.id.parse().ok()).collect();
        let reports = store.db.open_reports(&ids)?;
        let why = |c: &reader_comments_core::Comment| {
            pages::why_held(c, &blocked, c.id.parse().ok().and_then(|id| reports.get(&id)))
        };
        let with_why = |(thread, c)| {
            let held = why(&c);
            (thread, c, held)
        };
        Ok(pending.into_iter().rev().map(with_why).collect::<Vec<_>>())
    })
    .await??;
    // Only known messages are shown: nothing from the address is ever echoed.
    let said = match said.said.as_deref() {
        Some("approved") => Some("Approved."),
        Some("rejected") => Some("Rejected."),
        Some("banned") => Some("Rejected, and its author's address is banned for 7 days."),
        Some("none") => Some("Nothing was selected."),
        _ => None,
    };
    Ok(html(StatusCode::OK, pages::queue((&moderator, &csrf), &waiting, said)))
}

async fn actions(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    let form = fields(&body);
    let moderator = match checked(&app, &headers, &form).await? {
        Ok(moderator) => moderator,
        Err(refused) => return Ok(refused),
    };
    let (action, ids): (String, Vec<i64>) = match (field(&form, "one"), field(&form, "bulk")) {
        (Some(one), _) => {
            let (action, id) = one.split_once(' ').unwrap_or((one, ""));
            (action.to_string(), id.parse().ok().into_iter().collect())
        }
        (None, Some(bulk)) => {
            (bulk.to_string(), form.iter().filter(|(k, _)| k == "id").filter_map(|(_, v)| v.parse().ok()).collect())
        }
        _ => return Ok(see_other("/admin")),
    };
    if ids.is_empty() {
        return Ok(see_other("/admin?said=none"));
    }
    let done = match action.as_str() {
        "approve" => "approved",
        "reject" => "rejected",
        "ban" => "banned",
        "delete" => "deleted",
        _ => return Ok(see_other("/admin")),
    };
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        for id in ids {
            if done == "banned" && store.db.ban_author_of(id, now_ms() + BAN_MS, &moderator)? {
                store.db.record(&moderator, "ban", &format!("the author of comment {id}, 7 days"), now_ms())?;
            }
            let changed = if done == "approved" { store.db.approve(id)? } else { store.db.delete(id)? };
            if changed {
                let what = match done {
                    "approved" => "approve",
                    "deleted" => "delete",
                    _ => "reject",
                };
                store.db.record(&moderator, what, &format!("comment {id}"), now_ms())?;
            }
        }
        Ok(())
    })
    .await??;
    if done == "deleted" {
        return Ok(see_other("/admin/comments?said=deleted"));
    }
    Ok(see_other(&format!("/admin?said={done}")))
}

#[derive(serde::Deserialize, Default)]
struct Search {
    text: Option<String>,
    author: Option<String>,
    thread: Option<String>,
    said: Option<String>,
}

async fn published_page(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Query<Search>,
) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let Query(search) = query;
    let bounded = |s: &Option<String>| s.as_deref().unwrap_or("").chars().take(200).collect::<String>();
    let (text, author, thread) = (bounded(&search.text), bounded(&search.author), bounded(&search.thread));
    let (store, t, a, h) = (app.clone(), text.clone(), author.clone(), thread.clone());
    let found = blocking(move || store.db.search(&t, &a, &h, 100)).await??;
    let said = (search.said.as_deref() == Some("deleted")).then_some("Deleted.");
    Ok(html(StatusCode::OK, pages::published((&moderator, &csrf), (&text, &author, &thread), &found, said)))
}

async fn threads_page(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    said: Query<Said>,
) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let store = app.clone();
    let rows = blocking(move || store.db.threads_overview()).await??;
    let said = match said.said.as_deref() {
        Some("closed") => Some("Closed: its readers see that comments are closed."),
        Some("opened") => Some("Open again."),
        _ => None,
    };
    Ok(html(StatusCode::OK, pages::threads(&moderator, &csrf, &rows, said)))
}

async fn threads_action(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    let form = fields(&body);
    let moderator = match checked(&app, &headers, &form).await? {
        Ok(moderator) => moderator,
        Err(refused) => return Ok(refused),
    };
    let thread = field(&form, "thread").unwrap_or("").to_string();
    let closed = match field(&form, "action") {
        Some("close") => true,
        Some("open") => false,
        _ => return Ok(see_other("/admin/threads")),
    };
    if !crate::transfer::valid_thread(&thread) {
        return Ok(see_other("/admin/threads"));
    }
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        store.db.set_closed(&thread, closed, now_ms())?;
        store.db.record(&moderator, if closed { "close" } else { "open" }, &format!("thread {thread}"), now_ms())?;
        Ok(())
    })
    .await??;
    Ok(see_other(if closed { "/admin/threads?said=closed" } else { "/admin/threads?said=opened" }))
}

async fn words_page(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    said: Query<Said>,
) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let store = app.clone();
    let phrases = blocking(move || store.db.blocked_words()).await??;
    let said = match said.said.as_deref() {
        Some("added") => Some("Blocked: new comments with it wait for a moderator."),
        Some("removed") => Some("No longer blocked."),
        Some("invalid") => Some("A word or phrase is 1 to 100 visible characters."),
        _ => None,
    };
    Ok(html(StatusCode::OK, pages::words(&moderator, &csrf, &phrases, said)))
}

async fn words_action(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    let form = fields(&body);
    let moderator = match checked(&app, &headers, &form).await? {
        Ok(moderator) => moderator,
        Err(refused) => return Ok(refused),
    };
    let phrase = field(&form, "phrase").unwrap_or("").trim().to_string();
    let add = match field(&form, "action") {
        Some("add") => true,
        Some("remove") => false,
        _ => return Ok(see_other("/admin/words")),
    };
    let valid = (1..=100).contains(&phrase.chars().count()) && !phrase.chars().any(char::is_control);
    if !valid {
        return Ok(see_other("/admin/words?said=invalid"));
    }
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        store.db.set_blocked(&phrase, add, now_ms())?;
        store.db.record(&moderator, if add { "block" } else { "unblock" }, &phrase, now_ms())?;
        Ok(())
    })
    .await??;
    Ok(see_other(if add { "/admin/words?said=added" } else { "/admin/words?said=removed" }))
}

async fn bans_page(State(app): State<Arc<AppState>>, headers: HeaderMap, said: Query<Said>) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let store = app.clone();
    let rows = blocking(move || store.db.bans(now_ms())).await??;
    let said = (said.said.as_deref() == Some("lifted")).then_some("Lifted.");
    Ok(html(StatusCode::OK, pages::bans(&moderator, &csrf, &rows, said)))
}

async fn bans_action(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    let form = fields(&body);
    let moderator = match checked(&app, &headers, &form).await? {
        Ok(moderator) => moderator,
        Err(refused) => return Ok(refused),
    };
    let hash = field(&form, "hash").unwrap_or("").to_string();
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        if store.db.lift_ban(&hash)? {
            store.db.record(&moderator, "lift ban", hash.get(..12).unwrap_or(&hash), now_ms())?;
        }
        Ok(())
    })
    .await??;
    Ok(see_other("/admin/bans?said=lifted"))
}

async fn audit_page(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, Error> {
    let Some((_, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let store = app.clone();
    let rows = blocking(move || store.db.audit_log(200)).await??;
    Ok(html(StatusCode::OK, pages::audit(&moderator, &csrf, &rows)))
}

/// An action's checks, in order: its origin, a live session, the session's CSRF token.
/// The moderator, or the refusal to send.
async fn checked(
    app: &Arc<AppState>,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Result<Result<String, Response>, Error> {
    if foreign(app, headers) {
        return Ok(Err(forbidden("This form was sent from another site.")));
    }
    let Some((_, moderator, csrf)) = session(app, headers).await? else {
        return Ok(Err(forbidden("Your session has ended. Sign in again.")));
    };
    if !field(form, "csrf").is_some_and(|sent| constant_eq(sent, &csrf)) {
        return Ok(Err(forbidden("This form is out of date. Open the page again.")));
    }
    Ok(Ok(moderator))
}

async fn sign_out(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    if foreign(&app, &headers) {
        return Ok(forbidden("This form was sent from another site."));
    }
    let Some((hash, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let form = fields(&body);
    if !field(&form, "csrf").is_some_and(|sent| constant_eq(sent, &csrf)) {
        return Ok(forbidden("This form is out of date. Open the page again."));
    }
    let everywhere = field(&form, "everywhere").is_some();
    let store = app.clone();
    blocking(move || store.db.close_sessions((!everywhere).then_some(hash.as_str()), &moderator)).await??;
    let mut response = see_other("/admin/sign-in");
    let gone = format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&gone) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn stylesheet() -> Response {
    let mut response = pages::STYLE.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    response
}

/// The moderation pages' routes.
pub fn routes(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/admin", get(queue))
        .route("/admin/sign-in", get(sign_in_page).post(sign_in))
        .route("/admin/actions", post(actions))
        .route("/admin/threads", get(threads_page).post(threads_action))
        .route("/admin/audit", get(audit_page))
        .route("/admin/words", get(words_page).post(words_action))
        .route("/admin/bans", get(bans_page).post(bans_action))
        .route("/admin/comments", get(published_page))
        .route("/admin/sign-out", post(sign_out))
        .route("/admin/admin.css", get(stylesheet))
        .with_state(app)
}
