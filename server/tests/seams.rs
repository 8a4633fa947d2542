//! Where features meet on one comment: a comment that readers reported (and recommended,
//! and answered) is removed by every path that removes comments — its author's DELETE,
//! Reject in the queue, Delete in the published list, and the command line's `delete` —
//! on the real store (SQLite, or PostgreSQL under `RC_TEST_POSTGRES`).

mod common;
use common::*;
use serde_json::json;
use std::process::Command;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";

fn reader(n: u8) -> String {
    format!("{n:032x}")
}

/// Posts a comment on thread `t`: its id and its edit token.
async fn posted(app: &App, author: &str) -> (String, String) {
    let answer = app.post("t", &comment(author, BODY), None).await.json();
    let id = answer["id"].as_str().expect("an id").to_string();
    (id, answer["edit_token"].as_str().expect("a token").to_string())
}

/// One reader recommends comment `id`, then `n` readers report it, each from an address
/// of their own (through the trusted proxy: [`seam`]).
async fn reported(app: &App, id: &str, n: u8) {
    let key = reader(99);
    let path = format!("/api/threads/t/comments/{id}/recommend");
    assert_eq!(app.send("POST", &path, &[("Reader-Key", key.as_str())], b"").await.status, 200);
    for r in 1..=n {
        let address = format!("203.0.113.{r}");
        let headers = [("Content-Type", "application/json"), ("Reader-Key", &reader(r)), ("X-Forwarded-For", &address)];
        let path = format!("/api/threads/t/comments/{id}/report");
        let done = app.send("POST", &path, &headers, br#"{"reason":"abuse"}"#).await;
        assert_eq!(done.status, 202, "{}", done.body);
    }
}

/// The application, with the test's peer as a trusted proxy so that readers can come
/// from addresses of their own.
fn seam(name: &str) -> App {
    App::new(name, |s| s.trusted_proxies = vec![std::net::IpAddr::from(PEER.0)])
}

/// Whether the store still holds a row of `id` in `table`.
fn rows_of(db: &std::path::Path, table: &str, id: &str) -> String {
    sql_value(db, &format!("SELECT COUNT(*) FROM {table} WHERE comment_id = {id}"))
}

#[tokio::test]
async fn a_reported_comment_is_deleted_by_its_author_and_its_reports_go_with_it() {
    let app = seam("seams-author");
    let (id, token) = posted(&app, "Asha").await;
    reported(&app, &id, 1).await;
    let bearer = format!("Bearer {token}");
    let gone = app.send("DELETE", &format!("/api/threads/t/comments/{id}"), &[("Authorization", &bearer)], b"").await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert!(app.all_comments("t").await.is_empty());
    assert_eq!((rows_of(&app.db, "reports", &id), rows_of(&app.db, "recommends", &id)), ("0".into(), "0".into()));
}

#[tokio::test]
async fn a_reported_comment_is_rejected_from_the_queue_and_deleted_from_the_published_list() {
    let app = seam("seams-admin");
    let (queued, _) = posted(&app, "Troll").await;
    reported(&app, &queued, 3).await;
    let (published, _) = posted(&app, "Asha").await;
    reported(&app, &published, 1).await;
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(queue.body.contains("Reported by 3 readers"), "in the queue: {}", queue.body);
    let csrf = csrf_of(&queue.body);
    let with_cookie = [FORM, ("Cookie", cookie.as_str())];

    let reject = form(&[("csrf", &csrf), ("one", &format!("reject {queued}"))]);
    let done = app.send("POST", "/admin/actions", &with_cookie, &reject).await;
    let back = format!("/admin?said=rejected&undo={queued}");
    assert_eq!((done.status, done.header("location")), (303, Some(back.as_str())), "{}", done.body);
    let delete =
        form(&[("csrf", &csrf), ("from", "published"), ("one", &format!("delete {published}")), ("confirmed", "yes")]);
    let done = app.send("POST", "/admin/actions", &with_cookie, &delete).await;
    assert_eq!((done.status, done.header("location")), (303, Some("/admin/comments?said=deleted")), "{}", done.body);

    assert!(app.all_comments("t").await.is_empty(), "both are gone");
    assert_eq!(app.state.db.pending_count(None).expect("the queue"), 0);
    for id in [&queued, &published] {
        assert_eq!(rows_of(&app.db, "reports", id), "0", "the reports of {id} went with it");
    }
    let log = app.state.db.audit_log(10).expect("the audit log");
    let did: Vec<String> = log.iter().map(|e| format!("{} {}", e.action, e.target)).collect();
    assert!(did.contains(&format!("reject comment {queued}: Other")), "{did:?}");
    assert!(did.contains(&format!("delete comment {published}")), "{did:?}");
}

#[tokio::test]
async fn reported_comments_are_deleted_on_the_command_line_a_place_kept_while_a_reply_answers_it() {
    let app = seam("seams-cli");
    let (id, _) = posted(&app, "Asha").await;
    reported(&app, &id, 2).await;
    let reply = json!({"author": "Ravi", "body": BODY, "parent_id": id}).to_string();
    let reply_id = app.post("t", &reply, None).await.json()["id"].as_str().expect("an id").to_string();
    reported(&app, &reply_id, 1).await;
    let delete = |which: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
            .args(["--db", app.db.to_str().expect("utf-8"), "delete", which])
            .output()
            .expect("it runs");
        assert!(out.status.success(), "delete {which}: {}", String::from_utf8_lossy(&out.stderr));
    };
    delete(&id);
    let listed = app.all_comments("t").await;
    assert_eq!(listed.len(), 1, "the place kept for its reply: {listed:?}");
    assert_eq!((listed[0]["id"].as_str(), listed[0]["status"].as_str()), (Some(id.as_str()), Some("deleted")));
    assert_eq!(listed[0]["replies"].as_array().map(Vec::len), Some(1));
    delete(&reply_id);
    assert!(app.all_comments("t").await.is_empty(), "the reply, then the emptied place above it, are gone");
    for which in [&id, &reply_id] {
        assert_eq!(rows_of(&app.db, "reports", which), "0");
    }
}
