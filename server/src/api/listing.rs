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
//! `Vary: Reader-Key`; `If-None-Match` gets 304. A list asked for with a `Reader-Key`
//! says what that reader recommends, so no cache keeps it (`private, no-store`).

use super::checks::json_text_response;
use super::extract::{Reader, Thread};
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::run::settings::CachePolicy;
use crate::run::state::AppState;
use crate::store::{FirstReplies, Order, Page};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::{Comment, Limits, Sort, Status};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
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
                Sort::from_name(name).ok_or_else(|| bad("Bad sort", "sort must be oldest, newest or top."))?
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
    let roots: Vec<i64> = top.iter().map(|c| c.id.parse().unwrap_or_default()).collect();
    let mut embedded = app.db.replies_of_page(&roots, EMBEDDED_REPLIES)?;
    let mut replies = Vec::with_capacity(top.len());
    for (c, root) in top.iter_mut().zip(&roots) {
        let FirstReplies { shown, total } = embedded.remove(root).unwrap_or_default();
        c.reply_count = Some(total);
        replies.push(shown);
    }
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
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(query) = query.map_err(|_| bad("Bad query", "The query string could not be read."))?;
    let limit = query.limit()?;
    let policy = reader.is_none().then_some(app.settings.cache);
    let body = match query.parent.clone() {
        Some(parent) => {
            blocking(move || reply_page(&app, &thread, &parent, query.cursor.as_deref(), limit, reader.as_deref()))
                .await??
        }
        None => {
            let order = query.order()?;
            blocking(move || top_page(&app, &thread, order, limit, reader.as_deref())).await??
        }
    };
    let Some(policy) = policy else { return Ok(json_text_response(StatusCode::OK, body)) };
    Ok(cacheable(body, policy, &headers))
}

/// A strong entity tag for `body`: 128 bits of its SHA-256, so it changes whenever a
/// byte of the list does.
fn entity_tag(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` header names `tag` (or is `*`); as for every GET, a
/// weak tag matches its strong twin.
fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// A list every reader sees alike: its entity tag and cache policy, and 304 with no
/// body when the client (or a cache in between) already holds these bytes.
fn cacheable(body: String, policy: CachePolicy, request: &HeaderMap) -> Response {
    let tag = entity_tag(&body);
    let fresh = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| matches(v, &tag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut ok = (StatusCode::OK, body).into_response();
        ok.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        ok
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&policy.header()) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.append(header::VARY, HeaderValue::from_static("Reader-Key"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_tag_is_strong_and_follows_every_byte() {
        let (a, b) = (entity_tag("{\"comments\":[]}"), entity_tag("{\"comments\":[1]}"));
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 34, "{a}");
        assert_ne!(a, b);
        assert_eq!(a, entity_tag("{\"comments\":[]}"));
    }

    #[test]
    fn if_none_match_takes_lists_weak_twins_and_star() {
        let tag = "\"abc\"";
        for header in ["\"abc\"", "\"x\", \"abc\"", "W/\"abc\"", "*", " \"abc\" "] {
            assert!(matches(header, tag), "{header}");
        }
        for header in ["\"abd\"", "abc", "", "\"ABC\""] {
            assert!(!matches(header, tag), "{header}");
        }
    }
}
