//! Every string a reader sees: English built in, each other language from its file in
//! `locales/` (fetched by the loader for the pages that use it, so a reader pays only for
//! their own language), and the site's overrides. The English strings are one table, a
//! row per key with its name and text, from which the `Key` enum is made: a misspelt key
//! does not compile. The English validation messages are the core's own
//! (`reader_comments_core::validate::messages`), the ones the server sends; the
//! translations are keyed by the same field and code.
//!
//! Plurals are chosen by `Intl.PluralRules` for the widget's locale: a translation names
//! its forms `…_one`, `…_other` and, where its language has them, `…_zero`, `…_two`,
//! `…_few`, `…_many` (a missing form falls back to `…_other`). Numbers are written with
//! `Intl.NumberFormat`, in the language's own digits. English needs neither.

use reader_comments_core::validate::messages as core_en;
use std::sync::Arc;

macro_rules! strings {
    ($($variant:ident = $name:literal => $en:expr,)*) => {
        /// A string the widget shows; its name is what the `strings` attribute uses.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $(#[doc = $name] $variant,)*
        }

        impl Key {
            /// Every key, in the documented order.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The key's name in the `strings` attribute.
            pub fn name(self) -> &'static str {
                NAMES[self as usize]
            }
        }

        /// Every key's name, in the order of [`Key`].
        const NAMES: &[&str] = &[$($name,)*];

        /// Every key's English text, in the order of [`Key`].
        const ENGLISH: &[&str] = &[$($en,)*];
    };
}

/// The languages with a file in `locales/` (the loader's list is the same; a test
/// keeps them equal).
pub const TRANSLATED: &[&str] = &["hi", "pa", "ur", "bn", "ta", "mr", "gu", "ar"];

/// The languages written right to left: a widget in one of them is laid out mirrored.
pub const RIGHT_TO_LEFT: &[&str] = &["ar", "ur", "fa", "he", "ps", "sd", "ug", "yi", "dv", "ckb"];

