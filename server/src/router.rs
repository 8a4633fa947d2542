//! The whole application's routes and layers: the API with its CORS policy and body
//! limit, the health check, the widget's static files, compression, security headers,
//! and the logging layer.

use crate::comments;
use crate::error::log_failures;
use crate::json_body::MAX_BODY_BYTES;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::get;
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

async fn health() -> &'static str {
    "ok"
}

fn cors(app: &AppState) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        app.settings.allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("idempotency-key")])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600))
}

/// The whole application: the API, and the static widget and demo page.
pub fn router(app: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/threads/{thread}/comments", get(comments::list).post(comments::create))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(&app))
        .with_state(app.clone());
    let mut router = Router::new().route("/healthz", get(health)).merge(api);
    if let Some(dir) = &app.settings.static_dir {
        // The widget's files may be loaded by pages on any origin, like from a CDN.
        let files = Router::new()
            .fallback_service(ServeDir::new(dir))
            .layer(SetResponseHeaderLayer::overriding(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(STATIC_CSP),
            ));
        router = router.merge(files);
    }
    router
        .layer(axum::middleware::map_response(log_failures))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}
