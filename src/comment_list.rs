//! The list of comments, kept in line with the thread's state: rows appended, replaced
//! in place or rebuilt (comment_row.rs makes each), replies in their top-level comment's
//! list, "Show N more replies", and one click listener for every row's buttons.

use crate::comment_row::comment_row;
use crate::elements::{focus, make, set_text};
use crate::i18n::{Key, Strings};
use crate::json::Shown;
use crate::relative_time::keep_times_fresh;
use crate::row_actions::set_recommend;
use crate::row_questions::ask_delete;
use crate::row_text::{fill_in, RowText};
use leptos::prelude::*;
use reader_comments_core::Capabilities;
use wasm_bindgen::JsCast;

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
    focus(&body, true);
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
            let missing = usize::try_from(missing).unwrap_or(usize::MAX);
            more.set_text_content(Some(&text.strings.plural(crate::i18n::MORE_REPLIES, missing)));
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

/// What a reader asked of a row (contract v1.1); the thread acts on it.
#[derive(Clone, Debug, PartialEq)]
pub enum RowAction {
    /// The recommend toggle of the comment with this id was pressed (the toggle).
    Recommend(String, web_sys::Element),
    /// "Show N more replies" under the top-level comment with this id was pressed (the
    /// button).
    MoreReplies(String, web_sys::Element),
    /// Reply was pressed on this row (the comment's id, its author, the row).
    Reply(String, String, web_sys::Element),
    /// Edit was pressed on the reader's own comment (its id, the row).
    Edit(String, web_sys::Element),
    /// The reader confirmed deleting their comment (its id, the row).
    Delete(String, web_sys::Element),
    /// The reader chose why to report a comment (its id, the reason's code, the row).
    Report(String, String, web_sys::Element),
}

/// Moves the focus to the row of comment `id` ("Replying to …" was pressed).
fn focus_row(rendered: &[Rendered], id: &str) {
    if let Some(row) = rendered.iter().find(|r| r.comment.id == id) {
        focus(&row.li, true);
    }
}

