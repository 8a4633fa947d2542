//! Elements made with the DOM API for the comment rows and what they hold: a classed
//! element, a row's button, text and classes set from a JS string without a copy
//! through wasm, and focus moved to an element.

use js_sys::JsString;
use wasm_bindgen::JsCast;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An element seen only through `textContent` and `className`, which web-sys sets
    /// from a Rust `&str` (copied into a new JS string each time); these take a JS string.
    type TextHolder;
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text_content(this: &TextHolder, text: &JsString);
    #[wasm_bindgen(method, setter = className)]
    fn set_class_name(this: &TextHolder, class: &JsString);
}

pub(crate) fn set_class(element: &web_sys::Element, class: &JsString) {
    element.unchecked_ref::<TextHolder>().set_class_name(class);
}

pub(crate) fn set_text(element: &web_sys::Element, text: &JsString) {
    element.unchecked_ref::<TextHolder>().set_text_content(text);
}

/// An element with a class, from the row's document.
pub(crate) fn make(doc: &web_sys::Document, tag: &str, class: &str) -> Option<web_sys::Element> {
    let el = doc.create_element(tag).ok()?;
    el.set_class_name(class);
    Some(el)
}

/// A button of the row (`type="button"`, styled as a link).
pub(crate) fn button(doc: &web_sys::Document, class: &str) -> Option<web_sys::Element> {
    let b = make(doc, "button", &format!("rc-button rc-button--link {class}"))?;
    b.set_attribute("type", "button").ok()?;
    b.set_attribute("part", "button").ok()?;
    Some(b)
}

/// Focuses `element` (making it focusable first when it is not a control).
pub(crate) fn focus(element: &web_sys::Element, make_focusable: bool) {
    if make_focusable {
        let _ = element.set_attribute("tabindex", "-1");
    }
    if let Some(el) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}
