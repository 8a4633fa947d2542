//! The extractors that turn a request's path, origin, reader key, peer and body into
//! plain values, each rejection already the problem document the contract gives, so
//! that a handler reads as the rule it applies. A change is refused from another site
//! first (403), then for a path that names no thread or comment (404).

use crate::error::Error;
use crate::problem::Problem;
use crate::rules::accounts::{self, Account, SignInMode};
use crate::rules::clients::client_ip;
use crate::rules::threads::valid_thread;
use crate::rules::time::now_ms;
use crate::run::state::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

fn no_such_thread() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "No such thread",
        "A thread id is 1 to 128 letters, digits, dots, dashes or underscores.",
    )
}

/// The answer to an address that names no comment of the thread.
pub fn no_such_comment() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "No such comment", "There is no such comment in this thread.")
}

/// The path's parameters, or `rejection` when they cannot be read.
async fn path_of<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    rejection: fn() -> Problem,
) -> Result<HashMap<String, String>, Problem> {
    let Path(params) =
        Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| rejection())?;
    Ok(params)
}

fn thread_of(params: &HashMap<String, String>) -> Result<String, Problem> {
    params.get("thread").filter(|t| valid_thread(t)).cloned().ok_or_else(no_such_thread)
}

fn id_of(params: &HashMap<String, String>) -> Result<i64, Problem> {
    params.get("id").and_then(|id| id.parse::<i64>().ok()).filter(|id| *id > 0).ok_or_else(no_such_comment)
}

/// The thread a request names in its path (404 when it is not a thread key).
#[derive(Clone, Debug)]
pub struct Thread(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Thread {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Ok(Thread(thread_of(&path_of(parts, state, no_such_thread).await?)?))
    }
}

/// A change to a thread (a new comment): from this server's pages or an allowed
/// origin (else 403), on the thread its path names (else 404).
pub struct ChangeThread(pub String);

impl FromRequestParts<Arc<AppState>> for ChangeThread {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Problem> {
        app.check_origin(&parts.headers)?;
        Ok(ChangeThread(thread_of(&path_of(parts, app, no_such_thread).await?)?))
    }
}

/// A change to one comment (an edit, a delete, a recommend, a report): from an allowed
/// origin (else 403), on a comment id of the thread its path names (else 404).
pub struct ChangeComment {
    /// The thread's key.
    pub thread: String,
    /// The comment's id (the server's ids are positive integers).
    pub id: i64,
}

impl FromRequestParts<Arc<AppState>> for ChangeComment {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Problem> {
        app.check_origin(&parts.headers)?;
        let params = path_of(parts, app, no_such_thread).await?;
        Ok(ChangeComment { thread: thread_of(&params)?, id: id_of(&params)? })
    }
}

/// A `Reader-Key`: 128 random bits in hex (32 digits), lower-cased. Absent is `None`.
pub fn reader_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("reader-key") else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()));
    key.map(|k| Some(k.to_ascii_lowercase())).ok_or_else(|| {
        let detail = "A Reader-Key is 128 random bits written as 32 hexadecimal digits.";
        Problem::new(StatusCode::BAD_REQUEST, "Bad Reader-Key", detail)
    })
}

/// The reader, if the request sent a `Reader-Key`: its keyed hash (the key itself never
/// reaches the store). 400 when the key is malformed.
pub struct Reader(pub Option<String>);

impl FromRequestParts<Arc<AppState>> for Reader {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Problem> {
        Ok(Reader(reader_key(&parts.headers)?.map(|k| app.db.reader_hash(&k))))
    }
}

/// The reader, whose key recommends and reports need (one per reader): its keyed hash.
/// 400 when the key is missing or malformed.
pub struct RequiredReader(pub String);

impl FromRequestParts<Arc<AppState>> for RequiredReader {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Problem> {
        let Reader(reader) = Reader::from_request_parts(parts, app).await?;
        reader.map(RequiredReader).ok_or_else(|| {
            let detail = "Send the reader's key (32 hexadecimal digits) in the Reader-Key header.";
            Problem::new(StatusCode::BAD_REQUEST, "Reader-Key required", detail)
        })
    }
}

/// The reader signed in with the site's account (rules/accounts.rs), from the
/// `Authorization: Bearer` token of a post, a recommend or a report: `None` when sign-in
/// is off or no token came. A token that cannot be trusted is refused (401, with a
/// code), never taken as anonymous; with `--sign-in required` so is a missing one.
pub struct SignedIn(pub Option<Account>);

/// The token of an `Authorization: Bearer …` header, if one is sent.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl FromRequestParts<Arc<AppState>> for SignedIn {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Problem> {
        let sign_in = &app.settings.accounts;
        match (sign_in.mode, bearer(&parts.headers)) {
            (SignInMode::Off, _) => Ok(SignedIn(None)),
            (SignInMode::Required, None) => Err(accounts::required()),
            (SignInMode::Optional, None) => Ok(SignedIn(None)),
            (_, Some(token)) => Ok(SignedIn(Some(sign_in.verify(token, now_ms().max(0) as u64 / 1000)?))),
        }
    }
}

/// The client a request comes from: the peer, or the reader a trusted proxy reports
/// (rules/clients.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Error> {
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, app)
            .await
            .map_err(|_| Error::Internal("the server was started without connection information"))?;
        Ok(ClientIp(client_ip(peer.ip(), &parts.headers, &app.settings.trusted_proxies)))
    }
}

/// A request body that is a JSON object: `Content-Type` JSON, within the size limit,
/// valid JSON text, an object.
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

/// A post's body: the widget's JSON, or a plain HTML form's fields (comments without
/// JavaScript, api/plain.rs), read into the same shape: each field a string member.
pub enum Posted {
    Json(JsonObject),
    Form(JsonObject),
}

fn is_form_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    value.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        if !is_form_type(request.headers()) {
            return JsonObject::from_request(request, state).await.map(Posted::Json);
        }
        let body = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                let detail = format!("A comment request may be at most {MAX_BODY_BYTES} bytes.");
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Too large", detail)
            } else {
                Problem::new(StatusCode::BAD_REQUEST, "Unreadable body", "The request body could not be read.")
            }
        })?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| {
            Problem::new(StatusCode::BAD_REQUEST, "Unreadable form", "The form's fields could not be read.")
        })?;
        let mut map = Map::new();
        for (name, value) in fields {
            if matches!(name.as_str(), "author" | "body" | "website" | "parent_id" | "return" | "locale") {
                map.insert(name, Value::String(value));
            }
        }
        Ok(Posted::Form(JsonObject(map)))
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
