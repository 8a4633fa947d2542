//! Whole-store operations: every comment read out in id order with the threads closed
//! and the phrases blocked, and comments written in from another store (an export,
//! another system), each import in one transaction and never twice. (SQLite's online
//! backup of the file is the engine's: store/sqlite.rs.)

use super::error::Fault;
use super::error::{ImportError, ReadError};
use super::handle::Store;
use super::model::{BlockedPhrase, ClosedThread, Decisions, Imported, Moved};
use super::newsroom::BLOCK_PHRASE;
use super::sql::{params, Conn, Dialect};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

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

/// How many comments an import writes in one transaction, at most.
pub const BATCH: usize = 500;
/// How long one of an import's transactions writes, at most, before it commits.
pub const BATCH_TIME: Duration = Duration::from_millis(200);

/// Stores one imported comment unless it is there already, under `parent` (its id here
/// and its top-level comment's, for a reply; every parent was checked to come first):
/// its id here, and whether it is new.
fn imported_row(c: &mut dyn Conn, row: &Moved, parent: Option<(i64, i64)>) -> Result<(i64, bool), Fault> {
    let parent_id = parent.map(|(id, _)| id);
    // `+parent_id`: found by thread and time (comments_by_time), never by parent: every
    // top-level comment's parent is NULL, and SQLite, without statistics, would scan them.
    let existing = c.first(
        "SELECT id FROM comments WHERE thread = ?1 AND created_at = ?2 AND author = ?3 AND body = ?4
         AND +parent_id IS NOT DISTINCT FROM ?5",
        params![&row.thread, row.created_at, &row.author, &row.body, parent_id],
        |r| r.int(0),
    )?;
    if let Some(found) = existing {
        return Ok((found, false));
    }
    let deleted = row.status == "deleted";
    let status = if row.status == "pending" { "pending" } else { "published" };
    let added = c.first(
        "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id,
                               recommends, edited_at, deleted_at, featured_at, staff, account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CAST(?12 AS BIGINT) = 1, ?13) RETURNING id",
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
            row.featured_at.filter(|_| !deleted),
            row.staff,
            row.account.as_deref(),
        ],
        |r| r.int(0),
    )?;
    Ok((added.unwrap_or(0), true))
}

impl Store {
    /// Every comment, held ones included, in id order (a reply after its parent), each
    /// handed to `each`; how many there were.
    pub fn each_comment(&self, each: &mut dyn FnMut(Moved) -> std::io::Result<()>) -> Result<usize, String> {
        let read = self.read(|c| {
            c.rows(
                "SELECT thread, id, parent_id, author, body, created_at, status, deleted_at, edited_at, recommends,
                        featured_at, staff, account
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
                        featured_at: r.opt_int(10)?,
                        staff: r.flag(11)?,
                        account: r.opt_text(12)?,
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

    /// Writes `rows` (each reply after the comment it answers) and the `decisions`, in
    /// transactions of at most [`BATCH`] comments and [`BATCH_TIME`] each, so that posting
    /// and reading go on while a large import runs (on SQLite, whose one writer it is, it
    /// pauses after each for as long as it wrote, so that posts waiting get their turn). Everything was
    /// checked before (the caller parsed every line, [`check_order`] the parents), so only
    /// the store itself can fail midway: then the batches before stay, and the same input
    /// imported again adds only the rest. A comment already stored (same thread, time,
    /// name, text and parent) is not stored again, so importing the same input twice adds
    /// nothing; a thread is only ever closed by an import, never opened.
    pub fn import(&self, rows: &[Moved], decisions: &Decisions) -> Result<Imported, ImportError> {
        check_order(rows)?;
        let mut local: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
        let mut report = Imported::default();
        let failed = |report: &Imported, e| ImportError::Stopped { written: report.added, cause: e };
        let mut rest = rows;
        while !rest.is_empty() {
            let started = Instant::now();
            let (fresh, taken, present) = self
                .write(|c| {
                    // This batch's comments, by the source's ids, before they join `local`.
                    let mut fresh: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
                    let (mut taken, mut present) = (0, 0);
                    for row in rest.iter().take(BATCH) {
                        let parent = row.parent.as_ref().and_then(|p| {
                            let key = (row.thread.as_str(), p.as_str());
                            fresh.get(&key).or_else(|| local.get(&key)).copied()
                        });
                        let (id, new) = imported_row(c, row, parent)?;
                        fresh.insert((row.thread.as_str(), row.id.as_str()), (id, parent.map_or(id, |(_, root)| root)));
                        (taken, present) = (taken + 1, present + usize::from(!new));
                        if started.elapsed() >= BATCH_TIME {
                            break;
                        }
                    }
                    Ok((fresh, taken, present))
                })
                .map_err(|e| failed(&report, e))?;
            report.present += present;
            report.added += taken - present;
            local.extend(fresh);
            rest = &rest[taken..];
            // SQLite has one writer: the server's posts, waiting for it, get their turn
            // (half the time: its busy handler looks again every 100 ms at most).
            if self.dialect() == Dialect::Sqlite && !rest.is_empty() {
                std::thread::sleep(started.elapsed().clamp(Duration::from_millis(10), BATCH_TIME));
            }
        }
        let (closed, blocked) = self
            .write(|c| {
                let mut closed = 0;
                for thread in &decisions.closed {
                    closed += c.execute(
                        "INSERT INTO threads (key, closed_at) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET closed_at = excluded.closed_at WHERE threads.closed_at IS NULL",
                        params![&thread.key, thread.at],
                    )? as usize;
                }
                let mut blocked = 0;
                for phrase in &decisions.blocked {
                    blocked += c.execute(BLOCK_PHRASE, params![&phrase.phrase, phrase.at])? as usize;
                }
                Ok((closed, blocked))
            })
            .map_err(|e| failed(&report, e))?;
        (report.closed, report.blocked) = (closed, blocked);
        Ok(report)
    }
}
