//! What a hostile client, a hostile page and an unlucky operator used to break, in-process
//! against real SQLite files: the allowance spent by refused posts, IPv6 rotation, the
//! limiter's memory, storage faults (a lock held by another process, a read-only file, a
//! full disk, a removed directory), readers waiting for writers, responses that were not
//! problem documents, and an Origin check that trusted `Host`.

mod common;
use common::*;
use reader_comments_server::parse_rate;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

fn numbered(n: usize) -> String {
    comment("A", &format!("{BODY} Number {n}."))
}

async fn post_from(app: &App, client: &str, body: &str, extra: &[(&str, &str)]) -> Response {
    let mut headers = vec![("Content-Type", "application/json"), ("X-Forwarded-For", client)];
    headers.extend_from_slice(extra);
    app.send("POST", "/api/threads/t/comments", &headers, body.as_bytes()).await
}

fn limited(rate: &str) -> App {
    App::new(&format!("limited-{}", rate.replace('/', "-")), |s| {
        s.rate = parse_rate(rate).expect("rate");
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
        s.allow_origins = vec!["https://news.example".into()];
    })
}

#[tokio::test]
async fn posts_refused_for_their_origin_or_body_and_replays_spend_no_allowance() {
    let app = limited("2/min");
    let reader = "198.51.100.20";
    // Another site's no-cors form posts as this reader, again and again.
    for n in 0..10 {
        let res = post_from(&app, reader, &numbered(n), &[("Origin", "https://evil.example")]).await;
        assert_eq!(res.status, 403);
    }
    for bad in ["{not json", "[1]", r#"{"author":"A","body":"short"}"#] {
        assert!(matches!(post_from(&app, reader, bad, &[]).await.status, 400 | 422), "{bad}");
    }
    let first = post_from(&app, reader, &numbered(100), &[("Idempotency-Key", "k1")]).await;
    assert_eq!(first.status, 201, "the reader's own post is not refused: {}", first.body);
    for _ in 0..3 {
        let replay = post_from(&app, reader, &numbered(100), &[("Idempotency-Key", "k1")]).await;
        assert_eq!(replay.status, 201, "a retry of the same draft replays, and costs nothing");
    }
    assert_eq!(post_from(&app, reader, &numbered(101), &[]).await.status, 201, "the second of two");
    assert_eq!(post_from(&app, reader, &numbered(102), &[]).await.status, 429, "the third is over the limit");
}

#[tokio::test]
async fn an_ipv6_network_shares_one_allowance() {
    let app = limited("2/min");
    assert_eq!(post_from(&app, "2001:db8:5:6::1", &numbered(1), &[]).await.status, 201);
    assert_eq!(post_from(&app, "2001:db8:5:6::2", &numbered(2), &[]).await.status, 201);
    let rotated = post_from(&app, "2001:db8:5:6:dead:beef:0:3", &numbered(3), &[]).await;
    assert_eq!(rotated.status, 429, "another address in the same /64 is the same client");
    assert_eq!(post_from(&app, "2001:db8:5:7::1", &numbered(4), &[]).await.status, 201, "another /64 is not");
}

#[tokio::test]
async fn the_limiter_forgets_clients_whose_allowance_is_whole_again() {
    let app = limited("10/s");
    for n in 0..300 {
        let client = format!("198.51.{}.{}", n / 200, n % 200 + 1);
        assert_eq!(post_from(&app, &client, &numbered(n), &[]).await.status, 201);
    }
    assert_eq!(app.state.rate_limited_clients(), 300);
    // 10/s: a client's allowance is whole again a second after its post.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.state.prune_rate_limits();
    assert_eq!(app.state.rate_limited_clients(), 0);
}

/// A method, a path, extra headers, and the status expected.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, u16);

