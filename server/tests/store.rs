//! The store's conformance suite: every store operation, called directly, on a real
//! store: a SQLite file, or (under `RC_TEST_POSTGRES`, as scripts/test.sh runs the
//! whole suite a second time) a PostgreSQL database: one test body for both engines.
//! The paths where features meet on one comment are tested together: a deletion with
//! reports, recommends, replies, an idempotency record and a waiting webhook event; a
//! ban, then an import; an edit while held; a thread closed with reports open. And
//! stores written by the server before one schema (fixtures/stores, made by the server
//! of 1151e78) open, migrate and keep everything.

mod common;
use common::*;
use reader_comments_core::Status;
use reader_comments_server::store::{
    BanFor, BlockedPhrase, ClosedThread, Decided, Decisions, Moved, NewRow, Order, Parent, PostKey, ReportBy, Store,
    SCHEMA_VERSION,
};
use std::path::{Path, PathBuf};

fn open(name: &str) -> (Store, PathBuf) {
    let db = temp_db(name);
    (Store::open(&db).expect("the store opens"), db)
}

fn reader(n: u8) -> String {
    format!("{n:032x}")
}

/// The id of a stored comment.
fn id(comment: &reader_comments_core::Comment) -> i64 {
    comment.id.parse().expect("a numeric id")
}

/// A comment posted now on `thread` (optionally a reply to `parent`), with the
/// reader hash and client hash a post stores.
fn post(store: &Store, thread: &str, author: &str, parent: Option<Parent>) -> i64 {
    let new = NewRow {
        thread,
        author,
        body: "A comment that is comfortably longer than the fifty character minimum.",
        status: Status::Published,
        created_at: 1_700_000_000_000,
        parent,
        client: Some(store.keyed_hash("client", author)),
        reader: Some(store.reader_hash(&reader(1))),
        ..NewRow::default()
    };
    id(&store.insert_row(&new).expect("stored"))
}

/// A report by the reader with this hash, from no known address.
fn by<'a>(reader: &'a str, reason: &'a str) -> ReportBy<'a> {
    ReportBy { reader, client: None, reason }
}

fn bodies(comments: &[reader_comments_core::Comment]) -> Vec<&str> {
    comments.iter().map(|c| c.body.as_str()).collect()
}

#[test]
fn a_new_store_is_at_the_latest_schema_and_reopening_keeps_its_comments_and_secret() {
    let (store, db) = open("store-reopen");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    store.insert("t", "A", "Body", Status::Published, 1, None).expect("insert");
    let hash = store.reader_hash(&reader(7));
    drop(store);
    let again = Store::open(&db).expect("reopens");
    assert_eq!(again.count("t").expect("count"), 1);
    assert_eq!(again.reader_hash(&reader(7)), hash, "the secret is the store's own, kept");
}

#[test]
fn a_store_from_a_newer_server_is_refused_in_the_operators_words_and_not_touched() {
    let (store, db) = open("store-newer");
    drop(store);
    let newer = SCHEMA_VERSION + 1;
    if postgres().is_some() {
        sql(&db, &format!("UPDATE reader_comments_schema SET version = {newer}"));
    } else {
        sql(&db, &format!("PRAGMA user_version = {newer}"));
    }
    let message = Store::open(&db).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("written by a newer version of reader-comments-server"), "{message}");
    assert!(message.contains(&format!("schema version {newer}")), "{message}");
}

#[test]
fn reader_keys_and_clients_are_kept_as_hashes_keyed_by_each_stores_own_secret() {
    let (one, _) = open("store-secret-one");
    let (two, _) = open("store-secret-two");
    let key = "0123456789ABCDEF0123456789abcdef";
    let hash = one.reader_hash(key);
    assert_eq!(hash.len(), 64, "SHA-256 in hex");
    assert!(!hash.contains(&key.to_ascii_lowercase()), "not the key itself");
    assert_eq!(hash, one.reader_hash(&key.to_ascii_lowercase()), "the key's case does not matter");
    assert_ne!(hash, two.reader_hash(key), "another store, another secret");
    assert_ne!(one.keyed_hash("client", key), one.keyed_hash("rate", key), "each purpose its own hash");
}

