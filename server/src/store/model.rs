//! What the store keeps and gives back, as named types: a comment to store and a stored
//! one, a page's order, what moderators and the newsroom read, and comments as they
//! move in and out of a store. Every store operation takes and returns these.

use reader_comments_core::{Comment, Status};
use std::collections::HashMap;

/// The comment a reply answers and the top-level comment it sits under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parent {
    /// The comment answered.
    pub id: i64,
    /// The top-level comment of its conversation.
    pub root: i64,
}

/// The idempotency record stored with a post: its key and its content's fingerprint.
#[derive(Clone, Copy, Debug)]
pub struct PostKey<'a> {
    /// The `Idempotency-Key` the post came with.
    pub key: &'a str,
    /// The fingerprint of what it posted (rules/idempotency.rs).
    pub fingerprint: &'a str,
}

/// A comment to store.
#[derive(Default)]
pub struct NewRow<'a> {
    /// Its thread.
    pub thread: &'a str,
    /// The name, normalised.
    pub author: &'a str,
    /// The text, normalised.
    pub body: &'a str,
    /// Published or held.
    pub status: Status,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// For a reply: the comment it answers.
    pub parent: Option<Parent>,
    /// The hash of its edit token.
    pub token_hash: Option<String>,
    /// The post's idempotency record.
    pub idempotency: Option<PostKey<'a>>,
    /// The keyed, rotating hash of the poster's address (rules/bans.rs), never the address.
    pub client: Option<String>,
    /// The keyed hash of the reader key it was posted with, if one was sent.
    pub reader: Option<String>,
    /// Why it waits, in moderators' words (a held comment).
    pub held_for: Option<&'a str>,
    /// Written by the newsroom's staff, from the moderation pages (contract v1.2), or
    /// by a signed-in reader whose token has the staff role.
    pub staff: bool,
    /// The site's account it was posted from (a signed-in reader's `sub`): listed as
    /// `verified`.
    pub account: Option<&'a str>,
}

impl NewRow<'_> {
    /// The comment as stored under `id`: new, so not recommended or edited yet.
    pub fn stored_as(&self, id: i64) -> Comment {
        Comment {
            id: id.to_string(),
            author: self.author.to_string(),
            body: self.body.to_string(),
            created_at: Some(self.created_at),
            status: self.status,
            parent_id: self.parent.map(|p| p.id.to_string()),
            recommends: Some(0),
            staff: self.staff,
            verified: self.account.is_some(),
            ..Comment::default()
        }
    }
}

/// A stored comment with what only the server sees.
#[derive(Debug)]
pub struct Stored {
    /// The comment as listed.
    pub comment: Comment,
    /// The top-level comment a reply sits under (`None` for a top-level comment).
    pub root: Option<i64>,
    /// The hash of its edit token, if it has one.
    pub token_hash: Option<String>,
}

/// What an earlier post with the same idempotency key stored.
#[derive(Debug)]
pub struct Replay {
    /// The request body's fingerprint (author and body as stored).
    pub fingerprint: String,
    /// The comment it created.
    pub comment: Comment,
}

/// The order of a thread's top-level comments, and where a page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Oldest first, after this id.
    Oldest(i64),
    /// Newest first, before this id.
    Newest(i64),
    /// Most recommended first (then oldest), after this (recommends, id).
    Top(i64, i64),
    /// The featured comments (any level), the latest featured first, after this many.
    Featured(i64),
}

impl Order {
    /// The cursor of the page after `last`, the last of the `shown` of this page.
    pub fn cursor_after(self, last: &Comment, shown: usize) -> String {
        match self {
            Order::Oldest(_) | Order::Newest(_) => last.id.clone(),
            Order::Top(..) => format!("{}.{}", last.recommends.unwrap_or(0), last.id),
            // Featured comments are few (an editor's picks): counted, not keyed.
            Order::Featured(skipped) => (skipped + shown as i64).to_string(),
        }
    }
}

/// One page of comments and the cursor of the next, if there is one.
#[derive(Debug, Default)]
pub struct Page {
    /// The comments, in the page's order.
    pub comments: Vec<Comment>,
    /// Where the next page starts.
    pub next: Option<String>,
}

/// The first replies under a top-level comment, and how many it has in all.
#[derive(Debug, Default)]
pub struct FirstReplies {
    /// The oldest replies, at most as many as asked for.
    pub shown: Vec<Comment>,
    /// Every listed reply under it.
    pub total: usize,
}

/// The most recommends a comment counts: the largest integer a reader's browser reads
/// exactly from JSON (2^53), far above any real count; an import refuses more.
pub const MAX_RECOMMENDS: i64 = 1 << 53;

