//! A widget's configuration, read from its host element's attributes. Pure: the caller
//! passes a lookup, so every rule here is tested natively.

use crate::i18n::{Key, Strings};
use reader_comments_core::{Json, Limits};

/// Light, dark, or following the reader's system setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The CSS class the widget root carries.
    pub fn class(self) -> &'static str {
        match self {
            Theme::Auto => "rc rc--auto",
            Theme::Light => "rc rc--light",
            Theme::Dark => "rc rc--dark",
        }
    }
}

/// Everything a widget needs to know about where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The thread's URL, as written in the attribute (resolved by the browser).
    pub endpoint: String,
    /// The length limits until the endpoint advertises its own.
    pub limits: Limits,
    /// The colour scheme.
    pub theme: Theme,
    /// The BCP 47 locale for text, dates and numbers.
    pub locale: String,
    /// The direction of the section: `rtl` for a language written right to left, `ltr`
    /// for the others, or the host's own `dir` (`ltr`, `rtl`, `auto`) where it has one.
    pub dir: &'static str,
    /// Every string the reader sees.
    pub strings: Strings,
    /// How long to wait for the endpoint before giving up, in milliseconds.
    pub timeout_ms: u32,
    /// The most comments shown at once; more wait behind "Load more comments", so an
    /// endpoint that sends thousands at once never freezes the page.
    pub page_size: usize,
    /// The site's community guidelines (`guidelines-url`, http(s) only): linked from a
    /// comment its author is told was not published (contract v1.2).
    pub guidelines: Option<String>,
}

/// Every attribute the configuration reads (each also with a `data-` prefix on a div),
/// but `loading`, which only the loader reads. A change of any remounts the widget.
pub const ATTRIBUTES: [&str; 10] = [
    "endpoint",
    "min-length",
    "max-length",
    "theme",
    "locale",
    "dir",
    "strings",
    "timeout",
    "page-size",
    "guidelines-url",
];

/// The default of `page-size`.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The default bound on a request.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

fn number(name: &str, value: Option<String>, default: usize) -> Result<usize, String> {
    match value {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("{name}=\"{v}\" is not a whole number; use for example {name}=\"{default}\".")),
    }
}

fn endpoint(value: Option<String>) -> Result<String, String> {
    let value = value.map(|v| v.trim().to_string()).unwrap_or_default();
    if value.is_empty() {
        return Err("This comment section has no endpoint. Add endpoint=\"https://…/comments\" to the \
                    <reader-comments> element (data-endpoint on a <div data-reader-comments>)."
            .into());
    }
    let lower = value.to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/') && !s.contains('?'));
    match scheme {
        None | Some("http" | "https" | "blob") => Ok(value),
        Some(other) => Err(format!("endpoint=\"{value}\" uses \"{other}:\"; it must be an http(s) URL.")),
    }
}

fn overrides<V: Json>(
    value: Option<String>,
    parse_json: impl Fn(&str) -> Result<V, String>,
) -> Result<Vec<(Key, String)>, String> {
    let Some(text) = value else { return Ok(Vec::new()) };
    let parsed = parse_json(&text).map_err(|e| format!("strings is {e}; write strings='{{\"submit\": \"Send\"}}'."))?;
    let object = parsed.entries().ok_or("strings must be a JSON object of key to text.")?;
    let mut out = Vec::with_capacity(object.len());
    for (name, value) in object {
        let key = Key::from_name(&name)
            .ok_or_else(|| format!("strings has an unknown key \"{name}\"; docs/theming.md lists the keys."))?;
        let text = value.string().ok_or_else(|| format!("strings.{name} must be text."))?;
        out.push((key, text));
    }
    Ok(out)
}

