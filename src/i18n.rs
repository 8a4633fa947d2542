//! Every string a reader sees, in English, Hindi and Punjabi, and the site's overrides.
//! The strings are one table, a row per key with its name and its text in each
//! language, from which the `Key` enum is made: a misspelt key does not compile, and a
//! row without a language does not either. The English validation messages are the
//! core's own (`reader_comments_core::validate::messages`), the ones the server sends;
//! the translations are keyed by the same field and code.

use reader_comments_core::validate::messages as core_en;
use std::sync::Arc;

macro_rules! strings {
    ($($variant:ident = $name:literal => [$en:expr, $hi:expr, $pa:expr $(,)?],)*) => {
        /// A string the widget shows; its name is what the `strings` attribute uses.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $(#[doc = $name] $variant,)*
        }

        impl Key {
            /// Every key, in the documented order.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The key's name in the `strings` attribute.
            pub fn name(self) -> &'static str {
                NAMES[self as usize]
            }
        }

        /// Every key's name, in the order of [`Key`].
        const NAMES: &[&str] = &[$($name,)*];

        /// Every key's text in each built-in language (in the order of [`Lang`]), in
        /// the order of [`Key`].
        const TEXTS: &[[&str; LANGS]] = &[$([$en, $hi, $pa],)*];
    };
}

/// How many languages are built in.
const LANGS: usize = 3;

