//! Blocked words and phrases (issue 13): a comment that contains one is held for a
//! moderator. Matching sees through the usual disguises without catching innocent words:
//!
//! - case (Unicode lower case) and width (NFKC: full-width `ＢＵＹ` is `buy`);
//! - accents on Latin letters (`vïägrá` is `viagra`), but never the vowel signs of
//!   Devanagari or Gurmukhi, which make the word;
//! - zero-width characters and soft hyphens inside a word;
//! - a phrase is matched as whole words (`ass` is not found in `class`), and a phrase of
//!   six letters or more also with the separators between its letters taken out
//!   (`b.u.y n-o-w` is `buy now`).

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

/// `text` as matching sees it: lower case, NFKC, no Latin accents, no invisible
/// characters.
pub fn normalized(text: &str) -> String {
    let plain: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'))
        .collect();
    plain.nfd().filter(|c| !matches!(c, '\u{0300}'..='\u{036F}')).nfc().collect()
}

/// The whole words of a normalized text.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !word_char(c)).filter(|w| !w.is_empty()).collect()
}

/// The letters and digits alone.
fn squashed(text: &str) -> String {
    text.chars().filter(|c| word_char(*c)).collect()
}

/// The first of `phrases` that `text` contains, if any.
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
