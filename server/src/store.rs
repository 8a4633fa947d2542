//! The storage interface: everything the handlers and the commands ask of a store, with
//! two implementations chosen by `--db`: SQLite (a file path: db.rs, the default) and
//! PostgreSQL (`postgres://…`: pg.rs). Both keep the same guarantees: a 201 is
//! committed, an idempotency key stores one comment, a reader key recommends once,
//! only hashes of reader keys and edit tokens are stored.
//!
//! The interface is seven traits by concern (the conversation, reading, moderation, the
//! newsroom's people and rules, transfer, shared limits, the webhook's outbox), each implemented for both
//! stores in a file of the same name under `db/` and `pg/`; [`Store`] is all of them.
//!
//! The interface is synchronous: handlers call it inside `spawn_blocking`. SQLite is
//! synchronous anyway; the PostgreSQL store drives its async driver and pool on a
//! runtime of its own.

use crate::db::{
    Db, Decisions, ImportError, Imported, Moved, NewRow, OpenError, Order, ReadError, Replay, Stored, WriteError,
};
use crate::db::{OpenReports, Reported};
use reader_comments_core::{Comment, Status};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// A thread's comments as their authors and readers change them: posting (with the
/// idempotency record), finding, recommending, editing and deleting.
pub trait Conversation {
    /// The schema version the store is at.
    fn schema_version(&self) -> Result<usize, ReadError>;
    /// How many comments a thread holds, pending ones included.
    fn count(&self, thread: &str) -> Result<usize, ReadError>;
    /// The earlier result of a post with this idempotency key, if any.
    fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError>;
    /// The keyed hash stored for a reader key: the raw key never reaches the store.
    fn reader_hash(&self, reader_key: &str) -> String;
    /// Stores a comment or reply, and its idempotency record, in one transaction.
    fn insert_row(&self, new: &NewRow<'_>) -> Result<Comment, WriteError>;
    /// A comment of `thread` by id, deleted ones included.
    fn find(&self, thread: &str, id: i64) -> Result<Option<Stored>, ReadError>;
    /// Records (`on`) or takes back a reader's recommend; the count after it and
    /// whether the reader now recommends the comment.
    fn recommend(&self, id: i64, reader: &str, on: bool, now_ms: i64) -> Result<(u64, bool), WriteError>;
    /// Replaces a comment's text and status, marking it edited at `now_ms`.
    fn edit(&self, id: i64, body: &str, status: Status, now_ms: i64) -> Result<(), WriteError>;
    /// Replaces the hash of a comment's edit token.
    fn set_token(&self, id: i64, token_hash: &str) -> Result<(), WriteError>;
    /// Deletes a comment (one with replies keeps its place, emptied); false if none.
    fn remove(&self, id: i64, now_ms: i64) -> Result<bool, WriteError>;
}

/// A thread's pages, as readers read them.
pub trait Reading {
    /// One page of a thread's top-level comments in `order`, and the next cursor.
    fn list_top(&self, thread: &str, order: Order, limit: usize) -> Result<(Vec<Comment>, Option<String>), ReadError>;
    /// Replies under the top-level comment `root`, oldest first, after the id `after`.
    fn replies(&self, root: i64, after: i64, limit: usize) -> Result<Vec<Comment>, ReadError>;
    /// The first `first` replies under each of `roots`, and how many each has in all.
    fn replies_of_page(&self, roots: &[i64], first: usize) -> Result<HashMap<i64, (Vec<Comment>, usize)>, ReadError>;
    /// Which of `ids` the reader with this hash recommends.
    fn recommended_by(&self, reader: &str, ids: &[i64]) -> Result<HashSet<i64>, ReadError>;
}

/// What moderators act on: the queue, closed threads, readers' reports, the thread list
/// and the search of published comments.
pub trait Moderation: Conversation {
    /// At most `limit` comments waiting for moderation (in `thread`, or in any), newest
    /// first, with their threads.
    fn pending(&self, thread: Option<&str>, limit: usize) -> Result<Vec<(String, Comment)>, ReadError>;
    /// How many comments wait for moderation (in `thread`, or in all).
    fn pending_count(&self, thread: Option<&str>) -> Result<u64, ReadError>;
    /// The comments with these ids (deleted ones included), by id: the comments held
    /// replies answer, in one look-up for the whole queue.
    fn comments_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, Comment>, ReadError>;
    /// Publishes a pending comment; false if there is no such pending comment.
    fn approve(&self, id: i64) -> Result<bool, WriteError>;
    /// Deletes a comment for a moderator (as its author would); false if there is none.
    fn delete(&self, id: i64) -> Result<bool, WriteError> {
        self.remove(id, crate::comments::now_ms())
    }
    /// Whether a newsroom closed the thread (no new comments).
    fn is_closed(&self, thread: &str) -> Result<bool, ReadError>;
    /// Closes a thread or opens it again.
    fn set_closed(&self, thread: &str, closed: bool, now_ms: i64) -> Result<(), WriteError>;
    /// Records a reader's report of comment `id` (one per reader hash); once `threshold`
    /// readers have reported it since a moderator last approved it, a published comment
    /// waits for moderation again.
    fn report(&self, id: i64, reader: &str, reason: &str, threshold: u32, now_ms: i64) -> Result<Reported, WriteError>;
    /// Whether a moderator has published a comment posted with this reader hash (or it
    /// was published at once): then the reader is no longer new (`--moderation first`).
    fn known_reader(&self, reader: &str) -> Result<bool, ReadError>;
    /// Which of `ids` were posted by a reader no comment of whom is published (or
    /// without a reader key): those a reader's first comment rule holds.
    fn first_comments(&self, ids: &[i64]) -> Result<HashSet<i64>, ReadError>;
    /// The reports on each of `ids` no moderator has seen yet: (reason, readers).
    fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError>;
    /// The threads with comments, the most recently commented first (at most 500): key,
    /// published comments, comments waiting, whether closed.
    fn threads_overview(&self) -> Result<Vec<(String, i64, i64, bool)>, ReadError>;
    /// Published comments whose text, author and thread contain these (any may be
    /// empty), newest first, at most `limit`: (thread, comment).
    fn search(&self, text: &str, author: &str, thread: &str, limit: usize)
        -> Result<Vec<(String, Comment)>, ReadError>;
}

/// The newsroom's people and rules: moderators and their sessions, the audit log,
/// blocked words and bans.
pub trait Newsroom {
    /// Adds a moderator, or replaces their password's Argon2id hash.
    fn set_moderator(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<(), WriteError>;
    /// A moderator's password hash, if there is such a moderator.
    fn moderator_hash(&self, name: &str) -> Result<Option<String>, ReadError>;
    /// Stores a session: the hash of its cookie's token, whose it is, its CSRF token.
    fn open_session(&self, token_hash: &str, moderator: &str, csrf: &str, expires_at: i64) -> Result<(), WriteError>;
    /// The moderator and CSRF token of a session that has not expired.
    fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(String, String)>, ReadError>;
    /// Ends one session (`Some`), or every session of a moderator (`None`).
    fn close_sessions(&self, token_hash: Option<&str>, moderator: &str) -> Result<(), WriteError>;
    /// Records what a moderator did, for the audit log.
    fn record(&self, moderator: &str, action: &str, target: &str, now_ms: i64) -> Result<(), WriteError>;
    /// The newest `limit` entries of the audit log: (time, moderator, action, target).
    fn audit_log(&self, limit: usize) -> Result<Vec<(i64, String, String, String)>, ReadError>;
    /// The blocked words and phrases, as the moderators wrote them.
    fn blocked_words(&self) -> Result<Vec<String>, ReadError>;
    /// Blocks a word or phrase, or stops blocking it.
    fn set_blocked(&self, phrase: &str, blocked: bool, now_ms: i64) -> Result<(), WriteError>;
    /// Bans the address that posted comment `id` until `until`; false when not known.
    fn ban_author_of(&self, id: i64, until: i64, moderator: &str) -> Result<bool, WriteError>;
    /// Whether any of these client hashes is banned now.
    fn banned(&self, hashes: &[String], now_ms: i64) -> Result<bool, ReadError>;
    /// The bans in force: (client hash, until, by whom).
    fn bans(&self, now_ms: i64) -> Result<Vec<(String, i64, String)>, ReadError>;
    /// Lifts a ban; false if there was none.
    fn lift_ban(&self, hash: &str) -> Result<bool, WriteError>;
}

/// The whole store copied, exported and imported.
pub trait Transfer {
    /// Copies the whole store to the file `dest` (SQLite only).
    fn backup_to(&self, dest: &Path) -> Result<usize, String>;
    /// Every comment, held ones included, in id order.
    fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String>;
    /// The threads closed and the words and phrases blocked.
    fn decisions(&self) -> Result<Decisions, String>;
    /// Writes comments from elsewhere, and the threads closed and phrases blocked there,
    /// in one transaction, never twice.
    fn import(&self, rows: &[Moved], decisions: &Decisions) -> Result<Imported, ImportError>;
}

/// Rate limits that every instance shares (PostgreSQL); a store that shares none (SQLite:
/// one instance's memory is the whole truth) keeps the defaults.
pub trait SharedLimits {
    /// Counts one request in `bucket` against a limit every instance shares (GCRA: one
    /// request per `interval_ms`, up to `burst` at once): `Ok(None)` allowed, `Ok(Some(s))`
    /// refused for `s` more seconds. `None` when the store shares no limits (SQLite: one
    /// instance's memory is the whole truth), and the instance counts on its own.
    fn charge_shared(
        &self,
        _bucket: &str,
        _interval_ms: i64,
        _burst: i64,
        _now_ms: i64,
    ) -> Option<Result<Option<u64>, WriteError>> {
        None
    }
    /// Forgets shared limits whose allowance is whole again.
    fn prune_shared(&self, _now_ms: i64) {}
    /// How many clients the shared limits remember (`None`: none are shared).
    fn shared_clients(&self) -> Option<usize> {
        None
    }
}

/// The webhook's notifications waiting to be delivered (webhook.rs), kept in the store so
/// that one is not lost when its instance stops, and delivered once by any instance.
pub trait Outbox {
    /// Adds an event, due now, unless `bound` events already wait (then false).
    fn outbox_add(&self, event: &str, now_ms: i64, bound: usize) -> Result<bool, WriteError>;
    /// Takes the oldest event due at `now_ms` for this instance until `lease_until` (no
    /// other instance takes it meanwhile): its id, text and the attempts made so far.
    fn outbox_claim(&self, now_ms: i64, lease_until: i64) -> Result<Option<(i64, String, u32)>, WriteError>;
    /// After an attempt: the event is tried again at `retry_at`, or (`None`) it is done.
    fn outbox_settle(&self, id: i64, retry_at: Option<i64>) -> Result<(), WriteError>;
}

/// A store of threads and comments: everything the handlers and commands ask of one.
pub trait Store:
    Conversation + Reading + Moderation + Newsroom + Transfer + SharedLimits + Outbox + Send + Sync
{
}

impl<T: Conversation + Reading + Moderation + Newsroom + Transfer + SharedLimits + Outbox + Send + Sync> Store for T {}

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(db: &Path) -> bool {
    db.to_str().is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// Opens the store `--db` names, bringing its schema up to date.
pub fn open(db: &Path) -> Result<Arc<dyn Store>, OpenError> {
    if is_postgres(db) {
        let url = db.to_str().unwrap_or_default().to_string();
        return Ok(Arc::new(crate::pg::Postgres::open(&url)?));
    }
    Ok(Arc::new(Db::open(db)?))
}
