//! The SQLite store: versioned migrations, WAL with `synchronous=FULL` (a comment
//! acknowledged with 201 is on disk), comments per thread, and idempotency records.
//! No e-mail and no IP address is ever stored.

use reader_comments_core::{Comment, Status};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;

/// Each migration moves the schema one `user_version` up; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: comments and the idempotency keys of the posts that created them.
    "CREATE TABLE comments (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         thread TEXT NOT NULL,
         author TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('published', 'pending'))
     );
     CREATE INDEX comments_by_thread ON comments (thread, status, id);
     CREATE TABLE idempotency (
         thread TEXT NOT NULL,
         key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         comment_id INTEGER NOT NULL REFERENCES comments (id),
         created_at INTEGER NOT NULL,
         PRIMARY KEY (thread, key)
     );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// What an earlier post with the same idempotency key stored.
#[derive(Debug)]
pub struct Replay {
    /// The request body's fingerprint (author and body as stored).
    pub fingerprint: String,
    /// The comment it created.
    pub comment: Comment,
}

/// A failed read: the comments could not be loaded.
#[derive(Debug)]
pub struct ReadError(pub rusqlite::Error);

/// A failed write: the comment (or a moderator's change) was not stored.
#[derive(Debug)]
pub struct WriteError(pub rusqlite::Error);

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError(e)
    }
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError(e)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading the database failed: {}", self.0)
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "writing to the database failed: {}", self.0)
    }
}

/// Why the database could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// SQLite refused the file (not a database, no permission, …).
    Sqlite(rusqlite::Error),
    /// The file was written by a newer server: this one would not understand it.
    NewerSchema {
        /// The file's schema version.
        found: usize,
    },
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        OpenError::Sqlite(e)
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Sqlite(e) => write!(f, "{e}"),
            OpenError::NewerSchema { found } => write!(
                f,
                "the database was written by a newer version of reader-comments-server (schema version {found}; \
                 this one understands up to {SCHEMA_VERSION}); run the newer server, or restore a backup"
            ),
        }
    }
}

/// The database, one connection behind a lock: SQLite has one writer at a time anyway,
/// and in WAL mode a read never waits for the disk flush of a write.
pub struct Db {
    conn: Mutex<Connection>,
}

fn status_of(text: &str) -> Status {
    if text == "pending" {
        Status::Pending
    } else {
        Status::Published
    }
}

fn comment_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: row.get::<_, i64>(0)?.to_string(),
        author: row.get(1)?,
        body: row.get(2)?,
        created_at: Some(row.get(3)?),
        status: status_of(&row.get::<_, String>(4)?),
    })
}

