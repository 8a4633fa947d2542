//! One comment's row: its initials avatar, name, relative time and text, every one a
//! text node, built by cloning one skeleton made with the DOM API; with contract v1.1
//! "Replying to", "Edited", the deleted state and a cut body's "Show all". What else
//! the row shows: its texts in `row_text.rs`, its buttons in `row_actions.rs`, its
//! questions and lines in `row_questions.rs`.

use crate::cache::SmallCache;
use crate::elements::{button, make, set_class, set_text};
use crate::json::Shown;
use crate::relative_time::relative_time;
use crate::row_actions::row_actions;
use crate::row_text::RowText;
use js_sys::JsString;
use reader_comments_core::time::format_rfc3339;
use reader_comments_core::{avatar_slot, initial_with, Status};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
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
    // Contract v1.2: an editor's pick, the newsroom's staff; v1.3: a reader signed in
    // with the site's account (the staff's mark says more). Set by the endpoint.
    for (on, class, words) in [
        (c.featured, "rc-mark rc-mark--featured", &text.marks[0]),
        (c.staff, "rc-mark rc-mark--staff", &text.marks[1]),
        (c.verified && !c.staff, "rc-mark rc-mark--verified", &text.marks[2]),
    ] {
        if on && !deleted {
            let mark = make(&doc, "span", class)?;
            mark.set_attribute("part", "mark").ok()?;
            mark.set_text_content(Some(words));
            meta.append_child(&mark).ok()?;
        }
    }
    let rejected = text.rejected.iter().find(|(id, _)| *id == c.id).map(|(_, why)| why);
    if c.status == Status::Pending {
        let (class, badge) = match rejected {
            Some(_) => ("rc-comment rc-comment--rejected", &text.rejected_badge),
            None => ("rc-comment rc-comment--pending", &text.badge),
        };
        li.set_class_name(class);
        let badge_el = make(&doc, "span", "rc-badge")?;
        badge_el.set_attribute("part", "badge").ok()?;
        badge_el.set_text_content(Some(badge));
        meta.append_child(&badge_el).ok()?;
    }
    if let (Some(why), Status::Pending) = (rejected, c.status) {
        // Why it was not published (the moderator's note is the endpoint's text: a text
        // node like every other), and the site's guidelines.
        let fate = make(&doc, "p", "rc-comment__fate")?;
        fate.set_attribute("part", "fate").ok()?;
        fate.set_text_content(Some(why));
        if let Some([url, words]) = &text.guidelines {
            let link = doc.create_element("a").ok()?;
            link.set_attribute("href", url).ok()?;
            link.set_text_content(Some(words));
            fate.append_with_str_1(" ").ok()?;
            fate.append_child(&link).ok()?;
        }
        main.append_child(&fate).ok()?;
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
