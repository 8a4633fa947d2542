//! Ready answers: the whole answer the application gave to a GET of a comment page —
//! its status, its headers after every layer, and which body of the page it carried —
//! kept and given again to the same request without the router, its layers or the
//! handler, while the page it was made from is still the one the page cache keeps for
//! its thread's current version ([`Pages::kept`]: the same version read as every answer
//! from memory makes, so a ready answer is never older than the cache's).
//!
//! "The same request" is a GET over HTTP/1.1, without a body, for the same path and
//! query, with the same `Accept`, `Accept-Encoding`, `Origin` and `If-None-Match` (what
//! a page's answer depends on: its form, coding, CORS headers and 304) and no header
//! outside [`IGNORED`], the ones that nothing reads for a page. Any other request (a
//! `Reader-Key`, a cookie, a header not known here, too many or too large headers)
//! goes the whole way, and its answer is not kept.
//!
//! Bounded: the answers are kept by the page cache, within an eighth of its limit
//! (`--page-cache-mb`), for request keys of at most [`KEY_MOST`] bytes; when they would
//! go past it, all are forgotten at once and the next requests make them again. An
//! answer holds no page bytes (a weak link to the page): the pages are counted as pages.

use super::limits::headers_within;
use crate::run::pages::{Answer, Coding, Rendered};
use crate::run::state::AppState;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

/// The longest request key kept (path, query and the keyed headers' values).
pub const KEY_MOST: usize = 2048;

/// The headers a page's answer depends on: each part of the request's key.
const KEYED: [&str; 4] = ["accept", "accept-encoding", "origin", "if-none-match"];

/// The headers no route, layer or handler reads for a page (HTTP's own, what browsers
/// and proxies add), so that a request with them gets the same answer as one without.
/// A route that comes to read one of them for a page must take it out of this list.
pub const IGNORED: [&str; 25] = [
    "host",
    "user-agent",
    "accept-language",
    "referer",
    "connection",
    "cache-control",
    "pragma",
    "dnt",
    "priority",
    "upgrade-insecure-requests",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
    "sec-fetch-user",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "via",
    "cdn-loop",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-request-id",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
];

/// What the page handler (api/listing.rs) says of an answer it gave from the page cache,
/// as an extension of the response: which page, in which coding.
#[derive(Clone)]
pub struct Kept {
    /// The page's thread.
    pub thread: String,
    /// The page's key in the page cache.
    pub key: String,
    /// The page itself.
    pub page: Arc<Rendered>,
    /// The body sent (none with a 304).
    pub coding: Coding,
}

/// The application as connections reach it: ready answers first, else the router.
#[derive(Clone)]
pub struct Front {
    app: Arc<AppState>,
    router: axum::Router,
    /// Requests answered ready, since the start.
    answered: Arc<AtomicU64>,
}

impl Front {
    /// `router` (app.rs) with ready answers in front of it.
    pub fn new(app: Arc<AppState>, router: axum::Router) -> Front {
        Front { app, router, answered: Arc::default() }
    }

    /// The answer to `request`.
    pub async fn call(&self, request: Request<Body>) -> Response<Body> {
        let key = if self.app.pages.on() { key_of(&request) } else { None };
        if let Some(key) = &key {
            if let Some(response) = self.ready(key).await {
                self.answered.fetch_add(1, Ordering::Relaxed);
                return response;
            }
        }
        let mut response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        if let (Some(key), Some(kept)) = (key, response.extensions_mut().remove::<Kept>()) {
            self.keep(key, kept, &response);
        }
        response
    }

    /// The kept answer to the request `key`, if its page is still current.
    async fn ready(&self, key: &str) -> Option<Response<Body>> {
        let ready = self.app.pages.answer(key)?;
        // A failed read goes the whole way, which answers it as it should.
        let version = self.app.pages.version(&ready.thread).await.ok()?;
        let page = self.app.pages.kept(&ready.key, version)?;
        if !std::ptr::eq(Arc::as_ptr(&page), ready.page.as_ptr()) {
            return None;
        }
        let body =
            if ready.status == StatusCode::NOT_MODIFIED { Body::empty() } else { page.body(ready.coding)?.into() };
        let mut response = Response::new(body);
        *response.status_mut() = ready.status;
        *response.headers_mut() = ready.headers.clone();
        Some(response)
    }

