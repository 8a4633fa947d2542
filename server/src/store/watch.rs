//! What lets an instance on PostgreSQL answer an unchanged page from memory without
//! asking the store first, and still never serve a page older than a write that was
//! acknowledged before the read began, whichever instance took the write (issue 26).
//!
//! - **Announced.** Every change to a thread announces the thread on the channel
//!   `reader_comments` (the store's triggers, schema 19; sent at commit, so every
//!   writer announces: an instance, the command line, a hand-written statement).
//! - **Heard, with a lease.** Each instance that keeps pages listens on a connection of
//!   its own. Over that connection it renews a lease every second (a row of
//!   `reader_comments_instances`, good for [`LEASE`]) and announces the renewal on the
//!   channel; when it hears its own renewal come back, it has heard everything
//!   committed before the renewal was sent (PostgreSQL delivers a channel's
//!   notifications to a listener in commit order), and it trusts the versions it knows
//!   until the renewal's send time plus the lease. A thread announced is forgotten at
//!   once; a thread not known is read from the store as before. An instance that
//!   stops hearing (the connection drops, a renewal does not come back) stops trusting
//!   what it knows when its lease ends, at the latest, and forgets it all.
//! - **Settled before acknowledged.** After a write, before its answer goes out, the
//!   instance that wrote pings the channel and reads, in the same statement, which
//!   instances hold a lease; each of them answers the ping once it has heard it, so
//!   after everything before it. The answer waits for all of them, or for the lease
//!   of any that does not answer to run out (an instance that died holds writes back
//!   for at most [`LEASE`] once).
//!
//! The known versions take a reading's version only when nothing was announced while
//! the reading was under way ([`Watch::learn`]), so a version read before a change
//! and returned after its announcement is never kept.

use super::lock::lock;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, Notify};

/// The channel every change is announced on.
pub const CHANNEL: &str = "reader_comments";
/// How long a renewed lease is good for (the statement in [`RENEW`] says the same).
pub const LEASE: Duration = Duration::from_secs(3);
/// How much sooner than its lease an instance stops trusting (clocks that run at
/// slightly different rates).
const MARGIN: Duration = Duration::from_millis(250);
/// How often a lease is renewed.
pub const RENEW_EVERY: Duration = Duration::from_secs(1);
/// Renews the lease of instance `$1` and announces the renewal `$2` (only if renewed);
/// leases gone for a day are removed on the way.
pub const RENEW: &str = "WITH gone AS (DELETE FROM reader_comments_instances WHERE until < now() - interval '1 day'),
     lease AS (INSERT INTO reader_comments_instances (id, until) VALUES ($1, now() + interval '3 seconds')
               ON CONFLICT (id) DO UPDATE SET until = EXCLUDED.until RETURNING id)
     SELECT pg_notify('reader_comments', $2) FROM lease";
/// Pings the channel with `$1` and lists the instances holding a lease.
pub const PING: &str = "SELECT pg_notify('reader_comments', $1),
     ARRAY(SELECT id FROM reader_comments_instances WHERE until > now())";
/// Answers a ping.
pub const ANSWER: &str = "SELECT pg_notify('reader_comments', $1)";
/// The most versions known at once (past this, a reading is not kept).
const KNOWN_MOST: usize = 100_000;

/// An instance's hearing of the channel (see the module's documentation).
pub struct Watch {
    /// This instance's name in the leases.
    pub id: String,
    /// Whether this process keeps pages (holds a lease, answers pings); the command
    /// line only listens, to hear the answers to its own pings.
    pub serve: bool,
    state: Mutex<State>,
    /// Woken when the listening connection is up.
    listening: Notify,
}

#[derive(Default)]
struct State {
    /// Until when what is known may be trusted.
    trusted_until: Option<Instant>,
    known: HashMap<String, i64>,
    /// One up with every announcement and every loss of trust.
    epoch: u64,
    /// The renewal sent and not heard yet, and when it was sent.
    renewal: Option<(String, Instant)>,
    /// Pings of this process's writes waiting for answers, by token.
    waits: HashMap<String, Wait>,
    listening: bool,
}

#[derive(Default)]
struct Wait {
    /// The instances that answered.
    answered: HashSet<String>,
    /// The instances still to answer (once the ping's statement has listed them).
    left: Option<HashSet<String>>,
    done: Option<oneshot::Sender<()>>,
}

