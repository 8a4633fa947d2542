//! The SQLite engine: WAL with `synchronous=FULL` (a comment acknowledged with 201 is on
//! disk), one writer connection and a small pool of readers (in WAL a read never waits
//! for a writer, so a held write lock stalls no reader), foreign keys on.
//!
//! Writes commit in groups: a write that finds others waiting for the writer leaves its
//! transaction open for them (each write in a savepoint of its own, so one that fails
//! takes only its own changes back) and waits; the last of the group commits, once, and
//! every write of the group learns the outcome of that commit before it returns. So no
//! write is acknowledged before it is on disk, and under load one commit (one `fsync`,
//! one copy of each page touched) serves many writes. A group is at most
//! [`GROUP_MOST`] writes and [`GROUP_LONGEST`] long.
//!
//! A write the file cannot take for now (a read-only or missing file, a full disk,
//! another process holding the write lock) is [`Fault::Unavailable`]: the server answers
//! 503 with `Retry-After`, the fault is logged once when it begins and once when it
//! clears, and the writer reconnects on its own. A write is refused once the path names
//! another file than the one opened (or none): it would not be the database.

use super::error::{Fault, OpenError};
use super::lock::lock;
use super::schema::{MIGRATIONS, SCHEMA_VERSION};
use super::sql::{ChangeMark, Conn, Dialect, Engine, Param, RowRef};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// The most writes one commit takes.
const GROUP_MOST: usize = 64;
/// The longest a commit waits for more writes to join it.
const GROUP_LONGEST: Duration = Duration::from_millis(20);
/// How long a write whose group another write commits waits for that commit, at most
/// (only a panic in the committing write could make it wait at all that long).
const GROUP_WAIT: Duration = Duration::from_secs(30);

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
/// The connection that writes, and the group of writes its open transaction holds.
struct Writer {
    /// `None` after a fault that needs a new connection (a read-only file).
    conn: Option<Connection>,
    group: Option<Group>,
    /// The number the next group gets.
    next: u64,
}

/// Writes done in the open transaction, not yet committed.
struct Group {
    number: u64,
    /// How many writes succeeded in it (each waits for the commit but the last).
    joined: usize,
    began: Instant,
}

/// A group's commit, for the writes that wait for it: its outcome and how many have
/// still to read it.
struct Outcome {
    result: Result<(), Fault>,
    unread: usize,
}

