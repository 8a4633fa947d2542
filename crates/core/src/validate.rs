//! What makes a comment acceptable. The widget checks before sending and the server
//! checks again on arrival, with these same functions, so both give the same verdict
//! and the same message.

use crate::count::{count_visible, trim_text};
use unicode_segmentation::UnicodeSegmentation;

/// The longest name, in visible characters.
pub const MAX_AUTHOR: usize = 80;
/// The most scalars one character may stack (a base and 30 marks, after UAX #15's
/// stream-safe limit); more is a layout attack, not writing.
pub const MAX_CLUSTER_SCALARS: usize = 31;

/// The length rule a thread applies to comment bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Fewest visible characters a comment may have.
    pub min_length: usize,
    /// Most visible characters a comment may have.
    pub max_length: usize,
}

impl Default for Rule {
    fn default() -> Self {
        Rule { min_length: 50, max_length: 5000 }
    }
}

/// One reason a field is not acceptable, in the shape of the contract's `errors` items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `author` or `body`.
    pub field: &'static str,
    /// A stable code: `required`, `too_short`, `too_long`, `control_characters`,
    /// `stacked_marks`.
    pub code: &'static str,
    /// The number the message is about (characters to add or to remove), if any.
    pub amount: Option<usize>,
    /// A message a reader understands, in English.
    pub message: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn error(field: &'static str, code: &'static str, amount: Option<usize>, message: String) -> FieldError {
    FieldError { field, code, amount, message }
}

/// Control characters other than tab and line breaks (C0, DEL and C1).
fn has_control(text: &str, allow_breaks: bool) -> bool {
    text.chars().any(|c| c.is_control() && !(allow_breaks && matches!(c, '\t' | '\n' | '\r')))
}

fn has_stacked_marks(text: &str) -> bool {
    text.graphemes(true).any(|g| g.chars().nth(MAX_CLUSTER_SCALARS).is_some())
}

/// Checks a name: present, at most [`MAX_AUTHOR`] characters, one line, no controls.
pub fn validate_author(author: &str) -> Option<FieldError> {
    let count = count_visible(author);
    if count == 0 {
        return Some(error("author", "required", None, "Enter your name".into()));
    }
    if has_control(author, false) {
        return Some(error("author", "control_characters", None, "Your name must be one line of text".into()));
    }
    if has_stacked_marks(author) {
        return Some(error(
            "author",
            "stacked_marks",
            None,
            "Your name has a character with too many accent marks".into(),
        ));
    }
    if count > MAX_AUTHOR {
        let over = count - MAX_AUTHOR;
        return Some(error(
            "author",
            "too_long",
            Some(over),
            format!(
                "Your name must be {MAX_AUTHOR} characters or fewer: remove {}",
                plural(over, "character", "characters")
            ),
        ));
    }
    None
}

/// Checks a comment body against the thread's length rule and for hostile characters.
pub fn validate_body(body: &str, rule: Rule) -> Option<FieldError> {
    let count = count_visible(body);
    if count == 0 {
        return Some(error("body", "required", None, "Enter your comment".into()));
    }
    if has_control(body, true) {
        return Some(error(
            "body",
            "control_characters",
            None,
            "Remove the control characters (such as escape codes) from your comment".into(),
        ));
    }
    if has_stacked_marks(body) {
        return Some(error(
            "body",
            "stacked_marks",
            None,
            "Your comment has a character with too many accent marks".into(),
        ));
    }
    if count < rule.min_length {
        let short = rule.min_length - count;
        return Some(error(
            "body",
            "too_short",
            Some(short),
            format!("Add {}", plural(short, "more character", "more characters")),
        ));
    }
    if count > rule.max_length {
        let over = count - rule.max_length;
        return Some(error(
            "body",
            "too_long",
            Some(over),
            format!("Remove {}: the limit is {}", plural(over, "character", "characters"), rule.max_length),
        ));
    }
    None
}

/// Checks a whole comment; the errors come in the form's order (name, then comment).
pub fn validate_comment(author: &str, body: &str, rule: Rule) -> Vec<FieldError> {
    validate_author(author).into_iter().chain(validate_body(body, rule)).collect()
}

