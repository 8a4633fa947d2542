//! The PostgreSQL store (`--db postgres://…`), for sites that run several server
//! instances on the database they already operate. tokio-postgres with a deadpool pool,
//! on a small runtime of the store's own (the storage interface is synchronous: each
//! call is handed to that runtime and waited for), so a call is safe from any thread.
//!
//! The same guarantees as SQLite, across instances: a 201 is committed; the idempotency
//! key's primary key lets one of two simultaneous posts with the same key store, and the
//! other gets the first one's answer (comments.rs); a recommend is counted once per
//! reader key (`ON CONFLICT DO NOTHING` on its primary key); only hashes are stored.
//! Migrations are versioned in `reader_comments_schema`, run at start under an advisory
//! lock (two instances starting at once migrate once), and a newer schema is refused.
//!
//! This file holds the connection, the pool and the query helpers; each trait of the
//! storage interface is implemented in a file of its own under `pg/`.

use crate::db::{OpenError, ReadError, WriteError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use reader_comments_core::{Comment, Status};
use schema::{MIGRATIONS, PG_SCHEMA_VERSION};
use std::future::Future;
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

// Before the modules, which use it (a macro is seen only after its definition).
/// Owned query parameters.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        vec![$(Box::new($p) as Box<dyn tokio_postgres::types::ToSql + Send + Sync>),*]
    };
}

mod conversation;
mod limits;
mod moderation;
mod newsroom;
mod outbox;
mod reading;
pub mod schema;
mod transfer;

/// The columns [`comment_of`] reads, in its order, of a table aliased `c`.
const COLUMNS: &str =
    "c.id, c.author, c.body, c.created_at, c.status, c.parent_id, c.recommends, c.edited_at, c.deleted_at";

fn comment_of(row: &Row) -> Comment {
    let deleted = row.get::<_, Option<i64>>(8).is_some();
    let status = match row.get::<_, &str>(4) {
        _ if deleted => Status::Deleted,
        "pending" => Status::Pending,
        _ => Status::Published,
    };
    Comment {
        id: row.get::<_, i64>(0).to_string(),
        author: row.get(1),
        body: row.get(2),
        created_at: Some(row.get(3)),
        status,
        parent_id: row.get::<_, Option<i64>>(5).map(|p| p.to_string()),
        recommends: Some(row.get::<_, i64>(6).max(0) as u64),
        edited_at: row.get(7),
        ..Comment::default()
    }
}

/// What went wrong, sorted as the server answers it.
#[derive(Debug)]
enum Fault {
    /// PostgreSQL cannot be reached or the pool has no connection: 503, try later.
    Unavailable(String),
    /// The idempotency key's row was stored by another transaction meanwhile.
    Duplicate,
    /// Any other refusal.
    Failed(String),
}