strings! {
    Heading = "heading" => [
        "Reader Comments",
        "पाठकों की टिप्पणियाँ",
        "ਪਾਠਕਾਂ ਦੀਆਂ ਟਿੱਪਣੀਆਂ",
    ],
    Guideline = "guideline" => [
        "We welcome thoughtful discussions from our readers. Please keep comments respectful and on-topic.",
        "हम अपने पाठकों की विचारशील चर्चा का स्वागत करते हैं। कृपया टिप्पणियाँ सम्मानजनक और विषय पर रखें।",
        "ਅਸੀਂ ਆਪਣੇ ਪਾਠਕਾਂ ਦੀ ਸੋਚ-ਸਮਝ ਵਾਲੀ ਚਰਚਾ ਦਾ ਸਵਾਗਤ ਕਰਦੇ ਹਾਂ। ਕਿਰਪਾ ਕਰਕੇ ਟਿੱਪਣੀਆਂ ਸਤਿਕਾਰਯੋਗ ਅਤੇ ਵਿਸ਼ੇ ਉੱਤੇ ਰੱਖੋ।",
    ],
    FormHeading = "form_heading" => [
        "Leave a Comment",
        "टिप्पणी लिखें",
        "ਟਿੱਪਣੀ ਲਿਖੋ",
    ],
    NameLabel = "name_label" => [
        "Your name",
        "आपका नाम",
        "ਤੁਹਾਡਾ ਨਾਮ",
    ],
    BodyLabel = "body_label" => [
        "Your comment",
        "आपकी टिप्पणी",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ",
    ],
    Hint = "hint" => [
        "Minimum {min} characters",
        "कम से कम {min} अक्षर",
        "ਘੱਟੋ-ਘੱਟ {min} ਅੱਖਰ",
    ],
    Submit = "submit" => [
        "Post Comment",
        "टिप्पणी भेजें",
        "ਟਿੱਪਣੀ ਭੇਜੋ",
    ],
    Posting = "posting" => [
        "Posting…",
        "भेजी जा रही है…",
        "ਭੇਜੀ ਜਾ ਰਹੀ ਹੈ…",
    ],
    PostingWait = "posting_wait" => [
        "Your comment is being posted. Please wait.",
        "आपकी टिप्पणी भेजी जा रही है। कृपया प्रतीक्षा करें।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਭੇਜੀ ਜਾ ਰਹੀ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਰੋ।",
    ],
    Loading = "loading" => [
        "Loading comments…",
        "टिप्पणियाँ लोड हो रही हैं…",
        "ਟਿੱਪਣੀਆਂ ਲੋਡ ਹੋ ਰਹੀਆਂ ਹਨ…",
    ],
    Empty = "empty" => [
        "No comments yet. Be the first to share your thoughts.",
        "अभी कोई टिप्पणी नहीं है। पहली टिप्पणी आप लिखें।",
        "ਹਾਲੇ ਕੋਈ ਟਿੱਪਣੀ ਨਹੀਂ। ਪਹਿਲੀ ਟਿੱਪਣੀ ਤੁਸੀਂ ਲਿਖੋ।",
    ],
    Retry = "retry" => [
        "Try again",
        "फिर से कोशिश करें",
        "ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ",
    ],
    LoadMore = "load_more" => [
        "Load more comments",
        "और टिप्पणियाँ देखें",
        "ਹੋਰ ਟਿੱਪਣੀਆਂ ਵੇਖੋ",
    ],
    LoadingMore = "loading_more" => [
        "Loading more comments…",
        "और टिप्पणियाँ लोड हो रही हैं…",
        "ਹੋਰ ਟਿੱਪਣੀਆਂ ਲੋਡ ਹੋ ਰਹੀਆਂ ਹਨ…",
    ],
    PendingBadge = "pending_badge" => [
        "Waiting for review — only you can see this",
        "समीक्षा की प्रतीक्षा में — इसे केवल आप देख सकते हैं",
        "ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ — ਇਸ ਨੂੰ ਸਿਰਫ਼ ਤੁਸੀਂ ਵੇਖ ਸਕਦੇ ਹੋ",
    ],
    Posted = "posted" => [
        "Thank you. Your comment has been posted.",
        "धन्यवाद। आपकी टिप्पणी प्रकाशित हो गई है।",
        "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਛਪ ਗਈ ਹੈ।",
    ],
    PostedPending = "posted_pending" => [
        "Thank you. Your comment is awaiting moderation and will appear once it is approved.",
        "धन्यवाद। आपकी टिप्पणी समीक्षा की प्रतीक्षा में है और स्वीकृति के बाद दिखेगी।",
        "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ ਹੈ।",
    ],
    ErrorPrefix = "error_prefix" => [
        "Error:",
        "त्रुटि:",
        "ਗਲਤੀ:",
    ],
    CountBelowOne = "count_below_one" => [
        "You need 1 more character",
        "1 और अक्षर चाहिए",
        "1 ਹੋਰ ਅੱਖਰ ਚਾਹੀਦਾ ਹੈ",
    ],
    CountBelowOther = "count_below_other" => [
        "You need {n} more characters",
        "{n} और अक्षर चाहिए",
        "{n} ਹੋਰ ਅੱਖਰ ਚਾਹੀਦੇ ਹਨ",
    ],
    CountReached = "count_reached" => [
        "Minimum reached: {n} characters",
        "न्यूनतम सीमा पूरी: {n} अक्षर",
        "ਘੱਟੋ-ਘੱਟ ਸੀਮਾ ਪੂਰੀ: {n} ਅੱਖਰ",
    ],
    CountRemainingOne = "count_remaining_one" => [
        "You have 1 character remaining",
        "1 अक्षर बाकी है",
        "1 ਅੱਖਰ ਬਾਕੀ ਹੈ",
    ],
    CountRemainingOther = "count_remaining_other" => [
        "You have {n} characters remaining",
        "{n} अक्षर बाकी हैं",
        "{n} ਅੱਖਰ ਬਾਕੀ ਹਨ",
    ],
    CountOverOne = "count_over_one" => [
        "You have 1 character too many",
        "1 अक्षर ज़्यादा है",
        "1 ਅੱਖਰ ਵੱਧ ਹੈ",
    ],
    CountOverOther = "count_over_other" => [
        "You have {n} characters too many",
        "{n} अक्षर ज़्यादा हैं",
        "{n} ਅੱਖਰ ਵੱਧ ਹਨ",
    ],
    AuthorRequired = "author.required" => [
        core_en::AUTHOR_REQUIRED,
        "अपना नाम लिखें",
        "ਆਪਣਾ ਨਾਮ ਲਿਖੋ",
    ],
    AuthorTooLongOne = "author.too_long_one" => [
        core_en::AUTHOR_TOO_LONG_ONE,
        "आपका नाम {max} अक्षरों से लंबा नहीं हो सकता: 1 अक्षर हटाएँ",
        "ਤੁਹਾਡਾ ਨਾਮ {max} ਅੱਖਰਾਂ ਤੋਂ ਲੰਬਾ ਨਹੀਂ ਹੋ ਸਕਦਾ: 1 ਅੱਖਰ ਹਟਾਓ",
    ],
    AuthorTooLongOther = "author.too_long_other" => [
        core_en::AUTHOR_TOO_LONG_OTHER,
        "आपका नाम {max} अक्षरों से लंबा नहीं हो सकता: {n} अक्षर हटाएँ",
        "ਤੁਹਾਡਾ ਨਾਮ {max} ਅੱਖਰਾਂ ਤੋਂ ਲੰਬਾ ਨਹੀਂ ਹੋ ਸਕਦਾ: {n} ਅੱਖਰ ਹਟਾਓ",
    ],
    AuthorControlCharacters = "author.control_characters" => [
        core_en::AUTHOR_CONTROL_CHARACTERS,
        "आपका नाम एक ही पंक्ति में होना चाहिए",
        "ਤੁਹਾਡਾ ਨਾਮ ਇੱਕੋ ਲਾਈਨ ਵਿੱਚ ਹੋਣਾ ਚਾਹੀਦਾ ਹੈ",
    ],
    AuthorStackedMarks = "author.stacked_marks" => [
        core_en::AUTHOR_STACKED_MARKS,
        "आपके नाम में किसी अक्षर पर बहुत अधिक चिह्न लगे हैं",
        "ਤੁਹਾਡੇ ਨਾਮ ਵਿੱਚ ਕਿਸੇ ਅੱਖਰ ਉੱਤੇ ਬਹੁਤ ਜ਼ਿਆਦਾ ਚਿੰਨ੍ਹ ਲੱਗੇ ਹਨ",
    ],
    BodyRequired = "body.required" => [
        core_en::BODY_REQUIRED,
        "अपनी टिप्पणी लिखें",
        "ਆਪਣੀ ਟਿੱਪਣੀ ਲਿਖੋ",
    ],
    BodyTooShortOne = "body.too_short_one" => [
        core_en::BODY_TOO_SHORT_ONE,
        "1 और अक्षर जोड़ें",
        "1 ਹੋਰ ਅੱਖਰ ਜੋੜੋ",
    ],
    BodyTooShortOther = "body.too_short_other" => [
        core_en::BODY_TOO_SHORT_OTHER,
        "{n} और अक्षर जोड़ें",
        "{n} ਹੋਰ ਅੱਖਰ ਜੋੜੋ",
    ],
    BodyTooLongOne = "body.too_long_one" => [
        core_en::BODY_TOO_LONG_ONE,
        "1 अक्षर हटाएँ: सीमा {max} अक्षर है",
        "1 ਅੱਖਰ ਹਟਾਓ: ਸੀਮਾ {max} ਅੱਖਰ ਹੈ",
    ],
    BodyTooLongOther = "body.too_long_other" => [
        core_en::BODY_TOO_LONG_OTHER,
        "{n} अक्षर हटाएँ: सीमा {max} अक्षर है",
        "{n} ਅੱਖਰ ਹਟਾਓ: ਸੀਮਾ {max} ਅੱਖਰ ਹੈ",
    ],
    BodyControlCharacters = "body.control_characters" => [
        core_en::BODY_CONTROL_CHARACTERS,
        "अपनी टिप्पणी से कंट्रोल अक्षर (जैसे एस्केप कोड) हटाएँ",
        "ਆਪਣੀ ਟਿੱਪਣੀ ਵਿੱਚੋਂ ਕੰਟਰੋਲ ਅੱਖਰ (ਜਿਵੇਂ ਐਸਕੇਪ ਕੋਡ) ਹਟਾਓ",
    ],
    BodyStackedMarks = "body.stacked_marks" => [
        core_en::BODY_STACKED_MARKS,
        "आपकी टिप्पणी में किसी अक्षर पर बहुत अधिक चिह्न लगे हैं",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਵਿੱਚ ਕਿਸੇ ਅੱਖਰ ਉੱਤੇ ਬਹੁਤ ਜ਼ਿਆਦਾ ਚਿੰਨ੍ਹ ਲੱਗੇ ਹਨ",
    ],
    LoadFailed = "load_failed" => [
        "Comments could not be loaded.",
        "टिप्पणियाँ लोड नहीं हो सकीं।",
        "ਟਿੱਪਣੀਆਂ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕੀਆਂ।",
    ],
    PostFailed = "post_failed" => [
        "Your comment was not posted.",
        "आपकी टिप्पणी नहीं भेजी जा सकी।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਨਹੀਂ ਭੇਜੀ ਜਾ ਸਕੀ।",
    ],
    DraftKept = "draft_kept" => [
        "Your comment is still here, saved in this browser.",
        "आपकी टिप्पणी इसी ब्राउज़र में सुरक्षित है।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਇਸੇ ਬ੍ਰਾਊਜ਼ਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਹੈ।",
    ],
    Offline = "offline" => [
        "You appear to be offline. Check your connection and try again.",
        "आप ऑफ़लाइन लगते हैं। कनेक्शन जाँचकर फिर कोशिश करें।",
        "ਤੁਸੀਂ ਆਫ਼ਲਾਈਨ ਜਾਪਦੇ ਹੋ। ਕਨੈਕਸ਼ਨ ਜਾਂਚ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    Network = "network" => [
        "The comment service could not be reached. Try again in a moment.",
        "टिप्पणी सेवा तक नहीं पहुँच सके। थोड़ी देर में फिर कोशिश करें।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਤੱਕ ਨਹੀਂ ਪਹੁੰਚ ਸਕੇ। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    Timeout = "timeout" => [
        "The comment service took too long to answer. Try again in a moment.",
        "टिप्पणी सेवा ने जवाब देने में बहुत देर की। थोड़ी देर में फिर कोशिश करें।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਨੇ ਜਵਾਬ ਦੇਣ ਵਿੱਚ ਬਹੁਤ ਦੇਰ ਲਾਈ। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    RateLimited = "rate_limited" => [
        "Too many requests. Please wait {n} seconds and try again.",
        "बहुत ज़्यादा अनुरोध। {n} सेकंड रुककर फिर कोशिश करें।",
        "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। {n} ਸਕਿੰਟ ਰੁਕ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    RateLimitedSoon = "rate_limited_soon" => [
        "Too many requests. Please wait a moment and try again.",
        "बहुत ज़्यादा अनुरोध। थोड़ा रुककर फिर कोशिश करें।",
        "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। ਥੋੜ੍ਹਾ ਰੁਕ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    ServerError = "server_error" => [
        "The comment service had a problem (error {n}). Try again in a moment.",
        "टिप्पणी सेवा में समस्या हुई (त्रुटि {n})। थोड़ी देर में फिर कोशिश करें।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਵਿੱਚ ਸਮੱਸਿਆ ਆਈ (ਗਲਤੀ {n})। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    ClientError = "client_error" => [
        "The comment service refused the request (error {n}).",
        "टिप्पणी सेवा ने अनुरोध अस्वीकार कर दिया (त्रुटि {n})।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਨੇ ਬੇਨਤੀ ਨਾਮਨਜ਼ੂਰ ਕਰ ਦਿੱਤੀ (ਗਲਤੀ {n})।",
    ],
    BadResponse = "bad_response" => [
        "The comment service sent an answer this page cannot read.",
        "टिप्पणी सेवा से ऐसा जवाब मिला जिसे यह पेज पढ़ नहीं सकता।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਤੋਂ ਅਜਿਹਾ ਜਵਾਬ ਮਿਲਿਆ ਜੋ ਇਹ ਪੰਨਾ ਪੜ੍ਹ ਨਹੀਂ ਸਕਦਾ।",
    ],
    TooLarge = "too_large" => [
        "The comment service sent an answer too large to show.",
        "टिप्पणी सेवा का जवाब दिखाने के लिए बहुत बड़ा था।",
        "ਟਿੱਪਣੀ ਸੇਵਾ ਦਾ ਜਵਾਬ ਵਿਖਾਉਣ ਲਈ ਬਹੁਤ ਵੱਡਾ ਸੀ।",
    ],
    RateLimitedLater = "rate_limited_later" => [
        "Too many requests. Please try again later.",
        "बहुत ज़्यादा अनुरोध। कृपया बाद में फिर कोशिश करें।",
        "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। ਕਿਰਪਾ ਕਰਕੇ ਬਾਅਦ ਵਿੱਚ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    DraftNotSaved = "draft_not_saved" => [
        "This browser cannot save your comment (its storage is full or blocked), so it will be lost if you reload the page.",
        "यह ब्राउज़र आपकी टिप्पणी सहेज नहीं पा रहा (स्टोरेज भरा है या बंद है), इसलिए पेज दोबारा लोड करने पर यह मिट जाएगी।",
        "ਇਹ ਬ੍ਰਾਊਜ਼ਰ ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਸੰਭਾਲ ਨਹੀਂ ਪਾ ਰਿਹਾ (ਸਟੋਰੇਜ ਭਰੀ ਹੋਈ ਹੈ ਜਾਂ ਬੰਦ ਹੈ), ਇਸ ਲਈ ਪੰਨਾ ਦੁਬਾਰਾ ਲੋਡ ਕਰਨ ਨਾਲ ਇਹ ਮਿਟ ਜਾਵੇਗੀ।",
    ],
    ShowAll = "show_all" => [
        "Show all",
        "पूरी टिप्पणी दिखाएँ",
        "ਪੂਰੀ ਟਿੱਪਣੀ ਵੇਖੋ",
    ],
    ParentNotFound = "parent_id.not_found" => [
        core_en::PARENT_NOT_FOUND,
        "जिस टिप्पणी का आप जवाब दे रहे हैं, वह अब मौजूद नहीं है",
        "ਜਿਸ ਟਿੱਪਣੀ ਦਾ ਤੁਸੀਂ ਜਵਾਬ ਦੇ ਰਹੇ ਹੋ, ਉਹ ਹੁਣ ਮੌਜੂਦ ਨਹੀਂ ਹੈ",
    ],
    Recommend = "recommend" => [
        "Recommend",
        "पसंद करें",
        "ਪਸੰਦ ਕਰੋ",
    ],
    RecommendLabelOne = "recommend_label_one" => [
        "Recommend, 1 recommend: {name}'s comment",
        "पसंद करें, 1 पसंद: {name} की टिप्पणी",
        "ਪਸੰਦ ਕਰੋ, 1 ਪਸੰਦ: {name} ਦੀ ਟਿੱਪਣੀ",
    ],
    RecommendLabelOther = "recommend_label_other" => [
        "Recommend, {n} recommends: {name}'s comment",
        "पसंद करें, {n} पसंद: {name} की टिप्पणी",
        "ਪਸੰਦ ਕਰੋ, {n} ਪਸੰਦਾਂ: {name} ਦੀ ਟਿੱਪਣੀ",
    ],
    RecommendFailed = "recommend_failed" => [
        "Your recommend was not saved.",
        "आपकी पसंद सहेजी नहीं जा सकी।",
        "ਤੁਹਾਡੀ ਪਸੰਦ ਸੰਭਾਲੀ ਨਹੀਂ ਜਾ ਸਕੀ।",
    ],
    Edited = "edited" => [
        "Edited",
        "संपादित",
        "ਸੋਧੀ ਗਈ",
    ],
    Deleted = "deleted" => [
        "This comment was deleted",
        "यह टिप्पणी हटा दी गई है",
        "ਇਹ ਟਿੱਪਣੀ ਮਿਟਾ ਦਿੱਤੀ ਗਈ ਹੈ",
    ],
    ReplyingTo = "replying_to" => [
        "Replying to {name}",
        "{name} को जवाब",
        "{name} ਨੂੰ ਜਵਾਬ",
    ],
    RepliesTo = "replies_to" => [
        "Replies to {name}",
        "{name} को दिए गए जवाब",
        "{name} ਨੂੰ ਦਿੱਤੇ ਜਵਾਬ",
    ],
    MoreRepliesOne = "more_replies_one" => [
        "Show 1 more reply",
        "1 और जवाब देखें",
        "1 ਹੋਰ ਜਵਾਬ ਵੇਖੋ",
    ],
    MoreRepliesOther = "more_replies_other" => [
        "Show {n} more replies",
        "{n} और जवाब देखें",
        "{n} ਹੋਰ ਜਵਾਬ ਵੇਖੋ",
    ],
    RepliesFailed = "replies_failed" => [
        "The replies could not be loaded.",
        "जवाब लोड नहीं हो सके।",
        "ਜਵਾਬ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕੇ।",
    ],
    SortLabel = "sort_label" => [
        "Sort comments",
        "टिप्पणियाँ क्रम से लगाएँ",
        "ਟਿੱਪਣੀਆਂ ਦੀ ਤਰਤੀਬ",
    ],
    SortOldest = "sort_oldest" => [
        "Oldest first",
        "सबसे पुरानी पहले",
        "ਸਭ ਤੋਂ ਪੁਰਾਣੀਆਂ ਪਹਿਲਾਂ",
    ],
    SortNewest = "sort_newest" => [
        "Newest first",
        "सबसे नई पहले",
        "ਸਭ ਤੋਂ ਨਵੀਆਂ ਪਹਿਲਾਂ",
    ],
    SortTop = "sort_top" => [
        "Most recommended",
        "सबसे ज़्यादा पसंद की गई",
        "ਸਭ ਤੋਂ ਵੱਧ ਪਸੰਦ ਕੀਤੀਆਂ",
    ],
    SortedNow = "sorted_now" => [
        "Sorted: {name}",
        "क्रम बदला: {name}",
        "ਤਰਤੀਬ ਬਦਲੀ: {name}",
    ],
    SortFeatured = "sort_featured" => [
        "Featured",
        "चुनी हुई",
        "ਚੁਣੀਆਂ ਹੋਈਆਂ",
    ],
    Reply = "reply" => [
        "Reply",
        "जवाब दें",
        "ਜਵਾਬ ਦਿਓ",
    ],
    ReplyLabel = "reply_label" => [
        "Reply to {name}",
        "{name} को जवाब दें",
        "{name} ਨੂੰ ਜਵਾਬ ਦਿਓ",
    ],
    ReplyHeading = "reply_heading" => [
        "Reply to {name}",
        "{name} को जवाब दें",
        "{name} ਨੂੰ ਜਵਾਬ ਦਿਓ",
    ],
    Cancel = "cancel" => [
        "Cancel",
        "रद्द करें",
        "ਰੱਦ ਕਰੋ",
    ],
    Edit = "edit" => [
        "Edit",
        "बदलें",
        "ਬਦਲੋ",
    ],
    EditLabel = "edit_label" => [
        "Edit your comment",
        "अपनी टिप्पणी बदलें",
        "ਆਪਣੀ ਟਿੱਪਣੀ ਬਦਲੋ",
    ],
    EditHeading = "edit_heading" => [
        "Edit your comment",
        "अपनी टिप्पणी बदलें",
        "ਆਪਣੀ ਟਿੱਪਣੀ ਬਦਲੋ",
    ],
    Save = "save" => [
        "Save changes",
        "बदलाव सहेजें",
        "ਬਦਲਾਅ ਸੰਭਾਲੋ",
    ],
    Delete = "delete" => [
        "Delete",
        "हटाएँ",
        "ਮਿਟਾਓ",
    ],
    DeleteLabel = "delete_label" => [
        "Delete your comment",
        "अपनी टिप्पणी हटाएँ",
        "ਆਪਣੀ ਟਿੱਪਣੀ ਮਿਟਾਓ",
    ],
    Withdraw = "withdraw" => [
        "Withdraw",
        "वापस लें",
        "ਵਾਪਸ ਲਓ",
    ],
    WithdrawLabel = "withdraw_label" => [
        "Withdraw your comment before it is reviewed",
        "समीक्षा से पहले अपनी टिप्पणी वापस लें",
        "ਸਮੀਖਿਆ ਤੋਂ ਪਹਿਲਾਂ ਆਪਣੀ ਟਿੱਪਣੀ ਵਾਪਸ ਲਓ",
    ],
    DeleteQuestion = "delete_question" => [
        "Delete this comment? This cannot be undone.",
        "यह टिप्पणी हटाएँ? इसे वापस नहीं लाया जा सकेगा।",
        "ਇਹ ਟਿੱਪਣੀ ਮਿਟਾਉਣੀ ਹੈ? ਇਸਨੂੰ ਵਾਪਸ ਨਹੀਂ ਲਿਆਂਦਾ ਜਾ ਸਕੇਗਾ।",
    ],
    Keep = "keep" => [
        "Keep it",
        "रहने दें",
        "ਰਹਿਣ ਦਿਓ",
    ],
    DeleteFailed = "delete_failed" => [
        "Your comment was not deleted.",
        "आपकी टिप्पणी नहीं हटाई जा सकी।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਨਹੀਂ ਮਿਟਾਈ ਜਾ ਸਕੀ।",
    ],
    DeletedYours = "deleted_yours" => [
        "Your comment was deleted.",
        "आपकी टिप्पणी हटा दी गई।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਮਿਟਾ ਦਿੱਤੀ ਗਈ।",
    ],
    EditFailed = "edit_failed" => [
        "Your change was not saved.",
        "आपका बदलाव सहेजा नहीं जा सका।",
        "ਤੁਹਾਡਾ ਬਦਲਾਅ ਸੰਭਾਲਿਆ ਨਹੀਂ ਜਾ ਸਕਿਆ।",
    ],
    Closed = "closed" => [
        "Comments on this article are closed.",
        "इस लेख पर टिप्पणियाँ बंद हैं।",
        "ਇਸ ਲੇਖ 'ਤੇ ਟਿੱਪਣੀਆਂ ਬੰਦ ਹਨ।",
    ],
    // One word, as in English: the row's actions keep one line on a 360 px phone.
    Report = "report" => [
        "Report",
        "रिपोर्ट",
        "ਰਿਪੋਰਟ",
    ],
    ReportLabel = "report_label" => [
        "Report {name}'s comment",
        "{name} की टिप्पणी की रिपोर्ट करें",
        "{name} ਦੀ ਟਿੱਪਣੀ ਦੀ ਰਿਪੋਰਟ ਕਰੋ",
    ],
    ReportQuestion = "report_question" => [
        "Why should a moderator look at this comment?",
        "मॉडरेटर को यह टिप्पणी क्यों देखनी चाहिए?",
        "ਮਾਡਰੇਟਰ ਨੂੰ ਇਹ ਟਿੱਪਣੀ ਕਿਉਂ ਦੇਖਣੀ ਚਾਹੀਦੀ ਹੈ?",
    ],
    ReportSpam = "report_spam" => [
        "Spam or advertising",
        "स्पैम या विज्ञापन",
        "ਸਪੈਮ ਜਾਂ ਇਸ਼ਤਿਹਾਰ",
    ],
    ReportAbuse = "report_abuse" => [
        "Abusive or hateful",
        "अपमानजनक या नफ़रत भरी",
        "ਅਪਮਾਨਜਨਕ ਜਾਂ ਨਫ਼ਰਤ ਭਰੀ",
    ],
    ReportOther = "report_other" => [
        "Something else",
        "कुछ और",
        "ਕੁਝ ਹੋਰ",
    ],
    Reported = "reported" => [
        "Reported",
        "रिपोर्ट की गई",
        "ਰਿਪੋਰਟ ਕੀਤੀ ਗਈ",
    ],
    ReportThanks = "report_thanks" => [
        "Thank you. A moderator will look at this comment.",
        "धन्यवाद। एक मॉडरेटर इस टिप्पणी को देखेगा।",
        "ਧੰਨਵਾਦ। ਇੱਕ ਮਾਡਰੇਟਰ ਇਸ ਟਿੱਪਣੀ ਨੂੰ ਦੇਖੇਗਾ।",
    ],
    ReportFailed = "report_failed" => [
        "Your report was not sent.",
        "आपकी रिपोर्ट नहीं भेजी जा सकी।",
        "ਤੁਹਾਡੀ ਰਿਪੋਰਟ ਨਹੀਂ ਭੇਜੀ ਜਾ ਸਕੀ।",
    ],
    RejectedBadge = "rejected_badge" => [
        "Not published — only you can see this",
        "प्रकाशित नहीं हुई — इसे केवल आप देख सकते हैं",
        "ਪ੍ਰਕਾਸ਼ਿਤ ਨਹੀਂ ਹੋਈ — ਇਸ ਨੂੰ ਸਿਰਫ਼ ਤੁਸੀਂ ਵੇਖ ਸਕਦੇ ਹੋ",
    ],
    RejectedWhy = "rejected_why" => [
        "A moderator did not publish this comment. Reason: {name}.",
        "एक मॉडरेटर ने यह टिप्पणी प्रकाशित नहीं की। कारण: {name}।",
        "ਇੱਕ ਮਾਡਰੇਟਰ ਨੇ ਇਹ ਟਿੱਪਣੀ ਪ੍ਰਕਾਸ਼ਿਤ ਨਹੀਂ ਕੀਤੀ। ਕਾਰਨ: {name}।",
    ],
    RejectedNote = "rejected_note" => [
        "The moderator's note:",
        "मॉडरेटर की टिप्पणी:",
        "ਮਾਡਰੇਟਰ ਦਾ ਨੋਟ:",
    ],
    Guidelines = "guidelines" => [
        "Read the community guidelines",
        "समुदाय के दिशानिर्देश पढ़ें",
        "ਭਾਈਚਾਰੇ ਦੇ ਦਿਸ਼ਾ-ਨਿਰਦੇਸ਼ ਪੜ੍ਹੋ",
    ],
    ReasonOffTopic = "reason_off_topic" => [
        "Off-topic",
        "विषय से हटकर",
        "ਵਿਸ਼ੇ ਤੋਂ ਬਾਹਰ",
    ],
    ReasonAbuse = "reason_abuse" => [
        "Abusive or hateful",
        "अपमानजनक या नफ़रत भरी",
        "ਅਪਮਾਨਜਨਕ ਜਾਂ ਨਫ਼ਰਤ ਭਰੀ",
    ],
    ReasonSpam = "reason_spam" => [
        "Spam or advertising",
        "स्पैम या विज्ञापन",
        "ਸਪੈਮ ਜਾਂ ਇਸ਼ਤਿਹਾਰ",
    ],
    ReasonPersonalInformation = "reason_personal_information" => [
        "Shares personal information",
        "निजी जानकारी साझा करती है",
        "ਨਿੱਜੀ ਜਾਣਕਾਰੀ ਸਾਂਝੀ ਕਰਦੀ ਹੈ",
    ],
    ReasonMisinformation = "reason_misinformation" => [
        "Misinformation",
        "भ्रामक जानकारी",
        "ਗੁੰਮਰਾਹਕੁੰਨ ਜਾਣਕਾਰੀ",
    ],
    ReasonDuplicate = "reason_duplicate" => [
        "A duplicate of another comment",
        "किसी दूसरी टिप्पणी की नकल",
        "ਕਿਸੇ ਹੋਰ ਟਿੱਪਣੀ ਦੀ ਨਕਲ",
    ],
    ReasonOther = "reason_other" => [
        "Other",
        "अन्य",
        "ਹੋਰ",
    ],
    PublishedYours = "published_yours" => [
        "Your comment was published.",
        "आपकी टिप्पणी प्रकाशित हो गई।",
        "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਪ੍ਰਕਾਸ਼ਿਤ ਹੋ ਗਈ।",
    ],
    HoldsLinks = "holds_links" => [
        "Comments with links are reviewed by a moderator before they appear.",
        "लिंक वाली टिप्पणियाँ दिखने से पहले मॉडरेटर द्वारा जाँची जाती हैं।",
        "ਲਿੰਕ ਵਾਲੀਆਂ ਟਿੱਪਣੀਆਂ ਦਿਸਣ ਤੋਂ ਪਹਿਲਾਂ ਮਾਡਰੇਟਰ ਵੱਲੋਂ ਜਾਂਚੀਆਂ ਜਾਂਦੀਆਂ ਹਨ।",
    ],
    HoldsFirst = "holds_first" => [
        "Your first comment, and comments with links, are reviewed by a moderator before they appear.",
        "आपकी पहली टिप्पणी और लिंक वाली टिप्पणियाँ दिखने से पहले मॉडरेटर द्वारा जाँची जाती हैं।",
        "ਤੁਹਾਡੀ ਪਹਿਲੀ ਟਿੱਪਣੀ ਅਤੇ ਲਿੰਕ ਵਾਲੀਆਂ ਟਿੱਪਣੀਆਂ ਦਿਸਣ ਤੋਂ ਪਹਿਲਾਂ ਮਾਡਰੇਟਰ ਵੱਲੋਂ ਜਾਂਚੀਆਂ ਜਾਂਦੀਆਂ ਹਨ।",
    ],
    MoreCommentsShownOne = "more_comments_shown_one" => [
        "Showing 1 more comment",
        "1 और टिप्पणी दिखाई गई",
        "1 ਹੋਰ ਟਿੱਪਣੀ ਵਿਖਾਈ ਗਈ",
    ],
    MoreCommentsShownOther = "more_comments_shown_other" => [
        "Showing {n} more comments",
        "{n} और टिप्पणियाँ दिखाई गईं",
        "{n} ਹੋਰ ਟਿੱਪਣੀਆਂ ਵਿਖਾਈਆਂ ਗਈਆਂ",
    ],
    MoreRepliesShownOne = "more_replies_shown_one" => [
        "Showing 1 more reply",
        "1 और जवाब दिखाया गया",
        "1 ਹੋਰ ਜਵਾਬ ਵਿਖਾਇਆ ਗਿਆ",
    ],
    MoreRepliesShownOther = "more_replies_shown_other" => [
        "Showing {n} more replies",
        "{n} और जवाब दिखाए गए",
        "{n} ਹੋਰ ਜਵਾਬ ਵਿਖਾਏ ਗਏ",
    ],
    FeaturedBadge = "featured_badge" => [
        "Featured",
        "संपादक की पसंद",
        "ਸੰਪਾਦਕ ਦੀ ਪਸੰਦ",
    ],
    StaffBadge = "staff_badge" => [
        "Staff",
        "संपादकीय टीम",
        "ਸੰਪਾਦਕੀ ਟੀਮ",
    ],
    HoldsAll = "holds_all" => [
        "Every comment is reviewed by a moderator before it appears.",
        "हर टिप्पणी दिखने से पहले मॉडरेटर द्वारा जाँची जाती है।",
        "ਹਰ ਟਿੱਪਣੀ ਦਿਸਣ ਤੋਂ ਪਹਿਲਾਂ ਮਾਡਰੇਟਰ ਵੱਲੋਂ ਜਾਂਚੀ ਜਾਂਦੀ ਹੈ।",
    ],
    Required = "required" => [
        "(required)",
        "(ज़रूरी)",
        "(ਲਾਜ਼ਮੀ)",
    ],
    ReplyBodyLabel = "reply_body_label" => [
        "Your reply to {name}",
        "{name} को आपका जवाब",
        "{name} ਨੂੰ ਤੁਹਾਡਾ ਜਵਾਬ",
    ],
    EditSaved = "edit_saved" => [
        "Your changes were saved.",
        "आपके बदलाव सहेज लिए गए।",
        "ਤੁਹਾਡੀਆਂ ਤਬਦੀਲੀਆਂ ਸੰਭਾਲ ਲਈਆਂ ਗਈਆਂ।",
    ],
    SendReport = "send_report" => [
        "Send report",
        "रिपोर्ट भेजें",
        "ਰਿਪੋਰਟ ਭੇਜੋ",
    ],
    ReportChoose = "report_choose" => [
        "Choose a reason first.",
        "पहले कोई कारण चुनें।",
        "ਪਹਿਲਾਂ ਕੋਈ ਕਾਰਨ ਚੁਣੋ।",
    ],
    WriteComment = "write_comment" => [
        "Write a comment",
        "टिप्पणी लिखने जाएँ",
        "ਟਿੱਪਣੀ ਲਿਖਣ ਜਾਓ",
    ],
    PostingAs = "posting_as" => [
        "Posting as {name}",
        "{name} के रूप में भेज रहे हैं",
        "{name} ਵਜੋਂ ਭੇਜ ਰਹੇ ਹੋ",
    ],
    ChangeName = "change_name" => [
        "Change name",
        "नाम बदलें",
        "ਨਾਮ ਬਦਲੋ",
    ],
    MoreActions = "more_actions" => [
        "More",
        "और",
        "ਹੋਰ",
    ],
    WriterFailed = "writer_failed" => [
        "The comment form could not be loaded. Your words are kept here: check your connection and try again.",
        "टिप्पणी फ़ॉर्म लोड नहीं हो सका। आपके शब्द यहीं सुरक्षित हैं: कनेक्शन जाँचकर फिर कोशिश करें।",
        "ਟਿੱਪਣੀ ਫ਼ਾਰਮ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕਿਆ। ਤੁਹਾਡੇ ਸ਼ਬਦ ਇੱਥੇ ਸੁਰੱਖਿਅਤ ਹਨ: ਕਨੈਕਸ਼ਨ ਜਾਂਚ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
    ],
    SignIn = "sign_in" => [
        "Sign in to comment",
        "टिप्पणी करने के लिए साइन इन करें",
        "ਟਿੱਪਣੀ ਕਰਨ ਲਈ ਸਾਈਨ ਇਨ ਕਰੋ",
    ],
    VerifiedBadge = "verified_badge" => [
        "Verified",
        "सत्यापित",
        "ਪ੍ਰਮਾਣਿਤ",
    ],
    SignInExpired = "sign_in_expired" => [
        "Your sign-in has expired. Reload the page to sign in again.",
        "आपका साइन-इन समाप्त हो गया है। दोबारा साइन इन करने के लिए पेज फिर से लोड करें।",
        "ਤੁਹਾਡਾ ਸਾਈਨ-ਇਨ ਖ਼ਤਮ ਹੋ ਗਿਆ ਹੈ। ਦੁਬਾਰਾ ਸਾਈਨ ਇਨ ਕਰਨ ਲਈ ਪੰਨਾ ਮੁੜ ਲੋਡ ਕਰੋ।",
    ],
    SignInInvalid = "sign_in_invalid" => [
        "Your sign-in could not be checked. Reload the page to sign in again.",
        "आपके साइन-इन की जाँच नहीं हो सकी। दोबारा साइन इन करने के लिए पेज फिर से लोड करें।",
        "ਤੁਹਾਡੇ ਸਾਈਨ-ਇਨ ਦੀ ਜਾਂਚ ਨਹੀਂ ਹੋ ਸਕੀ। ਦੁਬਾਰਾ ਸਾਈਨ ਇਨ ਕਰਨ ਲਈ ਪੰਨਾ ਮੁੜ ਲੋਡ ਕਰੋ।",
    ],
    AccountSuspended = "account_suspended" => [
        "Your account may not comment for now. The moderators' reason: {reason}",
        "आपका खाता अभी टिप्पणी नहीं कर सकता। मॉडरेटरों का कारण: {reason}",
        "ਤੁਹਾਡਾ ਖਾਤਾ ਹਾਲੇ ਟਿੱਪਣੀ ਨਹੀਂ ਕਰ ਸਕਦਾ। ਮਾਡਰੇਟਰਾਂ ਦਾ ਕਾਰਨ: {reason}",
    ],
    AccountBanned = "account_banned" => [
        "Your account may no longer comment. The moderators' reason: {reason}",
        "आपका खाता अब टिप्पणी नहीं कर सकता। मॉडरेटरों का कारण: {reason}",
        "ਤੁਹਾਡਾ ਖਾਤਾ ਹੁਣ ਟਿੱਪਣੀ ਨਹੀਂ ਕਰ ਸਕਦਾ। ਮਾਡਰੇਟਰਾਂ ਦਾ ਕਾਰਨ: {reason}",
    ],
    NotifyLabel = "notify_label" => [
        "E-mail me at {email} when someone replies or a moderator decides",
        "किसी के जवाब देने या मॉडरेटर के निर्णय पर मुझे {email} पर ई-मेल करें",
        "ਕਿਸੇ ਦੇ ਜਵਾਬ ਦੇਣ ਜਾਂ ਮਾਡਰੇਟਰ ਦੇ ਫ਼ੈਸਲੇ 'ਤੇ ਮੈਨੂੰ {email} 'ਤੇ ਈ-ਮੇਲ ਕਰੋ",
    ],
    SignInRequired = "sign_in_required" => [
        "Sign in to comment, recommend or report. Your words are kept here.",
        "टिप्पणी, सिफ़ारिश या रिपोर्ट के लिए साइन इन करें। आपके शब्द यहीं सुरक्षित हैं।",
        "ਟਿੱਪਣੀ, ਸਿਫ਼ਾਰਸ਼ ਜਾਂ ਰਿਪੋਰਟ ਲਈ ਸਾਈਨ ਇਨ ਕਰੋ। ਤੁਹਾਡੇ ਸ਼ਬਦ ਇੱਥੇ ਸੁਰੱਖਿਅਤ ਹਨ।",
    ],
}

