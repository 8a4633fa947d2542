//! The reader's draft, kept in localStorage per endpoint so that no failure, reload or
//! crash loses their words; in memory when storage is unavailable or throws.

use crate::memory;
use reader_comments_core::{json_object, Json};

/// What the reader has typed, and the idempotency key that identifies this draft on
/// every attempt to post it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The name field.
    pub author: String,
    /// The comment field.
    pub body: String,
    /// One key per draft, reused on every retry; a new one after a confirmed post.
    pub key: String,
    /// Whether a post was attempted with this key (an edit then makes a new draft).
    pub sent: bool,
}

fn storage_key(endpoint: &str) -> String {
    format!("reader-comments:draft:{endpoint}")
}

/// A fresh random key (128 bits, hex) from the browser's CSPRNG.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok());
    if filled.is_none() {
        // No crypto (never seen in a browser): time and Math.random still make
        // collisions between one reader's drafts unlikely.
        let seed = js_sys::Date::now().to_bits() ^ (js_sys::Math::random() * 1e15) as u64;
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Encodes a draft for storage.
pub fn encode(draft: &Draft) -> String {
    let sent = if draft.sent { "1" } else { "0" };
    json_object(&[("v", "1"), ("author", &draft.author), ("body", &draft.body), ("key", &draft.key), ("sent", sent)])
}

/// Whether `key` can be sent as an `Idempotency-Key`: 1 to 255 visible ASCII characters
/// (what the contract allows; a header value with a line break or non-ASCII would make
/// the browser refuse the request).
pub fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Decodes a parsed stored draft, like any outside data: anything unreadable is no
/// draft, and a key that is not a valid header value is replaced by a new one (the
/// text stays).
pub fn decode<V: Json>(stored: &V) -> Option<Draft> {
    let get = |k: &str| stored.member(k).and_then(|v| v.string()).unwrap_or_default();
    let mut draft = Draft { author: get("author"), body: get("body"), key: get("key"), sent: get("sent") == "1" };
    if draft.author.is_empty() && draft.body.is_empty() && draft.key.is_empty() {
        return None;
    }
    if !valid_key(&draft.key) {
        draft.key = new_key();
        draft.sent = false;
    }
    Some(draft)
}

/// The saved draft for an endpoint, from storage or memory.
pub fn load(endpoint: &str) -> Option<Draft> {
    decode(&crate::json::parse(&memory::get(&storage_key(endpoint))?).ok()?)
}

/// Saves the draft (an empty one is removed instead); false when storage refused it
/// and it is kept in this page's memory only (it would not survive a reload).
pub fn save(endpoint: &str, draft: &Draft) -> bool {
    if draft.author.is_empty() && draft.body.is_empty() {
        clear(endpoint);
        return true;
    }
    memory::set(&storage_key(endpoint), &encode(draft))
}

/// Forgets the draft: only after the endpoint confirmed the post.
pub fn clear(endpoint: &str) {
    memory::remove(&storage_key(endpoint));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_through_its_stored_form() {
        let d = Draft {
            author: "Priyanka N".into(), body: "नमस्ते\n\"quoted\"".into(), key: "k1".into(), sent: true
        };
        let parsed: serde_json::Value = serde_json::from_str(&encode(&d)).expect("valid JSON");
        assert_eq!(decode(&parsed), Some(d));
    }

    #[test]
    fn unreadable_storage_is_no_draft() {
        assert_eq!(decode(&serde_json::json!({})), None);
        assert_eq!(decode(&serde_json::json!([1, 2])), None);
    }

    #[test]
    fn only_visible_ascii_keys_of_at_most_255_characters_are_sent() {
        assert!(valid_key("0123456789abcdef0123456789abcdef"));
        for bad in ["", "abc\r\ndef", "ключ", "a b", &"k".repeat(256)] {
            assert!(!valid_key(bad), "{bad:?}");
        }
    }
}