strings! {
    Heading = "heading" => "Reader Comments",
    Guideline = "guideline" => "We welcome thoughtful discussions from our readers. Please keep comments respectful and on-topic.",
    FormHeading = "form_heading" => "Leave a Comment",
    NameLabel = "name_label" => "Your name",
    BodyLabel = "body_label" => "Your comment",
    Hint = "hint" => "Minimum {min} characters",
    Submit = "submit" => "Post Comment",
    Posting = "posting" => "Posting…",
    PostingWait = "posting_wait" => "Your comment is being posted. Please wait.",
    Loading = "loading" => "Loading comments…",
    Empty = "empty" => "No comments yet. Be the first to share your thoughts.",
    Retry = "retry" => "Try again",
    LoadMore = "load_more" => "Load more comments",
    LoadingMore = "loading_more" => "Loading more comments…",
    PendingBadge = "pending_badge" => "Waiting for review — only you can see this",
    Posted = "posted" => "Thank you. Your comment has been posted.",
    PostedPending = "posted_pending" => "Thank you. Your comment is awaiting moderation and will appear once it is approved.",
    ErrorPrefix = "error_prefix" => "Error:",
    CountBelowOne = "count_below_one" => "You need 1 more character",
    CountBelowOther = "count_below_other" => "You need {n} more characters",
    CountReached = "count_reached" => "Minimum reached: {n} characters",
    CountRemainingOne = "count_remaining_one" => "You have 1 character remaining",
    CountRemainingOther = "count_remaining_other" => "You have {n} characters remaining",
    CountOverOne = "count_over_one" => "You have 1 character too many",
    CountOverOther = "count_over_other" => "You have {n} characters too many",
    AuthorRequired = "author.required" => core_en::AUTHOR_REQUIRED,
    AuthorTooLongOne = "author.too_long_one" => core_en::AUTHOR_TOO_LONG_ONE,
    AuthorTooLongOther = "author.too_long_other" => core_en::AUTHOR_TOO_LONG_OTHER,
    AuthorControlCharacters = "author.control_characters" => core_en::AUTHOR_CONTROL_CHARACTERS,
    AuthorStackedMarks = "author.stacked_marks" => core_en::AUTHOR_STACKED_MARKS,
    BodyRequired = "body.required" => core_en::BODY_REQUIRED,
    BodyTooShortOne = "body.too_short_one" => core_en::BODY_TOO_SHORT_ONE,
    BodyTooShortOther = "body.too_short_other" => core_en::BODY_TOO_SHORT_OTHER,
    BodyTooLongOne = "body.too_long_one" => core_en::BODY_TOO_LONG_ONE,
    BodyTooLongOther = "body.too_long_other" => core_en::BODY_TOO_LONG_OTHER,
    BodyControlCharacters = "body.control_characters" => core_en::BODY_CONTROL_CHARACTERS,
    BodyStackedMarks = "body.stacked_marks" => core_en::BODY_STACKED_MARKS,
    LoadFailed = "load_failed" => "Comments could not be loaded.",
    PostFailed = "post_failed" => "Your comment was not posted.",
    DraftKept = "draft_kept" => "Your comment is still here, saved in this browser.",
    Offline = "offline" => "You appear to be offline. Check your connection and try again.",
    Network = "network" => "The comment service could not be reached. Try again in a moment.",
    Timeout = "timeout" => "The comment service took too long to answer. Try again in a moment.",
    RateLimited = "rate_limited" => "Too many requests. Please wait {n} seconds and try again.",
    RateLimitedSoon = "rate_limited_soon" => "Too many requests. Please wait a moment and try again.",
    ServerError = "server_error" => "The comment service had a problem (error {n}). Try again in a moment.",
    ClientError = "client_error" => "The comment service refused the request (error {n}).",
    BadResponse = "bad_response" => "The comment service sent an answer this page cannot read.",
    TooLarge = "too_large" => "The comment service sent an answer too large to show.",
    RateLimitedLater = "rate_limited_later" => "Too many requests. Please try again later.",
    DraftNotSaved = "draft_not_saved" => "This browser cannot save your comment (its storage is full or blocked), so it will be lost if you reload the page.",
    ShowAll = "show_all" => "Show all",
    ParentNotFound = "parent_id.not_found" => core_en::PARENT_NOT_FOUND,
    Recommend = "recommend" => "Recommend",
    RecommendLabelOne = "recommend_label_one" => "Recommend, 1 recommend: {name}'s comment",
    RecommendLabelOther = "recommend_label_other" => "Recommend, {n} recommends: {name}'s comment",
    RecommendFailed = "recommend_failed" => "Your recommend was not saved.",
    Edited = "edited" => "Edited",
    Deleted = "deleted" => "This comment was deleted",
    ReplyingTo = "replying_to" => "Replying to {name}",
    RepliesTo = "replies_to" => "Replies to {name}",
    MoreRepliesOne = "more_replies_one" => "Show 1 more reply",
    MoreRepliesOther = "more_replies_other" => "Show {n} more replies",
    RepliesFailed = "replies_failed" => "The replies could not be loaded.",
    SortLabel = "sort_label" => "Sort comments",
    SortOldest = "sort_oldest" => "Oldest first",
    SortNewest = "sort_newest" => "Newest first",
    SortTop = "sort_top" => "Most recommended",
    SortedNow = "sorted_now" => "Sorted: {name}",
    SortFeatured = "sort_featured" => "Featured",
    Reply = "reply" => "Reply",
    ReplyLabel = "reply_label" => "Reply to {name}",
    ReplyHeading = "reply_heading" => "Reply to {name}",
    Cancel = "cancel" => "Cancel",
    Edit = "edit" => "Edit",
    EditLabel = "edit_label" => "Edit your comment",
    EditHeading = "edit_heading" => "Edit your comment",
    Save = "save" => "Save changes",
    Delete = "delete" => "Delete",
    DeleteLabel = "delete_label" => "Delete your comment",
    Withdraw = "withdraw" => "Withdraw",
    WithdrawLabel = "withdraw_label" => "Withdraw your comment before it is reviewed",
    DeleteQuestion = "delete_question" => "Delete this comment? This cannot be undone.",
    Keep = "keep" => "Keep it",
    DeleteFailed = "delete_failed" => "Your comment was not deleted.",
    DeletedYours = "deleted_yours" => "Your comment was deleted.",
    EditFailed = "edit_failed" => "Your change was not saved.",
    Closed = "closed" => "Comments on this article are closed.",
    // One word, as in English: the row's actions keep one line on a 360 px phone.
    Report = "report" => "Report",
    ReportLabel = "report_label" => "Report {name}'s comment",
    ReportQuestion = "report_question" => "Why should a moderator look at this comment?",
    ReportSpam = "report_spam" => "Spam or advertising",
    ReportAbuse = "report_abuse" => "Abusive or hateful",
    ReportOther = "report_other" => "Something else",
    Reported = "reported" => "Reported",
    ReportThanks = "report_thanks" => "Thank you. A moderator will look at this comment.",
    ReportFailed = "report_failed" => "Your report was not sent.",
    RejectedBadge = "rejected_badge" => "Not published — only you can see this",
    RejectedWhy = "rejected_why" => "A moderator did not publish this comment. Reason: {name}.",
    RejectedNote = "rejected_note" => "The moderator's note:",
    Guidelines = "guidelines" => "Read the community guidelines",
    ReasonOffTopic = "reason_off_topic" => "Off-topic",
    ReasonAbuse = "reason_abuse" => "Abusive or hateful",
    ReasonSpam = "reason_spam" => "Spam or advertising",
    ReasonPersonalInformation = "reason_personal_information" => "Shares personal information",
    ReasonMisinformation = "reason_misinformation" => "Misinformation",
    ReasonDuplicate = "reason_duplicate" => "A duplicate of another comment",
    ReasonOther = "reason_other" => "Other",
    PublishedYours = "published_yours" => "Your comment was published.",
    HoldsLinks = "holds_links" => "Comments with links are reviewed by a moderator before they appear.",
    HoldsFirst = "holds_first" => "Your first comment, and comments with links, are reviewed by a moderator before they appear.",
    MoreCommentsShownOne = "more_comments_shown_one" => "Showing 1 more comment",
    MoreCommentsShownOther = "more_comments_shown_other" => "Showing {n} more comments",
    MoreRepliesShownOne = "more_replies_shown_one" => "Showing 1 more reply",
    MoreRepliesShownOther = "more_replies_shown_other" => "Showing {n} more replies",
    FeaturedBadge = "featured_badge" => "Featured",
    StaffBadge = "staff_badge" => "Staff",
    HoldsAll = "holds_all" => "Every comment is reviewed by a moderator before it appears.",
    Required = "required" => "(required)",
    ReplyBodyLabel = "reply_body_label" => "Your reply to {name}",
    EditSaved = "edit_saved" => "Your changes were saved.",
    SendReport = "send_report" => "Send report",
    ReportChoose = "report_choose" => "Choose a reason first.",
    WriteComment = "write_comment" => "Write a comment",
    PostingAs = "posting_as" => "Posting as {name}",
    ChangeName = "change_name" => "Change name",
    MoreActions = "more_actions" => "More",
    WriterFailed = "writer_failed" => "The comment form could not be loaded. Your words are kept here: check your connection and try again.",
    SignIn = "sign_in" => "Sign in to comment",
    VerifiedBadge = "verified_badge" => "Verified",
    SignInExpired = "sign_in_expired" => "Your sign-in has expired. Reload the page to sign in again.",
    SignInInvalid = "sign_in_invalid" => "Your sign-in could not be checked. Reload the page to sign in again.",
    AccountSuspended = "account_suspended" => "Your account may not comment for now. The moderators' reason: {reason}",
    AccountBanned = "account_banned" => "Your account may no longer comment. The moderators' reason: {reason}",
    NotifyLabel = "notify_label" => "E-mail me at {email} when someone replies or a moderator decides",
    SignInRequired = "sign_in_required" => "Sign in to comment, recommend or report. Your words are kept here.",
}

