//! Readers' reports (contract v1.1 `capabilities.report`), on the real store: counted
//! once per reader key, the threshold's report puts a published comment back in the
//! queue (the queue says who reported it and why), a moderator's approval makes only
//! newer reports count, and every mistake gets a clear answer.

mod common;
use common::*;
use serde_json::json;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

fn reader(n: u8) -> String {
    format!("{n:032x}")
}

/// The address reader `key` reports from: its own, through the trusted proxy.
fn address_of(key: &str) -> String {
    format!("203.0.113.{}", u8::from_str_radix(&key[30..], 16).unwrap_or(0))
}

/// The application with the test's peer as a trusted proxy, so that each reader comes
/// from an address of its own (`X-Forwarded-For`).
fn behind_proxy(name: &str, configure: impl FnOnce(&mut reader_comments_server::Settings)) -> App {
    App::new(name, |s| {
        s.trusted_proxies = vec![std::net::IpAddr::from(PEER.0)];
        configure(s);
    })
}

async fn report(app: &App, id: &str, reader: &str, reason: &str) -> Response {
    report_from(app, id, reader, &address_of(reader), reason).await
}

async fn report_from(app: &App, id: &str, reader: &str, address: &str, reason: &str) -> Response {
    let headers = [("Content-Type", "application/json"), ("Reader-Key", reader), ("X-Forwarded-For", address)];
    let body = json!({ "reason": reason }).to_string();
    app.send("POST", &format!("/api/threads/t/comments/{id}/report"), &headers, body.as_bytes()).await
}

async fn listed(app: &App, id: &str) -> bool {
    app.all_comments("t").await.iter().any(|c| c["id"] == json!(id))
}

#[tokio::test]
async fn the_thresholds_report_requeues_a_published_comment_and_approval_makes_only_newer_reports_count() {
    let app = behind_proxy("reports", |_| {});
    let page = app.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"]["report"], json!(true), "advertised: {page}");
    let id = app.post("t", &comment("Troll", BODY), None).await.json()["id"].as_str().expect("id").to_string();

    let first = report(&app, &id, &reader(1), "spam").await;
    assert_eq!((first.status, first.json()), (202, json!({"reported": true})), "{}", first.body);
    assert_eq!(report(&app, &id, &reader(1), "spam").await.status, 202, "again is harmless");
    assert_eq!(report(&app, &id, &reader(2), "spam").await.status, 202);
    assert!(listed(&app, &id).await, "two readers are not enough (the same reader twice counts once)");
    assert_eq!(report(&app, &id, &reader(3), "abuse").await.status, 202);
    assert!(!listed(&app, &id).await, "the third reader's report sends it back to the queue");
    assert!(app.state.db.pending(None, usize::MAX).expect("queue").iter().any(|r| r.comment.id == id));
    let log = app.state.db.audit_log(1).expect("the audit log");
    assert_eq!((log[0].moderator.as_str(), log[0].action.as_str()), ("(readers)", "back to the queue"));
    assert_eq!(log[0].target, format!("comment {id}: reported by 3 readers"));

    assert!(add_moderator(&app.db, "mira", "correct horse battery staple").0);
    let cookie = cookie_of(&sign_in(&app, "mira", "correct horse battery staple").await);
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    let why = "Reported by 3 readers: spam or advertising (2), abusive or hateful (1).";
    assert!(queue.body.contains(why), "{}", queue.body);
    let approve = form(&[("csrf", &csrf_of(&queue.body)), ("one", &format!("approve {id}"))]);
    app.send("POST", "/admin/actions", &[FORM, ("Cookie", cookie.as_str())], &approve).await;
    assert!(listed(&app, &id).await, "approved again");

    assert_eq!(report(&app, &id, &reader(3), "abuse").await.status, 202);
    assert_eq!(report(&app, &id, &reader(4), "other").await.status, 202);
    assert_eq!(report(&app, &id, &reader(5), "other").await.status, 202);
    assert!(listed(&app, &id).await, "the earlier reports were seen: two new readers are not three");
    assert_eq!(report(&app, &id, &reader(6), "spam").await.status, 202);
    assert!(!listed(&app, &id).await, "three new readers are");
    let queue = app.send("GET", "/admin", &[("Cookie", &cookie)], b"").await;
    assert!(
        queue.body.contains("Reported by 3 readers: something else (2), spam or advertising (1)."),
        "{}",
        queue.body
    );
}

