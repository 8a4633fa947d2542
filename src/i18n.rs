//! Every string a reader sees, in English, Hindi and Punjabi, and the site's overrides.
//! Pure: the widget asks `Strings::get` and never spells a message itself.

/// The built-in English text, keyed. Every key here may be overridden by a site.
const EN: &[(&str, &str)] = &[
    ("heading", "Reader Comments"),
    ("guideline", "We welcome thoughtful discussions from our readers. Please keep comments respectful and on-topic."),
    ("form_heading", "Leave a Comment"),
    ("name_label", "Your name"),
    ("body_label", "Your comment"),
    ("hint", "Minimum {min} characters"),
    ("submit", "Post Comment"),
    ("posting", "Posting…"),
    ("posting_wait", "Your comment is being posted. Please wait."),
    ("loading", "Loading comments…"),
    ("empty", "No comments yet. Be the first to share your thoughts."),
    ("retry", "Try again"),
    ("load_more", "Load more comments"),
    ("loading_more", "Loading more comments…"),
    ("pending_badge", "Awaiting moderation"),
    ("posted", "Thank you. Your comment has been posted."),
    ("posted_pending", "Thank you. Your comment is awaiting moderation and will appear once it is approved."),
    ("error_prefix", "Error:"),
    ("count_below_one", "You need 1 more character"),
    ("count_below_other", "You need {n} more characters"),
    ("count_reached", "Minimum reached: {n} characters"),
    ("count_remaining_one", "You have 1 character remaining"),
    ("count_remaining_other", "You have {n} characters remaining"),
    ("count_over_one", "You have 1 character too many"),
    ("count_over_other", "You have {n} characters too many"),
    ("author.required", "Enter your name"),
    ("author.too_long", "Your name must be 80 characters or fewer"),
    ("author.control_characters", "Your name must be one line of text"),
    ("author.stacked_marks", "Your name has a character with too many accent marks"),
    ("body.required", "Enter your comment"),
    ("body.too_short_one", "Add 1 more character"),
    ("body.too_short_other", "Add {n} more characters"),
    ("body.too_long_one", "Remove 1 character"),
    ("body.too_long_other", "Remove {n} characters"),
    ("body.control_characters", "Remove the control characters (such as escape codes) from your comment"),
    ("body.stacked_marks", "Your comment has a character with too many accent marks"),
    ("load_failed", "Comments could not be loaded."),
    ("post_failed", "Your comment was not posted."),
    ("draft_kept", "Your comment is still here, saved in this browser."),
    ("offline", "You appear to be offline. Check your connection and try again."),
    ("network", "The comment service could not be reached. Try again in a moment."),
    ("timeout", "The comment service took too long to answer. Try again in a moment."),
    ("rate_limited", "Too many requests. Please wait {n} seconds and try again."),
    ("rate_limited_soon", "Too many requests. Please wait a moment and try again."),
    ("server_error", "The comment service had a problem (error {n}). Try again in a moment."),
    ("client_error", "The comment service refused the request (error {n})."),
    ("bad_response", "The comment service sent an answer this page cannot read."),
    ("invalid", "Check your comment: {n}"),
];

