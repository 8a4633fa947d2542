//! One whole comment section: heading, guideline, the list with its loading, empty and
//! error states, "Load more", and the form.

use crate::api::{fetch_page, warn_all, Posted};
use crate::comment_form::CommentForm;
use crate::comment_list::CommentList;
use crate::config::Config;
use crate::json::{Js, Shown};
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{Rest, Rule};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// Where the first page stands.
#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

/// Adds comments not already shown (a reload or a page may repeat one), in linear time.
fn merge(list: &mut Vec<Shown>, more: Vec<Shown>) {
    let mut index: HashMap<String, usize> = list.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    for comment in more {
        match index.get(&comment.id) {
            Some(&i) => list[i] = comment,
            None => {
                index.insert(comment.id.clone(), list.len());
                list.push(comment);
            }
        }
    }
}

/// A complete Reader Comments section for one thread.
#[component]
pub fn CommentSection(
    /// The configuration read from the host element.
    config: Config,
) -> impl IntoView {
    let id_prefix = format!("rc{}", INSTANCES.fetch_add(1, Ordering::Relaxed) + 1);
    let Config { endpoint, rule: configured, theme, locale, strings, timeout_ms, page_size } = config;
    let (comments, set_comments) = signal(Vec::<Shown>::new());
    let (load, set_load) = signal(Load::Loading);
    let (next, set_next) = signal(None::<String>);
    let (more_busy, set_more_busy) = signal(false);
    let (more_error, set_more_error) = signal(None::<String>);
    let (rule, set_rule) = signal(configured);
    // Comments received but not shown yet (beyond `page_size`), still as parsed JSON:
    // they are decoded only when shown.
    let held = StoredValue::new_local(Rest::<Js>::empty());
    let (held_count, set_held_count) = signal(0usize);
    let reveal = move || {
        let mut taken = (Vec::new(), Vec::new());
        held.update_value(|h| taken = h.take(page_size));
        set_held_count.set(held.with_value(Rest::remaining));
        let (shown, warnings) = taken;
        warn_all(&warnings);
        set_comments.update(|list| merge(list, shown));
    };

    let fetch = {
        let (endpoint, strings) = (endpoint.clone(), strings.clone());
        move |cursor: Option<String>| {
            let (endpoint, strings) = (endpoint.clone(), strings.clone());
            let first = cursor.is_none();
            if first {
                set_load.set(Load::Loading);
            } else {
                set_more_busy.set(true);
                set_more_error.set(None);
            }
            spawn_local(async move {
                match fetch_page(&endpoint, cursor.as_deref(), timeout_ms, page_size).await {
                    Ok((page, rest)) => {
                        if let Some(limits) = page.limits {
                            set_rule.try_set(Rule { min_length: limits.min_length, max_length: limits.max_length });
                        }
                        let received = page.comments;
                        // "Load more" fetches only when nothing is held, so this never
                        // drops held comments.
                        held.try_set_value(rest);
                        set_held_count.try_set(held.try_with_value(Rest::remaining).unwrap_or(0));
                        set_comments.try_update(|list| {
                            if first {
                                // Keep what this reader posted meanwhile.
                                let mine: Vec<Shown> = std::mem::take(list);
                                *list = received;
                                merge(list, mine);
                            } else {
                                merge(list, received);
                            }
                        });
                        set_next.try_set(page.next);
                        // Only the first page changes the state: setting it again would
                        // rebuild the whole list instead of appending to it.
                        if first {
                            set_load.try_set(Load::Ready);
                        }
                    }
                    Err(error) => {
                        let text = format!("{} {}", strings.get("load_failed"), error.message(&strings));
                        if first {
                            set_load.try_set(Load::Failed(text));
                        } else {
                            set_more_error.try_set(Some(text));
                        }
                    }
                }
                set_more_busy.try_set(false);
            });
        }
    };
    fetch(None);
    let retry = fetch.clone();
    let load_more = fetch;

    let on_posted = Callback::new(move |posted: Posted| {
        set_comments.update(|list| merge(list, vec![posted.comment]));
    });

    let section_lang = locale.clone();
    let heading_id = format!("{id_prefix}-heading");
    let labelled_by = heading_id.clone();
    let heading_count = move || match load.get() {
        Load::Ready => format!(" ({})", comments.get().len()),
        _ => String::new(),
    };
    let list_strings = strings.clone();
    let body = move || match load.get() {
        Load::Loading => view! {
            <div class="rc-state rc-state--loading" part="state" aria-busy="true">
                <p>{list_strings.get("loading")}</p>
            </div>
        }
        .into_any(),
        Load::Failed(text) => {
            let retry = retry.clone();
            view! {
                <div class="rc-state rc-state--error" part="state" role="alert">
                    <p>{text}</p>
                    <button class="rc-button rc-button--secondary" part="button" type="button" on:click=move |_| retry(None)>
                        {list_strings.get("retry")}
                    </button>
                </div>
            }
            .into_any()
        }
        Load::Ready => {
            let empty = list_strings.get("empty");
            view! {
                <Show when=move || comments.get().is_empty()>
                    <p class="rc-state rc-state--empty" part="state">{empty.clone()}</p>
                </Show>
                <CommentList comments locale=locale.clone() strings=list_strings.clone() />
            }
            .into_any()
        }
    };
    let more_strings = strings.clone();
    let more = move || {
        let cursor = next.get();
        if cursor.is_none() && held_count.get() == 0 {
            return None;
        }
        let load_more = load_more.clone();
        let label = if more_busy.get() { more_strings.get("loading_more") } else { more_strings.get("load_more") };
        Some(view! {
            <div class="rc-more">
                <button
                    class="rc-button rc-button--secondary"
                    part="button"
                    type="button"
                    aria-disabled=move || more_busy.get().then_some("true")
                    on:click=move |_| {
                        if held_count.get_untracked() > 0 {
                            reveal();
                        } else if let (false, Some(cursor)) = (more_busy.get_untracked(), cursor.clone()) {
                            load_more(Some(cursor))
                        }
                    }
                >
                    {label}
                </button>
                <p class="rc-fail" role="alert">{move || more_error.get()}</p>
            </div>
        })
    };

    view! {
        <section class=theme.class() part="section" lang=section_lang aria-labelledby=labelled_by>
            <h2 class="rc-heading" part="heading" id=heading_id>
                {strings.get("heading")}
                <span class="rc-heading__count">{heading_count}</span>
            </h2>
            {body}
            {more}
            <p class="rc-guideline" part="guideline">{strings.get("guideline")}</p>
            <CommentForm
                endpoint
                rule=rule.into()
                strings
                timeout_ms
                id_prefix
                on_posted
            />
        </section>
    }
}
