//! A moderator answers a published comment as the newsroom (contract v1.2 `staff`): the
//! reply is signed with `--newsroom-name`, published at once and marked `staff`, which
//! only this page sets (a reader's post never is, whatever it sends). The same rules as
//! a reader's reply (its length, its characters); a refusal keeps the text.

use super::history::comment_named;
use super::pages::answer::{answer_page, Answering};
use super::respond::{html, see_other};
use super::session::{field, Checked, Moderator};
use crate::error::{blocking, Error};
use crate::rules::time::now_ms;
use crate::run::state::AppState;
use crate::store::{NewRow, Parent};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_body, Limits, Status};
use std::sync::Arc;

#[derive(serde::Deserialize, Default)]
pub struct Which {
    comment: Option<String>,
}

/// The published comment `id` and its thread, if it can be answered.
fn answerable(
    app: &AppState,
    id: Option<i64>,
) -> Result<Option<(String, Parent, reader_comments_core::Comment)>, Error> {
    let Some(id) = id else { return Ok(None) };
    Ok(app
        .db
        .find_anywhere(id)?
        .filter(|(_, found)| found.comment.status == Status::Published)
        .map(|(thread, found)| (thread, Parent { id, root: found.root.unwrap_or(id) }, found.comment)))
}

/// The page: the comment, and a box for the newsroom's answer.
pub async fn page(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Which>) -> Result<Response, Error> {
    let id = query.comment.as_deref().and_then(|c| c.parse::<i64>().ok());
    let store = app.clone();
    let found = blocking(move || answerable(&store, id)).await??;
    let answering = found.as_ref().map(|(thread, _, comment)| Answering { thread, comment, text: "", error: None });
    let status = if answering.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(html(status, answer_page((&who.name, &who.csrf), &app.settings.newsroom_name, answering)))
}

/// Publishes the answer, or shows the page again with why not and the text kept.
pub async fn post(State(app): State<Arc<AppState>>, Checked { moderator, form }: Checked) -> Result<Response, Error> {
    let id = comment_named(&form);
    let text = field(&form, "body").unwrap_or("").to_string();
    let store = app.clone();
    let found = blocking(move || answerable(&store, id)).await??;
    let Some((thread, parent, comment)) = found else { return Ok(see_other("/admin/comments?said=none")) };
    if let Some(error) = validate_body(&text, Limits::default()) {
        let csrf = field(&form, "csrf").unwrap_or("").to_string();
        let answering = Answering { thread: &thread, comment: &comment, text: &text, error: Some(error.message()) };
        let page = answer_page((&moderator, &csrf), &app.settings.newsroom_name, Some(answering));
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let store = app.clone();
    blocking(move || -> Result<(), Error> {
        let body = normalize(&text);
        let name = store.settings.newsroom_name.clone();
        let stored = store.db.insert_row(&NewRow {
            thread: &thread,
            author: &name,
            body: &body,
            status: Status::Published,
            created_at: now_ms(),
            parent: Some(parent),
            staff: true,
            account: None,
            ..NewRow::default()
        })?;
        store.db.record(
            &moderator,
            "answer",
            &format!("comment {} with comment {}", parent.id, stored.id),
            now_ms(),
        )?;
        Ok(())
    })
    .await??;
    Ok(see_other("/admin/comments?said=answered"))
}
