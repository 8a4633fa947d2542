//! The page where a moderator answers a comment as the newsroom.

use super::layout::page;
use super::parts::when;
use maud::{html, Markup};
use reader_comments_core::Comment;

/// The comment being answered, and the answer so far.
pub struct Answering<'a> {
    /// Its thread's key.
    pub thread: &'a str,
    /// The comment.
    pub comment: &'a Comment,
    /// The answer written so far (kept when it was refused).
    pub text: &'a str,
    /// Why the answer was refused, if it was.
    pub error: Option<String>,
}

/// The page; `None`: there is no published comment to answer.
pub fn answer_page((moderator, csrf): (&str, &str), newsroom: &str, answering: Option<Answering<'_>>) -> Markup {
    page(
        "Answer as the newsroom",
        Some((moderator, csrf)),
        html! {
            h2 { "Answer as the newsroom" }
            @match answering {
                None => p { "There is no published comment to answer here: it may have been deleted." },
                Some(Answering { thread, comment: c, text, error }) => {
                    div class="meta" {
                        strong { (c.author) }
                        span { "Thread: " (thread) }
                        @if let Some(at) = c.created_at { (when(at)) }
                    }
                    p class="text" { (c.body) }
                    form method="post" action="/admin/answer" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="comment" value=(c.id);
                        label for="answer" { "The answer, published at once as " (newsroom) " with the Staff badge" }
                        @if let Some(error) = &error {
                            p class="error" id="answer-error" role="alert" { (error) }
                        }
                        textarea id="answer" name="body" rows="6" aria-describedby=[error.as_ref().map(|_| "answer-error")] { (text) }
                        div class="actions" {
                            button type="submit" { "Publish the answer" }
                            a href="/admin/comments" { "Cancel" }
                        }
                    }
                }
            }
        },
    )
}
