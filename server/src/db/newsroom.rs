//! The newsroom's side of the store: moderators (Argon2id hashes of their passwords),
//! their sessions (hashes of the cookie's token, with the CSRF token of each), and the
//! audit log of what they did.

use super::{Db, ReadError, WriteError};
use crate::store::Newsroom;
use rusqlite::{params, OptionalExtension};

impl Newsroom for Db {
    /// Adds a moderator, or replaces their password's hash.
    fn set_moderator(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<(), WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO moderators (name, password_hash, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                params![name, password_hash, now_ms],
            )
        })
        .map(|_| ())
    }

    /// A moderator's password hash, if there is such a moderator.
    fn moderator_hash(&self, name: &str) -> Result<Option<String>, ReadError> {
        self.read(|c| {
            c.query_row("SELECT password_hash FROM moderators WHERE name = ?1", [name], |r| r.get(0)).optional()
        })
    }

    /// Stores a session.
    fn open_session(&self, token_hash: &str, moderator: &str, csrf: &str, expires_at: i64) -> Result<(), WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO sessions (token_hash, moderator, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, moderator, csrf, expires_at],
            )
        })
        .map(|_| ())
    }

    /// The moderator and CSRF token of a session that has not expired.
    fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(String, String)>, ReadError> {
        self.read(|c| {
            c.query_row(
                "SELECT moderator, csrf FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                params![token_hash, now_ms],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
    }

    /// Ends one session (`Some`), or every session of a moderator (`None`).
    fn close_sessions(&self, token_hash: Option<&str>, moderator: &str) -> Result<(), WriteError> {
        self.write(|c| match token_hash {
            Some(hash) => c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash]),
            None => c.execute("DELETE FROM sessions WHERE moderator = ?1", [moderator]),
        })
        .map(|_| ())
    }

    /// Records what a moderator did.
    fn record(&self, moderator: &str, action: &str, target: &str, now_ms: i64) -> Result<(), WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO audit (at, moderator, action, target) VALUES (?1, ?2, ?3, ?4)",
                params![now_ms, moderator, action, target],
            )
        })
        .map(|_| ())
    }

    /// The newest `limit` entries of the audit log.
    fn audit_log(&self, limit: usize) -> Result<Vec<(i64, String, String, String)>, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT at, moderator, action, target FROM audit ORDER BY id DESC LIMIT ?1")?;
            let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect()
        })
    }

    /// The blocked words and phrases.
    fn blocked_words(&self) -> Result<Vec<String>, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT phrase FROM blocked_words ORDER BY phrase")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// Blocks a word or phrase, or stops blocking it.
    fn set_blocked(&self, phrase: &str, blocked: bool, now_ms: i64) -> Result<(), WriteError> {
        self.write(|c| {
            if blocked {
                c.execute(
                    "INSERT OR IGNORE INTO blocked_words (phrase, added_at) VALUES (?1, ?2)",
                    params![phrase, now_ms],
                )
            } else {
                c.execute("DELETE FROM blocked_words WHERE phrase = ?1", [phrase])
            }
        })
        .map(|_| ())
    }

    /// Bans the address that posted comment `id` until `until`; false when its address
    /// is not known (a comment from before bans, or imported).
    fn ban_author_of(&self, id: i64, until: i64, moderator: &str) -> Result<bool, WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO bans (client_hash, until, by_moderator)
                 SELECT client_hash, ?2, ?3 FROM comments WHERE id = ?1 AND client_hash IS NOT NULL
                 ON CONFLICT (client_hash) DO UPDATE SET until = MAX(until, excluded.until), by_moderator = excluded.by_moderator",
                params![id, until, moderator],
            )
        })
        .map(|n| n == 1)
    }

    /// Whether any of these client hashes is banned now.
    fn banned(&self, hashes: &[String], now_ms: i64) -> Result<bool, ReadError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT 1 FROM bans WHERE client_hash = ?1 AND until > ?2")?;
            for hash in hashes {
                if stmt.exists(params![hash, now_ms])? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// The bans in force: (hash, until, by whom).
    fn bans(&self, now_ms: i64) -> Result<Vec<(String, i64, String)>, ReadError> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT client_hash, until, by_moderator FROM bans WHERE until > ?1 ORDER BY until")?;
            let rows = stmt.query_map([now_ms], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })
    }

    /// Lifts a ban; false if there was none.
    fn lift_ban(&self, hash: &str) -> Result<bool, WriteError> {
        self.write(|c| c.execute("DELETE FROM bans WHERE client_hash = ?1", [hash])).map(|n| n == 1)
    }
}
