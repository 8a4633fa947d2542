//! The comment model and the tolerant reading of an endpoint's JSON (contract v1,
//! `docs/contract.md`): aliases other systems use are accepted, unknown fields ignored,
//! and an invalid item is skipped with a warning while the rest of the list stands.

use crate::time::{format_rfc3339, from_epoch_number, parse_rfc3339};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// Whether a comment is visible to everyone or held for moderation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    /// Visible to everyone.
    #[default]
    Published,
    /// Held for moderation; only its author sees it, marked as pending.
    Pending,
}

impl Status {
    /// The contract's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Pending => "pending",
        }
    }
}

/// One comment as the widget shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The endpoint's id, kept exactly (a numeric id keeps its digits).
    pub id: String,
    /// The author's display name.
    pub author: String,
    /// The plain-text body, line breaks included.
    pub body: String,
    /// When it was written, in milliseconds since the epoch, if the endpoint said.
    pub created_at: Option<i64>,
    /// Published or pending.
    pub status: Status,
}

impl Serialize for Comment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("author", &self.author)?;
        map.serialize_entry("body", &self.body)?;
        map.serialize_entry("created_at", &self.created_at.map(format_rfc3339))?;
        map.serialize_entry("status", self.status.as_str())?;
        map.end()
    }
}

/// Length limits an endpoint advertises; they win over the element's attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fewest visible characters.
    pub min_length: usize,
    /// Most visible characters.
    pub max_length: usize,
}

/// One page of a thread.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// The comments that could be read, in the endpoint's order.
    pub comments: Vec<Comment>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// The endpoint's limits, if it advertised valid ones.
    pub limits: Option<Limits>,
    /// One line per item or field that was skipped, for the console.
    pub warnings: Vec<String>,
}

/// An RFC 9457 problem document, as far as the widget needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problem {
    /// The short summary.
    pub title: Option<String>,
    /// The explanation of this occurrence.
    pub detail: Option<String>,
    /// Field errors: (field, code, message).
    pub errors: Vec<(String, String, String)>,
}

fn first<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| obj.get(*k).filter(|v| !v.is_null()))
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => first(o, &["name", "nick", "display_name"]).and_then(text_of),
        _ => None,
    }
}

fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a timestamp: RFC 3339 text, or epoch seconds or milliseconds as a number
/// (or as digits in a string).
pub fn decode_created(value: &Value) -> Option<i64> {
    match value {
        Value::String(s) => parse_rfc3339(s).or_else(|| s.trim().parse::<f64>().ok().and_then(from_epoch_number)),
        Value::Number(n) => n.as_f64().and_then(from_epoch_number),
        _ => None,
    }
}

/// Reads one comment, or says why it cannot be shown.
pub fn decode_comment(value: &Value) -> Result<Comment, String> {
    let obj = value.as_object().ok_or("not an object")?;
    let id = first(obj, &["id", "_id", "uuid"]).and_then(id_of).ok_or("no usable id")?;
    let author = first(obj, &["author", "name", "nick", "user"]).and_then(text_of).ok_or("no author name")?;
    let body = first(obj, &["body", "text", "content", "message", "comment"]).and_then(text_of).ok_or("no text")?;
    let created_at = match first(obj, &["created_at", "createdAt", "created", "date", "time"]) {
        None => None,
        Some(v) => Some(decode_created(v).ok_or("an unreadable time")?),
    };
    let status = match first(obj, &["status"]).map(|v| v.as_str()) {
        None | Some(Some("published" | "approved")) => Status::Published,
        Some(Some("pending")) => Status::Pending,
        Some(_) => return Err("an unknown status".into()),
    };
    Ok(Comment { id, author, body, created_at, status })
}

fn limit(obj: &Map<String, Value>, keys: &[&str]) -> Option<usize> {
    first(obj, keys).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok())
}

fn decode_limits(value: &Value) -> Result<Limits, String> {
    let obj = value.as_object().ok_or("limits is not an object")?;
    let min_length = limit(obj, &["min_length", "minLength"]).ok_or("limits.min_length is missing")?;
    let max_length = limit(obj, &["max_length", "maxLength"]).ok_or("limits.max_length is missing")?;
    if max_length == 0 || min_length > max_length {
        return Err(format!("limits {min_length}..{max_length} are impossible"));
    }
    Ok(Limits { min_length, max_length })
}

/// Reads a `GET {endpoint}` response: `{"comments": [...], "next": ..., "limits": ...}`
/// or a bare array. Fails only when the whole document is unusable.
pub fn decode_page(text: &str) -> Result<Page, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let mut page = Page::default();
    let items = match &doc {
        Value::Array(items) => items,
        Value::Object(obj) => {
            page.next = first(obj, &["next", "next_cursor", "nextCursor"]).and_then(id_of);
            if let Some(value) = first(obj, &["limits"]) {
                match decode_limits(value) {
                    Ok(limits) => page.limits = Some(limits),
                    Err(why) => page.warnings.push(format!("ignored the endpoint's limits: {why}")),
                }
            }
            match first(obj, &["comments"]) {
                Some(Value::Array(items)) => items,
                _ => return Err("no \"comments\" list in the response".into()),
            }
        }
        _ => return Err("neither a list nor an object".into()),
    };
    for (index, item) in items.iter().enumerate() {
        match decode_comment(item) {
            Ok(comment) => page.comments.push(comment),
            Err(why) => page.warnings.push(format!("skipped comment #{index}: {why}")),
        }
    }
    Ok(page)
}

