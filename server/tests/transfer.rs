//! Data in and out through the real binary's commands on real SQLite files: `export`
//! (JSON Lines) and `import` round-trip every thread with replies, statuses, times and
//! hostile text exactly, the featured comment, the newsroom's answer and the comment of a
//! site's account, and the threads closed and phrases blocked; importing twice
//! adds nothing; a version 1 file still imports; a bad input is refused whole with
//! its line numbers; `backup` copies a file while the server posts to it, and a server
//! started on the copy serves it.

mod common;
use common::*;
use serde_json::{json, Value};
use std::process::{Command, Output, Stdio};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

fn said(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

/// A file with two threads: a comment with a reply and a reply to it, a held comment,
/// a deleted comment kept for its reply, an edited one, recommends, and the XSS list;
/// the second thread closed, and two phrases blocked.
async fn filled(name: &str) -> std::path::PathBuf {
    filled_at(temp_db(name)).await
}

/// [`filled`], at `db` (a SQLite file or a PostgreSQL database).
async fn filled_at(db: std::path::PathBuf) -> std::path::PathBuf {
    let mut settings = reader_comments_server::Settings::for_db(&db);
    settings.edit_window = Some(std::time::Duration::from_secs(900));
    let app = App::with_settings(settings);
    let post = |thread: &'static str, author: String, body: String, parent: Option<Value>| {
        let app = app.clone();
        async move {
            let mut doc = json!({"author": author, "body": body});
            if let Some(p) = parent {
                doc["parent_id"] = p;
            }
            let r = app.post(thread, &doc.to_string(), None).await;
            assert!(r.status == 201 || r.status == 202, "{}", r.body);
            r.json()
        }
    };
    let top = post("first", "Asha".into(), BODY.into(), None).await;
    let reply = post("first", "Bina".into(), format!("{BODY} (reply)"), Some(top["id"].clone())).await;
    // Featured by the newsroom, answered by its staff, and a signed-in reader's comment.
    let top_id: i64 = top["id"].as_str().and_then(|id| id.parse().ok()).expect("an id");
    app.state.db.feature(top_id, true, 1_767_225_600_000).expect("featured");
    let answer = |author: &str, body: String, staff: bool, account: Option<&str>| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
        let row = reader_comments_server::store::NewRow {
            thread: "second",
            author,
            body: &body,
            status: reader_comments_core::Status::Published,
            created_at: i64::try_from(now.as_millis()).expect("a time"),
            staff,
            account,
            ..Default::default()
        };
        app.state.db.insert_row(&row).expect("stored");
    };
    answer("The newsroom", format!("{BODY} (the newsroom's answer)"), true, None);
    answer("Asha Rao", format!("{BODY} (signed in)"), false, Some("u-42"));
    post("first", "Chandra".into(), format!("{BODY} (to Bina)"), Some(reply["id"].clone())).await;
    post("first", "Held".into(), format!("{BODY} https://held.example"), None).await;
    let gone = post("first", "Dev".into(), format!("{BODY} (deleted)"), None).await;
    post("first", "Esha".into(), format!("{BODY} (under a deleted one)"), Some(gone["id"].clone())).await;
    let bearer = format!("Bearer {}", gone["edit_token"].as_str().expect("token"));
    let path = format!("/api/threads/first/comments/{}", gone["id"].as_str().expect("id"));
    assert_eq!(app.send("DELETE", &path, &[("Authorization", &bearer)], b"").await.status, 204);
    let edited = post("second", "Farah".into(), BODY.into(), None).await;
    let bearer = format!("Bearer {}", edited["edit_token"].as_str().expect("token"));
    let path = format!("/api/threads/second/comments/{}", edited["id"].as_str().expect("id"));
    let change = json!({"body": format!("{BODY} (edited)")}).to_string();
    let headers = [("Content-Type", "application/json"), ("Authorization", bearer.as_str())];
    assert_eq!(app.send("PATCH", &path, &headers, change.as_bytes()).await.status, 200);
    let key = [("Reader-Key", "0123456789abcdef0123456789abcdef")];
    assert_eq!(app.send("POST", &format!("{path}/recommend"), &key, b"").await.status, 200);
    let payloads: Vec<String> =
        serde_json::from_str(include_str!("../../fixtures/xss-payloads.json")).expect("the XSS list");
    for p in payloads.iter().take(12) {
        post("second", p.chars().take(80).collect(), format!("{p} {BODY}"), None).await;
    }
    for phrase in ["cheap pills", "<b>casino</b> \"bonus\""] {
        app.state.db.set_blocked(phrase, true, 1_767_225_600_000).expect("blocked");
    }
    let closed = command(&app.db, &["close", "second"], None);
    assert!(closed.status.success(), "{}", said(&closed));
    app.db.clone()
}

