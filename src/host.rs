//! Finding the host elements on a page, mounting one widget into each (inside its own
//! shadow root, so host styles cannot break it and its styles cannot leak), and tearing
//! a widget down when its element leaves the page.

use crate::config;
use crate::widget::CommentSection;
use js_sys::Reflect;
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode};

/// The elements a widget mounts into.
pub const HOST_SELECTOR: &str = "reader-comments, [data-reader-comments]";
/// The stylesheet's file name, next to the script.
const STYLESHEET: &str = "reader-comments.css";

thread_local! {
    static MOUNTED: RefCell<Vec<(Element, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
}

/// Where the widget's files are: the loader records its own directory in
/// `window.__readerCommentsBase`; without it, the page's directory.
fn base_url() -> String {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"__readerCommentsBase".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn page_locale() -> String {
    let window = web_sys::window();
    let lang = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty());
    lang.or_else(|| window.and_then(|w| w.navigator().language())).unwrap_or_else(|| "en".into())
}

/// Reads `name` from the host: `name` on `<reader-comments>`, `data-name` on a div.
fn attribute(host: &Element, name: &str) -> Option<String> {
    if host.tag_name().eq_ignore_ascii_case("reader-comments") {
        host.get_attribute(name)
    } else {
        host.get_attribute(&format!("data-{name}"))
    }
}

/// Mounts a widget into `host`, or a message saying what is wrong with its attributes.
fn mount(host: &Element) -> Result<Box<dyn Any>, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let shadow = match host.shadow_root() {
        Some(existing) => existing,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    while let Some(child) = shadow.first_child() {
        shadow.remove_child(&child)?;
    }
    if let Some(div) = host.dyn_ref::<HtmlElement>().filter(|_| host.tag_name().eq_ignore_ascii_case("div")) {
        // A CMS host is a div; `div { display: none !important }` must not hide it.
        div.style().set_property_with_priority("display", "block", "important")?;
    }
    let link = document.create_element("link")?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", &format!("{}{STYLESHEET}", base_url()))?;
    let container: HtmlElement = document.create_element("div")?.dyn_into()?;
    container.set_attribute("part", "root")?;
    // Hidden until the stylesheet arrives, so the reader never sees it unstyled.
    container.set_hidden(true);
    let reveal = {
        let container = container.clone();
        Closure::<dyn FnMut()>::new(move || container.set_hidden(false))
    };
    link.add_event_listener_with_callback("load", reveal.as_ref().unchecked_ref())?;
    link.add_event_listener_with_callback("error", reveal.as_ref().unchecked_ref())?;
    reveal.forget();
    shadow.append_child(&link)?;
    shadow.append_child(&container)?;

    let handle: Box<dyn Any> = match config::parse(|name| attribute(host, name), &page_locale(), crate::json::parse) {
        Ok(config) => Box::new(leptos::mount::mount_to(container, move || view! { <CommentSection config /> })),
        Err(problem) => {
            web_sys::console::error_1(&format!("reader-comments: {problem}").into());
            Box::new(leptos::mount::mount_to(container, move || {
                view! {
                    <div class="rc rc--auto" part="section">
                        <p class="rc-state rc-state--error rc-config-error" role="alert">
                            "Reader Comments cannot start: " {problem}
                        </p>
                    </div>
                }
            }))
        }
    };
    Ok(handle)
}

/// Mounts every host on the page that has no widget yet, and tears down the widgets
/// whose host has left the page.
pub fn scan() {
    let gone: Vec<(Element, Box<dyn Any>)> = MOUNTED.with(|m| {
        let mut mounted = m.borrow_mut();
        let (kept, gone) = std::mem::take(&mut *mounted).into_iter().partition(|(el, _)| el.is_connected());
        *mounted = kept;
        gone
    });
    // Dropping a handle unmounts the view and disposes its reactive state.
    drop(gone);

    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(hosts) = document.query_selector_all(HOST_SELECTOR) else { return };
    for index in 0..hosts.length() {
        let Some(host) = hosts.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        if MOUNTED.with(|m| m.borrow().iter().any(|(el, _)| *el == host)) {
            continue;
        }
        match mount(&host) {
            Ok(handle) => MOUNTED.with(|m| m.borrow_mut().push((host, handle))),
            Err(error) => web_sys::console::error_2(&"reader-comments: could not mount".into(), &error),
        }
    }
}

/// The attributes whose change remounts a widget (each also with a `data-` prefix).
const WATCHED: [&str; 8] =
    ["endpoint", "min-length", "max-length", "theme", "locale", "strings", "timeout", "page-size"];

/// Tears down the widgets whose configuration changed, so that [`scan`] mounts them
/// again with the new attributes (a single-page app switching threads, say).
fn forget_changed(records: &js_sys::Array) {
    let changed: Vec<Element> = records
        .iter()
        .filter_map(|r| r.dyn_into::<web_sys::MutationRecord>().ok())
        .filter(|r| r.type_() == "attributes")
        .filter_map(|r| r.target().and_then(|t| t.dyn_into::<Element>().ok()))
        .collect();
    if changed.is_empty() {
        return;
    }
    let gone: Vec<(Element, Box<dyn Any>)> = MOUNTED.with(|m| {
        let mut mounted = m.borrow_mut();
        let (gone, kept) = std::mem::take(&mut *mounted).into_iter().partition(|(el, _)| changed.contains(el));
        *mounted = kept;
        gone
    });
    drop(gone);
}

/// How many widgets are mounted (for tests and diagnostics).
pub fn mounted_count() -> usize {
    MOUNTED.with(|m| m.borrow().len())
}

/// Starts the widget on this page: once, however often the script is included.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(window) = web_sys::window() else { return };
    let flag = JsValue::from_str("__readerCommentsStarted");
    if Reflect::get(&window, &flag).map(|v| v.is_truthy()).unwrap_or(false) {
        return;
    }
    let _ = Reflect::set(&window, &flag, &JsValue::TRUE);
    scan();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|records: js_sys::Array| {
        forget_changed(&records);
        scan();
    });
    if let (Ok(observer), Some(root)) =
        (MutationObserver::new(callback.as_ref().unchecked_ref()), window.document().and_then(|d| d.document_element()))
    {
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let filter = js_sys::Array::new();
        for name in WATCHED {
            filter.push(&name.into());
            filter.push(&format!("data-{name}").into());
        }
        options.set_attribute_filter(&filter);
        let _ = observer.observe_with_options(&root, &options);
    }
    // The observer lives as long as the page.
    callback.forget();
}
