//! The reader API's routes (`/api/threads/{thread}/comments…`, contract v1 and v1.1),
//! with its CORS policy and body limit.

use super::extract::MAX_BODY_BYTES;
use super::{counts, fate, listing, own, posting, reports, unsubscribe};
use crate::problem::Problem;
use crate::run::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::{get, patch, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The answer to a method an address does not take.
pub async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", "This address does not answer that method.")
}

fn cors(app: &AppState) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        app.settings.allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("reader-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600))
}

/// The API's routes, with their CORS policy and body limit.
pub fn routes(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/threads/{thread}/comments", get(listing::list).post(posting::create))
        .route("/api/threads/{thread}/comments/own", post(fate::own))
        .route("/api/threads/{thread}/comments/{id}", patch(own::edit).delete(own::delete))
        .route("/api/threads/{thread}/comments/{id}/recommend", post(own::recommend).delete(own::unrecommend))
        .route("/api/threads/{thread}/comments/{id}/report", post(reports::report))
        .route("/api/unsubscribe", get(unsubscribe::ask).post(unsubscribe::stop))
        .route("/api/counts", get(counts::counts))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(&app))
        .with_state(app.clone())
}
