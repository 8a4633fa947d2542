//! The browser's own JSON: `JSON.parse` results read through the core's [`Json`] trait,
//! so the widget ships no JSON parser of its own. Numbers too large for a double keep
//! their exact digits (as a BigInt) through the loader's `parse`, where the browser
//! gives revivers the source text.

use crate::cache::SmallCache;
use js_sys::{Array, JsString, Object, Reflect};
use reader_comments_core::{Comment, Json};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// A comment as the widget holds it: its body stays the browser's string, set as a text
/// node without ever being copied into wasm and back (see docs/performance.md, cut 15).
pub type Shown = Comment<JsString>;

/// A value from `JSON.parse`.
#[derive(Clone, Debug)]
pub struct Js(pub JsValue);

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string as it is (js-sys's takes a Rust `&str`, a copy).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// Parses JSON text with the browser's parser (through the loader's when the loader is
/// on the page); the error is the browser's message.
pub fn parse(text: &str) -> Result<Js, String> {
    parse_js(&JsValue::from_str(text))
}

/// Parses a JS string of JSON where it is, without copying it into wasm (a response
/// body of thousands of comments is megabytes).
pub fn parse_js(text: &JsValue) -> Result<Js, String> {
    let parsed = match crate::host::loader() {
        Some(loader) => loader.parse(text),
        None => json_parse(text),
    };
    parsed.map(Js).map_err(|e| {
        let message = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
        format!("not valid JSON ({})", message.unwrap_or_default())
    })
}

thread_local! {
    /// Member names already converted to JS strings. The core asks for the same twenty
    /// or so short names for every comment; the names come from the core's rules, but
    /// a caller of the public trait could pass any, so the cache is bounded.
    static KEYS: RefCell<SmallCache<String, JsValue>> = const { RefCell::new(SmallCache::new(64)) };
}

/// `key` as a JS string, converted once per distinct name.
fn js_key(key: &str) -> JsValue {
    KEYS.with(|keys| keys.borrow_mut().get_or_insert(|k| k == key, || (key.to_owned(), JsValue::from_str(key))))
}

impl Js {
    fn array(&self) -> Option<&Array> {
        Array::is_array(&self.0).then(|| self.0.unchecked_ref())
    }
}

impl Json for Js {
    type Text = JsString;
    fn member(&self, key: &str) -> Option<Self> {
        // Reflect.get throws for primitives and finds no such key on arrays, so no type
        // check is needed (each would be another call into JS).
        let value = Reflect::get(&self.0, &js_key(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(Js(value))
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn text(&self) -> Option<JsString> {
        self.0.is_string().then(|| self.0.clone().unchecked_into())
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn integer_digits(&self) -> Option<String> {
        // The loader's parse gives integers beyond 2^53 as BigInt; smaller ones are
        // numbers, which the core reads exactly through `number`.
        if !self.0.is_bigint() {
            return None;
        }
        js_sys::BigInt::from(self.0.clone()).to_string(10).ok().map(String::from)
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        if !self.is_object() {
            return None;
        }
        let entries = Object::entries(self.0.unchecked_ref());
        let pairs = entries.iter().map(|pair| Array::from(&pair));
        Some(pairs.filter_map(|pair| Some((pair.get(0).as_string()?, Js(pair.get(1))))).collect())
    }

    fn array_len(&self) -> Option<usize> {
        self.array().map(|a| a.length() as usize)
    }

    fn item(&self, index: usize) -> Option<Self> {
        let array = self.array()?;
        let index = u32::try_from(index).ok()?;
        (index < array.length()).then(|| Js(array.get(index)))
    }
}
