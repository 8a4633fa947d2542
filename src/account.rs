//! The reader signed in with the site's own account (contract v1.3): the token the site
//! gives the widget (`user-token`, and later changes of it: host.rs), per endpoint, sent
//! as `Authorization: Bearer` with a post, a recommend and a report (api.rs). The
//! widget reads only the token's `name`, to say whom a comment is posted as; the
//! endpoint checks the token, and decides the name.

use leptos::prelude::*;
use reader_comments_core::Json;
use std::cell::RefCell;

thread_local! {
    /// (endpoint, token) of each endpoint on the page with a signed-in reader.
    static TOKENS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    /// Notified when a token comes, changes or goes: what shows the reader's name follows.
    static CHANGED: ArcTrigger = ArcTrigger::new();
    /// The endpoints on the page that offer e-mail to signed-in readers (`notify`).
    static NOTIFY: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records whether `endpoint` offers e-mail to signed-in readers (its capabilities).
pub fn offers_notify(endpoint: &str, on: bool) {
    let changed = NOTIFY.with(|n| {
        let mut list = n.borrow_mut();
        let before = list.iter().any(|e| e == endpoint);
        list.retain(|e| e != endpoint);
        if on {
            list.push(endpoint.to_string());
        }
        before != on
    });
    if changed {
        CHANGED.with(ArcTrigger::notify);
    }
}

/// The verified address a signed-in reader may ask `endpoint` to write to (tracked),
/// when the endpoint offers e-mail and the token gives one.
pub fn notify_address(endpoint: &str) -> Option<String> {
    CHANGED.with(ArcTrigger::track);
    NOTIFY.with(|n| n.borrow().iter().any(|e| e == endpoint)).then_some(())?;
    let doc = claims(&token(endpoint)?)?;
    doc.member("email_verified").and_then(|v| v.boolean()).filter(|v| *v)?;
    doc.member("email").and_then(|e| e.string()).filter(|e| e.contains('@'))
}

/// Sets (`Some`, non-empty) or clears the token the site gave for `endpoint`.
pub fn set(endpoint: &str, token: Option<&str>) {
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let changed = TOKENS.with(|t| {
        let mut tokens = t.borrow_mut();
        let before = tokens.iter().position(|(e, _)| e == endpoint).map(|i| tokens.remove(i).1);
        if let Some(token) = token {
            tokens.push((endpoint.to_string(), token.to_string()));
        }
        before.as_deref() != token
    });
    if changed {
        CHANGED.with(ArcTrigger::notify);
    }
}

/// The token to send to `endpoint`, if the reader is signed in.
pub fn token(endpoint: &str) -> Option<String> {
    TOKENS.with(|t| t.borrow().iter().find(|(e, _)| e == endpoint).map(|(_, token)| token.clone()))
}

/// The signed-in reader's name for `endpoint` (tracked: a view that shows it follows a
/// new token), when the token says one.
pub fn name(endpoint: &str) -> Option<String> {
    CHANGED.with(ArcTrigger::track);
    token(endpoint).as_deref().and_then(name_in)
}

/// The `name` claim of a JWT, read without checking it (only the endpoint can): the
/// middle part, base64url-encoded UTF-8 JSON.
pub fn name_in(token: &str) -> Option<String> {
    claims(token)?.member("name").and_then(|n| n.string()).map(|n| n.trim().to_string()).filter(|n| !n.is_empty())
}

/// The claims of a JWT, unchecked: the middle part, base64url-encoded UTF-8 JSON.
fn claims(token: &str) -> Option<crate::json::Js> {
    let bytes = base64url(token.split('.').nth(1)?)?;
    crate::json::parse(&String::from_utf8(bytes).ok()?).ok()
}

/// Decodes unpadded base64url.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut held) = (0u32, 0u32);
    for b in text.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_decodes_without_padding() {
        assert_eq!(base64url("eyJuYW1lIjoi4KSG4KS24KS-In0").as_deref(), Some("{\"name\":\"आशा\"}".as_bytes()));
        assert_eq!(base64url("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64url("a b"), None);
    }
}
