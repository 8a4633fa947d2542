//! `GET /api/counts?threads=…` (issue 24): a listing page's counts in one cacheable
//! request: published comments and replies, not held or deleted ones; at most 100
//! valid thread keys, else a 400 problem.

mod common;
use common::*;
use serde_json::json;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

#[tokio::test]
async fn counts_are_published_comments_per_thread_in_one_cacheable_answer() {
    let app = App::new("counts", |_| {});
    let first = app.post("a", &comment("Ana", BODY), None).await;
    let id = first.json()["id"].as_str().expect("an id").to_string();
    let reply = json!({"author": "Ben", "body": BODY, "parent_id": id}).to_string();
    assert_eq!(app.post("a", &reply, None).await.status, 201);
    assert_eq!(app.post("a", &comment("Held", &format!("{BODY} https://example.com")), None).await.status, 202);
    let gone = app.post("b", &comment("Cy", BODY), None).await.json()["id"].as_str().expect("an id").to_string();
    app.state.db.remove(gone.parse().expect("a number"), 1).expect("removed");

    let answer = app.get("/api/counts?threads=b,a,c,a").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), json!({"counts": {"a": 2, "b": 0, "c": 0}}));
    assert_eq!(answer.header("cache-control"), Some("public, max-age=5, stale-while-revalidate=30"));

    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    for bad in [
        "/api/counts",
        "/api/counts?threads=",
        "/api/counts?threads=a,no%20spaces",
        &format!("/api/counts?threads={}", many.join(",")),
    ] {
        let refused = app.get(bad).await;
        assert_eq!(refused.status, 400, "{bad}");
        assert!(refused.json()["detail"].as_str().is_some_and(|d| d.contains("1 to 100 thread keys")));
    }
}