/// A reader's recommend after a change: the comment's count, and whether the reader
/// now recommends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recommended {
    /// How many readers recommend the comment.
    pub count: u64,
    /// Whether this reader does.
    pub on: bool,
}

/// A comment with the thread it belongs to (the queue, the search of published ones).
#[derive(Debug)]
pub struct InThread {
    /// The thread's key.
    pub thread: String,
    /// The comment.
    pub comment: Comment,
    /// Its version: 1, and one more with each edit.
    pub version: i64,
    /// Why it waits, in moderators' words, as recorded when it was held (none for one
    /// held before reasons were recorded, or sent back by readers' reports).
    pub held_for: Option<String>,
}

/// A ban made with a rejection: until when, and by whom.
#[derive(Clone, Copy, Debug)]
pub struct BanFor<'a> {
    /// Milliseconds since the epoch.
    pub until: i64,
    /// The moderator's name.
    pub by: &'a str,
}

/// Why a moderator rejected a comment, recorded with it and shown to its author.
#[derive(Clone, Copy, Debug)]
pub struct RejectedFor<'a> {
    /// The reason's code (`reader_comments_core::REJECT_REASONS`, or one of the
    /// newsroom's).
    pub reason: &'a str,
    /// Its words, in the newsroom's language (shown to moderators, and to the author by
    /// a widget that does not know the code).
    pub words: &'a str,
    /// The moderator's own words, if any (plain text, bounded by the caller).
    pub note: Option<&'a str>,
    /// The moderator.
    pub by: &'a str,
}

/// A comment as its author may see it, wherever it stands, with the hash of the edit
/// token that proves authorship.
#[derive(Clone, Debug)]
pub struct Own {
    /// The comment (its status `pending` or `published`; a rejected one as it was sent).
    pub comment: Comment,
    /// The hash of its edit token, if it has one.
    pub token_hash: Option<String>,
    /// Why it was rejected: (the reason's code, its words, the moderator's note); `None`
    /// while it is in the thread.
    pub rejected: Option<(String, String, Option<String>)>,
}

/// A rejected comment, for the moderators' Rejected page.
#[derive(Clone, Debug)]
pub struct RejectedComment {
    /// Its thread's key.
    pub thread: String,
    /// The comment as it was when it waited.
    pub comment: Comment,
    /// The reason, in the newsroom's words.
    pub reason: String,
    /// The moderator's note to its author, if any.
    pub note: Option<String>,
    /// Who rejected it.
    pub moderator: String,
    /// When it was rejected (milliseconds since the epoch).
    pub at: i64,
}

/// The article a thread belongs to, as the widget sent it with a post: plain text and an
/// address on one of the site's origins (run by the API's checks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    /// Its headline.
    pub title: Option<String>,
    /// Its canonical address.
    pub url: Option<String>,
}

/// What one commenter wrote on this site, as far as the keyed hash of their address
/// goes (it changes every 30 days: rules/bans.rs), for a moderator.
#[derive(Debug, Default)]
pub struct History {
    /// Their comments, newest first: published, waiting, or deleted with replies, each
    /// with its thread and how many readers' reports on it no moderator has read.
    pub comments: Vec<(InThread, i64)>,
    /// Their rejected comments, the latest rejection first.
    pub rejected: Vec<RejectedComment>,
    /// The ban in force on them, if any.
    pub ban: Option<Ban>,
    /// What moderators decided about them.
    pub standing: Standing,
    /// The site's account they wrote from, when signed in: the history is then the
    /// account's (across threads and addresses), with its suspension or ban.
    pub account: Option<(String, Option<AccountBar>)>,
}

/// An account suspended (until a time) or banned (no end), with the reason its owner
/// is told when they try to post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountBar {
    /// When it ends (milliseconds since the epoch); `None`: a ban.
    pub until: Option<i64>,
    /// The moderators' words, shown to the account's owner.
    pub reason: String,
    /// The moderator.
    pub by: String,
    /// When it was decided.
    pub at: i64,
}

/// What moderators decided about one commenter (by the keyed hash of their address).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// `hold` (every comment of theirs waits), `trust` (theirs skip the link and
    /// first-comment holds), or neither.
    pub standing: Option<String>,
    /// The moderators' note about them.
    pub note: Option<String>,
    /// Who decided last, and when.
    pub by: Option<(String, i64)>,
}

/// What a rejection did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Whether the comment was rejected, or why not.
    pub decided: Decided,
    /// Whether its author's address was banned (not when it is not known).
    pub banned: bool,
}

