//! Moderators decide with context (issue 21): the article a post was written under
//! (contract v1.2 `article`, from the widget) is kept per thread and shown, linked, in
//! the queue, the published list and the thread list, each published comment with a link
//! to itself in place; a commenter's history lists what they wrote (by the keyed hash of
//! their address, as bans are). On the real store through the real routes.

mod common;
use common::*;
use serde_json::json;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";
const SITE: &str = "https://news.example";

/// Posts `body` as `author` on thread `t` with `article`: the id.
async fn post_with(app: &App, author: &str, body: &str, article: serde_json::Value) -> String {
    let doc = json!({"author": author, "body": body, "article": article}).to_string();
    let answer =
        app.send("POST", "/api/threads/t/comments", &[("Content-Type", "application/json")], doc.as_bytes()).await;
    assert!(matches!(answer.status, 201 | 202), "{}", answer.body);
    answer.json()["id"].as_str().expect("an id").to_string()
}

#[tokio::test]
async fn the_queue_shows_the_articles_headline_linked_and_a_commenters_history() {
    let app = App::new("context", |s| s.allow_origins = vec![SITE.into()]);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let get = |path: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        async move { app.send("GET", path, &[("Cookie", &cookie)], b"").await.body }
    };
    // Another site's address is dropped; the headline is one line of plain text.
    let article =
        json!({"title": "India and Canada\n agree on\u{7} liaison officers", "url": "https://evil.example/x"});
    let published = post_with(&app, "Ravi", BODY, article).await;
    let threads = get("/admin/threads").await;
    assert!(threads.contains("India and Canada agree on liaison officers (t)"), "{threads}");
    assert!(!threads.contains("evil.example"));
    // Then the site's own canonical address: linked from every list.
    let url = format!("{SITE}/news/india-canada-liaison");
    let article = json!({"title": "India and Canada agree on liaison officers", "url": url});
    let held = post_with(&app, "Ravi", &format!("{BODY} https://example.com/more"), article).await;
    let queue = get("/admin").await;
    assert!(
        queue.contains(&format!(r#"Thread: <a href="{url}">India and Canada agree on liaison officers</a>"#)),
        "{queue}"
    );
    let found = get("/admin/comments").await;
    assert!(
        found.contains(&format!(
            r#"<a href="{url}#comment-{published}" aria-label="The comment by Ravi in place">In place</a>"#
        )),
        "{found}"
    );
    let threads = get("/admin/threads").await;
    assert!(
        threads.contains(&format!(r#"<a href="{url}">India and Canada agree on liaison officers</a> (t)"#)),
        "{threads}"
    );

    // The history of the author of the held comment: both of their comments.
    assert!(queue.contains(&format!(
        r#"<a href="/admin/commenter?comment={held}" aria-label="The history of Ravi">History</a>"#
    )));
    let history = app.send("GET", &format!("/admin/commenter?comment={held}"), &[("Cookie", &cookie)], b"").await.body;
    for shown in ["Comments (2)", "Not banned.", "Waiting for moderation", "Published", "https://example.com/more"] {
        assert!(history.contains(shown), "{shown}: {history}");
    }
    let unknown = app.send("GET", "/admin/commenter?comment=99999", &[("Cookie", &cookie)], b"").await;
    assert_eq!(unknown.status, 200);
    assert!(unknown.body.contains("cannot be followed"), "{}", unknown.body);
    let odd = app.send("GET", "/admin/commenter?comment=%3Cb%3E", &[("Cookie", &cookie)], b"").await;
    assert!(odd.body.contains("cannot be followed") && !odd.body.contains("<b>"));
    assert_eq!(
        app.send("GET", &format!("/admin/commenter?comment={held}"), &[], b"").await.status,
        303,
        "signed in only"
    );
}

#[tokio::test]
async fn an_article_that_cannot_be_read_is_ignored_and_the_comment_is_stored() {
    let app = App::new("context-odd", |s| s.allow_origins = vec![SITE.into()]);
    for article in
        [json!("a headline"), json!({"title": 5, "url": ["x"]}), json!({"url": "javascript:alert(1)"}), json!(null)]
    {
        post_with(&app, "Odd", BODY, article).await;
    }
    assert_eq!(app.state.db.article("t").expect("read"), None, "nothing readable was recorded");
    let long = "h".repeat(400);
    post_with(&app, "Long", BODY, json!({"title": long, "url": format!("{SITE}/a")})).await;
    let recorded = app.state.db.article("t").expect("read").expect("recorded");
    assert_eq!(recorded.title.map(|t| t.chars().count()), Some(300));
    assert_eq!(recorded.url.as_deref(), Some("https://news.example/a"));
}

#[tokio::test]
async fn the_audit_log_and_the_bans_say_whose_comment_on_which_article_and_why() {
    let app = App::new("context-audit", |s| s.allow_origins = vec![SITE.into()]);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let article = json!({"title": "Budget 2026: what changes", "url": format!("{SITE}/budget")});
    let text = format!("{BODY} Buy cheap watches at https://spam.example/watches today, best prices anywhere.");
    let id = post_with(&app, "Spammer", &text, article).await;
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let (days, reason, ban) = (format!("ban-days-{id}"), format!("reason-{id}"), format!("ban {id}"));
    let fields = [("csrf", csrf_of(&queue.body)), (&days, "7".into()), (&reason, "spam".into()), ("one", ban)];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&pairs)).await;
    assert_eq!(done.header("location"), Some("/admin?said=banned"));
    let recalled = "<strong>Spammer</strong>: \u{201C}A comment that is comfortably longer than the fifty character minimum. Buy cheap\u{2026}\u{201D} on Budget 2026: what changes (rejected: Spam or advertising)";
    let bans = app.send("GET", "/admin/bans", &[("Cookie", &cookie)], b"").await.body;
    assert!(bans.contains(recalled), "{bans}");
    assert!(bans.contains("mira"), "by whom");
    let audit = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await.body;
    assert_eq!(audit.matches(recalled).count(), 2, "the rejection and the ban: {audit}");
    assert!(audit.contains(&format!("comment {id}: Spam or advertising")));
}

#[tokio::test]
async fn a_commenter_is_always_held_or_trusted_from_their_history_and_trusted_after_n_published() {
    let app = App::new("context-standing", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let link = format!("{BODY} https://example.com/source");
    let held = app.post("t", &comment("Ravi", &link), None).await;
    assert_eq!(held.status, 202, "a link waits");
    let id = held.json()["id"].as_str().expect("id").to_string();
    let decide = |standing: &'static str, note: &'static str| {
        let (app, cookie, id) = (&app, cookie.clone(), id.clone());
        async move {
            let page = app.send("GET", &format!("/admin/commenter?comment={id}"), &[("Cookie", &cookie)], b"").await;
            let fields = [
                ("csrf", csrf_of(&page.body)),
                ("comment", id.clone()),
                ("standing", standing.into()),
                ("note", note.into()),
            ];
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let done = app.send("POST", "/admin/commenter", &[FORM, ("Cookie", &cookie)], &form(&pairs)).await;
            assert_eq!(done.header("location"), Some(format!("/admin/commenter?comment={id}&said=saved").as_str()));
        }
    };
    decide("trust", "Our correspondent in Ottawa.").await;
    assert_eq!(
        app.post("t", &comment("Ravi", &format!("{link} again")), None).await.status,
        201,
        "trusted: a link is published"
    );
    let history = app.send("GET", &format!("/admin/commenter?comment={id}"), &[("Cookie", &cookie)], b"").await.body;
    assert!(
        history.contains("Our correspondent in Ottawa.</textarea>") && history.contains("Last decided by mira"),
        "{history}"
    );
    assert!(history.contains(r#"value="trust" checked"#), "{history}");
    decide("hold", "").await;
    assert_eq!(
        app.post("t", &comment("Ravi", &format!("{BODY} plain")), None).await.status,
        202,
        "held: every comment waits"
    );
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await.body;
    assert!(queue.contains("A moderator holds every comment from this commenter."), "{queue}");
    decide("", "").await;
    assert_eq!(
        app.post("t", &comment("Ravi", &format!("{BODY} plain again")), None).await.status,
        201,
        "the site's rules again"
    );
    let log = app.state.db.audit_log(10).expect("log");
    assert!(
        log.iter().any(|e| e.action == "decide" && e.target == format!("the author of comment {id}: hold")),
        "{log:?}"
    );

    // --trust-after 2: two published comments, and the third may carry a link.
    let auto = App::new("context-trust-after", |s| s.trust_after = Some(2));
    assert_eq!(auto.post("t", &comment("Asha", &link), None).await.status, 202, "not yet");
    for n in 0..2 {
        assert_eq!(auto.post("t", &comment("Asha", &format!("{BODY} {n}")), None).await.status, 201);
    }
    assert_eq!(auto.post("t", &comment("Asha", &format!("{link} now")), None).await.status, 201, "trusted after 2");
}
