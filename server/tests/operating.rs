//! The real binary under an unlucky operator's conditions: hundreds of half-open
//! connections (slowloris), a stop while they are held, a damaged database file, and a
//! storage fault that must be logged once, not per request.

mod common;
use common::*;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

/// A connection from `from` (another loopback address is another client) that sends
/// half a request and then nothing.
async fn half_open(from: &str, to: &str) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().expect("address"))?;
    let mut stream = socket.connect(to.parse().expect("address")).await?;
    stream.write_all(b"GET /api/threads/t/comments HTTP/1.1\r\nHost: x\r\nX-Slow: ").await?;
    Ok(stream)
}

/// What the server sent on a connection before closing it, if it closed it within `wait`.
async fn answer(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut out = Vec::new();
    let closed = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await.is_ok();
    closed.then(|| String::from_utf8_lossy(&out).to_string())
}

async fn timed_get(addr: &str) -> Duration {
    let started = Instant::now();
    let addr = addr.to_string();
    let res = tokio::task::spawn_blocking(move || request(&addr, "GET", "/api/threads/t/comments", &[], b""))
        .await
        .expect("ran")
        .expect("a reader's GET is answered");
    assert_eq!(res.status, 200);
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_open_connections_neither_starve_readers_nor_hold_up_a_stop() {
    let server = start(
        &temp_db("slowloris"),
        &[
            "--rate-limit",
            "off",
            "--max-connections-per-client",
            "100",
            "--header-timeout",
            "3",
            "--shutdown-timeout",
            "2",
        ],
    );
    let addr = server.addr.clone();
    // 600 connections from one attacker: 100 are held, the rest shed at once with 503.
    let mut held = Vec::new();
    for _ in 0..600 {
        held.push(half_open("127.0.0.2", &addr).await.expect("connect"));
    }
    let mut shed = 0;
    for stream in held.iter_mut().rev().take(50) {
        let text = answer(stream, Duration::from_millis(500)).await.unwrap_or_default();
        if text.starts_with("HTTP/1.1 503") {
            assert!(text.contains("application/problem+json") && text.contains("retry-after: 5"), "{text}");
            shed += 1;
        }
    }
    assert_eq!(shed, 50, "the connections over the per-client cap are shed with a problem document");
    // A reader on another address is served while the attacker's connections are held.
    let mut times = Vec::new();
    for _ in 0..40 {
        times.push(timed_get(&addr).await);
    }
    times.sort();
    println!(
        "GET while 600 half-open connections were attempted (100 held): median {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
    // The header deadline (3 s here) closes a half-open connection.
    let text = answer(&mut held[0], Duration::from_secs(6)).await;
    println!("a half-open connection after the header deadline: {text:?}");
    assert!(text.is_some_and(|t| !t.starts_with("HTTP/1.1 2")), "a half-open connection is closed, not served");
    // An idle keep-alive connection is closed after the same deadline.
    let mut idle = TcpStream::connect(&addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("send");
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.expect("a response");
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(answer(&mut idle, Duration::from_secs(6)).await.is_some(), "an idle connection is closed");
    // Stopping while connections are held finishes within the deadline.
    let mut again = Vec::new();
    for _ in 0..50 {
        again.push(half_open("127.0.0.3", &addr).await.expect("connect"));
    }
    let mut child = server;
    let stopped = Instant::now();
    // SAFETY: kill only sends SIGTERM to the child this test started.
    unsafe { libc::kill(child.child.id() as i32, libc::SIGTERM) };
    let status = wait_for_exit(&mut child.child, Duration::from_secs(10));
    println!("SIGTERM with 50 half-open connections held: exited after {:?}", stopped.elapsed());
    assert!(status.is_some(), "the server did not exit within 10 s of SIGTERM");
    drop(again);
}

fn wait_for_exit(child: &mut std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_damaged_database_is_refused_at_start_with_the_way_to_recover() {
    if sqlite_only("a damaged database file") {
        return;
    }
    let db = temp_db("damaged");
    {
        let server = start(&db, &["--rate-limit", "off"]);
        for n in 0..200 {
            let body = comment("A", &format!("{BODY} {n} {}", "padding ".repeat(40)));
            assert_eq!(post_json(&server.addr, "t", &body, None).expect("post").status, 201);
        }
    }
    // Damage pages in the middle of the file, as a failing disk would.
    let mut bytes = std::fs::read(&db).expect("the file");
    let wal = db.with_extension("sqlite3-wal");
    if wal.exists() {
        // Fold the WAL in first, so the damage hits the pages that hold the comments.
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").expect("checkpoint");
        drop(conn);
        bytes = std::fs::read(&db).expect("the file");
    }
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 8192] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("write the damage");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8"), "--bind", "127.0.0.1:0", "--static-dir", ""])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it must not start: {stderr}");
    assert!(stderr.contains("damaged") && stderr.contains("docs/server.md"), "{stderr}");
}

#[test]
fn a_storage_fault_is_logged_once_with_its_file_not_per_request() {
    if sqlite_only("a storage fault of the database file") {
        return;
    }
    let db = temp_db("logged-once");
    let log = std::env::temp_dir().join(format!("rc-logged-once-{}.log", std::process::id()));
    let file = std::fs::File::create(&log).expect("log file");
    let server = start_with(&db, &["--rate-limit", "off"], Stdio::from(file));
    assert_eq!(post_json(&server.addr, "t", &comment("A", BODY), None).expect("post").status, 201);
    std::fs::remove_dir_all(db.parent().expect("dir")).expect("rm -rf");
    for n in 0..5 {
        let res = post_json(&server.addr, "t", &comment("A", &format!("{BODY} {n}")), None).expect("post");
        assert_eq!(res.status, 503);
    }
    drop(server);
    let mut text = String::new();
    std::fs::File::open(&log).and_then(|mut f| f.read_to_string(&mut text)).expect("the log");
    assert_eq!(text.matches("storage fault").count(), 1, "{text}");
    assert!(text.contains("was removed") && text.contains("comments.sqlite3"), "{text}");
}

#[test]
fn a_store_written_by_a_newer_server_is_refused_at_start_and_left_alone() {
    let db = temp_db("newer-schema");
    let first = start(&db, &["--no-seed"]);
    drop(first);
    let newer = if postgres().is_some() {
        "UPDATE reader_comments_schema SET version = 99"
    } else {
        "PRAGMA user_version = 99"
    };
    sql(&db, newer);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8"), "--bind", "127.0.0.1:0", "--static-dir", ""])
        .output()
        .expect("it runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("written by a newer version of reader-comments-server (schema version 99"), "{said}");
    let version =
        if postgres().is_some() { "SELECT version FROM reader_comments_schema" } else { "PRAGMA user_version" };
    assert_eq!(sql_value(&db, version), "99", "the store was left as it was");
}
