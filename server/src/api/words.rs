//! The words of the thread's HTML (api/plain.rs) in the reader's language: the widget's
//! own strings from `locales/` (compiled in, so a page without JavaScript reads what the
//! widget would say), English where a language has no file. Plurals by the CLDR rules of
//! these languages, numbers in each language's default digits (as `Intl.NumberFormat`
//! writes them in the widget), a date as `YYYY-MM-DD` in every language but English.

use reader_comments_core::validate::{fill, fill_with, message_template};
use reader_comments_core::FieldError;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Each language's file, as the widget's loader fetches it.
const FILES: [(&str, &str); 8] = [
    ("hi", include_str!("../../../locales/hi.json")),
    ("pa", include_str!("../../../locales/pa.json")),
    ("ur", include_str!("../../../locales/ur.json")),
    ("bn", include_str!("../../../locales/bn.json")),
    ("ta", include_str!("../../../locales/ta.json")),
    ("mr", include_str!("../../../locales/mr.json")),
    ("gu", include_str!("../../../locales/gu.json")),
    ("ar", include_str!("../../../locales/ar.json")),
];

/// The languages written right to left, of those with a file.
const RIGHT_TO_LEFT: [&str; 2] = ["ur", "ar"];

/// A string of the widget's, by its key, with its English words.
pub struct Word(pub &'static str, pub &'static str);

pub const HEADING: Word = Word("heading", "Reader Comments");
pub const EMPTY: Word = Word("empty", "No comments yet. Be the first to share your thoughts.");
pub const DELETED: Word = Word("deleted", "This comment was deleted");
pub const STAFF: Word = Word("staff_badge", "Staff");
pub const CLOSED: Word = Word("closed", "Comments on this article are closed.");
pub const SIGN_IN: Word = Word("sign_in", "Sign in to comment");
pub const FORM_HEADING: Word = Word("form_heading", "Leave a Comment");
pub const NAME: Word = Word("name_label", "Your name");
pub const BODY: Word = Word("body_label", "Your comment");
pub const HINT: Word = Word("hint", "Minimum {min} characters");
pub const SUBMIT: Word = Word("submit", "Post Comment");
pub const POSTED: Word = Word("posted", "Thank you. Your comment has been posted.");
pub const HELD: Word =
    Word("posted_pending", "Thank you. Your comment is awaiting moderation and will appear once it is approved.");
pub const NOT_POSTED: Word = Word("post_failed", "Your comment was not posted.");
pub const TRY_AGAIN: Word = Word("network", "The comment service could not be reached. Try again in a moment.");

/// Every word the HTML uses (a test checks each language has each).
pub const ALL: [&Word; 15] = [
    &HEADING,
    &EMPTY,
    &DELETED,
    &STAFF,
    &CLOSED,
    &SIGN_IN,
    &FORM_HEADING,
    &NAME,
    &BODY,
    &HINT,
    &SUBMIT,
    &POSTED,
    &HELD,
    &NOT_POSTED,
    &TRY_AGAIN,
];

/// What only the HTML says (the widget has no such line): back to the article, and
/// what is shown only with JavaScript, as "label: count" so no language needs a plural.
const OWN: [(&str, [&str; 3]); 9] = [
    (
        "en",
        [
            "Back to the article",
            "More comments, shown with JavaScript: {n}",
            "More replies, shown with JavaScript: {n}",
        ],
    ),
    ("hi", ["लेख पर वापस जाएँ", "और टिप्पणियाँ, JavaScript के साथ दिखती हैं: {n}", "और जवाब, JavaScript के साथ दिखते हैं: {n}"]),
    ("pa", ["ਲੇਖ 'ਤੇ ਵਾਪਸ ਜਾਓ", "ਹੋਰ ਟਿੱਪਣੀਆਂ, JavaScript ਨਾਲ ਦਿਸਦੀਆਂ ਹਨ: {n}", "ਹੋਰ ਜਵਾਬ, JavaScript ਨਾਲ ਦਿਸਦੇ ਹਨ: {n}"]),
    (
        "ur",
        [
            "مضمون پر واپس جائیں",
            "مزید تبصرے، جو JavaScript کے ساتھ نظر آتے ہیں: {n}",
            "مزید جوابات، جو JavaScript کے ساتھ نظر آتے ہیں: {n}",
        ],
    ),
    (
        "bn",
        ["প্রতিবেদনে ফিরে যান", "আরও মন্তব্য, JavaScript চালু থাকলে দেখা যায়: {n}", "আরও উত্তর, JavaScript চালু থাকলে দেখা যায়: {n}"],
    ),
    (
        "ta",
        [
            "கட்டுரைக்குத் திரும்பு",
            "மேலும் கருத்துகள், JavaScript உடன் தெரியும்: {n}",
            "மேலும் பதில்கள், JavaScript உடன் தெரியும்: {n}",
        ],
    ),
    ("mr", ["लेखाकडे परत जा", "आणखी प्रतिक्रिया, JavaScript सह दिसतात: {n}", "आणखी उत्तरे, JavaScript सह दिसतात: {n}"]),
    ("gu", ["લેખ પર પાછા જાઓ", "વધુ પ્રતિભાવો, JavaScript સાથે દેખાય છે: {n}", "વધુ જવાબો, JavaScript સાથે દેખાય છે: {n}"]),
    ("ar", ["العودة إلى المقال", "تعليقات أخرى تظهر مع JavaScript: {n}", "ردود أخرى تظهر مع JavaScript: {n}"]),
];

/// A line of the HTML's own.
#[derive(Clone, Copy)]
pub enum Own {
    Back = 0,
    MoreComments = 1,
    MoreReplies = 2,
}

