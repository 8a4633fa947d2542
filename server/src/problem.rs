//! RFC 9457 problem responses: every error the server gives is one, with a message a
//! reader can be shown and, for a refused comment, the field it concerns.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::FieldError;
use serde_json::json;

/// The `Retry-After` of a 503 for a storage fault.
pub const RETRY_UNAVAILABLE_SECS: u64 = 5;

/// An error response.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    code: Option<&'static str>,
    /// More members for a client to act on (`reason`, `until` of a suspended account).
    /// Boxed: every error carries a `Problem`, and most have none.
    members: Option<Box<serde_json::Map<String, serde_json::Value>>>,
}

impl Problem {
    /// A problem with a status, a short title and a sentence of detail.
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            code: None,
            members: None,
        }
    }

    /// A refused comment, with its field errors.
    pub fn invalid(status: StatusCode, errors: Vec<FieldError>) -> Self {
        let detail = errors.iter().map(FieldError::message).collect::<Vec<_>>().join(". ");
        Problem {
            status,
            title: "Your comment could not be accepted",
            detail,
            errors,
            retry_after: None,
            code: None,
            members: None,
        }
    }

    /// The same problem with a top-level `code` saying why, for clients to act on
    /// (`edit_window_closed`, `invalid_token`).
    pub fn coded(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The same problem with one more member (`reason`, `until`).
    pub fn with(mut self, name: &'static str, value: serde_json::Value) -> Self {
        self.members.get_or_insert_with(Default::default).insert(name.to_string(), value);
        self
    }

    /// Its status, and the sentence that says what went wrong (for an HTML page).
    pub fn said(&self) -> (StatusCode, &str) {
        (self.status, if self.detail.is_empty() { self.title } else { &self.detail })
    }

    /// The fields refused, with why (a refused comment's).
    pub fn field_errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// The code saying why, if it has one.
    pub fn code(&self) -> Option<&'static str> {
        self.code
    }

    /// 503 with `Retry-After`: the store cannot take the comment for now.
    pub fn unavailable() -> Self {
        let mut p = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Temporarily unavailable",
            "Comments cannot be saved right now. Yours was not saved; please try again in a few seconds.",
        );
        p.retry_after = Some(RETRY_UNAVAILABLE_SECS);
        p
    }

    /// 503 with `Retry-After`: the store cannot be read for now.
    pub fn unavailable_to_read() -> Self {
        let mut p = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Temporarily unavailable",
            "The comments cannot be loaded right now; please try again in a few seconds.",
        );
        p.retry_after = Some(RETRY_UNAVAILABLE_SECS);
        p
    }

    /// 429 with the seconds to wait; `what` is what came too quickly ("comments").
    /// Its status, its sentence for a person, and the seconds to wait if it says so (for
    /// an HTML page that tells the same thing).
    pub fn parts(&self) -> (StatusCode, &str, Option<u64>) {
        (self.status, &self.detail, self.retry_after)
    }

    pub fn rate_limited(secs: u64, what: &str) -> Self {
        let mut p = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            format!("Too many {what} too quickly. Please wait {secs} seconds and try again."),
        );
        p.retry_after = Some(secs);
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let errors: Vec<_> = self
            .errors
            .iter()
            .map(|e| {
                let mut item = json!({"field": e.field, "code": e.code, "message": e.message()});
                if let (Some(amount), Some(limit)) = (e.amount, e.limit) {
                    item["amount"] = json!(amount);
                    item[e.limit_name()] = json!(limit);
                }
                item
            })
            .collect();
        let mut body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !errors.is_empty() {
            body["errors"] = json!(errors);
        }
        if let Some(code) = self.code {
            body["code"] = json!(code);
        }
        for (name, value) in self.members.map(|m| *m).unwrap_or_default() {
            body[name.as_str()] = value;
        }
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        // An error is about this request only: no cache (a CDN included) may keep it.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
