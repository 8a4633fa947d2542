//! What became of a reader's own comments (contract v1.2, own status): `POST
//! /api/threads/{thread}/comments/own` with the ids and edit tokens the reader's posts
//! were answered with. A `POST` with the tokens in its body, so that no token is in a URL
//! a CDN or a proxy logs, and so that only readers with comments of their own make it:
//! every other read stays a simple `GET` without a preflight.

use super::checks::json_response;
use super::extract::{JsonObject, Thread};
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::tokens::same;
use crate::run::state::AppState;
use crate::store::{token_hash, Own};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use std::sync::Arc;

/// The most comments one request may ask about (the widget keeps the newest 50 tokens).
pub const MOST_ASKED: usize = 50;

fn bad(detail: &str) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "Bad request", detail.to_string())
}

/// The `(id, token)` pairs asked about: `{"comments": [{"id": "12", "token": "…"}, …]}`.
fn asked(doc: &JsonObject) -> Result<Vec<(i64, String)>, Problem> {
    let Some(Value::Array(items)) = doc.0.get("comments") else {
        return Err(bad("\"comments\" must be a list of {\"id\", \"token\"} objects."));
    };
    if items.len() > MOST_ASKED {
        return Err(bad(&format!("Ask about at most {MOST_ASKED} comments at once.")));
    }
    let mut pairs = Vec::with_capacity(items.len());
    for item in items {
        let id = item.get("id").and_then(Value::as_str);
        let token = item.get("token").and_then(Value::as_str);
        let (Some(id), Some(token)) = (id, token) else {
            return Err(bad("Each of \"comments\" needs an \"id\" and a \"token\", both strings."));
        };
        // An id this server never gives, or an empty token, is simply not this reader's.
        if let (Ok(id), false) = (id.parse::<i64>(), token.is_empty()) {
            pairs.push((id, token.to_string()));
        }
    }
    Ok(pairs)
}

/// One comment's answer: where it stands, for its author only (the token must match).
fn state_of(id: i64, token: &str, found: &[Own]) -> Value {
    let own = found.iter().find(|o| {
        o.comment.id == id.to_string() && o.token_hash.as_deref().is_some_and(|h| same(&token_hash(token), h))
    });
    let Some(own) = own else {
        return json!({"id": id.to_string(), "state": "gone"});
    };
    // The comment as its author last saw it (a rejected one as it was when it waited);
    // `state` says where it stands.
    let comment = json!(own.comment);
    match &own.rejected {
        Some((code, text, note)) => {
            let mut reason = json!({"code": code, "text": text});
            if let Some(note) = note {
                reason["note"] = json!(note);
            }
            json!({"id": own.comment.id, "state": "rejected", "comment": comment, "reason": reason})
        }
        None => {
            let state =
                if own.comment.status == reader_comments_core::Status::Pending { "waiting" } else { "published" };
            json!({"id": own.comment.id, "state": state, "comment": comment})
        }
    }
}

/// `POST …/comments/own`: the state of each comment asked about, in the order asked.
pub async fn own(
    State(app): State<Arc<AppState>>,
    Thread(thread): Thread,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    let pairs = asked(&doc?)?;
    let ids: Vec<i64> = pairs.iter().map(|(id, _)| *id).collect();
    let found = blocking(move || app.db.own(&thread, &ids)).await??;
    let states: Vec<Value> = pairs.iter().map(|(id, token)| state_of(*id, token, &found)).collect();
    let mut response = json_response(StatusCode::OK, json!({"comments": states}));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
