//! The whole application's routes and layers: the reader API (api/router.rs), the
//! moderation pages (admin.rs), the health check, the widget's static files, compression, security headers,
//! and the logging layer.

use crate::api::router::{method_not_allowed, routes};
use crate::error::log_failures;
use crate::problem::Problem;
use crate::run::limits::{headers_within, MAX_HEADERS, MAX_HEADER_BYTES};
use crate::run::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of the pages that the server itself serves (the demo).
const STATIC_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "Not found", "There is nothing at this address.")
}

/// Refuses oversized headers with a problem document (431) before any handler runs.
/// (hyper, below, only steps in for headers beyond its ~400 KB buffer.)
async fn bounded_headers(request: Request, next: Next) -> Response {
    if !headers_within(request.headers()) {
        let detail = format!("A request may carry at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of them.");
        return Problem::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "Headers too large", detail).into_response();
    }
    next.run(request).await
}

/// A request that wrote (any method but GET, HEAD and OPTIONS) is answered once every
/// instance that keeps pages has heard the write (PostgreSQL, store/watch.rs), so that
/// a read that begins after the answer, on any instance, has it. Another request's
/// write made meanwhile may make it wait too (harmless: a few milliseconds).
async fn settled(State(app): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let before = app.db.writes();
    let response = next.run(request).await;
    if app.db.writes() != before {
        if let Some(settling) = app.db.settle_soon() {
            settling.await;
        }
    }
    response
}

/// The whole application: the API, and the static widget and demo page.
pub fn router(app: Arc<AppState>) -> Router {
    let router = Router::new()
        .route("/healthz", get(health))
        .method_not_allowed_fallback(method_not_allowed)
        .merge(routes(app.clone()))
        .merge(crate::admin::routes(app.clone()));
    let router = match &app.settings.static_dir {
        // The widget's files may be loaded by pages on any origin, like from a CDN.
        Some(dir) => router.fallback_service(
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(STATIC_CSP),
                ))
                .service(ServeDir::new(dir).not_found_service(axum::routing::any(not_found))),
        ),
        None => router.fallback(not_found),
    };
    router
        .layer(axum::middleware::from_fn_with_state(app, settled))
        .layer(axum::middleware::map_response(log_failures))
        .layer(axum::middleware::from_fn(bounded_headers))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}
