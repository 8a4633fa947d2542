//! A comment row's buttons: Recommend (a toggle with its count), Reply and Report (not on
//! the reader's own comment) when the endpoint offers them, "Reported" in Report's
//! place, and Edit and Delete on the reader's own comment while its edit window is open.

use crate::elements::{button, make};
use crate::json::Shown;
use crate::row_text::{fill_in, RowText};
use reader_comments_core::Status;

/// Brings a recommend toggle in line with its comment: pressed or not, the count, and
/// the accessible name, which begins with the button's visible words and count and says
/// whose comment it is ("Recommend, 12 recommends: Asha's comment").
pub(crate) fn set_recommend(button: &web_sys::Element, comment: &Shown, text: &RowText) {
    let n = comment.recommends.unwrap_or(0);
    let _ = button.set_attribute("aria-pressed", if comment.recommended { "true" } else { "false" });
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    let label = text.strings.plural_named(crate::i18n::RECOMMEND_LABEL, n, &comment.author);
    let _ = button.set_attribute("aria-label", &label);
    if let Some(count) = button.last_element_child() {
        count.set_text_content(Some(&text.strings.number(n)));
    }
}

/// A row's buttons, when it has any: Recommend, Reply and Report (not on the reader's
/// own comment) when the endpoint offers them, and Edit and Delete on this reader's own comment while the endpoint's edit window is
/// open (by this browser's clock; the endpoint's 403 covers clocks that disagree; Edit
/// not on a closed thread).
pub(crate) fn row_actions(doc: &web_sys::Document, c: &Shown, text: &RowText) -> Option<web_sys::Element> {
    // A rejected comment (contract v1.2) is no longer the endpoint's to change.
    let own = c.status != Status::Deleted
        && text.mine.contains(&c.id)
        && !text.rejected.iter().any(|(id, _)| *id == c.id)
        && matches!((text.edit_window_ms, c.created_at), (Some(w), Some(t)) if (js_sys::Date::now() as i64) < t + w);
    let published = c.status == Status::Published;
    let report = text.report && published && !text.mine.contains(&c.id);
    if !(((text.recommend || text.reply) && published) || own || report) {
        return None;
    }
    let actions = make(doc, "div", "rc-comment__actions")?;
    if text.recommend && published {
        let toggle = button(doc, "rc-recommend")?;
        // "Recommend 12" (the word ends in a space): the accessible name starts with these
        // visible words, so that a voice-control user who says them reaches the button
        // (WCAG 2.5.3).
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
        // On a narrow widget, Edit and Delete wait behind "More" (a disclosure button),
        // so that the row's actions keep one line; on a wide one "More" is not shown and
        // they sit in the line (style/reader-comments.css).
        let more = button(doc, "rc-own-more")?;
        more.set_text_content(Some(&text.own_words[8]));
        more.set_attribute("aria-expanded", "false").ok()?;
        actions.append_child(&more).ok()?;
        let own_box = make(doc, "span", "rc-comment__own")?;
        let edit = (!text.no_edits).then_some(("rc-edit", 0, 1));
        // A comment still waiting for review is withdrawn rather than deleted.
        let delete = if c.status == Status::Pending { ("rc-delete", 6, 7) } else { ("rc-delete", 2, 3) };
        for (class, word, label) in edit.into_iter().chain([delete]) {
            let button = button(doc, class)?;
            button.set_text_content(Some(&text.own_words[word]));
            button.set_attribute("aria-label", &text.own_words[label]).ok()?;
            own_box.append_child(&button).ok()?;
        }
        actions.append_child(&own_box).ok()?;
    }
    Some(actions)
}

/// "Reported", where Report was, on a comment this reader reported.
pub(crate) fn reported_mark(doc: &web_sys::Document, word: &str) -> Option<web_sys::Element> {
    let mark = make(doc, "span", "rc-reported")?;
    mark.set_text_content(Some(word));
    Some(mark)
}
