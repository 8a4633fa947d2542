//! One comment's row: its initials avatar, name, relative time and text, every one a
//! text node, built by cloning one skeleton made with the DOM API; with contract v1.1
//! "Replying to", "Edited", and the row's buttons (Recommend, Reply, Report, Edit and
//! Delete) and Delete's question.

use crate::cache::SmallCache;
use crate::i18n::{Key, Strings};
use crate::json::Shown;
use crate::relative_time::relative_time;
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

pub(crate) fn set_text(element: &web_sys::Element, text: &JsString) {
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
    /// The ids of the comments this reader reported (their rows say "Reported").
    pub reported: Vec<String>,
    /// "Reported".
    pub reported_word: String,
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
            reported: Vec::new(),
            reported_word: strings.get(Key::Reported),
        }
    }
}

/// `template` with `{name}` and `{n}` filled in.
pub(crate) fn fill_in(template: &str, name: &str, n: u64) -> String {
    template.replace("{name}", name).replace("{n}", &n.to_string())
}

/// Brings a recommend toggle in line with its comment: pressed or not, the count, and
/// the accessible name that says whose comment it is.
pub(crate) fn set_recommend(button: &web_sys::Element, comment: &Shown, text: &RowText) {
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
    if report && text.reported.contains(&c.id) {
        let mark = reported_mark(doc, &text.reported_word)?;
        actions.append_child(&mark).ok()?;
    } else if report {
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

/// "Reported", where Report was, on a comment this reader reported.
pub(crate) fn reported_mark(doc: &web_sys::Document, word: &str) -> Option<web_sys::Element> {
    let mark = make(doc, "span", "rc-reported")?;
    mark.set_text_content(Some(word));
    Some(mark)
}

/// Focuses `element` (making it focusable first when it is not a control).
pub(crate) fn focus(element: &web_sys::Element, make_focusable: bool) {
    if make_focusable {
        let _ = element.set_attribute("tabindex", "-1");
    }
    if let Some(el) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Says in a row, under the place of `control` (the row's buttons, or "Show N more
/// replies"), why what the reader pressed there failed: one alert line, replaced by the
/// next, taken away by `None`. False when `control` has left the page (the list was
/// rebuilt meanwhile): the caller then says it at the list's end.
pub(crate) fn say_in_row(control: &web_sys::Element, text: Option<&str>) -> bool {
    let place = control.closest(".rc-comment__actions").ok().flatten().unwrap_or_else(|| control.clone());
    let line = place.next_element_sibling().filter(|next| next.class_list().contains("rc-row-error"));
    match (text, line) {
        (None, Some(line)) => line.remove(),
        (Some(text), Some(line)) => line.set_text_content(Some(text)),
        (Some(text), None) => {
            let doc = place.owner_document();
            if let Some(line) = doc.and_then(|doc| make(&doc, "p", "rc-error rc-row-error")) {
                let _ = line.set_attribute("role", "alert");
                line.set_text_content(Some(text));
                let _ = place.after_with_node_1(&line);
            }
        }
        (None, None) => {}
    }
    control.is_connected()
}

/// Asks a question in the row, under its buttons: a group of class `class` named by the
/// question, the question as text, then one button per (class, words) of `choices`.
pub(crate) fn ask_in_row(
    row: &web_sys::Element,
    class: &str,
    question: &str,
    choices: &[(&str, &str)],
) -> Option<web_sys::Element> {
    let main = row.last_element_child()?;
    let doc = row.owner_document()?;
    let group = make(&doc, "div", class)?;
    group.set_attribute("role", "group").ok()?;
    group.set_attribute("aria-label", question).ok()?;
    let line = make(&doc, "p", "rc-confirm__question")?;
    line.set_text_content(Some(question));
    group.append_child(&line).ok()?;
    for (class, words) in choices {
        let choice = button(&doc, class)?;
        choice.set_text_content(Some(words));
        group.append_child(&choice).ok()?;
    }
    let after = main.query_selector(":scope > .rc-comment__actions").ok()??;
    main.insert_before(&group, after.next_sibling().as_ref()).ok()?;
    Some(group)
}

/// Asks, in the row, whether to delete the reader's comment ("Delete" or "Keep it");
/// the focus goes to the safe answer.
pub(crate) fn ask_delete(row: &web_sys::Element, text: &RowText) -> Option<()> {
    if row.last_element_child()?.query_selector(":scope > .rc-confirm").ok()?.is_some() {
        return Some(());
    }
    let words = &text.own_words;
    let choices = [("rc-confirm-delete", words[2].as_str()), ("rc-confirm-keep", words[5].as_str())];
    let group = ask_in_row(row, "rc-confirm", &words[4], &choices)?;
    focus(&group.query_selector(".rc-confirm-keep").ok()??, false);
    Some(())
}
