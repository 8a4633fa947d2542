//! The "Leave a Comment" form: name, text, live counter, validation before sending,
//! one post per draft however often the button is pressed, and a draft that survives
//! every failure.

use crate::api::{post_comment, ApiError, Posted};
use crate::counter::{status_text, Counter};
use crate::draft::{self, Draft};
use crate::i18n::{Key, Strings};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{count_visible, normalize, validate_comment, FieldError, Limits};
use std::time::Duration;

/// How long the reader must pause before the count is announced.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(1000);

/// What the form last said about posting.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// Nothing to say.
    Quiet,
    /// The post was accepted; the sentence says whether it is shown or held.
    Posted(String),
    /// The post failed; the sentence says why and that the draft is kept.
    Failed(String),
}

/// The reader's draft as signals: saved to storage on every change, restored when the
/// page comes back from the back-forward cache (another tab may have changed it).
#[derive(Clone, Copy)]
struct DraftSignals {
    author: RwSignal<String>,
    body: RwSignal<String>,
    key: RwSignal<String>,
    /// Whether the current key was sent.
    sent: RwSignal<bool>,
}

impl DraftSignals {
    fn load(endpoint: &str) -> Self {
        let saved = draft::load(endpoint).unwrap_or_else(|| Draft { key: draft::new_key(), ..Draft::default() });
        let signals = DraftSignals {
            author: RwSignal::new(saved.author),
            body: RwSignal::new(saved.body),
            key: RwSignal::new(saved.key),
            sent: RwSignal::new(saved.sent),
        };
        let store = endpoint.to_string();
        Effect::new(move |_| draft::save(&store, &signals.get()));
        let restore = endpoint.to_string();
        let pageshow = window_event_listener(leptos::ev::pageshow, move |ev| {
            if let Some(d) = draft::load(&restore).filter(|_| ev.persisted()) {
                signals.set(d);
            }
        });
        on_cleanup(move || pageshow.remove());
        signals
    }

    fn get(self) -> Draft {
        Draft { author: self.author.get(), body: self.body.get(), key: self.key.get(), sent: self.sent.get() }
    }

    fn set(self, d: Draft) {
        self.author.set(d.author);
        self.body.set(d.body);
        self.key.set(d.key);
        self.sent.set(d.sent);
    }

    /// Editing after a failed attempt makes a new draft with a new key: the endpoint
    /// would refuse the old key with a different body.
    fn edited(self) {
        if self.sent.get_untracked() {
            self.sent.set(false);
            self.key.set(draft::new_key());
        }
    }

    /// The endpoint accepted it: the text goes, the name stays for the next comment.
    fn posted(self) {
        self.body.try_set(String::new());
        self.key.try_set(draft::new_key());
        self.sent.try_set(false);
    }
}

/// The error shown beside each field.
#[derive(Clone, Copy)]
struct FieldErrors {
    author: RwSignal<Option<String>>,
    body: RwSignal<Option<String>>,
}

impl FieldErrors {
    /// Shows one message per field (the first for each); true if any was shown.
    fn show<'a>(self, errors: impl IntoIterator<Item = (&'a str, String)>) -> bool {
        let mut shown = false;
        for (field, message) in errors {
            let slot = match field {
                "author" => self.author,
                "body" => self.body,
                _ => continue,
            };
            if slot.get_untracked().is_none() {
                slot.try_set(Some(message));
            }
            shown = true;
        }
        shown
    }

    fn clear(self) {
        self.author.set(None);
        self.body.set(None);
    }
}

/// The polite announcement of the count, made once the reader pauses for
/// [`ANNOUNCE_AFTER`]. Kept as a hand-made debounce (a generation number checked when
/// the timer fires): Leptos has none built in, and a dependency for it would cost bytes.
fn announcer(count: Signal<usize>, limits: Signal<Limits>) -> (RwSignal<String>, impl Fn() + Copy) {
    let announcement = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    let typed = move || {
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        set_timeout(
            move || {
                if generation.try_get_value() == Some(mine) {
                    let strings = use_context::<Strings>().unwrap_or_default();
                    announcement.try_set(status_text(count.get_untracked(), limits.get_untracked(), &strings));
                }
            },
            ANNOUNCE_AFTER,
        );
    };
    (announcement, typed)
}

