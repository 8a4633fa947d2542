//! The widget's entry points, exported to the loader (`loader/reader-comments.js`):
//! nothing runs at load; the loader calls `start` once with its hand-off object, then
//! `mount` and `unmount` as host elements come and go (see `host.rs`, docs/loader.md).
//! They are defined here because a binary exports only its own crate's functions.
//! `no_main` in the browser: there is nothing to run at start, and std's `main` runtime
//! would link stdout and its error strings for nothing (docs/performance.md).
#![cfg_attr(target_arch = "wasm32", no_main)]

use reader_comments::host::{self, Loader};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// Receives the loader's hand-off object.
#[wasm_bindgen]
pub fn start(loader: Loader) {
    host::start(loader);
}

/// The attributes whose change remounts a widget.
#[wasm_bindgen(js_name = attributeNames)]
pub fn attribute_names() -> js_sys::Array {
    host::attribute_names()
}

/// Mounts a widget for `host` into `root`.
#[wasm_bindgen]
pub fn mount(root: HtmlElement, host: Element) {
    host::mount(root, host);
}

/// Tears down the widget in `root`.
#[wasm_bindgen]
pub fn unmount(root: HtmlElement) {
    host::unmount(root);
}

/// The site's token for its signed-in reader changed (`null`: signed out).
#[wasm_bindgen(js_name = userToken)]
pub fn user_token(root: HtmlElement, token: Option<String>) {
    host::user_token(root, token);
}

/// Native builds (the workspace's tests and lints) need a `main`; it is never run.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
