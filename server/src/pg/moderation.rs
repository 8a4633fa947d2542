//! What moderators act on, in PostgreSQL: the queue, closed threads, readers' reports
//! (reports on one comment from several instances take turns), the thread list and
//! the search of published comments.

use super::{comment_of, Postgres, COLUMNS};
use crate::db::{OpenReports, ReadError, Reported, WriteError};
use crate::store::Moderation;
use reader_comments_core::Comment;
use std::collections::{HashMap, HashSet};

impl Moderation for Postgres {
    fn pending(&self, thread: Option<&str>, limit: usize) -> Result<Vec<(String, Comment)>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread FROM comments c WHERE c.status = 'pending' AND c.deleted_at IS NULL
             AND ($2::TEXT IS NULL OR c.thread = $2) ORDER BY c.id DESC LIMIT $1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let thread = thread.map(str::to_string);
        Ok(self.rows(sql, params![limit, thread], |r| (r.get::<_, String>(9), comment_of(r)))?)
    }

    fn pending_count(&self, thread: Option<&str>) -> Result<u64, ReadError> {
        let sql = "SELECT COUNT(*) FROM comments WHERE status = 'pending' AND deleted_at IS NULL
                   AND ($1::TEXT IS NULL OR thread = $1)"
            .to_string();
        let rows = self.rows(sql, params![thread.map(str::to_string)], |r| r.get::<_, i64>(0))?;
        Ok(rows.first().copied().unwrap_or(0).max(0) as u64)
    }

    fn known_reader(&self, reader: &str) -> Result<bool, ReadError> {
        let rows = self.rows(crate::db::KNOWN_READER.to_string(), params![reader.to_string()], |_| ())?;
        Ok(!rows.is_empty())
    }

    fn first_comments(&self, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        let sql = format!("SELECT c.id FROM comments c WHERE c.id = ANY($1) AND {}", crate::db::FIRST);
        Ok(self.rows(sql, params![ids.to_vec()], |r| r.get::<_, i64>(0))?.into_iter().collect())
    }

    fn comments_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, Comment>, ReadError> {
        let sql = format!("SELECT {COLUMNS} FROM comments c WHERE c.id = ANY($1)");
        let rows = self.rows(sql, params![ids.to_vec()], comment_of)?;
        Ok(rows.into_iter().filter_map(|c| Some((c.id.parse().ok()?, c))).collect())
    }

    fn approve(&self, id: i64) -> Result<bool, WriteError> {
        let pool = self.pool.clone();
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let changed = tx
                .execute("UPDATE comments SET status = 'published' WHERE id = $1 AND status = 'pending'", &[&id])
                .await?;
            tx.execute("UPDATE reports SET reviewed = TRUE WHERE comment_id = $1", &[&id]).await?;
            tx.commit().await?;
            Ok(changed == 1)
        })?)
    }

    fn is_closed(&self, thread: &str) -> Result<bool, ReadError> {
        let sql = "SELECT 1 FROM threads WHERE key = $1 AND closed_at IS NOT NULL".to_string();
        Ok(!self.rows(sql, params![thread.to_string()], |_| ())?.is_empty())
    }

    fn set_closed(&self, thread: &str, closed: bool, now_ms: i64) -> Result<(), WriteError> {
        let at = closed.then_some(now_ms);
        self.execute(
            "INSERT INTO threads (key, closed_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET closed_at = $2",
            params![thread.to_string(), at],
        )?;
        Ok(())
    }

    fn search(
        &self,
        text: &str,
        author: &str,
        thread: &str,
        limit: usize,
    ) -> Result<Vec<(String, Comment)>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread FROM comments c
             WHERE c.status = 'published' AND c.deleted_at IS NULL AND c.body ILIKE $1
               AND c.author ILIKE $2 AND c.thread ILIKE $3
             ORDER BY c.id DESC LIMIT $4"
        );
        let like = crate::db::like_pattern;
        Ok(self.rows(sql, params![like(text), like(author), like(thread), limit as i64], |r| {
            (r.get::<_, String>(9), comment_of(r))
        })?)
    }

    fn report(&self, id: i64, reader: &str, reason: &str, threshold: u32, now_ms: i64) -> Result<Reported, WriteError> {
        let (pool, reader, reason) = (self.pool.clone(), reader.to_string(), reason.to_string());
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            // Reports on one comment from several instances take turns, so the one that
            // reaches the threshold sees it.
            tx.execute("SELECT 1 FROM comments WHERE id = $1 FOR UPDATE", &[&id]).await?;
            let new = tx
                .execute(
                    "INSERT INTO reports (comment_id, reader, reason, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT DO NOTHING",
                    &[&id, &reader, &reason, &now_ms],
                )
                .await?
                == 1;
            let open: i64 = tx
                .query_one("SELECT COUNT(*) FROM reports WHERE comment_id = $1 AND NOT reviewed", &[&id])
                .await?
                .get(0);
            let requeued = new
                && open >= i64::from(threshold)
                && tx
                    .execute(
                        "UPDATE comments SET status = 'pending'
                         WHERE id = $1 AND status = 'published' AND deleted_at IS NULL",
                        &[&id],
                    )
                    .await?
                    == 1;
            tx.commit().await?;
            Ok(Reported { new, requeued })
        })?)
    }

    fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError> {
        let sql = "SELECT comment_id, reason, COUNT(*) FROM reports WHERE comment_id = ANY($1) AND NOT reviewed
                   GROUP BY comment_id, reason ORDER BY COUNT(*) DESC, reason"
            .to_string();
        let rows =
            self.rows(sql, params![ids.to_vec()], |r| (r.get::<_, i64>(0), r.get::<_, String>(1), r.get::<_, i64>(2)))?;
        let mut found = OpenReports::new();
        for (id, reason, readers) in rows {
            found.entry(id).or_default().push((reason, readers));
        }
        Ok(found)
    }

    fn threads_overview(&self) -> Result<Vec<(String, i64, i64, bool)>, ReadError> {
        Ok(self.rows(crate::db::THREADS_OVERVIEW.to_string(), params![], |r| {
            (r.get(0), r.get(1), r.get(2), r.get::<_, i32>(3) == 1)
        })?)
    }
}
