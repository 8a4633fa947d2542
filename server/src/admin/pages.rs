//! The moderation pages' HTML (maud: every value is escaped, so a comment's text is only
//! ever text here too). Plain forms that work without JavaScript; one stylesheet.
//! [`layout`] is every page's frame; [`queue`] the queue and the published list;
//! [`commenter`] one commenter's history; [`answer`] the newsroom's answer;
//! [`decisions`] the Rejected page and the question Delete asks;
//! [`newsroom`] the thread list, blocked words, bans and the audit log; [`parts`] the
//! pieces they share.

pub mod answer;
pub mod commenter;
pub mod decisions;
pub mod layout;
pub mod newsroom;
pub mod parts;
pub mod queue;
