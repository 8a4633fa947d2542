//! A comment's own addresses (contract v1.1): `PATCH` and `DELETE
//! /api/threads/{thread}/comments/{id}` by its author, with the edit token the post
//! answered with, while the edit window is open; `POST` and `DELETE
//! …/{id}/recommend` by any reader, once per reader key.

use super::checks::{charged, json_response, not_banned, still_open};
use super::extract::{no_such_comment, ChangeComment, ClientIp, JsonObject, RequiredReader, SignedIn};
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::holding;
use crate::rules::time::now_ms;
use crate::rules::tokens::same;
use crate::run::limits::Allowance;
use crate::run::state::AppState;
use crate::store::{token_hash, Recommended, Stored};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_body, Limits, Status};
use serde_json::json;
use std::sync::Arc;

/// The comment, if it is in the thread and not deleted.
pub async fn live(app: &Arc<AppState>, thread: String, id: i64) -> Result<Stored, Error> {
    let app = app.clone();
    match blocking(move || app.db.find(&thread, id)).await?? {
        Some(found) if found.comment.status != Status::Deleted => Ok(found),
        _ => Err(no_such_comment().into()),
    }
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
    ChangeComment { thread, id }: ChangeComment,
    headers: HeaderMap,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    let found = live(&app, thread.clone(), id).await?;
    authorised(&app, &headers, &found)?;
    let body = doc?.text("body")?;
    if let Some(error) = validate_body(&body, Limits::default()) {
        let hostile = matches!(error.code, "control_characters" | "stacked_marks");
        let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
        return Err(Problem::invalid(status, vec![error]).into());
    }
    let (checker, open) = (app.clone(), thread.clone());
    blocking(move || {
        still_open(&checker, &open)?;
        not_banned(&checker, client)
    })
    .await??;
    charged(&app, client, Allowance::Posts).await?;
    let body = normalize(&body);
    // An edit that adds a link or a blocked word is held like such a post; a held comment
    // stays held.
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        let hold = holding::rule(&store.db, store.settings.moderation, &found.comment.author, &body)?;
        let held = hold.is_some() || found.comment.status == Status::Pending;
        let status = if held { Status::Pending } else { Status::Published };
        Ok(store.db.edit(id, &body, status, hold.as_ref().map(|h| h.why.as_str()), now_ms())?)
    })
    .await??;
    let updated = live(&app, thread, id).await?;
    Ok(json_response(StatusCode::OK, json!(updated.comment)))
}

/// `DELETE`: removes the author's comment (one with replies keeps its place, emptied).
pub async fn delete(
    State(app): State<Arc<AppState>>,
    ChangeComment { thread, id }: ChangeComment,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let found = live(&app, thread, id).await?;
    authorised(&app, &headers, &found)?;
    blocking(move || app.db.remove(id, now_ms())).await??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn set_recommend(
    app: Arc<AppState>,
    client: std::net::IpAddr,
    ChangeComment { thread, id }: ChangeComment,
    RequiredReader(reader): RequiredReader,
    on: bool,
) -> Result<Response, Error> {
    let found = live(&app, thread, id).await?;
    if found.comment.status != Status::Published {
        return Err(no_such_comment().into());
    }
    charged(&app, client, Allowance::Recommends).await?;
    let Recommended { count, on } = blocking(move || app.db.recommend(id, &reader, on, now_ms())).await??;
    Ok(json_response(StatusCode::OK, json!({"recommends": count, "recommended": on})))
}

/// `POST …/recommend`: this reader recommends the comment (again is harmless).
pub async fn recommend(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    target: ChangeComment,
    _signed_in: SignedIn,
    reader: RequiredReader,
) -> Result<Response, Error> {
    set_recommend(app, client, target, reader, true).await
}

/// `DELETE …/recommend`: this reader takes the recommend back.
pub async fn unrecommend(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    target: ChangeComment,
    _signed_in: SignedIn,
    reader: RequiredReader,
) -> Result<Response, Error> {
    set_recommend(app, client, target, reader, false).await
}
