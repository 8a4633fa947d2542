//! Why a new comment waits for a moderator (`--moderation`, the blocked words, a
//! reader's first comment), said as the webhook's reason; `None`: it appears at once.

use crate::error::{blocking, Error};
use crate::{AppState, Moderation};
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
