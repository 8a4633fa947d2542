//! What the widget keeps in the reader's browser, per endpoint: the drafts (draft.rs
//! says what they hold) and, for contract v1.1, the reader key that recommends carry,
//! which comments this reader recommended or reported, the order they chose and their
//! edit tokens.
//! localStorage when the browser allows it; this page's memory when it does not, so
//! nothing breaks (it then lasts as long as the page).

use reader_comments_core::Sort;
use std::cell::RefCell;

/// How many recommended (or reported) comment ids are remembered per endpoint (the
/// oldest go first).
const REMEMBERED: usize = 500;

thread_local! {
    /// What localStorage refused, kept for this page's life (a few keys at most: a
    /// list, not a hash map, whose code would cost more bytes than it saves time).
    static FALLBACK: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    /// The endpoints on this page that take a reader key with a post.
    static KEYED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The endpoints on this page that speak contract v1.2.
    static V12: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Why this reader's rejected comments were not published, as told to them: (the
    /// endpoint, the comment's id, the sentence). Asked for again on every visit.
    static FATES: RefCell<Vec<(String, String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Records (`Some`) or forgets why comment `id` of `endpoint` was not published.
pub fn set_fate(endpoint: &str, id: &str, why: Option<String>) {
    FATES.with(|f| {
        let mut fates = f.borrow_mut();
        fates.retain(|(e, i, _)| !(e == endpoint && i == id));
        if let Some(why) = why {
            fates.push((endpoint.to_string(), id.to_string(), why));
        }
    });
}

/// Why each rejected comment of `endpoint` was not published: (id, sentence).
pub fn fates(endpoint: &str) -> Vec<(String, String)> {
    FATES
        .with(|f| f.borrow().iter().filter(|(e, _, _)| e == endpoint).map(|(_, i, w)| (i.clone(), w.clone())).collect())
}

/// Whether posts to `endpoint` carry the reader's key; `Some` records what its latest
/// capabilities said (it takes one when it advertises recommends or reports, whose
/// requests carry the key, so its CORS policy allows the header). A v1 endpoint never
/// gets the header: its CORS policy need not allow it.
pub fn takes_reader_key(endpoint: &str, now: Option<bool>) -> bool {
    KEYED.with(|k| flag(&mut k.borrow_mut(), endpoint, now))
}

/// Whether posts to `endpoint` carry the article they are written under (contract
/// v1.2); `Some` records what its latest capabilities said (it speaks v1.2 when it
/// advertises `own_status`). A v1 or v1.1 endpoint gets exactly what it got before.
pub fn takes_article(endpoint: &str, now: Option<bool>) -> bool {
    V12.with(|k| flag(&mut k.borrow_mut(), endpoint, now))
}

/// Whether `endpoint` is in `list`, after putting it in (`Some(true)`) or taking it out.
fn flag(list: &mut Vec<String>, endpoint: &str, now: Option<bool>) -> bool {
    if let Some(on) = now {
        list.retain(|e| e != endpoint);
        if on {
            list.push(endpoint.to_string());
        }
    }
    list.iter().any(|e| e == endpoint)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`: from localStorage, or from this page's memory when
/// storage refused it.
pub fn get(key: &str) -> Option<String> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .or_else(|| FALLBACK.with(|f| f.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())))
}

/// Keeps `value` under `key`; false when localStorage refused it and it is kept in
/// this page's memory only (it will not survive a reload).
pub fn set(key: &str, value: &str) -> bool {
    let stored = storage().is_some_and(|s| s.set_item(key, value).is_ok());
    FALLBACK.with(|f| {
        let mut kept = f.borrow_mut();
        kept.retain(|(k, _)| k != key);
        if !stored {
            kept.push((key.to_string(), value.to_string()));
        }
    });
    stored
}

/// Forgets what is kept under `key`.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
    FALLBACK.with(|f| f.borrow_mut().retain(|(k, _)| k != key));
}

/// This reader's key for an endpoint: 128 random bits in hex, made once.
pub fn reader_key(endpoint: &str) -> String {
    let key = format!("reader-comments:reader:{endpoint}");
    match get(&key).filter(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit())) {
        Some(existing) => existing,
        None => {
            let fresh = crate::draft::new_key();
            set(&key, &fresh);
            fresh
        }
    }
}

/// The lists of comment ids kept per endpoint.
#[derive(Clone, Copy)]
pub enum Ids {
    /// The comments this reader recommended.
    Recommended,
    /// The comments this reader reported (Report shows "Reported" after a reload too).
    Reported,
}

fn ids_key(list: Ids, endpoint: &str) -> String {
    let name = match list {
        Ids::Recommended => "recommended",
        Ids::Reported => "reported",
    };
    format!("reader-comments:{name}:{endpoint}")
}

/// The ids in `list` on an endpoint.
pub fn ids(list: Ids, endpoint: &str) -> Vec<String> {
    get(&ids_key(list, endpoint))
        .map(|s| s.split(' ').filter(|i| !i.is_empty()).map(String::from).collect())
        .unwrap_or_default()
}

/// Puts `id` in `list` (`on`) or takes it out.
pub fn remember(list: Ids, endpoint: &str, id: &str, on: bool) {
    let mut kept = ids(list, endpoint);
    kept.retain(|i| i != id);
    if on {
        kept.push(id.to_string());
    }
    let start = kept.len().saturating_sub(REMEMBERED);
    set(&ids_key(list, endpoint), &kept[start..].join(" "));
}

/// The key of the order chosen for an endpoint; the loader reads it too, to prefetch
/// the first page in that order (docs/loader.md).
fn sort_key(endpoint: &str) -> String {
    format!("reader-comments:sort:{}", crate::api::absolute(endpoint).unwrap_or_else(|| endpoint.to_string()))
}

/// The order this reader chose for an endpoint, if they chose one.
pub fn sort(endpoint: &str) -> Option<Sort> {
    get(&sort_key(endpoint)).and_then(|name| Sort::from_name(&name))
}

/// Remembers the order chosen for an endpoint.
pub fn set_sort(endpoint: &str, sort: Sort) {
    set(&sort_key(endpoint), sort.as_str());
}

/// How many edit tokens are kept per endpoint (the newest; a token outlives its edit
/// window only until newer comments push it out).
const TOKENS: usize = 50;

fn tokens_key(endpoint: &str) -> String {
    format!("reader-comments:tokens:{endpoint}")
}

/// The edit tokens of this reader's comments on an endpoint: (comment id, token).
pub fn tokens(endpoint: &str) -> Vec<(String, String)> {
    let Some(text) = get(&tokens_key(endpoint)) else { return Vec::new() };
    let Ok(doc) = crate::json::parse(&text) else { return Vec::new() };
    use reader_comments_core::Json;
    doc.entries().unwrap_or_default().into_iter().filter_map(|(id, v)| Some((id, v.string()?))).collect()
}

/// Keeps (`Some`) or forgets the edit token of comment `id`.
pub fn set_token(endpoint: &str, id: &str, token: Option<&str>) {
    let mut all = tokens(endpoint);
    all.retain(|(i, _)| i != id);
    if let Some(token) = token {
        all.push((id.to_string(), token.to_string()));
    }
    let start = all.len().saturating_sub(TOKENS);
    let pairs: Vec<(&str, &str)> = all[start..].iter().map(|(i, t)| (i.as_str(), t.as_str())).collect();
    set(&tokens_key(endpoint), &reader_comments_core::json_object(&pairs));
}
