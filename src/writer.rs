//! What writing needs, apart from what reading needs (issue 22): the forms (the main
//! one, a reply's, an edit's) with their counter, checks, drafts and posting. In the
//! release build (feature `split`) it is a part of the wasm of its own, fetched the
//! first time a reader shows the intent to write; until then the section shows the
//! form as it looks ([`FormShell`]: real fields, so that what is typed stays), and
//! the form takes over from it with what was typed, where the focus was, and a press of
//! Post if there was one. If the part cannot be fetched, the shell says so and keeps
//! the text; the next press tries again.

use crate::api::Posted;
use crate::comment_form::{CommentForm, EditOf, ReplyTo};
use crate::counter::{counter_text, state_class, CountState};
use crate::i18n::{Key, Strings};
use leptos::prelude::*;
use reader_comments_core::Limits;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// What the reader did in the shell before the form arrived.
#[derive(Clone, Default)]
pub struct Start {
    /// The name typed.
    pub author: String,
    /// The text typed.
    pub body: String,
    /// The field that had the focus ("author" or "body"), and its selection.
    pub focus: Option<(String, Selection)>,
    /// Whether Post was pressed.
    pub submit: bool,
    /// Whether "E-mail me" was ticked (contract v1.3).
    pub notify: bool,
}

/// A field's selection: where it starts and ends, and which end the caret is at. A
/// reader who selected their name to type over it, when the form arrives between the
/// selection and the typing, replaces the name rather than adding to it.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Selection {
    /// Where it starts (UTF-16 units, as the DOM counts).
    pub start: u32,
    /// Where it ends; the same as `start` for a caret.
    pub end: u32,
    /// "forward", "backward" or "none".
    pub direction: String,
}

/// Which form to mount.
pub enum Form {
    /// The section's own form, taking over from its shell (the shell's `<form>`: what was
    /// typed in it is read once the writing part is here).
    Main(Callback<Posted>, web_sys::Element),
    /// A reply, and what to do once it is posted.
    Reply(ReplyTo, Callback<Posted>),
    /// An edit of the reader's comment.
    Edit(EditOf),
}

/// Everything a form is mounted with.
pub struct Mount {
    /// The element the form goes into.
    pub target: HtmlElement,
    /// The thread's URL.
    pub endpoint: String,
    /// The thread's length limits.
    pub limits: RwSignal<Limits>,
    /// The bound on a request, in milliseconds.
    pub timeout_ms: u32,
    /// The widget's strings.
    pub strings: Strings,
    /// The prefix of the form's element ids.
    pub id_prefix: String,
    /// Which form.
    pub form: Form,
}

/// The writing part could not be fetched (the network failed, or its file is missing).
#[derive(Debug)]
pub struct Unavailable;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for Unavailable {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        Unavailable
    }
}

/// Mounts a form (fetching the writing part first, the first time); the handle that
/// tears it down when dropped.
pub async fn mount(mount: Mount) -> Result<Box<dyn std::any::Any>, Unavailable> {
    #[cfg(feature = "split")]
    return mount_in_part(mount).await;
    #[cfg(not(feature = "split"))]
    Ok(mount_now(mount))
}

/// [`mount_now`], in the part of the wasm fetched when it is first called.
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(writer, fallible)]
fn mount_in_part(mount: Mount) -> Result<Box<dyn std::any::Any>, Unavailable> {
    Ok(mount_now(mount))
}

