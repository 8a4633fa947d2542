//! What moderators do from the pages: approve, reject, ban or delete comments (one or
//! selected), close and open threads, block words, lift bans. Each action arrives
//! [`Checked`] (origin, session, CSRF), runs off the async threads, records what it
//! changed in the audit log as it goes, and redirects to its page with what was done.

use super::pages;
use super::respond::{html, query_value, see_other};
use super::session::{field, Checked};
use crate::error::{blocking, Error};
use crate::rules::bans::{DAY_MS, PERIOD_MS};
use crate::rules::blocked::valid_phrase;
use crate::rules::plain_text::one_line;
use crate::rules::threads::valid_thread;
use crate::rules::time::now_ms;
use crate::run::state::AppState;
use crate::store::{BanFor, Decided, RejectedFor, Store, WriteError};
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;

/// Records a moderator's changes in the audit log.
pub struct Audit<'a> {
    store: &'a Store,
    moderator: &'a str,
}

impl Audit<'_> {
    /// Records that the moderator did `action` to `target`, now.
    pub(super) fn did(&self, action: &str, target: &str) -> Result<(), WriteError> {
        self.store.record(self.moderator, action, target, now_ms())
    }
}

/// Runs `change` on the store off the async threads, with the audit log to record in.
pub(super) async fn audited<T: Send + 'static>(
    app: &Arc<AppState>,
    moderator: String,
    change: impl FnOnce(&Store, &Audit<'_>) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let app = app.clone();
    blocking(move || {
        let store = app.db.as_ref();
        change(store, &Audit { store, moderator: &moderator })
    })
    .await?
}

/// A comment a button names: its id, and the version the moderator read when it names
/// one (`15@2`: the queue's buttons do; the published list's do not).
fn target(text: &str) -> Option<(i64, Option<i64>)> {
    let (id, version) = match text.split_once('@') {
        Some((id, version)) => (id, Some(version.parse().ok()?)),
        None => (text, None),
    };
    Some((id.parse().ok()?, version))
}