#[tokio::test]
async fn a_report_needs_a_reader_key_a_known_reason_and_a_comment_and_is_refused_when_off() {
    let app = behind_proxy("reports-refused", |_| {});
    let id = app.post("t", &comment("Asha", BODY), None).await.json()["id"].as_str().expect("id").to_string();
    let path = format!("/api/threads/t/comments/{id}/report");
    let body = br#"{"reason":"spam"}"#;
    let json_only = [("Content-Type", "application/json")];
    let no_key = app.send("POST", &path, &json_only, body).await;
    assert_eq!((no_key.status, no_key.json()["title"].clone()), (400, json!("Reader-Key required")));
    let odd = report(&app, &id, &reader(1), "boring").await;
    assert_eq!((odd.status, odd.json()["code"].clone()), (422, json!("invalid_reason")), "{}", odd.body);
    assert!(odd.json()["detail"].as_str().expect("detail").contains("spam, abuse, other"));
    let key = reader(1);
    let not_json = app.send("POST", &path, &[("Reader-Key", key.as_str())], b"spam").await;
    assert!(matches!(not_json.status, 400 | 415), "{}", not_json.status);
    assert_eq!(report(&app, "999999", &reader(1), "spam").await.status, 404);
    let foreign =
        [("Content-Type", "application/json"), ("Reader-Key", key.as_str()), ("Origin", "https://evil.example")];
    assert_eq!(app.send("POST", &path, &foreign, body).await.status, 403, "a page of another site");
    assert_eq!(app.state.db.open_reports(&[id.parse().expect("number")]).expect("reports").len(), 0, "none stored");

    let off = App::new("reports-off", |s| s.report_threshold = 0);
    let id = off.post("t", &comment("Asha", BODY), None).await.json()["id"].as_str().expect("id").to_string();
    let page = off.get("/api/threads/t/comments").await.json();
    assert_eq!(page["capabilities"].get("report"), None, "not advertised");
    let refused = report(&off, &id, &reader(1), "spam").await;
    assert_eq!((refused.status, refused.json()["code"].clone()), (404, json!("reports_off")));
}

#[tokio::test]
async fn one_address_counts_once_whatever_reader_keys_it_sends_and_its_reports_have_their_own_allowance() {
    let app = behind_proxy("reports-one-client", |s| {
        s.report_rate = reader_comments_server::parse_rate("5/min").expect("a rate");
        s.recommend_rate = None;
    });
    let ids: Vec<String> = futures_ids(&app, 6).await;
    // Fresh keys from one address: one report for each comment, whatever the keys.
    for key in 1..=3 {
        let done = report_from(&app, &ids[0], &reader(key), "203.0.113.77", "abuse").await;
        assert_eq!(done.status, 202, "answered alike: {}", done.body);
    }
    assert!(listed(&app, &ids[0]).await, "three keys from one address are one report, not the threshold");
    let open = app.state.db.open_reports(&[ids[0].parse().expect("number")]).expect("reports");
    assert_eq!(open.values().flatten().map(|r| r.readers).sum::<i64>(), 1);
    // An IPv6 household's /64 is one address too.
    for (key, address) in [(4, "2001:db8:5:6::1"), (5, "2001:db8:5:6::ffff")] {
        assert_eq!(report_from(&app, &ids[1], &reader(key), address, "spam").await.status, 202);
    }
    let open = app.state.db.open_reports(&[ids[1].parse().expect("number")]).expect("reports");
    assert_eq!(open.values().flatten().map(|r| r.readers).sum::<i64>(), 1);
    // The address's allowance (5 a minute here), its own: spent after five reports.
    let mut statuses = Vec::new();
    for id in &ids[2..6] {
        statuses.push(report_from(&app, id, &reader(9), "203.0.113.77", "spam").await.status);
    }
    assert_eq!(statuses, [202, 202, 429, 429], "3 + 2 reports, then none");
    let refused = report_from(&app, &ids[5], &reader(9), "203.0.113.77", "spam").await;
    assert!(refused.json()["detail"].as_str().is_some_and(|d| d.contains("Too many reports")), "{}", refused.body);
    let key = reader(10);
    let recommend = app
        .send(
            "POST",
            &format!("/api/threads/t/comments/{}/recommend", ids[5]),
            &[("Reader-Key", key.as_str()), ("X-Forwarded-For", "203.0.113.77")],
            b"",
        )
        .await;
    assert_eq!(recommend.status, 200, "recommends are not spent by reports");
}

/// `n` published comments on thread `t`.
async fn futures_ids(app: &App, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let posted = app.post("t", &comment(&format!("Author {i}"), BODY), None).await.json();
        ids.push(posted["id"].as_str().expect("id").to_string());
    }
    ids
}