#[test]
fn posting_finding_replaying_editing_and_tokens() {
    let (store, _) = open("store-conversation");
    let key = PostKey { key: "k", fingerprint: "fp" };
    let row = NewRow {
        thread: "t",
        author: "Asha",
        body: "first",
        created_at: 5,
        token_hash: Some(reader_comments_server::store::token_hash("first-token")),
        idempotency: Some(key),
        ..NewRow::default()
    };
    let stored = store.insert_row(&row).expect("stored");
    assert_eq!((stored.author.as_str(), stored.status, stored.recommends), ("Asha", Status::Published, Some(0)));
    let replay = store.replay("t", "k").expect("read").expect("the key's record");
    assert_eq!((replay.comment, replay.fingerprint.as_str()), (stored.clone(), "fp"));
    assert!(store.replay("other", "k").expect("read").is_none(), "keys are per thread");
    assert!(store.insert_row(&row).is_err(), "the key cannot store a second comment");
    assert_eq!(store.count("t").expect("count"), 1, "the refused insert left nothing");

    let found = store.find("t", id(&stored)).expect("read").expect("found");
    assert_eq!(found.token_hash, Some(reader_comments_server::store::token_hash("first-token")));
    assert_eq!(found.root, None);
    assert!(store.find("other", id(&stored)).expect("read").is_none(), "only in its own thread");
    store.set_token(id(&stored), "new-hash").expect("replaced");
    assert_eq!(store.find("t", id(&stored)).expect("read").expect("found").token_hash.as_deref(), Some("new-hash"));

    store.edit(id(&stored), "second", Status::Pending, None, 9).expect("edited");
    let edited = store.find("t", id(&stored)).expect("read").expect("found").comment;
    assert_eq!((edited.body.as_str(), edited.status, edited.edited_at), ("second", Status::Pending, Some(9)));
}

#[test]
fn recommends_count_once_per_reader_and_never_below_zero() {
    let (store, _) = open("store-recommend");
    let c = post(&store, "t", "Asha", None);
    let (a, b) = (store.reader_hash(&reader(1)), store.reader_hash(&reader(2)));
    assert_eq!(store.recommend(c, &a, true, 1).expect("on").count, 1);
    assert_eq!(store.recommend(c, &a, true, 2).expect("again").count, 1, "once per reader");
    let both = store.recommend(c, &b, true, 3).expect("on");
    assert_eq!((both.count, both.on), (2, true));
    assert_eq!(store.recommended_by(&a, &[c, 999]).expect("read"), [c].into());
    let off = store.recommend(c, &a, false, 4).expect("off");
    assert_eq!((off.count, off.on), (1, false));
    assert_eq!(store.recommend(c, &a, false, 5).expect("off again").count, 1, "taking back twice changes nothing");
    assert!(store.recommended_by(&a, &[c]).expect("read").is_empty());
    assert!(store.recommended_by(&a, &[]).expect("none asked").is_empty());
}

#[test]
fn pages_follow_their_order_and_cursor_and_carry_the_first_replies() {
    let (store, _) = open("store-pages");
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            let status = if i == 2 { Status::Pending } else { Status::Published };
            id(&store.insert("t", "A", &format!("c{i}"), status, i, None).expect("insert"))
        })
        .collect();
    store.insert("other", "B", "elsewhere", Status::Published, 9, None).expect("insert");
    let first = store.list_top("t", Order::Oldest(0), 2).expect("page");
    assert_eq!(bodies(&first.comments), ["c0", "c1"]);
    let after: i64 = first.next.expect("a next page").parse().expect("numeric cursor");
    let rest = store.list_top("t", Order::Oldest(after), 10).expect("page");
    assert_eq!((bodies(&rest.comments), rest.next), (vec!["c3", "c4"], None), "the held one is not listed");
    let newest = store.list_top("t", Order::Newest(i64::MAX), 10).expect("page");
    assert_eq!(bodies(&newest.comments), ["c4", "c3", "c1", "c0"]);
    store.recommend(ids[3], "r", true, 1).expect("recommended");
    let top = store.list_top("t", Order::Top(i64::MAX, 0), 1).expect("page");
    assert_eq!((bodies(&top.comments), top.next.as_deref()), (vec!["c3"], Some(format!("1.{}", ids[3]).as_str())));
    let next = store.list_top("t", Order::Top(1, ids[3]), 10).expect("page");
    assert_eq!(bodies(&next.comments), ["c0", "c1", "c4"]);

    let root = ids[0];
    let replies: Vec<i64> = (0..4).map(|_| post(&store, "t", "R", Some(Parent { id: root, root }))).collect();
    let deep = post(&store, "t", "Deep", Some(Parent { id: replies[0], root }));
    assert_eq!(store.find("t", deep).expect("read").expect("found").root, Some(root));
    let page = store.replies_of_page(&[root, ids[1]], 3).expect("first replies");
    assert_eq!(page[&root].shown.iter().map(id).collect::<Vec<_>>(), replies[..3]);
    assert_eq!((page[&root].total, page[&ids[1]].total), (5, 0));
    let more = store.replies(root, replies[2], 10).expect("the rest");
    assert_eq!(more.iter().map(id).collect::<Vec<_>>(), [replies[3], deep]);
    assert!(store.replies_of_page(&[], 3).expect("nothing asked").is_empty());
}

