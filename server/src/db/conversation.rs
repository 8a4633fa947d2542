//! Contract v1.1 in the store: storing comments and replies with their edit token's
//! hash (the reads are in `reading.rs`), editing, deleting
//! (a comment with replies keeps its place, emptied), and recommends counted once per
//! reader key.

use super::Replay;
use super::{comment_from_row, Db, ReadError, WriteError, COLUMNS};
use crate::store::Conversation;
use reader_comments_core::{Comment, Status};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

/// A comment is listed when published, and, once deleted, only while a published reply
/// answers it.
pub const VISIBLE: &str = "c.status = 'published' AND (c.deleted_at IS NULL OR EXISTS
     (SELECT 1 FROM comments k WHERE k.parent_id = c.id AND k.status = 'published'))";

/// A comment to store.
#[derive(Default)]
pub struct NewRow<'a> {
    /// Its thread.
    pub thread: &'a str,
    /// The name, normalised.
    pub author: &'a str,
    /// The text, normalised.
    pub body: &'a str,
    /// Published or held.
    pub status: Status,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// For a reply: the comment it answers and the top-level comment it sits under.
    pub parent: Option<(i64, i64)>,
    /// The hash of its edit token.
    pub token_hash: Option<String>,
    /// The post's idempotency key and fingerprint.
    pub idempotency: Option<(&'a str, &'a str)>,
    /// The keyed, rotating hash of the poster's address (bans.rs), never the address.
    pub client: Option<String>,
    /// The keyed hash of the reader key it was posted with, if one was sent.
    pub reader: Option<String>,
}

impl NewRow<'_> {
    /// The comment as stored under `id`: new, so not recommended or edited yet.
    pub fn stored_as(&self, id: i64) -> Comment {
        Comment {
            id: id.to_string(),
            author: self.author.to_string(),
            body: self.body.to_string(),
            created_at: Some(self.created_at),
            status: self.status,
            parent_id: self.parent.map(|p| p.0.to_string()),
            recommends: Some(0),
            ..Comment::default()
        }
    }
}

/// A stored comment with what only the server sees.
#[derive(Debug)]
pub struct Stored {
    /// The comment as listed.
    pub comment: Comment,
    /// The top-level comment a reply sits under (`None` for a top-level comment).
    pub root: Option<i64>,
    /// The hash of its edit token, if it has one.
    pub token_hash: Option<String>,
}

/// The order of a thread's top-level comments, and where a page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Oldest first, after this id.
    Oldest(i64),
    /// Newest first, before this id.
    Newest(i64),
    /// Most recommended first (then oldest), after this (recommends, id).
    Top(i64, i64),
}

impl Order {
    /// The cursor of the page after `last`.
    pub fn cursor_after(self, last: &Comment) -> String {
        match self {
            Order::Oldest(_) | Order::Newest(_) => last.id.clone(),
            Order::Top(..) => format!("{}.{}", last.recommends.unwrap_or(0), last.id),
        }
    }
}

/// SHA-256 in lowercase hex.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash the store keeps of an edit token (the token is 128 random bits: a plain
/// hash is enough, and the token itself is never stored).
pub fn token_hash(token: &str) -> String {
    sha256_hex(&[token.trim().as_bytes()])
}

impl Conversation for Db {
    /// The keyed hash stored for a reader key: the raw key never reaches the file.
    fn reader_hash(&self, reader_key: &str) -> String {
        sha256_hex(&[&self.reader_secret, b"\0", reader_key.to_ascii_lowercase().as_bytes()])
    }

