//! Idempotency keys: a retried post replays the first answer instead of storing the
//! comment again. The key is read from the request, claimed while its post is in
//! flight (a concurrent duplicate gets 409), and stored with the comment it created.

use crate::problem::Problem;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashSet;
use std::sync::Mutex;

/// Reads the `Idempotency-Key` header: absent, or 1 to 255 visible characters.
pub fn key_from(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| (1..=255).contains(&k.len()));
    let key = key.ok_or_else(|| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Bad Idempotency-Key",
            "An Idempotency-Key is 1 to 255 visible ASCII characters.",
        )
    })?;
    Ok(Some(key.to_string()))
}

/// What identifies a post's content, to tell a replay from a different comment that
/// reuses a key: the author and body as stored.
pub fn fingerprint(author: &str, body: &str) -> String {
    serde_json::json!([author, body]).to_string()
}

/// The refusal of a key reused for different content.
pub fn reused() -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Idempotency-Key reused",
        "This Idempotency-Key was already used for a different comment.",
    )
}

/// The keys (per thread) whose posts are being handled right now.
#[derive(Default)]
pub struct InFlight {
    keys: Mutex<HashSet<(String, String)>>,
}

/// A claimed key; dropping it (when its request ends, however it ends) releases it.
pub struct Claim<'a> {
    owner: &'a InFlight,
    entry: (String, String),
}

impl InFlight {
    /// Claims `key` in `thread`, or answers 409 when another request holds it.
    pub fn claim(&self, thread: &str, key: &str) -> Result<Claim<'_>, Problem> {
        let entry = (thread.to_string(), key.to_string());
        if !self.keys.lock().unwrap_or_else(|p| p.into_inner()).insert(entry.clone()) {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "Already in progress",
                "This comment is still being posted; wait for the first attempt to finish.",
            ));
        }
        Ok(Claim { owner: self, entry })
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.owner.keys.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_claimed_key_is_refused_until_released() {
        let flight = InFlight::default();
        let first = flight.claim("t", "k").expect("free");
        assert!(flight.claim("t", "k").is_err());
        assert!(flight.claim("other", "k").is_ok(), "keys are per thread");
        drop(first);
        assert!(flight.claim("t", "k").is_ok());
    }

    #[test]
    fn keys_are_bounded_visible_text() {
        let mut h = HeaderMap::new();
        assert_eq!(key_from(&h).expect("none"), None);
        h.insert("idempotency-key", HeaderValue::from_static(" abc "));
        assert_eq!(key_from(&h).expect("key").as_deref(), Some("abc"));
        h.insert("idempotency-key", HeaderValue::from_str(&"k".repeat(256)).expect("value"));
        assert!(key_from(&h).is_err());
    }
}
