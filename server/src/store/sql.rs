//! The one connection interface that both engines give the store's operations, so that
//! each operation is written once: a statement is one SQL text with numbered
//! placeholders (`?1`, `?2`, …), its parameters are [`Param`]s and its rows come back as
//! [`Row`]s of plain values.
//!
//! What differs between SQLite and PostgreSQL in a statement is rendered here and only
//! here ([`Dialect::render`]): PostgreSQL spells the placeholders `$1`; row locks,
//! which SQLite's single writer does not need, are written as the comments `/*lock*/`
//! (`FOR UPDATE`) and `/*lock-skip*/` (`FOR UPDATE SKIP LOCKED`); a list is one
//! parameter, `x = ANY(?2)` (a PostgreSQL array), which SQLite reads as
//! `x IN (SELECT value FROM json_each(?2))` (a JSON array). Everything else is SQL both
//! engines take alike (`ON CONFLICT`, `RETURNING`, `IS NOT DISTINCT FROM`, window
//! functions); docs/server.md says why this and not a query builder.

use super::error::Fault;
use super::watch::Watch;
use std::borrow::Cow;
use std::sync::Arc;

/// A statement's parameter, borrowed from the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
    /// A list of integers, for `= ANY(?N)`.
    Ints(&'a [i64]),
    /// A list of texts, for `= ANY(?N)`.
    Texts(&'a [String]),
}

impl<'a> From<&'a [i64]> for Param<'a> {
    fn from(list: &'a [i64]) -> Self {
        Param::Ints(list)
    }
}

impl<'a> From<&'a [String]> for Param<'a> {
    fn from(list: &'a [String]) -> Self {
        Param::Texts(list)
    }
}

impl From<i64> for Param<'_> {
    fn from(n: i64) -> Self {
        Param::Int(n)
    }
}

impl From<bool> for Param<'_> {
    fn from(b: bool) -> Self {
        Param::Int(i64::from(b))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(b: &'a [u8]) -> Self {
        Param::Blob(b)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Param::Null, Into::into)
    }
}

/// A statement's parameters, each converted with `Into<Param>`.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::store::sql::Param::from($p)),*][..]
    };
}
pub(crate) use params;

/// One row of a result as its engine hands it over, its columns read in place (a text
/// is copied once, into the value it becomes).
pub trait RowRef {
    /// An integer column that may be NULL (a boolean reads as 0 or 1).
    fn opt_int(&self, at: usize) -> Result<Option<i64>, Fault>;
    /// A text column that may be NULL.
    fn opt_text(&self, at: usize) -> Result<Option<String>, Fault>;
    /// A blob column that may be NULL.
    fn opt_blob(&self, at: usize) -> Result<Option<Vec<u8>>, Fault>;

    /// An integer column.
    fn int(&self, at: usize) -> Result<i64, Fault> {
        self.opt_int(at)?.ok_or_else(|| Fault::column(at, "an integer"))
    }

    /// A truth value (an integer in SQLite, a boolean in PostgreSQL).
    fn flag(&self, at: usize) -> Result<bool, Fault> {
        Ok(self.int(at)? != 0)
    }

    /// A text column.
    fn text(&self, at: usize) -> Result<String, Fault> {
        self.opt_text(at)?.ok_or_else(|| Fault::column(at, "text"))
    }

    /// A blob column.
    fn blob(&self, at: usize) -> Result<Vec<u8>, Fault> {
        self.opt_blob(at)?.ok_or_else(|| Fault::column(at, "a blob"))
    }
}

/// A connection: for reading, or inside a write's transaction.
pub trait Conn {
    /// Runs a statement and hands each of its rows to `each`, in order.
    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> Result<(), Fault>,
    ) -> Result<(), Fault>;
    /// Runs a statement and returns how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, Fault>;
}

