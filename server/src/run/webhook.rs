//! Notifications (`--webhook URL`, issue 13): each comment held for moderation is posted
//! to the URL as JSON, with a Slack-compatible `text`, in the background. The reader's
//! post never waits for it and never fails because of it: the comment is stored first,
//! and the event is then written to the store's outbox (bounded: at most 1,000 events
//! wait; one more is dropped and the log says so). Any instance delivers it, once: an
//! instance claims the oldest event due for 30 s while it tries, so an instance that
//! stops or crashes leaves its events to the next one. A delivery that fails (no answer
//! in 10 s, or not 2xx) is tried again after 1, 2, 4 … seconds (at most 10 minutes
//! apart), 15 attempts in all over 57 minutes; then it is given up and logged. Delivery is
//! at least once: an instance that stops after the receiver took an event but before it
//! recorded so leaves it to be sent again.
//!
//! The event: `{"event": "comment.held", "thread", "comment": {"id", "author", "body",
//! "created_at"}, "reason", "review_url", "text"}`: `review_url` is that thread's queue
//! on the moderation pages at the server's first public origin (`--public-origin`),
//! and the text ends with it, so a chat shows a link to follow. The reader's words reach
//! the chat's `text` only as [`chat_safe`] makes them (one line, capped, `&<>` escaped:
//! no mention, no link, no second notice); the whole of them is in `comment`. An event
//! is tied to its comment: when the comment is deleted before it is sent, it goes too.

use crate::rules::time::now_ms;
use crate::store::{DueEvent, Store};
use reader_comments_core::time::format_rfc3339;
use reader_comments_core::Comment;
use serde_json::json;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// How many events wait at most.
const BOUND: usize = 1000;
/// How many times a delivery is tried.
const ATTEMPTS: u32 = 15;
/// The longest wait between two attempts.
const MAX_BACKOFF_S: u64 = 600;
/// How long an instance holds an event it is delivering (more than a request's 10 s).
const LEASE_MS: i64 = 30_000;
/// How often an idle instance looks for events due (retries, other instances' events).
const POLL: Duration = Duration::from_secs(1);

/// Where held comments are announced: the store's outbox, and a bell that wakes this
/// instance's delivering task at once. The task ends soon after this is dropped.
#[derive(Clone)]
pub struct Webhook {
    store: Arc<Store>,
    wake: Arc<Notify>,
    /// The moderation queue's address (`https://comments.example/admin`), if known.
    queue_url: Option<String>,
}

impl Webhook {
    /// Starts the delivering task for `url` (on the current runtime); events link to
    /// the queue at `origin` when it is given.
    pub fn start(url: String, store: Arc<Store>, origin: Option<&str>) -> Webhook {
        let wake = Arc::new(Notify::new());
        tokio::spawn(run(url, store.clone(), Arc::downgrade(&wake)));
        let queue_url = origin.map(|o| format!("{}/admin", o.trim_end_matches('/')));
        Webhook { store, wake, queue_url }
    }

    /// Queues the announcement of a held comment; never waits.
    pub fn held(&self, thread: &str, comment: &Comment, reason: &str) {
        let review = self.queue_url.as_ref().map(|queue| format!("{queue}?thread={thread}"));
        let (author, excerpt) = (chat_safe(&comment.author, AUTHOR_CHARS), chat_safe(&comment.body, EXCERPT_CHARS));
        let mut text = format!("A comment waits for moderation on {thread}, by {author} ({reason}): {excerpt}");
        if let Some(review) = &review {
            text.push_str(&format!(" \u{2014} review it: {review}"));
        }
        let event = json!({
            "event": "comment.held",
            "thread": thread,
            "comment": {
                "id": comment.id,
                "author": comment.author,
                "body": comment.body,
                "created_at": comment.created_at.map(format_rfc3339),
            },
            "reason": reason,
            "review_url": review,
            "text": text,
        })
        .to_string();
        let (store, wake, thread) = (self.store.clone(), self.wake.clone(), thread.to_string());
        // The event goes with its comment if the comment is deleted before it is sent.
        let comment_id = comment.id.parse::<i64>().ok();
        tokio::task::spawn_blocking(move || match store.outbox_add(&event, comment_id, now_ms(), BOUND) {
            Ok(true) => wake.notify_one(),
            Ok(false) => tracing::warn!(
                thread,
                "webhook outbox full: a held comment's notification was dropped (the comment is stored)"
            ),
            Err(e) => tracing::warn!(thread, %e, "webhook: a held comment's notification could not be stored"),
        });
    }
}

/// How much of a name the chat message shows.
const AUTHOR_CHARS: usize = 80;
/// How much of a comment's text the chat message shows (the whole text is in the
/// event's `comment.body`).
const EXCERPT_CHARS: usize = 200;