/// The words of an order in the sort control.
pub fn sort_key(sort: reader_comments_core::Sort) -> Key {
    use reader_comments_core::Sort;
    match sort {
        Sort::Oldest => Key::SortOldest,
        Sort::Newest => Key::SortNewest,
        Sort::Top => Key::SortTop,
        Sort::Featured => Key::SortFeatured,
    }
}

/// "Showing 1 more comment" / "Showing {n} more comments", after "Load more".
pub const MORE_COMMENTS_SHOWN: Plural = [Key::MoreCommentsShownOne, Key::MoreCommentsShownOther];
/// "Showing 1 more reply" / "Showing {n} more replies", after "Show N more replies".
pub const MORE_REPLIES_SHOWN: Plural = [Key::MoreRepliesShownOne, Key::MoreRepliesShownOther];

/// The words of each rejection reason's code (contract v1.2), in the order of the core's
/// `REJECT_REASONS`.
pub const REASONS: [Key; 7] = [
    Key::ReasonOffTopic,
    Key::ReasonAbuse,
    Key::ReasonSpam,
    Key::ReasonPersonalInformation,
    Key::ReasonMisinformation,
    Key::ReasonDuplicate,
    Key::ReasonOther,
];

impl Key {
    /// The key named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// A singular and a plural form, chosen by a count.
pub type Plural = [Key; 2];
/// "You need 1 more character" / "You need {n} more characters".
pub const COUNT_BELOW: Plural = [Key::CountBelowOne, Key::CountBelowOther];
/// "You have 1 character remaining" / "… {n} characters remaining".
pub const COUNT_REMAINING: Plural = [Key::CountRemainingOne, Key::CountRemainingOther];
/// "You have 1 character too many" / "… {n} characters too many".
pub const COUNT_OVER: Plural = [Key::CountOverOne, Key::CountOverOther];
/// "Recommend, 1 recommend: {name}'s comment" / "… {n} recommends …".
pub const RECOMMEND_LABEL: Plural = [Key::RecommendLabelOne, Key::RecommendLabelOther];
/// "Show 1 more reply" / "Show {n} more replies".
pub const MORE_REPLIES: Plural = [Key::MoreRepliesOne, Key::MoreRepliesOther];

/// The text of one widget: its locale, its language's translation (none for English)
/// and the site's overrides. Cheap to clone (the texts are shared).
#[derive(Clone, Debug, PartialEq)]
pub struct Strings {
    locale: Arc<str>,
    translation: Arc<[(Box<str>, Box<str>)]>,
    overrides: Arc<[(Key, String)]>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings { locale: "en".into(), translation: Arc::new([]), overrides: Arc::new([]) }
    }
}

