//! What makes a comment acceptable. The widget checks before sending and the server
//! checks again on arrival, with these same functions, so both give the same verdict
//! and the same message.

use crate::count::{count_visible_with, find_cluster, trim_text, Clusters};

/// The longest name, in visible characters.
pub const MAX_AUTHOR: usize = 80;
/// The most scalars one character may stack (a base and 30 marks, after UAX #15's
/// stream-safe limit); more is a layout attack, not writing.
pub const MAX_CLUSTER_SCALARS: usize = 31;

/// How many visible characters a comment body may have: the default rule, what an
/// endpoint advertises as `limits`, and what a site sets with `min-length`/`max-length`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fewest visible characters a comment may have.
    pub min_length: usize,
    /// Most visible characters a comment may have.
    pub max_length: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { min_length: 50, max_length: 5000 }
    }
}

/// The English messages of every validation error, `{n}` the amount and `{max}` the
/// limit. The server sends them; the widget shows them in English and keys its
/// translations by the same field and code (`body.too_short_one`, …).
pub mod messages {
    /// `author.required`.
    pub const AUTHOR_REQUIRED: &str = "Enter your name";
    /// `author.too_long`, one character over.
    pub const AUTHOR_TOO_LONG_ONE: &str = "Your name must be {max} characters or fewer: remove 1 character";
    /// `author.too_long`, several characters over.
    pub const AUTHOR_TOO_LONG_OTHER: &str = "Your name must be {max} characters or fewer: remove {n} characters";
    /// `author.control_characters`.
    pub const AUTHOR_CONTROL_CHARACTERS: &str = "Your name must be one line of text";
    /// `author.stacked_marks`.
    pub const AUTHOR_STACKED_MARKS: &str = "Your name has a character with too many accent marks";
    /// `body.required`.
    pub const BODY_REQUIRED: &str = "Enter your comment";
    /// `body.too_short`, one character short.
    pub const BODY_TOO_SHORT_ONE: &str = "Add 1 more character";
    /// `body.too_short`, several characters short.
    pub const BODY_TOO_SHORT_OTHER: &str = "Add {n} more characters";
    /// `body.too_long`, one character over.
    pub const BODY_TOO_LONG_ONE: &str = "Remove 1 character: the limit is {max}";
    /// `body.too_long`, several characters over.
    pub const BODY_TOO_LONG_OTHER: &str = "Remove {n} characters: the limit is {max}";
    /// `body.control_characters`.
    pub const BODY_CONTROL_CHARACTERS: &str = "Remove the control characters (such as escape codes) from your comment";
    /// `body.stacked_marks`.
    pub const BODY_STACKED_MARKS: &str = "Your comment has a character with too many accent marks";
    /// `parent_id.not_found` (contract v1.1): the comment replied to is unknown, held,
    /// deleted, or in another thread.
    pub const PARENT_NOT_FOUND: &str = "The comment you are replying to is not there any more";
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
    /// The length the amount is measured against: the minimum for `too_short`, the
    /// maximum for `too_long` (sent as `min` or `max`).
    pub limit: Option<usize>,
}

/// The English message template of a field and code, singular or plural; `None` for a
/// code this crate does not give.
pub fn message_template(field: &str, code: &str, amount: Option<usize>) -> Option<&'static str> {
    use messages::*;
    let one = amount == Some(1);
    Some(match (field, code) {
        ("author", "required") => AUTHOR_REQUIRED,
        ("author", "too_long") if one => AUTHOR_TOO_LONG_ONE,
        ("author", "too_long") => AUTHOR_TOO_LONG_OTHER,
        ("author", "control_characters") => AUTHOR_CONTROL_CHARACTERS,
        ("author", "stacked_marks") => AUTHOR_STACKED_MARKS,
        ("body", "required") => BODY_REQUIRED,
        ("body", "too_short") if one => BODY_TOO_SHORT_ONE,
        ("body", "too_short") => BODY_TOO_SHORT_OTHER,
        ("body", "too_long") if one => BODY_TOO_LONG_ONE,
        ("body", "too_long") => BODY_TOO_LONG_OTHER,
        ("body", "control_characters") => BODY_CONTROL_CHARACTERS,
        ("body", "stacked_marks") => BODY_STACKED_MARKS,
        ("parent_id", "not_found") => PARENT_NOT_FOUND,
        _ => return None,
    })
}

