//! What became of a reader's own comments (contract v1.2): `POST …/comments/own` with
//! the edit tokens the posts were answered with tells each author where their comment
//! stands — waiting, published, rejected with the moderator's reason, or gone — and
//! nobody else; a rejection from the queue keeps the reason; on the real store (SQLite,
//! or PostgreSQL under `RC_TEST_POSTGRES`), through the real routes.

mod common;
use common::*;
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";
const JSON: (&str, &str) = ("Content-Type", "application/json");

/// Posts on thread `t`: the status, the id and the edit token.
async fn posted(app: &App, author: &str, body: &str) -> (u16, String, String) {
    let answer = app.post("t", &comment(author, body), None).await;
    let doc = answer.json();
    (answer.status, doc["id"].as_str().expect("an id").into(), doc["edit_token"].as_str().expect("a token").into())
}

/// Asks about `(id, token)` pairs: the answer's states by id, in the order asked.
async fn ask(app: &App, pairs: &[(&str, &str)]) -> Vec<Value> {
    let asked: Vec<Value> = pairs.iter().map(|(id, token)| json!({"id": id, "token": token})).collect();
    let body = json!({ "comments": asked }).to_string();
    let answer = app.send("POST", "/api/threads/t/comments/own", &[JSON], body.as_bytes()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    answer.json()["comments"].as_array().expect("a list").clone()
}

/// Sends the queue's form with `fields` as moderator `mira`.
async fn decide(app: &App, cookie: &str, fields: &[(&str, &str)]) {
    let queue = app.send("GET", "/admin", &[("Cookie", cookie)], b"").await;
    let csrf = csrf_of(&queue.body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", cookie)], &form(&all)).await;
    assert_eq!(done.status, 303, "{}", done.body);
}

/// The application with moderator `mira` signed in: it and her session's cookie.
async fn with_moderator(name: &str) -> (App, String) {
    let app = App::new(name, |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    (app, cookie)
}

#[tokio::test]
async fn an_author_learns_that_a_comment_waits_is_published_or_was_rejected_and_why_and_nobody_else_does() {
    let (app, cookie) = with_moderator("fate").await;
    let link = format!("{BODY} https://example.com/more");
    let (status, waiting, waiting_token) = posted(&app, "Asha", &link).await;
    assert_eq!(status, 202, "a link waits");
    let (_, approved, approved_token) = posted(&app, "Bela", &link).await;
    let (_, rejected, rejected_token) = posted(&app, "Chen", &format!("{link} (off topic)")).await;
    let (status, published, published_token) = posted(&app, "Dev", BODY).await;
    assert_eq!(status, 201);

    // Waiting: the author gets it back (a reload shows it to them), a stranger does not.
    let states =
        ask(&app, &[(&waiting, &waiting_token), (&waiting, "not-the-token"), (&published, &published_token)]).await;
    assert_eq!((states[0]["id"].as_str(), states[0]["state"].as_str()), (Some(waiting.as_str()), Some("waiting")));
    assert_eq!(states[0]["comment"]["body"].as_str(), Some(link.as_str()));
    assert_eq!(states[0]["comment"]["status"].as_str(), Some("pending"));
    assert_eq!(states[1], json!({"id": waiting, "state": "gone"}), "a wrong token learns nothing");
    assert_eq!(states[2]["state"].as_str(), Some("published"));
    assert!(!app.all_comments("t").await.iter().any(|c| c["id"].as_str() == Some(waiting.as_str())));

    // Approved and rejected from the queue, with a reason and a note for the author.
    decide(&app, &cookie, &[("one", &format!("approve {approved}"))]).await;
    let (reason_field, note_field) = (format!("reason-{rejected}"), format!("note-{rejected}"));
    let reject = format!("reject {rejected}");
    let note = "Please keep to the article's subject:\nthe liaison office.";
    decide(&app, &cookie, &[("one", &reject), (&reason_field, "off_topic"), (&note_field, note)]).await;

    let states =
        ask(&app, &[(&approved, &approved_token), (&rejected, &rejected_token), (&rejected, &approved_token)]).await;
    assert_eq!(states[0]["state"].as_str(), Some("published"));
    assert_eq!(states[0]["comment"]["status"].as_str(), Some("published"));
    assert_eq!(states[1]["state"].as_str(), Some("rejected"), "{}", states[1]);
    assert_eq!(
        states[1]["reason"],
        json!({"code": "off_topic", "text": "Off-topic", "note": "Please keep to the article's subject: the liaison office."})
    );
    assert_eq!(states[1]["comment"]["body"].as_str(), Some(format!("{link} (off topic)").as_str()), "their own words");
    assert_eq!(states[2]["state"].as_str(), Some("gone"), "another comment's token is not this one's");
    let listed = app.all_comments("t").await;
    assert!(listed.iter().any(|c| c["id"].as_str() == Some(approved.as_str())));
    assert!(!listed.iter().any(|c| c["id"].as_str() == Some(rejected.as_str())), "a rejected comment is never listed");
    assert_eq!(app.state.db.pending_count(None).expect("count"), 1, "only the first still waits");
    let log = app.state.db.audit_log(10).expect("log");
    let said = format!("comment {rejected}: Off-topic (Please keep to the article's subject: the liaison office.)");
    assert!(log.iter().any(|e| e.action == "reject" && e.target == said), "{log:?}");

    // Withdrawn by its author: gone, as is an id the thread never had.
    let path = format!("/api/threads/t/comments/{waiting}");
    let auth = format!("Bearer {waiting_token}");
    assert_eq!(app.send("DELETE", &path, &[("Authorization", &auth)], b"").await.status, 204);
    let states = ask(&app, &[(&waiting, &waiting_token), ("999999", "x"), ("not-a-number", "x")]).await;
    assert_eq!(states.iter().map(|s| s["state"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["gone", "gone"]);
}

#[tokio::test]
async fn selected_comments_are_rejected_with_the_reason_chosen_for_them_and_none_chosen_is_other() {
    let (app, cookie) = with_moderator("fate-bulk").await;
    let link = format!("{BODY} https://example.com/buy");
    let (_, a, a_token) = posted(&app, "Spam One", &link).await;
    let (_, b, b_token) = posted(&app, "Spam Two", &format!("{link} again")).await;
    let (_, c, c_token) = posted(&app, "Plain", &format!("{link} plain")).await;
    // Each comment's own controls are sent with the form too (at "other"): the bulk
    // choice is the one that counts for the selected ones.
    let (a_own, b_own) = (format!("reason-{a}"), format!("reason-{b}"));
    let fields = [
        ("bulk", "reject"),
        ("id", a.as_str()),
        ("id", b.as_str()),
        ("reason", "spam"),
        (&a_own, "other"),
        (&b_own, "other"),
    ];
    decide(&app, &cookie, &fields).await;
    decide(&app, &cookie, &[("one", &format!("reject {c}")), ("reason", "abuse")]).await;
    let states = ask(&app, &[(&a, &a_token), (&b, &b_token), (&c, &c_token)]).await;
    let reasons: Vec<&str> = states.iter().map(|s| s["reason"]["code"].as_str().unwrap_or("")).collect();
    assert_eq!(reasons, ["spam", "spam", "other"], "a single Reject reads only its own controls");
    assert!(states.iter().all(|s| s["reason"].get("note").is_none()));
}

#[tokio::test]
async fn a_request_that_cannot_be_read_gets_a_clear_problem_and_the_list_says_what_is_offered() {
    let app = App::new("fate-bad", |_| {});
    let path = "/api/threads/t/comments/own";
    for (headers, body, status) in [
        (vec![JSON], r#"{"comments": "12"}"#.to_string(), 400),
        (vec![JSON], r#"{"comments": [{"id": 12, "token": "x"}]}"#.to_string(), 400),
        (vec![JSON], json!({"comments": vec![json!({"id": "1", "token": "x"}); 51]}).to_string(), 400),
        (vec![], r#"{"comments": []}"#.to_string(), 415),
        (vec![JSON], "[".to_string(), 400),
    ] {
        let answer = app.send("POST", path, &headers, body.as_bytes()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(answer.json()["detail"].as_str().is_some_and(|d| !d.is_empty()), "{}", answer.body);
    }
    let empty = app.send("POST", path, &[JSON], br#"{"comments": []}"#).await;
    assert_eq!((empty.status, empty.json()), (200, json!({"comments": []})));
    let page = app.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"]["own_status"], json!(true));
    assert_eq!(page["capabilities"]["holds"], json!(["links"]), "the default: comments with links wait");
    let first = App::new("fate-first", |s| s.moderation = reader_comments_server::Moderation::First);
    let page = first.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"]["holds"], json!(["links", "first"]));
}

#[tokio::test]
async fn a_rejected_comment_is_listed_with_its_reason_and_restored_to_the_queue_as_it_waited() {
    let (app, cookie) = with_moderator("fate-restore").await;
    let link = format!("{BODY} https://example.com/restore");
    let (_, id, token) = posted(&app, "Esha", &link).await;
    let (reason, note) = (format!("reason-{id}"), format!("note-{id}"));
    let reject = format!("reject {id}");
    decide(&app, &cookie, &[("one", &reject), (&reason, "duplicate"), (&note, "Posted twice")]).await;
    let page = app.send("GET", "/admin/rejected", &[("Cookie", &cookie)], b"").await;
    assert_eq!(page.status, 200);
    for shown in [
        "Rejected comments (1)",
        "Esha",
        "Reason: A duplicate of another comment",
        "Note to the author: Posted twice",
        "Rejected by mira",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let restore = [("csrf", csrf_of(&page.body)), ("from", "rejected".into()), ("one", format!("restore {id}"))];
    let fields: Vec<(&str, &str)> = restore.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&fields)).await;
    assert_eq!(done.header("location"), Some("/admin/rejected?said=restored"));
    // Back in the queue as it waited: same id, text and edit token; its author sees it waiting.
    let queue = app.state.db.pending(None, 10).expect("queue");
    assert_eq!(
        (queue.len(), queue[0].comment.id.as_str(), queue[0].comment.body.as_str()),
        (1, id.as_str(), link.as_str())
    );
    assert_eq!(ask(&app, &[(&id, &token)]).await[0]["state"].as_str(), Some("waiting"));
    let after = app.send("GET", "/admin/rejected?said=restored", &[("Cookie", &cookie)], b"").await;
    assert!(
        after.body.contains("Nothing was rejected.") && after.body.contains("Restored: it waits in the queue again.")
    );
    // Restoring it again finds nothing to restore, and says so.
    let again = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&fields)).await;
    assert_eq!(again.header("location"), Some("/admin/rejected?said=none"));
    let log = app.state.db.audit_log(10).expect("log");
    assert!(log.iter().any(|e| e.action == "restore" && e.target == format!("comment {id}")), "{log:?}");
    // Approved now, it is published with its place and token: the author can still edit it.
    decide(&app, &cookie, &[("one", &format!("approve {id}"))]).await;
    assert!(app.all_comments("t").await.iter().any(|c| c["id"].as_str() == Some(id.as_str())));
    let path = format!("/api/threads/t/comments/{id}");
    let auth = format!("Bearer {token}");
    let edited =
        app.send("PATCH", &path, &[JSON, ("Authorization", &auth)], json!({"body": BODY}).to_string().as_bytes()).await;
    assert_eq!(edited.status, 200, "{}", edited.body);
}

#[tokio::test]
async fn an_approval_or_a_rejection_is_undone_right_after_and_a_search_stays_after_an_action() {
    let (app, cookie) = with_moderator("fate-undo").await;
    let link = format!("{BODY} https://example.com/undo");
    let (_, approved, _) = posted(&app, "Gita", &link).await;
    let (_, rejected, token) = posted(&app, "Hari", &format!("{link} two")).await;
    let approve = format!("approve {approved}");
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let csrf = csrf_of(&queue.body);
    let send = |fields: Vec<(&'static str, String)>| {
        let (app, cookie, csrf) = (&app, cookie.clone(), csrf.clone());
        async move {
            let mut all = vec![("csrf", csrf)];
            all.extend(fields);
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&pairs)).await
        }
    };
    let done = send(vec![("one", approve)]).await;
    let back = done.header("location").expect("back").to_string();
    assert_eq!(back, format!("/admin?said=approved&undo={approved}"));
    let page = app.send("GET", &back, &[("Cookie", &cookie)], b"").await.body;
    assert!(page.contains(&format!(r#"value="unapprove {approved}">Undo</button>"#)), "{page}");
    let undone = send(vec![("one", format!("unapprove {approved}"))]).await;
    assert_eq!(undone.header("location"), Some("/admin?said=unapproved"));
    assert!(app.all_comments("t").await.is_empty(), "it waits again");
    assert_eq!(app.state.db.pending_count(None).expect("count"), 2);

    let done = send(vec![("one", format!("reject {rejected}"))]).await;
    let back = done.header("location").expect("back").to_string();
    let page = app.send("GET", &back, &[("Cookie", &cookie)], b"").await.body;
    assert!(page.contains(&format!(r#"value="restore {rejected}">Undo</button>"#)), "{page}");
    send(vec![("one", format!("restore {rejected}"))]).await;
    assert_eq!(ask(&app, &[(&rejected, &token)]).await[0]["state"].as_str(), Some("waiting"));
    // Approving both at once offers no Undo.
    let bulk = send(vec![("bulk", "approve".into()), ("id", approved.clone()), ("id", rejected.clone())]).await;
    assert_eq!(bulk.header("location"), Some("/admin?said=approved"));

    // A deletion from a searched published list comes back to the same search.
    let found = send(vec![
        ("from", "published".into()),
        ("searched-text", "undo two".into()),
        ("searched-author", "Ha ri".into()),
        ("one", format!("delete {rejected}")),
        ("confirmed", "yes".into()),
    ])
    .await;
    assert_eq!(found.header("location"), Some("/admin/comments?text=undo%20two&author=Ha%20ri&said=deleted"));
}

#[tokio::test]
async fn delete_asks_first_and_deletes_only_when_confirmed() {
    let (app, cookie) = with_moderator("fate-delete").await;
    let (_, id, _) = posted(&app, "Ira", BODY).await;
    let list = app.send("GET", "/admin/comments", &[("Cookie", &cookie)], b"").await;
    let delete = format!("delete {id}");
    let fields = [("csrf", csrf_of(&list.body)), ("from", "published".into()), ("one", delete.clone())];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let asked = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&pairs)).await;
    assert_eq!(asked.status, 200);
    for shown in [
        "Delete this comment?",
        BODY,
        r#"name="confirmed" value="yes""#,
        &format!(r#"name="one" value="{delete}""#),
        r#"<button class="destructive" type="submit">Delete it</button>"#,
        r#"<a class="safe" href="/admin/comments?">Keep it</a>"#,
    ] {
        assert!(asked.body.contains(shown), "{shown}: {}", asked.body);
    }
    assert_eq!(app.all_comments("t").await.len(), 1, "nothing deleted yet");
    let mut confirmed = pairs.clone();
    confirmed.push(("confirmed", "yes"));
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&confirmed)).await;
    assert_eq!(done.header("location"), Some("/admin/comments?said=deleted"));
    assert!(app.all_comments("t").await.is_empty());
}

#[tokio::test]
async fn a_newsrooms_own_reasons_replace_the_list_and_their_words_reach_the_author() {
    let reasons =
        vec![("copyright".to_string(), "Copies someone else's work".to_string()), ("other".into(), "Other".into())];
    let app = App::new("fate-reasons", |s| s.reject_reasons = reasons);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let link = format!("{BODY} https://example.com/copied");
    let (_, copied, copied_token) = posted(&app, "Jai", &link).await;
    let (_, odd, odd_token) = posted(&app, "Kim", &format!("{link} two")).await;
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await.body;
    assert!(queue.contains(r#"<option value="copyright">Copies someone else's work</option>"#), "{queue}");
    assert!(!queue.contains("off_topic"), "the default list is replaced");
    let (reason, odd_reason) = (format!("reason-{copied}"), format!("reason-{odd}"));
    decide(&app, &cookie, &[("one", &format!("reject {copied}")), (&reason, "copyright")]).await;
    decide(&app, &cookie, &[("one", &format!("reject {odd}")), (&odd_reason, "off_topic")]).await;
    let states = ask(&app, &[(&copied, &copied_token), (&odd, &odd_token)]).await;
    assert_eq!(states[0]["reason"], json!({"code": "copyright", "text": "Copies someone else's work"}));
    assert_eq!(states[1]["reason"], json!({"code": "other", "text": "Other"}), "a code not on the list is other");
}
