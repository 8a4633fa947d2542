//! The comment model and the tolerant reading of an endpoint's JSON (contract v1,
//! `docs/contract.md`): aliases other systems use are accepted, unknown fields ignored,
//! and an invalid item is skipped with a warning while the rest of the list stands.

use crate::time::{from_epoch_number, parse_rfc3339};
use crate::validate::Limits;

pub use crate::json::Json;

/// Comments of a response not decoded yet: the parsed list and where the next one is.
#[derive(Clone, Debug)]
pub struct Rest<V> {
    list: Option<V>,
    next: usize,
    len: usize,
}

impl<V: Json> Rest<V> {
    /// Nothing left.
    pub fn empty() -> Self {
        Rest { list: None, next: 0, len: 0 }
    }

    /// How many comments are left.
    pub fn remaining(&self) -> usize {
        self.len - self.next
    }

    /// Decodes up to `count` more; an unreadable one is skipped with a warning.
    pub fn take(&mut self, count: usize) -> (Vec<Comment<V::Text>>, Vec<String>) {
        let end = self.len.min(self.next.saturating_add(count));
        let mut comments = Vec::with_capacity(end - self.next);
        let mut warnings = Vec::new();
        if let Some(list) = &self.list {
            for index in self.next..end {
                match list.item(index).ok_or_else(|| "missing".to_string()).and_then(|item| decode_comment(&item)) {
                    Ok(comment) => {
                        let item = list.item(index);
                        let id = comment.id.clone();
                        comments.push(comment);
                        if let Some(item) = item {
                            embedded_replies(&item, &id, &mut comments, &mut warnings);
                        }
                    }
                    Err(why) => warnings.push(format!("skipped comment #{index}: {why}")),
                }
            }
        }
        self.next = end;
        (comments, warnings)
    }
}

/// How deep embedded replies are read (replies of replies of …); deeper ones are
/// skipped with a warning, so a hostile nesting cannot exhaust the stack or the page.
const MAX_NESTING: usize = 8;

/// Appends the replies embedded in `item` (`replies`, or `children` as Remark42 and
/// Artalk send them), depth first in the endpoint's order, each with its `parent_id`
/// (the comment it sits in, when it does not say). Contract v1.1's embedded shape.
fn embedded_replies<V: Json>(item: &V, id: &str, out: &mut Vec<Comment<V::Text>>, warnings: &mut Vec<String>) {
    let mut stack: Vec<(V, String, usize, usize)> = Vec::new();
    if let Some(list) = first(item, &["replies", "children"]).filter(|l| l.array_len().is_some()) {
        stack.push((list, id.to_string(), 0, 1));
    }
    while let Some((list, parent, index, depth)) = stack.pop() {
        let Some(reply) = list.item(index) else { continue };
        stack.push((list, parent.clone(), index + 1, depth));
        match decode_comment(&reply) {
            Ok(mut comment) => {
                comment.parent_id.get_or_insert(parent);
                let own = comment.id.clone();
                out.push(comment);
                if let Some(inner) = first(&reply, &["replies", "children"]).filter(|l| l.array_len().is_some()) {
                    if depth < MAX_NESTING {
                        stack.push((inner, own, 0, depth + 1));
                    } else {
                        warnings.push(format!("skipped the replies nested under \"{own}\": deeper than {MAX_NESTING}"));
                    }
                }
            }
            Err(why) => warnings.push(format!("skipped a reply to \"{parent}\": {why}")),
        }
    }
}

/// Whether a comment is visible to everyone or held for moderation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    /// Visible to everyone.
    #[default]
    Published,
    /// Held for moderation; only its author sees it, marked as pending.
    Pending,
    /// Deleted by its author but kept, without author or text, because replies answer
    /// it (contract v1.1).
    Deleted,
}

impl Status {
    /// The contract's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Pending => "pending",
            Status::Deleted => "deleted",
        }
    }
}

