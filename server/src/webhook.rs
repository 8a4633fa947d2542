//! Notifications (`--webhook URL`, issue 13): each comment held for moderation is posted
//! to the URL as JSON, with a Slack-compatible `text`, in the background. The reader's
//! post never waits for it and never fails because of it: the comment is stored first,
//! and the event joins a bounded queue (1,000 events; a full queue drops the new event
//! and says so in the log). A delivery that fails (no answer in 10 s, or not 2xx) is
//! tried again after 1, 2, 4, 8 and 16 s, then given up and logged.
//!
//! The event: `{"event": "comment.held", "thread", "comment": {"id", "author", "body",
//! "created_at"}, "reason", "text"}`.

use reader_comments_core::time::format_rfc3339;
use reader_comments_core::Comment;
use serde_json::json;
use std::time::Duration;
use tokio::sync::mpsc;

/// How many events wait at most.
const QUEUE: usize = 1000;
/// How many times a delivery is tried.
const ATTEMPTS: u32 = 6;

/// Where held comments are announced, and the queue to the task that delivers them.
#[derive(Clone)]
pub struct Webhook {
    queue: mpsc::Sender<String>,
}

impl Webhook {
    /// Starts the delivering task for `url` (on the current runtime).
    pub fn start(url: String) -> Webhook {
        let (queue, mut events) = mpsc::channel::<String>(QUEUE);
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                deliver(&url, event).await;
            }
        });
        Webhook { queue }
    }

    /// Queues the announcement of a held comment; never waits.
    pub fn held(&self, thread: &str, comment: &Comment, reason: &str) {
        let excerpt: String = comment.body.chars().take(300).collect();
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
            "text": format!("A comment waits for moderation on {thread}, by {} ({reason}): {excerpt}", comment.author),
        });
        if self.queue.try_send(event.to_string()).is_err() {
            tracing::warn!(
                thread,
                "webhook queue full: a held comment's notification was dropped (the comment is stored)"
            );
        }
    }
}

async fn deliver(url: &str, event: String) {
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_secs(1 << (attempt - 1))).await;
        }
        let (target, body) = (url.to_string(), event.clone());
        let sent = tokio::task::spawn_blocking(move || {
            ureq::post(&target)
                .set("Content-Type", "application/json")
                .timeout(Duration::from_secs(10))
                .send_string(&body)
                .map(|r| r.status())
                // The status of a refusal, or what failed; ureq's error is large.
                .map_err(|e| match e {
                    ureq::Error::Status(code, _) => format!("status {code}"),
                    other => other.to_string(),
                })
        })
        .await;
        match sent {
            Ok(Ok(status)) if (200..300).contains(&status) => return,
            Ok(result) => tracing::warn!(attempt = attempt + 1, ?result, "webhook delivery failed; will try again"),
            Err(e) => tracing::warn!(%e, "webhook delivery task failed"),
        }
    }
    tracing::error!("webhook: a held comment's notification was given up after {ATTEMPTS} attempts");
}
