//! Readers signed in with the site's own accounts (issue 23, `--sign-in`): the site
//! signs a JWT, the widget sends it as `Authorization: Bearer`. Optional: a signed-in
//! reader posts under the token's name, marked `verified` (which nobody can post), with
//! the Staff mark for the staff role; others post as before. Required: everyone reads,
//! only signed-in readers post, reply, recommend and report. Every refused token is a
//! 401 with a code the widget acts on, and nothing is stored.

mod common;
use base64::Engine;
use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reader_comments_server::rules::accounts::{SignIn, SignInMode, Verifier};
use serde_json::{json, Value};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const SECRET: &[u8] = b"a secret the site and the server share, 0123456789";
const READER_KEY: &str = "0123456789abcdef0123456789abcdef";

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs()
}

/// A token the site signs with the shared secret.
fn token(claims: Value) -> String {
    encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(SECRET)).expect("signed")
}

fn reader(sub: &str, name: &str) -> String {
    token(json!({"sub": sub, "name": name, "exp": now() + 600}))
}

fn with(mode: SignInMode) -> impl FnOnce(&mut reader_comments_server::Settings) {
    move |s| {
        s.accounts = SignIn {
            mode,
            verifier: Some(Verifier::secret(SECRET).expect("a secret")),
            url: Some("https://news.example/login".into()),
        };
        s.moderation = reader_comments_server::Moderation::Off;
    }
}

async fn post_as(app: &App, thread: &str, body: &Value, token: Option<&str>) -> Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("Authorization", b.as_str()));
    }
    app.send("POST", &format!("/api/threads/{thread}/comments"), &headers, body.to_string().as_bytes()).await
}

