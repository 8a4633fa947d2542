//! The PostgreSQL schema: versioned migrations, run at start under an advisory lock.

/// Each migration moves `reader_comments_schema.version` one up; never edit a shipped one.
pub const MIGRATIONS: &[&str] = &[
    // 1: everything SQLite's schema 3 holds.
    "CREATE TABLE comments (
         id BIGSERIAL PRIMARY KEY,
         thread TEXT NOT NULL,
         author TEXT NOT NULL,
         body TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('published', 'pending')),
         parent_id BIGINT REFERENCES comments (id),
         root_id BIGINT REFERENCES comments (id),
         recommends BIGINT NOT NULL DEFAULT 0,
         edited_at BIGINT,
         deleted_at BIGINT,
         edit_token_hash TEXT
     );
     CREATE INDEX comments_by_thread ON comments (thread, status, id);
     CREATE INDEX comments_by_root ON comments (root_id, id);
     CREATE INDEX comments_by_parent ON comments (parent_id);
     CREATE INDEX comments_top ON comments (thread, recommends, id);
     CREATE INDEX comments_by_time ON comments (thread, created_at);
     CREATE TABLE idempotency (
         thread TEXT NOT NULL,
         key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         created_at BIGINT NOT NULL,
         PRIMARY KEY (thread, key)
     );
     CREATE TABLE recommends (
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         PRIMARY KEY (comment_id, reader)
     );
     CREATE TABLE secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL);",
    // 2: rate limits every instance shares: a keyed hash of the client's address (never
    // the address) and its GCRA "theoretical arrival time", kept only while it matters.
    "CREATE TABLE rate_limits (bucket TEXT PRIMARY KEY, tat BIGINT NOT NULL);",
    // 3: threads a newsroom closed (no new comments; contract v1.1 `closed`).
    "CREATE TABLE threads (key TEXT PRIMARY KEY, closed_at BIGINT);",
    // 4: the newsroom's moderators, their sessions and the audit log (as SQLite's 5).
    "CREATE TABLE moderators (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);
     CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, moderator TEXT NOT NULL REFERENCES moderators (name),
                            csrf TEXT NOT NULL, expires_at BIGINT NOT NULL);
     CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, moderator TEXT NOT NULL,
                         action TEXT NOT NULL, target TEXT NOT NULL);",
    // 5: blocked words and phrases (as SQLite's 6).
    "CREATE TABLE blocked_words (phrase TEXT PRIMARY KEY, added_at BIGINT NOT NULL);",
    // 6: bans by a keyed, rotating hash of the client's address (as SQLite's 7).
    "ALTER TABLE comments ADD COLUMN client_hash TEXT;
     CREATE TABLE bans (client_hash TEXT PRIMARY KEY, until BIGINT NOT NULL, by_moderator TEXT NOT NULL);",
    // 7: readers' reports (as SQLite's 8).
    "CREATE TABLE reports (
         comment_id BIGINT NOT NULL REFERENCES comments (id),
         reader TEXT NOT NULL,
         reason TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         reviewed BOOLEAN NOT NULL DEFAULT FALSE,
         PRIMARY KEY (comment_id, reader)
     );",
    // 8: the keyed hash of the reader key a comment was posted with (as SQLite's 9).
    "ALTER TABLE comments ADD COLUMN reader_hash TEXT;
     CREATE INDEX comments_by_reader ON comments (reader_hash) WHERE reader_hash IS NOT NULL;",
    // 9: the webhook's notifications waiting to be delivered (as SQLite's 10).
    "CREATE TABLE outbox (
         id BIGSERIAL PRIMARY KEY,
         event TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         due_at BIGINT NOT NULL
     );
     CREATE INDEX outbox_due ON outbox (due_at, id);",
];

/// The schema version this build writes in PostgreSQL.
pub const PG_SCHEMA_VERSION: usize = MIGRATIONS.len();
