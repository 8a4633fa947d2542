//! The list of comments: one item each, with its initials avatar, name, relative time
//! and text. Every piece of endpoint text becomes a text node.

use crate::i18n::Strings;
use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use reader_comments_core::time::{format_rfc3339, relative_parts};
use reader_comments_core::{avatar_slot, initial, Comment, Status};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static FORMATTERS: RefCell<Vec<(String, Option<JsValue>)>> = const { RefCell::new(Vec::new()) };
}

/// An `Intl.RelativeTimeFormat` for the locale, built once; `None` if the browser has
/// none or refuses the locale.
fn formatter(locale: &str) -> Option<JsValue> {
    FORMATTERS.with(|cache| {
        if let Some((_, f)) = cache.borrow().iter().find(|(l, _)| l == locale) {
            return f.clone();
        }
        let made = (|| {
            let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
            let ctor: Function = Reflect::get(&intl, &"RelativeTimeFormat".into()).ok()?.dyn_into().ok()?;
            let options = Object::new();
            Reflect::set(&options, &"numeric".into(), &"auto".into()).ok()?;
            Reflect::construct(&ctor, &Array::of2(&locale.into(), &options)).ok()
        })();
        cache.borrow_mut().push((locale.to_string(), made.clone()));
        made
    })
}

/// "3 hours ago" in the reader's language.
pub fn relative_time(then_ms: i64, now_ms: i64, locale: &str) -> String {
    let (value, unit) = relative_parts(then_ms, now_ms);
    let formatted = formatter(locale).and_then(|f| {
        let format: Function = Reflect::get(&f, &"format".into()).ok()?.dyn_into().ok()?;
        format.call2(&f, &(value as f64).into(), &unit.into()).ok()?.as_string()
    });
    formatted.unwrap_or_else(|| match value {
        0 => "just now".to_string(),
        v if v < 0 => format!("{} {unit}{} ago", -v, if v == -1 { "" } else { "s" }),
        v => format!("in {v} {unit}{}", if v == 1 { "" } else { "s" }),
    })
}

/// One comment.
#[component]
pub fn CommentItem(
    /// The comment to show.
    comment: Comment,
    /// The locale for the relative time.
    locale: String,
    /// The widget's strings.
    strings: Strings,
) -> impl IntoView {
    let avatar_class = format!("rc-avatar rc-avatar--{}", avatar_slot(&comment.author));
    let letter = initial(&comment.author);
    let time = comment.created_at.map(|ms| {
        let iso = format_rfc3339(ms);
        let text = relative_time(ms, js_sys::Date::now() as i64, &locale);
        view! { <time class="rc-comment__time" datetime=iso>{text}</time> }
    });
    let pending = comment.status == Status::Pending;
    let badge = pending.then(|| view! { <span class="rc-badge" part="badge">{strings.get("pending_badge")}</span> });
    let class = if pending { "rc-comment rc-comment--pending" } else { "rc-comment" };
    view! {
        <li class=class part="comment" data-id=comment.id>
            <span class=avatar_class aria-hidden="true" part="avatar">{letter}</span>
            <div class="rc-comment__main">
                <p class="rc-comment__meta">
                    <bdi class="rc-comment__author" part="author">{comment.author}</bdi>
                    {time}
                    {badge}
                </p>
                <p class="rc-comment__body" dir="auto" part="body">{comment.body}</p>
            </div>
        </li>
    }
}

/// The comments, in the endpoint's order.
#[component]
pub fn CommentList(
    /// The comments shown.
    comments: ReadSignal<Vec<Comment>>,
    /// The locale for relative times.
    locale: String,
    /// The widget's strings.
    strings: Strings,
) -> impl IntoView {
    view! {
        <ol class="rc-list" part="list">
            <For
                each=move || comments.get()
                key=|c| c.id.clone()
                children=move |comment| {
                    view! { <CommentItem comment locale=locale.clone() strings=strings.clone() /> }
                }
            />
        </ol>
    }
}