#[test]
fn a_deletion_takes_what_belongs_to_the_comment_and_keeps_the_place_of_one_with_replies() {
    let (store, _) = open("store-delete");
    let readers = [store.reader_hash(&reader(1)), store.reader_hash(&reader(2))];
    let row = NewRow {
        thread: "t",
        author: "Asha",
        body: "the comment everything is tied to",
        created_at: 1,
        idempotency: Some(PostKey { key: "asha-key", fingerprint: "fp" }),
        ..NewRow::default()
    };
    let a = id(&store.insert_row(&row).expect("stored"));
    let reply = post(&store, "t", "Ravi", Some(Parent { id: a, root: a }));
    store.recommend(a, &readers[0], true, 2).expect("recommended");
    store.report(a, by(&readers[1], "abuse"), 3, 3).expect("reported");
    store.report(reply, by(&readers[1], "spam"), 3, 3).expect("reported");
    assert!(store.outbox_add("{\"event\":\"comment.held\"}", Some(a), 4, 10).expect("queued"));

    assert!(store.remove(a, 10).expect("deleted"), "a comment with a reply keeps its place");
    let kept = store.find("t", a).expect("read").expect("its place");
    assert_eq!((kept.comment.status, kept.comment.author.as_str(), kept.token_hash), (Status::Deleted, "", None));
    assert_eq!(store.list_top("t", Order::Oldest(0), 10).expect("page").comments.len(), 1, "listed for its reply");

    assert!(store.remove(reply, 11).expect("deleted"));
    assert!(store.find("t", reply).expect("read").is_none());
    assert!(store.find("t", a).expect("read").is_none(), "the emptied place went with its last reply");
    assert!(store.open_reports(&[a, reply]).expect("read").is_empty(), "their reports went with them");
    assert!(store.recommended_by(&readers[0], &[a]).expect("read").is_empty(), "and the recommend");
    assert!(store.replay("t", "asha-key").expect("read").is_none(), "and the idempotency record");
    assert_eq!(store.outbox_claim(100, 200).expect("claim"), None, "and the waiting webhook event");
    assert_eq!(store.count("t").expect("count"), 0);
    assert!(!store.remove(a, 12).expect("nothing"), "no such comment any more");

    // The same without a reply: all of it goes at once.
    let b = post(&store, "t", "Asha", None);
    store.report(b, by(&readers[0], "spam"), 3, 1).expect("reported");
    store.recommend(b, &readers[1], true, 1).expect("recommended");
    assert!(store.remove(b, 13).expect("deleted"));
    assert_eq!(store.count("t").expect("count"), 0);
}

#[test]
fn reports_count_once_per_reader_requeue_at_the_threshold_and_approval_marks_them_seen() {
    let (store, _) = open("store-reports");
    let c = post(&store, "t", "Troll", None);
    let hashes: Vec<String> = (1..=4).map(|n| store.reader_hash(&reader(n))).collect();
    let first = store.report(c, by(&hashes[0], "spam"), 3, 1).expect("reported");
    assert!(first.new && !first.requeued);
    assert!(!store.report(c, by(&hashes[0], "spam"), 3, 2).expect("again").new, "once per reader");
    store.report(c, by(&hashes[1], "abuse"), 3, 3).expect("reported");
    assert_eq!(store.pending_count(None).expect("count"), 0);
    assert!(store.report(c, by(&hashes[2], "abuse"), 3, 4).expect("reported").requeued, "the third reader's");
    assert_eq!(store.pending_count(Some("t")).expect("count"), 1);
    let open = store.open_reports(&[c]).expect("read");
    let reasons: Vec<(&str, i64)> = open[&c].iter().map(|r| (r.reason.as_str(), r.readers)).collect();
    assert_eq!(reasons, [("abuse", 2), ("spam", 1)], "the commonest reason first");

    assert_eq!(store.approve(c, None).expect("approved"), Decided::Done);
    assert_eq!(store.approve(c, None).expect("again"), Decided::Gone, "no longer waiting");
    assert!(store.open_reports(&[c]).expect("read").is_empty(), "seen by the moderator");
    assert!(store.report(c, by(&hashes[3], "other"), 1, 5).expect("reported").requeued, "a new report counts again");
    assert_eq!(store.pending_count(None).expect("count"), 1);
}

