//! A thread's state in the widget: the comments shown, where the first page stands,
//! the cursor of the next page, the comments received but not shown yet, and the
//! endpoint's limits. Loading and "Load more" are methods, so the section's view only
//! reads signals.

use crate::api::{fetch_page, warn_all};
use crate::i18n::{Key, Strings};
use crate::json::{Js, Shown};
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{Limits, Rest};
use std::collections::HashSet;

/// Where the first page stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// On its way.
    Loading,
    /// Shown.
    Ready,
    /// Refused or unreachable, with the sentence to show.
    Failed(String),
}

/// Adds an endpoint's comments to those shown, in linear time. A comment whose id is
/// already shown (earlier in the same answer, or on an earlier page) is skipped, so the
/// first one stays; each skip is returned as a warning for the console.
pub fn merge(list: &mut Vec<Shown>, more: Vec<Shown>) -> Vec<String> {
    let mut seen: HashSet<String> = list.iter().map(|c| c.id.clone()).collect();
    let mut warnings = Vec::new();
    for comment in more {
        if seen.insert(comment.id.clone()) {
            list.push(comment);
        } else {
            warnings.push(format!("skipped a comment whose id \"{}\" is already shown", comment.id));
        }
    }
    warnings
}

/// Shows the reader's own comment, or replaces the one with its id (the endpoint's copy
/// of the same comment, with a newer status).
pub fn upsert(list: &mut Vec<Shown>, comment: Shown) {
    match list.iter_mut().find(|c| c.id == comment.id) {
        Some(shown) => *shown = comment,
        None => list.push(comment),
    }
}

/// One thread's reactive state. `Copy`: every field is a signal or a stored value.
#[derive(Clone, Copy)]
pub struct ThreadState {
    /// The comments shown, in the endpoint's order.
    pub comments: RwSignal<Vec<Shown>>,
    /// Where the first page stands.
    pub load: RwSignal<Load>,
    /// The cursor of the next page, if the endpoint has one.
    pub next: RwSignal<Option<String>>,
    /// Whether "Load more" is fetching.
    pub more_busy: RwSignal<bool>,
    /// Why the last "Load more" failed.
    pub more_error: RwSignal<Option<String>>,
    /// The limits in force: the site's, then the endpoint's once it advertised some.
    pub limits: RwSignal<Limits>,
    /// How many received comments wait behind "Load more".
    pub held_count: RwSignal<usize>,
    /// Those comments, still as parsed JSON: decoded only when shown.
    held: StoredValue<Rest<Js>, LocalStorage>,
    endpoint: StoredValue<String>,
    strings: StoredValue<Strings>,
    timeout_ms: u32,
    page_size: usize,
}

impl ThreadState {
    /// The state of a thread that has not loaded yet.
    pub fn new(endpoint: String, limits: Limits, strings: Strings, timeout_ms: u32, page_size: usize) -> Self {
        ThreadState {
            comments: RwSignal::new(Vec::new()),
            load: RwSignal::new(Load::Loading),
            next: RwSignal::new(None),
            more_busy: RwSignal::new(false),
            more_error: RwSignal::new(None),
            limits: RwSignal::new(limits),
            held_count: RwSignal::new(0),
            held: StoredValue::new_local(Rest::empty()),
            endpoint: StoredValue::new(endpoint),
            strings: StoredValue::new(strings),
            timeout_ms,
            page_size,
        }
    }

    /// Shows the next `page_size` of the comments held back.
    pub fn reveal(self) {
        let mut taken = (Vec::new(), Vec::new());
        self.held.update_value(|h| taken = h.take(self.page_size));
        self.held_count.set(self.held.with_value(Rest::remaining));
        let (shown, warnings) = taken;
        warn_all(&warnings);
        self.comments.update(|list| warn_all(&merge(list, shown)));
    }

    /// "Load more": the held comments first, then the endpoint's next page.
    pub fn load_more(self) {
        if self.held_count.get_untracked() > 0 {
            self.reveal();
        } else if let (false, Some(cursor)) = (self.more_busy.get_untracked(), self.next.get_untracked()) {
            self.fetch(Some(cursor));
        }
    }

    /// A comment this reader posted.
    pub fn add(self, comment: Shown) {
        self.comments.update(|list| upsert(list, comment));
    }

    /// Fetches the first page (`None`) or the page after `cursor`.
    pub fn fetch(self, cursor: Option<String>) {
        let first = cursor.is_none();
        if first {
            self.load.set(Load::Loading);
        } else {
            self.more_busy.set(true);
            self.more_error.set(None);
        }
        let endpoint = self.endpoint.get_value();
        spawn_local(async move {
            match fetch_page(&endpoint, cursor.as_deref(), self.timeout_ms, self.page_size).await {
                Ok((page, rest)) => {
                    if let Some(limits) = page.limits {
                        self.limits.try_set(limits);
                    }
                    // "Load more" fetches only when nothing is held, so this never
                    // drops held comments.
                    self.held.try_set_value(rest);
                    self.held_count.try_set(self.held.try_with_value(Rest::remaining).unwrap_or(0));
                    let received = page.comments;
                    self.comments.try_update(|list| {
                        // The first page replaces the list, keeping what this reader
                        // posted meanwhile (the endpoint's copy wins).
                        let mine = if first { std::mem::take(list) } else { Vec::new() };
                        warn_all(&merge(list, received));
                        for comment in mine {
                            if !list.iter().any(|c| c.id == comment.id) {
                                list.push(comment);
                            }
                        }
                    });
                    self.next.try_set(page.next);
                    // Only the first page changes the state: setting it again would
                    // rebuild the whole list instead of appending to it.
                    if first {
                        self.load.try_set(Load::Ready);
                    }
                }
                Err(error) => {
                    let strings = self.strings.try_get_value().unwrap_or_default();
                    let text = format!("{} {}", strings.get(Key::LoadFailed), error.message(&strings));
                    if first {
                        self.load.try_set(Load::Failed(text));
                    } else {
                        self.more_error.try_set(Some(text));
                    }
                }
            }
            self.more_busy.try_set(false);
        });
    }
}
