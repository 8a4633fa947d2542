//! The checks a change goes through before the store is asked (each asks the store, so
//! each runs on a worker thread, with the rest of the request's store work): the thread
//! is open, the client is not banned, the client's allowance is not spent; and how a
//! JSON answer is sent.

use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::bans::hashes_of;
use crate::rules::time::now_ms;
use crate::run::limits::Allowance;
use crate::run::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::time::format_rfc3339;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;

/// Refuses a post or an edit from a banned address: 403 with the code `banned`.
/// Blocking (it asks the store): on a worker thread.
pub fn not_banned(app: &AppState, client: IpAddr) -> Result<(), Error> {
    if app.db.banned(&hashes_of(&app.db, client, now_ms()), now_ms())? {
        let detail = "Comments from your connection are not accepted for now.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Not accepted", detail).coded("banned").into());
    }
    Ok(())
}

/// Refuses a comment from a signed-in account the moderators suspended or banned: 403
/// coded `account_suspended` (with `until`) or `account_banned`, with the moderators'
/// `reason` for the account's owner (contract v1.3). Blocking.
pub fn account_allowed(app: &AppState, account: &str) -> Result<(), Error> {
    let Some(bar) = app.db.account_bar(account, now_ms())? else { return Ok(()) };
    let problem = match bar.until {
        Some(until) => {
            let detail = format!("Your account may not comment until {}. {}", format_rfc3339(until), bar.reason);
            Problem::new(StatusCode::FORBIDDEN, "Your account is suspended", detail)
                .coded("account_suspended")
                .with("until", json!(format_rfc3339(until)))
        }
        None => {
            let detail = format!("Your account may no longer comment. {}", bar.reason);
            Problem::new(StatusCode::FORBIDDEN, "Your account is banned", detail).coded("account_banned")
        }
    };
    Err(problem.with("reason", json!(bar.reason)).into())
}

/// Refuses a new comment (or a change) on a thread the newsroom closed: 403 with the
/// code `thread_closed` (contract v1.1). Blocking.
pub fn still_open(app: &AppState, thread: &str) -> Result<(), Error> {
    if app.db.is_closed(thread)? {
        let detail = "Comments on this article are closed.";
        return Err(Problem::new(StatusCode::FORBIDDEN, "Comments are closed", detail).coded("thread_closed").into());
    }
    Ok(())
}

/// Counts a request against the client's `allowance` (on PostgreSQL the count is shared
/// by every instance: a query).
pub async fn charged(app: &Arc<AppState>, client: IpAddr, allowance: Allowance) -> Result<(), Error> {
    let app = app.clone();
    Ok(blocking(move || app.charge(allowance, client)).await??)
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
