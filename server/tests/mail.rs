//! E-mail to signed-in readers who asked (issue 23, `--smtp`), through a real SMTP server
//! on loopback that the test starts (Debian's python3-aiosmtpd, writing a Maildir): a
//! reply to a subscriber sends exactly one mail, with a one-click unsubscribe (a signed
//! link and the List-Unsubscribe headers) that works without signing in; events within
//! the interval go in one mail; a moderator's decision is told with its reason; two
//! instances on one store send each mail once.

mod common;
use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reader_comments_server::rules::accounts::{SignIn, SignInMode, Verifier};
use reader_comments_server::run::settings::MailSettings;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const SECRET: &[u8] = b"a secret the site and the server share, 0123456789";

/// aiosmtpd on a free loopback port, delivering into a Maildir; stopped when dropped.
struct Smtp {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtp {
    fn start(name: &str) -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("addr").port();
        let dir = std::env::temp_dir().join(format!("rc-mail-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the mail folder");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("aiosmtpd starts (scripts/setup.sh installs python3-aiosmtpd)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(10), "aiosmtpd did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Smtp { child, port, dir }
    }

    /// Every mail delivered so far, as text.
    fn mails(&self) -> Vec<String> {
        let new = self.dir.join("box/new");
        let mut files: Vec<_> =
            std::fs::read_dir(&new).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| std::fs::read_to_string(p).expect("a mail")).collect()
    }

    /// Waits until `n` mails have come (at most 15 s), then a little longer to see that
    /// no other comes.
    async fn wait_for(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        while self.mails().len() < n && start.elapsed() < Duration::from_secs(15) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        self.mails()
    }
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs()
}

fn token(sub: &str, name: &str, email: Option<&str>) -> String {
    let mut claims = json!({"sub": sub, "name": name, "exp": now() + 600});
    if let Some(email) = email {
        claims["email"] = json!(email);
        claims["email_verified"] = json!(true);
    }
    encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(SECRET)).expect("signed")
}

fn mailing(smtp: &Smtp, interval: Duration) -> impl Fn(&mut reader_comments_server::Settings) + Clone {
    let port = smtp.port;
    move |s| {
        s.accounts = SignIn {
            mode: SignInMode::Optional,
            verifier: Some(Verifier::secret(SECRET).expect("a secret")),
            url: None,
        };
        s.mail = Some(MailSettings {
            smtp: format!("smtp://127.0.0.1:{port}"),
            from: "Reader Comments <comments@news.example>".into(),
            interval,
        });
        s.public_origins = vec!["http://comments.test".into()];
        s.moderation = reader_comments_server::Moderation::Off;
    }
}

async fn post(app: &App, thread: &str, doc: Value, token: Option<&str>) -> Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("Authorization", b.as_str()));
    }
    app.send("POST", &format!("/api/threads/{thread}/comments"), &headers, doc.to_string().as_bytes()).await
}

/// The value of header `name` in a mail (unfolded).
fn header<'a>(mail: &'a str, name: &str) -> Option<&'a str> {
    mail.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
}

