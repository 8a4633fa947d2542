//! The contract over real sockets against the real binary and a real SQLite file:
//! status codes, problem documents, CORS, origin checks, limits, idempotency.

mod common;
use common::*;

/// A name, the request headers, the body, and the status expected.
type Case = (&'static str, Vec<(&'static str, &'static str)>, Vec<u8>, u16);

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

#[test]
fn the_demo_thread_is_seeded_with_the_five_seed_comments() {
    let server = start(&temp_db("seed"), &["--rate-limit", "off"]);
    let page = request(&server.addr, "GET", "/api/threads/india-canada-liaison/comments", &[], b"").expect("get");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let doc = page.json();
    let authors: Vec<&str> =
        doc["comments"].as_array().expect("list").iter().filter_map(|c| c["author"].as_str()).collect();
    assert_eq!(authors, ["Priyanka N", "Aman W", "Sarah B", "Vikram M", "Kriti O"]);
    assert_eq!(doc["limits"], serde_json::json!({"min_length": 50, "max_length": 5000}));
    assert_eq!(doc["next"], serde_json::Value::Null);
}

#[test]
fn a_post_is_stored_and_survives_a_restart() {
    let db = temp_db("restart");
    let server = start(&db, &["--rate-limit", "off"]);
    let res = post_json(&server.addr, "t1", &comment("Meera T", BODY), Some("k1")).expect("post");
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.json()["status"], "published");
    drop(server);
    let again = start(&db, &["--rate-limit", "off"]);
    let stored = all_comments(&again.addr, "t1");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["body"], BODY);
}

#[test]
fn client_mistakes_get_problem_documents_never_a_500() {
    let server = start(&temp_db("mistakes"), &["--rate-limit", "off"]);
    let a = &server.addr;
    let cases: Vec<Case> = vec![
        ("wrong type", vec![("Content-Type", "text/plain")], BODY.as_bytes().to_vec(), 415),
        ("no type", vec![], comment("A", BODY).into_bytes(), 415),
        ("not JSON", vec![("Content-Type", "application/json")], b"{author:".to_vec(), 400),
        ("an array", vec![("Content-Type", "application/json")], b"[1,2]".to_vec(), 400),
        (
            "a number for a name",
            vec![("Content-Type", "application/json")],
            br#"{"author":5,"body":"x"}"#.to_vec(),
            400,
        ),
        (
            "lone high surrogate",
            vec![("Content-Type", "application/json")],
            br#"{"author":"A","body":"abc\ud83d"}"#.to_vec(),
            400,
        ),
        (
            "lone low surrogate",
            vec![("Content-Type", "application/json")],
            br#"{"author":"A","body":"\ude00abc"}"#.to_vec(),
            400,
        ),
        (
            "invalid UTF-8",
            vec![("Content-Type", "application/json")],
            b"{\"author\":\"A\",\"body\":\"\xC0\xBCscript\xFF\"}".to_vec(),
            400,
        ),
        (
            "escape codes",
            vec![("Content-Type", "application/json")],
            comment("A", &format!("{BODY}\u{1b}[31m")).into_bytes(),
            400,
        ),
        (
            "stacked marks",
            vec![("Content-Type", "application/json")],
            comment("A", &format!("{BODY}e{}", "\u{301}".repeat(40))).into_bytes(),
            400,
        ),
        ("49 characters", vec![("Content-Type", "application/json")], comment("A", &"a".repeat(49)).into_bytes(), 422),
        ("no name", vec![("Content-Type", "application/json")], comment(" ", BODY).into_bytes(), 422),
        ("too large", vec![("Content-Type", "application/json")], comment("A", &"a".repeat(70_000)).into_bytes(), 413),
    ];
    for (name, headers, body, expected) in cases {
        let res = request(a, "POST", "/api/threads/t/comments", &headers, &body).expect(name);
        assert_eq!(res.status, expected, "{name}: {}", res.body);
        assert_eq!(res.header("content-type"), Some("application/problem+json"), "{name}");
        assert!(res.json()["detail"].as_str().is_some_and(|d| !d.is_empty()), "{name}: {}", res.body);
    }
    let short = post_json(a, "t", &comment("A", &"a".repeat(49)), None).expect("post").json();
    assert_eq!(
        short["errors"][0],
        serde_json::json!({"field": "body", "code": "too_short", "message": "Add 1 more character"})
    );
    let bad_thread = request(a, "GET", "/api/threads/..%2Fetc/comments", &[], b"").expect("get");
    assert_eq!(bad_thread.status, 404);
    let bad_cursor = request(a, "GET", "/api/threads/t/comments?cursor=zzz", &[], b"").expect("get");
    assert_eq!(bad_cursor.status, 400);
    assert!(all_comments(a, "t").is_empty(), "nothing was stored");
}

