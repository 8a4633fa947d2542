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
use crate::elements::make;
use crate::i18n::{Key, Strings};
use leptos::prelude::*;
use reader_comments_core::Limits;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

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
/// `data-submit` for the form), and so does a draft that a reload restored, at once.
/// `failed` is what it says when the part could not be fetched. Its elements are made
/// with the DOM API (as the rows are), in one effect: the Leptos view it was cost every
/// reader's first load 2 KiB brotli more.
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
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = form.set_attribute("data-submit", "");
        }
        on_intent.run(true);
    };
    let account_endpoint = StoredValue::new(endpoint.clone());
    let draft_endpoint = endpoint;
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(form) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            keep_draft(&draft_endpoint, &start_of(&form));
        }
    };
    let form = NodeRef::<leptos::html::Form>::new();
    let restored = !draft.1.trim().is_empty();
    let shell = StoredValue::new(Some((id_prefix, draft)));
    Effect::new(move |_| {
        let Some(form) = form.get() else { return };
        let Some((id_prefix, draft)) = shell.try_update_value(Option::take).flatten() else { return };
        let Some(parts) = shell_parts(&form, &strings, &id_prefix, &draft) else { return };
        follow(parts, &strings, limits, failed, account_endpoint);
        // A draft a reload restored is an intent to write: the form comes at once.
        if restored {
            on_intent.run(false);
        }
    });
    view! {
        <form
            class="rc-form"
            part="form"
            novalidate
            node_ref=form
            on:input=on_input
            on:submit=on_submit
            on:focusin=move |_| on_intent.run(false)
            on:pointerdown=move |_| on_intent.run(false)
        ></form>
    }
}

/// The shell's elements that change: whom a signed-in reader posts as, the name's
/// field, the hint and the counter, the e-mail box, and the failure line.
struct ShellParts {
    posting_as: Element,
    name: Element,
    /// The Verified mark, in `posting_as` only while a reader is signed in.
    mark: Element,
    name_field: Element,
    hint: Element,
    counter: Element,
    notify: Element,
    /// The e-mail box's words: a text node.
    notify_words: web_sys::Node,
    failure: Element,
}

