//! The list of comments: one item each, with its initials avatar, name, relative time
//! and text. Every piece of endpoint text becomes a text node.

use crate::cache::SmallCache;
use crate::i18n::{Key, Strings};
use crate::json::Shown;
use js_sys::{Array, Function, JsString, Object, Reflect};
use leptos::prelude::*;
use reader_comments_core::time::{format_rfc3339, parse_rfc3339, relative_parts};
use reader_comments_core::{avatar_slot, initial_with, Status};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// What a relative time is made from: locale, amount, unit.
type TimeKey = (String, i64, &'static str);

thread_local! {
    /// `Intl.RelativeTimeFormat` per locale (`None` where the browser refuses it).
    static FORMATTERS: RefCell<SmallCache<String, Option<JsValue>>> = const { RefCell::new(SmallCache::new(8)) };
    /// Recently formatted relative times: a page of comments repeats the same few
    /// ("10 months ago"), and each `Intl` call costs more than a lookup.
    /// They are kept as JS strings, set as text without conversion.
    static FORMATTED: RefCell<SmallCache<TimeKey, JsString>> = const { RefCell::new(SmallCache::new(64)) };
    /// Initials of recent names: a thread repeats its authors, and a name's first cluster
    /// comes from the browser's segmenter (a few calls into JS each).
    static INITIALS: RefCell<SmallCache<String, String>> = const { RefCell::new(SmallCache::new(64)) };
}

/// The avatar's letter for a name: its first visible cluster, uppercased by the browser.
fn initial_of(name: &str) -> String {
    let make = || {
        let upper = |g: &str| js_sys::JsString::from(g).to_upper_case().into();
        (name.to_string(), initial_with(name, upper, &crate::clusters::Browser))
    };
    INITIALS.with(|cache| cache.borrow_mut().get_or_insert(|n| n == name, make))
}

/// An `Intl.RelativeTimeFormat` for the locale, built once; `None` if the browser has
/// none or refuses the locale.
fn formatter(locale: &str) -> Option<JsValue> {
    let make = || {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor: Function = Reflect::get(&intl, &"RelativeTimeFormat".into()).ok()?.dyn_into().ok()?;
        let options = Object::new();
        Reflect::set(&options, &"numeric".into(), &"auto".into()).ok()?;
        Reflect::construct(&ctor, &Array::of2(&locale.into(), &options)).ok()
    };
    FORMATTERS.with(|cache| cache.borrow_mut().get_or_insert(|l| l == locale, || (locale.to_string(), make())))
}

/// "3 hours ago" in the reader's language.
pub fn relative_time(then_ms: i64, now_ms: i64, locale: &str) -> JsString {
    let (value, unit) = relative_parts(then_ms, now_ms);
    let matches = |(l, v, u): &TimeKey| *v == value && *u == unit && l == locale;
    if let Some(text) = FORMATTED.with(|cache| cache.borrow().find(matches)) {
        return text;
    }
    let formatted = formatter(locale).and_then(|f| {
        let format: Function = Reflect::get(&f, &"format".into()).ok()?.dyn_into().ok()?;
        format.call2(&f, &(value as f64).into(), &unit.into()).ok()?.dyn_into::<JsString>().ok()
    });
    let text = formatted.unwrap_or_else(|| {
        JsString::from(match value {
            0 => "just now".to_string(),
            v if v < 0 => format!("{} {unit}{} ago", -v, if v == -1 { "" } else { "s" }),
            v => format!("in {v} {unit}{}", if v == 1 { "" } else { "s" }),
        })
    });
    FORMATTED.with(|cache| cache.borrow_mut().insert((locale.to_string(), value, unit), text.clone()));
    text
}

/// A comment row, `<li>` included, built once with the DOM API and cloned for every
/// comment: one clone and a few text settings per comment instead of creating each
/// element and attribute from wasm (the list's main cost; see docs/performance.md).
fn skeleton() -> Option<web_sys::Element> {
    thread_local! {
        static SKELETON: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
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
        let li = element("li", &[("class", "rc-comment"), ("part", "comment")])?;
        let avatar = element("span", &[("class", "rc-avatar"), ("aria-hidden", "true"), ("part", "avatar")])?;
        let main = element("div", &[("class", "rc-comment__main")])?;
        let meta = element("p", &[("class", "rc-comment__meta")])?;
        let author = element("bdi", &[("class", "rc-comment__author"), ("part", "author")])?;
        let time = element("time", &[("class", "rc-comment__time")])?;
        let body = element("p", &[("class", "rc-comment__body"), ("dir", "auto"), ("part", "body")])?;
        meta.append_with_node_2(&author, &time).ok()?;
        main.append_with_node_2(&meta, &body).ok()?;
        li.append_with_node_2(&avatar, &main).ok()?;
        *cell.borrow_mut() = Some(li.clone());
        Some(li)
    })
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An element seen only through `textContent` and `className`, which web-sys sets
    /// from a Rust `&str` (copied into a new JS string each time); these take a JS string.
    type TextHolder;
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text_content(this: &TextHolder, text: &JsString);
    #[wasm_bindgen(method, setter = className)]
    fn set_class_name(this: &TextHolder, class: &JsString);
}

