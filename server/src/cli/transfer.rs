//! Data in and out (docs/deploy.md): `export` writes every thread's comments, the
//! threads closed and the phrases blocked as JSON Lines, `import` reads such a file
//! back (idempotent: a comment already stored is not stored again), and `backup` copies
//! the SQLite file online.
//!
//! The format: a first line `{"format": "reader-comments-export", "version": 3, …}`,
//! then one comment per line, in id order (a reply after the comment it answers):
//! `{"thread", "id", "parent_id", "author", "body", "created_at", "status", "edited_at",
//! "recommends", "featured_at", "staff", "account"}`, times in RFC 3339, status
//! `published`, `pending` or `deleted` (kept, emptied, for its replies), and (version 3)
//! when the newsroom featured it, whether its staff wrote it and the site's account it
//! was posted from; then (version 2) the newsroom's decisions, one per line:
//! `{"record": "closed_thread", "thread", "closed_at"}` and `{"record":
//! "blocked_phrase", "phrase", "added_at"}`. Version 1 and 2 files are read too (their
//! comments neither featured nor staff, of no account). Who recommended or reported what, edit tokens, idempotency keys, bans, sessions,
//! moderators and the file's secret stay in the store: they are keyed with its secret
//! or are credentials, and mean nothing (or should not travel) elsewhere.

use super::foreign;
use crate::rules::accounts::valid_account_id;
use crate::rules::blocked::valid_phrase;
use crate::rules::threads::valid_thread;
use crate::rules::time::now_ms;
use crate::store::{BlockedPhrase, ClosedThread, Decisions, Moved, Store, MAX_RECOMMENDS};
use reader_comments_core::time::{format_rfc3339, parse_rfc3339};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_comment, Limits};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::Path;

/// The first line's `format`.
pub const FORMAT: &str = "reader-comments-export";
/// The version of the format this server writes (it reads 1 to 3).
pub const VERSION: u64 = 3;
/// How many problems an import lists before it stops reading.
const SHOWN_PROBLEMS: usize = 20;

/// One comment as a line of the export.
pub fn line(c: &Moved) -> String {
    json!({
        "thread": c.thread,
        "id": c.id,
        "parent_id": c.parent,
        "author": c.author,
        "body": c.body,
        "created_at": format_rfc3339(c.created_at),
        "status": c.status,
        "edited_at": c.edited_at.map(format_rfc3339),
        "recommends": c.recommends,
        "featured_at": c.featured_at.map(format_rfc3339),
        "staff": c.staff,
        "account": c.account,
    })
    .to_string()
}

