//! The SQLite store: WAL with `synchronous=FULL` (a comment acknowledged with 201 is on
//! disk), one writer connection and a small pool of readers (in WAL a read never waits
//! for a writer, so a held write lock stalls no reader), comments per thread, and
//! idempotency records. No e-mail and no IP address is ever stored.
//!
//! A write the store cannot take for now (a read-only or missing file, a full disk,
//! another process holding the write lock) is [`WriteError::Unavailable`]: the server
//! answers 503 with `Retry-After`, the fault is logged once when it begins and once
//! when it clears, and the writer reconnects on its own.
//!
//! This file holds the connections and how faults are told apart; each trait of the
//! storage interface is implemented in a file of its own under `db/`.

mod conversation;
mod error;
mod moderation;
mod newsroom;
mod outbox;
mod reading;
pub mod schema;
mod transfer;

use crate::store::Conversation;
use reader_comments_core::{Comment, Status};
use rusqlite::{params, Connection, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use conversation::{sha256_hex, token_hash, NewRow, Order, Stored, VISIBLE};
use error::unavailable;
pub use error::{OpenError, ReadError, WriteError};
pub use moderation::{OpenReports, Reported, FIRST, KNOWN_READER};
pub use schema::SCHEMA_VERSION;
pub use transfer::{check_order, Decisions, ImportError, Imported, Moved};

/// How many read connections the pool keeps.
const READERS: usize = 4;
/// How long a statement waits for a lock before the store is called unavailable.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// The identity of a file (device and inode), to notice that the path now names
/// another file or none.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// What an earlier post with the same idempotency key stored.
#[derive(Debug)]
pub struct Replay {
    /// The request body's fingerprint (author and body as stored).
    pub fingerprint: String,
    /// The comment it created.
    pub comment: Comment,
}

/// The database.
pub struct Db {
    path: PathBuf,
    /// The file opened at start; a write is refused once the path names another file.
    file: Option<(u64, u64)>,
    /// The writer; `None` after a fault that needs a new connection (a read-only file).
    writer: Mutex<Option<Connection>>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// The storage fault in force, if any: logged when it begins and when it clears.
    fault: Mutex<Option<String>>,
    /// The secret that keys the hashes of reader keys (stored in the file, made once).
    reader_secret: Vec<u8>,
}

/// `text` as a LIKE pattern that finds it anywhere (its own `%`, `_` and `\` escaped).
pub fn like_pattern(text: &str) -> String {
    let escaped: String =
        text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}

/// The threads with comments and their counts, for the moderation pages (both stores).
pub const THREADS_OVERVIEW: &str = "SELECT c.thread,
            SUM(CASE WHEN c.status = 'published' AND c.deleted_at IS NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN c.status = 'pending' THEN 1 ELSE 0 END),
            MAX(CASE WHEN t.closed_at IS NOT NULL THEN 1 ELSE 0 END)
     FROM comments c LEFT JOIN threads t ON t.key = c.thread
     GROUP BY c.thread ORDER BY MAX(c.id) DESC LIMIT 500";

/// The columns [`comment_from_row`] reads, in its order, of a table aliased `c`.
const COLUMNS: &str =
    "c.id, c.author, c.body, c.created_at, c.status, c.parent_id, c.recommends, c.edited_at, c.deleted_at";

fn comment_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    let deleted = row.get::<_, Option<i64>>(8)?.is_some();
    let status = match row.get::<_, String>(4)?.as_str() {
        _ if deleted => Status::Deleted,
        "pending" => Status::Pending,
        _ => Status::Published,
    };
    Ok(Comment {
        id: row.get::<_, i64>(0)?.to_string(),
        author: row.get(1)?,
        body: row.get(2)?,
        created_at: Some(row.get(3)?),
        status,
        parent_id: row.get::<_, Option<i64>>(5)?.map(|p| p.to_string()),
        reply_count: None,
        recommends: Some(row.get::<_, i64>(6)?.max(0) as u64),
        recommended: false,
        edited_at: row.get(7)?,
    })
}

