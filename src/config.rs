//! A widget's configuration, read from its host element's attributes. Pure: the caller
//! passes a lookup, so every rule here is tested natively.

use crate::i18n::{is_known_key, Strings};
use reader_comments_core::{Json, Rule};

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
    /// The length rule until the endpoint advertises its own.
    pub rule: Rule,
    /// The colour scheme.
    pub theme: Theme,
    /// The BCP 47 locale for text, dates and numbers.
    pub locale: String,
    /// Every string the reader sees.
    pub strings: Strings,
    /// How long to wait for the endpoint before giving up, in milliseconds.
    pub timeout_ms: u32,
    /// The most comments shown at once; more wait behind "Load more comments", so an
    /// endpoint that sends thousands at once never freezes the page.
    pub page_size: usize,
}

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
) -> Result<Vec<(String, String)>, String> {
    let Some(text) = value else { return Ok(Vec::new()) };
    let parsed = parse_json(&text).map_err(|e| format!("strings is {e}; write strings='{{\"submit\": \"Send\"}}'."))?;
    let object = parsed.entries().ok_or("strings must be a JSON object of key to text.")?;
    let mut out = Vec::with_capacity(object.len());
    for (key, value) in object {
        if !is_known_key(&key) {
            return Err(format!("strings has an unknown key \"{key}\"; docs/theming.md lists the keys."));
        }
        let text = value.string().ok_or_else(|| format!("strings.{key} must be text."))?;
        out.push((key, text));
    }
    Ok(out)
}

/// Reads the configuration. `attr` returns an attribute by its plain name
/// (`endpoint`, `min-length`, …); `fallback_locale` is the page's language;
/// `parse_json` reads the `strings` attribute. An error is a sentence for the site's
/// developer, shown inside the element.
pub fn parse<V: Json>(
    attr: impl Fn(&str) -> Option<String>,
    fallback_locale: &str,
    parse_json: impl Fn(&str) -> Result<V, String>,
) -> Result<Config, String> {
    let endpoint = endpoint(attr("endpoint"))?;
    let rule = Rule {
        min_length: number("min-length", attr("min-length"), 50)?,
        max_length: number("max-length", attr("max-length"), 5000)?,
    };
    if rule.max_length == 0 || rule.min_length > rule.max_length {
        return Err(format!(
            "min-length ({}) must not be more than max-length ({}), and max-length must be above 0.",
            rule.min_length, rule.max_length
        ));
    }
    let theme = match attr("theme").as_deref().map(str::trim) {
        None | Some("" | "auto") => Theme::Auto,
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        Some(other) => return Err(format!("theme=\"{other}\" is not one of auto, light, dark.")),
    };
    let locale = attr("locale").map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    let locale = locale.unwrap_or_else(|| fallback_locale.to_string());
    if !locale.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || locale.len() > 35 {
        return Err(format!("locale=\"{locale}\" is not a language tag such as en, hi or pa-IN."));
    }
    let timeout_secs = number("timeout", attr("timeout"), (DEFAULT_TIMEOUT_MS / 1000) as usize)?;
    if timeout_secs == 0 || timeout_secs > 300 {
        return Err(format!("timeout=\"{timeout_secs}\" must be between 1 and 300 seconds."));
    }
    let strings = Strings::for_locale(&locale).with_overrides(overrides(attr("strings"), parse_json)?);
    let page_size = number("page-size", attr("page-size"), DEFAULT_PAGE_SIZE)?;
    if !(1..=100_000).contains(&page_size) {
        return Err(format!("page-size=\"{page_size}\" must be between 1 and 100000."));
    }
    Ok(Config { endpoint, rule, theme, locale, strings, timeout_ms: timeout_secs as u32 * 1000, page_size })
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
        assert_eq!(c.rule, Rule { min_length: 50, max_length: 5000 });
        assert_eq!(c.theme, Theme::Auto);
        assert_eq!(c.locale, "en");
        assert_eq!(c.timeout_ms, 15_000);
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
        assert_eq!(c.rule, Rule { min_length: 10, max_length: 200 });
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
        assert_eq!(c.strings.get("submit"), "टिप्पणी भेजें");
        assert!(with(&[("endpoint", "/c"), ("locale", "<x>")]).is_err());
    }

    #[test]
    fn strings_can_be_overridden_and_unknown_keys_are_refused() {
        let c = with(&[("endpoint", "/c"), ("strings", r#"{"submit":"Send it"}"#)]).expect("valid");
        assert_eq!(c.strings.get("submit"), "Send it");
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
