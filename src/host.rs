//! The widget's side of the hand-off with the loader (`loader/reader-comments.js`;
//! docs/loader.md says who owns what). The loader finds the host elements, reads their
//! attributes (the `data-` rule), gives each a shadow root with the stylesheet and an
//! empty root element, prefetches the first page, and watches the page for hosts that
//! come, go or change. The widget reads its configuration through the loader, mounts
//! into the root, and is torn down when the loader says so.

use crate::config;
use crate::widget::CommentSection;
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

#[wasm_bindgen]
extern "C" {
    /// The loader's hand-off object, given once to [`start`]. Its members:
    /// `attr(host, name)` reads a widget attribute (`name`, or `data-name` on a div);
    /// `lang()` is the page's language hint; `take(url)` gives the loader's prefetch of
    /// that absolute URL once; `parse(text)` is `JSON.parse` that keeps big integers;
    /// `readText(response, max)` reads a body with a size cap; `strings(locale)` is the
    /// locale's language file from `locales/` once the loader has it (else `null`:
    /// English).
    #[derive(Clone)]
    pub type Loader;
    #[wasm_bindgen(method, catch)]
    fn attr(this: &Loader, host: &Element, name: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn lang(this: &Loader) -> Result<Option<String>, JsValue>;
    /// The prefetch of `url`, if the loader made one and nobody took it yet.
    #[wasm_bindgen(method, catch)]
    pub fn take(this: &Loader, url: &str) -> Result<JsValue, JsValue>;
    /// The loader's `JSON.parse`.
    #[wasm_bindgen(method, catch)]
    pub fn parse(this: &Loader, text: &JsValue) -> Result<JsValue, JsValue>;
    /// A response's text read a chunk at a time, or `null` once it passes `max` bytes.
    #[wasm_bindgen(method, catch, js_name = readText)]
    pub fn read_text(this: &Loader, response: &web_sys::Response, max: f64) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn strings(this: &Loader, locale: &str) -> Result<JsValue, JsValue>;
}

/// A language's strings from its file's object (`name` → text); what is not text is
/// left out, and so English stays for it.
pub fn translation_of(file: &JsValue) -> Vec<(String, String)> {
    let Some(object) = file.dyn_ref::<js_sys::Object>() else { return Vec::new() };
    js_sys::Object::entries(object)
        .iter()
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// What tears a mounted widget down: dropping its Leptos handle (its view, reactive
/// state and listeners go), or removing the sentence shown instead of it.
type Teardown = Box<dyn FnOnce()>;

thread_local! {
    static LOADER: RefCell<Option<Loader>> = const { RefCell::new(None) };
    /// Each mounted root, its endpoint (none when its configuration was refused), and
    /// what tears it down.
    static MOUNTED: RefCell<Vec<(HtmlElement, Option<String>, Teardown)>> = const { RefCell::new(Vec::new()) };
}

/// The loader's hand-off, once [`start`] received it (none in component tests and in
/// other Leptos apps, which use [`CommentSection`] directly).
pub fn loader() -> Option<Loader> {
    LOADER.with(|l| l.borrow().clone())
}

/// Receives the loader's hand-off object; called once by the loader.
pub fn start(loader: Loader) {
    console_error_panic_hook::set_once();
    LOADER.with(|l| *l.borrow_mut() = Some(loader));
}

/// The attributes whose change remounts a widget (each also with a `data-` prefix);
/// the loader watches them.
pub fn attribute_names() -> js_sys::Array {
    config::ATTRIBUTES.iter().map(|name| JsValue::from_str(name)).collect()
}

/// Mounts a widget for `host` into `root` (the empty element in its shadow root).
pub fn mount(root: HtmlElement, host: Element) {
    let Some(loader) = loader() else { return };
    // `dir` is the host's own HTML attribute (on a div too), unless a div names `data-dir`.
    let attr = |name: &str| {
        let own = || (name == "dir").then(|| host.get_attribute("dir")).flatten();
        loader.attr(&host, name).ok().flatten().or_else(own)
    };
    let lang = loader.lang().ok().flatten().unwrap_or_else(|| "en".into());
    let translate = |locale: &str| loader.strings(locale).map(|file| translation_of(&file)).unwrap_or_default();
    mount_with(root, attr, &lang, translate);
}

/// Mounts a widget into `root` with the configuration `attr` gives (by plain attribute
/// name) and its language's strings from `translate`, or a sentence saying what is
/// wrong with the configuration.
pub fn mount_with(
    root: HtmlElement,
    attr: impl Fn(&str) -> Option<String>,
    page_lang: &str,
    translate: impl Fn(&str) -> Vec<(String, String)>,
) {
    let token = attr(USER_TOKEN);
    let mut endpoint = None;
    let teardown: Teardown = match config::parse(attr, page_lang, crate::json::parse) {
        Ok(mut config) => {
            let translation = translate(&config.locale);
            config.strings = config.strings.with_translation(translation);
            crate::account::set(&config.endpoint, token.as_deref());
            endpoint = Some(config.endpoint.clone());
            let handle = mount_to(root.clone(), move || view! { <CommentSection config /> });
            Box::new(move || drop(handle))
        }
        Err(problem) => {
            web_sys::console::error_1(&format!("reader-comments: {problem}").into());
            match explain(&root, &problem) {
                Some(shown) => Box::new(move || shown.remove()),
                None => Box::new(|| {}),
            }
        }
    };
    MOUNTED.with(|m| m.borrow_mut().push((root, endpoint, teardown)));
}

/// The attribute with the token the site signs for its signed-in reader (contract
/// v1.3; also `data-user-token`). Its change does not remount the widget:
/// [`user_token`] takes it.
pub const USER_TOKEN: &str = "user-token";

/// The site gave the widget in `root` a new token (`Some`), or took it away (its
/// reader signed out): what they post next is sent with it, or without.
pub fn user_token(root: HtmlElement, token: Option<String>) {
    let endpoint = MOUNTED.with(|m| m.borrow().iter().find(|(el, _, _)| *el == root).and_then(|(_, e, _)| e.clone()));
    if let Some(endpoint) = endpoint {
        crate::account::set(&endpoint, token.as_deref());
    }
}

/// Shows why the widget cannot start, where it would have been (plain DOM: there is no
/// widget to render it).
fn explain(root: &HtmlElement, problem: &str) -> Option<Element> {
    let doc = root.owner_document()?;
    let section = doc.create_element("div").ok()?;
    section.set_class_name("rc rc--auto");
    section.set_attribute("part", "section").ok()?;
    let line = doc.create_element("p").ok()?;
    line.set_class_name("rc-state rc-state--error rc-config-error");
    line.set_attribute("role", "alert").ok()?;
    line.set_text_content(Some(&format!("Reader Comments cannot start: {problem}")));
    section.append_child(&line).ok()?;
    root.append_child(&section).ok()?;
    Some(section)
}

/// Tears down the widget in `root`: its view, reactive state and listeners.
pub fn unmount(root: HtmlElement) {
    let gone: Vec<_> = MOUNTED.with(|m| {
        let mut mounted = m.borrow_mut();
        let (gone, kept) = std::mem::take(&mut *mounted).into_iter().partition(|(el, _, _)| *el == root);
        *mounted = kept;
        gone
    });
    for (_, _, teardown) in gone {
        teardown();
    }
}

/// How many widgets are mounted (for tests and diagnostics).
pub fn mounted_count() -> usize {
    MOUNTED.with(|m| m.borrow().len())
}
