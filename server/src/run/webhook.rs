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
//! and the text ends with it, so a chat shows a link to follow.

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
        let excerpt: String = comment.body.chars().take(300).collect();
        let review = self.queue_url.as_ref().map(|queue| format!("{queue}?thread={thread}"));
        let mut text =
            format!("A comment waits for moderation on {thread}, by {} ({reason}): {excerpt}", comment.author);
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
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_ten_minutes() {
        let waits: Vec<u64> = (0..14).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600, 600]);
        assert_eq!(backoff(u32::MAX), Duration::from_secs(600));
        let total: u64 = waits.iter().sum();
        assert_eq!(total, 3_423, "15 attempts over about an hour");
    }
}
