//! One whole comment section: heading, guideline, the list with its loading, empty and
//! error states, "Load more", and the form. The thread's state lives in
//! [`ThreadState`]; the strings are given to every part as context.

use crate::comment_form::CommentForm;
use crate::comment_list::CommentList;
use crate::config::Config;
use crate::i18n::{Key, Strings};
use crate::thread::{Load, ThreadState};
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// A complete Reader Comments section for one thread.
#[component]
pub fn CommentSection(
    /// The configuration read from the host element.
    config: Config,
) -> impl IntoView {
    let id_prefix = format!("rc{}", INSTANCES.fetch_add(1, Ordering::Relaxed) + 1);
    let Config { endpoint, limits, theme, locale, strings, timeout_ms, page_size } = config;
    provide_context(strings.clone());
    let thread = ThreadState::new(endpoint.clone(), limits, strings.clone(), timeout_ms, page_size);
    thread.fetch(None);
    let heading_id = format!("{id_prefix}-heading");
    let (labelled_by, section_lang) = (heading_id.clone(), locale.clone());
    let heading_count = move || match thread.load.get() {
        Load::Ready => format!(" ({})", thread.comments.with(Vec::len)),
        _ => String::new(),
    };
    view! {
        <section class=theme.class() part="section" lang=section_lang aria-labelledby=labelled_by>
            <h2 class="rc-heading" part="heading" id=heading_id>
                {strings.get(Key::Heading)}
                <span class="rc-heading__count">{heading_count}</span>
            </h2>
            <ThreadBody thread locale />
            <LoadMore thread />
            <p class="rc-guideline" part="guideline">{strings.get(Key::Guideline)}</p>
            <CommentForm
                endpoint
                limits=thread.limits.into()
                timeout_ms
                id_prefix
                on_posted=Callback::new(move |posted: crate::api::Posted| thread.add(posted.comment))
            />
        </section>
    }
}

/// The list, or the state it is in: loading, failed (with "Try again"), or empty. One
/// fixed set of elements shown and hidden (a view per state costs Leptos' type-erased
/// views: docs/performance.md, cut 23); the error line is a live region that receives
/// its text when the load fails.
#[component]
fn ThreadBody(
    /// The thread.
    thread: ThreadState,
    /// The locale for relative times.
    locale: String,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let is = move |state: Load| thread.load.with(|l| std::mem::discriminant(l) == std::mem::discriminant(&state));
    let failure = move || match thread.load.get() {
        Load::Failed(text) => text,
        _ => String::new(),
    };
    let ready = move || is(Load::Ready);
    view! {
        <div class="rc-state rc-state--loading" part="state" aria-busy="true" hidden=move || !is(Load::Loading)>
            <p>{strings.get(Key::Loading)}</p>
        </div>
        <div class="rc-state rc-state--error" part="state" role="alert" hidden=move || !is(Load::Failed(String::new()))>
            <p>{failure}</p>
            <button class="rc-button rc-button--secondary" part="button" type="button" on:click=move |_| thread.fetch(None)>
                {strings.get(Key::Retry)}
            </button>
        </div>
        <p class="rc-state rc-state--empty" part="state" hidden=move || !(ready() && thread.comments.with(Vec::is_empty))>
            {strings.get(Key::Empty)}
        </p>
        <div hidden=move || !ready()>
            <CommentList
                comments=thread.comments.read_only()
                locale=locale
                cut_at=thread.limits.get_untracked().max_length.saturating_mul(4).max(2000)
            />
        </div>
    }
}

/// "Load more comments", while there are more, with the reason if it failed.
#[component]
fn LoadMore(
    /// The thread.
    thread: ThreadState,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let more = move || thread.next.with(Option::is_some) || thread.held_count.get() > 0;
    let label = move || strings.get(if thread.more_busy.get() { Key::LoadingMore } else { Key::LoadMore });
    // Hidden while there is nothing more (a view swapped in and out costs more bytes).
    view! {
        <div class="rc-more" hidden=move || !more()>
            <button
                class="rc-button rc-button--secondary"
                part="button"
                type="button"
                aria-disabled=move || thread.more_busy.get().then_some("true")
                on:click=move |_| thread.load_more()
            >
                {label}
            </button>
            <p class="rc-more__error" role="alert">{move || thread.more_error.get()}</p>
        </div>
    }
}
