//! Several server instances on one store (the deployment of docs/deploy.md: PostgreSQL
//! behind a load balancer; two processes on one SQLite file hold too): each instance its
//! own application state, pool and in-flight keys, as separate processes have.
//! The same Idempotency-Key sent to both at the same moment stores one comment and both
//! answers are that comment; a reader key recommends once whichever instance it reaches;
//! what one instance stores, the other lists.

mod common;
use common::*;
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const READER: &str = "0123456789abcdef0123456789abcdef";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_at_two_instances_at_once_stores_one_comment_and_both_get_it() {
    let (a, b) = two("instances-key");
    for n in 0..20 {
        let key = format!("key-{n}-0123456789");
        let body = comment(&format!("Reader {n}"), BODY);
        let (first, second) = tokio::join!(a.post("t", &body, Some(&key)), b.post("t", &body, Some(&key)));
        for r in [&first, &second] {
            assert!(r.status == 201 || r.status == 409, "{} {}", r.status, r.body);
        }
        let ids: Vec<Value> =
            [&first, &second].iter().filter(|r| r.status == 201).map(|r| r.json()["id"].clone()).collect();
        assert!(!ids.is_empty(), "at least one is answered 201");
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "both answers are the same comment: {ids:?}");
    }
    let stored = a.all_comments("t").await;
    assert_eq!(stored.len(), 20, "one comment per key");
    assert_eq!(b.all_comments("t").await.len(), 20, "the other instance lists the same");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_key_recommends_once_whichever_instance_it_reaches() {
    let (a, b) = two("instances-recommend");
    let id = a.post("t", &comment("Liked", BODY), None).await.json()["id"].as_str().expect("id").to_string();
    let path = format!("/api/threads/t/comments/{id}/recommend");
    let headers = [("Reader-Key", READER)];
    let (x, y) = tokio::join!(a.send("POST", &path, &headers, b""), b.send("POST", &path, &headers, b""));
    assert_eq!((x.status, y.status), (200, 200));
    for r in [&x, &y] {
        assert_eq!(r.json()["recommends"], json!(1), "{}", r.body);
    }
    let listed = b.get("/api/threads/t/comments").await.json();
    assert_eq!(listed["comments"][0]["recommends"], json!(1));
    let undo = b.send("DELETE", &path, &headers, b"").await.json();
    assert_eq!(undo, json!({"recommends": 0, "recommended": false}), "taken back at the other instance");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgresql_a_clients_allowance_is_shared_by_every_instance() {
    if postgres().is_none() {
        eprintln!("only on PostgreSQL: limits shared by instances (on SQLite each instance counts its own)");
        return;
    }
    let db = temp_db("instances-rate");
    let mut settings = reader_comments_server::Settings::for_db(&db);
    settings.rate = reader_comments_server::parse_rate("3/min").expect("a rate");
    let (a, b) = (App::with_settings(settings.clone()), App::with_settings(settings));
    let mut statuses = Vec::new();
    for n in 0..5 {
        let app = if n % 2 == 0 { &a } else { &b };
        let r = app.post("t", &comment(&format!("Alternating {n}"), BODY), None).await;
        statuses.push(r.status);
        if r.status == 429 {
            assert!(r.header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| (1..=60).contains(&s)));
        }
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429], "three in all, whichever instance answers");
    assert!(!store_holds(&db, "127.0.0.1"), "the client's address is never stored");
}
