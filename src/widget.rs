//! One whole comment section: heading, guideline, the list with its loading, empty and
//! error states, "Load more", and the form. The thread's state lives in
//! [`ThreadState`]; the strings are given to every part as context.

#[cfg(not(feature = "split"))]
use crate::comment_form::CommentForm;
use crate::comment_list::{CommentList, RowAction};
use crate::config::Config;
use crate::i18n::{Key, Strings};
use crate::json::Shown;
use crate::thread::{Load, ThreadState};
use leptos::prelude::*;
use reader_comments_core::Sort;
use std::sync::atomic::{AtomicUsize, Ordering};

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// A complete Reader Comments section for one thread.
#[component]
pub fn CommentSection(
    /// The configuration read from the host element.
    config: Config,
) -> impl IntoView {
    let id_prefix = format!("rc{}", INSTANCES.fetch_add(1, Ordering::Relaxed) + 1);
    let Config { endpoint, limits, theme, locale, dir, strings, timeout_ms, page_size, guidelines } = config;
    provide_context(strings.clone());
    let thread = ThreadState::new(endpoint.clone(), limits, strings.clone(), timeout_ms, page_size);
    thread.fetch(None);
    let heading_id = format!("{id_prefix}-heading");
    let (labelled_by, section_lang) = (heading_id.clone(), locale.clone());
    // Every comment shown, and the replies a top-level comment says it has beyond those.
    let digits = strings.clone();
    let heading_count = move || match thread.load.get() {
        Load::Ready => format!(" ({})", digits.number(thread.comments.with(|list| total(list)))),
        _ => String::new(),
    };
    // Contract v1.2: what waits for a moderator, said before the reader writes.
    let holds_key = move || {
        thread.capabilities.with(|c| {
            let holds = c.as_ref().map(|c| c.holds.clone()).unwrap_or_default();
            [("all", Key::HoldsAll), ("first", Key::HoldsFirst), ("links", Key::HoldsLinks)]
                .into_iter()
                .find(|(name, _)| holds.contains(name))
                .map(|(_, key)| key)
        })
    };
    let holds_strings = strings.clone();
    let holds = move || holds_key().map(|k| holds_strings.get(k)).unwrap_or_default();
    // Contract v1.3: where only signed-in readers write, one who is not signed in is sent
    // to the site's sign-in page (to come back to this one) instead of the form.
    let account_endpoint = StoredValue::new(endpoint.clone());
    let offer = move || thread.capabilities.with(|c| c.as_ref().and_then(|c| c.sign_in.clone()));
    let outside = move || {
        offer().is_some_and(|o| o.required) && account_endpoint.with_value(|e| crate::account::name(e)).is_none()
    };
    let sign_in_href = move || {
        let here = window().location().href().unwrap_or_default();
        offer().and_then(|o| o.url).map(|url| crate::api::with_param(&url, "return", &here))
    };
    view! {
        <section class=theme.class() part="section" lang=section_lang dir=dir aria-labelledby=labelled_by>
            <div class="rc-top">
                <h2 class="rc-heading" part="heading" id=heading_id>
                    {strings.get(Key::Heading)}
                    <span class="rc-heading__count">{heading_count}</span>
                </h2>
                {jump_link(&id_prefix, strings.get(Key::WriteComment), thread.closed)}
            </div>
            <SortControl thread id_prefix=id_prefix.clone() />
            <ThreadBody thread locale id_prefix=id_prefix.clone() guidelines />
            <LoadMore thread />
            <p class="rc-sr" aria-live="polite" aria-atomic="true">{move || thread.announce.get()}</p>
            // A closed thread shows why instead of the form; the form stays mounted and
            // hidden, so a draft in it (and in storage) is kept.
            <p class="rc-closed" part="closed" role="status" hidden=move || !thread.closed.get()>
                {strings.get(Key::Closed)}
            </p>
            <p class="rc-sign-in" part="sign-in" hidden=move || thread.closed.get() || !outside()>
                <a class="rc-button" part="button" href=sign_in_href>{strings.get(Key::SignIn)}</a>
            </p>
            <div class="rc-form-area" hidden=move || thread.closed.get() || outside()>
                <p class="rc-guideline" part="guideline">{strings.get(Key::Guideline)}</p>
                <p class="rc-holds" part="holds" hidden=move || holds_key().is_none()>{holds}</p>
                {main_form(thread, endpoint, timeout_ms, id_prefix)}
            </div>
        </section>
    }
}

