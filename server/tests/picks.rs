//! Editors' picks and the newsroom's answers (contract v1.2): a moderator features a
//! published comment and unfeatures it, readers find featured ones under `sort=featured`
//! (the latest featured first) marked `featured`; a moderator answers a comment as the
//! newsroom, and only that reply carries `staff` (a reader's posted `staff` is ignored).

mod common;
use common::*;
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";

/// Sends the form `fields` (with the CSRF token of `page`) as the signed-in moderator.
async fn send_form(app: &App, cookie: &str, path: &str, page: &str, fields: &[(&str, &str)]) -> Response {
    let csrf = csrf_of(page);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    app.send("POST", path, &[FORM, ("Cookie", cookie)], &form(&all)).await
}

/// The ids of a list's comments, in order.
fn ids(page: &Value) -> Vec<String> {
    page["comments"].as_array().expect("a list").iter().map(|c| c["id"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn a_featured_comment_is_marked_and_listed_under_featured_and_the_newsrooms_answer_is_staff() {
    let app = App::new("picks", |s| s.newsroom_name = "The Daily Desk".into());
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let mut posted = Vec::new();
    for author in ["Ana", "Ben", "Cy"] {
        // A reader cannot make their comment staff or featured.
        let doc = json!({"author": author, "body": BODY, "staff": true, "featured": true}).to_string();
        let answer = app.post("t", &doc, None).await;
        assert_eq!(answer.status, 201);
        assert_eq!((answer.json().get("staff"), answer.json().get("featured")), (None, None));
        posted.push(answer.json()["id"].as_str().expect("id").to_string());
    }
    let page = app.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"]["sort"], json!(["oldest", "newest", "top", "featured"]));
    assert_eq!(ids(&app.get("/api/threads/t/comments?sort=featured").await.json()), Vec::<String>::new());

    let list = app.send("GET", "/admin/comments", &[("Cookie", &cookie)], b"").await.body;
    for id in [&posted[0], &posted[2]] {
        let feature = format!("feature {id}");
        let done = send_form(&app, &cookie, "/admin/actions", &list, &[("from", "published"), ("one", &feature)]).await;
        assert_eq!(done.header("location"), Some("/admin/comments?said=featured"));
    }
    let featured = app.get("/api/threads/t/comments?sort=featured").await.json();
    assert_eq!(ids(&featured), [posted[2].clone(), posted[0].clone()], "the latest featured first");
    assert!(featured["comments"].as_array().expect("list").iter().all(|c| c["featured"] == json!(true)));
    let all = app.get("/api/threads/t/comments").await.json();
    let marks: Vec<Option<&Value>> =
        all["comments"].as_array().expect("list").iter().map(|c| c.get("featured")).collect();
    assert_eq!(marks, [Some(&json!(true)), None, Some(&json!(true))], "the ordinary list marks them too");
    let list = app.send("GET", "/admin/comments?said=featured", &[("Cookie", &cookie)], b"").await.body;
    assert!(
        list.contains("Featured: readers find it under Featured") && list.contains(&format!("unfeature {}", posted[2]))
    );
    let unfeature = format!("unfeature {}", posted[2]);
    send_form(&app, &cookie, "/admin/actions", &list, &[("from", "published"), ("one", &unfeature)]).await;
    assert_eq!(ids(&app.get("/api/threads/t/comments?sort=featured").await.json()), [posted[0].clone()]);
    assert_eq!(app.get("/api/threads/t/comments?sort=featured&cursor=x").await.status, 400);

    // The newsroom answers Ben: a refused answer keeps its text; an accepted one is a
    // published reply with the Staff mark, signed with --newsroom-name.
    let answer_page = format!("/admin/answer?comment={}", posted[1]);
    let page = app.send("GET", &answer_page, &[("Cookie", &cookie)], b"").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("published at once as The Daily Desk"), "{}", page.body);
    let short =
        send_form(&app, &cookie, "/admin/answer", &page.body, &[("comment", &posted[1]), ("body", "Thanks!")]).await;
    assert_eq!(short.status, 422);
    assert!(
        short.body.contains("Add 43 more characters") && short.body.contains(">Thanks!</textarea>"),
        "{}",
        short.body
    );
    let text = "Thank you, Ben: the ministry has since confirmed the dates, and we have updated the article.";
    let done = send_form(&app, &cookie, "/admin/answer", &page.body, &[("comment", &posted[1]), ("body", text)]).await;
    assert_eq!(done.header("location"), Some("/admin/comments?said=answered"));
    let all = app.get("/api/threads/t/comments").await.json();
    let ben = all["comments"].as_array().expect("list").iter().find(|c| c["id"].as_str() == Some(&posted[1])).cloned();
    let reply = &ben.expect("Ben's comment")["replies"][0];
    assert_eq!(
        (reply["author"].as_str(), reply["body"].as_str(), &reply["staff"]),
        (Some("The Daily Desk"), Some(text), &json!(true))
    );
    let log = app.state.db.audit_log(10).expect("log");
    assert!(log
        .iter()
        .any(|e| e.action == "answer" && e.target.starts_with(&format!("comment {} with comment", posted[1]))));
    let none = app.send("GET", "/admin/answer?comment=99999", &[("Cookie", &cookie)], b"").await;
    assert_eq!(none.status, 404);
    assert!(none.body.contains("no published comment to answer"));
}
