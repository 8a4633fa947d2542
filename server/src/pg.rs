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

use crate::db::{sha256_hex, VISIBLE};
use crate::db::{ImportError, Imported, Moved, NewRow, OpenError, Order, ReadError, Replay, Stored, WriteError};
use crate::db::{OpenReports, Reported};
use crate::store::Store;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use reader_comments_core::{Comment, Status};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::Path;
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

/// Each migration moves `reader_comments_schema.version` one up; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: everything SQLite's schema 3 holds.
    "CREATE TABLE comments (
         id BIGSERIAL PRIMARY KEY,
         thread TEXT NOT NULL,
         author TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('published', 'pending')),
         parent_id BIGINT REFERENCES comments (id),
         root_id BIGINT REFERENCES comments (id),
         recommends BIGINT NOT NULL DEFAULT 0,
         edited_at BIGINT,
         deleted_at BIGINT,
         edit_token_hash TEXT
     );
     CREATE INDEX comments_by_thread ON comments (thread, status, id);
     CREATE INDEX comments_by_root ON comments (root_id, id);
     CREATE INDEX comments_by_parent ON comments (parent_id);
     CREATE INDEX comments_top ON comments (thread, recommends, id);
     CREATE INDEX comments_by_time ON comments (thread, created_at);
     CREATE TABLE idempotency (
         thread TEXT NOT NULL,
         key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         created_at BIGINT NOT NULL,
         PRIMARY KEY (thread, key)
     );
     CREATE TABLE recommends (
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         PRIMARY KEY (comment_id, reader)
     );
     CREATE TABLE secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL);",
    // 2: rate limits every instance shares: a keyed hash of the client's address (never
    // the address) and its GCRA "theoretical arrival time", kept only while it matters.
    "CREATE TABLE rate_limits (bucket TEXT PRIMARY KEY, tat BIGINT NOT NULL);",
    // 3: threads a newsroom closed (no new comments; contract v1.1 `closed`).
    "CREATE TABLE threads (key TEXT PRIMARY KEY, closed_at BIGINT);",
    // 4: the newsroom's moderators, their sessions and the audit log (as SQLite's 5).
    "CREATE TABLE moderators (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);
     CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, moderator TEXT NOT NULL REFERENCES moderators (name),
                            csrf TEXT NOT NULL, expires_at BIGINT NOT NULL);
     CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, moderator TEXT NOT NULL,
                         action TEXT NOT NULL, target TEXT NOT NULL);",
    // 5: blocked words and phrases (as SQLite's 6).
    "CREATE TABLE blocked_words (phrase TEXT PRIMARY KEY, added_at BIGINT NOT NULL);",
    // 6: bans by a keyed, rotating hash of the client's address (as SQLite's 7).
    "ALTER TABLE comments ADD COLUMN client_hash TEXT;
     CREATE TABLE bans (client_hash TEXT PRIMARY KEY, until BIGINT NOT NULL, by_moderator TEXT NOT NULL);",
    // 7: readers' reports (as SQLite's 8).
    "CREATE TABLE reports (
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         reason TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         reviewed BOOLEAN NOT NULL DEFAULT FALSE,
         PRIMARY KEY (comment_id, reader)
     );",
];

/// The schema version this build writes in PostgreSQL.
pub const PG_SCHEMA_VERSION: usize = MIGRATIONS.len();

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

/// Owned query parameters.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        vec![$(Box::new($p) as Box<dyn tokio_postgres::types::ToSql + Send + Sync>),*]
    };
}

impl Store for Postgres {
    fn schema_version(&self) -> Result<usize, ReadError> {
        let rows = self.rows("SELECT version FROM reader_comments_schema".into(), params![], |r| r.get::<_, i32>(0))?;
        Ok(rows.first().copied().unwrap_or_default() as usize)
    }

    fn count(&self, thread: &str) -> Result<usize, ReadError> {
        let sql = "SELECT COUNT(*) FROM comments WHERE thread = $1".to_string();
        let rows = self.rows(sql, params![thread.to_string()], |r| r.get::<_, i64>(0))?;
        Ok(rows.first().copied().unwrap_or_default() as usize)
    }

    fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, i.fingerprint FROM idempotency i JOIN comments c ON c.id = i.comment_id
             WHERE i.thread = $1 AND i.key = $2"
        );
        let rows = self.rows(sql, params![thread.to_string(), key.to_string()], |r| Replay {
            comment: comment_of(r),
            fingerprint: r.get(9),
        })?;
        Ok(rows.into_iter().next())
    }

    fn pending(&self) -> Result<Vec<(String, Comment)>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread FROM comments c WHERE c.status = 'pending' AND c.deleted_at IS NULL ORDER BY c.id"
        );
        Ok(self.rows(sql, params![], |r| (r.get::<_, String>(9), comment_of(r)))?)
    }

    fn approve(&self, id: i64) -> Result<bool, WriteError> {
        let pool = self.pool.clone();
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let changed = tx
                .execute("UPDATE comments SET status = 'published' WHERE id = $1 AND status = 'pending'", &[&id])
                .await?;
            tx.execute("UPDATE reports SET reviewed = TRUE WHERE comment_id = $1", &[&id]).await?;
            tx.commit().await?;
            Ok(changed == 1)
        })?)
    }

    fn reader_hash(&self, reader_key: &str) -> String {
        sha256_hex(&[self.reader_secret.as_slice(), b"\0", reader_key.to_ascii_lowercase().as_bytes()])
    }

    fn insert_row(&self, new: &NewRow<'_>) -> Result<Comment, WriteError> {
        let pool = self.pool.clone();
        let (thread, author, body) = (new.thread.to_string(), new.author.to_string(), new.body.to_string());
        let (status, created_at, parent) = (new.status.as_str(), new.created_at, new.parent);
        let (token_hash, client_hash) = (new.token_hash.clone(), new.client.clone());
        let idempotency = new.idempotency.map(|(k, f)| (k.to_string(), f.to_string()));
        let id = self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let row = tx
                .query_one(
                    "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id, edit_token_hash,
                                           client_hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        &thread,
                        &author,
                        &body,
                        &created_at,
                        &status,
                        &parent.map(|p| p.0),
                        &parent.map(|p| p.1),
                        &token_hash,
                        &client_hash,
                    ],
                )
                .await?;
            let id: i64 = row.get(0);
            if let Some((key, fingerprint)) = idempotency {
                tx.execute(
                    "INSERT INTO idempotency (thread, key, fingerprint, comment_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&thread, &key, &fingerprint, &id, &created_at],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(id)
        })?;
        Ok(new.stored_as(id))
    }

    fn find(&self, thread: &str, id: i64) -> Result<Option<Stored>, ReadError> {
        let sql =
            format!("SELECT {COLUMNS}, c.root_id, c.edit_token_hash FROM comments c WHERE c.thread = $1 AND c.id = $2");
        let rows = self.rows(sql, params![thread.to_string(), id], |r| Stored {
            comment: comment_of(r),
            root: r.get(9),
            token_hash: r.get(10),
        })?;
        Ok(rows.into_iter().next())
    }

    fn recommend(&self, id: i64, reader: &str, on: bool, now_ms: i64) -> Result<(u64, bool), WriteError> {
        let (pool, reader) = (self.pool.clone(), reader.to_string());
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let changed = if on {
                tx.execute(
                    "INSERT INTO recommends (comment_id, reader, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&id, &reader, &now_ms],
                )
                .await?
            } else {
                tx.execute("DELETE FROM recommends WHERE comment_id = $1 AND reader = $2", &[&id, &reader]).await?
            };
            let step: i64 = if on { 1 } else { -1 };
            let row = if changed == 1 {
                tx.query_one(
                    "UPDATE comments SET recommends = GREATEST(recommends + $2, 0) WHERE id = $1 RETURNING recommends",
                    &[&id, &step],
                )
                .await?
            } else {
                tx.query_one("SELECT recommends FROM comments WHERE id = $1", &[&id]).await?
            };
            tx.commit().await?;
            Ok((row.get::<_, i64>(0).max(0) as u64, on))
        })?)
    }

    fn edit(&self, id: i64, body: &str, status: Status, now_ms: i64) -> Result<(), WriteError> {
        let sql = "UPDATE comments SET body = $2, status = $3, edited_at = $4 WHERE id = $1 AND deleted_at IS NULL";
        self.execute(sql, params![id, body.to_string(), status.as_str(), now_ms])?;
        Ok(())
    }

    fn set_token(&self, id: i64, token_hash: &str) -> Result<(), WriteError> {
        self.execute("UPDATE comments SET edit_token_hash = $2 WHERE id = $1", params![id, token_hash.to_string()])?;
        Ok(())
    }

    fn remove(&self, id: i64, now_ms: i64) -> Result<bool, WriteError> {
        let pool = self.pool.clone();
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            // The comment and the chain above it, locked against a reply arriving meanwhile.
            if tx.query_opt("SELECT 1 FROM comments WHERE id = $1 FOR UPDATE", &[&id]).await?.is_none() {
                return Ok(false);
            }
            let (mut current, mut first) = (Some(id), true);
            while let Some(target) = current {
                let replies: i64 =
                    tx.query_one("SELECT COUNT(*) FROM comments WHERE parent_id = $1", &[&target]).await?.get(0);
                let row = tx.query_one("SELECT parent_id, deleted_at FROM comments WHERE id = $1", &[&target]).await?;
                let (parent, deleted): (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
                if replies > 0 {
                    if first {
                        tx.execute(
                            "UPDATE comments SET deleted_at = $2, author = '', body = '', edit_token_hash = NULL WHERE id = $1",
                            &[&target, &now_ms],
                        )
                        .await?;
                    }
                    break;
                }
                if !first && deleted.is_none() {
                    break;
                }
                tx.execute("DELETE FROM idempotency WHERE comment_id = $1", &[&target]).await?;
                tx.execute("DELETE FROM recommends WHERE comment_id = $1", &[&target]).await?;
                tx.execute("DELETE FROM comments WHERE id = $1", &[&target]).await?;
                current = parent;
                first = false;
            }
            tx.commit().await?;
            Ok(true)
        })?)
    }

    fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError> {
        let (filter, sort, a, b) = match order {
            Order::Oldest(after) => ("c.id > $2 AND $3::BIGINT = 0", "c.id", after, 0),
            Order::Newest(before) => ("c.id < $2 AND $3::BIGINT = 0", "c.id DESC", before, 0),
            Order::Top(recommends, id) => {
                ("(c.recommends < $2 OR (c.recommends = $2 AND c.id > $3))", "c.recommends DESC, c.id", recommends, id)
            }
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.thread = $1 AND c.root_id IS NULL AND {VISIBLE} AND {filter}
             ORDER BY {sort} LIMIT $4"
        );
        let mut comments = self.rows(sql, params![thread.to_string(), a, b, limit as i64 + 1], comment_of)?;
        let next = (comments.len() > limit).then(|| {
            comments.truncate(limit);
            comments.last().map(|c| order.cursor_after(c))
        });
        Ok((comments, next.flatten()))
    }

    fn replies(&self, root: i64, after: i64, limit: usize) -> Result<Vec<Comment>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c WHERE c.root_id = $1 AND {VISIBLE} AND c.id > $2 ORDER BY c.id LIMIT $3"
        );
        Ok(self.rows(sql, params![root, after, limit as i64], comment_of)?)
    }

    fn replies_of_page(&self, roots: &[i64], first: usize) -> Result<HashMap<i64, (Vec<Comment>, usize)>, ReadError> {
        let mut out: HashMap<i64, (Vec<Comment>, usize)> = roots.iter().map(|r| (*r, (Vec::new(), 0))).collect();
        if roots.is_empty() {
            return Ok(out);
        }
        let sql = format!(
            "SELECT * FROM (
                 SELECT {COLUMNS}, c.root_id,
                        ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.id),
                        COUNT(*) OVER (PARTITION BY c.root_id)
                 FROM comments c WHERE c.root_id = ANY($1) AND {VISIBLE}) AS page
             WHERE page.row_number <= $2
             ORDER BY 10, 11"
        );
        let rows = self.rows(sql, params![roots.to_vec(), first as i64], |r| {
            (r.get::<_, i64>(9), r.get::<_, i64>(11), comment_of(r))
        })?;
        for (root, total, comment) in rows {
            if let Some((shown, count)) = out.get_mut(&root) {
                *count = total.max(0) as usize;
                shown.push(comment);
            }
        }
        Ok(out)
    }

    fn recommended_by(&self, reader: &str, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = "SELECT comment_id FROM recommends WHERE reader = $1 AND comment_id = ANY($2)".to_string();
        Ok(self.rows(sql, params![reader.to_string(), ids.to_vec()], |r| r.get::<_, i64>(0))?.into_iter().collect())
    }

    fn charge_shared(
        &self,
        bucket: &str,
        interval_ms: i64,
        burst: i64,
        now_ms: i64,
    ) -> Option<Result<Option<u64>, WriteError>> {
        let (pool, bucket) =
            (self.pool.clone(), sha256_hex(&[self.reader_secret.as_slice(), b"\0rate\0", bucket.as_bytes()]));
        let tolerance = interval_ms * burst;
        Some(
            self.run(async move {
                let client = pool.get().await?;
                // The arrival time this request would set, stored only when within the
                // tolerance; one statement, atomic across instances.
                let stored = client
                    .query_opt(
                        "INSERT INTO rate_limits AS r (bucket, tat) VALUES ($1, $2::BIGINT + $3::BIGINT)
                         ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(r.tat, $2::BIGINT) + $3::BIGINT
                         WHERE GREATEST(r.tat, $2::BIGINT) + $3::BIGINT - $2::BIGINT <= $4::BIGINT
                         RETURNING tat",
                        &[&bucket, &now_ms, &interval_ms, &tolerance],
                    )
                    .await?;
                if stored.is_some() {
                    return Ok(None);
                }
                let tat: i64 =
                    client.query_one("SELECT tat FROM rate_limits WHERE bucket = $1", &[&bucket]).await?.get(0);
                let wait_ms = (tat.max(now_ms) + interval_ms - tolerance - now_ms).max(1);
                Ok(Some(((wait_ms + 999) / 1000) as u64))
            })
            .map_err(WriteError::from),
        )
    }

    fn prune_shared(&self, now_ms: i64) {
        let _ = self.execute("DELETE FROM rate_limits WHERE tat < $1", params![now_ms]);
    }

    fn shared_clients(&self) -> Option<usize> {
        let rows = self.rows("SELECT COUNT(*) FROM rate_limits".into(), params![], |r| r.get::<_, i64>(0)).ok()?;
        rows.first().map(|n| *n as usize)
    }

    fn is_closed(&self, thread: &str) -> Result<bool, ReadError> {
        let sql = "SELECT 1 FROM threads WHERE key = $1 AND closed_at IS NOT NULL".to_string();
        Ok(!self.rows(sql, params![thread.to_string()], |_| ())?.is_empty())
    }

    fn set_closed(&self, thread: &str, closed: bool, now_ms: i64) -> Result<(), WriteError> {
        let at = closed.then_some(now_ms);
        self.execute(
            "INSERT INTO threads (key, closed_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET closed_at = $2",
            params![thread.to_string(), at],
        )?;
        Ok(())
    }

    fn set_moderator(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO moderators (name, password_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET password_hash = $2",
            params![name.to_string(), password_hash.to_string(), now_ms],
        )?;
        Ok(())
    }

    fn moderator_hash(&self, name: &str) -> Result<Option<String>, ReadError> {
        let sql = "SELECT password_hash FROM moderators WHERE name = $1".to_string();
        Ok(self.rows(sql, params![name.to_string()], |r| r.get::<_, String>(0))?.into_iter().next())
    }

    fn open_session(&self, token_hash: &str, moderator: &str, csrf: &str, expires_at: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO sessions (token_hash, moderator, csrf, expires_at) VALUES ($1, $2, $3, $4)",
            params![token_hash.to_string(), moderator.to_string(), csrf.to_string(), expires_at],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(String, String)>, ReadError> {
        let sql = "SELECT moderator, csrf FROM sessions WHERE token_hash = $1 AND expires_at > $2".to_string();
        let rows = self.rows(sql, params![token_hash.to_string(), now_ms], |r| (r.get(0), r.get(1)))?;
        Ok(rows.into_iter().next())
    }

    fn close_sessions(&self, token_hash: Option<&str>, moderator: &str) -> Result<(), WriteError> {
        match token_hash {
            Some(hash) => self.execute("DELETE FROM sessions WHERE token_hash = $1", params![hash.to_string()])?,
            None => self.execute("DELETE FROM sessions WHERE moderator = $1", params![moderator.to_string()])?,
        };
        Ok(())
    }

    fn record(&self, moderator: &str, action: &str, target: &str, now_ms: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO audit (at, moderator, action, target) VALUES ($1, $2, $3, $4)",
            params![now_ms, moderator.to_string(), action.to_string(), target.to_string()],
        )?;
        Ok(())
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<(i64, String, String, String)>, ReadError> {
        let sql = "SELECT at, moderator, action, target FROM audit ORDER BY id DESC LIMIT $1".to_string();
        Ok(self.rows(sql, params![limit as i64], |r| (r.get(0), r.get(1), r.get(2), r.get(3)))?)
    }

    fn blocked_words(&self) -> Result<Vec<String>, ReadError> {
        Ok(self.rows("SELECT phrase FROM blocked_words ORDER BY phrase".into(), params![], |r| r.get(0))?)
    }

    fn set_blocked(&self, phrase: &str, blocked: bool, now_ms: i64) -> Result<(), WriteError> {
        if blocked {
            let sql = "INSERT INTO blocked_words (phrase, added_at) VALUES ($1, $2) ON CONFLICT (phrase) DO NOTHING";
            self.execute(sql, params![phrase.to_string(), now_ms])?;
        } else {
            self.execute("DELETE FROM blocked_words WHERE phrase = $1", params![phrase.to_string()])?;
        }
        Ok(())
    }

    fn ban_author_of(&self, id: i64, until: i64, moderator: &str) -> Result<bool, WriteError> {
        let sql = "INSERT INTO bans (client_hash, until, by_moderator)
                   SELECT client_hash, $2, $3 FROM comments WHERE id = $1 AND client_hash IS NOT NULL
                   ON CONFLICT (client_hash) DO UPDATE SET until = GREATEST(bans.until, $2), by_moderator = $3";
        Ok(self.execute(sql, params![id, until, moderator.to_string()])? == 1)
    }

    fn banned(&self, hashes: &[String], now_ms: i64) -> Result<bool, ReadError> {
        let sql = "SELECT 1 FROM bans WHERE client_hash = ANY($1) AND until > $2".to_string();
        Ok(!self.rows(sql, params![hashes.to_vec(), now_ms], |_| ())?.is_empty())
    }

    fn bans(&self, now_ms: i64) -> Result<Vec<(String, i64, String)>, ReadError> {
        let sql = "SELECT client_hash, until, by_moderator FROM bans WHERE until > $1 ORDER BY until".to_string();
        Ok(self.rows(sql, params![now_ms], |r| (r.get(0), r.get(1), r.get(2)))?)
    }

    fn lift_ban(&self, hash: &str) -> Result<bool, WriteError> {
        Ok(self.execute("DELETE FROM bans WHERE client_hash = $1", params![hash.to_string()])? == 1)
    }

    fn search(
        &self,
        text: &str,
        author: &str,
        thread: &str,
        limit: usize,
    ) -> Result<Vec<(String, Comment)>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread FROM comments c
             WHERE c.status = 'published' AND c.deleted_at IS NULL AND c.body ILIKE $1
               AND c.author ILIKE $2 AND c.thread ILIKE $3
             ORDER BY c.id DESC LIMIT $4"
        );
        let like = crate::db::like_pattern;
        Ok(self.rows(sql, params![like(text), like(author), like(thread), limit as i64], |r| {
            (r.get::<_, String>(9), comment_of(r))
        })?)
    }

    fn report(&self, id: i64, reader: &str, reason: &str, threshold: u32, now_ms: i64) -> Result<Reported, WriteError> {
        let (pool, reader, reason) = (self.pool.clone(), reader.to_string(), reason.to_string());
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            // Reports on one comment from several instances take turns, so the one that
            // reaches the threshold sees it.
            tx.execute("SELECT 1 FROM comments WHERE id = $1 FOR UPDATE", &[&id]).await?;
            let new = tx
                .execute(
                    "INSERT INTO reports (comment_id, reader, reason, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT DO NOTHING",
                    &[&id, &reader, &reason, &now_ms],
                )
                .await?
                == 1;
            let open: i64 = tx
                .query_one("SELECT COUNT(*) FROM reports WHERE comment_id = $1 AND NOT reviewed", &[&id])
                .await?
                .get(0);
            let requeued = new
                && open >= i64::from(threshold)
                && tx
                    .execute(
                        "UPDATE comments SET status = 'pending'
                         WHERE id = $1 AND status = 'published' AND deleted_at IS NULL",
                        &[&id],
                    )
                    .await?
                    == 1;
            tx.commit().await?;
            Ok(Reported { new, requeued })
        })?)
    }

    fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError> {
        let sql = "SELECT comment_id, reason, COUNT(*) FROM reports WHERE comment_id = ANY($1) AND NOT reviewed
                   GROUP BY comment_id, reason ORDER BY COUNT(*) DESC, reason"
            .to_string();
        let rows =
            self.rows(sql, params![ids.to_vec()], |r| (r.get::<_, i64>(0), r.get::<_, String>(1), r.get::<_, i64>(2)))?;
        let mut found = OpenReports::new();
        for (id, reason, readers) in rows {
            found.entry(id).or_default().push((reason, readers));
        }
        Ok(found)
    }

    fn threads_overview(&self) -> Result<Vec<(String, i64, i64, bool)>, ReadError> {
        Ok(self.rows(crate::db::THREADS_OVERVIEW.to_string(), params![], |r| {
            (r.get(0), r.get(1), r.get(2), r.get::<_, i32>(3) == 1)
        })?)
    }

    fn backup_to(&self, _dest: &Path) -> Result<usize, String> {
        Err("backup copies a SQLite file; back PostgreSQL up with pg_dump (docs/deploy.md)".into())
    }

    fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String> {
        let sql = "SELECT thread, id, parent_id, author, body, created_at, status, deleted_at, edited_at, recommends
                   FROM comments ORDER BY id"
            .to_string();
        let rows = self
            .rows(sql, params![], |r| Moved {
                thread: r.get(0),
                id: r.get::<_, i64>(1).to_string(),
                parent: r.get::<_, Option<i64>>(2).map(|p| p.to_string()),
                author: r.get(3),
                body: r.get(4),
                created_at: r.get(5),
                status: if r.get::<_, Option<i64>>(7).is_some() { "deleted".into() } else { r.get(6) },
                edited_at: r.get(8),
                recommends: r.get(9),
            })
            .map_err(|f| ReadError::from(f).0)?;
        let count = rows.len();
        for row in rows {
            each(row).map_err(|e| e.to_string())?;
        }
        Ok(count)
    }

    fn import(&self, rows: &[Moved]) -> Result<Imported, ImportError> {
        crate::db::check_order(rows)?;
        let (pool, rows) = (self.pool.clone(), rows.to_vec());
        self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let mut local: HashMap<(String, String), (i64, i64)> = HashMap::new();
            let mut report = Imported::default();
            for row in &rows {
                let parent = row.parent.as_ref().and_then(|p| local.get(&(row.thread.clone(), p.clone())).copied());
                let parent_id = parent.map(|(id, _)| id);
                let existing = tx
                    .query_opt(
                        "SELECT id FROM comments WHERE thread = $1 AND created_at = $2 AND author = $3 AND body = $4
                         AND parent_id IS NOT DISTINCT FROM $5",
                        &[&row.thread, &row.created_at, &row.author, &row.body, &parent_id],
                    )
                    .await?;
                let id: i64 = match existing {
                    Some(found) => {
                        report.present += 1;
                        found.get(0)
                    }
                    None => {
                        let deleted = row.status == "deleted";
                        let status = if row.status == "pending" { "pending" } else { "published" };
                        report.added += 1;
                        tx.query_one(
                            "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                                                   recommends, edited_at, deleted_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                            &[
                                &row.thread,
                                &row.author,
                                &row.body,
                                &row.created_at,
                                &status,
                                &parent_id,
                                &parent.map(|(_, root)| root),
                                &row.recommends.max(0),
                                &row.edited_at,
                                &deleted.then_some(row.created_at),
                            ],
                        )
                        .await?
                        .get(0)
                    }
                };
                let root = parent.map_or(id, |(_, root)| root);
                local.insert((row.thread.clone(), row.id.clone()), (id, root));
            }
            tx.commit().await?;
            Ok(report)
        })
        .map_err(|f| ImportError::Store(f.into()))
    }
}
