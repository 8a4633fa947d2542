//! Pieces the moderation pages share: a moment as moderators read it, whom a reply
//! answers, and the "Ban for" choice beside a ban's button.

use crate::rules::time::readable_utc;
use crate::store::{Article, Recalled};
use maud::{html, Markup};
use reader_comments_core::Comment;
use std::collections::HashMap;

/// Whom a reply answers: the name and the start of that comment (both empty when it was
/// deleted); `None` for a top-level comment.
pub type ReplyTo = Option<(String, String)>;

/// A moment for moderators: "27 Nov 2026, 04:44:17 UTC" in a `<time>` that carries
/// the exact RFC 3339 value.
pub fn when(ms: i64) -> Markup {
    let (iso, text) = readable_utc(ms);
    html! { time datetime=(iso) { (text) } }
}

/// The ban lengths the queue offers, in days (bans.rs: at most a 30-day period).
const BAN_CHOICES: [(u32, &str); 3] = [(1, "1 day"), (7, "7 days"), (30, "30 days")];

/// Whom a reply answers: the name and the start of that comment (both empty when it was
/// deleted); nothing for a top-level comment.
pub fn answers(reply_to: Option<&(String, String)>) -> Markup {
    html! {
        @match reply_to {
            Some((name, start)) if !name.is_empty() => {
                p class="meta" { "A reply to " (name) ": \u{201C}" (start) "\u{201D}" }
            }
            Some(_) => { p class="meta" { "A reply to a comment that was deleted." } }
            None => {}
        }
    }
}

/// "Thread:" and the article's headline, linked to the article, as the widget recorded
/// it (the thread's key until a post brought one); with `in_place`, a link to the
/// comment where readers see it (the widget scrolls to a comment named in the address).
pub fn thread_link(thread: &str, article: Option<&Article>, in_place: Option<&Comment>) -> Markup {
    let title = article.and_then(|a| a.title.as_deref()).unwrap_or(thread);
    let url = article.and_then(|a| a.url.as_deref());
    html! {
        span {
            "Thread: "
            @if let Some(url) = url {
                a href=(url) { (title) }
            } @else {
                (title)
            }
        }
        @if let (Some(url), Some(c)) = (url, in_place) {
            a href=(format!("{url}#comment-{}", c.id)) aria-label=(format!("The comment by {} in place", c.author)) { "In place" }
        }
    }
}

/// A link to the history of whoever wrote `c` (the commenter page finds them by the
/// keyed hash of their address).
pub fn history_link(c: &Comment) -> Markup {
    html! {
        a href=(format!("/admin/commenter?comment={}", c.id)) aria-label=(format!("The history of {}", c.author)) { "History" }
    }
}

/// What the audit log and the bans page show of a comment: its author, the start of its
/// text, its article's headline, and why it was rejected if it was (`None`: deleted
/// since, or no comment).
pub fn recalled(id: Option<i64>, known: &HashMap<i64, Recalled>, articles: &HashMap<String, Article>) -> Markup {
    let Some(r) = id.and_then(|id| known.get(&id)) else { return html! {} };
    let mut excerpt: String = r.body.chars().take(80).collect();
    if r.body.chars().count() > 80 {
        excerpt.push('\u{2026}');
    }
    let headline = articles.get(&r.thread).and_then(|a| a.title.as_deref()).unwrap_or(&r.thread);
    html! {
        span class="recalled" {
            strong { (r.author) } ": \u{201C}" (excerpt) "\u{201D} on " (headline)
            @if let Some(reason) = &r.rejected_for {
                " (rejected: " (reason) ")"
            }
        }
    }
}

/// The comment a line of the audit log names ("comment 15", "comment 15: Off-topic"),
/// if it names one.
pub fn named_comment(target: &str) -> Option<i64> {
    let rest = target.strip_prefix("comment ").or_else(|| target.split_once("author of comment ").map(|(_, r)| r))?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Why a comment is rejected, chosen beside Reject (`key`: the comment's id, or `None`
/// for the selected ones): one of the reasons and a note, both shown to its author.
pub fn reason_control(key: Option<&str>, whose: &str, reasons: &[(String, String)]) -> Markup {
    let (reason, note) = match key {
        Some(id) => (format!("reason-{id}"), format!("note-{id}")),
        None => ("reason".to_string(), "note".to_string()),
    };
    html! {
        span class="reason" {
            label for=(reason) { "Reason" }
            select id=(reason) name=(reason) aria-label=(format!("Why reject {whose} (its author reads it)")) {
                @for (code, words) in reasons {
                    option value=(code) selected[code == "other"] { (words) }
                }
            }
            label for=(note) { "Note to the author" }
            input id=(note) name=(note) type="text" maxlength="500" autocomplete="off"
                aria-label=(format!("A note to the author of {whose}, optional")) {}
        }
    }
}

/// "Ban for" 1, 7 or 30 days beside the button that bans the author of `c` (`verb`:
/// "Reject and ban" in the queue, naming the `version` read, "Delete and ban" among
/// published comments).
pub fn ban_control(c: &Comment, version: Option<i64>, verb: &str) -> Markup {
    let id = format!("ban-days-{}", c.id);
    let target = match version {
        Some(version) => format!("ban {}@{version}", c.id),
        None => format!("ban {}", c.id),
    };
    html! {
        span class="ban" {
            label for=(id) { "Ban for" }
            select id=(id) name=(id) aria-label=(format!("Ban for how long: the author of the comment by {}", c.author)) {
                @for (days, words) in BAN_CHOICES {
                    option value=(days) selected[days == 7] { (words) }
                }
            }
            button class="bad" type="submit" name="one" value=(target) aria-label=(format!("{verb} the author of the comment by {}", c.author)) { (verb) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::when;

    #[test]
    fn moments_read_as_day_month_year_and_utc_time() {
        // 1 March 2024, 12:00 UTC; the exact value stays in the attribute.
        let html = when(1_709_294_400_000).into_string();
        assert_eq!(html, r#"<time datetime="2024-03-01T12:00:00Z">1 Mar 2024, 12:00:00 UTC</time>"#);
    }
}
