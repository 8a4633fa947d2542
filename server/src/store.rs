//! The store: one module owns what is stored (the models), its errors and its schema,
//! and every operation on it, written once as SQL both engines read; SQLite (a file
//! path: the default) and PostgreSQL (`postgres://…`: several instances) are two
//! connection adapters under it (docs/server.md, "One store, two engines").
//!
//! - [`model`]: the types every operation takes and gives; [`error`]: what goes wrong.
//! - [`schema`]: one ordered list of migrations, one version for both engines.
//! - The operations, as methods of [`Store`], by concern: the conversation, reading,
//!   moderation, the newsroom's people and rules, transfer, the webhook's outbox and the
//!   rate limits instances share.
//! - `sql`: the connection interface both engines give; `sqlite` and `postgres`: the
//!   engines.
//!
//! The store is synchronous: handlers call it inside `spawn_blocking`.

mod conversation;
pub mod error;
mod handle;
mod limits;
mod lock;
mod mail;
pub mod model;
mod moderation;
mod newsroom;
mod outbox;
mod postgres;
mod reading;
mod rows;
pub mod schema;
mod sql;
mod sqlite;
mod transfer;
pub mod watch;

pub use error::{ImportError, OpenError, ReadError, WriteError};
pub use handle::{is_postgres, sha256_hex, token_hash, Store};
pub use lock::lock;
pub use mail::{DueMail, MailEvent};
pub use model::{
    AccountBar, Article, AuditEntry, Ban, BanFor, BlockedPhrase, ClosedThread, Decided, Decisions, DueEvent,
    FirstReplies, History, Imported, InThread, Moved, NewRow, OpenReports, Order, Own, Page, Parent, PostKey,
    ReasonCount, Recalled, Recommended, Rejected, RejectedComment, RejectedFor, Replay, ReportBy, Reported, Session,
    Standing, Stored, ThreadSummary, MAX_RECOMMENDS,
};
pub use schema::SCHEMA_VERSION;
pub use sql::ChangeMark;
