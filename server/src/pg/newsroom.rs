//! The newsroom's people and rules in PostgreSQL: moderators and their sessions, the
//! audit log, blocked words and bans.

use super::Postgres;
use crate::db::{ReadError, WriteError};
use crate::store::Newsroom;

impl Newsroom for Postgres {
    fn set_moderator(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO moderators (name, password_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET password_hash = $2",
            params![name.to_string(), password_hash.to_string(), now_ms],
        )?;
        Ok(())
    }

    fn moderator_hash(&self, name: &str) -> Result<Option<String>, ReadError> {
        let sql = "SELECT password_hash FROM moderators WHERE name = $1".to_string();
        Ok(self.rows(sql, params![name.to_string()], |r| r.get::<_, String>(0))?.into_iter().next())
    }

    fn open_session(&self, token_hash: &str, moderator: &str, csrf: &str, expires_at: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO sessions (token_hash, moderator, csrf, expires_at) VALUES ($1, $2, $3, $4)",
            params![token_hash.to_string(), moderator.to_string(), csrf.to_string(), expires_at],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(String, String)>, ReadError> {
        let sql = "SELECT moderator, csrf FROM sessions WHERE token_hash = $1 AND expires_at > $2".to_string();
        let rows = self.rows(sql, params![token_hash.to_string(), now_ms], |r| (r.get(0), r.get(1)))?;
        Ok(rows.into_iter().next())
    }

    fn close_sessions(&self, token_hash: Option<&str>, moderator: &str) -> Result<(), WriteError> {
        match token_hash {
            Some(hash) => self.execute("DELETE FROM sessions WHERE token_hash = $1", params![hash.to_string()])?,
            None => self.execute("DELETE FROM sessions WHERE moderator = $1", params![moderator.to_string()])?,
        };
        Ok(())
    }

    fn record(&self, moderator: &str, action: &str, target: &str, now_ms: i64) -> Result<(), WriteError> {
        self.execute(
            "INSERT INTO audit (at, moderator, action, target) VALUES ($1, $2, $3, $4)",
            params![now_ms, moderator.to_string(), action.to_string(), target.to_string()],
        )?;
        Ok(())
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<(i64, String, String, String)>, ReadError> {
        let sql = "SELECT at, moderator, action, target FROM audit ORDER BY id DESC LIMIT $1".to_string();
        Ok(self.rows(sql, params![limit as i64], |r| (r.get(0), r.get(1), r.get(2), r.get(3)))?)
    }

    fn blocked_words(&self) -> Result<Vec<String>, ReadError> {
        Ok(self.rows("SELECT phrase FROM blocked_words ORDER BY phrase".into(), params![], |r| r.get(0))?)
    }

    fn set_blocked(&self, phrase: &str, blocked: bool, now_ms: i64) -> Result<(), WriteError> {
        if blocked {
            let sql = "INSERT INTO blocked_words (phrase, added_at) VALUES ($1, $2) ON CONFLICT (phrase) DO NOTHING";
            self.execute(sql, params![phrase.to_string(), now_ms])?;
        } else {
            self.execute("DELETE FROM blocked_words WHERE phrase = $1", params![phrase.to_string()])?;
        }
        Ok(())
    }

    fn ban_author_of(&self, id: i64, until: i64, moderator: &str) -> Result<bool, WriteError> {
        let sql = "INSERT INTO bans (client_hash, until, by_moderator)
                   SELECT client_hash, $2, $3 FROM comments WHERE id = $1 AND client_hash IS NOT NULL
                   ON CONFLICT (client_hash) DO UPDATE SET until = GREATEST(bans.until, $2), by_moderator = $3";
        Ok(self.execute(sql, params![id, until, moderator.to_string()])? == 1)
    }

    fn banned(&self, hashes: &[String], now_ms: i64) -> Result<bool, ReadError> {
        let sql = "SELECT 1 FROM bans WHERE client_hash = ANY($1) AND until > $2".to_string();
        Ok(!self.rows(sql, params![hashes.to_vec(), now_ms], |_| ())?.is_empty())
    }

    fn bans(&self, now_ms: i64) -> Result<Vec<(String, i64, String)>, ReadError> {
        let sql = "SELECT client_hash, until, by_moderator FROM bans WHERE until > $1 ORDER BY until".to_string();
        Ok(self.rows(sql, params![now_ms], |r| (r.get(0), r.get(1), r.get(2)))?)
    }

    fn lift_ban(&self, hash: &str) -> Result<bool, WriteError> {
        Ok(self.execute("DELETE FROM bans WHERE client_hash = $1", params![hash.to_string()])? == 1)
    }
}
