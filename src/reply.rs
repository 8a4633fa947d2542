//! The reply form (contract v1.1): opened under the comment answered, with the main
//! form's rules, counter, messages and nothing-lost draft (one per comment answered,
//! restored after a reload). Cancel and Escape close it and keep its draft, the focus
//! going back to that comment's Reply button; a confirmed reply appears under its
//! comment and takes the focus. Rows are plain DOM, so the form is mounted into its
//! own element in the row.

use crate::api::Posted;
use crate::comment_form::{CommentForm, ReplyTo};
use crate::i18n::Strings;
use crate::thread::ThreadState;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A reply form on screen: which comment it answers, where it is, and the handle that
/// tears it down when dropped.
pub struct OpenReply {
    parent: String,
    row: Element,
    container: Element,
    _handle: Box<dyn std::any::Any>,
}

/// Focuses `element` (making it focusable first when it is not a control).
fn focus(element: &Element, make_focusable: bool) {
    if make_focusable {
        let _ = element.set_attribute("tabindex", "-1");
    }
    if let Some(el) = element.dyn_ref::<HtmlElement>() {
        let _ = el.focus();
    }
}

/// The row of comment `id` under `row`'s list, or anywhere in the section's list.
fn find_row(row: &Element, id: &str) -> Option<Element> {
    let list = row.closest(".rc-list").ok()??;
    let rows = list.query_selector_all(".rc-comment").ok()?;
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
        .find(|li| li.get_attribute("data-id").as_deref() == Some(id))
}

impl ThreadState {
    /// Opens the reply form under `row`, the comment `parent` by `author` (closing any
    /// other; its draft stays).
    pub fn open_reply(self, strings: Strings, id_prefix: String, parent: String, author: String, row: Element) {
        if self.reply_form.with_value(|f| f.as_ref().is_some_and(|f| f.parent == parent)) {
            return;
        }
        self.close_reply(false);
        let (Some(main), Some(doc)) = (row.last_element_child(), row.owner_document()) else { return };
        let Ok(container) = doc.create_element("div") else { return };
        container.set_class_name("rc-reply-form");
        // Under the comment and its buttons, above its replies.
        let before = main.query_selector(":scope > .rc-replies, :scope > .rc-more-replies").ok().flatten();
        if main.insert_before(&container, before.as_ref().map(|e| e.as_ref())).is_err() {
            return;
        }
        let on_cancel = Callback::new(move |()| {
            // Not while the form's own handler runs: closing drops that handler.
            set_timeout(move || self.close_reply(true), Duration::ZERO);
        });
        let on_posted = Callback::new(move |posted: Posted| {
            let id = posted.comment.id.clone();
            self.add(posted.comment);
            set_timeout(
                move || {
                    let row = self.reply_form.try_with_value(|f| f.as_ref().map(|f| f.row.clone())).flatten();
                    self.close_reply(false);
                    if let Some(new_row) = row.and_then(|row| find_row(&row, &id)) {
                        focus(&new_row, true);
                    }
                },
                Duration::ZERO,
            );
        });
        let to = ReplyTo { parent: parent.clone(), author, on_cancel };
        let (endpoint, limits, timeout_ms) = (self.endpoint(), self.limits, self.timeout_ms);
        let Some(target) = container.dyn_ref::<HtmlElement>().cloned() else { return };
        let handle = leptos::mount::mount_to(target, move || {
            provide_context(strings);
            view! {
                <CommentForm
                    endpoint
                    limits=limits.into()
                    timeout_ms
                    id_prefix=format!("{id_prefix}-reply")
                    on_posted
                    reply=to
                />
            }
        });
        if let Ok(Some(field)) = container.query_selector("textarea") {
            focus(&field, false);
        }
        self.reply_form.set_value(Some(OpenReply { parent, row, container, _handle: Box::new(handle) }));
    }

    /// Closes the reply form (its draft stays); with `refocus`, the focus goes back to
    /// the Reply button it was opened from.
    pub fn close_reply(self, refocus: bool) {
        let Some(Some(open)) = self.reply_form.try_update_value(Option::take) else { return };
        open.container.remove();
        if refocus {
            if let Ok(Some(button)) =
                open.row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-reply")
            {
                focus(&button, false);
            }
        }
    }
}
