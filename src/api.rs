//! Talking to the endpoint (contracts v1 and v1.1, `docs/contract.md`): reading pages,
//! posting a comment, recommending, and turning every way that can fail into one error value a reader can be
//! told about.

use crate::i18n::{Key, Strings};
use crate::json::{self, Shown};
use reader_comments_core::{
    decode_page_head, decode_posted_value, decode_problem_value, json_object, Page, ProblemDetails, ProblemField, Rest,
};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The browser says it has no network.
    Offline,
    /// The request could not be made (DNS, refused connection, CORS).
    Network,
    /// No answer within the bound.
    Timeout,
    /// 429, with the seconds to wait if the endpoint said.
    RateLimited(Option<u64>),
    /// A non-2xx status, with the problem document if one came.
    Status(u16, Option<ProblemDetails>),
    /// A 2xx answer that is not what the contract promises (HTML, truncated JSON, …).
    BadResponse(String),
    /// An answer over [`MAX_RESPONSE_BYTES`], refused unread where its length is known.
    TooLarge,
}

/// The largest answer the widget reads: 4 MiB (10,000 comments of ordinary length fit;
/// parsing more would freeze the page). Documented in docs/contract.md.
pub const MAX_RESPONSE_BYTES: usize = 4 << 20;

/// A wait beyond this many seconds is told as "later", not as a number.
pub const MAX_TOLD_WAIT_SECS: u64 = 3600;

impl ApiError {
    /// A sentence for the reader, in their language.
    pub fn message(&self, strings: &Strings) -> String {
        match self {
            ApiError::Offline => strings.get(Key::Offline),
            ApiError::Network => strings.get(Key::Network),
            ApiError::Timeout => strings.get(Key::Timeout),
            ApiError::RateLimited(Some(secs)) if *secs > MAX_TOLD_WAIT_SECS => strings.get(Key::RateLimitedLater),
            ApiError::RateLimited(Some(secs)) => strings.with_n(Key::RateLimited, *secs as usize),
            ApiError::RateLimited(None) => strings.get(Key::RateLimitedSoon),
            ApiError::Status(_, Some(problem)) if problem.code.as_deref() == Some("thread_closed") => {
                strings.get(Key::Closed)
            }
            ApiError::Status(code, problem) => {
                let detail = problem.as_ref().and_then(|p| p.detail.clone().or_else(|| p.title.clone()));
                match detail {
                    Some(text) if *code < 500 => text,
                    _ if *code >= 500 => strings.with_n(Key::ServerError, usize::from(*code)),
                    _ => strings.with_n(Key::ClientError, usize::from(*code)),
                }
            }
            ApiError::BadResponse(_) => strings.get(Key::BadResponse),
            ApiError::TooLarge => strings.get(Key::TooLarge),
        }
    }

    /// The field errors of a refused post.
    pub fn field_errors(&self) -> &[ProblemField] {
        match self {
            ApiError::Status(_, Some(problem)) => &problem.errors,
            _ => &[],
        }
    }
}

/// A comment the endpoint accepted: shown at once (201) or held for moderation (202).
#[derive(Clone, Debug, PartialEq)]
pub struct Posted {
    /// The stored comment, as the endpoint gave it back.
    pub comment: Shown,
    /// True when it awaits moderation.
    pub pending: bool,
}

/// `text` percent-encoded for a URL (everything but unreserved characters).
fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `url` with `name=value` added to its query.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{name}={}", encode(value))
}

/// The endpoint's URL for the page after `cursor`.
pub fn with_cursor(endpoint: &str, cursor: &str) -> String {
    with_param(endpoint, "cursor", cursor)
}

/// The address of one comment (`tail` "" ) or of its recommend (`tail` "/recommend"):
/// appended to the endpoint's path, before any query it has (contract v1.1).
pub fn comment_url(endpoint: &str, id: &str, tail: &str) -> String {
    let (path, query) = endpoint.split_once('?').map_or((endpoint, None), |(p, q)| (p, Some(q)));
    let path = path.trim_end_matches('/');
    match query {
        Some(q) => format!("{path}/{}{tail}?{q}", encode(id)),
        None => format!("{path}/{}{tail}", encode(id)),
    }
}

/// Seconds to wait from a `Retry-After` header: delta-seconds, or an HTTP date.
pub fn retry_after_secs(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let when = js_sys::Date::parse(value);
    (when.is_finite()).then(|| ((when - now_ms) / 1000.0).ceil().max(0.0) as u64)
}

fn offline() -> bool {
    web_sys::window().map(|w| !w.navigator().on_line()).unwrap_or(false)
}