/// What became of a moderator's decision on a waiting comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Done.
    Done,
    /// Not done: the comment changed since the version the moderator saw.
    Changed,
    /// Not done: there is no such comment waiting.
    Gone,
}

/// Who reports a comment, and why.
#[derive(Clone, Copy, Debug)]
pub struct ReportBy<'a> {
    /// The keyed hash of the reader's key.
    pub reader: &'a str,
    /// The keyed hash of the client's address (rules/bans.rs), when known.
    pub client: Option<&'a str>,
    /// The reason's code (`spam`, `abuse`, `other`).
    pub reason: &'a str,
}

/// What a reader's report did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reported {
    /// The reader had not reported this comment before.
    pub new: bool,
    /// It was the report that sent the published comment back to the queue.
    pub requeued: bool,
}

/// How many readers gave one reason for reporting a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonCount {
    /// The reason's code (`spam`, `abuse`, `other`).
    pub reason: String,
    /// How many readers gave it.
    pub readers: i64,
}

/// The reports moderators have not seen, per comment, the commonest reason first.
pub type OpenReports = HashMap<i64, Vec<ReasonCount>>;

/// A thread in the moderators' thread list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadSummary {
    /// Its key.
    pub key: String,
    /// Published comments (not deleted).
    pub published: i64,
    /// Comments waiting for moderation.
    pub waiting: i64,
    /// Whether a newsroom closed it.
    pub closed: bool,
    /// Its article, when a post recorded one.
    pub article: Option<Article>,
}

/// A moderator's session that has not expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Whose it is.
    pub moderator: String,
    /// The token its forms carry.
    pub csrf: String,
}

/// An entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// When, in milliseconds since the epoch.
    pub at: i64,
    /// Who ("(readers)" for what readers' reports did).
    pub moderator: String,
    /// What ("approve", "delete", …).
    pub action: String,
    /// To what ("comment 15", "thread t", a phrase).
    pub target: String,
}

/// A ban in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ban {
    /// The keyed hash of the banned address (rules/bans.rs).
    pub client_hash: String,
    /// Until when, in milliseconds since the epoch.
    pub until: i64,
    /// The moderator who made it.
    pub by: String,
    /// The comment whose author it bans, when the ban was made with one.
    pub comment: Option<i64>,
}

/// A comment as a moderator recalls it in the audit log and the bans page.
#[derive(Clone, Debug)]
pub struct Recalled {
    /// Its thread's key.
    pub thread: String,
    /// Its author.
    pub author: String,
    /// Its text.
    pub body: String,
    /// Why it was rejected (the reason's words), when it was.
    pub rejected_for: Option<String>,
}

/// A webhook event an instance has claimed for delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueEvent {
    /// Its id in the outbox.
    pub id: i64,
    /// The event's JSON text.
    pub event: String,
    /// How many attempts failed so far.
    pub attempts: u32,
}

/// A comment as it leaves or enters the store, with what only the server sees beyond
/// the contract's members. Ids are the source's: an import maps them to its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Its thread.
    pub thread: String,
    /// Its id in the source.
    pub id: String,
    /// The id (in the source) of the comment it answers.
    pub parent: Option<String>,
    /// The name (empty once deleted).
    pub author: String,
    /// The text (empty once deleted).
    pub body: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// "published", "pending" or "deleted" (a deleted comment kept for its replies).
    pub status: String,
    /// When it was last edited.
    pub edited_at: Option<i64>,
    /// How many recommends it has.
    pub recommends: i64,
    /// When the newsroom featured it (contract v1.2), if it did.
    pub featured_at: Option<i64>,
    /// Written by the newsroom's staff.
    pub staff: bool,
    /// The site's account it was posted from (a signed-in reader's `sub`).
    pub account: Option<String>,
}

/// A thread a newsroom closed, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedThread {
    /// The thread's key.
    pub key: String,
    /// When it was closed (milliseconds since the epoch).
    pub at: i64,
}

/// A word or phrase a newsroom blocked, as the moderators wrote it, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedPhrase {
    /// The word or phrase.
    pub phrase: String,
    /// When it was blocked (milliseconds since the epoch).
    pub at: i64,
}

/// What a newsroom decided that moves with its comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    /// The threads it closed.
    pub closed: Vec<ClosedThread>,
    /// The words and phrases it blocked.
    pub blocked: Vec<BlockedPhrase>,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Comments added.
    pub added: usize,
    /// Comments already in the store (the same thread, time, name, text and parent).
    pub present: usize,
    /// Threads closed by the import (not those closed already).
    pub closed: usize,
    /// Phrases blocked by the import (not those blocked already).
    pub blocked: usize,
}
