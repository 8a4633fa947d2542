//! Imports from Disqus and WordPress through the real binary on real SQLite files, from
//! sample exports written from those formats' public descriptions (fixtures/import/):
//! thread keys and the printed mapping, authors, times and replies kept, bodies as plain
//! text, deleted and spam posts not published (kept emptied where a reply answers them),
//! no e-mail or IP address stored, importing twice adds nothing, and a file with an
//! external entity refused without reading it.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/import").join(name)
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
        .args(["--db", db.to_str().expect("utf-8 path")])
        .args(args)
        .output()
        .expect("the command runs")
}

fn import(db: &Path, from: &str, file: &str) -> (String, String) {
    let out = run(db, &["import", "--from", from, fixture(file).to_str().expect("path")]);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    (String::from_utf8_lossy(&out.stdout).to_string(), said)
}

/// Every stored comment (the export's lines after its first).
fn stored(db: &Path) -> Vec<Value> {
    let out = run(db, &["export"]);
    String::from_utf8_lossy(&out.stdout).lines().skip(1).map(|l| serde_json::from_str(l).expect("JSON")).collect()
}

fn find<'a>(rows: &'a [Value], author: &str) -> &'a Value {
    rows.iter().find(|r| r["author"] == json!(author)).unwrap_or_else(|| panic!("{author} in {rows:?}"))
}

#[test]
fn a_disqus_export_becomes_threads_with_their_replies_as_plain_text_and_twice_adds_nothing() {
    let db = temp_db("import-disqus");
    let (mapping, said) = import(&db, "disqus", "disqus-export.xml");
    assert_eq!(
        mapping.lines().collect::<Vec<_>>(),
        [
            "india-canada-liaison\thttps://news.example.com/world/india-canada-liaison/\tIndia and Canada agree on liaison officers",
            "2026-02-monsoon-forecast\thttps://news.example.com/2026/02/monsoon-forecast/?utm_source=feed\tMonsoon forecast & what it means",
        ],
        "identifier, else the link's path; threads without posts are not listed"
    );
    assert!(said.contains("imported 6 comments into 2 threads (0 were already there)"), "{said}");
    let rows = stored(&db);
    let priyanka = find(&rows, "Priyanka N");
    assert_eq!(
        priyanka["body"],
        json!(
            "Cooperation on cybersecurity is crucial.\n\nBoth sides gain from the report (https://example.org/report)."
        )
    );
    assert_eq!(priyanka["created_at"], json!("2026-02-08T09:12:00Z"));
    let aman = find(&rows, "Aman W");
    assert_eq!(aman["parent_id"], priyanka["id"]);
    assert_eq!(aman["body"], json!("Agreed \u{2014} but who checks the officers?\nAsking honestly."));
    assert_eq!(find(&rows, "कृति ओ")["parent_id"], aman["id"], "a reply to a reply");
    let deleted: Vec<&Value> = rows.iter().filter(|r| r["status"] == json!("deleted")).collect();
    assert_eq!(deleted.len(), 1, "the deleted post is kept, emptied, for its reply");
    assert_eq!((deleted[0]["author"].clone(), deleted[0]["body"].clone()), (json!(""), json!("")));
    assert_eq!(find(&rows, "ਹਰਪ੍ਰੀਤ ਸ")["parent_id"], deleted[0]["id"]);
    assert!(rows.iter().all(|r| r["author"] != json!("Watch Seller")), "spam is left out");
    let hostile = find(&rows, "<img src=x onerror=alert(2)>");
    assert_eq!(hostile["body"], json!("Rain at last <3\n\nSecond & last paragraph."), "no script, no markup");
    assert_eq!(hostile["created_at"], json!("2026-02-09T03:30:00Z"), "+05:30 read as such");
    for private in ["priyanka.n@mail.example", "203.0.113.77", "2001:db8::7", "spam@spam.example", "CHEAP WATCHES"] {
        assert!(!store_holds(&db, private), "{private} is not stored");
    }

    let (_, again) = import(&db, "disqus", "disqus-export.xml");
    assert!(again.contains("imported 0 comments into 2 threads (6 were already there)"), "{again}");
    assert_eq!(stored(&db).len(), 6);

    let server = start(&db, &["--no-seed"]);
    let page =
        request(&server.addr, "GET", "/api/threads/india-canada-liaison/comments", &[], b"").expect("list").json();
    assert_eq!(page["comments"][0]["reply_count"], json!(2), "served with its replies");
}

