//! Reporting a comment to the moderators (contract v1.1 `capabilities.report`): the
//! row's Report button asks why in the row (three reasons, or Cancel), the thread sends
//! the reason with the reader's key, and the reader is told in the row what happened: a
//! sent report turns the button into "Reported" and thanks them; a failed one says why
//! in the question, whose reasons stay open to try again.

use crate::comment_row::{button, make, RowText};
use crate::i18n::Key;
use crate::thread::ThreadState;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The reasons, as the contract sends them, in the order the reader sees them.
pub const REASONS: [&str; 3] = ["spam", "abuse", "other"];

/// The words of reporting, in [`RowText::report_words`]' order.
pub const WORDS: [Key; 7] = [
    Key::Report,
    Key::ReportLabel,
    Key::ReportQuestion,
    Key::ReportSpam,
    Key::ReportAbuse,
    Key::ReportOther,
    Key::Cancel,
];

fn focus(element: &Element) {
    if let Some(el) = element.dyn_ref::<HtmlElement>() {
        let _ = el.focus();
    }
}

/// The row's open question, if it asks.
fn question_of(row: &Element) -> Option<Element> {
    row.last_element_child()?.query_selector(":scope > .rc-report-ask").ok()?
}

/// Asks in the row why the reader reports its comment: a group named by the question,
/// one button per reason and Cancel; the focus goes to the first reason.
pub fn ask(row: &Element, text: &RowText) -> Option<()> {
    if let Some(open) = question_of(row) {
        return open.query_selector("button").ok()?.map(|b| focus(&b));
    }
    let words = &text.report_words;
    let main = row.last_element_child()?;
    let doc = row.owner_document()?;
    let group = make(&doc, "div", "rc-confirm rc-report-ask")?;
    group.set_attribute("role", "group").ok()?;
    group.set_attribute("aria-label", &words[2]).ok()?;
    let question = make(&doc, "p", "rc-confirm__question")?;
    question.set_text_content(Some(&words[2]));
    group.append_child(&question).ok()?;
    for (reason, word) in REASONS.iter().zip(&words[3..6]) {
        let choice = button(&doc, "rc-report-reason")?;
        choice.set_attribute("data-reason", reason).ok()?;
        choice.set_text_content(Some(word));
        group.append_child(&choice).ok()?;
    }
    let cancel = button(&doc, "rc-report-cancel")?;
    cancel.set_text_content(Some(&words[6]));
    group.append_child(&cancel).ok()?;
    let after = main.query_selector(":scope > .rc-comment__actions").ok()??;
    main.insert_before(&group, after.next_sibling().as_ref()).ok()?;
    focus(&group.query_selector(".rc-report-reason").ok()??);
    Some(())
}

/// Closes the row's question (Cancel), the focus back on Report.
pub fn cancel(row: &Element) {
    if let Some(group) = question_of(row) {
        group.remove();
    }
    if let Ok(Some(report)) = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-report") {
        focus(&report);
    }
}

/// Says in the row that the report was sent: Report becomes "Reported", the question
/// gives way to the thanks, which take the focus (the reader stays where they were).
fn thank(row: &Element, group: &Element, words: (String, String)) -> Option<()> {
    let doc = row.owner_document()?;
    let report = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-report").ok()?;
    if let (Some(button), Some(mark)) = (report, make(&doc, "span", "rc-reported")) {
        mark.set_text_content(Some(&words.0));
        let _ = button.replace_with_with_node_1(&mark);
    }
    let thanks = make(&doc, "p", "rc-report-thanks")?;
    thanks.set_attribute("role", "status").ok()?;
    thanks.set_attribute("tabindex", "-1").ok()?;
    thanks.set_text_content(Some(&words.1));
    group.replace_with_with_node_1(&thanks).ok()?;
    focus(&thanks);
    Some(())
}

/// Says in the question why the report was not sent (an alert: the focus stays on the
/// reason pressed, to press it again).
fn not_sent(group: &Element, text: &str) -> Option<()> {
    let line = match group.query_selector(".rc-report-error").ok()? {
        Some(line) => line,
        None => {
            let line = make(&group.owner_document()?, "p", "rc-error rc-report-error")?;
            line.set_attribute("role", "alert").ok()?;
            group.insert_before(&line, group.first_element_child()?.next_sibling().as_ref()).ok()?;
            line
        }
    };
    line.set_text_content(Some(text));
    Some(())
}

impl ThreadState {
    /// Sends the reader's report of comment `id` with `reason` (a reason button of
    /// `row` was pressed), and says in the row what came of it.
    pub fn report(self, id: String, reason: String, row: Element) {
        let Some(group) = question_of(&row) else { return };
        // One report at a time from a row: a second press while one is sent is ignored.
        if group.get_attribute("aria-busy").is_some() {
            return;
        }
        let _ = group.set_attribute("aria-busy", "true");
        let endpoint = self.endpoint();
        let reader = crate::memory::reader_key(&endpoint);
        let strings = self.strings();
        spawn_local(async move {
            let sent = crate::api::report(&endpoint, &id, &reader, &reason, self.timeout_ms).await;
            let _ = group.remove_attribute("aria-busy");
            match sent {
                Ok(()) => thank(&row, &group, (strings.get(Key::Reported), strings.get(Key::ReportThanks))),
                Err(error) => {
                    not_sent(&group, &format!("{} {}", strings.get(Key::ReportFailed), error.message(&strings)))
                }
            };
        });
    }
}
