//! The newsroom's people and rules in the store: moderators (Argon2id hashes of their
//! passwords), their sessions (hashes of the cookie's token, with the CSRF token of
//! each), the audit log, blocked words and phrases, and bans.

use super::error::{ReadError, WriteError};
use super::handle::Store;
use super::model::{Article, AuditEntry, Ban, Recalled, Session};
use super::sql::params;
use std::collections::HashMap;

/// Blocks phrase `?1` from `?2` (one already blocked stays as it is).
pub(super) const BLOCK_PHRASE: &str =
    "INSERT INTO blocked_words (phrase, added_at) VALUES (?1, ?2) ON CONFLICT (phrase) DO NOTHING";

/// Bans the address that posted comment `?1` until `?2`, by moderator `?3` (a longer
/// ban in force stays); changes no row when the comment's address is not known.
pub(super) const BAN_AUTHOR: &str = "INSERT INTO bans (client_hash, until, by_moderator, comment_id)
     SELECT client_hash, ?2, ?3, id FROM comments WHERE id = ?1 AND client_hash IS NOT NULL
     ON CONFLICT (client_hash) DO UPDATE SET
         until = CASE WHEN bans.until > excluded.until THEN bans.until ELSE excluded.until END,
         by_moderator = excluded.by_moderator, comment_id = excluded.comment_id";

impl Store {
    /// Adds a moderator, or replaces their password's hash.
    pub fn set_moderator(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<(), WriteError> {
        self.write_one(
            "INSERT INTO moderators (name, password_hash, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            params![name, password_hash, now_ms],
        )
        .map(|_| ())
    }

    /// A moderator's password hash, if there is such a moderator.
    pub fn moderator_hash(&self, name: &str) -> Result<Option<String>, ReadError> {
        self.read(|c| c.first("SELECT password_hash FROM moderators WHERE name = ?1", params![name], |r| r.text(0)))
    }

    /// Stores a session: the hash of its cookie's token, whose it is, its CSRF token.
    pub fn open_session(
        &self,
        token_hash: &str,
        moderator: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), WriteError> {
        self.write_one(
            "INSERT INTO sessions (token_hash, moderator, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, moderator, csrf, expires_at],
        )
        .map(|_| ())
    }

    /// The session with this token's hash, if it has not expired.
    pub fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<Session>, ReadError> {
        self.read(|c| {
            let sql = "SELECT moderator, csrf FROM sessions WHERE token_hash = ?1 AND expires_at > ?2";
            c.first(sql, params![token_hash, now_ms], |r| Ok(Session { moderator: r.text(0)?, csrf: r.text(1)? }))
        })
    }

    /// Ends one session (`Some`), or every session of a moderator (`None`).
    pub fn close_sessions(&self, token_hash: Option<&str>, moderator: &str) -> Result<(), WriteError> {
        match token_hash {
            Some(hash) => self.write_one("DELETE FROM sessions WHERE token_hash = ?1", params![hash]),
            None => self.write_one("DELETE FROM sessions WHERE moderator = ?1", params![moderator]),
        }
        .map(|_| ())
    }

    /// Records what a moderator did, for the audit log.
    pub fn record(&self, moderator: &str, action: &str, target: &str, now_ms: i64) -> Result<(), WriteError> {
        self.write_one(
            "INSERT INTO audit (at, moderator, action, target) VALUES (?1, ?2, ?3, ?4)",
            params![now_ms, moderator, action, target],
        )
        .map(|_| ())
    }

    /// The newest `limit` entries of the audit log, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, ReadError> {
        self.read(|c| {
            let sql = "SELECT at, moderator, action, target FROM audit ORDER BY id DESC LIMIT ?1";
            c.rows(sql, params![limit as i64], |r| {
                Ok(AuditEntry { at: r.int(0)?, moderator: r.text(1)?, action: r.text(2)?, target: r.text(3)? })
            })
        })
    }

    /// The blocked words and phrases, as the moderators wrote them.
    pub fn blocked_words(&self) -> Result<Vec<String>, ReadError> {
        self.read(|c| c.rows("SELECT phrase FROM blocked_words ORDER BY phrase", &[], |r| r.text(0)))
    }

