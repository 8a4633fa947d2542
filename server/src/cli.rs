//! The command line: serving (flags, each also settable by environment) and the
//! commands that work on the database file directly: moderation, backup, export and
//! import (cli/commands.rs).

mod commands;
pub mod foreign;
pub mod transfer;

use crate::app::router;
use crate::rules::accounts::{SignIn, SignInMode, Verifier};
use crate::rules::holding::Moderation;
use crate::run::serve::{connection_cap, local_origins, serve};
use crate::run::settings::{
    parse_rate, CachePolicy, ConnectionLimits, MailSettings, Settings, DEFAULT_NEWSROOM_NAME, DEFAULT_PAGE_CACHE_MB,
    DEFAULT_REPORT_THRESHOLD, MAIL_INTERVAL, SIGN_IN_LOCK, SIGN_IN_QUOTA,
};
use crate::run::state::AppState;
use clap::Parser;
use commands::{run_command, Command};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Serves the Reader Comments JSON contract over SQLite or PostgreSQL, and the built widget.
/// With a command, works on the database instead of serving.
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The SQLite file (created if missing), or a PostgreSQL URL
    /// (postgres://USER@HOST/DB: every instance of a site on the same one; docs/deploy.md).
    #[arg(long, env = "RC_DB", default_value = "reader-comments.sqlite3")]
    db: PathBuf,
    /// The address to listen on.
    #[arg(long, env = "RC_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// An origin (scheme://host:port) other than this server's own that may read and
    /// post. Repeat it, or separate origins with commas in RC_ALLOW_ORIGIN.
    #[arg(long = "allow-origin", env = "RC_ALLOW_ORIGIN", value_delimiter = ',')]
    allow_origin: Vec<String>,
    /// Posts per client: like 10/min, 2/s, 300/h, or off (load tests).
    #[arg(long, env = "RC_RATE_LIMIT", default_value = "10/min")]
    rate_limit: String,
    /// The directory of the built widget and demo page (trunk's dist/); "" for none.
    #[arg(long, env = "RC_STATIC_DIR", default_value = "dist")]
    static_dir: String,
    /// Which comments wait for moderation: none, links, first (links, and a reader's
    /// first comment until one of theirs is published), all.
    #[arg(long, env = "RC_MODERATION", default_value = "links")]
    moderation: Moderation,
    /// Do not seed the demo thread with the seed article's five comments.
    #[arg(long, env = "RC_NO_SEED")]
    no_seed: bool,
    /// A reverse proxy's IP address whose X-Forwarded-For is believed for the rate
    /// limit (repeatable; comma-separated in RC_TRUSTED_PROXY).
    #[arg(long = "trusted-proxy", env = "RC_TRUSTED_PROXY", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// The origin readers reach this server's own pages at (scheme://host:port), allowed
    /// to post (repeatable). Default: http://ADDR of --bind, and http://localhost:PORT
    /// when bound to loopback. Never taken from a request's Host.
    #[arg(long = "public-origin", env = "RC_PUBLIC_ORIGIN", value_delimiter = ',')]
    public_origin: Vec<String>,
    /// Open connections at most (capped below the process's file limit); more get 503.
    #[arg(long, env = "RC_MAX_CONNECTIONS", default_value_t = ConnectionLimits::default().max)]
    max_connections: usize,
    /// Open connections from one client (IPv4 address or IPv6 /64) at most; trusted
    /// proxies are not capped.
    #[arg(long, env = "RC_MAX_CONNECTIONS_PER_CLIENT", default_value_t = ConnectionLimits::default().per_client)]
    max_connections_per_client: usize,
    /// Seconds a client has to send a request's headers (and an idle connection stays open).
    #[arg(long, env = "RC_HEADER_TIMEOUT", default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, env = "RC_BODY_TIMEOUT", default_value_t = 10)]
    body_timeout: u64,
    /// Seconds after posting during which a comment's author may edit or delete it
    /// (with the comment's edit token); 0 turns editing off.
    #[arg(long, env = "RC_EDIT_WINDOW", default_value_t = 900)]
    edit_window: u64,
    /// How many readers' reports put a published comment back in the moderation queue;
    /// 0 turns reports off (then not advertised).
    #[arg(long, env = "RC_REPORT_THRESHOLD", default_value_t = DEFAULT_REPORT_THRESHOLD)]
    report_threshold: u32,
    /// The name the newsroom's answers from the moderation pages are signed with (they
    /// carry the Staff badge).
    #[arg(long, env = "RC_NEWSROOM_NAME", default_value = DEFAULT_NEWSROOM_NAME)]
    newsroom_name: String,
    /// Trust a commenter once this many of their comments are published (their comments
    /// then skip the link and first-comment holds); 0 (the default) only trusts those a
    /// moderator trusts.
    #[arg(long, env = "RC_TRUST_AFTER", default_value_t = 0)]
    trust_after: u32,
    /// A reason a moderator may reject a comment with, as CODE=WORDS (repeatable): the
    /// newsroom's list replaces the default (off_topic, abuse, spam,
    /// personal_information, misinformation, duplicate, other); "other" is always kept.
    /// A widget translates the default codes and shows the words of any other.
    #[arg(long = "reject-reason", env = "RC_REJECT_REASONS", value_delimiter = ';')]
    reject_reason: Vec<String>,
    /// Recommends (and their undoing) per client: like 60/min, or off.
    #[arg(long, env = "RC_RECOMMEND_RATE_LIMIT", default_value = "60/min")]
    recommend_rate_limit: String,
    /// Reports per client (an address: whatever reader keys it sends): like 10/min, or off.
    #[arg(long, env = "RC_REPORT_RATE_LIMIT", default_value = "10/min")]
    report_rate_limit: String,
    /// Seconds a comment list may be served from a cache (a browser's, a CDN's) before
    /// it is checked again; 0: checked on every use (docs/deploy.md).
    #[arg(long, env = "RC_CACHE_MAX_AGE", default_value_t = 5)]
    cache_max_age: u32,
    /// Seconds after that a cache may still answer with the old list while it fetches
    /// the new one.
    #[arg(long, env = "RC_CACHE_STALE_WHILE_REVALIDATE", default_value_t = 30)]
    cache_stale_while_revalidate: u32,
    /// MiB of rendered comment pages kept in memory, answered from there until their
    /// thread changes (docs/performance.md); 0 turns it off.
    #[arg(long, env = "RC_PAGE_CACHE_MB", default_value_t = DEFAULT_PAGE_CACHE_MB)]
    page_cache_mb: usize,
    /// Announce each comment held for moderation to this URL (JSON with a Slack-style
    /// "text"), in the background with retries (docs/server.md).
    #[arg(long, env = "RC_WEBHOOK")]
    webhook: Option<String>,
    /// Readers sign in with the site's own accounts: off, optional (a signed-in reader
    /// posts under the account's name, marked verified) or required (only signed-in
    /// readers post, reply, recommend and report). docs/deploy.md says how a site signs.
    #[arg(long, env = "RC_SIGN_IN", default_value = "off")]
    sign_in: SignInMode,
    /// The secret (at least 32 bytes) the site signs readers' tokens with (HS256).
    #[arg(long, env = "RC_SIGN_IN_SECRET", hide_env_values = true)]
    sign_in_secret: Option<String>,
    /// A file holding that secret (its surrounding white space is ignored).
    #[arg(long, env = "RC_SIGN_IN_SECRET_FILE")]
    sign_in_secret_file: Option<PathBuf>,
    /// The site's public key in PEM, RSA (RS256) or Ed25519 (EdDSA), instead of a secret.
    #[arg(long, env = "RC_SIGN_IN_KEY")]
    sign_in_key: Option<PathBuf>,
    /// Where a reader signs in (http or https); the widget adds `return=` with the
    /// article's address. Required with --sign-in required.
    #[arg(long, env = "RC_SIGN_IN_URL")]
    sign_in_url: Option<String>,
    /// Send e-mail to signed-in readers who ask for it (a reply to them, a moderator's
    /// decision) through this SMTP server: smtp://HOST:PORT, or smtps://… for TLS, with
    /// USER:PASSWORD@ when it asks. Needs --mail-from and --sign-in.
    #[arg(long, env = "RC_SMTP", hide_env_values = true)]
    smtp: Option<String>,
    /// The sender of those e-mails: an address, or "Name <address>".
    #[arg(long, env = "RC_MAIL_FROM")]
    mail_from: Option<String>,
    /// Seconds the requests in progress get to finish when the server is stopped.
    #[arg(long, env = "RC_SHUTDOWN_TIMEOUT", default_value_t = 10)]
    shutdown_timeout: u64,
}

