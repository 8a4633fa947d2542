//! The "Leave a Comment" form: name, text, live counter, validation before sending,
//! one post per draft however often the button is pressed, and a draft that survives
//! every failure.

use crate::api::Posted;
use crate::clusters::{Browser, Typing};
use crate::counter::{status_text, Counter};
use crate::draft::{self, Draft};
use crate::i18n::{Key, Strings};
use crate::posting::{DraftSignals, FieldErrors, Outcome, Poster};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use reader_comments_core::validate::validate_author_with;
use reader_comments_core::{count_visible_with, Limits};
use std::time::Duration;

/// How long the reader must pause before the count is announced.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(1000);
/// The least time between two announcements: a slow typist (a key a second) pauses
/// after every key, and would otherwise hear the count after each one.
const ANNOUNCE_GAP_MS: f64 = 4000.0;

/// The polite announcement of the count, made once the reader pauses for
/// [`ANNOUNCE_AFTER`], and no sooner than [`ANNOUNCE_GAP_MS`] after the last one (then
/// when that time is up, with the count as it is then). Kept as a hand-made debounce (a
/// generation number checked when the timer fires): Leptos has none built in, and a
/// dependency for it would cost bytes.
fn announcer(count: Signal<usize>, limits: Signal<Limits>) -> (RwSignal<String>, impl Fn() + Copy) {
    // Taken now: a timer's callback runs outside the component, where there is no context.
    let strings = StoredValue::new(use_context::<Strings>().unwrap_or_default());
    let announcement = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    let last = StoredValue::new(f64::NEG_INFINITY);
    fn say(mine: u64, wait: Duration, generation: StoredValue<u64>, last: StoredValue<f64>, said: impl Fn() + 'static) {
        set_timeout(
            move || {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let since = js_sys::Date::now() - last.get_value();
                if since < ANNOUNCE_GAP_MS {
                    let rest = Duration::from_millis((ANNOUNCE_GAP_MS - since) as u64);
                    return say(mine, rest, generation, last, said);
                }
                last.set_value(js_sys::Date::now());
                said();
            },
            wait,
        );
    }
    let typed = move || {
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        say(mine, ANNOUNCE_AFTER, generation, last, move || {
            if let Some(said) =
                strings.try_with_value(|s| status_text(count.get_untracked(), limits.get_untracked(), s))
            {
                announcement.try_set(said);
            }
        });
    };
    (announcement, typed)
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

/// The submit button and the form's two messages: the polite one for a post accepted,
/// the alert for a post that failed.
#[component]
fn FormActions(
    /// Whether a post is on its way.
    posting: RwSignal<bool>,
    /// What the form last said.
    outcome: RwSignal<Outcome>,
    /// The submit button's word ("Post Comment", or "Save changes" for an edit).
    submit: Key,
    /// Closes a reply or edit form (its Cancel button is shown only then).
    cancel: Option<Callback<()>>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let cancel_text = strings.get(Key::Cancel);
    let button_text = move || strings.get(if posting.get() { Key::Posting } else { submit });
    let said = move |posted: bool| match outcome.get() {
        Outcome::Posted(text) if posted => text,
        Outcome::Failed(text) if !posted => text,
        _ => String::new(),
    };
    view! {
        <div class="rc-form__actions">
            <button class="rc-button" part="button" type="submit" aria-disabled=move || posting.get().then_some("true")>
                {button_text}
            </button>
            <button
                class="rc-button rc-button--secondary rc-form__cancel"
                part="button"
                type="button"
                hidden=cancel.is_none()
                on:click=move |_| close(cancel)
            >
                {cancel_text}
            </button>
            <p class="rc-form__message rc-ok" part="message" role="status">
                {move || said(true)}
            </p>
            <p class="rc-form__message rc-fail" part="message failure" role="alert">
                {move || said(false)}
            </p>
        </div>
    }
}

/// A field's `aria-describedby`: its hint, if it has one, and its error line while there
/// is an error.
fn described_by(
    hint: Option<String>,
    error_id: String,
    error: RwSignal<Option<String>>,
) -> impl Fn() -> Option<String> {
    move || {
        let ids: Vec<&str> = hint.iter().map(String::as_str).chain(error.get().map(|_| error_id.as_str())).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// What a reply form answers, and how it closes (contract v1.1).
#[derive(Clone)]
pub struct ReplyTo {
    /// The id of the comment answered.
    pub parent: String,
    /// Its author's name, for the heading.
    pub author: String,
    /// Closes the form (Cancel, Escape); its draft stays.
    pub on_cancel: Callback<()>,
}

/// The comment an edit form changes, and what happens after (contract v1.1).
#[derive(Clone)]
pub struct EditOf {
    /// The comment's id.
    pub id: String,
    /// Its author (the name field is not shown: only the text changes).
    pub author: String,
    /// Its text now.
    pub body: String,
    /// Its edit token.
    pub token: String,
    /// Closes the form (Cancel, Escape); its draft stays.
    pub on_cancel: Callback<()>,
    /// Called with the endpoint's updated comment.
    pub on_saved: Callback<crate::json::Shown>,
}

/// The draft a form starts from: a reply's is kept under its own key, one per comment
/// answered (its name from the reader's main draft); an edit's under the comment's,
/// starting from its text; the main form's under the endpoint.
fn form_draft(endpoint: &str, reply: Option<&ReplyTo>, edit: Option<&EditOf>) -> DraftSignals {
    let fresh = || Draft { key: draft::new_key(), ..Draft::default() };
    match (reply, edit) {
        (_, Some(of)) => DraftSignals::load(&format!("{endpoint}#edit:{}", of.id), || Draft {
            author: of.author.clone(),
            body: of.body.clone(),
            ..fresh()
        }),
        (Some(to), None) => DraftSignals::load(&format!("{endpoint}#reply:{}", to.parent), || Draft {
            author: draft::load(endpoint).map(|d| d.author).unwrap_or_default(),
            ..fresh()
        }),
        (None, None) => DraftSignals::load(endpoint, fresh),
    }
}

/// How a form asks for the name: the main form always; an edit form never (only the
/// text changes); a reply form only when the reader has none yet (or the endpoint
/// refused it), otherwise saying "Posting as NAME" with a button to change it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AskName {
    Always,
    Never,
    Unless(RwSignal<bool>),
}

/// The name field, labelled "Your name (required)", or the line that says which name a
/// reply is posted under. A part of [`CommentForm`]'s view rather than a component of
/// its own (a component costs its props' builder in every build).
fn name_field(poster: Poster, id_prefix: &str, ask: AskName, strings: &Strings) -> impl IntoView {
    let (draft, errors) = (poster.draft, poster.errors);
    let [author_id, author_error_id] = ["author", "author-error"].map(|part| format!("{id_prefix}-{part}"));
    let author_described = described_by(None, author_error_id.clone(), errors.author);
    // Contract v1.3: a reader signed in with the site's account posts under its name.
    let account = move || poster.endpoint.with_value(|e| crate::account::name(e));
    let asked = move || match ask {
        _ if account().is_some() => false,
        AskName::Always => true,
        AskName::Never => false,
        AskName::Unless(known) => !known.get() || errors.author.get().is_some(),
    };
    let shown_name = move || account().unwrap_or_else(|| draft.author.get());
    let verified = strings.get(Key::VerifiedBadge);
    let posting_as = strings.get(Key::PostingAs);
    let (before, after) = posting_as.split_once("{name}").unwrap_or((&posting_as, ""));
    let change = move |_| {
        if let AskName::Unless(known) = ask {
            known.set(false);
            set_timeout(move || drop(poster.author_ref.get_untracked().map(|el| el.focus())), Duration::ZERO);
        }
    };
    view! {
        <p class="rc-as" hidden=move || asked() || ask == AskName::Never>
            {before.to_owned()}
            <bdi class="rc-as__name">{shown_name}</bdi>
            {after.to_owned()}
            " "
            {move || account().map(|_| view! { <span class="rc-mark rc-mark--verified" part="mark">{verified.clone()}</span> })}
            <button
                class="rc-button rc-button--link rc-as__change"
                part="button"
                type="button"
                hidden=move || account().is_some()
                on:click=change
            >
                {strings.get(Key::ChangeName)}
            </button>
        </p>
        <div class="rc-field" class:rc-field--error=move || errors.author.get().is_some() hidden=move || !asked()>
            {crate::writer::name_label(strings, author_id.clone())}
            <ErrorLine id=author_error_id error=errors.author />
            <input
                class="rc-input"
                dir="auto"
                part="input"
                id=author_id
                name="author"
                type="text"
                autocomplete="name"
                spellcheck="false"
                node_ref=poster.author_ref
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
    }
}

/// Contract v1.3: "E-mail me at ADDRESS when someone replies or a moderator decides",
/// for a signed-in reader whose token gives a verified address, where the endpoint
/// offers it (not in an edit form).
fn notify_box(poster: Poster, strings: &Strings, editing: bool) -> impl IntoView {
    let words = strings.get(Key::NotifyLabel);
    let address =
        move || (!editing).then(|| poster.endpoint.with_value(|e| crate::account::notify_address(e))).flatten();
    view! {
        <label class="rc-check" part="check" hidden=move || address().is_none()>
            <input
                type="checkbox"
                name="notify"
                prop:checked=move || poster.notify.get()
                on:change:target=move |ev| poster.notify.set(ev.target().checked())
            />
            " "
            {move || words.replace("{email}", &address().unwrap_or_default())}
        </label>
    }
}

/// The form's heading: "Leave a Comment", "Reply to NAME" or "Edit your comment".
fn form_heading(strings: &Strings, reply: Option<&ReplyTo>, editing: bool) -> String {
    match reply {
        _ if editing => strings.get(Key::EditHeading),
        Some(to) => strings.get(Key::ReplyHeading).replace("{name}", &to.author),
        None => strings.get(Key::FormHeading),
    }
}

/// Closes a reply or edit form (Cancel, Escape); the main form has nothing to close.
fn close(cancel: Option<Callback<()>>) {
    if let Some(cancel) = cancel {
        cancel.run(());
    }
}

/// The comment form; with `reply`, the form that answers one comment; with `edit`, the
/// form that changes the reader's own comment.
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
    /// The comment this form answers, for a reply form.
    #[prop(optional)]
    reply: Option<ReplyTo>,
    /// The reader's comment this form changes, for an edit form.
    #[prop(optional)]
    edit: Option<EditOf>,
    /// What the reader typed (and pressed) in the form's shell before this form arrived.
    #[prop(optional)]
    start: Option<crate::writer::Start>,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let draft = form_draft(&endpoint, reply.as_ref(), edit.as_ref());
    let submit_now = start.as_ref().is_some_and(|s| s.submit);
    // Typed in the shell: the count is said once the reader pauses, as if typed here.
    let typed_before = start.as_ref().is_some_and(|s| !s.body.is_empty());
    let notify_start = start.as_ref().is_some_and(|s| s.notify);
    if let Some(start) = start.filter(|s| {
        (s.author.as_str(), s.body.as_str()) != (&draft.author.get_untracked(), &draft.body.get_untracked())
    }) {
        draft.edited();
        draft.author.set(start.author);
        draft.body.set(start.body);
    }
    let errors = FieldErrors { author: RwSignal::new(None), body: RwSignal::new(None) };
    // A memo: the counter reads the count three times per keystroke; count once, and
    // split only what the keystroke changed.
    let typing = StoredValue::new_local(Typing::default());
    let count = Signal::from(Memo::new(move |_| typing.with_value(|t| count_visible_with(&draft.body.get(), t))));
    let (announcement, typed) = announcer(count, limits);
    let poster = Poster {
        draft,
        errors,
        posting: RwSignal::new(false),
        outcome: RwSignal::new(Outcome::Quiet),
        announcement,
        author_ref: NodeRef::new(),
        body_ref: NodeRef::new(),
        limits,
        endpoint: StoredValue::new(endpoint),
        parent: StoredValue::new(reply.as_ref().map(|to| to.parent.clone())),
        edit: StoredValue::new(edit.as_ref().map(|of| (of.id.clone(), of.token.clone(), of.on_saved))),
        timeout_ms,
        on_posted,
        notify: RwSignal::new(false),
    };
    poster.notify.set(notify_start);
    let heading = form_heading(&strings, reply.as_ref(), edit.is_some());
    // A reply's field says whom it answers: the main form's field has the same words.
    let body_label = match &reply {
        Some(to) => strings.get(Key::ReplyBodyLabel).replace("{name}", &to.author),
        None => strings.get(Key::BodyLabel),
    };
    let submit = match (&reply, &edit) {
        (_, Some(_)) => Key::Save,
        (Some(_), None) => Key::Reply,
        (None, None) => Key::Submit,
    };
    let editing = edit.is_some();
    let ask_name = match (&reply, editing) {
        (_, true) => AskName::Never,
        (Some(_), false) => {
            let name = draft.author.get_untracked();
            AskName::Unless(RwSignal::new(validate_author_with(&name, &Browser).is_none()))
        }
        (None, false) => AskName::Always,
    };
    let cancel = reply.as_ref().map(|to| to.on_cancel).or(edit.as_ref().map(|of| of.on_cancel));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if cancel.is_some() && ev.key() == "Escape" {
            ev.prevent_default();
            close(cancel);
        }
    };
    let not_saved = strings.get(Key::DraftNotSaved);
    let submit_strings = strings.clone();
    if typed_before {
        typed();
    }
    if submit_now {
        // Post was pressed in the shell: pressed again, now that it can be sent.
        let strings = submit_strings.clone();
        set_timeout(move || poster.submit(strings), Duration::ZERO);
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        poster.submit(submit_strings.clone());
    };
    let [body_id, body_error_id, hint_id] = ["body", "body-error", "hint"].map(|part| format!("{id_prefix}-{part}"));
    let body_described = described_by(Some(hint_id.clone()), body_error_id.clone(), errors.body);

    view! {
        <form class="rc-form" class:rc-form--reply=cancel.is_some() part="form" novalidate on:submit=on_submit on:keydown=on_keydown>
            <h3 class="rc-form__heading" part="form-heading">{heading}</h3>
            {name_field(poster, &id_prefix, ask_name, &strings)}
            <div class="rc-field" class:rc-field--error=move || errors.body.get().is_some()>
                <label class="rc-label" for=body_id.clone()>{body_label}</label>
                <ErrorLine id=body_error_id error=errors.body />
                <textarea
                    class="rc-textarea"
                    dir="auto"
                    part="textarea"
                    id=body_id
                    name="body"
                    rows="5"
                    node_ref=poster.body_ref
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
                <p class="rc-note" part="message" role="status">
                    {move || (!draft.stored.get()).then(|| not_saved.clone())}
                </p>
            </div>
            {notify_box(poster, &strings, editing)}
            <p class="rc-sr" aria-live="polite" aria-atomic="true">{move || announcement.get()}</p>
            <FormActions
                posting=poster.posting
                outcome=poster.outcome
                submit
                cancel
            />
        </form>
    }
}
