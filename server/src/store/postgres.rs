//! The PostgreSQL engine (`--db postgres://…`), for sites that run several server
//! instances on the database they already operate: tokio-postgres with a deadpool pool,
//! on a small runtime of the engine's own. The store's operations are synchronous (the
//! handlers call them inside `spawn_blocking`): each statement is handed to that runtime
//! and waited for, so a call is safe from any thread, async code included.
//!
//! A write is one transaction on one pooled connection: `BEGIN` goes with its first
//! statement, `COMMIT` (or `ROLLBACK`, when the work failed) after its last; a connection
//! whose transaction could not be ended is closed, never handed out again. Migrations
//! run at start in one transaction under an advisory lock (two instances starting at
//! once migrate once).

use super::error::{Fault, OpenError};
use super::lock::lock;
use super::schema::{from_postgres, MIGRATIONS, SCHEMA_VERSION};
use super::sql::{Conn, Dialect, Engine, PairsSoon, Param, RowRef, Settling};
use super::watch::{self, Watch, LEASE, RENEW_EVERY};
use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::{AsyncMessage, NoTls};

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
            Some(code) if code.code().starts_with("08") || code.code().starts_with("57") => {
                Fault::Unavailable { cause: words, reconnect: false }
            }
            Some(_) => Fault::Failed(words),
            // No SQLSTATE: the connection itself failed.
            None => Fault::Unavailable { cause: words, reconnect: false },
        }
    }
}

impl From<deadpool_postgres::PoolError> for Fault {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Fault::Unavailable { cause: format!("no connection to PostgreSQL: {e}"), reconnect: false }
    }
}

/// A parameter, owned to travel to the engine's runtime.
#[derive(Debug)]
enum Owned {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
    Ints(Vec<i64>),
    Texts(Vec<String>),
}

fn owned(param: &Param<'_>) -> Owned {
    match *param {
        Param::Null => Owned::Null,
        Param::Int(n) => Owned::Int(n),
        Param::Text(s) => Owned::Text(s.to_string()),
        Param::Blob(b) => Owned::Blob(b.to_vec()),
        Param::Ints(list) => Owned::Ints(list.to_vec()),
        Param::Texts(list) => Owned::Texts(list.to_vec()),
    }
}

/// A parameter takes the type PostgreSQL inferred for its place: an integer is sent as
/// the integer or boolean the column is.
impl ToSql for Owned {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Owned::Null => Ok(IsNull::Yes),
            Owned::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => Err(format!("an integer given for a {ty} parameter").into()),
            },
            Owned::Text(s) if <String as ToSql>::accepts(ty) => s.to_sql(ty, out),
            Owned::Blob(b) if <Vec<u8> as ToSql>::accepts(ty) => b.to_sql(ty, out),
            Owned::Ints(list) if <Vec<i64> as ToSql>::accepts(ty) => list.to_sql(ty, out),
            Owned::Texts(list) if <Vec<String> as ToSql>::accepts(ty) => list.to_sql(ty, out),
            _ => Err(format!("a value of the wrong kind for a {ty} parameter").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A row of PostgreSQL's, read in place by each column's type.
impl RowRef for tokio_postgres::Row {
    fn opt_int(&self, at: usize) -> Result<Option<i64>, Fault> {
        let column = self.columns().get(at).ok_or_else(|| Fault::column(at, "there"))?;
        let read = match *column.type_() {
            Type::INT8 => self.try_get::<_, Option<i64>>(at),
            Type::INT4 => self.try_get::<_, Option<i32>>(at).map(|n| n.map(i64::from)),
            Type::INT2 => self.try_get::<_, Option<i16>>(at).map(|n| n.map(i64::from)),
            Type::BOOL => self.try_get::<_, Option<bool>>(at).map(|b| b.map(i64::from)),
            _ => return Err(Fault::column(at, "an integer")),
        };
        read.map_err(Fault::from)
    }

    fn opt_text(&self, at: usize) -> Result<Option<String>, Fault> {
        self.try_get::<_, Option<String>>(at).map_err(Fault::from)
    }

    fn opt_blob(&self, at: usize) -> Result<Option<Vec<u8>>, Fault> {
        self.try_get::<_, Option<Vec<u8>>>(at).map_err(Fault::from)
    }
}

/// The schema version a PostgreSQL store recorded (its own numbering up to 9).
const RECORDED_VERSION: &str = "SELECT version FROM reader_comments_schema";

/// A connection lent to the store's work: taken from the pool with its first statement
/// (and, for a write, `BEGIN` with it).
struct Lent<'e> {
    engine: &'e PostgresEngine,
    client: Option<Arc<Object>>,
    /// A write's transaction: the first statement opens it.
    write: bool,
}

