//! Comments without JavaScript, and for search engines (issue 24): the thread as an
//! HTML fragment, which a site includes inside its `<reader-comments>` element from its
//! CMS or its edge, and the pages a plain form's post is answered with.
//!
//! - `GET /api/threads/{thread}/comments` asked for with `Accept: text/html` first (as
//!   an edge or a CMS asks, or a browser that opens the address) answers the fragment:
//!   the published comments (the first [`MAX_PAGE`] top-level ones, oldest first, each
//!   with its first [`REPLIES`] replies), each with its initials, name, date and text
//!   and schema.org `Comment` microdata (author, date, text; replies as `comment` of
//!   theirs), and a plain `<form method="post">`. Waiting, rejected and deleted
//!   comments are never in it (a deleted comment with replies is a line that says so,
//!   with no name, text or markup). Kept by the page cache like the JSON, under a key
//!   of its own; `Vary: Accept` on both.
//! - The form posts `application/x-www-form-urlencoded` to the same address, where the
//!   same rules apply (api/posting.rs): the origin check, the honeypot, holds, the rate
//!   limit. A published comment is answered 303 to the article's address (only on an
//!   allowed origin) at `#comment-ID`; a held one, a page that says it waits for a
//!   moderator; a refused one, the form again with the reader's name and text and the
//!   reason, in the status the JSON would have had.
//!
//! Everything a reader wrote is text in the markup (maud escapes it). The words are the
//! widget's, in the language `?locale=` names (api/words.rs; English without one), and
//! the form carries that language to the pages its post is answered with.

use crate::api::words::{self, Own, Words};
use crate::error::Error;
use crate::rules::accounts::SignInMode;
use crate::rules::time::{readable_date, readable_utc};
use crate::run::state::AppState;
use crate::store::{FirstReplies, Order, Page};
use axum::http::{header, HeaderMap};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use reader_comments_core::initials::initial;
use reader_comments_core::{Comment, Limits, Status};

/// The most top-level comments the fragment shows.
pub const MAX_PAGE: usize = 100;
/// The most replies shown under each.
pub const REPLIES: usize = 50;

/// Whether the client asks for HTML first (`Accept: text/html, …`).
pub fn wants_html(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return false };
    let first = accept.split(',').next().unwrap_or_default();
    first.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("text/html")
}

/// The address of the article a form's post goes back to, if it is one of the site's
/// (an allowed origin, or this server's own) and http(s).
pub fn on_site(app: &AppState, url: &str) -> Option<String> {
    let url = url.trim();
    let plain = url.len() <= 2000 && !url.chars().any(char::is_control);
    (plain && app.on_site(url)).then(|| url.split('#').next().unwrap_or(url).to_string())
}

/// The fragment of `thread` (see the module's documentation) in `words`' language, with
/// its form going back to `article` (else the address the widget last recorded for the
/// thread). Blocking.
pub fn fragment(app: &AppState, thread: &str, article: Option<&str>, w: Words) -> Result<String, Error> {
    let Page { comments: top, next } = app.db.list_top(thread, Order::Oldest(0), MAX_PAGE)?;
    let roots: Vec<i64> = top.iter().map(|c| c.id.parse().unwrap_or_default()).collect();
    let mut replies = app.db.replies_of_page(&roots, REPLIES)?;
    let back = match article.and_then(|a| on_site(app, a)) {
        Some(url) => Some(url),
        None => app.db.article(thread)?.and_then(|a| a.url).and_then(|u| on_site(app, &u)),
    };
    let closed = app.db.is_closed(thread)?;
    let shown: Vec<(Comment, FirstReplies)> =
        top.into_iter().zip(&roots).map(|(c, root)| (c, replies.remove(root).unwrap_or_default())).collect();
    let markup = html! {
        section class="rc-static" aria-labelledby="rc-static-heading" data-thread=(thread) lang=(w.lang()) dir=(w.dir()) {
            h2 id="rc-static-heading" { (w.get(&words::HEADING)) }
            @if shown.is_empty() {
                p class="rc-static__empty" { (w.get(&words::EMPTY)) }
            } @else {
                ol class="rc-static__list" {
                    @for (comment, replies) in &shown {
                        (top_level(comment, replies, w))
                    }
                }
            }
            @if next.is_some() {
                p class="rc-static__more" { (w.own(Own::MoreComments, MAX_PAGE)) }
            }
            (form(app, thread, back.as_deref(), closed, &Kept::default(), w))
        }
    };
    Ok(markup.into_string())
}

/// A top-level comment and its replies.
fn top_level(comment: &Comment, replies: &FirstReplies, w: Words) -> Markup {
    let more = replies.total.saturating_sub(replies.shown.len());
    let replies_markup = html! {
        @if !replies.shown.is_empty() {
            ol class="rc-static__replies" {
                @for reply in &replies.shown {
                    @if reply.status == Status::Published {
                        li id=(format!("comment-{}", reply.id)) class="rc-static__comment" itemprop="comment" itemscope itemtype="https://schema.org/Comment" {
                            (inner(reply, w))
                        }
                    }
                }
            }
        }
        @if more > 0 {
            p class="rc-static__more" { (w.own(Own::MoreReplies, more)) }
        }
    };
    html! {
        @if comment.status == Status::Published {
            li id=(format!("comment-{}", comment.id)) class="rc-static__comment" itemscope itemtype="https://schema.org/Comment" {
                (inner(comment, w))
                (replies_markup)
            }
        } @else {
            // Deleted, with replies: nothing of it but that it was.
            li class="rc-static__comment rc-static__comment--gone" {
                p { (w.get(&words::DELETED)) }
                (replies_markup)
            }
        }
    }
}