fn is_language_tag(tag: &str) -> bool {
    (1..=35).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The language the page says it is in (`<html lang>`, or the browser's): a hint, so a
/// sloppy one (`"en "`, `"en,hi"`) gives its first valid tag and anything else English.
pub fn page_locale(hint: &str) -> String {
    let first = hint.split([',', ';', ' ', '\t', '\n']).map(str::trim).find(|t| !t.is_empty());
    first.filter(|t| is_language_tag(t)).unwrap_or("en").to_string()
}

/// Reads the configuration. `attr` returns an attribute by its plain name
/// (`endpoint`, `min-length`, …); `page_lang` is the page's language hint;
/// `parse_json` reads the `strings` attribute. An error is a sentence for the site's
/// developer, shown inside the element.
pub fn parse<V: Json>(
    attr: impl Fn(&str) -> Option<String>,
    page_lang: &str,
    parse_json: impl Fn(&str) -> Result<V, String>,
) -> Result<Config, String> {
    let endpoint = endpoint(attr("endpoint"))?;
    let defaults = Limits::default();
    let limits = Limits {
        min_length: number("min-length", attr("min-length"), defaults.min_length)?,
        max_length: number("max-length", attr("max-length"), defaults.max_length)?,
    };
    if limits.max_length == 0 || limits.min_length > limits.max_length {
        return Err(format!(
            "min-length ({}) must not be more than max-length ({}), and max-length must be above 0.",
            limits.min_length, limits.max_length
        ));
    }
    let theme = match attr("theme").as_deref().map(str::trim) {
        None | Some("" | "auto") => Theme::Auto,
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        Some(other) => return Err(format!("theme=\"{other}\" is not one of auto, light, dark.")),
    };
    let locale = match attr("locale").map(|l| l.trim().to_string()).filter(|l| !l.is_empty()) {
        Some(own) if is_language_tag(&own) => own,
        Some(own) => return Err(format!("locale=\"{own}\" is not a language tag such as en, hi or pa-IN.")),
        None => page_locale(page_lang),
    };
    let dir = match attr("dir").map(|d| d.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") if crate::i18n::is_right_to_left(&locale) => "rtl",
        None | Some("") => "ltr",
        Some("ltr") => "ltr",
        Some("rtl") => "rtl",
        Some("auto") => "auto",
        Some(_) => {
            return Err(format!("dir=\"{}\" is not one of ltr, rtl, auto.", attr("dir").unwrap_or_default().trim()))
        }
    };
    let timeout_secs = number("timeout", attr("timeout"), (DEFAULT_TIMEOUT_MS / 1000) as usize)?;
    if timeout_secs == 0 || timeout_secs > 300 {
        return Err(format!("timeout=\"{timeout_secs}\" must be between 1 and 300 seconds."));
    }
    let strings = Strings::for_locale(&locale).with_overrides(overrides(attr("strings"), parse_json)?);
    let page_size = number("page-size", attr("page-size"), DEFAULT_PAGE_SIZE)?;
    if !(1..=100_000).contains(&page_size) {
        return Err(format!("page-size=\"{page_size}\" must be between 1 and 100000."));
    }
    let guidelines = match attr("guidelines-url").map(|g| g.trim().to_string()).filter(|g| !g.is_empty()) {
        None => None,
        Some(url) if http_or_relative(&url) => Some(url),
        Some(url) => return Err(format!("guidelines-url=\"{url}\" must be an http(s) URL.")),
    };
    let timeout_ms = timeout_secs as u32 * 1000;
    Ok(Config { endpoint, limits, theme, locale, dir, strings, timeout_ms, page_size, guidelines })
}

/// Whether `url` is an http(s) URL or one relative to the page (no other scheme).
fn http_or_relative(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    match lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/') && !s.contains('?') && !s.contains('#')) {
        None => true,
        Some(scheme) => scheme == "http" || scheme == "https",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, String> {
        let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
        parse(move |name| owned.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()), "en", json)
    }

    #[test]
    fn an_endpoint_alone_gives_the_defaults() {
        let c = with(&[("endpoint", "https://api.example/threads/1/comments")]).expect("valid");
        assert_eq!(c.limits, Limits::default());
        assert_eq!(c.theme, Theme::Auto);
        assert_eq!(c.locale, "en");
        assert_eq!(c.timeout_ms, 15_000);
    }

    #[test]
    fn the_direction_comes_from_the_language_unless_the_host_says() {
        let dir = |pairs: &[(&str, &str)]| {
            let mut all = vec![("endpoint", "/c")];
            all.extend_from_slice(pairs);
            with(&all).map(|c| c.dir)
        };
        assert_eq!(dir(&[]), Ok("ltr"));
        assert_eq!(dir(&[("locale", "ur")]), Ok("rtl"));
        assert_eq!(dir(&[("locale", "ar-EG")]), Ok("rtl"));
        assert_eq!(dir(&[("locale", "hi")]), Ok("ltr"));
        assert_eq!(dir(&[("locale", "ur"), ("dir", "LTR")]), Ok("ltr"), "the host's own wins");
        assert_eq!(dir(&[("dir", "auto")]), Ok("auto"));
        assert_eq!(dir(&[("dir", "sideways")]), Err("dir=\"sideways\" is not one of ltr, rtl, auto.".into()));
    }

    #[test]
    fn a_guidelines_url_must_be_http_or_relative() {
        let at = |url: &str| with(&[("endpoint", "/c"), ("guidelines-url", url)]).map(|c| c.guidelines);
        assert_eq!(at("https://news.example/guidelines"), Ok(Some("https://news.example/guidelines".into())));
        assert_eq!(at(" /about/comments#rules "), Ok(Some("/about/comments#rules".into())));
        assert_eq!(at(""), Ok(None));
        for hostile in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"] {
            assert!(at(hostile).expect_err("refused").contains("http(s)"), "{hostile}");
        }
    }

    #[test]
    fn a_missing_endpoint_is_explained() {
        let e = with(&[]).expect_err("refused");
        assert!(e.contains("no endpoint"), "{e}");
        assert!(with(&[("endpoint", "  ")]).is_err());
    }

    #[test]
    fn relative_and_http_endpoints_are_accepted_and_script_urls_refused() {
        assert!(with(&[("endpoint", "/api/threads/1/comments")]).is_ok());
        assert!(with(&[("endpoint", "comments.json?x=a:b")]).is_ok());
        let e = with(&[("endpoint", "javascript:alert(1)")]).expect_err("refused");
        assert!(e.contains("javascript"), "{e}");
    }

    #[test]
    fn lengths_are_read_and_checked() {
        let c = with(&[("endpoint", "/c"), ("min-length", "10"), ("max-length", " 200 ")]).expect("valid");
        assert_eq!(c.limits, Limits { min_length: 10, max_length: 200 });
        assert!(with(&[("endpoint", "/c"), ("min-length", "fifty")]).expect_err("refused").contains("whole number"));
        assert!(with(&[("endpoint", "/c"), ("min-length", "90"), ("max-length", "10")]).is_err());
        assert!(with(&[("endpoint", "/c"), ("max-length", "0"), ("min-length", "0")]).is_err());
    }

    #[test]
    fn themes_are_auto_light_or_dark() {
        assert_eq!(with(&[("endpoint", "/c"), ("theme", "dark")]).map(|c| c.theme), Ok(Theme::Dark));
        assert!(with(&[("endpoint", "/c"), ("theme", "blue")]).expect_err("refused").contains("auto, light, dark"));
    }

    #[test]
    fn the_locale_attribute_wins_over_the_page_language() {
        let c = with(&[("endpoint", "/c"), ("locale", "hi-IN")]).expect("valid");
        assert_eq!((c.locale.as_str(), c.strings.locale()), ("hi-IN", "hi-IN"), "its words come from its file");
        assert!(with(&[("endpoint", "/c"), ("locale", "<x>")]).is_err());
    }

    #[test]
    fn a_sloppy_page_language_is_a_hint_not_an_error() {
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
        for (hint, expected) in [("en ", "en"), ("en,hi", "en"), (" hi-IN ; q=1", "hi-IN"), ("<x>", "en"), ("", "en")] {
            let c = parse(|name| (name == "endpoint").then(|| "/c".to_string()), hint, json).expect(hint);
            assert_eq!(c.locale, expected, "{hint:?}");
        }
    }

    #[test]
    fn strings_can_be_overridden_and_unknown_keys_are_refused() {
        let c = with(&[("endpoint", "/c"), ("strings", r#"{"submit":"Send it"}"#)]).expect("valid");
        assert_eq!(c.strings.get(Key::Submit), "Send it");
        assert!(with(&[("endpoint", "/c"), ("strings", r#"{"sbumit":"x"}"#)]).expect_err("refused").contains("sbumit"));
        assert!(with(&[("endpoint", "/c"), ("strings", "{nope")]).is_err());
        assert!(with(&[("endpoint", "/c"), ("strings", r#"{"submit":3}"#)]).is_err());
    }

    #[test]
    fn the_page_size_defaults_to_a_hundred_and_is_bounded() {
        assert_eq!(with(&[("endpoint", "/c")]).map(|c| c.page_size), Ok(100));
        assert_eq!(with(&[("endpoint", "/c"), ("page-size", "20")]).map(|c| c.page_size), Ok(20));
        assert!(with(&[("endpoint", "/c"), ("page-size", "0")]).is_err());
    }

    #[test]
    fn the_timeout_is_bounded() {
        assert_eq!(with(&[("endpoint", "/c"), ("timeout", "2")]).map(|c| c.timeout_ms), Ok(2000));
        assert!(with(&[("endpoint", "/c"), ("timeout", "0")]).is_err());
    }
}