/// A poisoned lock's data is still sound: SQLite rolls back what a panic interrupted.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Db {
    /// Opens (or creates) the database file, checks it, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, OpenError> {
        let mut writer = connect(path)?;
        if let Some(report) = schema::damage(&writer)? {
            return Err(OpenError::Damaged(report));
        }
        writer.pragma_update(None, "journal_mode", "WAL")?;
        schema::migrate(&mut writer)?;
        let reader_secret =
            writer.query_row("SELECT value FROM secrets WHERE name = 'reader_key'", [], |r| r.get(0))?;
        let readers = (0..READERS)
            .map(|_| {
                let conn = connect(path)?;
                conn.pragma_update(None, "query_only", true)?;
                Ok(Mutex::new(conn))
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(Db {
            path: path.to_path_buf(),
            file: identity(path),
            writer: Mutex::new(Some(writer)),
            readers,
            next_reader: AtomicUsize::new(0),
            fault: Mutex::new(None),
            reader_secret,
        })
    }

    /// Runs a read on a free reader (or waits for the next in turn).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, ReadError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let free = (0..READERS).find_map(|i| self.readers[(start + i) % READERS].try_lock().ok());
        let conn = free.unwrap_or_else(|| lock(&self.readers[start % READERS]));
        Ok(f(&conn)?)
    }

    /// Runs a write, unless the file is gone or replaced; classifies and logs faults.
    fn write<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T, WriteError> {
        self.check_file()?;
        let mut writer = lock(&self.writer);
        if writer.is_none() {
            *writer = Some(connect(&self.path).map_err(|e| self.classify(e))?);
        }
        let Some(conn) = writer.as_mut() else { return Err(WriteError::Unavailable("no connection".into())) };
        match f(conn) {
            Ok(value) => {
                drop(writer);
                // Committed into a file that is no longer the database: not acknowledged.
                self.check_file()?;
                self.cleared();
                Ok(value)
            }
            Err(e) => {
                if matches!(e.sqlite_error_code(), Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)) {
                    *writer = None;
                }
                Err(self.classify(e))
            }
        }
    }

    fn classify(&self, e: rusqlite::Error) -> WriteError {
        match unavailable(&e) {
            Some(cause) => {
                self.faulted(cause);
                WriteError::Unavailable(cause.to_string())
            }
            // Another process on the same file stored a post with this key meanwhile.
            None if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                && e.to_string().contains("idempotency") =>
            {
                WriteError::Duplicate
            }
            None => WriteError::Failed(e.to_string()),
        }
    }

    /// Refuses writes once the path no longer names the file opened at start.
    fn check_file(&self) -> Result<(), WriteError> {
        match identity(&self.path) {
            now if now == self.file => Ok(()),
            None => Err(self.faulted("the database file (or its directory) was removed")),
            Some(_) => Err(self.faulted("the database file was replaced by another file")),
        }
    }

    fn faulted(&self, cause: &str) -> WriteError {
        let mut fault = lock(&self.fault);
        if fault.as_deref() != Some(cause) {
            tracing::error!(
                file = %self.path.display(),
                "storage fault: {cause}; posts are answered 503 until it clears (docs/server.md, \"Operating it\")"
            );
            *fault = Some(cause.to_string());
        }
        WriteError::Unavailable(cause.to_string())
    }

    fn cleared(&self) {
        let mut fault = lock(&self.fault);
        if let Some(cause) = fault.take() {
            tracing::warn!(file = %self.path.display(), "storage fault cleared ({cause}); writes work again");
        }
    }

    /// Published comments of a thread after the `after` id, oldest first, and the
    /// cursor of the next page if there is one.
    pub fn list(&self, thread: &str, after: i64, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError> {
        let mut comments: Vec<Comment> = self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments c
                 WHERE c.thread = ?1 AND c.status = 'published' AND c.deleted_at IS NULL AND c.id > ?2
                 ORDER BY c.id LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![thread, after, limit as i64 + 1], comment_from_row)?;
            rows.collect()
        })?;
        let next = if comments.len() > limit {
            comments.truncate(limit);
            comments.last().map(|c| c.id.clone())
        } else {
            None
        };
        Ok((comments, next))
    }

    /// Stores a top-level comment without an edit token (the seed, tools, tests).
    pub fn insert(
        &self,
        thread: &str,
        author: &str,
        body: &str,
        status: Status,
        now_ms: i64,
        idempotency: Option<(&str, &str)>,
    ) -> Result<Comment, WriteError> {
        self.insert_row(&NewRow { thread, author, body, status, created_at: now_ms, idempotency, ..NewRow::default() })
    }
}

#[cfg(test)]
mod tests;

/// SQLite shares no rate limits: one instance's memory is the whole truth.
impl crate::store::SharedLimits for Db {}
