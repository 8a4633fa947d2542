//! A comment's own addresses (contract v1.1): `PATCH` and `DELETE
//! /api/threads/{thread}/comments/{id}` by its author, with the edit token the post
//! answered with, while the edit window is open; `POST` and `DELETE
//! …/{id}/recommend` by any reader, once per reader key.

use crate::client::ClientIp;
use crate::comments::{json_response, now_ms, Thread};
use crate::db::{token_hash, Stored};
use crate::error::{blocking, Error};
use crate::json_body::JsonObject;
use crate::listing::reader_key;
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_body, Limits, Status};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

fn no_such_comment() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "No such comment", "There is no such comment in this thread.")
}

/// A comment id from the path (the server's ids are positive integers).
pub struct CommentId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for CommentId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(params) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| no_such_comment())?;
        params
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(CommentId)
            .ok_or_else(no_such_comment)
    }
}

/// The reader's key, which recommends and reports need (one per reader).
pub fn required_reader_key(headers: &HeaderMap) -> Result<String, Problem> {
    reader_key(headers)?.ok_or_else(|| {
        let detail = "Send the reader's key (32 hexadecimal digits) in the Reader-Key header.";
        Problem::new(StatusCode::BAD_REQUEST, "Reader-Key required", detail)
    })
}

/// The comment, if it is in the thread and not deleted.
pub async fn live(app: &Arc<AppState>, thread: String, id: i64) -> Result<Stored, Error> {
    let app = app.clone();
    match blocking(move || app.db.find(&thread, id)).await?? {
        Some(found) if found.comment.status != Status::Deleted => Ok(found),
        _ => Err(no_such_comment().into()),
    }
}

/// Whether the two strings are equal, in a time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The author's right to change `found` now: the right token, inside the window.
fn authorised(app: &AppState, headers: &HeaderMap, found: &Stored) -> Result<(), Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let matches = match (token, &found.token_hash) {
        (Some(token), Some(hash)) => same(&token_hash(token), hash),
        _ => false,
    };
    if !matches {
        let detail = "Only the person who wrote this comment can change it, from the browser they wrote it in.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Not your comment", detail).coded("invalid_token"));
    }
    let open = match (app.settings.edit_window, found.comment.created_at) {
        (Some(window), Some(created)) => now_ms() - created <= window.as_millis() as i64,
        _ => false,
    };
    if !open {
        let detail = "The time for editing or deleting this comment has passed.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Too late to change", detail).coded("edit_window_closed"));
    }
    Ok(())
}

/// `PATCH`: replaces the text of the author's comment (same rules as posting).
pub async fn edit(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    app.check_origin(&headers)?;
    let (Thread(thread), CommentId(id)) = (thread?, id?);
    let found = live(&app, thread.clone(), id).await?;
    authorised(&app, &headers, &found)?;
    let body = doc?.text("body")?;
    if let Some(error) = validate_body(&body, Limits::default()) {
        let hostile = matches!(error.code, "control_characters" | "stacked_marks");
        let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
        return Err(Problem::invalid(status, vec![error]).into());
    }
    crate::comments::still_open(&app, &thread).await?;
    crate::comments::not_banned(&app, client).await?;
    crate::comments::charged(&app, client, AppState::charge_rate).await?;
    let body = normalize(&body);
    // An edit that adds a link or a blocked word is held like such a post; a held comment
    // stays held.
    let held = found.comment.status == Status::Pending
        || app.settings.moderation.holds(&found.comment.author, &body)
        || crate::holding::blocked(&app, &found.comment.author, &body).await?;
    let status = if held { Status::Pending } else { Status::Published };
    let store = app.clone();
    blocking(move || store.db.edit(id, &body, status, now_ms())).await??;
    let updated = live(&app, thread, id).await?;
    Ok(json_response(StatusCode::OK, json!(updated.comment)))
}

/// `DELETE`: removes the author's comment (one with replies keeps its place, emptied).
pub async fn delete(
    State(app): State<Arc<AppState>>,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    app.check_origin(&headers)?;
    let (Thread(thread), CommentId(id)) = (thread?, id?);
    let found = live(&app, thread, id).await?;
    authorised(&app, &headers, &found)?;
    blocking(move || app.db.remove(id, now_ms())).await??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn set_recommend(
    app: Arc<AppState>,
    client: std::net::IpAddr,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
    on: bool,
) -> Result<Response, Error> {
    app.check_origin(&headers)?;
    let (Thread(thread), CommentId(id)) = (thread?, id?);
    let key = required_reader_key(&headers)?;
    let found = live(&app, thread, id).await?;
    if found.comment.status != Status::Published {
        return Err(no_such_comment().into());
    }
    crate::comments::charged(&app, client, AppState::charge_recommend).await?;
    let reader = app.db.reader_hash(&key);
    let (count, recommended) = blocking(move || app.db.recommend(id, &reader, on, now_ms())).await??;
    Ok(json_response(StatusCode::OK, json!({"recommends": count, "recommended": recommended})))
}

/// `POST …/recommend`: this reader recommends the comment (again is harmless).
pub async fn recommend(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    set_recommend(app, client, thread, id, headers, true).await
}

/// `DELETE …/recommend`: this reader takes the recommend back.
pub async fn unrecommend(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    set_recommend(app, client, thread, id, headers, false).await
}