#[test]
fn idempotency_keys_replay_refuse_a_different_body_and_store_once() {
    let server = start(&temp_db("idem"), &["--rate-limit", "off"]);
    let a = &server.addr;
    let first = post_json(a, "t", &comment("A", BODY), Some("key-1")).expect("post");
    let again = post_json(a, "t", &comment("A", BODY), Some("key-1")).expect("post");
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.body, again.body, "a replay returns the original response");
    let other = post_json(a, "t", &comment("A", &format!("{BODY} changed")), Some("key-1")).expect("post");
    assert_eq!(other.status, 422);
    // The same key fired concurrently: one is stored, the others replay or wait (409).
    let handles: Vec<_> = (0..12)
        .map(|_| {
            let addr = a.clone();
            std::thread::spawn(move || post_json(&addr, "t", &comment("B", BODY), Some("key-2")).expect("post").status)
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    assert!(statuses.contains(&201));
    assert_eq!(all_comments(a, "t").len(), 2);
}

#[test]
fn cors_allows_listed_origins_only_and_posts_from_others_are_refused() {
    let server = start(&temp_db("cors"), &["--rate-limit", "off", "--allow-origin", "https://news.example"]);
    let a = &server.addr;
    let preflight = request(
        a,
        "OPTIONS",
        "/api/threads/t/comments",
        &[
            ("Origin", "https://news.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type, idempotency-key"),
        ],
        b"",
    )
    .expect("preflight");
    assert!(preflight.status < 300, "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("https://news.example"));
    let allowed = preflight.header("access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("idempotency-key"), "{allowed}");
    assert_eq!(preflight.header("access-control-allow-credentials"), None);
    let stranger = request(
        a,
        "OPTIONS",
        "/api/threads/t/comments",
        &[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")],
        b"",
    )
    .expect("preflight");
    assert_eq!(stranger.header("access-control-allow-origin"), None);
    let headers = [("Content-Type", "application/json"), ("Origin", "https://evil.example")];
    let refused = request(a, "POST", "/api/threads/t/comments", &headers, comment("A", BODY).as_bytes()).expect("post");
    assert_eq!(refused.status, 403);
    let headers = [("Content-Type", "application/json"), ("Origin", "https://news.example")];
    let ok = request(a, "POST", "/api/threads/t/comments", &headers, comment("A", BODY).as_bytes()).expect("post");
    assert_eq!(ok.status, 201);
}

#[test]
fn a_fast_poster_gets_429_with_retry_after() {
    let server = start(&temp_db("rate"), &["--rate-limit", "3/min"]);
    let statuses: Vec<Response> = (0..5)
        .map(|i| post_json(&server.addr, "t", &comment("A", &format!("{BODY} {i}")), None).expect("post"))
        .collect();
    assert_eq!(statuses.iter().map(|r| r.status).collect::<Vec<_>>(), [201, 201, 201, 429, 429]);
    let wait: u64 = statuses[3].header("retry-after").and_then(|v| v.parse().ok()).expect("a Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
}

#[test]
fn links_are_held_for_moderation_with_202_and_not_listed() {
    let server = start(&temp_db("moderation"), &["--rate-limit", "off"]);
    let res = post_json(&server.addr, "t", &comment("A", &format!("{BODY} https://spam.example")), None).expect("post");
    assert_eq!(res.status, 202);
    assert_eq!(res.json()["status"], "pending");
    assert!(all_comments(&server.addr, "t").is_empty());
}

#[test]
fn a_filled_honeypot_is_answered_but_nothing_is_stored() {
    let server = start(&temp_db("honeypot"), &["--rate-limit", "off"]);
    let body = serde_json::json!({"author": "Bot", "body": BODY, "website": "http://spam.example"}).to_string();
    let res = post_json(&server.addr, "t", &body, None).expect("post");
    assert_eq!(res.status, 202);
    assert!(all_comments(&server.addr, "t").is_empty());
}

#[test]
fn behind_a_trusted_proxy_each_reader_has_their_own_rate_limit() {
    let server = start(&temp_db("proxy"), &["--rate-limit", "2/min", "--trusted-proxy", "127.0.0.1"]);
    let post_as = |client: &str, n: usize| {
        let headers = [("Content-Type", "application/json"), ("X-Forwarded-For", client)];
        let body = comment("A", &format!("{BODY} from {client} number {n}"));
        request(&server.addr, "POST", "/api/threads/t/comments", &headers, body.as_bytes()).expect("post").status
    };
    assert_eq!([post_as("198.51.100.1", 1), post_as("198.51.100.1", 2)], [201, 201]);
    assert_eq!([post_as("198.51.100.2", 1), post_as("198.51.100.2", 2)], [201, 201], "another reader is not limited");
    assert_eq!(post_as("198.51.100.1", 3), 429);
}

#[test]
fn a_held_comment_is_approved_from_the_command_line_and_then_listed() {
    let db = temp_db("approve");
    let server = start(&db, &["--rate-limit", "off"]);
    let held = post_json(&server.addr, "t", &comment("A", &format!("{BODY} https://example.com")), None).expect("post");
    assert_eq!(held.status, 202);
    let id = held.json()["id"].as_str().expect("id").to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
            .args(["--db", db.to_str().expect("path")])
            .args(args)
            .output()
            .expect("runs")
    };
    let pending = run(&["pending"]);
    assert!(pending.status.success());
    assert!(String::from_utf8_lossy(&pending.stdout).starts_with(&format!("{id}\tt\t")));
    assert!(run(&["approve", &id]).status.success());
    assert_eq!(run(&["approve", &id]).status.code(), Some(3), "already published");
    let listed = all_comments(&server.addr, "t");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(run(&["delete", &id]).status.success());
    assert!(all_comments(&server.addr, "t").is_empty());
}