/// The queue's and the published list's buttons: `one` = "ACTION ID[@VERSION]", or
/// `bulk` = ACTION with the selected `id`s; back to the page they came from (`from`)
/// with what was done. A decision in the queue names the version the moderator read: a
/// comment its author changed since is left waiting and shown again, marked.
pub async fn comments(
    State(app): State<Arc<AppState>>,
    Checked { moderator, form }: Checked,
) -> Result<Response, Error> {
    let (action, targets): (String, Vec<(i64, Option<i64>)>) = match (field(&form, "one"), field(&form, "bulk")) {
        (Some(one), _) => {
            let (action, id) = one.split_once(' ').unwrap_or((one, ""));
            (action.to_string(), target(id).into_iter().collect())
        }
        (None, Some(bulk)) => {
            (bulk.to_string(), form.iter().filter(|(k, _)| k == "id").filter_map(|(_, v)| target(v)).collect())
        }
        _ => return Ok(see_other("/admin")),
    };
    let bulk = field(&form, "one").is_none();
    let single = match targets.as_slice() {
        [(id, _)] if !bulk => Some(*id),
        _ => None,
    };
    let from_reported = field(&form, "from") == Some("reported");
    let from_rejected = field(&form, "from") == Some("rejected");
    let published = field(&form, "from") == Some("published") || from_reported;
    let back = back_to(&form, (from_reported, from_rejected, published));
    if targets.is_empty() {
        return Ok(see_other(&format!("{back}said=none")));
    }
    // Delete asks first (a deletion cannot be undone).
    if let ("delete", Some(id), false) = (action.as_str(), single, field(&form, "confirmed") == Some("yes")) {
        return ask_to_delete(&app, &moderator, &form, id, &back).await;
    }
    let (done, audit_word) = match action.as_str() {
        "approve" => ("approved", "approve"),
        "reject" => ("rejected", "reject"),
        "ban" => ("banned", if published { "delete" } else { "reject" }),
        "delete" => ("deleted", "delete"),
        "keep" if from_reported => ("kept", "keep"),
        "restore" => ("restored", "restore"),
        "unapprove" if !published => ("unapproved", "undo approve"),
        "feature" if published => ("featured", "feature"),
        "unfeature" if published => ("unfeatured", "unfeature"),
        _ => return Ok(see_other(&back)),
    };
    // A ban's length, chosen beside its button: 1 to 30 days (rules/bans.rs: one hash period).
    let mut ban_days = Vec::new();
    if done == "banned" {
        for (id, _) in &targets {
            match field(&form, &format!("ban-days-{id}")).map(str::parse::<i64>) {
                Some(Ok(days)) if (1..=PERIOD_MS / DAY_MS).contains(&days) => ban_days.push(days),
                _ => return Ok(see_other(&format!("{back}said=ban_length"))),
            }
        }
    }
    let reasons = reasons_for(&form, &targets, bulk, &app.settings.reject_reasons);
    let reject_reasons = app.settings.reject_reasons.clone();
    let (bans_made, changed, gone) = audited(&app, moderator.clone(), move |store, audit| {
        let (mut made, mut changed, mut gone) = (0, Vec::new(), 0);
        for (index, (id, seen)) in targets.into_iter().enumerate() {
            let ban = ban_days.get(index).map(|days| (now_ms() + days * DAY_MS, *days));
            let decided = match (done, published) {
                ("approved", _) => store.approve(id, seen)?,
                ("restored", _) => store.restore(id)?,
                ("unapproved", _) => store.unapprove(id)?,
                ("featured" | "unfeatured", _) => store.feature(id, done == "featured", now_ms())?,
                ("kept", _) => {
                    if store.keep_reported(id)? {
                        Decided::Done
                    } else {
                        Decided::Gone
                    }
                }
                (_, false) => {
                    // Delete (from the queue) removes it without a rejection to read.
                    let why = (done != "deleted").then(|| RejectedFor {
                        reason: &reasons[index].0,
                        words: reason_words(&reject_reasons, &reasons[index].0),
                        note: reasons[index].1.as_deref(),
                        by: &moderator,
                    });
                    let ban_for = ban.map(|(until, _)| BanFor { until, by: &moderator });
                    let rejected = store.reject(id, seen, ban_for, why, now_ms())?;
                    if rejected.banned {
                        made += 1;
                        audit.did("ban", &banned_for(id, ban))?;
                    }
                    rejected.decided
                }
                (_, true) => {
                    if let Some((until, _)) = ban {
                        if store.ban_author_of(id, until, &moderator)? {
                            made += 1;
                            audit.did("ban", &banned_for(id, ban))?;
                        }
                    }
                    if store.remove(id, now_ms())? {
                        Decided::Done
                    } else {
                        Decided::Gone
                    }
                }
            };
            match decided {
                Decided::Done
                    if matches!(done, "approved" | "kept" | "deleted" | "restored" | "unapproved") || published =>
                {
                    audit.did(audit_word, &format!("comment {id}"))?
                }
                Decided::Done => {
                    let (reason, note) = &reasons[index];
                    let note = note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                    audit.did(audit_word, &format!("comment {id}: {}{note}", reason_words(&reject_reasons, reason)))?
                }
                Decided::Changed => changed.push(id.to_string()),
                Decided::Gone => gone += 1,
            }
        }
        Ok((made, changed, gone))
    })
    .await?;
    // A comment stored without its author's address hash (imported, or from before
    // bans) cannot lead to a ban: said so rather than claimed.
    let said = match () {
        _ if !changed.is_empty() => "changed",
        _ if done == "banned" && bans_made == 0 => "not_banned",
        // Nothing to restore: said so (on the Rejected page).
        _ if done == "restored" && gone > 0 => "none",
        _ => done,
    };
    let mut marks = if changed.is_empty() { String::new() } else { format!("&changed={}", changed.join(",")) };
    // A single approval or rejection in the queue can be undone right after.
    if let (Some(id), true, "approved" | "rejected") = (single, !published && !from_rejected && said == done, done) {
        marks.push_str(&format!("&undo={id}"));
    }
    Ok(see_other(&format!("{back}said={said}{marks}")))
}

/// The page an action came from, to go back to: the reported comments, the rejected
/// ones, the published list (with its search: the form sends it back), the queue of one
/// thread, or the queue.
fn back_to(form: &[(String, String)], (from_reported, from_rejected, published): (bool, bool, bool)) -> String {
    match field(form, "thread").filter(|t| valid_thread(t)) {
        _ if from_reported => "/admin/reported?".to_string(),
        _ if from_rejected => "/admin/rejected?".to_string(),
        _ if published => {
            let searched = ["text", "author", "thread"].map(|name| {
                match field(form, &format!("searched-{name}")).filter(|v| !v.is_empty()) {
                    Some(value) => format!("{name}={}&", query_value(&value.chars().take(200).collect::<String>())),
                    None => String::new(),
                }
            });
            format!("/admin/comments?{}", searched.concat())
        }
        Some(thread) => format!("/admin?thread={thread}&"),
        None => "/admin?".to_string(),
    }
}

