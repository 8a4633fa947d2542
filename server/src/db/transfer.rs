//! Whole-file operations: SQLite's online backup of the file, every comment read out in
//! id order with the threads closed and the phrases blocked, and comments written in
//! from another store (an export, another system), each import in one transaction and
//! never twice.

use super::{connect, Db, ReadError, WriteError};
use crate::store::Transfer;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// A comment as it leaves or enters the store, with what only the server sees beyond
/// the contract's members. Ids are the source's: an import maps them to its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Its thread.
    pub thread: String,
    /// Its id in the source.
    pub id: String,
    /// The id (in the source) of the comment it answers.
    pub parent: Option<String>,
    /// The name (empty once deleted).
    pub author: String,
    /// The text (empty once deleted).
    pub body: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// "published", "pending" or "deleted" (a deleted comment kept for its replies).
    pub status: String,
    /// When it was last edited.
    pub edited_at: Option<i64>,
    /// How many recommends it has.
    pub recommends: i64,
}

/// What a newsroom decided that moves with its comments: the threads it closed and the
/// words and phrases it blocked, each with when (milliseconds since the epoch).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    /// Closed threads: (key, when closed).
    pub closed: Vec<(String, i64)>,
    /// Blocked words and phrases, as the moderators wrote them: (phrase, when added).
    pub blocked: Vec<(String, i64)>,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Comments added.
    pub added: usize,
    /// Comments already in the store (the same thread, time, name, text and parent).
    pub present: usize,
    /// Threads closed by the import (not those closed already).
    pub closed: usize,
    /// Phrases blocked by the import (not those blocked already).
    pub blocked: usize,
}

/// Why an import was refused (nothing was written).
#[derive(Debug)]
pub enum ImportError {
    /// A reply whose parent is not before it in the input.
    Orphan { id: String, parent: String },
    /// The store could not take it.
    Store(WriteError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Orphan { id, parent } => {
                write!(f, "comment {id} answers {parent}, which is not before it in the input")
            }
            ImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

/// Refuses rows in which a reply comes before the comment it answers (or answers one
/// that is not there): every store's import needs each parent first.
pub fn check_order(rows: &[Moved]) -> Result<(), ImportError> {
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        if let Some(parent) = row.parent.as_ref().filter(|p| !seen.contains(&(row.thread.as_str(), p.as_str()))) {
            return Err(ImportError::Orphan { id: row.id.clone(), parent: parent.clone() });
        }
        seen.insert((row.thread.as_str(), row.id.as_str()));
    }
    Ok(())
}

impl Transfer for Db {
    /// Copies the whole file to `dest` (which must not exist) with SQLite's online
    /// backup, a few pages at a time so that posting goes on meanwhile; checks the copy
    /// and returns how many comments it holds.
    fn backup_to(&self, dest: &Path) -> Result<usize, String> {
        if dest.exists() {
            return Err(format!("{} exists; a backup never overwrites a file", dest.display()));
        }
        let source = connect(&self.path).map_err(|e| e.to_string())?;
        let mut copy =
            rusqlite::Connection::open(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut copy).map_err(|e| e.to_string())?;
            backup.run_to_completion(256, Duration::from_millis(5), None).map_err(|e| e.to_string())?;
        }
        if let Some(damage) = super::schema::damage(&copy).map_err(|e| e.to_string())? {
            return Err(format!("the copy does not check out: {damage}"));
        }
        copy.query_row("SELECT COUNT(*) FROM comments", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| e.to_string())
    }

    /// Every comment, held ones included, in id order (a reply after its parent).
    fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String> {
        let read = self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT thread, id, parent_id, author, body, created_at, status, deleted_at, edited_at, recommends
                 FROM comments ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| {
                let deleted = r.get::<_, Option<i64>>(7)?.is_some();
                Ok(Moved {
                    thread: r.get(0)?,
                    id: r.get::<_, i64>(1)?.to_string(),
                    parent: r.get::<_, Option<i64>>(2)?.map(|p| p.to_string()),
                    author: r.get(3)?,
                    body: r.get(4)?,
                    created_at: r.get(5)?,
                    status: if deleted { "deleted".to_string() } else { r.get(6)? },
                    edited_at: r.get(8)?,
                    recommends: r.get(9)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<Moved>>>()
        });
        let rows = read.map_err(|e: ReadError| e.to_string())?;
        let count = rows.len();
        for row in rows {
            each(row).map_err(|e| e.to_string())?;
        }
        Ok(count)
    }

    /// The threads closed and the phrases blocked, in key order.
    fn decisions(&self) -> Result<Decisions, String> {
        let read = self.read(|conn| {
            let pairs = |sql: &str| -> rusqlite::Result<Vec<(String, i64)>> {
                let mut stmt = conn.prepare(sql)?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect()
            };
            Ok(Decisions {
                closed: pairs("SELECT key, closed_at FROM threads WHERE closed_at IS NOT NULL ORDER BY key")?,
                blocked: pairs("SELECT phrase, added_at FROM blocked_words ORDER BY phrase")?,
            })
        });
        read.map_err(|e: ReadError| e.to_string())
    }

    /// Writes `rows` (each reply after the comment it answers) and the `decisions` in one
    /// transaction. A comment already stored (same thread, time, name, text and parent)
    /// is not stored again, so importing the same input twice adds nothing; a thread is
    /// only ever closed by an import, never opened.
    fn import(&self, rows: &[Moved], decisions: &Decisions) -> Result<Imported, ImportError> {
        check_order(rows)?;
        self.write(|conn| {
            let tx = conn.transaction()?;
            let mut local: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
            let mut report = Imported::default();
            for row in rows {
                // Every parent was checked to come first.
                let parent = row.parent.as_ref().and_then(|p| local.get(&(row.thread.as_str(), p.as_str())).copied());
                let parent_id = parent.map(|(id, _)| id);
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM comments WHERE thread = ?1 AND created_at = ?2 AND author = ?3 AND body = ?4
                         AND parent_id IS ?5",
                        params![row.thread, row.created_at, row.author, row.body, parent_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let id = match existing {
                    Some(id) => {
                        report.present += 1;
                        id
                    }
                    None => {
                        let deleted = row.status == "deleted";
                        let status = if row.status == "pending" { "pending" } else { "published" };
                        tx.execute(
                            "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                                                   recommends, edited_at, deleted_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                            params![
                                row.thread,
                                row.author,
                                row.body,
                                row.created_at,
                                status,
                                parent_id,
                                parent.map(|(_, root)| root),
                                row.recommends.max(0),
                                row.edited_at,
                                deleted.then_some(row.created_at),
                            ],
                        )?;
                        report.added += 1;
                        tx.last_insert_rowid()
                    }
                };
                let root = parent.map_or(id, |(_, root)| root);
                local.insert((row.thread.as_str(), row.id.as_str()), (id, root));
            }
            for (key, at) in &decisions.closed {
                report.closed += tx.execute(
                    "INSERT INTO threads (key, closed_at) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET closed_at = excluded.closed_at WHERE threads.closed_at IS NULL",
                    params![key, at],
                )?;
            }
            for (phrase, at) in &decisions.blocked {
                report.blocked += tx.execute(
                    "INSERT OR IGNORE INTO blocked_words (phrase, added_at) VALUES (?1, ?2)",
                    params![phrase, at],
                )?;
            }
            tx.commit()?;
            Ok(report)
        })
        .map_err(ImportError::Store)
    }
}
