//! What can go wrong with the store, in the words the operator and the reader need:
//! [`Fault`] is what an engine reports for one statement; [`ReadError`] and
//! [`WriteError`] are what the store's callers get; [`OpenError`] and [`ImportError`]
//! say why a store could not be opened or an import was refused.

/// A statement's failure as an engine sorts it.
#[derive(Clone, Debug)]
pub enum Fault {
    /// The store cannot be reached or written for now (a read-only or missing file, a
    /// full disk, a lock held elsewhere, PostgreSQL down): 503, try again. `reconnect`:
    /// the connection itself is spent and must be made again.
    Unavailable { cause: String, reconnect: bool },
    /// A post with the same idempotency key was stored meanwhile (by another instance).
    Duplicate,
    /// Any other refusal (the engine's own words).
    Failed(String),
}

impl Fault {
    /// A value of an unexpected type in a row: the schema and the code disagree.
    pub fn column(at: usize, wanted: &str) -> Fault {
        Fault::Failed(format!("column {at} is not {wanted}"))
    }
}

/// A failed read: the comments could not be loaded (the store's own error, as text).
#[derive(Debug)]
pub struct ReadError {
    /// What went wrong.
    pub cause: String,
    /// The store cannot be reached for now: the answer is 503, try again.
    pub unavailable: bool,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading the database failed: {}", self.cause)
    }
}

impl From<Fault> for ReadError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Unavailable { cause, .. } => ReadError { cause, unavailable: true },
            Fault::Failed(cause) => ReadError { cause, unavailable: false },
            Fault::Duplicate => ReadError { cause: "a duplicate idempotency key".into(), unavailable: false },
        }
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

impl From<Fault> for WriteError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Unavailable { cause, .. } => WriteError::Unavailable(cause),
            Fault::Duplicate => WriteError::Duplicate,
            Fault::Failed(e) => WriteError::Failed(e),
        }
    }
}

/// Why the store could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The engine refused: SQLite (not a database, no permission, …) or PostgreSQL (not
    /// reached, refused); its words, naming it.
    Refused(String),
    /// The store was written by a newer server: this one would not understand it.
    NewerSchema {
        /// The store's schema version.
        found: usize,
        /// The newest this build understands.
        understood: usize,
    },
    /// SQLite's check found damaged pages or indexes.
    Damaged(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Refused(e) => write!(f, "{e}"),
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

/// Why an import was refused (nothing was written).
#[derive(Debug)]
pub enum ImportError {
    /// A reply whose parent is not before it in the input.
    Orphan { id: String, parent: String },
    /// The store failed: `written` comments were stored before it, in the
    /// batches that committed.
    Stopped { written: usize, cause: WriteError },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Orphan { id, parent } => {
                write!(f, "comment {id} answers {parent}, which is not before it in the input")
            }
            ImportError::Stopped { written: 0, cause } => write!(f, "{cause}"),
            ImportError::Stopped { written, cause } => write!(
                f,
                "{cause}; {written} comments were written before it, and importing the same file again adds only the rest"
            ),
        }
    }
}