/// Random hex, for names and tokens.
pub fn random_name() -> String {
    let mut bytes = [0u8; 12];
    // Without randomness, the clock (names need only differ between processes).
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        bytes[..12].copy_from_slice(&nanos.to_le_bytes()[..12]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Watch {
    pub fn new(serve: bool) -> Watch {
        Watch { id: random_name(), serve, state: Mutex::default(), listening: Notify::new() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The version of `thread` known to be current, while what is known is trusted.
    pub fn known(&self, thread: &str) -> Option<i64> {
        let mut state = self.state();
        if !state.trusted(Instant::now()) {
            state.forget_all();
            return None;
        }
        state.known.get(thread).copied()
    }

    /// A mark that moves with every announcement heard and every loss of trust.
    pub fn epoch(&self) -> u64 {
        self.state().epoch
    }

    /// Keeps `version` of `thread`, read by a statement that began after `epoch` was
    /// taken, if nothing was announced since (else it may be older than what was).
    pub fn learn(&self, thread: &str, version: i64, epoch: u64) {
        let mut state = self.state();
        if state.epoch == epoch && state.trusted(Instant::now()) && state.known.len() < KNOWN_MOST {
            state.known.insert(thread.to_string(), version);
        }
    }

    /// Whether what is known is trusted now.
    pub fn trusted(&self) -> bool {
        self.state().trusted(Instant::now())
    }

    /// What was heard on the channel; an answer to send back, if it asks for one.
    pub fn heard(&self, payload: &str) -> Option<String> {
        let (kind, rest) = payload.split_once(' ')?;
        let mut state = self.state();
        match kind {
            "t" => {
                state.known.remove(rest);
                state.epoch += 1;
                None
            }
            "r" => {
                if state.renewal.as_ref().is_some_and(|(token, _)| token == rest) {
                    let (_, sent) = state.renewal.take()?;
                    if !state.trusted(Instant::now()) {
                        // Whatever was known before may have missed announcements.
                        state.forget_all();
                    }
                    state.trusted_until = Some(sent + LEASE - MARGIN);
                }
                None
            }
            "p" if self.serve => Some(format!("o {} {rest}", self.id)),
            "o" => {
                let (who, token) = rest.split_once(' ')?;
                if let Some(wait) = state.waits.get_mut(token) {
                    wait.answered.insert(who.to_string());
                    if let Some(left) = wait.left.as_mut() {
                        left.remove(who);
                        if left.is_empty() {
                            if let Some(done) = wait.done.take() {
                                let _ = done.send(());
                            }
                        }
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// A renewal is being sent, as `token`.
    pub fn renewing(&self, token: String) {
        self.state().renewal = Some((token, Instant::now()));
    }

    /// The listening connection is up.
    pub fn listening(&self) {
        self.state().listening = true;
        self.listening.notify_waiters();
    }

    /// The listening connection is gone: nothing known is trusted.
    pub fn lost(&self) {
        let mut state = self.state();
        state.listening = false;
        state.trusted_until = None;
        state.renewal = None;
        state.forget_all();
    }

    /// Waits (at most `most`) until the listening connection is up; whether it is.
    pub async fn until_listening(&self, most: Duration) -> bool {
        let woken = self.listening.notified();
        if self.state().listening {
            return true;
        }
        let _ = tokio::time::timeout(most, woken).await;
        self.state().listening
    }

    /// Starts waiting for the answers to the ping `token`.
    pub fn expect(&self, token: &str) -> oneshot::Receiver<()> {
        let (done, answered) = oneshot::channel();
        self.state().waits.insert(token.to_string(), Wait { done: Some(done), ..Wait::default() });
        answered
    }

    /// The instances that must answer the ping `token` (those holding a lease when it
    /// was sent); whether they all have already.
    pub fn from(&self, token: &str, instances: Vec<String>) -> bool {
        let mut state = self.state();
        let Some(wait) = state.waits.get_mut(token) else { return true };
        let left: HashSet<String> = instances.into_iter().filter(|i| !wait.answered.contains(i)).collect();
        let all = left.is_empty();
        wait.left = Some(left);
        all
    }

    /// Stops waiting for the answers to `token`.
    pub fn forget(&self, token: &str) {
        self.state().waits.remove(token);
    }
}

impl State {
    fn trusted(&self, now: Instant) -> bool {
        self.listening && self.trusted_until.is_some_and(|until| now < until)
    }

    fn forget_all(&mut self) {
        self.known.clear();
        self.epoch += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted_watch() -> Watch {
        let watch = Watch::new(true);
        watch.listening();
        watch.renewing("r1".into());
        watch.heard("r r1");
        assert!(watch.trusted());
        watch
    }

    #[test]
    fn an_announcement_forgets_its_thread_and_a_reading_under_way_is_not_kept() {
        let watch = trusted_watch();
        let epoch = watch.epoch();
        watch.learn("a", 4, epoch);
        watch.learn("b", 7, epoch);
        assert_eq!((watch.known("a"), watch.known("b")), (Some(4), Some(7)));
        // A reading of "b" begins; "b" changes and is announced before it ends.
        let before = watch.epoch();
        watch.heard("t b");
        watch.learn("b", 7, before);
        assert_eq!((watch.known("a"), watch.known("b")), (Some(4), None));
    }

    #[test]
    fn nothing_is_trusted_before_the_first_renewal_comes_back_or_after_the_connection_is_lost() {
        let watch = Watch::new(true);
        watch.listening();
        let epoch = watch.epoch();
        watch.learn("a", 1, epoch);
        assert_eq!(watch.known("a"), None, "no renewal heard yet");
        watch.renewing("r1".into());
        watch.heard("r someone-else");
        assert!(!watch.trusted(), "another instance's renewal is not this one's");
        watch.heard("r r1");
        let epoch = watch.epoch();
        watch.learn("a", 1, epoch);
        assert_eq!(watch.known("a"), Some(1));
        watch.lost();
        assert_eq!(watch.known("a"), None);
        // Heard again: what was known before is not trusted again.
        watch.listening();
        watch.renewing("r2".into());
        watch.heard("r r2");
        assert_eq!(watch.known("a"), None);
    }

    #[test]
    fn a_ping_is_answered_by_an_instance_that_keeps_pages_and_a_wait_ends_when_all_answered() {
        let watch = trusted_watch();
        assert_eq!(watch.heard("p tok"), Some(format!("o {} tok", watch.id)));
        assert_eq!(Watch::new(false).heard("p tok"), None, "the command line keeps no pages");
        let mut answered = watch.expect("tok");
        // One answer comes before the statement has listed who must answer.
        watch.heard("o one tok");
        assert!(!watch.from("tok", vec!["one".into(), "two".into()]));
        assert!(answered.try_recv().is_err());
        watch.heard("o two other-token");
        assert!(answered.try_recv().is_err());
        watch.heard("o two tok");
        assert!(answered.try_recv().is_ok());
        watch.forget("tok");
        let _waiting = watch.expect("tok2");
        assert!(watch.from("tok2", Vec::new()), "nobody holds a lease");
    }
}