/// Hindi.
const HI: &[(&str, &str)] = &[
    ("heading", "पाठकों की टिप्पणियाँ"),
    ("guideline", "हम अपने पाठकों की विचारशील चर्चा का स्वागत करते हैं। कृपया टिप्पणियाँ सम्मानजनक और विषय पर रखें।"),
    ("form_heading", "टिप्पणी लिखें"),
    ("name_label", "आपका नाम"),
    ("body_label", "आपकी टिप्पणी"),
    ("hint", "कम से कम {min} अक्षर"),
    ("submit", "टिप्पणी भेजें"),
    ("posting", "भेजी जा रही है…"),
    ("posting_wait", "आपकी टिप्पणी भेजी जा रही है। कृपया प्रतीक्षा करें।"),
    ("loading", "टिप्पणियाँ लोड हो रही हैं…"),
    ("empty", "अभी कोई टिप्पणी नहीं है। पहली टिप्पणी आप लिखें।"),
    ("retry", "फिर से कोशिश करें"),
    ("load_more", "और टिप्पणियाँ देखें"),
    ("loading_more", "और टिप्पणियाँ लोड हो रही हैं…"),
    ("pending_badge", "समीक्षा की प्रतीक्षा में"),
    ("posted", "धन्यवाद। आपकी टिप्पणी प्रकाशित हो गई है।"),
    ("posted_pending", "धन्यवाद। आपकी टिप्पणी समीक्षा की प्रतीक्षा में है और स्वीकृति के बाद दिखेगी।"),
    ("error_prefix", "त्रुटि:"),
    ("count_below_one", "1 और अक्षर चाहिए"),
    ("count_below_other", "{n} और अक्षर चाहिए"),
    ("count_reached", "न्यूनतम सीमा पूरी: {n} अक्षर"),
    ("count_remaining_one", "1 अक्षर बाकी है"),
    ("count_remaining_other", "{n} अक्षर बाकी हैं"),
    ("count_over_one", "1 अक्षर ज़्यादा है"),
    ("count_over_other", "{n} अक्षर ज़्यादा हैं"),
    ("author.required", "अपना नाम लिखें"),
    ("body.required", "अपनी टिप्पणी लिखें"),
    ("body.too_short_one", "1 और अक्षर जोड़ें"),
    ("body.too_short_other", "{n} और अक्षर जोड़ें"),
    ("body.too_long_one", "1 अक्षर हटाएँ"),
    ("body.too_long_other", "{n} अक्षर हटाएँ"),
    ("load_failed", "टिप्पणियाँ लोड नहीं हो सकीं।"),
    ("post_failed", "आपकी टिप्पणी नहीं भेजी जा सकी।"),
    ("draft_kept", "आपकी टिप्पणी इसी ब्राउज़र में सुरक्षित है।"),
    ("offline", "आप ऑफ़लाइन लगते हैं। कनेक्शन जाँचकर फिर कोशिश करें।"),
    ("network", "टिप्पणी सेवा तक नहीं पहुँच सके। थोड़ी देर में फिर कोशिश करें।"),
    ("timeout", "टिप्पणी सेवा ने जवाब देने में बहुत देर की। थोड़ी देर में फिर कोशिश करें।"),
    ("rate_limited", "बहुत ज़्यादा अनुरोध। {n} सेकंड रुककर फिर कोशिश करें।"),
    ("server_error", "टिप्पणी सेवा में समस्या हुई (त्रुटि {n})। थोड़ी देर में फिर कोशिश करें।"),
];

/// Punjabi (Gurmukhi).
const PA: &[(&str, &str)] = &[
    ("heading", "ਪਾਠਕਾਂ ਦੀਆਂ ਟਿੱਪਣੀਆਂ"),
    ("guideline", "ਅਸੀਂ ਆਪਣੇ ਪਾਠਕਾਂ ਦੀ ਸੋਚ-ਸਮਝ ਵਾਲੀ ਚਰਚਾ ਦਾ ਸਵਾਗਤ ਕਰਦੇ ਹਾਂ। ਕਿਰਪਾ ਕਰਕੇ ਟਿੱਪਣੀਆਂ ਸਤਿਕਾਰਯੋਗ ਅਤੇ ਵਿਸ਼ੇ ਉੱਤੇ ਰੱਖੋ।"),
    ("form_heading", "ਟਿੱਪਣੀ ਲਿਖੋ"),
    ("name_label", "ਤੁਹਾਡਾ ਨਾਮ"),
    ("body_label", "ਤੁਹਾਡੀ ਟਿੱਪਣੀ"),
    ("hint", "ਘੱਟੋ-ਘੱਟ {min} ਅੱਖਰ"),
    ("submit", "ਟਿੱਪਣੀ ਭੇਜੋ"),
    ("posting", "ਭੇਜੀ ਜਾ ਰਹੀ ਹੈ…"),
    ("loading", "ਟਿੱਪਣੀਆਂ ਲੋਡ ਹੋ ਰਹੀਆਂ ਹਨ…"),
    ("empty", "ਹਾਲੇ ਕੋਈ ਟਿੱਪਣੀ ਨਹੀਂ। ਪਹਿਲੀ ਟਿੱਪਣੀ ਤੁਸੀਂ ਲਿਖੋ।"),
    ("retry", "ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ"),
    ("load_more", "ਹੋਰ ਟਿੱਪਣੀਆਂ ਵੇਖੋ"),
    ("pending_badge", "ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ"),
    ("posted", "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਛਪ ਗਈ ਹੈ।"),
    ("posted_pending", "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ ਹੈ।"),
    ("error_prefix", "ਗਲਤੀ:"),
    ("count_below_one", "1 ਹੋਰ ਅੱਖਰ ਚਾਹੀਦਾ ਹੈ"),
    ("count_below_other", "{n} ਹੋਰ ਅੱਖਰ ਚਾਹੀਦੇ ਹਨ"),
    ("author.required", "ਆਪਣਾ ਨਾਮ ਲਿਖੋ"),
    ("body.required", "ਆਪਣੀ ਟਿੱਪਣੀ ਲਿਖੋ"),
    ("body.too_short_one", "1 ਹੋਰ ਅੱਖਰ ਜੋੜੋ"),
    ("body.too_short_other", "{n} ਹੋਰ ਅੱਖਰ ਜੋੜੋ"),
    ("load_failed", "ਟਿੱਪਣੀਆਂ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕੀਆਂ।"),
    ("post_failed", "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਨਹੀਂ ਭੇਜੀ ਜਾ ਸਕੀ।"),
    ("draft_kept", "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਇਸੇ ਬ੍ਰਾਊਜ਼ਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਹੈ।"),
    ("offline", "ਤੁਸੀਂ ਆਫ਼ਲਾਈਨ ਜਾਪਦੇ ਹੋ। ਕਨੈਕਸ਼ਨ ਜਾਂਚ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।"),
    ("network", "ਟਿੱਪਣੀ ਸੇਵਾ ਤੱਕ ਨਹੀਂ ਪਹੁੰਚ ਸਕੇ। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।"),
];