/// The sentence for a failed post: what failed, why (unless the fields already say),
/// and that the draft is kept.
fn failure_sentence(error: &ApiError, fields_say_why: bool, strings: &Strings) -> String {
    let reason = match (error, fields_say_why) {
        (ApiError::Status(_, _), true) => String::new(),
        _ => error.message(strings),
    };
    [strings.get(Key::PostFailed), reason, strings.get(Key::DraftKept)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A field's error line, read out with the field (`aria-describedby`).
#[component]
fn ErrorLine(
    /// The line's id.
    id: String,
    /// The message, if the field has one.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let prefix = use_context::<Strings>().unwrap_or_default().get(Key::ErrorPrefix);
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
}

/// The comment form.
#[component]
pub fn CommentForm(
    /// The thread's URL.
    endpoint: String,
    /// The length limits (the endpoint's, once it advertised some).
    limits: Signal<Limits>,
    /// The bound on a request, in milliseconds.
    timeout_ms: u32,
    /// A prefix that makes this widget's element ids unique on the page.
    id_prefix: String,
    /// Called with each comment the endpoint accepted.
    on_posted: Callback<Posted>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let draft = DraftSignals::load(&endpoint);
    let errors = FieldErrors { author: RwSignal::new(None), body: RwSignal::new(None) };
    let posting = RwSignal::new(false);
    let outcome = RwSignal::new(Outcome::Quiet);
    // A memo: the counter reads the count three times per keystroke; count once.
    let count = Signal::from(Memo::new(move |_| count_visible(&draft.body.get())));
    let (announcement, typed) = announcer(count, limits);
    let author_ref = NodeRef::<leptos::html::Input>::new();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();

    // Checks before sending; a refused field gets its message and the focus.
    let refused = move |found: &[FieldError], strings: &Strings| {
        errors.clear();
        errors.show(found.iter().map(|e| (e.field, strings.field_error(e.field, e.code, e.amount, e.limit, ""))));
        match found.first().map(|e| e.field) {
            Some("author") => author_ref.get_untracked().map(|el| el.focus()),
            Some(_) => body_ref.get_untracked().map(|el| el.focus()),
            None => return false,
        };
        true
    };
    let send = move |endpoint: String, strings: Strings, (name, text, key): (String, String, String)| async move {
        match post_comment(&endpoint, &name, &text, &key, timeout_ms).await {
            Ok(posted) => {
                draft.posted();
                announcement.try_set(String::new());
                let note = strings.get(if posted.pending { Key::PostedPending } else { Key::Posted });
                outcome.try_set(Outcome::Posted(note));
                on_posted.run(posted);
            }
            Err(error) => {
                let fields = error
                    .field_errors()
                    .iter()
                    .map(|e| (e.field.as_str(), strings.field_error(&e.field, &e.code, e.amount, e.limit, &e.message)));
                let fields_say_why = errors.show(fields);
                outcome.try_set(Outcome::Failed(failure_sentence(&error, fields_say_why, &strings)));
            }
        }
        posting.try_set(false);
    };
    let submit_strings = strings.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let strings = submit_strings.clone();
        if posting.get_untracked() {
            outcome.set(Outcome::Failed(strings.get(Key::PostingWait)));
            return;
        }
        let (name, text) = (draft.author.get_untracked(), draft.body.get_untracked());
        outcome.set(Outcome::Quiet);
        if refused(&validate_comment(&name, &text, limits.get_untracked()), &strings) {
            return;
        }
        posting.set(true);
        draft.sent.set(true);
        let payload = (normalize(&name), normalize(&text), draft.key.get_untracked());
        spawn_local(send(endpoint.clone(), strings, payload));
    };

    let author_id = format!("{id_prefix}-author");
    let author_error_id = format!("{id_prefix}-author-error");
    let body_id = format!("{id_prefix}-body");
    let body_error_id = format!("{id_prefix}-body-error");
    let hint_id = format!("{id_prefix}-hint");
    let author_described = {
        let id = author_error_id.clone();
        move || errors.author.get().map(|_| id.clone())
    };
    let body_described = {
        let (hint, err) = (hint_id.clone(), body_error_id.clone());
        move || if errors.body.get().is_some() { format!("{hint} {err}") } else { hint.clone() }
    };
    let button_strings = strings.clone();
    let button_text = move || button_strings.get(if posting.get() { Key::Posting } else { Key::Submit });

    view! {
        <form class="rc-form" part="form" novalidate on:submit=on_submit>
            <h3 class="rc-form__heading" part="form-heading">{strings.get(Key::FormHeading)}</h3>
            <div class="rc-field" class:rc-field--error=move || errors.author.get().is_some()>
                <label class="rc-label" for=author_id.clone()>{strings.get(Key::NameLabel)}</label>
                <ErrorLine id=author_error_id error=errors.author />
                <input
                    class="rc-input"
                    part="input"
                    id=author_id
                    name="author"
                    type="text"
                    autocomplete="name"
                    spellcheck="false"
                    node_ref=author_ref
                    aria-invalid=move || errors.author.get().map(|_| "true")
                    aria-describedby=author_described
                    prop:value=move || draft.author.get()
                    on:input:target=move |ev| {
                        draft.edited();
                        draft.author.set(ev.target().value());
                        errors.author.set(None);
                    }
                />
            </div>
            <div class="rc-field" class:rc-field--error=move || errors.body.get().is_some()>
                <label class="rc-label" for=body_id.clone()>{strings.get(Key::BodyLabel)}</label>
                <ErrorLine id=body_error_id error=errors.body />
                <textarea
                    class="rc-textarea"
                    part="textarea"
                    id=body_id
                    name="body"
                    rows="5"
                    node_ref=body_ref
                    aria-invalid=move || errors.body.get().map(|_| "true")
                    aria-describedby=body_described
                    prop:value=move || draft.body.get()
                    on:input:target=move |ev| {
                        draft.edited();
                        draft.body.set(ev.target().value());
                        errors.body.set(None);
                        typed();
                    }
                ></textarea>
                <Counter count limits hint_id />
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
