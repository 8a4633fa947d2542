//! Sending a form's comment: the reader's draft as signals (kept in storage on every
//! change), the checks before sending, one post (or edit) per draft however often the
//! button is pressed, and what the reader is told, beside the fields and as a sentence.

use crate::api::{post_comment, ApiError, Posted};
use crate::clusters::Browser;
use crate::draft::{self, Draft};
use crate::i18n::{Key, Strings};
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{normalize, validate_comment_with, FieldError, Limits};

/// What the form last said about posting.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
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
pub(crate) struct DraftSignals {
    pub(crate) author: RwSignal<String>,
    pub(crate) body: RwSignal<String>,
    pub(crate) key: RwSignal<String>,
    /// Whether the current key was sent.
    pub(crate) sent: RwSignal<bool>,
    /// False while storage refuses the draft (it lives in this page's memory only).
    pub(crate) stored: RwSignal<bool>,
}

impl DraftSignals {
    /// The draft kept under `endpoint` (a reply's or an edit's own key), or `fresh`.
    pub(crate) fn load(endpoint: &str, fresh: impl FnOnce() -> Draft) -> Self {
        let saved = draft::load(endpoint).unwrap_or_else(fresh);
        let signals = DraftSignals {
            author: RwSignal::new(saved.author),
            body: RwSignal::new(saved.body),
            key: RwSignal::new(saved.key),
            sent: RwSignal::new(saved.sent),
            stored: RwSignal::new(true),
        };
        let store = endpoint.to_string();
        Effect::new(move |_| {
            let stored = draft::save(&store, &signals.get());
            signals.stored.set(stored);
        });
        let restore = endpoint.to_string();
        let pageshow = window_event_listener(leptos::ev::pageshow, move |ev| {
            if let Some(d) = draft::load(&restore).filter(|_| ev.persisted()) {
                signals.set(d);
            }
        });
        on_cleanup(move || pageshow.remove());
        signals
    }

    pub(crate) fn get(self) -> Draft {
        Draft { author: self.author.get(), body: self.body.get(), key: self.key.get(), sent: self.sent.get() }
    }

    pub(crate) fn set(self, d: Draft) {
        self.author.set(d.author);
        self.body.set(d.body);
        self.key.set(d.key);
        self.sent.set(d.sent);
    }

    /// Editing after a failed attempt makes a new draft with a new key: the endpoint
    /// would refuse the old key with a different body.
    pub(crate) fn edited(self) {
        if self.sent.get_untracked() {
            self.sent.set(false);
            self.key.set(draft::new_key());
        }
    }

    /// The endpoint accepted it: the text goes, the name stays for the next comment.
    pub(crate) fn posted(self) {
        self.body.try_set(String::new());
        self.key.try_set(draft::new_key());
        self.sent.try_set(false);
    }
}

/// The error shown beside each field.
#[derive(Clone, Copy)]
pub(crate) struct FieldErrors {
    pub(crate) author: RwSignal<Option<String>>,
    pub(crate) body: RwSignal<Option<String>>,
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
            if slot.try_get_untracked().is_some_and(|shown| shown.is_none()) {
                slot.try_set(Some(message));
            }
            shown = true;
        }
        shown
    }

    pub(crate) fn clear(self) {
        self.author.set(None);
        self.body.set(None);
    }
}

