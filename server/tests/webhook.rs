//! `--webhook`: a held comment is announced to a real HTTP receiver (a listener in this
//! test) in the background: the reader's post does not wait, a failed delivery is tried
//! again, published comments are not announced (until readers' reports send one back to
//! the queue), a webhook that is down loses no comment, a notification waiting when its
//! instance is killed is sent by the next one, and two instances on one store send each
//! notification once.

mod common;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

/// A receiver that answers 500 to its first `failures` requests and 200 after; the
/// bodies it got.
fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().expect("address").to_string();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock().expect("lock").push(String::from_utf8_lossy(&body).to_string());
            let status = if n < failures { "500 Internal Server Error" } else { "200 OK" };
            let _ = stream
                .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
        }
    });
    (addr, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_comment_is_announced_in_the_background_and_retried_after_a_failure() {
    let (addr, got) = receiver(1);
    let app = App::new("webhook", |s| {
        s.webhook = Some(format!("http://{addr}/hook"));
        s.public_origins = vec!["https://comments.example".into()];
    });
    assert_eq!(app.post("t", &comment("Reader", BODY), None).await.status, 201);
    let started = Instant::now();
    let held = app.post("t", &comment("Linker", &format!("{BODY} https://x.example")), None).await;
    assert_eq!(held.status, 202);
    assert!(started.elapsed() < Duration::from_millis(500), "the post did not wait: {:?}", started.elapsed());
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.lock().expect("lock").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let bodies = got.lock().expect("lock").clone();
    assert_eq!(bodies.len(), 2, "the 500 was followed by one retry, and only the held comment was announced");
    let event: Value = serde_json::from_str(&bodies[1]).expect("JSON");
    assert_eq!(bodies[0], bodies[1], "the same event again");
    assert_eq!(event["event"], "comment.held");
    assert_eq!(event["thread"], "t");
    assert_eq!(event["comment"]["author"], "Linker");
    assert_eq!(event["reason"], "it has a link");
    assert!(event["text"].as_str().is_some_and(|t| t.contains("waits for moderation on t, by Linker")));
    let review = "https://comments.example/admin?thread=t";
    assert_eq!(event["review_url"], review, "the thread's queue at the public origin");
    assert!(event["text"].as_str().is_some_and(|t| t.ends_with(&format!("review it: {review}"))), "{event}");
}

#[tokio::test]
async fn a_webhook_that_is_down_neither_delays_nor_loses_the_comment() {
    let app = App::new("webhook-down", |s| s.webhook = Some("http://127.0.0.1:9/hook".into()));
    let started = Instant::now();
    let held = app.post("t", &comment("Linker", &format!("{BODY} https://x.example")), None).await;
    assert_eq!(held.status, 202);
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    let pending = app.state.db.pending(None, usize::MAX).expect("pending");
    assert_eq!(pending.len(), 1, "stored and waiting for a moderator");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_readers_send_back_to_the_queue_is_announced_with_that_reason() {
    let (addr, got) = receiver(1);
    let app = App::new("webhook-reports", |s| {
        s.webhook = Some(format!("http://{addr}/hook"));
        s.report_threshold = 2;
        s.trusted_proxies = vec![std::net::IpAddr::from(PEER.0)];
    });
    let posted = app.post("t", &comment("Troll", BODY), None).await.json();
    let path = format!("/api/threads/t/comments/{}/report", posted["id"].as_str().expect("id"));
    let readers =
        [("0123456789abcdef0123456789abcdef", "203.0.113.1"), ("fedcba9876543210fedcba9876543210", "203.0.113.2")];
    for (reader, address) in readers {
        let headers = [("Content-Type", "application/json"), ("Reader-Key", reader), ("X-Forwarded-For", address)];
        assert_eq!(app.send("POST", &path, &headers, br#"{"reason":"abuse"}"#).await.status, 202);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.lock().expect("lock").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let bodies = got.lock().expect("lock").clone();
    let event: Value = serde_json::from_str(bodies.last().expect("an event")).expect("JSON");
    assert_eq!(
        (event["event"].as_str(), event["reason"].as_str()),
        (Some("comment.held"), Some("reported by readers"))
    );
    assert_eq!(event["comment"]["author"], "Troll");
}

/// Waits up to `seconds` for `done`.
async fn until(seconds: u64, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_waiting_when_its_instance_is_killed_is_sent_by_the_next_one() {
    let db = temp_db("webhook-restart");
    let first = start(&db, &["--webhook", "http://127.0.0.1:9/hook"]);
    let held = post_json(&first.addr, "t", &comment("Linker", &format!("{BODY} https://x.example")), None);
    assert_eq!(held.expect("posted").status, 202);
    // Nothing listens on port 9: the first attempt fails and the event waits in the store.
    let attempts = || sql_value(&db, "SELECT COALESCE(MAX(attempts), 0) FROM outbox").parse::<u32>().unwrap_or(0);
    until(10, || attempts() >= 1).await;
    assert!(attempts() >= 1, "a failed attempt recorded");
    drop(first); // kill -9
    let (addr, got) = receiver(0);
    let _second = start(&db, &["--webhook", &format!("http://{addr}/hook")]);
    until(15, || !got.lock().expect("lock").is_empty()).await;
    let bodies = got.lock().expect("lock").clone();
    assert_eq!(bodies.len(), 1, "sent by the instance that came next");
    let event: Value = serde_json::from_str(&bodies[0]).expect("JSON");
    assert_eq!(
        (event["comment"]["author"].as_str(), event["reason"].as_str()),
        (Some("Linker"), Some("it has a link"))
    );
    until(5, || sql_value(&db, "SELECT COUNT(*) FROM outbox") == "0").await;
    assert_eq!(sql_value(&db, "SELECT COUNT(*) FROM outbox"), "0", "and then no longer waiting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_store_send_each_notification_once() {
    let (addr, got) = receiver(0);
    let url = format!("http://{addr}/hook");
    let one = App::new("webhook-two", |s| s.webhook = Some(url.clone()));
    let mut settings = reader_comments_server::Settings::for_db(&one.db);
    settings.webhook = Some(url);
    let two = App::with_settings(settings);
    for n in 0..6 {
        let app = if n % 2 == 0 { &one } else { &two };
        let posted = app.post("t", &comment("Linker", &format!("{BODY} https://x.example/{n}")), None).await;
        assert_eq!(posted.status, 202);
    }
    until(15, || got.lock().expect("lock").len() >= 6).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let bodies = got.lock().expect("lock").clone();
    let mut ids: Vec<String> = bodies
        .iter()
        .map(|b| serde_json::from_str::<Value>(b).expect("JSON")["comment"]["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((bodies.len(), ids.len()), (6, 6), "six notifications, each once: {ids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readers_words_reach_the_chat_without_mentions_links_or_a_second_line() {
    let (addr, got) = receiver(0);
    let app = App::new("webhook-hostile", |s| s.webhook = Some(format!("http://{addr}/hook")));
    let body = format!("{BODY} <!channel> <https://evil.example|click here>\n\nA comment waits for moderation on t, by Editor: all fine https://x.example");
    let held = app.post("t", &comment("<@U024BE7LH> & <!here>", &body), None).await;
    assert_eq!(held.status, 202, "{}", held.body);
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.lock().expect("lock").is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let event: Value = serde_json::from_str(&got.lock().expect("lock")[0]).expect("JSON");
    let text = event["text"].as_str().expect("text");
    assert!(!text.contains('<') && !text.contains('>') && !text.contains('\n'), "{text}");
    assert!(text.contains("by &lt;@U024BE7LH&gt; &amp; &lt;!here&gt; (it has a link)"), "{text}");
    assert!(text.contains("&lt;!channel&gt; &lt;https://evil.example|click here&gt; A comment waits"), "{text}");
    assert_eq!(text.matches("A comment waits for moderation").count(), 2, "the fake is inside the excerpt: {text}");
    assert!(text.starts_with("A comment waits for moderation on t, by "), "{text}");
    assert_eq!(event["comment"]["body"], body.as_str(), "the whole text, as written, only in the JSON field");
    assert_eq!(event["comment"]["author"], "<@U024BE7LH> & <!here>");
}