impl Db {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, OpenError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(OpenError::NewerSchema { found: version });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        Ok(Db { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions
        // roll back), so the connection stays usable.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<usize, ReadError> {
        Ok(self.lock().pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Published comments of a thread after the `after` id, oldest first, and the
    /// cursor of the next page if there is one.
    pub fn list(&self, thread: &str, after: i64, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, author, body, created_at, status FROM comments
             WHERE thread = ?1 AND status = 'published' AND id > ?2 ORDER BY id LIMIT ?3",
        )?;
        let mut comments: Vec<Comment> =
            stmt.query_map(params![thread, after, limit as i64 + 1], comment_from_row)?.collect::<Result<_, _>>()?;
        let next = if comments.len() > limit {
            comments.truncate(limit);
            comments.last().map(|c| c.id.clone())
        } else {
            None
        };
        Ok((comments, next))
    }

    /// How many comments a thread holds, pending ones included.
    pub fn count(&self, thread: &str) -> Result<usize, ReadError> {
        Ok(self.lock().query_row("SELECT COUNT(*) FROM comments WHERE thread = ?1", [thread], |r| r.get(0))?)
    }

    /// The earlier result of a post with this idempotency key, if any.
    pub fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError> {
        let conn = self.lock();
        let found = conn.query_row(
            "SELECT c.id, c.author, c.body, c.created_at, c.status, i.fingerprint
             FROM idempotency i JOIN comments c ON c.id = i.comment_id
             WHERE i.thread = ?1 AND i.key = ?2",
            params![thread, key],
            |row| Ok(Replay { comment: comment_from_row(row)?, fingerprint: row.get(5)? }),
        );
        Ok(found.optional()?)
    }

    /// Comments waiting for moderation, oldest first, with their threads.
    pub fn pending(&self) -> Result<Vec<(String, Comment)>, ReadError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, author, body, created_at, status, thread FROM comments WHERE status = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, String>(5)?, comment_from_row(row)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Publishes a pending comment; false if there is no such pending comment.
    pub fn approve(&self, id: i64) -> Result<bool, WriteError> {
        let changed = self
            .lock()
            .execute("UPDATE comments SET status = 'published' WHERE id = ?1 AND status = 'pending'", [id])?;
        Ok(changed == 1)
    }

    /// Deletes a comment (and the idempotency record that points at it); false if there
    /// is no such comment.
    pub fn delete(&self, id: i64) -> Result<bool, WriteError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM idempotency WHERE comment_id = ?1", [id])?;
        let changed = tx.execute("DELETE FROM comments WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(changed == 1)
    }

    /// Stores a comment, and its idempotency record in the same transaction.
    pub fn insert(
        &self,
        thread: &str,
        author: &str,
        body: &str,
        status: Status,
        now_ms: i64,
        idempotency: Option<(&str, &str)>,
    ) -> Result<Comment, WriteError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO comments (thread, author, body, created_at, status) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![thread, author, body, now_ms, status.as_str()],
        )?;
        let id = tx.last_insert_rowid();
        if let Some((key, fingerprint)) = idempotency {
            tx.execute(
                "INSERT INTO idempotency (thread, key, fingerprint, comment_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![thread, key, fingerprint, id, now_ms],
            )?;
        }
        tx.commit()?;
        Ok(Comment {
            id: id.to_string(),
            author: author.to_string(),
            body: body.to_string(),
            created_at: Some(now_ms),
            status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(name: &str) -> (Db, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("rc-db-{name}-{}.sqlite3", std::process::id()));
        let _ = std::fs::remove_file(&path);
        (Db::open(&path).expect("open"), path)
    }

    #[test]
    fn a_new_file_gets_the_latest_schema_and_reopening_keeps_the_data() {
        let (db, path) = temp_db("reopen");
        assert_eq!(db.schema_version().expect("version"), SCHEMA_VERSION);
        db.insert("t", "A", "Body", Status::Published, 1, None).expect("insert");
        drop(db);
        let again = Db::open(&path).expect("reopen");
        assert_eq!(again.count("t").expect("count"), 1);
    }

    #[test]
    fn a_file_from_a_newer_server_is_refused_in_the_operators_words() {
        let (db, path) = temp_db("newer");
        drop(db);
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("set version");
        drop(conn);
        let message = Db::open(&path).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("written by a newer version of reader-comments-server"), "{message}");
        assert!(message.contains(&format!("schema version {}", SCHEMA_VERSION + 1)), "{message}");
    }

    #[test]
    fn pages_follow_the_cursor_and_hide_pending_comments() {
        let (db, _) = temp_db("pages");
        for i in 0..5 {
            let status = if i == 2 { Status::Pending } else { Status::Published };
            db.insert("t", "A", &format!("c{i}"), status, i, None).expect("insert");
        }
        db.insert("other", "B", "elsewhere", Status::Published, 9, None).expect("insert");
        let (first, next) = db.list("t", 0, 2).expect("list");
        assert_eq!(first.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["c0", "c1"]);
        let after: i64 = next.expect("a next page").parse().expect("numeric cursor");
        let (rest, none) = db.list("t", after, 10).expect("list");
        assert_eq!(rest.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["c3", "c4"]);
        assert_eq!(none, None);
    }

    #[test]
    fn a_pending_comment_is_listed_then_approved_or_deleted() {
        let (db, _) = temp_db("moderate");
        let held = db.insert("t", "A", "held", Status::Pending, 1, Some(("k", "fp"))).expect("insert");
        let spam = db.insert("t", "B", "spam", Status::Pending, 2, None).expect("insert");
        assert_eq!(db.pending().expect("pending").len(), 2);
        assert!(db.approve(held.id.parse().expect("id")).expect("approve"));
        assert!(!db.approve(held.id.parse().expect("id")).expect("approve again"), "already published");
        assert_eq!(db.list("t", 0, 10).expect("list").0.len(), 1);
        assert!(db.delete(spam.id.parse().expect("id")).expect("delete"));
        assert!(db.pending().expect("pending").is_empty());
        assert!(db.delete(held.id.parse().expect("id")).expect("delete with its key"));
        assert!(!db.delete(999).expect("no such comment"));
    }

    #[test]
    fn an_idempotency_key_is_stored_with_its_comment_and_cannot_repeat() {
        let (db, _) = temp_db("idem");
        let c = db.insert("t", "A", "B", Status::Published, 1, Some(("k", "fp"))).expect("insert");
        let replay = db.replay("t", "k").expect("query").expect("stored");
        assert_eq!((replay.comment, replay.fingerprint.as_str()), (c, "fp"));
        assert!(db.insert("t", "A", "B", Status::Published, 2, Some(("k", "fp"))).is_err());
        assert_eq!(db.count("t").expect("count"), 1, "the failed insert rolled back");
    }
}
