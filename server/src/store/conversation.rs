//! A thread's comments as their authors and readers change them: posting (with the
//! idempotency record, in one transaction), finding, recommending (once per reader
//! key), editing and deleting (a comment that replies answer keeps its place, emptied).

use super::error::Fault;
use super::error::{ReadError, WriteError};
use super::handle::Store;
use super::model::{
    BanFor, Decided, NewRow, Own, PostKey, Recommended, Rejected, RejectedFor, Replay, Stored, MAX_RECOMMENDS,
};
use super::newsroom::BAN_AUTHOR;
use super::rows::{comment_of, AFTER, COLUMNS};
use super::sql::{params, Conn};
use reader_comments_core::{Comment, Status};

impl Store {
    /// How many comments a thread holds, pending ones included.
    pub fn count(&self, thread: &str) -> Result<usize, ReadError> {
        let n = self.read(|c| c.number("SELECT COUNT(*) FROM comments WHERE thread = ?1", params![thread]))?;
        Ok(n.max(0) as usize)
    }

    /// How many published comments (replies included, deleted ones not) each thread has.
    pub fn counts(&self, threads: &[String]) -> Result<Vec<(String, i64)>, ReadError> {
        self.read(|c| {
            let sql = "SELECT COUNT(*) FROM comments WHERE thread = ?1 AND status = 'published' AND deleted_at IS NULL";
            threads.iter().map(|t| Ok((t.clone(), c.number(sql, params![t])?))).collect()
        })
    }