fn path_of(url: &str) -> String {
    url.trim_start_matches('<').trim_end_matches('>').replace("http://comments.test", "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_a_subscriber_sends_one_mail_later_ones_go_together_and_unsubscribing_needs_one_click() {
    let smtp = Smtp::start("reply");
    let app = App::new("mail-reply", mailing(&smtp, Duration::from_secs(3)));
    assert_eq!(app.get("/api/threads/t/comments").await.json()["capabilities"]["notify"], json!(true));
    let asha = token("u-1", "Asha", Some("asha@example.com"));
    let first = post(&app, "t", json!({"body": format!("{BODY} (Asha)"), "notify": true}), Some(&asha)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let id = first.json()["id"].as_str().expect("an id").to_string();
    // A reader who did not ask, and one without a verified address, are not subscribed.
    post(&app, "t", json!({"body": format!("{BODY} (Ila)")}), Some(&token("u-2", "Ila", Some("ila@example.com"))))
        .await;
    post(&app, "t", json!({"body": format!("{BODY} (Dev)"), "notify": true}), Some(&token("u-3", "Dev", None))).await;
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM subscribers"), "1");
    let export: Value =
        serde_json::from_slice(&command(&app.db, &["account", "export", "u-1"], None).stdout).expect("JSON");
    assert_eq!(export["email_notifications"], json!("asha@example.com"), "her data includes her address");
    // Her own reply tells her nothing; Ben's does.
    post(&app, "t", json!({"body": format!("{BODY} (Asha again)"), "parent_id": id}), Some(&asha)).await;
    let reply = json!({"author": "Ben", "body": format!("{BODY} (Ben answers)"), "parent_id": id});
    assert_eq!(post(&app, "t", reply, None).await.status, 201);

    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1, "exactly one mail: {mails:?}");
    let mail = &mails[0];
    assert!(header(mail, "To").is_some_and(|t| t.contains("asha@example.com")), "{mail}");
    assert_eq!(header(mail, "Subject"), Some("Ben replied to your comment"));
    assert!(mail.contains("(Ben answers)") && !mail.contains("(Asha again)"), "{mail}");
    assert_eq!(header(mail, "List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let unsubscribe = path_of(header(mail, "List-Unsubscribe").expect("List-Unsubscribe"));
    assert!(unsubscribe.starts_with("/api/unsubscribe?account="), "{unsubscribe}");

    // Two replies within the interval: one mail with both.
    for who in ["Cy", "Di"] {
        let reply = json!({"author": who, "body": format!("{BODY} ({who} answers)"), "parent_id": id});
        assert_eq!(post(&app, "t", reply, None).await.status, 201);
    }
    let mails = smtp.wait_for(2).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(header(&mails[1], "Subject"), Some("2 updates on your comments"));
    assert!(mails[1].contains("(Cy answers)") && mails[1].contains("(Di answers)"));

    // The link: a page with a button (no sign-in), then the one-click POST removes her address.
    let forged = app.get(&unsubscribe.replace("sig=", "sig=0")).await;
    assert_eq!(forged.status, 404);
    let ask = app.get(&unsubscribe).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Stop the e-mails"));
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM subscribers"), "1", "a GET changes nothing");
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let done = app.send("POST", &unsubscribe, &form, b"List-Unsubscribe=One-Click").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(sql_value(&app.db, "SELECT COUNT(*) FROM subscribers"), "0", "her address is gone");
    let reply = json!({"author": "Ed", "body": format!("{BODY} (Ed answers)"), "parent_id": id});
    assert_eq!(post(&app, "t", reply, None).await.status, 201);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(smtp.mails().len(), 2, "nothing more after unsubscribing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderators_decision_is_told_with_its_reason() {
    let smtp = Smtp::start("decision");
    let app = App::new("mail-decision", |s| {
        mailing(&smtp, Duration::from_secs(600))(s);
        s.moderation = reader_comments_server::Moderation::All;
    });
    let karan = token("u-4", "Karan", Some("karan@example.com"));
    let held = post(&app, "t", json!({"body": format!("{BODY} (held)"), "notify": true}), Some(&karan)).await;
    assert_eq!(held.status, 202);
    let id: i64 = held.json()["id"].as_str().expect("an id").parse().expect("a number");
    let why = reader_comments_server::store::RejectedFor {
        reason: "off_topic",
        words: "Off topic",
        note: Some("Keep to the article."),
        by: "mira",
    };
    app.state.db.reject(id, None, None, Some(why), 10).expect("rejected");
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(header(&mails[0], "Subject"), Some("Your comment was not published"));
    assert!(mails[0].contains("Off topic (Keep to the article.)") && mails[0].contains("(held)"), "{}", mails[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_store_send_each_mail_once() {
    let smtp = Smtp::start("instances");
    let db = temp_db("mail-instances");
    let mut settings = reader_comments_server::Settings::for_db(&db);
    mailing(&smtp, Duration::from_secs(600))(&mut settings);
    let (one, two) = (App::with_settings(settings.clone()), App::with_settings(settings));
    let asha = token("u-5", "Asha", Some("asha@example.com"));
    let first = post(&one, "t", json!({"body": format!("{BODY} (Asha)"), "notify": true}), Some(&asha)).await;
    let id = first.json()["id"].as_str().expect("an id").to_string();
    for (app, who) in [(&one, "Ben"), (&two, "Cy")] {
        let reply = json!({"author": who, "body": format!("{BODY} ({who})"), "parent_id": id});
        assert_eq!(post(app, "t", reply, None).await.status, 201);
    }
    // Both instances poll every second: in 4 s each would have sent it, were it not claimed.
    let mails = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mails = smtp.mails().into_iter().chain(mails.into_iter().take(0)).collect::<Vec<_>>();
    assert_eq!(mails.len(), 1, "one mail (one per reader per interval), not one per instance: {mails:?}");
    for who in ["(Ben)", "(Cy)"] {
        assert!(mails[0].matches(who).count() <= 1, "{who} told at most once");
    }
    assert!(mails[0].contains("(Ben)"), "the first reply is told");
}
