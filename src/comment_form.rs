//! The "Leave a Comment" form: name, text, live counter, validation before sending,
//! one post per draft however often the button is pressed, and a draft that survives
//! every failure.

use crate::api::{post_comment, ApiError, Posted};
use crate::counter::{status_text, Counter};
use crate::draft::{self, Draft};
use crate::i18n::Strings;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{count_visible, normalize, validate_comment, Rule};
use std::time::Duration;

/// How long the reader must pause before the count is announced.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(1000);

/// What the form last said about posting.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    None,
    Posted(String),
    Failed(String),
}

/// The comment form.
#[component]
pub fn CommentForm(
    /// The thread's URL.
    endpoint: String,
    /// The length rule (the endpoint's, once it advertised one).
    rule: Signal<Rule>,
    /// The widget's strings.
    strings: Strings,
    /// The bound on a request, in milliseconds.
    timeout_ms: u32,
    /// A prefix that makes this widget's element ids unique on the page.
    id_prefix: String,
    /// Called with each comment the endpoint accepted.
    on_posted: Callback<Posted>,
) -> impl IntoView {
    let saved = draft::load(&endpoint).unwrap_or_else(|| Draft { key: draft::new_key(), ..Draft::default() });
    let (author, set_author) = signal(saved.author);
    let (body, set_body) = signal(saved.body);
    let (key, set_key) = signal(saved.key);
    let (author_error, set_author_error) = signal(None::<String>);
    let (body_error, set_body_error) = signal(None::<String>);
    let (posting, set_posting) = signal(false);
    let (outcome, set_outcome) = signal(Outcome::None);
    let (announcement, set_announcement) = signal(String::new());
    let typing = StoredValue::new(0u64);
    // Whether the current key was sent. Editing after a failed attempt makes a new draft
    // with a new key: the endpoint would refuse the old key with a different body.
    let (sent, set_sent) = signal(saved.sent);
    let edited = move || {
        if sent.get_untracked() {
            set_sent.set(false);
            set_key.set(draft::new_key());
        }
    };
    // A memo: the counter reads the count three times per keystroke; count once.
    let count = Signal::from(Memo::new(move |_| count_visible(&body.get())));

    let store_endpoint = endpoint.clone();
    Effect::new(move |_| {
        let current = Draft { author: author.get(), body: body.get(), key: key.get(), sent: sent.get() };
        draft::save(&store_endpoint, &current);
    });

    // Back from the back-forward cache, another tab may have changed the draft.
    let restore_endpoint = endpoint.clone();
    let pageshow = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            if let Some(d) = draft::load(&restore_endpoint) {
                set_author.set(d.author);
                set_body.set(d.body);
                set_key.set(d.key);
                set_sent.set(d.sent);
            }
        }
    });
    on_cleanup(move || pageshow.remove());

    let announce_strings = strings.clone();
    let on_body_input = move |value: String| {
        edited();
        set_body.set(value);
        set_body_error.set(None);
        let generation = typing.get_value().wrapping_add(1);
        typing.set_value(generation);
        let strings = announce_strings.clone();
        set_timeout(
            move || {
                if typing.try_get_value() == Some(generation) {
                    let text = status_text(count.get_untracked(), rule.get_untracked(), &strings);
                    set_announcement.try_set(text);
                }
            },
            ANNOUNCE_AFTER,
        );
    };

    let ids = (
        format!("{id_prefix}-author"),
        format!("{id_prefix}-author-error"),
        format!("{id_prefix}-body"),
        format!("{id_prefix}-body-error"),
        format!("{id_prefix}-hint"),
    );
    let (author_id, author_error_id, body_id, body_error_id, hint_id) = ids;
    let author_ref = NodeRef::<leptos::html::Input>::new();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();

    let submit_strings = strings.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if posting.get_untracked() {
            set_outcome.set(Outcome::Failed(submit_strings.get("posting_wait")));
            return;
        }
        let (name, text) = (author.get_untracked(), body.get_untracked());
        let errors = validate_comment(&name, &text, rule.get_untracked());
        let s = &submit_strings;
        let message = |field: &str| {
            errors.iter().find(|e| e.field == field).map(|e| s.field_error(e.field, e.code, e.amount, &e.message))
        };
        set_author_error.set(message("author"));
        set_body_error.set(message("body"));
        if let Some(first) = errors.first() {
            set_outcome.set(Outcome::None);
            if first.field == "author" {
                if let Some(el) = author_ref.get_untracked() {
                    let _ = el.focus();
                }
            } else if let Some(el) = body_ref.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        set_posting.set(true);
        set_sent.set(true);
        set_outcome.set(Outcome::None);
        let (endpoint, strings, idempotency) = (endpoint.clone(), submit_strings.clone(), key.get_untracked());
        spawn_local(async move {
            let result = post_comment(&endpoint, &normalize(&name), &normalize(&text), &idempotency, timeout_ms).await;
            match result {
                Ok(posted) => {
                    let note = if posted.pending { strings.get("posted_pending") } else { strings.get("posted") };
                    set_body.try_set(String::new());
                    set_key.try_set(draft::new_key());
                    set_sent.try_set(false);
                    set_announcement.try_set(String::new());
                    set_outcome.try_set(Outcome::Posted(note));
                    on_posted.run(posted);
                }
                Err(error) => {
                    let mut fields = false;
                    for (field, code, msg) in error.field_errors() {
                        let text = Some(strings.field_error(field, code, None, msg));
                        match field.as_str() {
                            "author" => set_author_error.try_set(text),
                            "body" => set_body_error.try_set(text),
                            _ => continue,
                        };
                        fields = true;
                    }
                    let reason = match (&error, fields) {
                        (ApiError::Status(_, _), true) => String::new(),
                        _ => error.message(&strings),
                    };
                    let sentence = [strings.get("post_failed"), reason, strings.get("draft_kept")]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    set_outcome.try_set(Outcome::Failed(sentence));
                }
            }
            set_posting.try_set(false);
        });
    };

    let error_line = move |id: String, error: ReadSignal<Option<String>>, prefix: String| {
        move || {
            error.get().map(|text| {
                view! {
                    <p class="rc-error" id=id.clone() part="error">
                        <span class="rc-sr">{prefix.clone()} " "</span>
                        {text}
                    </p>
                }
            })
        }
    };
    let prefix = strings.get("error_prefix");
    let author_described = {
        let id = author_error_id.clone();
        move || author_error.get().map(|_| id.clone())
    };
    let body_described = {
        let (hint, err) = (hint_id.clone(), body_error_id.clone());
        move || if body_error.get().is_some() { format!("{hint} {err}") } else { hint.clone() }
    };
    let button_strings = strings.clone();
    let button_text = move || if posting.get() { button_strings.get("posting") } else { button_strings.get("submit") };

    view! {
        <form class="rc-form" part="form" novalidate on:submit=on_submit>
            <h3 class="rc-form__heading" part="form-heading">{strings.get("form_heading")}</h3>
            <div class="rc-field" class:rc-field--error=move || author_error.get().is_some()>
                <label class="rc-label" for=author_id.clone()>{strings.get("name_label")}</label>
                {error_line(author_error_id.clone(), author_error, prefix.clone())}
                <input
                    class="rc-input"
                    part="input"
                    id=author_id
                    name="author"
                    type="text"
                    autocomplete="name"
                    spellcheck="false"
                    node_ref=author_ref
                    aria-invalid=move || author_error.get().map(|_| "true")
                    aria-describedby=author_described
                    prop:value=move || author.get()
                    on:input:target=move |ev| {
                        edited();
                        set_author.set(ev.target().value());
                        set_author_error.set(None);
                    }
                />
            </div>
            <div class="rc-field" class:rc-field--error=move || body_error.get().is_some()>
                <label class="rc-label" for=body_id.clone()>{strings.get("body_label")}</label>
                {error_line(body_error_id.clone(), body_error, prefix)}
                <textarea
                    class="rc-textarea"
                    part="textarea"
                    id=body_id
                    name="body"
                    rows="5"
                    node_ref=body_ref
                    aria-invalid=move || body_error.get().map(|_| "true")
                    aria-describedby=body_described
                    prop:value=move || body.get()
                    on:input:target=move |ev| on_body_input(ev.target().value())
                ></textarea>
                <Counter count rule hint_id strings=strings.clone() />
            </div>
            <p class="rc-sr" aria-live="polite" aria-atomic="true">{move || announcement.get()}</p>
            <div class="rc-form__actions">
                <button class="rc-button" part="button" type="submit" aria-disabled=move || posting.get().then_some("true")>
                    {button_text}
                </button>
                <p class="rc-form__message rc-ok" part="message" role="status">
                    {move || match outcome.get() {
                        Outcome::Posted(text) => text,
                        _ => String::new(),
                    }}
                </p>
                <p class="rc-form__message rc-fail" part="message failure" role="alert">
                    {move || match outcome.get() {
                        Outcome::Failed(text) => text,
                        _ => String::new(),
                    }}
                </p>
            </div>
        </form>
    }
}
