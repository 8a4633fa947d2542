//! One commenter's history on this site, for a moderator deciding on one of their
//! comments: every comment (published, waiting, reported, rejected) and the ban in force,
//! found by the keyed hash of the address they wrote from (the bans' key: no address is
//! ever shown, and the history reaches back as far as that hash does, 30 days at most).

use super::layout::page;
use super::parts::{thread_link, when};
use crate::store::{AccountBar, Article, History, InThread, RejectedComment};
use maud::{html, Markup};
use reader_comments_core::Status;
use std::collections::HashMap;

/// What moderators may decide about a commenter, as sent and in their words.
pub const STANDINGS: [(&str, &str); 3] = [
    ("", "Follow the site's rules"),
    ("hold", "Always hold them for moderation"),
    ("trust", "Trust them: skip the link and first-comment holds"),
];

/// What moderators may decide about a signed-in commenter's account, as sent and in
/// their words.
pub const ACCOUNT_BARS: [(&str, &str); 3] =
    [("", "Let the account comment"), ("suspend", "Suspend the account for"), ("ban", "Ban the account")];

/// A set of radio buttons, `name` = one of `options` (value, words), `chosen` checked.
fn choices(legend: &str, name: &str, options: &[(&str, &str)], chosen: &str) -> Markup {
    html! {
        fieldset {
            legend { (legend) }
            @for (value, words) in options {
                label class="pick" {
                    input type="radio" name=(name) value=(value) checked[chosen == *value];
                    (words)
                }
            }
        }
    }
}

/// A signed-in commenter's account: its suspension or ban, and the form that changes it.
fn account_form((csrf, comment): (&str, &str), bar: Option<&AccountBar>) -> Markup {
    let chosen = match bar {
        Some(AccountBar { until: Some(_), .. }) => "suspend",
        Some(AccountBar { until: None, .. }) => "ban",
        None => "",
    };
    html! {
        @match bar {
            Some(AccountBar { until: Some(until), reason, by, .. }) => p class="note" { "The account is suspended until " (when(*until)) " by " (by) ": " (reason) },
            Some(AccountBar { until: None, reason, by, .. }) => p class="note" { "The account is banned by " (by) ": " (reason) },
            None => p { "The account may comment." },
        }
        form method="post" action="/admin/account" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="comment" value=(comment);
            (choices("Their account", "bar", &ACCOUNT_BARS, chosen))
            label for="days" { "Days of a suspension" }
            input id="days" name="days" type="number" min="1" max="365" value="7";
            label for="bar-reason" { "The reason they are told when they try to comment" }
            textarea id="bar-reason" name="reason" rows="2" maxlength="500" { (bar.map(|b| b.reason.as_str()).unwrap_or("")) }
            p { button type="submit" { "Save for the account" } }
        }
        h3 { "Their data" }
        p { a href=(format!("/admin/account/export?comment={comment}")) download { "Download everything kept about the account (JSON)" } }
        form method="post" action="/admin/account/delete" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="comment" value=(comment);
            label class="pick" {
                input type="checkbox" name="confirm" value="yes";
                "Yes, remove the account's comments and everything kept about it (a comment with replies stays as a \"deleted\" placeholder)"
            }
            p { button class="destructive" type="submit" { "Delete the account's data" } }
        }
    }
}

/// Where one of the commenter's comments stands, in a moderator's words.
fn state(c: &InThread, reports: i64) -> String {
    let state = match c.comment.status {
        Status::Pending => "Waiting for moderation",
        Status::Deleted => "Deleted (kept for its replies)",
        Status::Published => "Published",
    };
    match reports {
        0 => state.to_string(),
        1 => format!("{state}, reported by 1 reader"),
        n => format!("{state}, reported by {n} readers"),
    }
}

/// The page. `None`: the comment named is unknown, or its author's address is not.
pub fn commenter(
    (moderator, csrf): (&str, &str),
    (comment, history, said): (&str, Option<&History>, Option<&str>),
    articles: &HashMap<String, Article>,
) -> Markup {
    page(
        "A commenter's history",
        Some((moderator, csrf)),
        html! {
            h2 { "A commenter's history" }
            @match history.and_then(|h| h.account.as_ref()) {
                Some((account, _)) => p { "Every comment written while signed in with the site's account " code { (account) } ", from any address, newest first." },
                None => p { "Every comment written from the same address in the last 30 days at most (the address itself is never stored: a keyed hash of it, which changes every 30 days), newest first." },
            }
            @match history {
                None => p { "This comment's author cannot be followed: it was imported, or written before the server kept the hash, or it is gone." },
                Some(History { comments, rejected, ban, standing, account }) => {
                    @if let Some(said) = said {
                        p class="note" role="status" { (said) }
                    }
                    @if let Some((_, bar)) = account {
                        (account_form((csrf, comment), bar.as_ref()))
                    }
                    @match ban {
                        Some(ban) => p class="note" { "Banned until " (when(ban.until)) ", by " (ban.by) "." },
                        None => p { "Not banned." },
                    }
                    form method="post" action="/admin/commenter" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="comment" value=(comment);
                        (choices("Their comments", "standing", &STANDINGS, standing.standing.as_deref().unwrap_or("")))
                        label for="note" { "Moderators' note about them" }
                        textarea id="note" name="note" rows="3" { (standing.note.as_deref().unwrap_or("")) }
                        @if let Some((who, at)) = &standing.by {
                            p class="meta" { "Last decided by " (who) ", " (when(*at)) }
                        }
                        p { button type="submit" { "Save" } }
                    }
                    h3 id="their-comments" { "Comments (" (comments.len() + rejected.len()) ")" }
                    ol class="queue" aria-labelledby="their-comments" {
                        @for (c, reports) in comments {
                            li {
                                div class="meta" {
                                    strong { (c.comment.author) }
                                    (thread_link(&c.thread, articles.get(&c.thread), (c.comment.status == Status::Published).then_some(&c.comment)))
                                    @if let Some(at) = c.comment.created_at { (when(at)) }
                                }
                                p class="text" { (c.comment.body) }
                                p class="meta" { (state(c, *reports)) }
                            }
                        }
                        @for RejectedComment { thread, comment: c, reason, note, moderator, at } in rejected {
                            li {
                                div class="meta" {
                                    strong { (c.author) }
                                    (thread_link(thread, articles.get(thread), None))
                                    @if let Some(written) = c.created_at { (when(written)) }
                                }
                                p class="text" { (c.body) }
                                p class="meta" {
                                    span { "Rejected by " (moderator) ", " (when(*at)) ": " (reason) }
                                    @if let Some(note) = note { span { "Note to the author: " (note) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
