//! What moderators act on: the queue, approving, closed threads, readers' reports (one
//! per comment and reader hash; enough of them since a moderator last approved a
//! comment put it back in the queue), a reader's first comment, the thread list and
//! the search of published comments.

use super::conversation::{waiting_as_seen, LOCK_COMMENT};
use super::error::Fault;
use super::error::{ReadError, WriteError};
use super::handle::Store;
use super::model::{
    AccountBar, Article, Ban, Decided, History, InThread, OpenReports, ReasonCount, RejectedComment, ReportBy,
    Reported, Standing, ThreadSummary,
};
use super::rows::{comment_of, AFTER, COLUMNS};
use super::sql::{params, Conn, RowRef};
use reader_comments_core::Comment;
use std::collections::{HashMap, HashSet};

/// `text` as a LIKE pattern that finds it anywhere (its own `%`, `_` and `\` escaped).
pub fn like_pattern(text: &str) -> String {
    let escaped: String =
        text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}

/// The comment of a row whose columns after [`COLUMNS`] are its thread, version and
/// hold's reason.
fn in_thread(row: &dyn RowRef) -> Result<InThread, Fault> {
    Ok(InThread {
        comment: comment_of(row)?,
        thread: row.text(AFTER)?,
        version: row.int(AFTER + 1)?,
        held_for: row.opt_text(AFTER + 2)?,
    })
}

/// The site's account comment `?1` was posted from, when signed in (in its thread, or
/// rejected).
const WHOSE_ACCOUNT: &str = "SELECT account FROM comments WHERE id = ?1 AND account IS NOT NULL
     UNION ALL SELECT account FROM rejected WHERE comment_id = ?1 AND account IS NOT NULL";

/// The history of a commenter: by `account` when signed in, else by the keyed `hash`
/// of their address; `None` when neither is known.
fn history(
    c: &mut dyn Conn,
    account: Option<String>,
    hash: Option<String>,
    limit: i64,
    now_ms: i64,
) -> Result<Option<History>, Fault> {
    let (column, key) = match (&account, &hash) {
        (Some(account), _) => ("account", account),
        (None, Some(hash)) => ("client_hash", hash),
        (None, None) => return Ok(None),
    };
    let comments = format!(
        "SELECT {COLUMNS}, c.thread, c.version, c.held_for,
                (SELECT COUNT(*) FROM reports r WHERE r.comment_id = c.id AND NOT r.reviewed)
         FROM comments c WHERE c.{column} = ?1 ORDER BY c.id DESC LIMIT ?2"
    );
    let rejected = format!(
        "SELECT comment_id, thread, author, body, created_at, COALESCE(reason_text, reason), note,
                moderator, rejected_at
         FROM rejected WHERE {column} = ?1 ORDER BY rejected_at DESC LIMIT ?2"
    );
    let comments = c.rows(&comments, params![key, limit], |r| Ok((in_thread(r)?, r.int(AFTER + 3)?)))?;
    let rejected = c.rows(&rejected, params![key, limit], rejected_row)?;
    let bar = account.as_deref().map(|a| account_bar(c, a)).transpose()?.flatten();
    let account = account.map(|a| (a, bar));
    let Some(hash) = hash else {
        return Ok(Some(History { comments, rejected, ban: None, standing: Standing::default(), account }));
    };
    let ban = c.first(
        "SELECT client_hash, until, by_moderator FROM bans WHERE client_hash = ?1 AND until > ?2",
        params![&hash, now_ms],
        |r| Ok(Ban { client_hash: r.text(0)?, until: r.int(1)?, by: r.text(2)?, comment: None }),
    )?;
    let standing = c
        .first(STANDING, params![&hash], |r| {
            let by = match (r.opt_text(2)?, r.opt_int(3)?) {
                (Some(who), Some(at)) => Some((who, at)),
                _ => None,
            };
            Ok(Standing { standing: r.opt_text(0)?, note: r.opt_text(1)?, by })
        })?
        .unwrap_or_default();
    Ok(Some(History { comments, rejected, ban, standing, account }))
}

/// The recorded suspension or ban of an account, ended or not.
fn account_bar(c: &mut dyn Conn, account: &str) -> Result<Option<AccountBar>, Fault> {
    c.first("SELECT until, reason, by_moderator, at FROM account_bars WHERE account = ?1", params![account], |r| {
        Ok(AccountBar { until: r.opt_int(0)?, reason: r.text(1)?, by: r.text(2)?, at: r.int(3)? })
    })
}

