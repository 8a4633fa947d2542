//! Talking to the endpoint (contracts v1 and v1.1, `docs/contract.md`): reading pages,
//! posting a comment, replying, recommending, editing, deleting and reporting, and
//! turning every way that can fail into one error value a reader can be told about.
//! The request itself (bounds, abort, the prefetched first page) is in api/transport.rs.

use crate::i18n::{Key, Strings};
use crate::json::{self, Shown};
use reader_comments_core::{
    decode_page_head, decode_posted_value, json_object, Page, ProblemDetails, ProblemField, Rest,
};
mod transport;

pub use transport::absolute;
use transport::{exchange, prefetched, Call};

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
            // Contract v1.3: the signed-in reader's account is suspended or banned.
            ApiError::Status(403, Some(problem))
                if matches!(problem.code.as_deref(), Some("account_suspended" | "account_banned")) =>
            {
                let key = if problem.code.as_deref() == Some("account_banned") {
                    Key::AccountBanned
                } else {
                    Key::AccountSuspended
                };
                strings.get(key).replace("{reason}", problem.reason.as_deref().unwrap_or_default()).trim().to_string()
            }
            // Contract v1.3: the signed-in reader's token was refused (or none was sent).
            ApiError::Status(401, Some(problem))
                if problem.code.as_deref().is_some_and(|c| c.starts_with("sign_in_")) =>
            {
                strings.get(match problem.code.as_deref() {
                    Some("sign_in_expired") => Key::SignInExpired,
                    Some("sign_in_required") => Key::SignInRequired,
                    _ => Key::SignInInvalid,
                })
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

/// The `Authorization` of a reader signed in with the site's account (contract v1.3),
/// sent with a post, a recommend and a report to `endpoint`.
fn signed_in(endpoint: &str) -> Option<String> {
    crate::account::token(endpoint).map(|token| format!("Bearer {token}"))
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
    let auth = signed_in(endpoint);
    let mut headers = vec![("Accept", "application/json"), ("Reader-Key", reader)];
    headers.extend(auth.as_deref().map(|a| ("Authorization", a)));
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
    let auth = signed_in(endpoint);
    let mut headers =
        vec![("Content-Type", "application/json"), ("Accept", "application/json"), ("Reader-Key", reader)];
    headers.extend(auth.as_deref().map(|a| ("Authorization", a)));
    let call = Call { method: "POST", url: &url, headers: &headers, body: Some(json_object(&[("reason", reason)])) };
    exchange(call, timeout_ms).await?.ok()
}

/// Where one of this reader's comments stands (contract v1.2, own status).
#[derive(Clone, Debug, PartialEq)]
pub enum Fate {
    /// Waiting for a moderator: shown to its author only.
    Waiting(Shown),
    /// Published.
    Published(Shown),
    /// Not published: the comment as its author wrote it, the reason's code, the
    /// endpoint's words for it, and the moderator's note.
    Rejected(Shown, String, String, Option<String>),
    /// Withdrawn, deleted, or not this reader's: its token can be forgotten.
    Gone(String),
}

/// Asks what became of this reader's comments (`POST {endpoint}/own` with their ids and
/// edit tokens in the body, never in the URL). An answer it cannot read for one comment
/// leaves that comment out.
pub async fn own_status(endpoint: &str, mine: &[(String, String)], timeout_ms: u32) -> Result<Vec<Fate>, ApiError> {
    let url = comment_url(endpoint, "own", "");
    let items: Vec<String> =
        mine.iter().map(|(id, token)| json_object(&[("id", id.as_str()), ("token", token.as_str())])).collect();
    let body = format!("{{\"comments\":[{}]}}", items.join(","));
    let headers = [("Content-Type", "application/json"), ("Accept", "application/json")];
    let doc = exchange(Call { method: "POST", url: &url, headers: &headers, body: Some(body) }, timeout_ms)
        .await?
        .ok_json()?;
    use reader_comments_core::Json;
    let Some(list) = doc.member("comments") else { return Err(ApiError::BadResponse("no comments".into())) };
    let mut fates = Vec::new();
    for index in 0..list.array_len().unwrap_or(0) {
        let Some(item) = list.item(index) else { continue };
        let text = |v: Option<json::Js>, name: &str| v.and_then(|v| v.member(name)).and_then(|v| v.string());
        let comment = || decode_posted_value(&item).ok();
        let fate = match text(Some(item.clone()), "state").as_deref() {
            Some("waiting") => comment().map(Fate::Waiting),
            Some("published") => comment().map(Fate::Published),
            Some("rejected") => comment().map(|c| {
                let reason = item.member("reason");
                let code = text(reason.clone(), "code").unwrap_or_default();
                Fate::Rejected(c, code, text(reason.clone(), "text").unwrap_or_default(), text(reason, "note"))
            }),
            Some("gone") => text(Some(item.clone()), "id").map(Fate::Gone),
            _ => None,
        };
        fates.extend(fate);
    }
    Ok(fates)
}

/// The page's article as JSON: its title, and its canonical address (`<link
/// rel="canonical">`, else the page's own without query or fragment).
fn article() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let canonical = doc.query_selector("link[rel=canonical]").ok().flatten().and_then(|l| l.get_attribute("href"));
    let url = canonical.and_then(|href| absolute(&href)).or_else(|| {
        let location = doc.location()?;
        Some(format!("{}{}", location.origin().ok()?, location.pathname().ok()?))
    })?;
    Some(json_object(&[("title", doc.title().trim()), ("url", &url)]))
}

