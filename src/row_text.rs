//! What every comment row shows besides its comment: its words in the widget's
//! language, what the endpoint offers, and which comments are this reader's own or
//! reported; made once per list.

use crate::i18n::{Key, Strings};

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
    /// The toggle's visible word, and the space before its count ("Recommend ").
    pub recommend_word: String,
    /// The mark of an edited comment ("Edited").
    pub edited: String,
    /// What a deleted comment kept for its replies says.
    pub deleted: String,
    /// "Replying to {name}", on a reply to a reply.
    pub replying_to: String,
    /// The label of a comment's list of replies ("Replies to {name}").
    pub replies_to: String,
    /// The widget's strings, for what is counted: the toggle's accessible name
    /// ("Recommend, {n} recommends: {name}'s comment"), "Show {n} more replies", and
    /// the numbers in the language's digits.
    pub strings: Strings,
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
    /// Edit and Delete: their words and accessible names; the delete question; "Keep it";
    /// Withdraw (Delete on a comment still waiting) and its accessible name; "More" (the
    /// button they wait behind on a narrow widget).
    pub own_words: [String; 9],
    /// Whether rows carry Report (the endpoint advertises reports).
    pub report: bool,
    /// Report, its accessible name, the question, the three reasons, Cancel, "Send
    /// report", and what sending without a reason says.
    pub report_words: [String; 9],
    /// The ids of the comments this reader reported (their rows say "Reported").
    pub reported: Vec<String>,
    /// "Reported".
    pub reported_word: String,
    /// This reader's comments that were not published (contract v1.2): (id, why, in
    /// their language).
    pub rejected: Vec<(String, String)>,
    /// The badge of such a comment ("Not published — only you can see this").
    pub rejected_badge: String,
    /// The site's community guidelines: their URL and the link's words.
    pub guidelines: Option<[String; 2]>,
    /// The marks of a featured comment, of the newsroom's staff and of a signed-in
    /// reader ("Featured", "Staff", "Verified").
    pub marks: [String; 3],
}

impl RowText {
    /// The texts in `strings`, for rows that carry the recommend toggle or not.
    pub fn new(strings: &Strings, cut_at: usize, (recommend, reply): (bool, bool)) -> Self {
        RowText {
            badge: strings.get(Key::PendingBadge),
            show_all: strings.get(Key::ShowAll),
            cut_at,
            recommend,
            recommend_word: format!("{} ", strings.get(Key::Recommend)),
            edited: strings.get(Key::Edited),
            deleted: strings.get(Key::Deleted),
            replying_to: strings.get(Key::ReplyingTo),
            replies_to: strings.get(Key::RepliesTo),
            strings: strings.clone(),
            reply,
            reply_word: [strings.get(Key::Reply), strings.get(Key::ReplyLabel)],
            mine: Vec::new(),
            edit_window_ms: None,
            no_edits: false,
            own_words: [
                Key::Edit,
                Key::EditLabel,
                Key::Delete,
                Key::DeleteLabel,
                Key::DeleteQuestion,
                Key::Keep,
                Key::Withdraw,
                Key::WithdrawLabel,
                Key::MoreActions,
            ]
            .map(|k| strings.get(k)),
            report: false,
            report_words: crate::report::WORDS.map(|k| strings.get(k)),
            reported: Vec::new(),
            reported_word: strings.get(Key::Reported),
            rejected: Vec::new(),
            rejected_badge: strings.get(Key::RejectedBadge),
            guidelines: None,
            marks: [strings.get(Key::FeaturedBadge), strings.get(Key::StaffBadge), strings.get(Key::VerifiedBadge)],
        }
    }
}

/// `template` with `{name}` and `{n}` filled in.
pub(crate) fn fill_in(template: &str, name: &str, n: u64) -> String {
    template.replace("{name}", name).replace("{n}", &n.to_string())
}
