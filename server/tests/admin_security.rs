//! The moderation pages' defences, on the real store: every page redirects to the
//! sign-in page with nothing else and every action is refused (and changes nothing)
//! without a session, with a signed-out session's cookie, or with a made-up one; and
//! every string of the XSS list, as comment text, author, blocked phrase and search, is
//! inert text in every page (no element, attribute or URL of its own); and sign-in
//! attempts from one address are limited whatever names they try.

mod common;
use common::*;
use serde_json::json;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const PASSWORD: &str = "correct horse battery staple";
const PAGES: [&str; 7] = [
    "/admin",
    "/admin/threads",
    "/admin/audit",
    "/admin/words",
    "/admin/bans",
    "/admin/comments",
    "/admin/comments?text=a",
];

#[tokio::test]
async fn without_a_live_session_every_page_redirects_with_nothing_and_every_action_is_refused_and_changes_nothing() {
    let app = App::new("admin-gates", |s| s.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")]);
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let spam = comment("Linker", &format!("{BODY} https://spam.example"));
    let from = [("Content-Type", "application/json"), ("X-Forwarded-For", "203.0.113.9")];
    let held = app.send("POST", "/api/threads/t/comments", &from, spam.as_bytes()).await.json();
    let id = held["id"].as_str().expect("id").to_string();
    assert_eq!(app.post("t", &comment("Asha", BODY), None).await.status, 201);

    // A real session's CSRF token, then its plain sign-out: the cookie is dead.
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let csrf = csrf_of(&app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await.body);
    let ban = form(&[("csrf", &csrf), ("one", &format!("ban {id}")), (&format!("ban-days-{id}"), "7")]);
    assert_eq!(app.send("POST", "/admin/actions", &[FORM, ("Cookie", &cookie)], &ban).await.status, 303);
    let hash = app.state.db.bans(0).expect("bans")[0].client_hash.clone();
    let out = app.send("POST", "/admin/sign-out", &[FORM, ("Cookie", &cookie)], &form(&[("csrf", &csrf)])).await;
    assert_eq!(out.header("location"), Some("/admin/sign-in"));
    let queued = app.post("t", &comment("Linker2", &format!("{BODY} https://spam2.example")), None).await.json();
    let queued = queued["id"].as_str().expect("id").to_string();

    let dead = cookie.clone();
    let made_up = "__Host-rc-admin=0123456789abcdef0123456789abcdef".to_string();
    let actions: [(&str, Vec<(&str, String)>); 6] = [
        ("/admin/actions", vec![("one", format!("approve {queued}"))]),
        ("/admin/actions", vec![("bulk", "reject".into()), ("id", queued.clone())]),
        ("/admin/threads", vec![("thread", "t".into()), ("action", "close".into())]),
        ("/admin/words", vec![("action", "add".into()), ("phrase", "Asha".into())]),
        ("/admin/bans", vec![("hash", hash.clone())]),
        (
            "/admin/actions",
            vec![("one", format!("delete {}", app.all_comments("t").await[0]["id"].as_str().expect("id")))],
        ),
    ];
    for (who, cookie) in
        [("no cookie", None), ("a signed-out cookie", Some(&dead)), ("a made-up cookie", Some(&made_up))]
    {
        let mut headers = vec![FORM];
        if let Some(c) = cookie {
            headers.push(("Cookie", c.as_str()));
        }
        for path in PAGES {
            let page = app.send("GET", path, &headers, b"").await;
            assert_eq!((page.status, page.header("location")), (303, Some("/admin/sign-in")), "{who}: {path}");
            assert_eq!(page.body, "", "{who}: {path} leaks nothing");
        }
        for (path, fields) in &actions {
            let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            pairs.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let refused = app.send("POST", path, &headers, &form(&pairs)).await;
            assert_eq!(refused.status, 403, "{who}: {path} {fields:?}");
            assert!(!refused.body.contains("Linker"), "{who}: no content in the refusal");
        }
    }
    assert!(
        app.state.db.pending(None, usize::MAX).expect("queue").iter().any(|r| r.comment.id == queued),
        "still waiting"
    );
    assert_eq!(app.all_comments("t").await.len(), 1, "nothing approved or deleted");
    assert!(!app.state.db.is_closed("t").expect("closed?"), "not closed");
    assert!(app.state.db.blocked_words().expect("words").is_empty(), "nothing blocked");
    assert_eq!(app.state.db.bans(0).expect("bans").len(), 1, "the ban stands");
    let log = app.state.db.audit_log(50).expect("log");
    assert_eq!(log.len(), 3, "only the real session's sign-in, ban and its reject: {log:?}");
}

/// The tags of a page whose name, attributes or URLs do something: anything the XSS
/// list could have made if it escaped into markup. Escaped text has no `<`, and an
/// attribute value no `"` or `>`, so each `<`…`>` is one real tag.
fn live_markup(page: &str) -> Vec<String> {
    const TAGS: [&str; 30] = [
        "!doctype", "html", "head", "meta", "title", "link", "body", "header", "main", "nav", "ul", "ol", "li", "a",
        "h1", "h2", "h3", "p", "form", "input", "label", "button", "span", "div", "time", "strong", "table", "thead",
        "tbody", "tr",
    ];
    let mut found = Vec::new();
    for tag in page.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
        // The attributes' names, their quoted values left out.
        let names: String = inside.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        let name = inside.trim_start_matches('/').split([' ', '\n']).next().unwrap_or("").to_string();
        // The pages' one script is theirs: any other would be the list's.
        let own_script = inside == "script src=\"/admin/admin.js\" defer" || inside == "/script";
        let known = own_script
            || TAGS.contains(&name.as_str())
            || ["th", "td", "footer", "section", "small", "select", "option"].contains(&name.as_str());
        let handler = names.split([' ', '\n']).any(|a| a.starts_with("on") || a.starts_with("autofocus"));
        let script_url = inside.contains("href=\"javascript:") || inside.contains("src=\"javascript:");
        if !known || handler || script_url {
            found.push(inside);
        }
    }
    found
}