    /// The earlier result of a post with this idempotency key, if any.
    pub fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, i.fingerprint FROM idempotency i JOIN comments c ON c.id = i.comment_id
             WHERE i.thread = ?1 AND i.key = ?2"
        );
        self.read(|c| {
            c.first(&sql, params![thread, key], |row| {
                Ok(Replay { comment: comment_of(row)?, fingerprint: row.text(AFTER)? })
            })
        })
    }

    /// Stores a comment or reply, and its idempotency record, in one transaction.
    pub fn insert_row(&self, new: &NewRow<'_>) -> Result<Comment, WriteError> {
        let id = self.write(|c| {
            let parent = new.parent.map(|p| p.id);
            let root = new.parent.map(|p| p.root);
            let id = c.first(
                "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                                       edit_token_hash, client_hash, reader_hash, held_for, staff, account)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CAST(?12 AS BIGINT) = 1, ?13) RETURNING id",
                params![
                    new.thread,
                    new.author,
                    new.body,
                    new.created_at,
                    new.status.as_str(),
                    parent,
                    root,
                    new.token_hash.as_ref(),
                    new.client.as_ref(),
                    new.reader.as_ref(),
                    new.held_for,
                    new.staff,
                    new.account,
                ],
                |row| row.int(0),
            )?;
            let id = id.unwrap_or(0);
            // A reply published to a subscriber's comment: told by e-mail (store/mail.rs).
            if new.parent.is_some() && new.status == Status::Published {
                c.execute(super::mail::MAIL_REPLY, params![id, new.created_at])?;
            }
            if let Some(PostKey { key, fingerprint }) = new.idempotency {
                c.execute(
                    "INSERT INTO idempotency (thread, key, fingerprint, comment_id, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![new.thread, key, fingerprint, id, new.created_at],
                )?;
            }
            Ok(id)
        })?;
        Ok(new.stored_as(id))
    }

    /// Stores a top-level comment without an edit token (the seed, tools, tests).
    pub fn insert(
        &self,
        thread: &str,
        author: &str,
        body: &str,
        status: Status,
        created_at: i64,
        idempotency: Option<PostKey<'_>>,
    ) -> Result<Comment, WriteError> {
        self.insert_row(&NewRow { thread, author, body, status, created_at, idempotency, ..NewRow::default() })
    }

    /// A comment by id, in whichever thread: its thread and the comment.
    pub fn find_anywhere(&self, id: i64) -> Result<Option<(String, Stored)>, ReadError> {
        let sql = "SELECT thread FROM comments WHERE id = ?1";
        let Some(thread) = self.read(|c| c.first(sql, params![id], |row| row.text(0)))? else { return Ok(None) };
        Ok(self.find(&thread, id)?.map(|found| (thread, found)))
    }

    /// A comment of `thread` by id, deleted ones included.
    pub fn find(&self, thread: &str, id: i64) -> Result<Option<Stored>, ReadError> {
        let sql =
            format!("SELECT {COLUMNS}, c.root_id, c.edit_token_hash FROM comments c WHERE c.thread = ?1 AND c.id = ?2");
        self.read(|c| {
            c.first(&sql, params![thread, id], |row| {
                Ok(Stored {
                    comment: comment_of(row)?,
                    root: row.opt_int(AFTER)?,
                    token_hash: row.opt_text(AFTER + 1)?,
                })
            })
        })
    }

    /// The comments `ids` of `thread` as their author may see them (contract v1.2, own
    /// status): in the thread, waiting or published (not deleted), or rejected, each with
    /// the hash of its edit token. An id found in neither is left out (withdrawn,
    /// deleted, or never this thread's).
    pub fn own(&self, thread: &str, ids: &[i64]) -> Result<Vec<Own>, ReadError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let live = format!(
            "SELECT {COLUMNS}, c.edit_token_hash FROM comments c
             WHERE c.thread = ?1 AND c.id = ANY(?2) AND c.deleted_at IS NULL"
        );
        let rejected = "SELECT comment_id, author, body, created_at, parent_id, edit_token_hash, reason, note,
                               COALESCE(reason_text, reason)
                        FROM rejected WHERE thread = ?1 AND comment_id = ANY(?2)";
        self.read(|c| {
            let mut found = c.rows(&live, params![thread, ids], |row| {
                Ok(Own { comment: comment_of(row)?, token_hash: row.opt_text(AFTER)?, rejected: None })
            })?;
            found.extend(c.rows(rejected, params![thread, ids], |row| {
                let comment = Comment {
                    id: row.int(0)?.to_string(),
                    author: row.text(1)?,
                    body: row.text(2)?,
                    created_at: Some(row.int(3)?),
                    status: Status::Pending,
                    parent_id: row.opt_int(4)?.map(|p| p.to_string()),
                    ..Comment::default()
                };
                let rejected = Some((row.text(6)?, row.text(8)?, row.opt_text(7)?));
                Ok(Own { comment, token_hash: row.opt_text(5)?, rejected })
            })?);
            Ok(found)
        })
    }

    /// Records (`on`) or takes back a reader's recommend: the count after it, and
    /// whether the reader now recommends the comment.
    pub fn recommend(&self, id: i64, reader: &str, on: bool, now_ms: i64) -> Result<Recommended, WriteError> {
        self.write(|c| {
            let changed = if on {
                c.execute(
                    "INSERT INTO recommends (comment_id, reader, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![id, reader, now_ms],
                )?
            } else {
                c.execute("DELETE FROM recommends WHERE comment_id = ?1 AND reader = ?2", params![id, reader])?
            };
            if changed == 1 {
                // Compared before it is added, so that no count can overflow.
                c.execute(
                    "UPDATE comments SET recommends = CASE
                         WHEN ?2 < 0 AND recommends <= 0 THEN 0
                         WHEN ?2 > 0 AND recommends >= ?3 THEN ?3
                         ELSE recommends + ?2 END
                     WHERE id = ?1",
                    params![id, if on { 1i64 } else { -1i64 }, MAX_RECOMMENDS],
                )?;
            }
            let count = c.number("SELECT recommends FROM comments WHERE id = ?1", params![id])?;
            Ok(Recommended { count: count.max(0) as u64, on })
        })
    }

    /// Replaces a comment's text and its status (an edit may add a link: then
    /// `held_for` says why it waits; a held comment whose new text no rule holds keeps
    /// the reason it was held for), marking it edited at `now_ms`.
    pub fn edit(
        &self,
        id: i64,
        body: &str,
        status: Status,
        held_for: Option<&str>,
        now_ms: i64,
    ) -> Result<(), WriteError> {
        self.write_one(
            "UPDATE comments SET body = ?2, status = ?3, edited_at = ?4, version = version + 1,
                 held_for = CASE WHEN ?3 = 'pending' THEN COALESCE(?5, held_for) END
             WHERE id = ?1 AND deleted_at IS NULL",
            params![id, body, status.as_str(), now_ms, held_for],
        )
        .map(|_| ())
    }

    /// Replaces the hash of a comment's edit token (a replayed post gets a new token).
    pub fn set_token(&self, id: i64, token_hash: &str) -> Result<(), WriteError> {
        self.write_one("UPDATE comments SET edit_token_hash = ?2 WHERE id = ?1", params![id, token_hash]).map(|_| ())
    }

    /// Deletes a comment, for its author or a moderator. One that replies answer keeps
    /// its place, without name, text or token; one without replies goes (and what is
    /// tied to it goes with it: the schema's cascades), and so does each deleted comment
    /// above it that it was the last reply to. False if there is no such comment.
    pub fn remove(&self, id: i64, now_ms: i64) -> Result<bool, WriteError> {
        self.write(|c| {
            // The comment, locked against a reply arriving meanwhile (PostgreSQL).
            if !c.exists(LOCK_COMMENT, params![id])? {
                return Ok(false);
            }
            removed(c, id, now_ms)?;
            Ok(true)
        })
    }

    /// A moderator rejects a waiting comment (and, with `ban`, bans its author's
    /// address): deleted as [`Store::remove`] does, in one transaction, if it is still
    /// the version `seen` (when given); else nothing is done, and said why.
    /// `why` keeps the comment, with the reason, in `rejected` (schema 16) for its
    /// author's widget and for Restore.
    pub fn reject(
        &self,
        id: i64,
        seen: Option<i64>,
        ban: Option<BanFor<'_>>,
        why: Option<RejectedFor<'_>>,
        now_ms: i64,
    ) -> Result<Rejected, WriteError> {
        self.write(|c| {
            let decided = waiting_as_seen(c, id, seen)?;
            let mut banned = false;
            if decided == Decided::Done {
                if let Some(BanFor { until, by }) = ban {
                    banned = c.execute(BAN_AUTHOR, params![id, until, by])? == 1;
                }
                if let Some(RejectedFor { reason, words, note, by }) = why {
                    c.execute(KEEP_REJECTED, params![id, reason, note, by, now_ms, words])?;
                    c.execute(super::mail::MAIL_REJECTED, params![id, now_ms])?;
                }
                removed(c, id, now_ms)?;
            }
            Ok(Rejected { decided, banned })
        })
    }
}

