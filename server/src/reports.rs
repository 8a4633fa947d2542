//! Readers' reports (contract v1.1, advertised as `capabilities.report`): `POST
//! /api/threads/{thread}/comments/{id}/report` with `{"reason": …}`, counted once per
//! reader key. When `--report-threshold` readers have reported a published comment
//! since a moderator last approved it, it waits in the queue again (and the webhook
//! says so). A report says nothing to other readers and is never shown to them.

use crate::client::ClientIp;
use crate::comments::{json_response, now_ms, Thread};
use crate::error::{blocking, Error};
use crate::json_body::JsonObject;
use crate::own::{live, required_reader_key, CommentId};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use reader_comments_core::{Status, REPORT_REASONS};
use serde_json::json;
use std::sync::Arc;

/// What moderators read for each reason a reader may give (the core's
/// `REPORT_REASONS`, which the widget offers), in the same order.
const REASON_WORDS: [&str; 3] = ["spam or advertising", "abusive or hateful", "something else"];

/// What moderators read for a reason's code.
pub fn reason_words(code: &str) -> &str {
    REPORT_REASONS.iter().position(|c| *c == code).map_or(code, |at| REASON_WORDS[at])
}

/// `POST …/{id}/report`: 202 once the report is recorded (again is harmless).
pub async fn report(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    thread: Result<Thread, Problem>,
    id: Result<CommentId, Problem>,
    headers: HeaderMap,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    app.check_origin(&headers)?;
    let threshold = app.settings.report_threshold;
    if threshold == 0 {
        let detail = "This server does not take reports.";
        return Err(Problem::new(StatusCode::NOT_FOUND, "Not found", detail).coded("reports_off").into());
    }
    let (Thread(thread), CommentId(id)) = (thread?, id?);
    let key = required_reader_key(&headers)?;
    let reason = doc?.text("reason")?;
    if !REPORT_REASONS.contains(&reason.as_str()) {
        let detail = format!("A report's reason is one of: {}.", REPORT_REASONS.join(", "));
        return Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Unknown reason", detail)
            .coded("invalid_reason")
            .into());
    }
    let found = live(&app, thread.clone(), id).await?;
    crate::comments::not_banned(&app, client).await?;
    crate::comments::charged(&app, client, AppState::charge_report).await?;
    let store = app.clone();
    let reader = app.db.reader_hash(&key);
    let done = blocking(move || -> Result<_, Error> {
        let done = store.db.report(id, &reader, &reason, threshold, now_ms())?;
        if done.requeued {
            // Not a moderator's doing (a name no moderator can have), but the log says what changed.
            let why = format!("comment {id}: reported by {threshold} readers");
            store.db.record("(readers)", "back to the queue", &why, now_ms())?;
        }
        Ok(done)
    })
    .await??;
    if let (true, Some(webhook)) = (done.requeued, &app.webhook) {
        let comment = reader_comments_core::Comment { status: Status::Pending, ..found.comment };
        webhook.held(&thread, &comment, "reported by readers");
    }
    Ok(json_response(StatusCode::ACCEPTED, json!({"reported": true})))
}
