//! Reporting a comment to the moderators (contract v1.1 `capabilities.report`): the
//! row's Report button opens a small form in the row (three reasons as radio buttons,
//! "Send report" and a plain "Cancel"; Escape closes it, Enter on a reason sends it;
//! sending without a reason says to choose one), the thread sends
//! the reason with the reader's key, and the reader is told in the row what happened: a
//! sent report turns the button into "Reported" (remembered in this browser, so it
//! stays after a reload) and thanks them; a failed one says why in the question, whose
//! reasons stay open to try again.

use crate::elements::{focus, make};
use crate::i18n::Key;
use crate::row_actions::reported_mark;
use crate::row_questions::{answers, place_in_row};
use crate::row_text::RowText;
use crate::thread::ThreadState;
use leptos::task::spawn_local;
use reader_comments_core::REPORT_REASONS;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The words of reporting, in [`RowText::report_words`]' order.
pub const WORDS: [Key; 9] = [
    Key::Report,
    Key::ReportLabel,
    Key::ReportQuestion,
    Key::ReportSpam,
    Key::ReportAbuse,
    Key::ReportOther,
    Key::Cancel,
    Key::SendReport,
    Key::ReportChoose,
];

/// The row's open question, if it asks.
fn question_of(row: &Element) -> Option<Element> {
    row.last_element_child()?.query_selector(":scope > .rc-report-ask").ok()?
}

/// Asks in the row why the reader reports its comment: a group (a fieldset named by the
/// question) of one radio button per reason, then "Send report" and Cancel; the focus
/// goes to the first reason.
pub fn ask(row: &Element, text: &RowText) -> Option<()> {
    if let Some(open) = question_of(row) {
        return open.query_selector("input").ok()?.map(|b| focus(&b, false));
    }
    let (words, doc, id) = (&text.report_words, row.owner_document()?, row.get_attribute("data-id")?);
    let group = make(&doc, "fieldset", "rc-confirm rc-report-ask")?;
    let legend = make(&doc, "legend", "rc-confirm__question")?;
    legend.set_text_content(Some(&words[2]));
    group.append_child(&legend).ok()?;
    for (reason, said) in REPORT_REASONS.iter().zip(&words[3..6]) {
        let label = make(&doc, "label", "rc-choice")?;
        let radio = make(&doc, "input", "rc-report-reason")?;
        for (name, value) in [("type", "radio"), ("name", &format!("rc-report-{id}")), ("value", reason)] {
            radio.set_attribute(name, value).ok()?;
        }
        label.append_child(&radio).ok()?;
        label.append_with_str_1(said).ok()?;
        group.append_child(&label).ok()?;
    }
    let choices = [("rc-report-send", words[7].as_str()), ("rc-button--secondary rc-report-cancel", &words[6])];
    let buttons = answers(&doc, &choices)?;
    group.append_child(&buttons).ok()?;
    place_in_row(row, &group)?;
    focus(&group.query_selector(".rc-report-reason").ok()??, false);
    Some(())
}

/// The reason chosen in the row's open question; without one, says to choose one and
/// moves the focus to the first reason.
pub fn chosen(row: &Element, text: &RowText) -> Option<String> {
    let group = question_of(row)?;
    let checked = group.query_selector(".rc-report-reason:checked").ok()?;
    if let Some(reason) = checked.and_then(|radio| radio.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        return Some(reason.value());
    }
    not_sent(&group, &text.report_words[8]);
    focus(&group.query_selector(".rc-report-reason").ok()??, false);
    None
}

/// Closes the row's question (Cancel), the focus back on Report.
pub fn cancel(row: &Element) {
    if let Some(group) = question_of(row) {
        group.remove();
    }
    if let Ok(Some(report)) = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions .rc-report") {
        focus(&report, false);
    }
}

/// Says in the row that the report was sent: Report becomes "Reported", the question
/// gives way to the thanks, which take the focus (the reader stays where they were).
fn thank(row: &Element, group: &Element, words: (String, String)) -> Option<()> {
    let doc = row.owner_document()?;
    let report = row.query_selector(":scope > .rc-comment__main > .rc-comment__actions .rc-report").ok()?;
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

/// Says in the question why the report was not sent (an alert: the focus stays where it
/// was, on Send report, to press it again).
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