fn code(r: &Response) -> String {
    r.json()["code"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn optional_a_signed_in_post_is_the_accounts_and_verified_and_nobody_can_fake_it() {
    let app = App::new("accounts-optional", with(SignInMode::Optional));
    let caps = app.get("/api/threads/t/comments").await.json()["capabilities"]["sign_in"].clone();
    assert_eq!(caps, json!({"mode": "optional", "url": "https://news.example/login"}));

    // Signed in: the token's name, whatever the body says; verified.
    let signed =
        post_as(&app, "t", &json!({"author": "Someone Else", "body": BODY}), Some(&reader("u-1", "Asha Rao"))).await;
    assert_eq!(signed.status, 201, "{}", signed.body);
    assert_eq!((signed.json()["author"].clone(), signed.json()["verified"].clone()), (json!("Asha Rao"), json!(true)));
    // Anonymous, as before; a posted `verified` or `staff` means nothing.
    let anonymous =
        post_as(&app, "t", &json!({"author": "Ben", "body": BODY, "verified": true, "staff": true}), None).await;
    assert_eq!(anonymous.status, 201, "{}", anonymous.body);
    // The staff role gives the Staff mark.
    let staff = token(json!({"sub": "desk", "name": "Desk Editor", "exp": now() + 600, "roles": ["staff"]}));
    assert_eq!(post_as(&app, "t", &json!({"body": BODY}), Some(&staff)).await.status, 201);

    let listed = app.all_comments("t").await;
    let marks: Vec<(String, Option<&Value>, Option<&Value>)> = listed
        .iter()
        .map(|c| (c["author"].as_str().unwrap_or("").to_string(), c.get("verified"), c.get("staff")))
        .collect();
    assert_eq!(
        marks,
        [
            ("Asha Rao".to_string(), Some(&json!(true)), None),
            ("Ben".to_string(), None, None),
            ("Desk Editor".to_string(), Some(&json!(true)), Some(&json!(true))),
        ]
    );
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM comments WHERE account = 'u-1'"), "1");
}

#[tokio::test]
async fn a_token_that_cannot_be_trusted_is_refused_with_a_code_and_nothing_is_stored() {
    let app = App::new("accounts-refused", with(SignInMode::Optional));
    let expired = token(json!({"sub": "u", "name": "Ana", "exp": now() - 3600}));
    let answer = post_as(&app, "t", &json!({"body": BODY}), Some(&expired)).await;
    assert_eq!((answer.status, code(&answer)), (401, "sign_in_expired".to_string()), "{}", answer.body);
    assert_eq!(answer.json()["title"], json!("Your sign-in has expired"));

    let claims = json!({"sub": "u", "name": "Ana", "exp": now() + 600});
    let payload = reader("u", "Ana");
    let payload = payload.split('.').nth(1).expect("a payload");
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let other_secret = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(b"not the site's secret at all, 0123456789"),
    )
    .expect("signed");
    let other_algorithm =
        encode(&Header::new(Algorithm::HS512), &claims, &EncodingKey::from_secret(SECRET)).expect("signed");
    let a_year = token(json!({"sub": "u", "name": "Ana", "exp": now() + 365 * 86400}));
    let no_name = token(json!({"sub": "u", "exp": now() + 600}));
    let not_yet = token(json!({"sub": "u", "name": "Ana", "exp": now() + 7200, "nbf": now() + 3600}));
    for bad in [unsigned, other_secret, other_algorithm, a_year, no_name, not_yet, "garbage".to_string()] {
        let answer = post_as(&app, "t", &json!({"author": "Ana", "body": BODY}), Some(&bad)).await;
        assert_eq!((answer.status, code(&answer)), (401, "sign_in_invalid".to_string()), "{bad}: {}", answer.body);
    }
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM comments"), "0", "nothing was stored");
    assert_eq!(
        post_as(&app, "t", &json!({"author": "Ana", "body": BODY}), None).await.status,
        201,
        "anonymous still posts"
    );
}

#[tokio::test]
async fn required_everyone_reads_and_only_signed_in_readers_post_reply_recommend_and_report() {
    let app = App::new("accounts-required", with(SignInMode::Required));
    let asha = reader("u-1", "Asha Rao");
    let first = post_as(&app, "t", &json!({"body": BODY}), Some(&asha)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let id = first.json()["id"].as_str().expect("an id").to_string();
    let page = app.get("/api/threads/t/comments").await;
    assert_eq!(page.status, 200, "everyone reads");
    assert_eq!(page.json()["capabilities"]["sign_in"]["mode"], json!("required"));

    let anonymous = post_as(&app, "t", &json!({"author": "Ben", "body": BODY}), None).await;
    assert_eq!((anonymous.status, code(&anonymous)), (401, "sign_in_required".to_string()));
    let reply = post_as(&app, "t", &json!({"author": "Ben", "body": BODY, "parent_id": id}), None).await;
    assert_eq!(code(&reply), "sign_in_required");
    let recommend = format!("/api/threads/t/comments/{id}/recommend");
    let report = format!("/api/threads/t/comments/{id}/report");
    let json_type = ("Content-Type", "application/json");
    let reason = br#"{"reason": "spam"}"#;
    let r = app.send("POST", &recommend, &[("Reader-Key", READER_KEY)], b"").await;
    assert_eq!((r.status, code(&r)), (401, "sign_in_required".to_string()));
    let r = app.send("POST", &report, &[("Reader-Key", READER_KEY), json_type], reason).await;
    assert_eq!((r.status, code(&r)), (401, "sign_in_required".to_string()));

    let ben = format!("Bearer {}", reader("u-2", "Ben"));
    let signed = [("Reader-Key", READER_KEY), ("Authorization", ben.as_str()), json_type];
    assert_eq!(app.send("POST", &recommend, &signed, b"").await.status, 200);
    assert_eq!(app.send("POST", &report, &signed, reason).await.status, 202);
    let reply = post_as(&app, "t", &json!({"body": BODY, "parent_id": id}), Some(&ben[7..])).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM comments"), "2");
}

/// The SubjectPublicKeyInfo PEM of an Ed25519 public key.
fn ed25519_pem(public: &[u8]) -> String {
    let mut der = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    der.extend_from_slice(public);
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n")
}

#[tokio::test]
async fn a_sites_public_key_checks_eddsa_tokens_and_refuses_its_pem_used_as_an_hmac_secret() {
    use ring::signature::{Ed25519KeyPair, KeyPair};
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).expect("a key");
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("a pair");
    let pem = ed25519_pem(pair.public_key().as_ref());
    let verifier = Verifier::public_key(pem.as_bytes()).expect("an Ed25519 key");
    let app = App::new("accounts-eddsa", move |s| {
        s.accounts = SignIn { mode: SignInMode::Optional, verifier: Some(verifier), url: None };
        s.moderation = reader_comments_server::Moderation::Off;
    });
    let claims = json!({"sub": "u-9", "name": "Gurpreet", "exp": now() + 600});
    let good =
        encode(&Header::new(Algorithm::EdDSA), &claims, &EncodingKey::from_ed_der(pkcs8.as_ref())).expect("signed");
    let answer = post_as(&app, "t", &json!({"body": BODY}), Some(&good)).await;
    assert_eq!((answer.status, answer.json()["verified"].clone()), (201, json!(true)), "{}", answer.body);
    // The classic confusion: the public key (which anyone may have) as an HS256 secret.
    let forged =
        encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(pem.as_bytes())).expect("signed");
    let answer = post_as(&app, "t", &json!({"body": BODY}), Some(&forged)).await;
    assert_eq!((answer.status, code(&answer)), (401, "sign_in_invalid".to_string()));
}

