//! The queue and the published list: each comment with what a moderator needs to judge
//! it, and the buttons that act on it, one or selected together.

use super::layout::page;
use super::parts::{answers, ban_control, history_link, reason_control, thread_link, when, ReplyTo};
use crate::store::Article;
use maud::{html, Markup};
use reader_comments_core::Comment;

/// A comment in the queue, with what a moderator needs to judge it.
pub struct Waiting {
    /// Its thread's key.
    pub thread: String,
    /// Its thread's article, when a post recorded it.
    pub article: Option<Article>,
    /// The comment.
    pub comment: Comment,
    /// Why it waits (`holding::why_held`).
    pub why: String,
    /// Its version, which the moderator's decision names.
    pub version: i64,
    /// It changed since the moderator last opened the queue (a decision on it was not
    /// made).
    pub changed: bool,
    /// For a reply: the name and the start of the comment it answers (`None` for a
    /// top-level comment; empty for one that was deleted).
    pub reply_to: ReplyTo,
}

/// The queue: comments waiting, newest first, each with Approve and Reject, and the
/// same for those selected together; `total` waiting, of which `waiting` are shown.
pub fn queue(
    (moderator, csrf): (&str, &str),
    (waiting, total, thread): (&[Waiting], u64, Option<&str>),
    (said, undo): (Option<&str>, Option<(&str, &str)>),
    reasons: &[(String, String)],
) -> Markup {
    page(
        "Queue",
        Some((moderator, csrf)),
        html! {
            h2 id="queue-heading" {
                "Waiting for moderation" @if let Some(thread) = thread { " in " (thread) } " (" (total) ")"
            }
            @if let Some(said) = said {
                div class="note actions" role="status" {
                    (said)
                    @if let Some((action, id)) = undo {
                        form method="post" action="/admin/actions" {
                            input type="hidden" name="csrf" value=(csrf);
                            @if let Some(thread) = thread {
                                input type="hidden" name="thread" value=(thread);
                            }
                            button type="submit" name="one" value=(format!("{action} {id}")) { "Undo" }
                        }
                    }
                }
            }
            @if thread.is_some() {
                p { a href="/admin" { "Show what waits in every thread" } }
            }
            @if total > waiting.len() as u64 {
                p { "Showing the newest " (waiting.len()) " of " (total) ". Each one approved or rejected makes room for the next." }
            }
            @if waiting.is_empty() {
                p { "Nothing is waiting." }
            } @else {
                form method="post" action="/admin/actions" {
                    input type="hidden" name="csrf" value=(csrf);
                    @if let Some(thread) = thread {
                        input type="hidden" name="thread" value=(thread);
                    }
                    div class="bulk" {
                        // Made to work by admin.js (no name: it is never sent).
                        label class="pick" id="select-all" hidden {
                            input type="checkbox";
                            "Select all " (waiting.len()) " shown"
                        }
                        span { "Selected:" }
                        button type="submit" name="bulk" value="approve" { "Approve selected" }
                        button class="bad" type="submit" name="bulk" value="reject" { "Reject selected" }
                        (reason_control(None, "the selected comments", reasons))
                    }
                    p id="shortcuts" class="meta" hidden {
                        "Keyboard, with a comment in the queue focused: J and K move to the next and previous comment, A approves it, R rejects it, X selects it."
                    }
                    ol class="queue" aria-labelledby="queue-heading" data-shortcuts {
                        @for Waiting { thread, article, comment: c, why, reply_to, version, changed } in waiting {
                            @let seen = format!("{}@{version}", c.id);
                            li {
                                @if *changed {
                                    p class="error" { "This comment changed since you opened the queue. Read it again before you decide." }
                                }
                                div class="meta" {
                                    label class="pick" {
                                        input type="checkbox" name="id" value=(seen);
                                        "Select the comment by " (c.author)
                                    }
                                    (history_link(c))
                                    (thread_link(thread, article.as_ref(), None))
                                    @if let Some(at) = c.created_at {
                                        (when(at))
                                    }
                                }
                                (answers(reply_to.as_ref()))
                                p class="text" { (c.body) }
                                p class="meta" { "Held because: " (why) }
                                div class="actions" {
                                    button type="submit" name="one" value=(format!("approve {seen}")) aria-label=(format!("Approve the comment by {}", c.author)) { "Approve" }
                                    button class="bad" type="submit" name="one" value=(format!("reject {seen}")) aria-label=(format!("Reject the comment by {}", c.author)) { "Reject" }
                                    (reason_control(Some(&c.id), &format!("the comment by {}", c.author), reasons))
                                    button class="bad quiet" type="submit" name="one" value=(format!("delete {}", c.id)) aria-label=(format!("Delete the comment by {}", c.author)) title="Removes it without recording a rejection" { "Delete" }
                                    (ban_control(c, Some(*version), "Reject and ban"))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A published comment the search found.
pub struct Found {
    /// Its thread's key.
    pub thread: String,
    /// Its thread's article, when a post recorded it.
    pub article: Option<Article>,
    /// The comment.
    pub comment: Comment,
    /// For a reply: whom it answers.
    pub reply_to: ReplyTo,
}

/// The search of published comments, and what it found, each with Delete and "Delete and
/// ban".
pub fn published(
    (moderator, csrf): (&str, &str),
    (text, author, thread): (&str, &str, &str),
    found: &[Found],
    said: Option<&str>,
) -> Markup {
    page(
        "Published comments",
        Some((moderator, csrf)),
        html! {
            h2 { "Published comments" }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            form method="get" action="/admin/comments" role="search" {
                label for="text" { "Text contains" }
                input id="text" name="text" type="text" value=(text);
                label for="author" { "Author contains" }
                input id="author" name="author" type="text" value=(author);
                label for="thread" { "Thread contains" }
                input id="thread" name="thread" type="text" value=(thread);
                p { button type="submit" { "Search" } }
            }
            h3 id="found-heading" { "Found (" (found.len()) ", newest first, at most 100)" }
            form method="post" action="/admin/actions" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="from" value="published";
                input type="hidden" name="searched-text" value=(text);
                input type="hidden" name="searched-author" value=(author);
                input type="hidden" name="searched-thread" value=(thread);
                ol class="queue" aria-labelledby="found-heading" {
                    @for Found { thread, article, comment: c, reply_to } in found {
                        li {
                            div class="meta" {
                                strong { (c.author) }
                                (history_link(c))
                                (thread_link(thread, article.as_ref(), Some(c)))
                                @if let Some(at) = c.created_at {
                                    (when(at))
                                }
                            }
                            (answers(reply_to.as_ref()))
                            p class="text" { (c.body) }
                            @if c.featured || c.staff {
                                p class="meta" {
                                    @if c.featured { span { "Featured" } }
                                    @if c.staff { span { "Staff" } }
                                }
                            }
                            div class="actions" {
                                @if c.featured {
                                    button type="submit" name="one" value=(format!("unfeature {}", c.id)) aria-label=(format!("Stop featuring the comment by {}", c.author)) { "Unfeature" }
                                } @else {
                                    button type="submit" name="one" value=(format!("feature {}", c.id)) aria-label=(format!("Feature the comment by {}", c.author)) { "Feature" }
                                }
                                a href=(format!("/admin/answer?comment={}", c.id)) aria-label=(format!("Answer the comment by {} as the newsroom", c.author)) { "Answer as the newsroom" }
                                button class="bad" type="submit" name="one" value=(format!("delete {}", c.id)) aria-label=(format!("Delete the comment by {}", c.author)) { "Delete" }
                                (ban_control(c, None, "Delete and ban"))
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A published comment readers reported, with what they said.
pub struct ReportedComment {
    /// Its thread's key.
    pub thread: String,
    /// Its thread's article, when a post recorded it.
    pub article: Option<Article>,
    /// The comment.
    pub comment: Comment,
    /// "Reported by N readers: …", with the reasons.
    pub reports: String,
}

/// Published comments with reports no moderator has seen, below the threshold that
/// sends one back to the queue too, each with Keep it, Delete and "Delete and ban".
pub fn reported(
    (moderator, csrf): (&str, &str),
    (found, threshold): (&[ReportedComment], u32),
    said: Option<&str>,
) -> Markup {
    page(
        "Reported comments",
        Some((moderator, csrf)),
        html! {
            h2 id="reported-heading" { "Reported comments (" (found.len()) ")" }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            p {
                "Published comments readers reported, the most reported first. At " (threshold)
                " reports a comment goes back to the queue on its own. Keep it marks its reports read: only newer ones count again."
            }
            @if found.is_empty() {
                p { "No reports to read." }
            } @else {
                form method="post" action="/admin/actions" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="from" value="reported";
                    ol class="queue" aria-labelledby="reported-heading" {
                        @for ReportedComment { thread, article, comment: c, reports } in found {
                            li {
                                div class="meta" {
                                    strong { (c.author) }
                                    (history_link(c))
                                    (thread_link(thread, article.as_ref(), Some(c)))
                                    @if let Some(at) = c.created_at {
                                        (when(at))
                                    }
                                }
                                p class="text" { (c.body) }
                                p class="meta" { (reports) }
                                div class="actions" {
                                    button type="submit" name="one" value=(format!("keep {}", c.id)) aria-label=(format!("Keep it: the comment by {}", c.author)) { "Keep it" }
                                    button class="bad" type="submit" name="one" value=(format!("delete {}", c.id)) aria-label=(format!("Delete the comment by {}", c.author)) { "Delete" }
                                    (ban_control(c, None, "Delete and ban"))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