/// One comment as the widget shows it. The body is a `String` except where the widget
/// keeps the browser's own string (see [`Json::Text`]). The fields after `status` are
/// contract v1.1's; a v1 endpoint leaves them at their defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comment<B = String> {
    /// The endpoint's id, kept exactly (a numeric id keeps its digits).
    pub id: String,
    /// The author's display name.
    pub author: String,
    /// The plain-text body, line breaks included.
    pub body: B,
    /// When it was written, in milliseconds since the epoch, if the endpoint said.
    pub created_at: Option<i64>,
    /// Published, pending, or deleted with replies.
    pub status: Status,
    /// The comment it answers; `None` at the top level.
    pub parent_id: Option<String>,
    /// How many replies sit under this top-level comment, when the endpoint said.
    pub reply_count: Option<usize>,
    /// How many readers recommend it, when the endpoint said.
    pub recommends: Option<u64>,
    /// Whether this reader recommends it.
    pub recommended: bool,
    /// When its author last edited it.
    pub edited_at: Option<i64>,
    /// Contract v1.2: the newsroom features it (an editor's pick).
    pub featured: bool,
    /// Contract v1.2: written by the newsroom's staff (set by the endpoint; a reader
    /// cannot post it).
    pub staff: bool,
    /// Contract v1.3: posted by a reader signed in with the site's own account (set by
    /// the endpoint; a posted `verified` means nothing).
    pub verified: bool,
}

/// One page of a thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<B = String> {
    /// The comments that could be read, in the endpoint's order.
    pub comments: Vec<Comment<B>>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// The endpoint's limits, if it advertised valid ones.
    pub limits: Option<Limits>,
    /// What the endpoint offers beyond v1 (contract v1.1); `None` from a v1 endpoint.
    pub capabilities: Option<crate::conversation::Capabilities>,
    /// The newsroom closed the thread: no new comments (contract v1.1 `closed`).
    pub closed: bool,
    /// One line per item or field that was skipped, for the console.
    pub warnings: Vec<String>,
}

/// An RFC 9457 problem document, as far as the widget needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProblemDetails {
    /// The short summary.
    pub title: Option<String>,
    /// The explanation of this occurrence.
    pub detail: Option<String>,
    /// Why it was refused, for a program (contract v1.1: `edit_window_closed`,
    /// `invalid_token`, `thread_closed`).
    pub code: Option<String>,
    /// Why a field was refused, in the form's order.
    pub errors: Vec<ProblemField>,
    /// Contract v1.3: the moderators' reason for a suspended or banned account, for its
    /// owner.
    pub reason: Option<String>,
}

/// One item of a problem document's `errors`: a refused field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProblemField {
    /// The field it concerns (`author`, `body`, or an endpoint's own).
    pub field: String,
    /// A stable code (`too_short`, …, or an endpoint's own).
    pub code: String,
    /// The endpoint's message, shown when the widget has no translation of the code.
    pub message: String,
    /// Characters to add or to remove, when the endpoint said.
    pub amount: Option<usize>,
    /// The minimum (`min`) or maximum (`max`) the amount is measured against.
    pub limit: Option<usize>,
}

fn first<V: Json>(obj: &V, keys: &[&str]) -> Option<V> {
    keys.iter().find_map(|k| obj.member(k))
}

fn text_of<V: Json>(value: &V) -> Option<String> {
    value.string().or_else(|| first(value, &["name", "nick", "display_name"]).and_then(|v| v.string()))
}

/// An id: a non-empty string, or an integer. An integer keeps every digit; one written
/// with a fraction or exponent (`1.0`, `1e3`) is read as the integer it equals when that
/// is exact (below 2^53), so the server and the browser give the same id. Any other
/// number is no id.
fn id_of<V: Json>(value: &V) -> Option<String> {
    if let Some(s) = value.string() {
        return (!s.is_empty()).then_some(s);
    }
    if let Some(digits) = value.integer_digits() {
        return Some(digits);
    }
    let n = value.number()?;
    (n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0).then(|| format!("{}", n as i64))
}

/// A count: a whole number from 0 (an impossible one is no count).
fn count_of<V: Json>(item: &V, keys: &[&str]) -> Option<usize> {
    let n = first(item, keys)?.number()?;
    (n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0).then_some(n as usize)
}

/// Reads a timestamp: RFC 3339 text, or epoch seconds or milliseconds as a number
/// (or as digits in a string).
pub fn decode_created<V: Json>(value: &V) -> Option<i64> {
    match value.string() {
        Some(s) => parse_rfc3339(&s).or_else(|| s.trim().parse::<u64>().ok().and_then(|n| from_epoch_number(n as f64))),
        None => value.number().and_then(from_epoch_number),
    }
}