fn tables() -> &'static HashMap<&'static str, HashMap<String, String>> {
    static TABLES: OnceLock<HashMap<&'static str, HashMap<String, String>>> = OnceLock::new();
    TABLES.get_or_init(|| {
        FILES.iter().map(|(lang, text)| (*lang, serde_json::from_str(text).unwrap_or_default())).collect()
    })
}

/// The words of one language.
#[derive(Clone, Copy)]
pub struct Words {
    lang: &'static str,
}

impl Words {
    /// The language of a BCP 47 `locale` ("pa-IN"), if it has a file; else English.
    pub fn for_locale(locale: Option<&str>) -> Words {
        let wanted = locale.unwrap_or_default().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let lang = FILES.iter().map(|(l, _)| *l).find(|l| *l == wanted).unwrap_or("en");
        Words { lang }
    }

    /// Its language tag ("en", "ur").
    pub fn lang(self) -> &'static str {
        self.lang
    }

    /// `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        if RIGHT_TO_LEFT.contains(&self.lang) {
            "rtl"
        } else {
            "ltr"
        }
    }

    fn text(self, name: &str) -> Option<&'static str> {
        tables().get(self.lang)?.get(name).map(String::as_str)
    }

    /// A word of the widget's.
    pub fn get(self, word: &Word) -> &'static str {
        self.text(word.0).unwrap_or(word.1)
    }

    /// A word of the widget's with `{n}` and `{min}` filled in.
    pub fn with_n(self, word: &Word, n: usize) -> String {
        let n = self.number(n);
        self.get(word).replace("{n}", &n).replace("{min}", &n)
    }

    /// A line of the HTML's own, with `{n}` filled in.
    pub fn own(self, which: Own, n: usize) -> String {
        let row = OWN.iter().find(|(l, _)| *l == self.lang).unwrap_or(&OWN[0]);
        row.1[which as usize].replace("{n}", &self.number(n))
    }

    /// `n` in the language's default digits.
    pub fn number(self, n: usize) -> String {
        let zero = match self.lang {
            "bn" => '০',
            "mr" => '०',
            _ => return n.to_string(),
        };
        n.to_string().chars().map(|d| char::from_u32(zero as u32 + d.to_digit(10).unwrap_or(0)).unwrap_or(d)).collect()
    }

    /// The CLDR plural category of `n` in the language.
    pub fn plural(self, n: usize) -> &'static str {
        match self.lang {
            "hi" | "bn" | "gu" | "pa" if n <= 1 => "one",
            "ar" => match (n, n % 100) {
                (0, _) => "zero",
                (1, _) => "one",
                (2, _) => "two",
                (_, 3..=10) => "few",
                (_, 11..=99) => "many",
                _ => "other",
            },
            _ if n == 1 => "one",
            _ => "other",
        }
    }

    /// Why a field was refused, in the language (the widget's translation of the same
    /// field and code); the core's English message where there is none.
    pub fn field_error(self, e: &FieldError) -> String {
        let (field, code) = (e.field, e.code);
        let counted = e.amount.and_then(|n| {
            let form = self.text(&format!("{field}.{code}_{}", self.plural(n)));
            form.or_else(|| self.text(&format!("{field}.{code}_other")))
        });
        let Some(template) = counted.or_else(|| self.text(&format!("{field}.{code}"))) else {
            let english = message_template(field, code, e.amount).unwrap_or(code);
            return fill(english, e.amount, e.limit);
        };
        fill_with(template, e.amount, e.limit, |n| self.number(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word_the_html_uses() {
        for (lang, _) in FILES {
            let words = Words::for_locale(Some(lang));
            for word in ALL {
                assert!(words.text(word.0).is_some(), "{lang} has no {}", word.0);
                assert_ne!(words.get(word), word.1, "{lang} {}", word.0);
            }
            assert!(OWN.iter().any(|(l, _)| *l == lang), "{lang} has no lines of its own");
        }
    }

    #[test]
    fn a_locale_picks_its_language_or_english() {
        assert_eq!(Words::for_locale(Some("ur-PK")).lang(), "ur");
        assert_eq!(Words::for_locale(Some("UR")).dir(), "rtl");
        assert_eq!(Words::for_locale(Some("fr")).lang(), "en");
        assert_eq!(Words::for_locale(None).get(&HEADING), "Reader Comments");
        assert_eq!(Words::for_locale(Some("hi")).get(&HEADING), "पाठकों की टिप्पणियाँ");
    }

    #[test]
    fn numbers_and_plurals_are_the_languages() {
        let (bn, ar, hi) =
            (Words::for_locale(Some("bn")), Words::for_locale(Some("ar")), Words::for_locale(Some("hi")));
        assert_eq!(bn.with_n(&HINT, 50), "কমপক্ষে ৫০টি অক্ষর");
        assert_eq!(ar.number(120), "120", "Arabic's default digits are Latin (as Chromium's Intl has them)");
        assert_eq!(hi.number(120), "120");
        assert_eq!([0, 1, 2, 3, 11, 100].map(|n| ar.plural(n)), ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!([0, 1, 2].map(|n| hi.plural(n)), ["one", "one", "other"]);
    }

    #[test]
    fn refused_fields_are_said_in_the_language() {
        let short = FieldError { field: "body", code: "too_short", amount: Some(26), limit: Some(50) };
        assert_eq!(Words::for_locale(Some("hi")).field_error(&short), "26 और अक्षर जोड़ें");
        assert_eq!(Words::for_locale(Some("ar")).field_error(&short), "أضف 26 حرفًا");
        assert_eq!(Words::for_locale(None).field_error(&short), "Add 26 more characters");
        let none = FieldError { field: "author", code: "required", amount: None, limit: None };
        assert_eq!(Words::for_locale(Some("ur")).field_error(&none), "اپنا نام لکھیں");
    }
}
