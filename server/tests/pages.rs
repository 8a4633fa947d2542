//! The page cache (run/pages.rs) against the application in-process on a real store
//! (a SQLite file, or PostgreSQL under `RC_TEST_POSTGRES`), with the real command line
//! writing from another process: a page answered from memory is never older than a
//! write acknowledged before the read, whoever wrote (this instance, another one, the
//! command line, a statement behind the server's back) and whatever the write was; a
//! held comment is never in a kept page; nothing a `Reader-Key` asked for is kept; the
//! bytes kept stay within the limit with 10,000 threads read; compressed bodies are the
//! same page.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const READER: &str = "0123456789abcdef0123456789abcdef";
const LIST: &str = "/api/threads/t/comments";

/// The real command line on the store, which must succeed.
fn cli(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let out = command(db, args, stdin);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The page as readers get it: (ids, bodies, closed), twice, so that the second read is
/// surely one the cache could answer.
async fn page(app: &App) -> Shown {
    let first = app.get(LIST).await;
    let again = app.get(LIST).await;
    assert_eq!((first.status, again.status), (200, 200), "{}", first.body);
    assert_eq!(first.body, again.body, "nothing changed between two reads");
    let doc = again.json();
    let comments = doc["comments"].as_array().cloned().unwrap_or_default();
    let mut all = Vec::new();
    for c in &comments {
        all.push(c.clone());
        all.extend(c["replies"].as_array().cloned().unwrap_or_default());
    }
    let ids = all.iter().map(|c| c["id"].as_str().unwrap_or_default().to_string()).collect();
    let bodies = all
        .iter()
        .map(|c| format!("{}|{}|{}", c["body"].as_str().unwrap_or_default(), c["recommends"], c["status"]))
        .collect();
    (ids, bodies, doc["closed"] == json!(true))
}

type Shown = (Vec<String>, Vec<String>, bool);

/// The page changed, as `what` should have changed it.
fn changed(seen: &mut Shown, now: Shown, what: &str) {
    assert_ne!(&now, seen, "{what}: the next read shows it");
    *seen = now;
}

fn id_of(r: &Response) -> String {
    r.json()["id"].as_str().expect("an id").to_string()
}

#[tokio::test]
async fn every_kind_of_write_shows_on_the_next_read_whoever_makes_it() {
    let app = App::new("pages-writes", |s| s.report_threshold = 1);
    let mut seen = page(&app).await;
    let (hits_before, _) = app.state.pages.counts();
    assert!(hits_before >= 1, "the second read of an unchanged page came from memory");
    let posted = app.post("t", &comment("Asha", BODY), None).await;
    assert_eq!(posted.status, 201);
    let (a, token) = (id_of(&posted), posted.json()["edit_token"].as_str().expect("token").to_string());
    changed(&mut seen, page(&app).await, "a post");

    let reply = app.post("t", &json!({"author": "Ravi", "body": BODY, "parent_id": a}).to_string(), None).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let reply = id_of(&reply);
    changed(&mut seen, page(&app).await, "a reply");

    let one = format!("{LIST}/{a}");
    let r = app.send("POST", &format!("{one}/recommend"), &[("Reader-Key", READER)], b"").await;
    assert_eq!(r.status, 200);
    changed(&mut seen, page(&app).await, "a recommend");
    let r = app.send("DELETE", &format!("{one}/recommend"), &[("Reader-Key", READER)], b"").await;
    assert_eq!(r.status, 200);
    changed(&mut seen, page(&app).await, "a recommend taken back");

    let bearer = format!("Bearer {token}");
    let edit = json!({"body": format!("{BODY} (edited)")}).to_string();
    let r = app
        .send("PATCH", &one, &[("Content-Type", "application/json"), ("Authorization", &bearer)], edit.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    changed(&mut seen, page(&app).await, "an edit");

    let held = app.post("t", &comment("Linker", &format!("{BODY} https://example.com/x")), None).await;
    assert_eq!(held.status, 202);
    let held = id_of(&held);
    let before_approval = page(&app).await;
    assert!(!before_approval.0.contains(&held), "a held comment is not in the page");
    cli(&app.db, &["approve", &held], None);
    changed(&mut seen, page(&app).await, "an approval by the command line (another process)");
    assert!(seen.0.contains(&held));

    let r = app
        .send(
            "POST",
            &format!("{LIST}/{held}/report"),
            &[("Content-Type", "application/json"), ("Reader-Key", READER)],
            br#"{"reason":"spam"}"#,
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    changed(&mut seen, page(&app).await, "a report that sends the comment back to the queue");
    assert!(!seen.0.contains(&held));

    cli(&app.db, &["close", "t"], None);
    changed(&mut seen, page(&app).await, "closing by the command line");
    assert!(seen.2, "the page says closed");
    cli(&app.db, &["open", "t"], None);
    changed(&mut seen, page(&app).await, "opening again");

    let r = app.send("DELETE", &format!("{LIST}/{reply}"), &[("Authorization", "Bearer nope")], b"").await;
    assert_eq!(r.status, 403, "a wrong token changes nothing: {}", r.body);
    assert_eq!(page(&app).await, seen);
    cli(&app.db, &["delete", &reply], None);
    changed(&mut seen, page(&app).await, "a deletion by the command line");

    let r = app.send("DELETE", &one, &[("Authorization", &bearer)], b"").await;
    assert_eq!(r.status, 204, "{}", r.body);
    changed(&mut seen, page(&app).await, "the author's own deletion");

    let export = [
        json!({"format": "reader-comments-export", "version": 2}),
        json!({"thread": "t", "id": "9001", "parent_id": null, "author": "Imported", "body": BODY,
               "created_at": "2026-01-01T00:00:00Z", "status": "published", "edited_at": null, "recommends": 0}),
    ]
    .map(|l| l.to_string())
    .join("\n");
    cli(&app.db, &["import", "-"], Some(&export));
    changed(&mut seen, page(&app).await, "an import by the command line");
    assert!(seen.1.iter().any(|b| b.starts_with(BODY)));

    sql(&app.db, "UPDATE comments SET body = 'Changed behind the server''s back, by a statement.' WHERE thread = 't'");
    // On PostgreSQL an instance knows of a statement behind its back once it has heard
    // the statement's announcement (store/watch.rs): a ping's answer says it has (the
    // server's own writes and the command line wait for that before they answer).
    if let Some(settling) = app.state.db.settle_soon() {
        settling.await;
    }
    changed(&mut seen, page(&app).await, "a statement from another connection");
    assert!(seen.1.iter().all(|b| b.starts_with("Changed behind")));
    let (hits, renders) = app.state.pages.counts();
    assert!(hits > hits_before && renders >= 14, "pages were kept and rendered again: {hits} hits, {renders} renders");
}

#[tokio::test]
async fn a_held_comment_is_never_in_a_kept_page_and_a_readers_own_list_is_never_kept() {
    let app = App::new("pages-held", |_| {});
    let posted = app.post("t", &comment("Asha", BODY), None).await;
    let a = id_of(&posted);
    for round in 0..20 {
        let held = app.post("t", &comment("Linker", &format!("{BODY} https://x.example/{round}")), None).await;
        assert_eq!(held.status, 202);
        let held = id_of(&held);
        for _ in 0..3 {
            let listed = app.get(LIST).await.json();
            let ids: Vec<&str> =
                listed["comments"].as_array().expect("list").iter().filter_map(|c| c["id"].as_str()).collect();
            assert!(!ids.contains(&held.as_str()), "round {round}: the held comment {held} is not served");
            assert!(ids.contains(&a.as_str()));
        }
    }

    let kept = app.state.pages.len();
    let r = app.send("POST", &format!("{LIST}/{a}/recommend"), &[("Reader-Key", READER)], b"").await;
    assert_eq!(r.status, 200);
    let mine = app.send("GET", LIST, &[("Reader-Key", READER)], b"").await;
    assert_eq!(mine.header("cache-control"), Some("no-store"));
    assert_eq!(mine.json()["comments"][0]["recommended"], json!(true), "{}", mine.body);
    let everyone = app.get(LIST).await;
    assert_ne!(everyone.json()["comments"][0]["recommended"], json!(true), "the reader's mark is theirs alone");
    assert_eq!(everyone.json()["comments"][0]["recommends"], json!(1));
    let (_, renders) = app.state.pages.counts();
    for _ in 0..5 {
        app.send("GET", LIST, &[("Reader-Key", READER)], b"").await;
    }
    assert_eq!(app.state.pages.counts().1, renders, "a reader's own list never goes through the cache");
    assert!(app.state.pages.len() <= kept + 1);
}

/// Every request of `asked` twice: the second answered ready (run/ready.rs), with the
/// same status, headers and bytes as the first, which went the whole way.
async fn twice_alike(app: &App, asked: &[(&str, &[(&str, &str)])]) -> Vec<(Response, Response)> {
    let mut seen = Vec::new();
    for (path, headers) in asked {
        let first = app.send("GET", path, headers, b"").await;
        let ready = app.front.answered();
        let again = app.send("GET", path, headers, b"").await;
        assert_eq!(app.front.answered(), ready + 1, "{path} {headers:?}: the second was answered ready");
        assert_eq!((first.status, &first.headers, &first.body), (again.status, &again.headers, &again.body));
        seen.push((first, again));
    }
    seen
}

#[tokio::test]
async fn a_repeated_read_is_answered_ready_alike_and_never_older_than_a_write() {
    let app = App::new("pages-ready", |s| s.allow_origins = vec!["https://news.example".into()]);
    for n in 0..12 {
        assert_eq!(app.post("t", &comment(&format!("Reader {n}"), BODY), None).await.status, 201);
    }
    let first = app.get(LIST).await;
    let tag = first.header("etag").expect("a tag").to_string();
    let html = format!("{LIST}?locale=hi&article=https://news.example/a");
    let kinds: [(&str, &[(&str, &str)]); 7] = [
        (LIST, &[]),
        (LIST, &[("Origin", "https://news.example"), ("User-Agent", "a browser"), ("Sec-Fetch-Mode", "cors")]),
        (LIST, &[("Origin", "https://elsewhere.example")]),
        (LIST, &[("Accept-Encoding", "gzip, deflate, br")]),
        (LIST, &[("If-None-Match", &tag)]),
        (&html, &[("Accept", "text/html")]),
        ("/api/threads/t/comments?sort=newest&limit=5", &[]),
    ];
    let seen = twice_alike(&app, &kinds).await;
    let cors = |i: usize| seen[i].0.header("access-control-allow-origin").map(str::to_string);
    assert_eq!(cors(1).as_deref(), Some("https://news.example"), "an allowed page's CORS headers");
    assert_eq!(cors(2), None, "and none for another origin, though both asked the same page");
    assert_eq!(seen[3].0.header("content-encoding"), Some("br"));
    assert_eq!((seen[4].0.status, seen[4].0.body.as_str()), (304, ""));
    assert!(seen[5].0.body.contains("<bdi ") && seen[5].0.header("content-type").is_some_and(|t| t.contains("html")));
    assert_eq!(seen[6].0.json()["comments"].as_array().map(Vec::len), Some(5));
    assert_eq!(seen[0].0.header("x-content-type-options"), Some("nosniff"), "the layers' headers are in it");

    // A write: the next read of each goes the whole way and shows it, then is ready again.
    let posted = app.post("t", &comment("Late", BODY), None).await;
    assert_eq!(posted.status, 201);
    let late = id_of(&posted);
    let ready = app.front.answered();
    let now = app.send("GET", "/api/threads/t/comments?sort=newest&limit=5", &[], b"").await;
    assert_eq!(now.json()["comments"][0]["id"], json!(late), "the new comment is on the next read");
    let now = app.send("GET", LIST, &[("If-None-Match", &tag)], b"").await;
    assert_eq!(now.status, 200, "the old tag no longer matches");
    assert_eq!(app.front.answered(), ready, "neither was answered from a stale answer");
    cli(&app.db, &["delete", &late], None);
    let after = app.get("/api/threads/t/comments?sort=newest&limit=5").await;
    let first = &after.json()["comments"][0];
    assert!(first["id"] != json!(late) || first["status"] != json!("published"), "a delete by another process shows");

    // What is the reader's alone, or not known to be harmless, is never answered ready.
    let r = app.send("POST", &format!("{LIST}/{late}/recommend"), &[("Reader-Key", READER)], b"").await;
    assert!(r.status < 500);
    let ready = app.front.answered();
    for headers in [&[("Reader-Key", READER)][..], &[("Cookie", "a=b")], &[("X-Something", "1")]] {
        app.send("GET", LIST, headers, b"").await;
        app.send("GET", LIST, headers, b"").await;
    }
    assert_eq!(app.front.answered(), ready);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_serve_a_page_older_than_a_write_acknowledged_before_the_read() {
    let (a, b) = two("pages-two");
    // Readers keep both instances' pages warm the whole time.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for app in [a.clone(), b.clone(), a.clone(), b.clone()] {
        let stop = stop.clone();
        readers.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                assert_eq!(app.get(LIST).await.status, 200);
            }
        }));
    }
    for round in 0..60 {
        let (writer, reader) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let posted = writer.post("t", &comment(&format!("Round {round}"), BODY), None).await;
        assert_eq!(posted.status, 201);
        let id = id_of(&posted);
        // Acknowledged: a read that begins now, on either instance, has it.
        for app in [reader, writer] {
            let listed = app.get(&format!("{LIST}?limit=100&sort=newest")).await.json();
            assert_eq!(listed["comments"][0]["id"], json!(id), "round {round}");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        r.await.expect("a reader");
    }
    let (hits_a, _) = a.state.pages.counts();
    let (hits_b, _) = b.state.pages.counts();
    assert!(hits_a > 0 && hits_b > 0, "both answered from memory between writes ({hits_a}, {hits_b})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bytes_kept_stay_within_the_limit_with_ten_thousand_threads_read() {
    const LIMIT: usize = 1 << 20;
    let app = App::new("pages-memory", |s| s.page_cache = LIMIT);
    let insert = if postgres().is_some() {
        "INSERT INTO comments (thread, author, body, created_at, status)
         SELECT 'thread-' || n, 'Reader ' || n, repeat('A comment long enough to count. ', 8), 1700000000000, 'published'
         FROM generate_series(1, 10000) AS n"
    } else {
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000)
         INSERT INTO comments (thread, author, body, created_at, status)
         SELECT 'thread-' || x, 'Reader ' || x, printf('%.*c', 256, 'A'), 1700000000000, 'published' FROM n"
    };
    sql(&app.db, insert);
    let mut most = 0;
    for n in 1..=10_000 {
        let r = app.get(&format!("/api/threads/thread-{n}/comments")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["comments"].as_array().map(Vec::len), Some(1), "thread-{n}");
        if n % 500 == 0 {
            let bytes = app.state.pages.bytes();
            assert!(bytes <= LIMIT, "{bytes} bytes kept after {n} threads");
            most = most.max(bytes);
        }
    }
    let kept = app.state.pages.len();
    assert!(kept < 10_000 && kept > 500, "pages went, least recently used first, and many stay: {kept}");
    assert!(most > LIMIT / 2, "the limit is used: at most {most} bytes");
    let (hits, renders) = app.state.pages.counts();
    assert_eq!((hits, renders), (0, 10_000), "each page rendered once");
    let answered = app.front.answered();
    app.get("/api/threads/thread-10000/comments").await;
    app.get("/api/threads/thread-1/comments").await;
    assert_eq!(app.state.pages.counts(), (1, 10_001), "the newest page is kept; the oldest went");
    assert_eq!(app.front.answered(), answered + 1, "the newest answered ready");
    let answers = app.state.pages.answers();
    assert!(answers > 0, "ready answers are kept: {answers}");
    assert!(app.state.pages.bytes() <= LIMIT, "pages and ready answers together within the limit");
}

