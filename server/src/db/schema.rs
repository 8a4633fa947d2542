//! The schema: versioned migrations, each moving `user_version` one up, run at start in
//! a transaction each. A file from a newer server is refused, never touched.

use super::OpenError;
use rusqlite::Connection;

/// Each migration moves the schema one `user_version` up; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: comments and the idempotency keys of the posts that created them.
    "CREATE TABLE comments (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         thread TEXT NOT NULL,
         author TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('published', 'pending'))
     );
     CREATE INDEX comments_by_thread ON comments (thread, status, id);
     CREATE TABLE idempotency (
         thread TEXT NOT NULL,
         key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         comment_id INTEGER NOT NULL REFERENCES comments (id),
         created_at INTEGER NOT NULL,
         PRIMARY KEY (thread, key)
     );",
    // 2: contract v1.1. Replies (the comment answered, and the top-level comment a reply
    // sits under), recommends (one per reader key's keyed hash, and their count for
    // sorting), edits, deletions that keep a comment's place for its replies, the hash
    // of each comment's edit token, and the secret that keys the readers' hashes.
    "ALTER TABLE comments ADD COLUMN parent_id INTEGER REFERENCES comments (id);
     ALTER TABLE comments ADD COLUMN root_id INTEGER REFERENCES comments (id);
     ALTER TABLE comments ADD COLUMN recommends INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE comments ADD COLUMN edited_at INTEGER;
     ALTER TABLE comments ADD COLUMN deleted_at INTEGER;
     ALTER TABLE comments ADD COLUMN edit_token_hash TEXT;
     CREATE INDEX comments_by_root ON comments (root_id, id);
     CREATE INDEX comments_by_parent ON comments (parent_id);
     CREATE INDEX comments_top ON comments (thread, recommends, id);
     CREATE TABLE recommends (
         comment_id INTEGER NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         PRIMARY KEY (comment_id, reader)
     ) WITHOUT ROWID;
     CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
     INSERT INTO secrets (name, value) VALUES ('reader_key', randomblob(32));",
    // 3: imports (docs/deploy.md) find a comment already stored by its thread and time.
    "CREATE INDEX comments_by_time ON comments (thread, created_at);",
    // 4: threads a newsroom closed (no new comments; contract v1.1 `closed`).
    "CREATE TABLE threads (key TEXT PRIMARY KEY, closed_at INTEGER);",
    // 5: the newsroom's moderators (Argon2id hashes), their sessions (hashes of the
    // cookie's token) and the audit log of what they did.
    "CREATE TABLE moderators (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
     CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, moderator TEXT NOT NULL REFERENCES moderators (name),
                            csrf TEXT NOT NULL, expires_at INTEGER NOT NULL);
     CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, moderator TEXT NOT NULL,
                         action TEXT NOT NULL, target TEXT NOT NULL);",
    // 6: blocked words and phrases: a comment with one waits for a moderator.
    "CREATE TABLE blocked_words (phrase TEXT PRIMARY KEY, added_at INTEGER NOT NULL);",
    // 7: bans by a keyed, rotating hash of the client's address (bans.rs; never the
    // address), kept with each new comment so that its author can be banned.
    "ALTER TABLE comments ADD COLUMN client_hash TEXT;
     CREATE TABLE bans (client_hash TEXT PRIMARY KEY, until INTEGER NOT NULL, by_moderator TEXT NOT NULL);",
    // 8: readers' reports, one per reader key's keyed hash and comment; `reviewed` once a
    // moderator approved the comment after them (only newer reports count again).
    "CREATE TABLE reports (
         comment_id INTEGER NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         reason TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         reviewed INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (comment_id, reader)
     ) WITHOUT ROWID;",
    // 9: the keyed hash of the reader key a comment was posted with (when the widget
    // sent one), so that `--moderation first` knows a reader's first comment.
    "ALTER TABLE comments ADD COLUMN reader_hash TEXT;
     CREATE INDEX comments_by_reader ON comments (reader_hash) WHERE reader_hash IS NOT NULL;",
    // 10: the webhook's notifications waiting to be delivered (webhook.rs): each due at
    // `due_at` (a retry's time, or the end of an instance's claim on it).
    "CREATE TABLE outbox (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         event TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         due_at INTEGER NOT NULL
     );
     CREATE INDEX outbox_due ON outbox (due_at, id);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Brings the schema of `conn` up to date.
pub fn migrate(conn: &mut Connection) -> Result<(), OpenError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(OpenError::NewerSchema { found: version, understood: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// SQLite's own check of the file's pages and indexes (`PRAGMA quick_check`): `None`
/// when sound, else the first problems it lists.
pub fn damage(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok((lines != ["ok"]).then(|| lines.join("; ")))
}
