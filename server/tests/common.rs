//! Test support: the application in-process on a fresh SQLite file (requests through
//! `tower::ServiceExt::oneshot`, as axum's testing example does), and the real server
//! binary with a tiny HTTP/1.1 client (std only) for what needs a process: restarts,
//! kill -9, the command line, concurrency over sockets.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The PostgreSQL cluster the suite runs against instead of SQLite files, when
/// `RC_TEST_POSTGRES` gives its base URL (`scripts/test.sh` starts one:
/// scripts/postgres.sh).
pub fn postgres() -> Option<String> {
    std::env::var("RC_TEST_POSTGRES").ok().filter(|u| !u.is_empty())
}

/// Whether this run is on PostgreSQL, saying so for a check that only means something
/// for a SQLite file (its bytes, its locks, its removal).
pub fn sqlite_only(what: &str) -> bool {
    let on_postgres = postgres().is_some();
    if on_postgres {
        eprintln!("not on PostgreSQL: {what} (a SQLite file's property)");
    }
    on_postgres
}

/// Runs SQL on the store behind the server's back (another process's connection: psql
/// for PostgreSQL, a second SQLite connection for a file).
pub fn sql(db: &Path, statements: &str) {
    if postgres().is_some() {
        let url = db.to_str().expect("a URL");
        let out = Command::new("psql").args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", statements]).output();
        let out = out.expect("psql runs");
        assert!(out.status.success(), "{statements}: {}", String::from_utf8_lossy(&out.stderr));
    } else {
        let conn = rusqlite::Connection::open(db).expect("a second connection");
        conn.execute_batch(statements).expect(statements);
    }
}

/// The first column of the first row of `query`, as text, read behind the server's back.
pub fn sql_value(db: &Path, query: &str) -> String {
    if postgres().is_some() {
        let out = Command::new("psql").args([db.to_str().expect("a URL"), "-tA", "-c", query]).output();
        return String::from_utf8_lossy(&out.expect("psql runs").stdout).trim().to_string();
    }
    let conn = rusqlite::Connection::open(db).expect("a second connection");
    conn.query_row(query, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(n) => n.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .expect(query)
}

/// Whether `text` is anywhere in the store: every byte of a SQLite file and its WAL, or
/// every row of a PostgreSQL database (pg_dump).
pub fn store_holds(db: &Path, text: &str) -> bool {
    let found = |bytes: &[u8]| bytes.windows(text.len()).any(|w| w == text.as_bytes());
    if postgres().is_some() {
        let out = Command::new("pg_dump").args(["--data-only", db.to_str().expect("a URL")]).output();
        let out = out.expect("pg_dump runs");
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        return found(&out.stdout);
    }
    let wal = db.with_extension("sqlite3-wal");
    [db.to_path_buf(), wal].iter().any(|p| found(&std::fs::read(p).unwrap_or_default()))
}

/// A fresh store for one test: a new SQLite file, or a new database in the PostgreSQL
/// cluster of `RC_TEST_POSTGRES`.
pub fn temp_db(name: &str) -> PathBuf {
    if let Some(base) = postgres() {
        let database: String = format!("rc_{name}_{}", std::process::id())
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect();
        let admin = format!("{base}/postgres");
        for sql in [format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"), format!("CREATE DATABASE {database}")] {
            let out = Command::new("psql").args([admin.as_str(), "-q", "-v", "ON_ERROR_STOP=1", "-c", &sql]).output();
            let out = out.expect("psql runs");
            assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
        }
        return PathBuf::from(format!("{base}/{database}"));
    }
    let dir = std::env::temp_dir().join(format!("rc-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("comments.sqlite3")
}

/// Starts `reader-comments-server` on an ephemeral port and waits for its banner.
pub fn start(db: &Path, extra: &[&str]) -> Server {
    start_with(db, extra, Stdio::inherit())
}

/// [`start`], with the server's standard error going to `stderr`.
pub fn start_with(db: &Path, extra: &[&str], stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8 path"), "--bind", "127.0.0.1:0", "--static-dir", ""])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a banner");
    let start = line.find("http://").expect("an address in the banner") + 7;
    let addr = line[start..].split('/').next().expect("host:port").to_string();
    Server { child, addr }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One request on a new connection.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::other("no header end"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    Ok(Response { status, headers, body: body.to_string() })
}

pub fn post_json(addr: &str, thread: &str, body: &str, key: Option<&str>) -> std::io::Result<Response> {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(k) = key {
        headers.push(("Idempotency-Key", k));
    }
    request(addr, "POST", &format!("/api/threads/{thread}/comments"), &headers, body.as_bytes())
}

pub fn comment(author: &str, body: &str) -> String {
    serde_json::json!({ "author": author, "body": body }).to_string()
}

/// The path of a page of 100 comments of a thread.
pub fn page_path(thread: &str, cursor: Option<&str>) -> String {
    let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
    format!("/api/threads/{thread}/comments?limit=100{after}")
}

/// Adds a page's comments to `out`; the cursor of the next page, if any.
pub fn take_page(page: serde_json::Value, out: &mut Vec<serde_json::Value>) -> Option<String> {
    out.extend(page["comments"].as_array().cloned().unwrap_or_default());
    page["next"].as_str().map(str::to_string)
}

/// Every published comment of a thread, following the cursor.
pub fn all_comments(addr: &str, thread: &str) -> Vec<serde_json::Value> {
    let (mut out, mut cursor) = (Vec::new(), None);
    loop {
        let page = request(addr, "GET", &page_path(thread, cursor.as_deref()), &[], b"").expect("list").json();
        cursor = take_page(page, &mut out);
        if cursor.is_none() {
            return out;
        }
    }
}

/// The application in-process, on a real SQLite file, every request from `PEER`.
#[derive(Clone)]
pub struct App {
    /// The application as the server's connections reach it: ready answers, then the
    /// router (run/ready.rs).
    pub front: reader_comments_server::Front,
    pub db: PathBuf,
    pub state: std::sync::Arc<reader_comments_server::AppState>,
}

/// The address in-process requests come from.
pub const PEER: ([u8; 4], u16) = ([127, 0, 0, 1], 40000);

impl App {
    /// The application with the default settings changed by `configure`.
    pub fn new(name: &str, configure: impl FnOnce(&mut reader_comments_server::Settings)) -> App {
        let db = temp_db(name);
        let mut settings = reader_comments_server::Settings::for_db(&db);
        configure(&mut settings);
        App::with_settings(settings)
    }

    /// The application with these settings.
    pub fn with_settings(settings: reader_comments_server::Settings) -> App {
        let db = settings.db.clone();
        let state = reader_comments_server::AppState::new(settings).expect("the state opens");
        let router = reader_comments_server::router(state.clone())
            .layer(axum::extract::connect_info::MockConnectInfo(std::net::SocketAddr::from(PEER)));
        App { front: reader_comments_server::Front::new(state.clone(), router), db, state }
    }

    /// One request; `Host: localhost` unless the headers give one.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut request = axum::http::Request::builder().method(method).uri(path);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            request = request.header("host", "localhost");
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let request = request.body(axum::body::Body::from(body.to_vec())).expect("a request");
        let response = self.front.call(request).await;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).to_string()))
            .collect();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
        Response { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send("GET", path, &[], b"").await
    }

    pub async fn post(&self, thread: &str, body: &str, key: Option<&str>) -> Response {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(k) = key {
            headers.push(("Idempotency-Key", k));
        }
        self.send("POST", &format!("/api/threads/{thread}/comments"), &headers, body.as_bytes()).await
    }

    /// Every published comment of a thread, following the cursor.
    pub async fn all_comments(&self, thread: &str) -> Vec<serde_json::Value> {
        let (mut out, mut cursor) = (Vec::new(), None);
        loop {
            cursor = take_page(self.get(&page_path(thread, cursor.as_deref())).await.json(), &mut out);
            if cursor.is_none() {
                return out;
            }
        }
    }
}

