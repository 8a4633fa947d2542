//! The list of comments: one item each, with its initials avatar, name, relative time
//! and text. Every piece of endpoint text becomes a text node.

use crate::cache::SmallCache;
use crate::i18n::{Key, Strings};
use crate::json::Shown;
use js_sys::{Array, Function, JsString, Object, Reflect};
use leptos::prelude::*;
use reader_comments_core::time::{format_rfc3339, parse_rfc3339, relative_parts};
use reader_comments_core::{avatar_slot, initial_with, Capabilities, Status};
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
    /// Whether rows carry the recommend toggle (the endpoint advertises it).
    pub recommend: bool,
    /// The toggle's visible word ("Recommend").
    pub recommend_word: String,
    /// Its accessible name, singular and plural ("Recommend {name}'s comment, {n} recommends").
    pub recommend_label: [String; 2],
    /// The mark of an edited comment ("Edited").
    pub edited: String,
    /// What a deleted comment kept for its replies says.
    pub deleted: String,
    /// "Replying to {name}", on a reply to a reply.
    pub replying_to: String,
    /// The label of a comment's list of replies ("Replies to {name}").
    pub replies_to: String,
    /// "Show 1 more reply" / "Show {n} more replies".
    pub more_replies: [String; 2],
    /// Whether rows carry a Reply button (the endpoint advertises replies).
    pub reply: bool,
    /// The Reply button's word, and its accessible name ("Reply to {name}").
    pub reply_word: [String; 2],
    /// The ids of this reader's comments (those whose edit token the browser keeps).
    pub mine: Vec<String>,
    /// How long after posting a comment may be edited, in milliseconds, if at all.
    pub edit_window_ms: Option<i64>,
    /// The thread is closed: the reader's own comments can be deleted, not edited.
    pub no_edits: bool,
    /// Edit and Delete: their words and accessible names; the delete question; "Keep it".
    pub own_words: [String; 6],
    /// Whether rows carry Report (the endpoint advertises reports).
    pub report: bool,
    /// Report, its accessible name, the question, the three reasons, Cancel.
    pub report_words: [String; 7],
}

impl RowText {
    /// The texts in `strings`, for rows that carry the recommend toggle or not.
    pub fn new(strings: &Strings, cut_at: usize, (recommend, reply): (bool, bool)) -> Self {
        RowText {
            badge: strings.get(Key::PendingBadge),
            show_all: strings.get(Key::ShowAll),
            cut_at,
            recommend,
            recommend_word: strings.get(Key::Recommend),
            recommend_label: [strings.get(Key::RecommendLabelOne), strings.get(Key::RecommendLabelOther)],
            edited: strings.get(Key::Edited),
            deleted: strings.get(Key::Deleted),
            replying_to: strings.get(Key::ReplyingTo),
            replies_to: strings.get(Key::RepliesTo),
            more_replies: [strings.get(Key::MoreRepliesOne), strings.get(Key::MoreRepliesOther)],
            reply,
            reply_word: [strings.get(Key::Reply), strings.get(Key::ReplyLabel)],
            mine: Vec::new(),
            edit_window_ms: None,
            no_edits: false,
            own_words: [Key::Edit, Key::EditLabel, Key::Delete, Key::DeleteLabel, Key::DeleteQuestion, Key::Keep]
                .map(|k| strings.get(k)),
            report: false,
            report_words: crate::report::WORDS.map(|k| strings.get(k)),
        }
    }
}

/// `template` with `{name}` and `{n}` filled in.
fn fill_in(template: &str, name: &str, n: u64) -> String {
    template.replace("{name}", name).replace("{n}", &n.to_string())
}

/// Brings a recommend toggle in line with its comment: pressed or not, the count, and
/// the accessible name that says whose comment it is.
fn set_recommend(button: &web_sys::Element, comment: &Shown, text: &RowText) {
    let n = comment.recommends.unwrap_or(0);
    let _ = button.set_attribute("aria-pressed", if comment.recommended { "true" } else { "false" });
    let label = fill_in(&text.recommend_label[usize::from(n != 1)], &comment.author, n);
    let _ = button.set_attribute("aria-label", &label);
    if let Some(count) = button.last_element_child() {
        count.set_text_content(Some(&n.to_string()));
    }
}