#[tokio::test]
async fn brotli_and_gzip_bodies_are_the_same_page_with_tags_of_their_own() {
    use axum::http::Request;
    let app = App::new("pages-codings", |_| {});
    for n in 0..30 {
        assert_eq!(app.post("t", &comment(&format!("Reader {n}"), BODY), None).await.status, 201);
    }
    let plain = app.get(LIST).await;
    let tag = plain.header("etag").expect("a tag").to_string();
    assert!(plain.header("content-encoding").is_none());
    assert!(plain.header("vary").is_some_and(|v| v.contains("Accept-Encoding") && v.contains("Reader-Key")));
    let raw = |accept: &'static str| {
        let app = app.clone();
        async move {
            let request = Request::get(LIST).header("host", "localhost").header("accept-encoding", accept);
            let response = app.front.call(request.body(axum::body::Body::empty()).expect("a request")).await;
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
            (headers, bytes.to_vec())
        }
    };
    let (headers, br) = raw("gzip, deflate, br").await;
    assert_eq!(headers["content-encoding"], "br");
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("brotli");
    assert_eq!(String::from_utf8(decoded).expect("UTF-8"), plain.body);
    assert!(br.len() * 3 < plain.body.len(), "{} bytes of {}", br.len(), plain.body.len());
    let br_tag = headers["etag"].to_str().expect("a tag").to_string();
    assert_eq!(br_tag, format!("{}-br\"", &tag[..tag.len() - 1]));

    let (headers, gz) = raw("gzip").await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).expect("gzip");
    assert_eq!(text, plain.body);

    let again = app.send("GET", LIST, &[("If-None-Match", &br_tag), ("Accept-Encoding", "br")], b"").await;
    assert_eq!((again.status, again.body.as_str()), (304, ""), "the brotli copy is still good");
    let (headers, _) = raw("br;q=0, gzip;q=0").await;
    assert!(headers.get("content-encoding").is_none(), "refused codings are not sent");
}

