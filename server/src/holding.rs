//! Why a comment waits for a moderator: for a new one (`--moderation`, the blocked
//! words, a reader's first comment) in the webhook's words, `None` when it appears at
//! once; and, for the queue, in moderators' words with readers' reports.

use crate::error::{blocking, Error};
use crate::{AppState, Moderation};
use reader_comments_core::Comment;
use std::sync::Arc;

/// Why a comment with this name and text, posted with this reader hash, waits; `None`
/// when nothing holds it.
pub async fn reason(
    app: &Arc<AppState>,
    author: &str,
    body: &str,
    reader: Option<String>,
) -> Result<Option<&'static str>, Error> {
    let moderation = app.settings.moderation;
    Ok(if moderation.holds(author, body) {
        Some(if moderation == Moderation::All { "every comment is held" } else { "it has a link" })
    } else if blocked(app, author, body).await? {
        Some("it has a blocked word or phrase")
    } else if moderation == Moderation::First && !known(app, reader).await? {
        Some("it is the first comment from this reader")
    } else {
        None
    })
}

/// Whether a name or text has a blocked word or phrase in it (blocked.rs): held then.
pub async fn blocked(app: &Arc<AppState>, author: &str, body: &str) -> Result<bool, Error> {
    let store = app.clone();
    let phrases = blocking(move || store.db.blocked_words()).await??;
    Ok(crate::blocked::first_blocked(author, &phrases).is_some()
        || crate::blocked::first_blocked(body, &phrases).is_some())
}

/// Whether a moderator has published a comment of the reader with this hash before.
async fn known(app: &Arc<AppState>, reader: Option<String>) -> Result<bool, Error> {
    let Some(reader) = reader else { return Ok(false) };
    let app = app.clone();
    Ok(blocking(move || app.db.known_reader(&reader)).await??)
}

/// Why a comment waits: readers' reports not yet seen, and the rule that held it
/// (`first`, under `--moderation first`: whether it is still its reader's first).
pub fn why_held(
    comment: &Comment,
    blocked: &[String],
    reports: Option<&[(String, i64)]>,
    first: Option<bool>,
) -> String {
    let phrase = crate::blocked::first_blocked(&comment.author, blocked)
        .or_else(|| crate::blocked::first_blocked(&comment.body, blocked));
    let rule = match phrase {
        Some(phrase) => Some(format!("It has a blocked word or phrase: \u{201C}{phrase}\u{201D}.")),
        None if crate::Moderation::Links.holds(&comment.author, &comment.body) => Some("It has a link.".into()),
        None if first == Some(true) => Some("It is the first comment from this reader.".into()),
        None if first == Some(false) => {
            Some("It was this reader's first comment; one of theirs has been published since.".into())
        }
        None => None,
    };
    let reported = reports.filter(|r| !r.is_empty()).map(|reasons| {
        let readers: i64 = reasons.iter().map(|(_, n)| n).sum();
        let each: Vec<String> =
            reasons.iter().map(|(code, n)| format!("{} ({n})", crate::reports::reason_words(code))).collect();
        let who = if readers == 1 { "1 reader".to_string() } else { format!("{readers} readers") };
        format!("Reported by {who}: {}.", each.join(", "))
    });
    match (reported, rule) {
        (Some(reported), Some(rule)) => format!("{reported} {rule}"),
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) => "Every comment is held for moderation.".into(),
    }
}