/// Every comment of an export, without its ids (the store gives its own), with its
/// parent's author in place of the parent's id.
fn by_content(rows: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = rows
        .iter()
        .map(|r| {
            let parent = rows.iter().find(|p| p["id"] == r["parent_id"] && p["thread"] == r["thread"]);
            let mut r = r.clone();
            r["parent_id"] =
                parent.map_or(Value::Null, |p| json!(p["created_at"].to_string() + &p["body"].to_string()));
            r["id"] = Value::Null;
            r
        })
        .collect();
    out.sort_by_key(|r| r.to_string());
    out
}

#[tokio::test]
async fn an_export_imported_into_a_new_file_is_the_same_thread_by_thread_and_twice_adds_nothing() {
    let source = filled("export-source").await;
    let out = command(&source, &["export"], None);
    assert!(out.status.success(), "{}", said(&out));
    let text = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    let all = lines(&text);
    assert_eq!(all[0]["format"], json!("reader-comments-export"));
    assert_eq!(all[0]["version"], json!(3));
    let (records, rows): (Vec<Value>, Vec<Value>) = all[1..].iter().cloned().partition(|l| l.get("record").is_some());
    let rows = &rows[..];
    assert_eq!(rows.len(), 21, "every comment, held and deleted ones included: {text}");
    assert!(said(&out).contains("exported 21 comments (closed threads: 1, blocked phrases: 2)"), "{}", said(&out));
    let marked: Vec<(&Value, &Value, &Value)> = rows
        .iter()
        .filter(|r| !r["featured_at"].is_null() || r["staff"] == json!(true) || !r["account"].is_null())
        .map(|r| (&r["featured_at"], &r["staff"], &r["account"]))
        .collect();
    assert_eq!(
        marked,
        [
            (&json!("2026-01-01T00:00:00Z"), &json!(false), &Value::Null),
            (&Value::Null, &json!(true), &Value::Null),
            (&Value::Null, &json!(false), &json!("u-42"))
        ],
        "the featured comment, the newsroom's answer, the account's comment"
    );
    assert_eq!(records[0]["record"], json!("closed_thread"));
    assert_eq!(records[0]["thread"], json!("second"));
    assert_eq!(
        records[1..].iter().map(|r| r["phrase"].clone()).collect::<Vec<_>>(),
        [json!("<b>casino</b> \"bonus\""), json!("cheap pills")]
    );
    assert_eq!(records[1]["added_at"], json!("2026-01-01T00:00:00Z"));
    let statuses: Vec<&str> = rows.iter().filter_map(|r| r["status"].as_str()).collect();
    assert!(statuses.contains(&"pending") && statuses.contains(&"deleted"));
    assert!(rows.iter().any(|r| r["edited_at"].is_string() && r["recommends"] == json!(1)));
    assert!(!text.contains("edit_token") && !text.contains("0123456789abcdef0123456789abcdef"), "no secrets");

    let target = temp_db("export-target");
    let first = command(&target, &["import", "-"], Some(&text));
    assert!(first.status.success(), "{}", said(&first));
    let done = "imported 21 comments into 2 threads (0 were already there); threads closed: 1, phrases blocked: 2";
    assert!(said(&first).contains(done), "{}", said(&first));
    let again = command(&target, &["import", "-"], Some(&text));
    let none = "imported 0 comments into 2 threads (21 were already there); threads closed: 0, phrases blocked: 0";
    assert!(said(&again).contains(none), "{}", said(&again));
    let back = lines(&String::from_utf8(command(&target, &["export"], None).stdout).expect("UTF-8"));
    let (back_records, back): (Vec<Value>, Vec<Value>) =
        back[1..].iter().cloned().partition(|l| l.get("record").is_some());
    assert_eq!(by_content(&back), by_content(rows), "the same comments, replies under the same comments");
    assert_eq!(back_records, records, "the same thread closed (at the same time), the same phrases blocked");

    // Into the file it came from: nothing new either.
    let home = command(&source, &["import", "-"], Some(&text));
    assert!(said(&home).contains("imported 0 comments"), "{}", said(&home));

    // And the new file serves them: replies embedded, the held one not listed.
    let server = start(&target, &["--no-seed"]);
    let page = request(&server.addr, "GET", "/api/threads/first/comments", &[], b"").expect("list").json();
    let top = &page["comments"][0];
    assert_eq!((top["author"].clone(), top["reply_count"].clone()), (json!("Asha"), json!(2)));
    assert_eq!(top["replies"][1]["author"], json!("Chandra"));
    assert_eq!(page["comments"][1]["status"], json!("deleted"), "kept for its reply");
    assert!(!page.to_string().contains("held.example"));
    assert_eq!(page["closed"], json!(false), "the first thread is open");
    let second = request(&server.addr, "GET", "/api/threads/second/comments", &[], b"").expect("list").json();
    assert_eq!(second["closed"], json!(true), "the second is closed there too");
    let blocked = post_json(&server.addr, "first", &comment("Seller", &format!("{BODY} Cheap   PILLS here")), None)
        .expect("an answer");
    assert_eq!(blocked.status, 202, "a blocked phrase holds a comment there too: {}", blocked.body);
}