/// Reads one comment, or says why it cannot be shown.
pub fn decode_comment<V: Json>(item: &V) -> Result<Comment<V::Text>, String> {
    if !item.is_object() {
        return Err("not an object".into());
    }
    let id = first(item, &["id", "_id", "uuid"]).and_then(|v| id_of(&v)).ok_or("no usable id")?;
    let author = first(item, &["author", "name", "nick", "user"]).and_then(|v| text_of(&v)).ok_or("no author name")?;
    let body =
        first(item, &["body", "text", "content", "message", "comment"]).and_then(|v| v.text()).ok_or("no text")?;
    let created_at = match first(item, &["created_at", "createdAt", "created", "date", "time"]) {
        None => None,
        Some(v) => Some(decode_created(&v).ok_or("an unreadable time")?),
    };
    let status = match item.member("status").map(|v| v.string()) {
        None => Status::Published,
        Some(Some(s)) if s == "published" || s == "approved" => Status::Published,
        Some(Some(s)) if s == "pending" => Status::Pending,
        Some(Some(s)) if s == "deleted" => Status::Deleted,
        Some(_) => return Err("an unknown status".into()),
    };
    // 0 and "" mean "no parent" in several systems (Artalk, Waline); no id is either.
    let parent_id = first(item, &["parent_id", "parent", "parentId", "pid", "reply_to"])
        .and_then(|v| id_of(&v))
        .filter(|p| p != "0");
    let edited_at = match first(item, &["edited_at", "editedAt"]) {
        None => None,
        Some(v) => Some(decode_created(&v).ok_or("an unreadable edit time")?),
    };
    Ok(Comment {
        id,
        author,
        body,
        created_at,
        status,
        parent_id,
        reply_count: count_of(item, &["reply_count", "replyCount", "replies_count"]),
        recommends: count_of(item, &["recommends", "likes", "upvotes", "votes"]).map(|n| n as u64),
        recommended: item.member("recommended").and_then(|v| v.boolean()).unwrap_or(false),
        edited_at,
        featured: item.member("featured").and_then(|v| v.boolean()).unwrap_or(false),
        staff: item.member("staff").and_then(|v| v.boolean()).unwrap_or(false),
        verified: item.member("verified").and_then(|v| v.boolean()).unwrap_or(false),
    })
}

/// A count or a length: a whole number from 0 to a billion.
fn count<V: Json>(value: &V) -> Option<usize> {
    let n = value.number()?;
    (n >= 0.0 && n.fract() == 0.0 && n <= 1e9).then_some(n as usize)
}

fn limit<V: Json>(obj: &V, keys: &[&str]) -> Option<usize> {
    first(obj, keys).as_ref().and_then(count)
}

fn decode_limits<V: Json>(value: &V) -> Result<Limits, String> {
    if !value.is_object() {
        return Err("limits is not an object".into());
    }
    let min_length = limit(value, &["min_length", "minLength"]).ok_or("limits.min_length is missing")?;
    let max_length = limit(value, &["max_length", "maxLength"]).ok_or("limits.max_length is missing")?;
    if max_length == 0 || min_length > max_length {
        return Err(format!("limits {min_length}..{max_length} are impossible"));
    }
    Ok(Limits { min_length, max_length })
}

/// Reads a parsed `GET {endpoint}` response: `{"comments": [...], "next": ...,
/// "limits": ...}` or a bare array. Fails only when the whole document is unusable.
pub fn decode_page_value<V: Json>(doc: &V) -> Result<Page<V::Text>, String> {
    decode_page_head(doc, usize::MAX).map(|(page, _)| page)
}

/// Like [`decode_page_value`], but decodes only the first `limit` comments and leaves
/// the rest in the parsed list, for [`Rest::take`] to read when they are shown: a
/// response of thousands of comments costs only what is displayed.
pub fn decode_page_head<V: Json>(doc: &V, limit: usize) -> Result<(Page<V::Text>, Rest<V>), String> {
    let mut page = Page {
        comments: Vec::new(),
        next: None,
        limits: None,
        capabilities: None,
        closed: false,
        warnings: Vec::new(),
    };
    let list = match doc.array_len() {
        Some(_) => doc.clone(),
        None if doc.is_object() => {
            page.next = first(doc, &["next", "next_cursor", "nextCursor"]).and_then(|v| id_of(&v));
            if let Some(value) = doc.member("limits") {
                match decode_limits(&value) {
                    Ok(limits) => page.limits = Some(limits),
                    Err(why) => page.warnings.push(format!("ignored the endpoint's limits: {why}")),
                }
            }
            page.capabilities = doc.member("capabilities").map(|c| crate::conversation::decode_capabilities(&c));
            page.closed = doc.member("closed").and_then(|c| c.boolean()).unwrap_or(false);
            doc.member("comments").filter(|c| c.array_len().is_some()).ok_or("no \"comments\" list in the response")?
        }
        None => return Err("neither a list nor an object".into()),
    };
    let len = list.array_len().unwrap_or(0);
    let mut rest = Rest { list: Some(list), next: 0, len };
    let (comments, warnings) = rest.take(limit);
    page.comments = comments;
    page.warnings.extend(warnings);
    Ok((page, rest))
}