#[test]
fn the_queue_its_counts_replies_parents_first_comments_threads_and_search() {
    let (store, _) = open("store-queue");
    let known = store.reader_hash(&reader(1));
    let new_reader = store.reader_hash(&reader(2));
    let published = post(&store, "liaison", "Asha", None);
    let held = |thread: &str, author: &str, reader: &str, parent: Option<Parent>| {
        let row = NewRow {
            thread,
            author,
            body: "Held for a moderator, as the rules say.",
            status: Status::Pending,
            created_at: 2,
            parent,
            reader: Some(reader.to_string()),
            ..NewRow::default()
        };
        id(&store.insert_row(&row).expect("stored"))
    };
    let first = held("liaison", "New", &new_reader, None);
    let second = held("other", "Known", &known, Some(Parent { id: published, root: published }));
    let waiting = store.pending(None, 10).expect("queue");
    assert_eq!(
        waiting.iter().map(|w| (w.thread.as_str(), id(&w.comment))).collect::<Vec<_>>(),
        [("other", second), ("liaison", first)]
    );
    assert_eq!(store.pending(Some("liaison"), 10).expect("queue").len(), 1);
    assert_eq!(store.pending(None, 1).expect("queue").len(), 1, "at most the limit");
    assert_eq!((store.pending_count(None).expect("n"), store.pending_count(Some("other")).expect("n")), (2, 1));
    let parents = store.comments_by_id(&[published, 999]).expect("read");
    assert_eq!(parents.keys().copied().collect::<Vec<_>>(), [published]);
    assert!(store.known_reader(&known).expect("read"), "a published comment of theirs");
    assert!(!store.known_reader(&new_reader).expect("read"));
    assert_eq!(store.first_comments(&[first, second]).expect("read"), [first].into());

    store.set_closed("other", true, 3).expect("closed");
    let threads = store.threads_overview().expect("read");
    let summary: Vec<(&str, i64, i64, bool)> =
        threads.iter().map(|t| (t.key.as_str(), t.published, t.waiting, t.closed)).collect();
    assert_eq!(summary, [("other", 0, 1, true), ("liaison", 1, 1, false)], "the most recently commented first");

    let found = store.search("fifty", "ash", "LIAI", 10).expect("search");
    assert_eq!(found.iter().map(|f| id(&f.comment)).collect::<Vec<_>>(), [published], "case aside, published only");
    assert!(store.search("100%_", "", "", 10).expect("search").is_empty(), "% and _ are only themselves");
}

#[test]
fn an_edit_while_held_stays_held_until_approved_and_a_closed_thread_keeps_its_open_reports() {
    let (store, _) = open("store-held-edit");
    let row = NewRow {
        thread: "t",
        author: "A",
        body: "before",
        status: Status::Pending,
        held_for: Some("It has a link."),
        ..NewRow::default()
    };
    let c = id(&store.insert_row(&row).expect("stored"));
    store.edit(c, "after", Status::Pending, None, 7).expect("edited while held");
    let waiting = &store.pending(None, 10).expect("queue")[0];
    assert_eq!((waiting.comment.body.as_str(), waiting.held_for.as_deref()), ("after", Some("It has a link.")));
    store.edit(c, "after all", Status::Pending, Some("It has a blocked word or phrase."), 7).expect("edited");
    let waiting = &store.pending(None, 10).expect("queue")[0];
    assert_eq!(waiting.held_for.as_deref(), Some("It has a blocked word or phrase."), "the edit's own reason");
    store.edit(c, "after", Status::Pending, None, 7).expect("edited back");
    assert_eq!(store.approve(c, None).expect("approved"), Decided::Done);
    let listed = store.list_top("t", Order::Oldest(0), 10).expect("page").comments;
    assert_eq!((listed[0].body.as_str(), listed[0].edited_at), ("after", Some(7)));
    let requeuer = store.reader_hash(&reader(4));
    assert!(store.report(c, by(&requeuer, "spam"), 1, 8).expect("reported").requeued);
    let requeued = &store.pending(None, 10).expect("queue")[0];
    assert_eq!(requeued.held_for, None, "the reason it was held for was settled by the approval");
    assert_eq!(store.approve(c, None).expect("approved again"), Decided::Done);

    let r = store.reader_hash(&reader(3));
    store.report(c, by(&r, "abuse"), 3, 8).expect("reported");
    store.set_closed("t", true, 9).expect("closed");
    assert!(store.is_closed("t").expect("read"));
    assert_eq!(store.open_reports(&[c]).expect("read")[&c].len(), 1, "closing does not settle reports");
    assert!(store.remove(c, 10).expect("a closed thread's comment can still be deleted"));
    store.set_closed("t", false, 11).expect("opened");
    assert!(!store.is_closed("t").expect("read"));
}