#[tokio::test]
async fn a_sqlite_file_moves_to_postgresql_with_its_threads_closed_and_phrases_blocked() {
    let Some(_) = postgres() else {
        eprintln!("run with RC_TEST_POSTGRES (scripts/test.sh's PostgreSQL pass does)");
        return;
    };
    let file = std::env::temp_dir().join(format!("rc-move-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&file);
    std::fs::create_dir_all(&file).expect("a directory");
    let source = filled_at(file.join("comments.sqlite3")).await;
    let out = command(&source, &["export"], None);
    assert!(out.status.success(), "{}", said(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let target = temp_db("move-to-postgres");
    assert!(target.to_string_lossy().starts_with("postgres"), "{}", target.display());
    let moved = command(&target, &["import", "-"], Some(&text));
    let done = "imported 21 comments into 2 threads (0 were already there); threads closed: 1, phrases blocked: 2";
    assert!(said(&moved).contains(done), "{}", said(&moved));
    let back = String::from_utf8(command(&target, &["export"], None).stdout).expect("UTF-8");
    let split = |text: &str| -> (Vec<Value>, Vec<Value>) {
        lines(text)[1..].iter().cloned().partition(|l| l.get("record").is_some())
    };
    let ((records, rows), (back_records, back_rows)) = (split(&text), split(&back));
    assert_eq!(by_content(&back_rows), by_content(&rows), "the same comments, replies under the same comments");
    assert_eq!(back_records, records, "the same thread closed, the same phrases blocked");
    let _ = std::fs::remove_dir_all(&file);
}

#[tokio::test]
async fn export_to_a_file_never_overwrites_one() {
    let db = filled("export-file").await;
    let dir = std::env::temp_dir().join(format!("rc-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let file = dir.join("out.jsonl");
    let _ = std::fs::remove_file(&file);
    let out = command(&db, &["export", file.to_str().expect("path")], None);
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(lines(&std::fs::read_to_string(&file).expect("written")).len(), 25);
    let again = command(&db, &["export", file.to_str().expect("path")], None);
    assert!(!again.status.success());
    assert!(said(&again).contains("cannot create"), "{}", said(&again));
}

#[test]
fn a_bad_input_is_refused_whole_with_its_line_numbers() {
    let db = temp_db("import-bad");
    let header = r#"{"format":"reader-comments-export","version":1}"#;
    let good = format!(
        r#"{{"thread":"t","id":"1","author":"A","body":"{BODY}","created_at":"2026-01-01T00:00:00Z","status":"published"}}"#
    );
    let good = good.as_str();
    let cases: Vec<(String, &str)> = vec![
        (good.to_string(), "line 1: not the first line of a Reader Comments export"),
        (format!("{header}\n{good}\nnot json"), "line 3: not JSON"),
        (
            format!("{header}\n{}", good.replace("\"t\"", "\"a/b\"")),
            "line 2: \"thread\" is missing or not a thread key",
        ),
        (format!("{header}\n{}", good.replace("2026-01-01T00:00:00Z", "yesterday")), "line 2: \"created_at\""),
        (format!("{header}\n{}", good.replace("published", "spam")), "line 2: \"status\""),
        (format!("{header}\n{good}\n{good}"), "line 3: comment 1 of thread t appears twice"),
        (format!("{header}\n{}", good.replace("\"id\":\"1\"", "\"id\":\"2\",\"parent_id\":\"9\"")), "answers 9"),
        (String::new(), "the input is empty"),
        (r#"{"format":"reader-comments-export","version":4}"#.to_string(), "version 1 to 3"),
        (format!("{header}\n{}", good.replace("\"A\"", "\"A\",\"staff\":\"yes\"")), "line 2: \"staff\" is not true or false"),
        (format!("{header}\n{}", good.replace("\"A\"", "\"A\",\"account\":\"\"")), "line 2: \"account\" is not 1 to 200"),
        (format!("{header}\n{}", good.replace("\"A\"", "\"A\",\"featured_at\":\"soon\"")), "line 2: \"featured_at\""),
        (format!("{header}\n{good}\n{{\"record\":\"closed_thread\",\"thread\":\"a/b\",\"closed_at\":\"2026-01-01T00:00:00Z\"}}"), "line 3: \"thread\""),
        (format!("{header}\n{{\"record\":\"closed_thread\",\"thread\":\"t\",\"closed_at\":\"soon\"}}"), "line 2: \"closed_at\""),
        (format!("{header}\n{{\"record\":\"blocked_phrase\",\"phrase\":\" \",\"added_at\":\"2026-01-01T00:00:00Z\"}}"), "line 2: \"phrase\""),
        (format!("{header}\n{{\"record\":\"ban\"}}"), "line 2: \"record\" is not closed_thread or blocked_phrase"),
        // What the API refuses, an import refuses, with its line.
        (format!("{header}\n{}", good.replace("\"A\"", "\"A\\u001b[31m\"")), "line 2: \"author\": Your name must be one line of text"),
        (format!("{header}\n{}", good.replace("\"A\"", &format!("\"{}\"", "n".repeat(5_000)))), "line 2: \"author\": Your name must be 80 characters or fewer: remove 4920 characters"),
        (format!("{header}\n{}", good.replace(BODY, &"b".repeat(300_000))), "line 2: \"body\": Remove 295000 characters: the limit is 5000"),
        (format!("{header}\n{}", good.replace(BODY, &format!("{BODY} a{}", "\u{0301}".repeat(500)))), "line 2: \"body\": Your comment has a character with too many accent marks"),
        (format!("{header}\n{}", good.replace(BODY, "Too short.")), "line 2: \"body\": Add 40 more characters"),
        (format!("{header}\n{}", good.replace(BODY, &"b".repeat(5 * 1024 * 1024))), "line 2: longer than 4 MiB"),
    ];
    for (input, why) in cases {
        let out = command(&db, &["import", "-"], Some(&input));
        assert!(!out.status.success(), "{input}");
        assert!(said(&out).contains("nothing was imported"), "{}", said(&out));
        assert!(said(&out).contains(why), "{why}: {}", said(&out));
    }
    let export = String::from_utf8(command(&db, &["export"], None).stdout).expect("UTF-8");
    assert_eq!(lines(&export).len(), 1, "nothing was written: {export}");
    let missing = command(&db, &["import", "/nonexistent/file.jsonl"], None);
    assert!(said(&missing).contains("cannot open /nonexistent/file.jsonl"));
    // Historic text that is only too long is kept when the operator says so; nothing else.
    let long = format!("{header}\n{}", good.replace(BODY, &"b".repeat(6_000)));
    let refused = command(&db, &["import", "-"], Some(&long));
    assert!(said(&refused).contains("--allow-long keeps historic text that is only too long"), "{}", said(&refused));
    let kept = command(&db, &["import", "--allow-long", "-"], Some(&long));
    assert!(kept.status.success(), "{}", said(&kept));
    let hostile = format!("{header}\n{}", good.replace("\"A\"", "\"A\\u0007\"").replace("\"1\"", "\"2\""));
    let still = command(&db, &["import", "--allow-long", "-"], Some(&hostile));
    assert!(!still.status.success() && said(&still).contains("\"author\""), "{}", said(&still));
    let export = String::from_utf8(command(&db, &["export"], None).stdout).expect("UTF-8");
    assert_eq!(lines(&export).len(), 2, "the long one alone: {export}");
    command(&db, &["delete", "1"], None);
    // A version 1 file (comments only, as servers before 2026-11-27 wrote) still imports.
    let old = command(&db, &["import", "-"], Some(&format!("{header}\n{good}")));
    assert!(said(&old).contains("imported 1 comments into 1 threads (0 were already there)"), "{}", said(&old));
    assert!(!said(&old).contains("threads closed"), "{}", said(&old));
}

#[tokio::test]
async fn a_backup_taken_while_the_server_posts_is_a_sound_copy_that_a_server_can_serve() {
    if sqlite_only("SQLite's online backup (PostgreSQL: pg_dump)") {
        return;
    }
    let db = temp_db("backup-live");
    let server = start(&db, &["--rate-limit", "off", "--moderation", "none"]);
    let addr = server.addr.clone();
    let writer = std::thread::spawn(move || {
        (0..200)
            .filter(|n| post_json(&addr, "live", &comment(&format!("W{n}"), BODY), None).is_ok_and(|r| r.status == 201))
            .count()
    });
    std::thread::sleep(std::time::Duration::from_millis(50));
    let copy = db.with_file_name("copy.sqlite3");
    let out = command(&db, &["backup", copy.to_str().expect("path")], None);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("backed up"), "{}", said(&out));
    let stored = writer.join().expect("the writer");
    assert_eq!(stored, 200, "posting went on during the backup");
    let again = command(&db, &["backup", copy.to_str().expect("path")], None);
    assert!(said(&again).contains("never overwrites"), "{}", said(&again));
    drop(server);

    let restored = start(&copy, &["--no-seed"]);
    let served = all_comments(&restored.addr, "live");
    let counted: usize =
        said(&out).split_whitespace().skip_while(|w| *w != "up").nth(1).and_then(|n| n.parse().ok()).expect("a count");
    let exported = lines(&String::from_utf8(command(&copy, &["export"], None).stdout).expect("UTF-8")).len() - 1;
    assert_eq!(exported, counted, "the copy holds what the backup counted");
    assert!(!served.is_empty(), "some posts were in by the time of the copy");
    assert!(served.iter().zip(0..).all(|(c, n)| c["author"] == json!(format!("W{n}"))), "in order, none lost");
}

#[tokio::test]
async fn an_imported_recommend_count_is_a_count_and_recommending_never_overflows() {
    let db = temp_db("import-counts");
    let header = r#"{"format":"reader-comments-export","version":2}"#;
    let line = |n: &str| {
        format!(
            r#"{{"thread":"t","id":"1","author":"A","body":"{BODY}","created_at":"2026-01-01T00:00:00Z","status":"published","recommends":{n}}}"#
        )
    };
    let huge = command(&db, &["import", "-"], Some(&format!("{header}\n{}\n", line("9223372036854775807"))));
    assert!(!huge.status.success());
    assert!(
        said(&huge).contains("line 2: \"recommends\" is not a count from 0 to 9007199254740992"),
        "{}",
        said(&huge)
    );
    let most = command(&db, &["import", "-"], Some(&format!("{header}\n{}\n", line("9007199254740992"))));
    assert!(most.status.success(), "{}", said(&most));
    // A count stored before imports were checked, as far from the cap as it goes.
    sql(&db, "UPDATE comments SET recommends = 9223372036854775807");
    let app = App::with_settings(reader_comments_server::Settings::for_db(&db));
    let id = app.all_comments("t").await[0]["id"].as_str().expect("id").to_string();
    let key = [("Reader-Key", "0123456789abcdef0123456789abcdef")];
    let on = app.send("POST", &format!("/api/threads/t/comments/{id}/recommend"), &key, b"").await;
    assert_eq!((on.status, on.json()["recommends"].as_i64()), (200, Some(9007199254740992)), "{}", on.body);
    let off = app.send("DELETE", &format!("/api/threads/t/comments/{id}/recommend"), &key, b"").await;
    assert_eq!((off.status, off.json()["recommends"].as_i64()), (200, Some(9007199254740991)), "{}", off.body);
}

#[test]
fn posting_and_reading_go_on_while_a_large_import_runs() {
    let db = temp_db("import-while-posting");
    let server = start(&db, &["--rate-limit", "off", "--moderation", "none"]);
    let header = r#"{"format":"reader-comments-export","version":2}"#;
    let mut file = String::from(header);
    // Large enough that one transaction for all of it held SQLite's writer for seconds
    // (1151e78: posts during it were answered 503).
    for n in 0..30_000 {
        let at = reader_comments_core::time::format_rfc3339(1_767_225_600_000 + n * 1000);
        file.push_str(&format!(
            "\n{{\"thread\":\"big{}\",\"id\":\"{n}\",\"author\":\"Reader {n}\",\"body\":\"{BODY} ({n})\",\"created_at\":\"{at}\",\"status\":\"published\"}}",
            n % 20
        ));
    }
    let path = std::env::temp_dir().join(format!("rc-big-import-{}.jsonl", std::process::id()));
    std::fs::write(&path, file).expect("written");
    let mut import = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8"), "import", path.to_str().expect("utf-8")])
        .stderr(Stdio::piped())
        .spawn()
        .expect("the import runs");
    let (mut statuses, mut n) = (Vec::new(), 0);
    let finished = loop {
        if let Some(done) = import.try_wait().expect("its state") {
            break done;
        }
        let posted = post_json(&server.addr, "live", &comment("Live", &format!("{BODY} {n}")), None).expect("post");
        let read = request(&server.addr, "GET", "/api/threads/live/comments", &[], b"").expect("read");
        statuses.push((posted.status, read.status));
        n += 1;
        // A reader's pace, many times over (a flood would be the rate limit's business).
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let said = import.wait_with_output().map(|o| String::from_utf8_lossy(&o.stderr).to_string()).unwrap_or_default();
    assert!(finished.success(), "{said}");
    assert!(said.contains("imported 30000 comments into 20 threads"), "{said}");
    assert!(statuses.len() >= 5, "posts and reads went on meanwhile: {}", statuses.len());
    assert!(statuses.iter().all(|s| *s == (201, 200)), "every post stored, every read answered: {statuses:?}");
    let _ = std::fs::remove_file(path);
}
