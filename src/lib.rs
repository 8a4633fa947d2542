//! Reader Comments: an embeddable, accessible comment section. Mount it on a page with
//! [`start`] (what `reader-comments.js` does), or use [`CommentSection`] directly in
//! another Leptos app.

pub mod api;
pub mod comment_form;
pub mod comment_list;
pub mod config;
pub mod counter;
pub mod draft;
pub mod host;
pub mod i18n;
pub mod json;
pub mod widget;

pub use api::{ApiError, Posted};
pub use comment_form::CommentForm;
pub use comment_list::{comment_row, CommentList};
pub use config::{Config, Theme};
pub use counter::Counter;
pub use host::{mounted_count, scan, start, HOST_SELECTOR};
pub use i18n::Strings;
pub use reader_comments_core as core;
pub use widget::CommentSection;
