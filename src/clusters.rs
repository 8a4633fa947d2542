//! Grapheme clusters from the browser's `Intl.Segmenter`, for the core's rules
//! ([`Clusters`]): the widget ships no Unicode tables of its own (about 7 KB of brotli,
//! docs/performance.md). The component tests check every count of
//! `fixtures/unicode-cases.json` against it. A browser without `Intl.Segmenter` (Firefox
//! before 125) counts code points instead; the server's verdict still decides.
//!
//! While the reader types, [`Typing`] splits only what changed: the clusters that start
//! before the last cluster start ahead of the edit are kept (their breaks depend on
//! nothing after them), and the text from there on is split again.

use reader_comments_core::Clusters;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = Segmenter)]
    type Segmenter;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "Segmenter", catch)]
    fn new(locales: &JsValue, options: &JsValue) -> Result<Segmenter, JsValue>;
    #[wasm_bindgen(method)]
    fn segment(this: &Segmenter, text: &str) -> JsValue;
}

thread_local! {
    static SEGMENTER: Option<Segmenter> = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"granularity".into(), &"grapheme".into());
        Segmenter::new(&JsValue::UNDEFINED, &options).ok()
    };
}

/// Calls `at` with the byte offset where each cluster of `text` starts (the first is
/// 0; none for ""), until it returns false.
fn each_start(text: &str, at: &mut dyn FnMut(usize) -> bool) {
    // ASCII needs no segmenter: every character is a cluster, but CR LF is one.
    if text.is_ascii() {
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            let inside_crlf = i > 0 && bytes[i - 1] == b'\r' && bytes[i] == b'\n';
            if !inside_crlf && !at(i) {
                return;
            }
        }
        return;
    }
    let segments = SEGMENTER.with(|s| s.as_ref().map(|s| s.segment(text)));
    let Some(iter) = segments.and_then(|s| js_sys::try_iter(&s).ok().flatten()) else {
        for (i, _) in text.char_indices() {
            if !at(i) {
                return;
            }
        }
        return;
    };
    let (mut chars, mut utf16, mut byte) = (text.chars(), 0usize, 0usize);
    let index = JsValue::from_str("index");
    for item in iter {
        let Some(offset) = item.ok().and_then(|i| js_sys::Reflect::get(&i, &index).ok()).and_then(|i| i.as_f64())
        else {
            return;
        };
        while utf16 < offset as usize {
            let Some(c) = chars.next() else { break };
            utf16 += c.len_utf16();
            byte += c.len_utf8();
        }
        if !at(byte) {
            return;
        }
    }
}

/// The byte offsets where the clusters of `text` start.
pub fn starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    each_start(text, &mut |s| {
        out.push(s);
        true
    });
    out
}

fn each_between<'a>(text: &'a str, starts: &[usize], each: &mut dyn FnMut(&'a str) -> bool) {
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) || !each(&text[start..end]) {
            return;
        }
    }
}

/// The browser's clusters, split whole each time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Browser;

impl Clusters for Browser {
    /// Lazily: finding an initial stops at the first visible cluster of a name.
    fn each<'a>(&self, text: &'a str, each: &mut dyn FnMut(&'a str) -> bool) {
        let mut previous: Option<usize> = None;
        let mut go_on = true;
        each_start(text, &mut |start| {
            if let Some(from) = previous {
                go_on = text.is_char_boundary(start) && each(&text[from..start]);
            }
            previous = Some(start);
            go_on
        });
        if let (true, Some(from)) = (go_on, previous) {
            each(&text[from..]);
        }
    }
}

/// The browser's clusters of a text that changes a little at a time (the comment being
/// typed): the last text and its cluster starts are kept, and only the part from the
/// last start before the first changed byte is split again.
#[derive(Default)]
pub struct Typing {
    last: RefCell<(String, Vec<usize>)>,
}

impl Typing {
    fn starts(&self, text: &str) -> Vec<usize> {
        let mut last = self.last.borrow_mut();
        let (old, old_starts) = &*last;
        let mut common = old.bytes().zip(text.bytes()).take_while(|(a, b)| a == b).count();
        while !text.is_char_boundary(common) {
            common -= 1;
        }
        // Starts before `common` stay starts (a break depends only on what precedes it
        // and the character after it); the last of them may begin a cluster the edit
        // extends, so the text is split again from there.
        let kept = old_starts.partition_point(|&s| s < common);
        let restart = if kept == 0 { 0 } else { old_starts[kept - 1] };
        let mut starts = old_starts[..kept.saturating_sub(1)].to_vec();
        starts.extend(self::starts(&text[restart..]).into_iter().map(|s| s + restart));
        *last = (text.to_string(), starts.clone());
        starts
    }
}

impl Clusters for Typing {
    fn each<'a>(&self, text: &'a str, each: &mut dyn FnMut(&'a str) -> bool) {
        let starts = self.starts(text);
        each_between(text, &starts, each);
    }
}