/// The keyed hash of the address comment `?1` was written from (in its thread, or
/// rejected).
const WHOSE: &str = "SELECT client_hash FROM comments WHERE id = ?1 AND client_hash IS NOT NULL
     UNION ALL SELECT client_hash FROM rejected WHERE comment_id = ?1 AND client_hash IS NOT NULL";

/// What moderators decided about commenter `?1`: standing, note, by, at.
const STANDING: &str = "SELECT standing, note, by_moderator, at FROM commenters WHERE client_hash = ?1";

/// A rejected comment from a row of `comment_id, thread, author, body, created_at,
/// reason, note, moderator, rejected_at`.
fn rejected_row(row: &dyn RowRef) -> Result<RejectedComment, Fault> {
    let comment = Comment {
        id: row.int(0)?.to_string(),
        author: row.text(2)?,
        body: row.text(3)?,
        created_at: Some(row.int(4)?),
        status: reader_comments_core::Status::Pending,
        ..Comment::default()
    };
    Ok(RejectedComment {
        thread: row.text(1)?,
        comment,
        reason: row.text(5)?,
        note: row.opt_text(6)?,
        moderator: row.text(7)?,
        at: row.int(8)?,
    })
}

/// Marks the open reports on comment `?1` seen by a moderator: only newer ones count
/// again.
const REPORTS_SEEN: &str = "UPDATE reports SET reviewed = TRUE WHERE comment_id = ?1 AND NOT reviewed";

