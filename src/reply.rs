//! The forms opened in a row (contract v1.1): the reply form, under the comment
//! answered, and the edit form, in place of the reader's own comment's text. Each has the
//! main form's rules, counter, messages and nothing-lost draft (one per comment,
//! restored after a reload). Cancel and Escape close it and keep its draft, the focus
//! going back to the button that opened it; a confirmed reply or edit shows at once and
//! takes the focus. Rows are plain DOM, so a form is mounted into its own element in the
//! row. Deleting the reader's own comment is here too.

use crate::api::Posted;
use crate::comment_form::{EditOf, ReplyTo};
use crate::elements::focus;
use crate::i18n::{Key, Strings};
use crate::row_questions::say_in_row;
use crate::thread::ThreadState;
use crate::writer::{Form, Mount};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A reply form on screen: which comment it answers, where it is, and the handle that
/// tears it down when dropped.
pub struct OpenReply {
    /// Which form: "reply:ID" or "edit:ID".
    parent: String,
    row: Element,
    container: Element,
    /// What the form stands in for while open (an edited comment's text and buttons).
    hidden: Vec<Element>,
    /// The class of the button the focus goes back to on Cancel.
    back: &'static str,
    /// The mounted form (nothing while the writing part is on its way).
    _handle: Box<dyn std::any::Any>,
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
    /// Mounts `form` into `container` (the writing part is fetched first, the first time)
    /// and moves the focus into its text field. If the writing part cannot be fetched, the
    /// form's place goes and the row says why, under its buttons.
    fn mount_form(self, strings: Strings, id_prefix: String, container: &Element, form: Form) {
        let Some(target) = container.dyn_ref::<HtmlElement>().cloned() else { return };
        let (endpoint, limits, timeout_ms) = (self.endpoint(), self.limits, self.timeout_ms);
        let container = container.clone();
        let mount = Mount { target, endpoint, limits, timeout_ms, strings: strings.clone(), id_prefix, form };
        spawn_local(async move {
            let mounted = crate::writer::mount(mount).await;
            // Closed, or another form opened, while the part was on its way: this one goes.
            let open = self.reply_form.try_with_value(|f| f.as_ref().is_some_and(|f| f.container == container));
            match (mounted, open) {
                (Ok(handle), Some(true)) => {
                    self.reply_form.update_value(|f| {
                        if let Some(f) = f {
                            f._handle = handle;
                        }
                    });
                    if let Ok(Some(field)) = container.query_selector("textarea") {
                        focus(&field, false);
                    }
                }
                (Err(_), Some(true)) => {
                    let back = self.reply_form.with_value(|f| f.as_ref().map(|f| (f.row.clone(), f.back)));
                    self.close_reply(true);
                    let button = back.and_then(|(row, back)| {
                        row.query_selector(&format!(":scope > .rc-comment__main > .rc-comment__actions .{back}"))
                            .ok()?
                    });
                    if let Some(button) = button {
                        say_in_row(&button, Some(&strings.get(Key::WriterFailed)));
                    }
                }
                _ => {}
            }
        });
    }

    /// After a confirmed reply or edit: closes the form (once its own handlers are done)
    /// and moves the focus to the comment `id`.
    fn settle_on(self, id: String) {
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
    }

