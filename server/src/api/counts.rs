//! `GET /api/counts?threads=a,b,c` (issue 24): how many published comments each thread
//! has, for the count badges of a listing page (`reader-comments-count.js`), in one
//! request for the whole page: `{"counts": {"a": 12, "b": 0}}`. At most 100 threads;
//! cacheable as the lists are (`--cache-max-age`), the same for every reader.

use super::checks::json_response;
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::threads::valid_thread;
use crate::run::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The most threads one request may ask for.
pub const MAX_THREADS: usize = 100;

#[derive(serde::Deserialize)]
pub struct Asked {
    threads: Option<String>,
}

/// `GET`: the counts of the threads asked for.
pub async fn counts(State(app): State<Arc<AppState>>, Query(asked): Query<Asked>) -> Result<Response, Error> {
    let mut threads: Vec<String> = asked
        .threads
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    threads.sort();
    threads.dedup();
    if threads.is_empty() || threads.len() > MAX_THREADS || !threads.iter().all(|t| valid_thread(t)) {
        let detail = format!("Ask for 1 to {MAX_THREADS} thread keys, comma-separated: ?threads=a,b,c.");
        return Err(Problem::new(StatusCode::BAD_REQUEST, "Bad thread list", detail).into());
    }
    let store = app.clone();
    let counted = blocking(move || store.db.counts(&threads)).await??;
    let counts: Map<String, Value> = counted.into_iter().map(|(thread, n)| (thread, json!(n))).collect();
    let mut response = json_response(StatusCode::OK, json!({ "counts": counts }));
    response.headers_mut().insert(header::CACHE_CONTROL, app.pages.cache_control().clone());
    Ok(response)
}
