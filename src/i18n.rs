//! Every string a reader sees, in English, Hindi and Punjabi, and the site's overrides.
//! Keys are an enum, so a misspelt key does not compile, and each language is a match
//! over every key, so a language without a string does not compile either. The English
//! validation messages are the core's own (`reader_comments_core::validate::messages`),
//! the ones the server sends; the translations are keyed by the same field and code.

use reader_comments_core::validate::messages as core_en;
use std::sync::Arc;

macro_rules! keys {
    ($($variant:ident = $name:literal,)*) => {
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
                match self {
                    $(Key::$variant => $name,)*
                }
            }
        }
    };
}

keys! {
    Heading = "heading",
    Guideline = "guideline",
    FormHeading = "form_heading",
    NameLabel = "name_label",
    BodyLabel = "body_label",
    Hint = "hint",
    Submit = "submit",
    Posting = "posting",
    PostingWait = "posting_wait",
    Loading = "loading",
    Empty = "empty",
    Retry = "retry",
    LoadMore = "load_more",
    LoadingMore = "loading_more",
    PendingBadge = "pending_badge",
    Posted = "posted",
    PostedPending = "posted_pending",
    ErrorPrefix = "error_prefix",
    CountBelowOne = "count_below_one",
    CountBelowOther = "count_below_other",
    CountReached = "count_reached",
    CountRemainingOne = "count_remaining_one",
    CountRemainingOther = "count_remaining_other",
    CountOverOne = "count_over_one",
    CountOverOther = "count_over_other",
    AuthorRequired = "author.required",
    AuthorTooLongOne = "author.too_long_one",
    AuthorTooLongOther = "author.too_long_other",
    AuthorControlCharacters = "author.control_characters",
    AuthorStackedMarks = "author.stacked_marks",
    BodyRequired = "body.required",
    BodyTooShortOne = "body.too_short_one",
    BodyTooShortOther = "body.too_short_other",
    BodyTooLongOne = "body.too_long_one",
    BodyTooLongOther = "body.too_long_other",
    BodyControlCharacters = "body.control_characters",
    BodyStackedMarks = "body.stacked_marks",
    LoadFailed = "load_failed",
    PostFailed = "post_failed",
    DraftKept = "draft_kept",
    Offline = "offline",
    Network = "network",
    Timeout = "timeout",
    RateLimited = "rate_limited",
    RateLimitedSoon = "rate_limited_soon",
    ServerError = "server_error",
    ClientError = "client_error",
    BadResponse = "bad_response",
    TooLarge = "too_large",
    RateLimitedLater = "rate_limited_later",
    DraftNotSaved = "draft_not_saved",
    ShowAll = "show_all",
    ParentNotFound = "parent_id.not_found",
    Recommend = "recommend",
    RecommendLabelOne = "recommend_label_one",
    RecommendLabelOther = "recommend_label_other",
    RecommendFailed = "recommend_failed",
    Edited = "edited",
    Deleted = "deleted",
    ReplyingTo = "replying_to",
    RepliesTo = "replies_to",
    MoreRepliesOne = "more_replies_one",
    MoreRepliesOther = "more_replies_other",
    RepliesFailed = "replies_failed",
    SortLabel = "sort_label",
    SortOldest = "sort_oldest",
    SortNewest = "sort_newest",
    SortTop = "sort_top",
    Reply = "reply",
    ReplyLabel = "reply_label",
    ReplyHeading = "reply_heading",
    Cancel = "cancel",
    Edit = "edit",
    EditLabel = "edit_label",
    EditHeading = "edit_heading",
    Save = "save",
    Delete = "delete",
    DeleteLabel = "delete_label",
    DeleteQuestion = "delete_question",
    Keep = "keep",
    DeleteFailed = "delete_failed",
    DeletedYours = "deleted_yours",
    EditFailed = "edit_failed",
    Closed = "closed",
    Report = "report",
    ReportLabel = "report_label",
    ReportQuestion = "report_question",
    ReportSpam = "report_spam",
    ReportAbuse = "report_abuse",
    ReportOther = "report_other",
    Reported = "reported",
    ReportThanks = "report_thanks",
    ReportFailed = "report_failed",
}

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