impl From<tokio_postgres::Error> for Fault {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's own words when it sent some ("db error" alone says nothing).
        let words = e.as_db_error().map_or_else(|| e.to_string(), |d| d.to_string());
        match e.code() {
            Some(code)
                if *code == SqlState::UNIQUE_VIOLATION
                    && e.as_db_error().and_then(|d| d.constraint()) == Some("idempotency_pkey") =>
            {
                Fault::Duplicate
            }
            Some(code) if code.code().starts_with("08") || code.code().starts_with("57") => Fault::Unavailable(words),
            Some(_) => Fault::Failed(words),
            // No SQLSTATE: the connection itself failed.
            None => Fault::Unavailable(words),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Fault {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Fault::Unavailable(format!("no connection to PostgreSQL: {e}"))
    }
}

impl From<Fault> for ReadError {
    fn from(f: Fault) -> Self {
        match f {
            Fault::Unavailable(e) => ReadError(e, true),
            Fault::Failed(e) => ReadError(e, false),
            Fault::Duplicate => ReadError("a duplicate idempotency key".into(), false),
        }
    }
}

impl From<Fault> for WriteError {
    fn from(f: Fault) -> Self {
        match f {
            Fault::Unavailable(e) => WriteError::Unavailable(e),
            Fault::Duplicate => WriteError::Duplicate,
            Fault::Failed(e) => WriteError::Failed(e),
        }
    }
}

/// The PostgreSQL store.
pub struct Postgres {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    reader_secret: Vec<u8>,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Never blocks, so dropping the store is safe in async code too.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Postgres {
    /// Connects (a pool of up to 16 connections), migrates, and reads the secret that
    /// keys reader hashes (made once, by the first instance).
    pub fn open(url: &str) -> Result<Postgres, OpenError> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| OpenError::Postgres(format!("{e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("postgres")
            .enable_all()
            .build()
            .map_err(|e| OpenError::Postgres(e.to_string()))?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(std::time::Duration::from_secs(5)))
            .create_timeout(Some(std::time::Duration::from_secs(5)))
            .build()
            .map_err(|e| OpenError::Postgres(e.to_string()))?;
        let mut store = Postgres { runtime: Some(runtime), pool, reader_secret: Vec::new() };
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| OpenError::Postgres(format!("no randomness: {e}")))?;
        let pool = store.pool.clone();
        let version = store
            .run(async move {
                let mut client = pool.get().await?;
                let tx = client.transaction().await?;
                tx.execute("SELECT pg_advisory_xact_lock(7216019)", &[]).await?;
                tx.batch_execute("CREATE TABLE IF NOT EXISTS reader_comments_schema (version INTEGER NOT NULL)")
                    .await?;
                let found = tx.query_opt("SELECT version FROM reader_comments_schema", &[]).await?;
                let version = found.map_or(0, |r| r.get::<_, i32>(0) as usize);
                if version > PG_SCHEMA_VERSION {
                    return Ok(Err(version));
                }
                for sql in &MIGRATIONS[version..] {
                    tx.batch_execute(sql).await?;
                }
                tx.execute("DELETE FROM reader_comments_schema", &[]).await?;
                tx.execute("INSERT INTO reader_comments_schema (version) VALUES ($1)", &[&(PG_SCHEMA_VERSION as i32)])
                    .await?;
                tx.execute(
                    "INSERT INTO secrets (name, value) VALUES ('reader_key', $1) ON CONFLICT (name) DO NOTHING",
                    &[&fresh.as_slice()],
                )
                .await?;
                let secret: Vec<u8> =
                    tx.query_one("SELECT value FROM secrets WHERE name = 'reader_key'", &[]).await?.get(0);
                tx.commit().await?;
                Ok(Ok(secret))
            })
            .map_err(|f| OpenError::Postgres(ReadError::from(f).0))?;
        match version {
            Ok(secret) => store.reader_secret = secret,
            Err(found) => return Err(OpenError::NewerSchema { found, understood: PG_SCHEMA_VERSION }),
        }
        Ok(store)
    }

    /// Runs `work` on the store's runtime and waits for it (from any thread).
    fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, Fault>> + Send + 'static,
    ) -> Result<T, Fault> {
        let Some(runtime) = self.runtime.as_ref() else { return Err(Fault::Unavailable("the store is closed".into())) };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = tx.send(work.await);
        });
        rx.recv().unwrap_or_else(|_| Err(Fault::Failed("the query's task ended without an answer".into())))
    }

    /// Runs one query with owned parameters and maps its rows.
    fn rows<T: Send + 'static>(
        &self,
        sql: String,
        params: Vec<Box<dyn tokio_postgres::types::ToSql + Send + Sync>>,
        map: impl Fn(&Row) -> T + Send + 'static,
    ) -> Result<Vec<T>, Fault> {
        let pool = self.pool.clone();
        self.run(async move {
            let client = pool.get().await?;
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
            let statement = client.prepare_cached(&sql).await?;
            Ok(client.query(&statement, &refs).await?.iter().map(map).collect())
        })
    }

    /// Runs one statement; the rows it changed.
    fn execute(
        &self,
        sql: &'static str,
        params: Vec<Box<dyn tokio_postgres::types::ToSql + Send + Sync>>,
    ) -> Result<u64, Fault> {
        let pool = self.pool.clone();
        self.run(async move {
            let client = pool.get().await?;
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
            Ok(client.execute(sql, &refs).await?)
        })
    }
}