#[test]
fn the_server_will_not_start_with_sign_in_and_no_key_or_required_without_a_url() {
    let db = temp_db("accounts-flags");
    let said = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
            .args(["--db", db.to_str().expect("utf-8"), "--bind", "127.0.0.1:0", "--static-dir", ""])
            .args(args)
            .output()
            .expect("it runs");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (status, text) = said(&["--sign-in", "optional"]);
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("needs one of --sign-in-secret, --sign-in-secret-file or --sign-in-key"), "{text}");
    let (status, text) = said(&["--sign-in", "required", "--sign-in-secret", "0123456789abcdef0123456789abcdef"]);
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("needs --sign-in-url"), "{text}");
    let (status, text) = said(&["--sign-in", "optional", "--sign-in-secret", "short"]);
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("at least 32 bytes"), "{text}");
}

#[tokio::test]
async fn a_signed_in_comment_held_rejected_restored_and_approved_is_still_the_accounts_and_verified() {
    let app = App::new("accounts-seams", |s| {
        with(SignInMode::Optional)(s);
        s.moderation = reader_comments_server::Moderation::All;
    });
    let held = post_as(&app, "t", &json!({"body": BODY}), Some(&reader("u-7", "Meera"))).await;
    assert_eq!((held.status, held.json()["verified"].clone()), (202, json!(true)), "{}", held.body);
    let id: i64 = held.json()["id"].as_str().expect("an id").parse().expect("a number");
    let why = reader_comments_server::store::RejectedFor { reason: "spam", words: "Spam", note: None, by: "mira" };
    app.state.db.reject(id, None, None, Some(why), 10).expect("rejected");
    assert_eq!(sql_value(&app.db, &format!("SELECT account FROM rejected WHERE comment_id = {id}")), "u-7");
    app.state.db.restore(id).expect("restored");
    app.state.db.approve(id, None).expect("approved");
    let listed = app.all_comments("t").await;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0]["author"].clone(), listed[0]["verified"].clone()), (json!("Meera"), json!(true)));
    assert_eq!(sql_value(&app.db, "SELECT account FROM comments"), "u-7");
}