/// The words of an order in the sort control.
pub fn sort_key(sort: reader_comments_core::Sort) -> Key {
    use reader_comments_core::Sort;
    match sort {
        Sort::Oldest => Key::SortOldest,
        Sort::Newest => Key::SortNewest,
        Sort::Top => Key::SortTop,
        Sort::Featured => Key::SortFeatured,
    }
}

/// "Showing 1 more comment" / "Showing {n} more comments", after "Load more".
pub const MORE_COMMENTS_SHOWN: Plural = [Key::MoreCommentsShownOne, Key::MoreCommentsShownOther];
/// "Showing 1 more reply" / "Showing {n} more replies", after "Show N more replies".
pub const MORE_REPLIES_SHOWN: Plural = [Key::MoreRepliesShownOne, Key::MoreRepliesShownOther];

/// The words of each rejection reason's code (contract v1.2), in the order of the core's
/// `REJECT_REASONS`.
pub const REASONS: [Key; 7] = [
    Key::ReasonOffTopic,
    Key::ReasonAbuse,
    Key::ReasonSpam,
    Key::ReasonPersonalInformation,
    Key::ReasonMisinformation,
    Key::ReasonDuplicate,
    Key::ReasonOther,
];

impl Key {
    /// The key named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// A singular and a plural form, chosen by a count.
pub type Plural = [Key; 2];
/// "You need 1 more character" / "You need {n} more characters".
pub const COUNT_BELOW: Plural = [Key::CountBelowOne, Key::CountBelowOther];
/// "You have 1 character remaining" / "… {n} characters remaining".
pub const COUNT_REMAINING: Plural = [Key::CountRemainingOne, Key::CountRemainingOther];
/// "You have 1 character too many" / "… {n} characters too many".
pub const COUNT_OVER: Plural = [Key::CountOverOne, Key::CountOverOther];

/// The built-in languages, in the order of each row of the strings' table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, the fallback for every other language.
    #[default]
    En,
    /// Hindi.
    Hi,
    /// Punjabi (Gurmukhi).
    Pa,
}