    /// Blocks a word or phrase, or stops blocking it.
    pub fn set_blocked(&self, phrase: &str, blocked: bool, now_ms: i64) -> Result<(), WriteError> {
        if blocked {
            self.write_one(BLOCK_PHRASE, params![phrase, now_ms])
        } else {
            self.write_one("DELETE FROM blocked_words WHERE phrase = ?1", params![phrase])
        }
        .map(|_| ())
    }

    /// Bans the address that posted comment `id` until `until` (a longer ban in force
    /// stays); false when its address is not known (a comment from before bans, or
    /// imported).
    pub fn ban_author_of(&self, id: i64, until: i64, moderator: &str) -> Result<bool, WriteError> {
        self.write_one(BAN_AUTHOR, params![id, until, moderator]).map(|n| n == 1)
    }

    /// Whether any of these client hashes is banned now.
    pub fn banned(&self, hashes: &[String], now_ms: i64) -> Result<bool, ReadError> {
        if hashes.is_empty() {
            return Ok(false);
        }
        let sql = "SELECT 1 FROM bans WHERE until > ?1 AND client_hash = ANY(?2)";
        self.read(|c| c.exists(sql, params![now_ms, hashes]))
    }

    /// The bans in force, the first to end first.
    pub fn bans(&self, now_ms: i64) -> Result<Vec<Ban>, ReadError> {
        self.read(|c| {
            let sql = "SELECT client_hash, until, by_moderator, comment_id FROM bans WHERE until > ?1 ORDER BY until";
            c.rows(sql, params![now_ms], |r| {
                Ok(Ban { client_hash: r.text(0)?, until: r.int(1)?, by: r.text(2)?, comment: r.opt_int(3)? })
            })
        })
    }

    /// Lifts a ban; false if there was none.
    pub fn lift_ban(&self, hash: &str) -> Result<bool, WriteError> {
        self.write_one("DELETE FROM bans WHERE client_hash = ?1", params![hash]).map(|n| n == 1)
    }

    /// The article of `thread` as last recorded: its headline and address.
    pub fn article(&self, thread: &str) -> Result<Option<Article>, ReadError> {
        let sql = "SELECT title, url FROM threads WHERE key = ?1";
        let found = self.read(|c| c.first(sql, params![thread], |r| Ok((r.opt_text(0)?, r.opt_text(1)?))))?;
        Ok(found.map(|(title, url)| Article { title, url }).filter(|a| a.title.is_some() || a.url.is_some()))
    }

    /// Records the article of `thread` (written only when it differs from what is
    /// recorded, so that posts do not queue behind each other's row lock).
    pub fn set_article(&self, thread: &str, article: &Article) -> Result<(), WriteError> {
        if self.article(thread).ok().flatten().as_ref() == Some(article) {
            return Ok(());
        }
        self.write_one(
            "INSERT INTO threads (key, title, url) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET title = excluded.title, url = excluded.url",
            params![thread, article.title.as_deref(), article.url.as_deref()],
        )?;
        Ok(())
    }

    /// The articles of these threads, by key (those recorded).
    pub fn articles(&self, threads: &[String]) -> Result<HashMap<String, Article>, ReadError> {
        if threads.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = "SELECT key, title, url FROM threads WHERE key = ANY(?1) AND (title IS NOT NULL OR url IS NOT NULL)";
        let rows = self.read(|c| {
            c.rows(sql, params![threads], |r| Ok((r.text(0)?, Article { title: r.opt_text(1)?, url: r.opt_text(2)? })))
        })?;
        Ok(rows.into_iter().collect())
    }

    /// What a moderator needs to recognise each of these comments, wherever it is now (in
    /// its thread, or rejected): its thread, author and text, and the rejection's reason
    /// code for a rejected one. A comment deleted since is left out.
    pub fn recall(&self, ids: &[i64]) -> Result<HashMap<i64, Recalled>, ReadError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = "SELECT id, thread, author, body, NULL FROM comments WHERE id = ANY(?1)
                   UNION ALL SELECT comment_id, thread, author, body, COALESCE(reason_text, reason) FROM rejected
                   WHERE comment_id = ANY(?1)";
        let rows = self.read(|c| {
            c.rows(sql, params![ids], |r| {
                let recalled =
                    Recalled { thread: r.text(1)?, author: r.text(2)?, body: r.text(3)?, rejected_for: r.opt_text(4)? };
                Ok((r.int(0)?, recalled))
            })
        })?;
        Ok(rows.into_iter().collect())
    }
}