/// The sentence for a failed post: what failed, why (unless the fields already say),
/// and that the draft is kept.
fn failure_sentence(error: &ApiError, fields_say_why: bool, strings: &Strings, what: Key) -> String {
    let reason = match (error, fields_say_why) {
        (ApiError::Status(_, _), true) => String::new(),
        _ => error.message(strings),
    };
    [strings.get(what), reason, strings.get(Key::DraftKept)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Everything posting touches. `Copy`: signals, references and the callback.
#[derive(Clone, Copy)]
pub(crate) struct Poster {
    pub(crate) draft: DraftSignals,
    pub(crate) errors: FieldErrors,
    pub(crate) posting: RwSignal<bool>,
    pub(crate) outcome: RwSignal<Outcome>,
    pub(crate) announcement: RwSignal<String>,
    pub(crate) author_ref: NodeRef<leptos::html::Input>,
    pub(crate) body_ref: NodeRef<leptos::html::Textarea>,
    pub(crate) limits: Signal<Limits>,
    pub(crate) endpoint: StoredValue<String>,
    /// The comment a reply answers (`None` for a comment on the thread).
    pub(crate) parent: StoredValue<Option<String>>,
    /// For an edit form: the comment's id, its edit token, and what to call when saved.
    pub(crate) edit: StoredValue<Option<(String, String, Callback<crate::json::Shown>)>>,
    pub(crate) timeout_ms: u32,
    pub(crate) on_posted: Callback<Posted>,
    /// The signed-in reader asks to be told by e-mail (contract v1.3).
    pub(crate) notify: RwSignal<bool>,
}

impl Poster {
    /// The form was submitted: refused here with the reason beside the field, or sent
    /// once (a second press while it is on its way only says so).
    pub(crate) fn submit(self, strings: Strings) {
        if self.posting.get_untracked() {
            self.outcome.set(Outcome::Failed(strings.get(Key::PostingWait)));
            return;
        }
        // A reader signed in with the site's account posts under its name (contract v1.3).
        let signed_in =
            self.endpoint.with_value(|e| crate::account::token(e).as_deref().and_then(crate::account::name_in));
        let name = signed_in.unwrap_or_else(|| self.draft.author.get_untracked());
        let text = self.draft.body.get_untracked();
        self.outcome.set(Outcome::Quiet);
        if self.refused(&validate_comment_with(&name, &text, self.limits.get_untracked(), &Browser), &strings) {
            return;
        }
        self.posting.set(true);
        self.draft.sent.set(true);
        let payload = (normalize(&name), normalize(&text), self.draft.key.get_untracked());
        spawn_local(self.send(strings, payload));
    }

    /// Shows what the checks found, focusing the first refused field; false if nothing.
    fn refused(self, found: &[FieldError], strings: &Strings) -> bool {
        self.errors.clear();
        let messages = found.iter().map(|e| (e.field, strings.field_error(e.field, e.code, e.amount, e.limit, "")));
        self.errors.show(messages);
        match found.first().map(|e| e.field) {
            Some("author") => self.author_ref.get_untracked().map(|el| el.focus()),
            Some(_) => self.body_ref.get_untracked().map(|el| el.focus()),
            None => return false,
        };
        true
    }

    /// Sends the post or the edit. The form may be gone before this starts or by the
    /// time the answer comes (its widget taken off the page): only `try_` accesses, so a
    /// late answer touches nothing (the draft is already saved).
    async fn send(self, strings: Strings, (name, text, key): (String, String, String)) {
        let (Some(endpoint), Some(edit), Some(parent)) =
            (self.endpoint.try_get_value(), self.edit.try_get_value(), self.parent.try_get_value())
        else {
            return;
        };
        if let Some((id, token, on_saved)) = edit {
            match crate::api::edit_comment(&endpoint, &id, &token, &text, self.timeout_ms).await {
                // The draft keeps the saved text: reopening the form shows it.
                Ok(comment) => {
                    on_saved.try_run(comment);
                }
                Err(error) => self.failed(&error, &strings),
            }
            self.posting.try_set(false);
            return;
        }
        let notify =
            self.notify.try_get_untracked().unwrap_or(false) && crate::account::notify_address(&endpoint).is_some();
        match post_comment(&endpoint, &name, &text, &key, self.timeout_ms, (parent.as_deref(), notify)).await {
            Ok(posted) => {
                self.draft.posted();
                self.announcement.try_set(String::new());
                let note = strings.get(if posted.pending { Key::PostedPending } else { Key::Posted });
                self.outcome.try_set(Outcome::Posted(note));
                self.on_posted.try_run(posted);
            }
            Err(error) => self.failed(&error, &strings),
        }
        self.posting.try_set(false);
    }

    /// Shows why a post or an edit failed: beside the fields it concerns, and as a sentence.
    fn failed(self, error: &ApiError, strings: &Strings) {
        let fields = error
            .field_errors()
            .iter()
            .map(|e| (e.field.as_str(), strings.field_error(&e.field, &e.code, e.amount, e.limit, &e.message)));
        let fields_say_why = self.errors.show(fields);
        // An edit that failed was not "posted": its own sentence.
        let what =
            if self.edit.try_with_value(Option::is_some) == Some(true) { Key::EditFailed } else { Key::PostFailed };
        self.outcome.try_set(Outcome::Failed(failure_sentence(error, fields_say_why, strings, what)));
    }
}