impl Lent<'_> {
    /// Runs one statement: its rows (`rows`), or how many rows it changed.
    fn send(&mut self, sql: &str, params: &[Param<'_>], rows: bool) -> Result<(Vec<tokio_postgres::Row>, u64), Fault> {
        let sql = Dialect::Postgres.render(sql).into_owned();
        let values: Vec<Owned> = params.iter().map(owned).collect();
        let (pool, held) = (self.engine.pool.clone(), self.client.clone());
        let begin = self.write && held.is_none();
        let (client, result) = self.engine.run(async move {
            let client = match held {
                Some(client) => client,
                None => match pool.get().await {
                    Ok(client) => Arc::new(client),
                    Err(e) => return (None, Err(Fault::from(e))),
                },
            };
            let result: Result<(Vec<tokio_postgres::Row>, u64), tokio_postgres::Error> = async {
                if begin {
                    client.batch_execute("BEGIN").await?;
                }
                let statement = client.prepare_cached(&sql).await?;
                let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                if rows {
                    Ok((client.query(&statement, &refs).await?, 0))
                } else {
                    Ok((Vec::new(), client.execute(&statement, &refs).await?))
                }
            }
            .await;
            (Some(client), result.map_err(Fault::from))
        })?;
        if client.is_some() {
            self.client = client;
        }
        result
    }
}

impl Conn for Lent<'_> {
    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        for row in self.send(sql, params, true)?.0 {
            each(&row)?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, Fault> {
        Ok(self.send(sql, params, false)?.1)
    }
}

/// The PostgreSQL database's pool.
pub struct PostgresEngine {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    /// Where the pool connects (the listening connection connects there too).
    config: tokio_postgres::Config,
    /// The hearing of the store's announcements, once started.
    watch: OnceLock<Arc<Watch>>,
    /// The connection it hears them on, while it is up (pings go over it too).
    listener: Listener,
    /// Writes made, for [`Engine::writes`].
    writes: AtomicU64,
}

impl Drop for PostgresEngine {
    fn drop(&mut self) {
        // Never blocks, so dropping the store is safe in async code too.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PostgresEngine {
    /// Connects (a pool of up to 16 connections) and brings the schema up to date.
    pub fn open(url: &str) -> Result<PostgresEngine, OpenError> {
        let refused = |e: String| OpenError::Refused(format!("PostgreSQL: {e}"));
        let config: tokio_postgres::Config = url.parse().map_err(|e| refused(format!("{e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("postgres")
            .enable_all()
            .build()
            .map_err(|e| refused(e.to_string()))?;
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| refused(e.to_string()))?;
        let engine = PostgresEngine {
            runtime: Some(runtime),
            pool,
            config,
            watch: OnceLock::new(),
            listener: Listener::default(),
            writes: AtomicU64::new(0),
        };
        let pool = engine.pool.clone();
        let migrated = engine.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock(7216019)", &[]).await?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS reader_comments_schema (version INTEGER NOT NULL)").await?;
            let found = tx.query_opt(RECORDED_VERSION, &[]).await?;
            let recorded = found.map_or(0, |r| r.get::<_, i32>(0).max(0) as usize);
            let version = from_postgres(recorded);
            if version > SCHEMA_VERSION {
                return Ok(Some(recorded));
            }
            for migration in &MIGRATIONS[version..] {
                tx.batch_execute(&migration.text(Dialect::Postgres)).await?;
            }
            tx.execute("DELETE FROM reader_comments_schema", &[]).await?;
            tx.execute("INSERT INTO reader_comments_schema (version) VALUES ($1)", &[&(SCHEMA_VERSION as i32)]).await?;
            tx.commit().await?;
            Ok::<_, Fault>(None)
        });
        match migrated {
            Ok(Ok(None)) => Ok(engine),
            Ok(Ok(Some(found))) => Err(OpenError::NewerSchema { found, understood: SCHEMA_VERSION }),
            Ok(Err(Fault::Unavailable { cause, .. } | Fault::Failed(cause)))
            | Err(Fault::Unavailable { cause, .. }) => Err(refused(cause)),
            Ok(Err(fault)) | Err(fault) => Err(refused(format!("{fault:?}"))),
        }
    }