/// A message template with `{n}` replaced by the amount and `{max}`/`{min}` by the limit.
pub fn fill(template: &str, amount: Option<usize>, limit: Option<usize>) -> String {
    fill_with(template, amount, limit, |n| n.to_string())
}

/// [`fill`] with the numbers written by `digits` (a language's own digits).
pub fn fill_with(
    template: &str,
    amount: Option<usize>,
    limit: Option<usize>,
    digits: impl Fn(usize) -> String,
) -> String {
    let mut text = template.to_string();
    if let Some(n) = amount {
        text = text.replace("{n}", &digits(n));
    }
    if let Some(l) = limit {
        let l = digits(l);
        text = text.replace("{max}", &l).replace("{min}", &l);
    }
    text
}

impl FieldError {
    /// The message a reader understands, in English.
    pub fn message(&self) -> String {
        let template = message_template(self.field, self.code, self.amount).unwrap_or(self.code);
        fill(template, self.amount, self.limit)
    }

    /// The wire name of [`FieldError::limit`]: `min` for a body too short, else `max`.
    pub fn limit_name(&self) -> &'static str {
        if self.code == "too_short" {
            "min"
        } else {
            "max"
        }
    }
}

fn error(field: &'static str, code: &'static str) -> FieldError {
    FieldError { field, code, amount: None, limit: None }
}

fn counted(field: &'static str, code: &'static str, amount: usize, limit: usize) -> FieldError {
    FieldError { field, code, amount: Some(amount), limit: Some(limit) }
}

/// Control characters other than tab and line breaks (C0, DEL and C1).
fn has_control(text: &str, allow_breaks: bool) -> bool {
    text.chars().any(|c| c.is_control() && !(allow_breaks && matches!(c, '\t' | '\n' | '\r')))
}

fn has_stacked_marks(text: &str, clusters: &impl Clusters) -> bool {
    find_cluster(text, clusters, |g| g.chars().nth(MAX_CLUSTER_SCALARS).is_some()).is_some()
}

/// Checks a name: present, at most [`MAX_AUTHOR`] characters, one line, no controls.
pub fn validate_author_with(author: &str, clusters: &impl Clusters) -> Option<FieldError> {
    let count = count_visible_with(author, clusters);
    if count == 0 {
        return Some(error("author", "required"));
    }
    if has_control(author, false) {
        return Some(error("author", "control_characters"));
    }
    if has_stacked_marks(author, clusters) {
        return Some(error("author", "stacked_marks"));
    }
    (count > MAX_AUTHOR).then(|| counted("author", "too_long", count - MAX_AUTHOR, MAX_AUTHOR))
}

/// Checks a comment body against the thread's limits and for hostile characters.
pub fn validate_body_with(body: &str, limits: Limits, clusters: &impl Clusters) -> Option<FieldError> {
    let count = count_visible_with(body, clusters);
    if count == 0 {
        return Some(error("body", "required"));
    }
    if has_control(body, true) {
        return Some(error("body", "control_characters"));
    }
    if has_stacked_marks(body, clusters) {
        return Some(error("body", "stacked_marks"));
    }
    if count < limits.min_length {
        return Some(counted("body", "too_short", limits.min_length - count, limits.min_length));
    }
    (count > limits.max_length).then(|| counted("body", "too_long", count - limits.max_length, limits.max_length))
}

/// Checks a whole comment; the errors come in the form's order (name, then comment).
pub fn validate_comment_with(author: &str, body: &str, limits: Limits, clusters: &impl Clusters) -> Vec<FieldError> {
    validate_author_with(author, clusters).into_iter().chain(validate_body_with(body, limits, clusters)).collect()
}

/// [`validate_author_with`] the unicode-segmentation tables.
#[cfg(feature = "tables")]
pub fn validate_author(author: &str) -> Option<FieldError> {
    validate_author_with(author, &crate::count::Tables)
}

/// [`validate_body_with`] the unicode-segmentation tables.
#[cfg(feature = "tables")]
pub fn validate_body(body: &str, limits: Limits) -> Option<FieldError> {
    validate_body_with(body, limits, &crate::count::Tables)
}

