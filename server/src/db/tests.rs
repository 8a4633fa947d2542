//! The store against real SQLite files in the temporary directory.

use super::*;
use crate::store::{Conversation, Moderation};

fn temp_db(name: &str) -> (Db, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("rc-db-{name}-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    (Db::open(&path).expect("open"), path)
}

#[test]
fn a_new_file_gets_the_latest_schema_and_reopening_keeps_the_data() {
    let (db, path) = temp_db("reopen");
    assert_eq!(db.schema_version().expect("version"), SCHEMA_VERSION);
    db.insert("t", "A", "Body", Status::Published, 1, None).expect("insert");
    drop(db);
    let again = Db::open(&path).expect("reopen");
    assert_eq!(again.count("t").expect("count"), 1);
}

#[test]
fn a_file_from_a_newer_server_is_refused_in_the_operators_words() {
    let (db, path) = temp_db("newer");
    drop(db);
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("set version");
    drop(conn);
    let message = Db::open(&path).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("written by a newer version of reader-comments-server"), "{message}");
    assert!(message.contains(&format!("schema version {}", SCHEMA_VERSION + 1)), "{message}");
}

#[test]
fn pages_follow_the_cursor_and_hide_pending_comments() {
    let (db, _) = temp_db("pages");
    for i in 0..5 {
        let status = if i == 2 { Status::Pending } else { Status::Published };
        db.insert("t", "A", &format!("c{i}"), status, i, None).expect("insert");
    }
    db.insert("other", "B", "elsewhere", Status::Published, 9, None).expect("insert");
    let (first, next) = db.list("t", 0, 2).expect("list");
    assert_eq!(first.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["c0", "c1"]);
    let after: i64 = next.expect("a next page").parse().expect("numeric cursor");
    let (rest, none) = db.list("t", after, 10).expect("list");
    assert_eq!(rest.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["c3", "c4"]);
    assert_eq!(none, None);
}

#[test]
fn a_pending_comment_is_listed_then_approved_or_deleted() {
    let (db, _) = temp_db("moderate");
    let held = db.insert("t", "A", "held", Status::Pending, 1, Some(("k", "fp"))).expect("insert");
    let spam = db.insert("t", "B", "spam", Status::Pending, 2, None).expect("insert");
    assert_eq!(db.pending(None, usize::MAX).expect("pending").len(), 2);
    assert!(db.approve(held.id.parse().expect("id")).expect("approve"));
    assert!(!db.approve(held.id.parse().expect("id")).expect("approve again"), "already published");
    assert_eq!(db.list("t", 0, 10).expect("list").0.len(), 1);
    assert!(db.delete(spam.id.parse().expect("id")).expect("delete"));
    assert!(db.pending(None, usize::MAX).expect("pending").is_empty());
    assert!(db.delete(held.id.parse().expect("id")).expect("delete with its key"));
    assert!(!db.delete(999).expect("no such comment"));
}

#[test]
fn an_idempotency_key_is_stored_with_its_comment_and_cannot_repeat() {
    let (db, _) = temp_db("idem");
    let c = db.insert("t", "A", "B", Status::Published, 1, Some(("k", "fp"))).expect("insert");
    let replay = db.replay("t", "k").expect("query").expect("stored");
    assert_eq!((replay.comment, replay.fingerprint.as_str()), (c, "fp"));
    assert!(db.insert("t", "A", "B", Status::Published, 2, Some(("k", "fp"))).is_err());
    assert_eq!(db.count("t").expect("count"), 1, "the failed insert rolled back");
}

#[test]
fn reader_keys_are_stored_as_hashes_keyed_by_each_files_own_secret() {
    let (one, _) = temp_db("secret-one");
    let (two, _) = temp_db("secret-two");
    let key = "0123456789ABCDEF0123456789abcdef";
    let hash = one.reader_hash(key);
    assert_eq!(hash.len(), 64, "SHA-256 in hex");
    assert!(!hash.contains(&key.to_ascii_lowercase()), "not the key itself");
    assert_eq!(hash, one.reader_hash(&key.to_ascii_lowercase()), "the key's case does not matter");
    assert_ne!(hash, two.reader_hash(key), "another file, another secret: the hashes cannot be matched across files");
}

#[test]
fn an_edit_token_is_kept_as_its_hash_and_a_new_one_replaces_it() {
    let (db, _) = temp_db("token");
    assert_eq!(token_hash("abc"), token_hash(" abc "), "surrounding spaces from a header do not count");
    assert_ne!(token_hash("abc"), token_hash("abd"));
    let row = NewRow {
        thread: "t",
        author: "A",
        body: "B",
        created_at: 1,
        token_hash: Some(token_hash("first")),
        ..NewRow::default()
    };
    let id: i64 = db.insert_row(&row).expect("insert").id.parse().expect("id");
    let stored = db.find("t", id).expect("read").expect("found");
    assert_eq!(stored.token_hash.as_deref(), Some(token_hash("first").as_str()));
    db.set_token(id, &token_hash("second")).expect("replace");
    let stored = db.find("t", id).expect("read").expect("found");
    assert_eq!(stored.token_hash.as_deref(), Some(token_hash("second").as_str()));
}