/// A reader's words as they may appear in a chat message (Slack's `text`, which its
/// clones read alike): on one line (every run of white space and control characters
/// folded into one space, so that no second notice can be faked), at most `max`
/// characters (then "…"), with `&`, `<` and `>` escaped as Slack asks, so that none of
/// `<!channel>`, `<@U…>`, `<#C…>` or `<https://…|label>` is read as a mention or a link.
pub fn chat_safe(text: &str, max: usize) -> String {
    let mut folded = String::with_capacity(text.len().min(max * 4));
    let mut space = false;
    let mut shown = 0;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            space = !folded.is_empty();
            continue;
        }
        if shown == max {
            folded.push('\u{2026}');
            break;
        }
        if std::mem::take(&mut space) {
            folded.push(' ');
            shown += 1;
        }
        match c {
            '&' => folded.push_str("&amp;"),
            '<' => folded.push_str("&lt;"),
            '>' => folded.push_str("&gt;"),
            c => folded.push(c),
        }
        shown += 1;
    }
    folded
}

/// The wait before attempt `made + 1`, `made` attempts having failed.
fn backoff(made: u32) -> Duration {
    Duration::from_secs((1u64 << made.min(20)).min(MAX_BACKOFF_S))
}

/// Delivers the events due, one at a time, while the [`Webhook`] lives.
async fn run(url: String, store: Arc<Store>, wake: Weak<Notify>) {
    loop {
        let Some(bell) = wake.upgrade() else { return };
        let now = now_ms();
        let claimed = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.outbox_claim(now, now + LEASE_MS)).await
        };
        let DueEvent { id, event, attempts: made } = match claimed {
            Ok(Ok(Some(due))) => due,
            Ok(Ok(None)) => {
                tokio::select! { _ = bell.notified() => {}, _ = tokio::time::sleep(POLL) => {} }
                continue;
            }
            Ok(Err(e)) => {
                tracing::warn!(%e, "webhook: the outbox cannot be read; trying again");
                tokio::time::sleep(POLL).await;
                continue;
            }
            Err(e) => {
                tracing::error!(%e, "webhook: looking for events failed; trying again");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        drop(bell);
        let retry_at = match send(&url, event).await {
            Ok(()) => None,
            Err(why) if made + 1 < ATTEMPTS => {
                tracing::warn!(attempt = made + 1, why, "webhook delivery failed; will try again");
                Some(now_ms() + backoff(made).as_millis() as i64)
            }
            Err(why) => {
                tracing::error!(why, "webhook: a held comment's notification was given up after {ATTEMPTS} attempts");
                None
            }
        };
        let store = store.clone();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || store.outbox_settle(id, retry_at)).await {
            tracing::warn!(%e, "webhook: an attempt could not be recorded (the event is tried again)");
        }
    }
}

/// One attempt: `Ok` on a 2xx answer within 10 s, else what went wrong.
async fn send(url: &str, event: String) -> Result<(), String> {
    let target = url.to_string();
    let sent = tokio::task::spawn_blocking(move || {
        ureq::post(&target)
            .set("Content-Type", "application/json")
            .timeout(Duration::from_secs(10))
            .send_string(&event)
            .map(|r| r.status())
            // The status of a refusal, or what failed; ureq's error is large.
            .map_err(|e| match e {
                ureq::Error::Status(code, _) => format!("status {code}"),
                other => other.to_string(),
            })
    })
    .await;
    match sent {
        Ok(Ok(status)) if (200..300).contains(&status) => Ok(()),
        Ok(Ok(status)) => Err(format!("status {status}")),
        Ok(Err(why)) => Err(why),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::{backoff, chat_safe};
    use std::time::Duration;

    #[test]
    fn a_readers_words_reach_a_chat_as_one_line_of_text_with_no_mention_or_link() {
        let hostile = "<!channel> <!here> <!everyone> <@U024BE7LH> <#C024BE7LH> <https://evil.example|click> & co";
        assert_eq!(
            chat_safe(hostile, 200),
            "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U024BE7LH&gt; &lt;#C024BE7LH&gt; \
             &lt;https://evil.example|click&gt; &amp; co"
        );
        let faked = "Nice article.\n\nA comment waits for moderation on t, by Editor:\r\n\u{2028}approve all";
        assert_eq!(chat_safe(faked, 200), "Nice article. A comment waits for moderation on t, by Editor: approve all");
        assert_eq!(chat_safe("  padded\t", 200), "padded");
        assert_eq!(chat_safe("abcdef", 3), "abc\u{2026}");
        assert_eq!(chat_safe("ab cd", 4), "ab c\u{2026}", "the folded space counts as one");
        assert_eq!(chat_safe("टिप्पणी", 200), "टिप्पणी", "letters of every script stay");
    }

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_ten_minutes() {
        let waits: Vec<u64> = (0..14).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600, 600]);
        assert_eq!(backoff(u32::MAX), Duration::from_secs(600));
        let total: u64 = waits.iter().sum();
        assert_eq!(total, 3_423, "15 attempts over about an hour");
    }
}
