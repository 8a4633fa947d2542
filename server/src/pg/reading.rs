//! A thread's pages in PostgreSQL, as readers read them.

use super::{comment_of, Postgres, COLUMNS};
use crate::db::{Order, ReadError, VISIBLE};
use crate::store::Reading;
use reader_comments_core::Comment;
use std::collections::{HashMap, HashSet};

impl Reading for Postgres {
    fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError> {
        let (filter, sort, a, b) = match order {
            Order::Oldest(after) => ("c.id > $2 AND $3::BIGINT = 0", "c.id", after, 0),
            Order::Newest(before) => ("c.id < $2 AND $3::BIGINT = 0", "c.id DESC", before, 0),
            Order::Top(recommends, id) => {
                ("(c.recommends < $2 OR (c.recommends = $2 AND c.id > $3))", "c.recommends DESC, c.id", recommends, id)
            }
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.thread = $1 AND c.root_id IS NULL AND {VISIBLE} AND {filter}
             ORDER BY {sort} LIMIT $4"
        );
        let mut comments = self.rows(sql, params![thread.to_string(), a, b, limit as i64 + 1], comment_of)?;
        let next = (comments.len() > limit).then(|| {
            comments.truncate(limit);
            comments.last().map(|c| order.cursor_after(c))
        });
        Ok((comments, next.flatten()))
    }

    fn replies(&self, root: i64, after: i64, limit: usize) -> Result<Vec<Comment>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.root_id = $1 AND {VISIBLE} AND c.id > $2 ORDER BY c.id LIMIT $3"
        );
        Ok(self.rows(sql, params![root, after, limit as i64], comment_of)?)
    }

    fn replies_of_page(&self, roots: &[i64], first: usize) -> Result<HashMap<i64, (Vec<Comment>, usize)>, ReadError> {
        let mut out: HashMap<i64, (Vec<Comment>, usize)> = roots.iter().map(|r| (*r, (Vec::new(), 0))).collect();
        if roots.is_empty() {
            return Ok(out);
        }
        let sql = format!(
            "SELECT * FROM (
                 SELECT {COLUMNS}, c.root_id,
                        ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.id),
                        COUNT(*) OVER (PARTITION BY c.root_id)
                 FROM comments c WHERE c.root_id = ANY($1) AND {VISIBLE}) AS page
             WHERE page.row_number <= $2
             ORDER BY 10, 11"
        );
        let rows = self.rows(sql, params![roots.to_vec(), first as i64], |r| {
            (r.get::<_, i64>(9), r.get::<_, i64>(11), comment_of(r))
        })?;
        for (root, total, comment) in rows {
            if let Some((shown, count)) = out.get_mut(&root) {
                *count = total.max(0) as usize;
                shown.push(comment);
            }
        }
        Ok(out)
    }

    fn recommended_by(&self, reader: &str, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = "SELECT comment_id FROM recommends WHERE reader = $1 AND comment_id = ANY($2)".to_string();
        Ok(self.rows(sql, params![reader.to_string(), ids.to_vec()], |r| r.get::<_, i64>(0))?.into_iter().collect())
    }
}
