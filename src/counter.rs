//! The live character counter: what it shows, which state it is in, and what it
//! announces to screen readers once the reader pauses.

use crate::i18n::{Key, Strings, COUNT_BELOW, COUNT_OVER, COUNT_REMAINING};
use leptos::prelude::*;
use reader_comments_core::Limits;

/// Where a count stands against the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountState {
    /// Fewer than the minimum.
    Below,
    /// At or above the minimum, well under the maximum.
    Reached,
    /// Within the last tenth of the maximum.
    NearMax,
    /// Over the maximum.
    Over,
}

/// Classifies a count.
pub fn count_state(count: usize, limits: Limits) -> CountState {
    if count < limits.min_length {
        CountState::Below
    } else if count > limits.max_length {
        CountState::Over
    } else if count * 10 >= limits.max_length * 9 {
        CountState::NearMax
    } else {
        CountState::Reached
    }
}

/// The visible counter: "12/50" against the minimum, "4600/5000" near the maximum, in
/// the language's digits ("১২/৫০" in Bengali).
pub fn counter_text(count: usize, limits: Limits, strings: &Strings) -> String {
    let against = match count_state(count, limits) {
        CountState::Below | CountState::Reached => limits.min_length,
        CountState::NearMax | CountState::Over => limits.max_length,
    };
    format!("{}/{}", strings.number(count), strings.number(against))
}

/// The sentence announced politely after a pause.
pub fn status_text(count: usize, limits: Limits, strings: &Strings) -> String {
    match count_state(count, limits) {
        CountState::Below => strings.plural(COUNT_BELOW, limits.min_length - count),
        CountState::Reached => strings.with_n(Key::CountReached, count),
        CountState::NearMax => strings.plural(COUNT_REMAINING, limits.max_length - count),
        CountState::Over => strings.plural(COUNT_OVER, count - limits.max_length),
    }
}

/// The CSS modifier of a state.
pub fn state_class(state: CountState) -> &'static str {
    match state {
        CountState::Below => "rc-counter rc-counter--below",
        CountState::Reached => "rc-counter rc-counter--reached",
        CountState::NearMax => "rc-counter rc-counter--near-max",
        CountState::Over => "rc-counter rc-counter--over",
    }
}

/// The hint ("Minimum 50 characters") and the visible count ("0/50") under the field.
/// The count itself is hidden from screen readers: the polite status says it in words.
#[component]
pub fn Counter(
    /// The current count of visible characters.
    count: Signal<usize>,
    /// The thread's length limits.
    limits: Signal<Limits>,
    /// The id the field's `aria-describedby` points at.
    hint_id: String,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let digits = strings.clone();
    let hint = move || strings.with_n(Key::Hint, limits.get().min_length);
    view! {
        <div class="rc-form__meta" part="counter">
            <span class="rc-hint" id=hint_id>{hint}</span>
            <span
                class=move || state_class(count_state(count.get(), limits.get()))
                aria-hidden="true"
                data-count=move || count.get().to_string()
            >
                {move || counter_text(count.get(), limits.get(), &digits)}
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Limits = Limits { min_length: 50, max_length: 5000 };

    #[test]
    fn the_counter_reads_as_on_the_seed_page() {
        assert_eq!(counter_text(0, RULE, &Strings::default()), "0/50");
        assert_eq!(counter_text(49, RULE, &Strings::default()), "49/50");
        assert_eq!(counter_text(50, RULE, &Strings::default()), "50/50");
    }

    #[test]
    fn states_follow_the_count() {
        assert_eq!(count_state(49, RULE), CountState::Below);
        assert_eq!(count_state(50, RULE), CountState::Reached);
        assert_eq!(count_state(4499, RULE), CountState::Reached);
        assert_eq!(count_state(4500, RULE), CountState::NearMax);
        assert_eq!(count_state(5001, RULE), CountState::Over);
        assert_eq!(counter_text(4600, RULE, &Strings::default()), "4600/5000");
    }

    #[test]
    fn the_announcement_says_what_to_do() {
        let s = Strings::default();
        assert_eq!(status_text(49, RULE, &s), "You need 1 more character");
        assert_eq!(status_text(0, RULE, &s), "You need 50 more characters");
        assert_eq!(status_text(60, RULE, &s), "Minimum reached: 60 characters");
        assert_eq!(status_text(4990, RULE, &s), "You have 10 characters remaining");
        assert_eq!(status_text(5002, RULE, &s), "You have 2 characters too many");
    }
}