#[test]
fn moderators_sessions_the_audit_log_and_blocked_words() {
    let (store, _) = open("store-newsroom");
    assert_eq!(store.moderator_hash("mira").expect("read"), None);
    store.set_moderator("mira", "hash-1", 1).expect("added");
    store.set_moderator("mira", "hash-2", 2).expect("replaced");
    assert_eq!(store.moderator_hash("mira").expect("read").as_deref(), Some("hash-2"));
    store.open_session("s1", "mira", "csrf-1", 100).expect("opened");
    store.open_session("s2", "mira", "csrf-2", 100).expect("opened");
    let session = store.session("s1", 50).expect("read").expect("live");
    assert_eq!((session.moderator.as_str(), session.csrf.as_str()), ("mira", "csrf-1"));
    assert!(store.session("s1", 100).expect("read").is_none(), "expired");
    store.close_sessions(Some("s1"), "mira").expect("closed");
    assert!(store.session("s1", 50).expect("read").is_none());
    assert!(store.session("s2", 50).expect("read").is_some(), "the other stays");
    store.close_sessions(None, "mira").expect("all closed");
    assert!(store.session("s2", 50).expect("read").is_none());

    store.record("mira", "approve", "comment 1", 10).expect("recorded");
    store.record("mira", "delete", "comment 2", 11).expect("recorded");
    let log = store.audit_log(1).expect("read");
    assert_eq!((log[0].at, log[0].action.as_str(), log[0].target.as_str()), (11, "delete", "comment 2"));
    assert_eq!(store.audit_log(10).expect("read").len(), 2);

    store.set_blocked("scam offer", true, 1).expect("blocked");
    store.set_blocked("scam offer", true, 2).expect("again is harmless");
    store.set_blocked("buy now", true, 3).expect("blocked");
    assert_eq!(store.blocked_words().expect("read"), ["buy now", "scam offer"]);
    store.set_blocked("buy now", false, 4).expect("unblocked");
    assert_eq!(store.blocked_words().expect("read"), ["scam offer"]);
}

#[test]
fn a_ban_outlives_an_import_and_an_import_twice_adds_nothing() {
    let (store, _) = open("store-ban-import");
    let troll = post(&store, "t", "Troll", None);
    let hash = store.keyed_hash("client", "Troll");
    assert!(store.ban_author_of(troll, 1_000, "mira").expect("banned"));
    assert!(store.ban_author_of(troll, 500, "ravi").expect("again"), "a shorter ban keeps the longer one");
    let bans = store.bans(0).expect("read");
    assert_eq!((bans[0].client_hash.as_str(), bans[0].until, bans[0].by.as_str()), (hash.as_str(), 1_000, "ravi"));
    assert!(store.banned(&["other".into(), hash.clone()], 999).expect("read"));
    assert!(!store.banned(std::slice::from_ref(&hash), 1_000).expect("read"), "over at its end");
    assert!(!store.banned(&[], 0).expect("nothing asked"));

    let mut rows = Vec::new();
    store
        .each_comment(&mut |row| {
            rows.push(row);
            Ok(())
        })
        .expect("read out");
    let decisions = Decisions {
        closed: vec![ClosedThread { key: "t".into(), at: 5 }],
        blocked: vec![BlockedPhrase { phrase: "scam offer".into(), at: 6 }],
    };
    let reply =
        Moved { id: "r1".into(), parent: Some(rows[0].id.clone()), author: "Imported".into(), ..rows[0].clone() };
    rows.push(reply);
    let done = store.import(&rows, &decisions).expect("imported");
    assert_eq!((done.added, done.present, done.closed, done.blocked), (1, 1, 1, 1));
    let again = store.import(&rows, &decisions).expect("imported again");
    assert_eq!((again.added, again.present, again.closed, again.blocked), (0, 2, 0, 0));
    assert_eq!(store.decisions().expect("read"), decisions);
    let imported = store.pending(None, 10).expect("queue").len() + store.count("t").expect("count");
    assert_eq!(imported, 2);
    let new_reply = store.list_top("t", Order::Oldest(0), 10).expect("page").comments[0].clone();
    let reply_id = store.replies(id(&new_reply), 0, 10).expect("replies")[0].id.parse::<i64>().expect("id");
    assert!(!store.ban_author_of(reply_id, 2_000, "mira").expect("no address"), "an imported comment has none");
    assert!(store.banned(std::slice::from_ref(&hash), 999).expect("read"), "the ban outlived the import");
    assert!(store.lift_ban(&hash).expect("lifted"));
    assert!(!store.lift_ban(&hash).expect("none left"));

    let orphan = Moved { thread: "t".into(), id: "x".into(), parent: Some("missing".into()), ..Moved::default() };
    assert!(store.import(&[orphan], &Decisions::default()).is_err(), "a reply before its comment is refused");
}