/// Log lines (failures, with their cause) go to standard error; `RUST_LOG` is not read.
fn init_logging() {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).with_ansi(false).init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    eprintln!("reader-comments-server: stopping");
}

/// The settings the flags give, for a server listening on `local`.
fn settings(args: Args, local: std::net::SocketAddr) -> Result<Settings, String> {
    let rate = parse_rate(&args.rate_limit).map_err(|e| format!("--rate-limit: {e}"))?;
    let recommend_rate = parse_rate(&args.recommend_rate_limit).map_err(|e| format!("--recommend-rate-limit: {e}"))?;
    let report_rate = parse_rate(&args.report_rate_limit).map_err(|e| format!("--report-rate-limit: {e}"))?;
    let edit_window = match args.edit_window {
        0 => None,
        1..=604_800 => Some(Duration::from_secs(args.edit_window)),
        n => return Err(format!("--edit-window must be between 0 (off) and 604800 seconds (a week), not {n}")),
    };
    if args.report_threshold > 1000 {
        return Err(format!("--report-threshold must be between 0 (off) and 1000, not {}", args.report_threshold));
    }
    let day = |n: u32, flag: &str| match n {
        0..=86_400 => Ok(n),
        _ => Err(format!("--{flag} must be between 0 and 86400 seconds (a day), not {n}")),
    };
    let cache = CachePolicy {
        max_age: day(args.cache_max_age, "cache-max-age")?,
        stale_while_revalidate: day(args.cache_stale_while_revalidate, "cache-stale-while-revalidate")?,
    };
    let page_cache_mb = match args.page_cache_mb {
        0..=65_536 => args.page_cache_mb,
        n => return Err(format!("--page-cache-mb must be between 0 (off) and 65536 (64 GiB), not {n}")),
    };
    if let Some(url) = &args.webhook {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!("--webhook must be an http:// or https:// URL, not {url:?}"));
        }
    }
    let secs = |n: u64, flag: &str| match n {
        1..=3600 => Ok(Duration::from_secs(n)),
        _ => Err(format!("--{flag} must be between 1 and 3600 seconds, not {n}")),
    };
    let connections = ConnectionLimits {
        max: connection_cap(args.max_connections.max(1)),
        per_client: args.max_connections_per_client.max(1),
        header_timeout: secs(args.header_timeout, "header-timeout")?,
        body_timeout: secs(args.body_timeout, "body-timeout")?,
        shutdown_timeout: secs(args.shutdown_timeout, "shutdown-timeout")?,
    };
    let accounts = accounts(&args)?;
    let mail = mail(&args, &accounts)?;
    let listed = |list: Vec<String>| list.into_iter().map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
    let mut public_origins: Vec<String> = listed(args.public_origin).collect();
    if public_origins.is_empty() {
        public_origins = local_origins(local);
    }
    Ok(Settings {
        db: args.db,
        static_dir: (!args.static_dir.is_empty()).then(|| PathBuf::from(&args.static_dir)),
        allow_origins: listed(args.allow_origin).collect(),
        public_origins,
        rate,
        moderation: args.moderation,
        seed: !args.no_seed,
        trusted_proxies: args.trusted_proxy,
        connections,
        edit_window,
        recommend_rate,
        report_rate,
        sign_in_rate: SIGN_IN_QUOTA,
        sign_in_lock: SIGN_IN_LOCK,
        cache,
        page_cache: page_cache_mb << 20,
        webhook: args.webhook,
        report_threshold: args.report_threshold,
        newsroom_name: newsroom_name(&args.newsroom_name)?,
        trust_after: (args.trust_after > 0).then_some(args.trust_after),
        reject_reasons: reject_reasons(&args.reject_reason)?,
        accounts,
        mail,
    })
}

