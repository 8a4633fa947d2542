//! `--webhook`: a held comment is announced to a real HTTP receiver (a listener in this
//! test) in the background: the reader's post does not wait, a failed delivery is tried
//! again, published comments are not announced (until readers' reports send one back to
//! the queue), and a webhook that is down loses no comment.

mod common;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

/// A receiver that answers 500 to its first request and 200 after; the bodies it got.
fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
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
            let status = if n == 0 { "500 Internal Server Error" } else { "200 OK" };
            let _ = stream
                .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
        }
    });
    (addr, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_comment_is_announced_in_the_background_and_retried_after_a_failure() {
    let (addr, got) = receiver();
    let app = App::new("webhook", |s| s.webhook = Some(format!("http://{addr}/hook")));
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
}

#[tokio::test]
async fn a_webhook_that_is_down_neither_delays_nor_loses_the_comment() {
    let app = App::new("webhook-down", |s| s.webhook = Some("http://127.0.0.1:9/hook".into()));
    let started = Instant::now();
    let held = app.post("t", &comment("Linker", &format!("{BODY} https://x.example")), None).await;
    assert_eq!(held.status, 202);
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    let pending = app.state.db.pending(usize::MAX).expect("pending");
    assert_eq!(pending.len(), 1, "stored and waiting for a moderator");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_readers_send_back_to_the_queue_is_announced_with_that_reason() {
    let (addr, got) = receiver();
    let app = App::new("webhook-reports", |s| {
        s.webhook = Some(format!("http://{addr}/hook"));
        s.report_threshold = 2;
    });
    let posted = app.post("t", &comment("Troll", BODY), None).await.json();
    let path = format!("/api/threads/t/comments/{}/report", posted["id"].as_str().expect("id"));
    for reader in ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"] {
        let headers = [("Content-Type", "application/json"), ("Reader-Key", reader)];
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
