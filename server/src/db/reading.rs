//! Contract v1.1's reads: a page of top-level comments in an order, the replies under
//! one, the first replies of a whole page in one query, and which comments a reader
//! recommends.

use super::conversation::{Order, VISIBLE};
use super::{comment_from_row, Db, ReadError, COLUMNS};
use crate::store::Reading;
use reader_comments_core::Comment;
use rusqlite::{params, params_from_iter, ToSql};
use std::collections::{HashMap, HashSet};

impl Reading for Db {
    /// One page of a thread's top-level comments in `order`, and the next page's cursor.
    fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError> {
        let (filter, sort, a, b) = match order {
            Order::Oldest(after) => ("c.id > ?2 AND ?3 = 0", "c.id", after, 0),
            Order::Newest(before) => ("c.id < ?2 AND ?3 = 0", "c.id DESC", before, 0),
            Order::Top(recommends, id) => {
                ("(c.recommends < ?2 OR (c.recommends = ?2 AND c.id > ?3))", "c.recommends DESC, c.id", recommends, id)
            }
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.thread = ?1 AND c.root_id IS NULL AND {VISIBLE} AND {filter}
             ORDER BY {sort} LIMIT ?4"
        );
        let mut comments: Vec<Comment> = self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![thread, a, b, limit as i64 + 1], comment_from_row)?;
            rows.collect()
        })?;
        let next = (comments.len() > limit).then(|| {
            comments.truncate(limit);
            comments.last().map(|c| order.cursor_after(c))
        });
        Ok((comments, next.flatten()))
    }

    /// Replies under the top-level comment `root`, oldest first, after the id `after`.
    fn replies(&self, root: i64, after: i64, limit: usize) -> Result<Vec<Comment>, ReadError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments c WHERE c.root_id = ?1 AND {VISIBLE} AND c.id > ?2 ORDER BY c.id LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![root, after, limit as i64], comment_from_row)?;
            rows.collect()
        })
    }

    /// The first `first` replies under each of the top-level comments `roots` (oldest
    /// first), and how many each has in all: one query for a whole page.
    fn replies_of_page(&self, roots: &[i64], first: usize) -> Result<HashMap<i64, (Vec<Comment>, usize)>, ReadError> {
        let mut out: HashMap<i64, (Vec<Comment>, usize)> = roots.iter().map(|r| (*r, (Vec::new(), 0))).collect();
        if roots.is_empty() {
            return Ok(out);
        }
        let marks = vec!["?"; roots.len()].join(",");
        let sql = format!(
            "SELECT * FROM (
                 SELECT {COLUMNS}, c.root_id,
                        ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.id),
                        COUNT(*) OVER (PARTITION BY c.root_id)
                 FROM comments c WHERE c.root_id IN ({marks}) AND {VISIBLE})
             ORDER BY 10, 11"
        );
        let rows: Vec<(i64, i64, i64, Comment)> = self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(roots.iter()), |row| {
                Ok((row.get(9)?, row.get(10)?, row.get(11)?, comment_from_row(row)?))
            })?;
            rows.collect()
        })?;
        for (root, n, total, comment) in rows {
            if let Some((shown, count)) = out.get_mut(&root) {
                *count = total.max(0) as usize;
                if n as usize <= first {
                    shown.push(comment);
                }
            }
        }
        Ok(out)
    }

    /// Which of `ids` the reader with this hash recommends.
    fn recommended_by(&self, reader: &str, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let marks = vec!["?"; ids.len()].join(",");
        let sql = format!("SELECT comment_id FROM recommends WHERE reader = ? AND comment_id IN ({marks})");
        self.read(|conn| {
            let mut stmt = conn.prepare(&sql)?;
            let values = std::iter::once(&reader as &dyn ToSql).chain(ids.iter().map(|i| i as &dyn ToSql));
            let rows = stmt.query_map(params_from_iter(values), |r| r.get::<_, i64>(0))?;
            rows.collect()
        })
    }
}