impl Store {
    /// At most `limit` comments waiting for moderation (in `thread`, or in any), newest
    /// first, with their threads.
    pub fn pending(&self, thread: Option<&str>, limit: usize) -> Result<Vec<InThread>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread, c.version, c.held_for FROM comments c WHERE c.status = 'pending' AND c.deleted_at IS NULL
             AND (CAST(?2 AS TEXT) IS NULL OR c.thread = ?2) ORDER BY c.id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|c| c.rows(&sql, params![limit, thread], in_thread))
    }

    /// How many comments wait for moderation (in `thread`, or in all).
    pub fn pending_count(&self, thread: Option<&str>) -> Result<u64, ReadError> {
        let sql = "SELECT COUNT(*) FROM comments WHERE status = 'pending' AND deleted_at IS NULL
                   AND (CAST(?1 AS TEXT) IS NULL OR thread = ?1)";
        Ok(self.read(|c| c.number(sql, params![thread]))?.max(0) as u64)
    }

    /// The comments with these ids (deleted ones included), by id: the comments held
    /// replies answer, in one look-up for the whole queue.
    pub fn comments_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, Comment>, ReadError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT {COLUMNS} FROM comments c WHERE c.id = ANY(?1)");
        let found = self.read(|c| c.rows(&sql, params![ids], comment_of))?;
        Ok(found.into_iter().filter_map(|c| Some((c.id.parse().ok()?, c))).collect())
    }

    /// The rejected comments, the latest rejection first (at most `limit`).
    pub fn rejected(&self, limit: usize) -> Result<Vec<RejectedComment>, ReadError> {
        let sql = "SELECT comment_id, thread, author, body, created_at, COALESCE(reason_text, reason), note, moderator,
                          rejected_at
                   FROM rejected ORDER BY rejected_at DESC, comment_id DESC LIMIT ?1";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|c| c.rows(sql, params![limit], rejected_row))
    }

    /// The history of whoever wrote comment `id` (in the thread or rejected): by the
    /// site's account it was posted from, when signed in (across threads and addresses,
    /// with the account's suspension or ban), else by the keyed hash of the address:
    /// `None` when neither is known (an imported comment, or one from before bans). At
    /// most `limit` of each kind.
    pub fn history_of(&self, id: i64, limit: usize, now_ms: i64) -> Result<Option<History>, ReadError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|c| {
            let account = c.first(WHOSE_ACCOUNT, params![id], |r| r.text(0))?;
            let hash = c.first(WHOSE, params![id], |r| r.text(0))?;
            history(c, account, hash, limit, now_ms)
        })
    }

    /// Everything kept about a signed-in reader's account: all its comments (with the
    /// threads), its rejected ones, its suspension or ban (`account export`).
    pub fn account_history(&self, account: &str, now_ms: i64) -> Result<History, ReadError> {
        self.read(|c| {
            let found = history(c, Some(account.to_string()), None, i64::MAX, now_ms)?;
            Ok(found.unwrap_or_else(|| History {
                comments: Vec::new(),
                rejected: Vec::new(),
                ban: None,
                standing: Standing::default(),
                account: Some((account.to_string(), None)),
            }))
        })
    }

    /// Removes what is kept about a signed-in reader's account (`account delete`): its
    /// comments (a comment that replies hang on stays as a "deleted" placeholder, with
    /// nothing of theirs in it), its rejected ones, its suspension or ban, its e-mail
    /// address and what waited to be sent to it. How many of
    /// its comments there were.
    pub fn delete_account(&self, account: &str, now_ms: i64) -> Result<usize, WriteError> {
        self.write(|c| {
            let ids =
                c.rows("SELECT id FROM comments WHERE account = ?1 ORDER BY id DESC", params![account], |r| r.int(0))?;
            for id in &ids {
                if c.exists(LOCK_COMMENT, params![*id])? {
                    super::conversation::removed(c, *id, now_ms)?;
                }
            }
            c.execute(
                "UPDATE comments SET account = NULL, client_hash = NULL, reader_hash = NULL, author = '', body = '',
                     edit_token_hash = NULL
                 WHERE account = ?1",
                params![account],
            )?;
            let rejected = c.execute("DELETE FROM rejected WHERE account = ?1", params![account])?;
            c.execute("DELETE FROM account_bars WHERE account = ?1", params![account])?;
            c.execute("DELETE FROM mail_events WHERE account = ?1", params![account])?;
            c.execute("DELETE FROM subscribers WHERE account = ?1", params![account])?;
            Ok(ids.len() + rejected as usize)
        })
    }

    /// The suspension or ban of `account` in force at `now_ms`, if any.
    pub fn account_bar(&self, account: &str, now_ms: i64) -> Result<Option<AccountBar>, ReadError> {
        self.read(|c| Ok(account_bar(c, account)?.filter(|bar| bar.until.is_none_or(|until| until > now_ms))))
    }

    /// Suspends `account` (until a time), bans it (`until` `None`), or lifts either
    /// (`bar` `None`).
    pub fn set_account_bar(&self, account: &str, bar: Option<&AccountBar>) -> Result<(), WriteError> {
        match bar {
            None => self.write_one("DELETE FROM account_bars WHERE account = ?1", params![account]),
            Some(AccountBar { until, reason, by, at }) => self.write_one(
                "INSERT INTO account_bars (account, until, reason, by_moderator, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (account) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                     by_moderator = excluded.by_moderator, at = excluded.at",
                params![account, *until, reason, by, *at],
            ),
        }
        .map(|_| ())
    }

    /// Undoes an approval: the published comment waits again (`Gone` when it is not
    /// published any more).
    pub fn unapprove(&self, id: i64) -> Result<Decided, WriteError> {
        let sql =
            "UPDATE comments SET status = 'pending' WHERE id = ?1 AND status = 'published' AND deleted_at IS NULL";
        Ok(match self.write_one(sql, params![id])? {
            0 => Decided::Gone,
            _ => Decided::Done,
        })
    }

    /// Features a published comment (`on`) or stops featuring it: `Gone` when it is not
    /// published.
    pub fn feature(&self, id: i64, on: bool, now_ms: i64) -> Result<Decided, WriteError> {
        let sql =
            "UPDATE comments SET featured_at = CASE WHEN CAST(?2 AS BIGINT) = 1 THEN CAST(?3 AS BIGINT) ELSE NULL END
                   WHERE id = ?1 AND status = 'published' AND deleted_at IS NULL";
        Ok(match self.write_one(sql, params![id, on, now_ms])? {
            0 => Decided::Gone,
            _ => Decided::Done,
        })
    }

    /// Records what moderators decided about whoever wrote comment `id` (in the thread
    /// or rejected): false when their address is not known.
    pub fn set_standing_of(&self, id: i64, standing: &Standing, now_ms: i64) -> Result<bool, WriteError> {
        let by = standing.by.as_ref().map(|(who, _)| who.as_str()).unwrap_or("");
        self.write(|c| {
            let Some(hash) = c.first(WHOSE, params![id], |r| r.text(0))? else { return Ok(false) };
            c.execute(
                "INSERT INTO commenters (client_hash, standing, note, by_moderator, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (client_hash) DO UPDATE SET standing = excluded.standing, note = excluded.note,
                     by_moderator = excluded.by_moderator, at = excluded.at",
                params![&hash, standing.standing.as_deref(), standing.note.as_deref(), by, now_ms],
            )?;
            Ok(true)
        })
    }

    /// Whether moderators hold (`Some(false)`) or trust (`Some(true)`) this commenter,
    /// trusting too one with at least `trust_after` published comments.
    pub fn trusted(&self, client: &str, trust_after: Option<u32>) -> Result<Option<bool>, ReadError> {
        self.read(|c| {
            let decided =
                c.first("SELECT standing FROM commenters WHERE client_hash = ?1", params![client], |r| r.opt_text(0))?;
            match decided.flatten().as_deref() {
                Some("hold") => Ok(Some(false)),
                Some("trust") => Ok(Some(true)),
                _ => match trust_after {
                    Some(n) => {
                        let sql = "SELECT COUNT(*) FROM comments WHERE client_hash = ?1 AND status = 'published'
                                   AND deleted_at IS NULL";
                        Ok((c.number(sql, params![client])? >= i64::from(n)).then_some(true))
                    }
                    None => Ok(None),
                },
            }
        })
    }

    /// Puts a rejected comment back in the queue, as it was when it waited (its id, text,
    /// edit token and why it was held): `Done`, or `Gone` when it is not rejected (any
    /// more) or the comment it answers is gone.
    pub fn restore(&self, id: i64) -> Result<Decided, WriteError> {
        self.write(|c| {
            let restored = c.execute(
                "INSERT INTO comments (id, thread, author, body, created_at, status, parent_id, root_id, edited_at,
                                       edit_token_hash, client_hash, reader_hash, held_for, account)
                 SELECT comment_id, thread, author, body, created_at, 'pending', parent_id, root_id, edited_at,
                        edit_token_hash, client_hash, reader_hash, held_for, account
                 FROM rejected r WHERE comment_id = ?1
                 AND (r.parent_id IS NULL OR EXISTS (SELECT 1 FROM comments p WHERE p.id = r.parent_id))",
                params![id],
            )?;
            if restored == 0 {
                return Ok(Decided::Gone);
            }
            c.execute("DELETE FROM rejected WHERE comment_id = ?1", params![id])?;
            Ok(Decided::Done)
        })
    }

    /// Publishes a pending comment if it is still the version `seen` (when given), and
    /// marks the readers' reports on it seen (only newer ones count again).
    pub fn approve(&self, id: i64, seen: Option<i64>) -> Result<Decided, WriteError> {
        self.write(|c| {
            let decided = waiting_as_seen(c, id, seen)?;
            if decided == Decided::Done {
                c.execute("UPDATE comments SET status = 'published', held_for = NULL WHERE id = ?1", params![id])?;
                c.execute(REPORTS_SEEN, params![id])?;
                // Its author and, for a reply, the author it answers, when they asked.
                let now = super::mail::clock_ms();
                c.execute(super::mail::MAIL_PUBLISHED, params![id, now])?;
                c.execute(super::mail::MAIL_REPLY, params![id, now])?;
            }
            Ok(decided)
        })
    }

    /// Published comments with reports no moderator has seen (below the threshold too),
    /// the most reported first, at most `limit`.
    pub fn reported(&self, limit: usize) -> Result<Vec<InThread>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread, c.version, c.held_for FROM comments c
             JOIN (SELECT comment_id, COUNT(*) AS open FROM reports WHERE NOT reviewed GROUP BY comment_id) r
               ON r.comment_id = c.id
             WHERE c.status = 'published' AND c.deleted_at IS NULL
             ORDER BY r.open DESC, c.id DESC LIMIT ?1"
        );
        self.read(|c| c.rows(&sql, params![limit as i64], in_thread))
    }

    /// A moderator read the reports on a published comment and keeps it: they are seen,
    /// and only newer ones count again; false when there were none open.
    pub fn keep_reported(&self, id: i64) -> Result<bool, WriteError> {
        self.write_one(REPORTS_SEEN, params![id]).map(|n| n > 0)
    }

    /// Closes a thread (`closed`) or opens it again.
    pub fn set_closed(&self, thread: &str, closed: bool, now_ms: i64) -> Result<(), WriteError> {
        self.write_one(
            "INSERT INTO threads (key, closed_at) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET closed_at = excluded.closed_at",
            params![thread, closed.then_some(now_ms)],
        )
        .map(|_| ())
    }

    /// Records a reader's report of comment `id`, once per reader hash and once per
    /// client hash (an address: another reader key from it counts for nothing); once
    /// `threshold` reports count since a moderator last approved it, a published comment
    /// waits for moderation again.
    pub fn report(&self, id: i64, by: ReportBy<'_>, threshold: u32, now_ms: i64) -> Result<Reported, WriteError> {
        let ReportBy { reader, client, reason } = by;
        self.write(|c| {
            // Reports on one comment from several instances take turns (PostgreSQL), so
            // the one that reaches the threshold sees it.
            c.exists(LOCK_COMMENT, params![id])?;
            let new = c.execute(
                "INSERT INTO reports (comment_id, reader, client, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                params![id, reader, client, reason, now_ms],
            )? == 1;
            let open = c.number("SELECT COUNT(*) FROM reports WHERE comment_id = ?1 AND NOT reviewed", params![id])?;
            let requeued = new
                && open >= i64::from(threshold)
                && c.execute(
                    "UPDATE comments SET status = 'pending'
                     WHERE id = ?1 AND status = 'published' AND deleted_at IS NULL",
                    params![id],
                )? == 1;
            Ok(Reported { new, requeued })
        })
    }

    /// The reports on each of `ids` no moderator has seen yet, the commonest reason first.
    pub fn open_reports(&self, ids: &[i64]) -> Result<OpenReports, ReadError> {
        if ids.is_empty() {
            return Ok(OpenReports::new());
        }
        let sql = "SELECT comment_id, reason, COUNT(*) FROM reports WHERE comment_id = ANY(?1) AND NOT reviewed
                   GROUP BY comment_id, reason ORDER BY COUNT(*) DESC, reason";
        let rows = self.read(|c| {
            c.rows(sql, params![ids], |r| Ok((r.int(0)?, ReasonCount { reason: r.text(1)?, readers: r.int(2)? })))
        })?;
        let mut found = OpenReports::new();
        for (id, reason) in rows {
            found.entry(id).or_default().push(reason);
        }
        Ok(found)
    }

    /// Whether a moderator has published a comment posted with this reader hash (or it
    /// was published at once): then the reader is no longer new (`--moderation first`).
    pub fn known_reader(&self, reader: &str) -> Result<bool, ReadError> {
        self.read(|c| {
            c.exists(
                "SELECT 1 FROM comments WHERE reader_hash = ?1 AND status = 'published' AND deleted_at IS NULL LIMIT 1",
                params![reader],
            )
        })
    }

    /// Which of `ids` were posted by a reader no comment of whom is published (or
    /// without a reader key): those a reader's first comment rule holds.
    pub fn first_comments(&self, ids: &[i64]) -> Result<HashSet<i64>, ReadError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = "SELECT c.id FROM comments c WHERE c.id = ANY(?1) AND (c.reader_hash IS NULL OR NOT EXISTS
                       (SELECT 1 FROM comments p WHERE p.reader_hash = c.reader_hash AND p.status = 'published'
                        AND p.deleted_at IS NULL))";
        Ok(self.read(|c| c.rows(sql, params![ids], |r| r.int(0)))?.into_iter().collect())
    }

    /// The threads with comments, the most recently commented first (at most 500).
    pub fn threads_overview(&self) -> Result<Vec<ThreadSummary>, ReadError> {
        let sql = "SELECT c.thread,
                          SUM(CASE WHEN c.status = 'published' AND c.deleted_at IS NULL THEN 1 ELSE 0 END),
                          SUM(CASE WHEN c.status = 'pending' THEN 1 ELSE 0 END),
                          MAX(CASE WHEN t.closed_at IS NOT NULL THEN 1 ELSE 0 END), MAX(t.title), MAX(t.url)
                   FROM comments c LEFT JOIN threads t ON t.key = c.thread
                   GROUP BY c.thread ORDER BY MAX(c.id) DESC LIMIT 500";
        self.read(|c| {
            c.rows(sql, &[], |r| {
                let (title, url) = (r.opt_text(4)?, r.opt_text(5)?);
                let article = (title.is_some() || url.is_some()).then_some(Article { title, url });
                Ok(ThreadSummary {
                    key: r.text(0)?,
                    published: r.int(1)?,
                    waiting: r.int(2)?,
                    closed: r.flag(3)?,
                    article,
                })
            })
        })
    }

    /// Published comments whose text, author and thread contain these (any may be
    /// empty; letters' case aside), newest first, at most `limit`.
    pub fn search(&self, text: &str, author: &str, thread: &str, limit: usize) -> Result<Vec<InThread>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, c.thread, c.version, c.held_for FROM comments c
             WHERE c.status = 'published' AND c.deleted_at IS NULL AND LOWER(c.body) LIKE LOWER(?1) ESCAPE '\\'
               AND LOWER(c.author) LIKE LOWER(?2) ESCAPE '\\' AND LOWER(c.thread) LIKE LOWER(?3) ESCAPE '\\'
             ORDER BY c.id DESC LIMIT ?4"
        );
        let (text, author, thread) = (like_pattern(text), like_pattern(author), like_pattern(thread));
        self.read(|c| c.rows(&sql, params![&text, &author, &thread, limit as i64], in_thread))
    }
}
