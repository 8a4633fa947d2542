//! What needs the real binary over real sockets: a restart keeps what was stored, and
//! the moderation commands work on the file while the server runs. The request and
//! response checks run in-process in `contract.rs`.

mod common;
use common::*;

const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";

#[test]
fn a_post_is_stored_and_survives_a_restart() {
    let db = temp_db("restart");
    let server = start(&db, &["--rate-limit", "off"]);
    let res = post_json(&server.addr, "t1", &comment("Meera T", BODY), Some("k1")).expect("post");
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.json()["status"], "published");
    drop(server);
    let again = start(&db, &["--rate-limit", "off"]);
    let stored = all_comments(&again.addr, "t1");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["body"], BODY);
}

#[test]
fn a_held_comment_is_approved_from_the_command_line_and_then_listed() {
    let db = temp_db("approve");
    let server = start(&db, &["--rate-limit", "off"]);
    let held = post_json(&server.addr, "t", &comment("A", &format!("{BODY} https://example.com")), None).expect("post");
    assert_eq!(held.status, 202);
    let id = held.json()["id"].as_str().expect("id").to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_reader-comments-server"))
            .args(["--db", db.to_str().expect("path")])
            .args(args)
            .output()
            .expect("runs")
    };
    let elsewhere = post_json(&server.addr, "u", &comment("B", &format!("{BODY} https://example.org")), None);
    assert_eq!(elsewhere.expect("post").status, 202);
    let pending = run(&["pending"]);
    assert!(pending.status.success());
    let listed = String::from_utf8_lossy(&pending.stdout).to_string();
    assert!(listed.starts_with(&format!("{id}\tt\t")) && listed.ends_with("2 waiting\n"), "{listed}");
    let one = String::from_utf8_lossy(&run(&["pending", "--thread", "t"]).stdout).to_string();
    assert!(one.starts_with(&format!("{id}\tt\t")) && one.ends_with("1 waiting\n"), "only thread t: {one}");
    assert!(run(&["approve", &id]).status.success());
    assert_eq!(run(&["approve", &id]).status.code(), Some(3), "already published");
    let listed = all_comments(&server.addr, "t");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(run(&["delete", &id]).status.success());
    assert!(all_comments(&server.addr, "t").is_empty());
}

#[test]
fn headers_of_a_megabyte_are_refused_with_a_problem_document_like_every_other_refusal() {
    let db = temp_db("huge-headers");
    let server = start(&db, &[]);
    for size in [20 * 1024, 1024 * 1024, 4 * 1024 * 1024] {
        let padding = "x".repeat(size);
        let res = request(&server.addr, "GET", "/api/threads/t/comments", &[("X-Padding", &padding)], b"");
        let res = res.unwrap_or_else(|e| panic!("{size} bytes: an answer, not {e}"));
        assert_eq!(res.status, 431, "{size} bytes");
        assert_eq!(res.header("content-type"), Some("application/problem+json"), "{size} bytes: {}", res.body);
        assert_eq!(res.json()["title"], "Headers too large", "{size} bytes");
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    }
    let after = request(&server.addr, "GET", "/api/threads/t/comments", &[], b"").expect("still serving");
    assert_eq!(after.status, 200);
}
