//! `GET /api/threads/{thread}/comments`: a page of a thread's top-level comments in the
//! order asked (`sort`), each with its first replies embedded and its `reply_count`;
//! or, with `parent=ID`, the replies under one top-level comment. With a `Reader-Key`,
//! each comment says whether that reader recommends it. Contract v1.1; a v1 client
//! ignores what it does not know.
//!
//! Caching (docs/deploy.md): a list is the same for every reader (held comments are
//! never in it: their author's widget shows them from its own memory), so it carries a
//! strong `ETag` (a hash of its bytes: it changes whenever anything shown changes) and
//! the operator's `Cache-Control: public, max-age, stale-while-revalidate`, with
//! `Vary: Reader-Key, Accept-Encoding`; `If-None-Match` gets 304. The server keeps the
//! rendered page, and its brotli and gzip bodies once asked for, until its thread
//! changes (run/pages.rs). A list asked for with a `Reader-Key` says what that reader
//! recommends, so no cache keeps it, ours included (`no-store`).
//!
//! Asked for with `Accept: text/html` first, the thread is an HTML fragment instead
//! (api/plain.rs), kept alike; `Vary` names `Accept` on both.

use super::checks::json_text_response;
use super::extract::{Reader, Thread};
use super::plain;
use super::words::Words;
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::accounts::SignInMode;
use crate::rules::holding::Moderation;
use crate::run::pages::{Coding, Rendered};
use crate::run::ready::Kept;
use crate::run::state::AppState;
use crate::store::{FirstReplies, Order, Page};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::{Comment, Limits, Sort, Status};
use serde_json::{json, Value};
use std::sync::Arc;

/// The most comments one page gives.
pub const MAX_PAGE: usize = 100;
/// The page size when the client does not ask.
pub const DEFAULT_PAGE: usize = 50;

/// How many replies each top-level comment carries embedded; the rest come with
/// `?parent=ID`.
pub const EMBEDDED_REPLIES: usize = 3;

#[derive(serde::Deserialize)]
pub struct ListQuery {
    cursor: Option<String>,
    limit: Option<String>,
    sort: Option<String>,
    parent: Option<String>,
    /// The article the HTML fragment's form goes back to (api/plain.rs).
    article: Option<String>,
    /// The language of the HTML fragment's words (api/words.rs).
    locale: Option<String>,
}

fn bad(title: &'static str, detail: &str) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, title, detail.to_string())
}

impl ListQuery {
    /// How many comments the page holds.
    fn limit(&self) -> Result<usize, Problem> {
        match self.limit.as_deref() {
            None => Ok(DEFAULT_PAGE),
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| bad("Bad limit", &format!("limit must be between 1 and {MAX_PAGE}."))),
        }
    }

    /// The order and where the page starts; a cursor is only ever one this server gave
    /// for the same order.
    fn order(&self) -> Result<Order, Problem> {
        let sort = match self.sort.as_deref() {
            None | Some("") => Sort::Oldest,
            Some(name) => {
                Sort::from_name(name).ok_or_else(|| bad("Bad sort", "sort must be oldest, newest, top or featured."))?
            }
        };
        let cursor = self.cursor.as_deref().filter(|c| !c.is_empty());
        let number = |text: &str| text.parse::<i64>().ok().filter(|n| *n >= 0);
        let order = match (sort, cursor) {
            (Sort::Oldest, None) => Some(Order::Oldest(0)),
            (Sort::Newest, None) => Some(Order::Newest(i64::MAX)),
            (Sort::Top, None) => Some(Order::Top(i64::MAX, 0)),
            (Sort::Oldest, Some(c)) => number(c).map(Order::Oldest),
            (Sort::Newest, Some(c)) => number(c).map(Order::Newest),
            (Sort::Top, Some(c)) => c.split_once('.').and_then(|(r, i)| Some(Order::Top(number(r)?, number(i)?))),
            (Sort::Featured, None) => Some(Order::Featured(0)),
            (Sort::Featured, Some(c)) => number(c).map(Order::Featured),
        };
        order.ok_or_else(|| bad("Bad cursor", "The cursor is not one this server gave."))
    }
}

