//! Rate limits every instance shares through PostgreSQL: GCRA in one upsert per request,
//! keyed by a hash of the client's address (never the address).

use super::Postgres;
use crate::db::{sha256_hex, WriteError};
use crate::store::SharedLimits;

impl SharedLimits for Postgres {
    fn charge_shared(
        &self,
        bucket: &str,
        interval_ms: i64,
        burst: i64,
        now_ms: i64,
    ) -> Option<Result<Option<u64>, WriteError>> {
        let (pool, bucket) =
            (self.pool.clone(), sha256_hex(&[self.reader_secret.as_slice(), b"\0rate\0", bucket.as_bytes()]));
        let tolerance = interval_ms * burst;
        Some(
            self.run(async move {
                let client = pool.get().await?;
                // The arrival time this request would set, stored only when within the
                // tolerance; one statement, atomic across instances.
                let stored = client
                    .query_opt(
                        "INSERT INTO rate_limits AS r (bucket, tat) VALUES ($1, $2::BIGINT + $3::BIGINT)
                         ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(r.tat, $2::BIGINT) + $3::BIGINT
                         WHERE GREATEST(r.tat, $2::BIGINT) + $3::BIGINT - $2::BIGINT <= $4::BIGINT
                         RETURNING tat",
                        &[&bucket, &now_ms, &interval_ms, &tolerance],
                    )
                    .await?;
                if stored.is_some() {
                    return Ok(None);
                }
                let tat: i64 =
                    client.query_one("SELECT tat FROM rate_limits WHERE bucket = $1", &[&bucket]).await?.get(0);
                let wait_ms = (tat.max(now_ms) + interval_ms - tolerance - now_ms).max(1);
                Ok(Some(((wait_ms + 999) / 1000) as u64))
            })
            .map_err(WriteError::from),
        )
    }

    fn prune_shared(&self, now_ms: i64) {
        let _ = self.execute("DELETE FROM rate_limits WHERE tat < $1", params![now_ms]);
    }

    fn shared_clients(&self) -> Option<usize> {
        let rows = self.rows("SELECT COUNT(*) FROM rate_limits".into(), params![], |r| r.get::<_, i64>(0)).ok()?;
        rows.first().map(|n| *n as usize)
    }
}