    /// A write (see [`Engine::write`]), counted by the caller.
    fn write_now(&self, whole: bool, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        if !whole {
            return work(&mut Lent { engine: self, client: None, write: false });
        }
        let mut lent = Lent { engine: self, client: None, write: true };
        let done = work(&mut lent);
        let Some(client) = lent.client.take() else { return done };
        let end = if done.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let (client, ended) = self.run(async move {
            let ended = client.batch_execute(end).await;
            (client, ended)
        })?;
        if ended.is_err() {
            // Its transaction may still be open: the connection is closed, not reused.
            if let Ok(object) = Arc::try_unwrap(client) {
                drop(Object::take(object));
            }
        }
        match (done, ended) {
            (Err(fault), _) => Err(fault),
            (Ok(()), Err(e)) => Err(Fault::from(e)),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// Runs `work` on the engine's runtime and waits for it (from any thread).
    fn run<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> Result<T, Fault> {
        let Some(runtime) = self.runtime.as_ref() else {
            return Err(Fault::Unavailable { cause: "the store is closed".into(), reconnect: false });
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = tx.send(work.await);
        });
        rx.recv().map_err(|_| Fault::Failed("the query's task ended without an answer".into()))
    }
}

impl Engine for PostgresEngine {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn read(&self, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        work(&mut Lent { engine: self, client: None, write: false })
    }

    fn write(&self, whole: bool, work: &mut dyn FnMut(&mut dyn Conn) -> Result<(), Fault>) -> Result<(), Fault> {
        let done = self.write_now(whole, work);
        self.writes.fetch_add(1, Ordering::Relaxed);
        done
    }

    fn watch(&self, serve: bool) -> Option<Arc<Watch>> {
        let runtime = self.runtime.as_ref()?;
        let mut started = false;
        let watch = self.watch.get_or_init(|| {
            started = true;
            Arc::new(Watch::new(serve))
        });
        if started {
            runtime.spawn(listen(watch.clone(), self.config.clone(), self.listener.clone()));
        }
        Some(watch.clone())
    }

    fn settle_soon(&self) -> Option<Settling> {
        let runtime = self.runtime.as_ref()?;
        let watch = self.watch(false)?;
        let task = runtime.spawn(settle(watch, self.pool.clone(), self.listener.clone()));
        Some(Box::pin(async move {
            let _ = task.await;
        }))
    }

    fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    fn settle(&self) {
        if let Some(watch) = self.watch(false) {
            let _ = self.run(settle(watch, self.pool.clone(), self.listener.clone()));
        }
    }
    fn pairs_soon(&self, sql: &str, texts: Vec<String>) -> Option<PairsSoon> {
        let runtime = self.runtime.as_ref()?;
        let (pool, sql) = (self.pool.clone(), Dialect::Postgres.render(sql).into_owned());
        let task = runtime.spawn(async move {
            let client = pool.get().await?;
            let statement = client.prepare_cached(&sql).await?;
            let rows = client.query(&statement, &[&texts]).await?;
            rows.iter().map(|r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, i64>(1)?))).collect()
        });
        Some(Box::pin(async move { task.await.map_err(|e| Fault::Failed(format!("the query's task ended: {e}")))? }))
    }

    fn schema_version(&self) -> Result<usize, Fault> {
        let mut version = 0;
        self.read(&mut |conn| {
            version = from_postgres(conn.number(RECORDED_VERSION, &[])?.max(0) as usize);
            Ok(())
        })?;
        Ok(version)
    }

    fn backup_to(&self, _dest: &Path) -> Result<usize, String> {
        Err("backup copies a SQLite file; back PostgreSQL up with pg_dump (docs/deploy.md)".into())
    }
}

