//! Counting characters the way a reader sees them.

/// Splits text into extended grapheme clusters (Unicode's UAX #29). The rules built on
/// clusters (counting, stacked marks, initials) are written once, here, against this;
/// the server splits with the unicode-segmentation crate's tables ([`Tables`], feature
/// `tables`), the widget with the browser's `Intl.Segmenter`, so it ships no tables. The
/// widget's component tests check that both give every count in
/// `fixtures/unicode-cases.json`.
pub trait Clusters {
    /// Calls `each` with every cluster of `text`, in order, until it returns false.
    fn each<'a>(&self, text: &'a str, each: &mut dyn FnMut(&'a str) -> bool);
}

/// The unicode-segmentation crate's tables.
#[cfg(feature = "tables")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Tables;

#[cfg(feature = "tables")]
impl Clusters for Tables {
    fn each<'a>(&self, text: &'a str, each: &mut dyn FnMut(&'a str) -> bool) {
        use unicode_segmentation::UnicodeSegmentation;
        for cluster in text.graphemes(true) {
            if !each(cluster) {
                return;
            }
        }
    }
}

/// The first cluster of `text` for which `wanted` holds.
pub fn find_cluster<'a>(text: &'a str, clusters: &impl Clusters, wanted: impl Fn(&str) -> bool) -> Option<&'a str> {
    let mut found = None;
    clusters.each(text, &mut |c| {
        if wanted(c) {
            found = Some(c);
        }
        found.is_none()
    });
    found
}

/// True for characters that take no visible space of their own: zero-width spaces and
/// joiners, bidirectional controls, the byte-order mark, soft hyphens, word joiners,
/// variation selectors and tag characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The text a reader means: surrounding white space and invisible characters removed.
pub fn trim_text(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// Counts the characters a reader sees: extended grapheme clusters of the trimmed text,
/// leaving out clusters made only of invisible characters. A family emoji counts 1,
/// "नमस्ते" counts 3, fifty spaces count 0.
pub fn count_visible_with(text: &str, clusters: &impl Clusters) -> usize {
    let mut count = 0;
    clusters.each(trim_text(text), &mut |c| {
        count += usize::from(!c.chars().all(is_invisible));
        true
    });
    count
}

/// [`count_visible_with`] the unicode-segmentation tables.
#[cfg(feature = "tables")]
pub fn count_visible(text: &str) -> usize {
    count_visible_with(text, &Tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        name: String,
        value: Option<String>,
        proposed_count: Option<usize>,
    }

    fn cases() -> Vec<Case> {
        let text = include_str!("../../../fixtures/unicode-cases.json");
        serde_json::from_str(text).expect("fixture is valid JSON")
    }

    #[test]
    fn every_unicode_case_counts_as_the_fixture_says() {
        let mut checked = 0;
        for case in cases() {
            if let (Some(value), Some(expected)) = (case.value, case.proposed_count) {
                assert_eq!(count_visible(&value), expected, "case {}", case.name);
                checked += 1;
            }
        }
        assert!(checked >= 30, "only {checked} cases were checked");
    }

    #[test]
    fn a_family_emoji_counts_one() {
        assert_eq!(count_visible("👨\u{200D}👩\u{200D}👧\u{200D}👦"), 1);
    }

    #[test]
    fn fifty_spaces_count_nothing() {
        assert_eq!(count_visible(&" ".repeat(50)), 0);
    }

    #[test]
    fn a_letter_padded_with_zero_width_spaces_counts_one() {
        let text = format!("a{}", "\u{200B}".repeat(49));
        assert_eq!(count_visible(&text), 1);
    }

    #[test]
    fn hindi_counts_as_a_hindi_reader_would() {
        assert_eq!(count_visible("नमस्ते"), 3);
        assert_eq!(count_visible("नमस्ते दुनिया"), 7);
    }

    #[test]
    fn inner_spaces_and_line_breaks_count() {
        assert_eq!(count_visible("a b\nc"), 5);
        assert_eq!(count_visible("a\r\nb"), 3);
    }

    #[test]
    fn invisible_characters_at_the_edges_are_trimmed_before_spaces() {
        assert_eq!(count_visible("\u{200B} a \u{FEFF}"), 1);
    }
}