/// Reads the comment in a parsed `POST` response (201 or 202), bare or as `{"comment"}`.
pub fn decode_posted_value<V: Json>(doc: &V) -> Result<Comment<V::Text>, String> {
    match doc.member("comment") {
        Some(inner) => decode_comment(&inner),
        None => decode_comment(doc),
    }
}

/// Reads a parsed RFC 9457 problem document.
pub fn decode_problem_value<V: Json>(doc: &V) -> Option<ProblemDetails> {
    if !doc.is_object() {
        return None;
    }
    let mut errors = Vec::new();
    if let Some(list) = doc.member("errors") {
        for index in 0..list.array_len().unwrap_or(0) {
            let Some(item) = list.item(index).filter(Json::is_object) else { continue };
            let get = |k: &str| item.member(k).and_then(|v| v.string()).unwrap_or_default();
            errors.push(ProblemField {
                field: get("field"),
                code: get("code"),
                message: get("message"),
                amount: limit(&item, &["amount"]),
                limit: limit(&item, &["min", "max"]),
            });
        }
    }
    Some(ProblemDetails {
        title: doc.member("title").and_then(|v| v.string()),
        detail: doc.member("detail").and_then(|v| v.string()),
        code: doc.member("code").and_then(|v| v.string()),
        errors,
        reason: doc.member("reason").and_then(|v| v.string()),
    })
}

/// Writes `text` as a JSON string literal, quotes included.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a JSON object of string members, in the order given.
pub fn json_object(members: &[(&str, &str)]) -> String {
    let body: Vec<String> = members.iter().map(|(k, v)| format!("{}:{}", json_string(k), json_string(v))).collect();
    format!("{{{}}}", body.join(","))
}

#[cfg(feature = "serde_json")]
mod with_serde_json {
    use super::*;
    use serde::ser::{Serialize, SerializeMap, Serializer};
    use serde_json::Value;

    impl Json for &Value {
        type Text = String;
        fn member(&self, key: &str) -> Option<Self> {
            self.as_object()?.get(key).filter(|v| !v.is_null())
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn text(&self) -> Option<String> {
            self.string()
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn integer_digits(&self) -> Option<String> {
            // With arbitrary_precision, a number's text is exactly as written.
            let text = self.as_number()?.to_string();
            let digits = text.strip_prefix('-').unwrap_or(&text);
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(text)
        }
        fn is_object(&self) -> bool {
            Value::is_object(self)
        }
        fn entries(&self) -> Option<Vec<(String, Self)>> {
            self.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        fn array_len(&self) -> Option<usize> {
            self.as_array().map(Vec::len)
        }
        fn item(&self, index: usize) -> Option<Self> {
            self.as_array()?.get(index)
        }
    }

    /// Owned values (parsed on the spot, as in tests and configuration); members are cloned.
    impl Json for Value {
        type Text = String;
        fn member(&self, key: &str) -> Option<Self> {
            (&self).member(key).cloned()
        }
        fn string(&self) -> Option<String> {
            (&self).string()
        }
        fn text(&self) -> Option<String> {
            (&self).string()
        }
        fn number(&self) -> Option<f64> {
            (&self).number()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn integer_digits(&self) -> Option<String> {
            (&self).integer_digits()
        }
        fn is_object(&self) -> bool {
            Value::is_object(self)
        }
        fn entries(&self) -> Option<Vec<(String, Self)>> {
            self.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        fn array_len(&self) -> Option<usize> {
            (&self).array_len()
        }
        fn item(&self, index: usize) -> Option<Self> {
            (&self).item(index).cloned()
        }
    }

    impl Serialize for Comment {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("id", &self.id)?;
            map.serialize_entry("author", &self.author)?;
            map.serialize_entry("body", &self.body)?;
            map.serialize_entry("created_at", &self.created_at.map(crate::time::format_rfc3339))?;
            map.serialize_entry("status", self.status.as_str())?;
            // Contract v1.1's members, only when they say something.
            if let Some(parent) = &self.parent_id {
                map.serialize_entry("parent_id", parent)?;
            }
            if let Some(count) = self.reply_count {
                map.serialize_entry("reply_count", &count)?;
            }
            if let Some(recommends) = self.recommends {
                map.serialize_entry("recommends", &recommends)?;
                map.serialize_entry("recommended", &self.recommended)?;
            }
            if let Some(at) = self.edited_at {
                map.serialize_entry("edited_at", &crate::time::format_rfc3339(at))?;
            }
            // Contract v1.2's, only when true.
            if self.featured {
                map.serialize_entry("featured", &true)?;
            }
            if self.staff {
                map.serialize_entry("staff", &true)?;
            }
            if self.verified {
                map.serialize_entry("verified", &true)?;
            }
            map.end()
        }
    }

    fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))
    }