/// The listening connection, while it is up.
type Listener = Arc<std::sync::Mutex<Option<Arc<tokio_postgres::Client>>>>;

/// Hears the store's announcements for `watch` on a connection of its own, for as long
/// as the engine runs: answers pings, renews the lease (an instance that keeps pages),
/// and connects again, trusting nothing meanwhile, when the connection drops.
async fn listen(watch: Arc<Watch>, mut config: tokio_postgres::Config, listener: Listener) {
    config.application_name("reader-comments-watch");
    loop {
        if let Ok((client, mut connection)) = config.connect(NoTls).await {
            let client = Arc::new(client);
            let (answers, mut to_send) = tokio::sync::mpsc::unbounded_channel::<String>();
            let heard = watch.clone();
            // Every notification is taken in order, here, before the next is read.
            let hearing = async move {
                while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                    if let AsyncMessage::Notification(n) = message {
                        if let Some(answer) = heard.heard(n.payload()) {
                            let _ = answers.send(answer);
                        }
                    }
                }
            };
            let speaking = async {
                // Renewals, pings and answers carry nothing that must survive a crash:
                // their commits do not wait for the disk.
                let start = format!("SET synchronous_commit = off; LISTEN {}", watch::CHANNEL);
                if client.batch_execute(&start).await.is_err() {
                    return;
                }
                *lock(&listener) = Some(client.clone());
                watch.listening();
                let mut renew = tokio::time::interval(RENEW_EVERY);
                loop {
                    let (sql, words) = tokio::select! {
                        answer = to_send.recv() => match answer {
                            Some(answer) => (watch::ANSWER, vec![answer]),
                            None => return,
                        },
                        _ = renew.tick(), if watch.serve => {
                            let token = watch::random_name();
                            watch.renewing(token.clone());
                            (watch::RENEW, vec![watch.id.clone(), format!("r {token}")])
                        }
                    };
                    // Sent without waiting for the answer (the connection pipelines them).
                    let client = client.clone();
                    tokio::spawn(async move {
                        let params: Vec<&(dyn ToSql + Sync)> = words.iter().map(|w| w as &(dyn ToSql + Sync)).collect();
                        let _ = client.execute(sql, &params).await;
                    });
                }
            };
            tokio::select! {
                () = hearing => {}
                () = speaking => {}
            }
        }
        *lock(&listener) = None;
        watch.lost();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Pings the channel and waits until every instance holding a lease has answered, or
/// for as long as a lease lasts (see store/watch.rs).
async fn settle(watch: Arc<Watch>, pool: Pool, listener: Listener) {
    let wait_out = LEASE + Duration::from_millis(100);
    if !watch.until_listening(Duration::from_secs(2)).await {
        // No answer can be heard: wait until any lease that was good has run out.
        tokio::time::sleep(wait_out).await;
        return;
    }
    let token = watch::random_name();
    let answered = watch.expect(&token);
    let ping = format!("p {token}");
    // Over the listening connection when it is up (no connection to take from the pool).
    let over = lock(&listener).clone();
    let asked = async {
        let row = match over {
            Some(client) => client.query_one(watch::PING, &[&ping]).await,
            None => pool.get().await.map_err(|e| e.to_string())?.query_one(watch::PING, &[&ping]).await,
        };
        row.and_then(|row| row.try_get::<_, Vec<String>>(1)).map_err(|e| e.to_string())
    };
    match asked.await {
        Ok(instances) => {
            if !watch.from(&token, instances) {
                let _ = tokio::time::timeout(wait_out, answered).await;
            }
        }
        Err(_) => tokio::time::sleep(wait_out).await,
    }
    watch.forget(&token);
}