#[test]
fn the_outbox_hands_each_event_to_one_claim_at_a_time_and_retries_it() {
    let (store, _) = open("store-outbox");
    assert!(store.outbox_add("one", None, 10, 2).expect("queued"));
    assert!(store.outbox_add("two", None, 11, 2).expect("queued"));
    assert!(!store.outbox_add("three", None, 12, 2).expect("refused"), "bounded");
    let due = store.outbox_claim(20, 50).expect("claim").expect("one due");
    assert_eq!((due.event.as_str(), due.attempts), ("one", 0));
    let second = store.outbox_claim(20, 50).expect("claim").expect("the next");
    assert_eq!(second.event, "two", "not the one claimed");
    assert_eq!(store.outbox_claim(49, 60).expect("claim"), None, "both are claimed until 50");
    store.outbox_settle(second.id, None).expect("delivered");
    store.outbox_settle(due.id, Some(80)).expect("to be retried");
    assert_eq!(store.outbox_claim(79, 90).expect("claim"), None, "not before its time");
    let retried = store.outbox_claim(80, 90).expect("claim").expect("due again");
    assert_eq!((retried.event.as_str(), retried.attempts), ("one", 1));
    store.outbox_settle(retried.id, None).expect("done");
    assert_eq!(store.outbox_claim(1_000, 1_100).expect("claim"), None, "nothing left");
}

#[test]
fn rate_limits_are_shared_only_by_a_store_instances_share() {
    let (store, _) = open("store-limits");
    if !store.shares_limits() {
        assert_eq!(store.charge_shared("posts 1.2.3.4", 1_000, 2, 0).map(|r| r.is_ok()), None);
        assert_eq!(store.shared_clients(), None);
        store.prune_shared(0);
        return;
    }
    assert_eq!(store.charge_shared("posts a", 1_000, 2, 0).expect("shared").expect("counted"), None);
    assert_eq!(store.charge_shared("posts a", 1_000, 2, 0).expect("shared").expect("counted"), None);
    assert_eq!(store.charge_shared("posts a", 1_000, 2, 0).expect("shared").expect("counted"), Some(1), "spent");
    assert_eq!(store.charge_shared("posts b", 1_000, 2, 0).expect("shared").expect("counted"), None, "per bucket");
    assert_eq!(store.shared_clients(), Some(2));
    store.prune_shared(10_000);
    assert_eq!(store.shared_clients(), Some(0), "whole again, forgotten");
}

/// A store written by the server of 1151e78 (fixtures/stores/make.sh): SQLite schema
/// 10, or PostgreSQL's own version 9, restored into a fresh database.
fn legacy_store(name: &str) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/stores");
    let db = temp_db(name);
    if postgres().is_some() {
        let dump = fixtures.join("v9.postgres.sql");
        let out = std::process::Command::new("psql")
            .args([db.to_str().expect("a URL"), "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.to_str().expect("utf-8")])
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "restoring the dump: {}", String::from_utf8_lossy(&out.stderr));
    } else {
        std::fs::copy(fixtures.join("v10.sqlite3"), &db).expect("a copy of the fixture");
    }
    db
}