#[test]
fn a_wordpress_export_keeps_held_comments_held_and_leaves_out_spam_trash_and_pingbacks() {
    let db = temp_db("import-wordpress");
    let (mapping, said) = import(&db, "wordpress", "wordpress-export.xml");
    let keys: Vec<&str> = mapping.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(keys, ["monsoon-arrives-early", "about-team"], "the slug, else the link's path");
    assert!(said.contains("imported 6 comments into 2 threads"), "{said}");
    let rows = stored(&db);
    let meera = find(&rows, "Meera K");
    assert_eq!(
        meera["body"],
        json!("Finally some rain.\nThe farmers in my village were waiting.\n\nSecond paragraph with bold & an official forecast (https://imd.example/forecast).")
    );
    assert_eq!(meera["created_at"], json!("2026-02-09T06:30:00Z"), "the GMT time");
    assert_eq!(find(&rows, "Ravi")["parent_id"], meera["id"]);
    assert_eq!(find(&rows, "Waiting Reader")["status"], json!("pending"), "held stays held");
    let trashed = rows.iter().find(|r| r["status"] == json!("deleted")).expect("the answered trash, emptied");
    let answer = find(&rows, "<script>alert(\"name\")</script>");
    assert_eq!(answer["parent_id"], trashed["id"]);
    assert_eq!(answer["body"], json!("Answering a trashed comment stays in place."));
    assert_eq!(find(&rows, "Anonymous")["created_at"], json!("2026-01-05T10:00:00Z"), "no GMT time: the local one");
    assert!(rows.iter().all(|r| r["author"] != json!("Spammer") && r["author"] != json!("Other Blog")));
    for private in ["meera@mail.example", "203.0.113.9", "https://meera.example", "Buy now"] {
        assert!(!store_holds(&db, private), "{private} is not stored");
    }
    let (_, again) = import(&db, "wordpress", "wordpress-export.xml");
    assert!(again.contains("imported 0 comments"), "{again}");
}

#[test]
fn an_external_entity_or_the_wrong_format_is_refused_and_nothing_is_written() {
    let db = temp_db("import-refused");
    for (from, file, why) in [
        ("disqus", "external-entity.xml", "declares a DTD"),
        ("wordpress", "disqus-export.xml", "not a WordPress export"),
        ("disqus", "wordpress-export.xml", "not a Disqus export"),
    ] {
        let out = run(&db, &["import", "--from", from, fixture(file).to_str().expect("path")]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(said.contains("nothing was imported") && said.contains(why), "{said}");
    }
    assert!(stored(&db).is_empty());
    assert!(!store_holds(&db, "root:"), "no file of this machine was read in");
}

#[test]
fn deeply_nested_xml_is_refused_with_its_line_not_a_crash() {
    let db = temp_db("import-deep");
    let file = std::env::temp_dir().join(format!("rc-deep-{}.xml", std::process::id()));
    let deep = format!(
        "<?xml version=\"1.0\"?>\n<disqus>\n<thread id=\"t\">\n{}{}</thread>\n</disqus>\n",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    std::fs::write(&file, deep).expect("written");
    let out = run(&db, &["import", "--from", "disqus", file.to_str().expect("path")]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused, not crashed: {said}");
    assert!(said.contains("nothing was imported: elements nested deeper than 100 levels, on line 4"), "{said}");
    assert!(stored(&db).is_empty());
    let _ = std::fs::remove_file(file);
}
