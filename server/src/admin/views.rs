//! The moderation pages that show: the queue (all of it, or one thread's), the
//! published comments found, the thread list, the blocked words, the bans and the audit
//! log; and the pages' own stylesheet and script.

use super::pages::parts::named_comment;
use super::pages::{decisions, layout, newsroom, queue as pages};
use super::respond::html;
use super::session::Moderator;
use crate::error::{blocking, Error};
use crate::rules::holding::{why_held, Moderation};
use crate::rules::threads::valid_thread;
use crate::rules::time::now_ms;
use crate::run::state::AppState;
use crate::store::{Article, InThread, Recalled, Store};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::{Comment, Status};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(serde::Deserialize)]
pub struct Said {
    said: Option<String>,
    /// The queue of one thread only (a thread key; anything else is ignored).
    thread: Option<String>,
    /// The comments that changed since the moderator's decision was made on them
    /// (ids, comma-separated; only ids of comments shown mark anything).
    changed: Option<String>,
    /// The comment the last decision was on, which Undo takes back (a number; anything
    /// else is ignored).
    undo: Option<String>,
}

/// Only the messages a page knows are shown: nothing from the address is ever echoed.
fn said(known: &[(&str, &'static str)], said: &Said) -> Option<&'static str> {
    known.iter().find(|(code, _)| Some(*code) == said.said.as_deref()).map(|(_, words)| *words)
}

/// Said after "Reject and ban" (queue) or "Delete and ban" (published) when the comment
/// has no address hash to ban (imported, or stored before bans).
const NOT_BANNED: [&str; 2] = [
    "Rejected. No ban was made: this comment's author address is not known (an imported comment, or one from before bans).",
    "Deleted. No ban was made: this comment's author address is not known (an imported comment, or one from before bans).",
];
/// Said when a decision was not made because its comment changed meanwhile.
const CHANGED: &str = "Not done for a comment that changed since you opened the queue: it is shown again below.";
/// Said when a ban's length is not one the pages offer.
const BAN_LENGTH: &str = "Nothing was done: a ban lasts 1 to 30 days.";

/// How many comments the queue shows at once: a flood of spam must not make a page
/// too large to load; what is acted on makes room for the next.
pub(super) const QUEUE_SHOWN: usize = 200;

/// For each of `rows` that is a reply, whom it answers: the name and the start of that
/// comment (both empty when it was deleted), the parents found in one look-up.
fn answered(store: &Store, rows: &[InThread]) -> Result<Vec<Option<(String, String)>>, Error> {
    let parent_of = |c: &Comment| c.parent_id.as_deref().and_then(|p| p.parse::<i64>().ok());
    let parents = store.comments_by_id(&rows.iter().filter_map(|r| parent_of(&r.comment)).collect::<Vec<_>>())?;
    let answer = |parent: i64| match parents.get(&parent) {
        Some(found) if found.status != Status::Deleted => {
            let mut start: String = found.body.chars().take(140).collect();
            if start.len() < found.body.len() {
                start.push('\u{2026}');
            }
            (found.author.clone(), start)
        }
        _ => (String::new(), String::new()),
    };
    Ok(rows.iter().map(|r| parent_of(&r.comment).map(answer)).collect())
}

/// The queue: comments waiting, newest first, each with why it waits, and for a reply
/// whom it answers.
pub async fn queue(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let thread = query.thread.clone().filter(|t| valid_thread(t));
    let changed: Vec<String> = query.changed.as_deref().unwrap_or("").split(',').map(str::to_string).collect();
    let (store, only) = (app.clone(), thread.clone());
    let (waiting, total) = blocking(move || -> Result<_, Error> {
        let (db, only) = (&store.db, only.as_deref());
        let (pending, blocked) = (db.pending(only, QUEUE_SHOWN)?, db.blocked_words()?);
        let total = db.pending_count(only)?;
        let ids: Vec<i64> = pending.iter().filter_map(|r| r.comment.id.parse().ok()).collect();
        let reports = db.open_reports(&ids)?;
        let firsts = match store.settings.moderation {
            Moderation::First => Some(db.first_comments(&ids)?),
            _ => None,
        };
        let answered = answered(db, &pending)?;
        let articles = db.articles(&pending.iter().map(|r| r.thread.clone()).collect::<Vec<_>>())?;
        let waiting = pending
            .into_iter()
            .zip(answered)
            .map(|(InThread { thread, comment, version, held_for }, reply_to)| {
                let id = comment.id.parse::<i64>().unwrap_or(0);
                let first = firsts.as_ref().map(|firsts| firsts.contains(&id));
                let reports = reports.get(&id).map(Vec::as_slice);
                let why = why_held(&comment, held_for.as_deref(), &blocked, reports, first);
                let changed = changed.contains(&comment.id);
                let article = articles.get(&thread).cloned();
                pages::Waiting { thread, article, comment, why, reply_to, version, changed }
            })
            .collect::<Vec<_>>();
        Ok((waiting, total))
    })
    .await??;
    let known = [
        ("approved", "Approved."),
        ("rejected", "Rejected."),
        ("deleted", "Deleted."),
        ("banned", "Rejected, and its author's address is banned (the bans page says until when)."),
        ("not_banned", NOT_BANNED[0]),
        ("ban_length", BAN_LENGTH),
        ("none", "Nothing was selected."),
        ("changed", CHANGED),
        ("restored", "Undone: it waits in the queue again."),
        ("unapproved", "Undone: it waits in the queue again."),
        ("account-deleted", "The account's data is deleted (the audit log says how many comments)."),
    ];
    // Undo, right after one approval or rejection: approving takes it back to the queue,
    // rejecting restores it there.
    let undo_id = query.undo.as_deref().and_then(|u| u.parse::<i64>().ok()).map(|id| id.to_string());
    let undo = match (query.said.as_deref(), undo_id.as_deref()) {
        (Some("approved"), Some(id)) => Some(("unapprove", id)),
        (Some("rejected"), Some(id)) => Some(("restore", id)),
        _ => None,
    };
    let said = said(&known, &query);
    let reasons = &app.settings.reject_reasons;
    let page = pages::queue((&who.name, &who.csrf), (&waiting, total, thread.as_deref()), (said, undo), reasons);
    Ok(html(StatusCode::OK, page))
}

#[derive(serde::Deserialize, Default)]
pub struct Search {
    text: Option<String>,
    author: Option<String>,
    thread: Option<String>,
    said: Option<String>,
}

/// Published comments found by text, author and thread, with Delete.
pub async fn published(
    State(app): State<Arc<AppState>>,
    who: Moderator,
    query: Query<Search>,
) -> Result<Response, Error> {
    let Query(search) = query;
    let bounded = |s: &Option<String>| s.as_deref().unwrap_or("").chars().take(200).collect::<String>();
    let (text, author, thread) = (bounded(&search.text), bounded(&search.author), bounded(&search.thread));
    let (store, t, a, h) = (app.clone(), text.clone(), author.clone(), thread.clone());
    let found = blocking(move || -> Result<_, Error> {
        let found = store.db.search(&t, &a, &h, 100)?;
        let answered = answered(&store.db, &found)?;
        let articles = store.db.articles(&found.iter().map(|r| r.thread.clone()).collect::<Vec<_>>())?;
        let found = found.into_iter().zip(answered);
        Ok(found
            .map(|(InThread { thread, comment, .. }, reply_to)| {
                let article = articles.get(&thread).cloned();
                pages::Found { thread, article, comment, reply_to }
            })
            .collect::<Vec<_>>())
    })
    .await??;
    let known = [
        ("deleted", "Deleted."),
        ("banned", "Deleted, and its author's address is banned (the bans page says until when)."),
        ("not_banned", NOT_BANNED[1]),
        ("ban_length", BAN_LENGTH),
        ("none", "Nothing was selected."),
        ("featured", "Featured: readers find it under Featured, marked so."),
        ("unfeatured", "No longer featured."),
        ("answered", "Answered: the newsroom's reply is published under it, with the Staff badge."),
    ];
    let said = known.iter().find(|(code, _)| Some(*code) == search.said.as_deref()).map(|(_, words)| *words);
    Ok(html(StatusCode::OK, pages::published((&who.name, &who.csrf), (&text, &author, &thread), &found, said)))
}

/// Published comments readers reported that no moderator has read, below the threshold
/// too (so that "a moderator will look at this comment" is true for every report).
pub async fn reported(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let found = blocking(move || -> Result<_, Error> {
        let found = store.db.reported(QUEUE_SHOWN)?;
        let ids: Vec<i64> = found.iter().filter_map(|r| r.comment.id.parse().ok()).collect();
        let reports = store.db.open_reports(&ids)?;
        let articles = store.db.articles(&found.iter().map(|r| r.thread.clone()).collect::<Vec<_>>())?;
        Ok(found
            .into_iter()
            .map(|InThread { thread, comment, .. }| {
                let id = comment.id.parse::<i64>().unwrap_or(0);
                let reports = why_held(&comment, None, &[], reports.get(&id).map(Vec::as_slice), None);
                let article = articles.get(&thread).cloned();
                pages::ReportedComment { thread, article, comment, reports }
            })
            .collect::<Vec<_>>())
    })
    .await??;
    let known = [
        ("kept", "Kept: its reports are marked read."),
        ("deleted", "Deleted."),
        ("banned", "Deleted, and its author's address is banned (the bans page says until when)."),
        ("not_banned", NOT_BANNED[1]),
        ("ban_length", BAN_LENGTH),
    ];
    let threshold = app.settings.report_threshold;
    Ok(html(StatusCode::OK, pages::reported((&who.name, &who.csrf), (&found, threshold), said(&known, &query))))
}

/// The rejected comments, with Restore.
pub async fn rejected(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let found = blocking(move || store.db.rejected(QUEUE_SHOWN)).await??;
    let known = [
        ("restored", "Restored: it waits in the queue again."),
        ("none", "It is not rejected any more, or the comment it answers is gone."),
    ];
    Ok(html(StatusCode::OK, decisions::rejected((&who.name, &who.csrf), &found, said(&known, &query))))
}

/// The threads with their counts and the open/closed switch.
pub async fn threads(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let rows = blocking(move || store.db.threads_overview()).await??;
    let known = [("closed", "Closed: its readers see that comments are closed."), ("opened", "Open again.")];
    Ok(html(StatusCode::OK, newsroom::threads((&who.name, &who.csrf), &rows, said(&known, &query))))
}

/// The blocked words and phrases.
pub async fn words(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let phrases = blocking(move || store.db.blocked_words()).await??;
    let known = [
        ("added", "Blocked: new comments with it wait for a moderator."),
        ("removed", "No longer blocked."),
        ("invalid", "A word or phrase is 1 to 100 visible characters."),
    ];
    Ok(html(StatusCode::OK, newsroom::words((&who.name, &who.csrf), &phrases, said(&known, &query))))
}

/// The bans in force, with Lift.
pub async fn bans(State(app): State<Arc<AppState>>, who: Moderator, query: Query<Said>) -> Result<Response, Error> {
    let store = app.clone();
    let (rows, known, articles) = blocking(move || -> Result<_, Error> {
        let rows = store.db.bans(now_ms())?;
        let (known, articles) = recall(&store.db, rows.iter().filter_map(|b| b.comment).collect())?;
        Ok((rows, known, articles))
    })
    .await??;
    let said = said(&[("lifted", "Lifted.")], &query);
    Ok(html(StatusCode::OK, newsroom::bans((&who.name, &who.csrf), &rows, (&known, &articles), said)))
}

/// Comments as a moderator recalls them, and their threads' articles.
type Recall = (HashMap<i64, Recalled>, HashMap<String, Article>);

/// The comments `ids` as a moderator recalls them, and their threads' articles.
fn recall(db: &Store, ids: Vec<i64>) -> Result<Recall, Error> {
    let known = db.recall(&ids)?;
    let threads: Vec<String> = known.values().map(|r| r.thread.clone()).collect();
    Ok((known, db.articles(&threads)?))
}

/// The audit log, newest first.
pub async fn audit(State(app): State<Arc<AppState>>, who: Moderator) -> Result<Response, Error> {
    let store = app.clone();
    let (rows, known, articles) = blocking(move || -> Result<_, Error> {
        let rows = store.db.audit_log(newsroom::AUDIT_SHOWN)?;
        let ids = rows.iter().filter_map(|r| named_comment(&r.target)).collect();
        let (known, articles) = recall(&store.db, ids)?;
        Ok((rows, known, articles))
    })
    .await??;
    Ok(html(StatusCode::OK, newsroom::audit((&who.name, &who.csrf), &rows, (&known, &articles))))
}

/// A static file of the pages, with its type.
fn asset(text: &'static str, content_type: &'static str) -> Response {
    let mut response = text.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The pages' one stylesheet.
pub async fn stylesheet() -> Response {
    asset(layout::STYLE, "text/css; charset=utf-8")
}

/// The pages' one script (keyboard shortcuts and "Select all"; they work without it).
pub async fn script() -> Response {
    asset(layout::SCRIPT, "text/javascript; charset=utf-8")
}
