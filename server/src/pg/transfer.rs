//! The whole PostgreSQL store exported and imported (pg_dump is its backup).

use super::Postgres;
use crate::db::{Decisions, ImportError, Imported, Moved, ReadError};
use crate::store::Transfer;
use std::collections::HashMap;
use std::path::Path;

impl Transfer for Postgres {
    fn backup_to(&self, _dest: &Path) -> Result<usize, String> {
        Err("backup copies a SQLite file; back PostgreSQL up with pg_dump (docs/deploy.md)".into())
    }

    fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String> {
        let sql = "SELECT thread, id, parent_id, author, body, created_at, status, deleted_at, edited_at, recommends
                   FROM comments ORDER BY id"
            .to_string();
        let rows = self
            .rows(sql, params![], |r| Moved {
                thread: r.get(0),
                id: r.get::<_, i64>(1).to_string(),
                parent: r.get::<_, Option<i64>>(2).map(|p| p.to_string()),
                author: r.get(3),
                body: r.get(4),
                created_at: r.get(5),
                status: if r.get::<_, Option<i64>>(7).is_some() { "deleted".into() } else { r.get(6) },
                edited_at: r.get(8),
                recommends: r.get(9),
            })
            .map_err(|f| ReadError::from(f).0)?;
        let count = rows.len();
        for row in rows {
            each(row).map_err(|e| e.to_string())?;
        }
        Ok(count)
    }

    fn decisions(&self) -> Result<Decisions, String> {
        let pairs = |sql: &str| {
            self.rows(sql.to_string(), params![], |r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
                .map_err(|f| ReadError::from(f).0.to_string())
        };
        Ok(Decisions {
            closed: pairs("SELECT key, closed_at FROM threads WHERE closed_at IS NOT NULL ORDER BY key")?,
            blocked: pairs("SELECT phrase, added_at FROM blocked_words ORDER BY phrase")?,
        })
    }

    fn import(&self, rows: &[Moved], decisions: &Decisions) -> Result<Imported, ImportError> {
        crate::db::check_order(rows)?;
        let (pool, rows, decisions) = (self.pool.clone(), rows.to_vec(), decisions.clone());
        self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let mut local: HashMap<(String, String), (i64, i64)> = HashMap::new();
            let mut report = Imported::default();
            for row in &rows {
                let parent = row.parent.as_ref().and_then(|p| local.get(&(row.thread.clone(), p.clone())).copied());
                let parent_id = parent.map(|(id, _)| id);
                let existing = tx
                    .query_opt(
                        "SELECT id FROM comments WHERE thread = $1 AND created_at = $2 AND author = $3 AND body = $4
                         AND parent_id IS NOT DISTINCT FROM $5",
                        &[&row.thread, &row.created_at, &row.author, &row.body, &parent_id],
                    )
                    .await?;
                let id: i64 = match existing {
                    Some(found) => {
                        report.present += 1;
                        found.get(0)
                    }
                    None => {
                        let deleted = row.status == "deleted";
                        let status = if row.status == "pending" { "pending" } else { "published" };
                        report.added += 1;
                        tx.query_one(
                            "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                                                   recommends, edited_at, deleted_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                            &[
                                &row.thread,
                                &row.author,
                                &row.body,
                                &row.created_at,
                                &status,
                                &parent_id,
                                &parent.map(|(_, root)| root),
                                &row.recommends.max(0),
                                &row.edited_at,
                                &deleted.then_some(row.created_at),
                            ],
                        )
                        .await?
                        .get(0)
                    }
                };
                let root = parent.map_or(id, |(_, root)| root);
                local.insert((row.thread.clone(), row.id.clone()), (id, root));
            }
            for (key, at) in &decisions.closed {
                let sql = "INSERT INTO threads (key, closed_at) VALUES ($1, $2)
                           ON CONFLICT (key) DO UPDATE SET closed_at = EXCLUDED.closed_at WHERE threads.closed_at IS NULL";
                report.closed += tx.execute(sql, &[key, at]).await? as usize;
            }
            for (phrase, at) in &decisions.blocked {
                let sql = "INSERT INTO blocked_words (phrase, added_at) VALUES ($1, $2) ON CONFLICT (phrase) DO NOTHING";
                report.blocked += tx.execute(sql, &[phrase, at]).await? as usize;
            }
            tx.commit().await?;
            Ok(report)
        })
        .map_err(|f| ImportError::Store(f.into()))
    }
}