// The moderation pages (`/admin`).

/// Adds a moderator with the real command line (the password on standard input).
pub fn add_moderator(db: &std::path::Path, name: &str, password: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8"), "moderator", "add", name])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("it runs");
    child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("written");
    let out = child.wait_with_output().expect("it ends");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
}

/// `text` encoded for a form body or a query string (`application/x-www-form-urlencoded`).
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    pairs.iter().map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v))).collect::<Vec<_>>().join("&").into_bytes()
}

/// The header of a form post.
pub const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// Signs in on `/admin/sign-in`.
pub async fn sign_in(app: &App, name: &str, password: &str) -> Response {
    app.send("POST", "/admin/sign-in", &[FORM], &form(&[("name", name), ("password", password)])).await
}

/// The session cookie a successful sign-in set (`name=value`).
pub fn cookie_of(r: &Response) -> String {
    let set = r.header("set-cookie").expect("a cookie");
    set.split(';').next().expect("name=value").to_string()
}

/// The CSRF token of an admin page's forms.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + 32].to_string()
}

/// The real command line on the store `db`, with `stdin` as its standard input.
pub fn command(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8 path")])
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    if let Some(text) = stdin {
        use std::io::Write;
        // The command may stop reading before the end (a line too long): that is its answer.
        let written = child.stdin.take().expect("stdin").write_all(text.as_bytes());
        assert!(written.as_ref().map_or_else(|e| e.kind() == std::io::ErrorKind::BrokenPipe, |()| true), "{written:?}");
    }
    child.wait_with_output().expect("it ends")
}

/// Two instances on one fresh store, each with its own state (pool, page cache,
/// in-flight keys), as separate processes have.
pub fn two(name: &str) -> (App, App) {
    let db = temp_db(name);
    let settings = reader_comments_server::Settings::for_db(&db);
    (App::with_settings(settings.clone()), App::with_settings(settings))
}
