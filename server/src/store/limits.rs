//! Rate limits every instance shares, kept in the store when it is shared
//! (PostgreSQL): GCRA in one upsert per request, keyed by a keyed hash of the client's
//! address (never the address). A SQLite store is one instance's: its memory is the
//! whole truth, and the store keeps none.

use super::error::WriteError;
use super::handle::Store;
use super::sql::{params, Dialect};

impl Store {
    /// Whether instances share this store (PostgreSQL), and with it the rate limits.
    pub fn shares_limits(&self) -> bool {
        self.dialect() == Dialect::Postgres
    }

    /// Counts one request in `bucket` against a limit every instance shares (GCRA: one
    /// request per `interval_ms`, up to `burst` at once): `Ok(None)` allowed,
    /// `Ok(Some(s))` refused for `s` more seconds. `None` when the store shares no limits
    /// and the instance counts on its own.
    pub fn charge_shared(
        &self,
        bucket: &str,
        interval_ms: i64,
        burst: i64,
        now_ms: i64,
    ) -> Option<Result<Option<u64>, WriteError>> {
        if !self.shares_limits() {
            return None;
        }
        let bucket = self.keyed_hash("rate", bucket);
        let tolerance = interval_ms * burst;
        Some(self.write_each(|c| {
            // The arrival time this request would set, stored only when within the
            // tolerance: one statement, atomic across instances.
            let stored = c.first(
                "INSERT INTO rate_limits AS r (bucket, tat) VALUES (?1, CAST(?2 AS BIGINT) + CAST(?3 AS BIGINT))
                 ON CONFLICT (bucket) DO UPDATE SET
                     tat = CASE WHEN r.tat > ?2 THEN r.tat ELSE ?2 END + ?3
                 WHERE (CASE WHEN r.tat > ?2 THEN r.tat ELSE ?2 END) + ?3 - ?2 <= ?4
                 RETURNING tat",
                params![&bucket, now_ms, interval_ms, tolerance],
                |_| Ok(()),
            )?;
            if stored.is_some() {
                return Ok(None);
            }
            let tat = c.number("SELECT tat FROM rate_limits WHERE bucket = ?1", params![&bucket])?;
            let wait_ms = (tat.max(now_ms) + interval_ms - tolerance - now_ms).max(1);
            Ok(Some(((wait_ms + 999) / 1000) as u64))
        }))
    }

    /// Forgets shared limits whose allowance is whole again.
    pub fn prune_shared(&self, now_ms: i64) {
        if self.shares_limits() {
            let _ = self.write_one("DELETE FROM rate_limits WHERE tat < ?1", params![now_ms]);
        }
    }

    /// How many clients the shared limits remember (`None`: none are shared).
    pub fn shared_clients(&self) -> Option<usize> {
        if !self.shares_limits() {
            return None;
        }
        self.read(|c| c.number("SELECT COUNT(*) FROM rate_limits", &[])).ok().map(|n| n.max(0) as usize)
    }
}
