//! `/api/unsubscribe?account=…&sig=…`: a reader stops the e-mails about their comments
//! without signing in (run/mailer.rs signs the link). `GET` shows a page with one
//! button (so that a mail scanner following links unsubscribes nobody); `POST` (the
//! button, or a mail client's one-click `List-Unsubscribe=One-Click`, RFC 8058)
//! removes their address and whatever waited for them.

use crate::error::{blocking, Error};
use crate::run::mailer::unsubscribe_account;
use crate::run::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use std::sync::Arc;

#[derive(serde::Deserialize)]
pub struct Link {
    account: Option<String>,
    sig: Option<String>,
}

fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1"; title { (title) } }
            body { main { h1 { (title) } (body) } }
        }
    };
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn not_ours() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "This link does not work",
        html! { p { "The link is incomplete or was not made by this comment service. Use the link in your latest e-mail." } },
    )
}

/// The account a link names, when it is signed by this server.
fn account_of(app: &AppState, link: &Link) -> Option<String> {
    unsubscribe_account(&app.db, link.account.as_deref()?, link.sig.as_deref()?)
}

/// `GET`: the page with the button.
pub async fn ask(State(app): State<Arc<AppState>>, Query(link): Query<Link>) -> Response {
    if account_of(&app, &link).is_none() {
        return not_ours();
    }
    let (account, sig) = (link.account.unwrap_or_default(), link.sig.unwrap_or_default());
    page(
        StatusCode::OK,
        "Stop e-mails about your comments",
        html! {
            p { "You will no longer be told by e-mail when someone replies to your comments or a moderator decides on one. Your address is then removed." }
            form method="post" action=(format!("/api/unsubscribe?account={account}&sig={sig}")) {
                button type="submit" name="List-Unsubscribe" value="One-Click" { "Stop the e-mails" }
            }
        },
    )
}

/// `POST`: removes the reader's address (again is harmless).
pub async fn stop(State(app): State<Arc<AppState>>, Query(link): Query<Link>) -> Result<Response, Error> {
    let Some(account) = account_of(&app, &link) else { return Ok(not_ours()) };
    let store = app.clone();
    blocking(move || store.db.unsubscribe(&account)).await??;
    Ok(page(
        StatusCode::OK,
        "You will get no more e-mails",
        html! { p { "Your address is removed. To be told again, tick the box when you next comment." } },
    ))
}
