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

mod actions;
mod pages;
mod session;

use crate::comments::now_ms;
use crate::error::{blocking, Error};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use reader_comments_core::Comment;
use session::Moderator;
pub use session::{hash_password, Failures};
use std::sync::Arc;

/// The session cookie's name (`__Host-`: Secure, host-only, path `/`).
pub const COOKIE: &str = "__Host-rc-admin";
/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;
/// The pages' policy: nothing but this server's stylesheet and script, forms to itself.
const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// An HTML page, never cached, with the pages' policy.
pub(crate) fn html(status: StatusCode, markup: maud::Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

pub(crate) fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A refusal page (403) with the reason and a way to sign in.
pub(crate) fn forbidden(why: &str) -> Response {
    let body = pages::page(
        "Refused",
        None,
        maud::html! { h2 { "Refused" } p class="error" { (why) } p { a href="/admin/sign-in" { "Sign in" } } },
    );
    html(StatusCode::FORBIDDEN, body)
}

#[derive(serde::Deserialize)]
struct Said {
    said: Option<String>,
    /// The queue of one thread only (a thread key; anything else is ignored).
    thread: Option<String>,
}

/// Only the messages a page knows are shown: nothing from the address is ever echoed.
fn said(known: &[(&str, &'static str)], said: &Said) -> Option<&'static str> {
    known.iter().find(|(code, _)| Some(*code) == said.said.as_deref()).map(|(_, words)| *words)
}

/// Said after "Reject and ban" (queue) or "Delete and ban" (published) when the comment
/// has no address hash to ban (imported, or stored before bans).
const NOT_BANNED: [&str; 2] = [
    "Rejected. No ban was made: this comment's author address is not known (an imported comment, or one from before bans).",
    "Deleted. No ban was made: this comment's author address is not known (an imported comment, or one from before bans).",
];
/// Said when a ban's length is not one the pages offer.
const BAN_LENGTH: &str = "Nothing was done: a ban lasts 1 to 30 days.";

/// How many comments the queue shows at once: a flood of spam must not make a page
/// too large to load; what is acted on makes room for the next.
const QUEUE_SHOWN: usize = 200;

/// For each of `rows` that is a reply, whom it answers: the name and the start of that
/// comment (both empty when it was deleted), the parents found in one look-up.
fn answered(
    store: &dyn crate::store::Store,
    rows: &[(String, Comment)],
) -> Result<Vec<Option<(String, String)>>, Error> {
    let parent_of = |c: &Comment| c.parent_id.as_deref().and_then(|p| p.parse::<i64>().ok());
    let parents = store.comments_by_id(&rows.iter().filter_map(|(_, c)| parent_of(c)).collect::<Vec<_>>())?;
    let answer = |parent: i64| match parents.get(&parent) {
        Some(found) if found.status != reader_comments_core::Status::Deleted => {
            let mut start: String = found.body.chars().take(140).collect();
            if start.len() < found.body.len() {
                start.push('\u{2026}');
            }
            (found.author.clone(), start)
        }
        _ => (String::new(), String::new()),
    };
    Ok(rows.iter().map(|(_, c)| parent_of(c).map(answer)).collect())
}

/// The queue: comments waiting, newest first, each with why it waits, and for a reply
/// whom it answers.
async fn queue(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let thread = query.thread.clone().filter(|t| crate::transfer::valid_thread(t));
    let (store, only) = (app.clone(), thread.clone());
    let (waiting, total) = blocking(move || -> Result<_, Error> {
        let only = only.as_deref();
        let (pending, blocked) = (store.db.pending(only, QUEUE_SHOWN)?, store.db.blocked_words()?);
        let total = store.db.pending_count(only)?;
        let ids: Vec<i64> = pending.iter().filter_map(|(_, c)| c.id.parse().ok()).collect();
        let reports = store.db.open_reports(&ids)?;
        let firsts = match store.settings.moderation {
            crate::Moderation::First => Some(store.db.first_comments(&ids)?),
            _ => None,
        };
        let answered = answered(store.db.as_ref(), &pending)?;
        let waiting = pending
            .into_iter()
            .zip(answered)
            .map(|((thread, comment), reply_to)| {
                let id = comment.id.parse::<i64>().unwrap_or(0);
                let first = firsts.as_ref().map(|firsts| firsts.contains(&id));
                let why = crate::holding::why_held(&comment, &blocked, reports.get(&id).map(Vec::as_slice), first);
                pages::Waiting { thread, comment, why, reply_to }
            })
            .collect::<Vec<_>>();
        Ok((waiting, total))
    })
    .await??;
    let known = [
        ("approved", "Approved."),
        ("rejected", "Rejected."),
        ("banned", "Rejected, and its author's address is banned (the bans page says until when)."),
        ("not_banned", NOT_BANNED[0]),
        ("ban_length", BAN_LENGTH),
        ("none", "Nothing was selected."),
    ];
    Ok(html(
        StatusCode::OK,
        pages::queue((&who.name, &who.csrf), (&waiting, total, thread.as_deref()), said(&known, &query)),
    ))
}

#[derive(serde::Deserialize, Default)]
struct Search {
    text: Option<String>,
    author: Option<String>,
    thread: Option<String>,
    said: Option<String>,
}

/// Published comments found by text, author and thread, with Delete.
async fn published(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Search>) -> Result<Response, Error> {
    let Query(search) = query;
    let bounded = |s: &Option<String>| s.as_deref().unwrap_or("").chars().take(200).collect::<String>();
    let (text, author, thread) = (bounded(&search.text), bounded(&search.author), bounded(&search.thread));
    let (store, t, a, h) = (app.clone(), text.clone(), author.clone(), thread.clone());
    let found = blocking(move || -> Result<_, Error> {
        let found = store.db.search(&t, &a, &h, 100)?;
        let answered = answered(store.db.as_ref(), &found)?;
        Ok(found.into_iter().zip(answered).map(|((thread, c), reply_to)| (thread, c, reply_to)).collect::<Vec<_>>())
    })
    .await??;
    let known = [
        ("deleted", "Deleted."),
        ("banned", "Deleted, and its author's address is banned (the bans page says until when)."),
        ("not_banned", NOT_BANNED[1]),
        ("ban_length", BAN_LENGTH),
        ("none", "Nothing was selected."),
    ];
    let said = known.iter().find(|(code, _)| Some(*code) == search.said.as_deref()).map(|(_, words)| *words);
    Ok(html(StatusCode::OK, pages::published((&who.name, &who.csrf), (&text, &author, &thread), &found, said)))
}

/// The threads with their counts and the open/closed switch.
async fn threads(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let rows = blocking(move || store.db.threads_overview()).await??;
    let known = [("closed", "Closed: its readers see that comments are closed."), ("opened", "Open again.")];
    Ok(html(StatusCode::OK, pages::threads((&who.name, &who.csrf), &rows, said(&known, &query))))
}

/// The blocked words and phrases.
async fn words(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let phrases = blocking(move || store.db.blocked_words()).await??;
    let known = [
        ("added", "Blocked: new comments with it wait for a moderator."),
        ("removed", "No longer blocked."),
        ("invalid", "A word or phrase is 1 to 100 visible characters."),
    ];
    Ok(html(StatusCode::OK, pages::words((&who.name, &who.csrf), &phrases, said(&known, &query))))
}

/// The bans in force, with Lift.
async fn bans(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let rows = blocking(move || store.db.bans(now_ms())).await??;
    Ok(html(StatusCode::OK, pages::bans((&who.name, &who.csrf), &rows, said(&[("lifted", "Lifted.")], &query))))
}

/// The audit log, newest first.
async fn audit(State(app): State<Arc<AppState>>, who: Moderator) -> Result<Response, Error> {
    let store = app.clone();
    let rows = blocking(move || store.db.audit_log(pages::AUDIT_SHOWN)).await??;
    Ok(html(StatusCode::OK, pages::audit((&who.name, &who.csrf), &rows)))
}

/// A static file of the pages, with its type.
fn asset(text: &'static str, content_type: &'static str) -> Response {
    let mut response = text.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The moderation pages' routes.
pub fn routes(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/admin", get(queue))
        .route("/admin/sign-in", get(session::sign_in_page).post(session::sign_in))
        .route("/admin/actions", post(actions::comments))
        .route("/admin/threads", get(threads).post(actions::threads))
        .route("/admin/audit", get(audit))
        .route("/admin/words", get(words).post(actions::words))
        .route("/admin/bans", get(bans).post(actions::bans))
        .route("/admin/comments", get(published))
        .route("/admin/sign-out", post(session::sign_out))
        .route("/admin/admin.css", get(|| async { asset(pages::STYLE, "text/css; charset=utf-8") }))
        .route("/admin/admin.js", get(|| async { asset(pages::SCRIPT, "text/javascript; charset=utf-8") }))
        .with_state(app)
}