#[tokio::test]
async fn every_refusal_is_a_problem_document_with_the_security_headers() {
    let app = App::new("problems", |_| {});
    let big = "x".repeat(20_000);
    let cases: [Case; 5] = [
        ("GET", "/no/such/page", vec![], 404),
        ("GET", "/api/threads/%FF/comments", vec![], 404),
        ("PUT", "/api/threads/t/comments", vec![], 405),
        ("DELETE", "/healthz", vec![], 405),
        ("GET", "/api/threads/t/comments", vec![("X-Padding", big.as_str())], 431),
    ];
    for (method, path, headers, status) in cases {
        let res = app.send(method, path, &headers, b"").await;
        assert_eq!(res.status, status, "{method} {path}: {}", res.body);
        assert_eq!(res.header("content-type"), Some("application/problem+json"), "{method} {path}");
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"), "{method} {path}");
        assert_eq!(res.header("cache-control"), Some("no-store"), "{method} {path}");
        assert!(res.json()["detail"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path}");
    }
}

#[tokio::test]
async fn a_strangers_origin_is_refused_even_when_host_names_it() {
    let app = App::new("rebinding", |s| s.public_origins = vec!["http://127.0.0.1:8080".into()]);
    let body = comment("A", BODY);
    let post = |host: &'static str, origin: &'static str| {
        let app = app.clone();
        let body = body.clone();
        async move {
            let headers = [("Content-Type", "application/json"), ("Host", host), ("Origin", origin)];
            app.send("POST", "/api/threads/t/comments", &headers, body.as_bytes()).await.status
        }
    };
    assert_eq!(post("attacker.example", "http://attacker.example").await, 403, "DNS rebinding's shape");
    assert_eq!(post("127.0.0.1:8080", "http://127.0.0.1:8080").await, 201, "the server's own configured origin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_lock_held_elsewhere_gives_503_while_readers_go_on_and_it_recovers() {
    if sqlite_only("another process holding the write lock") {
        return;
    }
    let app = App::new("locked", |_| {});
    assert_eq!(app.post("t", &numbered(1), None).await.status, 201);
    let other = rusqlite::Connection::open(&app.db).expect("another process's connection");
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO comments (thread, author, body, created_at, status) VALUES ('x', 'o', 'held', 0, 'published');").expect("lock");
    let started = Instant::now();
    let writer = tokio::spawn({
        let app = app.clone();
        async move {
            let res = app.post("t", &numbered(2), None).await;
            (res, started.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let read = app.get("/api/threads/t/comments").await;
    let read_done = started.elapsed();
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["comments"].as_array().map(Vec::len), Some(1));
    let (write, write_done) = writer.await.expect("the post ran");
    assert!(read_done < write_done, "the read ({read_done:?}) did not wait for the writer ({write_done:?})");
    assert_eq!(write.status, 503, "{}", write.body);
    assert_eq!(write.header("retry-after"), Some("5"));
    assert_eq!(write.header("content-type"), Some("application/problem+json"));
    other.execute_batch("ROLLBACK").expect("release");
    assert_eq!(app.post("t", &numbered(3), None).await.status, 201, "it recovers on its own");
}

#[tokio::test]
async fn removing_the_databases_directory_stops_acknowledgements() {
    if sqlite_only("removing the database's directory") {
        return;
    }
    let app = App::new("removed", |_| {});
    assert_eq!(app.post("t", &numbered(1), None).await.status, 201);
    std::fs::remove_dir_all(app.db.parent().expect("its directory")).expect("rm -rf");
    for n in 2..5 {
        let res = app.post("t", &numbered(n), None).await;
        assert_eq!(res.status, 503, "a comment written into a deleted file would be lost: {}", res.body);
    }
}

/// Runs a shell command, failing the test with its output if it fails.
fn sh(command: &str) {
    let out = std::process::Command::new("sh").args(["-c", command]).output().expect("sh runs");
    assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

#[tokio::test]
async fn a_read_only_database_file_gives_503_and_recovers_when_writable_again() {
    if sqlite_only("a read-only database file") {
        return;
    }
    let db = temp_db("readonly");
    drop(App::with_settings(reader_comments_server::Settings::for_db(&db)));
    let path = db.to_str().expect("utf-8");
    // As root, permissions do not stop writes: the immutable attribute does.
    let (protect, release) = if is_root() {
        (format!("chattr +i '{path}'"), format!("chattr -i '{path}'"))
    } else {
        (format!("chmod 444 '{path}'"), format!("chmod 644 '{path}'"))
    };
    sh(&protect);
    let app = App::with_settings(reader_comments_server::Settings::for_db(&db));
    let refused = app.post("t", &numbered(1), None).await;
    sh(&release);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(app.post("t", &numbered(2), None).await.status, 201, "writable again: it recovers on its own");
}

#[tokio::test]
async fn a_full_disk_gives_503_and_recovers_when_space_is_freed() {
    if sqlite_only("a full disk under the database file") {
        return;
    }
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root; CI runs as root");
        return;
    }
    let dir = std::env::temp_dir().join(format!("rc-full-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mount = dir.to_str().expect("utf-8").to_string();
    sh(&format!("mount -t tmpfs -o size=2m tmpfs '{mount}'"));
    let app = App::with_settings(reader_comments_server::Settings::for_db(dir.join("comments.sqlite3")));
    assert_eq!(app.post("t", &numbered(0), None).await.status, 201);
    // Fill what is left (dd stops at "No space left on device").
    let _ = std::process::Command::new("dd").args(["if=/dev/zero", &format!("of={mount}/filler"), "bs=4k"]).output();
    let long = comment("A", &"a long comment that needs new pages ".repeat(120));
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(app.post("t", &long, None).await.status);
    }
    sh(&format!("rm '{mount}/filler'"));
    let after = app.post("t", &numbered(9), None).await.status;
    sh(&format!("umount -l '{mount}'"));
    assert!(statuses.contains(&503), "{statuses:?}");
    assert!(!statuses.contains(&500), "{statuses:?}");
    assert_eq!(after, 201, "space freed: it recovers on its own");
}

#[tokio::test]
async fn the_widgets_files_are_served_to_any_origin_and_a_missing_one_is_a_problem_document() {
    let dir = temp_db("static").with_file_name("dist");
    std::fs::create_dir_all(&dir).expect("dist");
    std::fs::write(dir.join("reader-comments.js"), "/* the loader */").expect("file");
    let app = App::new("static-files", |s| s.static_dir = Some(dir.clone()));
    let file = app.get("/reader-comments.js").await;
    assert_eq!((file.status, file.body.as_str()), (200, "/* the loader */"));
    assert_eq!(file.header("access-control-allow-origin"), Some("*"));
    assert!(file.header("content-security-policy").is_some_and(|p| p.contains("default-src 'none'")));
    let missing = app.get("/no-such-file.js").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("application/problem+json"));
    assert_eq!(app.get("/api/threads/t/comments").await.status, 200, "the API still answers beside the files");
}

#[tokio::test]
async fn postgres_refusing_connections_gives_503_and_it_recovers() {
    let Some(base) = postgres() else {
        eprintln!("only on PostgreSQL: the database refusing connections");
        return;
    };
    let app = App::new("pg-refusing", |_| {});
    assert_eq!(post_from(&app, "192.0.2.1", &numbered(1), &[]).await.status, 201);
    let db = app.db.to_str().expect("a URL").to_string();
    let name = db.rsplit('/').next().expect("a database name").to_string();
    let admin = PathBuf::from(format!("{base}/postgres"));
    // A real fault in the real cluster: the database takes no connections, and the
    // server's are cut.
    sql(
        &admin,
        &format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ),
    );
    let refused = post_from(&app, "192.0.2.2", &numbered(2), &[]).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    sql(&admin, &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    assert_eq!(post_from(&app, "192.0.2.3", &numbered(3), &[]).await.status, 201, "it recovers on its own");
    assert_eq!(app.all_comments("t").await.len(), 2, "the refused post was not stored");
}