#[tokio::test]
async fn every_string_of_the_xss_list_is_inert_text_in_every_admin_page() {
    let app = App::new("admin-xss", |_| {});
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let payloads: Vec<String> =
        serde_json::from_str(include_str!("../../fixtures/xss-payloads.json")).expect("the XSS list");
    for (n, payload) in payloads.iter().enumerate() {
        let author =
            if payload.chars().count() <= 80 && !payload.contains('\n') { payload.clone() } else { format!("R{n}") };
        let body = format!("{payload} {BODY}");
        let posted = app.post("xss", &json!({"author": author, "body": body}).to_string(), None).await;
        assert!(matches!(posted.status, 201 | 202 | 400), "{n}: {} {}", posted.status, posted.body);
    }
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let csrf = csrf_of(&app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await.body);
    for payload in payloads.iter().filter(|p| p.chars().count() <= 100).take(5) {
        let add = form(&[("csrf", &csrf), ("action", "add"), ("phrase", payload)]);
        app.send("POST", "/admin/words", &[FORM, ("Cookie", &cookie)], &add).await;
    }
    let mut seen = 0;
    let searches: Vec<String> =
        payloads.iter().take(8).map(|p| format!("/admin/comments?text={}", url_encode(p))).collect();
    for path in PAGES.iter().map(|p| p.to_string()).chain(searches) {
        let page = app.send("GET", &path, &[("Cookie", &cookie)], b"").await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(live_markup(&page.body), Vec::<String>::new(), "{path}");
        seen += payloads.iter().filter(|p| page.body.contains(&escaped(p))).count();
    }
    assert!(seen >= payloads.len(), "the payloads are shown, as text ({seen} sightings)");
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_from_one_address_are_limited_whatever_the_names_even_with_the_right_password() {
    // The server's quota (20, then one every 3 s) with its refill slowed to one an hour,
    // so that how long the guesses take cannot refill it before the last attempt.
    let app = App::new("sign-in-limit", |s| {
        s.sign_in_rate = governor::Quota::per_hour(std::num::NonZeroU32::MIN.saturating_add(19))
    });
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    // Twenty guesses at once, each at another name (each name's own delay is not what
    // stops them): all answered as wrong.
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..20 {
        let app = app.clone();
        guesses.spawn(async move { sign_in(&app, &format!("guess{n}"), "not the password").await.status });
    }
    let statuses: Vec<u16> = guesses.join_all().await;
    assert_eq!(statuses, vec![401; 20]);
    // The address's allowance is spent: the next attempt is refused before any hashing,
    // even with the right name and password, and the page says how long to wait.
    let refused = sign_in(&app, "mira", PASSWORD).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("Too many sign-in attempts too quickly. Please wait "), "{}", refused.body);
    let wait: u64 = refused.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((170..=180).contains(&wait), "one attempt comes back every 3 min here: {wait}");
    assert!(refused.header("set-cookie").is_none(), "no session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_guessed_from_many_addresses_is_locked_for_a_while_and_its_moderator_then_signs_in() {
    // Each guess from an address of its own (the test's peer is a trusted proxy); the
    // lock made shorter for the test (the server's: 30 s, doubling; here longer than the
    // 4 s the fifth failure's answer is delayed).
    let app = App::new("sign-in-lock", |s| {
        s.trusted_proxies = vec![std::net::IpAddr::from(PEER.0)];
        s.sign_in_lock = std::time::Duration::from_secs(6);
    });
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let from = |n: u8, password: &'static str| {
        let app = app.clone();
        async move {
            let address = format!("198.51.100.{n}");
            let body = form(&[("name", "mira"), ("password", password)]);
            app.send("POST", "/admin/sign-in", &[FORM, ("X-Forwarded-For", address.as_str())], &body).await
        }
    };
    let mut guesses = tokio::task::JoinSet::new();
    for n in 1..=5 {
        guesses.spawn(from(n, "a guess that is wrong"));
    }
    let statuses: Vec<u16> = guesses.join_all().await.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![401; 5]);
    // Locked: from a sixth address, even the right password is refused, before any
    // hashing, and the page says why and for how long.
    let started = std::time::Instant::now();
    let locked = from(6, PASSWORD).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.body.contains("Too many failed sign-ins for this name. Please wait "), "{}", locked.body);
    assert!(locked.body.contains("the right password works then"));
    let wait: u64 = locked.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=6).contains(&wait), "{wait}");
    assert!(started.elapsed().as_millis() < 200, "refused at once: {:?}", started.elapsed());
    // An unknown name is locked alike: the lock says nothing of which names exist.
    let mut guesses = tokio::task::JoinSet::new();
    for n in 10..15 {
        let app = app.clone();
        guesses.spawn(async move {
            let body = form(&[("name", "nobody"), ("password", "x")]);
            app.send("POST", "/admin/sign-in", &[FORM, ("X-Forwarded-For", &format!("198.51.100.{n}"))], &body).await
        });
    }
    guesses.join_all().await;
    let body = form(&[("name", "nobody"), ("password", "x")]);
    assert_eq!(
        app.send("POST", "/admin/sign-in", &[FORM, ("X-Forwarded-For", "198.51.100.20")], &body).await.status,
        429
    );
    // After the lock, the moderator signs in.
    while app.state.sign_in_failures.locked("mira").is_some() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let signed = from(7, PASSWORD).await;
    assert_eq!((signed.status, signed.header("location")), (303, Some("/admin")), "{}", signed.body);
}
