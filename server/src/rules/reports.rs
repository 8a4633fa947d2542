//! Readers' reports in moderators' words: what each reason a reader may give (the
//! core's `REPORT_REASONS`, which the widget offers) means.

use reader_comments_core::REPORT_REASONS;

/// What moderators read for each reason, in the core's order.
const REASON_WORDS: [&str; 3] = ["spam or advertising", "abusive or hateful", "something else"];

/// What moderators read for a reason's code (an unknown code as it is).
pub fn reason_words(code: &str) -> &str {
    REPORT_REASONS.iter().position(|c| *c == code).map_or(code, |at| REASON_WORDS[at])
}