/// [`validate_comment_with`] the unicode-segmentation tables.
#[cfg(feature = "tables")]
pub fn validate_comment(author: &str, body: &str, limits: Limits) -> Vec<FieldError> {
    validate_comment_with(author, body, limits, &crate::count::Tables)
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
        let e = validate_body(&"a".repeat(49), Limits::default()).expect("refused");
        assert_eq!((e.field, e.code, e.amount), ("body", "too_short", Some(1)));
        assert_eq!(e.message(), "Add 1 more character");
        let e = validate_body(&"a".repeat(38), Limits::default()).expect("refused");
        assert_eq!(e.message(), "Add 12 more characters");
    }

    #[test]
    fn fifty_characters_pass() {
        assert_eq!(validate_body(&"a".repeat(50), Limits::default()), None);
    }

    #[test]
    fn over_the_maximum_says_how_many_to_remove() {
        let limits = Limits { min_length: 5, max_length: 10 };
        let e = validate_body(&"b".repeat(13), limits).expect("refused");
        assert_eq!((e.code, e.amount), ("too_long", Some(3)));
        assert_eq!(e.message(), "Remove 3 characters: the limit is 10");
    }

    #[test]
    fn an_empty_or_invisible_comment_is_required() {
        for empty in ["", "   \n ", "\u{200B}\u{200B}"] {
            assert_eq!(validate_body(empty, Limits::default()).map(|e| e.code), Some("required"));
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
        assert_eq!(validate_body(&body, Limits::default()), None);
    }

    #[test]
    fn the_whole_comment_lists_errors_in_form_order() {
        let errors = validate_comment("", "short", Limits::default());
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["author", "body"]);
    }

    #[test]
    fn every_unicode_case_gets_the_fixture_verdict() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../../fixtures/unicode-cases.json")).expect("fixture is valid JSON");
        for case in cases {
            let Some(value) = case.value else { continue };
            let verdict = validate_body(&value, Limits::default());
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
        assert_eq!(validate_body(&escape, Limits::default()).map(|e| e.code), Some("control_characters"));
        let zalgo = format!("{long}e{}", "\u{301}".repeat(31));
        assert_eq!(validate_body(&zalgo, Limits::default()).map(|e| e.code), Some("stacked_marks"));
        let thirty = format!("{long}e{}", "\u{301}".repeat(30));
        assert_eq!(validate_body(&thirty, Limits::default()), None);
    }

    #[test]
    fn a_name_of_exactly_the_maximum_is_taken_and_one_more_is_refused_naming_the_limit() {
        assert_eq!(validate_author(&"n".repeat(MAX_AUTHOR)), None);
        let e = validate_author(&"n".repeat(MAX_AUTHOR + 1)).expect("refused");
        assert_eq!((e.field, e.code, e.amount, e.limit), ("author", "too_long", Some(1), Some(MAX_AUTHOR)));
        assert_eq!(
            (e.limit_name(), e.message().as_str()),
            ("max", "Your name must be 80 characters or fewer: remove 1 character")
        );
        let e = validate_author(&"n".repeat(MAX_AUTHOR + 7)).expect("refused");
        assert_eq!(e.message(), "Your name must be 80 characters or fewer: remove 7 characters");
    }

    #[test]
    fn a_comment_of_exactly_max_length_is_taken_and_one_more_is_refused_naming_the_limit() {
        let limits = Limits { min_length: 1, max_length: 120 };
        assert_eq!(validate_body(&"é".repeat(120), limits), None);
        let e = validate_body(&"é".repeat(121), limits).expect("refused");
        assert_eq!((e.field, e.code, e.amount, e.limit), ("body", "too_long", Some(1), Some(120)));
        assert_eq!((e.limit_name(), e.message().as_str()), ("max", "Remove 1 character: the limit is 120"));
        // The default maximum, counted in visible characters (a family emoji is one).
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(validate_body(&family.repeat(5000), Limits::default()), None);
        let e = validate_body(&family.repeat(5002), Limits::default()).expect("refused");
        assert_eq!(e.message(), "Remove 2 characters: the limit is 5000");
    }

    #[test]
    fn a_comment_of_exactly_min_length_is_taken_and_one_less_is_refused_naming_the_minimum() {
        let limits = Limits { min_length: 7, max_length: 9 };
        let e = validate_body("abcdef", limits).expect("refused");
        assert_eq!((e.code, e.amount, e.limit, e.limit_name()), ("too_short", Some(1), Some(7), "min"));
        assert_eq!(validate_body("abcdefg", limits), None);
        assert_eq!(validate_body("abcdefghi", limits), None);
        assert_eq!(validate_body("abcdefghij", limits).map(|e| e.code), Some("too_long"));
    }

    /// Every message a reader or a client can get from these rules, as the contract
    /// documents them (docs/contract.md): each field and code, singular and plural, with
    /// its numbers filled in. The core owns the English text; the widget's Hindi and
    /// Punjabi are keyed by the same field and code, and its own tests check that every
    /// key has a translation.
    #[test]
    fn every_field_and_code_has_its_own_message() {
        /// A field, a code, the amount, the limit, and the message a reader reads.
        type Case = (&'static str, &'static str, Option<usize>, Option<usize>, &'static str);
        let cases: [Case; 14] = [
            ("author", "required", None, None, "Enter your name"),
            ("author", "too_long", Some(1), Some(80), "Your name must be 80 characters or fewer: remove 1 character"),
            ("author", "too_long", Some(3), Some(80), "Your name must be 80 characters or fewer: remove 3 characters"),
            ("author", "control_characters", None, None, "Your name must be one line of text"),
            ("author", "stacked_marks", None, None, "Your name has a character with too many accent marks"),
            ("body", "required", None, None, "Enter your comment"),
            ("body", "too_short", Some(1), Some(50), "Add 1 more character"),
            ("body", "too_short", Some(12), Some(50), "Add 12 more characters"),
            ("body", "too_long", Some(1), Some(5000), "Remove 1 character: the limit is 5000"),
            ("body", "too_long", Some(2), Some(5000), "Remove 2 characters: the limit is 5000"),
            (
                "body",
                "control_characters",
                None,
                None,
                "Remove the control characters (such as escape codes) from your comment",
            ),
            ("body", "stacked_marks", None, None, "Your comment has a character with too many accent marks"),
            ("parent_id", "not_found", None, None, "The comment you are replying to is not there any more"),
            ("body", "too_long", Some(0), Some(10), "Remove 0 characters: the limit is 10"),
        ];
        for (field, code, amount, limit, expected) in cases {
            let template = message_template(field, code, amount).unwrap_or_else(|| panic!("{field}.{code}"));
            assert_eq!(fill(template, amount, limit), expected, "{field}.{code} {amount:?}");
        }
        assert_eq!(message_template("body", "too_loud", None), None);
        assert_eq!(message_template("author", "too_short", Some(1)), None, "a name has no minimum");
        let unknown = FieldError { field: "body", code: "too_loud", amount: None, limit: None };
        assert_eq!(unknown.message(), "too_loud", "an unknown code is shown as itself, never as nothing");
    }

    #[test]
    fn the_messages_the_validators_give_are_the_documented_ones() {
        let limits = Limits { min_length: 50, max_length: 60 };
        let message = |e: Option<FieldError>| e.expect("refused").message();
        assert_eq!(message(validate_author("")), "Enter your name");
        assert_eq!(message(validate_author("a\u{7}b")), "Your name must be one line of text");
        assert_eq!(
            message(validate_author(&format!("e{}", "\u{301}".repeat(31)))),
            "Your name has a character with too many accent marks"
        );
        assert_eq!(message(validate_body(" \u{200B} ", limits)), "Enter your comment");
        assert_eq!(
            message(validate_body(&format!("{}\u{1b}", "a".repeat(55)), limits)),
            "Remove the control characters (such as escape codes) from your comment"
        );
        assert_eq!(
            message(validate_body(&format!("{}e{}", "a".repeat(55), "\u{301}".repeat(31)), limits)),
            "Your comment has a character with too many accent marks"
        );
        assert_eq!(message(validate_body(&"a".repeat(49), limits)), "Add 1 more character");
        assert_eq!(message(validate_body(&"a".repeat(63), limits)), "Remove 3 characters: the limit is 60");
    }

    #[test]
    fn filling_replaces_every_placeholder_and_leaves_text_without_them_alone() {
        assert_eq!(fill("{n} of {max}, at least {min}", Some(2), Some(9)), "2 of 9, at least 9");
        assert_eq!(fill("Enter your name", Some(2), Some(9)), "Enter your name");
        assert_eq!(fill("{n} and {max}", None, None), "{n} and {max}");
    }

    #[test]
    fn normalizing_trims_and_unifies_line_breaks() {
        assert_eq!(normalize("  hi\r\nthere \u{200B}"), "hi\nthere");
    }
}