#[tokio::test]
async fn a_moderator_follows_an_account_across_addresses_suspends_it_with_a_reason_its_owner_is_told_and_lifts_it() {
    const PASSWORD: &str = "correct horse battery staple";
    let app = App::new("accounts-moderation", |s| {
        with(SignInMode::Optional)(s);
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    });
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let asha = format!("Bearer {}", reader("u-5", "Asha"));
    // The same account from two addresses and two threads; another reader from the first.
    let mut ids = Vec::new();
    for (thread, from, text) in [("t1", "203.0.113.7", "from home"), ("t2", "198.51.100.9", "from work")] {
        let headers =
            [("Content-Type", "application/json"), ("Authorization", asha.as_str()), ("X-Forwarded-For", from)];
        let body = json!({"body": format!("{BODY} ({text})")}).to_string();
        let answer = app.send("POST", &format!("/api/threads/{thread}/comments"), &headers, body.as_bytes()).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        ids.push(answer.json()["id"].as_str().expect("an id").to_string());
    }
    let other = [("Content-Type", "application/json"), ("X-Forwarded-For", "203.0.113.7")];
    let body = json!({"author": "Ben", "body": format!("{BODY} (Ben)")}).to_string();
    assert_eq!(app.send("POST", "/api/threads/t1/comments", &other, body.as_bytes()).await.status, 201);

    let history =
        app.send("GET", &format!("/admin/commenter?comment={}", ids[0]), &[("Cookie", &cookie)], b"").await.body;
    assert!(history.contains("signed in with the site's account <code>u-5</code>"), "{history}");
    assert!(history.contains("(from home)") && history.contains("(from work)"), "both addresses, both threads");
    assert!(!history.contains("(Ben)"), "not another reader of the same address");
    assert!(history.contains("The account may comment."));

    // A suspension needs the reason its owner is told.
    let csrf = csrf_of(&history);
    let fields = |reason: &'static str| {
        form(&[
            ("csrf", csrf.as_str()),
            ("comment", ids[0].as_str()),
            ("bar", "suspend"),
            ("days", "3"),
            ("reason", reason),
        ])
    };
    let refused = app.send("POST", "/admin/account", &[FORM, ("Cookie", &cookie)], &fields("  ")).await;
    assert_eq!(refused.header("location"), Some(format!("/admin/commenter?comment={}&said=reason", ids[0]).as_str()));
    let why = "Repeated personal attacks on other readers.";
    let saved = app.send("POST", "/admin/account", &[FORM, ("Cookie", &cookie)], &fields(why)).await;
    assert_eq!(saved.header("location"), Some(format!("/admin/commenter?comment={}&said=saved", ids[0]).as_str()));
    let history =
        app.send("GET", &format!("/admin/commenter?comment={}", ids[1]), &[("Cookie", &cookie)], b"").await.body;
    assert!(history.contains("The account is suspended until") && history.contains(why), "{history}");

    // Its owner is told why when they try; the address's other reader is not touched.
    let headers =
        [("Content-Type", "application/json"), ("Authorization", asha.as_str()), ("X-Forwarded-For", "203.0.113.7")];
    let body = json!({"body": format!("{BODY} (suspended)")}).to_string();
    let refused = app.send("POST", "/api/threads/t1/comments", &headers, body.as_bytes()).await;
    assert_eq!((refused.status, code(&refused)), (403, "account_suspended".to_string()), "{}", refused.body);
    assert_eq!(refused.json()["reason"], json!(why));
    assert!(refused.json()["until"].as_str().is_some_and(|u| u.ends_with('Z')));
    let body = json!({"author": "Ben", "body": format!("{BODY} (Ben again)")}).to_string();
    assert_eq!(app.send("POST", "/api/threads/t1/comments", &other, body.as_bytes()).await.status, 201);
    let audit = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await.body;
    assert!(audit.contains("account u-5 until"), "{audit}");

    // Banned, then let back in.
    let csrf = csrf_of(&history);
    let ban = form(&[("csrf", csrf.as_str()), ("comment", ids[1].as_str()), ("bar", "ban"), ("reason", why)]);
    app.send("POST", "/admin/account", &[FORM, ("Cookie", &cookie)], &ban).await;
    let refused = app.send("POST", "/api/threads/t1/comments", &headers, body.as_bytes()).await;
    assert_eq!(code(&refused), "account_banned");
    let lift = form(&[("csrf", csrf.as_str()), ("comment", ids[1].as_str()), ("bar", ""), ("reason", "")]);
    app.send("POST", "/admin/account", &[FORM, ("Cookie", &cookie)], &lift).await;
    let body = json!({"body": format!("{BODY} (back)")}).to_string();
    assert_eq!(app.send("POST", "/api/threads/t1/comments", &headers, body.as_bytes()).await.status, 201);
}

