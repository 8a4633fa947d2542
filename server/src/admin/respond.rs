//! How the moderation pages answer: an HTML page (never cached, under the pages' strict
//! policy), a redirect after an action, and a refusal.

use super::pages::layout::page;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The pages' policy: nothing but this server's stylesheet and script, forms to itself.
const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// An HTML page, never cached, with the pages' policy.
pub(crate) fn html(status: StatusCode, markup: maud::Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// `text` percent-encoded for a query string (everything but unreserved characters).
pub(crate) fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A refusal page (403) with the reason and a way to sign in.
pub(crate) fn forbidden(why: &str) -> Response {
    let body = page(
        "Refused",
        None,
        maud::html! { h2 { "Refused" } p class="error" { (why) } p { a href="/admin/sign-in" { "Sign in" } } },
    );
    html(StatusCode::FORBIDDEN, body)
}