/// The section's form. In the release build (feature `split`) its shell first, until a
/// reader shows the intent to write (or a reload restores a draft): then the writing
/// part is fetched and the form takes the shell's place (src/writer.rs).
fn main_form(thread: ThreadState, endpoint: String, timeout_ms: u32, id_prefix: String) -> impl IntoView {
    let on_posted = Callback::new(move |posted: crate::api::Posted| thread.add(posted.comment));
    #[cfg(not(feature = "split"))]
    {
        view! { <CommentForm endpoint limits=thread.limits.into() timeout_ms id_prefix on_posted /> }
    }
    #[cfg(feature = "split")]
    {
        use crate::writer::{FormShell, Mount};
        let slot = NodeRef::<leptos::html::Div>::new();
        let (failed, set_failed) = signal(None::<String>);
        // Fetching, or fetched: a second intent waits for the first.
        let busy = StoredValue::new(false);
        let handle = StoredValue::new_local(None::<Box<dyn std::any::Any>>);
        let draft = crate::draft::load(&endpoint).map(|d| (d.author, d.body)).unwrap_or_default();
        let restored = !draft.1.trim().is_empty();
        let strings = use_context::<Strings>().unwrap_or_default();
        let prefix = id_prefix.clone();
        let shell_endpoint = endpoint.clone();
        let on_intent = Callback::new(move |_submit: bool| {
            let Some(slot) = slot.get_untracked() else { return };
            if busy.get_value() {
                return;
            }
            let slot: web_sys::Element = slot.into();
            let (Some(shell), Some(doc)) = (slot.first_element_child(), slot.owner_document()) else { return };
            let target = doc.create_element("div").ok();
            let Some(target) = target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
            else {
                return;
            };
            let _ = slot.append_child(&target);
            let place = target.clone();
            let mount = Mount {
                target,
                endpoint: endpoint.clone(),
                limits: thread.limits,
                timeout_ms,
                strings: strings.clone(),
                id_prefix: prefix.clone(),
                form: crate::writer::Form::Main(on_posted, shell),
            };
            let failed_text = strings.get(Key::WriterFailed);
            busy.set_value(true);
            leptos::task::spawn_local(async move {
                match crate::writer::mount(mount).await {
                    // The section may have left the page while the part came (`try_`):
                    // then the form goes with it at once.
                    Ok(mounted) => {
                        handle.try_set_value(Some(mounted));
                        set_failed.try_set(None);
                    }
                    Err(_) => {
                        place.remove();
                        busy.try_set_value(false);
                        set_failed.try_set(Some(failed_text));
                    }
                }
            });
        });
        if restored {
            Effect::new(move |_| {
                if slot.get().is_some() {
                    on_intent.run(false);
                }
            });
        }
        view! {
            <div class="rc-form-slot" node_ref=slot>
                <FormShell id_prefix limits=thread.limits draft on_intent failed endpoint=shell_endpoint />
            </div>
        }
    }
}

