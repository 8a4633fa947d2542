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

/// Why a comment waits: in the webhook's words, and in moderators' words as recorded
/// with the comment (so that the queue says why it was held even when the rule has
/// changed since, a blocked word lifted say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    /// For the webhook's event ("it has a link").
    pub webhook: &'static str,
    /// For the queue ("It has a blocked word or phrase: “buy now”.").
    pub why: String,
}

/// Said in the queue of a comment every comment waits like.
const EVERY: &str = "Every comment is held for moderation.";
/// Said in the queue of a comment held as its reader's first.
const FIRST: &str = "It is the first comment from this reader.";

/// Why a comment with this name and text waits by the rules that read only it
/// (`--moderation`'s links or all, the blocked words); `None` when none holds it. An
/// edit is held by these.
pub fn rule(store: &Store, moderation: Moderation, author: &str, body: &str) -> Result<Option<Hold>, ReadError> {
    if moderation == Moderation::All {
        return Ok(Some(Hold { webhook: "every comment is held", why: EVERY.into() }));
    }
    if moderation.holds(author, body) {
        return Ok(Some(Hold { webhook: "it has a link", why: "It has a link.".into() }));
    }
    let phrases = store.blocked_words()?;
    Ok(first_blocked(author, &phrases).or_else(|| first_blocked(body, &phrases)).map(|phrase| Hold {
        webhook: "it has a blocked word or phrase",
        why: format!("It has a blocked word or phrase: \u{201C}{phrase}\u{201D}."),
    }))
}

/// Why a new comment with this name and text, posted with this reader hash, waits:
/// [`rule`], or (`--moderation first`) its reader's being new; `None` when nothing
/// holds it.
///
/// A commenter moderators hold (by the keyed hash of their address, `client`) always
/// waits; one they trust, or (`trust_after`) one with that many published comments,
/// skips the link and first-comment holds (not `--moderation all`, nor blocked words).
pub fn reason(
    store: &Store,
    moderation: Moderation,
    (author, body): (&str, &str),
    (reader, client): (Option<&str>, Option<&str>),
    trust_after: Option<u32>,
) -> Result<Option<Hold>, ReadError> {
    let trusted = match client {
        Some(client) => store.trusted(client, trust_after)?,
        None => None,
    };
    if trusted == Some(false) {
        return Ok(Some(Hold { webhook: "a moderator holds this commenter", why: HELD_COMMENTER.into() }));
    }
    let links = if trusted == Some(true) && moderation != Moderation::All { Moderation::Off } else { moderation };
    if let Some(hold) = rule(store, links, author, body)? {
        return Ok(Some(hold));
    }
    if moderation != Moderation::First || trusted == Some(true) {
        return Ok(None);
    }
    let known = match reader {
        Some(reader) => store.known_reader(reader)?,
        None => false,
    };
    Ok((!known).then(|| Hold { webhook: "it is the first comment from this reader", why: FIRST.into() }))
}

/// Said in the queue of a comment whose author moderators always hold.
const HELD_COMMENTER: &str = "A moderator holds every comment from this commenter.";

/// Why a comment waits, for the queue: readers' reports not yet seen, and the reason
/// recorded when it was held (`held_for`; recomputed from today's rules for a comment
/// held before reasons were recorded); `first`, under `--moderation first`, whether it
/// is still its reader's first.
pub fn why_held(
    comment: &Comment,
    held_for: Option<&str>,
    blocked: &[String],
    reports: Option<&[ReasonCount]>,
    first: Option<bool>,
) -> String {
    let rule = match held_for {
        Some(FIRST) if first == Some(false) => {
            Some("It was this reader's first comment; one of theirs has been published since.".to_string())
        }
        Some(recorded) => Some(recorded.to_string()),
        None => recomputed(comment, blocked, first),
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
        (None, None) => EVERY.into(),
    }
}

/// The reason of a comment held before reasons were recorded, by today's rules.
fn recomputed(comment: &Comment, blocked: &[String], first: Option<bool>) -> Option<String> {
    let phrase = first_blocked(&comment.author, blocked).or_else(|| first_blocked(&comment.body, blocked));
    match phrase {
        Some(phrase) => Some(format!("It has a blocked word or phrase: \u{201C}{phrase}\u{201D}.")),
        None if Moderation::Links.holds(&comment.author, &comment.body) => Some("It has a link.".into()),
        None if first == Some(true) => Some(FIRST.into()),
        None if first == Some(false) => {
            Some("It was this reader's first comment; one of theirs has been published since.".into())
        }
        None => None,
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
