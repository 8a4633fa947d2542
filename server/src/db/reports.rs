//! Readers' reports in SQLite: one per comment and reader hash; enough of them since a
//! moderator last approved the comment put a published comment back in the queue.

use super::{Db, ReadError, WriteError};
use rusqlite::params;
use std::collections::HashMap;

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

impl Db {
    /// Records a reader's report of comment `id` (once per reader); when `threshold`
    /// readers have reported it since a moderator last approved it, a published comment
    /// waits for moderation again.
    pub fn report(
        &self,
        id: i64,
        reader: &str,
        reason: &str,
        threshold: u32,
        now_ms: i64,
    ) -> Result<Reported, WriteError> {
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
    pub fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError> {
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
}