fn is_json(response: &web_sys::Response) -> bool {
    response.headers().get("content-type").ok().flatten().is_some_and(|t| t.to_ascii_lowercase().contains("json"))
}

/// A request: method, URL, headers, and a body for a post.
struct Call<'a> {
    method: &'a str,
    url: &'a str,
    headers: &'a [(&'a str, &'a str)],
    body: Option<String>,
}

impl Call<'_> {
    /// The browser's request, bound to `signal`; `None` when the browser refuses to make
    /// it (an invalid URL or header value).
    fn request(&self, signal: &web_sys::AbortSignal) -> Option<web_sys::Request> {
        let headers = web_sys::Headers::new().ok()?;
        for (name, value) in self.headers {
            headers.set(name, value).ok()?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(self.method);
        // Never a list from the browser's own cache without asking the endpoint: after
        // the reader posts, a reload must not show the list from before (an unchanged
        // list costs a 304 without a body; docs/deploy.md).
        // (Set by name: web-sys' RequestCache enum brings a table of every mode's name.)
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("cache"), &JsValue::from_str("no-cache"));
        init.set_headers(&headers);
        init.set_signal(Some(signal));
        if let Some(body) = &self.body {
            init.set_body(&JsValue::from_str(body));
        }
        web_sys::Request::new_with_str_and_init(self.url, &init).ok()
    }
}

/// An endpoint's answer, before it is read.
struct Reply {
    /// The HTTP status.
    status: u16,
    /// Whether the content type says JSON.
    json: bool,
    /// The `Retry-After` header, if any.
    retry_after: Option<String>,
    /// The body, still a JS string: it goes straight to `JSON.parse`, never through wasm.
    text: JsValue,
}

impl Reply {
    /// The reply, unless its body is over [`MAX_RESPONSE_BYTES`] (counted in UTF-16
    /// units: at most the bytes of any UTF-8 text).
    fn bounded(self) -> Result<Reply, ApiError> {
        let units = self.text.dyn_ref::<js_sys::JsString>().map_or(0, |t| t.length() as usize);
        if units > MAX_RESPONSE_BYTES {
            return Err(ApiError::TooLarge);
        }
        Ok(self)
    }

    /// The error a non-2xx answer stands for.
    fn error(&self) -> ApiError {
        if self.status == 429 {
            let secs = self.retry_after.as_deref().and_then(|v| retry_after_secs(v, js_sys::Date::now()));
            return ApiError::RateLimited(secs);
        }
        let problem =
            if self.json { json::parse_js(&self.text).ok().and_then(|doc| decode_problem_value(&doc)) } else { None };
        ApiError::Status(self.status, problem)
    }

    /// The parsed body of a 2xx answer, or the error the answer stands for.
    fn ok_json(self) -> Result<json::Js, ApiError> {
        if !(200..300).contains(&self.status) {
            return Err(self.error());
        }
        json::parse_js(&self.text).map_err(ApiError::BadResponse)
    }

    /// Nothing for a 2xx answer (its body unread), or the error the answer stands for.
    fn ok(self) -> Result<(), ApiError> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(self.error())
        }
    }
}

/// Calls `abort` after `timeout_ms`: every request, and the wait for a prefetch, is
/// bounded by the widget's `timeout`.
fn abort_after(timeout_ms: u32, abort: impl FnOnce() + 'static) {
    leptos::prelude::set_timeout(abort, Duration::from_millis(u64::from(timeout_ms)));
}

/// Runs a request with a bound: the whole exchange, body included, is aborted after
/// `timeout_ms`.
async fn exchange(call: Call<'_>, timeout_ms: u32) -> Result<Reply, ApiError> {
    let controller = AbortController::new().map_err(|_| ApiError::Network)?;
    let signal = controller.signal();
    let timer = controller.clone();
    abort_after(timeout_ms, move || timer.abort());
    let fail = |signal: &web_sys::AbortSignal| {
        if signal.aborted() {
            ApiError::Timeout
        } else if offline() {
            ApiError::Offline
        } else {
            ApiError::Network
        }
    };
    let request = call.request(&signal).ok_or(ApiError::Network)?;
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request)).await;
    let response: web_sys::Response = response.map_err(|_| fail(&signal))?.dyn_into().map_err(|_| ApiError::Network)?;
    let retry_after = response.headers().get("retry-after").ok().flatten();
    let (status, json) = (response.status(), is_json(&response));
    let body = match crate::host::loader() {
        Some(loader) => loader.read_text(&response, MAX_RESPONSE_BYTES as f64),
        None => response.text(),
    };
    let text =
        wasm_bindgen_futures::JsFuture::from(body.map_err(|_| fail(&signal))?).await.map_err(|_| fail(&signal))?;
    if text.is_null() {
        controller.abort();
        return Err(ApiError::TooLarge);
    }
    Reply { status, json, retry_after, text }.bounded()
}

