//! The SQLite engine: WAL with `synchronous=FULL` (a comment acknowledged with 201 is on
//! disk), one writer connection and a small pool of readers (in WAL a read never waits
//! for a writer, so a held write lock stalls no reader), foreign keys on.
//!
//! A write the file cannot take for now (a read-only or missing file, a full disk,
//! another process holding the write lock) is [`Fault::Unavailable`]: the server answers
//! 503 with `Retry-After`, the fault is logged once when it begins and once when it
//! clears, and the writer reconnects on its own. A write is refused once the path names
//! another file than the one opened (or none): it would not be the database.

use super::error::{Fault, OpenError};
use super::schema::{MIGRATIONS, SCHEMA_VERSION};
use super::sql::{Conn, Dialect, Engine, Param, RowRef};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

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

fn refused(e: rusqlite::Error) -> OpenError {
    OpenError::Refused(e.to_string())
}

/// A poisoned lock's data is still sound: SQLite rolls back what a panic interrupted.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What made a statement fail, sorted: what waiting will fix (in the operator's words),
/// a duplicate idempotency key, or anything else.
fn fault(e: rusqlite::Error) -> Fault {
    let cause = match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => Some(("the database file is read-only", true)),
        Some(ErrorCode::DiskFull) => Some(("the disk is full", false)),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Some(("another process holds the database's write lock", false))
        }
        Some(ErrorCode::CannotOpen) => Some(("the database file cannot be opened", true)),
        Some(ErrorCode::SystemIoFailure) => Some(("the disk reported an input/output error", false)),
        _ => None,
    };
    match cause {
        Some((cause, reconnect)) => Fault::Unavailable { cause: cause.to_string(), reconnect },
        // Another process on the same file stored a post with this key meanwhile.
        None if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
            && e.to_string().contains("idempotency") =>
        {
            Fault::Duplicate
        }
        None => Fault::Failed(e.to_string()),
    }
}

/// A list is bound as a JSON array, which the statement reads with `json_each`.
impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let list = |json: serde_json::Result<String>| {
            json.map(|text| ToSqlOutput::Owned(rusqlite::types::Value::Text(text)))
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
        };
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(n) => ValueRef::Integer(n),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
            Param::Ints(ids) => return list(serde_json::to_string(ids)),
            Param::Texts(texts) => return list(serde_json::to_string(texts)),
        }))
    }
}

/// A row of SQLite's, read in place.
impl RowRef for rusqlite::Row<'_> {
    fn opt_int(&self, at: usize) -> Result<Option<i64>, Fault> {
        match self.get_ref(at).map_err(fault)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n)),
            _ => Err(Fault::column(at, "an integer")),
        }
    }

    fn opt_text(&self, at: usize) -> Result<Option<String>, Fault> {
        match self.get_ref(at).map_err(fault)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(String::from_utf8_lossy(t).into_owned())),
            _ => Err(Fault::column(at, "text")),
        }
    }

    fn opt_blob(&self, at: usize) -> Result<Option<Vec<u8>>, Fault> {
        match self.get_ref(at).map_err(fault)? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Ok(Some(b.to_vec())),
            _ => Err(Fault::column(at, "a blob")),
        }
    }
}

/// A connection (a reader, or the writer inside its transaction) as the store's [`Conn`].
struct Sqlite<'c>(&'c Connection);

impl Conn for Sqlite<'_> {
    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        let mut stmt = self.0.prepare_cached(&Dialect::Sqlite.render(sql)).map_err(fault)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params)).map_err(fault)?;
        while let Some(row) = rows.next().map_err(fault)? {
            each(row)?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, Fault> {
        let mut stmt = self.0.prepare_cached(&Dialect::Sqlite.render(sql)).map_err(fault)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params)).map_err(fault)? as u64)
    }
}

/// The SQLite file's connections.
pub struct SqliteEngine {
    path: PathBuf,
    /// The file opened at start; a write is refused once the path names another file.
    file: Option<(u64, u64)>,
    /// The writer; `None` after a fault that needs a new connection (a read-only file).
    writer: Mutex<Option<Connection>>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// The storage fault in force, if any: logged when it begins and when it clears.
    fault: Mutex<Option<String>>,
}

