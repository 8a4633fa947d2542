//! A thread's pages, as readers read them: a page of top-level comments in an order,
//! the replies under one, the first replies of a whole page in one query, whether the
//! thread is closed, and which comments a reader recommends.

use super::error::{ReadError, WriteError};
use super::handle::Store;
use super::model::{FirstReplies, Order, Page};
use super::rows::{comment_of, AFTER, COLUMNS, VISIBLE};
use super::sql::{params, ChangeMark, Dialect};
use reader_comments_core::Comment;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Threads' versions (schema 15; a thread without a row is at 0): SQLite keeps each in
/// the thread's row.
const SQLITE_VERSIONS: &str = "SELECT key, version FROM threads WHERE key = ANY(?1)";

/// PostgreSQL: the row's count and the changes not yet folded into it, read in one
/// statement (one snapshot: a fold moves rows into the count at once).
const POSTGRES_VERSIONS: &str = "SELECT k.key,
        COALESCE((SELECT t.version FROM threads t WHERE t.key = k.key), 0)
        + (SELECT COUNT(*) FROM thread_changes c WHERE c.thread = k.key)
     FROM unnest(?1::text[]) AS k(key)";

/// The four orders' statements of [`Store::list_top`], made once.
static LIST_TOP: LazyLock<[String; 4]> = LazyLock::new(|| {
    let top = format!("SELECT {COLUMNS} FROM comments c WHERE c.thread = ?1 AND c.root_id IS NULL AND {VISIBLE} AND");
    [
        format!("{top} c.id > ?2 ORDER BY c.id LIMIT ?3"),
        format!("{top} c.id < ?2 ORDER BY c.id DESC LIMIT ?3"),
        format!(
            "{top} (c.recommends < ?2 OR (c.recommends = ?2 AND c.id > ?3)) ORDER BY c.recommends DESC, c.id LIMIT ?4"
        ),
        format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.thread = ?1 AND c.featured_at IS NOT NULL
             AND c.status = 'published' AND c.deleted_at IS NULL
             ORDER BY c.featured_at DESC, c.id DESC LIMIT ?3 OFFSET ?2"
        ),
    ]
});

/// The statement of [`Store::replies_of_page`], made once.
static FIRST_REPLIES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT * FROM (
             SELECT {COLUMNS}, c.root_id,
                    ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.id) AS n,
                    COUNT(*) OVER (PARTITION BY c.root_id) AS total
             FROM comments c WHERE c.root_id = ANY(?2) AND {VISIBLE}) AS page
         WHERE page.n <= ?1
         ORDER BY page.root_id, page.n"
    )
});

impl Store {
    /// One page of a thread's top-level comments in `order` (featured ones at any level),
    /// and the next page's cursor.
    pub fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<Page, ReadError> {
        let more = limit as i64 + 1;
        let [oldest, newest, top, featured] = &*LIST_TOP;
        let mut found: Vec<Comment> = self.read(|c| match order {
            Order::Oldest(after) => c.rows(oldest, params![thread, after, more], comment_of),
            Order::Newest(before) => c.rows(newest, params![thread, before, more], comment_of),
            Order::Top(recommends, id) => c.rows(top, params![thread, recommends, id, more], comment_of),
            Order::Featured(skipped) => c.rows(featured, params![thread, skipped, more], comment_of),
        })?;
        let next = (found.len() > limit).then(|| {
            found.truncate(limit);
            found.last().map(|c| order.cursor_after(c, limit))
        });
        Ok(Page { comments: found, next: next.flatten() })
    }