/// What this server offers beyond v1.
pub fn capabilities(app: &AppState) -> Value {
    let mut offered = json!({"replies": true, "recommend": true, "sort": Sort::ALL.map(Sort::as_str)});
    if let Some(window) = app.settings.edit_window {
        offered["edit_window_s"] = json!(window.as_secs());
    }
    if app.settings.report_threshold > 0 {
        offered["report"] = json!(true);
    }
    // Contract v1.2: a reader may ask what became of their comments, and the form says
    // before posting which comments wait for a moderator.
    offered["own_status"] = json!(true);
    offered["holds"] = match app.settings.moderation {
        Moderation::Off => json!([]),
        Moderation::Links => json!(["links"]),
        Moderation::First => json!(["links", "first"]),
        Moderation::All => json!(["all"]),
    };
    // Contract v1.3: readers sign in with the site's accounts (optional or required),
    // at `url` (where the widget sends a reader who is not signed in).
    let sign_in = &app.settings.accounts;
    if sign_in.mode != SignInMode::Off {
        offered["sign_in"] = json!({"mode": sign_in.mode.as_str(), "url": sign_in.url});
        // A signed-in reader with a verified address may ask to be told by e-mail.
        if app.settings.mail.is_some() {
            offered["notify"] = json!(true);
        }
    }
    offered
}

/// Marks the comments this reader recommends.
fn mark(app: &AppState, reader: Option<&str>, comments: &mut [&mut Comment]) -> Result<(), Error> {
    let Some(reader) = reader else { return Ok(()) };
    let ids: Vec<i64> = comments.iter().filter_map(|c| c.id.parse().ok()).collect();
    let theirs = app.db.recommended_by(reader, &ids)?;
    for c in comments.iter_mut() {
        c.recommended = c.id.parse().is_ok_and(|id| theirs.contains(&id));
    }
    Ok(())
}

/// A top-level comment as listed: its members, and its first replies.
#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    comment: &'a Comment,
    replies: &'a [Comment],
}

/// A page of top-level comments as sent (serialized straight to text: no JSON tree is
/// built per comment).
#[derive(serde::Serialize)]
struct TopPage<'a> {
    comments: Vec<Listed<'a>>,
    next: Option<String>,
    limits: Value,
    capabilities: Value,
    /// The newsroom closed the thread: no new comments (contract v1.1).
    closed: bool,
}

/// A page of top-level comments, each with its first replies, as JSON text.
fn top_page(app: &AppState, thread: &str, order: Order, limit: usize, reader: Option<&str>) -> Result<String, Error> {
    let Page { comments: mut top, next } = app.db.list_top(thread, order, limit)?;
    // Featured comments come alone (a featured reply among them, at any level): the
    // replies are for the thread's own orders.
    let featured = matches!(order, Order::Featured(_));
    let roots: Vec<i64> =
        if featured { Vec::new() } else { top.iter().map(|c| c.id.parse().unwrap_or_default()).collect() };
    let mut embedded = app.db.replies_of_page(&roots, EMBEDDED_REPLIES)?;
    let mut replies = Vec::with_capacity(top.len());
    for (c, root) in top.iter_mut().zip(&roots) {
        let FirstReplies { shown, total } = embedded.remove(root).unwrap_or_default();
        c.reply_count = Some(total);
        replies.push(shown);
    }
    replies.resize_with(top.len(), Vec::new);
    let mut all: Vec<&mut Comment> = top.iter_mut().chain(replies.iter_mut().flatten()).collect();
    mark(app, reader, &mut all)?;
    let limits = Limits::default();
    let page = TopPage {
        comments: top.iter().zip(&replies).map(|(comment, replies)| Listed { comment, replies }).collect(),
        next,
        limits: json!({"min_length": limits.min_length, "max_length": limits.max_length}),
        capabilities: capabilities(app),
        closed: app.db.is_closed(thread)?,
    };
    serde_json::to_string(&page).map_err(|_| Error::Internal("a page that does not serialize"))
}

