//! The endpoint's transport: one bounded request (`fetch` with an abort after the
//! widget's timeout, the body read whole up to a cap), the loader's prefetched first
//! page, and an answer's status turned into the error a reader is told.

use super::{retry_after_secs, ApiError, MAX_RESPONSE_BYTES};
use crate::json;
use reader_comments_core::decode_problem_value;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;

pub(super) fn offline() -> bool {
    web_sys::window().map(|w| !w.navigator().on_line()).unwrap_or(false)
}

fn is_json(response: &web_sys::Response) -> bool {
    response.headers().get("content-type").ok().flatten().is_some_and(|t| t.to_ascii_lowercase().contains("json"))
}

/// A request: method, URL, headers, and a body for a post.
pub(super) struct Call<'a> {
    pub(super) method: &'a str,
    pub(super) url: &'a str,
    pub(super) headers: &'a [(&'a str, &'a str)],
    pub(super) body: Option<String>,
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
pub(super) struct Reply {
    /// The HTTP status.
    pub(super) status: u16,
    /// Whether the content type says JSON.
    pub(super) json: bool,
    /// The `Retry-After` header, if any.
    pub(super) retry_after: Option<String>,
    /// The body, still a JS string: it goes straight to `JSON.parse`, never through wasm.
    pub(super) text: JsValue,
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
    pub(super) fn error(&self) -> ApiError {
        if self.status == 429 {
            let secs = self.retry_after.as_deref().and_then(|v| retry_after_secs(v, js_sys::Date::now()));
            return ApiError::RateLimited(secs);
        }
        let problem =
            if self.json { json::parse_js(&self.text).ok().and_then(|doc| decode_problem_value(&doc)) } else { None };
        ApiError::Status(self.status, problem)
    }

    /// The parsed body of a 2xx answer, or the error the answer stands for.
    pub(super) fn ok_json(self) -> Result<json::Js, ApiError> {
        if !(200..300).contains(&self.status) {
            return Err(self.error());
        }
        json::parse_js(&self.text).map_err(ApiError::BadResponse)
    }

    /// Nothing for a 2xx answer (its body unread), or the error the answer stands for.
    pub(super) fn ok(self) -> Result<(), ApiError> {
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
pub(super) async fn exchange(call: Call<'_>, timeout_ms: u32) -> Result<Reply, ApiError> {
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
pub(super) async fn prefetched(endpoint: &str, timeout_ms: u32) -> Option<Result<Reply, ApiError>> {
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
