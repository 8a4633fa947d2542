//! Reporting a comment to the moderators (contract v1.1 `capabilities.report`): the
//! row's Report button asks why in the row (three reasons, or Cancel), the thread sends
//! the reason with the reader's key, and the reader is told in the row what happened: a
//! sent report turns the button into "Reported" (remembered in this browser, so it
//! stays after a reload) and thanks them; a failed one says why in the question, whose
//! reasons stay open to try again.

use crate::elements::{focus, make};
use crate::i18n::Key;
use crate::row_actions::reported_mark;
use crate::row_questions::ask_in_row;
use crate::row_text::RowText;
use crate::thread::ThreadState;
use leptos::task::spawn_local;
use reader_comments_core::REPORT_REASONS;
use wasm_bindgen::JsCast;
use web_sys::Element;

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

/// The row's open question, if it asks.
fn question_of(row: &Element) -> Option<Element> {
    row.last_element_child()?.query_selector(":scope > .rc-report-ask").ok()?
}

/// Asks in the row why the reader reports its comment: a group named by the question,
/// one button per reason and Cancel; the focus goes to the first reason.
pub fn ask(row: &Element, text: &RowText) -> Option<()> {
    if let Some(open) = question_of(row) {
        return open.query_selector("button").ok()?.map(|b| focus(&b, false));
    }
    let words = &text.report_words;
    let mut choices: Vec<(&str, &str)> = words[3..6].iter().map(|w| ("rc-report-reason", w.as_str())).collect();
    choices.push(("rc-report-cancel", &words[6]));
    let group = ask_in_row(row, "rc-confirm rc-report-ask", &words[2], &choices)?;
    let reasons = group.query_selector_all(".rc-report-reason").ok()?;
    for (index, reason) in REPORT_REASONS.iter().enumerate() {
        let choice = reasons.item(index as u32)?.dyn_into::<Element>().ok()?;
        choice.set_attribute("data-reason", reason).ok()?;
    }
    focus(&group.query_selector(".rc-report-reason").ok()??, false);
    Some(())
}

/// Closes the row's question (Cancel), the focus back on Report.
pub fn cancel(row: &Element) {
    if let Some(group) = question_of(row) {
        group.remove();
    }
    if let Ok(Some(report)) = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-report") {
        focus(&report, false);
    }
}

/// Says in the row that the report was sent: Report becomes "Reported", the question
/// gives way to the thanks, which take the focus (the reader stays where they were).
fn thank(row: &Element, group: &Element, words: (String, String)) -> Option<()> {
    let doc = row.owner_document()?;
    let report = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions > .rc-report").ok()?;
    if let (Some(button), Some(mark)) = (report, reported_mark(&doc, &words.0)) {
        let _ = button.replace_with_with_node_1(&mark);
    }
    let thanks = make(&doc, "p", "rc-report-thanks")?;
    thanks.set_attribute("role", "status").ok()?;
    thanks.set_text_content(Some(&words.1));
    group.replace_with_with_node_1(&thanks).ok()?;
    focus(&thanks, true);
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
                Ok(()) => {
                    crate::memory::remember(crate::memory::Ids::Reported, &endpoint, &id, true);
                    thank(&row, &group, (strings.get(Key::Reported), strings.get(Key::ReportThanks)))
                }
                Err(error) => {
                    not_sent(&group, &format!("{} {}", strings.get(Key::ReportFailed), error.message(&strings)))
                }
            };
        });
    }
}