/// The question Delete asks first: comment `id`, and the same form again, confirmed.
async fn ask_to_delete(
    app: &Arc<AppState>,
    moderator: &str,
    form: &[(String, String)],
    id: i64,
    back: &str,
) -> Result<Response, Error> {
    let store = app.clone();
    let found = blocking(move || store.db.find_anywhere(id)).await??;
    let comment = found.map(|(_, f)| f.comment).filter(|c| c.status != reader_comments_core::Status::Deleted);
    let csrf = field(form, "csrf").unwrap_or("").to_string();
    let page = pages::decisions::confirm_delete((moderator, &csrf), comment.as_ref(), form, back);
    Ok(html(axum::http::StatusCode::OK, page))
}

/// Why each of `targets` is rejected, chosen beside its button (or for the selected
/// ones): one of the newsroom's `reasons`, "other" when none was chosen, and the
/// moderator's note, which the author reads (plain text, one paragraph, at most 500
/// characters).
fn reasons_for(
    form: &[(String, String)],
    targets: &[(i64, Option<i64>)],
    bulk: bool,
    reasons: &[(String, String)],
) -> Vec<(String, Option<String>)> {
    targets
        .iter()
        .map(|(id, _)| {
            // A single decision reads the controls beside its button; "… selected" reads
            // the controls beside that button (each comment's own are sent with the form
            // too, and count only when the bulk ones are absent).
            let own = |name: &str| field(form, &format!("{name}-{id}"));
            let named = |name: &str| if bulk { field(form, name).or_else(|| own(name)) } else { own(name) };
            let reason =
                named("reason").filter(|r| reasons.iter().any(|(code, _)| code == r)).unwrap_or("other").to_string();
            (reason, named("note").and_then(note_of))
        })
        .collect()
}

/// The newsroom's words for a rejection's reason code (the code itself when it is none
/// of theirs).
fn reason_words<'a>(reasons: &'a [(String, String)], code: &'a str) -> &'a str {
    reasons.iter().find(|(c, _)| c == code).map_or(code, |(_, words)| words.as_str())
}

/// A moderator's note to a comment's author: its text on one line, at most 500
/// characters; `None` when empty.
fn note_of(text: &str) -> Option<String> {
    Some(one_line(text, 500)).filter(|kept| !kept.is_empty())
}

/// The audit log's words for a ban of comment `id`'s author.
fn banned_for(id: i64, ban: Option<(i64, i64)>) -> String {
    let days = ban.map_or(0, |(_, days)| days);
    let length = if days == 1 { "1 day".to_string() } else { format!("{days} days") };
    format!("the author of comment {id}, {length}")
}

/// The thread list's switch: close a thread or open it again.
pub async fn threads(
    State(app): State<Arc<AppState>>,
    Checked { moderator, form }: Checked,
) -> Result<Response, Error> {
    let thread = field(&form, "thread").unwrap_or("").to_string();
    let closed = match field(&form, "action") {
        Some("close") => true,
        Some("open") => false,
        _ => return Ok(see_other("/admin/threads")),
    };
    if !valid_thread(&thread) {
        return Ok(see_other("/admin/threads"));
    }
    audited(&app, moderator, move |store, audit| {
        store.set_closed(&thread, closed, now_ms())?;
        Ok(audit.did(if closed { "close" } else { "open" }, &format!("thread {thread}"))?)
    })
    .await?;
    Ok(see_other(if closed { "/admin/threads?said=closed" } else { "/admin/threads?said=opened" }))
}

/// Blocks a word or phrase, or stops blocking it.
pub async fn words(State(app): State<Arc<AppState>>, Checked { moderator, form }: Checked) -> Result<Response, Error> {
    let phrase = field(&form, "phrase").unwrap_or("").trim().to_string();
    let add = match field(&form, "action") {
        Some("add") => true,
        Some("remove") => false,
        _ => return Ok(see_other("/admin/words")),
    };
    if !valid_phrase(&phrase) {
        return Ok(see_other("/admin/words?said=invalid"));
    }
    audited(&app, moderator, move |store, audit| {
        store.set_blocked(&phrase, add, now_ms())?;
        Ok(audit.did(if add { "block" } else { "unblock" }, &phrase)?)
    })
    .await?;
    Ok(see_other(if add { "/admin/words?said=added" } else { "/admin/words?said=removed" }))
}

/// Lifts a ban.
pub async fn bans(State(app): State<Arc<AppState>>, Checked { moderator, form }: Checked) -> Result<Response, Error> {
    let hash = field(&form, "hash").unwrap_or("").to_string();
    audited(&app, moderator, move |store, audit| {
        if store.lift_ban(&hash)? {
            audit.did("lift ban", hash.get(..12).unwrap_or(&hash))?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other("/admin/bans?said=lifted"))
}