/// The text of one widget: a built-in language and the site's overrides. Cheap to
/// clone (the overrides are shared).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Strings {
    lang: Lang,
    overrides: Arc<[(Key, String)]>,
}

impl Strings {
    /// The built-in strings for a BCP 47 locale ("hi", "pa-IN", "en-GB"), English for
    /// every other language.
    pub fn for_locale(locale: &str) -> Self {
        let lang = locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let lang = match lang.as_str() {
            "hi" => Lang::Hi,
            "pa" => Lang::Pa,
            _ => Lang::En,
        };
        Strings { lang, overrides: Arc::new([]) }
    }

    /// The language the strings are in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Replaces strings with a site's own.
    pub fn with_overrides(mut self, overrides: Vec<(Key, String)>) -> Self {
        self.overrides = overrides.into();
        self
    }

    fn text(&self, key: Key) -> &str {
        if let Some((_, v)) = self.overrides.iter().find(|(k, _)| *k == key) {
            return v;
        }
        TEXTS[key as usize][self.lang as usize]
    }

    /// The text for `key`.
    pub fn get(&self, key: Key) -> String {
        self.text(key).to_string()
    }

    /// The text for `key` with `{n}` (and `{min}`) replaced by `n`.
    pub fn with_n(&self, key: Key, n: usize) -> String {
        let n = n.to_string();
        self.text(key).replace("{n}", &n).replace("{min}", &n)
    }

