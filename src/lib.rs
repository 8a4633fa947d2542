//! Reader Comments: an embeddable, accessible comment section. On a page, the loader
//! (`reader-comments.js`) mounts it through the exports in [`host`]; another Leptos app
//! uses [`CommentSection`] directly.

pub mod account;
pub mod api;
pub mod cache;
pub mod clusters;
pub mod comment_form;
pub mod comment_list;
pub mod comment_row;
pub mod config;
pub mod counter;
pub mod draft;
pub mod elements;
pub mod host;
pub mod i18n;
pub mod json;
pub mod memory;
pub mod posting;
pub mod relative_time;
pub mod reply;
pub mod report;
pub mod row_actions;
pub mod row_questions;
pub mod row_text;
pub mod thread;
pub mod widget;
pub mod writer;

pub use api::{ApiError, Posted};
pub use comment_form::CommentForm;
pub use comment_list::{CommentList, RowAction};
pub use comment_row::comment_row;
pub use config::{Config, Theme};
pub use counter::Counter;
pub use host::{mount_with, mounted_count, translation_of};
pub use i18n::{Key, Strings};
pub use reader_comments_core as core;
pub use widget::CommentSection;
