//! What moderators act on, in SQLite: the queue, closed threads, readers' reports (one
//! per comment and reader hash; enough of them since a moderator last approved a comment
//! put it back in the queue), the thread list and the search of published comments.

use super::{comment_from_row, Db, ReadError, WriteError, COLUMNS};
use crate::store::Moderation;
use reader_comments_core::Comment;
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// What a reader's report did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reported {
    /// The reader had not reported this comment before.
    pub new: bool,
    /// It was the report that sent the published comment back to the queue.
    pub requeued: bool,
}

/// The reports moderators have not seen, per comment: (reason, how many readers).
pub type OpenReports = HashMap<i64, Vec<(String, i64)>>;

/// A published comment posted with the reader hash `?1`/`$1` (SQLite and PostgreSQL).
pub const KNOWN_READER: &str =
    "SELECT 1 FROM comments WHERE reader_hash = $1 AND status = 'published' AND deleted_at IS NULL LIMIT 1";

/// The condition on comment `c` that it is its reader's first: no reader hash, or none
/// of that reader's comments published (SQLite and PostgreSQL).
pub const FIRST: &str = "(c.reader_hash IS NULL OR NOT EXISTS (SELECT 1 FROM comments p WHERE p.reader_hash = \
                          c.reader_hash AND p.status = 'published' AND p.deleted_at IS NULL))";

impl Moderation for Db {
    /// Comments waiting for moderation, oldest first, with their threads.
    fn pending(&self, thread: Option<&str>, limit: usize) -> Result<Vec<(String, Comment)>, ReadError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS}, c.thread FROM comments c WHERE c.status = 'pending' AND c.deleted_at IS NULL
                 AND (?2 IS NULL OR c.thread = ?2) ORDER BY c.id DESC LIMIT ?1"
            ))?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows =
                stmt.query_map(params![limit, thread], |row| Ok((row.get::<_, String>(9)?, comment_from_row(row)?)))?;
            rows.collect()
        })
    }

    fn pending_count(&self, thread: Option<&str>) -> Result<u64, ReadError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM comments WHERE status = 'pending' AND deleted_at IS NULL
                 AND (?1 IS NULL OR thread = ?1)",
                [thread],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(|n| n.max(0) as u64)
    }

    fn known_reader(&self, reader: &str) -> Result<bool, ReadError> {
        self.read(|c| c.query_row(KNOWN_READER, [reader], |_| Ok(())).optional().map(|found| found.is_some()))
    }

    fn first_comments(&self, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("SELECT c.id FROM comments c WHERE c.id = ?1 AND {FIRST}"))?;
            let mut found = HashSet::new();
            for id in ids {
                if stmt.query_row([id], |r| r.get::<_, i64>(0)).optional()?.is_some() {
                    found.insert(*id);
                }
            }
            Ok(found)
        })
    }

    /// One prepared look-up per id: in-process, as cheap as one query with a list.
    fn comments_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, Comment>, ReadError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM comments c WHERE c.id = ?1"))?;
            let mut found = HashMap::new();
            for id in ids {
                if let Some(comment) = stmt.query_row([id], comment_from_row).optional()? {
                    found.insert(*id, comment);
                }
            }
            Ok(found)
        })
    }

    /// Publishes a pending comment, and marks the readers' reports on it seen (only
    /// newer ones count again); false if there is no such pending comment.
    fn approve(&self, id: i64) -> Result<bool, WriteError> {
        self.write(|conn| {
            let tx = conn.transaction()?;
            let changed =
                tx.execute("UPDATE comments SET status = 'published' WHERE id = ?1 AND status = 'pending'", [id])?;
            tx.execute("UPDATE reports SET reviewed = 1 WHERE comment_id = ?1", [id])?;
            tx.commit()?;
            Ok(changed == 1)
        })
    }

    /// Whether a newsroom closed the thread (no new comments).
    fn is_closed(&self, thread: &str) -> Result<bool, ReadError> {
        self.read(|c| {
            c.query_row("SELECT 1 FROM threads WHERE key = ?1 AND closed_at IS NOT NULL", [thread], |_| Ok(()))
                .optional()
                .map(|found| found.is_some())
        })
    }

    /// Closes a thread (`closed`) or opens it again.
    fn set_closed(&self, thread: &str, closed: bool, now_ms: i64) -> Result<(), WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO threads (key, closed_at) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET closed_at = excluded.closed_at",
                params![thread, closed.then_some(now_ms)],
            )
        })
        .map(|_| ())
    }

    /// Records a reader's report of comment `id` (once per reader); when `threshold`
    /// readers have reported it since a moderator last approved it, a published comment
    /// waits for moderation again.
    fn report(&self, id: i64, reader: &str, reason: &str, threshold: u32, now_ms: i64) -> Result<Reported, WriteError> {
        self.write(|conn| {
            let tx = conn.transaction()?;
            let new = tx.execute(
                "INSERT OR IGNORE INTO reports (comment_id, reader, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, reader, reason, now_ms],
            )? == 1;
            let open: i64 =
                tx.query_row("SELECT COUNT(*) FROM reports WHERE comment_id = ?1 AND reviewed = 0", [id], |r| r.get(0))?;
            let requeued = new
                && open >= i64::from(threshold)
                && tx.execute(
                    "UPDATE comments SET status = 'pending' WHERE id = ?1 AND status = 'published' AND deleted_at IS NULL",
                    [id],
                )? == 1;
            tx.commit()?;
            Ok(Reported { new, requeued })
        })
    }

    /// The reports on each of `ids` that no moderator has seen yet, by reason.
    fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT reason, COUNT(*) FROM reports WHERE comment_id = ?1 AND reviewed = 0
                 GROUP BY reason ORDER BY COUNT(*) DESC, reason",
            )?;
            let mut found = OpenReports::new();
            for id in ids {
                let reasons = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
                if !reasons.is_empty() {
                    found.insert(*id, reasons);
                }
            }
            Ok(found)
        })
    }

    /// The threads with comments, the most recently commented first (at most 500).
    fn threads_overview(&self) -> Result<Vec<(String, i64, i64, bool)>, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare(super::THREADS_OVERVIEW)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? == 1)))?;
            rows.collect()
        })
    }

    /// Published comments matching the three filters, newest first.
    fn search(
        &self,
        text: &str,
        author: &str,
        thread: &str,
        limit: usize,
    ) -> Result<Vec<(String, Comment)>, ReadError> {
        let sql = format!(
            "SELECT {}, c.thread FROM comments c
             WHERE c.status = 'published' AND c.deleted_at IS NULL AND c.body LIKE ?1 ESCAPE '\\'
               AND c.author LIKE ?2 ESCAPE '\\' AND c.thread LIKE ?3 ESCAPE '\\'
             ORDER BY c.id DESC LIMIT ?4",
            super::COLUMNS
        );
        let (text, author, thread) =
            (super::like_pattern(text), super::like_pattern(author), super::like_pattern(thread));
        self.read(|c| {
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map(params![text, author, thread, limit as i64], |r| {
                Ok((r.get::<_, String>(9)?, super::comment_from_row(r)?))
            })?;
            rows.collect()
        })
    }
}