/// Posts a comment with its draft's idempotency key (reused on every retry), and the
/// reader's key when the endpoint takes one ([`crate::memory::takes_reader_key`]).
pub async fn post_comment(
    endpoint: &str,
    author: &str,
    body: &str,
    key: &str,
    timeout_ms: u32,
    (parent, notify): (Option<&str>, bool),
) -> Result<Posted, ApiError> {
    let reader = crate::memory::takes_reader_key(endpoint, None).then(|| crate::memory::reader_key(endpoint));
    let auth = signed_in(endpoint);
    let mut headers =
        vec![("Content-Type", "application/json"), ("Accept", "application/json"), ("Idempotency-Key", key)];
    headers.extend(reader.as_deref().map(|r| ("Reader-Key", r)));
    headers.extend(auth.as_deref().map(|a| ("Authorization", a)));
    let headers = &headers[..];
    let fields = match parent {
        Some(parent) => json_object(&[("author", author), ("body", body), ("parent_id", parent)]),
        None => json_object(&[("author", author), ("body", body)]),
    };
    // Contract v1.2: the article it is written under, for the moderators (an endpoint
    // that does not know the member ignores it).
    let article = crate::memory::takes_article(endpoint, None).then(article).flatten();
    let mut fields = match article {
        Some(article) => format!("{},\"article\":{article}}}", fields.trim_end_matches('}')),
        None => fields,
    };
    // Contract v1.3: the signed-in reader asks to be told by e-mail.
    if notify {
        fields = format!("{},\"notify\":true}}", fields.strip_suffix('}').unwrap_or(&fields));
    }
    let body = Some(fields);
    let reply = exchange(Call { method: "POST", url: endpoint, headers, body }, timeout_ms).await?;
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
        let suspended = ProblemDetails {
            code: Some("account_suspended".into()),
            reason: Some("Personal attacks.".into()),
            ..Default::default()
        };
        assert_eq!(
            ApiError::Status(403, Some(suspended)).message(&s),
            "Your account may not comment for now. The moderators' reason: Personal attacks."
        );
        let expired = ProblemDetails { code: Some("sign_in_expired".into()), ..Default::default() };
        assert_eq!(
            ApiError::Status(401, Some(expired)).message(&s),
            "Your sign-in has expired. Reload the page to sign in again."
        );
        assert_eq!(
            ApiError::BadResponse("x".into()).message(&s),
            "The comment service sent an answer this page cannot read."
        );
    }
}