/// Mounts the form into its element, with the shell's focus and selection where it had them.
fn mount_now(mount: Mount) -> Box<dyn std::any::Any> {
    let Mount { target, endpoint, limits, timeout_ms, strings, id_prefix, form } = mount;
    // The section left the page while the part was on its way: nothing to mount into.
    if limits.try_get_untracked().is_none() {
        return Box::new(());
    }
    let shell = match &form {
        Form::Main(_, shell) => Some(shell.clone()),
        _ => None,
    };
    let start = shell.as_ref().map(start_of);
    let focus = start.as_ref().and_then(|s| {
        let text = |name: &str| if name == "author" { s.author.clone() } else { s.body.clone() };
        s.focus.clone().map(|f| (text(&f.0), f))
    });
    let handle = leptos::mount::mount_to(target.clone(), move || {
        provide_context(strings);
        let limits = Signal::from(limits);
        match form {
            Form::Main(on_posted, _) => {
                let start = start.unwrap_or_default();
                view! { <CommentForm endpoint limits timeout_ms id_prefix on_posted start /> }.into_any()
            }
            Form::Reply(to, on_posted) => {
                view! { <CommentForm endpoint limits timeout_ms id_prefix on_posted reply=to /> }.into_any()
            }
            Form::Edit(of) => {
                let on_posted = Callback::new(|_: Posted| {});
                view! { <CommentForm endpoint limits timeout_ms id_prefix on_posted edit=of /> }.into_any()
            }
        }
    });
    // The form takes the shell's place in the same task: nothing is painted between.
    if let Some(shell) = &shell {
        shell.remove();
    }
    // The field's text is set now, as the form's render will set it (its effect runs
    // after this task: setting the same text then leaves the selection where it is).
    if let Some((text, (name, at))) = focus {
        let field = target.query_selector(&format!("[name='{name}']")).ok().flatten();
        if let Some(field) = field.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
            let _ = field.focus();
            let Selection { start, end, direction } = &at;
            if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_value(&text);
                let _ = input.set_selection_range_with_direction(*start, *end, direction);
            } else if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.set_value(&text);
                let _ = area.set_selection_range_with_direction(*start, *end, direction);
            }
        }
    }
    Box::new(handle)
}

/// Keeps what was typed in the shell as the thread's draft (a new key once a post was
/// tried with the old one, as the form does).
fn keep_draft(endpoint: &str, typed: &Start) {
    let fresh = || crate::draft::Draft { key: crate::draft::new_key(), ..Default::default() };
    let mut draft = crate::draft::load(endpoint).unwrap_or_else(fresh);
    if (draft.author.as_str(), draft.body.as_str()) == (typed.author.as_str(), typed.body.as_str()) {
        return;
    }
    if draft.sent {
        draft.sent = false;
        draft.key = crate::draft::new_key();
    }
    draft.author.clone_from(&typed.author);
    draft.body.clone_from(&typed.body);
    crate::draft::save(endpoint, &draft);
}

/// "Your name (required)": the name's label, in the form and in its shell. The name is
/// required: the label says so before any error (WCAG 3.3.2).
pub(crate) fn name_label(strings: &Strings, for_id: String) -> impl IntoView {
    view! {
        <label class="rc-label" for=for_id>
            {strings.get(Key::NameLabel)} " " <span class="rc-label__required">{strings.get(Key::Required)}</span>
        </label>
    }
}

/// What the reader did in the shell `form` so far (Post pressed: `data-submit`).
pub fn start_of(form: &web_sys::Element) -> Start {
    let submit = form.has_attribute("data-submit");
    let value = |name: &str| {
        let field = form.query_selector(&format!("[name='{name}']")).ok().flatten();
        field.and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value())
    };
    let body =
        form.query_selector("textarea").ok().flatten().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let active = form.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().and_then(|root| root.active_element());
    let focus = active.filter(|a| form.contains(Some(a))).and_then(|a| {
        let name = a.get_attribute("name")?;
        let at = |range: [Result<Option<u32>, _>; 2], direction: Result<Option<String>, _>| {
            let [start, end] = range.map(|r| r.ok().flatten().unwrap_or(0));
            Selection { start, end: end.max(start), direction: direction.ok().flatten().unwrap_or_default() }
        };
        let selection = match (a.dyn_ref::<web_sys::HtmlInputElement>(), a.dyn_ref::<web_sys::HtmlTextAreaElement>()) {
            (Some(i), _) => at([i.selection_start(), i.selection_end()], i.selection_direction()),
            (_, Some(t)) => at([t.selection_start(), t.selection_end()], t.selection_direction()),
            _ => Selection::default(),
        };
        Some((name, selection))
    });
    let notify = form
        .query_selector("[name='notify']")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|c| c.checked());
    Start {
        notify,
        author: value("author").unwrap_or_default(),
        body: body.map(|b| b.value()).unwrap_or_default(),
        focus,
        submit,
    }
}