/// "Write a comment", beside the heading: takes the keyboard and the eye to the form
/// (to the name while it is empty, else to the text). Kept in its place, unseen, on a
/// closed thread, so that nothing below moves.
fn jump_link(id_prefix: &str, words: String, closed: RwSignal<bool>) -> impl IntoView {
    let fields = [format!("#{id_prefix}-author"), format!("#{id_prefix}-body")];
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let target = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        let Some(section) = target.and_then(|t| t.closest("section").ok().flatten()) else { return };
        let [name, body] = fields.each_ref().map(|id| section.query_selector(id).ok().flatten());
        let named = name
            .as_ref()
            .and_then(|n| wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(n))
            .is_some_and(|n| !n.value().trim().is_empty());
        if let Some(field) = if named { body } else { name.or(body) } {
            crate::elements::focus(&field, false);
        }
    };
    view! {
        <a
            class="rc-jump"
            part="jump"
            href=format!("#{id_prefix}-body")
            class:rc-jump--off=move || closed.get()
            aria-hidden=move || closed.get().then_some("true")
            tabindex=move || closed.get().then_some("-1")
            on:click=on_click
        >
            {words}
        </a>
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
    /// The widget's id prefix (a reply form's ids start with it).
    id_prefix: String,
    /// The site's community guidelines, linked from a comment that was not published.
    guidelines: Option<String>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let reply_strings = strings.clone();
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
                capabilities=thread.capabilities.read_only()
                closed=thread.closed.read_only()
                endpoint=thread.endpoint()
                guidelines=guidelines.unwrap_or_default()
                focus_on=thread.focus_on
                on_action=Callback::new(move |action| match action {
                    RowAction::Recommend(id, control) => thread.recommend(id, control),
                    RowAction::MoreReplies(root, control) => thread.load_replies(root, control),
                    RowAction::Reply(id, author, row) => {
                        thread.open_reply(reply_strings.clone(), id_prefix.clone(), id, author, row)
                    }
                    RowAction::Edit(id, row) => thread.open_edit(reply_strings.clone(), id_prefix.clone(), id, row),
                    RowAction::Delete(id, row) => thread.delete(id, row),
                    RowAction::Report(id, reason, row) => thread.report(id, reason, row),
                })
            />
            <p class="rc-action-error" role="alert">{move || thread.action_error.get()}</p>
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

/// How many comments a thread has as far as the widget knows: those shown, plus the
/// replies each top-level comment says it has beyond those shown.
fn total(list: &[Shown]) -> usize {
    let places = reader_comments_core::place(list);
    let mut shown_replies = vec![0usize; list.len()];
    for (i, p) in places.iter().enumerate() {
        if p.root != i {
            shown_replies[p.root] += 1;
        }
    }
    let unseen: usize =
        list.iter().zip(&shown_replies).map(|(c, shown)| c.reply_count.map_or(0, |n| n.saturating_sub(*shown))).sum();
    list.len() + unseen
}

/// The order of the thread, a native `<select>`, when the endpoint sorts (contract v1.1).
/// Its options are made by hand when the capabilities arrive (a list of views costs
/// Leptos' generic list code for three options).
#[component]
fn SortControl(
    /// The thread.
    thread: ThreadState,
    /// The widget's id prefix, for the label.
    id_prefix: String,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let orders = move || thread.capabilities.with(|c| c.as_ref().map_or(0, |c| c.sort.len()));
    let id = format!("{id_prefix}-sort");
    let select = NodeRef::<leptos::html::Select>::new();
    let names = strings.clone();
    Effect::new(move |_| {
        let (Some(select), Some(orders)) =
            (select.get(), thread.capabilities.with(|c| c.as_ref().map(|c| c.sort.clone())))
        else {
            return;
        };
        let chosen = thread.sort.get_value();
        let doc = document();
        select.set_text_content(None);
        for sort in orders {
            let key = crate::i18n::sort_key(sort);
            let Ok(option) = doc.create_element("option") else { return };
            let _ = option.set_attribute("value", sort.as_str());
            option.set_text_content(Some(&names.get(key)));
            if chosen == Some(sort) {
                let _ = option.set_attribute("selected", "");
            }
            let _ = select.append_child(&option);
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(sort) = Sort::from_name(&event_target_value(&ev)) {
            thread.set_sort(sort);
        }
    };
    view! {
        <p class="rc-sort" part="sort" hidden=move || orders() < 2>
            <label for=id.clone()>{strings.get(Key::SortLabel)}</label>
            <select id=id class="rc-select" part="select" node_ref=select on:change=on_change></select>
        </p>
    }
}
