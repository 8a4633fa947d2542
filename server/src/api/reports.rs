//! Readers' reports (contract v1.1, advertised as `capabilities.report`): `POST
//! /api/threads/{thread}/comments/{id}/report` with `{"reason": …}`, counted once per
//! reader key and once per client (an IPv4 address or IPv6 /64, through the keyed,
//! rotating hash bans use: one address counts once whatever keys it sends), and each
//! client's reports have their own allowance (`--report-rate-limit`). When
//! `--report-threshold` reports count for a published comment since a moderator last
//! approved it, it waits in the queue again (and the webhook says so). A report says
//! nothing to other readers and is never shown to them.

use super::checks::{charged, json_response, not_banned};
use super::extract::{ChangeComment, ClientIp, JsonObject, RequiredReader, SignedIn};
use super::own::live;
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::bans::client_hash;
use crate::rules::time::now_ms;
use crate::run::limits::Allowance;
use crate::run::state::AppState;
use crate::store::ReportBy;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use reader_comments_core::{Comment, Status, REPORT_REASONS};
use serde_json::json;
use std::sync::Arc;

/// `POST …/{id}/report`: 202 once the report is recorded (again is harmless).
pub async fn report(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    ChangeComment { thread, id }: ChangeComment,
    _signed_in: SignedIn,
    RequiredReader(reader): RequiredReader,
    doc: Result<JsonObject, Problem>,
) -> Result<Response, Error> {
    let threshold = app.settings.report_threshold;
    if threshold == 0 {
        let detail = "This server does not take reports.";
        return Err(Problem::new(StatusCode::NOT_FOUND, "Not found", detail).coded("reports_off").into());
    }
    let reason = doc?.text("reason")?;
    if !REPORT_REASONS.contains(&reason.as_str()) {
        let detail = format!("A report's reason is one of: {}.", REPORT_REASONS.join(", "));
        return Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Unknown reason", detail)
            .coded("invalid_reason")
            .into());
    }
    let found = live(&app, thread.clone(), id).await?;
    let checker = app.clone();
    blocking(move || not_banned(&checker, client)).await??;
    charged(&app, client, Allowance::Reports).await?;
    let store = app.clone();
    let done = blocking(move || -> Result<_, Error> {
        let client = client_hash(&store.db, client, now_ms(), 0);
        let by = ReportBy { reader: &reader, client: Some(&client), reason: &reason };
        let done = store.db.report(id, by, threshold, now_ms())?;
        if done.requeued {
            // Not a moderator's doing (a name no moderator can have), but the log says what changed.
            let why = format!("comment {id}: reported by {threshold} readers");
            store.db.record("(readers)", "back to the queue", &why, now_ms())?;
        }
        Ok(done)
    })
    .await??;
    if let (true, Some(webhook)) = (done.requeued, &app.webhook) {
        let comment = Comment { status: Status::Pending, ..found.comment };
        webhook.held(&thread, &comment, "reported by readers");
    }
    Ok(json_response(StatusCode::ACCEPTED, json!({"reported": true})))
}