/// Keeps comment `?1` in `rejected` with its reason's code `?2` and words `?6`, note `?3`,
/// moderator `?4` and the time `?5` (a rejection made again replaces the record).
const KEEP_REJECTED: &str = "INSERT INTO rejected (comment_id, thread, parent_id, root_id, author, body, created_at,
         edited_at, edit_token_hash, client_hash, reader_hash, held_for, reason, note, moderator, rejected_at,
         reason_text, account)
     SELECT id, thread, parent_id, root_id, author, body, created_at, edited_at, edit_token_hash, client_hash,
         reader_hash, held_for, ?2, ?3, ?4, ?5, ?6, account
     FROM comments WHERE id = ?1
     ON CONFLICT (comment_id) DO UPDATE SET reason = excluded.reason, reason_text = excluded.reason_text,
         note = excluded.note,
         moderator = excluded.moderator, rejected_at = excluded.rejected_at";

/// Comment `?1`, if it exists, locked until the transaction ends (PostgreSQL): a reply,
/// a report or a deletion waits for one in progress.
pub(super) const LOCK_COMMENT: &str = "SELECT 1 FROM comments WHERE id = ?1 /*lock*/";

/// Whether comment `id` waits for a moderator as the version `seen` (when given): the
/// row locked until the decision is made (PostgreSQL).
pub(super) fn waiting_as_seen(c: &mut dyn Conn, id: i64, seen: Option<i64>) -> Result<Decided, Fault> {
    let sql = "SELECT version FROM comments WHERE id = ?1 AND status = 'pending' AND deleted_at IS NULL /*lock*/";
    Ok(match c.first(sql, params![id], |r| r.int(0))? {
        None => Decided::Gone,
        Some(version) if seen.is_some_and(|seen| seen != version) => Decided::Changed,
        Some(_) => Decided::Done,
    })
}

/// Deletes comment `id`, which exists (see [`Store::remove`]).
pub(super) fn removed(c: &mut dyn Conn, id: i64, now_ms: i64) -> Result<(), Fault> {
    let (mut current, mut first) = (Some(id), true);
    while let Some(target) = current {
        let replies = c.number("SELECT COUNT(*) FROM comments WHERE parent_id = ?1", params![target])?;
        let sql = "SELECT parent_id, deleted_at FROM comments WHERE id = ?1";
        let found = c.first(sql, params![target], |row| Ok((row.opt_int(0)?, row.opt_int(1)?.is_some())))?;
        let Some((parent, deleted)) = found else { break };
        if replies > 0 {
            if first {
                c.execute(
                    "UPDATE comments SET deleted_at = ?2, author = '', body = '', edit_token_hash = NULL
                             WHERE id = ?1",
                    params![target, now_ms],
                )?;
            }
            break;
        }
        if !first && !deleted {
            break;
        }
        c.execute("DELETE FROM comments WHERE id = ?1", params![target])?;
        current = parent;
        first = false;
    }
    Ok(())
}
