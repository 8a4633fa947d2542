//! The list of comments: one item each, with its initials avatar, name, relative time
//! and text. Every piece of endpoint text becomes a text node.

use crate::i18n::Strings;
use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use reader_comments_core::time::{format_rfc3339, parse_rfc3339, relative_parts};
use reader_comments_core::{avatar_slot, initial_with, Comment, Status};
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

/// A formatted relative time and what it was made from: locale, amount, unit.
type Formatted = ((String, i64, &'static str), String);

thread_local! {
    /// Recently formatted relative times: a page of comments repeats the same few
    /// ("10 months ago"), and each `Intl` call costs more than a lookup.
    static FORMATTED: RefCell<Vec<Formatted>> = const { RefCell::new(Vec::new()) };
}

/// "3 hours ago" in the reader's language.
pub fn relative_time(then_ms: i64, now_ms: i64, locale: &str) -> String {
    let (value, unit) = relative_parts(then_ms, now_ms);
    let hit = FORMATTED.with(|cache| {
        cache.borrow().iter().find(|((l, v, u), _)| *v == value && *u == unit && l == locale).map(|(_, t)| t.clone())
    });
    if let Some(text) = hit {
        return text;
    }
    let formatted = formatter(locale).and_then(|f| {
        let format: Function = Reflect::get(&f, &"format".into()).ok()?.dyn_into().ok()?;
        format.call2(&f, &(value as f64).into(), &unit.into()).ok()?.as_string()
    });
    let text = formatted.unwrap_or_else(|| match value {
        0 => "just now".to_string(),
        v if v < 0 => format!("{} {unit}{} ago", -v, if v == -1 { "" } else { "s" }),
        v => format!("in {v} {unit}{}", if v == 1 { "" } else { "s" }),
    });
    FORMATTED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 64 {
            cache.remove(0);
        }
        cache.push(((locale.to_string(), value, unit), text.clone()));
    });
    text
}

/// The parts of a comment row below its `<li>`, built once per page with the DOM API
/// and cloned for every comment: one clone and a few text settings per comment instead
/// of creating each element and attribute from wasm (the list's main cost; see
/// docs/performance.md).
fn skeleton() -> Option<web_sys::DocumentFragment> {
    thread_local! {
        static SKELETON: RefCell<Option<web_sys::DocumentFragment>> = const { RefCell::new(None) };
    }
    SKELETON.with(|cell| {
        if let Some(made) = cell.borrow().as_ref() {
            return Some(made.clone());
        }
        let doc = web_sys::window()?.document()?;
        let element = |tag: &str, attrs: &[(&str, &str)]| -> Option<web_sys::Element> {
            let el = doc.create_element(tag).ok()?;
            for (name, value) in attrs {
                el.set_attribute(name, value).ok()?;
            }
            Some(el)
        };
        let fragment = doc.create_document_fragment();
        let avatar = element("span", &[("class", "rc-avatar"), ("aria-hidden", "true"), ("part", "avatar")])?;
        let main = element("div", &[("class", "rc-comment__main")])?;
        let meta = element("p", &[("class", "rc-comment__meta")])?;
        let author = element("bdi", &[("class", "rc-comment__author"), ("part", "author")])?;
        let time = element("time", &[("class", "rc-comment__time")])?;
        let body = element("p", &[("class", "rc-comment__body"), ("dir", "auto"), ("part", "body")])?;
        meta.append_with_node_2(&author, &time).ok()?;
        main.append_with_node_2(&meta, &body).ok()?;
        fragment.append_with_node_2(&avatar, &main).ok()?;
        *cell.borrow_mut() = Some(fragment.clone());
        Some(fragment)
    })
}

/// What a row shows: the comment, the locale of its time, and the pending badge's text.
#[derive(Clone)]
struct Row {
    comment: Comment,
    locale: String,
    badge: Option<String>,
}

/// Fills a comment's `<li>`: avatar, name, time and text, every one a text node.
fn fill_row(li: web_sys::Element, row: Row) {
    let filled = (|| {
        let parts: web_sys::DocumentFragment = skeleton()?.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
        let avatar = parts.first_element_child()?;
        let main = avatar.next_element_sibling()?;
        let meta = main.first_element_child()?;
        let author = meta.first_element_child()?;
        let time = author.next_element_sibling()?;
        let body = meta.next_element_sibling()?;
        let c = &row.comment;
        avatar.set_class_name(&format!("rc-avatar rc-avatar--{}", avatar_slot(&c.author)));
        let letter = initial_with(&c.author, |g| js_sys::JsString::from(g).to_upper_case().into());
        avatar.set_text_content(Some(&letter));
        author.set_text_content(Some(&c.author));
        match c.created_at {
            Some(ms) => {
                time.set_attribute("datetime", &format_rfc3339(ms)).ok()?;
                time.set_text_content(Some(&relative_time(ms, js_sys::Date::now() as i64, &row.locale)));
            }
            None => time.remove(),
        }
        if let Some(text) = &row.badge {
            let badge = li.owner_document()?.create_element("span").ok()?;
            badge.set_class_name("rc-badge");
            badge.set_attribute("part", "badge").ok()?;
            badge.set_text_content(Some(text));
            meta.append_child(&badge).ok()?;
        }
        body.set_text_content(Some(&c.body));
        li.append_child(&parts).ok()
    })();
    if filled.is_none() {
        web_sys::console::warn_1(&"reader-comments: a comment could not be shown".into());
    }
}

/// One comment: its initials avatar (decorative), name, relative time and text.
#[component]
pub fn CommentItem(
    /// The comment to show.
    comment: Comment,
    /// The locale for the relative time.
    locale: String,
    /// The text of the badge a pending comment carries ("Awaiting moderation").
    pending_badge: String,
) -> impl IntoView {
    let pending = comment.status == Status::Pending;
    let class = if pending { "rc-comment rc-comment--pending" } else { "rc-comment" };
    let id = comment.id.clone();
    let row = Row { comment, locale, badge: pending.then_some(pending_badge) };
    view! { <li class=class part="comment" data-id=id use:fill_row=row></li> }
}

/// How often relative times ("3 minutes ago") are brought up to date.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(60);

/// Rewrites every relative time under `root` for the moment `now_ms`.
pub fn refresh_times(root: &web_sys::Element, locale: &str, now_ms: i64) {
    let Ok(times) = root.query_selector_all("time[datetime]") else { return };
    for index in 0..times.length() {
        let Some(time) = times.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let Some(ms) = time.get_attribute("datetime").and_then(|d| parse_rfc3339(&d)) {
            time.set_text_content(Some(&relative_time(ms, now_ms, locale)));
        }
    }
}

/// Refreshes the list's relative times every minute while the list exists.
fn keep_times_fresh(list: NodeRef<leptos::html::Ol>, locale: String) {
    set_timeout(
        move || {
            // Once the widget is gone its node reference is disposed and the loop ends.
            let Some(Some(ol)) = list.try_get_untracked() else { return };
            refresh_times(&ol, &locale, js_sys::Date::now() as i64);
            keep_times_fresh(list, locale);
        },
        REFRESH,
    );
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
    let badge = strings.get("pending_badge");
    let list = NodeRef::<leptos::html::Ol>::new();
    keep_times_fresh(list, locale.clone());
    view! {
        <ol class="rc-list" part="list" node_ref=list>
            <For
                each=move || comments.get()
                key=|c| c.id.clone()
                children=move |comment| {
                    let pending_badge = if comment.status == Status::Pending { badge.clone() } else { String::new() };
                    view! { <CommentItem comment locale=locale.clone() pending_badge /> }
                }
            />
        </ol>
    }
}
