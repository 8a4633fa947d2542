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
use crate::store::Standing;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

#[derive(serde::Deserialize, Default)]
pub struct Whose {
    comment: Option<String>,
    said: Option<String>,
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
    let said = (query.said.as_deref() == Some("saved")).then_some("Saved.");
    let comment = id.map(|id| id.to_string()).unwrap_or_default();
    Ok(html(
        StatusCode::OK,
        commenter::commenter((&who.name, &who.csrf), (&comment, history.as_ref(), said), &articles),
    ))
}

/// What moderators decide about a commenter (from their history): always hold them,
/// trust them, or neither, and a note.
pub async fn decide(State(app): State<Arc<AppState>>, Checked { moderator, form }: Checked) -> Result<Response, Error> {
    let Some(id) = field(&form, "comment").and_then(|c| c.parse::<i64>().ok()) else {
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
