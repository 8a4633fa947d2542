//! The JSON-body extractor of a post: `Content-Type` JSON, a body within the size limit,
//! valid JSON text, an object. Its rejection is already the problem document.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{Map, Value};

/// The largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body that is a JSON object.
#[derive(Debug)]
pub struct JsonObject(pub Map<String, Value>);

fn is_json_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Whether reading the body stopped at the server's body deadline.
fn timed_out(rejection: &dyn std::error::Error) -> bool {
    let mut cause = rejection.source();
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        if !is_json_type(request.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "JSON only",
                "Send the comment as Content-Type: application/json.",
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                let detail = format!("A comment request may be at most {MAX_BODY_BYTES} bytes.");
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Too large", detail)
            } else if timed_out(&rejection) {
                Problem::new(StatusCode::REQUEST_TIMEOUT, "Too slow", "The request body did not arrive in time.")
            } else {
                Problem::new(StatusCode::BAD_REQUEST, "Unreadable body", "The request body could not be read.")
            }
        })?;
        let doc: Value = serde_json::from_slice(&body).map_err(|e| {
            let detail = format!("The request body is not valid JSON text ({e}).");
            Problem::new(StatusCode::BAD_REQUEST, "Invalid JSON", detail)
        })?;
        match doc {
            Value::Object(map) => Ok(JsonObject(map)),
            _ => Err(Problem::new(StatusCode::BAD_REQUEST, "Invalid JSON", "The request body must be a JSON object.")),
        }
    }
}

impl JsonObject {
    /// A text member: absent or `null` is empty; anything but a string is refused.
    pub fn text(&self, name: &str) -> Result<String, Problem> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(Problem::new(StatusCode::BAD_REQUEST, "Bad field", format!("\"{name}\" must be a string."))),
        }
    }
}
