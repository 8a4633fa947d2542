//! The whole application's routes and layers: the API with its CORS policy and body
//! limit, the health check, the widget's static files, compression, security headers,
//! and the logging layer.

use crate::error::log_failures;
use crate::json_body::MAX_BODY_BYTES;
use crate::problem::Problem;
use crate::AppState;
use crate::{comments, listing, own, reports};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of the pages that the server itself serves (the demo).
const STATIC_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The most header bytes (names and values) a request may carry, and the most headers.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// See [`MAX_HEADER_BYTES`].
pub const MAX_HEADERS: usize = 100;

async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "Not found", "There is nothing at this address.")
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", "This address does not answer that method.")
}

/// Refuses oversized headers with a problem document (431) before any handler runs.
/// (hyper, below, only steps in for headers beyond its ~400 KB buffer.)
async fn bounded_headers(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        let detail = format!("A request may carry at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of them.");
        return Problem::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "Headers too large", detail).into_response();
    }
    next.run(request).await
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

/// The whole application: the API, and the static widget and demo page.
pub fn router(app: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/threads/{thread}/comments", get(listing::list).post(comments::create))
        .route("/api/threads/{thread}/comments/{id}", patch(own::edit).delete(own::delete))
        .route("/api/threads/{thread}/comments/{id}/recommend", post(own::recommend).delete(own::unrecommend))
        .route("/api/threads/{thread}/comments/{id}/report", post(reports::report))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(&app))
        .with_state(app.clone());
    let router = Router::new()
        .route("/healthz", get(health))
        .method_not_allowed_fallback(method_not_allowed)
        .merge(api)
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
        .layer(axum::middleware::map_response(log_failures))
        .layer(axum::middleware::from_fn(bounded_headers))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}
