//! The moderation pages (`/admin`) against the application on the real store, with a
//! moderator made by the real command line: nothing without a session (a page redirects
//! to the sign-in page with nothing else, an action is 403), a wrong password slowed and
//! never saying whether the name exists, the session cookie's attributes, CSRF and
//! cross-site posts refused, approve and reject (audited), hostile text inert, and
//! signing out everywhere ending every other session.

mod common;
use common::*;
use reader_comments_server::store::Decided;
use serde_json::json;
use std::time::Instant;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn nothing_without_a_session_and_a_wrong_password_is_slowed_and_says_nothing_of_the_name() {
    let app = App::new("admin-gate", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let page = app.get("/admin").await;
    assert_eq!((page.status, page.header("location")), (303, Some("/admin/sign-in")));
    assert_eq!(page.body, "", "no content leaked");
    let action = app.send("POST", "/admin/actions", &[FORM], &form(&[("one", "approve 1")])).await;
    assert_eq!(action.status, 403);
    let out = app.send("POST", "/admin/sign-out", &[FORM], b"").await;
    assert_eq!((out.status, out.header("location")), (303, Some("/admin/sign-in")));

    let sign_in_page = app.get("/admin/sign-in").await;
    assert_eq!(sign_in_page.status, 200);
    assert!(sign_in_page.header("content-security-policy").is_some_and(|p| p.contains("default-src 'none'")));
    let started = Instant::now();
    let wrong = sign_in(&app, "mira", "not the password at all").await;
    let first_wait = started.elapsed();
    let unknown = sign_in(&app, "nobody", PASSWORD).await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert!(wrong.body.contains("The name or password is wrong."));
    assert!(unknown.body.contains("The name or password is wrong."), "the same words for an unknown name");
    assert!(wrong.header("set-cookie").is_none());
    assert!(first_wait.as_millis() >= 250, "slowed: {first_wait:?}");
    let started = Instant::now();
    sign_in(&app, "mira", "still not the password").await;
    assert!(started.elapsed().as_millis() >= 500, "longer after a second failure: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_moderator_approves_and_rejects_held_comments_with_csrf_and_every_action_is_audited() {
    let app = App::new("admin-queue", |_| {});
    let (ok, said) = add_moderator(&app.db, "mira", PASSWORD);
    assert!(ok && said.contains("moderator mira can sign in"), "{said}");
    let (again, said) = add_moderator(&app.db, "mira", "another long password");
    assert!(!again && said.contains("exists; add --replace"), "{said}");
    assert!(!add_moderator(&app.db, "short", "too short").0, "12 characters at least");

    let held = app.post("t", &comment("Linker", &format!("{BODY} https://example.com/a")), None).await.json();
    let payload = "<script>alert('queue')</script><img src=x onerror=alert(1)>";
    let hostile = app.post("t", &comment(payload, &format!("{payload} {BODY} https://x.example")), None).await.json();
    assert_eq!((held["status"].clone(), hostile["status"].clone()), (json!("pending"), json!("pending")));

    let signed = sign_in(&app, "mira", PASSWORD).await;
    assert_eq!((signed.status, signed.header("location")), (303, Some("/admin")));
    let set = signed.header("set-cookie").expect("a cookie");
    for attribute in ["__Host-rc-admin=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    let cookie = cookie_of(&signed);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Waiting for moderation (2)"), "{}", queue.body);
    assert!(queue.body.contains("It has a link."));
    assert!(!queue.body.contains("<script>alert") && !queue.body.contains("<img src=x"), "hostile text is inert");
    assert!(queue.body.contains("&lt;script&gt;alert"), "and shown as text");
    let csrf = csrf_of(&queue.body);

    let held_id = held["id"].as_str().expect("id").to_string();
    let approve = format!("approve {held_id}");
    let with_cookie = [FORM, ("Cookie", cookie.as_str())];
    let no_csrf = app.send("POST", "/admin/actions", &with_cookie, &form(&[("one", &approve)])).await;
    assert_eq!(no_csrf.status, 403, "no CSRF token");
    let forged = [FORM, ("Cookie", cookie.as_str()), ("Origin", "https://evil.example")];
    let cross = app.send("POST", "/admin/actions", &forged, &form(&[("csrf", &csrf), ("one", &approve)])).await;
    assert_eq!(cross.status, 403, "a cross-site form post");
    assert!(app.all_comments("t").await.is_empty(), "nothing was approved by either");

    let done = app.send("POST", "/admin/actions", &with_cookie, &form(&[("csrf", &csrf), ("one", &approve)])).await;
    let undo = format!("/admin?said=approved&undo={}", held["id"].as_str().expect("an id"));
    assert_eq!((done.status, done.header("location")), (303, Some(undo.as_str())));
    let listed = app.all_comments("t").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], held["id"], "approved: the widget's list has it");

    let hostile_id = hostile["id"].as_str().expect("id").to_string();
    let reject = app
        .send(
            "POST",
            "/admin/actions",
            &with_cookie,
            &form(&[("csrf", &csrf), ("bulk", "reject"), ("id", &hostile_id)]),
        )
        .await;
    assert_eq!(reject.header("location"), Some("/admin?said=rejected"));
    let after = app.send("GET", "/admin?said=rejected", &[("Cookie", &cookie)], b"").await;
    assert!(after.body.contains("Nothing is waiting.") && after.body.contains("Rejected."), "{}", after.body);
    let echoed = app.send("GET", "/admin?said=%3Cb%3Ehi", &[("Cookie", &cookie)], b"").await;
    assert!(!echoed.body.contains("<b>hi") && !echoed.body.contains("&lt;b&gt;hi"), "the address is never echoed");

    let log = app.state.db.audit_log(10).expect("the audit log");
    let actions: Vec<(&str, &str)> = log.iter().map(|e| (e.moderator.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, [("mira", "reject"), ("mira", "approve"), ("mira", "sign in")]);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_other_session() {
    let app = App::new("admin-sessions", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let laptop = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let phone = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    assert_ne!(laptop, phone);
    let page = app.send("GET", "/admin", &[("Cookie", &phone)], b"").await;
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let out = app
        .send("POST", "/admin/sign-out", &[FORM, ("Cookie", &phone)], &form(&[("csrf", &csrf), ("everywhere", "1")]))
        .await;
    assert_eq!((out.status, out.header("location")), (303, Some("/admin/sign-in")));
    assert!(out.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
    for cookie in [&laptop, &phone] {
        let gone = app.send("GET", "/admin", &[("Cookie", cookie)], b"").await;
        assert_eq!(gone.status, 303, "this session has ended");
    }
    let tampered =
        app.send("GET", "/admin", &[("Cookie", "__Host-rc-admin=0123456789abcdef0123456789abcdef")], b"").await;
    assert_eq!(tampered.status, 303);
}

#[tokio::test]
async fn a_moderator_closes_and_opens_a_thread_from_the_thread_list_and_the_audit_log_says_so() {
    let app = App::new("admin-threads", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    assert_eq!(app.post("liaison", &comment("Asha", BODY), None).await.status, 201);
    app.post("liaison", &comment("Linker", &format!("{BODY} https://x.example")), None).await;
    for path in ["/admin/threads", "/admin/audit"] {
        let without = app.get(path).await;
        assert_eq!((without.status, without.body.as_str()), (303, ""), "{path} needs a session");
    }
    let refused =
        app.send("POST", "/admin/threads", &[FORM], &form(&[("thread", "liaison"), ("action", "close")])).await;
    assert_eq!(refused.status, 403);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let list = app.send("GET", "/admin/threads", &[("Cookie", &cookie)], b"").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains(r#"<a href="/admin/comments?thread=liaison" aria-label="1 published in liaison">1</a>"#)
            && list.body.contains(r#"<a href="/admin?thread=liaison" aria-label="1 waiting in liaison">1</a>"#),
        "published 1, waiting 1: {}",
        list.body
    );
    let csrf = csrf_of(&list.body);
    let with_cookie = [FORM, ("Cookie", cookie.as_str())];
    let close = form(&[("csrf", &csrf), ("thread", "liaison"), ("action", "close")]);
    let closed = app.send("POST", "/admin/threads", &with_cookie, &close).await;
    assert_eq!(closed.header("location"), Some("/admin/threads?said=closed"));
    assert_eq!(
        app.get("/api/threads/liaison/comments").await.json()["closed"],
        json!(true),
        "the widget's list says so"
    );
    assert_eq!(app.post("liaison", &comment("Late", BODY), None).await.status, 403);
    let open = form(&[("csrf", &csrf), ("thread", "liaison"), ("action", "open")]);
    app.send("POST", "/admin/threads", &with_cookie, &open).await;
    assert_eq!(app.get("/api/threads/liaison/comments").await.json()["closed"], json!(false));
    let audit = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await;
    for line in
        ["close</td><td data-label=\"On\">thread liaison</td>", "open</td><td data-label=\"On\">thread liaison</td>"]
    {
        assert!(audit.body.contains(line), "{line} in {}", audit.body);
    }
}

#[tokio::test]
async fn a_blocked_phrase_added_on_its_page_holds_comments_and_the_queue_says_why() {
    let app = App::new("admin-words", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let page = app.send("GET", "/admin/words", &[("Cookie", &cookie)], b"").await;
    assert!(page.body.contains("None yet."));
    let csrf = csrf_of(&page.body);
    let with_cookie = [FORM, ("Cookie", cookie.as_str())];
    let add = app
        .send("POST", "/admin/words", &with_cookie, &form(&[("csrf", &csrf), ("action", "add"), ("phrase", "Casino")]))
        .await;
    assert_eq!(add.header("location"), Some("/admin/words?said=added"));
    let held =
        app.post("t", &comment("Lucky", &format!("Try the best online c.a.s.i.n.o tonight! {BODY}")), None).await;
    assert_eq!(held.status, 202, "{}", held.body);
    assert_eq!(app.post("t", &comment("Reader", BODY), None).await.status, 201);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(queue.body.contains("It has a blocked word or phrase: \u{201C}Casino\u{201D}."), "{}", queue.body);
    let remove = form(&[("csrf", &csrf), ("action", "remove"), ("phrase", "Casino")]);
    app.send("POST", "/admin/words", &with_cookie, &remove).await;
    let again =
        app.post("t", &comment("Lucky", &format!("Try the best online c.a.s.i.n.o tonight! {BODY} ")), None).await;
    assert_eq!(again.status, 201, "no longer blocked");
    let audit = app.state.db.audit_log(5).expect("log");
    assert_eq!(
        audit.iter().map(|e| (e.action.as_str(), e.target.as_str())).take(2).collect::<Vec<_>>(),
        [("unblock", "Casino"), ("block", "Casino")]
    );
}

#[tokio::test]
async fn a_ban_from_the_queue_refuses_that_address_not_others_and_no_address_is_stored() {
    let app = App::new("admin-bans", |s| {
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    });
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let from = |ip: &'static str| [("Content-Type", "application/json"), ("X-Forwarded-For", ip)];
    let spam = comment("Spammer", &format!("{BODY} https://spam.example"));
    let held = app.send("POST", "/api/threads/t/comments", &from("203.0.113.66"), spam.as_bytes()).await.json();
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let csrf = csrf_of(&queue.body);
    let id = held["id"].as_str().expect("id");
    let (ban, length) = (format!("ban {id}"), format!("ban-days-{id}"));
    assert!(queue.body.contains("<option value=\"7\" selected>7 days</option>"), "7 days unless chosen");
    let act = |days: &'static str| {
        let (app, cookie) = (app.clone(), cookie.clone());
        let body = form(&[("csrf", &csrf), ("one", &ban), (&length, days)]);
        async move { app.send("POST", "/admin/actions", &[FORM, ("Cookie", cookie.as_str())], &body).await }
    };
    for wrong in ["31", "0", "a week"] {
        let refused = act(wrong).await;
        assert_eq!(refused.header("location"), Some("/admin?said=ban_length"), "{wrong}");
    }
    assert!(app.state.db.bans(0).expect("bans").is_empty(), "no ban of a length not offered");
    assert!(
        app.state.db.pending(None, usize::MAX).expect("queue").iter().any(|r| r.comment.id == id),
        "nor a rejection"
    );
    let now =
        || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis() as i64;
    let before = now();
    let done = act("30").await;
    assert_eq!(done.header("location"), Some("/admin?said=banned"));
    let until = app.state.db.bans(0).expect("bans")[0].until;
    let thirty = 30 * 24 * 3600 * 1000;
    assert!((before + thirty..=now() + thirty).contains(&until), "30 days, as chosen");
    let again =
        app.send("POST", "/api/threads/t/comments", &from("203.0.113.66"), comment("Spammer", BODY).as_bytes()).await;
    assert_eq!((again.status, again.json()["code"].clone()), (403, json!("banned")), "{}", again.body);
    let other =
        app.send("POST", "/api/threads/t/comments", &from("198.51.100.7"), comment("Reader", BODY).as_bytes()).await;
    assert_eq!(other.status, 201, "another reader is not banned");
    assert!(!store_holds(&app.db, "203.0.113.66"), "the address is never stored");
    let bans = app.send("GET", "/admin/bans", &[("Cookie", &cookie)], b"").await;
    assert!(bans.body.contains("Bans in force (1)"), "{}", bans.body);
    let hash = app.state.db.bans(0).expect("bans")[0].client_hash.clone();
    app.send("POST", "/admin/bans", &[FORM, ("Cookie", cookie.as_str())], &form(&[("csrf", &csrf), ("hash", &hash)]))
        .await;
    let lifted = app
        .send(
            "POST",
            "/api/threads/t/comments",
            &from("203.0.113.66"),
            comment("Spammer", &format!("{BODY}!")).as_bytes(),
        )
        .await;
    assert_eq!(lifted.status, 201, "the ban is lifted");
}

#[tokio::test]
async fn published_comments_are_found_by_text_author_and_thread_and_deleted() {
    let app = App::new("admin-search", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    app.post("liaison", &comment("Asha", &format!("{BODY} About 100% of officers")), None).await;
    app.post("liaison", &comment("Bina", BODY), None).await;
    app.post("monsoon", &comment("Asha", &format!("{BODY} Rain at last")), None).await;
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let find = |query: &'static str| {
        let (app, cookie) = (app.clone(), cookie.clone());
        async move { app.send("GET", &format!("/admin/comments?{query}"), &[("Cookie", &cookie)], b"").await.body }
    };
    assert!(find("author=asha").await.contains("Found (2,"), "by author, any case");
    assert!(find("author=asha&thread=monsoon").await.contains("Found (1,"));
    assert!(find("text=100%25").await.contains("Found (1,"), "a % in the text is a %");
    assert!(find("text=%25").await.contains("Found (1,"), "and not a wildcard");
    let all = find("").await;
    assert!(all.contains("Found (3,"));
    let csrf = csrf_of(&all);
    let target = app.all_comments("monsoon").await[0]["id"].as_str().expect("id").to_string();
    let delete =
        form(&[("csrf", &csrf), ("from", "published"), ("one", &format!("delete {target}")), ("confirmed", "yes")]);
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", cookie.as_str())], &delete).await;
    assert_eq!(done.header("location"), Some("/admin/comments?said=deleted"));
    assert!(app.all_comments("monsoon").await.is_empty(), "gone from the widget's list");
    assert!(find("").await.contains("Found (2,"));
    assert!(app.get("/admin/comments").await.status == 303, "no session: the sign-in page");
}

#[tokio::test]
async fn a_reply_shows_the_comment_it_answers_in_the_queue_and_once_published() {
    let app = App::new("admin-replies", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let long = format!("{BODY} {}", "and more words ".repeat(12));
    let parent = app.post("t", &comment("Asha", &long), None).await.json();
    let reply = json!({"author": "Linker", "body": format!("{BODY} https://x.example"), "parent_id": parent["id"]});
    assert_eq!(app.post("t", &reply.to_string(), None).await.status, 202, "a reply with a link is held too");
    let top = app.post("t", &comment("Other", &format!("{BODY} https://y.example")), None).await;
    assert_eq!(top.status, 202);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let start: String = long.chars().take(140).collect();
    assert!(queue.body.contains(&format!("A reply to Asha: \u{201C}{start}\u{2026}\u{201D}")), "{}", queue.body);
    assert_eq!(queue.body.matches("A reply to").count(), 1, "only the reply says so");
    // Published, it says so in the published list too.
    let reply_id = app
        .state
        .db
        .pending(None, usize::MAX)
        .expect("queue")
        .iter()
        .find(|r| r.comment.author == "Linker")
        .map(|r| r.comment.id.clone());
    let reply_id: i64 = reply_id.and_then(|id| id.parse().ok()).expect("the reply waits");
    assert_eq!(app.state.db.approve(reply_id, None).expect("approved"), Decided::Done);
    let found = app.send("GET", "/admin/comments?author=Linker", &[("Cookie", &cookie)], b"").await;
    assert!(found.body.contains(&format!("A reply to Asha: \u{201C}{start}\u{2026}\u{201D}")), "{}", found.body);
}

#[tokio::test]
async fn a_flood_of_held_comments_shows_the_newest_two_hundred_and_says_how_many_wait() {
    let app = App::new("admin-flood", |s| s.moderation = reader_comments_server::Moderation::All);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let parent = app.post("t", &comment("Asha", BODY), None).await.json();
    let parent_id: i64 = parent["id"].as_str().and_then(|id| id.parse().ok()).expect("an id");
    assert_eq!(
        app.state.db.approve(parent_id, None).expect("approved"),
        Decided::Done,
        "replies answer a published comment"
    );
    for n in 0..203 {
        let mut body = json!({"author": format!("Flood {n}"), "body": format!("{BODY} ({n})")});
        if n % 2 == 0 {
            body["parent_id"] = parent["id"].clone();
        }
        assert_eq!(app.post("t", &body.to_string(), None).await.status, 202);
    }
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Waiting for moderation (203)"), "every one counted");
    assert!(queue.body.contains("Showing the newest 200 of 203."), "and said how many are shown");
    assert_eq!(queue.body.matches("Select the comment by ").count(), 200);
    assert!(queue.body.contains("Select the comment by Flood 202<"), "the newest is shown");
    assert!(!queue.body.contains("Select the comment by Flood 2<"), "the oldest wait for room");
    assert!(queue.body.contains("Select the comment by Flood 3<"));
    // Every held reply shown (Flood 4, 6, … 202) says whom it answers.
    assert_eq!(queue.body.matches("A reply to Asha: ").count(), 100);
}

#[tokio::test]
async fn under_moderation_first_a_readers_comments_wait_until_a_moderator_publishes_one() {
    let app = App::new("admin-first", |s| s.moderation = reader_comments_server::Moderation::First);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let post = |key: Option<&'static str>, author: &'static str, body: String| {
        let app = app.clone();
        async move {
            let mut headers = vec![("Content-Type", "application/json")];
            headers.extend(key.map(|k| ("Reader-Key", k)));
            app.send("POST", "/api/threads/t/comments", &headers, comment(author, &body).as_bytes()).await
        }
    };
    const ASHA: &str = "0123456789abcdef0123456789abcdef";
    const BINA: &str = "fedcba9876543210fedcba9876543210";
    let first = post(Some(ASHA), "Asha", format!("{BODY} (one)")).await;
    assert_eq!(first.status, 202, "a reader's first comment waits: {}", first.body);
    assert_eq!(post(Some(ASHA), "Asha", format!("{BODY} (two)")).await.status, 202, "and so does the next, meanwhile");
    assert_eq!(post(Some(BINA), "Bina", BODY.to_string()).await.status, 202, "another reader is new too");
    assert_eq!(post(None, "Nameless", BODY.to_string()).await.status, 202, "without a key, always new");
    let malformed = post(Some("not a key"), "Asha", BODY.to_string()).await;
    assert_eq!((malformed.status, malformed.json()["title"].clone()), (400, json!("Bad Reader-Key")));

    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert_eq!(queue.body.matches("Held because: It is the first comment from this reader.").count(), 4);
    let id: i64 = first.json()["id"].as_str().and_then(|id| id.parse().ok()).expect("an id");
    assert_eq!(app.state.db.approve(id, None).expect("approved"), Decided::Done);

    let known = post(Some(ASHA), "Asha", format!("{BODY} (three)")).await;
    assert_eq!(known.status, 201, "once one is published, the reader's comments appear: {}", known.body);
    assert_eq!(post(Some(ASHA), "Asha", format!("{BODY} https://x.example")).await.status, 202, "links still wait");
    assert_eq!(post(Some(BINA), "Bina", format!("{BODY} (again)")).await.status, 202, "Bina is still new");
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(queue.body.contains("Held because: It has a link."), "{}", queue.body);
    assert_eq!(queue.body.matches("It is the first comment from this reader.").count(), 3, "Bina twice, Nameless");
    let since = "Held because: It was this reader's first comment; one of theirs has been published since.";
    assert_eq!(queue.body.matches(since).count(), 1, "Asha's second, held while she was new");
    assert!(!store_holds(&app.db, ASHA), "only the key's keyed hash is stored");
}

#[tokio::test]
async fn the_queue_of_one_thread_shows_only_its_comments_and_an_action_returns_to_it() {
    let app = App::new("admin-one-thread", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    for (thread, author) in [("liaison", "Here"), ("budget", "Elsewhere"), ("liaison", "Here too")] {
        assert_eq!(app.post(thread, &comment(author, &format!("{BODY} https://x.example")), None).await.status, 202);
    }
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin?thread=liaison", &[("Cookie", &cookie)], b"").await;
    assert!(queue.body.contains("Waiting for moderation in liaison (2)"), "{}", queue.body);
    assert!(
        queue.body.contains("Select the comment by Here<") && queue.body.contains("Select the comment by Here too<")
    );
    assert!(!queue.body.contains("Elsewhere"), "another thread's comment is not shown");
    assert!(queue.body.contains(r#"<a href="/admin">Show what waits in every thread</a>"#));
    // Rejecting from it comes back to it.
    let id = app.state.db.pending(Some("liaison"), 1).expect("queue")[0].comment.id.clone();
    let fields = [("csrf", csrf_of(&queue.body)), ("thread", "liaison".into()), ("one", format!("reject {id}"))];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &form(&pairs)).await;
    let back = format!("/admin?thread=liaison&said=rejected&undo={id}");
    assert_eq!((done.status, done.header("location")), (303, Some(back.as_str())));
    assert_eq!(app.state.db.pending_count(Some("liaison")).expect("count"), 1);
    assert_eq!(app.state.db.pending_count(None).expect("count"), 2);
    // Anything but a thread key is ignored, never echoed: the whole queue.
    let odd = app.send("GET", "/admin?thread=%3Cb%3Ex", &[("Cookie", &cookie)], b"").await;
    assert!(odd.body.contains("Waiting for moderation (2)") && !odd.body.contains("<b>x"), "{}", odd.body);
}

#[tokio::test]
async fn the_audit_log_page_says_when_it_shows_only_the_newest_entries() {
    let app = App::new("admin-audit", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let few = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await;
    assert!(few.body.contains(">sign in<") && !few.body.contains("The newest 200 entries"), "{}", few.body);
    for n in 0..200 {
        app.state.db.record("mira", "approve", &format!("comment {n}"), 1_800_000_000_000 + n).expect("recorded");
    }
    let many = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await;
    assert!(many.body.contains("The newest 200 entries, newest first; older ones stay in the store"));
    assert_eq!(many.body.matches("<tr>").count(), 201, "a header row and 200 entries");
    assert!(many.body.contains(">comment 199<") && !many.body.contains(">sign in<"), "the oldest is not shown");
}

/// The value of the first button of a page named `one` whose value starts with `verb`.
fn button_value(page: &str, verb: &str) -> String {
    let start = page.find(&format!("name=\"one\" value=\"{verb} ")).expect("the button") + 18;
    page[start..].split('"').next().expect("its value").to_string()
}

#[tokio::test]
async fn a_moderator_approves_or_rejects_only_the_version_they_read_and_a_changed_comment_is_shown_again() {
    let app = App::new("admin-versions", |s| s.moderation = reader_comments_server::Moderation::All);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let posted = app.post("t", &comment("Swapper", BODY), None).await.json();
    let (id, token) = (posted["id"].as_str().expect("id"), posted["edit_token"].as_str().expect("token"));
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let (csrf, approve, reject) =
        (csrf_of(&queue.body), button_value(&queue.body, "approve"), button_value(&queue.body, "reject"));
    assert_eq!(approve, format!("approve {id}@1"), "a decision names the version on the screen");

    // The author swaps the text while the moderator reads the first one.
    let swapped = "Something else entirely, written after the moderator opened the queue to read it.";
    let bearer = format!("Bearer {token}");
    let headers = [("Content-Type", "application/json"), ("Authorization", bearer.as_str())];
    let edit = app
        .send(
            "PATCH",
            &format!("/api/threads/t/comments/{id}"),
            &headers,
            json!({"body": swapped}).to_string().as_bytes(),
        )
        .await;
    assert_eq!(edit.status, 200, "{}", edit.body);

    let with_cookie = [FORM, ("Cookie", cookie.as_str())];
    for decision in [&approve, &reject] {
        let done = app.send("POST", "/admin/actions", &with_cookie, &form(&[("csrf", &csrf), ("one", decision)])).await;
        let to = format!("/admin?said=changed&changed={id}");
        assert_eq!((done.status, done.header("location")), (303, Some(to.as_str())), "{decision}");
    }
    assert!(app.all_comments("t").await.is_empty(), "nothing the moderator did not read was published");
    let waiting = app.state.db.pending(None, 10).expect("queue");
    assert_eq!((waiting.len(), waiting[0].comment.body.as_str(), waiting[0].version), (1, swapped, 2));
    let again = app.send("GET", &format!("/admin?said=changed&changed={id}"), &[("Cookie", &cookie)], b"").await;
    assert!(again.body.contains("This comment changed since you opened the queue."), "{}", again.body);
    assert!(again.body.contains(swapped) && again.body.contains("Not done for a comment that changed"));

    // Selected together, too: only the version read is decided.
    let bulk = form(&[("csrf", &csrf), ("bulk", "approve"), ("id", &format!("{id}@1"))]);
    let done = app.send("POST", "/admin/actions", &with_cookie, &bulk).await;
    assert_eq!(done.header("location"), Some(format!("/admin?said=changed&changed={id}").as_str()));
    // The text now read is approved.
    let current = button_value(&again.body, "approve");
    assert_eq!(current, format!("approve {id}@2"));
    let done = app.send("POST", "/admin/actions", &with_cookie, &form(&[("csrf", &csrf), ("one", &current)])).await;
    assert_eq!(done.header("location"), Some(format!("/admin?said=approved&undo={id}").as_str()));
    let listed = app.all_comments("t").await;
    assert_eq!((listed.len(), listed[0]["body"].as_str()), (1, Some(swapped)));
    let log = app.state.db.audit_log(10).expect("the audit log");
    let did: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(did, ["approve", "sign in"], "only what was decided is in the log");
}

#[tokio::test]
async fn a_held_comment_is_deleted_from_the_queue_without_a_rejection_and_the_queue_comes_back() {
    let app = App::new("admin-queue-delete", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let held = app.post("t", &comment("Doxxer", &format!("{BODY} https://x.example/address")), None).await.json();
    let id = held["id"].as_str().expect("id").to_string();
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(queue.body.contains(&format!(r#"value="delete {id}""#)), "a Delete button: {}", queue.body);
    let delete = form(&[("csrf", &csrf_of(&queue.body)), ("one", &format!("delete {id}")), ("confirmed", "yes")]);
    let done = app.send("POST", "/admin/actions", &[FORM, ("Cookie", cookie.as_str())], &delete).await;
    assert_eq!((done.status, done.header("location")), (303, Some("/admin?said=deleted")));
    assert_eq!(app.state.db.pending_count(None).expect("count"), 0);
    assert!(app.state.db.find("t", id.parse().expect("number")).expect("read").is_none(), "gone");
    let log = app.state.db.audit_log(1).expect("the audit log");
    assert_eq!((log[0].action.as_str(), log[0].target.clone()), ("delete", format!("comment {id}")), "not a rejection");
    let after = app.send("GET", "/admin?said=deleted", &[("Cookie", &cookie)], b"").await;
    assert!(after.body.contains("Deleted.") && after.body.contains("Nothing is waiting."), "{}", after.body);
}

#[tokio::test]
async fn the_queue_says_why_a_comment_was_held_even_after_the_rule_that_held_it_changed() {
    let app = App::new("admin-held-for", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    app.state.db.set_blocked("miracle cure", true, 1).expect("blocked");
    assert_eq!(app.post("t", &comment("Seller", &format!("{BODY} A Miracle Cure for all.")), None).await.status, 202);
    app.state.db.set_blocked("miracle cure", false, 2).expect("no longer blocked");
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(
        queue.body.contains("Held because: It has a blocked word or phrase: \u{201C}miracle cure\u{201D}."),
        "the reason recorded when it was held: {}",
        queue.body
    );
    assert!(!queue.body.contains("Every comment is held for moderation"), "which would be false here");
}

#[tokio::test]
async fn moderators_read_every_reported_comment_below_the_threshold_too_and_keep_or_delete_it() {
    let app = App::new("admin-reported", |s| s.trusted_proxies = vec![std::net::IpAddr::from(PEER.0)]);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let report = |id: String, n: u8, reason: &'static str| {
        let app = app.clone();
        async move {
            let (key, address) = (format!("{n:032x}"), format!("203.0.113.{n}"));
            let headers = [
                ("Content-Type", "application/json"),
                ("Reader-Key", key.as_str()),
                ("X-Forwarded-For", address.as_str()),
            ];
            let body = json!({ "reason": reason }).to_string();
            app.send("POST", &format!("/api/threads/t/comments/{id}/report"), &headers, body.as_bytes()).await.status
        }
    };
    let mut ids = Vec::new();
    for author in ["Once", "Twice", "Unreported"] {
        ids.push(app.post("t", &comment(author, BODY), None).await.json()["id"].as_str().expect("id").to_string());
    }
    assert_eq!(report(ids[0].clone(), 1, "abuse").await, 202);
    assert_eq!(report(ids[1].clone(), 2, "spam").await, 202);
    assert_eq!(report(ids[1].clone(), 3, "other").await, 202);
    assert_eq!(app.all_comments("t").await.len(), 3, "below the threshold (3): all still published");

    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let page = app.send("GET", "/admin/reported", &[("Cookie", &cookie)], b"").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Reported comments (2)") && !page.body.contains("Unreported"), "{}", page.body);
    let twice = page.body.find("Twice").expect("listed");
    assert!(twice < page.body.find("Once").expect("listed"), "the most reported first");
    assert!(page.body.contains("Reported by 2 readers: something else (1), spam or advertising (1)."));
    assert!(page.body.contains("Reported by 1 reader: abusive or hateful (1)."));
    assert!(page.body.contains(r#"<a href="/admin/reported" aria-current="page">Reported</a>"#), "in the navigation");
    let csrf = csrf_of(&page.body);
    let with_cookie = [FORM, ("Cookie", cookie.as_str())];

    let keep = form(&[("csrf", &csrf), ("from", "reported"), ("one", &format!("keep {}", ids[0]))]);
    let done = app.send("POST", "/admin/actions", &with_cookie, &keep).await;
    assert_eq!((done.status, done.header("location")), (303, Some("/admin/reported?said=kept")));
    let delete =
        form(&[("csrf", &csrf), ("from", "reported"), ("one", &format!("delete {}", ids[1])), ("confirmed", "yes")]);
    let done = app.send("POST", "/admin/actions", &with_cookie, &delete).await;
    assert_eq!(done.header("location"), Some("/admin/reported?said=deleted"));
    let page = app.send("GET", "/admin/reported?said=kept", &[("Cookie", &cookie)], b"").await;
    assert!(page.body.contains("No reports to read.") && page.body.contains("Kept: its reports are marked read."));
    let listed: Vec<String> =
        app.all_comments("t").await.iter().map(|c| c["author"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(listed, ["Once", "Unreported"], "kept, deleted, untouched");
    let log = app.state.db.audit_log(2).expect("the audit log");
    let did: Vec<String> = log.iter().map(|e| format!("{} {}", e.action, e.target)).collect();
    assert_eq!(did, [format!("delete comment {}", ids[1]), format!("keep comment {}", ids[0])]);
    // Only newer reports count again after Keep it.
    assert_eq!(report(ids[0].clone(), 4, "spam").await, 202);
    let page = app.send("GET", "/admin/reported", &[("Cookie", &cookie)], b"").await;
    assert!(page.body.contains("Reported by 1 reader: spam or advertising (1)."), "{}", page.body);
}
