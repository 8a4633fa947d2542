//! The newsroom's own pages: the thread list with its open/closed switch, the blocked
//! words, the bans and the audit log.

use super::layout::page;
use super::parts::{named_comment, recalled};
use crate::store::{Article, AuditEntry, Ban, Recalled, ThreadSummary};
use maud::{html, Markup};
use std::collections::HashMap;

/// The threads with their counts (each a link to those comments), each with a switch to
/// close or open it.
pub fn threads((moderator, csrf): (&str, &str), rows: &[ThreadSummary], said: Option<&str>) -> Markup {
    page(
        "Threads",
        Some((moderator, csrf)),
        html! {
            h2 id="threads-heading" { "Threads (" (rows.len()) ")" }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            table aria-labelledby="threads-heading" {
                thead { tr { th { "Thread" } th { "Published" } th { "Waiting" } th { "Comments" } } }
                tbody {
                    @for ThreadSummary { key, published, waiting, closed, article } in rows {
                        tr {
                            td data-label="Thread" {
                                @match article.as_ref().map(|a| (a.title.as_deref().unwrap_or(key), a.url.as_deref())) {
                                    Some((title, Some(url))) => { a href=(url) { (title) } " (" (key) ")" }
                                    Some((title, None)) => { (title) " (" (key) ")" }
                                    None => { (key) }
                                }
                            }
                            td data-label="Published" {
                                @if *published > 0 {
                                    a href=(format!("/admin/comments?thread={key}")) aria-label=(format!("{published} published in {key}")) { (published) }
                                } @else { "0" }
                            }
                            td data-label="Waiting" {
                                @if *waiting > 0 {
                                    a href=(format!("/admin?thread={key}")) aria-label=(format!("{waiting} waiting in {key}")) { (waiting) }
                                } @else { "0" }
                            }
                            td data-label="Comments" {
                                form method="post" action="/admin/threads" class="actions" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="thread" value=(key);
                                    span { @if *closed { "Closed" } @else { "Open" } }
                                    @if *closed {
                                        button type="submit" name="action" value="open" aria-label=(format!("Open {key} again")) { "Open again" }
                                    } @else {
                                        button class="bad" type="submit" name="action" value="close" aria-label=(format!("Close {key}")) { "Close" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// How many entries the audit log page shows.
/// The comments the lines name, as recalled, and their threads' articles.
pub type Context<'a> = (&'a HashMap<i64, Recalled>, &'a HashMap<String, Article>);

pub const AUDIT_SHOWN: usize = 200;

/// The newest entries of the audit log.
pub fn audit((moderator, csrf): (&str, &str), rows: &[AuditEntry], context: Context<'_>) -> Markup {
    page(
        "Audit log",
        Some((moderator, csrf)),
        html! {
            h2 id="audit-heading" { "Audit log" }
            @if rows.len() >= AUDIT_SHOWN {
                p { "The newest " (AUDIT_SHOWN) " entries, newest first; older ones stay in the store's audit table." }
            }
            table aria-labelledby="audit-heading" {
                thead { tr { th { "When" } th { "Who" } th { "What" } th { "On" } th { "The comment" } } }
                tbody {
                    @for AuditEntry { at, moderator: who, action: what, target } in rows {
                        tr {
                            td data-label="When" { (super::parts::when(*at)) }
                            td data-label="Who" { (who) }
                            td data-label="What" { (what) }
                            td data-label="On" { (target) }
                            td data-label="The comment" { (recalled(named_comment(target), context.0, context.1)) }
                        }
                    }
                }
            }
        },
    )
}

/// The blocked words and phrases, each with Remove, and a form to add one.
pub fn words((moderator, csrf): (&str, &str), phrases: &[String], said: Option<&str>) -> Markup {
    page(
        "Blocked words",
        Some((moderator, csrf)),
        html! {
            h2 { "Blocked words and phrases" }
            p { "A comment whose name or text contains one waits for a moderator. Case, width, accents on Latin letters and invisible characters are ignored; a phrase matches whole words, and one of six letters or more also with dots or dashes between them." }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            form method="post" action="/admin/words" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="action" value="add";
                label for="phrase" { "Word or phrase" }
                input id="phrase" name="phrase" type="text" maxlength="100" required;
                p { button type="submit" { "Block it" } }
            }
            @if phrases.is_empty() {
                p { "None yet." }
            } @else {
                ul class="queue" {
                    @for phrase in phrases {
                        li class="actions" {
                            span { (phrase) }
                            form method="post" action="/admin/words" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="action" value="remove";
                                input type="hidden" name="phrase" value=(phrase);
                                button class="quiet" type="submit" aria-label=(format!("Stop blocking {phrase}")) { "Remove" }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The bans in force, each with Lift.
pub fn bans((moderator, csrf): (&str, &str), rows: &[Ban], context: Context<'_>, said: Option<&str>) -> Markup {
    page(
        "Bans",
        Some((moderator, csrf)),
        html! {
            h2 id="bans-heading" { "Bans in force (" (rows.len()) ")" }
            p { "A ban is made from the queue (\u{201C}Ban for\u{201D} 1, 7 or 30 days, then \u{201C}Reject and ban\u{201D}). It holds a keyed hash of the author's address, never the address; the hash changes every 30 days, which is why no ban is longer." }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            @if rows.is_empty() {
                p { "No bans." }
            } @else {
                table aria-labelledby="bans-heading" {
                    thead { tr { th { "Address (hash)" } th { "Until" } th { "By" } th { "Because of" } th { "Lift" } } }
                    tbody {
                        @for Ban { client_hash: hash, until, by, comment } in rows {
                            tr {
                                td data-label="Address (hash)" { code { (hash.get(..12).unwrap_or(hash)) "\u{2026}" } }
                                td data-label="Until" { (super::parts::when(*until)) }
                                td data-label="By" { (by) }
                                td data-label="Because of" {
                                    @if comment.is_some_and(|id| context.0.contains_key(&id)) {
                                        (recalled(*comment, context.0, context.1))
                                    } @else {
                                        "A comment deleted since, or a ban made before bans named their comment."
                                    }
                                }
                                td {
                                    form method="post" action="/admin/bans" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="hash" value=(hash);
                                        button class="quiet" type="submit" { "Lift" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
