//! The schema: one ordered list of migrations for both engines, each moving the store's
//! schema version one up, run when a store opens. SQLite keeps the version in
//! `PRAGMA user_version`, PostgreSQL in the table `reader_comments_schema`. A store
//! written by a newer server is refused, never touched. Never edit a shipped migration.
//!
//! A migration is one text for both engines, the few type names that differ written as
//! `{id}` (an auto-numbered key), `{int}` (a 64-bit integer), `{blob}`, `{bool}`,
//! `{false}` and `{without_rowid}` ([`Migration::text`] spells them); one that changes
//! constraints, which SQLite can only do by rebuilding a table, has a text for each.
//!
//! Until this list, PostgreSQL had its own numbering (1 to 9: its first migration held
//! SQLite's first three, its second the shared rate limits). A PostgreSQL store at one of
//! those versions is read as the version of this list it matches ([`from_postgres`]);
//! from 11 on, every store is at the same number, which a server older than this list
//! refuses as newer.

use super::sql::Dialect;

/// One step of the schema.
pub struct Migration {
    /// The statements, with `{…}` type names, for both engines, or for SQLite alone
    /// when `postgres` is given.
    sql: &'static str,
    /// PostgreSQL's statements, when they differ beyond type names.
    postgres: Option<&'static str>,
}

impl Migration {
    const fn both(sql: &'static str) -> Migration {
        Migration { sql, postgres: None }
    }

    /// The statements as `dialect` reads them.
    pub fn text(&self, dialect: Dialect) -> String {
        let (sql, words) = match dialect {
            Dialect::Sqlite => (
                self.sql,
                [
                    ("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT"),
                    ("{int}", "INTEGER"),
                    ("{blob}", "BLOB"),
                    ("{bool}", "INTEGER"),
                    ("{false}", "0"),
                    ("{without_rowid}", " WITHOUT ROWID"),
                ],
            ),
            Dialect::Postgres => (
                self.postgres.unwrap_or(self.sql),
                [
                    ("{id}", "BIGSERIAL PRIMARY KEY"),
                    ("{int}", "BIGINT"),
                    ("{blob}", "BYTEA"),
                    ("{bool}", "BOOLEAN"),
                    ("{false}", "FALSE"),
                    ("{without_rowid}", ""),
                ],
            ),
        };
        words.iter().fold(sql.to_string(), |text, (name, word)| text.replace(name, word))
    }
}

