//! Whole-store operations: every comment read out in id order with the threads closed
//! and the phrases blocked, and comments written in from another store (an export,
//! another system), each import in one transaction and never twice. (SQLite's online
//! backup of the file is the engine's: store/sqlite.rs.)

use super::error::{ImportError, ReadError};
use super::handle::Store;
use super::model::{BlockedPhrase, ClosedThread, Decisions, Imported, Moved};
use super::newsroom::BLOCK_PHRASE;
use super::sql::params;
use std::collections::{HashMap, HashSet};

/// Refuses rows in which a reply comes before the comment it answers (or answers one
/// that is not there): an import needs each parent first.
pub fn check_order(rows: &[Moved]) -> Result<(), ImportError> {
    let mut seen = HashSet::new();
    for row in rows {
        if let Some(parent) = row.parent.as_ref().filter(|p| !seen.contains(&(row.thread.as_str(), p.as_str()))) {
            return Err(ImportError::Orphan { id: row.id.clone(), parent: parent.clone() });
        }
        seen.insert((row.thread.as_str(), row.id.as_str()));
    }
    Ok(())
}

impl Store {
    /// Every comment, held ones included, in id order (a reply after its parent), each
    /// handed to `each`; how many there were.
    pub fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String> {
        let read = self.read(|c| {
            c.rows(
                "SELECT thread, id, parent_id, author, body, created_at, status, deleted_at, edited_at, recommends
                 FROM comments ORDER BY id",
                &[],
                |r| {
                    let deleted = r.opt_int(7)?.is_some();
                    Ok(Moved {
                        thread: r.text(0)?,
                        id: r.int(1)?.to_string(),
                        parent: r.opt_int(2)?.map(|p| p.to_string()),
                        author: r.text(3)?,
                        body: r.text(4)?,
                        created_at: r.int(5)?,
                        status: if deleted { "deleted".to_string() } else { r.text(6)? },
                        edited_at: r.opt_int(8)?,
                        recommends: r.int(9)?,
                    })
                },
            )
        });
        let rows = read.map_err(|e: ReadError| e.to_string())?;
        let count = rows.len();
        for row in rows {
            each(row).map_err(|e| e.to_string())?;
        }
        Ok(count)
    }

    /// The threads closed and the phrases blocked, in key order.
    pub fn decisions(&self) -> Result<Decisions, String> {
        let read = self.read(|c| {
            let closed = "SELECT key, closed_at FROM threads WHERE closed_at IS NOT NULL ORDER BY key";
            let blocked = "SELECT phrase, added_at FROM blocked_words ORDER BY phrase";
            Ok(Decisions {
                closed: c.rows(closed, &[], |r| Ok(ClosedThread { key: r.text(0)?, at: r.int(1)? }))?,
                blocked: c.rows(blocked, &[], |r| Ok(BlockedPhrase { phrase: r.text(0)?, at: r.int(1)? }))?,
            })
        });
        read.map_err(|e| e.to_string())
    }

    /// Writes `rows` (each reply after the comment it answers) and the `decisions` in one
    /// transaction. A comment already stored (same thread, time, name, text and parent)
    /// is not stored again, so importing the same input twice adds nothing; a thread is
    /// only ever closed by an import, never opened.
    pub fn import(&self, rows: &[Moved], decisions: &Decisions) -> Result<Imported, ImportError> {
        check_order(rows)?;
        self.write(|c| {
            let mut local: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
            let mut report = Imported::default();
            for row in rows {
                // Every parent was checked to come first.
                let parent = row.parent.as_ref().and_then(|p| local.get(&(row.thread.as_str(), p.as_str())).copied());
                let parent_id = parent.map(|(id, _)| id);
                let existing = c.first(
                    "SELECT id FROM comments WHERE thread = ?1 AND created_at = ?2 AND author = ?3 AND body = ?4
                     AND parent_id IS NOT DISTINCT FROM ?5",
                    params![&row.thread, row.created_at, &row.author, &row.body, parent_id],
                    |r| r.int(0),
                )?;
                let id = match existing {
                    Some(found) => {
                        report.present += 1;
                        found
                    }
                    None => {
                        let deleted = row.status == "deleted";
                        let status = if row.status == "pending" { "pending" } else { "published" };
                        report.added += 1;
                        let added = c.first(
                            "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                                                   recommends, edited_at, deleted_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                            params![
                                &row.thread,
                                &row.author,
                                &row.body,
                                row.created_at,
                                status,
                                parent_id,
                                parent.map(|(_, root)| root),
                                row.recommends.max(0),
                                row.edited_at,
                                deleted.then_some(row.created_at),
                            ],
                            |r| r.int(0),
                        )?;
                        added.unwrap_or(0)
                    }
                };
                let root = parent.map_or(id, |(_, root)| root);
                local.insert((row.thread.as_str(), row.id.as_str()), (id, root));
            }
            for closed in &decisions.closed {
                report.closed += c.execute(
                    "INSERT INTO threads (key, closed_at) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET closed_at = excluded.closed_at WHERE threads.closed_at IS NULL",
                    params![&closed.key, closed.at],
                )? as usize;
            }
            for blocked in &decisions.blocked {
                report.blocked += c.execute(BLOCK_PHRASE, params![&blocked.phrase, blocked.at])? as usize;
            }
            Ok(report)
        })
        .map_err(ImportError::Store)
    }
}
