//! Moderators' sessions: signing in (Argon2id passwords, the same answer and work for an
//! unknown name, a delay that doubles with each failure), the `__Host-` cookie whose
//! token the store keeps only as a hash, and the two extractors every other page and
//! action goes through: [`Moderator`] (a page: no live session redirects to the sign-in
//! page) and [`Checked`] (an action: this server's origin, a live session, the
//! session's CSRF token, or 403).

use super::pages::layout as pages;
use super::respond::{forbidden, html, see_other};
use crate::api::extract::ClientIp;
use crate::error::{blocking, Error};
use crate::rules::passwords::{dummy_hash, turns, verify};
use crate::rules::time::now_ms;
use crate::rules::tokens::{new_token, same};
use crate::run::limits::{delay_after, Allowance};
use crate::run::state::AppState;
use crate::store::{sha256_hex, Session};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The session cookie's name (`__Host-`: Secure, host-only, path `/`).
pub const COOKIE: &str = "__Host-rc-admin";
/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;
fn random_hex() -> Result<String, Error> {
    new_token().ok_or(Error::Internal("no randomness for a session"))
}

/// A form body's fields, in order (`application/x-www-form-urlencoded`).
fn fields(body: &[u8]) -> Vec<(String, String)> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A post from a page that is not this server's own (a forged cross-site form): its
/// `Origin` is not one of the server's own (a browser always sends one with a form).
fn foreign(app: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    !app.settings.public_origins.iter().any(|o| origin.as_bytes() == o.as_bytes())
}

/// The refusal of a form posted from another site, if this one was.
fn cross_site(app: &AppState, headers: &HeaderMap) -> Option<Response> {
    foreign(app, headers).then(|| forbidden("This form was sent from another site."))
}

/// The refusal of a form without its session's CSRF token, if this one has not got it.
fn stale(form: &[(String, String)], csrf: &str) -> Option<Response> {
    let fresh = field(form, "csrf").is_some_and(|sent| same(sent, csrf));
    (!fresh).then(|| forbidden("This form is out of date. Open the page again."))
}

/// The session the request's cookie names: (the hash of its token, moderator, CSRF token).
async fn session(app: &Arc<AppState>, headers: &HeaderMap) -> Result<Option<(String, String, String)>, Error> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string());
    let Some(token) = token.filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())) else {
        return Ok(None);
    };
    let hash = sha256_hex(&[token.as_bytes()]);
    let (store, key) = (app.clone(), hash.clone());
    let found = blocking(move || store.db.session(&key, now_ms())).await??;
    Ok(found.map(|Session { moderator, csrf }| (hash, moderator, csrf)))
}

/// The signed-in moderator of a page's request. Without a live session the page
/// redirects to the sign-in page (303, nothing else shown).
pub struct Moderator {
    /// Their name.
    pub name: String,
    /// Their session's CSRF token, for the page's forms.
    pub csrf: String,
}

impl FromRequestParts<Arc<AppState>> for Moderator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Response> {
        match session(app, &parts.headers).await {
            Ok(Some((_, name, csrf))) => Ok(Moderator { name, csrf }),
            Ok(None) => Err(see_other("/admin/sign-in")),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// An action's request that passed its checks, in order: this server's origin, a live
/// session, the session's CSRF token. Any other is refused with 403 and nothing done.
pub struct Checked {
    /// Who acts.
    pub moderator: String,
    /// The form's fields, in order.
    pub form: Vec<(String, String)>,
}

impl FromRequest<Arc<AppState>> for Checked {
    type Rejection = Response;

    async fn from_request(request: Request, app: &Arc<AppState>) -> Result<Self, Response> {
        if let Some(refused) = cross_site(app, request.headers()) {
            return Err(refused);
        }
        let Some((_, moderator, csrf)) = session(app, request.headers()).await.map_err(Error::into_response)? else {
            return Err(forbidden("Your session has ended. Sign in again."));
        };
        let body = Bytes::from_request(request, app).await.map_err(IntoResponse::into_response)?;
        let form = fields(&body);
        if let Some(refused) = stale(&form, &csrf) {
            return Err(refused);
        }
        Ok(Checked { moderator, form })
    }
}

pub async fn sign_in_page() -> Response {
    html(StatusCode::OK, pages::sign_in(None))
}

pub async fn sign_in(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    if let Some(refused) = cross_site(&app, &headers) {
        return Ok(refused);
    }
    // Before any hashing: too many attempts from one address get the page back, saying
    // how long to wait.
    let limits = app.clone();
    if let Err(limited) = blocking(move || limits.charge(Allowance::SignIns, client)).await? {
        let (status, sentence, wait) = limited.parts();
        let mut page = html(status, pages::sign_in(Some(sentence)));
        if let Some(value) = wait.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            page.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(page);
    }
    let form = fields(&body);
    let (name, password) =
        (field(&form, "name").unwrap_or("").trim().to_string(), field(&form, "password").unwrap_or("").to_string());
    // A name that failed too often takes no attempt for a while, from any address (any
    // name: the answer never says whether it is a moderator's).
    if let Some(left) = app.sign_in_failures.locked(&name) {
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let sentence = format!(
            "Too many failed sign-ins for this name. Please wait {secs} seconds and try again; the right password works then."
        );
        let mut page = html(StatusCode::TOO_MANY_REQUESTS, pages::sign_in(Some(&sentence)));
        if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
            page.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(page);
    }
    let (store, who) = (app.clone(), name.clone());
    let stored = blocking(move || store.db.moderator_hash(&who)).await??;
    let hash = match stored.clone() {
        Some(hash) => hash,
        None => blocking(dummy_hash).await?,
    };
    let checked = password.clone();
    let turn = turns().acquire().await.map_err(|_| Error::Internal("the password hashing stopped"))?;
    let right = blocking(move || verify(&checked, &hash)).await? && stored.is_some();
    drop(turn);
    if !right {
        let n = app.sign_in_failures.failed(&name, app.settings.sign_in_lock);
        tokio::time::sleep(delay_after(n)).await;
        return Ok(html(StatusCode::UNAUTHORIZED, pages::sign_in(Some("The name or password is wrong."))));
    }
    app.sign_in_failures.cleared(&name);
    let (token, csrf) = (random_hex()?, random_hex()?);
    let (store, hash, who, mark) = (app.clone(), sha256_hex(&[token.as_bytes()]), name.clone(), csrf.clone());
    blocking(move || store.db.open_session(&hash, &who, &mark, now_ms() + SESSION_MS)).await??;
    let (store, who) = (app.clone(), name.clone());
    blocking(move || store.db.record(&who, "sign in", "", now_ms())).await??;
    let mut response = see_other("/admin");
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}", SESSION_MS / 1000);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn sign_out(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Result<Response, Error> {
    if let Some(refused) = cross_site(&app, &headers) {
        return Ok(refused);
    }
    let Some((hash, moderator, csrf)) = session(&app, &headers).await? else { return Ok(see_other("/admin/sign-in")) };
    let form = fields(&body);
    if let Some(refused) = stale(&form, &csrf) {
        return Ok(refused);
    }
    let everywhere = field(&form, "everywhere").is_some();
    let store = app.clone();
    blocking(move || store.db.close_sessions((!everywhere).then_some(hash.as_str()), &moderator)).await??;
    let mut response = see_other("/admin/sign-in");
    let gone = format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&gone) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}
