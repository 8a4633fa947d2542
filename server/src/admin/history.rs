//! One commenter's history (by the keyed hash of the address they wrote from, as bans
//! are): the page, and what moderators decide about them there (always hold, trust, or
//! the site's rules, and a note).

use super::actions::audited;
use super::pages::commenter;
use super::respond::{html, see_other};
use super::session::{field, Checked, Moderator};
use super::views::QUEUE_SHOWN;
use crate::error::{blocking, Error};
use crate::rules::time::now_ms;
use crate::run::state::AppState;
use crate::store::{AccountBar, Standing};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(serde::Deserialize, Default)]
pub struct Whose {
    comment: Option<String>,
    said: Option<String>,
}

/// The comment a moderation form names (its `comment` field).
pub(super) fn comment_named(form: &[(String, String)]) -> Option<i64> {
    field(form, "comment").and_then(|c| c.parse::<i64>().ok())
}

/// The history of whoever wrote a comment.
pub async fn page(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Whose>) -> Result<Response, Error> {
    let id = query.comment.as_deref().and_then(|c| c.parse::<i64>().ok());
    let store = app.clone();
    let (history, articles) = blocking(move || -> Result<_, Error> {
        let Some(history) = id.map(|id| store.db.history_of(id, QUEUE_SHOWN, now_ms())).transpose()?.flatten() else {
            return Ok((None, Default::default()));
        };
        let threads: Vec<String> = history
            .comments
            .iter()
            .map(|(c, _)| c.thread.clone())
            .chain(history.rejected.iter().map(|r| r.thread.clone()))
            .collect();
        let articles = store.db.articles(&threads)?;
        Ok((Some(history), articles))
    })
    .await??;
    let said = match query.said.as_deref() {
        Some("saved") => Some("Saved."),
        Some("reason") => Some("Not saved: write the reason the account's owner is told (at most 500 characters)."),
        Some("confirm") => Some("Nothing was deleted: tick the box that confirms it."),
        _ => None,
    };
    let comment = id.map(|id| id.to_string()).unwrap_or_default();
    Ok(html(
        StatusCode::OK,
        commenter::commenter((&who.name, &who.csrf), (&comment, history.as_ref(), said), &articles),
    ))
}

/// What moderators decide about a commenter (from their history): always hold them,
/// trust them, or neither, and a note.
pub async fn decide(State(app): State<Arc<AppState>>, Checked { moderator, form }: Checked) -> Result<Response, Error> {
    let Some(id) = comment_named(&form) else {
        return Ok(see_other("/admin"));
    };
    let standing = field(&form, "standing").filter(|s| matches!(*s, "hold" | "trust")).map(String::from);
    let note = field(&form, "note")
        .map(|n| n.trim().chars().filter(|c| !c.is_control() || *c == '\n').take(2000).collect::<String>());
    let decided = Standing { standing, note: note.filter(|n| !n.is_empty()), by: Some((moderator.clone(), now_ms())) };
    let words = format!("the author of comment {id}: {}", decided.standing.as_deref().unwrap_or("the site's rules"));
    audited(&app, moderator, move |store, audit| {
        if store.set_standing_of(id, &decided, now_ms())? {
            audit.did("decide", &words)?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/admin/commenter?comment={id}&said=saved")))
}

/// What moderators decide about a signed-in commenter's account (from their history):
/// suspend it for some days, ban it, or let it comment, with the reason its owner is
/// told when they try to post.
pub async fn account(
    State(app): State<Arc<AppState>>,
    Checked { moderator, form }: Checked,
) -> Result<Response, Error> {
    let Some(id) = comment_named(&form) else {
        return Ok(see_other("/admin"));
    };
    let back = format!("/admin/commenter?comment={id}");
    let choice = field(&form, "bar").unwrap_or_default();
    let days = field(&form, "days").and_then(|d| d.trim().parse::<i64>().ok()).filter(|d| (1..=365).contains(d));
    let reason: String =
        field(&form, "reason").unwrap_or_default().trim().chars().filter(|c| !c.is_control()).take(501).collect();
    let until = match (choice, days) {
        ("suspend", Some(days)) => Some(Some(now_ms() + days * 86_400_000)),
        ("ban", _) => Some(None),
        _ => None,
    };
    if until.is_some() && (reason.is_empty() || reason.chars().count() > 500) {
        return Ok(see_other(&format!("{back}&said=reason")));
    }
    audited(&app, moderator.clone(), move |store, audit| {
        let Some(account) = account_of(store, id)? else { return Ok(()) };
        let bar = until.map(|until| AccountBar { until, reason, by: moderator, at: now_ms() });
        store.set_account_bar(&account, bar.as_ref())?;
        let words = match &bar {
            Some(AccountBar { until: Some(until), .. }) => {
                format!("account {account} until {}", reader_comments_core::time::format_rfc3339(*until))
            }
            Some(AccountBar { until: None, .. }) => format!("account {account}: banned"),
            None => format!("account {account}: may comment"),
        };
        audit.did(if bar.is_some() { "suspend" } else { "lift" }, &words)?;
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("{back}&said=saved")))
}

/// The account of comment `id`'s author, when it was posted signed in.
fn account_of(store: &crate::store::Store, id: i64) -> Result<Option<String>, Error> {
    Ok(store.history_of(id, 1, now_ms())?.and_then(|h| h.account).map(|(account, _)| account))
}

/// Everything kept about the account of a comment's author, as the JSON `account
/// export` prints, downloaded (and recorded in the audit log).
pub async fn export_account(
    State(app): State<Arc<AppState>>,
    who: Moderator,
    query: Query<Whose>,
) -> Result<Response, Error> {
    let Some(id) = query.comment.as_deref().and_then(|c| c.parse::<i64>().ok()) else {
        return Ok(see_other("/admin"));
    };
    let doc = audited(&app, who.name, move |store, audit| {
        let Some(account) = account_of(store, id)? else { return Ok(None) };
        let doc = crate::rules::accounts::export(store, &account, now_ms())?;
        audit.did("export", &format!("account {account}"))?;
        Ok(Some((account, doc)))
    })
    .await?;
    let Some((account, doc)) = doc else { return Ok(see_other(&format!("/admin/commenter?comment={id}"))) };
    let mut response = (StatusCode::OK, format!("{doc:#}")).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let name: String = account.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"account-{name}.json\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Removes everything kept about the account of a comment's author, as `account
/// delete` does, once the moderator confirmed it (the `confirm` box).
pub async fn delete_account(
    State(app): State<Arc<AppState>>,
    Checked { moderator, form }: Checked,
) -> Result<Response, Error> {
    let Some(id) = comment_named(&form) else {
        return Ok(see_other("/admin"));
    };
    if field(&form, "confirm") != Some("yes") {
        return Ok(see_other(&format!("/admin/commenter?comment={id}&said=confirm")));
    }
    let removed = audited(&app, moderator, move |store, audit| {
        let Some(account) = account_of(store, id)? else { return Ok(None) };
        let removed = store.delete_account(&account, now_ms())?;
        audit.did("delete", &format!("account {account}: {removed} comments"))?;
        Ok(Some(removed))
    })
    .await?;
    Ok(see_other(match removed {
        Some(_) => "/admin?said=account-deleted",
        None => "/admin",
    }))
}
