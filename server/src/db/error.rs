//! What can go wrong with the store, in the words the operator and the reader need.

use rusqlite::ErrorCode;

/// A failed read: the comments could not be loaded (the store's own error, as text, and
/// whether the store cannot be reached for now: then the answer is 503, try again).
#[derive(Debug)]
pub struct ReadError(pub String, pub bool);

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError(e.to_string(), false)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading the database failed: {}", self.0)
    }
}

/// A failed write: the comment (or a moderator's change) was not stored.
#[derive(Debug)]
pub enum WriteError {
    /// The store cannot take writes for now; the cause, in the operator's words.
    Unavailable(String),
    /// Another post with the same idempotency key was stored at the same moment (by
    /// another server instance): the client retries and gets its replay.
    Duplicate,
    /// The store refused the write for another reason (its own error, as text).
    Failed(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Unavailable(cause) => write!(f, "the database cannot take writes: {cause}"),
            WriteError::Duplicate => write!(f, "a post with the same idempotency key was stored meanwhile"),
            WriteError::Failed(e) => write!(f, "writing to the database failed: {e}"),
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// SQLite refused the file (not a database, no permission, …).
    Sqlite(rusqlite::Error),
    /// PostgreSQL could not be reached or refused (the driver's words).
    Postgres(String),
    /// The file was written by a newer server: this one would not understand it.
    NewerSchema {
        /// The store's schema version.
        found: usize,
        /// The newest this build understands.
        understood: usize,
    },
    /// SQLite's check found damaged pages or indexes.
    Damaged(String),
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
            OpenError::Postgres(e) => write!(f, "PostgreSQL: {e}"),
            OpenError::NewerSchema { found, understood } => write!(
                f,
                "the database was written by a newer version of reader-comments-server (schema version {found}; \
                 this one understands up to {understood}); run the newer server, or restore a backup"
            ),
            OpenError::Damaged(report) => write!(
                f,
                "the database file is damaged (SQLite's quick_check: {report}); the server will not serve or \
                 write to it. Stop, keep a copy, and recover it as docs/server.md says (\"A damaged database\")"
            ),
        }
    }
}

/// What made a write impossible for now, in the operator's words; `None` for an error
/// that waiting will not fix.
pub(super) fn unavailable(e: &rusqlite::Error) -> Option<&'static str> {
    Some(match e.sqlite_error_code()? {
        ErrorCode::ReadOnly => "the database file is read-only",
        ErrorCode::DiskFull => "the disk is full",
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "another process holds the database's write lock",
        ErrorCode::CannotOpen => "the database file cannot be opened",
        ErrorCode::SystemIoFailure => "the disk reported an input/output error",
        _ => return None,
    })
}
