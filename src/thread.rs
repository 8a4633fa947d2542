//! A thread's state in the widget: the comments shown, where the first page stands,
//! the cursor of the next page, the comments received but not shown yet, and the
//! endpoint's limits. Loading and "Load more" are methods, so the section's view only
//! reads signals.

use crate::api::Fate;
use crate::api::{fetch_page, warn_all, with_param};
use crate::i18n::{Key, Strings};
use crate::i18n::{MORE_COMMENTS_SHOWN, MORE_REPLIES_SHOWN, REASONS};
use crate::json::{Js, Shown};
use crate::memory;
use crate::row_questions::say_in_row;
use crate::row_text::fill_in;
use leptos::prelude::*;
use leptos::task::spawn_local;
use reader_comments_core::{Capabilities, Limits, Rest, Sort, Status, REJECT_REASONS};
use std::collections::HashSet;
use std::time::Duration;
use web_sys::Element;

/// How often a reader's waiting comments are asked about while the page is visible.
const OWN_CHECK_EVERY: Duration = Duration::from_secs(60);

/// For how long after the page loaded they are asked about (then a reload asks again).
const OWN_CHECKS_FOR_MS: f64 = 3_600_000.0;

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
    /// What the endpoint offers beyond v1 (contract v1.1); `None` from a v1 endpoint.
    pub capabilities: RwSignal<Option<Capabilities>>,
    /// The newsroom closed the thread (contract v1.1): no form, no Reply or Edit.
    pub closed: RwSignal<bool>,
    /// The order the reader chose (`None`: the endpoint's own).
    pub sort: StoredValue<Option<Sort>>,
    /// Why the last recommend or "more replies" failed, for the reader.
    pub action_error: RwSignal<Option<String>>,
    /// The top-level comments whose replies are being fetched.
    replies_busy: StoredValue<Vec<String>>,
    /// Those comments, still as parsed JSON: decoded only when shown.
    held: StoredValue<Rest<Js>, LocalStorage>,
    endpoint: StoredValue<String>,
    strings: StoredValue<Strings>,
    /// The bound on each request, in milliseconds.
    pub timeout_ms: u32,
    page_size: usize,
    /// The reply form open under a comment, if one is (`crate::reply`).
    pub reply_form: StoredValue<Option<crate::reply::OpenReply>, LocalStorage>,
    /// What the section's polite live region says ("Your comment was published.").
    pub announce: RwSignal<String>,
    /// The comment to move the focus to once its row is shown: the first one "Load more"
    /// or "Show N more replies" revealed (so the focus never falls to the page).
    pub focus_on: StoredValue<Option<String>>,
    /// The reader changed the order: say so when the list is shown in it.
    sorted: StoredValue<bool>,
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
            capabilities: RwSignal::new(None),
            closed: RwSignal::new(false),
            sort: StoredValue::new(memory::sort(&endpoint)),
            action_error: RwSignal::new(None),
            replies_busy: StoredValue::new(Vec::new()),
            held: StoredValue::new_local(Rest::empty()),
            endpoint: StoredValue::new(endpoint),
            strings: StoredValue::new(strings),
            timeout_ms,
            page_size,
            reply_form: StoredValue::new_local(None),
            announce: RwSignal::new(String::new()),
            focus_on: StoredValue::new(None),
            sorted: StoredValue::new(false),
        }
    }

    /// The thread's URL.
    pub fn endpoint(self) -> String {
        self.endpoint.get_value()
    }

    /// The widget's strings.
    pub fn strings(self) -> Strings {
        self.strings.try_get_value().unwrap_or_default()
    }

    /// Shows the next `page_size` of the comments held back.
    pub fn reveal(self) {
        let mut taken = (Vec::new(), Vec::new());
        self.held.update_value(|h| taken = h.take(self.page_size));
        self.held_count.set(self.held.with_value(Rest::remaining));
        let (mut shown, warnings) = taken;
        warn_all(&warnings);
        self.mark_recommended(&mut shown);
        let revealed = self.reveal_more(shown, true);
        self.say_shown(MORE_COMMENTS_SHOWN, revealed);
    }

    /// Adds `more` to the list; the focus goes to the first of them not shown before
    /// when `focus` (once its row is drawn). How many were not shown before.
    fn reveal_more(self, more: Vec<Shown>, focus: bool) -> usize {
        let new: Vec<String> = self
            .comments
            .try_with_untracked(|list| {
                more.iter().filter(|c| !list.iter().any(|s| s.id == c.id)).map(|c| c.id.clone()).collect()
            })
            .unwrap_or_default();
        if let (true, Some(first)) = (focus, new.first()) {
            self.focus_on.try_set_value(Some(first.clone()));
        }
        self.comments.try_update(|list| warn_all(&merge(list, more)));
        new.len()
    }

    /// Says politely how many comments or replies were just shown.
    fn say_shown(self, said: crate::i18n::Plural, n: usize) {
        if n > 0 {
            self.announce.try_set(self.strings().plural(said, n));
        }
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

    /// The endpoint's URL for the first page, in the order chosen.
    fn first_url(self) -> String {
        let endpoint = self.endpoint.get_value();
        match self.sort.get_value() {
            Some(sort) => with_param(&endpoint, "sort", sort.as_str()),
            None => endpoint,
        }
    }

    /// Marks the comments this reader recommended (remembered in the browser; an
    /// endpoint's own `recommended` stands too).
    fn mark_recommended(self, comments: &mut [Shown]) {
        // Called when an answer arrives, which may be after the widget was torn down.
        let offered = self.capabilities.try_with_untracked(|c| c.as_ref().is_some_and(|c| c.recommend));
        let (Some(true), Some(endpoint)) = (offered, self.endpoint.try_get_value()) else { return };
        let mine = memory::ids(memory::Ids::Recommended, &endpoint);
        for c in comments.iter_mut() {
            c.recommended |= mine.contains(&c.id);
        }
    }

    /// Shows the thread in another order (remembered for this endpoint); once it is
    /// shown, a polite status says so ("Sorted: Newest first").
    pub fn set_sort(self, sort: Sort) {
        memory::set_sort(&self.endpoint.get_value(), sort);
        self.sort.set_value(Some(sort));
        self.sorted.set_value(true);
        self.fetch(None);
    }

    /// "Show N more replies" (`control`): fetches every reply under the top-level comment
    /// `root` (`GET {endpoint}?parent=ID`, page after page) and shows those not shown
    /// yet; a failure is said under the button.
    pub fn load_replies(self, root: String, control: Element) {
        if self.replies_busy.with_value(|b| b.contains(&root)) {
            return;
        }
        self.replies_busy.update_value(|b| b.push(root.clone()));
        say_in_row(&control, None);
        let base = with_param(&self.endpoint.get_value(), "parent", &root);
        spawn_local(async move {
            let mut cursor: Option<String> = None;
            let mut revealed = 0;
            // A bound on pages, so a looping cursor cannot keep the widget busy forever.
            for _ in 0..50 {
                match fetch_page(&base, cursor.as_deref(), self.timeout_ms, usize::MAX).await {
                    Ok((mut page, _)) => {
                        for reply in &mut page.comments {
                            reply.parent_id.get_or_insert_with(|| root.clone());
                        }
                        self.mark_recommended(&mut page.comments);
                        // The focus goes to the first reply revealed (the button goes).
                        revealed += self.reveal_more(page.comments, revealed == 0);
                        cursor = page.next;
                        if cursor.is_none() {
                            break;
                        }
                    }
                    Err(error) => {
                        let strings = self.strings.try_get_value().unwrap_or_default();
                        let text = format!("{} {}", strings.get(Key::RepliesFailed), error.message(&strings));
                        self.say_failed(&control, text);
                        break;
                    }
                }
            }
            self.say_shown(MORE_REPLIES_SHOWN, revealed);
            self.replies_busy.try_update_value(|b| b.retain(|r| *r != root));
        });
    }

    /// Says why what the reader pressed (`control`) failed, in its row, or at the list's
    /// end when the row has left the page meanwhile.
    pub fn say_failed(self, control: &Element, text: String) {
        if !say_in_row(control, Some(&text)) {
            self.action_error.try_set(Some(text));
        }
    }

    /// The recommend toggle (`control`): shown at once, sent, and rolled back with a
    /// message in the row if the endpoint refuses.
    pub fn recommend(self, id: String, control: Element) {
        let Some(before) = self.comments.with_untracked(|l| l.iter().find(|c| c.id == id).cloned()) else { return };
        let on = !before.recommended;
        let set = move |recommends: Option<u64>, recommended: bool| {
            self.comments.try_update(|list| {
                if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                    c.recommends = recommends;
                    c.recommended = recommended;
                }
            });
        };
        let guess = before.recommends.map(|n| if on { n + 1 } else { n.saturating_sub(1) });
        set(guess, on);
        say_in_row(&control, None);
        let endpoint = self.endpoint.get_value();
        let reader = memory::reader_key(&endpoint);
        let id = before.id.clone();
        spawn_local(async move {
            match crate::api::recommend(&endpoint, &id, &reader, on, self.timeout_ms).await {
                Ok((count, recommended)) => {
                    memory::remember(memory::Ids::Recommended, &endpoint, &id, recommended);
                    set(Some(count), recommended);
                }
                Err(error) => {
                    set(before.recommends, before.recommended);
                    let strings = self.strings.try_get_value().unwrap_or_default();
                    let text = format!("{} {}", strings.get(Key::RecommendFailed), error.message(&strings));
                    self.say_failed(&control, text);
                }
            }
        });
    }

    /// Asks what became of this reader's comments (contract v1.2; their edit tokens are
    /// kept in the browser) and shows each to them where it stands: waiting, or not
    /// published with the reason in their language; one that was waiting on this page and
    /// is now published takes its place, said politely. While some wait, asks again a
    /// minute later, only while the page is visible, for at most an hour from `since`.
    pub fn check_own(self, since: f64) {
        let Some(endpoint) = self.endpoint.try_get_value() else { return };
        let offered = self.capabilities.try_with_untracked(|c| c.as_ref().is_some_and(|c| c.own_status));
        let mine = memory::tokens(&endpoint);
        if offered != Some(true) || mine.is_empty() || js_sys::Date::now() - since > OWN_CHECKS_FOR_MS {
            return;
        }
        let later = move || leptos::prelude::set_timeout(move || self.check_own(since), OWN_CHECK_EVERY);
        if web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden()) {
            return later();
        }
        spawn_local(async move {
            let Ok(fates) = crate::api::own_status(&endpoint, &mine, self.timeout_ms).await else { return later() };
            let strings = self.strings();
            let (mut waiting, mut published) = (false, false);
            self.comments.try_update(|list| {
                for fate in fates {
                    match fate {
                        Fate::Waiting(comment) => {
                            waiting = true;
                            upsert(list, comment);
                        }
                        Fate::Published(comment) => {
                            let shown = list.iter_mut().find(|c| c.id == comment.id);
                            if let Some(shown) = shown.filter(|c| c.status == Status::Pending) {
                                published = true;
                                memory::set_fate(&endpoint, &comment.id, None);
                                *shown = comment;
                            }
                        }
                        Fate::Rejected(mut comment, code, words, note) => {
                            let known = REJECT_REASONS.iter().position(|(c, _)| *c == code);
                            let reason = match known {
                                Some(i) => strings.get(REASONS[i]),
                                None if words.is_empty() => strings.get(Key::ReasonOther),
                                None => words,
                            };
                            let mut why = fill_in(&strings.get(Key::RejectedWhy), &reason, 0);
                            if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
                                why = format!("{why} {} {note}", strings.get(Key::RejectedNote));
                            }
                            memory::set_fate(&endpoint, &comment.id, Some(why));
                            comment.status = Status::Pending;
                            // Taken out and put back: the row is built again with its fate.
                            list.retain(|c| c.id != comment.id);
                            list.push(comment);
                        }
                        Fate::Gone(id) => memory::set_token(&endpoint, &id, None),
                    }
                }
            });
            if published {
                self.announce.try_set(strings.get(Key::PublishedYours));
            }
            if waiting {
                later();
            }
        });
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
        let url = self.first_url();
        spawn_local(async move {
            match fetch_page(&url, cursor.as_deref(), self.timeout_ms, self.page_size).await {
                Ok((mut page, rest)) => {
                    if let Some(limits) = page.limits {
                        self.limits.try_set(limits);
                    }
                    if first {
                        let keyed = page.capabilities.as_ref().is_some_and(|c| c.recommend || c.report);
                        // (`try_`: the section may be gone by the time the page arrives.)
                        let v12 = page.capabilities.as_ref().is_some_and(|c| c.own_status);
                        if let Some(endpoint) = self.endpoint.try_get_value() {
                            memory::takes_reader_key(&endpoint, Some(keyed));
                            memory::takes_article(&endpoint, Some(v12));
                            let notify = page.capabilities.as_ref().is_some_and(|c| c.notify);
                            crate::account::offers_notify(&endpoint, notify);
                        }
                        self.capabilities.try_set(page.capabilities.take());
                        self.closed.try_set(page.closed);
                    }
                    self.mark_recommended(&mut page.comments);
                    // "Load more" fetches only when nothing is held, so this never
                    // drops held comments.
                    self.held.try_set_value(rest);
                    self.held_count.try_set(self.held.try_with_value(Rest::remaining).unwrap_or(0));
                    if !first {
                        // "Load more": the focus goes to the first new comment.
                        let revealed = self.reveal_more(page.comments, true);
                        self.say_shown(MORE_COMMENTS_SHOWN, revealed);
                        self.next.try_set(page.next);
                        self.more_busy.try_set(false);
                        return;
                    }
                    let received = page.comments;
                    // The first page replaces the list, keeping this reader's own
                    // comments it lacks (posted meanwhile, or waiting: the endpoint's
                    // copy wins); under Featured, only those waiting.
                    let own: Vec<String> = match self.endpoint.try_get_value() {
                        Some(endpoint) => memory::tokens(&endpoint).into_iter().map(|(id, _)| id).collect(),
                        None => Vec::new(),
                    };
                    let featured = self.sort.try_get_value().flatten() == Some(Sort::Featured);
                    self.comments.try_update(|list| {
                        let before = std::mem::take(list);
                        warn_all(&merge(list, received));
                        for comment in before {
                            let kept = own.contains(&comment.id) && (!featured || comment.status == Status::Pending);
                            if kept && !list.iter().any(|c| c.id == comment.id) {
                                list.push(comment);
                            }
                        }
                    });
                    self.next.try_set(page.next);
                    // Only the first page changes the state: setting it again would
                    // rebuild the whole list instead of appending to it.
                    self.load.try_set(Load::Ready);
                    if let (Some(true), Some(Some(sort))) = (self.sorted.try_get_value(), self.sort.try_get_value()) {
                        self.sorted.try_set_value(false);
                        let strings = self.strings();
                        let said = fill_in(&strings.get(Key::SortedNow), &strings.get(crate::i18n::sort_key(sort)), 0);
                        self.announce.try_set(said);
                    }
                    self.check_own(js_sys::Date::now());
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
