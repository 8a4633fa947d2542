//! Bans (issue 13): a moderator bans the address a comment came from, for a chosen
//! time, without the address ever being stored. Each new comment keeps a keyed hash of
//! its client's address (an IPv6 client's /64 as one), keyed with the store's secret and
//! with a 30-day period, so the hash of the same address changes every 30 days and an
//! old hash identifies nobody once its bans are over. A post is refused (403, code
//! `banned`) when the hash of its address for this period or the last one is banned;
//! bans last at most 30 days, so the two periods cover every ban in force.

use super::clients::ClientKey;
use crate::store::Store;
use std::net::IpAddr;

/// A day, the unit of a ban's length.
pub const DAY_MS: i64 = 24 * 3600 * 1000;
/// The length of a period, and the longest ban.
pub const PERIOD_MS: i64 = 30 * DAY_MS;

/// The hash kept for `client` in the period of `now_ms` (`back` periods earlier).
pub fn client_hash(store: &Store, client: IpAddr, now_ms: i64, back: i64) -> String {
    let period = now_ms / PERIOD_MS - back;
    store.reader_hash(&format!("client {period} {:?}", ClientKey::of(client)))
}

/// The hashes a ban on `client` may be recorded under now: this period's and the last.
pub fn hashes_of(store: &Store, client: IpAddr, now_ms: i64) -> Vec<String> {
    vec![client_hash(store, client, now_ms, 0), client_hash(store, client, now_ms, 1)]
}