impl SqliteEngine {
    /// Opens (or creates) the file, checks it, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteEngine, OpenError> {
        let mut writer = connect(path).map_err(refused)?;
        if let Some(report) = damage(&writer).map_err(refused)? {
            return Err(OpenError::Damaged(report));
        }
        writer.pragma_update(None, "journal_mode", "WAL").map_err(refused)?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let conn = connect(path)?;
                conn.pragma_update(None, "query_only", true)?;
                Ok(Mutex::new(conn))
            })
            .collect::<rusqlite::Result<_>>()
            .map_err(refused)?;
        Ok(SqliteEngine {
            path: path.to_path_buf(),
            file: identity(path),
            writer: Mutex::new(Some(writer)),
            readers,
            next_reader: AtomicUsize::new(0),
            fault: Mutex::new(None),
        })
    }

    /// Refuses writes once the path no longer names the file opened at start.
    fn check_file(&self) -> Result<(), Fault> {
        match identity(&self.path) {
            now if now == self.file => Ok(()),
            None => Err(self.faulted("the database file (or its directory) was removed")),
            Some(_) => Err(self.faulted("the database file was replaced by another file")),
        }
    }

    fn faulted(&self, cause: &str) -> Fault {
        let mut fault = lock(&self.fault);
        if fault.as_deref() != Some(cause) {
            tracing::error!(
                file = %self.path.display(),
                "storage fault: {cause}; posts are answered 503 until it clears (docs/server.md, \"Operating it\")"
            );
            *fault = Some(cause.to_string());
        }
        Fault::Unavailable { cause: cause.to_string(), reconnect: false }
    }

    fn cleared(&self) {
        let mut fault = lock(&self.fault);
        if let Some(cause) = fault.take() {
            tracing::warn!(file = %self.path.display(), "storage fault cleared ({cause}); writes work again");
        }
    }
}

impl Engine for SqliteEngine {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    /// Runs a read on a free reader (or waits for the next in turn).
    fn read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let free = (0..READERS).find_map(|i| self.readers[(start + i) % READERS].try_lock().ok());
        let conn = free.unwrap_or_else(|| lock(&self.readers[start % READERS]));
        work(&mut Sqlite(&conn))
    }

    /// Runs a write (in a transaction when `whole`), unless the file is gone or replaced;
    /// logs faults when they begin and clear.
    fn write(&self, whole: bool, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        self.check_file()?;
        let mut writer = lock(&self.writer);
        if writer.is_none() {
            *writer = Some(connect(&self.path).map_err(|e| self.note(fault(e)))?);
        }
        let Some(conn) = writer.as_mut() else {
            return Err(Fault::Unavailable { cause: "no connection".into(), reconnect: true });
        };
        // IMMEDIATE: the write lock is taken at the start, waiting (the busy timeout) for
        // another process's write to end; a deferred transaction that read first could
        // not take it after another commit, and would fail at once.
        let done = if whole {
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(fault).and_then(|tx| {
                work(&mut Sqlite(&tx))?;
                tx.commit().map_err(fault)
            })
        } else {
            work(&mut Sqlite(conn))
        };
        match done {
            Ok(()) => {
                drop(writer);
                // Committed into a file that is no longer the database: not acknowledged.
                self.check_file()?;
                self.cleared();
                Ok(())
            }
            Err(e) => {
                if matches!(e, Fault::Unavailable { reconnect: true, .. }) {
                    *writer = None;
                }
                Err(self.note(e))
            }
        }
    }

    fn schema_version(&self) -> Result<usize, Fault> {
        let mut version = 0;
        self.read(&mut |conn| {
            version = conn.number("PRAGMA user_version", &[])?.max(0) as usize;
            Ok(())
        })?;
        Ok(version)
    }

    /// Copies the whole file to `dest` (which must not exist) with SQLite's online
    /// backup, a few pages at a time so that posting goes on meanwhile; checks the copy
    /// and returns how many comments it holds.
    fn backup_to(&self, dest: &Path) -> Result<usize, String> {
        if dest.exists() {
            return Err(format!("{} exists; a backup never overwrites a file", dest.display()));
        }
        let source = connect(&self.path).map_err(|e| e.to_string())?;
        let mut copy = Connection::open(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut copy).map_err(|e| e.to_string())?;
            backup.run_to_completion(256, Duration::from_millis(5), None).map_err(|e| e.to_string())?;
        }
        if let Some(damage) = damage(&copy).map_err(|e| e.to_string())? {
            return Err(format!("the copy does not check out: {damage}"));
        }
        copy.query_row("SELECT COUNT(*) FROM comments", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| e.to_string())
    }
}

impl SqliteEngine {
    /// Logs a fault that waiting will fix when it begins; passes every fault on.
    fn note(&self, e: Fault) -> Fault {
        match e {
            Fault::Unavailable { cause, reconnect } => {
                self.faulted(&cause);
                Fault::Unavailable { cause, reconnect }
            }
            other => other,
        }
    }
}

/// Brings the schema of `conn` up to date, a transaction per migration.
fn migrate(conn: &mut Connection) -> Result<(), OpenError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(refused)?;
    if version > SCHEMA_VERSION {
        return Err(OpenError::NewerSchema { found: version, understood: SCHEMA_VERSION });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction().map_err(refused)?;
        tx.execute_batch(&migration.text(Dialect::Sqlite)).map_err(refused)?;
        tx.pragma_update(None, "user_version", index + 1).map_err(refused)?;
        tx.commit().map_err(refused)?;
    }
    Ok(())
}

/// SQLite's own check of the file's pages and indexes (`PRAGMA quick_check`): `None`
/// when sound, else the first problems it lists.
fn damage(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok((lines != ["ok"]).then(|| lines.join("; ")))
}