impl dyn Conn + '_ {
    /// Every row of a statement, each made into a value by `map`.
    pub fn rows<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        mut map: impl FnMut(&dyn RowRef) -> Result<T, Fault>,
    ) -> Result<Vec<T>, Fault> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |row| {
            out.push(map(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a statement, if any, made into a value by `map`.
    pub fn first<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnOnce(&dyn RowRef) -> Result<T, Fault>,
    ) -> Result<Option<T>, Fault> {
        let (mut map, mut out) = (Some(map), None);
        self.each(sql, params, &mut |row| {
            if let Some(map) = map.take() {
                out = Some(map(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The integer in the first column of the first row (a count); 0 when no row.
    pub fn number(&mut self, sql: &str, params: &[Param<'_>]) -> Result<i64, Fault> {
        Ok(self.first(sql, params, |row| row.int(0))?.unwrap_or(0))
    }

    /// Whether a statement returns any row.
    pub fn exists(&mut self, sql: &str, params: &[Param<'_>]) -> Result<bool, Fault> {
        Ok(self.first(sql, params, |_| Ok(()))?.is_some())
    }
}

/// What [`Engine::change_mark`] reads.
pub type ChangeMark = [u8; 48];

/// The rows [`Engine::pairs_soon`] will give.
pub type PairsSoon = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<(String, i64)>, Fault>> + Send>>;

/// A wait for every instance to have heard this process's writes ([`Engine::settle_soon`]).
pub type Settling = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// An engine: how the store reaches SQLite or PostgreSQL. The store's operations run on
/// the connection it lends (store/handle.rs), written once for both.
pub trait Engine: Send + Sync {
    /// The SQL it speaks.
    fn dialect(&self) -> Dialect;
    /// Runs `work` on a connection for reading.
    fn read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault>;
    /// Runs `work` on the connection that writes: in one transaction, committed when it
    /// succeeds and rolled back when not (`whole`), or each statement on its own (a
    /// single statement: one round trip fewer on PostgreSQL).
    fn write(&self, whole: bool, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault>;
    /// Runs `work`, a read of a row or two, at once on the calling thread when the
    /// engine can do that without waiting for the network or for another read (SQLite:
    /// a connection kept for such reads, which in WAL never waits for a writer), so that
    /// async code may call it; `None`: it cannot (PostgreSQL).
    fn quick_read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Option<Result<(), Fault>> {
        let _ = work;
        None
    }
    /// A mark that changes whenever anything is committed to the store, by any
    /// connection of any process, read without a lock or a statement (SQLite: the WAL
    /// index's header); `None` when there is none to read now (PostgreSQL; SQLite while
    /// a commit is writing it). Equal marks: nothing was committed in between.
    fn change_mark(&self) -> Option<ChangeMark> {
        None
    }
    /// Runs a read whose one parameter is a list of texts and whose rows are a text and
    /// an integer, without blocking the caller: a future to await (PostgreSQL: on the
    /// engine's own runtime, so no thread waits for the round trip); `None`: the engine
    /// has no such way (SQLite, whose reads are done in microseconds anyway).
    fn pairs_soon(&self, sql: &str, texts: Vec<String>) -> Option<PairsSoon> {
        let _ = (sql, texts);
        None
    }
    /// Starts hearing the store's announcements (PostgreSQL, store/watch.rs): `serve`,
    /// as an instance that keeps pages (it holds a lease and answers pings); else only
    /// to hear the answers to this process's own pings. Nothing on SQLite.
    fn watch(&self, serve: bool) -> Option<Arc<Watch>> {
        let _ = serve;
        None
    }
    /// Waits until every instance that keeps pages has heard what this process wrote
    /// so far ([`Engine::watch`]); `None`: nothing to wait for (SQLite).
    fn settle_soon(&self) -> Option<Settling> {
        None
    }
    /// [`Engine::settle_soon`], waited for on the calling thread (not in async code).
    fn settle(&self) {}
    /// How many writes this process has made (it moves after each).
    fn writes(&self) -> u64 {
        0
    }
    /// The schema version the store is at.
    fn schema_version(&self) -> Result<usize, Fault>;
    /// Copies the whole store to the file `dest` (SQLite's online backup); how many
    /// comments the copy holds.
    fn backup_to(&self, dest: &std::path::Path) -> Result<usize, String>;
}

/// The SQL an engine speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// A statement as this engine reads it: SQLite as written; PostgreSQL with `$N`
    /// placeholders and the row locks spelt out (nothing inside quotes is touched).
    pub fn render(self, sql: &str) -> Cow<'_, str> {
        match self {
            Dialect::Sqlite if !sql.contains("= ANY(") => Cow::Borrowed(sql),
            Dialect::Sqlite => {
                let mut out = String::with_capacity(sql.len() + 64);
                let mut rest = sql;
                while let Some(at) = rest.find("= ANY(") {
                    let (before, after) = rest.split_at(at);
                    let param_end = after.find(')').unwrap_or(after.len());
                    out.push_str(before);
                    out.push_str("IN (SELECT value FROM json_each(");
                    out.push_str(&after["= ANY(".len()..param_end]);
                    out.push_str("))");
                    rest = after.get(param_end + 1..).unwrap_or("");
                }
                out.push_str(rest);
                Cow::Owned(out)
            }
            Dialect::Postgres => {
                let sql = sql.replace("/*lock-skip*/", "FOR UPDATE SKIP LOCKED").replace("/*lock*/", "FOR UPDATE");
                let mut out = String::with_capacity(sql.len());
                let mut quoted = false;
                for ch in sql.chars() {
                    if ch == '\'' {
                        quoted = !quoted;
                    }
                    out.push(if ch == '?' && !quoted { '$' } else { ch });
                }
                Cow::Owned(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_reads_numbered_placeholders_and_row_locks_spelt_out_and_sqlite_the_text_as_written() {
        let sql = "SELECT 1 FROM t WHERE a = ?1 AND b = '?2' AND c = ?12 /*lock*/";
        assert_eq!(Dialect::Sqlite.render(sql), sql);
        assert_eq!(Dialect::Postgres.render(sql), "SELECT 1 FROM t WHERE a = $1 AND b = '?2' AND c = $12 FOR UPDATE");
        assert_eq!(Dialect::Postgres.render("x /*lock-skip*/"), "x FOR UPDATE SKIP LOCKED");
    }

    #[test]
    fn a_list_is_an_array_for_postgresql_and_a_json_array_for_sqlite() {
        let sql = "SELECT 1 FROM t WHERE a = ANY(?2) AND b = ?1 AND c = ANY(?3)";
        assert_eq!(
            Dialect::Sqlite.render(sql),
            "SELECT 1 FROM t WHERE a IN (SELECT value FROM json_each(?2)) AND b = ?1 AND c IN (SELECT value FROM json_each(?3))"
        );
        assert_eq!(Dialect::Postgres.render(sql), "SELECT 1 FROM t WHERE a = ANY($2) AND b = $1 AND c = ANY($3)");
    }
}
