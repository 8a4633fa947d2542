//! The commands that work on the store directly, beside the server (safe while it
//! runs): moderation (`pending`, `approve`, `delete`, `moderator add`, `close`, `open`),
//! a signed-in reader's data (`account export`, `account delete`), `backup`, `export`
//! and `import`.

use super::transfer::{backup, export, import, Leniency, Source};
use crate::rules::passwords::hash_password;
use crate::rules::threads::valid_thread;
use crate::rules::time::now_ms;
use crate::store::{Decided, InThread, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Commands run against the database (safe while the server runs: SQLite locks, and
/// PostgreSQL's transactions).
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Lists the comments waiting for moderation, oldest first (all of them, or one
    /// thread's with --thread).
    Pending {
        /// Only this thread's.
        #[arg(long)]
        thread: Option<String>,
    },
    /// Publishes a waiting comment.
    Approve {
        /// The comment's id.
        id: i64,
    },
    /// Deletes a comment, waiting or published.
    Delete {
        /// The comment's id.
        id: i64,
    },
    /// A signed-in reader's account (the site's account id: the token's `sub`).
    Account {
        #[command(subcommand)]
        action: AccountCommand,
    },
    /// Manages the moderators who sign in at /admin.
    Moderator {
        #[command(subcommand)]
        action: ModeratorCommand,
    },
    /// Closes a thread: its readers see "Comments are closed" and no new comment is
    /// taken (the comments stay).
    Close {
        /// The thread's key.
        thread: String,
    },
    /// Opens a closed thread again.
    Open {
        /// The thread's key.
        thread: String,
    },
    /// Copies the database to FILE (which must not exist) with SQLite's online backup
    /// (PostgreSQL: use pg_dump).
    Backup {
        /// The copy to make.
        file: PathBuf,
    },
    /// Writes every thread's comments as JSON Lines to FILE (which must not exist), or
    /// to standard output.
    Export {
        /// Where to write; standard output without it.
        file: Option<PathBuf>,
    },
    /// Reads an export (FILE, or - for standard input) into the database: all of it or
    /// nothing, and a comment already there is not added again. With --from, a Disqus
    /// or WordPress export; each thread's key is printed with its link and title.
    Import {
        /// The export to read.
        file: String,
        /// What wrote it.
        #[arg(long, value_enum, default_value = "reader-comments")]
        from: Source,
        /// Keep historic names and texts that are only longer than the API takes (a
        /// reader's export applies the API's rules otherwise).
        #[arg(long)]
        allow_long: bool,
    },
}

/// What `account` does.
#[derive(clap::Subcommand, Debug)]
pub enum AccountCommand {
    /// Prints everything stored about the account as JSON: its comments, its rejected
    /// comments with the moderators' reasons, its suspension or ban.
    Export {
        /// The site's account id.
        sub: String,
    },
    /// Removes everything stored about the account: its comments (one that replies hang
    /// on stays as a "deleted" placeholder with nothing of theirs in it), its rejected
    /// comments, its suspension or ban.
    Delete {
        /// The site's account id.
        sub: String,
    },
}

/// What `moderator` does.
#[derive(clap::Subcommand, Debug)]
pub enum ModeratorCommand {
    /// Adds a moderator. The password is asked for on the terminal (twice), or read as one
    /// line from standard input when that is not a terminal; at least 12 characters.
    Add {
        /// The name they sign in with (letters, digits, dots, dashes, underscores).
        name: String,
        /// Set a new password for a moderator who exists (their sessions end).
        #[arg(long)]
        replace: bool,
    },
}

/// The password for a new moderator: asked twice on a terminal, else one line of input.
fn read_password(name: &str) -> Result<String, String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: ")).map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("The same again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ; nothing was changed".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `moderator add NAME [--replace]`.
fn add_moderator(db: &Store, name: &str, replace: bool) -> Result<bool, String> {
    let valid =
        (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !valid {
        return Err(format!("{name:?} is not a moderator name (1 to 64 letters, digits, dots, dashes, underscores)"));
    }
    if db.moderator_hash(name).map_err(|e| e.to_string())?.is_some() && !replace {
        return Err(format!("a moderator called {name} exists; add --replace to give them a new password"));
    }
    let password = read_password(name)?;
    if password.chars().count() < 12 {
        return Err("a password needs at least 12 characters; nothing was changed".into());
    }
    let hash = hash_password(&password)?;
    db.set_moderator(name, &hash, now_ms()).map_err(|e| e.to_string())?;
    db.close_sessions(None, name).map_err(|e| e.to_string())?;
    Ok(said(format!("moderator {name} can sign in at /admin")))
}

pub fn run_command(db: &std::path::Path, command: Command) -> ExitCode {
    let db = match Store::open(db) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("reader-comments-server: cannot open {}: {e}", db.display());
            return ExitCode::FAILURE;
        }
    };
    let db = &db;
    let done = match command {
        Command::Pending { thread } => db
            .pending(thread.as_deref(), usize::MAX)
            .map(|rows| {
                for InThread { thread, comment: c, .. } in rows.iter().rev() {
                    let body: String = c.body.chars().take(120).collect();
                    println!("{}\t{thread}\t{}\t{}", c.id, c.author.escape_debug(), body.escape_debug());
                }
                println!("{} waiting", rows.len());
                true
            })
            .map_err(|e| e.to_string()),
        Command::Approve { id } => db.approve(id, None).map(|done| done == Decided::Done).map_err(|e| e.to_string()),
        Command::Delete { id } => db.remove(id, now_ms()).map_err(|e| e.to_string()),
        Command::Moderator { action: ModeratorCommand::Add { name, replace } } => add_moderator(db, &name, replace),
        Command::Account { action: AccountCommand::Export { sub } } => {
            crate::rules::accounts::export(db, &sub, now_ms())
                .map(|doc| println!("{doc:#}"))
                .map(|()| true)
                .map_err(|e| e.to_string())
        }
        Command::Account { action: AccountCommand::Delete { sub } } => db
            .delete_account(&sub, now_ms())
            .map(|n| {
                said(format!("account {sub}: {n} comments removed (placeholders kept where replies hang on them)"))
            })
            .map_err(|e| e.to_string()),
        Command::Close { thread } => close(db, &thread, true),
        Command::Open { thread } => close(db, &thread, false),
        Command::Backup { file } => backup(db, &file).map(said),
        Command::Export { file } => export(db, file.as_deref()).map(said),
        Command::Import { file, from, allow_long } => import(db, &file, from, Leniency { allow_long }).map(said),
    };
    // On PostgreSQL, the command ends once every instance that keeps pages has heard
    // what it wrote (store/watch.rs): a read that begins afterwards has it.
    if db.writes() > 0 {
        db.settle();
    }
    match done {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("reader-comments-server: no such comment (or not waiting)");
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("reader-comments-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Closes (`closed`) or opens a thread, saying so.
fn close(db: &Store, thread: &str, closed: bool) -> Result<bool, String> {
    if !valid_thread(thread) {
        return Err(format!("{thread:?} is not a thread key (letters, digits, dots, dashes, underscores)"));
    }
    db.set_closed(thread, closed, now_ms()).map_err(|e| e.to_string())?;
    Ok(said(format!("thread {thread} is {}", if closed { "closed" } else { "open" })))
}

/// Says what a command did, on standard error (standard output may carry an export).
fn said(what: String) -> bool {
    eprintln!("reader-comments-server: {what}");
    true
}