/// Acts on a click on one of the rows' buttons: one listener serves them all (rows are
/// not Leptos views).
fn row_click(
    ev: &leptos::ev::MouseEvent,
    rendered: StoredValue<Vec<Rendered>, LocalStorage>,
    row_text: StoredValue<Option<std::rc::Rc<RowText>>, LocalStorage>,
    on_action: Option<Callback<RowAction>>,
) {
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
            act(RowAction::Recommend(id, control));
        }
    } else if classes.contains("rc-more-replies") {
        if let Some(root) = data("data-root") {
            act(RowAction::MoreReplies(root, control));
        }
    } else if classes.contains("rc-reply") {
        let id = data("data-id").unwrap_or_default();
        let author = rendered.with_value(|r| r.iter().find(|r| r.comment.id == id).map(|r| r.comment.author.clone()));
        act(RowAction::Reply(id, author.unwrap_or_default(), row));
    } else if classes.contains("rc-edit") {
        act(RowAction::Edit(data("data-id").unwrap_or_default(), row));
    } else if classes.contains("rc-own-more") {
        let open = control.get_attribute("aria-expanded").as_deref() == Some("true");
        let _ = control.set_attribute("aria-expanded", if open { "false" } else { "true" });
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
            row.query_selector(":scope > .rc-comment__main > .rc-comment__actions .rc-delete")
        {
            if let Some(delete) = delete.dyn_ref::<web_sys::HtmlElement>() {
                let _ = delete.focus();
            }
        }
    } else if classes.contains("rc-report") {
        if let Some(text) = row_text.get_value() {
            crate::report::ask(&row, &text);
        }
    } else if classes.contains("rc-report-send") {
        let reason = row_text.get_value().and_then(|text| crate::report::chosen(&row, &text));
        if let (Some(id), Some(reason)) = (row.get_attribute("data-id"), reason) {
            act(RowAction::Report(id, reason, row));
        }
    } else if classes.contains("rc-report-cancel") {
        crate::report::cancel(&row);
    } else if let Some(to) = data("data-to") {
        rendered.with_value(|rendered| focus_row(rendered, &to));
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
    /// The site's community guidelines (empty: none), linked from this reader's comments
    /// that were not published.
    #[prop(optional)]
    guidelines: String,
    /// The comment to move the focus to once its row is drawn (taken when it is).
    #[prop(optional)]
    focus_on: Option<StoredValue<Option<String>>>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let cut_at = cut_at.unwrap_or(DEFAULT_CUT_AT);
    let list = NodeRef::<leptos::html::Ol>::new();
    keep_times_fresh(list, locale.clone());
    let rendered = StoredValue::new_local(Vec::<Rendered>::new());
    // The texts of the last render, for the rows' own question (deleting).
    let row_text = StoredValue::new_local(None::<std::rc::Rc<RowText>>);
    let named_shown = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(ol) = list.get() else { return };
        let offered = capabilities.and_then(|c| c.with(|c| c.as_ref().map(|c| (c.recommend, c.replies))));
        let report = capabilities.is_some_and(|c| c.with(|c| c.as_ref().is_some_and(|c| c.report)));
        let window = capabilities.and_then(|c| c.with(|c| c.as_ref().and_then(|c| c.edit_window_s)));
        let (recommend, reply) = offered.unwrap_or_default();
        let closed = closed.is_some_and(|c| c.get());
        // Contract v1.3: where only signed-in readers write, a reader who is not signed
        // in gets no Reply and no Report (a Recommend says why it cannot be taken).
        let required = capabilities
            .is_some_and(|c| c.with(|c| c.as_ref().is_some_and(|c| c.sign_in.as_ref().is_some_and(|s| s.required))));
        let outside = required && endpoint.as_deref().is_none_or(|e| crate::account::name(e).is_none());
        let mut text = RowText::new(&strings, cut_at, (recommend, reply && !closed && !outside));
        text.edit_window_ms = window.map(|s| s as i64 * 1000);
        text.no_edits = closed;
        text.report = report && !outside;
        if let (Some(_), Some(endpoint)) = (text.edit_window_ms, &endpoint) {
            text.mine = crate::memory::tokens(endpoint).into_iter().map(|(id, _)| id).collect();
        }
        if let (true, Some(endpoint)) = (report, &endpoint) {
            text.reported = crate::memory::ids(crate::memory::Ids::Reported, endpoint);
        }
        if let Some(endpoint) = &endpoint {
            text.rejected = crate::memory::fates(endpoint);
        }
        text.guidelines = (!guidelines.is_empty()).then(|| [guidelines.clone(), strings.get(Key::Guidelines)]);
        let text = std::rc::Rc::new(text);
        row_text.set_value(Some(text.clone()));
        comments.with(|comments| {
            rendered.update_value(|rendered| sync_rows(&ol, rendered, comments, &locale, &text));
        });
        // The first comment "Load more" or "Show N more replies" revealed takes the focus
        // (the button pressed may be gone).
        if let Some(wanted) = focus_on.and_then(|f| f.get_value()) {
            rendered.with_value(|rendered| {
                if let Some(row) = rendered.iter().find(|r| r.comment.id == wanted) {
                    focus_on.into_iter().for_each(|f| f.set_value(None));
                    let li = row.li.clone();
                    set_timeout(move || focus(&li, true), std::time::Duration::ZERO);
                }
            });
        }
        // A comment named in the page's address (`#comment-ID`, as the moderation pages
        // link to one in place): shown, marked and focused once, when its row is there.
        if !named_shown.get_value() {
            let named = web_sys::window().and_then(|w| w.location().hash().ok());
            let id = named.as_deref().and_then(|h| h.strip_prefix("#comment-")).map(str::to_string);
            rendered.with_value(|rendered| {
                if let Some(row) = id.and_then(|id| rendered.iter().find(|r| r.comment.id == id)) {
                    let _ = row.li.class_list().add_1("rc-comment--named");
                    named_shown.set_value(true);
                    // After this update, once the list is shown (a hidden row takes no focus).
                    let li = row.li.clone();
                    set_timeout(
                        move || {
                            li.scroll_into_view();
                            focus(&li, true);
                        },
                        std::time::Duration::ZERO,
                    );
                }
            });
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| row_click(&ev, rendered, row_text, on_action);
    // In a row's report question: Escape closes it, the focus back on Report; Enter on a
    // reason sends it.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(ask) = target.as_ref().and_then(|t| t.closest(".rc-report-ask").ok().flatten()) else { return };
        match ev.key().as_str() {
            "Escape" => {
                if let Some(row) = ask.closest("li").ok().flatten() {
                    ev.prevent_default();
                    crate::report::cancel(&row);
                }
            }
            "Enter" if target.is_some_and(|t| t.class_list().contains("rc-report-reason")) => {
                if let Ok(Some(send)) = ask.query_selector(".rc-report-send") {
                    ev.prevent_default();
                    if let Some(send) = send.dyn_ref::<web_sys::HtmlElement>() {
                        send.click();
                    }
                }
            }
            _ => {}
        }
    };
    view! { <ol class="rc-list" part="list" node_ref=list on:click=on_click on:keydown=on_keydown></ol> }
}

/// Where bodies are cut when the list is not told: four times the default maximum
/// length, in UTF-16 units (a valid comment in any script stays whole).
pub const DEFAULT_CUT_AT: usize = 20_000;
