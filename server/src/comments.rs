//! The comments resource, `/api/threads/{thread}/comments`: `POST` adds a comment or
//! a reply (contracts v1 and v1.1, `docs/contract.md`; listing is in [`crate::listing`]).
//! Each handler reads as the contract's steps.

use crate::client::ClientIp;
use crate::db::{NewRow, WriteError};
use crate::error::{blocking, Error};
use crate::idempotency::{self, fingerprint};
use crate::json_body::JsonObject;
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_comment, Comment, FieldError, Limits, Status};
use serde_json::{json, Value};
use std::collections::HashMap;
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
        let Path(mut params) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| no_such_thread())?;
        let thread = params.remove("thread").ok_or_else(no_such_thread)?;
        if crate::transfer::valid_thread(&thread) {
            Ok(Thread(thread))
        } else {
            Err(no_such_thread())
        }
    }
}

/// A JSON answer that no cache keeps.
pub fn json_response(status: StatusCode, body: Value) -> Response {
    json_text_response(status, body.to_string())
}

/// [`json_response`] for a body already written as JSON text.
pub fn json_text_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer to an accepted post: 201 when published, 202 when held, with the
/// comment's edit token (contract v1.1), given only here.
fn posted(comment: &Comment, edit_token: &str) -> Response {
    let status = if comment.status == Status::Pending { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    let mut body = json!(comment);
    body["edit_token"] = json!(edit_token);
    json_response(status, body)
}

/// Refuses a post or an edit from a banned address: 403 with the code `banned`.
pub async fn not_banned(app: &Arc<AppState>, client: std::net::IpAddr) -> Result<(), Error> {
    let store = app.clone();
    let banned = blocking(move || {
        let hashes = crate::bans::hashes_of(store.db.as_ref(), client, now_ms());
        store.db.banned(&hashes, now_ms())
    })
    .await??;
    if banned {
        let detail = "Comments from your connection are not accepted for now.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Not accepted", detail).coded("banned").into());
    }
    Ok(())
}

/// Refuses a new comment (or a change) on a thread the newsroom closed: 403 with the
/// code `thread_closed` (contract v1.1).
pub async fn still_open(app: &Arc<AppState>, thread: &str) -> Result<(), Error> {
    let (store, key) = (app.clone(), thread.to_string());
    if blocking(move || store.db.is_closed(&key)).await?? {
        let detail = "Comments on this article are closed.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Comments are closed", detail).coded("thread_closed").into());
    }
    Ok(())
}

/// Counts a request against a client's allowance with `charge` (off the async threads:
/// on PostgreSQL the count is shared by every instance, a query).
pub async fn charged(
    app: &Arc<AppState>,
    client: std::net::IpAddr,
    charge: fn(&AppState, std::net::IpAddr) -> Result<(), Problem>,
) -> Result<(), Error> {
    let app = app.clone();
    Ok(blocking(move || charge(&app, client)).await??)
}

/// The answer to a post whose idempotency key was used before: the first answer again
/// (with a new edit token, whose hash replaces the first one's), 422 when the key came
/// with another comment, `None` when the key is new.
async fn replayed(
    app: &Arc<AppState>,
    thread: &str,
    key: &str,
    print: &str,
    token: &str,
    token_hash: &str,
) -> Result<Option<Response>, Error> {
    let (store, thread, key) = (app.clone(), thread.to_string(), key.to_string());
    let Some(replay) = blocking(move || store.db.replay(&thread, &key)).await?? else { return Ok(None) };
    if replay.fingerprint != print {
        return Err(idempotency::reused().into());
    }
    // Only the hash of the first answer's token is stored: the replay (which only the
    // holder of the key can ask for) gets a new one, replacing it.
    let id = replay.comment.id.parse::<i64>().unwrap_or_default();
    let (store, hash) = (app.clone(), token_hash.to_string());
    blocking(move || store.db.set_token(id, &hash)).await??;
    Ok(Some(posted(&replay.comment, token)))
}

/// A new edit token (128 random bits in hex) and the hash the store keeps of it.
fn new_token() -> Result<(String, String), Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| Error::Internal("no randomness for an edit token"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = crate::db::token_hash(&token);
    Ok((token, hash))
}

/// A new comment as the reader sent it, checked against the contract's rules and
/// normalised for storage.
struct NewComment {
    author: String,
    body: String,
    /// The comment it answers, as sent (contract v1.1).
    parent: Option<String>,
    /// The field people never see was filled: a bot.
    honeypot: bool,
}