fn set_class(element: &web_sys::Element, class: &JsString) {
    element.unchecked_ref::<TextHolder>().set_class_name(class);
}

fn set_text(element: &web_sys::Element, text: &JsString) {
    element.unchecked_ref::<TextHolder>().set_text_content(text);
}

/// The class of avatar colour `slot`, made into a JS string once.
fn avatar_class(slot: usize) -> JsString {
    thread_local! {
        static CLASSES: Vec<JsString> = AVATAR_CLASSES.iter().map(|c| JsString::from(*c)).collect();
    }
    CLASSES.with(|classes| classes[slot % classes.len()].clone())
}

/// The avatar classes, one per colour slot: the same eight strings for every comment,
/// converted to JS once.
const AVATAR_CLASSES: [&str; 8] = [
    "rc-avatar rc-avatar--0",
    "rc-avatar rc-avatar--1",
    "rc-avatar rc-avatar--2",
    "rc-avatar rc-avatar--3",
    "rc-avatar rc-avatar--4",
    "rc-avatar rc-avatar--5",
    "rc-avatar rc-avatar--6",
    "rc-avatar rc-avatar--7",
];

/// What every row shows besides its comment.
#[derive(Clone, Debug, Default)]
pub struct RowText {
    /// The badge of a pending comment ("Awaiting moderation").
    pub badge: String,
    /// The button that shows a cut body whole ("Show all").
    pub show_all: String,
    /// Bodies longer than this many UTF-16 units are shown cut (rendering megabytes of
    /// one endpoint's text would freeze the page); the rest is one click away.
    pub cut_at: usize,
}

/// The first `at` UTF-16 units of `body`, not splitting a surrogate pair, if it is longer.
fn cut(body: &JsString, at: usize) -> Option<JsString> {
    let len = body.length() as usize;
    if len <= at {
        return None;
    }
    let mut end = at as u32;
    // A high surrogate last would leave half a character.
    if (55296.0..56320.0).contains(&body.char_code_at(end - 1)) {
        end -= 1;
    }
    Some(body.slice(0, end).concat(&JsValue::from_str("…")))
}

/// A comment's `<li>`: avatar, name, time and text, every one a text node.
pub fn comment_row(comment: &Shown, locale: &str, text: &RowText) -> Option<web_sys::Element> {
    let li: web_sys::Element = skeleton()?.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let avatar = li.first_element_child()?;
    let main = avatar.next_element_sibling()?;
    let meta = main.first_element_child()?;
    let author = meta.first_element_child()?;
    let time = author.next_element_sibling()?;
    let body = meta.next_element_sibling()?;
    let c = comment;
    li.set_attribute("data-id", &c.id).ok()?;
    set_class(&avatar, &avatar_class(avatar_slot(&c.author) as usize));
    let letter = initial_of(&c.author);
    avatar.set_text_content(Some(&letter));
    author.set_text_content(Some(&c.author));
    match c.created_at {
        Some(ms) => {
            time.set_attribute("datetime", &format_rfc3339(ms)).ok()?;
            set_text(&time, &relative_time(ms, js_sys::Date::now() as i64, locale));
        }
        None => time.remove(),
    }
    if c.status == Status::Pending {
        li.set_class_name("rc-comment rc-comment--pending");
        let badge_el = li.owner_document()?.create_element("span").ok()?;
        badge_el.set_class_name("rc-badge");
        badge_el.set_attribute("part", "badge").ok()?;
        badge_el.set_text_content(Some(&text.badge));
        meta.append_child(&badge_el).ok()?;
    }
    // The body is still the browser's string: no copy into wasm and back.
    match cut(&c.body, text.cut_at.max(1)) {
        None => set_text(&body, &c.body),
        Some(start) => {
            set_text(&body, &start);
            let more = li.owner_document()?.create_element("button").ok()?;
            more.set_class_name("rc-button rc-button--link rc-comment__more");
            more.set_attribute("type", "button").ok()?;
            more.set_attribute("part", "button").ok()?;
            more.set_text_content(Some(&text.show_all));
            main.append_child(&more).ok()?;
        }
    }
    Some(li)
}

