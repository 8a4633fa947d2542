//! The webhook's notifications waiting to be delivered (run/webhook.rs), kept in the
//! store so that none is lost when its instance stops, and delivered once by any
//! instance: an instance claims the oldest event due for a while (`SKIP LOCKED` on
//! PostgreSQL, so two instances never take the same one at the same time). An event is
//! tied to the comment it announces and goes with it.

use super::error::WriteError;
use super::handle::Store;
use super::model::DueEvent;
use super::sql::params;

impl Store {
    /// Adds an event about comment `comment`, due now, unless `bound` events already
    /// wait (then false).
    pub fn outbox_add(&self, event: &str, comment: Option<i64>, now_ms: i64, bound: usize) -> Result<bool, WriteError> {
        self.write_one(
            "INSERT INTO outbox (event, comment_id, due_at) SELECT ?1, ?2, ?3 WHERE (SELECT COUNT(*) FROM outbox) < ?4",
            params![event, comment, now_ms, bound as i64],
        )
        .map(|added| added == 1)
    }

    /// Takes the oldest event due at `now_ms` for this instance until `lease_until` (no
    /// other instance takes it meanwhile).
    pub fn outbox_claim(&self, now_ms: i64, lease_until: i64) -> Result<Option<DueEvent>, WriteError> {
        // An idle instance asks every second: a read first, so that it writes only when
        // an event is due (SQLite's one writer stays free).
        let due = self.read(|c| c.exists("SELECT 1 FROM outbox WHERE due_at <= ?1 LIMIT 1", params![now_ms]));
        if !due.map_err(|e| WriteError::Unavailable(e.cause))? {
            return Ok(None);
        }
        self.write_each(|c| {
            c.first(
                "UPDATE outbox SET due_at = ?2
                 WHERE id = (SELECT id FROM outbox WHERE due_at <= ?1 ORDER BY due_at, id LIMIT 1 /*lock-skip*/)
                 RETURNING id, event, attempts",
                params![now_ms, lease_until],
                |r| Ok(DueEvent { id: r.int(0)?, event: r.text(1)?, attempts: r.int(2)?.max(0) as u32 }),
            )
        })
    }

    /// After an attempt: the event is tried again at `retry_at`, or (`None`) it is done.
    pub fn outbox_settle(&self, id: i64, retry_at: Option<i64>) -> Result<(), WriteError> {
        match retry_at {
            Some(at) => {
                self.write_one("UPDATE outbox SET attempts = attempts + 1, due_at = ?2 WHERE id = ?1", params![id, at])
            }
            None => self.write_one("DELETE FROM outbox WHERE id = ?1", params![id]),
        }
        .map(|_| ())
    }
}
