//! The rules the handlers apply, above the store and below the handlers: each takes
//! plain values (and the store, where a rule reads it) and never reaches up.
//!
//! - [`accounts`]: readers signed in with the site's own accounts (a JWT the site signs).
//! - [`holding`]: which comments wait for a moderator, and why, in moderators' words.
//! - [`blocked`]: blocked words and phrases, matched as readers write them.
//! - [`bans`]: the keyed, rotating hash a ban is recorded under.
//! - [`clients`]: who a request comes from (the address a trusted proxy reports; an
//!   IPv6 /64 as one).
//! - [`idempotency`]: a post's fingerprint and the keys in flight.
//! - [`reports`]: what moderators read for each reason a reader reports.
//! - [`threads`]: what a thread key may be.
//! - [`passwords`]: moderators' passwords as Argon2id hashes.
//! - [`plain_text`]: the plain text of imported HTML.
//! - [`time`]: now, in the milliseconds the store keeps.
//! - [`tokens`]: the random tokens handed out, and how one sent back is compared.

pub mod accounts;
pub mod bans;
pub mod blocked;
pub mod clients;
pub mod holding;
pub mod idempotency;
pub mod passwords;
pub mod plain_text;
pub mod reports;
pub mod threads;
pub mod time;
pub mod tokens;