/// `--smtp` and `--mail-from`: both or neither, and only where readers sign in (the
/// address comes from the site's token).
fn mail(args: &Args, accounts: &SignIn) -> Result<Option<MailSettings>, String> {
    match (&args.smtp, &args.mail_from) {
        (None, None) => Ok(None),
        (Some(smtp), Some(from)) => {
            if accounts.mode == SignInMode::Off {
                return Err("--smtp needs --sign-in optional or required: e-mail goes to signed-in readers".into());
            }
            if !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://")) {
                return Err("--smtp must be smtp://HOST:PORT or smtps://HOST:PORT".into());
            }
            crate::run::mailer::check(smtp, from)?;
            Ok(Some(MailSettings { smtp: smtp.clone(), from: from.clone(), interval: MAIL_INTERVAL }))
        }
        _ => Err("--smtp and --mail-from go together".into()),
    }
}

/// `--sign-in` and its key: exactly one of a secret, a secret's file or a public key
/// when readers sign in; `--sign-in-url` (http or https) when they must.
fn accounts(args: &Args) -> Result<SignIn, String> {
    let mode = args.sign_in;
    let url = args.sign_in_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(String::from);
    if let Some(url) = &url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!("--sign-in-url {url:?} must be an http or https address"));
        }
    }
    let given = [args.sign_in_secret.is_some(), args.sign_in_secret_file.is_some(), args.sign_in_key.is_some()];
    let verifier = match (mode, given.iter().filter(|g| **g).count()) {
        (SignInMode::Off, _) => None,
        (_, 1) => Some(verifier(args)?),
        _ => {
            let mode = mode.as_str();
            return Err(format!(
                "--sign-in {mode} needs one of --sign-in-secret, --sign-in-secret-file or --sign-in-key"
            ));
        }
    };
    if mode == SignInMode::Required && url.is_none() {
        return Err("--sign-in required needs --sign-in-url, where readers sign in".into());
    }
    Ok(SignIn { mode, verifier, url })
}