/// An element with a class, from the row's document.
pub(crate) fn make(doc: &web_sys::Document, tag: &str, class: &str) -> Option<web_sys::Element> {
    let el = doc.create_element(tag).ok()?;
    el.set_class_name(class);
    Some(el)
}

/// A button of the row (`type="button"`, styled as a link).
pub(crate) fn button(doc: &web_sys::Document, class: &str) -> Option<web_sys::Element> {
    let b = make(doc, "button", &format!("rc-button rc-button--link {class}"))?;
    b.set_attribute("type", "button").ok()?;
    b.set_attribute("part", "button").ok()?;
    Some(b)
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

/// A comment's `<li>`: avatar, name, time and text, every one a text node; with
/// contract v1.1, whom a reply to a reply answers (`parent_author`), "Edited", the
/// recommend toggle, and the place of a deleted comment kept for its replies.
pub fn comment_row(
    comment: &Shown,
    parent_author: Option<&str>,
    locale: &str,
    text: &RowText,
) -> Option<web_sys::Element> {
    let li: web_sys::Element = skeleton()?.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let avatar = li.first_element_child()?;
    let main = avatar.next_element_sibling()?;
    let meta = main.first_element_child()?;
    let author = meta.first_element_child()?;
    let time = author.next_element_sibling()?;
    let body = meta.next_element_sibling()?;
    let c = comment;
    let doc = li.owner_document()?;
    li.set_attribute("data-id", &c.id).ok()?;
    let deleted = c.status == Status::Deleted;
    if deleted {
        li.set_class_name("rc-comment rc-comment--deleted");
    } else {
        set_class(&avatar, &avatar_class(avatar_slot(&c.author) as usize));
        let letter = initial_of(&c.author);
        avatar.set_text_content(Some(&letter));
        author.set_text_content(Some(&c.author));
    }
    match c.created_at {
        Some(ms) => {
            time.set_attribute("datetime", &format_rfc3339(ms)).ok()?;
            set_text(&time, &relative_time(ms, js_sys::Date::now() as i64, locale));
        }
        None => time.remove(),
    }
    if c.edited_at.is_some() && !deleted {
        let mark = make(&doc, "span", "rc-comment__edited")?;
        mark.set_text_content(Some(&text.edited));
        meta.append_child(&mark).ok()?;
    }
    if c.status == Status::Pending {
        li.set_class_name("rc-comment rc-comment--pending");
        let badge_el = make(&doc, "span", "rc-badge")?;
        badge_el.set_attribute("part", "badge").ok()?;
        badge_el.set_text_content(Some(&text.badge));
        meta.append_child(&badge_el).ok()?;
    }
    if let (Some(name), Some(parent)) = (parent_author, c.parent_id.as_deref()) {
        let line = replying_to(&doc, name, parent, text)?;
        main.insert_before(&line, Some(&body)).ok()?;
    }
    if deleted {
        body.set_text_content(Some(&text.deleted));
    } else {
        // The body is still the browser's string: no copy into wasm and back.
        match cut(&c.body, text.cut_at.max(1)) {
            None => set_text(&body, &c.body),
            Some(start) => {
                set_text(&body, &start);
                let more = button(&doc, "rc-comment__more")?;
                more.set_text_content(Some(&text.show_all));
                main.append_child(&more).ok()?;
            }
        }
    }
    if let Some(actions) = row_actions(&doc, c, text) {
        main.append_child(&actions).ok()?;
    }
    Some(li)
}

/// "Replying to NAME" above a reply to a reply: a button that moves the focus to the
/// comment answered, the name as its own isolated run so that a right-to-left name does
/// not reorder the sentence around it.
fn replying_to(doc: &web_sys::Document, name: &str, parent: &str, text: &RowText) -> Option<web_sys::Element> {
    let line = make(doc, "p", "rc-comment__to")?;
    let to = button(doc, "rc-comment__to-button")?;
    to.set_attribute("data-to", parent).ok()?;
    let (before, after) = text.replying_to.split_once("{name}").unwrap_or((&text.replying_to, ""));
    let who = doc.create_element("bdi").ok()?;
    who.set_text_content(Some(name));
    to.append_with_str_1(before).ok()?;
    to.append_child(&who).ok()?;
    to.append_with_str_1(after).ok()?;
    line.append_child(&to).ok()?;
    Some(line)
}

/// A row's buttons, when it has any: Recommend, Reply and Report (not on the reader's
/// own comment) when the endpoint offers them, and Edit and Delete on this reader's own comment while the endpoint's edit window is
/// open (by this browser's clock; the endpoint's 403 covers clocks that disagree; Edit
/// not on a closed thread).
fn row_actions(doc: &web_sys::Document, c: &Shown, text: &RowText) -> Option<web_sys::Element> {
    let own = c.status != Status::Deleted
        && text.mine.contains(&c.id)
        && matches!((text.edit_window_ms, c.created_at), (Some(w), Some(t)) if (js_sys::Date::now() as i64) < t + w);
    let published = c.status == Status::Published;
    let report = text.report && published && !text.mine.contains(&c.id);
    if !(((text.recommend || text.reply) && published) || own || report) {
        return None;
    }
    let actions = make(doc, "div", "rc-comment__actions")?;
    if text.recommend && published {
        let toggle = button(doc, "rc-recommend")?;
        toggle.append_with_str_1(&text.recommend_word).ok()?;
        let count = make(doc, "span", "rc-recommend__count")?;
        toggle.append_child(&count).ok()?;
        set_recommend(&toggle, c, text);
        actions.append_child(&toggle).ok()?;
    }
    if text.reply && published {
        let reply = button(doc, "rc-reply")?;
        reply.set_text_content(Some(&text.reply_word[0]));
        reply.set_attribute("aria-label", &fill_in(&text.reply_word[1], &c.author, 0)).ok()?;
        actions.append_child(&reply).ok()?;
    }
    if report {
        let button = button(doc, "rc-report")?;
        button.set_text_content(Some(&text.report_words[0]));
        button.set_attribute("aria-label", &fill_in(&text.report_words[1], &c.author, 0)).ok()?;
        actions.append_child(&button).ok()?;
    }
    if own {
        let edit = (!text.no_edits).then_some(("rc-edit", 0, 1));
        for (class, word, label) in edit.into_iter().chain([("rc-delete", 2, 3)]) {
            let button = button(doc, class)?;
            button.set_text_content(Some(&text.own_words[word]));
            button.set_attribute("aria-label", &text.own_words[label]).ok()?;
            actions.append_child(&button).ok()?;
        }
    }
    Some(actions)
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
    /// Where it was placed: the index of its top-level comment.
    root: usize,
    /// Its list of replies, once it has one (top-level rows only).
    replies: Option<web_sys::Element>,
    /// Its "Show N more replies" button, while it has one.
    more: Option<web_sys::Element>,
}

/// Whether `old` and `new` differ only in their recommends, which the row's toggle
/// shows without rebuilding the row (so the focused toggle keeps the focus).
fn only_recommends_differ(old: &Shown, new: &Shown) -> bool {
    (old.recommends, old.recommended) != (new.recommends, new.recommended)
        && Shown { recommends: new.recommends, recommended: new.recommended, ..old.clone() } == *new
}

/// The list of replies of a top-level row, made on first use.
fn replies_of(row: &mut Rendered, text: &RowText) -> Option<web_sys::Element> {
    if row.replies.is_none() {
        let doc = row.li.owner_document()?;
        let list = make(&doc, "ol", "rc-replies")?;
        list.set_attribute("part", "replies").ok()?;
        list.set_attribute("aria-label", &fill_in(&text.replies_to, &row.comment.author, 0)).ok()?;
        row.li.last_element_child()?.append_child(&list).ok()?;
        row.replies = Some(list);
    }
    row.replies.clone()
}

/// Shows "Show N more replies" under each top-level row whose `reply_count` says more
/// replies exist than are shown, and removes it where none are left.
fn sync_more_buttons(rendered: &mut [Rendered], text: &RowText) {
    let mut shown = vec![0u64; rendered.len()];
    for (i, row) in rendered.iter().enumerate() {
        if row.root != i {
            shown[row.root] += 1;
        }
    }
    for (i, row) in rendered.iter_mut().enumerate() {
        let missing = row.comment.reply_count.map_or(0, |n| (n as u64).saturating_sub(shown[i]));
        if row.root != i || missing == 0 {
            if let Some(button) = row.more.take() {
                button.remove();
            }
            continue;
        }
        if row.more.is_none() {
            let Some(doc) = row.li.owner_document() else { continue };
            let Some(more) = make(&doc, "button", "rc-button rc-button--secondary rc-more-replies") else { continue };
            let _ = more.set_attribute("type", "button");
            let _ = more.set_attribute("part", "button");
            let _ = more.set_attribute("data-root", &row.comment.id);
            if let Some(main) = row.li.last_element_child() {
                let _ = main.append_child(&more);
            }
            row.more = Some(more);
        }
        if let Some(more) = &row.more {
            more.set_text_content(Some(&fill_in(&text.more_replies[usize::from(missing != 1)], "", missing)));
        }
    }
}

/// Brings the `<ol>` in line with `comments`. The list mostly grows at the end (a page,
/// "Load more", more replies, a posted comment) or changes in place (a comment edited,
/// approved or recommended): those touch only the rows concerned. Replies go in their
/// top-level comment's list of replies (contract v1.1). Any other change rebuilds the rows.
fn sync_rows(ol: &web_sys::Element, rendered: &mut Vec<Rendered>, comments: &[Shown], locale: &str, text: &RowText) {
    let places = reader_comments_core::place(comments);
    // A reply sits in its top-level row's list only when that row comes before it (in a
    // flat list a reply may come first: it then stays at the top level).
    let roots: Vec<usize> = places.iter().enumerate().map(|(i, p)| if p.root < i { p.root } else { i }).collect();
    let in_order = rendered.len() <= comments.len()
        && rendered.iter().zip(comments).zip(&roots).all(|((r, c), root)| r.comment.id == c.id && r.root == *root);
    if !in_order {
        for row in rendered.drain(..) {
            row.li.remove();
        }
    }
    let parent_author = |i: usize| {
        let p = places[i];
        p.parent.filter(|parent| *parent != p.root).map(|parent| comments[parent].author.as_str())
    };
    let mut failed = false;
    for (i, (row, comment)) in rendered.iter_mut().zip(comments).enumerate() {
        if row.comment == *comment {
            continue;
        }
        if only_recommends_differ(&row.comment, comment) {
            if let Ok(Some(toggle)) = row.li.query_selector(".rc-recommend") {
                set_recommend(&toggle, comment, text);
            }
        } else {
            match comment_row(comment, parent_author(i), locale, text) {
                Some(li) => {
                    // A top-level row keeps its replies and its "more" button.
                    if let Some(main) = li.last_element_child() {
                        for kept in [&row.replies, &row.more].into_iter().flatten() {
                            let _ = main.append_child(kept);
                        }
                    }
                    let _ = row.li.replace_with_with_node_1(&li);
                    row.li = li;
                }
                None => failed = true,
            }
        }
        row.comment = comment.clone();
    }
    let Some(doc) = ol.owner_document() else { return };
    let fragment = doc.create_document_fragment();
    for i in rendered.len()..comments.len() {
        let comment = &comments[i];
        let Some(li) = comment_row(comment, parent_author(i), locale, text) else {
            failed = true;
            // Keep the indexes aligned with the comments: an empty placeholder row.
            let Ok(blank) = doc.create_element("li") else { return };
            rendered.push(Rendered { comment: comment.clone(), li: blank, root: roots[i], replies: None, more: None });
            continue;
        };
        let root = roots[i];
        match if root < i { replies_of(&mut rendered[root], text) } else { None } {
            Some(list) => {
                let _ = list.append_child(&li);
            }
            None => {
                let _ = fragment.append_child(&li);
            }
        }
        rendered.push(Rendered { comment: comment.clone(), li, root, replies: None, more: None });
    }
    let _ = ol.append_child(&fragment);
    sync_more_buttons(rendered, text);
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

/// What a reader asked of a row (contract v1.1); the thread acts on it.
#[derive(Clone, Debug, PartialEq)]
pub enum RowAction {
    /// The recommend toggle of the comment with this id was pressed.
    Recommend(String),
    /// "Show N more replies" under the top-level comment with this id was pressed.
    MoreReplies(String),
    /// Reply was pressed on this row (the comment's id, its author, the row).
    Reply(String, String, web_sys::Element),
    /// Edit was pressed on the reader's own comment (its id, the row).
    Edit(String, web_sys::Element),
    /// The reader confirmed deleting their comment (its id, the row).
    Delete(String, web_sys::Element),
    /// The reader chose why to report a comment (its id, the reason's code, the row).
    Report(String, String, web_sys::Element),
}

/// Asks, in the row, whether to delete the reader's comment ("Delete" or "Keep it").
fn ask_delete(row: &web_sys::Element, text: &RowText) -> Option<()> {
    let main = row.last_element_child()?;
    if main.query_selector(":scope > .rc-confirm").ok()?.is_some() {
        return Some(());
    }
    let doc = row.owner_document()?;
    let group = make(&doc, "div", "rc-confirm")?;
    group.set_attribute("role", "group").ok()?;
    group.set_attribute("aria-label", &text.own_words[4]).ok()?;
    let question = make(&doc, "p", "rc-confirm__question")?;
    question.set_text_content(Some(&text.own_words[4]));
    let yes = button(&doc, "rc-confirm-delete")?;
    yes.set_text_content(Some(&text.own_words[2]));
    let no = button(&doc, "rc-confirm-keep")?;
    no.set_text_content(Some(&text.own_words[5]));
    group.append_with_node_3(&question, &yes, &no).ok()?;
    let after = main.query_selector(":scope > .rc-comment__actions").ok()??;
    main.insert_before(&group, after.next_sibling().as_ref()).ok()?;
    no.dyn_ref::<web_sys::HtmlElement>()?.focus().ok()
}

/// Moves the focus to the row of comment `id` ("Replying to …" was pressed).
fn focus_row(rendered: &[Rendered], id: &str) {
    if let Some(row) = rendered.iter().find(|r| r.comment.id == id) {
        let _ = row.li.set_attribute("tabindex", "-1");
        if let Some(li) = row.li.dyn_ref::<web_sys::HtmlElement>() {
            let _ = li.focus();
        }
    }
}

/// The comments, in the endpoint's order, replies in their top-level comment's list.
/// The rows are kept by hand rather than by a keyed `<For>`: the list only grows or
/// changes in place, and one directly built row per comment costs a fraction of a
/// reactive view per comment (docs/performance.md).
#[component]
pub fn CommentList(
    /// The comments shown.
    comments: ReadSignal<Vec<Shown>>,
    /// The locale for relative times.
    locale: String,
    /// Bodies longer than this many UTF-16 units are shown cut, with "Show all".
    #[prop(optional)]
    cut_at: Option<usize>,
    /// What the endpoint offers (contract v1.1): rows carry the recommend toggle when it
    /// advertises recommends.
    #[prop(optional)]
    capabilities: Option<ReadSignal<Option<Capabilities>>>,
    /// Whether the thread is closed: no Reply, no Edit (Delete and Recommend stay).
    #[prop(optional)]
    closed: Option<ReadSignal<bool>>,
    /// What to do when a reader recommends or asks for more replies.
    #[prop(optional)]
    on_action: Option<Callback<RowAction>>,
    /// The thread's URL, to know which comments are this reader's (their edit tokens).
    #[prop(optional)]
    endpoint: Option<String>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let cut_at = cut_at.unwrap_or(DEFAULT_CUT_AT);
    let list = NodeRef::<leptos::html::Ol>::new();
    keep_times_fresh(list, locale.clone());
    let rendered = StoredValue::new_local(Vec::<Rendered>::new());
    // The texts of the last render, for the rows' own question (deleting).
    let row_text = StoredValue::new_local(None::<std::rc::Rc<RowText>>);
    Effect::new(move |_| {
        let Some(ol) = list.get() else { return };
        let offered = capabilities.and_then(|c| c.with(|c| c.as_ref().map(|c| (c.recommend, c.replies))));
        let report = capabilities.is_some_and(|c| c.with(|c| c.as_ref().is_some_and(|c| c.report)));
        let window = capabilities.and_then(|c| c.with(|c| c.as_ref().and_then(|c| c.edit_window_s)));
        let (recommend, reply) = offered.unwrap_or_default();
        let closed = closed.is_some_and(|c| c.get());
        let mut text = RowText::new(&strings, cut_at, (recommend, reply && !closed));
        text.edit_window_ms = window.map(|s| s as i64 * 1000);
        text.no_edits = closed;
        text.report = report;
        if let (Some(_), Some(endpoint)) = (text.edit_window_ms, &endpoint) {
            text.mine = crate::memory::tokens(endpoint).into_iter().map(|(id, _)| id).collect();
        }
        let text = std::rc::Rc::new(text);
        row_text.set_value(Some(text.clone()));
        comments.with(|comments| {
            rendered.update_value(|rendered| sync_rows(&ol, rendered, comments, &locale, &text));
        });
    });
    // One listener for every row's buttons (rows are not Leptos views).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(control) = target.and_then(|t| t.closest("button").ok().flatten()) else { return };
        let Some(row) = control.closest("li").ok().flatten() else { return };
        let classes = control.class_list();
        let data = |name: &str| control.get_attribute(name).or_else(|| row.get_attribute(name));
        let act = |action: RowAction| {
            if let Some(callback) = on_action {
                callback.run(action);
            }
        };
        if classes.contains("rc-comment__more") {
            rendered.with_value(|rendered| show_all(&row, rendered));
        } else if classes.contains("rc-recommend") {
            if let Some(id) = data("data-id") {
                act(RowAction::Recommend(id));
            }
        } else if classes.contains("rc-more-replies") {
            if let Some(root) = data("data-root") {
                act(RowAction::MoreReplies(root));
            }
        } else if classes.contains("rc-reply") {
            let id = data("data-id").unwrap_or_default();
            let author =
                rendered.with_value(|r| r.iter().find(|r| r.comment.id == id).map(|r| r.comment.author.clone()));
            act(RowAction::Reply(id, author.unwrap_or_default(), row));
        } else if classes.contains("rc-edit") {
            act(RowAction::Edit(data("data-id").unwrap_or_default(), row));
        } else if classes.contains("rc-delete") {
            if let Some(text) = row_text.get_value() {
                ask_delete(&row, &text);
            }
        } else if classes.contains("rc-confirm-keep") || classes.contains("rc-confirm-delete") {
            if let Some(group) = control.closest(".rc-confirm").ok().flatten() {
                group.remove();
            }
            if classes.contains("rc-confirm-delete") {
                act(RowAction::Delete(data("data-id").unwrap_or_default(), row));
            } else if let Ok(Some(delete)) =
                row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-delete")
            {
                if let Some(delete) = delete.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = delete.focus();
                }
            }
        } else if classes.contains("rc-report") {
            if let Some(text) = row_text.get_value() {
                crate::report::ask(&row, &text);
            }
        } else if classes.contains("rc-report-reason") {
            if let (Some(id), Some(reason)) = (row.get_attribute("data-id"), control.get_attribute("data-reason")) {
                act(RowAction::Report(id, reason, row));
            }
        } else if classes.contains("rc-report-cancel") {
            crate::report::cancel(&row);
        } else if let Some(to) = data("data-to") {
            rendered.with_value(|rendered| focus_row(rendered, &to));
        }
    };
    view! { <ol class="rc-list" part="list" node_ref=list on:click=on_click></ol> }
}

/// Where bodies are cut when the list is not told: four times the default maximum
/// length, in UTF-16 units (a valid comment in any script stays whole).
pub const DEFAULT_CUT_AT: usize = 20_000;