/// The replies under the top-level comment `parent`, oldest first, a page at a time.
fn reply_page(
    app: &AppState,
    thread: &str,
    parent: &str,
    cursor: Option<&str>,
    limit: usize,
    reader: Option<&str>,
) -> Result<String, Error> {
    let no_such = || Problem::new(StatusCode::NOT_FOUND, "No such comment", "There is no such comment in this thread.");
    let id = parent.parse::<i64>().map_err(|_| no_such())?;
    let found = app.db.find(thread, id)?.ok_or_else(no_such)?;
    if found.root.is_some() || !matches!(found.comment.status, Status::Published | Status::Deleted) {
        return Err(no_such().into());
    }
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| bad("Bad cursor", "The cursor is not one this server gave."))?,
    };
    let mut replies = app.db.replies(id, after, limit + 1)?;
    let next = (replies.len() > limit).then(|| {
        replies.truncate(limit);
        replies.last().map(|c| c.id.clone())
    });
    let mut all: Vec<&mut Comment> = replies.iter_mut().collect();
    mark(app, reader, &mut all)?;
    Ok(json!({"comments": replies, "next": next.flatten()}).to_string())
}

/// `GET`: see the module's documentation.
pub async fn list(
    State(app): State<Arc<AppState>>,
    Thread(thread): Thread,
    Reader(reader): Reader,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
    // The request itself, for its headers (not copied, as a `HeaderMap` would be).
    request: Request,
) -> Result<Response, Error> {
    let headers = request.headers();
    let Query(query) = query.map_err(|_| bad("Bad query", "The query string could not be read."))?;
    let limit = query.limit()?;
    // The thread as HTML (comments without JavaScript), for everyone alike.
    let html = plain::wants_html(headers) && query.parent.is_none();
    let reader = if html { None } else { reader };
    // What the page is, in full: the key it is kept under.
    let (key, render): (String, Box<dyn FnOnce() -> Result<String, Error> + Send>) = {
        let (app, thread, reader) = (app.clone(), thread.clone(), reader.clone());
        match query.parent.clone() {
            _ if html => {
                let article = query.article.clone().filter(|a| !a.is_empty());
                let words = Words::for_locale(query.locale.as_deref());
                let key = format!("{thread}\nhtml\n{}\n{}", words.lang(), article.as_deref().unwrap_or_default());
                (key, Box::new(move || plain::fragment(&app, &thread, article.as_deref(), words)))
            }
            Some(parent) => {
                let cursor = query.cursor.clone().unwrap_or_default();
                let key = format!("{thread}\nparent={parent}\nafter={cursor}\n{limit}");
                let render = move || reply_page(&app, &thread, &parent, Some(&cursor), limit, reader.as_deref());
                (key, Box::new(render))
            }
            None => {
                let order = query.order()?;
                let key = format!("{thread}\n{order:?}\n{limit}");
                (key, Box::new(move || top_page(&app, &thread, order, limit, reader.as_deref())))
            }
        }
    };
    if reader.is_some() {
        // What this reader recommends: theirs alone, never kept.
        return Ok(json_text_response(StatusCode::OK, blocking(render).await??));
    }
    let page = if app.pages.on() {
        app.pages.page(&thread, key.clone(), render).await?
    } else {
        Arc::new(Rendered::new(blocking(render).await??))
    };
    let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
    let coding = page.sent_as(Coding::choose(accepted));
    let fresh = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| page.matches(v));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = app.pages.body(&key, &page, coding).await?;
        let mut ok = (StatusCode::OK, body).into_response();
        let kind = if html { "text/html; charset=utf-8" } else { "application/json" };
        ok.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        if let Some(coding) = coding.header() {
            ok.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        ok
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, page.tag(coding).clone());
    out.insert(header::CACHE_CONTROL, app.pages.cache_control().clone());
    // The compression layer leaves a coded body alone, and so says nothing of it.
    out.append(header::VARY, HeaderValue::from_static("Reader-Key, Accept-Encoding, Accept"));
    if app.pages.on() {
        // The same request is answered so again while the page is current (run/ready.rs).
        response.extensions_mut().insert(Kept { thread, key, page, coding });
    }
    Ok(response)
}
