//! How the server is set up: the settings the command line (or environment) gives,
//! and the parsing of the values that are more than a string.

use crate::rules::accounts::SignIn;
use crate::rules::holding::Moderation;
use governor::Quota;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

/// Sign-in attempts per client address: a burst of 20, then one every 3 s, however many
/// names are tried (each name's own growing delay is in run/limits.rs), so that
/// guessing is slow and the password hashing cannot be used to load the server.
pub const SIGN_IN_QUOTA: Quota = Quota::per_minute(NonZeroU32::MIN.saturating_add(19));

/// How long a name is first locked for sign-ins after a few failures (then doubling).
pub const SIGN_IN_LOCK: Duration = Duration::from_secs(30);

/// How connections are bounded.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Open connections at most; more are answered 503 and closed.
    pub max: usize,
    /// Open connections from one client (an IPv4 address, an IPv6 /64) at most; a
    /// trusted proxy has no such cap.
    pub per_client: usize,
    /// Time to send a request's headers; also how long an idle connection stays open.
    pub header_timeout: Duration,
    /// Time to send a request's body.
    pub body_timeout: Duration,
    /// Time the connections in progress get to finish when the server stops.
    pub shutdown_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max: 4096,
            per_client: 64,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

/// Parses a rate such as `10/min`, `2/s`, `300/h`, or `off`.
pub fn parse_rate(text: &str) -> Result<Option<Quota>, String> {
    if text.trim() == "off" {
        return Ok(None);
    }
    let (count, per) = text.trim().split_once('/').ok_or_else(|| format!("rate {text:?} is not like 10/min or off"))?;
    let count: NonZeroU32 = match count.trim().parse::<u64>() {
        Ok(0) => return Err(format!("rate {text:?} allows no posts; use a count of at least 1, or off")),
        Ok(n) => NonZeroU32::new(u32::try_from(n).unwrap_or(0)).ok_or_else(|| {
            format!("rate {text:?} is more than this server can count; use at most {}/s, or off", u32::MAX)
        })?,
        Err(_) => return Err(format!("rate {text:?} does not start with a whole number, like 10/min")),
    };
    let quota = match per.trim() {
        "s" | "sec" | "second" => Quota::per_second(count),
        "m" | "min" | "minute" => Quota::per_minute(count),
        "h" | "hour" => Quota::per_hour(count),
        other => return Err(format!("rate unit {other:?} is not s, min or h")),
    };
    Ok(Some(quota))
}

/// How long a comment's author may edit or delete it, by default (15 minutes).
pub const DEFAULT_EDIT_WINDOW: Duration = Duration::from_secs(900);

/// How many readers' reports send a published comment back to the queue by default.
pub const DEFAULT_REPORT_THRESHOLD: u32 = 3;

/// How the server is set up.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The SQLite file.
    pub db: PathBuf,
    /// The built widget and demo page (trunk's dist/), if served.
    pub static_dir: Option<PathBuf>,
    /// Origins other than the server's own allowed to read and post (CORS).
    pub allow_origins: Vec<String>,
    /// The origins of the server's own pages (the demo), allowed to post; never taken
    /// from a request's `Host`.
    pub public_origins: Vec<String>,
    /// The per-client limit on posts, or none.
    pub rate: Option<Quota>,
    /// Which comments wait for moderation.
    pub moderation: Moderation,
    /// Seed the demo thread with the seed article's comments when it is empty.
    pub seed: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind one, the rate limit
    /// keys on the reader's address it reports, not on the proxy's.
    pub trusted_proxies: Vec<IpAddr>,
    /// How connections are bounded.
    pub connections: ConnectionLimits,
    /// How long after posting its author may edit or delete a comment; `None`: never.
    pub edit_window: Option<Duration>,
    /// The per-client limit on recommending (and taking a recommend back), or none.
    pub recommend_rate: Option<Quota>,
    /// The per-client limit on reports, or none.
    pub report_rate: Option<Quota>,
    /// The per-client limit on moderators' sign-in attempts (always on; the server's is
    /// [`SIGN_IN_QUOTA`]).
    pub sign_in_rate: Quota,
    /// How long a name is locked for sign-ins after its free failures (run/limits.rs).
    pub sign_in_lock: Duration,
    /// How the comment lists may be cached (browsers and CDNs).
    pub cache: CachePolicy,
    /// The most bytes of rendered pages the server keeps in memory (run/pages.rs); 0:
    /// none.
    pub page_cache: usize,
    /// Where each comment held for moderation is announced (webhook.rs), if anywhere.
    pub webhook: Option<String>,
    /// How many readers' reports put a published comment back in the queue (0: reports
    /// are off).
    pub report_threshold: u32,
    /// The name the newsroom's answers are signed with (contract v1.2 `staff`).
    pub newsroom_name: String,
    /// Why a moderator may reject a comment: (code, words), "other" always among them.
    pub reject_reasons: Vec<(String, String)>,
    /// Trust a commenter with this many published comments (their comments skip the
    /// link and first-comment holds); `None`: only those moderators trust.
    pub trust_after: Option<u32>,
    /// Readers signed in with the site's own accounts (`--sign-in`; rules/accounts.rs).
    pub accounts: SignIn,
    /// Where e-mail to signed-in readers who asked is sent (run/mailer.rs), if anywhere.
    pub mail: Option<MailSettings>,
}