    /// Keeps `response` for the request `key`, unless a layer changed its body (the
    /// compression layer compresses a small page the handler sent as it is).
    fn keep(&self, key: String, kept: Kept, response: &Response<Body>) {
        let status = response.status();
        let coding = response.headers().get(axum::http::header::CONTENT_ENCODING).map(|v| v.as_bytes());
        let sent_as = kept.coding.header().map(str::as_bytes);
        if !(status == StatusCode::OK && coding == sent_as || status == StatusCode::NOT_MODIFIED) {
            return;
        }
        let answer = Answer {
            thread: kept.thread,
            key: kept.key,
            page: Arc::downgrade(&kept.page),
            coding: kept.coding,
            status,
            headers: response.headers().clone(),
        };
        self.app.pages.keep_answer(key, answer);
    }

    /// How many requests were answered ready since the start.
    pub fn answered(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }
}

/// The key of a request a ready answer may answer: its path and query and the keyed
/// headers' values; `None` for any other request.
pub fn key_of<B>(request: &Request<B>) -> Option<String> {
    if request.method() != Method::GET || request.version() != Version::HTTP_11 {
        return None;
    }
    let path = request.uri().path_and_query()?.as_str();
    if !path.starts_with("/api/threads/") {
        return None;
    }
    let mut keyed: [Option<&str>; KEYED.len()] = [None; KEYED.len()];
    let headers = request.headers();
    for (name, value) in headers {
        match KEYED.iter().position(|k| *k == name.as_str()) {
            // Twice (a second `Accept`, say): rare, and sent the whole way.
            Some(i) if keyed[i].is_some() => return None,
            Some(i) => keyed[i] = Some(value.to_str().ok()?),
            None if IGNORED.contains(&name.as_str()) => {}
            None => return None,
        }
    }
    if !headers_within(headers) {
        return None;
    }
    let mut key = String::with_capacity(path.len() + 64);
    key.push_str(path);
    for value in keyed {
        key.push('\n');
        // Absent and empty differ (`Accept-Encoding:` refuses every coding but identity,
        // as absent does, but a layer could read them apart).
        if let Some(value) = value {
            key.push('=');
            key.push_str(value);
        }
    }
    (key.len() <= KEY_MOST).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request<()> {
        let mut r = Request::builder().uri("/api/threads/t/comments?sort=top");
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(()).expect("a request")
    }

    #[test]
    fn the_key_is_the_path_and_the_headers_an_answer_depends_on() {
        let plain = key_of(&request(&[("Host", "x"), ("User-Agent", "wrk")])).expect("a plain GET");
        assert_eq!(plain, "/api/threads/t/comments?sort=top\n\n\n\n");
        let other_host = key_of(&request(&[("Host", "y")])).expect("a plain GET");
        assert_eq!(plain, other_host, "what nothing reads is not in the key");
        let brotli = key_of(&request(&[("Accept-Encoding", "br")])).expect("a GET with a coding");
        let origin = key_of(&request(&[("Origin", "https://news.example")])).expect("a GET from a page");
        let html = key_of(&request(&[("Accept", "text/html")])).expect("a GET of HTML");
        let tag = key_of(&request(&[("If-None-Match", "\"abc\"")])).expect("a conditional GET");
        let empty = key_of(&request(&[("Accept-Encoding", "")])).expect("an empty coding");
        let keys = [&plain, &brotli, &origin, &html, &tag, &empty];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn only_a_plain_get_of_a_page_has_a_key() {
        for headers in [
            &[("Reader-Key", "0123456789abcdef0123456789abcdef")][..],
            &[("Cookie", "a=b")],
            &[("Authorization", "Bearer x")],
            &[("X-Unknown", "1")],
            &[("Accept", "a"), ("Accept", "b")],
            &[("Content-Length", "0")],
        ] {
            assert_eq!(key_of(&request(headers)), None, "{headers:?}");
        }
        let post = Request::builder().method("POST").uri("/api/threads/t/comments").body(()).expect("a request");
        assert_eq!(key_of(&post), None);
        let old = Request::builder().uri("/api/threads/t/comments").version(Version::HTTP_10).body(());
        assert_eq!(key_of(&old.expect("a request")), None);
        let admin = Request::builder().uri("/admin/queue").body(()).expect("a request");
        assert_eq!(key_of(&admin), None);
        let long = Request::builder().uri(format!("/api/threads/t/comments?x={}", "a".repeat(KEY_MOST))).body(());
        assert_eq!(key_of(&long.expect("a request")), None);
        let many: Vec<(String, String)> =
            (0..=crate::run::limits::MAX_HEADERS).map(|_| ("dnt".into(), "1".into())).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(key_of(&request(&many)), None, "over the header count, as the router refuses");
    }
}
