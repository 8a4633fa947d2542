//! The browser's own JSON: `JSON.parse` results read through the core's [`Json`] trait,
//! so the widget ships no JSON parser of its own. Numbers too large for a double keep
//! their exact digits (as a BigInt) through the loader's reviver, where the browser
//! gives revivers the source text.

use js_sys::{Array, JsString, Number, Object, Reflect};
use reader_comments_core::{Comment, Json};
use wasm_bindgen::prelude::*;

/// A comment as the widget holds it: its body stays the browser's string, set as a text
/// node without ever being copied into wasm and back (see docs/performance.md, cut 15).
pub type Shown = Comment<JsString>;

/// A value from `JSON.parse`.
#[derive(Clone, Debug)]
pub struct Js(pub JsValue);

/// Parses JSON text with the browser's parser (through the loader's reviver when the
/// loader is on the page); the error is the browser's message.
pub fn parse(text: &str) -> Result<Js, String> {
    parse_js(&JsValue::from_str(text))
}

/// Parses a JS string of JSON where it is, without copying it into wasm (a response
/// body of thousands of comments is megabytes).
pub fn parse_js(text: &JsValue) -> Result<Js, String> {
    let global = js_sys::global();
    let with_reviver =
        Reflect::get(&global, &"__readerCommentsParse".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let parse = match with_reviver {
        Some(parse) => Some(parse),
        None => Reflect::get(&global, &"JSON".into())
            .ok()
            .and_then(|json| Reflect::get(&json, &"parse".into()).ok())
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok()),
    };
    let parsed = match parse {
        Some(parse) => parse.call1(&JsValue::NULL, text),
        None => Err(JsValue::from_str("no JSON parser")),
    };
    parsed.map(Js).map_err(|e| {
        let message = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
        format!("not valid JSON ({})", message.unwrap_or_default())
    })
}

thread_local! {
    /// Member names already converted to JS strings. The core asks for the same twenty
    /// or so short names for every comment; comparing a few bytes against each costs
    /// less than hashing, and far less than converting the name again.
    static KEYS: std::cell::RefCell<Vec<(String, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `key` as a JS string, converted once per distinct name.
fn js_key(key: &str) -> JsValue {
    KEYS.with(|keys| {
        if let Some((_, js)) = keys.borrow().iter().find(|(k, _)| k == key) {
            return js.clone();
        }
        let js = JsValue::from_str(key);
        let mut keys = keys.borrow_mut();
        // The names come from the core's rules, but a caller of the public trait could
        // pass any: the cache stays bounded.
        if keys.len() < 64 {
            keys.push((key.to_owned(), js.clone()));
        }
        js
    })
}

impl Js {
    fn is_plain_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
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

    fn number_text(&self) -> Option<String> {
        if self.0.is_bigint() {
            return js_sys::BigInt::from(self.0.clone()).to_string(10).ok().map(String::from);
        }
        let n = self.0.as_f64()?;
        if Number::is_safe_integer(&self.0) {
            Some(format!("{}", n as i64))
        } else {
            Number::from(n).to_string_with_radix(10).ok().map(String::from)
        }
    }

    fn items(&self) -> Option<Vec<Self>> {
        if !Array::is_array(&self.0) {
            return None;
        }
        // Indexing is one call per item; the iterator protocol would be several.
        let array: &Array = self.0.unchecked_ref();
        Some((0..array.length()).map(|i| Js(array.get(i))).collect())
    }

    fn is_object(&self) -> bool {
        self.is_plain_object()
    }

    fn array_len(&self) -> Option<usize> {
        Array::is_array(&self.0).then(|| self.0.unchecked_ref::<Array>().length() as usize)
    }

    fn item(&self, index: usize) -> Option<Self> {
        let array: &Array = self.0.dyn_ref()?;
        let index = u32::try_from(index).ok()?;
        (index < array.length()).then(|| Js(array.get(index)))
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        if !self.is_plain_object() {
            return None;
        }
        let entries = Object::entries(self.0.unchecked_ref());
        Some(
            entries
                .iter()
                .filter_map(|pair| {
                    let pair = Array::from(&pair);
                    Some((pair.get(0).as_string()?, Js(pair.get(1))))
                })
                .collect(),
        )
    }
}