    /// Reads a `GET {endpoint}` response from its text.
    pub fn decode_page(text: &str) -> Result<Page, String> {
        decode_page_value(&&parse(text)?)
    }

    /// Reads a `POST` response from its text.
    pub fn decode_posted(text: &str) -> Result<Comment, String> {
        decode_posted_value(&&parse(text)?)
    }

    /// Reads an RFC 9457 problem document from its text, if it is one.
    pub fn decode_problem(text: &str) -> Option<ProblemDetails> {
        decode_problem_value(&&parse(text).ok()?)
    }
}

#[cfg(feature = "serde_json")]
pub use with_serde_json::{decode_page, decode_posted, decode_problem};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    /// `fixtures/decode-cases.json`: what every page and problem document decodes to.
    /// The widget's component tests decode the same file with the browser's JSON.parse.
    #[test]
    fn the_shared_decode_cases_decode_as_the_fixture_says() {
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
        crate::testing::check_decode_cases(parse, String::clone, false);
    }

    #[test]
    fn v1_1_members_are_read_with_their_aliases() {
        let value = serde_json::json!({"id": 5, "author": "A", "body": "B", "pid": 4, "replyCount": 2,
            "likes": 12, "recommended": true, "editedAt": "2026-02-08T10:30:00Z"});
        let c = decode_comment(&&value).expect("valid");
        assert_eq!(c.parent_id.as_deref(), Some("4"));
        assert_eq!((c.reply_count, c.recommends, c.recommended), (Some(2), Some(12), true));
        assert_eq!(c.edited_at, Some(1_770_546_600_000));
        let top = decode_comment(&&serde_json::json!({"id": 1, "author": "A", "body": "B", "rid": 0, "parent": 0}))
            .expect("valid");
        assert_eq!(top.parent_id, None, "0 is no parent");
        let deleted = serde_json::json!({"id": 2, "author": "", "body": "", "status": "deleted", "votes": -1});
        let d = decode_comment(&&deleted).expect("valid");
        assert_eq!((d.status, d.recommends), (Status::Deleted, None));
    }

    #[test]
    fn embedded_replies_follow_their_comment_depth_first_with_parents() {
        let doc = serde_json::json!({"comments": [
            {"id": 1, "author": "A", "body": "top", "reply_count": 3, "replies": [
                {"id": 2, "author": "B", "body": "reply"},
                {"id": 3, "author": "C", "body": "to the reply", "parent_id": 2},
                {"id": "bad"},
            ]},
            {"id": 4, "author": "D", "body": "top", "children": [
                {"id": 5, "author": "E", "body": "nested", "children": [{"id": 6, "author": "F", "body": "deeper"}]}
            ]}
        ], "capabilities": {"replies": true}});
        let page = decode_page_value(&&doc).expect("valid");
        let ids: Vec<(&str, Option<&str>)> =
            page.comments.iter().map(|c| (c.id.as_str(), c.parent_id.as_deref())).collect();
        assert_eq!(
            ids,
            [("1", None), ("2", Some("1")), ("3", Some("2")), ("4", None), ("5", Some("4")), ("6", Some("5"))]
        );
        assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
        assert!(page.capabilities.expect("v1.1").replies);
    }

