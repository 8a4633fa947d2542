//! The contract in-process (a real SQLite file, no sockets): status codes, problem
//! documents, CORS, origin checks, limits, idempotency, moderation and the honeypot.

mod common;
use common::*;
use reader_comments_server::Moderation;

/// A name, the request headers, the body, and the status expected.
type Case = (&'static str, Vec<(&'static str, &'static str)>, Vec<u8>, u16);

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

#[tokio::test]
async fn the_demo_thread_is_seeded_with_the_five_seed_comments() {
    let app = App::new("seed", |s| s.seed = true);
    let page = app.get("/api/threads/india-canada-liaison/comments").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let doc = page.json();
    let authors: Vec<&str> =
        doc["comments"].as_array().expect("list").iter().filter_map(|c| c["author"].as_str()).collect();
    assert_eq!(authors, ["Priyanka N", "Aman W", "Sarah B", "Vikram M", "Kriti O"]);
    assert_eq!(doc["limits"], serde_json::json!({"min_length": 50, "max_length": 5000}));
    assert_eq!(doc["next"], serde_json::Value::Null);
}

#[tokio::test]
async fn client_mistakes_get_problem_documents_never_a_500() {
    let app = App::new("mistakes", |_| {});
    let json = ("Content-Type", "application/json");
    let cases: Vec<Case> = vec![
        ("wrong type", vec![("Content-Type", "text/plain")], BODY.as_bytes().to_vec(), 415),
        ("no type", vec![], comment("A", BODY).into_bytes(), 415),
        ("not JSON", vec![json], b"{author:".to_vec(), 400),
        ("an array", vec![json], b"[1,2]".to_vec(), 400),
        ("a number for a name", vec![json], br#"{"author":5,"body":"x"}"#.to_vec(), 400),
        ("lone high surrogate", vec![json], br#"{"author":"A","body":"abc\ud83d"}"#.to_vec(), 400),
        ("lone low surrogate", vec![json], br#"{"author":"A","body":"\ude00abc"}"#.to_vec(), 400),
        ("invalid UTF-8", vec![json], b"{\"author\":\"A\",\"body\":\"\xC0\xBCscript\xFF\"}".to_vec(), 400),
        ("escape codes", vec![json], comment("A", &format!("{BODY}\u{1b}[31m")).into_bytes(), 400),
        ("stacked marks", vec![json], comment("A", &format!("{BODY}e{}", "\u{301}".repeat(40))).into_bytes(), 400),
        ("49 characters", vec![json], comment("A", &"a".repeat(49)).into_bytes(), 422),
        ("no name", vec![json], comment(" ", BODY).into_bytes(), 422),
        ("too large", vec![json], comment("A", &"a".repeat(70_000)).into_bytes(), 413),
    ];
    for (name, headers, body, expected) in cases {
        let res = app.send("POST", "/api/threads/t/comments", &headers, &body).await;
        assert_eq!(res.status, expected, "{name}: {}", res.body);
        assert_eq!(res.header("content-type"), Some("application/problem+json"), "{name}");
        assert!(res.json()["detail"].as_str().is_some_and(|d| !d.is_empty()), "{name}: {}", res.body);
    }
    let short = app.post("t", &comment("A", &"a".repeat(49)), None).await.json();
    assert_eq!(
        short["errors"][0],
        serde_json::json!({"field": "body", "code": "too_short", "message": "Add 1 more character", "amount": 1, "min": 50})
    );
    let long_name = app.post("t", &comment(&"n".repeat(83), BODY), None).await.json();
    assert_eq!(
        long_name["errors"][0],
        serde_json::json!({"field": "author", "code": "too_long", "amount": 3, "max": 80,
            "message": "Your name must be 80 characters or fewer: remove 3 characters"})
    );
    assert_eq!(app.get("/api/threads/..%2Fetc/comments").await.status, 404);
    assert_eq!(app.get("/api/threads/t/comments?cursor=zzz").await.status, 400);
    assert!(app.all_comments("t").await.is_empty(), "nothing was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idempotency_keys_replay_refuse_a_different_body_and_store_once() {
    let app = App::new("idem", |_| {});
    let first = app.post("t", &comment("A", BODY), Some("key-1")).await;
    let again = app.post("t", &comment("A", BODY), Some("key-1")).await;
    assert_eq!((first.status, again.status), (201, 201));
    let (mut first_doc, mut again_doc) = (first.json(), again.json());
    let (first_token, again_token) = (first_doc["edit_token"].take(), again_doc["edit_token"].take());
    assert_eq!(first_doc, again_doc, "a replay returns the original comment");
    assert!(again_token.is_string() && first_token != again_token, "with a new edit token, replacing the first");
    let other = app.post("t", &comment("A", &format!("{BODY} changed")), Some("key-1")).await;
    assert_eq!(other.status, 422);
    // The same key fired concurrently: one is stored, the others replay or wait (409).
    let attempts: Vec<_> = (0..12)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.post("t", &comment("B", BODY), Some("key-2")).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.expect("the request ran"));
    }
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    assert!(statuses.contains(&201));
    assert_eq!(app.all_comments("t").await.len(), 2);
}

#[tokio::test]
async fn cors_allows_listed_origins_only_and_posts_from_others_are_refused() {
    let app = App::new("cors", |s| s.allow_origins = vec!["https://news.example".into()]);
    let preflight = app
        .send(
            "OPTIONS",
            "/api/threads/t/comments",
            &[
                ("Origin", "https://news.example"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, idempotency-key"),
            ],
            b"",
        )
        .await;
    assert!(preflight.status < 300, "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("https://news.example"));
    let allowed = preflight.header("access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("idempotency-key"), "{allowed}");
    assert_eq!(preflight.header("access-control-allow-credentials"), None);
    let stranger = app
        .send(
            "OPTIONS",
            "/api/threads/t/comments",
            &[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")],
            b"",
        )
        .await;
    assert_eq!(stranger.header("access-control-allow-origin"), None);
    let body = comment("A", BODY);
    let headers = [("Content-Type", "application/json"), ("Origin", "https://evil.example")];
    assert_eq!(app.send("POST", "/api/threads/t/comments", &headers, body.as_bytes()).await.status, 403);
    let headers = [("Content-Type", "application/json"), ("Origin", "https://news.example")];
    assert_eq!(app.send("POST", "/api/threads/t/comments", &headers, body.as_bytes()).await.status, 201);
}

#[tokio::test]
async fn a_fast_poster_gets_429_with_retry_after() {
    let app = App::new("rate", |s| s.rate = reader_comments_server::parse_rate("3/min").expect("rate"));
    let mut responses = Vec::new();
    for i in 0..5 {
        responses.push(app.post("t", &comment("A", &format!("{BODY} {i}")), None).await);
    }
    assert_eq!(responses.iter().map(|r| r.status).collect::<Vec<_>>(), [201, 201, 201, 429, 429]);
    let wait: u64 = responses[3].header("retry-after").and_then(|v| v.parse().ok()).expect("a Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
}

#[tokio::test]
async fn links_are_held_for_moderation_with_202_and_not_listed() {
    let app = App::new("moderation", |s| s.moderation = Moderation::Links);
    let res = app.post("t", &comment("A", &format!("{BODY} https://spam.example")), None).await;
    assert_eq!(res.status, 202);
    assert_eq!(res.json()["status"], "pending");
    assert!(app.all_comments("t").await.is_empty());
}

#[tokio::test]
async fn a_filled_honeypot_is_answered_but_nothing_is_stored() {
    let app = App::new("honeypot", |_| {});
    let body = serde_json::json!({"author": "Bot", "body": BODY, "website": "http://spam.example"}).to_string();
    let res = app.post("t", &body, None).await;
    assert_eq!(res.status, 202);
    assert!(app.all_comments("t").await.is_empty());
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_reader_has_their_own_rate_limit() {
    let app = App::new("proxy", |s| {
        s.rate = reader_comments_server::parse_rate("2/min").expect("rate");
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    });
    let post_as = |client: &'static str, n: usize| {
        let body = comment("A", &format!("{BODY} from {client} number {n}"));
        let app = &app;
        async move {
            let headers = [("Content-Type", "application/json"), ("X-Forwarded-For", client)];
            app.send("POST", "/api/threads/t/comments", &headers, body.as_bytes()).await.status
        }
    };
    assert_eq!([post_as("198.51.100.1", 1).await, post_as("198.51.100.1", 2).await], [201, 201]);
    let other = [post_as("198.51.100.2", 1).await, post_as("198.51.100.2", 2).await];
    assert_eq!(other, [201, 201], "another reader is not limited");
    assert_eq!(post_as("198.51.100.1", 3).await, 429);
}

#[tokio::test]
async fn a_failed_read_says_the_comments_could_not_be_loaded_and_a_failed_write_that_it_was_not_saved() {
    let app = App::new("faults", |_| {});
    // A real fault in the real store: the tables the handlers use are gone.
    sql(
        &app.db,
        "DROP TABLE idempotency; DROP TABLE recommends; DROP TABLE reports; DROP TABLE outbox; DROP TABLE comments;",
    );
    let read = app.get("/api/threads/t/comments").await;
    assert_eq!(read.status, 500);
    assert_eq!(read.header("content-type"), Some("application/problem+json"));
    assert_eq!(read.json()["detail"], "The comments could not be loaded. Please try again.");
    let write = app.post("t", &comment("A", BODY), None).await;
    assert_eq!(write.status, 500);
    assert_eq!(write.json()["detail"], "The comment could not be saved. Please try again.");
}