/// The language subtag of a BCP 47 locale, lowercased ("pa" for "pa-IN").
pub fn language_of(locale: &str) -> String {
    locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// Whether a locale is written right to left.
pub fn is_right_to_left(locale: &str) -> bool {
    RIGHT_TO_LEFT.contains(&language_of(locale).as_str())
}

impl Strings {
    /// The English strings, for a widget in `locale` (its plurals and digits come from
    /// `Intl` for that locale once a translation is given).
    pub fn for_locale(locale: &str) -> Self {
        Strings { locale: locale.into(), ..Strings::default() }
    }

    /// The widget's locale.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Takes a language's strings (`name` → text, as in its file in `locales/`); keys it
    /// does not name stay English.
    pub fn with_translation(mut self, translation: Vec<(String, String)>) -> Self {
        self.translation = translation.into_iter().map(|(k, v)| (k.into_boxed_str(), v.into_boxed_str())).collect();
        self
    }

    /// Replaces strings with a site's own.
    pub fn with_overrides(mut self, overrides: Vec<(Key, String)>) -> Self {
        self.overrides = overrides.into();
        self
    }

    fn translated(&self, name: &str) -> Option<&str> {
        self.translation.iter().find(|(k, _)| &**k == name).map(|(_, v)| &**v)
    }

    fn text(&self, key: Key) -> &str {
        if let Some((_, v)) = self.overrides.iter().find(|(k, _)| *k == key) {
            return v;
        }
        self.translated(key.name()).unwrap_or(ENGLISH[key as usize])
    }

    /// Whether the strings are English (no translation): plurals are "1" and the rest,
    /// digits are ASCII, and `Intl` is not asked.
    fn english(&self) -> bool {
        self.translation.is_empty()
    }

    /// The text for `key`.
    pub fn get(&self, key: Key) -> String {
        self.text(key).to_string()
    }

    /// `n` in the language's digits (no grouping: counts and limits read as one number).
    pub fn number(&self, n: usize) -> String {
        if self.english() {
            return n.to_string();
        }
        intl::number(&self.locale, n).unwrap_or_else(|| n.to_string())
    }

    /// The text for `key` with `{n}` (and `{min}`) replaced by `n`.
    pub fn with_n(&self, key: Key, n: usize) -> String {
        let n = self.number(n);
        self.text(key).replace("{n}", &n).replace("{min}", &n)
    }

    /// The form of a plural for `n`: `one` or `other`, or the translation's form of the
    /// language's plural category (`…_few`, say) where it has one.
    fn plural_text(&self, [one, other]: Plural, n: usize) -> &str {
        let category = if self.english() { None } else { intl::plural_category(&self.locale, n) };
        let category = category.unwrap_or_else(|| if n == 1 { "one" } else { "other" }.into());
        match category.as_str() {
            "one" => self.text(one),
            "other" => self.text(other),
            form => {
                let base = other.name().strip_suffix("_other").unwrap_or_default();
                let overridden = self.overrides.iter().any(|(k, _)| *k == other);
                let named = (!overridden).then(|| self.translated(&format!("{base}_{form}"))).flatten();
                named.unwrap_or_else(|| self.text(other))
            }
        }
    }

    /// The singular or plural text for `n`, with `{n}` filled in.
    pub fn plural(&self, forms: Plural, n: usize) -> String {
        self.plural_text(forms, n).replace("{n}", &self.number(n))
    }

    /// The plural text for `n` with `{n}` and `{name}` filled in.
    pub fn plural_named(&self, forms: Plural, n: usize, name: &str) -> String {
        self.plural_text(forms, n).replace("{name}", name).replace("{n}", &self.number(n))
    }

    /// The message for a refused field, in this language: the translation of
    /// `field.code` (singular or plural by the amount) with the amount and limit filled
    /// in; `fallback` (the endpoint's own message) for a code the widget does not know.
    pub fn field_error(
        &self,
        field: &str,
        code: &str,
        amount: Option<usize>,
        limit: Option<usize>,
        fallback: &str,
    ) -> String {
        let counted =
            Key::from_name(&format!("{field}.{code}_one")).zip(Key::from_name(&format!("{field}.{code}_other")));
        let text = match (counted, amount) {
            (Some(forms), Some(n)) => self.plural_text(forms.into(), n),
            (Some(_), None) => return fallback.to_string(),
            (None, _) => match Key::from_name(&format!("{field}.{code}")) {
                // A counted message needs its count; without one, the endpoint's words.
                Some(key) if amount.is_some() || !self.text(key).contains("{n}") => self.text(key),
                _ => return fallback.to_string(),
            },
        };
        reader_comments_core::validate::fill_with(text, amount, limit, |n| self.number(n))
    }
}

/// The browser's `Intl` for plural categories and digits (none outside a browser: the
/// callers then use "1 is one" and ASCII digits).
mod intl {
    #[cfg(target_arch = "wasm32")]
    mod browser {
        use crate::cache::SmallCache;
        use js_sys::{Array, Function, Object, Reflect};
        use std::cell::RefCell;
        use wasm_bindgen::{JsCast, JsValue};

        /// Which `Intl` constructor.
        #[derive(Clone, Copy, PartialEq)]
        enum Kind {
            Plural,
            Number,
        }

        /// An `Intl` object and its method (`select` or `format`).
        type Made = Option<(JsValue, Function)>;

        thread_local! {
            /// `Intl.PluralRules` and `Intl.NumberFormat` per locale (`None` where refused).
            static MADE: RefCell<SmallCache<(Kind, String), Made>> = const { RefCell::new(SmallCache::new(8)) };
            /// Recent answers: a page asks about the same few numbers again and again.
            static SAID: RefCell<SmallCache<(Kind, String, usize), String>> = const { RefCell::new(SmallCache::new(64)) };
        }

        fn made(kind: Kind, locale: &str) -> Made {
            let make = || {
                let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
                let name = if kind == Kind::Plural { "PluralRules" } else { "NumberFormat" };
                let ctor: Function = Reflect::get(&intl, &name.into()).ok()?.dyn_into().ok()?;
                let options = Object::new();
                if kind == Kind::Number {
                    Reflect::set(&options, &"useGrouping".into(), &false.into()).ok()?;
                }
                let made = Reflect::construct(&ctor, &Array::of2(&locale.into(), &options)).ok()?;
                let method = if kind == Kind::Plural { "select" } else { "format" };
                let call: Function = Reflect::get(&made, &method.into()).ok()?.dyn_into().ok()?;
                Some((made, call))
            };
            MADE.with(|m| {
                m.borrow_mut().get_or_insert(|(k, l)| *k == kind && l == locale, || ((kind, locale.into()), make()))
            })
        }

        fn ask(kind: Kind, locale: &str, n: usize) -> Option<String> {
            let hit = |(k, l, m): &(Kind, String, usize)| *k == kind && *m == n && l == locale;
            if let Some(said) = SAID.with(|s| s.borrow().find(hit)) {
                return Some(said);
            }
            let (this, call) = made(kind, locale)?;
            let said = call.call1(&this, &(n as f64).into()).ok()?.as_string()?;
            SAID.with(|s| s.borrow_mut().insert((kind, locale.into(), n), said.clone()));
            Some(said)
        }

        pub fn plural_category(locale: &str, n: usize) -> Option<String> {
            ask(Kind::Plural, locale, n)
        }

        pub fn number(locale: &str, n: usize) -> Option<String> {
            ask(Kind::Number, locale, n)
        }
    }
    #[cfg(target_arch = "wasm32")]
    pub use browser::{number, plural_category};

    /// `Intl.PluralRules(locale).select(n)`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn plural_category(_locale: &str, _n: usize) -> Option<String> {
        None
    }

    /// `Intl.NumberFormat(locale, { useGrouping: false }).format(n)`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn number(_locale: &str, _n: usize) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_default_and_matches_the_seed_page() {
        let s = Strings::default();
        assert_eq!(s.get(Key::Heading), "Reader Comments");
        assert_eq!(s.get(Key::FormHeading), "Leave a Comment");
        assert_eq!(s.with_n(Key::Hint, 50), "Minimum 50 characters");
    }

    /// A language's file in `locales/`, as the loader hands it over.
    fn file(lang: &str) -> Vec<(String, String)> {
        let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("an object");
        map.into_iter().map(|(k, v)| (k, v.as_str().expect("text").to_string())).collect()
    }

    fn in_lang(lang: &str) -> Strings {
        Strings::for_locale(lang).with_translation(file(lang))
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.match_indices('{').filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..=i + j])).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn english_is_built_in_and_a_language_comes_from_its_file() {
        assert_eq!(Strings::for_locale("hi-IN").get(Key::Submit), "Post Comment", "until its file is given");
        assert_eq!(in_lang("hi").get(Key::Submit), "टिप्पणी भेजें");
        assert_eq!(in_lang("pa").get(Key::Submit), "ਟਿੱਪਣੀ ਭੇਜੋ");
        assert_eq!(in_lang("ur").get(Key::Submit), "تبصرہ بھیجیں");
        assert_eq!(Strings::for_locale("fr").get(Key::Submit), "Post Comment");
    }

    #[test]
    fn every_language_has_its_own_text_for_every_key_with_the_same_placeholders() {
        let dir = format!("{}/locales", env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("locales/")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".json").map(String::from))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = TRANSLATED.iter().map(|l| l.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "every file is listed, and every listed language has its file");
        for lang in TRANSLATED {
            let translation = file(lang);
            let names: Vec<&str> = translation.iter().map(|(k, _)| k.as_str()).collect();
            for key in Key::ALL {
                let en = Strings::default().get(*key);
                let text = translation.iter().find(|(k, _)| k == key.name()).map(|(_, v)| v.as_str());
                let text = text.unwrap_or_else(|| panic!("{lang} has no {}", key.name()));
                assert!(!text.trim().is_empty() && text != en, "{lang} {}: {text}", key.name());
                // A language whose "one" covers more than 1 (Hindi's 0 and 1) writes {n}.
                let mut want = placeholders(&en);
                if key.name().ends_with("_one") && !want.contains(&"{n}") && placeholders(text).contains(&"{n}") {
                    want.push("{n}");
                    want.sort_unstable();
                }
                assert_eq!(placeholders(text), want, "{lang} {}: {text}", key.name());
            }
            // The other plural forms belong to a counted key and say no more than it.
            for name in names {
                if Key::from_name(name).is_some() {
                    continue;
                }
                let (base, form) = name.rsplit_once('_').unwrap_or_else(|| panic!("{lang}: unknown key {name}"));
                assert!(["zero", "two", "few", "many"].contains(&form), "{lang}: unknown key {name}");
                let other =
                    Key::from_name(&format!("{base}_other")).unwrap_or_else(|| panic!("{lang}: {name} has no key"));
                let text = &translation.iter().find(|(k, _)| k == name).expect("listed").1;
                let en = Strings::default().get(other);
                let mut allowed = placeholders(&en);
                allowed.retain(|p| *p != "{n}");
                let mut got = placeholders(text);
                got.retain(|p| *p != "{n}");
                assert_eq!(got, allowed, "{lang} {name}: {text}");
            }
        }
    }

    #[test]
    fn the_loader_knows_the_same_languages_and_directions() {
        let loader = include_str!("../loader/reader-comments.js");
        let list = |items: &[&str]| items.iter().map(|l| format!("\"{l}\"")).collect::<Vec<_>>().join(", ");
        assert!(loader.contains(&format!("var TRANSLATED = [{}];", list(TRANSLATED))));
        assert!(loader.contains(&format!("var RIGHT_TO_LEFT = [{}];", list(RIGHT_TO_LEFT))));
    }

    #[test]
    fn right_to_left_is_decided_by_the_language() {
        assert!(is_right_to_left("ur-PK") && is_right_to_left("ar") && is_right_to_left("AR_eg"));
        assert!(!is_right_to_left("hi") && !is_right_to_left("en-GB") && !is_right_to_left(""));
    }

    #[test]
    fn every_key_has_a_unique_name_that_reads_back() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(*key));
        }
        assert_eq!(Key::from_name("sbumit"), None);
    }

    #[test]
    fn the_documented_keys_are_exactly_the_keys() {
        let docs = include_str!("../docs/theming.md");
        let list = docs.split("The keys:").nth(1).expect("theming.md lists the keys");
        let list = list.trim_start().split("\n\n").next().unwrap_or_default();
        let documented: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
        let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(documented, names);
    }

    #[test]
    fn every_rejection_reason_has_the_servers_english_words_under_its_own_key() {
        let s = Strings::default();
        for ((code, words), key) in reader_comments_core::REJECT_REASONS.iter().zip(REASONS) {
            assert_eq!((key.name().strip_prefix("reason_"), s.get(key).as_str()), (Some(*code), *words));
        }
    }

    #[test]
    fn overrides_win_over_every_language() {
        let s = in_lang("hi").with_overrides(vec![(Key::Submit, "Send".into())]);
        assert_eq!(s.get(Key::Submit), "Send");
    }

    #[test]
    fn plurals_pick_the_right_form() {
        let s = Strings::default();
        assert_eq!(s.plural(COUNT_BELOW, 1), "You need 1 more character");
        assert_eq!(s.plural(COUNT_BELOW, 7), "You need 7 more characters");
        assert_eq!(s.plural_named(RECOMMEND_LABEL, 2, "Asha"), "Recommend, 2 recommends: Asha's comment");
    }

    #[test]
    fn english_field_errors_are_the_cores_messages() {
        use reader_comments_core::{validate_author, validate_body, Limits};
        let s = Strings::default();
        let errors = [
            validate_body(&"a".repeat(49), Limits::default()),
            validate_body(&"a".repeat(12), Limits { min_length: 1, max_length: 10 }),
            validate_body("", Limits::default()),
            validate_author(&"x".repeat(81)),
            validate_author("a\nb"),
        ];
        for e in errors.into_iter().flatten() {
            assert_eq!(s.field_error(e.field, e.code, e.amount, e.limit, "x"), e.message(), "{}.{}", e.field, e.code);
        }
    }

    #[test]
    fn field_errors_are_translated_with_their_amounts_or_fall_back_to_the_endpoints_words() {
        let hi = in_lang("hi");
        assert_eq!(hi.field_error("body", "too_long", Some(3), Some(5000), "x"), "3 अक्षर हटाएँ: सीमा 5000 अक्षर है");
        assert_eq!(hi.field_error("body", "too_short", Some(1), Some(50), "x"), "1 और अक्षर जोड़ें");
        let s = Strings::default();
        assert_eq!(s.field_error("body", "spam", None, None, "Looks like spam"), "Looks like spam");
        assert_eq!(s.field_error("body", "too_short", None, None, "Too short"), "Too short", "no amount to show");
    }
}
