//! The comments resource, `/api/threads/{thread}/comments`: `GET` lists a thread's
//! published comments a page at a time, `POST` adds one (contract v1,
//! `docs/contract.md`). Each handler reads as the contract's steps.

use crate::client::ClientIp;
use crate::error::{blocking, Error};
use crate::idempotency::{self, fingerprint};
use crate::json_body::JsonObject;
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_comment, Comment, Limits, Status};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The most comments one page gives.
pub const MAX_PAGE: usize = 100;
/// The page size when the client does not ask.
pub const DEFAULT_PAGE: usize = 50;

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A thread id from the path: 1 to 128 letters, digits, dots, dashes or underscores,
/// not starting with a dot. Anything else is no thread (404).
#[derive(Clone, Debug)]
pub struct Thread(pub String);

fn no_such_thread() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "No such thread",
        "A thread id is 1 to 128 letters, digits, dots, dashes or underscores.",
    )
}

impl<S: Send + Sync> FromRequestParts<S> for Thread {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(thread) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| no_such_thread())?;
        let ok = (1..=128).contains(&thread.len())
            && thread.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !thread.starts_with('.');
        if ok {
            Ok(Thread(thread))
        } else {
            Err(no_such_thread())
        }
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer to an accepted post: 201 when published, 202 when held.
fn posted(comment: &Comment) -> Response {
    let status = if comment.status == Status::Pending { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    json_response(status, json!(comment))
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

impl ListQuery {
    /// The id after which the page starts.
    fn after(&self) -> Result<i64, Problem> {
        match self.cursor.as_deref() {
            None | Some("") => Ok(0),
            Some(c) => c.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                Problem::new(StatusCode::BAD_REQUEST, "Bad cursor", "The cursor is not one this server gave.")
            }),
        }
    }

    /// How many comments the page holds.
    fn limit(&self) -> Result<usize, Problem> {
        match self.limit.as_deref() {
            None => Ok(DEFAULT_PAGE),
            Some(l) => l.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                Problem::new(StatusCode::BAD_REQUEST, "Bad limit", format!("limit must be between 1 and {MAX_PAGE}."))
            }),
        }
    }
}

/// `GET`: one page of published comments, oldest first, with the thread's limits.
pub async fn list(
    State(app): State<Arc<AppState>>,
    Thread(thread): Thread,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Error> {
    let Query(query) =
        query.map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "Bad query", "The query string could not be read."))?;
    let (after, limit) = (query.after()?, query.limit()?);
    let (comments, next) = blocking(move || app.db.list(&thread, after, limit)).await??;
    let limits = Limits::default();
    let limits = json!({"min_length": limits.min_length, "max_length": limits.max_length});
    Ok(json_response(StatusCode::OK, json!({"comments": comments, "next": next, "limits": limits})))
}

/// A new comment as the reader sent it, checked against the contract's rules and
/// normalised for storage.
struct NewComment {
    author: String,
    body: String,
    /// The field people never see was filled: a bot.
    honeypot: bool,
}

impl NewComment {
    fn read(doc: &JsonObject) -> Result<NewComment, Problem> {
        let (author, body) = (doc.text("author")?, doc.text("body")?);
        let errors = validate_comment(&author, &body, Limits::default());
        if !errors.is_empty() {
            let hostile = errors.iter().any(|e| matches!(e.code, "control_characters" | "stacked_marks"));
            let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            return Err(Problem::invalid(status, errors));
        }
        let honeypot = !doc.text("website")?.trim().is_empty();
        Ok(NewComment { author: normalize(&author), body: normalize(&body), honeypot })
    }
}

/// `POST`: stores a comment (or replays the answer to its idempotency key).
pub async fn create(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    thread: Result<Thread, Problem>,
    headers: HeaderMap,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    // Only a post that would be stored spends the client's allowance: a refused one
    // (another site's no-cors form, a malformed body) must not lock the reader out, nor
    // may the replay of one already stored.
    app.check_origin(&headers)?;
    let (Thread(thread), doc) = (thread?, doc?);
    let new = NewComment::read(&doc)?;
    let key = idempotency::key_from(&headers)?;
    let status =
        if app.settings.moderation.holds(&new.author, &new.body) { Status::Pending } else { Status::Published };
    if new.honeypot {
        app.charge_rate(client)?;
        // Answer as if held, store nothing.
        let decoy = Comment {
            id: format!("h{}", now_ms()),
            author: new.author,
            body: new.body,
            created_at: Some(now_ms()),
            status: Status::Pending,
        };
        return Ok(posted(&decoy));
    }
    let print = fingerprint(&new.author, &new.body);
    let holder = app.clone();
    let _claim = key.as_deref().map(|k| holder.in_flight.claim(&thread, k)).transpose()?;
    if let Some(key) = key.clone() {
        let (app, thread) = (app.clone(), thread.clone());
        if let Some(replay) = blocking(move || app.db.replay(&thread, &key)).await?? {
            return if replay.fingerprint == print {
                Ok(posted(&replay.comment))
            } else {
                Err(idempotency::reused().into())
            };
        }
    }
    app.charge_rate(client)?;
    let comment = blocking(move || {
        let idem = key.as_deref().map(|k| (k, print.as_str()));
        app.db.insert(&thread, &new.author, &new.body, status, now_ms(), idem)
    })
    .await??;
    Ok(posted(&comment))
}
