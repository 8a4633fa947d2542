//! Decisions that can be taken back or must be confirmed: the Rejected page (with
//! Restore) and the question Delete asks first.

use super::layout::page;
use super::parts::when;
use crate::store::RejectedComment;
use maud::{html, Markup};
use reader_comments_core::Comment;

/// The Rejected page: rejected comments, the latest first, each with its reason, the
/// note its author reads, who rejected it and when, and Restore (back to the queue).
pub fn rejected((moderator, csrf): (&str, &str), found: &[RejectedComment], said: Option<&str>) -> Markup {
    page(
        "Rejected comments",
        Some((moderator, csrf)),
        html! {
            h2 id="rejected-heading" { "Rejected comments (" (found.len()) ")" }
            @if let Some(said) = said {
                p class="note" role="status" { (said) }
            }
            p { "The latest rejections first. Their authors see them, marked not published, with the reason and the note. Restore puts one back in the queue as it was when it waited." }
            @if found.is_empty() {
                p { "Nothing was rejected." }
            } @else {
                form method="post" action="/admin/actions" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="from" value="rejected";
                    ol class="queue" aria-labelledby="rejected-heading" {
                        @for RejectedComment { thread, comment: c, reason, note, moderator, at } in found {
                            li {
                                div class="meta" {
                                    strong { (c.author) }
                                    span { "Thread: " (thread) }
                                    @if let Some(written) = c.created_at {
                                        (when(written))
                                    }
                                }
                                p class="text" { (c.body) }
                                p class="meta" {
                                    span { "Rejected by " (moderator) ", " (when(*at)) }
                                    span { "Reason: " (reason) }
                                    @if let Some(note) = note {
                                        span { "Note to the author: " (note) }
                                    }
                                }
                                div class="actions" {
                                    button type="submit" name="one" value=(format!("restore {}", c.id)) aria-label=(format!("Restore the comment by {} to the queue", c.author)) { "Restore to the queue" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Delete asks first: the comment, and Delete it (the same form again, confirmed) or Keep
/// it (back to the page it came from). `fields` are the form's own, sent again as they were.
pub fn confirm_delete(
    (moderator, csrf): (&str, &str),
    comment: Option<&Comment>,
    fields: &[(String, String)],
    back: &str,
) -> Markup {
    page(
        "Delete a comment?",
        Some((moderator, csrf)),
        html! {
            h2 { "Delete this comment?" }
            @match comment {
                None => p { "It is not there any more." },
                Some(c) => {
                    div class="meta" { strong { (c.author) } @if let Some(at) = c.created_at { (when(at)) } }
                    p class="text" { (c.body) }
                    p { "Deleting removes it for good (one that replies answer keeps its place, emptied). Its author is not told why: Reject, in the queue, tells them." }
                    form method="post" action="/admin/actions" class="actions" {
                        @for (name, value) in fields {
                            input type="hidden" name=(name) value=(value);
                        }
                        input type="hidden" name="confirmed" value="yes";
                        // The destructive answer filled, the safe one outlined: they do not look alike.
                        button class="destructive" type="submit" { "Delete it" }
                        a class="safe" href=(back) { "Keep it" }
                    }
                }
            }
        },
    )
}