    /// Opens the reply form under `row`, the comment `parent` by `author` (closing any
    /// other; its draft stays).
    pub fn open_reply(self, strings: Strings, id_prefix: String, parent: String, author: String, row: Element) {
        if self.reply_form.with_value(|f| f.as_ref().is_some_and(|f| f.parent == format!("reply:{parent}"))) {
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
            // The form's own thank-you goes with the form: the section says it instead.
            let said = if posted.pending { Key::PostedPending } else { Key::Posted };
            self.announce.try_set(self.strings().get(said));
            self.add(posted.comment);
            self.settle_on(id);
        });
        let to = ReplyTo { parent: parent.clone(), author, on_cancel };
        let key = format!("reply:{parent}");
        self.reply_form.set_value(Some(OpenReply {
            parent: key,
            row,
            container: container.clone(),
            hidden: Vec::new(),
            back: "rc-reply",
            _handle: Box::new(()),
        }));
        self.mount_form(strings, format!("{id_prefix}-reply"), &container, Form::Reply(to, on_posted));
    }

    /// Closes the reply form (its draft stays); with `refocus`, the focus goes back to
    /// the Reply button it was opened from.
    pub fn close_reply(self, refocus: bool) {
        let Some(Some(open)) = self.reply_form.try_update_value(Option::take) else { return };
        open.container.remove();
        for element in &open.hidden {
            let _ = element.remove_attribute("hidden");
        }
        if refocus {
            let selector = format!(":scope > .rc-comment__main > .rc-comment__actions .{}", open.back);
            if let Ok(Some(button)) = open.row.query_selector(&selector) {
                focus(&button, false);
            }
        }
    }

    /// Opens the edit form in place of the text of the reader's comment `id` in `row`.
    pub fn open_edit(self, strings: Strings, id_prefix: String, id: String, row: Element) {
        let endpoint = self.endpoint();
        let token = crate::memory::tokens(&endpoint).into_iter().find(|(i, _)| *i == id).map(|(_, t)| t);
        let comment = self.comments.with_untracked(|l| l.iter().find(|c| c.id == id).cloned());
        let (Some(token), Some(comment)) = (token, comment) else { return };
        self.close_reply(false);
        let Some(main) = row.last_element_child() else { return };
        let Some(doc) = row.owner_document() else { return };
        let Ok(container) = doc.create_element("div") else { return };
        container.set_class_name("rc-reply-form rc-edit-form");
        let body = main.query_selector(":scope > .rc-comment__body").ok().flatten();
        let actions = main.query_selector(":scope > .rc-comment__actions").ok().flatten();
        let hidden: Vec<Element> = body.iter().chain(actions.iter()).cloned().collect();
        if main.insert_before(&container, body.as_ref().map(|b| b.as_ref())).is_err() {
            return;
        }
        for element in &hidden {
            let _ = element.set_attribute("hidden", "");
        }
        let on_cancel = Callback::new(move |()| {
            set_timeout(move || self.close_reply(true), Duration::ZERO);
        });
        let on_saved = Callback::new(move |saved: crate::json::Shown| {
            let id = saved.id.clone();
            self.announce.try_set(self.strings().get(Key::EditSaved));
            self.comments.try_update(|list| {
                if let Some(c) = list.iter_mut().find(|c| c.id == saved.id) {
                    // What the answer may not repeat stays as it was.
                    let (replies, recommends, recommended) = (c.reply_count, c.recommends, c.recommended);
                    *c = saved;
                    c.reply_count = c.reply_count.or(replies);
                    c.recommends = c.recommends.or(recommends);
                    c.recommended |= recommended;
                }
            });
            self.settle_on(id);
        });
        let of = EditOf {
            id: id.clone(),
            author: comment.author.clone(),
            body: String::from(comment.body.clone()),
            token,
            on_cancel,
            on_saved,
        };
        self.reply_form.set_value(Some(OpenReply {
            parent: format!("edit:{id}"),
            row,
            container: container.clone(),
            hidden,
            back: "rc-edit",
            _handle: Box::new(()),
        }));
        self.mount_form(strings, format!("{id_prefix}-edit"), &container, Form::Edit(of));
    }

    /// Deletes the reader's comment `id` (confirmed in its row): one that replies answer
    /// stays as "This comment was deleted", one without goes; the reader is told at the
    /// list's end, where the focus goes (the row may be gone). A failure is said in the
    /// row, the focus back on its Delete to try again.
    pub fn delete(self, id: String, row: Element) {
        let endpoint = self.endpoint();
        let Some(token) = crate::memory::tokens(&endpoint).into_iter().find(|(i, _)| *i == id).map(|(_, t)| t) else {
            return;
        };
        let strings = self.strings();
        let note =
            row.closest("section").ok().flatten().and_then(|s| s.query_selector(".rc-action-error").ok().flatten());
        let again = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions .rc-delete").ok().flatten();
        if let Some(again) = &again {
            say_in_row(again, None);
        }
        spawn_local(async move {
            let text = match crate::api::delete_comment(&endpoint, &id, &token, self.timeout_ms).await {
                Ok(()) => {
                    crate::memory::set_token(&endpoint, &id, None);
                    self.comments.try_update(|list| {
                        if list.iter().any(|c| c.parent_id.as_deref() == Some(id.as_str())) {
                            if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                                c.status = reader_comments_core::Status::Deleted;
                                c.author = String::new();
                                c.body = js_sys::JsString::from("");
                            }
                        } else {
                            list.retain(|c| c.id != id);
                        }
                    });
                    strings.get(Key::DeletedYours)
                }
                Err(error) => {
                    let text = format!("{} {}", strings.get(Key::DeleteFailed), error.message(&strings));
                    if let Some(again) = again.filter(|again| say_in_row(again, Some(&text))) {
                        focus(&again, false);
                        return;
                    }
                    text
                }
            };
            self.action_error.try_set(Some(text));
            // The row may be gone: the focus goes to the sentence that says what happened.
            if let Some(note) = note {
                focus(&note, true);
            }
        });
    }
}