/// Every migration, in order; the store's schema version is how many have run.
pub const MIGRATIONS: &[Migration] = &[
    // 1: comments and the idempotency keys of the posts that created them.
    Migration::both(
        "CREATE TABLE comments (
             id {id},
             thread TEXT NOT NULL,
             author TEXT NOT NULL,
             body TEXT NOT NULL,
             created_at {int} NOT NULL,
             status TEXT NOT NULL CHECK (status IN ('published', 'pending'))
         );
         CREATE INDEX comments_by_thread ON comments (thread, status, id);
         CREATE TABLE idempotency (
             thread TEXT NOT NULL,
             key TEXT NOT NULL,
             fingerprint TEXT NOT NULL,
             comment_id {int} NOT NULL REFERENCES comments (id),
             created_at {int} NOT NULL,
             PRIMARY KEY (thread, key)
         );",
    ),
    // 2: contract v1.1. Replies (the comment answered, and the top-level comment a reply
    // sits under), recommends (one per reader key's keyed hash, and their count for
    // sorting), edits, deletions that keep a comment's place for its replies, the hash
    // of each comment's edit token, and the secret that keys the readers' hashes (made
    // when the store opens).
    Migration::both(
        "ALTER TABLE comments ADD COLUMN parent_id {int} REFERENCES comments (id);
         ALTER TABLE comments ADD COLUMN root_id {int} REFERENCES comments (id);
         ALTER TABLE comments ADD COLUMN recommends {int} NOT NULL DEFAULT 0;
         ALTER TABLE comments ADD COLUMN edited_at {int};
         ALTER TABLE comments ADD COLUMN deleted_at {int};
         ALTER TABLE comments ADD COLUMN edit_token_hash TEXT;
         CREATE INDEX comments_by_root ON comments (root_id, id);
         CREATE INDEX comments_by_parent ON comments (parent_id);
         CREATE INDEX comments_top ON comments (thread, recommends, id);
         CREATE TABLE recommends (
             comment_id {int} NOT NULL REFERENCES comments (id),
             reader TEXT NOT NULL,
             created_at {int} NOT NULL,
             PRIMARY KEY (comment_id, reader)
         ){without_rowid};
         CREATE TABLE secrets (name TEXT PRIMARY KEY, value {blob} NOT NULL);",
    ),
    // 3: imports (docs/deploy.md) find a comment already stored by its thread and time.
    Migration::both("CREATE INDEX comments_by_time ON comments (thread, created_at);"),
    // 4: threads a newsroom closed (no new comments; contract v1.1 `closed`).
    Migration::both("CREATE TABLE threads (key TEXT PRIMARY KEY, closed_at {int});"),
    // 5: the newsroom's moderators (Argon2id hashes), their sessions (hashes of the
    // cookie's token) and the audit log of what they did.
    Migration::both(
        "CREATE TABLE moderators (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at {int} NOT NULL);
         CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, moderator TEXT NOT NULL REFERENCES moderators (name),
                                csrf TEXT NOT NULL, expires_at {int} NOT NULL);
         CREATE TABLE audit (id {id}, at {int} NOT NULL, moderator TEXT NOT NULL,
                             action TEXT NOT NULL, target TEXT NOT NULL);",
    ),
    // 6: blocked words and phrases: a comment with one waits for a moderator.
    Migration::both("CREATE TABLE blocked_words (phrase TEXT PRIMARY KEY, added_at {int} NOT NULL);"),
    // 7: bans by a keyed, rotating hash of the client's address (rules/bans.rs; never the
    // address), kept with each new comment so that its author can be banned.
    Migration::both(
        "ALTER TABLE comments ADD COLUMN client_hash TEXT;
         CREATE TABLE bans (client_hash TEXT PRIMARY KEY, until {int} NOT NULL, by_moderator TEXT NOT NULL);",
    ),
    // 8: readers' reports, one per reader key's keyed hash and comment; `reviewed` once a
    // moderator approved the comment after them (only newer reports count again).
    Migration::both(
        "CREATE TABLE reports (
             comment_id {int} NOT NULL REFERENCES comments (id),
             reader TEXT NOT NULL,
             reason TEXT NOT NULL,
             created_at {int} NOT NULL,
             reviewed {bool} NOT NULL DEFAULT {false},
             PRIMARY KEY (comment_id, reader)
         ){without_rowid};",
    ),
    // 9: the keyed hash of the reader key a comment was posted with (when the widget
    // sent one), so that `--moderation first` knows a reader's first comment.
    Migration::both(
        "ALTER TABLE comments ADD COLUMN reader_hash TEXT;
         CREATE INDEX comments_by_reader ON comments (reader_hash) WHERE reader_hash IS NOT NULL;",
    ),
    // 10: the webhook's notifications waiting to be delivered (run/webhook.rs): each due
    // at `due_at` (a retry's time, or the end of an instance's claim on it).
    Migration::both(
        "CREATE TABLE outbox (
             id {id},
             event TEXT NOT NULL,
             attempts INTEGER NOT NULL DEFAULT 0,
             due_at {int} NOT NULL
         );
         CREATE INDEX outbox_due ON outbox (due_at, id);",
    ),
    // 11: what goes with a comment when it goes is the schema's business: its idempotency
    // record, recommends, reports and waiting webhook event are deleted with it (ON DELETE
    // CASCADE; SQLite rebuilds the three tables to change their keys). The rate limits
    // every instance shares, in every store (PostgreSQL had them from its own second
    // migration; SQLite keeps none in it).
    Migration {
        sql: "CREATE TABLE IF NOT EXISTS rate_limits (bucket TEXT PRIMARY KEY, tat INTEGER NOT NULL);
              CREATE TABLE idempotency_next (
                  thread TEXT NOT NULL,
                  key TEXT NOT NULL,
                  fingerprint TEXT NOT NULL,
                  comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
                  created_at INTEGER NOT NULL,
                  PRIMARY KEY (thread, key)
              );
              INSERT INTO idempotency_next SELECT thread, key, fingerprint, comment_id, created_at FROM idempotency;
              DROP TABLE idempotency;
              ALTER TABLE idempotency_next RENAME TO idempotency;
              CREATE TABLE recommends_next (
                  comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
                  reader TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  PRIMARY KEY (comment_id, reader)
              ) WITHOUT ROWID;
              INSERT INTO recommends_next SELECT comment_id, reader, created_at FROM recommends;
              DROP TABLE recommends;
              ALTER TABLE recommends_next RENAME TO recommends;
              CREATE TABLE reports_next (
                  comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
                  reader TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  reviewed INTEGER NOT NULL DEFAULT 0,
                  PRIMARY KEY (comment_id, reader)
              ) WITHOUT ROWID;
              INSERT INTO reports_next SELECT comment_id, reader, reason, created_at, reviewed FROM reports;
              DROP TABLE reports;
              ALTER TABLE reports_next RENAME TO reports;
              CREATE INDEX idempotency_by_comment ON idempotency (comment_id);
              ALTER TABLE outbox ADD COLUMN comment_id INTEGER REFERENCES comments (id) ON DELETE CASCADE;
              CREATE INDEX outbox_by_comment ON outbox (comment_id) WHERE comment_id IS NOT NULL;",
        postgres: Some(
            "CREATE TABLE IF NOT EXISTS rate_limits (bucket TEXT PRIMARY KEY, tat BIGINT NOT NULL);
             ALTER TABLE idempotency DROP CONSTRAINT idempotency_comment_id_fkey,
                 ADD CONSTRAINT idempotency_comment_id_fkey FOREIGN KEY (comment_id)
                     REFERENCES comments (id) ON DELETE CASCADE;
             ALTER TABLE recommends DROP CONSTRAINT recommends_comment_id_fkey,
                 ADD CONSTRAINT recommends_comment_id_fkey FOREIGN KEY (comment_id)
                     REFERENCES comments (id) ON DELETE CASCADE;
             ALTER TABLE reports DROP CONSTRAINT reports_comment_id_fkey,
                 ADD CONSTRAINT reports_comment_id_fkey FOREIGN KEY (comment_id)
                     REFERENCES comments (id) ON DELETE CASCADE;
             CREATE INDEX idempotency_by_comment ON idempotency (comment_id);
             ALTER TABLE outbox ADD COLUMN comment_id BIGINT REFERENCES comments (id) ON DELETE CASCADE;
             CREATE INDEX outbox_by_comment ON outbox (comment_id) WHERE comment_id IS NOT NULL;",
        ),
    },
    // 12: a comment's version, one up with each edit, so that a moderator's decision
    // applies to the text they read (issue 20).
    Migration::both("ALTER TABLE comments ADD COLUMN version {int} NOT NULL DEFAULT 1;"),
    // 13: why a comment waits, in moderators' words, recorded when it was held (so the
    // queue says so after the rule changed).
    Migration::both("ALTER TABLE comments ADD COLUMN held_for TEXT;"),
    // 14: the keyed hash of the client a report came from (rules/bans.rs), so that a
    // comment counts one report per client, whatever reader keys it sends.
    Migration::both(
        "ALTER TABLE reports ADD COLUMN client TEXT;
         CREATE UNIQUE INDEX reports_once_per_client ON reports (comment_id, client) WHERE client IS NOT NULL;",
    ),
    // 15: a thread's version, which moves with every change to its comments or to
    // whether it is closed, kept by triggers (so every writer moves it: this server,
    // another instance, the command line, a hand-written statement); the page cache
    // (run/pages.rs) serves a page only while its thread's version is the one it was
    // rendered at. SQLite (one writer at a time) counts in the thread's row. PostgreSQL
    // writes in parallel, and a row every comment's transaction updated would make the
    // posts of one thread wait for each other's commits: there a change adds a row to
    // `thread_changes`, and the version is the thread's row's count plus those rows
    // (each commit adds at least one, whatever order transactions commit in; the
    // rows are folded into the count now and then: Store::fold_thread_changes). A
    // thread without a row is at 0; a new row starts at 1.
    Migration {
        sql: "ALTER TABLE threads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
              INSERT INTO threads (key) SELECT DISTINCT thread FROM comments WHERE true ON CONFLICT (key) DO NOTHING;
              CREATE TRIGGER comment_added AFTER INSERT ON comments BEGIN
                  INSERT INTO threads (key) VALUES (NEW.thread) ON CONFLICT (key) DO UPDATE SET version = version + 1;
              END;
              CREATE TRIGGER comment_changed AFTER UPDATE ON comments BEGIN
                  INSERT INTO threads (key) VALUES (NEW.thread) ON CONFLICT (key) DO UPDATE SET version = version + 1;
                  UPDATE threads SET version = version + 1 WHERE key = OLD.thread AND OLD.thread <> NEW.thread;
              END;
              CREATE TRIGGER comment_removed AFTER DELETE ON comments BEGIN
                  UPDATE threads SET version = version + 1 WHERE key = OLD.thread;
              END;
              CREATE TRIGGER thread_closed AFTER UPDATE OF closed_at ON threads BEGIN
                  UPDATE threads SET version = version + 1 WHERE key = NEW.key;
              END;",
        postgres: Some(
            "ALTER TABLE threads ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
             CREATE TABLE thread_changes (thread TEXT NOT NULL);
             CREATE INDEX thread_changes_by_thread ON thread_changes (thread);
             CREATE FUNCTION reader_comments_comment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF TG_OP <> 'DELETE' THEN
                     INSERT INTO thread_changes (thread) VALUES (NEW.thread);
                 END IF;
                 IF TG_OP = 'DELETE' OR OLD.thread <> NEW.thread THEN
                     INSERT INTO thread_changes (thread) VALUES (OLD.thread);
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE TRIGGER comment_changed AFTER INSERT OR UPDATE OR DELETE ON comments
                 FOR EACH ROW EXECUTE FUNCTION reader_comments_comment_changed();
             CREATE FUNCTION reader_comments_thread_closed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 NEW.version := OLD.version + 1;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER thread_closed BEFORE UPDATE OF closed_at ON threads
                 FOR EACH ROW EXECUTE FUNCTION reader_comments_thread_closed();",
        ),
    },
    // 16: what became of a rejected comment, for its author (contract v1.2, own status)
    // and for a moderator's Restore: the comment leaves `comments` (so no list, count,
    // report or search can see it) and its row waits here with the moderator's reason.
    // A commenter's history (by the keyed hash of their address, as bans are), each
    // thread's article (its headline and address, as the widget sent them), the comments
    // the newsroom features and the replies its staff wrote, the comment that led to a
    // ban, and what moderators decided about a commenter (always hold, trust; a note).
    Migration::both(
        "CREATE TABLE rejected (
             comment_id {int} PRIMARY KEY,
             thread TEXT NOT NULL,
             parent_id {int},
             root_id {int},
             author TEXT NOT NULL,
             body TEXT NOT NULL,
             created_at {int} NOT NULL,
             edited_at {int},
             edit_token_hash TEXT,
             client_hash TEXT,
             reader_hash TEXT,
             held_for TEXT,
             reason TEXT NOT NULL,
             reason_text TEXT,
             note TEXT,
             moderator TEXT NOT NULL,
             rejected_at {int} NOT NULL
         );
         CREATE INDEX rejected_by_time ON rejected (rejected_at);
         CREATE INDEX rejected_by_client ON rejected (client_hash);
         CREATE INDEX comments_by_client ON comments (client_hash);
         ALTER TABLE threads ADD COLUMN title TEXT;
         ALTER TABLE threads ADD COLUMN url TEXT;
         ALTER TABLE comments ADD COLUMN featured_at {int};
         ALTER TABLE comments ADD COLUMN staff {bool} NOT NULL DEFAULT {false};
         CREATE INDEX comments_featured ON comments (thread, featured_at) WHERE featured_at IS NOT NULL;
         ALTER TABLE bans ADD COLUMN comment_id {int};
         CREATE TABLE commenters (client_hash TEXT PRIMARY KEY, standing TEXT, note TEXT,
                                  by_moderator TEXT NOT NULL, at {int} NOT NULL);",
    ),
    // 17: readers signed in with the site's own accounts (issue 23): the account a
    // comment was posted from (the token's `sub`), kept when it is rejected (a comment
    // with one is listed as `verified`), and an account's suspension or ban, with the
    // reason its owner is told.
    Migration::both(
        "ALTER TABLE comments ADD COLUMN account TEXT;
         ALTER TABLE rejected ADD COLUMN account TEXT;
         CREATE INDEX comments_by_account ON comments (account) WHERE account IS NOT NULL;
         CREATE INDEX rejected_by_account ON rejected (account) WHERE account IS NOT NULL;
         CREATE TABLE account_bars (account TEXT PRIMARY KEY, until {int}, reason TEXT NOT NULL,
                                    by_moderator TEXT NOT NULL, at {int} NOT NULL);",
    ),
    // 18: e-mail for signed-in readers who asked (issue 23): their address (only theirs,
    // removed on unsubscribe), when their next mail may go (at most one per interval;
    // also an instance's lease while it sends), and what waits to be told (a reply to
    // them, a moderator's decision), written with the change that causes it.
    Migration::both(
        "CREATE TABLE subscribers (account TEXT PRIMARY KEY, email TEXT NOT NULL, since {int} NOT NULL,
                                   due_at {int} NOT NULL DEFAULT 0);
         CREATE TABLE mail_events (id {id}, account TEXT NOT NULL REFERENCES subscribers (account) ON DELETE CASCADE,
                                   kind TEXT NOT NULL, thread TEXT NOT NULL, comment_id {int} NOT NULL,
                                   author TEXT NOT NULL, body TEXT NOT NULL, reason TEXT, at {int} NOT NULL);
         CREATE INDEX mail_events_by_account ON mail_events (account, id);",
    ),
    // 19: pages answered from memory without asking the store (issue 26, store/watch.rs).
    // On PostgreSQL every change to a thread (its comments, whether it is closed, its
    // row made: a thread without one is at version 0) is also announced (`pg_notify` on the
    // channel `reader_comments`, sent at commit), and each instance that keeps pages
    // holds a lease here, renewed over the connection that hears the announcements; a
    // write is acknowledged once every instance holding a lease has heard it. SQLite
    // keeps the table (one schema for both) and never uses it: its change mark is local.
    Migration {
        sql: "CREATE TABLE reader_comments_instances (id TEXT PRIMARY KEY, until INTEGER NOT NULL);",
        postgres: Some(
            "CREATE TABLE reader_comments_instances (id TEXT PRIMARY KEY, until TIMESTAMPTZ NOT NULL);
             CREATE OR REPLACE FUNCTION reader_comments_comment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF TG_OP <> 'DELETE' THEN
                     INSERT INTO thread_changes (thread) VALUES (NEW.thread);
                     PERFORM pg_notify('reader_comments', 't ' || NEW.thread);
                 END IF;
                 IF TG_OP = 'DELETE' OR OLD.thread <> NEW.thread THEN
                     INSERT INTO thread_changes (thread) VALUES (OLD.thread);
                     PERFORM pg_notify('reader_comments', 't ' || OLD.thread);
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE OR REPLACE FUNCTION reader_comments_thread_closed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 NEW.version := OLD.version + 1;
                 PERFORM pg_notify('reader_comments', 't ' || NEW.key);
                 RETURN NEW;
             END $$;
             CREATE FUNCTION reader_comments_thread_added() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('reader_comments', 't ' || NEW.key);
                 RETURN NULL;
             END $$;
             CREATE TRIGGER thread_added AFTER INSERT ON threads
                 FOR EACH ROW EXECUTE FUNCTION reader_comments_thread_added();",
        ),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The last version PostgreSQL numbered on its own (before this list).
const LAST_OWN_POSTGRES: usize = 9;

/// The version of this list that a PostgreSQL store's recorded version stands for: its
/// own numbering up to 9 (its 1 held this list's 1 to 3; its 2, the rate limits, is
/// made again by 11 if missing; its n ≥ 2 is this list's n + 1), this list's from 11.
pub fn from_postgres(recorded: usize) -> usize {
    match recorded {
        0 => 0,
        1 => 3,
        n if n <= LAST_OWN_POSTGRES => n + 1,
        n => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_own_versions_map_onto_the_one_list_and_newer_ones_stay() {
        let mapped: Vec<usize> = (0..=9).map(from_postgres).collect();
        assert_eq!(mapped, [0, 3, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(from_postgres(11), 11);
        assert_eq!(from_postgres(SCHEMA_VERSION + 1), SCHEMA_VERSION + 1, "a newer store stays newer");
        const { assert!(SCHEMA_VERSION > LAST_OWN_POSTGRES + 1, "no version of the list is one PostgreSQL had") };
    }

    #[test]
    fn type_names_are_spelt_for_each_engine_and_nothing_is_left_in_braces() {
        for (n, migration) in MIGRATIONS.iter().enumerate() {
            for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                let text = migration.text(dialect);
                assert!(!text.contains('{'), "migration {} for {dialect:?}: {text}", n + 1);
            }
        }
        assert!(MIGRATIONS[0].text(Dialect::Postgres).contains("id BIGSERIAL PRIMARY KEY"));
        assert!(MIGRATIONS[0].text(Dialect::Sqlite).contains("id INTEGER PRIMARY KEY AUTOINCREMENT"));
    }
}