#[tokio::test]
async fn account_export_gives_everything_kept_about_an_account_and_account_delete_removes_it_keeping_replies_in_place()
{
    let app = App::new("accounts-data", with(SignInMode::Optional));
    let karan = reader("u-8", "Karan");
    let first = post_as(&app, "t", &json!({"body": format!("{BODY} (answered)")}), Some(&karan)).await;
    let answered = first.json()["id"].as_str().expect("an id").to_string();
    let lone = post_as(&app, "t2", &json!({"body": format!("{BODY} (alone)")}), Some(&karan)).await;
    assert_eq!(lone.status, 201);
    let reply = json!({"author": "Ben", "body": format!("{BODY} (Ben answers)"), "parent_id": answered});
    assert_eq!(post_as(&app, "t", &reply, None).await.status, 201);
    let other =
        post_as(&app, "t", &json!({"body": format!("{BODY} (someone else)")}), Some(&reader("u-9", "Ila"))).await;
    assert_eq!(other.status, 201);
    let bar =
        reader_comments_server::store::AccountBar { until: None, reason: "Spam.".into(), by: "mira".into(), at: 5 };
    app.state.db.set_account_bar("u-8", Some(&bar)).expect("banned");

    let out = command(&app.db, &["account", "export", "u-8"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["account"], json!("u-8"));
    let mut bodies: Vec<&str> =
        doc["comments"].as_array().expect("comments").iter().map(|c| c["body"].as_str().unwrap_or("")).collect();
    bodies.sort();
    assert_eq!(bodies, [format!("{BODY} (alone)"), format!("{BODY} (answered)")]);
    assert!(doc["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .all(|c| c["verified"] == json!(true) && c["thread"].is_string()));
    assert_eq!(doc["suspension"]["reason"], json!("Spam."));
    assert_eq!(doc["suspension"]["until"], Value::Null, "a ban has no end");

    let out = command(&app.db, &["account", "delete", "u-8"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("account u-8: 2 comments removed"));
    let t = app.all_comments("t").await;
    let shown = |c: &Value| {
        let text = |name: &str| c[name].as_str().unwrap_or("").to_string();
        (text("status"), text("author"), text("body"))
    };
    let top: Vec<_> = t.iter().map(shown).collect();
    assert_eq!(
        top,
        [
            ("deleted".to_string(), String::new(), String::new()),
            ("published".to_string(), "Ila".to_string(), format!("{BODY} (someone else)")),
        ],
        "the answered comment is a placeholder; the other account's comment stays"
    );
    let replies: Vec<_> = t[0]["replies"].as_array().expect("replies").iter().map(shown).collect();
    assert_eq!(replies, [("published".to_string(), "Ben".to_string(), format!("{BODY} (Ben answers)"))]);
    assert!(app.all_comments("t2").await.is_empty());
    assert_eq!(
        sql_value(&app.db, "SELECT COUNT(*) FROM comments WHERE account = 'u-8' OR body LIKE '%(answered)%'"),
        "0"
    );
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM account_bars"), "0");
    let again: Value =
        serde_json::from_slice(&command(&app.db, &["account", "export", "u-8"], None).stdout).expect("JSON");
    assert_eq!((again["comments"].clone(), again["suspension"].clone()), (json!([]), Value::Null));
}

#[tokio::test]
async fn a_moderator_downloads_an_accounts_data_and_deletes_it_only_when_confirmed() {
    const PASSWORD: &str = "correct horse battery staple";
    let app = App::new("accounts-admin-data", with(SignInMode::Optional));
    assert!(add_moderator(&app.db, "mira", PASSWORD).0);
    let cookie = cookie_of(&sign_in(&app, "mira", PASSWORD).await);
    let posted = post_as(&app, "t", &json!({"body": format!("{BODY} (mine)")}), Some(&reader("u-10", "Dev"))).await;
    let id = posted.json()["id"].as_str().expect("an id").to_string();
    let page = app.send("GET", &format!("/admin/commenter?comment={id}"), &[("Cookie", &cookie)], b"").await.body;
    assert!(page.contains(&format!("/admin/account/export?comment={id}")));

    let download = app.send("GET", &format!("/admin/account/export?comment={id}"), &[("Cookie", &cookie)], b"").await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-disposition"), Some("attachment; filename=\"account-u-10.json\""));
    assert_eq!(download.json()["comments"][0]["body"], json!(format!("{BODY} (mine)")));
    let anonymous = app.send("GET", &format!("/admin/account/export?comment={id}"), &[], b"").await;
    assert_eq!(anonymous.status, 303, "only a moderator");

    let csrf = csrf_of(&page);
    let unconfirmed = form(&[("csrf", csrf.as_str()), ("comment", id.as_str())]);
    let answer = app.send("POST", "/admin/account/delete", &[FORM, ("Cookie", &cookie)], &unconfirmed).await;
    assert_eq!(answer.header("location"), Some(format!("/admin/commenter?comment={id}&said=confirm").as_str()));
    assert_eq!(app.all_comments("t").await.len(), 1, "nothing deleted");
    let confirmed = form(&[("csrf", csrf.as_str()), ("comment", id.as_str()), ("confirm", "yes")]);
    let answer = app.send("POST", "/admin/account/delete", &[FORM, ("Cookie", &cookie)], &confirmed).await;
    assert_eq!(answer.header("location"), Some("/admin?said=account-deleted"));
    assert!(app.all_comments("t").await.is_empty());
    let audit = app.send("GET", "/admin/audit", &[("Cookie", &cookie)], b"").await.body;
    assert!(audit.contains("account u-10: 1 comments") && audit.contains("account u-10"), "{audit}");
}

#[tokio::test]
async fn a_sites_rsa_key_checks_rs256_tokens_and_refuses_its_public_key_used_as_an_hmac_secret() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sign-in");
    let private = std::fs::read(fixtures.join("site-rsa.pem")).expect("the test key");
    let public = std::fs::read(fixtures.join("site-rsa.pub.pem")).expect("its public half");
    let verifier = Verifier::public_key(&public).expect("an RSA key");
    assert_eq!(verifier.algorithm(), Algorithm::RS256);
    let app = App::new("accounts-rs256", move |s| {
        s.accounts = SignIn { mode: SignInMode::Optional, verifier: Some(verifier), url: None };
        s.moderation = reader_comments_server::Moderation::Off;
    });
    let claims = json!({"sub": "u-13", "name": "Meera", "exp": now() + 600});
    let good = encode(&Header::new(Algorithm::RS256), &claims, &EncodingKey::from_rsa_pem(&private).expect("a key"))
        .expect("signed");
    let answer = post_as(&app, "t", &json!({"body": BODY}), Some(&good)).await;
    assert_eq!((answer.status, answer.json()["verified"].clone()), (201, json!(true)), "{}", answer.body);
    let forged = encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(&public)).expect("signed");
    let answer = post_as(&app, "t", &json!({"body": BODY}), Some(&forged)).await;
    assert_eq!((answer.status, code(&answer)), (401, "sign_in_invalid".to_string()));
}