/// The built-in languages.
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

fn english(key: Key) -> &'static str {
    use Key::*;
    match key {
        Heading => "Reader Comments",
        Guideline => {
            "We welcome thoughtful discussions from our readers. Please keep comments respectful and on-topic."
        }
        FormHeading => "Leave a Comment",
        NameLabel => "Your name",
        BodyLabel => "Your comment",
        Hint => "Minimum {min} characters",
        Submit => "Post Comment",
        Posting => "Posting…",
        PostingWait => "Your comment is being posted. Please wait.",
        Loading => "Loading comments…",
        Empty => "No comments yet. Be the first to share your thoughts.",
        Retry => "Try again",
        LoadMore => "Load more comments",
        LoadingMore => "Loading more comments…",
        PendingBadge => "Awaiting moderation",
        Posted => "Thank you. Your comment has been posted.",
        PostedPending => "Thank you. Your comment is awaiting moderation and will appear once it is approved.",
        ErrorPrefix => "Error:",
        CountBelowOne => "You need 1 more character",
        CountBelowOther => "You need {n} more characters",
        CountReached => "Minimum reached: {n} characters",
        CountRemainingOne => "You have 1 character remaining",
        CountRemainingOther => "You have {n} characters remaining",
        CountOverOne => "You have 1 character too many",
        CountOverOther => "You have {n} characters too many",
        AuthorRequired => core_en::AUTHOR_REQUIRED,
        AuthorTooLongOne => core_en::AUTHOR_TOO_LONG_ONE,
        AuthorTooLongOther => core_en::AUTHOR_TOO_LONG_OTHER,
        AuthorControlCharacters => core_en::AUTHOR_CONTROL_CHARACTERS,
        AuthorStackedMarks => core_en::AUTHOR_STACKED_MARKS,
        BodyRequired => core_en::BODY_REQUIRED,
        BodyTooShortOne => core_en::BODY_TOO_SHORT_ONE,
        BodyTooShortOther => core_en::BODY_TOO_SHORT_OTHER,
        BodyTooLongOne => core_en::BODY_TOO_LONG_ONE,
        BodyTooLongOther => core_en::BODY_TOO_LONG_OTHER,
        BodyControlCharacters => core_en::BODY_CONTROL_CHARACTERS,
        BodyStackedMarks => core_en::BODY_STACKED_MARKS,
        LoadFailed => "Comments could not be loaded.",
        PostFailed => "Your comment was not posted.",
        DraftKept => "Your comment is still here, saved in this browser.",
        Offline => "You appear to be offline. Check your connection and try again.",
        Network => "The comment service could not be reached. Try again in a moment.",
        Timeout => "The comment service took too long to answer. Try again in a moment.",
        RateLimited => "Too many requests. Please wait {n} seconds and try again.",
        RateLimitedSoon => "Too many requests. Please wait a moment and try again.",
        ServerError => "The comment service had a problem (error {n}). Try again in a moment.",
        ClientError => "The comment service refused the request (error {n}).",
        BadResponse => "The comment service sent an answer this page cannot read.",
        TooLarge => "The comment service sent an answer too large to show.",
        RateLimitedLater => "Too many requests. Please try again later.",
        DraftNotSaved => "This browser cannot save your comment (its storage is full or blocked), so it will be lost if you reload the page.",
        ShowAll => "Show all",
        ParentNotFound => core_en::PARENT_NOT_FOUND,
        Recommend => "Recommend",
        RecommendLabelOne => "Recommend {name}'s comment, 1 recommend",
        RecommendLabelOther => "Recommend {name}'s comment, {n} recommends",
        RecommendFailed => "Your recommend was not saved.",
        Edited => "Edited",
        Deleted => "This comment was deleted",
        ReplyingTo => "Replying to {name}",
        RepliesTo => "Replies to {name}",
        MoreRepliesOne => "Show 1 more reply",
        MoreRepliesOther => "Show {n} more replies",
        RepliesFailed => "The replies could not be loaded.",
        SortLabel => "Sort comments",
        SortOldest => "Oldest first",
        SortNewest => "Newest first",
        SortTop => "Most recommended",
        Reply => "Reply",
        ReplyLabel => "Reply to {name}",
        ReplyHeading => "Reply to {name}",
        Cancel => "Cancel",
        Edit => "Edit",
        EditLabel => "Edit your comment",
        EditHeading => "Edit your comment",
        Save => "Save changes",
        Delete => "Delete",
        DeleteLabel => "Delete your comment",
        DeleteQuestion => "Delete this comment? This cannot be undone.",
        Keep => "Keep it",
        DeleteFailed => "Your comment was not deleted.",
        DeletedYours => "Your comment was deleted.",
        EditFailed => "Your change was not saved.",
        Closed => "Comments on this article are closed.",
        Report => "Report",
        ReportLabel => "Report {name}'s comment",
        ReportQuestion => "Why should a moderator look at this comment?",
        ReportSpam => "Spam or advertising",
        ReportAbuse => "Abusive or hateful",
        ReportOther => "Something else",
        Reported => "Reported",
        ReportThanks => "Thank you. A moderator will look at this comment.",
        ReportFailed => "Your report was not sent.",
    }
}

