//! E-mail to signed-in readers who asked for it (`--smtp`, `--mail-from`; issue 23): when
//! someone replies to one of their comments, and when a moderator publishes or rejects
//! one (with the reason). The events are written by the store with the change that
//! causes them (store/mail.rs); this task, on every instance, sends each subscriber's
//! waiting events in one mail, at most one mail per reader per interval (10 minutes),
//! through the SMTP server with `lettre`. A subscriber is claimed for a minute while an
//! instance sends, so no two instances send the same events; a mail that fails is tried
//! again a minute later with whatever waits by then. Each mail has a one-click
//! unsubscribe (a link signed with the store's secret, and the `List-Unsubscribe` and
//! `List-Unsubscribe-Post` headers, RFC 8058) that needs no sign-in.

use super::settings::MailSettings;
use crate::rules::time::now_ms;
use crate::store::{DueMail, MailEvent, Store};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How long an instance holds a subscriber while it sends (and waits before trying a
/// failed mail again).
const LEASE_MS: i64 = 60_000;
/// How often an instance looks for mail to send.
const POLL: Duration = Duration::from_secs(1);
/// How much of a comment a mail quotes.
const EXCERPT_CHARS: usize = 300;

/// Whether `smtp` and `from` can be used (at start, so a typo stops the server).
pub fn check(smtp: &str, from: &str) -> Result<(), String> {
    from.parse::<Mailbox>().map_err(|e| format!("--mail-from {from:?}: {e}"))?;
    SmtpTransport::from_url(smtp).map_err(|e| format!("--smtp: {e}"))?;
    Ok(())
}

/// The signature of `account`'s unsubscribe link (a keyed hash: only this server makes it).
pub fn unsubscribe_sig(store: &Store, account: &str) -> String {
    store.keyed_hash("unsubscribe", account)
}

/// The unsubscribe address of `account` at `origin`: the account in hexadecimal (any
/// text an id may be), and its signature.
pub fn unsubscribe_url(store: &Store, origin: &str, account: &str) -> String {
    let hex: String = account.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{}/api/unsubscribe?account={hex}&sig={}", origin.trim_end_matches('/'), unsubscribe_sig(store, account))
}

/// The account of an unsubscribe link, when its signature is this server's.
pub fn unsubscribe_account(store: &Store, hex: &str, sig: &str) -> Option<String> {
    if hex.len() % 2 != 0 || hex.len() > 800 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
    let account = String::from_utf8(bytes?).ok()?;
    crate::rules::tokens::same(&unsubscribe_sig(store, &account), sig).then_some(account)
}

/// Starts the sending task (on the current runtime); it ends soon after `alive` is
/// dropped.
pub fn start(settings: MailSettings, store: Arc<Store>, origin: Option<String>, alive: Weak<()>) {
    tokio::spawn(async move {
        let Ok(transport) =
            SmtpTransport::from_url(&settings.smtp).map(|b| b.timeout(Some(Duration::from_secs(10))).build())
        else {
            return;
        };
        let transport = Arc::new(transport);
        loop {
            if alive.upgrade().is_none() {
                return;
            }
            let (store, transport, settings, origin) =
                (store.clone(), transport.clone(), settings.clone(), origin.clone());
            let sent =
                tokio::task::spawn_blocking(move || send_one(&store, &transport, &settings, origin.as_deref())).await;
            if !matches!(sent, Ok(true)) {
                tokio::time::sleep(POLL).await;
            }
        }
    });
}

/// Sends the mail of one subscriber who is due; true if there was one.
fn send_one(store: &Store, transport: &SmtpTransport, settings: &MailSettings, origin: Option<&str>) -> bool {
    let now = now_ms();
    let due = match store.mail_claim(now, now + LEASE_MS) {
        Ok(Some(due)) => due,
        Ok(None) => return false,
        Err(e) => {
            tracing::warn!(%e, "mail: the waiting events cannot be read; trying again");
            return false;
        }
    };
    let Some(last) = due.events.last().map(|e| e.id) else { return false };
    let unsubscribe = origin.map(|o| unsubscribe_url(store, o, &due.account));
    let sent = match compose(&due, &settings.from, unsubscribe.as_deref()) {
        Ok(mail) => match transport.send(&mail) {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(%e, "mail: not sent; tried again in a minute");
                false
            }
        },
        Err(e) => {
            // An address the mail library refuses will not get better: the events go.
            tracing::warn!(%e, "mail: cannot be written to this address; its events are dropped");
            true
        }
    };
    let next = if sent { now_ms() + settings.interval.as_millis() as i64 } else { now_ms() + LEASE_MS };
    if let Err(e) = store.mail_settle(&due.account, last, sent, next) {
        tracing::warn!(%e, "mail: sent, but not recorded (it may be sent again)");
    }
    true
}

/// `List-Unsubscribe: <URL>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct OneClick;

impl Header for OneClick {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(OneClick)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The mail telling `due`'s events, in plain text.
fn compose(due: &DueMail, from: &str, unsubscribe: Option<&str>) -> Result<Message, String> {
    let subject = match due.events.as_slice() {
        [one] => match one.kind.as_str() {
            "reply" => format!("{} replied to your comment", one_line(&one.author, 80)),
            "published" => "Your comment is published".to_string(),
            _ => "Your comment was not published".to_string(),
        },
        many => format!("{} updates on your comments", many.len()),
    };
    let mut text = String::new();
    for event in &due.events {
        text.push_str(&told(event));
        text.push_str("\n\n");
    }
    text.push_str("You get this e-mail because you asked to be told about replies to your comments.\n");
    if let Some(url) = unsubscribe {
        text.push_str(&format!("Stop these e-mails (one click, no sign-in): {url}\n"));
    }
    let mut builder = Message::builder()
        .from(from.parse::<Mailbox>().map_err(|e| e.to_string())?)
        .to(due.email.parse::<Mailbox>().map_err(|e| e.to_string())?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    if let Some(url) = unsubscribe {
        builder = builder.header(ListUnsubscribe(url.to_string())).header(OneClick);
    }
    builder.body(text).map_err(|e| e.to_string())
}

/// One event in a reader's words.
fn told(event: &MailEvent) -> String {
    let link = event.url.as_ref().map(|u| format!("{}#comment-{}", u.split('#').next().unwrap_or(u), event.comment_id));
    let quote = one_line(&event.body, EXCERPT_CHARS);
    let mut line = match event.kind.as_str() {
        "reply" => format!("{} replied to your comment:\n  \u{201c}{quote}\u{201d}", one_line(&event.author, 80)),
        "published" => format!("A moderator published your comment:\n  \u{201c}{quote}\u{201d}"),
        _ => format!(
            "A moderator did not publish your comment ({}):\n  \u{201c}{quote}\u{201d}",
            event.reason.as_deref().unwrap_or("no reason given")
        ),
    };
    if let Some(link) = link {
        line.push_str(&format!("\n  {link}"));
    }
    line
}

/// `text` on one line, at most `max` characters (then "…").
fn one_line(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(max) {
        Some((cut, _)) => format!("{}\u{2026}", &folded[..cut]),
        None => folded,
    }
}