/// The text stored and shown: the body or name as the reader meant it, trimmed.
pub fn normalize(text: &str) -> String {
    trim_text(text).replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        name: String,
        value: Option<String>,
        proposed_server_verdict: String,
    }

    #[test]
    fn forty_nine_characters_are_refused_with_how_many_to_add() {
        let e = validate_body(&"a".repeat(49), Rule::default()).expect("refused");
        assert_eq!((e.field, e.code, e.amount), ("body", "too_short", Some(1)));
        assert_eq!(e.message, "Add 1 more character");
        let e = validate_body(&"a".repeat(38), Rule::default()).expect("refused");
        assert_eq!(e.message, "Add 12 more characters");
    }

    #[test]
    fn fifty_characters_pass() {
        assert_eq!(validate_body(&"a".repeat(50), Rule::default()), None);
    }

    #[test]
    fn over_the_maximum_says_how_many_to_remove() {
        let rule = Rule { min_length: 5, max_length: 10 };
        let e = validate_body(&"b".repeat(13), rule).expect("refused");
        assert_eq!((e.code, e.amount), ("too_long", Some(3)));
        assert_eq!(e.message, "Remove 3 characters: the limit is 10");
    }

    #[test]
    fn an_empty_or_invisible_comment_is_required() {
        for empty in ["", "   \n ", "\u{200B}\u{200B}"] {
            assert_eq!(validate_body(empty, Rule::default()).map(|e| e.code), Some("required"));
        }
    }

    #[test]
    fn a_name_is_required_and_bounded() {
        assert_eq!(validate_author(" ").map(|e| e.code), Some("required"));
        assert_eq!(validate_author("Priyanka N"), None);
        assert_eq!(validate_author(&"x".repeat(81)).map(|e| e.amount), Some(Some(1)));
        assert_eq!(validate_author("a\nb").map(|e| e.code), Some("control_characters"));
    }

    #[test]
    fn line_breaks_and_tabs_are_allowed_in_a_comment() {
        let body = format!("{}\r\n\tand more", "a".repeat(50));
        assert_eq!(validate_body(&body, Rule::default()), None);
    }

    #[test]
    fn the_whole_comment_lists_errors_in_form_order() {
        let errors = validate_comment("", "short", Rule::default());
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["author", "body"]);
    }

    #[test]
    fn every_unicode_case_gets_the_fixture_verdict() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../../fixtures/unicode-cases.json")).expect("fixture is valid JSON");
        for case in cases {
            let Some(value) = case.value else { continue };
            let verdict = validate_body(&value, Rule::default());
            let expected = case.proposed_server_verdict.as_str();
            match verdict.as_ref().map(|e| e.code) {
                None => assert!(expected.ends_with("passes"), "{} passed, fixture says {expected}", case.name),
                Some("too_short" | "required") => {
                    assert!(expected.contains("too short"), "{} too short, fixture says {expected}", case.name)
                }
                Some("control_characters") => {
                    assert!(expected.contains("control"), "{}: {expected}", case.name)
                }
                Some("stacked_marks") => assert!(expected.contains("non-starters"), "{}: {expected}", case.name),
                Some(other) => panic!("{} gave {other}", case.name),
            }
        }
    }

    #[test]
    fn hostile_characters_are_refused_even_in_a_long_comment() {
        let long = "a".repeat(60);
        let escape = format!("{long}\u{1b}[31m");
        assert_eq!(validate_body(&escape, Rule::default()).map(|e| e.code), Some("control_characters"));
        let zalgo = format!("{long}e{}", "\u{301}".repeat(31));
        assert_eq!(validate_body(&zalgo, Rule::default()).map(|e| e.code), Some("stacked_marks"));
        let thirty = format!("{long}e{}", "\u{301}".repeat(30));
        assert_eq!(validate_body(&thirty, Rule::default()), None);
    }

    #[test]
    fn normalizing_trims_and_unifies_line_breaks() {
        assert_eq!(normalize("  hi\r\nthere \u{200B}"), "hi\nthere");
    }
}
