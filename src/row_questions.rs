//! What a comment row asks and says in place: a question under its buttons (Delete's,
//! Report's reasons), the line that says why what the reader pressed failed, and where
//! the focus goes.

use crate::elements::{focus, make};
use crate::row_text::RowText;

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

/// The answers of a question in a row, side by side: one button per (class, words) of
/// `choices` (each class says how it looks: `rc-button--danger` for a destructive
/// answer, `rc-button--secondary` for a safe one).
pub(crate) fn answers(doc: &web_sys::Document, choices: &[(&str, &str)]) -> Option<web_sys::Element> {
    let line = make(doc, "div", "rc-confirm__buttons")?;
    for (class, words) in choices {
        let choice = make(doc, "button", &format!("rc-button {class}"))?;
        choice.set_attribute("type", "button").ok()?;
        choice.set_attribute("part", "button").ok()?;
        choice.set_text_content(Some(words));
        line.append_child(&choice).ok()?;
    }
    Some(line)
}

/// Puts `group` (a question) in `row`, under its buttons.
pub(crate) fn place_in_row(row: &web_sys::Element, group: &web_sys::Element) -> Option<()> {
    let main = row.last_element_child()?;
    let after = main.query_selector(":scope > .rc-comment__actions").ok()??;
    main.insert_before(group, after.next_sibling().as_ref()).ok()?;
    Some(())
}

/// Asks, in the row, whether to delete the reader's comment: a group named by the
/// question, a destructive "Delete" that looks unlike the safe "Keep it", which gets
/// the focus.
pub(crate) fn ask_delete(row: &web_sys::Element, text: &RowText) -> Option<()> {
    if row.last_element_child()?.query_selector(":scope > .rc-confirm").ok()?.is_some() {
        return Some(());
    }
    let words = &text.own_words;
    let doc = row.owner_document()?;
    let group = make(&doc, "div", "rc-confirm")?;
    group.set_attribute("role", "group").ok()?;
    group.set_attribute("aria-label", &words[4]).ok()?;
    let line = make(&doc, "p", "rc-confirm__question")?;
    line.set_text_content(Some(&words[4]));
    group.append_child(&line).ok()?;
    let choices = [
        ("rc-button--danger rc-confirm-delete", words[2].as_str()),
        ("rc-button--secondary rc-confirm-keep", words[5].as_str()),
    ];
    let buttons = answers(&doc, &choices)?;
    group.append_child(&buttons).ok()?;
    place_in_row(row, &group)?;
    focus(&group.query_selector(".rc-confirm-keep").ok()??, false);
    Some(())
}