fn verifier(args: &Args) -> Result<Verifier, String> {
    let read = |path: &PathBuf, what: &str| {
        std::fs::read(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
    };
    if let Some(secret) = &args.sign_in_secret {
        return Verifier::secret(secret.trim().as_bytes()).map_err(|e| format!("--sign-in-secret: {e}"));
    }
    if let Some(path) = &args.sign_in_secret_file {
        let secret = read(path, "--sign-in-secret-file")?;
        return Verifier::secret(secret.trim_ascii()).map_err(|e| format!("--sign-in-secret-file: {e}"));
    }
    let path = args.sign_in_key.as_ref().ok_or("no sign-in key")?;
    Verifier::public_key(&read(path, "--sign-in-key")?).map_err(|e| format!("--sign-in-key: {e}"))
}

/// `--reject-reason CODE=WORDS`, each checked: the default list when none is given.
fn reject_reasons(given: &[String]) -> Result<Vec<(String, String)>, String> {
    if given.is_empty() {
        return Ok(crate::run::settings::default_reject_reasons());
    }
    let mut reasons = Vec::new();
    for one in given {
        let bad = || {
            format!("--reject-reason \"{one}\": write CODE=WORDS, the code 1 to 40 of a-z, 0-9 and _, the words 1 to 100 characters on one line")
        };
        let (code, words) = one.split_once('=').ok_or_else(bad)?;
        let (code, words) = (code.trim(), words.trim());
        let code_ok = (1..=40).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let words_ok = (1..=100).contains(&words.chars().count()) && !words.chars().any(char::is_control);
        if !code_ok || !words_ok {
            return Err(bad());
        }
        reasons.push((code.to_string(), words.to_string()));
    }
    if reasons.len() > 20 {
        return Err("--reject-reason: at most 20 reasons".into());
    }
    if !reasons.iter().any(|(code, _)| code == "other") {
        reasons.push(("other".into(), "Other".into()));
    }
    Ok(reasons)
}

/// `--newsroom-name`: a name a reader could have used (the rules of an author's name).
fn newsroom_name(name: &str) -> Result<String, String> {
    match reader_comments_core::validate_author(name) {
        None => Ok(reader_comments_core::validate::normalize(name)),
        Some(error) => Err(format!("--newsroom-name: {}", error.message())),
    }
}

/// Runs the command line: a moderation command, or the server until Ctrl-C or SIGTERM.
pub async fn run() -> ExitCode {
    init_logging();
    let args = Args::parse();
    if let Some(command) = args.command {
        // Off the async runtime: a PostgreSQL store blocks on its own.
        let db = args.db.clone();
        return tokio::task::spawn_blocking(move || run_command(&db, command)).await.unwrap_or(ExitCode::FAILURE);
    }
    let listener = match tokio::net::TcpListener::bind(&args.bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("reader-comments-server: cannot listen on {}: {e}", args.bind);
            return ExitCode::FAILURE;
        }
    };
    let Ok(local) = listener.local_addr() else { return ExitCode::FAILURE };
    let state = match settings(args, local).and_then(AppState::new) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("reader-comments-server: {e}");
            return ExitCode::from(2);
        }
    };
    println!("Reader Comments is running. Open http://{local}/ (Ctrl-C stops it)");
    let router = router(state.clone());
    match serve(listener, state, router, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reader-comments-server: {e}");
            ExitCode::FAILURE
        }
    }
}
