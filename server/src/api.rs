//! The reader API, `/api/threads/{thread}/comments…` (contract v1 and v1.1,
//! docs/contract.md): [`router`] (its routes, CORS and body limit), [`extract`] (the
//! request's path, origin, reader key, client and body as plain values), [`checks`]
//! (open thread, bans, allowances), and the handlers: [`listing`] (`GET`), [`posting`]
//! (`POST` a comment or reply), [`own`] (an author's edit and delete, a reader's
//! recommend) and [`reports`]; [`plain`], the thread as HTML and the answers to a plain
//! form's post (comments without JavaScript).

pub mod checks;
pub mod counts;
pub mod extract;
pub mod fate;
pub mod listing;
pub mod own;
pub mod plain;
pub mod posting;
pub mod reports;
pub mod router;
pub mod unsubscribe;
pub mod words;