fn hindi(key: Key) -> &'static str {
    use Key::*;
    match key {
        Heading => "पाठकों की टिप्पणियाँ",
        Guideline => "हम अपने पाठकों की विचारशील चर्चा का स्वागत करते हैं। कृपया टिप्पणियाँ सम्मानजनक और विषय पर रखें।",
        FormHeading => "टिप्पणी लिखें",
        NameLabel => "आपका नाम",
        BodyLabel => "आपकी टिप्पणी",
        Hint => "कम से कम {min} अक्षर",
        Submit => "टिप्पणी भेजें",
        Posting => "भेजी जा रही है…",
        PostingWait => "आपकी टिप्पणी भेजी जा रही है। कृपया प्रतीक्षा करें।",
        Loading => "टिप्पणियाँ लोड हो रही हैं…",
        Empty => "अभी कोई टिप्पणी नहीं है। पहली टिप्पणी आप लिखें।",
        Retry => "फिर से कोशिश करें",
        LoadMore => "और टिप्पणियाँ देखें",
        LoadingMore => "और टिप्पणियाँ लोड हो रही हैं…",
        PendingBadge => "समीक्षा की प्रतीक्षा में",
        Posted => "धन्यवाद। आपकी टिप्पणी प्रकाशित हो गई है।",
        PostedPending => "धन्यवाद। आपकी टिप्पणी समीक्षा की प्रतीक्षा में है और स्वीकृति के बाद दिखेगी।",
        ErrorPrefix => "त्रुटि:",
        CountBelowOne => "1 और अक्षर चाहिए",
        CountBelowOther => "{n} और अक्षर चाहिए",
        CountReached => "न्यूनतम सीमा पूरी: {n} अक्षर",
        CountRemainingOne => "1 अक्षर बाकी है",
        CountRemainingOther => "{n} अक्षर बाकी हैं",
        CountOverOne => "1 अक्षर ज़्यादा है",
        CountOverOther => "{n} अक्षर ज़्यादा हैं",
        AuthorRequired => "अपना नाम लिखें",
        AuthorTooLongOne => "आपका नाम {max} अक्षरों से लंबा नहीं हो सकता: 1 अक्षर हटाएँ",
        AuthorTooLongOther => "आपका नाम {max} अक्षरों से लंबा नहीं हो सकता: {n} अक्षर हटाएँ",
        AuthorControlCharacters => "आपका नाम एक ही पंक्ति में होना चाहिए",
        AuthorStackedMarks => "आपके नाम में किसी अक्षर पर बहुत अधिक चिह्न लगे हैं",
        BodyRequired => "अपनी टिप्पणी लिखें",
        BodyTooShortOne => "1 और अक्षर जोड़ें",
        BodyTooShortOther => "{n} और अक्षर जोड़ें",
        BodyTooLongOne => "1 अक्षर हटाएँ: सीमा {max} अक्षर है",
        BodyTooLongOther => "{n} अक्षर हटाएँ: सीमा {max} अक्षर है",
        BodyControlCharacters => "अपनी टिप्पणी से कंट्रोल अक्षर (जैसे एस्केप कोड) हटाएँ",
        BodyStackedMarks => "आपकी टिप्पणी में किसी अक्षर पर बहुत अधिक चिह्न लगे हैं",
        LoadFailed => "टिप्पणियाँ लोड नहीं हो सकीं।",
        PostFailed => "आपकी टिप्पणी नहीं भेजी जा सकी।",
        DraftKept => "आपकी टिप्पणी इसी ब्राउज़र में सुरक्षित है।",
        Offline => "आप ऑफ़लाइन लगते हैं। कनेक्शन जाँचकर फिर कोशिश करें।",
        Network => "टिप्पणी सेवा तक नहीं पहुँच सके। थोड़ी देर में फिर कोशिश करें।",
        Timeout => "टिप्पणी सेवा ने जवाब देने में बहुत देर की। थोड़ी देर में फिर कोशिश करें।",
        RateLimited => "बहुत ज़्यादा अनुरोध। {n} सेकंड रुककर फिर कोशिश करें।",
        RateLimitedSoon => "बहुत ज़्यादा अनुरोध। थोड़ा रुककर फिर कोशिश करें।",
        ServerError => "टिप्पणी सेवा में समस्या हुई (त्रुटि {n})। थोड़ी देर में फिर कोशिश करें।",
        ClientError => "टिप्पणी सेवा ने अनुरोध अस्वीकार कर दिया (त्रुटि {n})।",
        BadResponse => "टिप्पणी सेवा से ऐसा जवाब मिला जिसे यह पेज पढ़ नहीं सकता।",
        TooLarge => "टिप्पणी सेवा का जवाब दिखाने के लिए बहुत बड़ा था।",
        RateLimitedLater => "बहुत ज़्यादा अनुरोध। कृपया बाद में फिर कोशिश करें।",
        DraftNotSaved => {
            "यह ब्राउज़र आपकी टिप्पणी सहेज नहीं पा रहा (स्टोरेज भरा है या बंद है), इसलिए पेज दोबारा लोड करने पर यह मिट जाएगी।"
        }
        ShowAll => "पूरी टिप्पणी दिखाएँ",
        ParentNotFound => "जिस टिप्पणी का आप जवाब दे रहे हैं, वह अब मौजूद नहीं है",
        Recommend => "पसंद करें",
        RecommendLabelOne => "{name} की टिप्पणी पसंद करें, 1 पसंद",
        RecommendLabelOther => "{name} की टिप्पणी पसंद करें, {n} पसंद",
        RecommendFailed => "आपकी पसंद सहेजी नहीं जा सकी।",
        Edited => "संपादित",
        Deleted => "यह टिप्पणी हटा दी गई है",
        ReplyingTo => "{name} को जवाब",
        RepliesTo => "{name} को दिए गए जवाब",
        MoreRepliesOne => "1 और जवाब देखें",
        MoreRepliesOther => "{n} और जवाब देखें",
        RepliesFailed => "जवाब लोड नहीं हो सके।",
        SortLabel => "टिप्पणियाँ क्रम से लगाएँ",
        SortOldest => "सबसे पुरानी पहले",
        SortNewest => "सबसे नई पहले",
        SortTop => "सबसे ज़्यादा पसंद की गई",
        Reply => "जवाब दें",
        ReplyLabel => "{name} को जवाब दें",
        ReplyHeading => "{name} को जवाब दें",
        Cancel => "रद्द करें",
        Edit => "बदलें",
        EditLabel => "अपनी टिप्पणी बदलें",
        EditHeading => "अपनी टिप्पणी बदलें",
        Save => "बदलाव सहेजें",
        Delete => "हटाएँ",
        DeleteLabel => "अपनी टिप्पणी हटाएँ",
        DeleteQuestion => "यह टिप्पणी हटाएँ? इसे वापस नहीं लाया जा सकेगा।",
        Keep => "रहने दें",
        DeleteFailed => "आपकी टिप्पणी नहीं हटाई जा सकी।",
        DeletedYours => "आपकी टिप्पणी हटा दी गई।",
        EditFailed => "आपका बदलाव सहेजा नहीं जा सका।",
        Closed => "इस लेख पर टिप्पणियाँ बंद हैं।",
        Report => "रिपोर्ट करें",
        ReportLabel => "{name} की टिप्पणी की रिपोर्ट करें",
        ReportQuestion => "मॉडरेटर को यह टिप्पणी क्यों देखनी चाहिए?",
        ReportSpam => "स्पैम या विज्ञापन",
        ReportAbuse => "अपमानजनक या नफ़रत भरी",
        ReportOther => "कुछ और",
        Reported => "रिपोर्ट की गई",
        ReportThanks => "धन्यवाद। एक मॉडरेटर इस टिप्पणी को देखेगा।",
        ReportFailed => "आपकी रिपोर्ट नहीं भेजी जा सकी।",
    }
}

