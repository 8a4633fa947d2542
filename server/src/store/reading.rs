//! A thread's pages, as readers read them: a page of top-level comments in an order,
//! the replies under one, the first replies of a whole page in one query, whether the
//! thread is closed, and which comments a reader recommends.

use super::error::ReadError;
use super::handle::Store;
use super::model::{FirstReplies, Order, Page};
use super::rows::{comment_of, AFTER, COLUMNS, VISIBLE};
use super::sql::params;
use reader_comments_core::Comment;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A thread's version (schema 15; a thread without a row is at 0).
const THREAD_VERSION: &str = "SELECT version FROM threads WHERE key = ?1";

/// The three orders' statements of [`Store::list_top`], made once.
static LIST_TOP: LazyLock<[String; 3]> = LazyLock::new(|| {
    let top = format!("SELECT {COLUMNS} FROM comments c WHERE c.thread = ?1 AND c.root_id IS NULL AND {VISIBLE} AND");
    [
        format!("{top} c.id > ?2 ORDER BY c.id LIMIT ?3"),
        format!("{top} c.id < ?2 ORDER BY c.id DESC LIMIT ?3"),
        format!(
            "{top} (c.recommends < ?2 OR (c.recommends = ?2 AND c.id > ?3)) ORDER BY c.recommends DESC, c.id LIMIT ?4"
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
    /// One page of a thread's top-level comments in `order`, and the next page's cursor.
    pub fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<Page, ReadError> {
        let more = limit as i64 + 1;
        let [oldest, newest, top] = &*LIST_TOP;
        let mut found: Vec<Comment> = self.read(|c| match order {
            Order::Oldest(after) => c.rows(oldest, params![thread, after, more], comment_of),
            Order::Newest(before) => c.rows(newest, params![thread, before, more], comment_of),
            Order::Top(recommends, id) => c.rows(top, params![thread, recommends, id, more], comment_of),
        })?;
        let next = (found.len() > limit).then(|| {
            found.truncate(limit);
            found.last().map(|c| order.cursor_after(c))
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

    /// `thread`'s version, read at once on the calling thread (async code included) when
    /// the engine can ([`Store::quick_read`]); `None` when it cannot.
    pub fn thread_version_at_once(&self, thread: &str) -> Option<Result<i64, ReadError>> {
        self.quick_read(|c| Ok(c.first(THREAD_VERSION, params![thread], |r| r.int(0))?.unwrap_or(0)))
    }

    /// Each of `threads`' version (schema 15): it moves with every change to what the
    /// thread's pages show; a thread the store has no row for is at 0.
    pub fn thread_versions(&self, threads: &[String]) -> Result<HashMap<String, i64>, ReadError> {
        let mut versions: HashMap<String, i64> = threads.iter().map(|t| (t.clone(), 0)).collect();
        self.read(|c| {
            c.each("SELECT key, version FROM threads WHERE key = ANY(?1)", params![threads], &mut |r| {
                versions.insert(r.text(0)?, r.int(1)?);
                Ok(())
            })
        })?;
        Ok(versions)
    }
}