    /// Replies under the top-level comment `root`, oldest first, after the id `after`.
    pub fn replies(&self, root: i64, after: i64, limit: usize) -> Result<Vec<Comment>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.root_id = ?1 AND {VISIBLE} AND c.id > ?2 ORDER BY c.id LIMIT ?3"
        );
        self.read(|c| c.rows(&sql, params![root, after, limit as i64], comment_of))
    }

    /// The first `first` replies under each of the top-level comments `roots` (oldest
    /// first), and how many each has in all: one query for a whole page.
    pub fn replies_of_page(&self, roots: &[i64], first: usize) -> Result<HashMap<i64, FirstReplies>, ReadError> {
        let mut out: HashMap<i64, FirstReplies> = roots.iter().map(|r| (*r, FirstReplies::default())).collect();
        if roots.is_empty() {
            return Ok(out);
        }
        let rows = self.read(|c| {
            c.rows(&FIRST_REPLIES, params![first as i64, roots], |row| {
                Ok((row.int(AFTER)?, row.int(AFTER + 2)?, comment_of(row)?))
            })
        })?;
        for (root, total, comment) in rows {
            if let Some(replies) = out.get_mut(&root) {
                replies.total = total.max(0) as usize;
                replies.shown.push(comment);
            }
        }
        Ok(out)
    }

    /// Which of `ids` the reader with this hash recommends.
    pub fn recommended_by(&self, reader: &str, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = "SELECT comment_id FROM recommends WHERE reader = ?1 AND comment_id = ANY(?2)";
        Ok(self.read(|c| c.rows(sql, params![reader, ids], |r| r.int(0)))?.into_iter().collect())
    }

    /// Whether a newsroom closed the thread (no new comments).
    pub fn is_closed(&self, thread: &str) -> Result<bool, ReadError> {
        self.read(|c| c.exists("SELECT 1 FROM threads WHERE key = ?1 AND closed_at IS NOT NULL", params![thread]))
    }

    /// A mark that changes with every commit to the store, by anyone, read without a
    /// statement ([`Engine::change_mark`]); `None` when the engine has none.
    pub fn change_mark(&self) -> Option<ChangeMark> {
        self.engine().change_mark()
    }

    /// `thread`'s version, read at once on the calling thread (async code included) when
    /// the engine can ([`Store::quick_read`]); `None` when it cannot.
    pub fn thread_version_at_once(&self, thread: &str) -> Option<Result<i64, ReadError>> {
        let sql = "SELECT version FROM threads WHERE key = ?1";
        self.quick_read(|c| Ok(c.first(sql, params![thread], |r| r.int(0))?.unwrap_or(0)))
    }

    /// Each of `threads`' version (schema 15): it moves with every change to what the
    /// thread's pages show.
    pub fn thread_versions(&self, threads: &[String]) -> Result<HashMap<String, i64>, ReadError> {
        let sql = match self.dialect() {
            Dialect::Sqlite => SQLITE_VERSIONS,
            Dialect::Postgres => POSTGRES_VERSIONS,
        };
        let mut versions: HashMap<String, i64> = threads.iter().map(|t| (t.clone(), 0)).collect();
        self.read(|c| {
            c.each(sql, params![threads], &mut |r| {
                versions.insert(r.text(0)?, r.int(1)?);
                Ok(())
            })
        })?;
        Ok(versions)
    }

    /// [`Store::thread_versions`] without blocking the caller, when the engine can
    /// (PostgreSQL: the round trip is awaited, no thread waits for it); `None` when not.
    pub fn thread_versions_soon(
        &self,
        threads: Vec<String>,
    ) -> Option<impl std::future::Future<Output = Result<HashMap<String, i64>, ReadError>> + use<>> {
        let soon = self.engine().pairs_soon(POSTGRES_VERSIONS, threads.clone())?;
        Some(async move {
            let mut versions: HashMap<String, i64> = threads.into_iter().map(|t| (t, 0)).collect();
            versions.extend(soon.await.map_err(ReadError::from)?);
            Ok(versions)
        })
    }

    /// Folds the changes PostgreSQL recorded into their threads' counts (the versions
    /// stay what they are), so that reading a version stays one short count; how many
    /// threads had changes. Nothing to do on SQLite.
    pub fn fold_thread_changes(&self) -> Result<u64, WriteError> {
        if self.dialect() == Dialect::Sqlite {
            return Ok(0);
        }
        self.write_one(
            "WITH gone AS (DELETE FROM thread_changes RETURNING thread)
             INSERT INTO threads (key, version) SELECT thread, COUNT(*) FROM gone GROUP BY thread
             ON CONFLICT (key) DO UPDATE SET version = threads.version + excluded.version",
            &[],
        )
    }
}