/// "Show all" was pressed in `row`: its whole body replaces the cut one, and the focus
/// moves to it.
fn show_all(row: &web_sys::Element, rendered: &[Rendered]) {
    let Some(id) = row.get_attribute("data-id") else { return };
    let Some(shown) = rendered.iter().find(|r| r.comment.id == id) else { return };
    let Ok(Some(body)) = row.query_selector(".rc-comment__body") else { return };
    set_text(&body, &shown.comment.body);
    if let Ok(Some(button)) = row.query_selector(".rc-comment__more") {
        button.remove();
    }
    let _ = body.set_attribute("tabindex", "-1");
    if let Some(body) = body.dyn_ref::<web_sys::HtmlElement>() {
        let _ = body.focus();
    }
}

/// A row on screen and the comment it shows.
struct Rendered {
    comment: Shown,
    li: web_sys::Element,
}

/// Brings the `<ol>` in line with `comments`. The list mostly grows at the end (a page,
/// "Load more", a posted comment) or changes in place (a comment edited or approved):
/// those touch only the rows concerned. Any other change rebuilds the rows.
fn sync_rows(ol: &web_sys::Element, rendered: &mut Vec<Rendered>, comments: &[Shown], locale: &str, text: &RowText) {
    let in_order = rendered.len() <= comments.len() && rendered.iter().zip(comments).all(|(r, c)| r.comment.id == c.id);
    if !in_order {
        for row in rendered.drain(..) {
            row.li.remove();
        }
    }
    let mut failed = false;
    for (row, comment) in rendered.iter_mut().zip(comments) {
        if row.comment != *comment {
            match comment_row(comment, locale, text) {
                Some(li) => {
                    let _ = row.li.replace_with_with_node_1(&li);
                    row.li = li;
                }
                None => failed = true,
            }
            row.comment = comment.clone();
        }
    }
    let Some(doc) = ol.owner_document() else { return };
    let fragment = doc.create_document_fragment();
    for comment in &comments[rendered.len()..] {
        match comment_row(comment, locale, text) {
            Some(li) => {
                let _ = fragment.append_child(&li);
                rendered.push(Rendered { comment: comment.clone(), li });
            }
            None => failed = true,
        }
    }
    let _ = ol.append_child(&fragment);
    if failed {
        web_sys::console::warn_1(&"reader-comments: a comment could not be shown".into());
    }
}

/// How often relative times ("3 minutes ago") are brought up to date.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(60);

/// Rewrites every relative time under `root` for the moment `now_ms`.
pub fn refresh_times(root: &web_sys::Element, locale: &str, now_ms: i64) {
    let Ok(times) = root.query_selector_all("time[datetime]") else { return };
    for index in 0..times.length() {
        let Some(time) = times.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let Some(ms) = time.get_attribute("datetime").and_then(|d| parse_rfc3339(&d)) {
            set_text(&time, &relative_time(ms, now_ms, locale));
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

/// The comments, in the endpoint's order. The rows are kept by hand rather than by a
/// keyed `<For>`: the list only grows or changes in place, and one directly built row
/// per comment costs a fraction of a reactive view per comment (docs/performance.md).
#[component]
pub fn CommentList(
    /// The comments shown.
    comments: ReadSignal<Vec<Shown>>,
    /// The locale for relative times.
    locale: String,
    /// Bodies longer than this many UTF-16 units are shown cut, with "Show all".
    #[prop(optional)]
    cut_at: Option<usize>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let text = RowText {
        badge: strings.get(Key::PendingBadge),
        show_all: strings.get(Key::ShowAll),
        cut_at: cut_at.unwrap_or(DEFAULT_CUT_AT),
    };
    let list = NodeRef::<leptos::html::Ol>::new();
    keep_times_fresh(list, locale.clone());
    let rendered = StoredValue::new_local(Vec::<Rendered>::new());
    Effect::new(move |_| {
        let Some(ol) = list.get() else { return };
        comments.with(|comments| {
            rendered.update_value(|rendered| sync_rows(&ol, rendered, comments, &locale, &text));
        });
    });
    // One listener for every row's "Show all" (rows are not Leptos views).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(row) =
            target.filter(|t| t.class_list().contains("rc-comment__more")).and_then(|t| t.closest("li").ok().flatten())
        else {
            return;
        };
        rendered.with_value(|rendered| show_all(&row, rendered));
    };
    view! { <ol class="rc-list" part="list" node_ref=list on:click=on_click></ol> }
}

/// Where bodies are cut when the list is not told: four times the default maximum
/// length, in UTF-16 units (a valid comment in any script stays whole).
pub const DEFAULT_CUT_AT: usize = 20_000;