impl NewComment {
    fn read(doc: &JsonObject) -> Result<NewComment, Problem> {
        let (author, body) = (doc.text("author")?, doc.text("body")?);
        let parent = match doc.0.get("parent_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(parent_not_found()),
        };
        let errors = validate_comment(&author, &body, Limits::default());
        if !errors.is_empty() {
            let hostile = errors.iter().any(|e| matches!(e.code, "control_characters" | "stacked_marks"));
            let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            return Err(Problem::invalid(status, errors));
        }
        let honeypot = !doc.text("website")?.trim().is_empty();
        Ok(NewComment { author: normalize(&author), body: normalize(&body), parent, honeypot })
    }
}

/// The 422 of a reply to a comment that is unknown, held, deleted or in another thread.
fn parent_not_found() -> Problem {
    let error = FieldError { field: "parent_id", code: "not_found", amount: None, limit: None };
    Problem::invalid(StatusCode::UNPROCESSABLE_ENTITY, vec![error])
}

/// The comment a reply answers and the top-level comment it sits under.
async fn find_parent(app: &Arc<AppState>, thread: &str, parent: &str) -> Result<(i64, i64), Error> {
    let Some(id) = parent.parse::<i64>().ok().filter(|id| *id > 0) else { return Err(parent_not_found().into()) };
    let (app, thread) = (app.clone(), thread.to_string());
    match blocking(move || app.db.find(&thread, id)).await?? {
        Some(found) if found.comment.status == Status::Published => Ok((id, found.root.unwrap_or(id))),
        _ => Err(parent_not_found().into()),
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
    // The reader key the widget sends when the endpoint takes one (recommends, reports):
    // only its keyed hash is kept, for `--moderation first`.
    let reader = crate::listing::reader_key(&headers)?.map(|k| app.db.reader_hash(&k));
    let reason = crate::holding::reason(&app, &new.author, &new.body, reader.clone()).await?;
    let status = if reason.is_some() { Status::Pending } else { Status::Published };
    let (token, token_hash) = new_token()?;
    if new.honeypot {
        charged(&app, client, AppState::charge_rate).await?;
        // Answer as if held, store nothing.
        let decoy = Comment {
            id: format!("h{}", now_ms()),
            author: new.author,
            body: new.body,
            created_at: Some(now_ms()),
            status: Status::Pending,
            parent_id: new.parent,
            ..Comment::default()
        };
        return Ok(posted(&decoy, &token));
    }
    let parent = match &new.parent {
        Some(p) => Some(find_parent(&app, &thread, p).await?),
        None => None,
    };
    let print = match parent {
        None => fingerprint(&new.author, &new.body),
        Some((id, _)) => json!([new.author, new.body, id]).to_string(),
    };
    let holder = app.clone();
    let _claim = key.as_deref().map(|k| holder.in_flight.claim(&thread, k)).transpose()?;
    if let Some(key) = key.clone() {
        if let Some(answer) = replayed(&app, &thread, &key, &print, &token, &token_hash).await? {
            return Ok(answer);
        }
    }
    still_open(&app, &thread).await?;
    not_banned(&app, client).await?;
    charged(&app, client, AppState::charge_rate).await?;
    let client_hash = crate::bans::client_hash(app.db.as_ref(), client, now_ms(), 0);
    let (store, row_thread, row_key, row_print, row_hash) =
        (app.clone(), thread.clone(), key.clone(), print.clone(), token_hash.clone());
    let stored = blocking(move || {
        let idempotency = row_key.as_deref().map(|k| (k, row_print.as_str()));
        store.db.insert_row(&NewRow {
            thread: &row_thread,
            author: &new.author,
            body: &new.body,
            status,
            created_at: now_ms(),
            parent,
            token_hash: Some(row_hash),
            idempotency,
            client: Some(client_hash),
            reader,
        })
    })
    .await?;
    let comment = match (stored, key) {
        // Another instance stored a post with this key meanwhile: its answer, replayed.
        (Err(WriteError::Duplicate), Some(key)) => {
            return match replayed(&app, &thread, &key, &print, &token, &token_hash).await? {
                Some(answer) => Ok(answer),
                None => Err(Error::Write(WriteError::Duplicate)),
            };
        }
        (stored, _) => stored?,
    };
    if let (Some(webhook), Some(reason)) = (&app.webhook, reason) {
        webhook.held(&thread, &comment, reason);
    }
    Ok(posted(&comment, &token))
}