/// A comment's initials, name, date (as `YYYY-MM-DD` but in English) and text; the
/// name and the text each in the direction of its own words.
fn inner(comment: &Comment, w: Words) -> Markup {
    html! {
        span class="rc-static__avatar" aria-hidden="true" { (initial(&comment.author)) }
        span class="rc-static__author" itemprop="author" itemscope itemtype="https://schema.org/Person" {
            bdi itemprop="name" { (comment.author) }
        }
        @if let Some(ms) = comment.created_at {
            " "
            time class="rc-static__date" itemprop="dateCreated" datetime=(readable_utc(ms).0) {
                @if w.lang() == "en" { (readable_date(ms)) } @else { (readable_utc(ms).0.get(..10).unwrap_or_default()) }
            }
        }
        @if comment.staff { " " span class="rc-static__badge" { (w.get(&words::STAFF)) } }
        p class="rc-static__text" itemprop="text" dir="auto" { (comment.body) }
    }
}

/// What a reader had written, kept when the form comes back, and why it came back.
#[derive(Default)]
pub struct Kept {
    pub author: String,
    pub body: String,
    /// The reason the post was refused, as readers read it.
    pub message: Option<String>,
}

/// The plain form (or why there is none: the thread is closed, or readers must sign in).
fn form(app: &AppState, thread: &str, back: Option<&str>, closed: bool, kept: &Kept, w: Words) -> Markup {
    let limits = Limits::default();
    let origin = app.settings.public_origins.first().map(String::as_str).unwrap_or_default();
    let action = format!("{origin}/api/threads/{thread}/comments");
    let sign_in = &app.settings.accounts;
    html! {
        @if closed {
            p class="rc-static__closed" { (w.get(&words::CLOSED)) }
        } @else if sign_in.mode == SignInMode::Required {
            @if let Some(url) = &sign_in.url {
                p class="rc-static__sign-in" { a href=(url) { (w.get(&words::SIGN_IN)) } }
            } @else {
                p class="rc-static__sign-in" { (w.get(&words::SIGN_IN)) }
            }
        } @else {
            form class="rc-static__form" method="post" action=(action) accept-charset="utf-8" {
                h3 { (w.get(&words::FORM_HEADING)) }
                @if let Some(message) = &kept.message {
                    p class="rc-static__error" role="alert" id="rc-static-error" { (message) }
                }
                p {
                    label for="rc-static-author" { (w.get(&words::NAME)) } br;
                    // No maxlength: a browser counts UTF-16 units, not the characters a
                    // reader sees, and would cut text the rules accept.
                    input id="rc-static-author" name="author" type="text" required autocomplete="name" dir="auto"
                        value=(kept.author);
                }
                p {
                    label for="rc-static-body" { (w.get(&words::BODY)) } br;
                    textarea id="rc-static-body" name="body" required rows="5" dir="auto"
                        minlength=(limits.min_length)
                        aria-describedby="rc-static-hint" { (kept.body) }
                    br;
                    span id="rc-static-hint" { (w.with_n(&words::HINT, limits.min_length)) }
                }
                // People never see it: a bot that fills it is answered as if held.
                div hidden { label { "Leave this empty " input name="website" type="text" tabindex="-1" autocomplete="off"; } }
                @if let Some(back) = back {
                    input type="hidden" name="return" value=(back);
                }
                input type="hidden" name="locale" value=(w.lang());
                p { button type="submit" { (w.get(&words::SUBMIT)) } }
            }
        }
    }
}

/// A whole page, for the answers to a form's post (the fragment's pieces in it).
fn page(title: &str, body: Markup, w: Words) -> String {
    html! {
        (DOCTYPE)
        html lang=(w.lang()) dir=(w.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped("body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}textarea,input[type=text]{width:100%;box-sizing:border-box}")) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

/// The answer to a comment that waits for a moderator (or that the honeypot caught).
pub fn held_page(back: Option<&str>, w: Words) -> String {
    let said = w.get(&words::HELD);
    page(
        said,
        html! {
            h1 { (w.get(&words::HEADING)) }
            p role="status" { (said) }
            @if let Some(back) = back { p { a href=(back) { (w.own(Own::Back, 0)) } } }
        },
        w,
    )
}

/// The answer to a published comment when there is no article to go back to.
pub fn published_page(w: Words) -> String {
    let said = w.get(&words::POSTED);
    page(
        said,
        html! {
            h1 { (w.get(&words::HEADING)) }
            p role="status" { (said) }
        },
        w,
    )
}

/// The form again, with what the reader wrote and why it was refused.
pub fn again_page(app: &AppState, thread: &str, back: Option<&str>, kept: &Kept, w: Words) -> String {
    let said = w.get(&words::NOT_POSTED);
    page(
        said,
        html! {
            h1 { (said) }
            (form(app, thread, back, false, kept, w))
            @if let Some(back) = back { p { a href=(back) { (w.own(Own::Back, 0)) } } }
        },
        w,
    )
}