#[tokio::test]
async fn with_the_cache_off_every_page_is_rendered_and_the_answer_is_the_same() {
    let off = App::new("pages-off", |s| s.page_cache = 0);
    off.post("t", &comment("Asha", BODY), None).await;
    let first = off.get(LIST).await;
    let second = off.get(LIST).await;
    assert_eq!((first.status, first.body == second.body), (200, true));
    assert_eq!(first.header("etag"), second.header("etag"));
    assert_eq!(off.state.pages.counts(), (0, 0));
    assert!(off.state.pages.is_empty());
    let value: Value = first.json();
    assert_eq!(value["comments"].as_array().map(Vec::len), Some(1));
}

/// Waits (up to 10 s) until the instance trusts the versions it hears of (PostgreSQL).
async fn until_trusted(app: &App) {
    for _ in 0..100 {
        if app.state.pages.version_reads().1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the instance never came to trust what it hears");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_an_unchanged_page_is_answered_without_asking_the_store_and_a_write_elsewhere_still_shows() {
    if postgres().is_none() {
        eprintln!("PostgreSQL only: SQLite reads its change mark, not a statement");
        return;
    }
    let (a, b) = two("pages-heard");
    assert_eq!(a.post("t", &comment("Asha", BODY), None).await.status, 201);
    until_trusted(&a).await;
    until_trusted(&b).await;
    for app in [&a, &b] {
        page(app).await;
    }
    let (reads_a, _) = a.state.pages.version_reads();
    let (hits_a, _) = a.state.pages.counts();
    for _ in 0..50 {
        assert_eq!(a.get(LIST).await.status, 200);
    }
    assert_eq!(a.state.pages.version_reads().0, reads_a, "no version was read for an unchanged page");
    assert_eq!(a.state.pages.counts().0, hits_a + 50, "all from memory");
    // A write on the other instance: the next read here has it.
    let posted = b.post("t", &comment("Ravi", BODY), None).await;
    assert_eq!(posted.status, 201);
    let listed = a.get(&format!("{LIST}?sort=newest")).await.json();
    assert_eq!(listed["comments"][0]["id"], json!(id_of(&posted)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_a_write_is_not_acknowledged_while_an_instance_that_did_not_hear_it_holds_a_lease() {
    if postgres().is_none() {
        eprintln!("PostgreSQL only: SQLite instances hold no leases");
        return;
    }
    let app = App::new("pages-lease", |_| {});
    until_trusted(&app).await;
    // An instance that holds a lease for two more seconds and never answers (its
    // connection is gone, say): a write must wait until its lease has run out.
    sql(&app.db, "INSERT INTO reader_comments_instances (id, until) VALUES ('deaf', now() + interval '2 seconds')");
    let posted = app.post("t", &comment("Asha", BODY), None).await;
    assert_eq!(posted.status, 201);
    assert_eq!(
        sql_value(&app.db, "SELECT until <= now() FROM reader_comments_instances WHERE id = 'deaf'"),
        "t",
        "the answer waited for the lease that was not answered to run out"
    );
    // Once it has, writes wait only for the instances that answer.
    let again = app.post("t", &comment("Ravi", BODY), None).await;
    assert_eq!(again.status, 201);
    assert_eq!(
        sql_value(&app.db, "SELECT count(*) FROM reader_comments_instances WHERE until > now()"),
        "1",
        "this instance holds its lease"
    );
}