    #[test]
    fn nesting_deeper_than_the_bound_is_skipped_with_a_warning() {
        let mut reply = serde_json::json!({"id": "deepest", "author": "A", "body": "B"});
        for depth in 0..20 {
            reply = serde_json::json!({"id": format!("r{depth}"), "author": "A", "body": "B", "replies": [reply]});
        }
        let doc = serde_json::json!({"comments": [{"id": "top", "author": "A", "body": "B", "replies": [reply]}]});
        let page = decode_page_value(&&doc).expect("valid");
        assert_eq!(page.comments.len(), 1 + MAX_NESTING);
        assert!(page.warnings.iter().any(|w| w.contains("deeper than")));
    }

    #[test]
    fn a_v1_answer_has_no_capabilities() {
        let page = decode_page_value(&&serde_json::json!({"comments": []})).expect("valid");
        assert_eq!(page.capabilities, None);
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
            let value: serde_json::Value = serde_json::from_str(case).expect("json");
            let c = decode_comment(&&value).expect(case);
            assert_eq!((c.author.as_str(), c.body.as_str()), ("N", "T"), "{case}");
            assert_eq!(c.created_at, Some(1_770_546_600_000), "{case}");
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_pending_is_kept() {
        let value = serde_json::json!({"id":"x","author":"A","body":"B","status":"pending","votes":3});
        let c = decode_comment(&&value).expect("ok");
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
    fn the_head_of_a_long_page_is_decoded_and_the_rest_left_for_later() {
        let doc = serde_json::json!({"comments": [
            {"id": "1", "author": "A", "body": "one"}, {"id": "2", "author": "B", "body": "two"},
            {"author": "no id"}, {"id": "4", "author": "D", "body": "four"}
        ], "next": "n"});
        let (page, mut rest) = decode_page_head(&&doc, 2).expect("page");
        assert_eq!(page.comments.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(page.next.as_deref(), Some("n"));
        assert_eq!(rest.remaining(), 2);
        let (later, warnings) = rest.take(5);
        assert_eq!(later.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["4"]);
        assert_eq!(warnings, ["skipped comment #2: no usable id"]);
        assert_eq!(rest.remaining(), 0);
        let bare = serde_json::json!([{"id": 1, "author": "A", "body": "x"}, {"id": 2, "author": "B", "body": "y"}]);
        let (page, rest) = decode_page_head(&&bare, 1).expect("bare page");
        assert_eq!((page.comments.len(), rest.remaining()), (1, 1));
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
                "errors":[{"field":"body","code":"too_short","message":"Add 1 more character","amount":1,"min":50}]}"#,
        )
        .expect("problem");
        assert_eq!(p.title.as_deref(), Some("Invalid comment"));
        let expected = ProblemField {
            field: "body".into(),
            code: "too_short".into(),
            message: "Add 1 more character".into(),
            amount: Some(1),
            limit: Some(50),
        };
        assert_eq!(p.errors, [expected]);
    }

    #[test]
    fn a_posted_comment_is_read_bare_or_wrapped() {
        let bare = decode_posted(r#"{"id":"9","author":"A","body":"B","status":"pending"}"#).expect("bare");
        let wrapped =
            decode_posted(r#"{"comment":{"id":"9","author":"A","body":"B","status":"pending"}}"#).expect("wrapped");
        assert_eq!(bare, wrapped);
    }

    #[test]
    fn json_strings_escape_what_json_requires() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}\u{2028}é"), "\"a\\\"b\\\\c\\nd\\u0001\\u2028é\"");
        let written = json_object(&[("author", "<x> \"q\""), ("body", "line\r\nnext\t😀")]);
        let back: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
        assert_eq!(back, serde_json::json!({"author": "<x> \"q\"", "body": "line\r\nnext\t😀"}));
    }

    #[test]
    fn a_comment_serializes_to_the_contract_shape() {
        let c = Comment {
            id: "7".into(),
            author: "A".into(),
            body: "B".into(),
            created_at: Some(0),
            status: Status::Pending,
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            serde_json::json!({"id":"7","author":"A","body":"B","created_at":"1970-01-01T00:00:00Z","status":"pending"})
        );
        let reply = Comment { parent_id: Some("3".into()), recommends: Some(2), edited_at: Some(1000), ..c };
        let value = serde_json::to_value(&reply).expect("json");
        assert_eq!(
            (&value["parent_id"], &value["recommends"], &value["recommended"]),
            (&json!("3"), &json!(2), &json!(false))
        );
        assert_eq!(value["edited_at"], json!("1970-01-01T00:00:01Z"));
        let back = decode_comment(&&value).expect("reads back");
        assert_eq!(back, reply);
    }
}
