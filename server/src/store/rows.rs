//! How a comment is read from a row, once for every statement that lists comments: the
//! columns it takes, in order, and the rule of which comments readers see.

use super::error::Fault;
use super::sql::RowRef;
use reader_comments_core::{Comment, Status};

/// The columns [`comment_of`] reads, in its order, of the table aliased `c`.
pub const COLUMNS: &str = "c.id, c.author, c.body, c.created_at, c.status, c.parent_id, c.recommends, c.edited_at,
     c.deleted_at, c.featured_at, c.staff, CASE WHEN c.account IS NULL THEN 0 ELSE 1 END";

/// How many columns [`COLUMNS`] names: a statement's own columns come after them.
pub const AFTER: usize = 12;

/// A comment is listed when published, and, once deleted, only while a published reply
/// answers it.
pub const VISIBLE: &str = "c.status = 'published' AND (c.deleted_at IS NULL OR EXISTS
     (SELECT 1 FROM comments k WHERE k.parent_id = c.id AND k.status = 'published'))";

/// The comment in the first [`AFTER`] columns of `row`.
pub fn comment_of(row: &dyn RowRef) -> Result<Comment, Fault> {
    let deleted = row.opt_int(8)?.is_some();
    let status = match row.text(4)?.as_str() {
        _ if deleted => Status::Deleted,
        "pending" => Status::Pending,
        _ => Status::Published,
    };
    Ok(Comment {
        id: row.int(0)?.to_string(),
        author: row.text(1)?,
        body: row.text(2)?,
        created_at: Some(row.int(3)?),
        status,
        parent_id: row.opt_int(5)?.map(|p| p.to_string()),
        reply_count: None,
        recommends: Some(row.int(6)?.max(0) as u64),
        recommended: false,
        edited_at: row.opt_int(7)?,
        featured: row.opt_int(9)?.is_some(),
        staff: row.flag(10)?,
        verified: row.flag(11)?,
    })
}