/// Reads the comment in a `POST` response (201 or 202).
pub fn decode_posted(text: &str) -> Result<Comment, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let item = doc.as_object().and_then(|o| o.get("comment")).unwrap_or(&doc);
    decode_comment(item)
}

/// Reads an RFC 9457 problem document, if the text is one.
pub fn decode_problem(text: &str) -> Option<Problem> {
    let doc: Value = serde_json::from_str(text).ok()?;
    let obj = doc.as_object()?;
    let string = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    let errors = obj
        .get("errors")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|e| {
                    let e = e.as_object()?;
                    let get = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                    Some((get("field"), get("code"), get("message")))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Problem { title: string("title"), detail: string("detail"), errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_shape_is_read_with_next_and_limits() {
        let page = decode_page(
            r#"{"comments":[{"id":"c1","author":"Priyanka N","body":"Hello","created_at":"2026-02-08T10:30:00Z","status":"published"}],
                "next":"abc","limits":{"min_length":20,"max_length":900}}"#,
        )
        .expect("valid page");
        assert_eq!(page.comments.len(), 1);
        assert_eq!(page.comments[0].author, "Priyanka N");
        assert_eq!(page.comments[0].created_at, Some(1_770_546_600_000));
        assert_eq!(page.next.as_deref(), Some("abc"));
        assert_eq!(page.limits, Some(Limits { min_length: 20, max_length: 900 }));
        assert!(page.warnings.is_empty());
    }

    #[test]
    fn a_bare_array_is_accepted() {
        let page = decode_page(r#"[{"id":1,"author":"A","body":"B"}]"#).expect("valid");
        assert_eq!(page.comments[0].id, "1");
        assert_eq!(page.next, None);
    }

    #[test]
    fn numeric_ids_keep_every_digit() {
        let page = decode_page(r#"[{"id":12345678901234567890123,"author":"A","body":"B"}]"#).expect("valid");
        assert_eq!(page.comments[0].id, "12345678901234567890123");
    }

    #[test]
    fn each_alias_is_understood() {
        let cases = [
            r#"{"id":"1","name":"N","text":"T","createdAt":"2026-02-08T10:30:00Z"}"#,
            r#"{"id":"1","nick":"N","content":"T","created":1770546600}"#,
            r#"{"id":"1","author":"N","message":"T","date":1770546600000}"#,
            r#"{"id":"1","user":{"name":"N"},"comment":"T","date":"1770546600"}"#,
        ];
        for case in cases {
            let c = decode_comment(&serde_json::from_str(case).expect("json")).expect(case);
            assert_eq!((c.author.as_str(), c.body.as_str()), ("N", "T"), "{case}");
            assert_eq!(c.created_at, Some(1_770_546_600_000), "{case}");
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_pending_is_kept() {
        let c = decode_comment(&serde_json::json!({"id":"x","author":"A","body":"B","status":"pending","votes":3}))
            .expect("ok");
        assert_eq!(c.status, Status::Pending);
    }

    #[test]
    fn invalid_items_are_skipped_and_the_rest_stand() {
        let page = decode_page(
            r#"{"comments":[{"id":"1","author":"A","body":"ok"},{"author":"no id","body":"x"},7,
                {"id":"3","author":"B","body":5},{"id":"4","author":"C","body":"ok","created_at":"yesterday"},
                {"id":"5","author":"D","body":"ok","status":"spam"},{"id":"6","author":"E","body":"fine"}]}"#,
        )
        .expect("page");
        let ids: Vec<_> = page.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["1", "6"]);
        assert_eq!(page.warnings.len(), 5);
        assert!(page.warnings[0].contains("#1"));
    }

    #[test]
    fn unusable_documents_fail_as_a_whole() {
        for bad in ["", "<html>oops</html>", "{\"comments\":[", "{\"items\":[]}", "42"] {
            assert!(decode_page(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn impossible_limits_are_ignored_with_a_warning() {
        let page = decode_page(r#"{"comments":[],"limits":{"min_length":90,"max_length":10}}"#).expect("page");
        assert_eq!(page.limits, None);
        assert_eq!(page.warnings.len(), 1);
    }

    #[test]
    fn a_problem_document_gives_its_field_errors() {
        let p = decode_problem(
            r#"{"type":"about:blank","title":"Invalid comment","status":422,
                "errors":[{"field":"body","code":"too_short","message":"Add 1 more character"}]}"#,
        )
        .expect("problem");
        assert_eq!(p.title.as_deref(), Some("Invalid comment"));
        assert_eq!(p.errors, [("body".into(), "too_short".into(), "Add 1 more character".into())]);
    }

    #[test]
    fn a_posted_comment_is_read_bare_or_wrapped() {
        let bare = decode_posted(r#"{"id":"9","author":"A","body":"B","status":"pending"}"#).expect("bare");
        let wrapped =
            decode_posted(r#"{"comment":{"id":"9","author":"A","body":"B","status":"pending"}}"#).expect("wrapped");
        assert_eq!(bare, wrapped);
    }

    #[test]
    fn a_comment_serializes_to_the_contract_shape() {
        let c = Comment {
            id: "7".into(),
            author: "A".into(),
            body: "B".into(),
            created_at: Some(0),
            status: Status::Pending,
        };
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            serde_json::json!({"id":"7","author":"A","body":"B","created_at":"1970-01-01T00:00:00Z","status":"pending"})
        );
    }
}