pub struct SqliteEngine {
    path: PathBuf,
    /// The file opened at start; a write is refused once the path names another file.
    file: Option<(u64, u64)>,
    /// The writer and the group it has open.
    writer: Mutex<Writer>,
    /// Writes waiting for the writer (a group stays open for them).
    waiting: AtomicUsize,
    /// The outcome of each group's commit, until every write of it has read it.
    outcomes: Mutex<HashMap<u64, Outcome>>,
    committed: Condvar,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// The reader kept for [`Engine::quick_read`]: never held for more than a row or two.
    quick: Mutex<Connection>,
    /// The WAL index (`-shm`), opened once it exists, for [`Engine::change_mark`].
    wal_index: std::sync::OnceLock<std::fs::File>,
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
        let reader = || {
            let conn = connect(path)?;
            conn.pragma_update(None, "query_only", true)?;
            Ok(Mutex::new(conn))
        };
        let readers = (0..READERS).map(|_| reader()).collect::<rusqlite::Result<_>>().map_err(refused)?;
        let quick = reader().map_err(refused)?;
        Ok(SqliteEngine {
            path: path.to_path_buf(),
            file: identity(path),
            writer: Mutex::new(Writer { conn: Some(writer), group: None, next: 0 }),
            waiting: AtomicUsize::new(0),
            outcomes: Mutex::default(),
            committed: Condvar::new(),
            readers,
            next_reader: AtomicUsize::new(0),
            quick,
            wal_index: std::sync::OnceLock::new(),
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

    /// The WAL index's header (SQLite's file format, "walformat": two copies of a
    /// 48-byte header at the start of the `-shm` file; a commit writes the second copy,
    /// then the first, and its `iChange` counts transactions). Read with one `pread`, as
    /// SQLite's own readers read it without a lock: two equal copies with `isInit` set are
    /// the header of the last commit; unequal ones, a commit under way (no mark).
    fn change_mark(&self) -> Option<ChangeMark> {
        use std::os::unix::fs::FileExt;
        let file = match self.wal_index.get() {
            Some(file) => file,
            None => {
                let mut shm = self.path.clone().into_os_string();
                shm.push("-shm");
                let _ = self.wal_index.set(std::fs::File::open(shm).ok()?);
                self.wal_index.get()?
            }
        };
        let mut both = [0u8; 96];
        file.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(48);
        // isInit is the header's 13th byte.
        (first == second && first[12] != 0).then(|| first.try_into().ok()).flatten()
    }

    fn quick_read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Option<Result<(), Fault>> {
        Some(work(&mut Sqlite(&lock(&self.quick))))
    }

    /// Runs a read on a free reader (or waits for the next in turn).
    fn read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let free = (0..READERS).find_map(|i| self.readers[(start + i) % READERS].try_lock().ok());
        let conn = free.unwrap_or_else(|| lock(&self.readers[start % READERS]));
        work(&mut Sqlite(&conn))
    }

    /// Runs a write in a savepoint of the group's transaction (module documentation),
    /// unless the file is gone or replaced; logs faults when they begin and clear. Every
    /// write is whole on SQLite (`whole` spares PostgreSQL round trips).
    fn write(&self, _whole: bool, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        self.check_file()?;
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut guard = lock(&self.writer);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let writer = &mut *guard;
        if writer.conn.is_none() {
            writer.conn = Some(connect(&self.path).map_err(|e| self.note(fault(e)))?);
        }
        let Some(conn) = writer.conn.as_mut() else {
            return Err(Fault::Unavailable { cause: "no connection".into(), reconnect: true });
        };
        let group = match writer.group.as_mut() {
            Some(group) => group,
            None => {
                // IMMEDIATE: the write lock is taken at the start, waiting (the busy
                // timeout) for another process's write to end; a deferred transaction
                // that read first could not take it after another commit.
                if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
                    return Err(self.spent(writer, fault(e)));
                }
                writer.next += 1;
                writer.group.insert(Group { number: writer.next, joined: 0, began: Instant::now() })
            }
        };
        let number = group.number;
        let mine = conn.execute_batch("SAVEPOINT write").map_err(fault).and_then(|()| {
            let done = work(&mut Sqlite(conn));
            let end = if done.is_ok() { "RELEASE write" } else { "ROLLBACK TO write; RELEASE write" };
            match (done, conn.execute_batch(end).map_err(fault)) {
                (Err(e), _) | (Ok(()), Err(e)) => Err(e),
                (Ok(()), Ok(())) => Ok(()),
            }
        });
        if mine.is_err() && conn.is_autocommit() {
            // SQLite rolled the whole transaction back (a full disk, say): the group's
            // earlier writes are gone too.
            let earlier = writer.group.take().map_or(0, |g| g.joined);
            self.publish(number, Err(Fault::Failed("the group's transaction was rolled back".into())), earlier);
            let e = mine.err().unwrap_or(Fault::Failed("rolled back".into()));
            return Err(self.spent(writer, e));
        }
        let group = writer.group.as_mut().filter(|g| g.number == number);
        let Some(group) = group else { return mine };
        if mine.is_ok() {
            group.joined += 1;
        }
        let more = self.waiting.load(Ordering::SeqCst) > 0
            && group.joined < GROUP_MOST
            && group.began.elapsed() < GROUP_LONGEST;
        if more {
            if mine.is_err() {
                // Nothing of it to commit: the next write carries the group on.
                return mine.map_err(|e| self.note(e));
            }
            // The next write takes the writer, and the group with it.
            drop(guard);
            return self.outcome_of(number);
        }
        let waiting = group.joined - usize::from(mine.is_ok());
        writer.group = None;
        let committed = conn.execute_batch("COMMIT").map_err(fault);
        if committed.is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        // Committed into a file that is no longer the database: not acknowledged.
        let result = committed.and_then(|()| self.check_file());
        self.publish(number, result.clone(), waiting);
        match (mine, result) {
            (Err(e), _) | (Ok(()), Err(e)) => Err(self.spent(writer, e)),
            (Ok(()), Ok(())) => {
                self.cleared();
                Ok(())
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
    /// Hands the outcome of group `number`'s commit to the `unread` writes that wait
    /// for it.
    fn publish(&self, number: u64, result: Result<(), Fault>, unread: usize) {
        if unread == 0 {
            return;
        }
        lock(&self.outcomes).insert(number, Outcome { result, unread });
        self.committed.notify_all();
    }

    /// Waits for the commit of group `number`, which another write makes.
    fn outcome_of(&self, number: u64) -> Result<(), Fault> {
        let deadline = Instant::now() + GROUP_WAIT;
        let mut outcomes = lock(&self.outcomes);
        loop {
            if let Some(outcome) = outcomes.get_mut(&number) {
                let result = outcome.result.clone();
                outcome.unread = outcome.unread.saturating_sub(1);
                if outcome.unread == 0 {
                    outcomes.remove(&number);
                }
                return result.map_err(|e| self.note(e));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.note(Fault::Unavailable {
                    cause: "a write's commit did not come in time".into(),
                    reconnect: false,
                }));
            }
            outcomes = self.committed.wait_timeout(outcomes, left).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
    }

    /// A write's fault, logged; the connection is dropped when it is spent.
    fn spent(&self, writer: &mut Writer, e: Fault) -> Fault {
        if matches!(e, Fault::Unavailable { reconnect: true, .. }) {
            writer.conn = None;
            writer.group = None;
        }
        self.note(e)
    }

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
/// when sound, else the first problems it lists, or the error it stopped at when the
/// damage is where the check itself must read (the schema's pages).
fn damage(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let check = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
        let lines = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(lines)
    };
    match check() {
        Ok(lines) => Ok((lines != ["ok"]).then(|| lines.join("; "))),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => Ok(Some(e.to_string())),
        Err(e) => Err(e),
    }
}