/// How e-mail goes out (`--smtp`, `--mail-from`).
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The SMTP server: `smtp://host:port` (STARTTLS when offered is not required),
    /// `smtps://…` (TLS), with `user:password@` when it asks.
    pub smtp: String,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// The least time between two mails to one reader (several events go in one).
    pub interval: Duration,
}

/// The default least time between two mails to one reader.
pub const MAIL_INTERVAL: Duration = Duration::from_secs(600);

/// The MiB of rendered pages kept in memory when the operator does not say.
pub const DEFAULT_PAGE_CACHE_MB: usize = 64;

/// The reasons a moderator picks from unless the newsroom gives its own
/// (`--reject-reason`): the core's, which the widget translates.
pub fn default_reject_reasons() -> Vec<(String, String)> {
    reader_comments_core::REJECT_REASONS.iter().map(|(c, w)| (c.to_string(), w.to_string())).collect()
}

/// The default of `--newsroom-name`.
pub const DEFAULT_NEWSROOM_NAME: &str = "The newsroom";

/// How long a cache (a browser's, a CDN's) may keep a comment list: `Cache-Control:
/// public, max-age=…, stale-while-revalidate=…` on every list that is the same for
/// every reader, with a strong `ETag`; `no-store` on anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachePolicy {
    /// Seconds a list is fresh (0: every use must revalidate).
    pub max_age: u32,
    /// Seconds after that a cache may still answer with it while it fetches a new one.
    pub stale_while_revalidate: u32,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy { max_age: 5, stale_while_revalidate: 30 }
    }
}

impl CachePolicy {
    /// The `Cache-Control` of a list every reader sees alike.
    pub fn header(self) -> String {
        match self {
            CachePolicy { max_age: 0, stale_while_revalidate: 0 } => "no-cache".to_string(),
            CachePolicy { max_age, stale_while_revalidate } => {
                format!("public, max-age={max_age}, stale-while-revalidate={stale_while_revalidate}")
            }
        }
    }
}

impl Settings {
    /// Settings for a database file with every other value at its default (no static
    /// files, no other origins, no rate limit, links held, no seeding): tests and tools
    /// change what they need.
    pub fn for_db(db: impl Into<PathBuf>) -> Settings {
        Settings {
            db: db.into(),
            static_dir: None,
            allow_origins: Vec::new(),
            public_origins: Vec::new(),
            rate: None,
            moderation: Moderation::Links,
            seed: false,
            trusted_proxies: Vec::new(),
            connections: Default::default(),
            edit_window: Some(DEFAULT_EDIT_WINDOW),
            recommend_rate: None,
            report_rate: None,
            sign_in_rate: SIGN_IN_QUOTA,
            sign_in_lock: SIGN_IN_LOCK,
            cache: CachePolicy::default(),
            page_cache: DEFAULT_PAGE_CACHE_MB << 20,
            webhook: None,
            report_threshold: DEFAULT_REPORT_THRESHOLD,
            newsroom_name: DEFAULT_NEWSROOM_NAME.to_string(),
            trust_after: None,
            reject_reasons: default_reject_reasons(),
            accounts: SignIn::default(),
            mail: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_or_refused() {
        assert!(parse_rate("off").expect("off").is_none());
        assert!(parse_rate("10/min").expect("rate").is_some());
        assert!(parse_rate("0/min").expect_err("none").contains("at least 1"));
        assert!(parse_rate("5000000000/min").expect_err("too many").contains("more than this server can count"));
        assert!(parse_rate("ten").is_err());
        assert!(parse_rate("5/week").is_err());
    }

    #[test]
    fn the_cache_header_says_public_with_both_times_or_no_cache_for_zero() {
        assert_eq!(CachePolicy::default().header(), "public, max-age=5, stale-while-revalidate=30");
        let none = CachePolicy { max_age: 0, stale_while_revalidate: 0 };
        assert_eq!(none.header(), "no-cache");
        let revalidate = CachePolicy { max_age: 0, stale_while_revalidate: 10 };
        assert_eq!(revalidate.header(), "public, max-age=0, stale-while-revalidate=10");
    }
}
