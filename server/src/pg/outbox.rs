//! The webhook's outbox in PostgreSQL: an instance claims an event with `SKIP LOCKED`,
//! so two instances never deliver the same one at the same time.

use super::Postgres;
use crate::db::WriteError;
use crate::store::Outbox;

impl Outbox for Postgres {
    fn outbox_add(&self, event: &str, now_ms: i64, bound: usize) -> Result<bool, WriteError> {
        let added = self.execute(
            "INSERT INTO outbox (event, due_at) SELECT $1, $2 WHERE (SELECT COUNT(*) FROM outbox) < $3",
            params![event.to_string(), now_ms, bound as i64],
        )?;
        Ok(added == 1)
    }

    fn outbox_claim(&self, now_ms: i64, lease_until: i64) -> Result<Option<(i64, String, u32)>, WriteError> {
        let sql = "UPDATE outbox SET due_at = $2
                   WHERE id = (SELECT id FROM outbox WHERE due_at <= $1 ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                   RETURNING id, event, attempts"
            .to_string();
        let rows = self.rows(sql, params![now_ms, lease_until], |r| {
            (r.get::<_, i64>(0), r.get::<_, String>(1), r.get::<_, i32>(2).max(0) as u32)
        })?;
        Ok(rows.into_iter().next())
    }

    fn outbox_settle(&self, id: i64, retry_at: Option<i64>) -> Result<(), WriteError> {
        match retry_at {
            Some(at) => {
                self.execute("UPDATE outbox SET attempts = attempts + 1, due_at = $2 WHERE id = $1", params![id, at])?
            }
            None => self.execute("DELETE FROM outbox WHERE id = $1", params![id])?,
        };
        Ok(())
    }
}
