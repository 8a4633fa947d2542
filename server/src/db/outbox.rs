//! The webhook's outbox in SQLite: one writer, so a claim is one `UPDATE … RETURNING`.

use super::{Db, WriteError};
use crate::store::Outbox;
use rusqlite::{params, OptionalExtension};

impl Outbox for Db {
    fn outbox_add(&self, event: &str, now_ms: i64, bound: usize) -> Result<bool, WriteError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO outbox (event, due_at) SELECT ?1, ?2 WHERE (SELECT COUNT(*) FROM outbox) < ?3",
                params![event, now_ms, bound as i64],
            )
        })
        .map(|added| added == 1)
    }

    fn outbox_claim(&self, now_ms: i64, lease_until: i64) -> Result<Option<(i64, String, u32)>, WriteError> {
        // An idle instance asks every second: a read first, so that it takes the one
        // writer only when an event is due.
        let due = self.read(|c| {
            c.query_row("SELECT EXISTS (SELECT 1 FROM outbox WHERE due_at <= ?1)", [now_ms], |r| r.get::<_, bool>(0))
        });
        if !due.map_err(|e| WriteError::Unavailable(e.to_string()))? {
            return Ok(None);
        }
        self.write(|c| {
            c.query_row(
                "UPDATE outbox SET due_at = ?2
                 WHERE id = (SELECT id FROM outbox WHERE due_at <= ?1 ORDER BY due_at, id LIMIT 1)
                 RETURNING id, event, attempts",
                params![now_ms, lease_until],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })
    }

    fn outbox_settle(&self, id: i64, retry_at: Option<i64>) -> Result<(), WriteError> {
        self.write(|c| match retry_at {
            Some(at) => {
                c.execute("UPDATE outbox SET attempts = attempts + 1, due_at = ?2 WHERE id = ?1", params![id, at])
            }
            None => c.execute("DELETE FROM outbox WHERE id = ?1", [id]),
        })
        .map(|_| ())
    }
}
