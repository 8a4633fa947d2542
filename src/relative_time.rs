//! Relative times ("3 hours ago") in the reader's language, by the browser's
//! `Intl.RelativeTimeFormat` (English words where it has none), cached, and brought up
//! to date every minute while the list is shown.

use crate::cache::SmallCache;
use crate::elements::set_text;
use js_sys::{Array, Function, JsString, Object, Reflect};
use leptos::prelude::*;
use reader_comments_core::time::{parse_rfc3339, relative_parts};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// What a relative time is made from: locale, amount, unit.
type TimeKey = (String, i64, &'static str);

thread_local! {
    /// `Intl.RelativeTimeFormat` per locale (`None` where the browser refuses it).
    static FORMATTERS: RefCell<SmallCache<String, Option<JsValue>>> = const { RefCell::new(SmallCache::new(8)) };
    /// Recently formatted relative times: a page of comments repeats the same few
    /// ("10 months ago"), and each `Intl` call costs more than a lookup.
    /// They are kept as JS strings, set as text without conversion.
    static FORMATTED: RefCell<SmallCache<TimeKey, JsString>> = const { RefCell::new(SmallCache::new(64)) };
}

/// An `Intl.RelativeTimeFormat` for the locale, built once; `None` if the browser has
/// none or refuses the locale.
fn formatter(locale: &str) -> Option<JsValue> {
    let make = || {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor: Function = Reflect::get(&intl, &"RelativeTimeFormat".into()).ok()?.dyn_into().ok()?;
        let options = Object::new();
        Reflect::set(&options, &"numeric".into(), &"auto".into()).ok()?;
        Reflect::construct(&ctor, &Array::of2(&locale.into(), &options)).ok()
    };
    FORMATTERS.with(|cache| cache.borrow_mut().get_or_insert(|l| l == locale, || (locale.to_string(), make())))
}

/// "3 hours ago" in the reader's language.
pub fn relative_time(then_ms: i64, now_ms: i64, locale: &str) -> JsString {
    let (value, unit) = relative_parts(then_ms, now_ms);
    let matches = |(l, v, u): &TimeKey| *v == value && *u == unit && l == locale;
    if let Some(text) = FORMATTED.with(|cache| cache.borrow().find(matches)) {
        return text;
    }
    let formatted = formatter(locale).and_then(|f| {
        let format: Function = Reflect::get(&f, &"format".into()).ok()?.dyn_into().ok()?;
        format.call2(&f, &(value as f64).into(), &unit.into()).ok()?.dyn_into::<JsString>().ok()
    });
    let text = formatted.unwrap_or_else(|| {
        JsString::from(match value {
            0 => "just now".to_string(),
            v if v < 0 => format!("{} {unit}{} ago", -v, if v == -1 { "" } else { "s" }),
            v => format!("in {v} {unit}{}", if v == 1 { "" } else { "s" }),
        })
    });
    FORMATTED.with(|cache| cache.borrow_mut().insert((locale.to_string(), value, unit), text.clone()));
    text
}

/// How often relative times ("3 minutes ago") are brought up to date.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(60);

/// Rewrites every relative time under `root` for the moment `now_ms`.
pub fn refresh_times(root: &web_sys::Element, locale: &str, now_ms: i64) {
    let Ok(times) = root.query_selector_all("time[datetime]") else { return };
    for index in 0..times.length() {
        let Some(time) = times.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let Some(ms) = time.get_attribute("datetime").and_then(|d| parse_rfc3339(&d)) {
            set_text(&time, &relative_time(ms, now_ms, locale));
        }
    }
}

/// Refreshes the list's relative times every minute while the list exists.
pub fn keep_times_fresh(list: NodeRef<leptos::html::Ol>, locale: String) {
    set_timeout(
        move || {
            // Once the widget is gone its node reference is disposed and the loop ends.
            let Some(Some(ol)) = list.try_get_untracked() else { return };
            refresh_times(&ol, &locale, js_sys::Date::now() as i64);
            keep_times_fresh(list, locale);
        },
        REFRESH,
    );
}