    /// The singular or plural text for `n`.
    pub fn plural(&self, [one, other]: Plural, n: usize) -> String {
        self.with_n(if n == 1 { one } else { other }, n)
    }

    /// The message for a refused field, in this language: the translation of
    /// `field.code` (singular or plural by the amount) with the amount and limit filled
    /// in; `fallback` (the endpoint's own message) for a code the widget does not know.
    pub fn field_error(
        &self,
        field: &str,
        code: &str,
        amount: Option<usize>,
        limit: Option<usize>,
        fallback: &str,
    ) -> String {
        let form = if amount == Some(1) { "_one" } else { "_other" };
        let key =
            Key::from_name(&format!("{field}.{code}{form}")).or_else(|| Key::from_name(&format!("{field}.{code}")));
        match key {
            // A counted message needs its count; without one, the endpoint's words.
            Some(key) if amount.is_some() || !self.text(key).contains("{n}") => {
                reader_comments_core::fill(self.text(key), amount, limit)
            }
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
        assert_eq!(s.get(Key::Heading), "Reader Comments");
        assert_eq!(s.get(Key::FormHeading), "Leave a Comment");
        assert_eq!(s.with_n(Key::Hint, 50), "Minimum 50 characters");
    }

    #[test]
    fn hindi_and_punjabi_are_built_in_and_other_languages_get_english() {
        assert_eq!(Strings::for_locale("hi-IN").get(Key::Submit), "टिप्पणी भेजें");
        assert_eq!(Strings::for_locale("pa").get(Key::Submit), "ਟਿੱਪਣੀ ਭੇਜੋ");
        assert_eq!(Strings::for_locale("fr").get(Key::Submit), "Post Comment");
    }

    #[test]
    fn every_language_has_its_own_text_for_every_key_with_the_same_placeholders() {
        for lang in ["hi", "pa"] {
            let s = Strings::for_locale(lang);
            for key in Key::ALL {
                let (text, en) = (s.get(*key), Strings::default().get(*key));
                assert!(!text.is_empty() && text != en, "{lang} {}: {text}", key.name());
                for placeholder in ["{n}", "{min}", "{max}", "{name}"] {
                    assert_eq!(text.contains(placeholder), en.contains(placeholder), "{lang} {}", key.name());
                }
            }
        }
    }

    #[test]
    fn every_key_has_a_unique_name_that_reads_back() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(*key));
        }
        assert_eq!(Key::from_name("sbumit"), None);
    }

    #[test]
    fn the_documented_keys_are_exactly_the_keys() {
        let docs = include_str!("../docs/theming.md");
        let list = docs.split("The keys:").nth(1).expect("theming.md lists the keys");
        let documented: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
        let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(documented, names);
    }

    #[test]
    fn every_rejection_reason_has_the_servers_english_words_under_its_own_key() {
        let s = Strings::default();
        for ((code, words), key) in reader_comments_core::REJECT_REASONS.iter().zip(REASONS) {
            assert_eq!((key.name().strip_prefix("reason_"), s.get(key).as_str()), (Some(*code), *words));
        }
    }

    #[test]
    fn overrides_win_over_every_language() {
        let s = Strings::for_locale("hi").with_overrides(vec![(Key::Submit, "Send".into())]);
        assert_eq!(s.get(Key::Submit), "Send");
    }

    #[test]
    fn plurals_pick_the_right_form() {
        let s = Strings::default();
        assert_eq!(s.plural(COUNT_BELOW, 1), "You need 1 more character");
        assert_eq!(s.plural(COUNT_BELOW, 7), "You need 7 more characters");
    }

    #[test]
    fn english_field_errors_are_the_cores_messages() {
        use reader_comments_core::{validate_author, validate_body, Limits};
        let s = Strings::default();
        let errors = [
            validate_body(&"a".repeat(49), Limits::default()),
            validate_body(&"a".repeat(12), Limits { min_length: 1, max_length: 10 }),
            validate_body("", Limits::default()),
            validate_author(&"x".repeat(81)),
            validate_author("a\nb"),
        ];
        for e in errors.into_iter().flatten() {
            assert_eq!(s.field_error(e.field, e.code, e.amount, e.limit, "x"), e.message(), "{}.{}", e.field, e.code);
        }
    }

    #[test]
    fn field_errors_are_translated_with_their_amounts_or_fall_back_to_the_endpoints_words() {
        let hi = Strings::for_locale("hi");
        assert_eq!(hi.field_error("body", "too_long", Some(3), Some(5000), "x"), "3 अक्षर हटाएँ: सीमा 5000 अक्षर है");
        assert_eq!(hi.field_error("body", "too_short", Some(1), Some(50), "x"), "1 और अक्षर जोड़ें");
        let s = Strings::default();
        assert_eq!(s.field_error("body", "spam", None, None, "Looks like spam"), "Looks like spam");
        assert_eq!(s.field_error("body", "too_short", None, None, "Too short"), "Too short", "no amount to show");
    }
}
