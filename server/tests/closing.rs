//! Closed threads (contract v1.1 `closed`), on the real store: the list says so, a new
//! comment, a reply or an edit is refused with 403 `thread_closed`, the author may still
//! delete and readers recommend, and the thread opens again; through the command line
//! too.

mod common;
use common::*;
use serde_json::{json, Value};
use std::process::Command;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

fn cli(db: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8")])
        .args(args)
        .output()
        .expect("it runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
}

#[tokio::test]
async fn a_closed_thread_takes_no_new_comment_reply_or_edit_and_opens_again() {
    let app = App::new("closing", |_| {});
    let posted = app.post("t", &comment("Before", BODY), None).await.json();
    let id = posted["id"].as_str().expect("id").to_string();
    let bearer = format!("Bearer {}", posted["edit_token"].as_str().expect("token"));
    assert_eq!(app.get("/api/threads/t/comments").await.json()["closed"], json!(false));

    let (ok, said) = cli(&app.db, &["close", "t"]);
    assert!(ok && said.contains("thread t is closed"), "{said}");
    let page = app.get("/api/threads/t/comments").await.json();
    assert_eq!(page["closed"], json!(true));
    assert_eq!(page["comments"].as_array().map(Vec::len), Some(1), "its comments stay");

    let refused = |r: &Response| (r.status, r.json()["code"].clone());
    let new = app.post("t", &comment("After", BODY), None).await;
    assert_eq!(refused(&new), (403, json!("thread_closed")), "{}", new.body);
    assert_eq!(new.header("content-type"), Some("application/problem+json"));
    let reply = json!({"author": "R", "body": BODY, "parent_id": id}).to_string();
    assert_eq!(refused(&app.post("t", &reply, None).await), (403, json!("thread_closed")));
    let target = format!("/api/threads/t/comments/{id}");
    let headers = [("Content-Type", "application/json"), ("Authorization", bearer.as_str())];
    let change = json!({"body": format!("{BODY} (edited)")}).to_string();
    assert_eq!(refused(&app.send("PATCH", &target, &headers, change.as_bytes()).await), (403, json!("thread_closed")));
    let key = [("Reader-Key", "0123456789abcdef0123456789abcdef")];
    assert_eq!(
        app.send("POST", &format!("{target}/recommend"), &key, b"").await.status,
        200,
        "readers still recommend"
    );
    let others: Vec<Value> = app.all_comments("other").await;
    assert!(others.is_empty());
    assert_eq!(app.post("other", &comment("Elsewhere", BODY), None).await.status, 201, "other threads are open");

    let (ok, said) = cli(&app.db, &["open", "t"]);
    assert!(ok && said.contains("thread t is open"), "{said}");
    assert_eq!(app.get("/api/threads/t/comments").await.json()["closed"], json!(false));
    assert_eq!(app.post("t", &comment("Reopened", BODY), None).await.status, 201);
    assert_eq!(app.send("DELETE", &target, &[("Authorization", bearer.as_str())], b"").await.status, 204);
    let (ok, said) = cli(&app.db, &["close", "not/a/key"]);
    assert!(!ok && said.contains("is not a thread key"), "{said}");
}
