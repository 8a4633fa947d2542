//! Contract v1.1 against the application in-process on real SQLite files: replies in
//! both listings, recommends once per reader key, the author's edit and delete with the
//! edit token inside the window, sorting, CORS, and the v1 → v2 migration.

mod common;
use common::*;
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const READER_A: &str = "0123456789abcdef0123456789abcdef";
const READER_B: &str = "fedcba9876543210fedcba9876543210";

fn reply(author: &str, body: &str, parent: &Value) -> String {
    json!({"author": author, "body": body, "parent_id": parent}).to_string()
}

/// Posts a comment (a reply when `parent` is given); its id and edit token.
async fn post(app: &App, thread: &str, author: &str, parent: Option<&Value>) -> (Value, String) {
    let body = match parent {
        Some(p) => reply(author, &format!("{BODY} ({author})"), p),
        None => comment(author, &format!("{BODY} ({author})")),
    };
    let r = app.post(thread, &body, None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let doc = r.json();
    (doc["id"].clone(), doc["edit_token"].as_str().expect("an edit token").to_string())
}

fn path(thread: &str, id: &Value, tail: &str) -> String {
    format!("/api/threads/{thread}/comments/{}{tail}", id.as_str().expect("id"))
}

#[tokio::test]
async fn replies_come_embedded_under_their_comment_and_all_of_them_with_parent() {
    let app = App::new("replies", |_| {});
    let (top, _) = post(&app, "t", "Top", None).await;
    let (first, _) = post(&app, "t", "R1", Some(&top)).await;
    for n in 2..=4 {
        post(&app, "t", &format!("R{n}"), Some(&top)).await;
    }
    let (to_reply, _) = post(&app, "t", "R5", Some(&first)).await;
    let (other, _) = post(&app, "t", "Other", None).await;

    let page = app.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"]["replies"], json!(true));
    assert_eq!(page["capabilities"]["sort"], json!(["oldest", "newest", "top", "featured"]));
    let comments = page["comments"].as_array().expect("list");
    assert_eq!(comments.len(), 2, "replies are not top-level items");
    assert_eq!(comments[0]["id"], top);
    assert_eq!(comments[0]["reply_count"], json!(5));
    let embedded = comments[0]["replies"].as_array().expect("embedded");
    assert_eq!(embedded.len(), 3, "the first three, oldest first");
    assert_eq!(embedded[0]["id"], first);
    assert!(embedded.iter().all(|r| r["parent_id"] == top));
    assert_eq!((comments[1]["id"].clone(), comments[1]["reply_count"].clone()), (other, json!(0)));

    // Every reply under the top-level comment, a page at a time, each once.
    let (mut all, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page =
            app.get(&format!("/api/threads/t/comments?parent={}&limit=2{after}", top.as_str().expect("id"))).await;
        assert_eq!(page.status, 200, "{}", page.body);
        cursor = take_page(page.json(), &mut all);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(all.len(), 5);
    assert_eq!(all[4]["id"], to_reply);
    assert_eq!(all[4]["parent_id"], first, "a reply to a reply says whom it answers");
    assert_eq!(app.get("/api/threads/t/comments?parent=999").await.status, 404);
    let reply_id = first.as_str().expect("id");
    assert_eq!(app.get(&format!("/api/threads/t/comments?parent={reply_id}")).await.status, 404, "not top-level");
}

#[tokio::test]
async fn a_reply_to_an_unknown_held_or_other_threads_comment_is_refused_on_parent_id() {
    let app = App::new("parents", |_| {});
    let (elsewhere, _) = post(&app, "other", "Elsewhere", None).await;
    let held = app.post("t", &comment("Spammer", &format!("{BODY} https://spam.example")), None).await;
    assert_eq!(held.status, 202);
    for parent in [json!("999"), json!("abc"), json!(0), elsewhere, held.json()["id"].clone(), json!({"id": 1})] {
        let r = app.post("t", &reply("A", BODY, &parent), None).await;
        assert_eq!(r.status, 422, "{parent}: {}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], json!("parent_id"), "{parent}");
        assert_eq!(r.json()["errors"][0]["code"], json!("not_found"));
    }
    assert!(app.all_comments("t").await.is_empty());
}

#[tokio::test]
async fn recommends_count_once_per_reader_key_and_can_be_taken_back() {
    let app = App::new("recommend", |_| {});
    let (id, _) = post(&app, "t", "Liked", None).await;
    let (other, _) = post(&app, "t", "Plain", None).await;
    let send = |method: &'static str, key: Option<&'static str>| {
        let (app, target) = (app.clone(), path("t", &id, "/recommend"));
        async move {
            let headers: Vec<(&str, &str)> = key.map(|k| vec![("Reader-Key", k)]).unwrap_or_default();
            app.send(method, &target, &headers, b"").await
        }
    };
    assert_eq!(send("POST", Some(READER_A)).await.json(), json!({"recommends": 1, "recommended": true}));
    assert_eq!(
        send("POST", Some(READER_A)).await.json(),
        json!({"recommends": 1, "recommended": true}),
        "once per key"
    );
    assert_eq!(send("POST", Some(READER_B)).await.json(), json!({"recommends": 2, "recommended": true}));
    assert_eq!(send("DELETE", Some(READER_A)).await.json(), json!({"recommends": 1, "recommended": false}));
    assert_eq!(send("DELETE", Some(READER_A)).await.json(), json!({"recommends": 1, "recommended": false}));
    assert_eq!(send("POST", None).await.status, 400, "no key");
    let bad = app.send("POST", &path("t", &id, "/recommend"), &[("Reader-Key", "not-hex")], b"").await;
    assert_eq!(bad.status, 400);
    let missing = app.send("POST", "/api/threads/t/comments/999/recommend", &[("Reader-Key", READER_A)], b"").await;
    assert_eq!(missing.status, 404);

    let seen_by_b = app.send("GET", "/api/threads/t/comments", &[("Reader-Key", READER_B)], b"").await.json();
    let by_id =
        |doc: &Value, id: &Value| doc["comments"].as_array().expect("list").iter().find(|c| c["id"] == *id).cloned();
    assert_eq!(by_id(&seen_by_b, &id).expect("listed")["recommended"], json!(true));
    assert_eq!(by_id(&seen_by_b, &other).expect("listed")["recommended"], json!(false));
    let anonymous = app.get("/api/threads/t/comments").await.json();
    assert_eq!(by_id(&anonymous, &id).expect("listed")["recommends"], json!(1));
    assert_eq!(by_id(&anonymous, &id).expect("listed")["recommended"], json!(false));
    assert!(!store_holds(&app.db, READER_B), "no raw reader key is stored");
}

#[tokio::test]
async fn the_author_edits_and_deletes_with_the_token_and_nobody_else_can() {
    let app = App::new("own", |_| {});
    let (id, token) = post(&app, "t", "Writer", None).await;
    let bearer = format!("Bearer {token}");
    let patch = |auth: String, body: String| {
        let (app, target) = (app.clone(), path("t", &id, ""));
        async move {
            let headers = [("Content-Type", "application/json"), ("Authorization", auth.as_str())];
            app.send("PATCH", &target, &headers, json!({"body": body}).to_string().as_bytes()).await
        }
    };
    let wrong = patch("Bearer 00000000000000000000000000000000".into(), format!("{BODY} edited")).await;
    assert_eq!((wrong.status, wrong.json()["code"].clone()), (403, json!("invalid_token")));
    assert_eq!(patch(String::new(), format!("{BODY} edited")).await.status, 403, "no token");
    let short = patch(bearer.clone(), "too short".into()).await;
    assert_eq!((short.status, short.json()["errors"][0]["code"].clone()), (422, json!("too_short")));
    let edited = patch(bearer.clone(), format!("{BODY} edited")).await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.json()["body"], json!(format!("{BODY} edited")));
    assert!(edited.json()["edited_at"].is_string());
    let linked = patch(bearer.clone(), format!("{BODY} https://spam.example")).await;
    assert_eq!(linked.json()["status"], json!("pending"), "an edit that adds a link is held");

    let (kept, kept_token) = post(&app, "t", "Kept", None).await;
    let gone = app.send("DELETE", &path("t", &kept, ""), &[("Authorization", "Bearer nope")], b"").await;
    assert_eq!(gone.status, 403);
    let deleted =
        app.send("DELETE", &path("t", &kept, ""), &[("Authorization", &format!("Bearer {kept_token}"))], b"").await;
    assert_eq!(deleted.status, 204);
    assert!(app.all_comments("t").await.iter().all(|c| c["id"] != kept), "without replies it disappears");
    let again =
        app.send("DELETE", &path("t", &kept, ""), &[("Authorization", &format!("Bearer {kept_token}"))], b"").await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn after_the_window_or_with_editing_off_changes_are_refused_with_edit_window_closed() {
    let app = App::new("window", |_| {});
    let old = app
        .state
        .db
        .insert_row(&reader_comments_server::store::NewRow {
            thread: "t",
            author: "Old",
            body: BODY,
            created_at: reader_comments_server::rules::time::now_ms() - 901_000,
            token_hash: Some(reader_comments_server::store::token_hash("old-token")),
            ..Default::default()
        })
        .expect("stored");
    let target = format!("/api/threads/t/comments/{}", old.id);
    let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer old-token")];
    let late = app.send("PATCH", &target, &headers, json!({"body": BODY}).to_string().as_bytes()).await;
    assert_eq!((late.status, late.json()["code"].clone()), (403, json!("edit_window_closed")));
    let late = app.send("DELETE", &target, &headers, b"").await;
    assert_eq!((late.status, late.json()["code"].clone()), (403, json!("edit_window_closed")));

    let off = App::new("window-off", |s| s.edit_window = None);
    let page = off.get("/api/threads/t/comments").await.json();
    assert!(page["capabilities"].get("edit_window_s").is_none(), "not advertised");
    let (id, token) = post(&off, "t", "Any", None).await;
    let headers = [("Authorization", format!("Bearer {token}"))];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = off.send("DELETE", &path("t", &id, ""), &headers, b"").await;
    assert_eq!(refused.json()["code"], json!("edit_window_closed"));
}

#[tokio::test]
async fn a_deleted_comment_with_replies_stays_emptied_and_goes_with_its_last_reply() {
    let app = App::new("deleted", |_| {});
    let (top, top_token) = post(&app, "t", "Asker", None).await;
    let (answer, answer_token) = post(&app, "t", "Answerer", Some(&top)).await;
    let delete = |id: &Value, token: &str| {
        let (app, target, auth) = (app.clone(), path("t", id, ""), format!("Bearer {token}"));
        async move { app.send("DELETE", &target, &[("Authorization", auth.as_str())], b"").await.status }
    };
    assert_eq!(delete(&top, &top_token).await, 204);
    let page = app.get("/api/threads/t/comments").await.json();
    let kept = &page["comments"][0];
    assert_eq!(
        (kept["status"].clone(), kept["author"].clone(), kept["body"].clone()),
        (json!("deleted"), json!(""), json!(""))
    );
    assert_eq!(kept["replies"][0]["id"], answer, "its reply keeps its context");
    let refused = app.post("t", &reply("Late", BODY, &top), None).await;
    assert_eq!(refused.status, 422, "no new replies to a deleted comment");
    assert_eq!(delete(&answer, &answer_token).await, 204);
    assert!(app.get("/api/threads/t/comments").await.json()["comments"].as_array().expect("list").is_empty());
}

#[tokio::test]
async fn threads_sort_oldest_newest_and_top_with_their_own_cursors() {
    let app = App::new("sort", |_| {});
    let mut ids = Vec::new();
    for name in ["A", "B", "C", "D"] {
        ids.push(post(&app, "t", name, None).await.0);
    }
    // B: 2 recommends, D: 1, the others none.
    for (target, key) in [(&ids[1], READER_A), (&ids[1], READER_B), (&ids[3], READER_A)] {
        let r = app.send("POST", &path("t", target, "/recommend"), &[("Reader-Key", key)], b"").await;
        assert_eq!(r.status, 200);
    }
    let order = |sort: &'static str| {
        let app = app.clone();
        async move {
            let (mut out, mut cursor) = (Vec::new(), None::<String>);
            loop {
                let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
                let r = app.get(&format!("/api/threads/t/comments?sort={sort}&limit=1{after}")).await;
                assert_eq!(r.status, 200, "{}", r.body);
                cursor = take_page(r.json(), &mut out);
                if cursor.is_none() {
                    return out.iter().map(|c| c["id"].clone()).collect::<Vec<_>>();
                }
            }
        }
    };
    assert_eq!(order("oldest").await, ids);
    assert_eq!(order("newest").await, ids.iter().rev().cloned().collect::<Vec<_>>());
    assert_eq!(order("top").await, vec![ids[1].clone(), ids[3].clone(), ids[0].clone(), ids[2].clone()]);
    assert_eq!(app.get("/api/threads/t/comments?sort=best").await.status, 400);
    assert_eq!(app.get("/api/threads/t/comments?sort=top&cursor=7").await.status, 400);
}

#[tokio::test]
async fn cors_preflight_allows_patch_delete_authorization_and_reader_key() {
    let app = App::new("cors11", |s| s.allow_origins = vec!["https://news.example".into()]);
    let r = app
        .send(
            "OPTIONS",
            "/api/threads/t/comments/1",
            &[
                ("Origin", "https://news.example"),
                ("Access-Control-Request-Method", "PATCH"),
                ("Access-Control-Request-Headers", "authorization,reader-key,content-type"),
            ],
            b"",
        )
        .await;
    let methods = r.header("access-control-allow-methods").unwrap_or_default().to_ascii_uppercase();
    assert!(methods.contains("PATCH") && methods.contains("DELETE"), "{methods}");
    let headers = r.header("access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(headers.contains("authorization") && headers.contains("reader-key"), "{headers}");
    let foreign = app.send("DELETE", "/api/threads/t/comments/1", &[("Origin", "https://evil.example")], b"").await;
    assert_eq!(foreign.status, 403, "another site cannot delete through a reader's browser");
}

#[tokio::test]
async fn a_version_1_file_is_migrated_keeping_every_comment() {
    if sqlite_only("migrating a version 1 file") {
        return;
    }
    let db = temp_db("migrate");
    {
        let conn = rusqlite::Connection::open(&db).expect("a v1 file");
        conn.execute_batch(
            "CREATE TABLE comments (id INTEGER PRIMARY KEY AUTOINCREMENT, thread TEXT NOT NULL, author TEXT NOT NULL,
                 body TEXT NOT NULL, created_at INTEGER NOT NULL,
                 status TEXT NOT NULL CHECK (status IN ('published', 'pending')));
             CREATE INDEX comments_by_thread ON comments (thread, status, id);
             CREATE TABLE idempotency (thread TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
                 comment_id INTEGER NOT NULL REFERENCES comments (id), created_at INTEGER NOT NULL,
                 PRIMARY KEY (thread, key));
             INSERT INTO comments (thread, author, body, created_at, status) VALUES
                 ('t', 'One', 'First of the old comments', 1000, 'published'),
                 ('t', 'Two', 'Second, still waiting', 2000, 'pending'),
                 ('t', 'Three', 'Third of the old comments', 3000, 'published');
             PRAGMA user_version = 1;",
        )
        .expect("v1 schema");
    }
    let app = App::with_settings(reader_comments_server::Settings::for_db(&db));
    assert_eq!(app.state.db.schema_version().expect("version"), reader_comments_server::store::SCHEMA_VERSION);
    let listed = app.all_comments("t").await;
    let authors: Vec<&str> = listed.iter().filter_map(|c| c["author"].as_str()).collect();
    assert_eq!(authors, ["One", "Three"]);
    assert!(listed.iter().all(|c| c["reply_count"] == json!(0) && c["recommends"] == json!(0)));
    let (answer, _) = post(&app, "t", "New", Some(&listed[0]["id"])).await;
    assert_eq!(app.all_comments("t").await[0]["replies"][0]["id"], answer, "old comments take replies");
}
