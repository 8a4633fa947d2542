//! The Reader Comments reference server: the JSON contract (`docs/contract.md`) over
//! SQLite or PostgreSQL, safe by default, the newsroom's moderation pages, and the host
//! of the built widget and its demo page.
//!
//! Its folders are its layers, and imports run one way, from the top down:
//! - [`cli`] (the command line, data in and out) and [`app`] (the whole application's
//!   routes and layers);
//! - [`api`] (the reader API: routes, extractors, handlers) and [`admin`] (the
//!   moderation pages): what people use;
//! - [`run`]: running it (serving, settings, the shared state, clients' limits, the
//!   webhook, the demo's seed);
//! - [`rules`]: why a comment is held, blocked words, bans, who a client is,
//!   idempotency, thread keys, plain text from imports, time;
//! - [`store`]: the store, written once over SQLite and PostgreSQL.
//!
//! [`problem`] (every failure as an RFC 9457 document) and [`error`] (the handlers' one
//! error type) are the vocabulary every layer above the store answers in.

pub mod admin;
pub mod api;
pub mod app;
pub mod cli;
pub mod error;
pub mod problem;
pub mod rules;
pub mod run;
pub mod store;

pub use api::extract::MAX_BODY_BYTES;
pub use api::listing::{DEFAULT_PAGE, MAX_PAGE};
pub use app::router;
pub use rules::holding::Moderation;
pub use run::ready::Front;
pub use run::serve::serve;
pub use run::settings::{parse_rate, CachePolicy, Settings};
pub use run::state::{AppState, DEMO_THREAD};