    /// Stores a comment or reply, and its idempotency record, in one transaction.
    fn insert_row(&self, new: &NewRow<'_>) -> Result<Comment, WriteError> {
        let id = self.write(|conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id, edit_token_hash,
                                       client_hash, reader_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    new.thread,
                    new.author,
                    new.body,
                    new.created_at,
                    new.status.as_str(),
                    new.parent.map(|p| p.0),
                    new.parent.map(|p| p.1),
                    new.token_hash,
                    new.client,
                    new.reader
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Some((key, fingerprint)) = new.idempotency {
                tx.execute(
                    "INSERT INTO idempotency (thread, key, fingerprint, comment_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![new.thread, key, fingerprint, id, new.created_at],
                )?;
            }
            tx.commit()?;
            Ok(id)
        })?;
        Ok(new.stored_as(id))
    }

    /// A comment of `thread` by id, deleted ones included.
    fn find(&self, thread: &str, id: i64) -> Result<Option<Stored>, ReadError> {
        self.read(|conn| {
            conn.query_row(
                &format!(
                    "SELECT {COLUMNS}, c.root_id, c.edit_token_hash FROM comments c WHERE c.thread = ?1 AND c.id = ?2"
                ),
                params![thread, id],
                |row| Ok(Stored { comment: comment_from_row(row)?, root: row.get(9)?, token_hash: row.get(10)? }),
            )
            .optional()
        })
    }

    /// Records (`on`) or takes back a reader's recommend; the count after it and
    /// whether the reader now recommends the comment.
    fn recommend(&self, id: i64, reader: &str, on: bool, now_ms: i64) -> Result<(u64, bool), WriteError> {
        self.write(|conn| {
            let tx = conn.transaction()?;
            let changed = if on {
                tx.execute(
                    "INSERT OR IGNORE INTO recommends (comment_id, reader, created_at) VALUES (?1, ?2, ?3)",
                    params![id, reader, now_ms],
                )?
            } else {
                tx.execute("DELETE FROM recommends WHERE comment_id = ?1 AND reader = ?2", params![id, reader])?
            };
            if changed == 1 {
                let step = if on { 1 } else { -1 };
                tx.execute(
                    "UPDATE comments SET recommends = MAX(recommends + ?2, 0) WHERE id = ?1",
                    params![id, step],
                )?;
            }
            let count: i64 = tx.query_row("SELECT recommends FROM comments WHERE id = ?1", [id], |r| r.get(0))?;
            tx.commit()?;
            Ok((count.max(0) as u64, on))
        })
    }

    /// Replaces a comment's text (and its status: an edit may add a link), marking it
    /// edited at `now_ms`.
    fn edit(&self, id: i64, body: &str, status: Status, now_ms: i64) -> Result<(), WriteError> {
        self.write(|conn| {
            conn.execute(
                "UPDATE comments SET body = ?2, status = ?3, edited_at = ?4 WHERE id = ?1 AND deleted_at IS NULL",
                params![id, body, status.as_str(), now_ms],
            )
        })
        .map(|_| ())
    }

    /// Replaces the hash of a comment's edit token (a replayed post gets a new token).
    fn set_token(&self, id: i64, token_hash: &str) -> Result<(), WriteError> {
        self.write(|conn| {
            conn.execute("UPDATE comments SET edit_token_hash = ?2 WHERE id = ?1", params![id, token_hash])
        })
        .map(|_| ())
    }

    /// Deletes a comment. One that replies answer keeps its place, without name, text or
    /// token; one without replies goes, with its records, and so does each deleted
    /// comment above it that it was the last reply to. False if there is no such comment.
    fn remove(&self, id: i64, now_ms: i64) -> Result<bool, WriteError> {
        self.write(|conn| {
            let tx = conn.transaction()?;
            let exists = tx.query_row("SELECT 1 FROM comments WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some();
            if !exists {
                return Ok(false);
            }
            let mut current = Some(id);
            let mut first = true;
            while let Some(target) = current {
                let replies: i64 = tx.query_row("SELECT COUNT(*) FROM comments WHERE parent_id = ?1", [target], |r| r.get(0))?;
                let (parent, deleted): (Option<i64>, Option<i64>) =
                    tx.query_row("SELECT parent_id, deleted_at FROM comments WHERE id = ?1", [target], |r| Ok((r.get(0)?, r.get(1)?)))?;
                if replies > 0 {
                    if first {
                        tx.execute(
                            "UPDATE comments SET deleted_at = ?2, author = '', body = '', edit_token_hash = NULL WHERE id = ?1",
                            params![target, now_ms],
                        )?;
                    }
                    break;
                }
                if !first && deleted.is_none() {
                    break;
                }
                tx.execute("DELETE FROM idempotency WHERE comment_id = ?1", [target])?;
                tx.execute("DELETE FROM recommends WHERE comment_id = ?1", [target])?;
                tx.execute("DELETE FROM comments WHERE id = ?1", [target])?;
                current = parent;
                first = false;
            }
            tx.commit()?;
            Ok(true)
        })
    }

    /// The schema version of the open file.
    fn schema_version(&self) -> Result<usize, ReadError> {
        self.read(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
    }

    /// How many comments a thread holds, pending ones included.
    fn count(&self, thread: &str) -> Result<usize, ReadError> {
        self.read(|c| c.query_row("SELECT COUNT(*) FROM comments WHERE thread = ?1", [thread], |r| r.get(0)))
    }

    /// The earlier result of a post with this idempotency key, if any.
    fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError> {
        self.read(|conn| {
            conn.query_row(
                &format!(
                    "SELECT {COLUMNS}, i.fingerprint FROM idempotency i JOIN comments c ON c.id = i.comment_id
                     WHERE i.thread = ?1 AND i.key = ?2"
                ),
                params![thread, key],
                |row| Ok(Replay { comment: comment_from_row(row)?, fingerprint: row.get(9)? }),
            )
            .optional()
        })
    }
}