/// The main form as it looks, before the writing part has arrived: the same elements,
/// ids and classes as [`CommentForm`]'s (so that nothing moves when it takes over),
/// real fields that keep what is typed, the draft a reload restores, and no logic: a
/// focus or a press in it calls `on_intent` (with true for Post, which it remembers in
/// `data-submit` for the form). `failed` is what it says when the part could not be
/// fetched.
#[component]
pub fn FormShell(
    /// The prefix of the form's element ids.
    id_prefix: String,
    /// The thread's length limits.
    limits: RwSignal<Limits>,
    /// The draft a reload restores (name, text).
    draft: (String, String),
    /// Called when the reader shows the intent to write; true when they pressed Post.
    on_intent: Callback<bool>,
    /// Why the writing part is not there, once fetching it failed.
    failed: ReadSignal<Option<String>>,
    /// The thread's URL: what is typed in the shell is kept as its draft, so that
    /// leaving the page before the form arrives loses nothing.
    endpoint: String,
) -> impl IntoView {
    let strings = use_context::<Strings>().unwrap_or_default();
    let [author_id, body_id, hint_id] = ["author", "body", "hint"].map(|part| format!("{id_prefix}-{part}"));
    let hint_strings = strings.clone();
    let hint = move || hint_strings.with_n(Key::Hint, limits.get().min_length);
    let digits = strings.clone();
    let counter = move || counter_text(0, limits.get(), &digits);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = form.set_attribute("data-submit", "");
        }
        on_intent.run(true);
    };
    let account_endpoint = StoredValue::new(endpoint.clone());
    let signed_in = move || account_endpoint.with_value(|e| crate::account::name(e));
    let posting_as = strings.get(Key::PostingAs);
    let (before, after) = posting_as.split_once("{name}").unwrap_or((&posting_as, ""));
    let verified = strings.get(Key::VerifiedBadge);
    let notify_words = strings.get(Key::NotifyLabel);
    let notify_address = move || account_endpoint.with_value(|e| crate::account::notify_address(e));
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(form) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            keep_draft(&endpoint, &start_of(&form));
        }
    };
    view! {
        <form
            class="rc-form"
            part="form"
            novalidate
            on:input=on_input
            on:submit=on_submit
            on:focusin=move |_| on_intent.run(false)
            on:pointerdown=move |_| on_intent.run(false)
        >
            <h3 class="rc-form__heading" part="form-heading">{strings.get(Key::FormHeading)}</h3>
            // Contract v1.3: a signed-in reader posts under the account's name (as the form does).
            <p class="rc-as" hidden=move || signed_in().is_none()>
                {before.to_owned()}
                <bdi class="rc-as__name">{move || signed_in().unwrap_or_default()}</bdi>
                {after.to_owned()}
                " "
                {move || signed_in().map(|_| view! { <span class="rc-mark rc-mark--verified" part="mark">{verified.clone()}</span> })}
            </p>
            <div class="rc-field" hidden=move || signed_in().is_some()>
                {name_label(&strings, author_id.clone())}
                <input
                    class="rc-input"
                    dir="auto"
                    part="input"
                    id=author_id
                    name="author"
                    type="text"
                    autocomplete="name"
                    spellcheck="false"
                    prop:value=draft.0
                />
            </div>
            <div class="rc-field">
                <label class="rc-label" for=body_id.clone()>{strings.get(Key::BodyLabel)}</label>
                <textarea
                    class="rc-textarea"
                    dir="auto"
                    part="textarea"
                    id=body_id
                    name="body"
                    rows="5"
                    aria-describedby=hint_id.clone()
                    prop:value=draft.1
                ></textarea>
                <div class="rc-form__meta" part="counter">
                    <span class="rc-hint" id=hint_id>{hint}</span>
                    <span class=state_class(CountState::Below) aria-hidden="true">{counter}</span>
                </div>
            </div>
            <label class="rc-check" part="check" hidden=move || notify_address().is_none()>
                <input type="checkbox" name="notify" />
                " "
                {move || notify_words.replace("{email}", &notify_address().unwrap_or_default())}
            </label>
            <div class="rc-form__actions">
                <button class="rc-button" part="button" type="submit">{strings.get(Key::Submit)}</button>
                <p class="rc-form__message rc-fail" part="message failure" role="alert">{move || failed.get()}</p>
            </div>
        </form>
    }
}