fn punjabi(key: Key) -> &'static str {
    use Key::*;
    match key {
        Heading => "ਪਾਠਕਾਂ ਦੀਆਂ ਟਿੱਪਣੀਆਂ",
        Guideline => "ਅਸੀਂ ਆਪਣੇ ਪਾਠਕਾਂ ਦੀ ਸੋਚ-ਸਮਝ ਵਾਲੀ ਚਰਚਾ ਦਾ ਸਵਾਗਤ ਕਰਦੇ ਹਾਂ। ਕਿਰਪਾ ਕਰਕੇ ਟਿੱਪਣੀਆਂ ਸਤਿਕਾਰਯੋਗ ਅਤੇ ਵਿਸ਼ੇ ਉੱਤੇ ਰੱਖੋ।",
        FormHeading => "ਟਿੱਪਣੀ ਲਿਖੋ",
        NameLabel => "ਤੁਹਾਡਾ ਨਾਮ",
        BodyLabel => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ",
        Hint => "ਘੱਟੋ-ਘੱਟ {min} ਅੱਖਰ",
        Submit => "ਟਿੱਪਣੀ ਭੇਜੋ",
        Posting => "ਭੇਜੀ ਜਾ ਰਹੀ ਹੈ…",
        PostingWait => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਭੇਜੀ ਜਾ ਰਹੀ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਰੋ।",
        Loading => "ਟਿੱਪਣੀਆਂ ਲੋਡ ਹੋ ਰਹੀਆਂ ਹਨ…",
        Empty => "ਹਾਲੇ ਕੋਈ ਟਿੱਪਣੀ ਨਹੀਂ। ਪਹਿਲੀ ਟਿੱਪਣੀ ਤੁਸੀਂ ਲਿਖੋ।",
        Retry => "ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ",
        LoadMore => "ਹੋਰ ਟਿੱਪਣੀਆਂ ਵੇਖੋ",
        LoadingMore => "ਹੋਰ ਟਿੱਪਣੀਆਂ ਲੋਡ ਹੋ ਰਹੀਆਂ ਹਨ…",
        PendingBadge => "ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ",
        Posted => "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਛਪ ਗਈ ਹੈ।",
        PostedPending => "ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਸਮੀਖਿਆ ਦੀ ਉਡੀਕ ਵਿੱਚ ਹੈ।",
        ErrorPrefix => "ਗਲਤੀ:",
        CountBelowOne => "1 ਹੋਰ ਅੱਖਰ ਚਾਹੀਦਾ ਹੈ",
        CountBelowOther => "{n} ਹੋਰ ਅੱਖਰ ਚਾਹੀਦੇ ਹਨ",
        CountReached => "ਘੱਟੋ-ਘੱਟ ਸੀਮਾ ਪੂਰੀ: {n} ਅੱਖਰ",
        CountRemainingOne => "1 ਅੱਖਰ ਬਾਕੀ ਹੈ",
        CountRemainingOther => "{n} ਅੱਖਰ ਬਾਕੀ ਹਨ",
        CountOverOne => "1 ਅੱਖਰ ਵੱਧ ਹੈ",
        CountOverOther => "{n} ਅੱਖਰ ਵੱਧ ਹਨ",
        AuthorRequired => "ਆਪਣਾ ਨਾਮ ਲਿਖੋ",
        AuthorTooLongOne => "ਤੁਹਾਡਾ ਨਾਮ {max} ਅੱਖਰਾਂ ਤੋਂ ਲੰਬਾ ਨਹੀਂ ਹੋ ਸਕਦਾ: 1 ਅੱਖਰ ਹਟਾਓ",
        AuthorTooLongOther => "ਤੁਹਾਡਾ ਨਾਮ {max} ਅੱਖਰਾਂ ਤੋਂ ਲੰਬਾ ਨਹੀਂ ਹੋ ਸਕਦਾ: {n} ਅੱਖਰ ਹਟਾਓ",
        AuthorControlCharacters => "ਤੁਹਾਡਾ ਨਾਮ ਇੱਕੋ ਲਾਈਨ ਵਿੱਚ ਹੋਣਾ ਚਾਹੀਦਾ ਹੈ",
        AuthorStackedMarks => "ਤੁਹਾਡੇ ਨਾਮ ਵਿੱਚ ਕਿਸੇ ਅੱਖਰ ਉੱਤੇ ਬਹੁਤ ਜ਼ਿਆਦਾ ਚਿੰਨ੍ਹ ਲੱਗੇ ਹਨ",
        BodyRequired => "ਆਪਣੀ ਟਿੱਪਣੀ ਲਿਖੋ",
        BodyTooShortOne => "1 ਹੋਰ ਅੱਖਰ ਜੋੜੋ",
        BodyTooShortOther => "{n} ਹੋਰ ਅੱਖਰ ਜੋੜੋ",
        BodyTooLongOne => "1 ਅੱਖਰ ਹਟਾਓ: ਸੀਮਾ {max} ਅੱਖਰ ਹੈ",
        BodyTooLongOther => "{n} ਅੱਖਰ ਹਟਾਓ: ਸੀਮਾ {max} ਅੱਖਰ ਹੈ",
        BodyControlCharacters => "ਆਪਣੀ ਟਿੱਪਣੀ ਵਿੱਚੋਂ ਕੰਟਰੋਲ ਅੱਖਰ (ਜਿਵੇਂ ਐਸਕੇਪ ਕੋਡ) ਹਟਾਓ",
        BodyStackedMarks => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਵਿੱਚ ਕਿਸੇ ਅੱਖਰ ਉੱਤੇ ਬਹੁਤ ਜ਼ਿਆਦਾ ਚਿੰਨ੍ਹ ਲੱਗੇ ਹਨ",
        LoadFailed => "ਟਿੱਪਣੀਆਂ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕੀਆਂ।",
        PostFailed => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਨਹੀਂ ਭੇਜੀ ਜਾ ਸਕੀ।",
        DraftKept => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਇਸੇ ਬ੍ਰਾਊਜ਼ਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਹੈ।",
        Offline => "ਤੁਸੀਂ ਆਫ਼ਲਾਈਨ ਜਾਪਦੇ ਹੋ। ਕਨੈਕਸ਼ਨ ਜਾਂਚ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        Network => "ਟਿੱਪਣੀ ਸੇਵਾ ਤੱਕ ਨਹੀਂ ਪਹੁੰਚ ਸਕੇ। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        Timeout => "ਟਿੱਪਣੀ ਸੇਵਾ ਨੇ ਜਵਾਬ ਦੇਣ ਵਿੱਚ ਬਹੁਤ ਦੇਰ ਲਾਈ। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        RateLimited => "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। {n} ਸਕਿੰਟ ਰੁਕ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        RateLimitedSoon => "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। ਥੋੜ੍ਹਾ ਰੁਕ ਕੇ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        ServerError => "ਟਿੱਪਣੀ ਸੇਵਾ ਵਿੱਚ ਸਮੱਸਿਆ ਆਈ (ਗਲਤੀ {n})। ਥੋੜ੍ਹੀ ਦੇਰ ਬਾਅਦ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        ClientError => "ਟਿੱਪਣੀ ਸੇਵਾ ਨੇ ਬੇਨਤੀ ਨਾਮਨਜ਼ੂਰ ਕਰ ਦਿੱਤੀ (ਗਲਤੀ {n})।",
        BadResponse => "ਟਿੱਪਣੀ ਸੇਵਾ ਤੋਂ ਅਜਿਹਾ ਜਵਾਬ ਮਿਲਿਆ ਜੋ ਇਹ ਪੰਨਾ ਪੜ੍ਹ ਨਹੀਂ ਸਕਦਾ।",
        TooLarge => "ਟਿੱਪਣੀ ਸੇਵਾ ਦਾ ਜਵਾਬ ਵਿਖਾਉਣ ਲਈ ਬਹੁਤ ਵੱਡਾ ਸੀ।",
        RateLimitedLater => "ਬਹੁਤ ਜ਼ਿਆਦਾ ਬੇਨਤੀਆਂ। ਕਿਰਪਾ ਕਰਕੇ ਬਾਅਦ ਵਿੱਚ ਦੁਬਾਰਾ ਕੋਸ਼ਿਸ਼ ਕਰੋ।",
        DraftNotSaved => {
            "ਇਹ ਬ੍ਰਾਊਜ਼ਰ ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਸੰਭਾਲ ਨਹੀਂ ਪਾ ਰਿਹਾ (ਸਟੋਰੇਜ ਭਰੀ ਹੋਈ ਹੈ ਜਾਂ ਬੰਦ ਹੈ), ਇਸ ਲਈ ਪੰਨਾ ਦੁਬਾਰਾ ਲੋਡ ਕਰਨ ਨਾਲ ਇਹ ਮਿਟ ਜਾਵੇਗੀ।"
        }
        ShowAll => "ਪੂਰੀ ਟਿੱਪਣੀ ਵੇਖੋ",
        ParentNotFound => "ਜਿਸ ਟਿੱਪਣੀ ਦਾ ਤੁਸੀਂ ਜਵਾਬ ਦੇ ਰਹੇ ਹੋ, ਉਹ ਹੁਣ ਮੌਜੂਦ ਨਹੀਂ ਹੈ",
        Recommend => "ਪਸੰਦ ਕਰੋ",
        RecommendLabelOne => "{name} ਦੀ ਟਿੱਪਣੀ ਪਸੰਦ ਕਰੋ, 1 ਪਸੰਦ",
        RecommendLabelOther => "{name} ਦੀ ਟਿੱਪਣੀ ਪਸੰਦ ਕਰੋ, {n} ਪਸੰਦਾਂ",
        RecommendFailed => "ਤੁਹਾਡੀ ਪਸੰਦ ਸੰਭਾਲੀ ਨਹੀਂ ਜਾ ਸਕੀ।",
        Edited => "ਸੋਧੀ ਗਈ",
        Deleted => "ਇਹ ਟਿੱਪਣੀ ਮਿਟਾ ਦਿੱਤੀ ਗਈ ਹੈ",
        ReplyingTo => "{name} ਨੂੰ ਜਵਾਬ",
        RepliesTo => "{name} ਨੂੰ ਦਿੱਤੇ ਜਵਾਬ",
        MoreRepliesOne => "1 ਹੋਰ ਜਵਾਬ ਵੇਖੋ",
        MoreRepliesOther => "{n} ਹੋਰ ਜਵਾਬ ਵੇਖੋ",
        RepliesFailed => "ਜਵਾਬ ਲੋਡ ਨਹੀਂ ਹੋ ਸਕੇ।",
        SortLabel => "ਟਿੱਪਣੀਆਂ ਦੀ ਤਰਤੀਬ",
        SortOldest => "ਸਭ ਤੋਂ ਪੁਰਾਣੀਆਂ ਪਹਿਲਾਂ",
        SortNewest => "ਸਭ ਤੋਂ ਨਵੀਆਂ ਪਹਿਲਾਂ",
        SortTop => "ਸਭ ਤੋਂ ਵੱਧ ਪਸੰਦ ਕੀਤੀਆਂ",
        Reply => "ਜਵਾਬ ਦਿਓ",
        ReplyLabel => "{name} ਨੂੰ ਜਵਾਬ ਦਿਓ",
        ReplyHeading => "{name} ਨੂੰ ਜਵਾਬ ਦਿਓ",
        Cancel => "ਰੱਦ ਕਰੋ",
        Edit => "ਬਦਲੋ",
        EditLabel => "ਆਪਣੀ ਟਿੱਪਣੀ ਬਦਲੋ",
        EditHeading => "ਆਪਣੀ ਟਿੱਪਣੀ ਬਦਲੋ",
        Save => "ਬਦਲਾਅ ਸੰਭਾਲੋ",
        Delete => "ਮਿਟਾਓ",
        DeleteLabel => "ਆਪਣੀ ਟਿੱਪਣੀ ਮਿਟਾਓ",
        DeleteQuestion => "ਇਹ ਟਿੱਪਣੀ ਮਿਟਾਉਣੀ ਹੈ? ਇਸਨੂੰ ਵਾਪਸ ਨਹੀਂ ਲਿਆਂਦਾ ਜਾ ਸਕੇਗਾ।",
        Keep => "ਰਹਿਣ ਦਿਓ",
        DeleteFailed => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਨਹੀਂ ਮਿਟਾਈ ਜਾ ਸਕੀ।",
        DeletedYours => "ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਮਿਟਾ ਦਿੱਤੀ ਗਈ।",
        EditFailed => "ਤੁਹਾਡਾ ਬਦਲਾਅ ਸੰਭਾਲਿਆ ਨਹੀਂ ਜਾ ਸਕਿਆ।",
        Closed => "ਇਸ ਲੇਖ 'ਤੇ ਟਿੱਪਣੀਆਂ ਬੰਦ ਹਨ।",
        Report => "ਰਿਪੋਰਟ ਕਰੋ",
        ReportLabel => "{name} ਦੀ ਟਿੱਪਣੀ ਦੀ ਰਿਪੋਰਟ ਕਰੋ",
        ReportQuestion => "ਮਾਡਰੇਟਰ ਨੂੰ ਇਹ ਟਿੱਪਣੀ ਕਿਉਂ ਦੇਖਣੀ ਚਾਹੀਦੀ ਹੈ?",
        ReportSpam => "ਸਪੈਮ ਜਾਂ ਇਸ਼ਤਿਹਾਰ",
        ReportAbuse => "ਅਪਮਾਨਜਨਕ ਜਾਂ ਨਫ਼ਰਤ ਭਰੀ",
        ReportOther => "ਕੁਝ ਹੋਰ",
        Reported => "ਰਿਪੋਰਟ ਕੀਤੀ ਗਈ",
        ReportThanks => "ਧੰਨਵਾਦ। ਇੱਕ ਮਾਡਰੇਟਰ ਇਸ ਟਿੱਪਣੀ ਨੂੰ ਦੇਖੇਗਾ।",
        ReportFailed => "ਤੁਹਾਡੀ ਰਿਪੋਰਟ ਨਹੀਂ ਭੇਜੀ ਜਾ ਸਕੀ।",
    }
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
        match self.lang {
            Lang::En => english(key),
            Lang::Hi => hindi(key),
            Lang::Pa => punjabi(key),
        }
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
                for placeholder in ["{n}", "{min}", "{max}"] {
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
