//! The store itself: one engine (SQLite or PostgreSQL, chosen by `--db`) and the secret
//! that keys readers' hashes. Every operation is a method written once over the
//! engine's connection, in the files beside this one, by concern. Both engines keep the
//! same guarantees: a 201 is committed, an idempotency key stores one comment, a reader
//! key recommends and reports once, only hashes of reader keys and edit tokens are kept,
//! and what belongs to a comment goes with it (the schema's foreign keys).

use super::error::{Fault, OpenError, ReadError, WriteError};
use super::postgres::PostgresEngine;
use super::sql::{params, Conn, Dialect, Engine, Param, Settling};
use super::sqlite::SqliteEngine;
use super::watch::Watch;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// The store.
pub struct Store {
    engine: Box<dyn Engine>,
    /// The secret that keys the hashes of reader keys (made once, kept in the store).
    secret: Vec<u8>,
}

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(db: &Path) -> bool {
    db.to_str().is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
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

const SECRET: &str = "SELECT value FROM secrets WHERE name = 'reader_key'";

impl Store {
    /// Opens the store `--db` names (a SQLite file, created if missing, or a PostgreSQL
    /// URL), bringing its schema up to date and making its secret the first time.
    pub fn open(db: &Path) -> Result<Store, OpenError> {
        let engine: Box<dyn Engine> = match db.to_str().filter(|_| is_postgres(db)) {
            Some(url) => Box::new(PostgresEngine::open(url)?),
            None => Box::new(SqliteEngine::open(db)?),
        };
        let mut store = Store { engine, secret: Vec::new() };
        let refused = |e: String| OpenError::Refused(e);
        let found = store.read(|c| c.first(SECRET, &[], |r| r.blob(0)));
        store.secret = match found.map_err(|e| refused(e.cause))? {
            Some(secret) => secret,
            None => {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).map_err(|e| refused(format!("no randomness: {e}")))?;
                store
                    .write(|c| {
                        let insert = "INSERT INTO secrets (name, value) VALUES ('reader_key', ?1)
                                      ON CONFLICT (name) DO NOTHING";
                        c.execute(insert, params![&fresh[..]])?;
                        // Another instance's, if it made one first.
                        c.first(SECRET, &[], |r| r.blob(0))
                    })
                    .map_err(|e| refused(e.to_string()))?
                    .ok_or_else(|| refused("the store's secret could not be made".into()))?
            }
        };
        Ok(store)
    }

    /// The engine itself.
    pub(super) fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// The SQL the store's engine speaks.
    pub fn dialect(&self) -> Dialect {
        self.engine.dialect()
    }

    /// Runs a read on a connection of the engine.
    pub(super) fn read<T>(&self, work: impl FnOnce(&mut dyn Conn) -> Result<T, Fault>) -> Result<T, ReadError> {
        let (mut work, mut out) = (Some(work), None);
        self.engine.read(&mut |conn| {
            if let Some(work) = work.take() {
                out = Some(work(conn)?);
            }
            Ok(())
        })?;
        out.ok_or_else(|| ReadError { cause: "the read did not run".into(), unavailable: false })
    }

    /// Runs a read of a row or two at once on the calling thread, if the engine can
    /// ([`Engine::quick_read`]).
    pub(super) fn quick_read<T>(
        &self,
        work: impl FnOnce(&mut dyn Conn) -> Result<T, Fault>,
    ) -> Option<Result<T, ReadError>> {
        let (mut work, mut out) = (Some(work), None);
        let done = self.engine.quick_read(&mut |conn| {
            if let Some(work) = work.take() {
                out = Some(work(conn)?);
            }
            Ok(())
        })?;
        Some(
            done.map_err(ReadError::from).and_then(|()| {
                out.ok_or_else(|| ReadError { cause: "the read did not run".into(), unavailable: false })
            }),
        )
    }

    /// Runs a write in one transaction.
    pub(super) fn write<T>(&self, work: impl FnOnce(&mut dyn Conn) -> Result<T, Fault>) -> Result<T, WriteError> {
        self.write_as(true, work)
    }

    /// Runs one statement that writes (it is its own transaction).
    pub(super) fn write_one(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, WriteError> {
        self.write_as(false, |c| c.execute(sql, params))
    }

    /// Runs statements that write, each its own transaction (when one statement's
    /// success does not depend on another's).
    pub(super) fn write_each<T>(&self, work: impl FnOnce(&mut dyn Conn) -> Result<T, Fault>) -> Result<T, WriteError> {
        self.write_as(false, work)
    }

    fn write_as<T>(&self, whole: bool, work: impl FnOnce(&mut dyn Conn) -> Result<T, Fault>) -> Result<T, WriteError> {
        let (mut work, mut out) = (Some(work), None);
        self.engine.write(whole, &mut |conn| {
            if let Some(work) = work.take() {
                out = Some(work(conn)?);
            }
            Ok(())
        })?;
        out.ok_or_else(|| WriteError::Failed("the write did not run".into()))
    }

    /// Starts hearing the store's announcements as an instance that keeps pages
    /// (PostgreSQL; store/watch.rs): what it hears, or `None` (SQLite).
    pub fn watch_pages(&self) -> Option<Arc<Watch>> {
        self.engine.watch(true)
    }

    /// Waits until every instance that keeps pages has heard what this process wrote
    /// (PostgreSQL; `None` on SQLite, whose instances see a commit at once).
    pub fn settle_soon(&self) -> Option<Settling> {
        self.engine.settle_soon()
    }

    /// [`Store::settle_soon`] on the calling thread (the command line's).
    pub fn settle(&self) {
        self.engine.settle();
    }

    /// How many writes this process has made: it moves after each.
    pub fn writes(&self) -> u64 {
        self.engine.writes()
    }

    /// The schema version the store is at.
    pub fn schema_version(&self) -> Result<usize, ReadError> {
        Ok(self.engine.schema_version()?)
    }

    /// The keyed hash stored for a reader key: the raw key never reaches the store.
    pub fn reader_hash(&self, reader_key: &str) -> String {
        sha256_hex(&[&self.secret, b"\0", reader_key.to_ascii_lowercase().as_bytes()])
    }

    /// A keyed hash of `text` under a purpose of its own (`purpose` never occurs in the
    /// others), for what the store keeps of a client (its address, a rate limit's bucket).
    pub fn keyed_hash(&self, purpose: &str, text: &str) -> String {
        sha256_hex(&[&self.secret, b"\0", purpose.as_bytes(), b"\0", text.as_bytes()])
    }

    /// Copies the whole store to the file `dest` (SQLite only; PostgreSQL has pg_dump).
    pub fn backup_to(&self, dest: &Path) -> Result<usize, String> {
        self.engine.backup_to(dest)
    }
}