/// Writes every comment to `to` (standard output without one; an existing file is
/// never overwritten). A line saying what it did.
pub fn export(db: &Store, to: Option<&Path>) -> Result<String, String> {
    let mut out: Box<dyn Write> = match to {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create_new(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let header = json!({"format": FORMAT, "version": VERSION, "exported_at": format_rfc3339(now_ms())});
    writeln!(out, "{header}").map_err(|e| e.to_string())?;
    let count = db.each_comment(&mut |c| writeln!(out, "{}", line(&c)))?;
    let decisions = db.decisions()?;
    for ClosedThread { key, at } in &decisions.closed {
        let record = json!({"record": CLOSED, "thread": key, "closed_at": format_rfc3339(*at)});
        writeln!(out, "{record}").map_err(|e| e.to_string())?;
    }
    for BlockedPhrase { phrase, at } in &decisions.blocked {
        let record = json!({"record": BLOCKED, "phrase": phrase, "added_at": format_rfc3339(*at)});
        writeln!(out, "{record}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(format!(
        "exported {count} comments (closed threads: {}, blocked phrases: {})",
        decisions.closed.len(),
        decisions.blocked.len()
    ))
}

/// The `record` of a closed thread's line.
const CLOSED: &str = "closed_thread";
/// The `record` of a blocked phrase's line.
const BLOCKED: &str = "blocked_phrase";

/// One decision's line (a line with `record`) added to `decisions`, or what is wrong
/// with it.
fn parse_decision(doc: &Value, decisions: &mut Decisions) -> Result<(), String> {
    let text = |name: &str| doc.get(name).and_then(Value::as_str);
    let time = |name: &str| text(name).and_then(parse_rfc3339).ok_or(format!("\"{name}\" is not an RFC 3339 time"));
    match text("record") {
        Some(CLOSED) => {
            let thread =
                text("thread").filter(|t| valid_thread(t)).ok_or("\"thread\" is missing or not a thread key")?;
            decisions.closed.push(ClosedThread { key: thread.to_string(), at: time("closed_at")? });
        }
        Some(BLOCKED) => {
            let phrase = text("phrase").filter(|p| valid_phrase(p));
            let phrase = phrase.ok_or("\"phrase\" is not 1 to 100 characters without control characters")?;
            decisions.blocked.push(BlockedPhrase { phrase: phrase.to_string(), at: time("added_at")? });
        }
        _ => return Err(format!("\"record\" is not {CLOSED} or {BLOCKED}")),
    }
    Ok(())
}

/// An id as a string (the export writes strings; numbers are taken too).
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() && s.len() <= 200 => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The longest line an import reads (a comment at the longest the API takes is a few
/// dozen kilobytes of JSON; with `--allow-long`, historic text up to this).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// What an import takes beyond the API's rules: `--allow-long` keeps historic text that
/// is only too long (never control characters, stacked marks, or empty fields).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leniency {
    /// Names and texts longer than the API takes are kept.
    pub allow_long: bool,
}

/// The API's rules on a comment that is not deleted (core's `validate_comment`), as an
/// import applies them: the first field error, in the API's words.
fn checked(author: &str, body: &str, leniency: Leniency) -> Result<(), String> {
    let errors = validate_comment(author, body, Limits::default());
    let refused = errors.into_iter().find(|e| !(leniency.allow_long && e.code == "too_long"));
    match refused {
        None => Ok(()),
        Some(e) if e.code == "too_long" => Err(format!(
            "\"{}\": {} (an import applies the API's rules; --allow-long keeps historic text that is only too long)",
            e.field,
            e.message()
        )),
        Some(e) => Err(format!("\"{}\": {}", e.field, e.message())),
    }
}

/// One line of an export as a comment, or what is wrong with it.
pub fn parse_line(doc: &Value, leniency: Leniency) -> Result<Moved, String> {
    let text = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_string);
    let time = |name: &str| text(name).and_then(|t| parse_rfc3339(&t));
    let thread = text("thread").filter(|t| valid_thread(t)).ok_or("\"thread\" is missing or not a thread key")?;
    let id = id_of(doc.get("id")).ok_or("\"id\" is missing")?;
    let parent = match doc.get("parent_id") {
        None | Some(Value::Null) => None,
        some => Some(id_of(some).ok_or("\"parent_id\" is not an id")?),
    };
    let status = text("status").filter(|s| ["published", "pending", "deleted"].contains(&s.as_str()));
    let status = status.ok_or("\"status\" is not published, pending or deleted")?;
    let (mut author, mut body) = (text("author").unwrap_or_default(), text("body").unwrap_or_default());
    if status != "deleted" {
        if author.trim().is_empty() || body.trim().is_empty() {
            return Err("a comment that is not deleted needs \"author\" and \"body\"".into());
        }
        checked(&author, &body, leniency)?;
        (author, body) = (normalize(&author), normalize(&body));
    }
    let created_at = time("created_at").ok_or("\"created_at\" is missing or not an RFC 3339 time")?;
    let edited_at = match doc.get("edited_at") {
        None | Some(Value::Null) => None,
        Some(_) => Some(time("edited_at").ok_or("\"edited_at\" is not an RFC 3339 time")?),
    };
    let recommends = match doc.get("recommends") {
        None | Some(Value::Null) => 0,
        Some(n) => n
            .as_i64()
            .filter(|n| (0..=MAX_RECOMMENDS).contains(n))
            .ok_or_else(|| format!("\"recommends\" is not a count from 0 to {MAX_RECOMMENDS}"))?,
    };
    let featured_at = match doc.get("featured_at") {
        None | Some(Value::Null) => None,
        Some(_) => Some(time("featured_at").ok_or("\"featured_at\" is not an RFC 3339 time")?),
    };
    let staff = match doc.get("staff") {
        None | Some(Value::Null) => false,
        Some(flag) => flag.as_bool().ok_or("\"staff\" is not true or false")?,
    };
    let account = match doc.get("account") {
        None | Some(Value::Null) => None,
        Some(_) => Some(
            text("account")
                .filter(|a| valid_account_id(a))
                .ok_or("\"account\" is not 1 to 200 characters without control characters")?,
        ),
    };
    Ok(Moved {
        thread,
        id,
        parent,
        author,
        body,
        created_at,
        status,
        edited_at,
        recommends,
        featured_at,
        staff,
        account,
    })
}

/// The next line of `input` (without its end), `None` at the end, or why it cannot be
/// read: not UTF-8, or longer than [`MAX_LINE_BYTES`] (not read further).
fn next_line(input: &mut impl BufRead) -> Option<Result<String, String>> {
    let mut bytes = Vec::new();
    match std::io::Read::take(&mut *input, MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut bytes) {
        Ok(0) => None,
        Ok(_) if bytes.len() > MAX_LINE_BYTES && !bytes.ends_with(b"\n") => {
            Some(Err(format!("longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024))))
        }
        Ok(_) => Some(
            String::from_utf8(bytes)
                .map(|line| line.trim_end_matches(['\r', '\n']).to_string())
                .map_err(|_| "not UTF-8".to_string()),
        ),
        Err(e) => Some(Err(format!("cannot be read ({e})"))),
    }
}

/// Reads an export: its comments and decisions, or every problem found (up to a
/// limit), each with its line number.
pub fn parse(mut input: impl BufRead, leniency: Leniency) -> Result<(Vec<Moved>, Decisions), Vec<String>> {
    let (mut rows, mut problems, mut ids) = (Vec::new(), Vec::new(), HashSet::new());
    let mut decisions = Decisions::default();
    let mut header = false;
    let mut number = 0;
    while let Some(read) = next_line(&mut input) {
        number += 1;
        let text = match read {
            Ok(text) => text,
            Err(why) => {
                problems.push(format!("line {number}: {why}"));
                break;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let doc: Value = match serde_json::from_str(&text) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("line {number}: not JSON ({e})"));
                continue;
            }
        };
        if !header {
            header = doc.get("format").and_then(Value::as_str) == Some(FORMAT)
                && doc.get("version").and_then(Value::as_u64).is_some_and(|v| (1..=VERSION).contains(&v));
            if !header {
                problems.push(format!(
                    "line {number}: not the first line of a Reader Comments export version 1 to {VERSION} \
                     ({{\"format\": \"{FORMAT}\", \"version\": {VERSION}}})"
                ));
                break;
            }
            continue;
        }
        if doc.get("record").is_some() {
            if let Err(why) = parse_decision(&doc, &mut decisions) {
                problems.push(format!("line {number}: {why}"));
            }
        } else {
            match parse_line(&doc, leniency) {
                Ok(row) if !ids.insert((row.thread.clone(), row.id.clone())) => {
                    problems.push(format!("line {number}: comment {} of thread {} appears twice", row.id, row.thread));
                }
                Ok(row) => rows.push(row),
                Err(why) => problems.push(format!("line {number}: {why}")),
            }
        }
        if problems.len() >= SHOWN_PROBLEMS {
            problems.push("… and perhaps more; nothing was imported".into());
            break;
        }
    }
    if !header && problems.is_empty() {
        problems.push("the input is empty".into());
    }
    if problems.is_empty() {
        Ok((rows, decisions))
    } else {
        Err(problems)
    }
}

/// What wrote an import's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// This server's `export`.
    ReaderComments,
    /// Disqus' XML export.
    Disqus,
    /// WordPress' export (WXR).
    Wordpress,
}

/// Imports `file` (`-`: standard input), written by `source`, all of it or nothing. A
/// line saying what it did; for another system's file, each thread's key, link and
/// title go to standard output first, a line each, tab-separated.
pub fn import(db: &Store, file: &str, source: Source, leniency: Leniency) -> Result<String, String> {
    let input: Box<dyn BufRead> = if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(file).map_err(|e| format!("cannot open {file}: {e}"))?))
    };
    let refused = |why: String| format!("nothing was imported: {why}");
    let (rows, decisions) = match source {
        Source::ReaderComments => {
            parse(input, leniency).map_err(|problems| format!("nothing was imported:\n  {}", problems.join("\n  ")))?
        }
        Source::Disqus | Source::Wordpress => {
            let read = if source == Source::Disqus { foreign::disqus(input) } else { foreign::wordpress(input) };
            let brought = read.map_err(refused)?;
            for (key, link, title) in &brought.threads {
                println!("{key}\t{link}\t{title}");
            }
            (brought.rows, Decisions::default())
        }
    };
    let threads: HashSet<&str> = rows.iter().map(|r| r.thread.as_str()).collect();
    let done = db.import(&rows, &decisions).map_err(|e| refused(e.to_string()))?;
    let mut said = format!(
        "imported {} comments into {} threads ({} were already there)",
        done.added,
        threads.len(),
        done.present
    );
    if !(decisions.closed.is_empty() && decisions.blocked.is_empty()) {
        said.push_str(&format!("; threads closed: {}, phrases blocked: {}", done.closed, done.blocked));
    }
    Ok(said)
}

/// Copies the database to `to` with SQLite's online backup. A line saying what it did.
pub fn backup(db: &Store, to: &Path) -> Result<String, String> {
    let count = db.backup_to(to)?;
    Ok(format!("backed up {count} comments to {}", to.display()))
}
