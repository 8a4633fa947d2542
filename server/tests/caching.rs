//! Lists a CDN can serve, against the application in-process on real SQLite files: a
//! strong ETag that changes with anything shown and with nothing else, 304 for
//! `If-None-Match`, the operator's `Cache-Control`, and nothing cacheable that is not the
//! same for every reader (held comments, a reader's own recommends, refusals).

mod common;
use common::*;
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const READER: &str = "0123456789abcdef0123456789abcdef";
const LIST: &str = "/api/threads/t/comments";

/// Posts a comment; its id and edit token.
async fn post(app: &App, author: &str, body: &str) -> (Value, String) {
    let r = app.post("t", &comment(author, body), None).await;
    assert!(r.status == 201 || r.status == 202, "{}", r.body);
    let doc = r.json();
    (doc["id"].clone(), doc["edit_token"].as_str().expect("an edit token").to_string())
}

async fn etag(app: &App) -> String {
    let r = app.get(LIST).await;
    assert_eq!(r.status, 200);
    r.header("etag").expect("an ETag").to_string()
}

#[tokio::test]
async fn a_list_has_a_strong_etag_and_the_operators_cache_policy_and_a_match_gets_304() {
    let app = App::new("cache-basics", |_| {});
    post(&app, "Asha", BODY).await;
    let first = app.get(LIST).await;
    let tag = first.header("etag").expect("an ETag").to_string();
    assert!(tag.starts_with('"') && !tag.starts_with("W/"), "strong: {tag}");
    assert_eq!(first.header("cache-control"), Some("public, max-age=5, stale-while-revalidate=30"));
    assert!(first.header("vary").is_some_and(|v| v.contains("Reader-Key")), "{:?}", first.headers);
    assert_eq!(etag(&app).await, tag, "the same list, the same tag");

    for sent in [tag.clone(), format!("W/{tag}"), format!("\"other\", {tag}"), "*".to_string()] {
        let again = app.send("GET", LIST, &[("If-None-Match", &sent)], b"").await;
        assert_eq!(again.status, 304, "If-None-Match: {sent}");
        assert_eq!(again.body, "", "no body");
        assert_eq!(again.header("etag"), Some(tag.as_str()));
        assert_eq!(again.header("cache-control"), Some("public, max-age=5, stale-while-revalidate=30"));
    }
    let stale = app.send("GET", LIST, &[("If-None-Match", "\"not-this-one\"")], b"").await;
    assert_eq!((stale.status, stale.json()["comments"].as_array().map(Vec::len)), (200, Some(1)));

    let replies = app.get(&format!("{LIST}?parent={}", first.json()["comments"][0]["id"].as_str().expect("id"))).await;
    assert_eq!(replies.status, 200);
    assert!(replies.header("etag").is_some(), "a page of replies is cacheable too");
}

#[tokio::test]
async fn the_tag_changes_with_every_visible_change_and_not_with_a_held_comment() {
    let app = App::new("cache-changes", |_| {});
    let (id, token) = post(&app, "Asha", BODY).await;
    let mut seen = vec![etag(&app).await];
    let mut changed = |tag: String, what: &str| {
        assert!(!seen.contains(&tag), "{what} changes the tag");
        seen.push(tag);
    };

    post(&app, "Bina", BODY).await;
    changed(etag(&app).await, "a new comment");

    let held_before = etag(&app).await;
    let (held, _) = post(&app, "Spammer", &format!("{BODY} https://spam.example")).await;
    assert_eq!(etag(&app).await, held_before, "a held comment is not in the list, so the tag stays");
    let listed = app.get(LIST).await.json();
    assert!(listed["comments"].as_array().expect("list").iter().all(|c| c["id"] != held), "nor in the list");

    let target = format!("{LIST}/{}", id.as_str().expect("id"));
    let r = app.send("POST", &format!("{target}/recommend"), &[("Reader-Key", READER)], b"").await;
    assert_eq!(r.status, 200);
    changed(etag(&app).await, "a recommend");

    let bearer = format!("Bearer {token}");
    let headers = [("Content-Type", "application/json"), ("Authorization", bearer.as_str())];
    let body = json!({"body": format!("{BODY} (edited)")}).to_string();
    assert_eq!(app.send("PATCH", &target, &headers, body.as_bytes()).await.status, 200);
    changed(etag(&app).await, "an edit");

    assert_eq!(app.send("DELETE", &target, &[("Authorization", bearer.as_str())], b"").await.status, 204);
    changed(etag(&app).await, "a delete");
}

#[tokio::test]
async fn what_is_not_the_same_for_every_reader_is_never_cached() {
    let app = App::new("cache-private", |_| {});
    post(&app, "Asha", BODY).await;
    let mine = app.send("GET", LIST, &[("Reader-Key", READER)], b"").await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.header("cache-control"), Some("no-store"), "a reader's own recommends");
    assert_eq!(mine.header("etag"), None);
    let refused = app.get(&format!("{LIST}?limit=0")).await;
    assert_eq!((refused.status, refused.header("cache-control")), (400, Some("no-store")));
    let missing = app.get(&format!("{LIST}?parent=999")).await;
    assert_eq!((missing.status, missing.header("cache-control")), (404, Some("no-store")));
}

#[tokio::test]
async fn the_operator_sets_the_times_and_zero_means_check_every_time() {
    let app = App::new("cache-policy", |s| {
        s.cache = reader_comments_server::CachePolicy { max_age: 60, stale_while_revalidate: 600 };
    });
    assert_eq!(app.get(LIST).await.header("cache-control"), Some("public, max-age=60, stale-while-revalidate=600"));
    let app = App::new("cache-none", |s| {
        s.cache = reader_comments_server::CachePolicy { max_age: 0, stale_while_revalidate: 0 };
    });
    let r = app.get(LIST).await;
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert!(r.header("etag").is_some(), "still revalidated cheaply");
}