/// The text of one widget: a built-in language and the site's overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Strings {
    table: &'static [(&'static str, &'static str)],
    overrides: Vec<(String, String)>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings { table: EN, overrides: Vec::new() }
    }
}

/// True when `key` names a string a site may override.
pub fn is_known_key(key: &str) -> bool {
    EN.iter().any(|(k, _)| *k == key)
}

impl Strings {
    /// The built-in strings for a BCP 47 locale ("hi", "pa-IN", "en-GB"), falling back
    /// to English for other languages and for any key a translation lacks.
    pub fn for_locale(locale: &str) -> Self {
        let lang = locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let table = match lang.as_str() {
            "hi" => HI,
            "pa" => PA,
            _ => EN,
        };
        Strings { table, overrides: Vec::new() }
    }

    /// Replaces strings with a site's own (keys already checked by the config).
    pub fn with_overrides(mut self, overrides: Vec<(String, String)>) -> Self {
        self.overrides = overrides;
        self
    }

    /// The text for `key`.
    pub fn get(&self, key: &str) -> String {
        if let Some((_, v)) = self.overrides.iter().find(|(k, _)| k == key) {
            return v.clone();
        }
        let find = |t: &[(&str, &'static str)]| t.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        find(self.table).or_else(|| find(EN)).unwrap_or(key).to_string()
    }

    /// The text for `key` with `{n}` (and `{min}`) replaced by `n`.
    pub fn with_n(&self, key: &str, n: usize) -> String {
        let n = n.to_string();
        self.get(key).replace("{n}", &n).replace("{min}", &n)
    }

    /// The singular (`key_one`) or plural (`key_other`) text for `n`.
    pub fn plural(&self, key: &str, n: usize) -> String {
        let form = if n == 1 { "one" } else { "other" };
        self.with_n(&format!("{key}_{form}"), n)
    }

    /// The message for a validation error, in this language: `field.code`, singular or
    /// plural when it carries an amount; the core's English message when no string
    /// exists (an endpoint's own code, say).
    pub fn field_error(&self, field: &str, code: &str, amount: Option<usize>, fallback: &str) -> String {
        let key = format!("{field}.{code}");
        match amount {
            Some(n) if is_known_key(&format!("{key}_one")) => self.plural(&key, n),
            Some(n) if is_known_key(&key) => self.with_n(&key, n),
            None if is_known_key(&key) => self.get(&key),
            _ => fallback.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_default_and_matches_the_seed_page() {
        let s = Strings::default();
        assert_eq!(s.get("heading"), "Reader Comments");
        assert_eq!(s.get("form_heading"), "Leave a Comment");
        assert_eq!(s.with_n("hint", 50), "Minimum 50 characters");
    }

    #[test]
    fn hindi_and_punjabi_are_built_in_and_fall_back_to_english() {
        assert_eq!(Strings::for_locale("hi-IN").get("submit"), "टिप्पणी भेजें");
        assert_eq!(Strings::for_locale("pa").get("submit"), "ਟਿੱਪਣੀ ਭੇਜੋ");
        assert_eq!(Strings::for_locale("pa").get("bad_response"), Strings::default().get("bad_response"));
        assert_eq!(Strings::for_locale("fr").get("submit"), "Post Comment");
    }

    #[test]
    fn overrides_win_over_every_language() {
        let s = Strings::for_locale("hi").with_overrides(vec![("submit".into(), "Send".into())]);
        assert_eq!(s.get("submit"), "Send");
    }

    #[test]
    fn plurals_pick_the_right_form() {
        let s = Strings::default();
        assert_eq!(s.plural("count_below", 1), "You need 1 more character");
        assert_eq!(s.plural("count_below", 7), "You need 7 more characters");
    }

    #[test]
    fn field_errors_use_the_translation_or_the_given_message() {
        let s = Strings::default();
        assert_eq!(s.field_error("body", "too_short", Some(1), "x"), "Add 1 more character");
        assert_eq!(s.field_error("author", "required", None, "x"), "Enter your name");
        assert_eq!(s.field_error("body", "spam", None, "Looks like spam"), "Looks like spam");
    }

    #[test]
    fn every_translated_key_exists_in_english() {
        for (k, _) in HI.iter().chain(PA) {
            assert!(is_known_key(k), "{k}");
        }
    }
}