/// `endpoint` as an absolute URL, resolved as the browser does (and as the loader did
/// when it prefetched it: surrounding spaces go, relative paths meet the page's base).
pub fn absolute(endpoint: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    Some(web_sys::Url::new_with_base(endpoint, &base).ok()?.href())
}

/// The first page the loader fetched while the WebAssembly was loading, if it did; the
/// wait for it is bounded by `timeout_ms` like any request.
async fn prefetched(endpoint: &str, timeout_ms: u32) -> Option<Result<Reply, ApiError>> {
    let get = |object: &JsValue, name: &str| js_sys::Reflect::get(object, &name.into()).ok();
    let handle = crate::host::loader()?.take(&absolute(endpoint)?).ok().filter(JsValue::is_object)?;
    let abort: js_sys::Function = get(&handle, "abort")?.dyn_into().ok()?;
    let response: js_sys::Promise = get(&handle, "response")?.dyn_into().ok()?;
    abort_after(timeout_ms, move || {
        let _ = abort.call0(&JsValue::NULL);
    });
    let result = wasm_bindgen_futures::JsFuture::from(response).await.ok()?;
    let field = |name: &str| get(&result, name).and_then(|v| v.as_string());
    Some(match field("error").as_deref() {
        Some("timeout") => Err(ApiError::Timeout),
        Some("too_large") => Err(ApiError::TooLarge),
        Some(_) if offline() => Err(ApiError::Offline),
        Some(_) => Err(ApiError::Network),
        None => {
            let status = get(&result, "status")?.as_f64()? as u16;
            let json = field("type").unwrap_or_default().to_ascii_lowercase().contains("json");
            let text = get(&result, "text").filter(JsValue::is_string)?;
            Reply { status, json, retry_after: field("retry"), text }.bounded()
        }
    })
}

/// Logs what the tolerant reader skipped, for the site's developer.
pub fn warn_all(warnings: &[String]) {
    for warning in warnings {
        web_sys::console::warn_1(&format!("reader-comments: {warning}").into());
    }
}

/// Fetches one page of the thread (`cursor` for the pages after the first). Only the
/// first `show` comments are decoded; the rest stay in the parsed JSON, to be decoded
/// with [`Rest::take`] when they are shown.
pub async fn fetch_page(
    endpoint: &str,
    cursor: Option<&str>,
    timeout_ms: u32,
    show: usize,
) -> Result<(Page<js_sys::JsString>, Rest<json::Js>), ApiError> {
    let url = match cursor {
        Some(c) => with_cursor(endpoint, c),
        None => endpoint.to_string(),
    };
    let early = match cursor {
        None => prefetched(&url, timeout_ms).await,
        Some(_) => None,
    };
    let reply = match early {
        Some(result) => result?,
        None => {
            let call = Call { method: "GET", url: &url, headers: &[("Accept", "application/json")], body: None };
            exchange(call, timeout_ms).await?
        }
    };
    let (page, rest) = decode_page_head(&reply.ok_json()?, show).map_err(ApiError::BadResponse)?;
    warn_all(&page.warnings);
    Ok((page, rest))
}

/// Records (`on`) or takes back this reader's recommend (contract v1.1): the count
/// after it and whether the reader recommends the comment.
pub async fn recommend(
    endpoint: &str,
    id: &str,
    reader: &str,
    on: bool,
    timeout_ms: u32,
) -> Result<(u64, bool), ApiError> {
    let url = comment_url(endpoint, id, "/recommend");
    let headers = [("Accept", "application/json"), ("Reader-Key", reader)];
    let method = if on { "POST" } else { "DELETE" };
    let doc = exchange(Call { method, url: &url, headers: &headers, body: None }, timeout_ms).await?.ok_json()?;
    use reader_comments_core::Json;
    let count = doc.member("recommends").and_then(|v| v.number()).filter(|n| *n >= 0.0);
    let recommended = doc.member("recommended").and_then(|v| v.boolean());
    match (count, recommended) {
        (Some(count), Some(recommended)) => Ok((count as u64, recommended)),
        _ => Err(ApiError::BadResponse("no recommends in the answer".into())),
    }
}

/// The author replaces the text of their comment with its edit token (contract v1.1):
/// the endpoint's updated comment.
pub async fn edit_comment(
    endpoint: &str,
    id: &str,
    token: &str,
    body: &str,
    timeout_ms: u32,
) -> Result<Shown, ApiError> {
    let url = comment_url(endpoint, id, "");
    let auth = format!("Bearer {token}");
    let headers =
        [("Content-Type", "application/json"), ("Accept", "application/json"), ("Authorization", auth.as_str())];
    let call = Call { method: "PATCH", url: &url, headers: &headers, body: Some(json_object(&[("body", body)])) };
    let doc = exchange(call, timeout_ms).await?.ok_json()?;
    decode_posted_value(&doc).map_err(ApiError::BadResponse)
}

