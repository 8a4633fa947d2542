//! Which comments wait for a moderator, and why: for a new comment or an edit
//! (`--moderation`, the blocked words, a reader's first comment) in the webhook's words,
//! `None` when it appears at once; and, for the queue, in moderators' words with
//! readers' reports.

use super::blocked::first_blocked;
use super::reports::reason_words;
use crate::store::{ReadError, ReasonCount, Store};
use reader_comments_core::Comment;

/// Which new comments wait for a moderator instead of appearing at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// Every comment appears at once (`none` on the command line).
    Off,
    /// Comments with a link wait (the usual shape of spam).
    Links,
    /// Comments with a link wait, and so does a reader's first comment: until a
    /// moderator has published one of theirs (known by their reader key's keyed hash).
    First,
    /// Every comment waits.
    All,
}

impl std::str::FromStr for Moderation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Moderation::Off),
            "links" => Ok(Moderation::Links),
            "first" => Ok(Moderation::First),
            "all" => Ok(Moderation::All),
            other => Err(format!("moderation must be none, links, first or all, not {other:?}")),
        }
    }
}

impl Moderation {
    /// Whether a comment with this name and text waits for a moderator (`First`'s
    /// rule for a reader's first comment asks the store: [`reason`]).
    pub fn holds(self, author: &str, body: &str) -> bool {
        match self {
            Moderation::Off => false,
            Moderation::Links | Moderation::First => has_link(body) || has_link(author),
            Moderation::All => true,
        }
    }
}

fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://") || lower.contains("https://") || lower.contains("www.")
}

/// Why a comment with this name and text, posted with this reader hash, waits; `None`
/// when nothing holds it.
pub fn reason(
    store: &Store,
    moderation: Moderation,
    author: &str,
    body: &str,
    reader: Option<&str>,
) -> Result<Option<&'static str>, ReadError> {
    Ok(if moderation.holds(author, body) {
        Some(if moderation == Moderation::All { "every comment is held" } else { "it has a link" })
    } else if blocked(store, author, body)? {
        Some("it has a blocked word or phrase")
    } else if moderation == Moderation::First && !reader.map(|r| store.known_reader(r)).transpose()?.unwrap_or(false) {
        Some("it is the first comment from this reader")
    } else {
        None
    })
}

/// Whether a name or text has a blocked word or phrase in it: held then.
pub fn blocked(store: &Store, author: &str, body: &str) -> Result<bool, ReadError> {
    let phrases = store.blocked_words()?;
    Ok(first_blocked(author, &phrases).is_some() || first_blocked(body, &phrases).is_some())
}

/// Why a comment waits: readers' reports not yet seen, and the rule that held it
/// (`first`, under `--moderation first`: whether it is still its reader's first).
pub fn why_held(comment: &Comment, blocked: &[String], reports: Option<&[ReasonCount]>, first: Option<bool>) -> String {
    let phrase = first_blocked(&comment.author, blocked).or_else(|| first_blocked(&comment.body, blocked));
    let rule = match phrase {
        Some(phrase) => Some(format!("It has a blocked word or phrase: \u{201C}{phrase}\u{201D}.")),
        None if Moderation::Links.holds(&comment.author, &comment.body) => Some("It has a link.".into()),
        None if first == Some(true) => Some("It is the first comment from this reader.".into()),
        None if first == Some(false) => {
            Some("It was this reader's first comment; one of theirs has been published since.".into())
        }
        None => None,
    };
    let reported = reports.filter(|r| !r.is_empty()).map(|reasons| {
        let readers: i64 = reasons.iter().map(|r| r.readers).sum();
        let each: Vec<String> =
            reasons.iter().map(|r| format!("{} ({})", reason_words(&r.reason), r.readers)).collect();
        let who = if readers == 1 { "1 reader".to_string() } else { format!("{readers} readers") };
        format!("Reported by {who}: {}.", each.join(", "))
    });
    match (reported, rule) {
        (Some(reported), Some(rule)) => format!("{reported} {rule}"),
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) => "Every comment is held for moderation.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_held_only_when_asked() {
        assert!(Moderation::Links.holds("A", "see https://x.example"));
        assert!(Moderation::Links.holds("www.spam.example", "hello"));
        assert!(!Moderation::Links.holds("A", "no link here"));
        assert!(!Moderation::Off.holds("A", "https://x.example"));
        assert!(Moderation::All.holds("A", "anything"));
    }
}
