//! Blocked words and phrases (issue 13): a comment that contains one is held for a
//! moderator. Matching reads a text and every phrase the same way, through the usual
//! disguises, without catching innocent words:
//!
//! - width and compatibility forms (NFKC: full-width `ＢＵＹ` is `buy`) and case;
//! - no default-ignorable character (zero-width and bidi marks, U+2063, U+180E,
//!   variation selectors, tag characters, the Hangul fillers, soft hyphens);
//! - no combining mark (`vïägrá` is `viagra`, and so is one with marks from any block),
//!   but the vowel signs and nuktas of Devanagari, Gurmukhi and the other Indic scripts,
//!   which make the word;
//! - Greek, Cyrillic and extended Latin look-alikes as the Latin letters they copy
//!   (Unicode TR39's confusable skeleton: Cyrillic `саsinо` is `casino`);
//! - digits and symbols as the letters they stand in for (`0` o, `3` e, `4` and `@` a,
//!   `5` and `$` s, `7` t: `c4s1n0`), and `i`, `l` and `1` as one letter;
//! - a phrase is matched as whole words (`ass` is not found in `class`), and a phrase of
//!   six letters or more also with the separators between its letters taken out
//!   (`b.u.y n-o-w` is `buy now`).
//!
//! server/tests/spam.rs measures it: disguises caught, and what a ham corpus has held.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Whether `c` belongs to a word: letters and digits, and the marks of any script.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0900}'..='\u{097F}' | '\u{0A00}'..='\u{0A7F}')
}

/// Whether a moderator's word or phrase may be blocked: 1 to 100 characters, as
/// trimmed, none of them a control character (the words page and `import` both ask).
pub fn valid_phrase(phrase: &str) -> bool {
    phrase == phrase.trim() && (1..=100).contains(&phrase.chars().count()) && !phrase.chars().any(char::is_control)
}

/// Whether `c` is default-ignorable (Unicode's Default_Ignorable_Code_Point): drawn as
/// nothing, so a disguise puts them between letters (zero-width and bidi marks, U+2063,
/// U+180E, variation selectors, tag characters, the Hangul fillers, …).
fn ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether a combining mark belongs to a letter of an Indic script (Devanagari to
/// Sinhala: Hindi's and Punjabi's vowel signs and nuktas make the word; they are kept).
fn indic(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0DFF}')
}

/// Whether `c` is a letter of an alphabet whose look-alikes of Latin letters a disguise
/// borrows (Greek, Cyrillic, Latin's extensions and IPA): it is read as its Unicode TR39
/// confusable skeleton (Cyrillic `а`, Greek `Α` as `a`).
fn borrowed(c: char) -> bool {
    matches!(c,
        '\u{0180}'..='\u{02AF}' | '\u{0370}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{1D00}'..='\u{1DBF}'
        | '\u{1E00}'..='\u{1FFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}'
        | '\u{A720}'..='\u{A7FF}' | '\u{AB30}'..='\u{AB6F}')
}

/// The letter a digit or symbol stands in for (`c4s1n0`, `$ex`, `fr33 m0ney`). `i`, `l`
/// and `1` are one letter here: a `1` stands for either, and TR39's skeleton reads every
/// I-like letter (Greek `Ι`, Cyrillic `І`) as `l`.
fn stand_in(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'l' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        c => c,
    }
}

/// `text` as matching sees it: NFKC, lower case, no default-ignorable characters, no
/// combining marks but Indic scripts' own, look-alike letters of other alphabets as the
/// Latin ones they copy, digits and symbols as the letters they stand in for.
pub fn normalized(text: &str) -> String {
    let visible: String = text.nfkc().filter(|c| !ignorable(*c)).collect();
    let unmarked: String = visible.nfd().filter(|c| indic(*c) || !is_combining_mark(*c)).nfc().collect();
    unmarked
        .chars()
        .flat_map(|c| -> Box<dyn Iterator<Item = char>> {
            if borrowed(c) {
                Box::new(unicode_security::skeleton(&c.to_string()).collect::<Vec<_>>().into_iter())
            } else {
                Box::new(std::iter::once(c))
            }
        })
        .flat_map(char::to_lowercase)
        .map(stand_in)
        .collect()
}

/// The whole words of a normalized text.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !word_char(c)).filter(|w| !w.is_empty()).collect()
}

/// The letters and digits alone.
fn squashed(text: &str) -> String {
    text.chars().filter(|c| word_char(*c)).collect()
}

/// The first of `phrases` that `text` contains, if any: as whole words, or, for a phrase
/// of six letters or more, with the separators between letters taken out.
pub fn first_blocked<'a>(text: &str, phrases: &'a [String]) -> Option<&'a str> {
    let text = normalized(text);
    let (tokens, letters) = (words(&text), squashed(&text));
    phrases.iter().map(String::as_str).find(|phrase| {
        let phrase = normalized(phrase);
        let wanted = words(&phrase);
        if wanted.is_empty() {
            return false;
        }
        let whole = tokens.windows(wanted.len()).any(|w| w == wanted.as_slice());
        let joined = squashed(&phrase);
        whole || (joined.chars().count() >= 6 && letters.contains(&joined))
    })
}

#[cfg(test)]
mod tests {
    use super::first_blocked;

    fn list(phrases: &[&str]) -> Vec<String> {
        phrases.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn disguises_are_seen_through() {
        let blocked = list(&["buy now", "viagra", "casino"]);
        for text in ["BUY NOW!", "ＢＵＹ ＮＯＷ", "vïägrá here", "via\u{200B}gra", "b.u.y n-o-w", "best Casino."]
        {
            assert!(first_blocked(text, &blocked).is_some(), "{text}");
        }
    }

    #[test]
    fn innocent_words_are_left_alone() {
        let blocked = list(&["ass", "sex"]);
        for text in ["a class assessment", "Sussex and Essex", "the embassy"] {
            assert_eq!(first_blocked(text, &blocked), None, "{text}");
        }
        assert_eq!(first_blocked("what an ass", &blocked), Some("ass"));
    }

    #[test]
    fn hindi_and_punjabi_words_keep_their_vowel_signs() {
        let blocked = list(&["जुआ", "ਜੂਆ"]);
        assert_eq!(first_blocked("यह जुआ है", &blocked), Some("जुआ"));
        assert_eq!(first_blocked("ਇਹ ਜੂਆ ਹੈ", &blocked), Some("ਜੂਆ"));
        assert_eq!(first_blocked("जो आज है", &blocked), None, "the letters without their signs are another word");
    }
}