/// Fills the shell's `form` with the form's elements as they look (made with the DOM
/// API, as the rows are: a view of Leptos' for the shell alone cost the first load
/// 5.9 KiB brotli), `draft` in its fields.
fn shell_parts(form: &Element, strings: &Strings, id_prefix: &str, draft: &(String, String)) -> Option<ShellParts> {
    let doc = form.owner_document()?;
    let el = |parent: &Element, tag: &str, class: &str, attributes: &[(&str, &str)]| {
        let child = make(&doc, tag, class)?;
        for (name, value) in attributes {
            child.set_attribute(name, value).ok()?;
        }
        parent.append_child(&child).ok()?;
        Some(child)
    };
    let text = |parent: &Element, words: &str| parent.append_with_str_1(words).ok();
    let [author_id, body_id, hint_id] = ["author", "body", "hint"].map(|part| format!("{id_prefix}-{part}"));
    text(&el(form, "h3", "rc-form__heading", &[("part", "form-heading")])?, &strings.get(Key::FormHeading))?;
    // Contract v1.3: a signed-in reader posts under the account's name (as the form does).
    let posting_as = el(form, "p", "rc-as", &[("hidden", "")])?;
    let words = strings.get(Key::PostingAs);
    let (before, after) = words.split_once("{name}").unwrap_or((&words, ""));
    text(&posting_as, before)?;
    let name = el(&posting_as, "bdi", "rc-as__name", &[])?;
    text(&posting_as, after)?;
    text(&posting_as, " ")?;
    // In the paragraph only while a reader is signed in (placed then: [`follow`]).
    let mark = make(&doc, "span", "rc-mark rc-mark--verified")?;
    mark.set_attribute("part", "mark").ok()?;
    text(&mark, &strings.get(Key::VerifiedBadge))?;
    let name_field = el(form, "div", "rc-field", &[])?;
    let label = el(&name_field, "label", "rc-label", &[("for", &author_id)])?;
    text(&label, &format!("{} ", strings.get(Key::NameLabel)))?;
    text(&el(&label, "span", "rc-label__required", &[])?, &strings.get(Key::Required))?;
    let author = [("dir", "auto"), ("part", "input"), ("id", &author_id), ("name", "author"), ("type", "text")];
    let author = el(&name_field, "input", "rc-input", &author)?;
    author.set_attribute("autocomplete", "name").ok()?;
    author.set_attribute("spellcheck", "false").ok()?;
    author.dyn_ref::<web_sys::HtmlInputElement>()?.set_value(&draft.0);
    let body_field = el(form, "div", "rc-field", &[])?;
    text(&el(&body_field, "label", "rc-label", &[("for", &body_id)])?, &strings.get(Key::BodyLabel))?;
    let body = [("dir", "auto"), ("part", "textarea"), ("id", &body_id), ("name", "body"), ("rows", "5")];
    let body = el(&body_field, "textarea", "rc-textarea", &body)?;
    body.set_attribute("aria-describedby", &hint_id).ok()?;
    body.dyn_ref::<web_sys::HtmlTextAreaElement>()?.set_value(&draft.1);
    let meta = el(&body_field, "div", "rc-form__meta", &[("part", "counter")])?;
    let hint = el(&meta, "span", "rc-hint", &[("id", &hint_id)])?;
    let counter = el(&meta, "span", state_class(CountState::Below), &[("aria-hidden", "true")])?;
    let notify = el(form, "label", "rc-check", &[("part", "check"), ("hidden", "")])?;
    el(&notify, "input", "", &[("type", "checkbox"), ("name", "notify")])?.remove_attribute("class").ok()?;
    text(&notify, " ")?;
    text(&notify, "")?;
    let notify_words = notify.last_child()?;
    let actions = el(form, "div", "rc-form__actions", &[])?;
    text(&el(&actions, "button", "rc-button", &[("part", "button"), ("type", "submit")])?, &strings.get(Key::Submit))?;
    let failure = el(&actions, "p", "rc-form__message rc-fail", &[("part", "message failure"), ("role", "alert")])?;
    Some(ShellParts { posting_as, name, mark, name_field, hint, counter, notify, notify_words, failure })
}

/// Keeps the shell's changing parts in step with the thread's limits, the reader's
/// account and whether the writing part could be fetched.
fn follow(
    parts: ShellParts,
    strings: &Strings,
    limits: RwSignal<Limits>,
    failed: ReadSignal<Option<String>>,
    endpoint: StoredValue<String>,
) {
    let hidden = |element: &Element, on: bool| {
        let _ = element.toggle_attribute_with_force("hidden", on);
    };
    let ShellParts { posting_as, name, mark, name_field, hint, counter, notify, notify_words, failure } = parts;
    let (words, template) = (strings.clone(), strings.get(Key::NotifyLabel));
    // One effect for all (each effect of its own is generic code of its own).
    Effect::new(move |_| {
        let limits = limits.get();
        hint.set_text_content(Some(&words.with_n(Key::Hint, limits.min_length)));
        counter.set_text_content(Some(&counter_text(0, limits, &words)));
        let signed_in = endpoint.with_value(|e| crate::account::name(e));
        hidden(&posting_as, signed_in.is_none());
        match signed_in {
            Some(_) if !mark.is_connected() => drop(posting_as.append_child(&mark)),
            None => mark.remove(),
            Some(_) => {}
        }
        hidden(&name_field, signed_in.is_some());
        name.set_text_content(signed_in.as_deref());
        let address = endpoint.with_value(|e| crate::account::notify_address(e));
        hidden(&notify, address.is_none());
        notify_words.set_text_content(Some(&template.replace("{email}", address.as_deref().unwrap_or_default())));
        failure.set_text_content(failed.get().as_deref());
    });
}