#[test]
fn a_store_written_before_the_one_schema_migrates_and_keeps_everything() {
    let db = legacy_store("store-legacy");
    let store = Store::open(&db).expect("the old store opens");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let mut rows = Vec::new();
    assert_eq!(
        store
            .each_comment(&mut |row| {
                rows.push(row);
                Ok(())
            })
            .expect("read out"),
        7
    );
    let who: Vec<(&str, &str)> = rows.iter().map(|r| (r.author.as_str(), r.status.as_str())).collect();
    assert_eq!(
        who,
        [
            ("Asha", "published"),
            ("Ravi", "published"),
            ("Meera", "published"),
            ("Linker", "pending"),
            ("", "deleted"),
            ("Kept", "published"),
            ("Late", "published")
        ]
    );
    assert!(rows[0].body.ends_with("(A, edited).") && rows[0].edited_at.is_some(), "the edit: {:?}", rows[0]);
    let ids: Vec<i64> = rows.iter().map(|r| r.id.parse().expect("id")).collect();
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    assert_eq!(store.recommended_by(&store.reader_hash(&reader(4)), &[a]).expect("read"), [a].into(), "same secret");
    assert_eq!(store.open_reports(&[b]).expect("read")[&b][0].reason, "spam");
    let decisions = store.decisions().expect("read");
    assert_eq!((decisions.closed[0].key.as_str(), decisions.blocked[0].phrase.as_str()), ("closed-one", "scam offer"));
    assert_eq!(store.bans(0).expect("read").len(), 1);
    assert!(store.moderator_hash("mira").expect("read").is_some());
    assert_eq!(store.audit_log(10).expect("read").len(), 4);
    let event = store.outbox_claim(i64::MAX - 1, i64::MAX).expect("claim").expect("the waiting event");
    assert!(event.event.contains("Linker"), "{}", event.event);

    // What the old schema could not do: a reported comment goes, with its reports.
    assert!(store.remove(c, 1).expect("deleted"));
    assert!(store.remove(b, 2).expect("the reported reply, now without replies"));
    assert!(store.open_reports(&[b]).expect("read").is_empty());
    assert!(store.remove(a, 3).expect("the recommended comment"));
    assert!(store.recommended_by(&store.reader_hash(&reader(4)), &[a]).expect("read").is_empty());
    let rest = store.list_top("t", Order::Oldest(0), 10).expect("page").comments;
    assert_eq!(rest.iter().map(|c| c.status).collect::<Vec<_>>(), [Status::Deleted], "the place kept for Kept");
    drop(store);
    assert_eq!(Store::open(&db).expect("opens again").schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn a_moderators_decision_applies_only_to_the_version_they_read() {
    let (store, _) = open("store-versions");
    let held = |author: &str| {
        let row = NewRow {
            thread: "t",
            author,
            body: "first text",
            status: Status::Pending,
            client: Some(store.keyed_hash("client", author)),
            ..NewRow::default()
        };
        id(&store.insert_row(&row).expect("stored"))
    };
    let (a, b) = (held("Swapper"), held("Troll"));
    assert_eq!(store.pending(None, 10).expect("queue").iter().map(|w| w.version).collect::<Vec<_>>(), [1, 1]);
    store.edit(a, "second text", Status::Pending, None, 5).expect("edited");
    assert_eq!(store.approve(a, Some(1)).expect("approve"), Decided::Changed, "the text read was the first");
    assert_eq!(
        store.pending(Some("t"), 10).expect("queue").iter().find(|w| id(&w.comment) == a).map(|w| w.version),
        Some(2)
    );
    let ban = Some(BanFor { until: 1_000, by: "mira" });
    let kept = store.reject(a, Some(1), ban, None, 6).expect("reject");
    assert_eq!((kept.decided, kept.banned), (Decided::Changed, false), "nor rejected, nor banned");
    assert!(store.bans(0).expect("bans").is_empty());
    assert_eq!(store.approve(a, Some(2)).expect("approve"), Decided::Done);
    assert_eq!(store.approve(a, Some(2)).expect("again"), Decided::Gone);

    let rejected = store.reject(b, Some(1), ban, None, 7).expect("reject");
    assert_eq!((rejected.decided, rejected.banned), (Decided::Done, true), "rejected and banned at once");
    assert!(store.find("t", b).expect("read").is_none());
    assert_eq!(store.bans(0).expect("bans")[0].by, "mira");
    assert_eq!(store.reject(b, None, None, None, 8).expect("reject").decided, Decided::Gone);
}

#[test]
fn a_report_counts_once_per_client_whatever_reader_keys_it_sends() {
    let (store, _) = open("store-report-clients");
    let c = post(&store, "t", "Troll", None);
    let client = store.keyed_hash("client", "203.0.113.7");
    let keys: Vec<String> = (1..=4).map(|n| store.reader_hash(&reader(n))).collect();
    let from = |key: usize| ReportBy { reader: &keys[key], client: Some(&client), reason: "abuse" };
    assert!(store.report(c, from(0), 2, 1).expect("reported").new);
    let again = store.report(c, from(1), 2, 2).expect("reported");
    assert_eq!((again.new, again.requeued), (false, false), "another key from the same client counts for nothing");
    let other = store.keyed_hash("client", "198.51.100.1");
    let second =
        store.report(c, ReportBy { reader: &keys[2], client: Some(&other), reason: "spam" }, 2, 3).expect("reported");
    assert_eq!((second.new, second.requeued), (true, true), "a second client's is the threshold's");
}

#[test]
fn a_threads_version_moves_with_every_write_that_changes_its_pages_whoever_writes() {
    let (store, db) = open("store-thread-versions");
    let version = |thread: &str| store.thread_versions(&[thread.to_string()]).expect("read")[thread];
    assert_eq!(version("t"), 0, "a thread nobody wrote to");
    let mut last = 0;
    let mut moved = |what: &str, now: i64| {
        assert!(now > last, "{what} moves the version ({last} → {now})");
        last = now;
    };
    let a = post(&store, "t", "Asha", None);
    moved("a post", version("t"));
    let reply = post(&store, "t", "Ravi", Some(Parent { id: a, root: a }));
    moved("a reply", version("t"));
    let other = post(&store, "other", "Bina", None);
    let before_other = version("t");
    store.recommend(other, "r", true, 1).expect("recommended");
    assert_eq!(version("t"), before_other, "another thread's writes leave it alone");
    store.recommend(a, "r", true, 1).expect("recommended");
    moved("a recommend", version("t"));
    store.recommend(a, "r", false, 2).expect("taken back");
    moved("a recommend taken back", version("t"));
    store.edit(reply, "edited text", Status::Published, None, 3).expect("edited");
    moved("an edit", version("t"));
    let held = id(&store.insert("t", "Held", "waits", Status::Pending, 4, None).expect("insert"));
    moved("a held comment (not shown yet: moving costs one page render)", version("t"));
    store.approve(held, None).expect("approved");
    moved("an approval", version("t"));
    let hashes: Vec<String> = (1..=3).map(|n| store.reader_hash(&reader(n))).collect();
    for h in &hashes {
        store.report(held, by(h, "spam"), 3, 5).expect("reported");
    }
    moved("reports that send a comment back to the queue", version("t"));
    store.reject(held, None, None, None, 6).expect("rejected");
    moved("a rejection", version("t"));
    store.set_closed("t", true, 7).expect("closed");
    moved("closing", version("t"));
    store.set_closed("t", false, 8).expect("opened");
    moved("opening again", version("t"));
    store.set_closed("empty", true, 9).expect("closed");
    assert!(version("empty") > 0, "closing a thread without comments moves it too");
    store.remove(reply, 10).expect("deleted");
    moved("a deletion", version("t"));
    sql(&db, "UPDATE comments SET body = 'changed behind the server''s back' WHERE thread = 't'");
    moved("a statement from another process", version("t"));
    let versions = store.thread_versions(&["t".into(), "other".into(), "none".into()]).expect("read");
    assert_eq!(versions["none"], 0);
    assert!(versions["other"] > 0);
    store.fold_thread_changes().expect("folded");
    let folded = store.thread_versions(&["t".into(), "other".into(), "none".into()]).expect("read");
    assert_eq!(folded, versions, "folding PostgreSQL's changes keeps every version");
    post(&store, "t", "After", None);
    moved("a post after the fold", version("t"));
}

#[test]
fn writes_at_once_each_stand_or_fall_alone_and_every_acknowledged_one_is_stored() {
    // SQLite commits writes that arrive together as one group (store/sqlite.rs): one
    // that fails inside the group must take back only its own changes.
    let (store, _) = open("store-groups");
    let store = std::sync::Arc::new(store);
    let row = |author: &str, key: &'static str| NewRow {
        thread: "t",
        author: "x",
        body: "A comment that is comfortably longer than the fifty character minimum.",
        created_at: 1,
        idempotency: Some(PostKey { key, fingerprint: author.len().to_string().leak() }),
        ..NewRow::default()
    };
    store.insert_row(&row("first", "taken")).expect("stored");
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                let (mut stored, mut refused) = (Vec::new(), 0);
                for n in 0..40 {
                    let key: &'static str = if n % 4 == 0 { "taken" } else { format!("k-{t}-{n}").leak() };
                    match store.insert_row(&row("again", key)) {
                        Ok(comment) => stored.push(id(&comment)),
                        Err(_) => refused += 1,
                    }
                }
                (stored, refused)
            })
        })
        .collect();
    let (mut stored, mut refused) = (Vec::new(), 0);
    for t in threads {
        let (s, r) = t.join().expect("a writer");
        stored.extend(s);
        refused += r;
    }
    assert_eq!((stored.len(), refused), (16 * 30, 16 * 10), "each key-reusing write alone was refused");
    for c in &stored {
        assert!(store.find("t", *c).expect("read").is_some(), "acknowledged {c} is stored");
    }
    assert_eq!(store.count("t").expect("count"), 1 + stored.len(), "and nothing else");
}
