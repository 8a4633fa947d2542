//! The shared decoding fixture (`fixtures/decode-cases.json`) and its checker: the
//! server's decoding (serde_json) and the widget's (the browser's `JSON.parse`) both run
//! every case through [`check_decode_cases`] and must give what the fixture says.

use crate::model::{decode_page_value, decode_problem_value, Json};
use serde_json::{json, Value};

/// The fixture, as text.
pub const DECODE_CASES: &str = include_str!("../../../fixtures/decode-cases.json");

/// Decodes every case with `parse` (the implementation under test) and panics on the
/// first that differs from the fixture. `text` turns a body into a `String`; cases marked
/// `needs_loader` (integers beyond 2^53) are skipped when `skip_loader_cases` is set.
pub fn check_decode_cases<V: Json>(
    parse: impl Fn(&str) -> Result<V, String>,
    text: impl Fn(&V::Text) -> String,
    skip_loader_cases: bool,
) {
    let fixture: Value = serde_json::from_str(DECODE_CASES).expect("the fixture is JSON");
    for case in fixture["pages"].as_array().expect("pages") {
        let name = case["name"].as_str().expect("name");
        if skip_loader_cases && case["needs_loader"] == true {
            continue;
        }
        let Ok(page) = parse(case["input"].as_str().expect("input")).and_then(|doc| decode_page_value(&doc)) else {
            assert_eq!(case["error"], true, "{name}: refused");
            continue;
        };
        assert!(case["error"].is_null(), "{name}: decoded, but the fixture says it fails");
        let comments: Vec<Value> = page
            .comments
            .iter()
            .map(|c| json!([c.id, c.author, text(&c.body), c.created_at, c.status.as_str()]))
            .collect();
        assert_eq!(Value::from(comments), case["comments"], "{name}: comments");
        assert_eq!(page.next.as_deref(), case["next"].as_str(), "{name}: next");
        let limits = page.limits.map(|l| json!([l.min_length, l.max_length]));
        assert_eq!(limits.unwrap_or_default(), case["limits"], "{name}: limits");
        assert_eq!(json!(page.warnings.len()), case["warnings"], "{name}: {:?}", page.warnings);
    }
    for case in fixture["problems"].as_array().expect("problems") {
        let name = case["name"].as_str().expect("name");
        let doc = parse(case["input"].as_str().expect("input")).expect("the input is JSON");
        let decoded = decode_problem_value(&doc).map(|p| {
            let errors: Vec<_> =
                p.errors.iter().map(|e| json!([e.field, e.code, e.message, e.amount, e.limit])).collect();
            json!({"title": p.title, "detail": p.detail, "errors": errors})
        });
        assert_eq!(decoded.unwrap_or_default(), case["expected"], "{name}");
    }
}
