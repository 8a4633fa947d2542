//! E-mail for signed-in readers who asked for it (run/mailer.rs): the subscribers (the
//! address is kept only for a reader who asked, and removed when they unsubscribe) and
//! the events waiting to be told, written in the same transaction as the change that
//! causes them (a reply published to a subscriber's comment, a moderator publishing or
//! rejecting one), so none is lost. Any instance sends a subscriber's waiting events in
//! one mail: it claims the subscriber (a lease, `SKIP LOCKED` on PostgreSQL) so no other
//! instance sends them too, then deletes what it sent and sets when the next mail may go.

use super::error::{Fault, ReadError, WriteError};
use super::handle::Store;
use super::sql::{params, Conn};

/// A reply just published (comment `?1`) to a subscriber's comment, from anyone but
/// them, at `?2`.
pub(super) const MAIL_REPLY: &str =
    "INSERT INTO mail_events (account, kind, thread, comment_id, author, body, reason, at)
     SELECT p.account, 'reply', r.thread, r.id, r.author, r.body, NULL, ?2
     FROM comments r JOIN comments p ON p.id = r.parent_id JOIN subscribers s ON s.account = p.account
     WHERE r.id = ?1 AND r.status = 'published' AND COALESCE(r.account, '') <> p.account";

/// A subscriber's held comment `?1` published by a moderator at `?2`.
pub(super) const MAIL_PUBLISHED: &str =
    "INSERT INTO mail_events (account, kind, thread, comment_id, author, body, reason, at)
     SELECT c.account, 'published', c.thread, c.id, c.author, c.body, NULL, ?2
     FROM comments c JOIN subscribers s ON s.account = c.account WHERE c.id = ?1";

/// A subscriber's comment `?1` rejected (kept in `rejected`) at `?2`, with the reason and
/// the moderator's note.
pub(super) const MAIL_REJECTED: &str =
    "INSERT INTO mail_events (account, kind, thread, comment_id, author, body, reason, at)
     SELECT r.account, 'rejected', r.thread, r.comment_id, r.author, r.body,
            COALESCE(r.reason_text, r.reason) || CASE WHEN r.note IS NULL THEN '' ELSE ' (' || r.note || ')' END, ?2
     FROM rejected r JOIN subscribers s ON s.account = r.account WHERE r.comment_id = ?1";

/// Now, for an event written by a change whose caller gives no time (an approval).
pub(super) fn clock_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// One thing a subscriber is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailEvent {
    /// Its id (the mail that tells it deletes up to it).
    pub id: i64,
    /// `reply`, `published` or `rejected`.
    pub kind: String,
    /// The thread, and the article's address when the widget sent it.
    pub thread: String,
    pub url: Option<String>,
    /// The reply (for `reply`) or the subscriber's comment.
    pub comment_id: i64,
    pub author: String,
    pub body: String,
    /// Why it was rejected, in the moderators' words.
    pub reason: Option<String>,
}

/// A subscriber whose waiting events an instance is sending.
#[derive(Clone, Debug)]
pub struct DueMail {
    pub account: String,
    pub email: String,
    pub events: Vec<MailEvent>,
}

fn events_of(c: &mut dyn Conn, account: &str) -> Result<Vec<MailEvent>, Fault> {
    c.rows(
        "SELECT e.id, e.kind, e.thread, t.url, e.comment_id, e.author, e.body, e.reason
         FROM mail_events e LEFT JOIN threads t ON t.key = e.thread WHERE e.account = ?1 ORDER BY e.id LIMIT 50",
        params![account],
        |r| {
            Ok(MailEvent {
                id: r.int(0)?,
                kind: r.text(1)?,
                thread: r.text(2)?,
                url: r.opt_text(3)?,
                comment_id: r.int(4)?,
                author: r.text(5)?,
                body: r.text(6)?,
                reason: r.opt_text(7)?,
            })
        },
    )
}

impl Store {
    /// A signed-in reader asks to be told (their address replaces one given before).
    pub fn subscribe(&self, account: &str, email: &str, now_ms: i64) -> Result<(), WriteError> {
        self.write_one(
            "INSERT INTO subscribers (account, email, since) VALUES (?1, ?2, ?3)
             ON CONFLICT (account) DO UPDATE SET email = excluded.email",
            params![account, email, now_ms],
        )
        .map(|_| ())
    }

    /// The reader unsubscribes: their address and what waited for them go. False when
    /// they were not subscribed.
    pub fn unsubscribe(&self, account: &str) -> Result<bool, WriteError> {
        self.write(|c| {
            c.execute("DELETE FROM mail_events WHERE account = ?1", params![account])?;
            Ok(c.execute("DELETE FROM subscribers WHERE account = ?1", params![account])? == 1)
        })
    }

    /// The address a reader subscribed with, if they did.
    pub fn subscriber(&self, account: &str) -> Result<Option<String>, ReadError> {
        self.read(|c| c.first("SELECT email FROM subscribers WHERE account = ?1", params![account], |r| r.text(0)))
    }

    /// Takes a subscriber with events whose next mail may go at `now_ms`, for this
    /// instance until `lease_until`, with their events (the oldest 50).
    pub fn mail_claim(&self, now_ms: i64, lease_until: i64) -> Result<Option<DueMail>, WriteError> {
        let due = self.read(|c| {
            c.exists(
                "SELECT 1 FROM subscribers s WHERE s.due_at <= ?1
                 AND EXISTS (SELECT 1 FROM mail_events e WHERE e.account = s.account) LIMIT 1",
                params![now_ms],
            )
        });
        if !due.map_err(|e| WriteError::Unavailable(e.cause))? {
            return Ok(None);
        }
        self.write_each(|c| {
            let claimed = c.first(
                "UPDATE subscribers SET due_at = ?2
                 WHERE account = (SELECT s.account FROM subscribers s WHERE s.due_at <= ?1
                                  AND EXISTS (SELECT 1 FROM mail_events e WHERE e.account = s.account)
                                  ORDER BY s.due_at LIMIT 1 /*lock-skip*/)
                 RETURNING account, email",
                params![now_ms, lease_until],
                |r| Ok((r.text(0)?, r.text(1)?)),
            )?;
            let Some((account, email)) = claimed else { return Ok(None) };
            let events = events_of(c, &account)?;
            Ok(Some(DueMail { account, email, events }))
        })
    }

    /// After a mail: sent (`true`: its events up to `last` go, the next may go at
    /// `next_at`), or not (they wait until `next_at`).
    pub fn mail_settle(&self, account: &str, last: i64, sent: bool, next_at: i64) -> Result<(), WriteError> {
        self.write(|c| {
            if sent {
                c.execute("DELETE FROM mail_events WHERE account = ?1 AND id <= ?2", params![account, last])?;
            }
            c.execute("UPDATE subscribers SET due_at = ?2 WHERE account = ?1", params![account, next_at])?;
            Ok(())
        })
    }
}