/// The author deletes their comment with its edit token (contract v1.1).
pub async fn delete_comment(endpoint: &str, id: &str, token: &str, timeout_ms: u32) -> Result<(), ApiError> {
    let url = comment_url(endpoint, id, "");
    let auth = format!("Bearer {token}");
    let headers = [("Accept", "application/json"), ("Authorization", auth.as_str())];
    exchange(Call { method: "DELETE", url: &url, headers: &headers, body: None }, timeout_ms).await?.ok()
}

/// This reader reports comment `id` to the moderators with a reason (contract v1.1).
pub async fn report(endpoint: &str, id: &str, reader: &str, reason: &str, timeout_ms: u32) -> Result<(), ApiError> {
    let url = comment_url(endpoint, id, "/report");
    let headers = [("Content-Type", "application/json"), ("Accept", "application/json"), ("Reader-Key", reader)];
    let call = Call { method: "POST", url: &url, headers: &headers, body: Some(json_object(&[("reason", reason)])) };
    exchange(call, timeout_ms).await?.ok()
}

/// Posts a comment with its draft's idempotency key (reused on every retry).
pub async fn post_comment(
    endpoint: &str,
    author: &str,
    body: &str,
    key: &str,
    timeout_ms: u32,
    parent: Option<&str>,
) -> Result<Posted, ApiError> {
    let headers = [("Content-Type", "application/json"), ("Accept", "application/json"), ("Idempotency-Key", key)];
    let body = Some(match parent {
        Some(parent) => json_object(&[("author", author), ("body", body), ("parent_id", parent)]),
        None => json_object(&[("author", author), ("body", body)]),
    });
    let reply = exchange(Call { method: "POST", url: endpoint, headers: &headers, body }, timeout_ms).await?;
    let status = reply.status;
    let doc = reply.ok_json()?;
    let mut comment = decode_posted_value(&doc).map_err(ApiError::BadResponse)?;
    // Contract v1.1: the token that lets this reader edit or delete it, given once.
    use reader_comments_core::Json;
    let token =
        doc.member("edit_token").or_else(|| doc.member("comment")?.member("edit_token")).and_then(|t| t.string());
    if let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 512) {
        crate::memory::set_token(endpoint, &comment.id, Some(&token));
    }
    if comment.parent_id.is_none() {
        // An endpoint that does not repeat the parent: the reply still goes under it.
        comment.parent_id = parent.map(String::from);
    }
    let pending = status == 202 || comment.status == reader_comments_core::Status::Pending;
    Ok(Posted { comment, pending })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_appended_and_encoded() {
        assert_eq!(with_cursor("/api/c", "abc"), "/api/c?cursor=abc");
        assert_eq!(with_cursor("/api/c?sort=new", "a b&c"), "/api/c?sort=new&cursor=a%20b%26c");
    }

    #[test]
    fn retry_after_in_seconds_is_read() {
        assert_eq!(retry_after_secs(" 30 ", 0.0), Some(30));
    }

    #[test]
    fn the_loader_refuses_the_same_size_as_the_widget() {
        let loader = include_str!("../loader/reader-comments.js");
        assert!(loader.contains(&format!("var MAX_RESPONSE_BYTES = {MAX_RESPONSE_BYTES};")));
    }

    #[test]
    fn a_wait_of_hours_or_years_is_told_as_later() {
        let s = Strings::default();
        assert_eq!(
            ApiError::RateLimited(Some(3600)).message(&s),
            "Too many requests. Please wait 3600 seconds and try again."
        );
        assert_eq!(
            ApiError::RateLimited(Some(2_498_503_349)).message(&s),
            "Too many requests. Please try again later."
        );
    }

    #[test]
    fn messages_are_for_readers() {
        let s = Strings::default();
        assert_eq!(
            ApiError::RateLimited(Some(30)).message(&s),
            "Too many requests. Please wait 30 seconds and try again."
        );
        assert!(ApiError::Status(500, None).message(&s).contains("error 500"));
        let problem = ProblemDetails {
            title: Some("Invalid".into()),
            detail: Some("Name is missing".into()),
            ..Default::default()
        };
        assert_eq!(ApiError::Status(422, Some(problem)).message(&s), "Name is missing");
        assert_eq!(
            ApiError::BadResponse("x".into()).message(&s),
            "The comment service sent an answer this page cannot read."
        );
    }
}
